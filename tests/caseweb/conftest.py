from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import serve

from miv.cases import MasterKey
from miv.store import Database

from .caseweb_support import Team, build
from .web_cases import CaseSite, make_case_site


@pytest.fixture
def master(tmp_path: Path) -> MasterKey:
    return MasterKey.create(tmp_path / "master.key")


@pytest.fixture
def team(db: Database, master: MasterKey, tmp_path: Path) -> Team:
    return build(db, master, tmp_path / "documenten")


@pytest.fixture
def engine_site(db_url: str, tmp_path: Path) -> Iterator[CaseSite]:
    """The case pages served on loopback, on SQLite and on PostgreSQL: for the attack tests."""
    site = make_case_site(db_url, tmp_path)
    with serve(site.app) as url:
        site.url = url
        yield site
    site.close()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[CaseSite]:
    """The case pages served on loopback, on a SQLite file."""
    site = make_case_site(f"sqlite:///{tmp_path / 'miv.db'}", tmp_path)
    with serve(site.app) as url:
        site.url = url
        yield site
    site.close()
