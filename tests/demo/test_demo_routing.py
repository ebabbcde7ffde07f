"""Routing holds in every row: an item routed out (by its route or its groups) holds the
not-applicable code in all its variables; an asked item never does. The route is
re-evaluated here with miv.definition's evaluator on the table's own values. (Open text
items have no code for 'not applicable'; they are null when not asked.)"""

from __future__ import annotations

from collections import defaultdict

import polars as pl

from miv import demo
from miv.definition import Item, ItemType, Monitor, Questionnaire, variables


def _seen(q: Questionnaire, data: pl.DataFrame) -> dict[str, list]:
    """Each column as rules see it: missing codes, not-applicable and null are None."""
    items = variables(q)
    seen = {}
    for name in data.columns:
        values = data[name].to_list()
        item = items.get(name)
        if item is not None and item.type is not ItemType.TEXT:
            hidden = {*item.missing, q.not_applicable}
            values = [None if v in hidden else v for v in values]
        seen[name] = values
    return seen


def _asked(item: Item, seen: dict[str, list], chairs: dict[str, str], height: int) -> list[bool]:
    cache: dict[tuple, bool] = {}
    names = sorted(item.rule.names) if item.rule else []
    asked = []
    for row in range(height):
        group = seen["group"][row] or chairs[seen["layer"][row]]
        if item.groups is not None and group not in item.groups:
            asked.append(False)
            continue
        key = tuple(seen[name][row] if name in seen else None for name in names)
        if key not in cache:
            cache[key] = item.rule is None or item.rule.evaluate(dict(zip(names, key))) is True
        asked.append(cache[key])
    return asked


def test_routing_is_respected_in_every_row(monitor: Monitor, demo_tables: list[demo.DemoTable]) -> None:
    chairs = {g.layer: g.code for g in monitor.structure.groups if g.chair}
    checked = defaultdict(int)
    for t in demo_tables:
        q, data = t.questionnaire, t.data
        seen = _seen(q, data)
        columns = defaultdict(list)
        for name, item in variables(q).items():
            columns[item.code].append(name)
        for item in q.items:
            if (item.rule is None and item.groups is None) or item.type is ItemType.TEXT:
                continue
            asked = pl.Series(_asked(item, seen, chairs, data.height))
            for name in columns[item.code]:
                column = data[name]
                routed_out = (column == q.not_applicable).fill_null(False)
                assert not (asked & routed_out).any(), f"{t.edition} {q.code} {name}: not-applicable where the route holds"
                assert routed_out.filter(~asked).all(), f"{t.edition} {q.code} {name}: an answer where the route is false"
                checked[t.questionnaire.code] += int(asked.sum())
    assert all(checked[code] > 0 for code in ("ambtsdragers", "medewerkers", "organisaties"))


def test_items_without_route_are_asked_of_everyone(demo_tables: list[demo.DemoTable]) -> None:
    for t in demo_tables:
        q = t.questionnaire
        for name, item in variables(q).items():
            if item.rule is None and item.groups is None and item.type is not ItemType.TEXT:
                assert not (t.data[name] == q.not_applicable).any(), (t.edition, q.code, name)


def test_victims_and_only_victims_get_the_follow_up(demo_tables: list[demo.DemoTable]) -> None:
    """A concrete case of the rule: AG_SOCIAL is asked exactly of those with a form == 1."""
    forms = ["AG_VERBAAL", "AG_INTIMIDATIE", "AG_BEDREIGING", "AG_BEDREIGING_NAASTEN", "AG_FYSIEK", "AG_VERNIELING", "AG_STALKING"]
    for t in demo_tables:
        if t.questionnaire.code != "ambtsdragers":
            continue
        victim = t.data.select(pl.any_horizontal([pl.col(f) == 1 for f in forms]).fill_null(False)).to_series()
        asked = t.data["AG_SOCIAL"] != -1
        assert (victim == asked).all()
        assert 0.3 * t.data.height < victim.sum() < 0.7 * t.data.height  # 45-49% of office holders met aggression
