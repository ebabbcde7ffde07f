"""The demo tables have the respondent-table shape of docs/intake.md, are marked synthetic,
and are reproducible by seed."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import yaml
from polars.testing import assert_frame_equal

from miv import demo
from miv.definition import ItemType, Monitor, variables
from miv.demo import generator
from miv.demo.parameters import load_parameters

from demo_support import expected_respondents

STRATUM_COLUMNS = ["respondent_id", "edition", "questionnaire", "group", "layer", "role", "gender", "province", "size_class"]


def test_one_table_per_edition_and_questionnaire(monitor: Monitor, demo_tables: list[demo.DemoTable]) -> None:
    made = [(t.edition, t.questionnaire.code) for t in demo_tables]
    expected = [(year, code) for year, edition in sorted(monitor.editions.items()) for code in edition.questionnaires]
    assert made == expected


def test_columns_and_types_follow_the_contract(demo_tables: list[demo.DemoTable]) -> None:
    for t in demo_tables:
        q = t.questionnaire
        head = STRATUM_COLUMNS + (["organisation"] if q.unit == "organisation" else [])
        assert t.data.columns == head + list(variables(q)), (t.edition, q.code)
        assert t.data.schema["edition"] == pl.Int32
        for name in head:
            if name != "edition":
                assert t.data.schema[name] == pl.Utf8, name
        for name, item in variables(q).items():
            expected = {ItemType.NUMBER: pl.Float64, ItemType.TEXT: pl.Utf8}.get(item.type, pl.Int32)
            assert t.data.schema[name] == expected, (q.code, name)


# Respondents of the real editions (docs/domain.md): the demo's response rates are set to these.
PUBLISHED = {(2022, "ambtsdragers"): 3033, (2022, "medewerkers"): 1434, (2024, "ambtsdragers"): 1000}


def test_sizes_are_those_of_the_real_editions(monitor: Monitor, demo_tables: list[demo.DemoTable]) -> None:
    """Each group's count is its expected count (invited x response rate on the frame) up to
    binomial noise, and the expected totals are the real editions' numbers of respondents:
    about 3,030 office holders and 1,430 staff in 2022, about 1,000 office holders in 2024."""
    for t in demo_tables:
        expected = expected_respondents(monitor, t.edition, t.questionnaire.code)
        column = "group" if t.questionnaire.unit != "organisation" else "layer"
        found = dict(t.data[column].value_counts().iter_rows())
        chair = {g.code: g.layer for g in monitor.structure.groups if g.chair}
        for group, mean in expected.items():
            drawn = found.get(chair[group] if column == "layer" else group, 0)
            assert abs(drawn - mean) <= 4 * mean**0.5 + 1, (t.edition, t.questionnaire.code, group, drawn, mean)
        published = PUBLISHED.get((t.edition, t.questionnaire.code))
        if published is not None:
            assert abs(sum(expected.values()) - published) <= 0.05 * published, (t.edition, t.questionnaire.code)
    small = expected_respondents(monitor, 2024, "ambtsdragers")
    assert small["cdk"] < 5 and small["dijkgraaf"] < 10  # tiny groups, as on real data: merged or suppressed


def test_respondent_ids_are_synthetic_and_unique_per_edition(demo_tables: list[demo.DemoTable]) -> None:
    for year in {t.edition for t in demo_tables}:
        ids = pl.concat([t.data["respondent_id"] for t in demo_tables if t.edition == year])
        assert ids.n_unique() == ids.len()
        assert ids.str.contains(rf"^DEMO-{year}-\d{{6}}$").all()


def test_organisations_have_a_layer_and_a_synthetic_name_but_no_person(demo_tables: list[demo.DemoTable]) -> None:
    for t in demo_tables:
        if t.questionnaire.unit != "organisation":
            continue
        data = t.data
        assert data.select(pl.col("group", "role", "gender").is_null().all()).row(0) == (True, True, True)
        assert data["layer"].null_count() == 0
        assert data["organisation"].str.contains(r"^(Gemeente|Provincie|Waterschap) demo-\d+$").all()
        assert data["organisation"].n_unique() == data.height
        municipal = data.filter(pl.col("layer") == "gemeente")
        assert municipal["province"].null_count() == 0 and municipal["size_class"].null_count() == 0
        boards = data.filter(pl.col("layer") == "waterschap")
        assert boards["province"].null_count() == boards.height


def test_same_seed_gives_identical_tables(monitor: Monitor, demo_tables: list[demo.DemoTable]) -> None:
    again = demo.generate(monitor, demo.DEFAULT_SEED)
    assert list(again) == [(t.edition, t.questionnaire.code) for t in demo_tables]
    for first in demo_tables:
        assert_frame_equal(first.data, again[(first.edition, first.questionnaire.code)])


def test_counts_per_group_and_edition(monitor: Monitor, demo_tables: list[demo.DemoTable]) -> None:
    counts = demo.counts(demo_tables, monitor.structure)
    assert counts.columns == ["doelgroep", "2022", "2024"]
    rows = {row[0]: row[1:] for row in counts.iter_rows()}
    for t in demo_tables:
        if t.questionnaire.code == "ambtsdragers":
            n = t.data.filter(pl.col("group") == "burgemeester").height
            assert rows["burgemeesters"][[2022, 2024].index(t.edition)] == n
    assert sum(rows["organisaties: gemeenten"]) > 0
    assert sum(sum(v) for v in rows.values()) == sum(t.data.height for t in demo_tables)


def test_another_seed_gives_other_tables(monitor: Monitor, demo_tables: list[demo.DemoTable]) -> None:
    other = list(demo.tables(monitor, demo.DEFAULT_SEED + 1))
    for first, second in zip(demo_tables, other, strict=True):
        assert not first.data.equals(second.data), (first.edition, first.questionnaire.code)


def test_answers_use_missing_codes_and_item_nonresponse(demo_tables: list[demo.DemoTable]) -> None:
    """'Weet niet' (98), 'Wil ik niet zeggen' (99) and skipped items (null) all occur."""
    data = next(t.data for t in demo_tables if t.questionnaire.code == "ambtsdragers")
    belang = data["INT_BELANG"]
    assert (belang == 98).sum() > 50
    assert (belang == 99).sum() > 0
    skipped = data.select(pl.col(pl.Int32)).null_count().sum_horizontal().item()
    assert skipped > 0


def test_an_answered_multiple_choice_item_has_a_box_ticked(demo_tables: list[demo.DemoTable]) -> None:
    for t in demo_tables:
        q = t.questionnaire
        for item in q.items:
            if item.type is not ItemType.MULTI:
                continue
            columns = [f"{item.code}_{o.code}" for o in q.options(item)]
            answered = t.data.filter(pl.all_horizontal(pl.col(c).is_in([0, 1]) for c in columns))
            assert answered.height > 0, (t.edition, q.code, item.code)
            assert answered.select(pl.sum_horizontal(columns).min()).item() >= 1, (t.edition, q.code, item.code)


def _own_stream_items() -> dict[str, set[str]]:
    """Per questionnaire, the items parameters.yaml draws from a stream of their own."""
    raw = yaml.safe_load(demo.PARAMETERS.read_text(encoding="utf-8"))
    found: dict[str, set[str]] = {}
    for block in [raw, *raw.get("editions", {}).values()]:
        for code, q in block.get("questionnaires", {}).items():
            found.setdefault(code, set()).update(item for item, model in q.get("items", {}).items() if model.get("own_stream"))
    return found


def test_an_item_with_its_own_stream_leaves_every_other_answer_as_it_was(
        monitor: Monitor, demo_tables: list[demo.DemoTable], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Take the own-stream items out of the definition and the parameters: every other column
    of every table is exactly what it is with them (so adding them changed no older figure)."""
    own = _own_stream_items()
    assert own.get("ambtsdragers")
    editions = {}
    for year, edition in monitor.editions.items():
        questionnaires = {}
        for code, q in edition.questionnaires.items():
            pages = [p.model_copy(update={"items": [i for i in p.items if i.code not in own.get(code, set())]}) for p in q.pages]
            questionnaires[code] = q.model_copy(update={"pages": pages})
        editions[year] = edition.model_copy(update={"questionnaires": questionnaires})
    without = monitor.model_copy(update={"editions": editions})
    raw = yaml.safe_load(demo.PARAMETERS.read_text(encoding="utf-8"))
    for block in [raw, *raw.get("editions", {}).values()]:
        for code, q in block.get("questionnaires", {}).items():
            for item in own.get(code, set()):
                q.get("items", {}).pop(item, None)
    stripped = tmp_path / "parameters.yaml"
    stripped.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    monkeypatch.setattr(generator, "load_parameters", lambda edition, structure: load_parameters(edition, structure, stripped))
    for before, full in zip(demo.tables(without), demo_tables, strict=True):
        assert before.data.columns == [c for c in full.data.columns if c in before.data.columns]
        assert_frame_equal(before.data, full.data.select(before.data.columns))
        assert set(full.data.columns) - set(before.data.columns) == set(variables(full.questionnaire)) - set(variables(before.questionnaire))
