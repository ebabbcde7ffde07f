"""Management pages (/beheer): sign in, open fieldwork, import invitations, mailings,
response monitoring, close; users for admins. Every route states the roles it allows."""

from __future__ import annotations

import asyncio
from functools import cache
from pathlib import Path
from typing import Any

import altair as alt
import vl_convert
from sqlalchemy import select
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from miv import definition
from miv.fieldwork import (
    FieldworkError,
    close_fieldwork,
    drop_off,
    import_invitations,
    mail,
    mailing,
    monitoring,
    open_fieldwork,
    open_questionnaire,
    recipients,
)
from miv.fieldwork.submission import closing
from miv.store.fieldwork import Fieldwork
from miv.store.users import HOMES, ROLES
from miv.web.accounts import AccountError, add_user, authenticate, list_users, reset_password, set_active
from miv.web.pages import client, public, render, requires
from miv.web.security import checked_form

STAFF = ("admin", "fieldwork")
LOGIN_SCOPE = "login"
MAX_UPLOAD = 20 * 1024 * 1024
MAX_ID = 2**31 - 1  # an integer column's range: a larger id in the address is simply not there


@cache
def _definition(root: Path) -> definition.Monitor:
    """The definition, loaded once per process (a broken one raises and is tried again)."""
    return definition.load(root)


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
    if await asyncio.to_thread(state.limits.blocked, LOGIN_SCOPE, address, state.settings.login_attempts):
        raise HTTPException(429, "Te veel mislukte pogingen om in te loggen. Wacht een kwartier en probeer het dan opnieuw.")
    user = await asyncio.to_thread(authenticate, state.db, str(form.get("email", "")), str(form.get("password", "")))
    if user is None:
        await asyncio.to_thread(state.limits.fail, LOGIN_SCOPE, address)
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
        monitor = _definition(request.app.state.settings.definition_root)
    except definition.DefinitionError as exc:
        return [], [str(p) for p in exc.problems]
    return [(year, code, q.title) for year, e in monitor.editions.items() for code, q in e.questionnaires.items()], []


@requires(*STAFF)
async def overview(request: Request) -> Response:
    def listed() -> list[Fieldwork]:
        with request.app.state.db.session() as s:
            return list(s.scalars(select(Fieldwork).order_by(Fieldwork.edition.desc(), Fieldwork.questionnaire)))

    fieldworks = await asyncio.to_thread(listed)
    choices, problems = await asyncio.to_thread(_editions, request)
    return render(request, "staff/overview.html", {"title": "Veldwerk", "fieldworks": fieldworks, "choices": choices, "problems": problems})


@requires(*STAFF)
async def open_(request: Request) -> Response:
    form = await checked_form(request)
    year, _, code = str(form.get("vragenlijst", "")).partition("/")
    try:
        monitor = await asyncio.to_thread(_definition, request.app.state.settings.definition_root)
        fieldwork_id = await asyncio.to_thread(open_fieldwork, request.app.state.db, monitor, int(year), code)
    except (definition.DefinitionError, FieldworkError, ValueError) as exc:
        message = exc.message if isinstance(exc, FieldworkError) else "de definitie kon niet worden geladen of de keuze is ongeldig"
        raise HTTPException(400, f"Het veldwerk kon niet worden geopend: {message}.") from None
    return _see(f"/beheer/veldwerk/{fieldwork_id}")


def _get_fieldwork(db: Any, number: int) -> Fieldwork | None:
    with db.session() as s:
        return s.get(Fieldwork, number)


async def _fieldwork(request: Request) -> Fieldwork:
    number = request.path_params["id"]
    if number > MAX_ID:
        raise HTTPException(404, "Dit veldwerk bestaat niet.")
    fieldwork = await asyncio.to_thread(_get_fieldwork, request.app.state.db, number)
    if fieldwork is None:
        raise HTTPException(404, "Dit veldwerk bestaat niet.")
    return fieldwork


