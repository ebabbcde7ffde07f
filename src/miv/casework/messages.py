"""The reporter's message channel in the database: reached by the reporter with the receipt
code, by the handlers through the case key (docs/cases.md, "The message channel").

Every message is sealed with the case's channel key, its row carries MACs under the records
key and it is logged in the audit chain with a digest of its sealed text, so `verify-log`
names an edited, deleted or planted message. Messages are written in the name of whoever
holds the access: the reporter's pages write as 'melder', a handler's pages as that person.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from miv.cases import (AccessDenied, Case, CaseError, CaseKey, MasterKey, Member, Permission, Role, Stage, TransitionError, case_permissions,
                       require)
from miv.cases.audit import AuditLog
from miv.cases.documents import Document
from miv.cases.messages import (
    MAX_TEXT,
    REPORTER,
    Attachment,
    ChannelKey,
    Message,
    new_salt,
    open_message,
    seal_message,
    waste_time,
)
from miv.cases.reporter import new_receipt_code
from miv.cases.sealing import derive
from miv.casework import keyring
from miv.casework.records import Problem, RecordTampered, Records, digest
from miv.store.cases import AuditRow, CaseRow, MessageRow, ReporterKeyRow, ReporterRow

if TYPE_CHECKING:
    from miv.casework.service import Casework

FEEDBACK_ROLES = frozenset({Role.CHAIR, Role.SUPPORT, Role.ADVISER})  # the organisation informs the reporter, not the investigator
EMAIL_FIELD = "e-mail"
ADDED = "melderbericht-toegevoegd"
READ = "melderberichten-gelezen"
MESSAGE_FIELDS = {"author": "afzender", "at": "tijdstip", "feedback": "terugkoppeling", "attachment": "bijlage", "digest": "inhoud"}


@dataclass(frozen=True)
class ReporterAccess:
    """What a reporter who entered the right code holds: the case (for its status) and the channel key."""

    case: Case
    key: ChannelKey


@dataclass(frozen=True)
class Upload:
    name: str
    media_type: str
    data: bytes


def pepper(session: Session, master: MasterKey) -> bytes:
    return derive(keyring.records_key(session, master), "miv-cases reporter-pepper")


def session_tag(session: Session, master: MasterKey, case_id: str) -> str:
    """A keyed pseudonym of the case for the reporter's sessions, so they can be ended together
    (a new code) without the sessions table saying which case a reporter follows."""
    key = derive(keyring.records_key(session, master), "miv-cases reporter-session")
    return hmac.new(key, case_id.encode(), hashlib.sha256).hexdigest()[:32]


def open_channel(session: Session, master: MasterKey, case: Case, case_key: CaseKey, code: str) -> None:
    """At intake: a new channel key, sealed for the handlers (case key) and for the code."""
    key = ChannelKey.generate(case.id)
    salt = new_salt()
    session.add(ReporterKeyRow(case_id=case.id, salt=salt, for_reporter=key.sealed_for_reporter(code, salt, pepper(session, master)),
                               for_case=key.sealed_for_case(case_key)))


def feedback_times(session: Session, records: Records, case_id: str) -> tuple[datetime, ...]:
    """When handlers sent the reporter a terugkoppeling; an edited message row refuses the case,
    so a forged feedback flag cannot meet the Wbk deadline."""
    rows = list(session.scalars(select(MessageRow).where(MessageRow.case_id == case_id)))
    for row in rows:
        if changed := _changed(records, row):
            raise RecordTampered(f"zaak {case_id}, bericht {row.number}", [MESSAGE_FIELDS[f] for f in changed])
    return tuple(sorted(datetime.fromisoformat(r.at) for r in rows if r.feedback and r.author != REPORTER))


def check(session: Session, records: Records) -> list[Problem]:
    """Every message row against its MACs and against the chain, which logged each message:
    an edited, deleted or planted message is named (for `verify-log`)."""
    found = []
    rows = {(r.case_id, r.number): r for r in session.scalars(select(MessageRow))}
    logged = {}
    for entry in session.scalars(select(AuditRow).where(AuditRow.action == ADDED)):
        detail = json.loads(entry.detail)
        logged[(entry.case_id, int(detail["bericht"]))] = detail.get("inhoud")
    cases = set(session.scalars(select(CaseRow.id)))
    for (case_id, number), row in sorted(rows.items()):
        where = f"zaak {case_id}, bericht {number}"
        if changed := _changed(records, row):
            found.append(Problem(where, ", ".join(MESSAGE_FIELDS[f] for f in changed) + " gewijzigd buiten de applicatie om"))
        elif (case_id, number) not in logged:
            found.append(Problem(where, "staat niet in het logboek: buiten de applicatie om toegevoegd"))
        elif logged[(case_id, number)] != digest(row.blob):
            found.append(Problem(where, "inhoud wijkt af van het logboek"))
    for case_id, number in sorted(set(logged) - set(rows)):
        if case_id in cases:  # a destroyed case takes its messages along
            found.append(Problem(f"zaak {case_id}, bericht {number}", "ontbreekt: verwijderd buiten de applicatie om"))
    return found


class Mailbox:
    """The channel's reads and writes, each one transaction with its audit entry."""

    def __init__(self, work: Casework) -> None:
        self.work = work

    # --- the reporter ------------------------------------------------------------------------

    def sign_in(self, code: str, at: datetime) -> ReporterAccess | None:
        """The case and channel key for a receipt code, or None; a wrong code and a case without
        a channel give the same None after the same Argon2id work, and both are logged."""
        with self.work.transaction() as (session, log):
            records = Records(session, self.work.master)
            case_id = records.case_for_receipt(code)
            reporter = session.get(ReporterRow, case_id) if case_id else None
            row = session.get(ReporterKeyRow, case_id) if case_id else None
            if reporter is None or row is None or not hmac.compare_digest(reporter.receipt, records.receipt_hash(code)):
                waste_time(code)
                log.record(REPORTER, "melder-inloggen-mislukt", at, None, None, {})
                return None
            key = ChannelKey.for_reporter(case_id, code, row.salt, pepper(session, self.work.master), row.for_reporter)
            case = self._case(session, case_id)
            log.record(REPORTER, "melder-ingelogd", at, case.id, case.organisation, {})
        return ReporterAccess(case, key)

    def resume(self, case_id: str, secret: bytes) -> ReporterAccess | None:
        """The reporter's access again from their session; None once the case is gone."""
        with self.work.db.session() as session:
            if session.get(ReporterKeyRow, case_id) is None:
                return None
            return ReporterAccess(self._case(session, case_id), ChannelKey(case_id, secret))

    def reporter_messages(self, access: ReporterAccess, at: datetime) -> list[Message]:
        with self.work.transaction() as (session, log):
            messages = self._messages(session, access.key)
            if messages:
                log.record(REPORTER, READ, at, access.case.id, access.case.organisation, {"aantal": len(messages)})
        return messages

    def post_as_reporter(self, access: ReporterAccess, text: str, upload: Upload | None, at: datetime) -> int:
        with self.work.transaction() as (session, log):
            return self._post(session, log, access.case, access.key, REPORTER, None, text, False, upload, at)

    def reporter_attachment(self, access: ReporterAccess, document_id: str, at: datetime) -> Document:
        return self._attachment(access.case, access.key, REPORTER, document_id, at)

    def set_email(self, access: ReporterAccess, address: str, at: datetime) -> None:
        """The reporter's address for a content-free seintje, sealed with the channel key; empty removes it."""
        address = address.strip()
        if address and ("@" not in address or len(address) > 254 or any(c.isspace() for c in address)):
            raise TransitionError("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl, of laat het veld leeg.", field="email")
        with self.work.transaction() as (session, log):
            row = session.get(ReporterKeyRow, access.case.id)
            row.sealed_email = access.key.seal(EMAIL_FIELD, address) if address else None
            log.record(REPORTER, "melder-e-mail-gewijzigd", at, access.case.id, access.case.organisation, {"ingesteld": bool(address)})

    def has_email(self, access: ReporterAccess) -> bool:
        with self.work.db.session() as session:
            row = session.get(ReporterKeyRow, access.case.id)
            return row is not None and row.sealed_email is not None

    def renew_code(self, access: ReporterAccess, at: datetime) -> str:
        """A new receipt code that only the reporter sees (the old one, which the person who
        recorded the report also saw, stops working): the channel key is sealed again for it."""
        code = new_receipt_code()
        with self.work.transaction() as (session, log):
            records = Records(session, self.work.master)
            row = session.get(ReporterKeyRow, access.case.id)
            row.salt = new_salt()
            row.for_reporter = access.key.sealed_for_reporter(code, row.salt, pepper(session, self.work.master))
            records.set_receipt(session.get(ReporterRow, access.case.id), code)
            session.flush()
            log.record(REPORTER, "melder-code-vernieuwd", at, access.case.id, access.case.organisation, {"staat": records.state(access.case.id)})
        return code

    # --- the handlers ----------------------------------------------------------------------------

    def has_channel(self, case: Case) -> bool:
        with self.work.db.session() as session:
            return session.get(ReporterKeyRow, case.id) is not None

    def handler_messages(self, member: Member, case: Case, at: datetime) -> list[Message] | None:
        """The messages for a member who may read the case (None: the case has no channel)."""
        require(member, Permission.READ, case=case)
        with self.work.transaction() as (session, log):
            key = self._handler_key(session, member, case)
            if key is None:
                return None
            messages = self._messages(session, key)
            if messages:
                log.record(member.person, READ, at, case.id, case.organisation, {"aantal": len(messages), "rol": member.role.value})
        return messages

    def unread(self, member: Member, cases: Iterable[Case]) -> set[str]:
        """The cases among `cases` in which the reporter wrote after `member` last read the
        messages, from the log (the newest of each): only cases the member may read, so the
        auditor, another organisation and the recused get nothing."""
        readable = {c.id for c in cases if Permission.READ in case_permissions(member, c)}
        if not readable:
            return set()
        with self.work.db.session() as session:
            newest = session.execute(select(AuditRow.case_id, AuditRow.action, func.max(AuditRow.seq))
                                     .where(AuditRow.case_id.in_(readable),
                                            ((AuditRow.action == ADDED) & (AuditRow.actor == REPORTER))
                                            | ((AuditRow.action == READ) & (AuditRow.actor == member.person)))
                                     .group_by(AuditRow.case_id, AuditRow.action))
            seqs = {(case_id, action): seq for case_id, action, seq in newest}
        return {c for c in readable if seqs.get((c, ADDED), 0) > seqs.get((c, READ), 0)}

    def post_as_handler(self, member: Member, case: Case, text: str, feedback: bool, upload: Upload | None, at: datetime) -> str | None:
        """Write to the reporter as `member`; returns the reporter's address for a seintje, if they left one."""
        require(member, Permission.CONTRIBUTE, case=case)
        if feedback and member.role not in FEEDBACK_ROLES:
            raise TransitionError("Alleen de voorzitter, de ondersteuning of de integriteitsadviseur geeft de terugkoppeling.", field="terugkoppeling")
        with self.work.transaction() as (session, log):
            key = self._handler_key(session, member, case)
            if key is None:
                raise TransitionError("Deze zaak heeft geen berichtenkanaal: hij is vastgelegd voordat dat bestond.", field="bericht")
            self._post(session, log, case, key, member.person, member.role, text, feedback, upload, at)
            row = session.get(ReporterKeyRow, case.id)
            return key.open_text(EMAIL_FIELD, row.sealed_email) if row.sealed_email else None

    def handler_attachment(self, member: Member, case: Case, document_id: str, at: datetime) -> Document:
        require(member, Permission.READ, case=case)
        with self.work.db.session() as session:
            key = self._handler_key(session, member, case)
        if key is None:
            raise AccessDenied()
        return self._attachment(case, key, member.person, document_id, at)

    # --- shared ---------------------------------------------------------------------------------

    def _handler_key(self, session: Session, member: Member, case: Case) -> ChannelKey | None:
        row = session.get(ReporterKeyRow, case.id)
        if row is None:
            return None
        return ChannelKey.from_case_key(self.work._key(session, member, case), row.for_case)

    def _case(self, session: Session, case_id: str) -> Case:
        case = self.work._load(session, case_id)
        if case is None:
            raise CaseError("Deze melding bestaat niet meer.")
        return case

    def _messages(self, session: Session, key: ChannelKey) -> list[Message]:
        rows = session.scalars(select(MessageRow).where(MessageRow.case_id == key.case).order_by(MessageRow.number))
        return [open_message(key, r.number, r.author, datetime.fromisoformat(r.at), r.feedback, r.blob) for r in rows]

    def _post(self, session: Session, log: AuditLog, case: Case, key: ChannelKey, author: str, role: Role | None, text: str,
              feedback: bool, upload: Upload | None, at: datetime) -> int:
        text = text.strip()
        if case.stage is Stage.AFGESLOTEN:
            raise TransitionError("De zaak is afgesloten; er kunnen geen berichten meer bij.", field="bericht")
        if not text and upload is None:
            raise TransitionError("Schrijf een bericht of kies een bestand om mee te sturen.", field="bericht")
        if len(text) > MAX_TEXT:
            raise TransitionError(f"Het bericht is {len(text)} tekens lang; het maximum is {MAX_TEXT}. Verdeel het over twee berichten.",
                                  field="bericht")
        attachment = None
        try:
            if upload is not None:
                attachment = Attachment(self.work.documents.put(key, upload.name, upload.media_type, upload.data), upload.name, len(upload.data))
            for _ in range(3):  # another process may take the same number first: take the next one
                number = 1 + (session.scalar(select(func.max(MessageRow.number)).where(MessageRow.case_id == case.id)) or 0)
                blob = seal_message(key, number, author, text, attachment)
                row = MessageRow(case_id=case.id, number=number, author=author, at=at.isoformat(), feedback=feedback,
                                 attachment=attachment.id if attachment else None, blob=blob)
                row.mac = Records(session, self.work.master).macs(_place(row), _fields(row))
                try:
                    with session.begin_nested():
                        session.add(row)
                    break
                except IntegrityError:
                    continue
            else:
                raise CaseError("Het bericht kon niet worden opgeslagen omdat er tegelijk andere berichten bijkwamen; probeer het nog eens.")
            detail: dict[str, str | int | bool] = {"bericht": number, "van": "melder" if author == REPORTER else "behandelaar",
                                                   "terugkoppeling": feedback, "inhoud": digest(blob)}
            if role is not None:
                detail["rol"] = role.value
            if attachment:
                detail["bijlage"] = attachment.id
            log.record(author, ADDED, at, case.id, case.organisation, detail)
        except BaseException:
            if attachment is not None:  # the insert failed after the file was written: leave no orphan
                self.work.documents.delete(case.id, attachment.id)
            raise
        return number

    def _attachment(self, case: Case, key: ChannelKey, actor: str, document_id: str, at: datetime) -> Document:
        with self.work.transaction() as (session, log):
            if session.scalar(select(MessageRow.number).where(MessageRow.case_id == case.id, MessageRow.attachment == document_id)) is None:
                raise AccessDenied()
            document = self.work.documents.get(key, document_id)
            log.record(actor, "melderbijlage-gelezen", at, case.id, case.organisation, {"document": document_id})
        return document


def _place(row: MessageRow) -> str:
    return f"bericht|{row.case_id}|{row.number}"


def _fields(row: MessageRow) -> dict[str, object]:
    return {"author": row.author, "at": row.at, "feedback": bool(row.feedback), "attachment": row.attachment, "digest": digest(row.blob)}


def _changed(records: Records, row: MessageRow) -> list[str]:
    return records.changed(_place(row), _fields(row), row.mac)

