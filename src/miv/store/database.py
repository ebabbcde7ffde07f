"""One engine and session factory per database URL; SQLite gets the pragmas it needs to
be a safe multi-threaded store (foreign keys, WAL, a busy timeout, write-locking transactions,
deleted rows overwritten)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def default_url() -> str:
    """SQLite file `miv.db` in the working directory."""
    return f"sqlite:///{Path('miv.db').resolve()}"


def _normalise(url: str) -> str:
    """Accept plain postgresql:// URLs and use psycopg 3 for them."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


class Database:
    """Holds the engine; `session()` is a unit of work that commits or rolls back."""

    def __init__(self, url: str, pool_size: int = 10) -> None:
        self.url = _normalise(url)
        if self.url.startswith("sqlite"):
            self.engine: Engine = create_engine(self.url, connect_args={"check_same_thread": False, "timeout": 30})
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        else:
            self.engine = create_engine(self.url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    def checkpoint(self) -> None:
        """SQLite: copy the write-ahead log into the database file and empty it, waiting for
        readers, so that deleted rows (overwritten in the file, secure_delete) are not left in
        the log's old frames. PostgreSQL keeps them in dead tuples and WAL until vacuum and
        checkpoints (docs/anonymity.md, disk forensics)."""
        if self.url.startswith("sqlite"):
            raw = self.engine.raw_connection()
            try:
                raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                raw.close()

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(connection, _record) -> None:  # noqa: ANN001 - DBAPI objects
    connection.isolation_level = None  # transactions are begun by `_sqlite_begin`
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA secure_delete = ON")  # deleted answers (progress, the outbox) are overwritten, not left in free pages
    cursor.close()


def _sqlite_begin(connection) -> None:  # noqa: ANN001
    """Take the write lock at the start of every transaction: a read-then-write (answers in
    progress, a submit) then waits for another instead of failing or losing an update."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")
