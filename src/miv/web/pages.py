"""Rendering pages: one Jinja2 environment, the CSRF token and the signed-in user in every page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from miv.store.users import ROLES
from miv.web.accounts import get_user
from miv.web.security import csrf_token

templates = Jinja2Templates(directory=Path(__file__).with_name("templates"))
templates.env.globals["ROLES"] = ROLES
templates.env.filters["percent"] = lambda x: f"{100 * x:.1f}%".replace(".", ",")

Endpoint = Callable[[Request], Awaitable[Response]]


def render(request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200) -> Response:
    context = {"csrf": csrf_token(request), "user": request.scope.get("user"), **(context or {})}
    return templates.TemplateResponse(request, template, context, status_code=status)


def public(endpoint: Endpoint) -> Endpoint:
    """Mark a page anyone may open (respondent pages, login); see `requires`."""
    endpoint.roles = None  # type: ignore[attr-defined]
    return endpoint


def requires(*roles: str) -> Callable[[Endpoint], Endpoint]:
    """Only signed-in staff with one of `roles`; others go to the login page or get 403.
    The role is read from the database on every request, so a change takes effect at once."""

    def decorate(endpoint: Endpoint) -> Endpoint:
        @wraps(endpoint)
        async def guarded(request: Request) -> Response:
            user_id = request.session.get("user")
            user = await run_in_threadpool(get_user, request.app.state.db, user_id) if isinstance(user_id, int) else None
            if user is None:
                ended = "&verlopen=1" if request.scope.get("session_ended") else ""
                return RedirectResponse(f"/beheer/inloggen?volgende={request.url.path}{ended}", status_code=303)
            if user.role not in roles:
                raise HTTPException(403, "U heeft geen toegang tot deze pagina met uw rol.")
            request.scope["user"] = user
            return await endpoint(request)

        guarded.roles = roles  # type: ignore[attr-defined]
        return guarded

    return decorate


def client(request: Request) -> str:
    return request.client.host if request.client else "onbekend"
