"""The respondent's pages: enter with a code, choose a resume word (or give it when coming
back), answer page by page, review, submit.

The session is a signed cookie in the respondent's browser, never a database row: it holds
the invitation id and the key derived from the resume word, without which the answers in
progress cannot be opened (docs/anonymity.md). Every page is a plain HTML form: it works
without JavaScript."""

from __future__ import annotations

from typing import Any

import base64
import math

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from miv.definition import Item, ItemType, Questionnaire
from miv.fieldwork import (
    FieldError,
    FieldworkError,
    begin,
    change_answers,
    check_word,
    enter,
    has_saved,
    load_answers,
    questionnaire_for,
    submit,
    unlock,
    visible_items,
    visible_pages,
)
from miv.fieldwork.answers import MISSING_SUFFIX, PageResult, apply_page
from miv.fieldwork.keys import normalise_code
from miv.web.pages import client, public, render
from miv.web.security import checked_form

CODE_SCOPE = "code"
WORD_SCOPE = "herstelwoord"
WORD_ATTEMPTS = 10  # wrong resume words per invitation (and per client) per window
SECONDS_PER_ITEM = 20  # for the length shown before the first page
STATEMENT_TESTED = "1 december 2026"  # the accessibility statement's last test: tests/web/test_browser.py, run that day
MAX_ENTERED = 40  # an invalid entry shown back after the redirect travels in the session cookie


