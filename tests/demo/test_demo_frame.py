"""The population frames hold the docs/domain.md totals and are what scripts/make_frames.py
derives; demo respondents come only from strata of the frame and never outnumber them."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import polars as pl
import yaml

from miv import demo
from miv.definition import DEFAULT_ROOT, Monitor, Unit

from .conftest import STRATUM_KEYS, frame_table

SCRIPT = DEFAULT_ROOT.parent / "scripts" / "make_frames.py"

# docs/domain.md, table "Groups": 2024 counts; 2022 differs in municipalities (344) and in
# Statenleden (570 seats elected in 2019; 572 from the 2023 elections).
TOTALS = {
    "burgemeester": {2022: 344, 2024: 342},
    "wethouder": 1450,
    "raadslid": 8500,
    "cdk": 12,
    "gedeputeerde": 75,
    "statenlid": {2022: 570, 2024: 572},
    "dijkgraaf": 21,
    "db-lid": 100,
    "ab-lid": 600,
    "medewerker-gemeente": 190_000,
    "medewerker-provincie": 14_000,
    "medewerker-waterschap": 12_000,
}
APPROXIMATE = {"wethouder", "raadslid", "gedeputeerde", "db-lid", "ab-lid", "medewerker-gemeente", "medewerker-provincie", "medewerker-waterschap"}


def test_group_totals_are_those_of_domain(monitor: Monitor) -> None:
    for year in (2022, 2024):
        totals = dict(frame_table(monitor, year).group_by("group").agg(pl.col("N").sum()).iter_rows())
        expected = {group: n[year] if isinstance(n, dict) else n for group, n in TOTALS.items()}
        assert totals == expected, year


def test_frame_says_which_totals_are_approximate_and_where_counts_come_from(monitor: Monitor) -> None:
    for year, edition in monitor.editions.items():
        assert set(edition.frame.approximate) == APPROXIMATE
        assert set(edition.frame.sources) == set(TOTALS)


def test_women_share_is_plausible_per_group(monitor: Monitor) -> None:
    for year in (2022, 2024):
        frame = frame_table(monitor, year)
        shares = frame.group_by("group").agg((pl.col("N").filter(pl.col("gender") == "vrouw").sum() / pl.col("N").sum()).alias("women"))
        for group, women in shares.iter_rows():
            low, high = (0.45, 0.60) if group.startswith("medewerker-g") else (0.15, 0.60)
            assert low <= women <= high, (year, group, women)


def test_committed_frames_are_what_the_script_derives(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_frames", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    for year in (2022, 2024):
        folder = DEFAULT_ROOT / "editions" / str(year)
        with (folder / "frame.csv").open(encoding="utf-8", newline="") as handle:
            committed = [{**row, "population": int(row["population"])} for row in csv.DictReader(handle)]
        assert committed == script.frame(year)
        assert yaml.safe_load(script.metadata(year)) == yaml.safe_load((folder / "frame.yaml").read_text(encoding="utf-8"))


def test_respondents_come_from_frame_strata_and_never_outnumber_them(monitor: Monitor, demo_tables: list[demo.DemoTable]) -> None:
    for t in demo_tables:
        if t.questionnaire.unit is not Unit.RESPONDENT:
            continue
        frame = frame_table(monitor, t.edition)
        counts = t.data.group_by(STRATUM_KEYS).len("n").join(frame, on=STRATUM_KEYS, how="left", nulls_equal=True)
        assert counts["N"].null_count() == 0, counts.filter(pl.col("N").is_null())
        assert (counts["n"] <= counts["N"]).all()


def test_organisations_never_outnumber_the_layer(monitor: Monitor, demo_tables: list[demo.DemoTable]) -> None:
    chairs = {g.code: g.layer for g in monitor.structure.groups if g.chair}
    for t in demo_tables:
        if t.questionnaire.unit != "organisation":
            continue
        frame = frame_table(monitor, t.edition).filter(pl.col("group").is_in(list(chairs)))
        organisations = frame.with_columns(layer=pl.col("group").replace_strict(chairs)).group_by("layer", "province", "size_class").agg(pl.col("N").sum())
        counts = t.data.group_by("layer", "province", "size_class").len("n")
        joined = counts.join(organisations, on=["layer", "province", "size_class"], how="left", nulls_equal=True)
        assert joined["N"].null_count() == 0
        assert (joined["n"] <= joined["N"]).all()
        per_layer = dict(t.data.group_by("layer").len().iter_rows())
        layers = {layer.code: layer.organisations for layer in monitor.structure.layers}
        assert all(n <= layers[layer] for layer, n in per_layer.items())


def test_response_differs_by_stratum(monitor: Monitor, demo_tables: list[demo.DemoTable]) -> None:
    """Unequal response is what makes weighting matter: burgemeesters respond far more
    than raadsleden, women more than men."""
    data = next(t.data for t in demo_tables if t.edition == 2024 and t.questionnaire.code == "ambtsdragers")
    frame = frame_table(monitor, 2024)

    def rate(**where: str) -> float:
        rule = pl.all_horizontal(pl.col(column) == value for column, value in where.items())
        return data.filter(rule).height / frame.filter(rule)["N"].sum()

    assert rate(group="burgemeester") > 1.8 * rate(group="raadslid")
    assert rate(group="raadslid", gender="vrouw") > 1.1 * rate(group="raadslid", gender="man")
