"""The `miv` command: a thin layer over the library, one short function per command."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from miv import definition, demo

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


# --- miv demo: synthetic demo data (miv.demo) -----------------------------------------


@app.command("demo")
def demo_command(
    out: Path = typer.Option(Path("out"), "--out", help="Map voor de uitvoer; per editie komen de bestanden in <map>/<editie>/data/."),
    seed: int = typer.Option(demo.DEFAULT_SEED, "--seed", help="Startgetal van het toeval: dezelfde seed geeft dezelfde demodata."),
    root: Path = DefinitionRoot,
) -> None:
    """Maak synthetische demodata voor elke editie en schrijf ze als .parquet en .sav."""
    monitor = load_definition(root)
    made = []
    with Progress(*Progress.get_default_columns(), console=console, transient=True) as progress:
        task = progress.add_task("Demodata maken", total=sum(len(e.questionnaires) for e in monitor.editions.values()))
        try:
            for table in demo.tables(monitor, seed):
                demo.write_table(table, out / str(table.edition) / "data", seed)
                made.append(table)
                progress.advance(task)
        except demo.DemoError as exc:
            raise fail(str(exc)) from None
        except OSError as exc:
            where = exc.filename or out
            raise fail(f"kan de demodata niet schrijven naar {where}: verwacht een map waarin geschreven mag worden ({exc.strerror})") from None
    console.print(_counts_table(demo.counts(made, monitor.structure), f"Demodata: respondenten (seed {seed})"))
    console.print(f"Geschreven naar {out}/<editie>/data/ (.parquet en .sav).")
    console.print("[bold yellow]Let op:[/] dit zijn SYNTHETISCHE DEMODATA, geen echte respondenten.")


def _counts_table(counts: pl.DataFrame, title: str) -> Table:
    table = Table(title=title, caption="SYNTHETISCHE DEMODATA")
    for n, column in enumerate(counts.columns):
        table.add_column(column, justify="left" if n == 0 else "right")
    for row in counts.iter_rows():
        table.add_row(*(f"{v:,}".replace(",", ".") if isinstance(v, int) else v for v in row))
    return table
