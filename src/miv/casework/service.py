"""Cases kept in the database: every read and change as one transaction with its audit entry.

`Casework` is what the pages and the CLI call. Each method checks access with
`miv.cases.access` first (the pages check too), seals every text with the case's key,
keeps the key wraps equal to the people who may read the case now, and writes the audit
entry in the same transaction as the change, so neither exists without the other.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from miv.cases import (
    AccessDenied,
    Action,
    AuditLog,
    Case,
    CaseCounts,
    CaseError,
    CaseKey,
    Document,
    DocumentStore,
    KeyProblem,
    KeySubstituted,
    KeyWrap,
    MasterKey,
    Member,
    Outcome,
    Permission,
    PersonKey,
    Report,
    RetentionPolicy,
    Role,
    Stage,
    Step,
    TransitionError,
    Verification,
    ViolationForm,
    apply,
    count,
    new_case_id,
    new_receipt_code,
    open_case,
    readers,
    require,
)
from miv.cases.audit import Anchor, AnchorFile, AuditEntry, Detail, Finding, removal
from miv.cases.recusal import (
    BLOCKED,
    blocking,
    check_recusal,
    require_manager,
    require_recuser,
)
from miv.casework import keyring, messages, twofactor
from miv.casework.logstore import DatabaseLogStore, entry_from_row
from miv.casework.organisations import (
    CASE_ACCOUNT,
    MemberError,
    Person,
    add_member,
    memberships,
    people,
    person_id,
    remove_member,
)
from miv.casework.records import Problem, Records
from miv.store import Database
from miv.store.cases import (
    AuditRow,
    CaseRow,
    ContentRow,
    CountRow,
    DocumentRow,
    Organisation,
    PersonKeyRow,
    WrapRow,
)
from miv.store.sessions import revoke_user_sessions
from miv.store.users import User

NOTE = "notitie-"
RECUSAL = "uitsluiting-"  # the reason of a recusal added after intake, sealed
DOCUMENT_NAME = "documentnaam-"  # the file name again, sealed in the database, so a page need not open every file


@dataclass(frozen=True)
class Note:
    author: str
    at: str
    text: str


@dataclass(frozen=True)
class Receipt:
    """A new case and its receipt code, which exists nowhere else once this is gone."""

    case: Case
    code: str


@dataclass(frozen=True)
class Contents:
    """The opened content of one case: its fields by name and its notes, oldest first."""

    fields: dict[str, str]
    notes: list[Note]


class Casework:
    def __init__(self, db: Database, master: MasterKey, documents: DocumentStore, retention: RetentionPolicy | None = None,
                 anchor: Path | None = None, origin: Detail | None = None) -> None:
        self.db = db
        self.origin = origin  # where a command runs (audit.ORIGIN); the web app's entries name the signed-in member instead
        self.master = master
        self.documents = documents
        self.retention = retention or RetentionPolicy()
        self.anchor = AnchorFile(anchor) if anchor is not None else None

    @contextmanager
    def transaction(self) -> Iterator[tuple[Session, AuditLog]]:
        """A unit of work with an audit log that writes in it. A substituted key rolls the work
        back and is itself logged, in a transaction of its own, so the refusal stays on record."""
        try:
            with self.db.session() as session:
                log = AuditLog(DatabaseLogStore(session), self.master, keyring.audit_keys(session, self.master), self.origin)
                yield session, log
            if log.written is not None and self.anchor is not None:
                self.anchor.append(Anchor(log.written.seq, log.written.hash), new_log=log.began)
        except KeySubstituted as exc:
            self.record("systeem", "sleutel-afgewezen", datetime.now(timezone.utc), exc.case, exc.organisation, {"persoon": exc.person})
            raise

    def record(self, actor: str, action: str, at: datetime, case: str | None = None, organisation: str | None = None,
               detail: Detail | None = None) -> None:
        """Log a read or an event that changes nothing else (a list viewed, a login)."""
        with self.transaction() as (_, log):
            log.record(actor, action, at, case, organisation, detail)

    @property
    def mailbox(self) -> messages.Mailbox:
        """The message channel between the reporter and the handlers."""
        return messages.Mailbox(self)

    # --- reading cases -------------------------------------------------------------------

    def case(self, case_id: str) -> Case | None:
        with self.db.session() as session:
            return self._load(session, case_id)

    def cases(self, organisation: str) -> list[Case]:
        with self.db.session() as session:
            return sorted(self._cases(session, organisation), key=lambda c: c.received_at, reverse=True)

    def case_ids(self, organisation: str) -> set[str]:
        with self.db.session() as session:
            return set(session.scalars(select(CaseRow.id).where(CaseRow.organisation == organisation)))

    def _cases(self, session: Session, organisation: str) -> list[Case]:
        ids = session.scalars(select(CaseRow.id).where(CaseRow.organisation == organisation))
        return [c for i in list(ids) if (c := self._load(session, i))]

    def visible_case(self, member: Member, case_id: str, permission: Permission = Permission.LIST) -> Case:
        """The case if `member` holds `permission` on it; otherwise AccessDenied, also when it does not exist."""
        case = self.case(case_id)
        if case is None:
            raise AccessDenied()
        require(member, permission, case=case)
        return case

    def contents(self, member: Member, case: Case, at: datetime) -> Contents:
        """Open every content field for a reader, and log the read."""
        with self.transaction() as (session, log):
            key = self._key(session, member, case)
            rows = session.scalars(select(ContentRow).where(ContentRow.case_id == case.id))
            opened = {row.field: key.open_text(row.field, row.blob) for row in rows}
            log.record(member.person, "lezen", at, case.id, case.organisation, {"rol": member.role.value})
        notes = sorted((json.loads(v) for k, v in opened.items() if k.startswith(NOTE)), key=lambda n: n["at"])
        fields = {k: v for k, v in opened.items() if not k.startswith(NOTE)}
        return Contents(fields, [Note(n["author"], n["at"], n["text"]) for n in notes])

    def document_list(self, case: Case) -> list[DocumentRow]:
        with self.db.session() as session:
            return list(session.scalars(select(DocumentRow).where(DocumentRow.case_id == case.id).order_by(DocumentRow.added_at)))

    def document(self, member: Member, case: Case, document_id: str, at: datetime) -> Document:
        with self.transaction() as (session, log):
            if session.get(DocumentRow, (case.id, document_id)) is None:
                raise AccessDenied()
            key = self._key(session, member, case)
            document = self.documents.get(key, document_id)
            log.record(member.person, "document-lezen", at, case.id, case.organisation, {"document": document_id})
        return document

    def people(self, organisation: str) -> list[Person]:
        with self.db.session() as session:
            return people(session, self.master, organisation)

    def memberships(self, user: int) -> list[tuple[Organisation, Member]]:
        with self.db.session() as session:
            return memberships(session, self.master, user)

    def holders(self, case: Case) -> set[str]:
        """Who holds a key wrap for the case (for the access page)."""
        with self.db.session() as session:
            return set(session.scalars(select(WrapRow.person).where(WrapRow.case_id == case.id)))

    # --- changing cases ------------------------------------------------------------------

    def open(self, member: Member, report: Report, at: datetime, recused: frozenset[str] = frozenset()) -> Case:
        return self.receive(member, report, at, recused).case

    def receive(self, member: Member, report: Report, at: datetime, recused: frozenset[str] = frozenset()) -> Receipt:
        """Open a case and make its receipt code: returned this once, stored only as a hash."""
        require(member, Permission.CREATE, organisation=member.organisation)
        change = open_case(new_case_id(), member, at, report, recused)
        key = CaseKey.generate(change.case.id)
        with self.transaction() as (session, log):
            check_recusal(recused, [p.member for p in people(session, self.master, member.organisation)], _layer(session, member.organisation))
            records = Records(session, self.master)
            records.create(change.case)
            session.flush()
            code = new_receipt_code()
            records.add_reporter(change.case, code)
            messages.open_channel(session, self.master, change.case, key, code)
            self._keep(session, change.case, change.step, change.texts, key, log)
        return Receipt(change.case, code)

    def case_for_receipt(self, code: str) -> Case | None:
        """The case a reporter's receipt code belongs to (for the reporter's side, without an account)."""
        with self.db.session() as session:
            case_id = Records(session, self.master).case_for_receipt(code)
            return self._load(session, case_id) if case_id else None

    def take(self, member: Member, case: Case, action: Action, at: datetime, *, reason: str = "", terms: str = "",
             investigator: Member | None = None, outcome: Outcome | None = None, forms: frozenset[ViolationForm] = frozenset(),
             entries: Mapping[str, str | Iterable[str]] | None = None) -> Case:
        """One protocol step; `apply` checks the stage, the role and the required fields,
        with the body to inform named by the organisation's layer."""
        with self.db.session() as session:
            layer = _layer(session, case.organisation)
        change = apply(case, action, member, at, reason=reason, terms=terms, investigator=investigator, outcome=outcome, forms=forms,
                       entries=entries, layer=layer)
        with self.transaction() as (session, log):
            key = self._key(session, member, case) if change.texts else self._any_key(session, case)
            self._keep(session, change.case, change.step, change.texts, key, log)
        return change.case

    def recuse(self, member: Member, case: Case, person: str, reason: str, at: datetime) -> Case:
        """Recuse someone after intake (chair or integrity adviser, with a reason): their key
        wrap goes in the same transaction, and the reason is sealed like the content."""
        require_recuser(member, case)
        if not reason.strip():
            raise TransitionError("Vul de reden van de uitsluiting in.", field="reden")
        with self.transaction() as (session, log):
            members = [p.member for p in people(session, self.master, case.organisation)]
            if person not in {m.person for m in members} or person in case.recused:
                raise TransitionError("Kies een lid van de organisatie dat nog niet is uitgesloten.", field="persoon")
            recused = case.recused | {person}
            check_recusal(recused, members, _layer(session, case.organisation))
            key = self._key(session, member, case)
            records = Records(session, self.master)
            records.recuse(case, person)
            number = 1 + len(list(session.scalars(select(ContentRow.field).where(ContentRow.case_id == case.id, ContentRow.field.startswith(RECUSAL)))))
            field = f"{RECUSAL}{number}"
            session.add(ContentRow(case_id=case.id, field=field, blob=key.seal(field, reason.strip())))
            updated = replace(case, recused=frozenset(recused))
            session.flush()
            log.record(member.person, "uitsluiting-toegevoegd", at, case.id, case.organisation,
                       {"veld": field, "rol": member.role.value, "staat": records.state(case.id)})
            self._sync(session, updated, key, log, member.person, at)
        return updated

    def organisation_log(self, member: Member, limit: int = 500) -> list[AuditEntry]:
        """The organisation's log, newest first, for chair and auditor: nothing while the reader is
        recused from an open case, and never an entry of a case they are recused from."""
        require(member, Permission.VIEW_LOG, organisation=member.organisation)
        cases = self.cases(member.organisation)
        if blocking(member, cases):
            raise AccessDenied(BLOCKED)
        hidden = {c.id for c in cases if member.person in c.recused}
        with self.db.session() as session:
            rows = session.scalars(select(AuditRow).where(AuditRow.organisation == member.organisation).order_by(AuditRow.seq.desc()))
            entries = [entry_from_row(r) for r in rows if r.case_id not in hidden]
        return entries[:limit]

    def add_note(self, member: Member, case: Case, text: str, at: datetime) -> None:
        require(member, Permission.CONTRIBUTE, case=case)
        if not text.strip():
            raise CaseError("Vul de tekst van de notitie in.")
        with self.transaction() as (session, log):
            key = self._key(session, member, case)
            number = 1 + len(list(session.scalars(select(ContentRow.field).where(ContentRow.case_id == case.id, ContentRow.field.startswith(NOTE)))))
            field = f"{NOTE}{number}"
            body = json.dumps({"author": member.person, "at": at.isoformat(), "text": text.strip()})
            session.add(ContentRow(case_id=case.id, field=field, blob=key.seal(field, body)))
            log.record(member.person, "notitie-toevoegen", at, case.id, case.organisation, {"veld": field})

    def add_document(self, member: Member, case: Case, name: str, media_type: str, data: bytes, at: datetime) -> str:
        require(member, Permission.CONTRIBUTE, case=case)
        document_id = None
        try:
            with self.transaction() as (session, log):
                key = self._key(session, member, case)
                document_id = self.documents.put(key, name, media_type, data)
                session.add(DocumentRow(case_id=case.id, document_id=document_id, size=len(data), added_by=member.person, added_at=at))
                field = f"{DOCUMENT_NAME}{document_id}"
                session.add(ContentRow(case_id=case.id, field=field, blob=key.seal(field, name)))
                log.record(member.person, "document-toevoegen", at, case.id, case.organisation, {"document": document_id})
        except BaseException:
            if document_id is not None:  # the insert failed after the file was written: leave no orphan
                self.documents.delete(case.id, document_id)
            raise
        return document_id

    def resync(self, session: Session, organisation: str, log: AuditLog, actor: str, at: datetime) -> None:
        """After a membership change: make the wraps of every case follow who may read it now."""
        for case_id in list(session.scalars(select(CaseRow.id).where(CaseRow.organisation == organisation))):
            case = self._load(session, case_id)
            if case is not None and session.scalar(select(WrapRow.person).where(WrapRow.case_id == case_id).limit(1)):
                self._sync(session, case, self._any_key(session, case), log, actor, at)

    def grant(self, actor: str | Member, email: str, organisation: str, role: str, at: datetime) -> Person:
        """Give an account a case role; they get a key wrap for every case they may now read.
        `actor` is the member who does it on the access page, or an operator's name (CLI)."""
        with self.transaction() as (session, log):
            if isinstance(actor, Member):
                require_manager(actor, self._cases(session, organisation), Role(role) if role in {r.value for r in Role} else None)
            person = add_member(session, self.master, email, organisation, role)
            session.flush()
            log.record(_actor(actor), "lid-toegevoegd", at, None, organisation, {"persoon": person.member.person, "rol": role})
            self.resync(session, organisation, log, _actor(actor), at)
        return person

    def revoke(self, actor: str | Member, user: int, organisation: str, at: datetime) -> Member:
        """Take a case role away; their wraps go, so they can no longer open any case. Refused
        when an open case would be left without a chair who may decide it."""
        with self.transaction() as (session, log):
            cases = self._cases(session, organisation)
            if isinstance(actor, Member):
                require_manager(actor, cases)
            member = remove_member(session, user, organisation)
            session.flush()
            chairs = {p.member.person for p in people(session, self.master, organisation) if p.member.role is Role.CHAIR}
            stuck = [c.id for c in cases if c.stage is not Stage.AFGESLOTEN and not chairs - c.recused]
            if stuck:
                raise MemberError(f"dan mag niemand meer besluiten in zaak {stuck[0]}: wijs eerst een plaatsvervangend voorzitter aan "
                                  "die niet is uitgesloten, en trek daarna deze rol in")
            revoke_user_sessions(session, user)  # a copied cookie of theirs opens nothing from now on
            log.record(_actor(actor), "lid-verwijderd", at, None, organisation, {"persoon": member.person, "rol": member.role.value})
            self.resync(session, organisation, log, _actor(actor), at)
        return member

    def reset_totp(self, actor: str, user: int, at: datetime, valid: timedelta) -> str:
        """Forget a person's TOTP secret (lost phone) and end their sessions, logged with who did
        it; returns the new enrolment code they need to enrol again."""
        with self.transaction() as (session, log):
            person, _ = self._case_person(session, user)
            had = twofactor.reset(session, person)
            ended = revoke_user_sessions(session, user)
            code, expires = twofactor.issue(session, self.master, person, at, valid)
            log.record(actor, "tweestaps-gereset", at, None, None, {"persoon": person, "sessies": ended, "had-tweestaps": had,
                                                                    "inschrijfcode-tot": f"{expires:%Y-%m-%dT%H:%MZ}"})
        return code

    def issue_enrolment(self, actor: str, user: int, at: datetime, valid: timedelta) -> str:
        """A one-time TOTP enrolment code for a case account that has not enrolled yet; an
        earlier code of theirs stops working. Returned this once, logged without the code."""
        with self.transaction() as (session, log):
            person, email = self._case_person(session, user)
            if twofactor.enrolled(session, person):
                raise MemberError(f"{email} heeft al tweestapsverificatie; geef een nieuwe inschrijfcode met "
                                  "'miv cases reset-totp' (dat vergeet ook het oude geheim)")
            code, expires = twofactor.issue(session, self.master, person, at, valid)
            log.record(actor, "inschrijfcode-uitgegeven", at, None, None, {"persoon": person, "geldig-tot": f"{expires:%Y-%m-%dT%H:%MZ}"})
        return code

    @staticmethod
    def _case_person(session: Session, user: int) -> tuple[str, str]:
        account = session.get(User, user)
        if account is None or account.role != CASE_ACCOUNT:
            who = account.email if account else f"account {user}"
            raise MemberError(f"{who} heeft geen rol {CASE_ACCOUNT!r}: alleen zaakbehandelaars hebben tweestapsverificatie")
        return person_id(user), account.email

    # --- retention and figures -----------------------------------------------------------

    def counts_for(self, member: Member) -> CaseCounts:
        """The counts a member sees: without the cases they are recused from."""
        with self.db.session() as session:
            stored = CaseCounts.from_rows((r.organisation, r.year, r.measure, r.count) for r in session.scalars(select(CountRow)))
        return stored + count(c for c in self.all_cases() if member.person not in c.recused)

    def counts(self) -> CaseCounts:
        """Live counts plus the residue of purged cases."""
        with self.db.session() as session:
            stored = CaseCounts.from_rows((r.organisation, r.year, r.measure, r.count) for r in session.scalars(select(CountRow)))
        return stored + count(self.all_cases())

    def all_cases(self) -> list[Case]:
        with self.db.session() as session:
            return [c for i in list(session.scalars(select(CaseRow.id))) if (c := self._load(session, i))]

    def purge(self, at: datetime) -> tuple[list[Case], list[Case]]:
        """Announce the cases in their warning window and destroy the ones that are due,
        leaving their counts; a case's audit entries go with it, recorded in the signed
        `vernietigd` entry (`audit.removal`) so the chain stays verifiable. All in one
        transaction, after checking that no case to destroy shows tampering (`_unbroken`):
        otherwise nothing happens. Returns (announced, destroyed)."""
        cases = self.all_cases()
        announced, destroyed = self.retention.to_warn(cases, at), self.retention.to_purge(cases, at)
        with self.transaction() as (session, log):
            self._unbroken(session, log, destroyed)
            for case in announced:
                log.record("systeem", "bewaartermijn-aangekondigd", at, case.id, case.organisation,
                           {"vernietigen-op": f"{self.retention.purge_on(case):%Y-%m-%d}"})
            for case in destroyed:
                for organisation, year, measure, n in self.retention.residue(case, at).rows():
                    row = session.get(CountRow, (organisation, year, measure))
                    if row is None:
                        session.add(CountRow(organisation=organisation, year=year, measure=measure, count=n))
                    else:
                        row.count += n
                session.execute(delete(CaseRow).where(CaseRow.id == case.id))
                entries = [entry_from_row(r) for r in session.scalars(select(AuditRow).where(AuditRow.case_id == case.id))]
                log.record("systeem", "vernietigd", at, case.id, case.organisation, removal(entries))
                session.execute(delete(AuditRow).where(AuditRow.seq.in_([e.seq for e in entries])))
        for case in destroyed:
            self.documents.purge(case.id)
        return announced, destroyed

    def _unbroken(self, session: Session, log: AuditLog, cases: list[Case]) -> None:
        """Refuse to destroy a case whose own entries, the links from them to the next entry,
        or whose record show tampering: the purge would erase the evidence. (A deleted entry
        stays a gap the purge does not excuse, but a purge that would hide it is refused too.)"""
        if not cases:
            return
        result = log.verify()
        problems = self._record_problems(session)
        rows = list(session.execute(select(AuditRow.seq, AuditRow.case_id).order_by(AuditRow.seq)))
        following = {seq: after for (seq, _), (after, _) in zip(rows, rows[1:])}
        for case in cases:
            own = {seq for seq, case_id in rows if case_id == case.id}
            near = own | {following[s] for s in own if s in following}
            broken = [str(f) for f in result.findings if f.seq in near]
            broken += [f"{p.where}: {p.message}" for p in problems if p.where == f"zaak {case.id}" or p.where.startswith(f"zaak {case.id},")]
            if broken:
                raise CaseError(f"Zaak {case.id} wordt niet vernietigd: {broken[0]}. Het logboek of het dossier is buiten de applicatie "
                                "om gewijzigd en vernietigen zou dat spoor wissen; er is niets vernietigd. Laat 'miv cases verify-log' "
                                "uitvoeren en zoek de wijziging uit.")

    def _record_problems(self, session: Session) -> list[Problem]:
        records = Records(session, self.master)
        return records.check() + messages.check(session, records)

    def verify_log(self, anchor: Anchor | None = None) -> Verification:
        """The chain, the anchor file (missing or behind is a finding) and every case record's
        MACs and state against the chain (casework.records) and every message (casework.messages), all as findings."""
        with self.transaction() as (session, log):
            result = log.verify(anchor=anchor or (self.anchor.latest() if self.anchor else None))
            problems = self._record_problems(session)
        findings = list(result.findings) + (self.anchor.check(result) if self.anchor else [])
        findings += [Finding(result.count + 1, None, p.message, p.where) for p in problems]
        return Verification(result.count, result.head, findings)

    # --- keys ------------------------------------------------------------------------------

    def rotate_audit_key(self, actor: str, at: datetime) -> int:
        """A new audit key version for every entry from now on; older entries keep verifying."""
        with self.db.session() as session:
            version = keyring.rotate_audit_key(session, self.master)
        self.record(actor, "logsleutel-vernieuwd", at, None, None, {"versie": version})
        return version

    def rotate_master_key(self, actor: str, new: MasterKey, at: datetime) -> int:
        """Move every sealed secret to `new` in one transaction; from then on only `new` opens them."""
        with self.transaction() as (session, log):
            moved = keyring.rotate_master_key(session, self.master, new)
            log.record(actor, "hoofdsleutel-vernieuwd", at, None, None, {"van": self.master.id, "naar": new.id, "aantal": moved})
        self.master = new
        return moved

    def rotate_person_key(self, actor: str, person: str, at: datetime) -> int:
        """A new key pair for one person (e.g. after `sleutel-afgewezen`); each of their wraps is
        made again for the new public key, from the case key opened through another wrap."""
        with self.transaction() as (session, log):
            row = session.get(PersonKeyRow, person)
            if row is None:
                raise KeyProblem(f"Persoon {person} heeft geen sleutelpaar.")
            mine = list(session.scalars(select(WrapRow).where(WrapRow.person == person)))
            case_keys = [self._any_key(session, self._load_or_fail(session, w.case_id), skip=person) for w in mine]
            fresh = PersonKey.create(self.master, person)
            row.public, row.sealed_private, row.master_id = fresh.public, fresh.sealed_private, fresh.master_id
            for wrap_row, case_key in zip(mine, case_keys):
                wrap = case_key.wrap_for(fresh, self.master)
                wrap_row.ephemeral, wrap_row.sealed_key = wrap.ephemeral, wrap.sealed_key
            log.record(actor, "persoonssleutel-vernieuwd", at, None, None, {"persoon": person, "zaken": len(mine)})
        return len(mine)

    def _keep(self, session: Session, case: Case, step: Step, texts: dict[str, str], key: CaseKey, log: AuditLog) -> None:
        """Store one step (MACed, outcome sealed) and its sealed texts, log it with every field
        that is not content and the record's new state digest, then re-wrap for the readers."""
        records = Records(session, self.master)
        blobs = {field: key.seal(field, text) for field, text in texts.items()}
        records.add_step(case, step, blobs)
        for field, blob in blobs.items():
            session.add(ContentRow(case_id=case.id, field=field, blob=blob))
        session.flush()
        detail: dict[str, str | int | bool] = {**step.info, "fase": step.target.value, "rol": step.role.value, "stap": len(case.history),
                                               "staat": records.state(case.id)}
        if step.action is Action.MELDEN:
            detail["kanaal"] = case.channel.value
        if step.investigator:
            detail["onderzoeker"] = step.investigator
        if step.forms:
            detail["vormen"] = ",".join(sorted(f.value for f in step.forms))
        log.record(step.actor, step.action.value, step.at, case.id, case.organisation, detail)
        self._sync(session, case, key, log, step.actor, step.at)

    def _sync(self, session: Session, case: Case, key: CaseKey, log: AuditLog, actor: str, at: datetime) -> None:
        wraps = [KeyWrap(w.case_id, w.person, w.ephemeral, w.sealed_key) for w in session.scalars(select(WrapRow).where(WrapRow.case_id == case.id))]
        wanted = readers(case, [p.member for p in people(session, self.master, case.organisation)])
        if not wanted:
            raise KeyProblem(f"Dan kan niemand zaak {case.id} nog lezen en gaat de zaaksleutel verloren; wijs eerst een ander toe.")
        keys = {r.person: PersonKey(r.person, r.public, r.sealed_private, r.master_id)
                for r in session.scalars(select(PersonKeyRow).where(PersonKeyRow.person.in_(wanted)))}
        try:
            plan = key.sync(wraps, wanted, keys, self.master)
        except KeySubstituted as exc:
            raise KeySubstituted(exc.person, case.id, case.organisation) from None
        for wrap in plan.add:
            session.add(WrapRow(case_id=wrap.case, person=wrap.person, ephemeral=wrap.ephemeral, sealed_key=wrap.sealed_key))
        for wrap in plan.remove:
            session.execute(delete(WrapRow).where(WrapRow.case_id == wrap.case, WrapRow.person == wrap.person))
        for wrap in plan.add:
            log.record(actor, "toegang-verleend", at, case.id, case.organisation, {"persoon": wrap.person})
        records = Records(session, self.master)
        for wrap in plan.remove:
            who = records.pseudonym(case.id, wrap.person) if wrap.person in case.recused else wrap.person
            log.record(actor, "toegang-ingetrokken", at, case.id, case.organisation, {"persoon": who})

    def _key(self, session: Session, member: Member, case: Case) -> CaseKey:
        """The case key through the member's own wrap, after the access rule."""
        require(member, Permission.READ, case=case)
        wrap = session.get(WrapRow, (case.id, member.person))
        key_row = session.get(PersonKeyRow, member.person)
        if wrap is None or key_row is None:
            raise AccessDenied()
        person = PersonKey(key_row.person, key_row.public, key_row.sealed_private, key_row.master_id)
        return CaseKey.for_reader(self.master, member, case, KeyWrap(wrap.case_id, wrap.person, wrap.ephemeral, wrap.sealed_key), person)

    def _any_key(self, session: Session, case: Case, skip: str | None = None) -> CaseKey:
        """The case key through any current reader's wrap: for the server's own bookkeeping
        (re-wrapping after a step or a membership change), never to show content. `skip`
        leaves out a person whose key is being replaced; if only they hold a wrap, theirs is used."""
        wraps = sorted(session.scalars(select(WrapRow).where(WrapRow.case_id == case.id)), key=lambda w: w.person == skip)
        for wrap in wraps:
            row = session.get(PersonKeyRow, wrap.person)
            if row is not None:
                person = PersonKey(row.person, row.public, row.sealed_private, row.master_id)
                try:
                    return CaseKey.unwrap(KeyWrap(wrap.case_id, wrap.person, wrap.ephemeral, wrap.sealed_key), person, person.unlock(self.master))
                except KeyProblem:
                    continue
        raise KeyProblem(f"Zaak {case.id} heeft geen sleutel meer: niemand heeft er nog toegang toe.")


    def _load(self, session: Session, case_id: str) -> Case | None:
        """A case as stored, every MAC checked (casework.records); the recused recognised among the members."""
        organisation = session.scalar(select(CaseRow.organisation).where(CaseRow.id == case_id))
        if organisation is None:
            return None
        candidates = [p.member.person for p in people(session, self.master, organisation)]
        records = Records(session, self.master)
        case = records.load(case_id, candidates)
        return replace(case, feedback=messages.feedback_times(session, records, case_id)) if case else None

    def _load_or_fail(self, session: Session, case_id: str) -> Case:
        case = self._load(session, case_id)
        if case is None:
            raise KeyProblem(f"Zaak {case_id} bestaat niet meer.")
        return case


def _actor(actor: str | Member) -> str:
    return actor.person if isinstance(actor, Member) else actor


def _layer(session: Session, organisation: str) -> str:
    found = session.get(Organisation, organisation)
    return found.layer if found is not None else "gemeente"

