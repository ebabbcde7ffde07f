"""Shared fixtures: real databases. `postgres_url` starts a throwaway PostgreSQL cluster
from the machine's binaries (never the server on 5432); `sqlite_url` is a file database;
`db_url` and `db` give each test a fresh migrated database on both engines."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import psycopg
import pytest
from argon2 import PasswordHasher, profiles
from postgres_support import PG_BIN, Cluster

from miv.store import Database, upgrade
from miv.web import accounts

_numbers = itertools.count()
_TOOL_CACHES = {".hypothesis", ".pytest_cache", "__pycache__", ".mypy_cache", ".ruff_cache"}  # what the test tools themselves keep


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_workdir] = set(os.listdir())


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The suite fails when it left anything in the working directory (a stray anchor file,
    a database, a key): every test writes into its own tmp_path."""
    left = sorted(set(os.listdir()) - session.config.stash[_workdir] - _TOOL_CACHES)
    if left:
        session.config.get_terminal_writer().line(f"\nTests left files in the working directory {os.getcwd()}: {', '.join(left)}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_workdir = pytest.StashKey[set[str]]()
_SHARED = {"demo", "publish", "pipeline"}  # folders whose session fixtures (a demo run, an edition's publications) cost seconds


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (`make test` runs two workers) a folder in `_SHARED` runs on one
    worker, so each of its session fixtures is made once, not once per worker."""
    for item in items:
        if item.path.parent.name in _SHARED:
            item.add_marker(pytest.mark.xdist_group(item.path.parent.name))


@pytest.fixture(autouse=True)
def cheap_password_hashes(request: pytest.FixtureRequest) -> Iterator[None]:
    """Staff passwords hashed with argon2-cffi's cheapest parameters, its profile for tests,
    rather than RFC 9106's (a fifth of a second a hash, and the suite makes thousands of
    accounts and logins). A test marked `strong_hashes` gets miv's own."""
    if request.node.get_closest_marker("strong_hashes"):
        yield
        return
    with mock.patch.object(accounts, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST)):
        yield


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    if not Cluster.available():
        pytest.fail(f"PostgreSQL binaries not found in {PG_BIN}: run 'make test' (it installs them) or set MIV_PG_BIN")
    cluster = Cluster(settings={"track_commit_timestamp": "on"})  # the anonymity attack reads commit times too
    yield cluster.start()
    cluster.stop()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'miv.db'}"


def fresh_postgres(url: str) -> str:
    """A new empty database in the session's cluster, so every test starts clean."""
    name = f"t{next(_numbers)}"
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return fresh_postgres(request.getfixturevalue("postgres_url"))


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    upgrade(db_url)
    database = Database(db_url)
    yield database
    database.dispose()
