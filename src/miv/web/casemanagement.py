"""Around the cases: the second factor at sign-in, access management, the audit log for
chair and auditor, and the anonymised figures with their export for the monitor."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from sqlalchemy import select
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from miv.cases import MEASURES, AccessDenied, AuditEntry, CaseError, Permission, Role, Verification, require
from miv.cases.audit import ORIGIN
from miv.cases.recusal import blocking
from miv.cases.statistics import LOCAL
from miv.casework.logstore import entry_from_row
from miv.casework.records import RecordTampered
from miv.casework import CASE_ACCOUNT, Casework, MemberError, person_id, twofactor
from miv.store.cases import AuditRow
from miv.web.caseguard import NOT_FOUND, SECOND_FACTOR, casework, now, organisation_page
from miv.web.cases import find_case, members_by_person, page_context
from miv.web.pages import client, render, requires
from miv.web.security import checked_form

TOTP_SCOPE = "tweestaps"


def _see(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@requires(CASE_ACCOUNT)
async def second_factor(request: Request) -> Response:
    """The second factor. Without a confirmed TOTP: first the administrator's one-time enrolment
    code, whose answer shows a new secret once; then, as at every sign-in, the TOTP code."""
    work, user, state = casework(request), request.scope["user"], request.app.state
    target = request.query_params.get("volgende", "/beheer/zaken")
    target = target if target.startswith("/beheer/zaken") else "/beheer/zaken"
    person = person_id(user.id)
    with work.db.session() as session:
        enrolled, pending = twofactor.enrolled(session, person), twofactor.pending(session, person)
    context = {"title": "Inloggen met tweestapsverificatie", "enrolled": enrolled, "pending": pending, "next": target}
    if request.method == "GET":
        return render(request, "cases/twofactor.html", context)
    form = await checked_form(request)
    address = client(request)
    if state.limits.blocked(TOTP_SCOPE, address, state.settings.login_attempts):
        raise HTTPException(429, "Te veel onjuiste codes. Wacht een kwartier en probeer het dan opnieuw.")
    if "inschrijfcode" in form and not enrolled:
        with work.db.session() as session:
            enrolment = twofactor.redeem(session, work.master, person, user.email, str(form.get("inschrijfcode", "")), now())
        if enrolment is None:
            return _refused(request, work, person, context, "inschrijfcode",
                            "Deze inschrijfcode is onjuist, al gebruikt, verlopen of niet voor uw account. Vraag de beheerder om een nieuwe.")
        work.record(person, "tweestaps-ingeschreven", now(), None, None, {"persoon": person})
        return render(request, "cases/twofactor.html", context | {"enrolment": enrolment, "pending": True})
    if not (enrolled or pending):
        return _refused(request, work, person, context, "inschrijfcode", "Vul eerst de inschrijfcode van de beheerder in.")
    with work.db.session() as session:
        accepted = twofactor.check(session, work.master, person, str(form.get("code", "")), now())
    if not accepted:
        return _refused(request, work, person, context, "code", "Deze code is onjuist of al gebruikt. Vul de zescijferige code in die uw app nu toont.")
    work.record(person, "inloggen", now(), None, None, {"tweestaps": True})
    request.session[SECOND_FACTOR] = user.id
    return _see(target)


def _refused(request: Request, work: Casework, person: str, context: dict[str, Any], field: str, error: str) -> Response:
    """A wrong enrolment or TOTP code: counted against the rate limit and logged, the form again."""
    request.app.state.limits.fail(TOTP_SCOPE, client(request))
    work.record(person, "inloggen-mislukt", now(), None, None, {"reden": field})
    return render(request, "cases/twofactor.html", context | {"error": error, "error_field": field}, status=400)


@organisation_page(Permission.CREATE)
async def access(request: Request) -> Response:
    """Members of the organisation and their case roles; the chair adds and removes them."""
    member, work = request.state.member, casework(request)
    blocked = bool(blocking(member, work.cases(member.organisation)))
    manage = member.role is Role.CHAIR and not blocked
    substitute = member.role is Role.ADVISER and not blocked
    roles = list(Role) if manage else [Role.CHAIR]
    context = page_context(request, "Toegang en rollen", roles=roles, manage=manage, substitute=substitute, blocked=blocked)
    error = None
    if request.method == "POST":
        form = await checked_form(request)
        try:
            if form.get("verwijder"):
                work.revoke(member, int(str(form.get("verwijder"))), member.organisation, now())
            else:
                work.grant(member, str(form.get("email", "")), member.organisation, str(form.get("rol", "")), now())
        except AccessDenied:
            raise  # not a form error: the handler answers 403
        except (MemberError, ValueError) as exc:
            error = str(exc)
        except CaseError as exc:
            error = exc.message
        if error is None:
            return _see(f"{context['base']}/toegang")
    else:
        work.record(member.person, "toegang-bekeken", now(), None, member.organisation, {})
    members = work.people(member.organisation)
    return render(request, "cases/access.html", context | {"members": members, "error": error}, status=400 if error else 200)


def _log_rows(request: Request, entries: list[AuditEntry]) -> list[tuple[AuditEntry, str]]:
    """Each entry with who wrote it: the member's name, or what a command's operator typed and
    the operating-system account and host that ran it (audit.ORIGIN)."""
    names = {person: p.name for person, p in members_by_person(request).items()}
    rows = []
    for entry in entries:
        who = names.get(entry.actor, entry.actor)
        user, host = (entry.detail.get(k) for k in ORIGIN)
        if user is not None:
            who += f" (OS-gebruiker {user} op {host})"
        rows.append((entry, who))
    return rows


def _own(result: Verification, cases: set[str]) -> Verification:
    """The chain's and anchor's findings, and those about records of these cases only: a page
    of one organisation names no case of another."""
    kept = [f for f in result.findings if f.place is None or any(f.place == f"zaak {c}" or f.place.startswith(f"zaak {c},") for c in cases)]
    return Verification(result.count, result.head, kept)


@organisation_page(Permission.VIEW_LOG)
async def organisation_log(request: Request) -> Response:
    member, work = request.state.member, casework(request)
    status = 200
    try:
        entries = work.organisation_log(member)
    except RecordTampered:  # who is recused can no longer be trusted: show the findings, no entries
        entries, status = [], 409
    verification = _own(work.verify_log(), work.case_ids(member.organisation))
    work.record(member.person, "logboek-bekeken", now(), None, member.organisation, {})
    context = page_context(request, "Logboek", rows=_log_rows(request, entries), origin=ORIGIN,
                           verification=verification, case=None)
    return render(request, "cases/log.html", context, status=status)


@organisation_page(Permission.LIST)
async def case_log(request: Request) -> Response:
    case = find_case(request)
    member, work = request.state.member, casework(request)
    try:
        require(member, Permission.VIEW_LOG, case=case)
    except AccessDenied:
        raise HTTPException(404, NOT_FOUND) from None
    with work.db.session() as session:
        rows = list(session.scalars(select(AuditRow).where(AuditRow.case_id == case.id).order_by(AuditRow.seq)))
    entries = [entry_from_row(r) for r in rows]
    work.record(member.person, "logboek-bekeken", now(), case.id, case.organisation, {})
    context = page_context(request, f"Logboek van zaak {case.id}", rows=_log_rows(request, entries), origin=ORIGIN,
                           verification=_own(work.verify_log(), {case.id}), case=case)
    return render(request, "cases/log.html", context)


def _year(request: Request) -> int:
    text = request.query_params.get("jaar", "")
    if not text:
        return now().astimezone(LOCAL).year
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise HTTPException(400, f"Jaar {text!r}: verwacht een jaartal, bijvoorbeeld 2026.")
    return int(text)


def _figures(request: Request) -> tuple[int, dict[str, int], list[int]]:
    organisation, year = request.state.organisation, _year(request)
    counts = casework(request).counts_for(request.state.member)
    years = sorted({y for o, y, _ in counts.counts if o == organisation.id} | {now().astimezone(LOCAL).year, year}, reverse=True)
    return year, counts.questionnaire_row(organisation.id, year), years


def _export_row(request: Request, year: int, row: dict[str, int]) -> dict[str, str | int]:
    organisation = request.state.organisation
    return {"edition": year, "questionnaire": "organisaties", "layer": organisation.layer, "organisation": organisation.name, **row}


@organisation_page(Permission.VIEW_STATISTICS)
async def figures(request: Request) -> Response:
    member = request.state.member
    year, row, years = _figures(request)
    casework(request).record(member.person, "cijfers-bekeken", now(), None, member.organisation, {"jaar": year})
    lines = [(code, label, row[code]) for code, label in MEASURES.values()]
    return render(request, "cases/figures.html", page_context(request, f"Cijfers {year}", year=year, years=years, lines=lines))


@organisation_page(Permission.VIEW_STATISTICS)
async def figures_export(request: Request) -> Response:
    member = request.state.member
    year, row, _ = _figures(request)
    kind = request.url.path.rsplit(".", 1)[1]
    casework(request).record(member.person, "cijfers-geexporteerd", now(), None, member.organisation, {"jaar": year, "formaat": kind})
    record = _export_row(request, year, row)
    name = f"zaken-{member.organisation}-{year}.{kind}"
    headers = {"content-disposition": f'attachment; filename="{name}"'}
    if kind == "json":
        body = {"questionnaire": "organisaties", "edition": year, "variables": {code: label for code, label in MEASURES.values()}, "rows": [record]}
        return Response(json.dumps(body, ensure_ascii=False, indent=2), media_type="application/json", headers=headers)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(record), delimiter=";", lineterminator="\n")
    writer.writeheader()
    writer.writerow(record)
    return Response(out.getvalue().encode("utf-8-sig"), media_type="text/csv; charset=utf-8", headers=headers)


routes = [
    Route("/beheer/zaken/tweestaps", second_factor, methods=["GET", "POST"]),
    Route("/beheer/zaken/{org}/toegang", access, methods=["GET", "POST"]),
    Route("/beheer/zaken/{org}/logboek", organisation_log),
    Route("/beheer/zaken/{org}/zaak/{case}/logboek", case_log),
    Route("/beheer/zaken/{org}/cijfers", figures),
    Route("/beheer/zaken/{org}/cijfers.csv", figures_export),
    Route("/beheer/zaken/{org}/cijfers.json", figures_export),
]
