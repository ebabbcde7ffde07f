"""Helpers of the intake tests: the small test definition, valid respondent tables built row
by row with the definition's own rule evaluator (`Expression.evaluate`, independent of the
polars translation under test), and a second .sav writer (GNU PSPP)."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path
from typing import Any

import polars as pl

from miv.definition import ItemType, Monitor, variables
from miv.intake import schema

DEFINITION = Path(__file__).parent / "definition"


def valid_table(monitor: Monitor, year: int, code: str, n: int, seed: int = 1) -> pl.DataFrame:
    q = monitor.editions[year].questionnaires[code]
    rng = random.Random(seed)
    layers = {g.layer: g for g in monitor.structure.groups if g.chair}
    cells = [s for s in monitor.editions[year].frame.strata if s.population > 0 and s.group in q.groups]
    rows = []
    for i in range(n):
        cell = rng.choice(cells)
        if q.unit == "organisation":
            chair = layers[monitor.structure.groups[[g.code for g in monitor.structure.groups].index(cell.group)].layer]
            row: dict[str, Any] = {"group": None, "layer": chair.layer, "role": None, "gender": None,
                                   "province": cell.province, "size_class": cell.size_class, "organisation": f"Organisatie {i} ‘s-Hertogenbosch"}
        else:
            group = next(g for g in monitor.structure.groups if g.code == cell.group)
            row = {"group": group.code, "layer": group.layer, "role": group.role.value, "gender": cell.gender,
                   "province": cell.province, "size_class": cell.size_class}
        row = {"respondent_id": f"R{year}-{i:05d}", "edition": year, "questionnaire": code, **row}
        view: dict[str, Any] = dict(row)  # what routing sees: missing codes as None
        for item in q.items:
            names = [name for name, it in variables(q).items() if it is item]
            asked = (item.groups is None or q.unit != "respondent" or row["group"] in item.groups) and (
                item.rule is None or item.rule.evaluate(view) is not False)
            for name in names:
                row[name], view[name] = _answer(rng, q, item, asked)
        rows.append(row)
    return pl.DataFrame(rows, schema=schema(q), orient="row")


def _answer(rng: random.Random, q, item, asked: bool) -> tuple[Any, Any]:
    if item.type is ItemType.TEXT:
        return (rng.choice([None, "Geen opmerkingen", "Één keer bedreigd in ’s-Gravenhage"]) if asked else None), None
    if not asked:
        return q.not_applicable, None
    if item.type is ItemType.NUMBER:
        value = float(rng.randint(int(item.minimum or 0), int(item.maximum or 100)))
        return value, value
    if item.type is ItemType.MULTI:
        value = rng.choice([0, 1])
        return value, value
    options = [o.code for o in q.options(item)]
    if item.missing and rng.random() < 0.1:
        return rng.choice(item.missing), None
    value = rng.choice(options)
    return value, value


def write_pspp(table: pl.DataFrame, monitor: Monitor, year: int, code: str, path: Path,
               labels: dict[str, dict[int, str]] | None = None) -> Path:
    """Write `table` as .sav with GNU PSPP from a syntax file, with labels and missing values;
    `labels` replaces the definition's value labels of some variables."""
    q = monitor.editions[year].questionnaires[code]
    items = variables(q)
    formats = []
    for name, dtype in table.schema.items():
        if dtype == pl.Utf8:
            formats.append(f"{name} (A{max(8, table[name].str.len_bytes().max() or 1)})")
        else:
            formats.append(f"{name} (F8.{2 if dtype == pl.Float64 else 0})")
    lines = ["SET LOCALE='UTF-8'.", f"DATA LIST LIST (\",\") /{' '.join(formats)}.", "BEGIN DATA."]
    for row in table.iter_rows():
        lines.append(",".join("" if v is None else str(v) for v in row))
    lines.append("END DATA.")
    for name, item in items.items():
        if name not in table.columns:
            continue
        text = item.text.replace("'", "''")
        lines.append(f"VARIABLE LABELS {name} '{text}'.")
        if name in (labels or {}):
            lines.append(f"VALUE LABELS {name} {' '.join(f'{c} {chr(39)}{t}{chr(39)}' for c, t in labels[name].items())}.")
        elif item.type is ItemType.SINGLE:
            given = " ".join(f"{o.code} '{o.label}'" for o in q.options(item))
            lines.append(f"VALUE LABELS {name} {given} -1 'Niet van toepassing'.")
        if item.type is not ItemType.TEXT:
            lines.append(f"MISSING VALUES {name} ({', '.join(str(c) for c in [*item.missing, q.not_applicable])}).")
    lines.append(f"SAVE OUTFILE='{path}'.")
    syntax = path.with_suffix(".sps")
    syntax.write_text("\n".join(lines) + "\n", encoding="utf-8")
    subprocess.run(["pspp", str(syntax)], check=True, capture_output=True, cwd=path.parent)
    return path
