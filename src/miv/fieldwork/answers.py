"""A respondent's answers against the questionnaire: which items and pages routing shows,
reading and validating one page's form, and the record the intake receives.

Answers are a dict item code -> value: an option or missing code (single), a list of codes
(multi), a float (number), a string (text). Routing is evaluated in questionnaire order, so
an item routed out reads as None to every later rule, whatever was answered before."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from miv.definition import Expression, Item, ItemType, Questionnaire, parse, variables
from miv.definition.models import Page

Answers = dict[str, Any]
MAX_TEXT = 2000
MISSING_SUFFIX = "-code"  # form field of a number item's missing codes ("Wil ik niet zeggen")
THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")  # 1.000, 12.500: Dutch thousands
DUTCH_DECIMAL = re.compile(r"^-?\d{1,3}(\.\d{3})*,\d+$|^-?\d+,\d+$")  # 2,5; 1.250,5
NUMBER_HINT = "Vul een getal in, bijvoorbeeld 3 of 2,5."


@dataclass(frozen=True)
class FieldError:
    """A validation message shown at one item's field."""

    item: str
    message: str


def _rule_values(q: Questionnaire, item: Item, value: Any) -> dict[str, Any]:
    """The variables one item contributes to rules; missing codes read as None."""
    missing = set(item.missing)
    if item.type is ItemType.MULTI:
        chosen = value if isinstance(value, list) else None
        known = chosen is not None and not (set(chosen) & missing) and bool(chosen)
        return {f"{item.code}_{o.code}": (int(o.code in chosen) if known else None) for o in q.options(item)}
    if item.type is ItemType.SINGLE and value in missing:
        return {item.code: None}
    return {item.code: value}


@cache
def _rule(source: str) -> Expression:
    """Parsed routing rules, once per process: a page view walks every rule."""
    return parse(source)


def _walk(q: Questionnaire, stratum: Mapping[str, Any], answers: Answers) -> list[Item]:
    context: dict[str, Any] = dict(stratum)
    shown = []
    for item in q.items:
        visible = (item.groups is None or stratum.get("group") in item.groups) and (
            item.route is None or _rule(item.route).evaluate(context) is True
        )
        if visible:
            shown.append(item)
        context.update(_rule_values(q, item, answers.get(item.code) if visible else None))
    return shown


def visible_items(q: Questionnaire, stratum: Mapping[str, Any], answers: Answers) -> list[Item]:
    """The items this respondent is asked, given the answers so far."""
    return _walk(q, stratum, answers)


def visible_pages(q: Questionnaire, stratum: Mapping[str, Any], answers: Answers) -> list[Page]:
    """The pages with at least one item this respondent is asked."""
    shown = {item.code for item in _walk(q, stratum, answers)}
    return [page for page in q.pages if any(item.code in shown for item in page.items)]


def common_pages_passed(q: Questionnaire, stratum: Mapping[str, Any], answers: Answers) -> int:
    """How many of the pages every respondent of the group sees (an item without a route)
    have all such items answered: the drop-off measure. Routed items and pages are left
    out, since reaching them would tell an earlier answer."""
    group = stratum.get("group")
    passed = 0
    for page in q.pages:
        fixed = [i for i in page.items if i.route is None and (i.groups is None or group in i.groups) and i.required]
        if fixed:
            passed += all(answers.get(i.code) not in (None, []) for i in fixed)
    return passed


def common_pages(q: Questionnaire, group: str | None) -> int:
    """The number of pages every respondent of the group sees."""
    return sum(any(i.route is None and (i.groups is None or group in i.groups) and i.required for i in page.items) for page in q.pages)


def read_page(q: Questionnaire, items: list[Item], form: Mapping[str, list[str]]) -> tuple[Answers, list[FieldError]]:
    """Read the posted values of `items`; values that pass are returned even beside errors,
    so the page shows back what the respondent entered."""
    values: Answers = {}
    errors: list[FieldError] = []
    for item in items:
        raw = [v.strip() for v in form.get(item.code, []) if v.strip()]
        if item.type is ItemType.NUMBER and item.missing:
            value, message = _read_number_or_missing(q, item, raw, form.get(item.code + MISSING_SUFFIX, []))
        else:
            value, message = _read_item(q, item, raw)
        values[item.code] = value
        if message:
            errors.append(FieldError(item.code, message))
    return values, errors


@dataclass(frozen=True)
class PageResult:
    """One posted page applied to the answers so far."""

    answers: Answers  # the answers so far with every valid value of the page
    asked: list[Item]  # the items read: shown on the page, or follow-ups sent with it
    values: Answers  # what was read, valid or not
    errors: list[FieldError]
    follow_up: list[Item]  # items that appeared on this page by these answers and were not sent


