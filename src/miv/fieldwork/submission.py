"""Submitting and releasing: how answers get from a respondent to the answer store without
anything in the database that ties them to the invitation (docs/anonymity.md).

Submit writes the answers and the stratum, sealed under the server secret and padded to one
size, into the outbox (`submissions`) in the same transaction that marks the invitation
completed and deletes the answers in progress: once the respondent sees the thank-you page
nothing can lose them, and a database reader sees only a sealed row of the same size as
every other. Close releases the outbox: every submission of the fieldwork is opened,
shuffled and written to `responses` in one transaction that also empties the outbox, so the
responses share one transaction id, one commit time and a random physical order."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import delete, func, select

from miv.definition import Unit
from miv.fieldwork.answers import record
from miv.fieldwork.keys import Keys
from miv.fieldwork.progress import answering, capacity, opened
from miv.fieldwork.service import STRATUM, fieldwork_open, open_questionnaire
from miv.store import Database
from miv.store.fieldwork import Invitation, Progress, Response, Submission


def submit(db: Database, keys: Keys, invitation_id: int, secret: bytes) -> None:
    """Seal the answers into the outbox, mark the invitation completed, delete the answers in
    progress: one transaction. A second submit finds the invitation completed and fails."""
    with db.session() as s:
        inv, fieldwork = answering(s, invitation_id, lock=True)
        answers = opened(keys, s.get(Progress, invitation_id), invitation_id, secret)
        q, _ = open_questionnaire(fieldwork)
        stratum = {c: getattr(inv, c) for c in STRATUM}
        content = {"stratum": stratum, "organisation": inv.organisation if q.unit is Unit.ORGANISATION else None,
                   "answers": record(q, stratum, answers)}
        s.add(Submission(fieldwork_id=fieldwork.id, sealed=keys.outbox(fieldwork.id).seal(content, capacity(q))))
        inv.status = "completed"
        s.execute(delete(Progress).where(Progress.invitation_id == invitation_id))


def close_fieldwork(db: Database, keys: Keys, fieldwork_id: int) -> tuple[int, int]:
    """Close the fieldwork, delete every answer in progress and release the outbox into the
    answer store, shuffled; returns (answers in progress deleted, responses released).
    On SQLite the write-ahead log is emptied after, so no old frame keeps the outbox."""
    with db.session() as s:
        fieldwork = fieldwork_open(s, fieldwork_id)
        fieldwork.status = "closed"
        fieldwork.closed = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        ids = select(Invitation.id).where(Invitation.fieldwork_id == fieldwork_id)
        deleted = s.execute(delete(Progress).where(Progress.invitation_id.in_(ids))).rowcount
        box = keys.outbox(fieldwork_id)
        released = [box.open(sealed) for sealed in s.scalars(select(Submission.sealed).where(Submission.fieldwork_id == fieldwork_id))]
        secrets.SystemRandom().shuffle(released)
        s.execute(delete(Submission).where(Submission.fieldwork_id == fieldwork_id))
        s.add_all(Response(fieldwork_id=fieldwork_id, organisation=c["organisation"], answers=c["answers"], **c["stratum"])
                  for c in released)  # type: ignore[arg-type]
    db.checkpoint()  # the outbox and the answers in progress leave no copy in SQLite's write-ahead log
    return deleted, len(released)



def closing(db: Database, fieldwork_id: int) -> tuple[int, int]:
    """What a close would do: (answers in progress it deletes, submissions it releases)."""
    with db.session() as s:
        ids = select(Invitation.id).where(Invitation.fieldwork_id == fieldwork_id)
        in_progress = s.scalar(select(func.count()).select_from(Progress).where(Progress.invitation_id.in_(ids)))
        submitted = s.scalar(select(func.count()).select_from(Submission).where(Submission.fieldwork_id == fieldwork_id))
        return in_progress or 0, submitted or 0
