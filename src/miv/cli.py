"""The `miv` command: a thin layer over the library, one short function per command."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from miv import definition

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
