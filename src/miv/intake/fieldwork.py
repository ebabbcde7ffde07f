"""The fieldwork account (veldwerk.csv): how many were invited per questionnaire and target
group (per layer for the organisations' questionnaire).

Why: the response rate in the publications is responded / invited, and the invited count is
not in the respondent files; the bureau (or miv's own fieldwork) delivers it beside them.
The file is checked as strictly as a respondent file: every problem is named with its row
and column, a group or layer missing from it is an error (a table with a silent gap would
show a wrong total), and a file with problems is refused whole.

Format: UTF-8 CSV, comma-separated, the header `questionnaire,group,layer,invited`; one row
per group of a questionnaire answered by persons (`layer` empty or the group's layer) and
one per layer of a questionnaire answered per organisation (`group` empty).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl

from miv.definition import Monitor, Unit
from miv.intake.errors import IntakeError

COLUMNS = ("questionnaire", "group", "layer", "invited")
SCHEMA: dict[str, type[pl.DataType]] = {"questionnaire": pl.Utf8, "group": pl.Utf8, "layer": pl.Utf8, "invited": pl.Int64}
MAX_PROBLEMS = 20


def read_fieldwork(path: Path, monitor: Monitor, edition: int) -> pl.DataFrame:
    """The invited counts of one edition (`SCHEMA`, layer always filled), or an IntakeError
    that lists every problem of the file with its row and column."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise IntakeError(f"{path}: het veldwerkbestand is niet te lezen ({exc.strerror})", file=path) from exc
    except UnicodeDecodeError as exc:
        raise IntakeError(f"{path}: het veldwerkbestand is geen UTF-8 (byte {exc.start})", file=path) from exc
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or tuple(h.strip() for h in rows[0]) != COLUMNS:
        found = ",".join(rows[0]) if rows else "een leeg bestand"
        raise IntakeError(f"{path}, rij 1: verwacht de kolommen {','.join(COLUMNS)}; gevonden: {found}", file=path, row=1)
    spec = monitor.editions[edition]
    layers = {layer.code for layer in monitor.structure.layers}
    groups = {g.code: g for g in monitor.structure.groups}
    chairs = {g.layer: g.code for g in monitor.structure.groups if g.chair}
    problems: list[str] = []
    out: list[dict[str, object]] = []
    seen: set[tuple[str, str]] = set()
    for number, raw in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) != len(COLUMNS):
            problems.append(f"rij {number}: verwacht {len(COLUMNS)} waarden, gevonden {len(raw)}")
            continue
        code, group, layer, invited = (cell.strip() for cell in raw)
        q = spec.questionnaires.get(code)
        if q is None:
            problems.append(f"rij {number}, kolom questionnaire: onbekende vragenlijst {code!r}; verwacht een van {sorted(spec.questionnaires)}")
            continue
        if q.unit is Unit.ORGANISATION:
            if group:
                problems.append(f"rij {number}, kolom group: laat leeg voor vragenlijst {code!r} (één rij per bestuurslaag)")
            if layer not in layers or chairs.get(layer) not in q.groups:
                problems.append(f"rij {number}, kolom layer: onbekende bestuurslaag {layer!r} voor vragenlijst {code!r}")
                continue
            unit = layer
        else:
            if group not in q.groups:
                problems.append(f"rij {number}, kolom group: doelgroep {group!r} krijgt vragenlijst {code!r} niet; verwacht een van {q.groups}")
                continue
            if layer and layer != groups[group].layer:
                problems.append(f"rij {number}, kolom layer: {group!r} hoort bij bestuurslaag {groups[group].layer!r}, niet {layer!r}")
                continue
            unit, layer = group, groups[group].layer
        if not invited.isdigit():
            problems.append(f"rij {number}, kolom invited: verwacht een heel getal van 0 of meer, gevonden {invited!r}")
            continue
        if (code, unit) in seen:
            problems.append(f"rij {number}: {code} {unit} staat al eerder in het bestand")
            continue
        seen.add((code, unit))
        out.append({"questionnaire": code, "group": group or None, "layer": layer, "invited": int(invited)})
    for code, q in spec.questionnaires.items():
        units = [layer for layer, chair in chairs.items() if chair in q.groups] if q.unit is Unit.ORGANISATION else q.groups
        problems += [f"vragenlijst {code}: geen rij voor {unit!r}" for unit in units if (code, unit) not in seen]
    if problems:
        shown = problems[:MAX_PROBLEMS] + ([f"... en nog {len(problems) - MAX_PROBLEMS}"] if len(problems) > MAX_PROBLEMS else [])
        raise IntakeError(f"{path}: het veldwerkbestand heeft {len(problems)} probleem/problemen", file=path, details=shown)
    return pl.DataFrame(out, schema=SCHEMA)


def write_fieldwork(rows: list[dict[str, object]], path: Path) -> Path:
    """Write invited counts (`questionnaire`, `group`, `layer`, `invited`) in the file format above."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({c: ("" if row.get(c) is None else row[c]) for c in COLUMNS} for row in rows)
    return path
