"""A file's value labels held against the definition, for every coded variable.

A code whose label in the file contradicts the definition's label for that code (1 = 'Nee'
where the definition says 1 = 'Ja') is an error: the numbers would be counted under the
wrong answer. When every label of a variable is one of the definition's, only under other
codes (R numbers a factor's levels 1, 2, 3 ... in alphabetical order), the codes are put back
by their labels and a warning says so. A mapping file's recode is applied to the labels
first, so a known recode is accepted.
"""

from __future__ import annotations

import re
from typing import Any

import polars as pl

from miv.definition import ItemType, Questionnaire, variables
from miv.intake.mapping import ALL, Mapping
from miv.intake.report import ERROR, WARNING
from miv.intake.table import value_labels

_SPACE = re.compile(r"\s+")


def _norm(label: str) -> str:
    return _SPACE.sub(" ", str(label)).strip().strip(".:;").casefold()


def _agrees(file: str, definition: str) -> bool:
    """The same label, or one a shortening of the other ('Niet van toepassing' and
    'Niet van toepassing (routering)')."""
    a, b = _norm(file), _norm(definition)
    return a == b or a.startswith(b) or b.startswith(a)


def _code(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def check_labels(frame: pl.DataFrame, labels: dict[str, dict[Any, str]], q: Questionnaire,
                 mapping: Mapping | None = None) -> tuple[pl.DataFrame, list[dict[str, Any]]]:
    """Findings for labels that contradict the definition, and the frame with renumbered
    factor codes put back. `labels` are the file's, under the columns' final names."""
    found: list[dict[str, Any]] = []
    recodes: list[pl.Expr] = []
    for name, item in variables(q).items():
        if item.type not in (ItemType.SINGLE, ItemType.MULTI) or not labels.get(name) or name not in frame.columns:
            continue
        if not frame.schema[name].is_numeric():
            continue
        expected = {float(k): v for k, v in value_labels(q, item).items()}
        given = _recoded(labels[name], mapping, name)
        wrong = sorted(c for c, label in given.items() if c in expected and not _agrees(label, expected[c]))
        strays = sorted(c for c, label in given.items() if c not in expected and any(_agrees(label, t) for t in expected.values()))
        if not wrong and not strays:
            continue
        moved = _renumbering(given, expected) if _factor(given) else None
        if moved:
            recodes.append(pl.col(name).replace(moved))
            shown = ", ".join(f"{_int(c)} {given[c]!r} -> {_int(d)}" for c, d in sorted(moved.items()))
            found.append({"variable": name, "rule": "hernummerd", "severity": WARNING,
                          "message": f"de codes van {name} zijn anders genummerd dan in de definitie (zoals R een factor nummert) "
                                     f"en zijn op hun labels teruggezet: {shown}; controleer dit"})
            continue
        for c in wrong:
            found.append({"variable": name, "value": _int(c), "rule": "label", "severity": ERROR,
                          "message": f"code {_int(c)} heet in het bestand {given[c]!r}, in de definitie {expected[c]!r}; "
                                     "hercodeer met een mappingbestand (recode) als de codes anders zijn"})
        for c in strays:
            codes = ", ".join(_int(d) for d, t in expected.items() if _agrees(given[c], t))
            found.append({"variable": name, "value": _int(c), "rule": "label", "severity": ERROR,
                          "message": f"code {_int(c)} heet in het bestand {given[c]!r}, maar in de definitie is dat code {codes}; "
                                     "hercodeer met een mappingbestand (recode)"})
    return (frame.with_columns(recodes) if recodes else frame), found


def _recoded(labels: dict[Any, str], mapping: Mapping | None, name: str) -> dict[float, str]:
    """The file's labels under the codes the mapping's recode gives them."""
    table = {**(mapping.recode.get(ALL, {}) if mapping else {}), **(mapping.recode.get(name, {}) if mapping else {})}
    recode = {_code(k): _code(v) for k, v in table.items() if _code(k) is not None and _code(v) is not None}
    out: dict[float, str] = {}
    for key, label in labels.items():
        code = _code(key)
        if code is not None:
            out[recode.get(code, code)] = label
    return out


def _factor(given: dict[float, str]) -> bool:
    """Codes 1..k given to labels in alphabetical order: how R numbers a factor's levels."""
    codes = sorted(given)
    return codes == [float(i) for i in range(1, len(codes) + 1)] and [_norm(given[c]) for c in codes] == sorted(_norm(given[c]) for c in codes)


def _renumbering(given: dict[float, str], expected: dict[float, str]) -> dict[float, float] | None:
    """File code -> definition code when every file label names exactly one definition code
    and no two file codes name the same one; None when the labels do not allow that."""
    moved: dict[float, float] = {}
    for code, label in given.items():
        exact = [d for d, text in expected.items() if _norm(text) == _norm(label)]
        matches = exact or [d for d, text in expected.items() if _agrees(label, text)]
        if len(matches) != 1:
            return None
        moved[code] = matches[0]
    if len(set(moved.values())) != len(moved):
        return None
    return {c: d for c, d in moved.items() if c != d} or None


def _int(code: float) -> str:
    return str(int(code)) if float(code).is_integer() else str(code)
