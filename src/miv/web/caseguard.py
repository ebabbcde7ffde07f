"""The lock on every case page: a signed-in `zaken` account, the second factor of this
session, a membership of the organisation in the URL, and then the `miv.cases.access` rule.

A case that the member may not see answers 404 with the same page whether it exists or
not; an organisation page they may not use answers 403.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from functools import wraps

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from miv.cases import AccessDenied, AnchorFile, DocumentStore, MasterKey, Member, Permission, require
from miv.casework import CASE_ACCOUNT, Casework
from miv.store import Database
from miv.store.cases import Organisation
from miv.web.pages import Endpoint, requires
from miv.web.settings import Settings

SECOND_FACTOR = "tweestaps"
TWO_FACTOR_PAGE = "/beheer/zaken/tweestaps"
NOT_FOUND = "Deze zaak bestaat niet of u heeft er geen toegang toe."


def now() -> datetime:
    return datetime.now(timezone.utc)


def casework_for(settings: Settings, db: Database) -> Casework | None:
    """The case service when a master key file is configured; without one the case pages answer 503."""
    if settings.cases_master_key is None:
        return None
    anchor = settings.cases_anchor or AnchorFile.beside(settings.cases_master_key)
    documents = DocumentStore(settings.cases_documents, settings.cases_max_upload)
    return Casework(db, MasterKey.load(settings.cases_master_key), documents, anchor=anchor)


def casework(request: Request) -> Casework:
    work = request.app.state.casework
    if work is None:
        raise HTTPException(503, "Zaken zijn op deze server niet ingericht: er is geen hoofdsleutel ingesteld.")
    return work


def signed_in(endpoint: Endpoint) -> Endpoint:
    """A `zaken` account that passed the second factor in this session (any organisation)."""

    @requires(CASE_ACCOUNT)
    @wraps(endpoint)
    async def guarded(request: Request) -> Response:
        casework(request)
        if request.session.get(SECOND_FACTOR) != request.scope["user"].id:
            return RedirectResponse(f"{TWO_FACTOR_PAGE}?volgende={request.url.path}", status_code=303)
        return await endpoint(request)

    return guarded


def organisation_page(permission: Permission) -> Callable[[Endpoint], Endpoint]:
    """A page of one organisation (`{org}` in the path) that needs `permission` there."""

    def decorate(endpoint: Endpoint) -> Endpoint:
        @signed_in
        @wraps(endpoint)
        async def guarded(request: Request) -> Response:
            member, organisation = membership(request)
            try:
                require(member, permission, organisation=organisation.id)
            except AccessDenied:
                raise HTTPException(403, "U heeft geen toegang tot deze pagina met uw rol in deze organisatie.") from None
            request.state.member = member
            request.state.organisation = organisation
            return await endpoint(request)

        return guarded

    return decorate


def membership(request: Request) -> tuple[Member, Organisation]:
    code = request.path_params["org"]
    found = [(o, m) for o, m in casework(request).memberships(request.scope["user"].id) if o.id == code]
    if not found:
        raise HTTPException(403, "U heeft geen rol in deze organisatie.")
    organisation, member = found[0]
    return member, organisation
