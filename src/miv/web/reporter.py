"""The reporter's pages (/melder): follow a report with the receipt code, without an account.

The reporter enters the code, sees the case's phase and whether the acknowledgement and the
feedback came, reads and writes messages (with a file if need be) and can leave an address
for a content-free seintje. A wrong code and an unknown case get the same answer; guessing is
limited per client and for the whole server. The session lives in the database, for at most
an hour and ten minutes without a request, and ends on "afmelden": its row holds the channel
key only sealed under a key from the cookie's token, which the row does not hold (only its hash).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any
from urllib.parse import quote

from sqlalchemy import delete
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from miv.cases import AccessDenied, CaseError, KeyProblem, Notice, Stage, TransitionError
from miv.cases.messages import MAX_TEXT, reporter_status
from miv.cases.reporter import RECEIPT_GROUPS, normalise_receipt
from miv.cases.sealing import derive, seal, unseal
from miv.casework import notices
from miv.casework.messages import ReporterAccess, Upload, session_tag
from miv.store.sessions import SessionRow, token_hash
from miv.web.caseguard import casework
from miv.web.cases import DEADLINES
from miv.web.pages import Endpoint, client, public, render
from miv.web.security import checked_form
from miv.web.sessions import utc_now
from miv.web.uploads import UploadTooLarge, read_upload

BASE = "/melder"
COOKIE = "miv-melder"
IDLE = dt.timedelta(minutes=10)
ABSOLUTE = dt.timedelta(hours=1)
CLIENT_SCOPE, CLIENT_ATTEMPTS = "ontvangstcode", 10  # wrong codes per client per window
SERVER_SCOPE, SERVER_ATTEMPTS = "ontvangstcode-alle", 100  # wrong codes from all clients together per window
WRONG = "Deze ontvangstcode hoort niet bij een melding. Controleer de code die u bij de ontvangstbevestiging kreeg."
CODE_LENGTH = 4 * RECEIPT_GROUPS
TITLE = "Uw melding volgen"


# --- the reporter's session -----------------------------------------------------------------

def _session_key(token: str) -> bytes:
    return derive(token.encode(), "miv reporter-session")


def _begin(request: Request, access: ReporterAccess) -> str:
    """A new session for the reporter; returns the cookie's token (the table keeps its hash)."""
    token = secrets.token_urlsafe(32)
    inner = json.dumps({"zaak": access.case.id, "sleutel": base64.b64encode(access.key.secret).decode()}).encode()
    work, now = casework(request), utc_now()
    with work.db.session() as s:
        data = {"melder": base64.b64encode(seal(_session_key(token), "melder-sessie", inner)).decode(),
                "kanaal": session_tag(s, work.master, access.case.id)}
        s.add(SessionRow(token_hash=token_hash(token), user_id=None, data=json.dumps(data), created=now, last_seen=now,
                         expires=now + ABSOLUTE))
    return token


