"""Shared fixtures: real databases. `postgres_url` starts a throwaway PostgreSQL cluster
from the machine's binaries (never the server on 5432); `sqlite_url` is a file database."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fieldwork_support import free_port

PG_BIN = Path(os.environ.get("MIV_PG_BIN", "/usr/lib/postgresql/15/bin"))


class Cluster:
    """A PostgreSQL cluster in a temporary folder, run as the `postgres` OS user when root."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="miv-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self.root.chmod(0o700)

    def _run(self, *args: str) -> None:
        command = [str(PG_BIN / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.root)

    def start(self) -> str:
        self._run("initdb", "-D", str(self.data), "-U", "miv", "--auth=trust", "-E", "UTF8", "--no-sync")
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=300"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w", "start")
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "miv", "miv")
        return f"postgresql+psycopg://miv@127.0.0.1:{self.port}/miv"

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL binaries not found in {PG_BIN}")
    cluster = Cluster()
    cluster.url = cluster.start()  # type: ignore[attr-defined]
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def postgres_url(postgres_cluster: Cluster) -> str:
    return postgres_cluster.url  # type: ignore[attr-defined]


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'miv.db'}"
