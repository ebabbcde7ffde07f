"""Security around every request: response headers, CSRF tokens for forms, rate limits."""

from __future__ import annotations

import hmac
import secrets
import time

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from miv.fieldwork import Keys
from miv.store import Database
from miv.store.limits import Attempt

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


class SecurityHeaders:
    """Pure ASGI middleware: CSP and friends on every response, HSTS when served over TLS,
    and no caching of anything but static files (answers must not linger in caches)."""

    def __init__(self, app: ASGIApp, secure: bool) -> None:
        self.app = app
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                ]
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                if self.secure or scope.get("scheme") == "https":
                    headers.append((b"strict-transport-security", b"max-age=63072000; includeSubDomains"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


async def checked_form(request: Request) -> FormData:
    """The posted form, after checking its CSRF token against the session's."""
    form = await request.form()
    sent = form.get("csrf")
    expected = request.session.get("csrf")
    if not isinstance(sent, str) or not expected or not hmac.compare_digest(sent, expected):
        raise HTTPException(403, "Het formulier is verlopen. Ga terug, laad de pagina opnieuw en probeer het nog eens.")
    return form


class RateLimit:
    """Counts failures per scope and hashed client address in fixed windows, in the database
    so that every app process sees the same counts."""

    def __init__(self, db: Database, keys: Keys, window_seconds: int) -> None:
        self.db = db
        self.keys = keys
        self.window_seconds = window_seconds

    def _window(self) -> int:
        return int(time.time() // self.window_seconds)

    def blocked(self, scope: str, client: str, limit: int) -> bool:
        """Whether `client` used up its attempts; also forgets the windows before the previous
        one, so the table never holds more than the current and previous window."""
        window = self._window()
        with self.db.session() as s:
            s.execute(delete(Attempt).where(Attempt.window < window - 1))
            attempt = s.get(Attempt, (scope, self.keys.client_hash(client), window))
            return attempt is not None and attempt.count >= limit

    def forget(self) -> int:
        """Delete the counts of windows before the previous one (the app does so every hour)."""
        with self.db.session() as s:
            return s.execute(delete(Attempt).where(Attempt.window < self._window() - 1)).rowcount

    def fail(self, scope: str, client: str) -> None:
        key = (scope, self.keys.client_hash(client), self._window())
        try:
            with self.db.session() as s:
                attempt = s.get(Attempt, key, with_for_update=True)
                if attempt is None:
                    s.add(Attempt(scope=key[0], client=key[1], window=key[2], count=1))
                else:
                    attempt.count += 1
                s.execute(delete(Attempt).where(Attempt.window < key[2] - 1))
        except IntegrityError:
            self.fail(scope, client)
