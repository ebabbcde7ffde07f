"""Management pages (/beheer): sign in, open fieldwork, import invitations, mailings,
response monitoring, close; users for admins. Every route states the roles it allows."""

from __future__ import annotations

import asyncio

import altair as alt
import vl_convert
from sqlalchemy import select
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from miv import definition
from miv.fieldwork import FieldworkError, close_fieldwork, import_invitations, mail, mailing, monitoring, open_fieldwork, recipients
from miv.store.fieldwork import Fieldwork
from miv.store.users import HOMES, ROLES
from miv.web.accounts import AccountError, add_user, authenticate, list_users
from miv.web.pages import client, public, render, requires
from miv.web.security import checked_form

STAFF = ("admin", "fieldwork")
LOGIN_SCOPE = "login"
MAX_UPLOAD = 20 * 1024 * 1024


def _see(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@public
async def login(request: Request) -> Response:
    context = {"title": "Inloggen voor medewerkers", "next": request.query_params.get("volgende", "/beheer"),
               "ended": "verlopen" in request.query_params, "idle": request.app.state.settings.session_idle_minutes}
    if request.method == "GET":
        return render(request, "staff/login.html", context)
    form = await checked_form(request)
    state = request.app.state
    address = client(request)
    if state.limits.blocked(LOGIN_SCOPE, address, state.settings.login_attempts):
        raise HTTPException(429, "Te veel mislukte pogingen om in te loggen. Wacht een kwartier en probeer het dan opnieuw.")
    user = authenticate(state.db, str(form.get("email", "")), str(form.get("password", "")))
    if user is None:
        state.limits.fail(LOGIN_SCOPE, address)
        return render(request, "staff/login.html", context | {"error": "E-mailadres of wachtwoord is onjuist.", "email": form.get("email", "")}, status=400)
    request.session.clear()
    request.session["user"] = user.id
    target = str(form.get("next", "/beheer"))
    return _see(target if target.startswith("/beheer") and target != "/beheer" else HOMES.get(user.role, "/beheer"))


@public
async def logout(request: Request) -> Response:
    """Ends the session (server side: every copy of the cookie). A session that already ended
    (idle timeout) has no form token left, and needs none to end."""
    if "user" in request.session:
        await checked_form(request)
    request.session.clear()
    return _see("/beheer/inloggen")


def _editions(request: Request) -> tuple[list[tuple[int, str, str]], list[str]]:
    """(year, code, title) of every questionnaire in the definition, or the definition's problems."""
    try:
        monitor = definition.load(request.app.state.settings.definition_root)
    except definition.DefinitionError as exc:
        return [], [str(p) for p in exc.problems]
    return [(year, code, q.title) for year, e in monitor.editions.items() for code, q in e.questionnaires.items()], []


@requires(*STAFF)
async def overview(request: Request) -> Response:
    with request.app.state.db.session() as s:
        fieldworks = list(s.scalars(select(Fieldwork).order_by(Fieldwork.edition.desc(), Fieldwork.questionnaire)))
    choices, problems = _editions(request)
    return render(request, "staff/overview.html", {"title": "Veldwerk", "fieldworks": fieldworks, "choices": choices, "problems": problems})


@requires(*STAFF)
async def open_(request: Request) -> Response:
    form = await checked_form(request)
    year, _, code = str(form.get("vragenlijst", "")).partition("/")
    try:
        monitor = definition.load(request.app.state.settings.definition_root)
        fieldwork_id = open_fieldwork(request.app.state.db, monitor, int(year), code)
    except (definition.DefinitionError, FieldworkError, ValueError) as exc:
        message = exc.message if isinstance(exc, FieldworkError) else "de definitie kon niet worden geladen of de keuze is ongeldig"
        raise HTTPException(400, f"Het veldwerk kon niet worden geopend: {message}.") from None
    return _see(f"/beheer/veldwerk/{fieldwork_id}")


def _fieldwork(request: Request) -> Fieldwork:
    with request.app.state.db.session() as s:
        fieldwork = s.get(Fieldwork, request.path_params["id"])
    if fieldwork is None:
        raise HTTPException(404, "Dit veldwerk bestaat niet.")
    return fieldwork


def _chart(rows: list[dict]) -> str:
    """Response rate per group as SVG (no script needed to see it)."""
    totals: dict[str, list[int]] = {}
    for row in rows[:-1]:
        counts = totals.setdefault(row["group"] or row["layer"], [0, 0])
        counts[0] += row["invited"]
        counts[1] += row["completed"]
    data = [{"doelgroep": g, "respons": c / i if i else 0.0} for g, (i, c) in totals.items()]
    chart = alt.Chart(alt.Data(values=data)).mark_bar(color="#01689b").encode(
        x=alt.X("respons:Q", title="Respons", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("doelgroep:N", title=None, sort=None),
    ).properties(width=420, height=max(40, 24 * len(data)))
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    return svg.replace("<svg ", '<svg role="img" aria-labelledby="grafiek-titel" ', 1)


def _fieldwork_page(request: Request, fieldwork: Fieldwork, status: int = 200, **extra: object) -> Response:
    """The fieldwork page: response table and chart, import, mailings, close."""
    rows = monitoring(request.app.state.db, fieldwork.id)
    context = {"title": fieldwork.title, "fieldwork": fieldwork, "rows": rows, "chart": _chart(rows), "smtp": request.app.state.settings.smtp}
    return render(request, "staff/fieldwork.html", context | extra, status=status)


@requires(*STAFF)
async def detail(request: Request) -> Response:
    return _fieldwork_page(request, _fieldwork(request))


@requires(*STAFF)
async def invitations(request: Request) -> Response:
    fieldwork = _fieldwork(request)
    form = await checked_form(request)
    upload = form.get("bestand")
    try:
        if upload is None or isinstance(upload, str) or not upload.filename:
            raise HTTPException(400, "Kies een bestand met de uitnodigingslijst (.csv of .xlsx).")
        filename, content = upload.filename, await upload.read(MAX_UPLOAD + 1)
    finally:
        await form.close()
    state = request.app.state
    try:
        if len(content) > MAX_UPLOAD:
            raise FieldworkError(f"{filename}: het bestand is groter dan 20 MB")
        count = import_invitations(state.db, state.keys, fieldwork.id, filename, content)
    except FieldworkError as exc:
        return _fieldwork_page(request, fieldwork, status=400, import_error=exc)
    return _fieldwork_page(request, fieldwork, imported=count)


def _csv(text: str, name: str) -> Response:
    return Response(text.encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{name}"'})


@requires(*STAFF)
async def invitation_mailing(request: Request) -> Response:
    fieldwork = _fieldwork(request)
    state = request.app.state
    return _csv(mailing(state.db, state.keys, fieldwork.id, state.settings.base_url), f"uitnodigingen-{fieldwork.questionnaire}-{fieldwork.edition}.csv")


@requires(*STAFF)
async def reminder_mailing(request: Request) -> Response:
    fieldwork = _fieldwork(request)
    await checked_form(request)
    state = request.app.state
    try:
        text = mailing(state.db, state.keys, fieldwork.id, state.settings.base_url, reminder=True)
    except FieldworkError as exc:
        raise HTTPException(400, f"Geen herinneringen: {exc.message}.") from None
    return _csv(text, f"herinneringen-{fieldwork.questionnaire}-{fieldwork.edition}.csv")


@requires(*STAFF)
async def send_mailing(request: Request) -> Response:
    """Send the invitation or reminder by e-mail (only when a mail server is configured)."""
    fieldwork = _fieldwork(request)
    form = await checked_form(request)
    state = request.app.state
    if state.settings.smtp is None:
        raise HTTPException(400, "Er is geen mailserver ingesteld; gebruik het bestand voor samenvoegen.")
    reminder = form.get("soort") == "herinnering"
    try:
        people = recipients(state.db, state.keys, fieldwork.id, state.settings.base_url, reminder=reminder)
        sent = await asyncio.to_thread(mail.send, state.settings.smtp, people, f"Monitor Integriteit en Veiligheid {fieldwork.edition}",
                                       state.settings.base_url, reminder)
    except FieldworkError as exc:
        raise HTTPException(400, f"Versturen lukte niet: {exc.message}.") from None
    return _fieldwork_page(request, fieldwork, sent=f"{sent} {'herinneringen' if reminder else 'uitnodigingen'} verstuurd per e-mail.")


@requires("admin")
async def close(request: Request) -> Response:
    fieldwork = _fieldwork(request)
    await checked_form(request)
    try:
        close_fieldwork(request.app.state.db, fieldwork.id)
    except FieldworkError as exc:
        raise HTTPException(400, f"Sluiten lukte niet: {exc.message}.") from None
    return _see(f"/beheer/veldwerk/{fieldwork.id}")


@requires("admin")
async def users(request: Request) -> Response:
    context = {"title": "Gebruikers", "roles": ROLES}
    if request.method == "POST":
        form = await checked_form(request)
        try:
            add_user(request.app.state.db, str(form.get("email", "")), str(form.get("name", "")), str(form.get("role", "")), str(form.get("password", "")))
        except AccountError as exc:
            return render(request, "staff/users.html", context | {"users": list_users(request.app.state.db), "error": str(exc), "form": form}, status=400)
        context["added"] = form.get("email")
    return render(request, "staff/users.html", context | {"users": list_users(request.app.state.db)})


routes = [
    Route("/beheer/inloggen", login, methods=["GET", "POST"]),
    Route("/beheer/uitloggen", logout, methods=["POST"]),
    Route("/beheer", overview),
    Route("/beheer/veldwerk", open_, methods=["POST"]),
    Route("/beheer/veldwerk/{id:int}", detail),
    Route("/beheer/veldwerk/{id:int}/uitnodigingen", invitations, methods=["POST"]),
    Route("/beheer/veldwerk/{id:int}/uitnodigingen.csv", invitation_mailing),
    Route("/beheer/veldwerk/{id:int}/herinneringen", reminder_mailing, methods=["POST"]),
    Route("/beheer/veldwerk/{id:int}/versturen", send_mailing, methods=["POST"]),
    Route("/beheer/veldwerk/{id:int}/sluiten", close, methods=["POST"]),
    Route("/beheer/gebruikers", users, methods=["GET", "POST"]),
]
