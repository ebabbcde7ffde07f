"""The handlers' side of the reporter's message channel, on the case page: write to the reporter
(optionally as the terugkoppeling of the Wbk, with a file) and open an attachment. The reporter
who left an address gets a seintje without content, the other key holders a notice."""

from __future__ import annotations

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from miv.cases import AccessDenied, Case, CaseError, KeyProblem, Notice, Permission, TransitionError
from miv.cases.messages import MAX_TEXT
from miv.casework import notices
from miv.casework.messages import Upload
from miv.web.caseguard import casework, now, organisation_page
from miv.web.cases import _base, _case_view, _see, find_case, members_by_person
from miv.web.uploads import UploadTooLarge, read_upload


@organisation_page(Permission.LIST)
async def post_message(request: Request) -> Response:
    case = find_case(request, Permission.CONTRIBUTE)
    work, member = casework(request), request.state.member
    try:
        upload = await read_upload(request, "bijlage", work.documents.max_bytes, text_limit=4 * MAX_TEXT)
    except UploadTooLarge as exc:
        refused = _case_view(request, case, {"bijlage": str(exc)}, "bericht", {"bericht": exc.fields.get("bericht", "")}, 413)
        refused.headers["connection"] = "close"
        return refused
    text, feedback = upload.fields.get("bericht", ""), upload.fields.get("terugkoppeling") == "ja"
    attachment = Upload(upload.filename, upload.media_type, bytes(upload.data)) if upload.filename else None
    try:
        address = await run_in_threadpool(work.mailbox.post_as_handler, member, case, text, feedback, attachment, now())
    except TransitionError as exc:
        return _case_view(request, case, {exc.field or "bericht": exc.message}, "bericht", {"bericht": text}, 400)
    except CaseError as exc:
        return _case_view(request, case, {"bijlage": exc.message}, "bericht", {"bericht": text}, 400)
    await run_in_threadpool(_notify, request, case, address)
    return _see(f"{_base(request)}/zaak/{case.id}#berichten")


def _notify(request: Request, case: Case, reporter: str | None) -> None:
    """The seintje to the reporter ('log in met uw ontvangstcode') and the notice to the other
    key holders; a mail failure is logged and the message stands."""
    settings, work, member = request.app.state.settings, casework(request), request.state.member
    if settings.smtp is None:
        return
    everyone = members_by_person(request)
    batch = [(everyone[p].email, Notice.MESSAGE) for p in sorted(work.holders(case) - {member.person}) if p in everyone]
    try:
        sent = notices.send(settings.smtp, batch, case.id, f"{settings.base_url}{_base(request)}/zaak/{case.id}#berichten")
        if reporter:
            sent += notices.send_to_reporter(settings.smtp, reporter, f"{settings.base_url}/melder")
    except CaseError:
        work.record(member.person, "bericht-mislukt", now(), case.id, case.organisation, {"aantal": len(batch) + bool(reporter)})
        return
    work.record(member.person, "bericht-verstuurd", now(), case.id, case.organisation, {"aantal": sent, "melder": bool(reporter)})


@organisation_page(Permission.LIST)
async def attachment(request: Request) -> Response:
    case = find_case(request, Permission.READ)
    try:
        document = await run_in_threadpool(casework(request).mailbox.handler_attachment, request.state.member, case,
                                           request.path_params["attachment"], now())
    except (AccessDenied, KeyProblem):
        raise HTTPException(404, "Deze bijlage bestaat niet in deze zaak.") from None
    disposition = f"attachment; filename*=UTF-8''{quote(document.name)}"
    return Response(document.data, media_type="application/octet-stream", headers={"content-disposition": disposition})


routes = [
    Route("/beheer/zaken/{org}/zaak/{case}/berichten", post_message, methods=["POST"]),
    Route("/beheer/zaken/{org}/zaak/{case}/berichten/{attachment}", attachment),
]
