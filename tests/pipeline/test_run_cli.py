"""`miv run` end to end on files: the same figures as the pipeline on the same tables, every
input hashed in the manifest, and a rejected file stopping the edition with a Dutch message."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from miv import demo
from miv.cli import app
from miv.pipeline import run

runner = CliRunner()


@pytest.fixture(scope="module")
def delivered(monitor, tmp_path_factory) -> dict[int, dict[str, Path]]:
    """Demo tables as a bureau would deliver them: one .sav for 2024's office holders, Parquet for the rest."""
    folder = tmp_path_factory.mktemp("levering")
    demo.write_data(monitor, folder, 7)
    files = {}
    for year in (2022, 2024):
        for path in (folder / str(year) / "data").glob("*.parquet"):
            sav = path.with_suffix(".sav")
            files.setdefault(year, {})[path.stem] = sav if (year, path.stem) == (2024, "ambtsdragers") else path
    return files


def _args(delivered: dict, out: Path) -> list[str]:
    args = ["run", "--edition", "2024", "--out", str(out), "--no-pdf"]
    for path in delivered[2024].values():
        args += ["--data", str(path)]
    for path in delivered[2022].values():
        args += ["--previous", str(path)]
    return args


def test_run_publishes_the_pipelines_figures_from_files(monitor, editions, delivered, tmp_path):
    result = runner.invoke(app, _args(delivered, tmp_path))
    assert result.exit_code == 0, result.output
    assert "Kerncijfers 2024" in result.output
    folder = tmp_path / "2024"
    published = pl.read_csv(folder / "estimates.csv")
    serial = run(monitor, 2024, editions[2024], editions[2022])
    expected = serial.estimates
    keys = ["publication", "per_value", "indicator", "breakdown", "domain", "edition"]
    joined = published.select([*keys, "estimate"]).join(expected.select([*keys, "estimate"]), on=keys, how="inner",
                                                        nulls_equal=True, suffix="_pipeline")
    shown = published["estimate"].drop_nulls().len()
    assert joined.height >= shown > 100
    both = joined.drop_nulls(["estimate"])
    assert (both["estimate"] - both["estimate_pipeline"]).abs().max() < 1e-9
    # the previous edition is estimated in a worker process: its comparisons are the serial run's
    tests = serial.comparisons.filter(pl.col("kind") == "previous_edition")
    changed = published.filter(pl.col("change_p_value").is_not_null() & (pl.col("edition") == 2024))
    matched = changed.join(tests.select([*keys[:-1], "p_value"]), on=keys[:-1], how="inner", nulls_equal=True)
    pooled = changed.filter(pl.col("domain").str.contains("+", literal=True))  # groups the publication pools, tested there
    assert matched.height == changed.height - pooled.height > 50
    assert (matched["change_p_value"] - matched["p_value"]).abs().max() < 1e-9
    inputs = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["inputs"]
    for year in (2022, 2024):
        for path in delivered[year].values():
            assert inputs[f"{year}/{path.name}"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (folder / "validatie" / "ambtsdragers.validatie.json").is_file()
    assert (folder / "rapport-veiligheid.html").is_file() and not list(folder.glob("*.pdf"))


def test_a_rejected_file_stops_the_edition_with_its_report(delivered, tmp_path):
    bad = tmp_path / "medewerkers.parquet"
    pl.read_parquet(delivered[2024]["medewerkers"]).with_columns(pl.lit(9, dtype=pl.Int32).alias("AG_VERBAAL")).write_parquet(bad)
    files = {**delivered, 2024: {**delivered[2024], "medewerkers": bad}}
    result = runner.invoke(app, _args(files, tmp_path / "out"))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "Fout:" in result.stderr and "medewerkers.parquet is afgekeurd" in "".join(result.stderr.split("\n"))
    assert (tmp_path / "out" / "2024" / "validatie" / "medewerkers.validatie.txt").is_file()
    assert not (tmp_path / "out" / "2024" / "estimates.csv").exists()


def test_an_unknown_edition_is_named(delivered, tmp_path):
    result = runner.invoke(app, ["run", "--edition", "2031", "--data", str(delivered[2024]["medewerkers"]), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Fout: editie 2031 staat niet in de definitie; bekend: 2022, 2024")
