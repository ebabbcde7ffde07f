"""Indicator columns computed by polars agree with the definition's own row-by-row evaluator,
on the real definition and on random answers; harmonisation carries trend breaks."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings, strategies as st

from miv import definition
from miv.definition import parse
from miv.intake import add_indicators, answers, harmonise, to_polars
from intake_support import valid_table

REAL = definition.load()


def _expected(monitor, year, code, table):
    """Indicators by Expression.evaluate, row by row (the reference)."""
    q = monitor.editions[year].questionnaires[code]
    out = []
    for row in answers(table, q).iter_rows(named=True):
        values = {}
        for indicator in monitor.indicators:
            if indicator.questionnaire != code:
                continue
            rule, universe = indicator.for_edition(year)
            inside = True if universe is None else universe.evaluate({**row, **values})
            value = rule.evaluate({**row, **values})
            values[indicator.code] = None if inside is not True or value is None else int(value)
        out.append(values)
    return out


@pytest.mark.parametrize("year", sorted(REAL.editions))
@pytest.mark.parametrize("code", ["ambtsdragers", "medewerkers", "organisaties"])
def test_real_indicators_match_the_reference_evaluator(year, code):
    table = valid_table(REAL, year, code, 150, seed=year)
    computed = add_indicators(table, REAL, year, code)
    codes = [i.code for i in REAL.indicators if i.questionnaire == code]
    assert codes and computed.columns == [*table.columns, *codes]
    assert computed.select(codes).to_dicts() == _expected(REAL, year, code, table)


_VALUES = st.one_of(st.none(), st.integers(-1, 3))


@settings(max_examples=200, deadline=None)
@given(a=_VALUES, b=_VALUES, c=_VALUES, rule=st.sampled_from([
    "a == 1 or b == 1", "a == 1 and not b == 2", "a in (1, 2) and c != 3", "not (a == 1 or b in (0, 3))",
    "a < b or c >= 2", "a not in (1,) or b == c", "a", "not a and b",
]))
def test_kleene_logic_matches_the_evaluator(a, b, c, rule):
    expression = parse(rule)
    frame = pl.DataFrame({"a": [a], "b": [b], "c": [c]}, schema={"a": pl.Int32, "b": pl.Int32, "c": pl.Int32})
    assert frame.select(to_polars(expression).alias("x"))["x"][0] == expression.evaluate({"a": a, "b": b, "c": c})


def test_missing_codes_and_not_applicable_are_unknown_to_rules(monitor):
    q = monitor.editions[2024].questionnaires["ambtsdragers"]
    table = valid_table(monitor, 2024, "ambtsdragers", 4).with_columns(
        pl.Series("AG_VERBAAL", [99, 2, 1, 2], dtype=pl.Int32), pl.Series("AG_INTIMIDATIE", [2, 99, 2, 2], dtype=pl.Int32),
        pl.Series("AG_BEDREIGING", [2, 2, 2, 2], dtype=pl.Int32), pl.Series("AG_FYSIEK", [2, 2, 2, 2], dtype=pl.Int32),
        pl.Series("INT_BELANG", [98, -1, 1, 2], dtype=pl.Int32),
    )
    assert answers(table, q)["INT_BELANG"].to_list() == [None, None, 1, 2]
    result = add_indicators(table, monitor, 2024, "ambtsdragers")
    assert result["agressie_totaal"].to_list() == [None, None, 1, 0]
    assert result["integriteit_belang"].to_list() == [None, None, 1, 0]
    assert result["aangifte"].to_list()[3] is None  # outside the universe (no victim)


def test_harmonise_uses_each_editions_rule_and_carries_trend_breaks(monitor):
    t22 = valid_table(monitor, 2022, "ambtsdragers", 60, seed=2)
    t24 = valid_table(monitor, 2024, "ambtsdragers", 60, seed=3)
    result = harmonise({2024: t24, 2022: t22}, monitor, "ambtsdragers")
    assert result.table["edition"].unique().sort().to_list() == [2022, 2024]
    in22 = result.table.filter(pl.col("edition") == 2022)
    assert in22["agressie_bedreiging"].to_list() == answers(t22, monitor.editions[2022].questionnaires["ambtsdragers"]).select(
        (pl.col("AG_BEDREIGING") == 1).cast(pl.Int32))["AG_BEDREIGING"].to_list()
    assert result.trend_breaks.rows() == [
        ("agressie_totaal", 2022, "In 2022 werden intimidatie en bedreiging in één vraag gesteld."),
        ("agressie_bedreiging", 2022, "In 2022 werden intimidatie en bedreiging in één vraag gesteld."),
    ]


def test_real_harmonisation_across_editions():
    tables = {year: valid_table(REAL, year, "ambtsdragers", 80, seed=year) for year in REAL.editions}
    result = harmonise(tables, REAL, "ambtsdragers")
    assert result.table.height == 160
    breaks = {(i.code, y) for i in REAL.indicators for y in REAL.editions if i.questionnaire == "ambtsdragers" and i.trend_break(y)}
    assert set(result.trend_breaks.select("indicator", "edition").iter_rows()) == breaks