def apply_page(q: Questionnaire, stratum: Mapping[str, Any], answers: Answers, page: Page, form: Mapping[str, list[str]]) -> PageResult:
    """Read the page's items shown given `answers`, plus follow-ups on the same page whose
    condition the posted values meet and that the browser sent along."""
    shown = {item.code for item in _walk(q, stratum, answers)}
    asked = [item for item in page.items if item.code in shown]
    values, errors = read_page(q, asked, form)
    while True:
        valid = answers | {k: v for k, v in values.items() if k not in {e.item for e in errors}}
        extra = [i for i in _walk(q, stratum, valid) if i in page.items and i.code not in values and i.code in form]
        if not extra:
            break
        more, more_errors = read_page(q, extra, form)
        values.update(more)
        errors += more_errors
        asked += extra
    updated = answers | {k: v for k, v in values.items() if k not in {e.item for e in errors}}
    codes = {item.code for item in asked}
    follow_up = [i for i in _walk(q, stratum, updated) if i in page.items and i.code not in codes]
    return PageResult(updated, asked, values, errors, follow_up)


def _read_item(q: Questionnaire, item: Item, raw: list[str]) -> tuple[Any, str | None]:
    allowed = {o.code for o in q.options(item)} | set(item.missing)
    if not raw:
        if not item.required:
            return None, None
        if item.type is ItemType.MULTI:
            return None, "Kies ten minste één antwoord."
        if item.type in (ItemType.NUMBER, ItemType.TEXT):
            return None, "Vul hier een antwoord in."
        return None, "Kies een antwoord."
    if item.type is ItemType.SINGLE:
        code = _int(raw[0])
        if code not in allowed:
            return None, "Kies een van de antwoorden die bij deze vraag staan."
        return code, None
    if item.type is ItemType.MULTI:
        codes = [_int(v) for v in raw]
        if any(c not in allowed for c in codes):
            return None, "Kies alleen antwoorden die bij deze vraag staan."
        chosen = sorted(set(codes))
        if set(chosen) & set(item.missing) and len(chosen) > 1:
            return chosen, f"Kies óf een of meer antwoorden, óf ‘{_missing_label(q, chosen)}’."
        return chosen, None
    if item.type is ItemType.NUMBER:
        return _read_number(item, raw[0])
    if len(raw[0]) > MAX_TEXT:
        return raw[0][:MAX_TEXT], f"Uw antwoord is te lang: gebruik ten hoogste {MAX_TEXT} tekens."
    return raw[0], None


def _missing_label(q: Questionnaire, chosen: list[int]) -> str:
    labels = {m.code: m.label for m in q.missing}
    return next(labels[c] for c in chosen if c in labels)


def _read_number_or_missing(q: Questionnaire, item: Item, raw: list[str], chosen: list[str]) -> tuple[Any, str | None]:
    """A number item that offers missing codes beside the box: a number, or one code."""
    codes = {_int(v) for v in chosen if v.strip()}
    if not codes:
        return _read_item(q, item, raw)
    label = {m.code: m.label for m in q.missing}
    if raw:
        return raw[0], f"Vul óf een getal in, óf kies ‘{label.get(min(codes, key=lambda c: c or 0), '')}’."
    if not codes <= set(item.missing) or len(codes) != 1:
        return None, "Kies alleen antwoorden die bij deze vraag staan."
    return float(codes.pop()), None  # type: ignore[arg-type]


def parse_number(text: str) -> float:
    """A number as Dutch people write it: 1.000 is a thousand, 2,5 and 1.250,5 have a
    decimal comma; 2.5 (a point not followed by three digits) is read as 2,5 too. Spaces
    between digit groups are ignored. NaN when it is not a number."""
    text = text.replace(" ", "").replace("\u00a0", "")
    if THOUSANDS.match(text):
        text = text.replace(".", "")
    elif DUTCH_DECIMAL.match(text):
        text = text.replace(".", "").replace(",", ".")
    elif "," in text or not re.fullmatch(r"-?(\d+(\.\d*)?|\.\d+)", text):
        return math.nan
    return float(text)


def _read_number(item: Item, text: str) -> tuple[Any, str | None]:
    """A number within bounds (`parse_number`), or a message that says what is expected."""
    number = parse_number(text)
    if not math.isfinite(number):
        return text, NUMBER_HINT
    low, high = item.minimum, item.maximum
    if low is not None and high is not None and not low <= number <= high:
        return number, f"Vul een getal in van {_fmt(low)} tot en met {_fmt(high)}."
    if low is not None and number < low:
        return number, f"Vul een getal in van ten minste {_fmt(low)}."
    if high is not None and number > high:
        return number, f"Vul een getal in van ten hoogste {_fmt(high)}."
    return number, None


def _fmt(number: float | None) -> str:
    return f"{number:g}".replace(".", ",")


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def record(q: Questionnaire, stratum: Mapping[str, Any], answers: Answers) -> dict[str, Any]:
    """The variables of the respondent table (docs/intake.md): codes, -1 where routing skipped
    the item, None where it was asked but not answered."""
    shown = {item.code for item in _walk(q, stratum, answers)}
    out: dict[str, Any] = {}
    for name, item in variables(q).items():
        value = answers.get(item.code) if item.code in shown else None
        if item.code not in shown:
            out[name] = None if item.type is ItemType.TEXT else (float(q.not_applicable) if item.type is ItemType.NUMBER else q.not_applicable)
        elif item.type is ItemType.MULTI:
            option = int(name.rsplit("_", 1)[1])
            missing = set(value or []) & set(item.missing)
            out[name] = None if not value else (min(missing) if missing else int(option in value))
        else:
            out[name] = value
    return out
