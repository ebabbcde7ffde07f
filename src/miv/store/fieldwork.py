"""Fieldwork tables. Two stores that share no key (docs/anonymity.md):

- the invitation store (`fieldworks`, `invitations`, `progress`, `submissions`) knows who
  was invited, under a hashed code; it holds answers in progress sealed under the
  respondent's resume word, and submitted answers sealed under the server secret until
  the fieldwork closes;
- the answer store (`responses`) is written once, at close: every submission of the
  fieldwork in one transaction, in random order, with only the stratum needed for
  weighting: no code, no invitation id, no address, no timestamp, no sequence.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from miv.store.base import Base

STRATUM_COLUMNS = ("group", "layer", "role", "gender", "province", "size_class", "organisation")


class Fieldwork(Base):
    """One questionnaire of one edition in the field, with a frozen copy of its definition."""

    __tablename__ = "fieldworks"
    __table_args__ = (UniqueConstraint("edition", "questionnaire"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    edition: Mapped[int] = mapped_column(Integer)
    questionnaire: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    version: Mapped[str] = mapped_column(String(40))
    definition: Mapped[str] = mapped_column(Text, doc="the questionnaire as JSON")
    structure: Mapped[str] = mapped_column(Text, doc="the structure (groups, strata) as JSON")
    status: Mapped[str] = mapped_column(String(20), default="open")
    opened: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=lambda: dt.datetime.now(dt.UTC))
    closed: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class _Stratum:
    group: Mapped[str | None] = mapped_column(String(40), nullable=True)
    layer: Mapped[str] = mapped_column(String(40))
    role: Mapped[str | None] = mapped_column(String(40), nullable=True)
    gender: Mapped[str | None] = mapped_column(String(40), nullable=True)
    province: Mapped[str | None] = mapped_column(String(40), nullable=True)
    size_class: Mapped[str | None] = mapped_column(String(40), nullable=True)
    organisation: Mapped[str | None] = mapped_column(String(200), nullable=True)


class Invitation(_Stratum, Base):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fieldwork_id: Mapped[int] = mapped_column(ForeignKey("fieldworks.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_sealed: Mapped[bytes] = mapped_column(LargeBinary, doc="the code encrypted with the server key, for reminders")
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(20), default="invited")
    reminders: Mapped[int] = mapped_column(Integer, default=0)
    reached: Mapped[int] = mapped_column(Integer, default=0, doc="pages every respondent of the group sees, passed (drop-off)")


class Progress(Base):
    """Answers in progress of one invitation, sealed under the server secret and the
    respondent's resume word (the salt makes its key); deleted at submit, at close and
    after the retention period counted from the day of the last save."""

    __tablename__ = "progress"

    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id", ondelete="CASCADE"), primary_key=True)
    salt: Mapped[bytes] = mapped_column(LargeBinary)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    saved: Mapped[dt.date] = mapped_column(Date, doc="day of the last save, for the retention period")


class Submission(Base):
    """A submitted questionnaire waiting for the close: answers and stratum sealed under the
    server secret, padded to one size. Written in the submit's transaction, so no
    acknowledged answer is lost; moved to `responses` (shuffled) and deleted at close."""

    __tablename__ = "submissions"
    __table_args__ = {"sqlite_with_rowid": False}  # rows kept in random id order, not arrival

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: uuid.uuid4().hex)
    fieldwork_id: Mapped[int] = mapped_column(ForeignKey("fieldworks.id"), index=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)


class Response(_Stratum, Base):
    """A released questionnaire. The id is random so that it says nothing of order; all
    responses of a fieldwork are inserted in one transaction, in random order."""

    __tablename__ = "responses"
    __table_args__ = {"sqlite_with_rowid": False}  # SQLite keeps rows in id order, not insertion order

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    fieldwork_id: Mapped[int] = mapped_column(ForeignKey("fieldworks.id"), index=True)
    answers: Mapped[dict] = mapped_column(JSON)
