"""A whole case through a real SQLite file and document folder, as the store will keep it.

The tables here are the smallest the store needs (docs/cases.md lists them); the test
shows that what the cases API hands over for storage holds no plaintext, that access
changes follow the protocol in the wraps, and that audit rows verify as a chain.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import asdict
from datetime import timedelta

import pytest

from miv.cases import (
    AccessDenied,
    Action,
    AuditEntry,
    AuditLog,
    Case,
    CaseKey,
    Change,
    DocumentStore,
    KeyWrap,
    LogConflict,
    Outcome,
    PersonKey,
    Report,
    Step,
    ViolationForm,
    apply,
    open_case,
    readers,
)

from .conftest import DECLARATION, EXTERNAL, T0, People, notification, response

SECRETS = [
    "Wethouder Pietersen",
    "Annemarie Bakker",
    "grondtransactie aan de Vaartweg",
    "onderzoeksbureau Integer BV",
    "berisping",
    "verslag-pietersen.pdf",
    "notulen van de besloten vergadering",
    "Mr. Jolanda Visser",
    "PL0900-2026123456",
    "ik heb de stukken nooit gezien",
]
SCHEMA = """
create table person_keys (person text primary key, public blob, sealed_private blob, master_id text);
create table cases (id text primary key, organisation text, recused text);
create table case_steps (case_id text, position integer, action text, actor text, role text, at text,
    source text, target text, investigator text, outcome text, forms text, details text, primary key (case_id, position));
create table case_content (case_id text, field text, blob blob, primary key (case_id, field));
create table case_key_wraps (case_id text, person text, ephemeral blob, sealed_key blob, primary key (case_id, person));
create table audit_log (seq integer primary key, at text, actor text, action text, case_id text,
    organisation text, detail text, previous text unique, hash text);
"""


class SqliteLogStore:
    """The LogStore interface over rows; the store package will do the same with SQLAlchemy."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def append(self, entry: AuditEntry) -> None:
        row = asdict(entry)
        row["detail"] = json.dumps(row["detail"])
        try:
            with self.db:
                self.db.execute(
                    "insert into audit_log values (:seq, :at, :actor, :action, :case, :organisation, :detail, :previous, :hash)", row
                )
        except sqlite3.IntegrityError:
            raise LogConflict(f"Logregel {entry.seq} bestaat al.") from None

    def last(self) -> AuditEntry | None:
        rows = list(self._select("order by seq desc limit 1"))
        return rows[0] if rows else None

    def entries(self) -> Iterator[AuditEntry]:
        return self._select("order by seq")

    def _select(self, tail: str) -> Iterator[AuditEntry]:
        for r in self.db.execute(f"select * from audit_log {tail}").fetchall():
            yield AuditEntry(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7], r[8])


class Keeper:
    """What the web layer does around every step: seal, store, re-wrap, log."""

    def __init__(self, tmp_path, master) -> None:
        self.master = master
        self.db = sqlite3.connect(tmp_path / "miv.db")
        self.db.executescript(SCHEMA)
        self.documents = DocumentStore(tmp_path / "documenten")
        self.log = AuditLog(SqliteLogStore(self.db), master)
        self.keys = {m.person: PersonKey.create(master, m.person) for m in People.all()}
        with self.db:
            self.db.executemany("insert into person_keys values (?, ?, ?, ?)", [tuple(asdict(k).values()) for k in self.keys.values()])

    def keep(self, change: Change, key: CaseKey) -> None:
        case = change.case
        with self.db:
            self.db.execute("insert or ignore into cases values (?, ?, ?)", (case.id, case.organisation, ",".join(sorted(case.recused))))
            self.db.execute(
                "insert into case_steps values (:case_id, :position, :action, :actor, :role, :at, :source, :target, :investigator, :outcome, :forms, :details)",
                {"case_id": case.id, "position": len(case.history) - 1, **change.step.as_row()},
            )
            for field, text in change.texts.items():
                self.db.execute("insert into case_content values (?, ?, ?)", (case.id, field, key.seal(field, text)))
            plan = key.sync(self.wraps(case.id), readers(case, People.all()), self.keys, self.master)
            self.db.executemany("insert into case_key_wraps values (?, ?, ?, ?)", [tuple(asdict(w).values()) for w in plan.add])
            self.db.executemany("delete from case_key_wraps where case_id = ? and person = ?", [(w.case, w.person) for w in plan.remove])
        self.log.record(change.step.actor, change.step.action.value, change.step.at, case.id, case.organisation, {"fase": case.stage.value})

    def wraps(self, case_id: str) -> list[KeyWrap]:
        return [KeyWrap(*r) for r in self.db.execute("select * from case_key_wraps where case_id = ?", (case_id,))]

    def read(self, member, case: Case, field: str) -> str:
        wrap = next((w for w in self.wraps(case.id) if w.person == member.person), None)
        if wrap is None:
            raise AccessDenied()
        key = CaseKey.for_reader(self.master, member, case, wrap, self.keys[member.person])
        (blob,) = self.db.execute("select blob from case_content where case_id = ? and field = ?", (case.id, field)).fetchone()
        self.log.record(member.person, "lezen", T0 + timedelta(days=100), case.id, case.organisation, {"veld": field})
        return key.open_text(field, blob)

    def replay(self, case_id: str) -> Case:
        names = [d[0] for d in self.db.execute("select * from case_steps limit 0").description]
        rows = self.db.execute("select * from case_steps where case_id = ? order by position", (case_id,)).fetchall()
        org, recused = self.db.execute("select organisation, recused from cases where id = ?", (case_id,)).fetchone()
        return Case.replay(case_id, org, [Step.from_row(dict(zip(names, r))) for r in rows], [p for p in recused.split(",") if p])


