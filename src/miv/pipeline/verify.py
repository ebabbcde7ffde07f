"""`miv verify OUT/<edition>`: recompute every published figure from the data files and the
manifest, and name every difference.

Why: a reader must be able to check a figure without our pipeline's word for it. The check
uses what the manifest records, not the definition on disk: the input files (by sha256), the
weight of every respondent (gewichten.csv), the missing codes, the indicator rules and the
publications' populations. The definition is only used to read the survey files (types and
labels), and its content hash must equal the manifest's. Each cell of estimates.csv is
recomputed as the weighted share Σwy/Σw over the respondents with a valid value; every
figure in the HTML must equal its cell (or its comparison or series value) and show its
rounded value; every output must still have the hash the manifest gives it. Model-based
figures (Fay-Herriot, `model|` keys) are checked against the manifest's models, not refitted.
The fieldwork table's numbers (`veldwerk|` keys) are recounted: invited from the fieldwork
account the manifest names (found by its sha256), responded from the data files.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from miv.definition import Monitor, Unit, parse
from miv.definition.models import Comparison
from miv.errors import MivError
from miv.intake import IntakeError, read_responses, to_polars
from miv.intake.fieldwork import read_fieldwork
from miv.intake.indicators import blank_missing
from miv.publish.manifest import WEIGHTS_FILE, definition_hash, sha256
from miv.publish.fieldwork import fieldwork_key
from miv.publish.number import number, percent
from miv.publish.results import TOTAL

FIGURE = re.compile(r'<data class="miv-cijfer" value="([^"]+)" data-cell="([^"]+)">([^<]+)</data>')
COUNT = re.compile(r'<data class="miv-aantal" value="([^"]+)" data-cell="([^"]+)">([^<]+)</data>')
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Difference:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


class VerifyError(MivError):
    """The folder holds no publications to verify (no manifest.json, no estimates.csv)."""


def verify(folder: Path, monitor: Monitor, data: Iterable[Path] = ()) -> list[Difference]:
    """Every difference between the published figures and their recomputation; [] when none."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        with (folder / "estimates.csv").open(encoding="utf-8") as handle:
            cells = {row["key"]: row for row in csv.DictReader(handle)}
    except FileNotFoundError as exc:
        raise VerifyError(f"{folder}: geen publicaties om na te rekenen ({Path(exc.filename).name} ontbreekt)") from None
    except json.JSONDecodeError as exc:
        raise VerifyError(f"{folder / 'manifest.json'}: geen geldige JSON (regel {exc.lineno})") from None
    out = _hashes(folder, manifest)
    if manifest.get("definition_sha256") != definition_hash(monitor):
        out.append(Difference("definitie", "de inhoud van de definitie wijkt af van die waarmee de cijfers zijn gemaakt (definition_sha256)"))
    tables, missing = _tables(folder, manifest, monitor, list(data))
    out += missing
    if tables:
        recomputed = _recompute(tables, manifest, cells)
        out += _cells(cells, recomputed)
        counts, problems = _fieldwork(folder, manifest, monitor, tables, list(data))
        out += problems
        out += _figures(folder, cells, recomputed, manifest, tables, counts)
    return out


def _hashes(folder: Path, manifest: dict) -> list[Difference]:
    out = []
    for name, digest in manifest.get("outputs", {}).items():
        path = folder / name
        if not path.is_file():
            out.append(Difference(name, "bestand ontbreekt"))
        elif sha256(path) != digest:
            out.append(Difference(name, "bestand is veranderd sinds publicatie (sha256 wijkt af van manifest.json)"))
    return out


