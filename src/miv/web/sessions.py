"""`request.session` for every page: server side for the management pages, a signed
cookie for respondents.

Under /beheer the cookie holds only a random token and the data lives in the database
(`miv.store.sessions`), so sign-out, the idle timeout and revocation end a session for
every copy of its cookie and every app process. The token changes whenever the session is
cleared or who is signed in changes (sign-in, the second factor), against session fixation.
Respondent pages keep Starlette's signed cookie: nothing about them may reach the database
(docs/anonymity.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.middleware.sessions import Session, SessionMiddleware
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from miv.store import Database
from miv.store import sessions as store
from miv.store.sessions import Lifetime

STAFF = "/beheer"
STAFF_COOKIE = "miv-beheer"
RESPONDENT_COOKIE = "miv"
RESPONDENT_HOURS = 8


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def is_staff(path: str) -> bool:
    return path == STAFF or path.startswith(STAFF + "/")


class ServerSession(Session):
    """Starlette's session dict that also remembers a `clear()`: a cleared session that gets
    new data is a new session with a new token."""

    cleared = False

    def clear(self) -> None:
        self.cleared = True
        super().clear()


class Sessions:
    """Pure ASGI middleware: the management pages' sessions in the database (DB calls in the
    thread pool), everything else on the respondents' signed cookie."""

    def __init__(self, app: ASGIApp, db: Database, secret_key: str, lifetime: Lifetime, secure: bool,
                 identity: Sequence[str] = ("user",)) -> None:
        self.app = app
        self.respondents = SessionMiddleware(app, secret_key=secret_key, session_cookie=RESPONDENT_COOKIE,
                                             max_age=RESPONDENT_HOURS * 3600, same_site="lax", https_only=secure)
        self.db = db
        self.lifetime = lifetime
        self.identity = tuple(identity)
        self.flags = f"path={STAFF}; httponly; samesite=lax" + ("; secure" if secure else "")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_staff(scope["path"]):
            await self.respondents(scope, receive, send)
            return
        token = HTTPConnection(scope).cookies.get(STAFF_COOKIE) or None
        data = await run_in_threadpool(self._load, token) if token else None
        session = ServerSession(data or {})
        scope["session"] = session
        scope["session_ended"] = token is not None and data is None
        initial = dict(session)

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                cookie = await run_in_threadpool(self._store, token, data is not None, initial, session)
                if cookie:
                    MutableHeaders(scope=message).append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_wrapper)

    def _load(self, token: str) -> dict[str, Any] | None:
        with self.db.session() as s:
            return store.load(s, token, utc_now(), self.lifetime)

    def _store(self, token: str | None, live: bool, initial: dict[str, Any], session: ServerSession) -> str | None:
        """Persist the request's changes; the Set-Cookie value when the token changes or ends."""
        rotate = live and (session.cleared or any(initial.get(k) != session.get(k) for k in self.identity))
        if live and not rotate:
            if session.modified:
                with self.db.session() as s:
                    store.save(s, token, dict(session))
            return None
        if not live and not session:
            return self._expired() if token else None
        with self.db.session() as s:
            if live:
                store.end(s, token)
            if not session:
                return self._expired()
            new = store.create(s, dict(session), utc_now(), self.lifetime)
        return f"{STAFF_COOKIE}={new}; {self.flags}"

    def _expired(self) -> str:
        return f"{STAFF_COOKIE}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; {self.flags}"
