"""`miv verify` recomputes every figure of the demo's publications from the data files and
the manifest: it passes on what `miv demo` wrote and names each figure someone altered."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from miv.cli import app
from miv.definition import load
from miv.publish.manifest import sha256
from miv.pipeline.verify import FIGURE, verify


@pytest.fixture()
def copy(demo_run: tuple[Path, str], tmp_path: Path) -> Path:
    out, _ = demo_run
    shutil.copytree(out, tmp_path / "uit")
    return tmp_path / "uit"


@pytest.mark.slow
def test_verify_passes_on_the_demo_output(demo_run: tuple[Path, str]) -> None:
    out, _ = demo_run
    for year in ("2022", "2024"):
        result = CliRunner().invoke(app, ["verify", str(out / year)])
        assert result.exit_code == 0, result.output
        assert "geen verschillen" in result.output


def _alter_html(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    match = next(m for m in FIGURE.finditer(text) if not m.group(2).startswith(("vergelijking|", "trend|", "model|")))
    value, key, shown = match.groups()
    path.write_text(text.replace(match.group(0), f'<data class="miv-cijfer" value="{float(value) + 0.01!r}" data-cell="{key}">{shown}</data>', 1), encoding="utf-8")
    return key


def _alter_csv(path: Path, column: str, step: float) -> str:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    row = next(r for r in rows if r[column])
    row[column] = repr(float(row[column]) + step)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return row["sleutel"]


def _alter_workbook(path: Path) -> str:
    book = openpyxl.load_workbook(path)
    sheet = book["rapport-veiligheid"]
    header = next(r for r in sheet.iter_rows() if any(c.value == "Sleutel" for c in r))
    columns = {c.value: c.column for c in header}
    row = next(r for r in sheet.iter_rows(min_row=header[0].row + 1) if r[columns["Percentage"] - 1].value is not None)
    row[columns["Percentage"] - 1].value += 0.01
    book.save(path)
    return row[columns["Sleutel"] - 1].value


ALTERATIONS = {  # output -> how one of its figures is changed; returns the figure's key
    "rapport-veiligheid.html": lambda folder: _alter_html(folder / "rapport-veiligheid.html"),
    "kerncijfers.html": lambda folder: _alter_html(folder / "kerncijfers.html"),
    "verkenner/agressie_totaal/kerncijfers.html": lambda folder: _alter_html(folder / "verkenner" / "agressie_totaal" / "kerncijfers.html"),
    "open-data/cijfers.csv": lambda folder: _alter_csv(folder / "open-data" / "cijfers.csv", "aandeel", 0.01),
    "verkenner/agressie_totaal/kerncijfers.csv": lambda folder: _alter_csv(folder / "verkenner" / "agressie_totaal" / "kerncijfers.csv", "percentage", 1.0),
    "tabellen.xlsx [rapport-veiligheid]": lambda folder: _alter_workbook(folder / "tabellen.xlsx"),
}


@pytest.mark.slow
def test_verify_names_an_altered_figure_in_every_kind_of_output(copy: Path) -> None:
    """One figure changed in a copy of each of a report, the key figures, an explorer page,
    the open data, an explorer download and the workbook (one verify run for all six):
    verify names each output and the figure's key."""
    keys = {output: alter(copy / "2024") for output, alter in ALTERATIONS.items()}
    result = CliRunner().invoke(app, ["verify", str(copy / "2024")])
    assert result.exit_code == 1
    printed = " ".join(result.output.split())
    for output, key in keys.items():
        assert f"{output} {key}: toont" in printed, (output, result.output)
    assert "rapport-veiligheid.html: bestand is veranderd" in printed  # and the hash says so too


@pytest.mark.slow
def test_verify_recomputes_the_table_and_the_weights(copy: Path) -> None:
    """A cell changed in estimates.csv, or one weight changed, is found by recomputation, not
    only by the hash: the hashes are put right so only the figures can tell."""
    table = copy / "2024" / "estimates.csv"
    with table.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    target = next(r for r in rows if r["key"] == "rapport-veiligheid||agressie_totaal|totaal|totaal|2024")
    target["estimate"] = repr(float(target["estimate"]) + 0.002)
    with table.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    weights = copy / "2024" / "gewichten.csv"
    lines = weights.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("2024,ambtsdragers,"))
    *head, weight = lines[first].split(",")
    lines[first] = ",".join([*head, repr(float(weight) * 3)])
    weights.write_text("\n".join(lines) + "\n", encoding="utf-8")
    manifest = copy / "2024" / "manifest.json"
    text = manifest.read_text(encoding="utf-8")
    for path in (table, weights):
        text = re.sub(rf'("{path.name}": )"[0-9a-f]{{64}}"', rf'\1"{sha256(path)}"', text)
    manifest.write_text(text, encoding="utf-8")
    differences = [str(d) for d in verify(copy / "2024", load())]
    assert any(d.startswith("estimates.csv rapport-veiligheid||agressie_totaal|totaal|totaal|2024: gepubliceerd") for d in differences)
    assert any("gewogen n gepubliceerd" in d for d in differences)
    assert not any("sha256" in d for d in differences)


def test_verify_says_when_there_is_nothing_to_verify(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["verify", str(tmp_path)])
    assert result.exit_code == 1
    assert "geen publicaties om na te rekenen (manifest.json ontbreekt)" in result.output
