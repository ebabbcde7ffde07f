"""`miv definition check`, run in-process with typer's CliRunner."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from miv.cli import app

from .conftest import Edit

runner = CliRunner()


def test_check_passes_on_the_real_definition() -> None:
    result = runner.invoke(app, ["definition", "check"])
    assert result.exit_code == 0, result.output
    assert "✓ 2022: 3 vragenlijsten" in result.stdout
    assert "✓ 2024: 3 vragenlijsten" in result.stdout
    assert "publicaties: definitie 2024.1 is geldig" in result.stdout


def test_check_fails_with_every_located_problem(copy: Path, edit: Edit) -> None:
    edit("editions/2024/questionnaires/ambtsdragers.yaml", "        scale: ernst\n", "        scael: ernst\n")
    edit("publications.yaml", "chart: trend", "chart: lijn")
    result = runner.invoke(app, ["definition", "check", "--definition", str(copy)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "✗ monitor/editions/2024/questionnaires/ambtsdragers.yaml: pages[1] (agressie).items[12] (AG_ERNST).scael: "
        "onbekend veld (controleer de spelling met docs/definition.md)",
        "✗ monitor/publications.yaml: publications[0] (rapport-veiligheid).sections[1].chart: "
        "verwacht een van 'bars', 'trend' of 'groups' (gevonden: 'lijn')",
        f"Fout: de definitie in {copy} heeft 2 problemen",
    ]


def test_check_shows_messages_with_brackets_literally(copy: Path, edit: Edit) -> None:
    """Messages hold [..] (paths, examples); the terminal must not take them for markup."""
    edit("editions/2024/edition.yaml", "questionnaires: [ambtsdragers, medewerkers, organisaties]", "questionnaires: ambtsdragers")
    edit("indicators.yaml", "rule: AG_STALKING == 1", "rule: AG_STALKIN == 1")
    result = runner.invoke(app, ["definition", "check", "--definition", str(copy)])
    assert result.exit_code == 1
    assert (
        "✗ monitor/editions/2024/edition.yaml: questionnaires: verwacht een lijst van vragenlijstcodes, "
        "bijvoorbeeld [ambtsdragers] (gevonden: 'ambtsdragers')"
    ) in result.stderr.splitlines()
