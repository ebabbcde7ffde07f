from __future__ import annotations

import itertools
from collections.abc import Iterator

import psycopg
import pytest

from miv.fieldwork import Keys
from miv.store import Database, upgrade

_numbers = itertools.count()


def fresh_postgres(url: str) -> str:
    """A new empty database in the session's cluster, so every test starts clean."""
    name = f"t{next(_numbers)}"
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest) -> Iterator[Database]:
    url = request.getfixturevalue("sqlite_url") if request.param == "sqlite" else fresh_postgres(request.getfixturevalue("postgres_url"))
    upgrade(url)
    database = Database(url)
    yield database
    database.dispose()


@pytest.fixture
def keys() -> Keys:
    return Keys(b"k" * 32)
