"""Case tables: organisations and their members, keys, cases with their steps and sealed
content, document records, the audit log and the anonymised counts (docs/cases.md).

Content columns hold only sealed blobs; everything in the clear is metadata the workflow,
access checks, deadlines and counts need. Times of steps and log entries are kept as the
ISO text the cases package hashes and replays, so that nothing is lost in a round trip.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from miv.store.base import Base


def _case_fk() -> ForeignKey:
    return ForeignKey("cases.id", ondelete="CASCADE")


class Organisation(Base):
    """An organisation that handles cases (a municipality, province or water board)."""

    __tablename__ = "case_organisations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    layer: Mapped[str] = mapped_column(String(20), doc="gemeente, provincie or waterschap")


class Membership(Base):
    """A user's case role in one organisation; one role per person and organisation."""

    __tablename__ = "case_members"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    organisation: Mapped[str] = mapped_column(ForeignKey("case_organisations.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(40))
    mac: Mapped[str | None] = mapped_column(Text, nullable=True, doc="MAC of the role (casework.records)")


class PersonKeyRow(Base):
    __tablename__ = "case_person_keys"

    person: Mapped[str] = mapped_column(String(64), primary_key=True)
    public: Mapped[bytes] = mapped_column(LargeBinary)
    sealed_private: Mapped[bytes] = mapped_column(LargeBinary)
    master_id: Mapped[str] = mapped_column(String(32))


class EnrolmentRow(Base):
    """A person's one-time TOTP enrolment code from the administrator: only a keyed hash, bound
    to the person and the expiry; one per person (a new code replaces the old), gone once used."""

    __tablename__ = "case_enrolment_codes"

    person: Mapped[str] = mapped_column(String(64), primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[str] = mapped_column(String(40), doc="ISO time in UTC, covered by the hash")


class TotpRow(Base):
    """A person's TOTP secret, sealed; `confirmed` once a first code was accepted."""

    __tablename__ = "case_totp"

    person: Mapped[str] = mapped_column(String(64), primary_key=True)
    sealed_secret: Mapped[bytes] = mapped_column(LargeBinary)
    last_step: Mapped[int | None] = mapped_column(Integer, nullable=True)
    confirmed: Mapped[bool] = mapped_column(default=False)


class CaseRow(Base):
    __tablename__ = "cases"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    organisation: Mapped[str] = mapped_column(ForeignKey("case_organisations.id"), index=True)
    recused: Mapped[str] = mapped_column(Text, default="", doc="comma-separated pseudonyms of the recused (casework.records)")
    mac: Mapped[str | None] = mapped_column(Text, nullable=True, doc="MAC per field (casework.records)")


class ReporterRow(Base):
    """The reporter's side of a case: its channel and the keyed hash of the receipt code, never the code."""

    __tablename__ = "case_reporters"

    case_id: Mapped[str] = mapped_column(_case_fk(), primary_key=True)
    channel: Mapped[str] = mapped_column(String(40))
    receipt: Mapped[str] = mapped_column(String(64), unique=True, doc="HMAC of the receipt code (casework.records)")
    mac: Mapped[str | None] = mapped_column(Text, nullable=True, doc="MAC per field (casework.records)")


class ReporterKeyRow(Base):
    """The message channel's key, twice: sealed under a key stretched from the receipt code
    (Argon2id with `salt`) for the reporter, and sealed with the case key for the handlers; the
    reporter's e-mail address for a seintje, sealed with the channel key."""

    __tablename__ = "case_reporter_keys"

    case_id: Mapped[str] = mapped_column(_case_fk(), primary_key=True)
    salt: Mapped[bytes] = mapped_column(LargeBinary)
    for_reporter: Mapped[bytes] = mapped_column(LargeBinary)
    for_case: Mapped[bytes] = mapped_column(LargeBinary)
    sealed_email: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class MessageRow(Base):
    """One message between the reporter and the handlers, sealed with the channel key. `author`
    is 'melder' or a person id; the row's fields carry MACs and each message is in the audit chain."""

    __tablename__ = "case_messages"

    case_id: Mapped[str] = mapped_column(_case_fk(), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    author: Mapped[str] = mapped_column(String(64))
    at: Mapped[str] = mapped_column(String(40))
    feedback: Mapped[bool] = mapped_column(default=False)
    attachment: Mapped[str | None] = mapped_column(String(64), nullable=True, doc="document id of a sealed attachment")
    blob: Mapped[bytes] = mapped_column(LargeBinary)
    mac: Mapped[str | None] = mapped_column(Text, nullable=True, doc="MAC per field (casework.records)")


class StepRow(Base):
    __tablename__ = "case_steps"

    case_id: Mapped[str] = mapped_column(_case_fk(), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(40))
    at: Mapped[str] = mapped_column(String(40))
    source: Mapped[str | None] = mapped_column(String(40), nullable=True)
    target: Mapped[str] = mapped_column(String(40))
    investigator: Mapped[str | None] = mapped_column(String(64), nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(120), nullable=True, doc="sealed (casework.records)")
    forms: Mapped[str] = mapped_column(String(200), default="")
    details: Mapped[str] = mapped_column(Text, default="", server_default="", doc="the step's codes as canonical JSON (miv.cases.fields)")
    sealed: Mapped[str] = mapped_column(Text, default="", server_default="", doc="digest of each sealed text the step wrote, as JSON")
    mac: Mapped[str | None] = mapped_column(Text, nullable=True, doc="MAC per field (casework.records)")


class ContentRow(Base):
    """One sealed content field of a case (description, names, reasons, notes)."""

    __tablename__ = "case_content"

    case_id: Mapped[str] = mapped_column(_case_fk(), primary_key=True)
    field: Mapped[str] = mapped_column(String(80), primary_key=True)
    blob: Mapped[bytes] = mapped_column(LargeBinary)


class WrapRow(Base):
    __tablename__ = "case_key_wraps"

    case_id: Mapped[str] = mapped_column(_case_fk(), primary_key=True)
    person: Mapped[str] = mapped_column(String(64), primary_key=True)
    ephemeral: Mapped[bytes] = mapped_column(LargeBinary)
    sealed_key: Mapped[bytes] = mapped_column(LargeBinary)


class DocumentRow(Base):
    """A sealed document in the document folder; name and type live inside the sealed file."""

    __tablename__ = "case_documents"

    case_id: Mapped[str] = mapped_column(_case_fk(), primary_key=True)
    document_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class AuditRow(Base):
    """One audit entry. `seq` is the primary key and `previous` unique: two writers that read
    the same head cannot both append, so the chain never forks."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(60))
    case_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    organisation: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    detail: Mapped[str] = mapped_column(Text, doc="canonical JSON of codes and ids, never content")
    previous: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64))
    key_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0", doc="version of the audit key that made `hash`")


class ServerKeyRow(Base):
    """A server key sealed under the master key: the audit key versions (never deleted, so
    entries made with an old key still verify after rotation) and the records key."""

    __tablename__ = "case_server_keys"

    purpose: Mapped[str] = mapped_column(String(20), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    sealed_key: Mapped[bytes] = mapped_column(LargeBinary)
    master_id: Mapped[str] = mapped_column(String(32))


class CountRow(Base):
    """Anonymised counts left by purged cases (retention), added to the live counts."""

    __tablename__ = "case_counts"

    organisation: Mapped[str] = mapped_column(String(64), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure: Mapped[str] = mapped_column(String(40), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
