"""The `miv` command: a thin layer over the library, one short function per command.

Why this shape: the library is imported inside each command, so `miv --help` answers at once;
every `MivError` a command raises is shown by one handler (`MivGroup`) as a Dutch message with
exit code 1, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from miv.errors import MivError, os_error
from miv.settings import SETTINGS, default

if TYPE_CHECKING:
    import polars as pl
    from rich.progress import Progress
    from rich.table import Table

    from miv import definition, store
    from miv.pipeline import Progress as Step
    from miv.publish import Results

console = Console()
errors = Console(stderr=True)


def show_error(exc: MivError) -> None:
    """A MivError as the terminal shows it: its detail lines, then 'Fout:' and the summary."""
    for line in exc.details:
        errors.print(f"[red]✗[/] {escape(line)}", highlight=False, soft_wrap=True)
    errors.print(f"[bold red]Fout:[/] {escape(exc.summary)}", highlight=False, soft_wrap=True)


class MivGroup(TyperGroup):
    """The root command group; the one place where errors become messages and exit codes."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except MivError as exc:
            show_error(exc)
            raise typer.Exit(code=exc.exit_code) from None
        except OSError as exc:
            show_error(os_error(exc))
            raise typer.Exit(code=1) from None


app = typer.Typer(cls=MivGroup, help="Monitor Integriteit en Veiligheid: vragenlijst, veldwerk, weging, schattingen en publicaties.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
definition_app = typer.Typer(help="De definitie van de Monitor (standaard de meegeleverde; --definition voor een andere map).",
                             no_args_is_help=True)
app.add_typer(definition_app, name="definition")



def option(name: str, **extra: Any) -> Any:
    """The command-line option of a declared setting (miv.settings): its default, flag, environment variable and help."""
    setting = SETTINGS[name]
    return typer.Option(setting.default, *([setting.option] if setting.option else []), envvar=setting.env, help=setting.help, **extra)


DefinitionRoot = option("definition")


def fail(message: str) -> MivError:
    """A user's error for `raise fail(...)`: shown by the handler without a traceback; exit code 1."""
    return MivError(message)


def load_definition(root: Path | None) -> definition.Monitor:
    """The definition in `root`, or the one shipped with miv."""
    from miv import definition

    return definition.load(root)


@definition_app.command("check")
def definition_check(root: Path | None = DefinitionRoot) -> None:
    """Laad de definitie en voer alle controles uit."""
    monitor = load_definition(root)
    for year, edition in monitor.editions.items():
        items = sum(len(q.items) for q in edition.questionnaires.values())
        strata = len(edition.frame.strata)
        console.print(f"[green]✓[/] {year}: {len(edition.questionnaires)} vragenlijsten, {items} vragen, {strata} strata in het steekproefkader")
    console.print(f"[green]✓[/] {len(monitor.indicators)} indicatoren, {len(monitor.publications)} publicaties: definitie {monitor.version} is geldig")


# --- fieldwork: web app, database, staff users ---------------------------------------

db_app = typer.Typer(help="De database (standaard SQLite, PostgreSQL via een URL).", no_args_is_help=True)
users_app = typer.Typer(help="Accounts van medewerkers voor de beheerpagina's.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")

DatabaseUrl = option("database_url")
SecretFile = option("secret_file")
DATA = default("data")


@contextmanager
def database(db: str | None) -> Iterator[store.Database]:
    """The database at `db` (or the default) for one command; its connections close after."""
    from miv import store

    opened = store.Database(db or store.default_url())
    try:
        yield opened
    finally:
        opened.dispose()


@db_app.command("upgrade")
def db_upgrade(db: str | None = DatabaseUrl) -> None:
    """Maak de tabellen aan of breng ze naar de nieuwste versie."""
    from miv import store

    url = db or store.default_url()
    store.upgrade(url)
    console.print(f"[green]✓[/] database bijgewerkt: {url.split('@')[-1]}")


@db_app.command("responses")
def db_responses(
    edition: int = typer.Option(..., "--edition", help="Editie, bijvoorbeeld 2024."),
    questionnaire: str = typer.Option(..., "--questionnaire", help="Vragenlijst, bijvoorbeeld ambtsdragers."),
    out: Path = typer.Option(DATA, "--out", help="Datamap van de intake."),
    db: str | None = DatabaseUrl, root: Path | None = DefinitionRoot,
) -> None:
    """Geef de ingezonden antwoorden van de webenquête aan de intake (zoals 'miv import' dat doet voor een bestand)."""
    from miv import fieldwork, intake

    with database(db) as opened:
        fieldwork_id = fieldwork.find_fieldwork(opened, edition, questionnaire)
        table, report = fieldwork.respondent_table(opened, load_definition(root), fieldwork_id)
        intake.save(table, report, out)
    console.print(report.to_text(limit=5), markup=False, highlight=False, soft_wrap=True)
    if not report.ok:
        raise fail(f"de webresponses zijn afgekeurd: {report.errors} fouten")
    console.print(f"[green]✓[/] {report.respondents} respondenten opgeslagen in {escape(str(intake.table_path(out, edition, questionnaire)))}", highlight=False)


@db_app.command("veldwerk")
def db_fieldwork_account(
    edition: int = typer.Option(..., "--edition", help="Editie, bijvoorbeeld 2024."),
    out: Path = typer.Option(DATA, "--out", help="Datamap; het bestand komt in <map>/<editie>/veldwerk.csv."),
    db: str | None = DatabaseUrl, root: Path | None = DefinitionRoot,
) -> None:
    """Schrijf het veldwerkbestand van de webenquête (veldwerk.csv: aantal uitgenodigden per vragenlijst en doelgroep) voor 'miv run --veldwerk'."""
    from miv import fieldwork
    from miv.intake.fieldwork import write_fieldwork

    monitor = load_definition(root)
    with database(db) as opened:
        rows = fieldwork.fieldwork_account(opened, edition)
    path = write_fieldwork(rows, out / str(edition) / "veldwerk.csv")
    console.print(f"[green]✓[/] {sum(r['invited'] for r in rows)} uitgenodigden in {len(rows)} rijen geschreven naar {escape(str(path))}",
                  highlight=False)
    missing = sorted(set(monitor.editions[edition].questionnaires) - {r["questionnaire"] for r in rows}) if edition in monitor.editions else []
    if missing:
        console.print(f"[yellow]![/] zonder webveldwerk: {', '.join(missing)}; vul hun rijen aan voordat 'miv run --veldwerk' het bestand leest",
                      highlight=False)


@users_app.command("add")
def users_add(
    email: str, name: str = typer.Option(..., "--name", help="Volledige naam."),
    role: str = typer.Option(..., "--role", help="admin (beheerder: accounts en veldwerk), fieldwork (veldwerkmedewerker) of zaken "
                             "(zaakbehandelaar: krijgt daarna een zaakrol met 'miv cases add-member')."),
    db: str | None = DatabaseUrl,
) -> None:
    """Voeg een account toe; het wachtwoord wordt twee keer gevraagd (niet getoond) en als argon2-hash bewaard. Voor rol zaken volgt een eenmalige inschrijfcode voor de tweestapsverificatie."""
    from miv import cases, casework
    from miv.web.accounts import add_user

    if role == casework.CASE_ACCOUNT:
        cases.MasterKey.from_environment()  # the enrolment code needs it: refuse before anything is saved
    password = typer.prompt("Wachtwoord", hide_input=True, confirmation_prompt="Herhaal het wachtwoord")
    with database(db) as opened:
        user = add_user(opened, email, name, role, password)
    console.print(f"[green]✓[/] gebruiker {email} toegevoegd met rol {role}", highlight=False)
    if role == casework.CASE_ACCOUNT:
        with _casework(db, SETTINGS["cases_documents"].read()) as work:
            _show_enrolment_code(email, work.issue_enrolment("beheer", user, *_enrolment_window()))


@users_app.command("enrolment-code")
def users_enrolment_code(
    email: str, by: str = typer.Option(..., "--by", help="Wie dit doet (naam of e-mailadres van de beheerder); staat in het logboek."),
    db: str | None = DatabaseUrl,
) -> None:
    """Geef een zaakbehandelaar een nieuwe eenmalige inschrijfcode voor de tweestapsverificatie; een eerdere code vervalt."""
    from miv import casework

    with _casework(db, SETTINGS["cases_documents"].read()) as work:
        code = work.issue_enrolment(by, casework.account_id(work.db, email), *_enrolment_window())
    _show_enrolment_code(email, code)


def _enrolment_window() -> tuple[datetime, timedelta]:
    return datetime.now(timezone.utc), timedelta(hours=SETTINGS["cases_enrolment_hours"].read())


def _show_enrolment_code(email: str, code: str) -> None:
    hours = SETTINGS["cases_enrolment_hours"].read()
    console.print(f"Inschrijfcode voor {email}: [bold]{code}[/]", highlight=False)
    console.print(f"Geef deze code zelf aan {email}, niet in dezelfde mail als het wachtwoord. Hij werkt één keer, "
                  f"{hours} uur lang, alleen voor dit account, en wordt nergens bewaard; de tweestapspagina vraagt erom "
                  "voordat zij het geheim toont.", highlight=False)


@users_app.command("sign-out")
def users_sign_out(email: str, db: str | None = DatabaseUrl) -> None:
    """Beëindig alle sessies van een account (bijvoorbeeld na verlies van een laptop); opnieuw inloggen blijft mogelijk."""
    from miv.web.accounts import sign_out

    with database(db) as opened:
        count = sign_out(opened, email)
    console.print(f"[green]✓[/] {count} {'sessie' if count == 1 else 'sessies'} van {email} beëindigd", highlight=False)


@app.command("serve")
def serve(
    db: str | None = DatabaseUrl, host: str = option("host"), port: int = option("port"), secret_file: Path = SecretFile,
    root: Path | None = DefinitionRoot, base_url: str = option("base_url"), secure: bool = option("secure"),
    workers: int = option("workers"), session_idle_minutes: int = option("session_idle_minutes", min=1),
    session_hours: int = option("session_hours", min=1),
    forwarded_allow_ips: str = option("forwarded_allow_ips"), contact: str = option("contact"),
    progress_days: int = option("progress_days", min=1),
) -> None:
    """Start de webapp (enquête en beheerpagina's)."""
    import json
    import os

    import uvicorn

    from miv import store
    from miv.definition import DEFAULT_ROOT

    os.environ["MIV_SERVE"] = json.dumps({"db": db or store.default_url(), "secret_file": str(secret_file.resolve()),
                                          "root": str(root or DEFAULT_ROOT), "base_url": base_url, "secure": secure,
                                          "session_idle_minutes": session_idle_minutes, "session_hours": session_hours,
                                          "contact": contact, "progress_days": progress_days})
    console.print(f"[green]✓[/] miv luistert op http://{host}:{port}")
    uvicorn.run("miv.web.serve:app", host=host, port=port, workers=workers, proxy_headers=True, forwarded_allow_ips=forwarded_allow_ips,
                access_log=False, factory=True)


# --- intake: survey files in, respondent tables out (docs/intake.md) ---------------------

DataDir = option("data")


@app.command("import")
def import_file(
    file: Path,
    edition: int = typer.Option(..., "--edition", help="Editie, bijvoorbeeld 2024."),
    questionnaire: str | None = typer.Option(None, "--questionnaire", help="Vragenlijst; standaard afgeleid uit het bestand."),
    mapping: Path | None = typer.Option(None, "--mapping", help="Mappingbestand (YAML) met hernoemingen en hercoderingen."),
    out: Path = typer.Option(DATA, "--out", help="Datamap; de tabel komt in <map>/<editie>/<vragenlijst>.parquet."),
    root: Path | None = DefinitionRoot,
) -> None:
    """Lees een databestand in, controleer het en bewaar de respondenttabel als er geen fouten zijn."""
    from miv import intake

    monitor = load_definition(root)
    with console.status(f"{escape(str(file))} inlezen en controleren…"):
        table, report = intake.read_responses(file, monitor, edition, questionnaire, mapping)
    text = intake.save(table, report, out)
    console.print(report.to_text(limit=5), markup=False, highlight=False, soft_wrap=True)
    if not report.ok:
        raise fail(f"{file} is afgekeurd: {report.errors} fouten; het volledige rapport staat in {text} en {text.with_suffix('.json')}")
    console.print(f"[green]✓[/] {report.respondents} respondenten opgeslagen in {escape(str(intake.table_path(out, edition, report.questionnaire)))}", highlight=False)


@app.command("export")
def export_table(
    edition: int = typer.Option(..., "--edition", help="Editie, bijvoorbeeld 2024."),
    format: str = typer.Option(..., "--format", help="sav, parquet of public (publieksbestand zonder directe identificatie)."),
    out: Path = typer.Option(..., "--out", help="Bestand dat geschreven wordt."),
    questionnaire: str = typer.Option("ambtsdragers", "--questionnaire", help="Vragenlijst."),
    data: Path = DataDir,
    root: Path | None = DefinitionRoot,
) -> None:
    """Schrijf een ingelezen respondenttabel als .sav, .parquet of publieksbestand."""
    from miv import intake

    path = intake.export(data, load_definition(root), edition, questionnaire, format, out)
    console.print(f"[green]✓[/] {escape(str(path))} geschreven", highlight=False)


# --- miv demo and miv run: a whole edition, from files to publications (miv.pipeline) --------



@app.command("demo")
def demo_command(
    out: Path = typer.Option(Path("out"), "--out", help="Map voor de uitvoer: <map>/<editie>/ met publicaties, data en validatie."),
    seed: int = option("demo_seed"),
    pdf: bool = typer.Option(True, "--pdf/--no-pdf", help="Ook PDF's maken (het langzaamste deel)."),
    root: Path | None = DefinitionRoot,
) -> None:
    """Voer de hele monitor uit op synthetische demodata: data, inlezen, weging, schattingen, publicaties."""
    from miv.workers import exit_without_collecting, processes

    exit_without_collecting()  # a run leaves a big heap behind
    monitor = load_definition(root)
    with processes(pdf, len(monitor.editions)) as workers:  # they start while this process imports the rest and makes the data
        from miv import demo, pipeline

        with _progress() as progress:
            task = progress.add_task("Demodata maken", total=sum(len(e.questionnaires) for e in monitor.editions.values()))
            made, files = demo.write_data(monitor, out, seed, lambda _: progress.advance(task))
            fieldwork = demo.write_invited(monitor, out)
        console.print(_counts_table(demo.counts(made, monitor.structure), f"Demodata: respondenten (seed {seed})"))
        with _progress() as progress:
            published = pipeline.run_editions(monitor, files, out, pdf=pdf, notice=demo.PUBLICATION_NOTICE,
                                              progress=lambda year: _step(progress, year), fieldwork=fieldwork, workers=workers)
    for edition in published:
        console.print(f"[green]✓[/] editie {edition.results.edition}: {len(edition.written)} bestanden in {escape(str(edition.folder))}", highlight=False)
    console.print(_key_figures(published[-1].results))
    console.print("[bold yellow]Let op:[/] dit zijn SYNTHETISCHE DEMODATA, geen echte respondenten.")


@app.command("run")
def run_command(
    edition: int = typer.Option(..., "--edition", help="Editie, bijvoorbeeld 2024."),
    data: list[Path] = typer.Option(..., "--data", help="Databestand van deze editie (.sav, .csv, .xlsx, .parquet); één per vragenlijst, herhaal de optie."),
    previous: list[Path] = typer.Option([], "--previous", help="Databestand van de vorige editie, voor de vergelijking; herhaal de optie."),
    out: Path = typer.Option(Path("out"), "--out", help="Map voor de uitvoer; de publicaties komen in <map>/<editie>/."),
    pdf: bool = typer.Option(True, "--pdf/--no-pdf", help="Ook PDF's maken."),
    fieldwork: Path | None = typer.Option(None, "--veldwerk", help="Veldwerkbestand van deze editie (veldwerk.csv: aantal uitgenodigden per vragenlijst en doelgroep), voor de respons."),
    root: Path | None = DefinitionRoot,
) -> None:
    """Voer een editie uit op echte bestanden: inlezen en controleren, wegen, schatten, publiceren."""
    from miv.workers import exit_without_collecting, processes

    exit_without_collecting()  # a run leaves a big heap behind
    monitor = load_definition(root)
    with processes(pdf, 2 if previous else 1) as workers:  # they start while this process imports the rest
        from miv import pipeline

        with _progress() as progress:
            published = pipeline.run_edition(monitor, edition, data, previous, out / str(edition), pdf=pdf,
                                             progress=_step(progress, edition), fieldwork=fieldwork, workers=workers)
    console.print(f"[green]✓[/] editie {edition}: {len(published.written)} bestanden in {escape(str(published.folder))}", highlight=False)
    console.print(_key_figures(published.results))


@app.command("verify")
def verify_command(
    folder: Path = typer.Argument(..., help="Map met de publicaties van één editie, bijvoorbeeld out/2024."),
    data: list[Path] = typer.Option([], "--data", help="Invoerbestand dat niet in <map>/data of <map>/../<editie>/data staat; herhaal de optie."),
    root: Path | None = DefinitionRoot,
) -> None:
    """Reken elk gepubliceerd cijfer na uit de databestanden en manifest.json; meld elk verschil."""
    from miv.pipeline.verify import verify

    differences = verify(folder, load_definition(root), data)
    if differences:
        raise MivError(f"{len(differences)} verschil(len) tussen de publicaties in {folder} en de herberekening",
                       details=[str(d) for d in differences[:50]])
    console.print(f"[green]✓[/] {folder}: elk cijfer is nagerekend uit de data en manifest.json; geen verschillen", highlight=False)


def _progress() -> Progress:
    from rich.progress import Progress

    return Progress(*Progress.get_default_columns(), console=console, transient=True)


def _step(progress: Progress, edition: int) -> Step:
    """A progress bar for one edition, fed by the pipeline's (what, done, total) calls."""
    task = progress.add_task(f"Editie {edition}", total=None)

    def step(what: str, done: int | None, total: int | None) -> None:
        progress.update(task, description=f"Editie {edition}: {what}", completed=done or 0, total=total)

    return step


def _key_figures(results: Results) -> Table:
    """The headline figures of the key-figures publication, after disclosure control."""
    from rich.table import Table

    from miv import publish

    table = Table(title=f"Kerncijfers {results.edition}")
    for column in ("indicator", "groep", str(results.previous or ""), str(results.edition), "verandering"):
        table.add_column(column, justify="right" if column.isdigit() else "left")
    for row in publish.key_figures(results):
        table.add_row(*row)
    return table


def _counts_table(counts: pl.DataFrame, title: str) -> Table:
    from rich.table import Table

    table = Table(title=title, caption="SYNTHETISCHE DEMODATA")
    for n, column in enumerate(counts.columns):
        table.add_column(column, justify="left" if n == 0 else "right")
    for row in counts.iter_rows():
        table.add_row(*(f"{v:,}".replace(",", ".") if isinstance(v, int) else v for v in row))
    return table


# --- cases: master key, organisations, members, audit log, retention (docs/cases.md) -----

cases_app = typer.Typer(help="Zaken over vermoedens van integriteitsschendingen (docs/cases.md).", no_args_is_help=True)
app.add_typer(cases_app, name="cases")
Documents = option("cases_documents")


@contextmanager
def _casework(db: str | None, documents: Path, anchor: Path | None = None) -> Iterator[Any]:  # a Casework, imported lazily
    """The case store for one command; its connections close after. Every entry it writes is
    anchored in the declared cases_anchor (MIV_CASES_ANCHOR), as in the app, and names the
    operating-system account and host that ran it."""
    from miv import cases, casework

    master = cases.MasterKey.from_environment()
    anchor = anchor or SETTINGS["cases_anchor"].read() or cases.AnchorFile.beside(SETTINGS["cases_master_key"].read())
    with database(db) as opened:
        yield casework.Casework(opened, master, cases.DocumentStore(documents), anchor=anchor, origin=_origin())


def _origin() -> dict[str, str | int | bool]:
    """Who ran the command, by the operating system rather than by what was typed after --by:
    the account and the machine, recorded in every entry the command writes (audit.ORIGIN).
    The account is the one of the process's user id, not getpass.getuser(), which believes
    $USER and $LOGNAME and so whatever the operator sets there."""
    import os
    import pwd
    import socket

    try:
        user = pwd.getpwuid(os.getuid()).pw_name
    except KeyError:  # a user id without an entry in the password database (a bare container)
        user = f"uid {os.getuid()}"
    return {"os-gebruiker": user, "host": socket.gethostname()}


@cases_app.command("create-key")
def cases_create_key(path: Path) -> None:
    """Maak het bestand met de hoofdsleutel (modus 0600); een bestaand bestand wordt nooit overschreven."""
    from miv import cases

    key = cases.MasterKey.create(path)
    console.print(f"[green]✓[/] hoofdsleutel {key.id} geschreven naar {path}; zet {cases.ENVIRONMENT_VARIABLE}={path.resolve()}", highlight=False)


@cases_app.command("add-organisation")
def cases_add_organisation(
    code: str, name: str = typer.Option(..., "--name", help="Naam, bijvoorbeeld 'Gemeente Utrecht'."),
    layer: str = typer.Option(..., "--layer", help="gemeente, provincie of waterschap."), db: str | None = DatabaseUrl,
) -> None:
    """Voeg een organisatie toe die zaken behandelt."""
    from miv import casework

    with database(db) as opened, opened.session() as session:
        casework.add_organisation(session, code, name, layer)
    console.print(f"[green]✓[/] organisatie {code} toegevoegd", highlight=False)


@cases_app.command("add-member")
def cases_add_member(
    email: str, organisation: str = typer.Option(..., "--organisation", help="Organisatiecode."),
    role: str = typer.Option(..., "--role", help="voorzitter, ondersteuning, integriteitsadviseur, onderzoeker of auditor."),
    db: str | None = DatabaseUrl, documents: Path = Documents,
) -> None:
    """Geef een account met rol 'zaken' een zaakrol in een organisatie."""
    with _casework(db, documents) as work:
        work.grant("beheer", email, organisation, role, datetime.now(timezone.utc))
    console.print(f"[green]✓[/] {email} is {role} in {organisation}", highlight=False)


@cases_app.command("remove-member")
def cases_remove_member(
    email: str, organisation: str = typer.Option(..., "--organisation", help="Organisatiecode."),
    db: str | None = DatabaseUrl, documents: Path = Documents,
) -> None:
    """Neem een zaakrol af; de sleutels van die persoon voor de zaken van de organisatie vervallen."""
    from miv import casework

    with _casework(db, documents) as work:
        work.revoke("beheer", casework.account_id(work.db, email), organisation, datetime.now(timezone.utc))
    console.print(f"[green]✓[/] {email} heeft geen rol meer in {organisation}", highlight=False)


@cases_app.command("reset-totp")
def cases_reset_totp(
    email: str, by: str = typer.Option(..., "--by", help="Wie dit doet (naam of e-mailadres van de beheerder); staat in het logboek."),
    db: str | None = DatabaseUrl, documents: Path = Documents,
) -> None:
    """Vergeet het TOTP-geheim van een persoon (telefoon kwijt), beëindig zijn sessies en geef een nieuwe inschrijfcode; gelogd met wie het deed."""
    from miv import casework

    with _casework(db, documents) as work:
        code = work.reset_totp(by, casework.account_id(work.db, email), *_enrolment_window())
    console.print(f"[green]✓[/] tweestapsverificatie van {email} vergeten en zijn sessies beëindigd", highlight=False)
    _show_enrolment_code(email, code)


@cases_app.command("verify-log")
def cases_verify_log(
    anchor: Path | None = typer.Option(None, "--anchor", envvar="MIV_CASES_ANCHOR",
                                       help="Ankerbestand buiten de database (standaard zaaklog-anker.txt naast de hoofdsleutel); ontbreekt het of loopt het achter, dan is dat een fout."),
    db: str | None = DatabaseUrl, documents: Path = Documents,
) -> None:
    """Controleer de hashketen van het auditlog, het anker en elke zaak; noem elke gewijzigde, verwijderde of verplaatste regel en elk gewijzigd veld (exitcode 1)."""
    with _casework(db, documents, anchor) as work:
        result = work.verify_log()
    for finding in result.findings:
        errors.print(f"[red]✗[/] {finding}", highlight=False, soft_wrap=True)
    if not result.ok:
        raise fail(f"het logboek is aangetast: {len(result.findings)} bevinding(en) in {result.count} regels")
    console.print(f"[green]✓[/] logboek in orde: {result.count} regels, verankerd in {work.anchor.path}", highlight=False)


@cases_app.command("purge")
def cases_purge(
    keep_years: int = typer.Option(5, "--keep-years", help="Bewaartermijn na afsluiten, in jaren."),
    warn_months: int = typer.Option(1, "--warn-months", help="Zoveel maanden vooraf aankondigen."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Alleen tonen wat zou gebeuren."),
    db: str | None = DatabaseUrl, documents: Path = Documents,
) -> None:
    """Bewaartermijn: kondig afgesloten zaken aan die bijna verlopen en vernietig verlopen zaken (de tellingen blijven)."""
    from miv import cases

    now = datetime.now(timezone.utc)
    with _casework(db, documents) as work:
        work.retention = cases.RetentionPolicy.of(keep_years, warn_months)
        if dry_run:
            every = work.all_cases()
            announced, destroyed = work.retention.to_warn(every, now), work.retention.to_purge(every, now)
        else:
            announced, destroyed = work.purge(now)
    for case in announced:
        console.print(f"[yellow]![/] {work.retention.notice(case)}", highlight=False)
    for case in destroyed:
        console.print(f"[red]✗[/] zaak {case.id} {'zou worden' if dry_run else 'is'} vernietigd; de geanonimiseerde aantallen blijven", highlight=False)
    console.print(f"[green]✓[/] {len(announced)} aangekondigd, {len(destroyed)} {'te vernietigen' if dry_run else 'vernietigd'}", highlight=False)


@cases_app.command("rotate-master-key")
def cases_rotate_master_key(
    new: Path = typer.Argument(..., help="Het nieuwe sleutelbestand, gemaakt met 'miv cases create-key'."),
    db: str | None = DatabaseUrl, documents: Path = Documents,
) -> None:
    """Verzegel alle privésleutels, TOTP-geheimen en logsleutels opnieuw onder een nieuwe hoofdsleutel."""
    from miv import cases

    with _casework(db, documents) as work:
        moved = work.rotate_master_key("beheer", cases.MasterKey.load(new), datetime.now(timezone.utc))
    console.print(f"[green]✓[/] {moved} geheimen verzegeld onder de nieuwe hoofdsleutel; zet nu "
                  f"{cases.ENVIRONMENT_VARIABLE}={new.resolve()} en bewaar de oude sleutel tot de back-ups verlopen", highlight=False)


@cases_app.command("rotate-audit-key")
def cases_rotate_audit_key(db: str | None = DatabaseUrl, documents: Path = Documents) -> None:
    """Neem een nieuwe versie van de logsleutel in gebruik; oudere logregels blijven controleerbaar."""
    with _casework(db, documents) as work:
        version = work.rotate_audit_key("beheer", datetime.now(timezone.utc))
    console.print(f"[green]✓[/] logsleutel versie {version} ondertekent vanaf nu het logboek", highlight=False)


@cases_app.command("rotate-person-key")
def cases_rotate_person_key(email: str, db: str | None = DatabaseUrl, documents: Path = Documents) -> None:
    """Geef een persoon een nieuw sleutelpaar; zijn zaaksleutels worden opnieuw voor hem versleuteld."""
    from miv import casework

    with _casework(db, documents) as work:
        cases_done = work.rotate_person_key("beheer", casework.person_id(casework.account_id(work.db, email)), datetime.now(timezone.utc))
    console.print(f"[green]✓[/] nieuw sleutelpaar voor {email}; {cases_done} zaaksleutel(s) opnieuw versleuteld", highlight=False)
