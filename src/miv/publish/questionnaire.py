"""The questionnaires as the reports describe them, from the definition alone: per
questionnaire who got it, how many questions it has and how many of those are routed (asked
only after a certain answer) or asked of some groups only, and what changed since the
previous edition: questions added, dropped or changed, and the trend breaks this causes."""

from __future__ import annotations

from dataclasses import dataclass

from miv.definition import Item, ItemType, Monitor, Questionnaire, Structure, Unit


@dataclass(frozen=True)
class Summary:
    code: str
    title: str
    groups: str  # who answers it: "burgemeesters, wethouders, ..." or "gemeenten, provincies en waterschappen"
    pages: int
    items: int
    routed: int  # asked only after a certain answer (a route)
    some_groups: int  # asked of some of the questionnaire's groups only
    multi: int  # more answers possible


@dataclass(frozen=True)
class Change:
    questionnaire: str
    code: str
    text: str
    what: str  # "nieuw", "vervallen" or what changed ("vraagtekst", "antwoordcategorieën", "routering", ...)


@dataclass(frozen=True)
class TrendBreak:
    label: str
    reason: str


@dataclass(frozen=True)
class QuestionnaireView:
    previous: int | None
    summaries: list[Summary]
    changes: list[Change]
    breaks: list[TrendBreak]


def describe(monitor: Monitor, edition: int) -> QuestionnaireView:
    spec = monitor.editions[edition]
    before = monitor.editions[spec.previous] if spec.previous in monitor.editions else None
    summaries, changes = [], []
    for code, q in spec.questionnaires.items():
        summaries.append(_summary(q, monitor.structure))
        old = before.questionnaires.get(code) if before is not None else None
        if old is not None:
            changes += _changes(old, q)
    breaks = [TrendBreak(f"{i.label} ({i.denominator_label})", reason) for i in monitor.indicators if (reason := i.trend_break(edition))]
    return QuestionnaireView(spec.previous if before is not None else None, summaries, changes, breaks)


def _summary(q: Questionnaire, structure: Structure) -> Summary:
    asked = [i for i in q.items if i.type is not ItemType.TEXT]
    chairs = {g.code: g.layer for g in structure.groups if g.chair}
    if q.unit is Unit.ORGANISATION:
        names = [layer.label.lower() for layer in structure.layers if layer.code in {chairs.get(c) for c in q.groups}]
    else:
        plural = {g.code: g.plural for g in structure.groups}
        names = [plural[g] for g in q.groups]
    groups = " en ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)
    return Summary(q.code, q.title, groups, len(q.pages), len(asked), sum(i.route is not None for i in asked),
                   sum(i.groups is not None for i in asked), sum(i.type is ItemType.MULTI for i in asked))


def _changes(old: Questionnaire, new: Questionnaire) -> list[Change]:
    before = {i.code: i for i in old.items}
    now = {i.code: i for i in new.items}
    out = [Change(new.code, code, item.text, "nieuw") for code, item in now.items() if code not in before]
    out += [Change(new.code, code, item.text, "vervallen") for code, item in before.items() if code not in now]
    for code, item in now.items():
        if code in before and (what := _differs(old, before[code], new, item)):
            out.append(Change(new.code, code, item.text, what))
    return out


def _differs(old_q: Questionnaire, old: Item, new_q: Questionnaire, new: Item) -> str:
    """What changed in an item, in words; empty when nothing a respondent sees or is routed by."""
    what = []
    if " ".join(old.text.split()) != " ".join(new.text.split()):
        what.append("vraagtekst")
    if old.type != new.type or [(o.code, o.label) for o in old_q.options(old)] != [(o.code, o.label) for o in new_q.options(new)]:
        what.append("antwoordcategorieën")
    if (old.route or "").split() != (new.route or "").split() or old.groups != new.groups:
        what.append("routering")
    return ", ".join(what)