def _tables(folder: Path, manifest: dict, monitor: Monitor, given: list[Path]) -> tuple[dict[tuple[int, str], pl.DataFrame], list[Difference]]:
    """Each input file read and joined with its weights, keyed by (edition, questionnaire)."""
    out: dict[tuple[int, str], pl.DataFrame] = {}
    problems: list[Difference] = []
    weights_file = folder / (manifest.get("weights", {}).get("file") or WEIGHTS_FILE)
    if not weights_file.is_file():
        return out, [Difference(weights_file.name, "gewichten ontbreken: zonder gewichten is niets na te rekenen")]
    weights = pl.read_csv(weights_file, schema_overrides={"edition": pl.Int32, "respondent_id": pl.Utf8, "weight": pl.Float64})
    account = (manifest.get("fieldwork") or {}).get("file")
    for key, digest in manifest.get("inputs", {}).items():
        if key == account:  # the fieldwork account is no survey file: _fieldwork reads it
            continue
        year, _ = key.split("/", 1)
        path = _find(folder, key, digest, given)
        if path is None:
            problems.append(Difference(key, "invoerbestand niet gevonden met de sha256 uit manifest.json (geef het mee met --data)"))
            continue
        try:
            table, report = read_responses(path, monitor, int(year))
        except IntakeError as exc:
            problems.append(Difference(key, f"niet te lezen: {exc}"))
            continue
        own = weights.filter((pl.col("edition") == int(year)) & (pl.col("questionnaire") == report.questionnaire))
        joined = table.join(own.select("respondent_id", "weight"), on="respondent_id", how="left")
        if joined["weight"].null_count():
            problems.append(Difference(key, f"{joined['weight'].null_count()} respondent(en) zonder gewicht in {weights_file.name}"))
        out[(int(year), report.questionnaire)] = _indicators(joined, manifest, int(year), report.questionnaire)
    return out, problems


def _find(folder: Path, key: str, digest: str, given: list[Path]) -> Path | None:
    """An input file by its manifest key (<edition>/<name>) and sha256: given, or in a data folder."""
    year, name = key.split("/", 1)
    candidates = [p for p in given if p.name == name] + [folder.parent / year / "data" / name, folder / "data" / name]
    return next((p for p in candidates if p.is_file() and sha256(p) == digest), None)


def _fieldwork(folder: Path, manifest: dict, monitor: Monitor, tables: dict[tuple[int, str], pl.DataFrame],
               given: list[Path]) -> tuple[dict[str, float], list[Difference]]:
    """Every number the fieldwork table may show, by key: invited from the fieldwork account,
    responded counted in the data files, per group, per layer and in total."""
    key = (manifest.get("fieldwork") or {}).get("file")
    if key is None:
        return {}, []
    path = _find(folder, key, manifest.get("inputs", {}).get(key, ""), given)
    if path is None:
        return {}, [Difference(key, "veldwerkbestand niet gevonden met de sha256 uit manifest.json (geef het mee met --data)")]
    year = int(key.split("/", 1)[0])
    try:
        invited = read_fieldwork(path, monitor, year)
    except IntakeError as exc:
        return {}, [Difference(key, f"niet te lezen: {exc}")]
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in invited.iter_rows(named=True):
        code = row["questionnaire"]
        table = tables.get((year, code))
        organisation = monitor.editions[year].questionnaires[code].unit is Unit.ORGANISATION
        column, value = ("layer", row["layer"]) if organisation else ("group", row["group"])
        responded = 0 if table is None else table.filter(pl.col(column) == value).height
        units = [f"laag:{row['layer']}", TOTAL] + ([] if organisation else [row["group"]])
        for unit in units:
            sums[fieldwork_key(code, unit, "")][0] += row["invited"]
            sums[fieldwork_key(code, unit, "")][1] += responded
    out: dict[str, float] = {}
    for stem, (n_invited, n_responded) in sums.items():
        out[stem + "uitgenodigd"], out[stem + "respons"] = n_invited, n_responded
        if n_invited:
            out[stem + "responspercentage"] = n_responded / n_invited
    return out, []