@pytest.fixture
def keeper(tmp_path, master):
    return Keeper(tmp_path, master)


def walk(keeper: Keeper) -> tuple[Case, CaseKey]:
    p = People
    change = open_case("zaak-7f3a", p.support, T0, Report(f"{SECRETS[0]} sprak over de {SECRETS[2]}.", SECRETS[0], SECRETS[1]))
    key = CaseKey.generate(change.case.id)
    keeper.keep(change, key)
    steps = [
        (Action.REGISTREREN, p.support, {"forms": [ViolationForm.BELANG]}),
        (Action.VOORONDERZOEK_STARTEN, p.chair, {}),
        (Action.VOORONDERZOEK_AFRONDEN, p.adviser, {"reason": f"Melding van {SECRETS[1]} is concreet."}),
        (Action.ONDERZOEK_INSTELLEN, p.chair, {"reason": "Ernstig.", "terms": f"Opdracht aan {SECRETS[3]}.", "investigator": p.investigator,
                                               "entries": EXTERNAL}),
        (Action.ONAFHANKELIJKHEID_VERKLAREN, p.investigator, {"entries": DECLARATION}),
    ]
    case = change.case
    for action, actor, kw in steps:
        change = apply(case, action, actor, case.stage_since + timedelta(days=3), **kw)
        keeper.keep(change, key)
        case = change.case
    return case, key


def test_no_plaintext_in_database_file_or_document_store(keeper, tmp_path):
    case, key = walk(keeper)
    keeper.documents.put(key, SECRETS[5], "application/pdf", f"Inhoud: {SECRETS[6]}".encode())
    at = case.last_at + timedelta(days=3)
    answer = response(at) | {"adviseur": SECRETS[7], "inhoud": SECRETS[9]}
    for action, actor, kw in [
        (Action.BEVINDINGEN_VOORLEGGEN, People.investigator, {"entries": notification(at)}),
        (Action.WEDERHOOR_VASTLEGGEN, People.investigator, {"entries": answer}),
        (Action.AANGIFTE_VASTLEGGEN, People.chair, {"entries": {"gemeld": f"{at:%Y-%m-%d}", "instantie": "politie", "kenmerk": SECRETS[8]}}),
        (Action.RAPPORT_OPLEVEREN, People.investigator, {"reason": "Wederhoor verwerkt."}),
        (Action.BESLUITEN, People.chair, {"reason": f"Een {SECRETS[4]}.", "outcome": Outcome.GEGROND}),
    ]:
        change = apply(case, action, actor, at, **kw)
        keeper.keep(change, key)
        case = change.case
    keeper.db.close()
    stored = (tmp_path / "miv.db").read_bytes() + b"".join(p.read_bytes() for p in (tmp_path / "documenten").rglob("*") if p.is_file())
    assert len(stored) > 10_000
    for secret in SECRETS:
        for encoding in ("utf-8", "utf-16-le"):
            assert secret.encode(encoding) not in stored, secret


def test_investigator_gets_a_wrap_while_investigating_and_loses_it_after(keeper):
    case, key = walk(keeper)
    assert {w.person for w in keeper.wraps(case.id)} >= {People.investigator.person}
    assert SECRETS[0] in keeper.read(People.investigator, case, "omschrijving")
    at = case.last_at
    for action, kw in [(Action.BEVINDINGEN_VOORLEGGEN, {"entries": notification(at)}), (Action.WEDERHOOR_VASTLEGGEN, {"entries": response(at)}),
                       (Action.RAPPORT_OPLEVEREN, {"reason": "Klaar."})]:
        change = apply(case, action, People.investigator, at, **kw)
        keeper.keep(change, key)
        case = change.case
    assert People.investigator.person not in {w.person for w in keeper.wraps(case.id)}
    with pytest.raises(AccessDenied):
        keeper.read(People.investigator, case, "omschrijving")


def test_auditor_and_outsider_hold_no_wrap_and_cannot_read(keeper):
    case, _ = walk(keeper)
    holders = {w.person for w in keeper.wraps(case.id)}
    assert People.auditor.person not in holders and People.outsider.person not in holders
    chair_wrap = next(w for w in keeper.wraps(case.id) if w.person == People.chair.person)
    with pytest.raises(AccessDenied):
        CaseKey.for_reader(keeper.master, People.auditor, case, chair_wrap, keeper.keys[People.chair.person])


def test_replayed_case_equals_the_live_one_and_the_audit_rows_verify(keeper):
    case, _ = walk(keeper)
    keeper.read(People.chair, case, "betrokkene")
    assert keeper.replay(case.id) == case
    result = keeper.log.verify()
    assert result.ok and result.count == 7
    with keeper.db:
        keeper.db.execute("update audit_log set actor = 'p-iemand' where seq = 3")
    findings = keeper.log.verify().findings
    assert [(f.seq, "gewijzigd" in f.message) for f in findings] == [(3, True)]


def test_two_writers_never_fork_the_chain(keeper, tmp_path):
    """A second app process appends between our read of the head and our insert: we retry."""
    other = AuditLog(SqliteLogStore(sqlite3.connect(tmp_path / "miv.db")), keeper.master)
    real_last = keeper.log.store.last
    raced = []

    def stale_head():
        head = real_last()
        if not raced:
            raced.append(other.record("p-ander", "lezen", T0))
        return head

    keeper.log.store.last = stale_head
    mine = keeper.log.record("p-ik", "lezen", T0)
    assert (raced[0].seq, mine.seq) == (1, 2) and mine.previous == raced[0].hash
    assert keeper.log.verify().ok
