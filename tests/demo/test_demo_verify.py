"""`miv verify` recomputes every figure of the demo's publications from the data files and
the manifest: it passes on what `miv demo` wrote and names each figure someone altered."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

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


@pytest.mark.slow
def test_verify_names_an_altered_figure_in_a_publication(copy: Path) -> None:
    page = copy / "2024" / "factsheet-burgemeesters.html"
    text = page.read_text(encoding="utf-8")
    value, key, shown = FIGURE.search(text).groups()
    altered = f'<data class="miv-cijfer" value="{float(value) + 0.01!r}" data-cell="{key}">{shown}</data>'
    page.write_text(text.replace(FIGURE.search(text).group(0), altered, 1), encoding="utf-8")
    result = CliRunner().invoke(app, ["verify", str(copy / "2024")])
    assert result.exit_code == 1
    assert f"factsheet-burgemeesters.html {key}: toont" in result.output
    assert "factsheet-burgemeesters.html: bestand is veranderd" in result.output


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
