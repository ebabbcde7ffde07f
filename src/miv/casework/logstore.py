"""The audit log's `LogStore` over the `audit_log` table.

It works inside the caller's transaction, so a step and its log entry are stored together
or not at all. Each append runs in a savepoint: when another process took the same
sequence number first, the unique key refuses the row, the savepoint rolls back, and
`LogConflict` lets `AuditLog.record` re-read the head and try again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from miv.cases import AuditEntry, LogConflict, canonical
from miv.store.cases import AuditRow


class DatabaseLogStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def append(self, entry: AuditEntry) -> None:
        row = AuditRow(
            seq=entry.seq, at=entry.at, actor=entry.actor, action=entry.action, case_id=entry.case,
            organisation=entry.organisation, detail=canonical(entry.detail).decode(), previous=entry.previous, hash=entry.hash,
            key_version=entry.key,
        )
        try:
            with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError:
            raise LogConflict(f"Logregel {entry.seq} bestaat al.") from None

    def last(self) -> AuditEntry | None:
        row = self.session.scalar(select(AuditRow).order_by(AuditRow.seq.desc()).limit(1))
        return entry_from_row(row) if row else None

    def entries(self) -> Iterator[AuditEntry]:
        for row in self.session.scalars(select(AuditRow).order_by(AuditRow.seq).execution_options(yield_per=1000)):
            yield entry_from_row(row)


def entry_from_row(row: AuditRow) -> AuditEntry:
    return AuditEntry(row.seq, row.at, row.actor, row.action, row.case_id, row.organisation, json.loads(row.detail),
                      row.previous, row.hash, row.key_version)
