"""`miv import` and `miv export`, run in-process: exit codes, Dutch messages, files on disk."""

from __future__ import annotations

import polars as pl
import pyreadstat
from typer.testing import CliRunner

from intake_support import DEFINITION
from miv.cli import app

runner = CliRunner()


class _Result:
    """The run's result; `says` matches a message whatever Rich's line wrapping did to it."""

    def __init__(self, result) -> None:
        self.exit_code, self.exception, self.output = result.exit_code, result.exception, result.output

    def says(self, text: str) -> bool:
        return "".join(text.split()) in "".join(self.output.split())


def _run(*args: str) -> _Result:
    return _Result(runner.invoke(app, [*args, "--definition", str(DEFINITION)]))


def test_import_then_export_every_format(tmp_path, valid):
    source = tmp_path / "levering.csv"
    valid.drop("edition", "questionnaire", "layer", "role").write_csv(source, separator=";")
    data = tmp_path / "data"
    result = _run("import", str(source), "--edition", "2024", "--out", str(data))
    assert result.exit_code == 0, result.output
    assert result.says("120 respondenten opgeslagen")
    assert pl.read_parquet(data / "2024" / "ambtsdragers.parquet").equals(valid)
    assert (data / "2024" / "ambtsdragers.validatie.json").is_file()
    for fmt, name in (("sav", "t.sav"), ("parquet", "t.parquet"), ("public", "publiek.sav")):
        result = _run("export", "--edition", "2024", "--format", fmt, "--out", str(tmp_path / name), "--data", str(data))
        assert result.exit_code == 0, result.output
    frame, _ = pyreadstat.read_sav(str(tmp_path / "t.sav"), output_format="polars")
    assert frame.height == 120
    assert pl.read_parquet(tmp_path / "t.parquet").equals(valid)


def test_rejected_import_keeps_the_accepted_table(tmp_path, valid):
    data = tmp_path / "data"
    good = tmp_path / "goed.parquet"
    valid.write_parquet(good)
    assert _run("import", str(good), "--edition", "2024", "--out", str(data)).exit_code == 0
    bad = tmp_path / "fout.parquet"
    valid.with_columns(pl.lit(7, dtype=pl.Int32).alias("INT_BELANG")).write_parquet(bad)
    result = _run("import", str(bad), "--edition", "2024", "--out", str(data))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.says("Fout:") and result.says("fout.parquet is afgekeurd: 120 fouten")
    assert "Traceback" not in result.output
    assert pl.read_parquet(data / "2024" / "ambtsdragers.parquet").equals(valid)
    assert "120x" in (data / "2024" / "ambtsdragers.validatie.txt").read_text(encoding="utf-8")


def test_unreadable_file_and_missing_data_exit_1_without_traceback(tmp_path):
    broken = tmp_path / "kapot.sav"
    broken.write_bytes(b"$FL2@(#) SPSS DATA FILE" + b"\x00" * 40)
    for args in (
        ("import", str(broken), "--edition", "2024", "--out", str(tmp_path)),
        ("import", str(tmp_path / "weg.csv"), "--edition", "2024", "--out", str(tmp_path)),
        ("export", "--edition", "2024", "--format", "sav", "--out", str(tmp_path / "x.sav"), "--data", str(tmp_path / "leeg")),
        ("export", "--edition", "2024", "--format", "stata", "--out", str(tmp_path / "x.dta"), "--data", str(tmp_path)),
    ):
        result = _run(*args)
        assert result.exit_code == 1, result.output
        assert isinstance(result.exception, SystemExit)
        assert "Fout:" in result.output and "Traceback" not in result.output
    assert _run("import", str(broken), "--edition", "2024", "--out", str(tmp_path)).says("kapot.sav: geen leesbaar SPSS-bestand")


def test_markup_in_file_names_and_cells_is_printed_as_text(tmp_path, valid):
    """A cell holding `[/b]` used to crash the CLI with Rich's MarkupError."""
    frame = valid.drop("edition", "questionnaire", "layer", "role").with_columns(pl.col(pl.Int32).cast(pl.Utf8))
    frame = frame.with_columns(pl.when(pl.col("respondent_id") == "R2024-00004").then(pl.lit("[/b]")).otherwise(pl.col("AG_VERBAAL")).alias("AG_VERBAAL"))
    source = tmp_path / "levering[bold].csv"
    source.write_text(frame.write_csv(separator=";"), encoding="utf-8")
    result = _run("import", str(source), "--edition", "2024", "--out", str(tmp_path / "data"))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    assert result.says("rij 6, respondent R2024-00004, variabele AG_VERBAAL: verwacht een geheel getal (antwoordcode), gevonden [/b]")
    assert result.says("levering[bold].csv is afgekeurd")
    good = tmp_path / "goed[red].csv"
    good.write_text(valid.drop("edition", "questionnaire", "layer", "role").write_csv(separator=";"), encoding="utf-8")
    result = _run("import", str(good), "--edition", "2024", "--out", str(tmp_path / "data[i]"))
    assert result.exit_code == 0, result.output
    assert result.says(f"120 respondenten opgeslagen in {tmp_path / 'data[i]' / '2024' / 'ambtsdragers.parquet'}")
