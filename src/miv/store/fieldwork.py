"""Fieldwork tables. Two stores that share no key (docs/anonymity.md):

- the invitation store (`fieldworks`, `invitations`, `progress`) knows who was invited,
  under a hashed code, and holds answers in progress encrypted;
- the answer store (`responses`) holds submitted answers with only the stratum needed
  for weighting: no code, no invitation id, no address, no timestamp.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
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


class Progress(Base):
    """Answers in progress of one invitation, encrypted; deleted at submit and at close."""

    __tablename__ = "progress"

    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id", ondelete="CASCADE"), primary_key=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)


class Response(_Stratum, Base):
    """A submitted questionnaire. The id is random so that it says nothing of order."""

    __tablename__ = "responses"
    __table_args__ = {"sqlite_with_rowid": False}  # SQLite keeps rows in id order, not insertion order

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    fieldwork_id: Mapped[int] = mapped_column(ForeignKey("fieldworks.id"), index=True)
    answers: Mapped[dict] = mapped_column(JSON)