def _chart(label: str, steps: list[tuple[str, int]], number: int) -> str:
    """One group's drop-off as SVG (no script needed to see it): invited, started, each page
    every respondent sees completed, submitted."""
    data = [{"stap": step, "aantal": n} for step, n in steps]
    most = max(1, *(n for _, n in steps))
    ticks = list(range(0, most + 1, max(1, -(-most // 5))))
    chart = alt.Chart(alt.Data(values=data)).mark_bar(color="#01689b").encode(
        x=alt.X("aantal:Q", title="Aantal personen", scale=alt.Scale(domain=[0, most]), axis=alt.Axis(format="d", values=ticks)),
        y=alt.Y("stap:N", title=None, sort=None, axis=alt.Axis(labelLimit=160)),
    ).properties(width=320, height=22 * len(data), padding={"left": 8, "right": 8, "top": 4, "bottom": 4})
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    return svg.replace("<svg ", f'<svg role="img" aria-labelledby="grafiek-{number}" ', 1)


def _labels(fieldwork: Fieldwork) -> dict[str, dict[str | None, str]]:
    """Code -> label for every stratum column, from the fieldwork's frozen structure."""
    _, structure = open_questionnaire(fieldwork)
    return {
        "group": {g.code: g.label for g in structure.groups}, "layer": {c.code: c.label for c in structure.layers},
        "gender": {c.code: c.label for c in structure.genders}, "province": {c.code: c.label for c in structure.provinces},
        "size_class": {c.code: c.label for c in structure.size_classes},
    }


def _monitoring(db: Any, fieldwork: Fieldwork) -> dict[str, Any]:
    """The figures and charts of the fieldwork page (database work and SVG rendering: run
    in a thread, off the event loop)."""
    labels = _labels(fieldwork)
    funnels = drop_off(db, fieldwork.id)
    charts = [(labels["group"].get(group) or labels["layer"].get(group) or group, steps) for group, steps in funnels.items()]
    return {"rows": monitoring(db, fieldwork.id), "labels": labels,
            "charts": [(label, steps, _chart(label, steps, n)) for n, (label, steps) in enumerate(charts)]}


async def _fieldwork_page(request: Request, fieldwork: Fieldwork, status: int = 200, **extra: object) -> Response:
    """The fieldwork page: response table and charts, import, mailings, close."""
    figures = await asyncio.to_thread(_monitoring, request.app.state.db, fieldwork)
    context = {"title": fieldwork.title, "fieldwork": fieldwork, "smtp": request.app.state.settings.smtp, "wide": True, **figures}
    return render(request, "staff/fieldwork.html", context | extra, status=status)


@requires(*STAFF)
async def detail(request: Request) -> Response:
    return await _fieldwork_page(request, await _fieldwork(request))


@requires(*STAFF)
async def invitations(request: Request) -> Response:
    fieldwork = await _fieldwork(request)
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
        count = await asyncio.to_thread(import_invitations, state.db, state.keys, fieldwork.id, filename, content)
    except FieldworkError as exc:
        return await _fieldwork_page(request, fieldwork, status=400, import_error=exc)
    return await _fieldwork_page(request, fieldwork, imported=count)


def _csv(text: str, name: str) -> Response:
    return Response(text.encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{name}"'})


@requires(*STAFF)
async def invitation_mailing(request: Request) -> Response:
    fieldwork = await _fieldwork(request)
    state = request.app.state
    text = await asyncio.to_thread(mailing, state.db, state.keys, fieldwork.id, state.settings.base_url)
    return _csv(text, f"uitnodigingen-{fieldwork.questionnaire}-{fieldwork.edition}.csv")


@requires(*STAFF)
async def reminder_mailing(request: Request) -> Response:
    fieldwork = await _fieldwork(request)
    await checked_form(request)
    state = request.app.state
    text = await asyncio.to_thread(mailing, state.db, state.keys, fieldwork.id, state.settings.base_url, True)
    return _csv(text, f"herinneringen-{fieldwork.questionnaire}-{fieldwork.edition}.csv")


@requires(*STAFF)
async def send_mailing(request: Request) -> Response:
    """Send the invitation or reminder by e-mail (only when a mail server is configured)."""
    fieldwork = await _fieldwork(request)
    form = await checked_form(request)
    state = request.app.state
    if state.settings.smtp is None:
        raise HTTPException(400, "Er is geen mailserver ingesteld; gebruik het bestand voor samenvoegen.")
    reminder = form.get("soort") == "herinnering"
    people = await asyncio.to_thread(recipients, state.db, state.keys, fieldwork.id, state.settings.base_url, reminder)
    sent = await asyncio.to_thread(mail.send, state.settings.smtp, people, f"Monitor Integriteit en Veiligheid {fieldwork.edition}",
                                   state.settings.base_url, reminder, state.settings.contact)
    return await _fieldwork_page(request, fieldwork, sent=f"{sent} {'herinneringen' if reminder else 'uitnodigingen'} verstuurd per e-mail.")


@requires("admin")
async def close(request: Request) -> Response:
    """GET: what closing will do, with the button that does it; POST: close."""
    fieldwork = await _fieldwork(request)
    if request.method == "GET":
        if fieldwork.status != "open":
            return _see(f"/beheer/veldwerk/{fieldwork.id}")
        in_progress, submitted = await asyncio.to_thread(closing, request.app.state.db, fieldwork.id)
        return render(request, "staff/close.html", {"title": f"{fieldwork.title} sluiten", "fieldwork": fieldwork,
                                                    "in_progress": in_progress, "submitted": submitted})
    await checked_form(request)
    await asyncio.to_thread(close_fieldwork, request.app.state.db, request.app.state.keys, fieldwork.id)
    return _see(f"/beheer/veldwerk/{fieldwork.id}")


async def _users_page(request: Request, status: int = 200, **extra: object) -> Response:
    users = await asyncio.to_thread(list_users, request.app.state.db)
    return render(request, "staff/users.html", {"title": "Gebruikers", "roles": ROLES, "users": users, **extra}, status=status)


@requires("admin")
async def users(request: Request) -> Response:
    if request.method == "POST":
        form = await checked_form(request)
        try:
            await asyncio.to_thread(add_user, request.app.state.db, str(form.get("email", "")), str(form.get("name", "")),
                                    str(form.get("role", "")), str(form.get("password", "")))
        except AccountError as exc:
            return await _users_page(request, 400, error=f"Toevoegen lukte niet: {exc}.", form=form)
        return await _users_page(request, added=form.get("email"))
    return await _users_page(request)


def _user_id(request: Request) -> int:
    number = request.path_params["id"]
    if number > MAX_ID:
        raise HTTPException(404, "Deze gebruiker bestaat niet.")
    return number


@requires("admin")
async def user_status(request: Request) -> Response:
    """Deactivate or reactivate an account; a deactivated user is signed out at once."""
    form = await checked_form(request)
    active = form.get("actief") == "1"
    try:
        user = await asyncio.to_thread(set_active, request.app.state.db, _user_id(request), active, request.scope["user"].id)
    except AccountError as exc:
        return await _users_page(request, 400, error=f"Wijzigen lukte niet: {exc}.")
    return await _users_page(request, changed=f"{user.email} is {'weer actief' if active else 'gedeactiveerd en uitgelogd'}.")


@requires("admin")
async def user_password(request: Request) -> Response:
    """Set a new password; the user's sessions end."""
    form = await checked_form(request)
    try:
        user = await asyncio.to_thread(reset_password, request.app.state.db, int(str(form.get("gebruiker", "0")) or 0), str(form.get("password", "")))
    except ValueError:
        return await _users_page(request, 400, error="Wachtwoord wijzigen lukte niet: kies een gebruiker.")
    except AccountError as exc:
        return await _users_page(request, 400, error=f"Wachtwoord wijzigen lukte niet: {exc}.")
    return await _users_page(request, changed=f"{user.email} heeft een nieuw wachtwoord en is overal uitgelogd.")


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
    Route("/beheer/veldwerk/{id:int}/sluiten", close, methods=["GET", "POST"]),
    Route("/beheer/gebruikers", users, methods=["GET", "POST"]),
    Route("/beheer/gebruikers/{id:int}/status", user_status, methods=["POST"]),
    Route("/beheer/gebruikers/wachtwoord", user_password, methods=["POST"]),
]
