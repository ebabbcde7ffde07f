"""The session store on SQLite and PostgreSQL: only hashes stored, idle and absolute
expiry, no resurrection after an end, revocation per user, and a purge that passes over
rows another transaction holds."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import func, select, text

from miv.store import Database, upgrade
from miv.store import sessions as store
from miv.store.sessions import Lifetime, SessionRow
from miv.store.users import User
from tests.conftest import fresh_postgres

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
LIFE = Lifetime(idle=dt.timedelta(minutes=15), absolute=dt.timedelta(hours=8))
MINUTE = dt.timedelta(minutes=1)


def users(db: Database, *emails: str) -> list[int]:
    with db.session() as s:
        added = [User(email=e, name=e, role="admin", password_hash="-", active=True) for e in emails]
        s.add_all(added)
        s.flush()
        return [u.id for u in added]


def start(db: Database, data: dict, at: dt.datetime = T0) -> str:
    with db.session() as s:
        return store.create(s, data, at, LIFE)


def load(db: Database, token: str, at: dt.datetime) -> dict | None:
    with db.session() as s:
        return store.load(s, token, at, LIFE)


def test_only_the_hash_is_stored_and_idle_and_age_end_a_session(db):
    [user] = users(db, "a@b.nl")
    token = start(db, {"user": user, "csrf": "x"})
    with db.session() as s:
        row = s.scalar(select(SessionRow))
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() and row.user_id == user
    assert load(db, row.token_hash, T0) is None and load(db, token + "x", T0) is None
    at = T0
    while at + 14 * MINUTE < T0 + LIFE.absolute:  # in use every 14 minutes: lives until its absolute end
        at += 14 * MINUTE
        assert load(db, token, at) == {"user": user, "csrf": "x"}
    assert load(db, token, T0 + LIFE.absolute) is None
    other = start(db, {"user": user})
    assert load(db, other, T0 + 15 * MINUTE) is None  # idle exactly the limit
    with db.session() as s:
        assert s.scalar(select(SessionRow)) is None  # both rows gone when refused


def test_a_save_after_the_end_does_not_bring_the_session_back(db):
    token = start(db, {"csrf": "x"})
    with db.session() as s:
        store.end(s, token)
    with db.session() as s:
        store.save(s, token, {"csrf": "x", "flash": "y"})
    assert load(db, token, T0) is None


def test_revocation_ends_every_session_of_one_user_only(db):
    ada, bob = users(db, "ada@b.nl", "bob@b.nl")
    laptop, phone, theirs, anonymous = start(db, {"user": ada}), start(db, {"user": ada}), start(db, {"user": bob}), start(db, {})
    with db.session() as s:
        assert store.revoke_user_sessions(s, ada) == 2
    assert load(db, laptop, T0) is None and load(db, phone, T0) is None
    assert load(db, theirs, T0) == {"user": bob} and load(db, anonymous, T0) == {}


def test_a_new_session_purges_stale_ones(db):
    old = start(db, {}, T0)
    kept = start(db, {}, T0 + 10 * MINUTE)
    start(db, {}, T0 + 20 * MINUTE)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(SessionRow)) == 2
    assert load(db, kept, T0 + 20 * MINUTE) == {} and load(db, old, T0 + 20 * MINUTE) is None


@pytest.mark.postgres
def test_purge_passes_over_a_row_another_transaction_holds(postgres_url):
    url = fresh_postgres(postgres_url)
    upgrade(url)
    db = Database(url)
    try:
        held = start(db, {})
        start(db, {})
        later = T0 + LIFE.absolute
        with db.engine.connect() as other:
            other.begin()
            other.execute(select(SessionRow).where(SessionRow.token_hash == store.token_hash(held)).with_for_update())
            with db.session() as s:
                s.execute(text("SET LOCAL lock_timeout = '2s'"))  # waiting for the held row would fail here
                assert store.purge(s, later, LIFE) == 1
            other.rollback()
        with db.session() as s:
            assert list(s.scalars(select(SessionRow.token_hash))) == [store.token_hash(held)]
    finally:
        db.dispose()
