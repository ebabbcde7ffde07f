"""The `miv` command: a thin layer over the library, one short function per command."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from miv import definition, intake

app = typer.Typer(help="Monitor Integriteit en Veiligheid.", no_args_is_help=True, pretty_exceptions_enable=False)
definition_app = typer.Typer(help="The Monitor's definition (monitor/).", no_args_is_help=True)
app.add_typer(definition_app, name="definition")

console = Console()
errors = Console(stderr=True)

DefinitionRoot = typer.Option(definition.DEFAULT_ROOT, "--definition", help="Folder of the Monitor's definition.")


def fail(message: str) -> typer.Exit:
    """Show a user's error without a traceback; exit code 1."""
    errors.print(f"[bold red]Fout:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


def load_definition(root: Path) -> definition.Monitor:
    try:
        return definition.load(root)
    except definition.DefinitionError as exc:
        for problem in exc.problems:
            errors.print(f"[red]✗[/] {escape(str(problem))}", highlight=False, soft_wrap=True)
        count = len(exc.problems)
        raise fail(f"de definitie in {root} heeft {count} {'probleem' if count == 1 else 'problemen'}") from None


@definition_app.command("check")
def definition_check(root: Path = DefinitionRoot) -> None:
    """Load the definition and run every check on it."""
    monitor = load_definition(root)
    for year, edition in monitor.editions.items():
        items = sum(len(q.items) for q in edition.questionnaires.values())
        strata = len(edition.frame.strata)
        console.print(f"[green]✓[/] {year}: {len(edition.questionnaires)} vragenlijsten, {items} vragen, {strata} strata in het steekproefkader")
    console.print(f"[green]✓[/] {len(monitor.indicators)} indicatoren, {len(monitor.publications)} publicaties: definitie {monitor.version} is geldig")


# --- intake: survey files in, respondent tables out (docs/intake.md) ---------------------

DataDir = typer.Option(intake.DEFAULT_DATA, "--data", help="Map waarin 'miv import' de respondenttabellen bewaart.")


@app.command("import")
def import_file(
    file: Path,
    edition: int = typer.Option(..., "--edition", help="Editie, bijvoorbeeld 2024."),
    questionnaire: str | None = typer.Option(None, "--questionnaire", help="Vragenlijst; standaard afgeleid uit het bestand."),
    mapping: Path | None = typer.Option(None, "--mapping", help="Mappingbestand (YAML) met hernoemingen en hercoderingen."),
    out: Path = typer.Option(intake.DEFAULT_DATA, "--out", help="Datamap; de tabel komt in <map>/<editie>/<vragenlijst>.parquet."),
    root: Path = DefinitionRoot,
) -> None:
    """Read a survey file, validate it and keep the respondent table when it has no errors."""
    monitor = load_definition(root)
    try:
        with console.status(f"{file} inlezen en controleren…"):
            table, report = intake.read_responses(file, monitor, edition, questionnaire, mapping)
        text = intake.save(table, report, out)
    except intake.IntakeError as exc:
        raise fail(str(exc)) from None
    console.print(report.to_text(limit=5), highlight=False, soft_wrap=True)
    if not report.ok:
        raise fail(f"{file} is afgekeurd: {report.errors} fouten; het volledige rapport staat in {text} en {text.with_suffix('.json')}")
    console.print(f"[green]✓[/] {report.respondents} respondenten opgeslagen in {intake.table_path(out, edition, report.questionnaire)}", highlight=False)


@app.command("export")
def export_table(
    edition: int = typer.Option(..., "--edition", help="Editie, bijvoorbeeld 2024."),
    format: str = typer.Option(..., "--format", help="sav, parquet of public (publieksbestand zonder directe identificatie)."),
    out: Path = typer.Option(..., "--out", help="Bestand dat geschreven wordt."),
    questionnaire: str = typer.Option("ambtsdragers", "--questionnaire", help="Vragenlijst."),
    data: Path = DataDir,
    root: Path = DefinitionRoot,
) -> None:
    """Write an imported respondent table as .sav, .parquet or a public-use file."""
    monitor = load_definition(root)
    try:
        path = intake.export(data, monitor, edition, questionnaire, format, out)
    except intake.IntakeError as exc:
        raise fail(str(exc)) from None
    console.print(f"[green]✓[/] {path} geschreven", highlight=False)