def _indicators(table: pl.DataFrame, manifest: dict, year: int, questionnaire: str) -> pl.DataFrame:
    """The indicator columns from the manifest's rules, in the manifest's order, after the
    manifest's missing codes are made unknown."""
    view = blank_missing(table, manifest["missing_codes"][str(year)][questionnaire])
    for code, indicator in manifest["indicators"].items():
        if indicator["questionnaire"] != questionnaire or str(year) not in indicator["rules"]:
            continue
        rule = indicator["rules"][str(year)]
        value = to_polars(parse(rule["rule"]))
        if rule["universe"]:
            value = pl.when(to_polars(parse(rule["universe"]))).then(value)
        view = view.with_columns(value.cast(pl.Int32).alias(code))
    return view


def _population(manifest: dict, publication: str, per_value: str | None, national: bool = False) -> pl.Expr:
    spec = manifest["publications"][publication]
    inside = to_polars(parse(spec["population"])).fill_null(False) if spec["population"] else pl.lit(True)
    if per_value and not national:
        inside = inside & (pl.col(spec["per"]) == per_value).fill_null(False)
    return inside


def _shares(frame: pl.DataFrame, codes: list[str], by: str | None) -> dict[tuple[str, str], tuple[float, float, int]]:
    """(indicator, domain) -> (Σwy, Σw, n) over the respondents with a valid value."""
    out = {}
    keys = [pl.lit(TOTAL).alias("_d")] if by is None else [pl.col(by).cast(pl.Utf8).alias("_d")]
    aggregates = []
    for code in codes:
        valid = pl.col(code).is_not_null()
        aggregates += [
            (pl.col("weight") * pl.col(code).fill_null(0)).sum().alias(f"{code}|wy"),
            pl.when(valid).then(pl.col("weight")).otherwise(0.0).sum().alias(f"{code}|w"),
            valid.sum().alias(f"{code}|n"),
        ]
    for row in frame.group_by(keys).agg(aggregates).iter_rows(named=True):
        for code in codes:
            out[(code, row["_d"])] = (row[f"{code}|wy"], row[f"{code}|w"], row[f"{code}|n"])
    return out


def _recompute(tables: dict[tuple[int, str], pl.DataFrame], manifest: dict, cells: dict[str, dict]) -> dict[str, tuple[float | None, int, float]]:
    """Cell key -> (estimate, n, weighted n) recomputed for every published cell."""
    wanted: dict[tuple, list[dict]] = defaultdict(list)
    for row in cells.values():
        if row["estimate"]:
            questionnaire = manifest["indicators"][row["indicator"]]["questionnaire"]
            wanted[(int(row["edition"]), questionnaire, row["publication"], row["per_value"] or None, row["breakdown"])].append(row)
    out = {}
    for (year, questionnaire, publication, per_value, breakdown), rows in wanted.items():
        frame = tables.get((year, questionnaire))
        if frame is None:
            continue
        inside = frame.filter(_population(manifest, publication, per_value))
        sums = _shares(inside, sorted({r["indicator"] for r in rows}), None if breakdown == TOTAL else breakdown)
        for row in rows:
            parts = [sums.get((row["indicator"], d), (0.0, 0.0, 0)) for d in row["domain"].split("+")]
            wy, w, n = (sum(p[i] for p in parts) for i in range(3))
            out[row["key"]] = (wy / w if w > 0 else None, int(n), float(w))
    return out


def _cells(cells: dict[str, dict], recomputed: dict[str, tuple[float | None, int, float]]) -> list[Difference]:
    out = []
    for key, row in cells.items():
        if not row["estimate"]:
            continue
        if key not in recomputed:
            out.append(Difference(f"estimates.csv {key}", "niet na te rekenen: geen invoer voor deze editie en vragenlijst"))
            continue
        estimate, n, w = recomputed[key]
        if estimate is None or abs(float(row["estimate"]) - estimate) > TOLERANCE:
            out.append(Difference(f"estimates.csv {key}", f"gepubliceerd {row['estimate']}, herberekend {estimate}"))
        if int(row["n"]) != n:
            out.append(Difference(f"estimates.csv {key}", f"n gepubliceerd {row['n']}, herberekend {n}"))
        if not math.isclose(float(row["weighted_n"]), w, rel_tol=1e-9):
            out.append(Difference(f"estimates.csv {key}", f"gewogen n gepubliceerd {row['weighted_n']}, herberekend {w}"))
    return out


