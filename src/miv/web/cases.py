"""Case pages (/beheer/zaken): the list per organisation, a new report, the case page with
its history and next steps, notes and documents. Every route checks access (caseguard),
and every read and change lands in the audit log through `Casework`."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from miv.cases import (
    RULES,
    AccessDenied,
    Action,
    Case,
    CaseError,
    Channel,
    DeadlinePolicy,
    Kind,
    Member,
    Need,
    Notice,
    Outcome,
    Permission,
    Report,
    Role,
    Stage,
    Status,
    TransitionError,
    ViolationForm,
    allowed_actions,
    case_permissions,
    chair_title,
    hearing,
    hearing_closed,
    must_declare,
    organisation_permissions,
    rehabilitation_due,
    representative_body,
    visible,
)
from miv.cases.fields import BODY
from miv.cases.recusal import RECUSERS
from miv.casework import Person, notices
from miv.casework.messages import FEEDBACK_ROLES
from miv.casework.service import RECUSAL
from miv.web.caseguard import NOT_FOUND, casework, now, organisation_page, signed_in
from miv.web.pages import render, templates
from miv.web.security import checked_form
from miv.web.uploads import UploadTooLarge, read_upload

DEADLINES = DeadlinePolicy()
ALERT = (Status.OVERDUE, Status.DUE_SOON)
LOCAL = ZoneInfo("Europe/Amsterdam")
templates.env.filters["tijd"] = lambda value: value.astimezone(LOCAL).strftime("%d-%m-%Y %H:%M")
templates.env.filters["datum"] = lambda value: value.astimezone(LOCAL).strftime("%d-%m-%Y")
templates.env.filters["grootte"] = lambda size: f"{size} bytes" if size < 1024 else f"{size / 1024:.1f} kB".replace(".", ",")


def _see(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _base(request: Request) -> str:
    return f"/beheer/zaken/{request.state.organisation.id}"


def members_by_person(request: Request) -> dict[str, Person]:
    return {p.member.person: p for p in casework(request).people(request.state.organisation.id)}


def page_context(request: Request, title: str, **extra: Any) -> dict[str, Any]:
    organisation = request.state.organisation
    member: Member = request.state.member
    return {"title": title, "organisation": organisation, "member": member, "base": _base(request), "Role": Role,
            "chair": chair_title(organisation.layer),
            "org_permissions": {p.value for p in organisation_permissions(member, organisation.id)}, **extra}


@signed_in
async def home(request: Request) -> Response:
    found = casework(request).memberships(request.scope["user"].id)
    if len(found) == 1:
        return _see(f"/beheer/zaken/{found[0][0].id}")
    return render(request, "cases/home.html", {"title": "Zaken", "memberships": found})


@organisation_page(Permission.LIST)
async def case_list(request: Request) -> Response:
    work, member = casework(request), request.state.member
    at = now()
    cases = visible(member, work.cases(member.organisation))
    rows = [(case, [s for s in DEADLINES.signals(case, at) if s.status in ALERT]) for case in cases]
    unread = work.mailbox.unread(member, cases)
    work.record(member.person, "zaken-bekeken", at, None, member.organisation, {"aantal": len(cases)})
    return render(request, "cases/list.html", page_context(request, "Zaken", rows=rows, unread=unread, Status=Status))


@organisation_page(Permission.CREATE)
async def new_case(request: Request) -> Response:
    member = request.state.member
    others = [p for p in members_by_person(request).values() if p.member.person != member.person]
    context = page_context(request, "Nieuwe melding vastleggen", others=others, form={}, errors={}, channels=list(Channel))
    if request.method == "GET":
        return render(request, "cases/new.html", context)
    form = await checked_form(request)
    channel = next((c for c in Channel if c.value == form.get("kanaal")), None)
    report = Report(str(form.get("omschrijving", "")), str(form.get("betrokkene", "")), str(form.get("melder", "")),
                    channel or Channel.OTHER)
    recused = frozenset(str(p) for p in form.getlist("uitgesloten") if str(p) in {o.member.person for o in others})
    try:
        if channel is None and report.description.strip() and report.concerned.strip():  # else the report's own message first
            raise TransitionError("Kies langs welke weg de melding binnenkwam.", field="kanaal")
        receipt = casework(request).receive(member, report, now(), recused)
    except TransitionError as exc:
        errors = {exc.field or "omschrijving": exc.message}
        return render(request, "cases/new.html", context | {"form": form, "errors": errors, "error_list": list(errors.values())}, status=400)
    _notify(request, receipt.case, set())
    # shown in this response only: no redirect, so the code is never in a URL, the session or a later page
    return render(request, "cases/receipt.html", page_context(request, "Melding vastgelegd", case=receipt.case, code=receipt.code))


def find_case(request: Request, permission: Permission = Permission.LIST) -> Case:
    try:
        return casework(request).visible_case(request.state.member, request.path_params["case"], permission)
    except AccessDenied:
        raise HTTPException(404, NOT_FOUND) from None


@organisation_page(Permission.LIST)
async def case_page(request: Request) -> Response:
    return _case_view(request, find_case(request))


def _case_view(request: Request, case: Case, errors: dict[str, str] | None = None, failed: str | None = None,
               form: FormData | dict[str, str] | None = None, status: int = 200) -> Response:
    work, member = casework(request), request.state.member
    at = now()
    granted = case_permissions(member, case)
    everyone = members_by_person(request)
    contents = work.contents(member, case, at) if Permission.READ in granted else None
    work.record(member.person, "zaak-bekeken", at, case.id, case.organisation, {"rol": member.role.value})
    actions = allowed_actions(member, case)
    candidates = [p for p in everyone.values() if p.member.role in (Role.INVESTIGATOR, Role.ADVISER)
                  and p.member.person not in case.recused and p.member.person != member.person and p.member.person != case.investigator]
    context = page_context(
        request, f"Zaak {case.id}", case=case, contents=contents, granted={p.value for p in granted}, everyone=everyone,
        signals=DEADLINES.signals(case, at), actions=[(a, RULES[a]) for a in actions], Need=Need, forms=list(ViolationForm),
        outcomes=[o for o in Outcome if o is not Outcome.GEEN_ONDERZOEK], candidates=candidates, Stage=Stage,
        documents=work.document_list(case) if Permission.READ in granted else [], errors=errors or {}, failed=failed,
        form=form or {}, ALERT=ALERT, error_list=list((errors or {}).values()),
        holders=sorted(work.holders(case)) if Permission.VIEW_LOG in granted else [],
        recusals=[v for k, v in sorted((contents.fields if contents else {}).items()) if k.startswith(RECUSAL)],
        recusable=[p for p in everyone.values() if p.member.person not in case.recused]
        if member.role in RECUSERS and contents is not None and case.stage is not Stage.AFGESLOTEN else [],
        Kind=Kind, RULES=RULES, body=dict(BODY)[representative_body(request.state.organisation.layer)],
        must_declare=must_declare(member, case), notes=_step_notes(case, at),
        messages=work.mailbox.handler_messages(member, case, at) if Permission.READ in granted else None,
        may_give_feedback=member.role in FEEDBACK_ROLES,
    )
    return render(request, "cases/case.html", context, status=status)


@organisation_page(Permission.LIST)
async def take_step(request: Request) -> Response:
    case = find_case(request)
    member = request.state.member
    form = await checked_form(request)
    try:
        action = Action(str(form.get("actie", "")))
    except ValueError:
        raise HTTPException(400, "Onbekende stap.") from None
    if action not in allowed_actions(member, case):
        raise HTTPException(403, f"U mag '{RULES[action].label}' nu niet uitvoeren in deze zaak.")
    prefix = action.value
    investigator = None
    chosen = str(form.get(f"{prefix}-onderzoeker", ""))
    if chosen:
        investigator = next((p.member for p in members_by_person(request).values() if p.member.person == chosen), None)
        if investigator is None:
            return _case_view(request, case, {"onderzoeker": "Kies een onderzoeker uit de lijst."}, prefix, form, 400)
    outcome = str(form.get(f"{prefix}-uitkomst", ""))
    entries: dict[str, str | list[str]] = {}
    for f in RULES[action].fields:
        if f.kind is Kind.CHOICES:
            entries[f.name] = [str(v) for v in form.getlist(f"{prefix}-{f.name}")]
        elif f.name != "orgaan":  # the body follows from the organisation's layer, not from the form
            entries[f.name] = str(form.get(f"{prefix}-{f.name}", ""))
    before = casework(request).holders(case)
    try:
        case = casework(request).take(
            member, case, action, now(), reason=str(form.get(f"{prefix}-reden", "")), terms=str(form.get(f"{prefix}-onderzoeksopdracht", "")),
            investigator=investigator, outcome=Outcome(outcome) if outcome in {o.value for o in Outcome} else None,
            forms=frozenset(ViolationForm(f) for f in form.getlist(f"{prefix}-vormen") if f in {v.value for v in ViolationForm}),
            entries=entries,
        )
    except TransitionError as exc:
        return _case_view(request, case, {exc.field or "stap": exc.message}, prefix, form, 400)
    _notify(request, case, before)
    if not case_permissions(member, case):
        return _see(_base(request))  # e.g. the investigator after the final report: the case is no longer theirs
    return _see(f"{_base(request)}/zaak/{case.id}")


def _step_notes(case: Case, at: datetime) -> dict[Action, str]:
    """What a step's form should say before it is taken: where hoor en wederhoor stands, and
    that closing waits for rehabilitation."""
    notes = {}
    notice = hearing(case)
    if case.stage is Stage.HOOR_EN_WEDERHOOR and notice is not None:
        term = datetime.fromisoformat(notice.info["termijn"]).strftime("%d-%m-%Y") if "termijn" in notice.info else "onbekend"
        done = "De betrokkene heeft gereageerd of de termijn is voorbij." if hearing_closed(case, at) else (
            "Het eindrapport kan pas worden opgeleverd als de reactie is vastgelegd of de termijn voorbij is.")
        notes[Action.RAPPORT_OPLEVEREN] = f"Reactietermijn van de betrokkene: tot en met {term}. {done}"
    if case.stage is Stage.NAZORG and rehabilitation_due(case) and not any(s.action is Action.REHABILITATIE_VASTLEGGEN for s in case.history):
        notes[Action.AFSLUITEN] = "Leg eerst de rehabilitatie van de betrokkene vast: zonder die stap kan deze zaak niet worden afgesloten."
    return notes


def _notify(request: Request, case: Case, before: set[str]) -> None:
    """Tell the people who hold the case key now, without content: new readers that they got
    access, the others that a step was taken. A mail failure is logged; the step stands."""
    smtp, work, member = request.app.state.settings.smtp, casework(request), request.state.member
    if smtp is None:
        return
    everyone = members_by_person(request)
    after = work.holders(case) - {member.person}
    batch = [(everyone[p].email, Notice.ASSIGNED if p not in before else Notice.STEP) for p in sorted(after) if p in everyone]
    try:
        sent = notices.send(smtp, batch, case.id, f"{request.app.state.settings.base_url}{_base(request)}/zaak/{case.id}")
    except CaseError:
        work.record(member.person, "bericht-mislukt", now(), case.id, case.organisation, {"aantal": len(batch)})
        return
    work.record(member.person, "bericht-verstuurd", now(), case.id, case.organisation, {"aantal": sent})


@organisation_page(Permission.LIST)
async def recuse(request: Request) -> Response:
    """Recuse a member after intake (chair or integrity adviser), with a reason."""
    case = find_case(request, Permission.READ)
    form = await checked_form(request)
    try:
        casework(request).recuse(request.state.member, case, str(form.get("persoon", "")), str(form.get("reden", "")), now())
    except TransitionError as exc:
        return _case_view(request, case, {exc.field or "reden": exc.message}, "uitsluiten", form, 400)
    return _see(f"{_base(request)}/zaak/{case.id}#uitsluiten")


@organisation_page(Permission.LIST)
async def add_note(request: Request) -> Response:
    case = find_case(request, Permission.CONTRIBUTE)
    form = await checked_form(request)
    text = str(form.get("notitie", ""))
    if not text.strip():
        return _case_view(request, case, {"notitie": "Vul de tekst van de notitie in."}, "notitie", form, 400)
    casework(request).add_note(request.state.member, case, text, now())
    return _see(f"{_base(request)}/zaak/{case.id}#notities")


@organisation_page(Permission.LIST)
async def upload(request: Request) -> Response:
    case = find_case(request, Permission.CONTRIBUTE)
    work = casework(request)
    try:
        upload = await read_upload(request, "document", work.documents.max_bytes)
    except UploadTooLarge as exc:
        refused = _case_view(request, case, {"document": str(exc)}, "document", None, 413)
        refused.headers["connection"] = "close"  # the rest of the body is not read: end the connection
        return refused
    if not upload.filename:
        return _case_view(request, case, {"document": "Kies een bestand om toe te voegen."}, "document", None, 400)
    try:
        work.add_document(request.state.member, case, upload.filename, upload.media_type, bytes(upload.data), now())
    except CaseError as exc:
        return _case_view(request, case, {"document": exc.message}, "document", None, 400)
    return _see(f"{_base(request)}/zaak/{case.id}#documenten")


@organisation_page(Permission.LIST)
async def download(request: Request) -> Response:
    case = find_case(request, Permission.READ)
    try:
        document = casework(request).document(request.state.member, case, request.path_params["document"], now())
    except AccessDenied:
        raise HTTPException(404, "Dit document bestaat niet in deze zaak.") from None
    disposition = f"attachment; filename*=UTF-8''{quote(document.name)}"
    return Response(document.data, media_type="application/octet-stream", headers={"content-disposition": disposition})


routes = [
    Route("/beheer/zaken", home),
    Route("/beheer/zaken/{org}", case_list),
    Route("/beheer/zaken/{org}/nieuw", new_case, methods=["GET", "POST"]),
    Route("/beheer/zaken/{org}/zaak/{case}", case_page),
    Route("/beheer/zaken/{org}/zaak/{case}/stap", take_step, methods=["POST"]),
    Route("/beheer/zaken/{org}/zaak/{case}/notitie", add_note, methods=["POST"]),
    Route("/beheer/zaken/{org}/zaak/{case}/uitsluiten", recuse, methods=["POST"]),
    Route("/beheer/zaken/{org}/zaak/{case}/documenten", upload, methods=["POST"]),
    Route("/beheer/zaken/{org}/zaak/{case}/documenten/{document}", download),
]
