"""The `miv` command: a thin layer over the library, one short function per command."""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import polars as pl
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from miv import definition, demo, intake, pipeline, publish, survey

app = typer.Typer(help="Monitor Integriteit en Veiligheid: vragenlijst, veldwerk, weging, schattingen en publicaties.", no_args_is_help=True, pretty_exceptions_enable=False)
definition_app = typer.Typer(help="De definitie van de Monitor (monitor/).", no_args_is_help=True)
app.add_typer(definition_app, name="definition")

console = Console()
errors = Console(stderr=True)

DefinitionRoot = typer.Option(definition.DEFAULT_ROOT, "--definition", help="Map met de definitie van de Monitor.")


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

DatabaseUrl = typer.Option(None, "--db", envvar="MIV_DATABASE_URL", help="Database URL; default sqlite:///miv.db in this folder.")
SecretFile = typer.Option(Path("miv-secret.key"), "--secret-file", help="Geheim van de server (wordt bij eerste gebruik gemaakt); MIV_SECRET gaat voor.")


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
    out: Path = typer.Option(intake.DEFAULT_DATA, "--out", help="Datamap van de intake."),
    db: str | None = DatabaseUrl, root: Path = DefinitionRoot,
) -> None:
    """Geef de ingezonden antwoorden van de webenquête aan de intake (zoals 'miv import' dat doet voor een bestand)."""
    from miv import fieldwork, store

    database = store.Database(db or store.default_url())
    try:
        fieldwork_id = fieldwork.find_fieldwork(database, edition, questionnaire)
        table, report = fieldwork.respondent_table(database, load_definition(root), fieldwork_id)
        intake.save(table, report, out)
    except (fieldwork.FieldworkError, intake.IntakeError) as exc:
        raise fail(str(exc)) from None
    finally:
        database.dispose()
    console.print(report.to_text(limit=5), highlight=False, soft_wrap=True)
    if not report.ok:
        raise fail(f"de webresponses zijn afgekeurd: {report.errors} fouten")
    console.print(f"[green]✓[/] {report.respondents} respondenten opgeslagen in {intake.table_path(out, edition, questionnaire)}", highlight=False)


@users_app.command("add")
def users_add(
    email: str, name: str = typer.Option(..., "--name", help="Volledige naam."),
    role: str = typer.Option(..., "--role", help="admin or fieldwork."), db: str | None = DatabaseUrl,
) -> None:
    """Voeg een account toe; het wachtwoord wordt twee keer gevraagd en als argon2-hash bewaard."""
    from miv import store
    from miv.web.accounts import AccountError, add_user

    password = typer.prompt("Wachtwoord", hide_input=True, confirmation_prompt="Herhaal het wachtwoord")
    database = store.Database(db or store.default_url())
    try:
        add_user(database, email, name, role, password)
    except AccountError as exc:
        raise fail(str(exc)) from None
    finally:
        database.dispose()
    console.print(f"[green]✓[/] gebruiker {email} toegevoegd met rol {role}")


@app.command("serve")
def serve(
    db: str | None = DatabaseUrl, host: str = typer.Option("127.0.0.1", help="Adres waarop de server luistert."),
    port: int = typer.Option(8000, help="Port."), secret_file: Path = SecretFile, root: Path = DefinitionRoot,
    base_url: str = typer.Option("http://127.0.0.1:8000", "--base-url", help="Openbaar adres, gebruikt in de uitnodigingslinks."),
    secure: bool = typer.Option(False, "--secure", help="Achter TLS: beveiligde cookies en HSTS."),
    workers: int = typer.Option(1, help="Aantal app-processen."),
) -> None:
    """Start de webapp (enquête en beheerpagina's)."""
    import os

    import uvicorn

    from miv import store

    os.environ["MIV_SERVE"] = json.dumps({"db": db or store.default_url(), "secret_file": str(secret_file.resolve()), "root": str(root),
                                          "base_url": base_url, "secure": secure})
    console.print(f"[green]✓[/] miv luistert op http://{host}:{port}")
    uvicorn.run("miv.web.serve:app", host=host, port=port, workers=workers, proxy_headers=True, access_log=False, factory=True)


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
    """Lees een databestand in, controleer het en bewaar de respondenttabel als er geen fouten zijn."""
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
    """Schrijf een ingelezen respondenttabel als .sav, .parquet of publieksbestand."""
    monitor = load_definition(root)
    try:
        path = intake.export(data, monitor, edition, questionnaire, format, out)
    except intake.IntakeError as exc:
        raise fail(str(exc)) from None
    console.print(f"[green]✓[/] {path} geschreven", highlight=False)


# --- miv demo: synthetic demo data (miv.demo) -----------------------------------------