def _access(request: Request) -> ReporterAccess | None:
    """The signed-in reporter's access, or None (no cookie, ended, idle too long, expired)."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    work, now = casework(request), utc_now()
    with work.db.session() as s:
        row = s.get(SessionRow, token_hash(token))
        if row is None:
            return None
        data = json.loads(row.data)
        if "melder" not in data:  # a staff session's token presented here
            return None
        if now >= _utc(row.expires) or now - _utc(row.last_seen) >= IDLE:
            s.delete(row)
            return None
        row.last_seen = now
    try:
        inner = json.loads(unseal(_session_key(token), "melder-sessie", base64.b64decode(data["melder"])))
    except KeyProblem:
        return None
    try:
        return work.mailbox.resume(inner["zaak"], base64.b64decode(inner["sleutel"]))
    except CaseError:
        return None


def _end(request: Request, others_of: ReporterAccess | None = None) -> None:
    """End this session, or (after a new code) every other session of the same case."""
    work, token = casework(request), request.cookies.get(COOKIE, "")
    with work.db.session() as s:
        if others_of is None:
            row = s.get(SessionRow, token_hash(token))
            if row is not None:
                s.delete(row)
            return
        tag = session_tag(s, work.master, others_of.case.id)
        s.execute(delete(SessionRow).where(SessionRow.data.contains(tag), SessionRow.token_hash != token_hash(token)))


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _cookie(request: Request, token: str | None) -> str:
    flags = f"path={BASE}; httponly; samesite=strict" + ("; secure" if request.app.state.settings.secure else "")
    if token is None:
        return f"{COOKIE}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; {flags}"
    return f"{COOKIE}={token}; {flags}"


def _see(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def reporter_page(endpoint: Callable[[Request, ReporterAccess], Awaitable[Response]]) -> Endpoint:
    """A page for a signed-in reporter; anyone else goes back to the code page."""

    @public
    @wraps(endpoint)
    async def guarded(request: Request) -> Response:
        access = await run_in_threadpool(_access, request)
        if access is None:
            return _see(f"{BASE}?melding=verlopen")
        return await endpoint(request, access)

    return guarded


# --- pages ----------------------------------------------------------------------------------

@public
async def start(request: Request) -> Response:
    if request.method == "GET":
        if await run_in_threadpool(_access, request) is not None:
            return _see(f"{BASE}/berichten")
        notice = {"afgemeld": "U bent afgemeld.", "verlopen": "Uw sessie is verlopen of beëindigd. Vul uw ontvangstcode opnieuw in."}
        return render(request, "reporter/start.html", {"title": TITLE, "notice": notice.get(request.query_params.get("melding", ""))})
    form = await checked_form(request)
    code = str(form.get("code", ""))
    context = {"title": TITLE, "code": code}
    if len(normalise_receipt(code)) != CODE_LENGTH:
        error = "Vul uw ontvangstcode in: 16 tekens, zoals K7QF-2MZA-9RTX-HB4C." if not code.strip() else \
            f"Een ontvangstcode heeft 16 tekens (letters en cijfers); u vulde er {len(normalise_receipt(code))} in."
        return render(request, "reporter/start.html", context | {"error": error}, status=400)
    state, address = request.app.state, client(request)
    if await run_in_threadpool(state.limits.blocked, CLIENT_SCOPE, address, CLIENT_ATTEMPTS):
        raise HTTPException(429, "U heeft te vaak een onjuiste ontvangstcode ingevuld. Wacht een kwartier en probeer het dan opnieuw.")
    if await run_in_threadpool(state.limits.blocked, SERVER_SCOPE, "alle", SERVER_ATTEMPTS):
        raise HTTPException(429, "Er zijn de afgelopen tijd te veel onjuiste ontvangstcodes ingevuld. Probeer het over een kwartier opnieuw.")
    access = await run_in_threadpool(casework(request).mailbox.sign_in, code, utc_now())
    if access is None:
        await run_in_threadpool(state.limits.fail, CLIENT_SCOPE, address)
        await run_in_threadpool(state.limits.fail, SERVER_SCOPE, "alle")
        return render(request, "reporter/start.html", context | {"error": WRONG}, status=400)
    await run_in_threadpool(_end, request)  # a session this browser still had ends: every sign-in gets a new token
    token = await run_in_threadpool(_begin, request, access)
    response = _see(f"{BASE}/berichten")
    response.headers.append("set-cookie", _cookie(request, token))
    return response


def _page(request: Request, access: ReporterAccess, errors: dict[str, str] | None = None, form: dict[str, Any] | None = None,
          status: int = 200) -> Response:
    work, now = casework(request), utc_now()
    context = {"title": "Uw melding", "status": reporter_status(access.case, DEADLINES, now), "closed": access.case.stage is Stage.AFGESLOTEN,
               "messages": work.mailbox.reporter_messages(access, now), "has_email": work.mailbox.has_email(access),
               "errors": errors or {}, "error_list": list((errors or {}).values()), "form": form or {}, "max_text": MAX_TEXT}
    return render(request, "reporter/case.html", context, status=status)


@reporter_page
async def conversation(request: Request, access: ReporterAccess) -> Response:
    if request.method == "GET":
        return await run_in_threadpool(_page, request, access)
    work = casework(request)
    try:
        upload = await read_upload(request, "bijlage", work.documents.max_bytes, text_limit=4 * MAX_TEXT)
    except UploadTooLarge as exc:
        refused = await run_in_threadpool(_page, request, access, {"bijlage": str(exc)}, {"bericht": exc.fields.get("bericht", "")}, 413)
        refused.headers["connection"] = "close"
        return refused
    text = upload.fields.get("bericht", "")
    attachment = Upload(upload.filename, upload.media_type, bytes(upload.data)) if upload.filename else None
    try:
        await run_in_threadpool(work.mailbox.post_as_reporter, access, text, attachment, utc_now())
    except TransitionError as exc:
        return await run_in_threadpool(_page, request, access, {exc.field or "bericht": exc.message}, {"bericht": text}, 400)
    except CaseError as exc:
        return await run_in_threadpool(_page, request, access, {"bijlage": exc.message}, {"bericht": text}, 400)
    await run_in_threadpool(_tell_handlers, request, access)
    return _see(f"{BASE}/berichten#berichten")


def _tell_handlers(request: Request, access: ReporterAccess) -> None:
    """'In zaak … is een nieuw bericht' to everyone who holds the case key; the failure is logged."""
    smtp, work = request.app.state.settings.smtp, casework(request)
    if smtp is None:
        return
    case = access.case
    everyone = {p.member.person: p.email for p in work.people(case.organisation)}
    batch = [(everyone[p], Notice.MESSAGE) for p in sorted(work.holders(case)) if p in everyone]
    url = f"{request.app.state.settings.base_url}/beheer/zaken/{case.organisation}/zaak/{case.id}#berichten"
    try:
        sent = notices.send(smtp, batch, case.id, url)
    except CaseError:
        work.record("melder", "bericht-mislukt", utc_now(), case.id, case.organisation, {"aantal": len(batch)})
        return
    work.record("melder", "bericht-verstuurd", utc_now(), case.id, case.organisation, {"aantal": sent})


@reporter_page
async def email(request: Request, access: ReporterAccess) -> Response:
    form = await checked_form(request)
    address = "" if form.get("verwijderen") else str(form.get("email", ""))
    try:
        await run_in_threadpool(casework(request).mailbox.set_email, access, address, utc_now())
    except TransitionError as exc:
        return await run_in_threadpool(_page, request, access, {"email": exc.message}, {"email": address}, 400)
    return _see(f"{BASE}/berichten#seintje")


@reporter_page
async def new_code(request: Request, access: ReporterAccess) -> Response:
    """A code that only the reporter knows: shown in this answer once, never kept; every other
    session of the case (someone who used the old code) ends."""
    await checked_form(request)
    code = await run_in_threadpool(casework(request).mailbox.renew_code, access, utc_now())
    await run_in_threadpool(_end, request, access)
    return render(request, "reporter/code.html", {"title": "Uw nieuwe ontvangstcode", "code": code})


@reporter_page
async def attachment(request: Request, access: ReporterAccess) -> Response:
    try:
        document = await run_in_threadpool(casework(request).mailbox.reporter_attachment, access, request.path_params["document"], utc_now())
    except (AccessDenied, KeyProblem):
        raise HTTPException(404, "Deze bijlage bestaat niet bij uw melding.") from None
    disposition = f"attachment; filename*=UTF-8''{quote(document.name)}"
    return Response(document.data, media_type="application/octet-stream", headers={"content-disposition": disposition})


@public
async def sign_out(request: Request) -> Response:
    await checked_form(request)
    await run_in_threadpool(_end, request)
    response = _see(f"{BASE}?melding=afgemeld")
    response.headers.append("set-cookie", _cookie(request, None))
    return response


routes = [
    Route(BASE, start, methods=["GET", "POST"]),
    Route(f"{BASE}/berichten", conversation, methods=["GET", "POST"]),
    Route(f"{BASE}/bijlagen/{{document}}", attachment),
    Route(f"{BASE}/e-mail", email, methods=["POST"]),
    Route(f"{BASE}/nieuwe-code", new_code, methods=["POST"]),
    Route(f"{BASE}/afmelden", sign_out, methods=["POST"]),
]
