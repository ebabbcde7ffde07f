"""Fixtures: the small test definition (tests/intake/definition), valid tables built from it,
and writers for the second .sav writer (GNU PSPP) used by several tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from miv import definition
from miv.definition import ItemType, Monitor, variables

sys.path.insert(0, str(Path(__file__).parent))
from responses import valid_table  # noqa: E402

DEFINITION = Path(__file__).parent / "definition"


@pytest.fixture(scope="session")
def monitor() -> Monitor:
    return definition.load(DEFINITION)


@pytest.fixture(scope="session")
def valid(monitor: Monitor) -> pl.DataFrame:
    return valid_table(monitor, 2024, "ambtsdragers", 120, seed=7)


def write_pspp(table: pl.DataFrame, monitor: Monitor, year: int, code: str, path: Path) -> Path:
    """Write `table` as .sav with GNU PSPP from a syntax file, with labels and missing values."""
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
        if item.type is ItemType.SINGLE:
            labels = " ".join(f"{o.code} '{o.label}'" for o in q.options(item))
            lines.append(f"VALUE LABELS {name} {labels} -1 'Niet van toepassing'.")
        if item.type is not ItemType.TEXT:
            lines.append(f"MISSING VALUES {name} ({', '.join(str(c) for c in [*item.missing, q.not_applicable])}).")
    lines.append(f"SAVE OUTFILE='{path}'.")
    syntax = path.with_suffix(".sps")
    syntax.write_text("\n".join(lines) + "\n", encoding="utf-8")
    subprocess.run(["pspp", str(syntax)], check=True, capture_output=True, cwd=path.parent)
    return path
