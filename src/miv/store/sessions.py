"""Server-side sessions of the management pages (staff and case users).

The cookie holds a random token; the table holds only its SHA-256, so someone who reads
the table cannot present any of its values as a cookie. A session ends on sign-out (its
row is deleted), after `idle` without a request, at its absolute expiry, or when its user's
sessions are revoked. Respondents never get a row here (docs/anonymity.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, delete, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from miv.store.base import Base


class SessionRow(Base):
    __tablename__ = "sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    data: Mapped[str] = mapped_column(Text)
    created: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    expires: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


@dataclass(frozen=True)
class Lifetime:
    """How long a session lives: `idle` after its last request, `absolute` after it began."""

    idle: dt.timedelta
    absolute: dt.timedelta


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _utc(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; every time stored here is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def create(session: Session, data: dict, now: dt.datetime, lifetime: Lifetime) -> str:
    """A new session holding `data`; returns the token for the cookie (never stored).
    Purges expired sessions on the way, so the table stays small without a job."""
    purge(session, now, lifetime)
    token = secrets.token_urlsafe(32)
    session.add(SessionRow(token_hash=token_hash(token), user_id=_user(data), data=json.dumps(data), created=now,
                           last_seen=now, expires=now + lifetime.absolute))
    return token


def load(session: Session, token: str, now: dt.datetime, lifetime: Lifetime) -> dict | None:
    """The data of the live session with this token, marking it seen now; None (and the row
    gone) when it is unknown, idle too long or past its expiry. Plain statements, so a row
    deleted meanwhile by a sign-out elsewhere is no error."""
    key = SessionRow.token_hash == token_hash(token)
    row = session.execute(select(SessionRow.data, SessionRow.last_seen, SessionRow.expires).where(key)).first()
    if row is None:
        return None
    if now >= _utc(row.expires) or now - _utc(row.last_seen) >= lifetime.idle:
        session.execute(delete(SessionRow).where(key))
        return None
    session.execute(update(SessionRow).where(key).values(last_seen=now))
    return json.loads(row.data)


def save(session: Session, token: str, data: dict) -> None:
    """Store changed data; a session ended meanwhile (sign-out elsewhere, revocation) stays ended."""
    session.execute(update(SessionRow).where(SessionRow.token_hash == token_hash(token))
                    .values(data=json.dumps(data), user_id=_user(data)))


def end(session: Session, token: str) -> None:
    session.execute(delete(SessionRow).where(SessionRow.token_hash == token_hash(token)))


def revoke_user_sessions(session: Session, user_id: int) -> int:
    """End every session of a user (deactivation, password or TOTP reset, `miv users sign-out`);
    their cookies open nothing from the next request on. Returns how many ended."""
    return session.execute(delete(SessionRow).where(SessionRow.user_id == user_id)).rowcount


def purge(session: Session, now: dt.datetime, lifetime: Lifetime) -> int:
    """Delete every session past its expiry or idle too long (both columns indexed). Rows
    another transaction holds are left for the next purge, so two purges never deadlock."""
    stale = or_(SessionRow.expires <= now, SessionRow.last_seen <= now - lifetime.idle)
    rows = select(SessionRow.token_hash).where(stale).with_for_update(skip_locked=True)
    return session.execute(delete(SessionRow).where(SessionRow.token_hash.in_(rows))).rowcount


def _user(data: dict) -> int | None:
    user = data.get("user")
    return user if isinstance(user, int) else None
