"""Assemble the web app: settings, database, middleware, routes, error pages."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from datetime import timedelta
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from miv.errors import MivError
from miv.fieldwork import Keys, purge_progress
from miv.store import Database
from miv.store.sessions import Lifetime
from miv.web import casemanagement, casemessages, cases, reporter, staff, survey
from miv.web.caseguard import SECOND_FACTOR, casework_for
from miv.web.pages import render
from miv.web.security import RateLimit, SecurityHeaders
from miv.web.sessions import Sessions
from miv.web.settings import Settings

STATIC = Path(__file__).with_name("static")
PURGE_SECONDS = 3600


async def _purge(db: Database, days: int, limits: RateLimit) -> None:
    """Delete unfinished answers past the retention period and rate-limit counts of past
    windows (in a thread, off the event loop)."""
    await asyncio.to_thread(purge_progress, db, dt.date.today() - dt.timedelta(days=days))
    await asyncio.to_thread(limits.forget)


async def _purge_hourly(db: Database, days: int, limits: RateLimit) -> None:
    while True:
        await asyncio.sleep(PURGE_SECONDS)
        await _purge(db, days, limits)


def _wants_json(request: Request) -> bool:
    return request.url.path.endswith(".json") or "application/json" in request.headers.get("accept", "")


async def _miv_error(request: Request, exc: Exception) -> Response:
    """The one answer to a MivError no route handled: its Dutch message and place, with the
    status the class declares (400 unless a subclass says otherwise); never a traceback."""
    assert isinstance(exc, MivError)
    if _wants_json(request):
        return JSONResponse({"fout": exc.message or str(exc), "waar": exc.where}, status_code=exc.status)
    return render(request, "error.html", {"title": exc.title, "detail": exc.summary}, status=exc.status)


async def _error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) and status != 500 else "Er ging iets mis aan onze kant. Probeer het later nog eens."
    titles = {403: "Geen toegang", 404: "Pagina niet gevonden", 405: "Niet toegestaan", 429: "Te veel pogingen"}
    return render(request, "error.html", {"title": titles.get(status, "Fout"), "detail": detail}, status=status)


def lifetime(settings: Settings) -> Lifetime:
    return Lifetime(idle=timedelta(minutes=settings.session_idle_minutes), absolute=timedelta(hours=settings.session_hours))


def create_app(settings: Settings) -> Starlette:
    keys = Keys(settings.secret)
    db = Database(settings.database_url, pool_size=settings.pool_size)
    limits = RateLimit(db, keys, settings.window_seconds)
    routes = [*survey.routes, *staff.routes, *casemanagement.routes, *cases.routes, *casemessages.routes, *reporter.routes,
              Mount("/static", StaticFiles(directory=STATIC), name="static")]
    middleware = [
        Middleware(SecurityHeaders, secure=settings.secure),
        Middleware(Sessions, db=db, secret_key=keys.session_key, lifetime=lifetime(settings), secure=settings.secure,
                   identity=("user", SECOND_FACTOR)),
    ]
    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await _purge(db, settings.progress_days, limits)  # before the first request, then every hour
        purging = asyncio.create_task(_purge_hourly(db, settings.progress_days, limits))
        yield
        purging.cancel()
        with suppress(asyncio.CancelledError):
            await purging
        db.dispose()

    app = Starlette(routes=routes, middleware=middleware, exception_handlers={MivError: _miv_error, HTTPException: _error, Exception: _error},
                    lifespan=lifespan)
    app.state.settings = settings
    app.state.keys = keys
    app.state.db = db
    app.state.limits = limits
    app.state.casework = casework_for(settings, db)
    return app
