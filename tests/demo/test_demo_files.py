"""`miv demo` writes every table as Parquet and as labelled SPSS; both read back with
the same values and say they are synthetic."""

from __future__ import annotations

import html
import json
from pathlib import Path

import openpyxl
import polars as pl
import pyarrow.parquet as pq
import pyreadstat
import pytest
from polars.testing import assert_frame_equal
from typer.testing import CliRunner

from miv import demo
from miv.cli import app
from miv.definition import ItemType, load, variables


@pytest.fixture(scope="module")
def written(demo_tables: list[demo.DemoTable], tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[int, str], list[Path]]:
    out = tmp_path_factory.mktemp("demo")
    return {(t.edition, t.questionnaire.code): demo.write_table(t, out / str(t.edition) / "data", demo.DEFAULT_SEED) for t in demo_tables}


def test_parquet_reads_back_identical_and_marked_synthetic(demo_tables: list[demo.DemoTable], written: dict) -> None:
    for t in demo_tables:
        parquet = written[(t.edition, t.questionnaire.code)][0]
        assert parquet.name == f"{t.questionnaire.code}.parquet" and parquet.parent.parts[-2:] == (str(t.edition), "data")
        assert_frame_equal(pl.read_parquet(parquet), t.data)
        metadata = pq.read_metadata(parquet).metadata
        assert metadata[b"miv.synthetic"] == b"true"
        assert b"SYNTHETISCHE DEMODATA" in metadata[b"miv.note"]


def test_sav_reads_back_with_labels_and_user_missing_codes(demo_tables: list[demo.DemoTable], written: dict) -> None:
    t = next(t for t in demo_tables if t.edition == 2024 and t.questionnaire.code == "ambtsdragers")
    sav = written[(2024, "ambtsdragers")][1]
    data, meta = pyreadstat.read_sav(str(sav), output_format="polars", user_missing=True)
    assert meta.file_label.startswith("SYNTHETISCHE DEMODATA")
    assert any("SYNTHETISCHE DEMODATA" in note for note in meta.notes)
    assert data.columns == t.data.columns and data.height == t.data.height
    labels = meta.column_names_to_labels
    assert labels["group"] == "Doelgroep"
    assert labels["AG_VERBAAL"].startswith("Bent u in de afgelopen 12 maanden uitgescholden")
    assert "Op mijn geslacht of gender" in labels["AG_GERICHT_2"]
    assert meta.variable_value_labels["AG_VERBAAL"] == {1: "Ja", 2: "Nee", 99: "Wil ik niet zeggen", -1: "Niet van toepassing (routering)"}
    assert meta.variable_value_labels["INT_BELANG"][98] == "Weet niet"
    assert meta.variable_value_labels["AG_GERICHT_2"][1] == "Gekozen"
    assert {(r["lo"], r["hi"]) for r in meta.missing_ranges["INT_BELANG"]} == {(-1, -1), (98, 98), (99, 99)}
    for name, item in variables(t.questionnaire).items():
        if item.type is not ItemType.TEXT:
            assert data[name].cast(pl.Float64).equals(t.data[name].cast(pl.Float64)), name


def test_every_table_gets_a_sav_file(written: dict) -> None:
    for (year, code), (_, sav) in written.items():
        data, meta = pyreadstat.read_sav(str(sav), metadataonly=True)
        assert meta.file_label == f"SYNTHETISCHE DEMODATA {year} {code}"
        assert meta.number_rows > 0


@pytest.mark.slow
def test_miv_demo_runs_the_whole_chain_and_prints_the_counts(demo_run: tuple[Path, str]) -> None:
    tmp_path, output = demo_run
    for year in ("2022", "2024"):
        for code in ("ambtsdragers", "medewerkers", "organisaties"):
            assert (tmp_path / year / "data" / f"{code}.parquet").is_file()
            assert (tmp_path / year / "data" / f"{code}.sav").is_file()
            assert (tmp_path / year / "validatie" / f"{code}.validatie.json").is_file()
        for name in ("rapport-veiligheid.html", "factsheet-burgemeesters.html", "kerncijfers.md", "tabellen.xlsx",
                     "estimates.csv", "manifest.json"):
            assert (tmp_path / year / name).is_file(), (year, name)
    assert "SYNTHETISCHE DEMODATA" in output
    assert "burgemeesters" in output and "organisaties: gemeenten" in output
    assert "Kerncijfers 2024" in output
    for year in ("2022", "2024"):  # each edition's validation reports in its own folder
        report = json.loads((tmp_path / year / "validatie" / "ambtsdragers.validatie.json").read_text(encoding="utf-8"))
        assert str(report["editie"]) == year
    for page in (tmp_path / "2024").glob("*.html"):
        assert demo.PUBLICATION_NOTICE in html.unescape(page.read_text(encoding="utf-8")), page.name
    assert demo.PUBLICATION_NOTICE in (tmp_path / "2024" / "kerncijfers.md").read_text(encoding="utf-8")
    assert json.loads((tmp_path / "2024" / "manifest.json").read_text(encoding="utf-8"))["notice"] == demo.PUBLICATION_NOTICE
    about = openpyxl.load_workbook(tmp_path / "2024" / "tabellen.xlsx")["Toelichting"]
    assert demo.PUBLICATION_NOTICE in [row[0] for row in about.iter_rows(values_only=True)]
    monitor = load()
    written = pl.read_parquet(tmp_path / "2024" / "data" / "medewerkers.parquet")
    assert written.equals(demo.generate(monitor, 5)[(2024, "medewerkers")])


def test_miv_demo_says_so_when_it_cannot_write(tmp_path: Path) -> None:
    blocked = tmp_path / "bestand"
    blocked.write_text("geen map", encoding="utf-8")
    result = CliRunner().invoke(app, ["demo", "--out", str(blocked)])
    assert result.exit_code == 1
    assert "kan de demodata niet schrijven naar" in result.output
    assert blocked.read_text(encoding="utf-8") == "geen map"