def _figures(folder: Path, cells: dict[str, dict], recomputed: dict, manifest: dict, tables: dict,
             counts: dict[str, float]) -> list[Difference]:
    """Every <data> figure in the HTML against its recomputed cell, comparison or series value."""
    comparisons = {
        "|".join(["vergelijking", c["publication"], c["per_value"] or "", c["indicator"], c["kind"], c["breakdown"], c["domain"]]): c
        for c in manifest.get("comparisons", [])
    }
    series = {"|".join(["trend", t["publication"], t["per_value"] or "", t["indicator"], str(t["edition"])]): t["estimate"] for t in manifest.get("trend", [])}
    models = {}
    for m in manifest.get("models", []):
        key = "|".join(["model", m["publication"], m["per_value"] or "", m["indicator"]])
        half = 1.96 * m["se"] if m["se"] is not None else None
        models |= {f"{key}|estimate": m["estimate"]} | ({f"{key}|low": m["estimate"] - half, f"{key}|high": m["estimate"] + half} if half is not None else {})
    wider: dict[str, float | None] = {}
    out = []
    for page in sorted(folder.glob("*.html")):
        for value, key, shown in FIGURE.findall(page.read_text(encoding="utf-8")):
            value = float(value)
            if key.startswith("vergelijking|"):
                expected = _reference(key, comparisons, manifest, tables, wider)
            elif key.startswith("trend|"):
                expected = series.get(key)
            elif key.startswith("model|"):  # model-based (Fay-Herriot): checked against the manifest's models
                expected = models.get(key)
            elif key.startswith("veldwerk|"):
                expected = counts.get(key)
            else:
                expected = recomputed.get(key, (None,))[0]
            if expected is None or abs(expected - value) > TOLERANCE:
                out.append(Difference(f"{page.name} {key}", f"toont {value!r}, herberekend {expected!r}"))
            elif shown not in (percent(value), percent(value, 1)):
                out.append(Difference(f"{page.name} {key}", f"toont {shown!r} voor {value!r}"))
        for value, key, shown in COUNT.findall(page.read_text(encoding="utf-8")):
            expected = counts.get(key)
            if expected is None or float(value) != expected:
                out.append(Difference(f"{page.name} {key}", f"toont {value!r}, herberekend {expected!r}"))
            elif shown != number(float(value)):
                out.append(Difference(f"{page.name} {key}", f"toont {shown!r} voor {value!r}"))
    return out


def _reference(key: str, comparisons: dict, manifest: dict, tables: dict, cache: dict) -> float | None:
    """The wider population's figure a comparison quotes (all office holders, the nation)."""
    if key not in comparisons:
        return None
    if key not in cache:
        c = comparisons[key]
        indicator = manifest["indicators"][c["indicator"]]
        year = int(manifest["edition"])
        frame = tables.get((year, indicator["questionnaire"]))
        if frame is None:
            return None
        if c["kind"] == Comparison.PROVINCE_VS_NATIONAL.value:
            frame = frame.filter(_population(manifest, c["publication"], c["per_value"], national=True))
        wy, w, _ = _shares(frame, [c["indicator"]], None).get((c["indicator"], TOTAL), (0.0, 0.0, 0))
        recomputed = wy / w if w > 0 else None
        cache[key] = recomputed if recomputed is not None and abs(recomputed - c["reference_estimate"]) <= TOLERANCE else None
    return cache[key]