@app.command("demo")
def demo_command(
    out: Path = typer.Option(Path("out"), "--out", help="Map voor de uitvoer: <map>/<editie>/ met publicaties, data en validatie."),
    seed: int = typer.Option(demo.DEFAULT_SEED, "--seed", help="Startgetal van het toeval: dezelfde seed geeft dezelfde demodata."),
    pdf: bool = typer.Option(True, "--pdf/--no-pdf", help="Ook PDF's maken (het langzaamste deel)."),
    root: Path = DefinitionRoot,
) -> None:
    """Voer de hele monitor uit op synthetische demodata: data, inlezen, weging, schattingen, publicaties."""
    monitor = load_definition(root)
    made, files = [], {}
    with Progress(*Progress.get_default_columns(), console=console, transient=True) as progress:
        task = progress.add_task("Demodata maken", total=sum(len(e.questionnaires) for e in monitor.editions.values()))
        try:
            for table in demo.tables(monitor, seed):
                written = demo.write_table(table, out / str(table.edition) / "data", seed)
                files.setdefault(table.edition, []).extend(p for p in written if p.suffix == ".sav")
                made.append(table)
                progress.advance(task)
        except demo.DemoError as exc:
            raise fail(str(exc)) from None
        except OSError as exc:
            where = exc.filename or out
            raise fail(f"kan de demodata niet schrijven naar {where}: verwacht een map waarin geschreven mag worden ({exc.strerror})") from None
    console.print(_counts_table(demo.counts(made, monitor.structure), f"Demodata: respondenten (seed {seed})"))
    for year in sorted(files):
        previous = monitor.editions[year].previous
        results = _publish(monitor, year, files[year], files.get(previous, []), out / str(year), pdf, demo.PUBLICATION_NOTICE)
    console.print(_key_figures(results))
    console.print("[bold yellow]Let op:[/] dit zijn SYNTHETISCHE DEMODATA, geen echte respondenten.")


@app.command("run")
def run_command(
    edition: int = typer.Option(..., "--edition", help="Editie, bijvoorbeeld 2024."),
    data: list[Path] = typer.Option(..., "--data", help="Databestand van deze editie (.sav, .csv, .xlsx, .parquet); één per vragenlijst, herhaal de optie."),
    previous: list[Path] = typer.Option([], "--previous", help="Databestand van de vorige editie, voor de vergelijking; herhaal de optie."),
    out: Path = typer.Option(Path("out"), "--out", help="Map voor de uitvoer; de publicaties komen in <map>/<editie>/."),
    pdf: bool = typer.Option(True, "--pdf/--no-pdf", help="Ook PDF's maken."),
    root: Path = DefinitionRoot,
) -> None:
    """Voer een editie uit op echte bestanden: inlezen en controleren, wegen, schatten, publiceren."""
    monitor = load_definition(root)
    if edition not in monitor.editions:
        raise fail(f"editie {edition} staat niet in de definitie; bekend: {', '.join(map(str, monitor.editions))}")
    results = _publish(monitor, edition, data, previous, out / str(edition), pdf)
    console.print(_key_figures(results))


def _publish(monitor: definition.Monitor, edition: int, files: list[Path], previous: list[Path], out: Path, pdf: bool,
             notice: str | None = None):
    """Read and validate, weigh and estimate, then write every publication of one edition."""
    try:
        inputs = pipeline.read_inputs(files, monitor, edition)
        prior = pipeline.read_inputs(previous, monitor, monitor.editions[edition].previous) if previous else None
    except intake.IntakeError as exc:
        raise fail(str(exc)) from None
    for read in (inputs, prior):
        if read is not None:
            pipeline.write_reports(read, out / "validatie")
            for report in read.reports:
                if not report.ok:
                    errors.print(report.to_text(limit=5), highlight=False, soft_wrap=True)
                    raise fail(f"{report.file} is afgekeurd ({report.errors} fouten); rapporten in {out / 'validatie'}")
    hashes = {**inputs.hashes, **(prior.hashes if prior else {})}
    with Progress(*Progress.get_default_columns(), console=console, transient=True) as progress:
        task = progress.add_task(f"Editie {edition}: schatten", total=None)
        try:
            results = pipeline.run(monitor, edition, inputs.tables, prior.tables if prior else None, hashes,
                                   lambda step: progress.update(task, description=f"Editie {edition}: {step}"), notice)
        except (pipeline.WeightingError, survey.SurveyError) as exc:
            raise fail(str(exc)) from None
        progress.update(task, description=f"Editie {edition}: publiceren", total=1, completed=0)
        try:
            written = publish.write_publications(
                results, out, with_pdf=pdf,
                progress=lambda done, total, name: progress.update(task, completed=done, total=total, description=f"Editie {edition}: {name}"),
            )
        except OSError as exc:
            raise fail(f"kan de publicaties niet schrijven naar {exc.filename or out}: {exc.strerror}") from None
    console.print(f"[green]✓[/] editie {edition}: {len(written)} bestanden in {out}", highlight=False)
    return results


