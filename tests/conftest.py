"""Shared fixtures: real databases. `postgres_url` starts a throwaway PostgreSQL cluster
from the machine's binaries (never the server on 5432); `sqlite_url` is a file database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from miv.store.cluster import PG_BIN, Cluster


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    if not Cluster.available():
        pytest.skip(f"PostgreSQL binaries not found in {PG_BIN}")
    cluster = Cluster()
    yield cluster.start()
    cluster.stop()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'miv.db'}"