def _see(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@public
async def home(request: Request) -> Response:
    return render(request, "survey/start.html", {"title": "Inloggen met uw code"})


@public
async def start(request: Request) -> Response:
    """Code from the form (POST) or from the invitation link (GET ?code=)."""
    if request.method == "POST":
        code = str((await checked_form(request)).get("code", ""))
    else:
        code = request.query_params.get("code", "")
        if not code:
            return _see("/")
    state = request.app.state
    address = client(request)
    if await run_in_threadpool(state.limits.blocked, CODE_SCOPE, address, state.settings.code_attempts):
        raise HTTPException(429, "U heeft te vaak een onjuiste code ingevoerd. Wacht een kwartier en probeer het dan opnieuw.")
    invitation = await run_in_threadpool(enter, state.db, state.keys, code) if normalise_code(code) else None
    if invitation is None:
        await run_in_threadpool(state.limits.fail, CODE_SCOPE, address)
        error = "Deze code is onbekend of al gebruikt, of het onderzoek is gesloten. Controleer de code in uw uitnodiging." if normalise_code(code) else "Vul de code uit uw uitnodiging in."
        return render(request, "survey/start.html", {"title": "Inloggen met uw code", "error": error, "code": code}, status=400)
    request.session.clear()
    request.session["invitation"] = invitation.invitation
    return _see("/vragenlijst/herstelwoord" if invitation.saved else "/vragenlijst/begin")


def _invitation(request: Request) -> int:
    invitation = request.session.get("invitation")
    if not isinstance(invitation, int):
        raise HTTPException(403, "U bent niet ingelogd. Log in met de code uit uw uitnodiging.")
    return invitation


def _secret(request: Request) -> bytes | None:
    word = request.session.get("sleutel")
    return base64.b64decode(word) if isinstance(word, str) else None


async def _state(request: Request) -> tuple[int, bytes, Questionnaire, dict[str, Any], dict[str, Any]]:
    """The respondent's invitation, word key, questionnaire, stratum and answers so far.
    Database work and crypto run in the thread pool, off the event loop."""
    invitation, secret = _invitation(request), _secret(request)
    if secret is None:
        raise HTTPException(403, "Vul eerst uw herstelwoord in. Ga naar de vragenlijst via de link of code in uw uitnodiging.")
    try:
        q, stratum, answers = await run_in_threadpool(load_answers, request.app.state.db, request.app.state.keys, invitation, secret)
    except FieldworkError as exc:
        request.session.clear()
        raise HTTPException(403, f"U kunt niet (meer) verder: {exc.message}.") from None
    return invitation, secret, q, stratum, answers


def _signed_in(request: Request, invitation: int, secret: bytes) -> None:
    request.session["invitation"] = invitation
    request.session["sleutel"] = base64.b64encode(secret).decode()


@public
async def introduction(request: Request) -> Response:
    """Before the first page: what the questionnaire is about, how long it takes, what happens
    with the answers, whom to ask; and the resume word the respondent chooses. With
    ?opnieuw the respondent starts again after forgetting the word (answers so far go)."""
    invitation = _invitation(request)
    state = request.app.state
    try:
        q, stratum = await run_in_threadpool(questionnaire_for, state.db, invitation)
    except FieldworkError as exc:
        request.session.clear()
        raise HTTPException(403, f"U kunt niet (meer) verder: {exc.message}.") from None
    again = "opnieuw" in request.query_params or request.method == "POST" and "opnieuw" in (await request.form())
    # the length, unless the questionnaire's own introduction already gives it (no hint twice)
    minutes = None if "minuten" in q.intro else max(5, 5 * math.ceil(len(visible_items(q, stratum, {})) * SECONDS_PER_ITEM / 300))
    context = {"title": q.title, "q": q, "minutes": minutes, "again": again, "contact": state.settings.contact,
               "pages": len(_steps(q, stratum))}
    if request.method == "GET":
        return render(request, "survey/begin.html", context)
    form = await checked_form(request)
    word, repeated = str(form.get("woord", "")), str(form.get("herhaling", ""))
    problem = check_word(word, repeated)
    if problem:
        return render(request, "survey/begin.html", context | {"error": problem}, status=400)
    try:
        secret = await run_in_threadpool(begin, state.db, state.keys, invitation, word)
    except FieldworkError as exc:
        raise HTTPException(403, f"U kunt niet (meer) verder: {exc.message}.") from None
    _signed_in(request, invitation, secret)
    return _see("/vragenlijst")


@public
async def resume_word(request: Request) -> Response:
    """Coming back with the code: the resume word opens the answers saved so far."""
    invitation = _invitation(request)
    context = {"title": "Vul uw herstelwoord in"}
    if request.method == "GET":
        return render(request, "survey/word.html", context)
    form = await checked_form(request)
    state = request.app.state
    keys = (client(request), f"uitnodiging {invitation}")
    for key in keys:
        if await run_in_threadpool(state.limits.blocked, WORD_SCOPE, key, WORD_ATTEMPTS):
            raise HTTPException(429, "U heeft te vaak een onjuist herstelwoord ingevuld. Wacht een kwartier en probeer het dan opnieuw.")
    try:
        secret = await run_in_threadpool(unlock, state.db, state.keys, invitation, str(form.get("woord", "")))
    except FieldworkError as exc:
        raise HTTPException(403, f"U kunt niet (meer) verder: {exc.message}.") from None
    if secret is None:
        for key in keys:
            await run_in_threadpool(state.limits.fail, WORD_SCOPE, key)
        return render(request, "survey/word.html", context | {"error": "Dit herstelwoord is niet juist. Let op hoofdletters en spaties."}, status=400)
    _signed_in(request, invitation, secret)
    return _see("/vragenlijst")


def _unanswered(items: list[Item], answers: dict[str, Any]) -> list[Item]:
    return [item for item in items if item.required and answers.get(item.code) in (None, [])]


@public
async def resume(request: Request) -> Response:
    """Continue where the respondent left off: the first page with an open question."""
    invitation = request.session.get("invitation")
    if isinstance(invitation, int) and _secret(request) is None:
        saved = await run_in_threadpool(has_saved, request.app.state.db, invitation)
        return _see("/vragenlijst/herstelwoord" if saved else "/vragenlijst/begin")
    _, _, q, stratum, answers = await _state(request)
    open_items = {item.code for item in _unanswered(visible_items(q, stratum, answers), answers)}
    for page in visible_pages(q, stratum, answers):
        if any(item.code in open_items for item in page.items):
            return _see(f"/vragenlijst/{page.code}")
    return _see("/vragenlijst/controle")


def _choices(q: Questionnaire, item: Item) -> list[tuple[int, str]]:
    labels = {m.code: m.label for m in q.missing}
    return [(o.code, o.label) for o in q.options(item)] + [(code, labels[code]) for code in item.missing]


def _steps(q: Questionnaire, stratum: dict) -> list[str]:
    """The pages this respondent's group may see, routing aside: the step count stays the same
    whatever the answers, so it never jumps back or grows."""
    group = stratum.get("group")
    return [p.code for p in q.pages if any(item.groups is None or group in item.groups for item in p.items)]


REVIEW = "controle"


def _page_view(request: Request, q: Questionnaire, stratum: dict, answers: dict, code: str,
               errors: list[FieldError] | None = None, entered: dict | None = None, notice: str | None = None) -> Response:
    """Render one page; `entered` shows back an invalid entry. Posts always redirect here
    (post/redirect/get), so the browser's back and forward buttons never resubmit."""
    errors = errors or []
    pages = visible_pages(q, stratum, answers)
    index = next((i for i, p in enumerate(pages) if p.code == code), None)
    if index is None:
        raise HTTPException(404, "Deze vragenpagina hoort niet bij uw vragenlijst.")
    page = pages[index]
    shown = {item.code for item in visible_items(q, stratum, answers)}
    items = [item for item in page.items if item.code in shown]
    context = {
        "title": page.title, "q": q, "page": page, "items": items, "answers": answers | (entered or {}),
        "choices": {item.code: _choices(q, item) for item in items}, "errors": {e.item: e.message for e in errors},
        "error_list": list(errors), "notice": notice, "first": index == 0, "ItemType": ItemType, "suffix": MISSING_SUFFIX,
        "step": (_steps(q, stratum).index(code) + 1) if code in _steps(q, stratum) else index + 1, "steps": len(_steps(q, stratum)) + 1,
        "review": request.query_params.get("terug") == REVIEW,
    }
    return render(request, "survey/page.html", context)


@public
async def page(request: Request) -> Response:
    invitation, secret, q, stratum, answers = await _state(request)
    code = request.path_params["page"]
    if request.method == "GET":
        flash = request.session.pop("flash", None) or {}
        if flash.get("page") != code:
            return _page_view(request, q, stratum, answers, code)
        errors = [FieldError(item, message) for item, message in flash.get("errors", {}).items()]
        return _page_view(request, q, stratum, answers, code, errors, entered=flash.get("entered"), notice=flash.get("notice"))
    form = await checked_form(request)
    current = next((p for p in q.pages if p.code == code), None)
    if current is None:
        raise HTTPException(404, "Deze vragenpagina hoort niet bij uw vragenlijst.")
    posted = {key: form.getlist(key) for key in form.keys()}
    results: list[PageResult] = []

    def apply(saved: dict[str, Any]) -> dict[str, Any]:
        results.append(apply_page(q, stratum, saved, current, posted))
        return results[-1].answers

    state = request.app.state
    action = form.get("actie")
    await run_in_threadpool(change_answers, state.db, state.keys, invitation, secret, apply, leave=action == "later")
    result = results[-1]
    pages = [p.code for p in visible_pages(q, stratum, result.answers)]
    if action == "vorige":
        index = pages.index(code) if code in pages else 0
        return _see(f"/vragenlijst/{pages[max(index - 1, 0)]}")
    if action == "later":
        request.session.clear()
        return render(request, "survey/later.html", {"title": "Uw antwoorden zijn bewaard", "days": state.settings.progress_days})
    again = f"/vragenlijst/{code}" + ("?terug=" + REVIEW if form.get("terug") == REVIEW else "")
    if result.errors:
        entered = {e.item: result.values[e.item][:MAX_ENTERED] for e in result.errors if isinstance(result.values.get(e.item), str)}
        request.session["flash"] = {"page": code, "errors": {e.item: e.message for e in result.errors}, "entered": entered}
        return _see(again)
    if result.follow_up:
        many = len(result.follow_up) > 1
        named = ", ".join(f"‘{item.text}’" for item in result.follow_up)
        notice = f"Door uw antwoord {'zijn er vervolgvragen' if many else 'is er een vervolgvraag'} op deze pagina bijgekomen: {named}"
        request.session["flash"] = {"page": code, "notice": notice}
        return _see(again)
    if form.get("terug") == REVIEW:  # changed from the review: back to it
        return _see("/vragenlijst/controle")
    if code not in pages:  # a page routing no longer shows: continue where the respondent left off
        return _see("/vragenlijst")
    index = pages.index(code)
    return _see(f"/vragenlijst/{pages[index + 1]}" if index + 1 < len(pages) else "/vragenlijst/controle")


def _answer_text(q: Questionnaire, item: Item, value: Any) -> str:
    if value in (None, []):
        return "Niet beantwoord"
    labels = dict(_choices(q, item))
    if item.type is ItemType.NUMBER and value in item.missing:
        return labels[int(value)]
    if item.type is ItemType.MULTI:
        return ", ".join(labels.get(v, str(v)) for v in value)
    if item.type is ItemType.SINGLE:
        return labels.get(value, str(value))
    if item.type is ItemType.NUMBER:
        return f"{value:g}".replace(".", ",")
    return str(value)


@public
async def review(request: Request) -> Response:
    invitation, secret, q, stratum, answers = await _state(request)
    shown = {item.code for item in visible_items(q, stratum, answers)}
    pages = visible_pages(q, stratum, answers)
    sections = [
        (p, [(item, _answer_text(q, item, answers.get(item.code))) for item in p.items if item.code in shown]) for p in pages
    ]
    missing = _unanswered(visible_items(q, stratum, answers), answers)
    context = {"title": "Controleer uw antwoorden", "sections": sections, "missing": missing, "q": q,
               "page_of": {item.code: p.code for p in pages for item in p.items}, "step": len(_steps(q, stratum)) + 1,
               "steps": len(_steps(q, stratum)) + 1}
    if request.method == "GET":
        blocked = (request.session.pop("flash", None) or {}).get("page") == "controle"
        return render(request, "survey/review.html", context | {"blocked": blocked})
    await checked_form(request)
    if missing:
        request.session["flash"] = {"page": "controle"}
        return _see("/vragenlijst/controle")
    try:
        await run_in_threadpool(submit, request.app.state.db, request.app.state.keys, invitation, secret)
    except FieldworkError as exc:
        raise HTTPException(409, f"Verzenden lukte niet: {exc.message}.") from None
    request.session.clear()
    return _see("/bedankt")


@public
async def thanks(request: Request) -> Response:
    return render(request, "survey/thanks.html", {"title": "Bedankt voor uw deelname", "contact": request.app.state.settings.contact})


@public
async def accessibility(request: Request) -> Response:
    return render(request, "survey/accessibility.html", {"title": "Toegankelijkheidsverklaring", "tested": STATEMENT_TESTED,
                                                         "contact": request.app.state.settings.contact})


routes = [
    Route("/", home),
    Route("/start", start, methods=["GET", "POST"]),
    Route("/vragenlijst", resume),
    Route("/vragenlijst/begin", introduction, methods=["GET", "POST"]),
    Route("/vragenlijst/herstelwoord", resume_word, methods=["GET", "POST"]),
    Route("/vragenlijst/controle", review, methods=["GET", "POST"]),
    Route("/vragenlijst/{page}", page, methods=["GET", "POST"]),
    Route("/bedankt", thanks),
    Route("/toegankelijkheid", accessibility),
]