def _key_figures(results) -> Table:
    """The headline figures of the key-figures publication, as the analyst sees them first."""
    table = Table(title=f"Kerncijfers {results.edition}")
    for column in ("indicator", "doelgroep", str(results.previous or ""), str(results.edition), "p"):
        table.add_column(column, justify="left" if column in ("indicator", "doelgroep") else "right")
    changes = results.comparisons.filter((pl.col("publication") == "kerncijfers") & (pl.col("kind") == "previous_edition"))
    for row in changes.iter_rows(named=True):
        domain = "totaal" if row["breakdown"] == "totaal" else row["domain"]
        table.add_row(row["indicator"], domain, f"{row['reference_estimate']:.0%}", f"{row['estimate']:.0%}", f"{row['p_value']:.3f}")
    return table


def _counts_table(counts: pl.DataFrame, title: str) -> Table:
    table = Table(title=title, caption="SYNTHETISCHE DEMODATA")
    for n, column in enumerate(counts.columns):
        table.add_column(column, justify="left" if n == 0 else "right")
    for row in counts.iter_rows():
        table.add_row(*(f"{v:,}".replace(",", ".") if isinstance(v, int) else v for v in row))
    return table


# --- cases: master key, organisations, members, audit log, retention (docs/cases.md) -----

cases_app = typer.Typer(help="Zaken over vermoedens van integriteitsschendingen (docs/cases.md).", no_args_is_help=True)
app.add_typer(cases_app, name="cases")
Documents = typer.Option(Path("zaakdocumenten"), "--documents", envvar="MIV_CASES_DOCUMENTS", help="Map met de versleutelde zaakdocumenten.")


@contextmanager
def _casework(db: str | None, documents: Path, anchor: Path | None = None):  # noqa: ANN202 - a Casework; imported lazily
    """The case store for one command: its errors become messages and its connections close.
    Every entry it writes is anchored in MIV_CASES_ANCHOR (default zaaklog-anker.txt), as in the app."""
    from miv import cases, casework, store

    try:
        master = cases.MasterKey.from_environment()
    except cases.CaseError as exc:
        raise fail(exc.message) from None
    anchor = anchor or Path(os.environ.get("MIV_CASES_ANCHOR", "zaaklog-anker.txt"))
    work = casework.Casework(store.Database(db or store.default_url()), master, cases.DocumentStore(documents), anchor=anchor)
    try:
        yield work
    except casework.MemberError as exc:
        raise fail(str(exc)) from None
    except cases.CaseError as exc:
        raise fail(exc.message) from None
    finally:
        work.db.dispose()


@cases_app.command("create-key")
def cases_create_key(path: Path) -> None:
    """Maak het bestand met de hoofdsleutel (modus 0600); een bestaand bestand wordt nooit overschreven."""
    from miv import cases

    try:
        key = cases.MasterKey.create(path)
    except cases.CaseError as exc:
        raise fail(exc.message) from None
    console.print(f"[green]✓[/] hoofdsleutel {key.id} geschreven naar {path}; zet {cases.ENVIRONMENT_VARIABLE}={path.resolve()}", highlight=False)


@cases_app.command("add-organisation")
def cases_add_organisation(
    code: str, name: str = typer.Option(..., "--name", help="Naam, bijvoorbeeld 'Gemeente Utrecht'."),
    layer: str = typer.Option(..., "--layer", help="gemeente, provincie of waterschap."), db: str | None = DatabaseUrl,
) -> None:
    """Voeg een organisatie toe die zaken behandelt."""
    from miv import casework, store

    database = store.Database(db or store.default_url())
    try:
        with database.session() as session:
            casework.add_organisation(session, code, name, layer)
    except casework.MemberError as exc:
        raise fail(str(exc)) from None
    finally:
        database.dispose()
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
def cases_reset_totp(email: str, db: str | None = DatabaseUrl) -> None:
    """Vergeet het TOTP-geheim van een persoon (telefoon kwijt); bij de volgende aanmelding stelt hij het opnieuw in."""
    from miv import casework, store
    from miv.casework import twofactor

    database = store.Database(db or store.default_url())
    try:
        with database.session() as session:
            found = twofactor.reset(session, casework.person_id(casework.account_id(database, email)))
    except casework.MemberError as exc:
        raise fail(str(exc)) from None
    finally:
        database.dispose()
    console.print(f"[green]✓[/] {email} stelt bij de volgende keer inloggen de tweestapsverificatie opnieuw in" if found
                  else f"{email} had nog geen tweestapsverificatie", highlight=False)


@cases_app.command("verify-log")
def cases_verify_log(
    anchor: Path | None = typer.Option(None, "--anchor", envvar="MIV_CASES_ANCHOR",
                                       help="Ankerbestand buiten de database (standaard zaaklog-anker.txt); ontbreekt het of loopt het achter, dan is dat een fout."),
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
        work.retention = cases.RetentionPolicy(cases.Period(years=keep_years), cases.Period(months=warn_months))
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
