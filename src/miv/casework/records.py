"""The case record in the database, made tamper-evident: every row the workflow trusts carries
a MAC per field, the recused people are pseudonyms and the outcome is sealed.

Someone who can write the database but lacks the master key can still change a row; what
they cannot do is change it unnoticed. `load` refuses a case whose row or steps do not match
their MACs and names the field (`RecordTampered`), so an emptied `recused` column lets no
one in; `check` reports the same for every case, for `verify-log`. The MAC key (the
"records" server key) is random, sealed under the master key, and survives master key
rotation. A whole row set rolled back to an older, valid state is caught by the chain: each
change logs the record's state digest (`staat`), and `check` compares the newest one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from miv.cases import RULES, Action, Case, CaseError, Channel, MasterKey, Step, normalise_receipt
from miv.cases.sealing import derive, seal, unseal
from miv.casework import keyring
from miv.store.cases import AuditRow, CaseRow, ContentRow, Membership, ReporterRow, StepRow

STEP_FIELDS = ("action", "actor", "role", "at", "source", "target", "investigator", "outcome", "forms")
FIELD_NAMES = {"recused": "uitgesloten", "steps": "aantal stappen", "organisation": "organisatie", "outcome": "uitkomst",
               "forms": "vormen", "investigator": "onderzoeker", "action": "stap", "actor": "door", "role": "rol", "at": "tijdstip",
               "source": "van fase", "target": "naar fase", "user_id": "gebruiker", "channel": "kanaal",
               "receipt": "ontvangstcode"}
GIVEN, SEALED = "gegeven:", "verzegeld:"  # a step's codes and the digests of its sealed texts, one MAC each
FIELD_NAMES |= {f"{prefix}{f.name}": f.label for rule in RULES.values() for f in rule.fields for prefix in (GIVEN, SEALED)}
FIELD_NAMES |= {f"{SEALED}{name}": label for name, label in (("reden", "motivering"), ("onderzoeksopdracht", "onderzoeksopdracht"),
                ("omschrijving", "omschrijving van de melding"), ("betrokkene", "betrokkene"), ("melder", "melder"))}
ACTIONS = {a.value for a in Action}
CHANGES = ("melden", "uitsluiting-toegevoegd")  # with every protocol step, these actions log the record's state


class RecordTampered(CaseError):
    """A stored row does not match its MAC: the database was written outside the app."""

    def __init__(self, where: str, fields: Iterable[str]) -> None:
        self.record, self.fields = where, list(fields)
        names = ", ".join(FIELD_NAMES.get(f, f) for f in self.fields)
        super().__init__(f"{where}: {names} gewijzigd buiten de applicatie om; laat de beheerder 'miv cases verify-log' uitvoeren.")


@dataclass(frozen=True)
class Problem:
    where: str
    message: str


class Records:
    """The case tables as one tamper-evident record, inside the caller's transaction."""

    def __init__(self, session: Session, master: MasterKey) -> None:
        self.session = session
        secret = keyring.records_key(session, master)
        self._mac_key = derive(secret, "miv-cases record-mac")
        self._pseudonym_key = derive(secret, "miv-cases recusal-pseudonym")
        self._outcome_key = derive(secret, "miv-cases outcome")
        self._receipt_key = derive(secret, "miv-cases receipt")

    # --- pseudonyms and sealed values -------------------------------------------------------

    def pseudonym(self, case_id: str, person: str) -> str:
        """Who is recused, as the database keeps it: meaningless without the key, so a dump
        joined to `users` does not name the accused."""
        return hmac.new(self._pseudonym_key, f"{case_id}|{person}".encode(), hashlib.sha256).hexdigest()[:32]

    def seal_outcome(self, case_id: str, position: int, outcome: str | None) -> str | None:
        if outcome is None:
            return None
        return base64.b64encode(seal(self._outcome_key, f"{case_id}|{position}|uitkomst", outcome.encode())).decode()

    def _open_outcome(self, case_id: str, position: int, stored: str | None) -> str | None:
        if stored is None:
            return None
        return unseal(self._outcome_key, f"{case_id}|{position}|uitkomst", base64.b64decode(stored)).decode()

    def receipt_hash(self, code: str) -> str:
        """The receipt code as stored: keyed, so a dump cannot be searched for a guessed code offline."""
        return hmac.new(self._receipt_key, normalise_receipt(code).encode(), hashlib.sha256).hexdigest()

    # --- MACs ---------------------------------------------------------------------------------

    def macs(self, place: str, fields: Mapping[str, object]) -> str:
        return json.dumps({name: self._mac(place, name, value) for name, value in fields.items()}, sort_keys=True)

    def changed(self, place: str, fields: Mapping[str, object], stored: str | None) -> list[str]:
        """The fields whose value no longer matches the stored MAC (all of them without one)."""
        try:
            macs = json.loads(stored or "{}")
        except json.JSONDecodeError:
            macs = {}
        return [n for n, v in fields.items() if not hmac.compare_digest(str(macs.get(n, "")), self._mac(place, n, v))]

    def _mac(self, place: str, name: str, value: object) -> str:
        return hmac.new(self._mac_key, f"{place}|{name}|{json.dumps(value)}".encode(), hashlib.sha256).hexdigest()[:32]

    # --- memberships (who may become a reader) --------------------------------------------------

    def seal_membership(self, row: Membership) -> None:
        row.mac = self.macs(f"lid|{row.user_id}|{row.organisation}", {"role": row.role})

    def membership_changed(self, row: Membership) -> list[str]:
        return self.changed(f"lid|{row.user_id}|{row.organisation}", {"role": row.role}, row.mac)

    # --- cases ------------------------------------------------------------------------------------

    def create(self, case: Case) -> CaseRow:
        row = CaseRow(id=case.id, organisation=case.organisation, recused=self._recused(case.id, case.recused))
        self.session.add(row)
        return row

    def add_reporter(self, case: Case, code: str) -> None:
        """The case's channel and the hash of its receipt code, MACed like the case row."""
        row = ReporterRow(case_id=case.id, channel=case.channel.value)
        self.set_receipt(row, code)
        self.session.add(row)

    def set_receipt(self, row: ReporterRow, code: str) -> None:
        """Store the hash of a (new) receipt code on the reporter row and MAC the row again."""
        row.receipt = self.receipt_hash(code)
        row.mac = self.macs(f"melder|{row.case_id}", _reporter_values(row))

    def case_for_receipt(self, code: str) -> str | None:
        """The id of the case a receipt code belongs to, if any."""
        return self.session.scalar(select(ReporterRow.case_id).where(ReporterRow.receipt == self.receipt_hash(code)))

    def add_step(self, case: Case, step: Step, sealed: Mapping[str, bytes] | None = None) -> None:
        """Store the case's newest step and re-MAC the case row (the step count is in it).
        `sealed` are the blobs the step wrote to the content table: their digests are kept
        and MACed with the step, so a blob replaced or deleted later is named by `check`."""
        position = len(case.history) - 1
        values = step.as_row()
        values["outcome"] = self.seal_outcome(case.id, position, values["outcome"])
        digests = {field: digest(blob) for field, blob in (sealed or {}).items()}
        row = StepRow(case_id=case.id, position=position, **values, sealed=json.dumps(digests, sort_keys=True) if digests else "")
        row.mac = self.macs(f"stap|{case.id}|{position}", _step_values(row))
        self.session.add(row)
        self._seal_case(case.id, len(case.history))

    def recuse(self, case: Case, person: str) -> None:
        row = self.session.get(CaseRow, case.id)
        row.recused = ",".join(sorted(set(filter(None, row.recused.split(","))) | {self.pseudonym(case.id, person)}))
        self._seal_case(case.id, len(case.history))

    def state(self, case_id: str) -> str:
        """A digest of the whole record (row and steps, through their MACs) for the audit chain."""
        row = self.session.get(CaseRow, case_id)
        steps = self.session.scalars(select(StepRow.mac).where(StepRow.case_id == case_id).order_by(StepRow.position))
        reporter = self.session.get(ReporterRow, case_id)  # cases from before 0006 have none: their digest is unchanged
        parts = [row.mac or "", *[m or "" for m in steps], *([f"melder:{reporter.mac}"] if reporter else [])]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]

    def load(self, case_id: str, candidates: Iterable[str]) -> Case | None:
        """The case, after checking every MAC; `candidates` are the people whose pseudonyms to
        recognise among the recused (the organisation's members)."""
        row = self.session.get(CaseRow, case_id)
        if row is None:
            return None
        steps = list(self.session.scalars(select(StepRow).where(StepRow.case_id == case_id).order_by(StepRow.position)))
        problems = self._problems(row, steps)
        if problems:
            raise RecordTampered(problems[0][0], problems[0][1])
        history = [Step.from_row({c: getattr(s, c) for c in (*STEP_FIELDS, "details")}
                                 | {"outcome": self._open_outcome(case_id, s.position, s.outcome)}) for s in steps]
        stored = set(filter(None, row.recused.split(",")))
        recused = [p for p in candidates if self.pseudonym(case_id, p) in stored]
        case = Case.replay(case_id, row.organisation, history, recused)
        reporter = self.session.get(ReporterRow, case_id)
        return replace(case, channel=Channel(reporter.channel)) if reporter else case

    def check(self) -> list[Problem]:
        """Every case row, step and membership against its MAC, and every case's state against
        the newest state in the audit chain; a case the chain knows but the tables lost."""
        found: list[Problem] = []
        for row in self.session.scalars(select(CaseRow)):
            steps = list(self.session.scalars(select(StepRow).where(StepRow.case_id == row.id).order_by(StepRow.position)))
            for where, fields in self._problems(row, steps):
                found.append(Problem(where, ", ".join(FIELD_NAMES.get(f, f) for f in fields) + " gewijzigd buiten de applicatie om"))
            found += self._sealed_problems(row.id, steps)
            found += self._codes_gone(row.id, steps)
            logged = self._logged_state(row.id)
            if logged is None:
                found.append(Problem(f"zaak {row.id}", "heeft geen stand in het logboek: zijn logregels zijn verwijderd"))
            elif logged != self.state(row.id):
                found.append(Problem(f"zaak {row.id}", "wijkt af van de laatste stand in het logboek: teruggezet of gewijzigd"))
        for member in self.session.scalars(select(Membership)):
            if self.membership_changed(member):
                found.append(Problem(f"lid {member.user_id} van {member.organisation}", "rol gewijzigd buiten de applicatie om"))
        known = set(self.session.scalars(select(CaseRow.id)))
        opened = set(self.session.scalars(select(AuditRow.case_id).where(AuditRow.action == "melden")))
        gone = set(self.session.scalars(select(AuditRow.case_id).where(AuditRow.action == "vernietigd")))
        found += [Problem(f"zaak {c}", "ontbreekt in de database zonder dat hij is vernietigd") for c in sorted(opened - gone - known)]
        return found

    def _logged_state(self, case_id: str) -> str | None:
        for detail in self.session.scalars(select(AuditRow.detail).where(AuditRow.case_id == case_id).order_by(AuditRow.seq.desc())):
            value = json.loads(detail).get("staat")
            if value:
                return str(value)
        return None

    def _problems(self, row: CaseRow, steps: list[StepRow]) -> list[tuple[str, list[str]]]:
        problems = []
        case_fields = self._case_fields(row.organisation, row.recused, len(steps))
        if changed := self.changed(f"zaak|{row.id}", case_fields, row.mac):
            problems.append((f"zaak {row.id}", changed))
        reporter = self.session.get(ReporterRow, row.id)
        if reporter is not None:
            if changed := self.changed(f"melder|{row.id}", _reporter_values(reporter), reporter.mac):
                problems.append((f"zaak {row.id}, melder", changed))
        for position, step in enumerate(steps):
            values = _step_values(step, step.mac)
            if step.position != position or (changed := self.changed(f"stap|{row.id}|{position}", values, step.mac)):
                problems.append((f"zaak {row.id}, stap {position + 1}", changed if step.position == position else ["steps"]))
        return problems

    def _sealed_problems(self, case_id: str, steps: list[StepRow]) -> list[Problem]:
        """Each sealed text a step wrote against the digest the step keeps: a blob replaced
        (even by an older one of the same field) or deleted is named with its field."""
        found = []
        for step in steps:
            for field, kept in _json(step.sealed).items():
                blob = self.session.get(ContentRow, (case_id, field))
                if blob is None or not hmac.compare_digest(digest(blob.blob), str(kept)):
                    name = FIELD_NAMES.get(SEALED + field.split("-", 2)[-1], field)
                    found.append(Problem(f"zaak {case_id}, stap {step.position + 1}",
                                         f"{name} (versleuteld) {'verwijderd' if blob is None else 'gewijzigd'} buiten de applicatie om"))
        return found

    def _codes_gone(self, case_id: str, steps: list[StepRow]) -> list[Problem]:
        """Each code a step's audit entry lists that the step row no longer holds: a code deleted
        together with its MAC leaves the row's other MACs whole, but not the entry."""
        logged: dict[object, dict[str, object]] = {}
        for detail in self.session.scalars(select(AuditRow.detail).where(AuditRow.case_id == case_id, AuditRow.action.in_({s.action for s in steps}))):
            values = _json(detail)
            logged.setdefault(values.get("stap"), values)
        found = []
        for step in steps:
            fields = {f.name: f.label for f in RULES[Action(step.action)].fields if not f.sealed} if step.action in ACTIONS else {}
            held, macs = _json(step.details), _json(step.mac)  # a code gone but its MAC kept is named by _problems already
            gone = [label for name, label in fields.items()
                    if name in logged.get(step.position + 1, {}) and name not in held and GIVEN + name not in macs]
            if gone:
                found.append(Problem(f"zaak {case_id}, stap {step.position + 1}", ", ".join(gone) + " verwijderd buiten de applicatie om"))
        return found

    def _seal_case(self, case_id: str, steps: int) -> None:
        row = self.session.get(CaseRow, case_id)
        row.mac = self.macs(f"zaak|{case_id}", self._case_fields(row.organisation, row.recused, steps))

    @staticmethod
    def _case_fields(organisation: str, recused: str, steps: int) -> dict[str, object]:
        return {"organisation": organisation, "recused": recused, "steps": steps}

    def _recused(self, case_id: str, people: Iterable[str]) -> str:
        return ",".join(sorted(self.pseudonym(case_id, p) for p in people))


def digest(blob: bytes) -> str:
    """A digest of a sealed blob (it says nothing of the text), kept where the blob must not change unseen."""
    return hashlib.sha256(bytes(blob)).hexdigest()[:32]


def _reporter_values(row: ReporterRow) -> dict[str, object]:
    return {"channel": row.channel, "receipt": row.receipt}


def _step_values(row: StepRow, stored_macs: str | None = None) -> dict[str, object]:
    """What a step's MACs cover: the plain columns, each recorded code and each sealed text's
    digest on its own (so `verify-log` names the one edited). A code or digest that has a MAC
    but is gone from the row counts as a value of None, so deleting one is named too."""
    values: dict[str, object] = {f: getattr(row, f) for f in STEP_FIELDS}
    values |= {GIVEN + k: v for k, v in _json(row.details).items()}
    values |= {SEALED + k: v for k, v in _json(row.sealed).items()}
    known = _json(stored_macs)
    return values | {k: None for k in known if k.startswith((GIVEN, SEALED)) and k not in values}


def _json(text: str | None) -> dict[str, object]:
    """A JSON object column as stored; anything else (written outside the app) reads as empty,
    which the MACs then report."""
    try:
        value = json.loads(text or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}
