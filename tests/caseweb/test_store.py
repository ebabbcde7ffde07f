"""The case tables on SQLite and PostgreSQL: migration from empty, a whole case kept and
replayed, the audit log as rows, key wraps following access, retention leaving counts."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text

from miv.cases import AccessDenied, Action, AuditEntry, AuditLog, LogConflict, Outcome, Report, Retention, ViolationForm
from miv.cases.audit import GENESIS
from miv.casework import DatabaseLogStore
from miv.store import Database, metadata, sessions  # noqa: F401 - every table on the metadata
from miv.store.migration import config
from miv.store.cases import AuditRow, CaseRow, ContentRow, CountRow, StepRow, WrapRow

from .caseweb_support import DECLARATION, EXTERNAL, ORG, SECRETS, Team, at, notification, response


def test_migration_from_empty_database_matches_the_models(db: Database):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert context.get_current_revision() == ScriptDirectory.from_config(config(db.url)).get_current_head() == "0009_users_enrolment"
        assert compare_metadata(context, metadata) == []
        tables = set(connection.dialect.get_table_names(connection))
    assert {"cases", "case_steps", "case_content", "case_key_wraps", "case_documents", "audit_log", "case_counts",
            "case_organisations", "case_members", "case_person_keys", "case_totp"} <= tables


def test_migration_0005_goes_down_and_up_again_with_a_case_kept(team: Team):
    from alembic import command

    from miv.casework.records import RecordTampered
    from miv.store.migration import config

    case = walk(team, until=Action.REGISTREREN)
    team.work.db.dispose()
    command.downgrade(config(team.work.db.url), "0003_sessions")
    command.upgrade(config(team.work.db.url), "head")
    with team.work.db.session() as s:
        assert s.get(CaseRow, case.id) is not None and s.scalar(select(func.count()).select_from(StepRow)) == 2
    with pytest.raises(RecordTampered):  # the MACs went with the downgrade: the rows are no longer vouched for
        team.work.case(case.id)


def walk(team: Team, until: Action = Action.AFSLUITEN):
    w, p = team.work, team.people
    case = w.open(p["ondersteuning"].member, Report(f"{SECRETS[0]} en de {SECRETS[2]}.", SECRETS[0], SECRETS[1]), at(0))
    plan = [
        (Action.REGISTREREN, "ondersteuning", {"forms": frozenset({ViolationForm.BELANG})}),
        (Action.VOORONDERZOEK_STARTEN, "voorzitter", {}),
        (Action.VOORONDERZOEK_AFRONDEN, "adviseur", {"reason": "Concreet en geloofwaardig."}),
        (Action.ONDERZOEK_INSTELLEN, "voorzitter", {"reason": "Ernstig.", "terms": f"Opdracht aan {SECRETS[3]}.",
                                                     "investigator": p["onderzoeker"].member, "entries": EXTERNAL}),
        (Action.ONAFHANKELIJKHEID_VERKLAREN, "onderzoeker", {"entries": DECLARATION}),
        (Action.BEVINDINGEN_VOORLEGGEN, "onderzoeker", {"entries": notification(at(6))}),
        (Action.WEDERHOOR_VASTLEGGEN, "onderzoeker", {"entries": response(at(7))}),
        (Action.RAPPORT_OPLEVEREN, "onderzoeker", {"reason": "Wederhoor verwerkt."}),
        (Action.BESLUITEN, "voorzitter", {"reason": SECRETS[4], "outcome": Outcome.GEGROND}),
        (Action.COMMUNICATIE_AFRONDEN, "ondersteuning", {"reason": "Melder en betrokkene per brief."}),
        (Action.AFSLUITEN, "voorzitter", {"reason": "Nazorg gegeven."}),
    ]
    for number, (action, who, fields) in enumerate(plan, start=1):
        case = w.take(p[who].member, case, action, at(number), **fields)
        if action is until:
            break
    return case


def wraps(team: Team, case_id: str) -> set[str]:
    with team.work.db.session() as s:
        return set(s.scalars(select(WrapRow.person).where(WrapRow.case_id == case_id)))


def test_a_case_kept_in_the_database_replays_and_its_wraps_follow_access(team: Team):
    case = walk(team, until=Action.ONAFHANKELIJKHEID_VERKLAREN)
    p = team.people
    assert team.work.case(case.id) == case
    assert wraps(team, case.id) == {p[n].member.person for n in ("voorzitter", "ondersteuning", "adviseur", "onderzoeker")}
    read = team.work.contents(p["onderzoeker"].member, case, at(5))
    assert read.fields["betrokkene"] == SECRETS[0] and SECRETS[3] in read.fields["stap-4-onderzoeksopdracht"]
    for name in ("auditor", "buitenstaander", "onderzoeker-2"):
        with pytest.raises(AccessDenied):
            team.work.contents(p[name].member, case, at(5))
    case = team.work.take(p["onderzoeker"].member, case, Action.BEVINDINGEN_VOORLEGGEN, at(6), entries=notification(at(6)))
    case = team.work.take(p["onderzoeker"].member, case, Action.WEDERHOOR_VASTLEGGEN, at(7), entries=response(at(7)))
    case = team.work.take(p["onderzoeker"].member, case, Action.RAPPORT_OPLEVEREN, at(7), reason="Klaar.")
    assert p["onderzoeker"].member.person not in wraps(team, case.id)
    with pytest.raises(AccessDenied):
        team.work.contents(p["onderzoeker"].member, case, at(8))
    assert team.work.case(case.id) == case


def test_every_change_and_read_is_in_the_audit_log_and_it_verifies(team: Team):
    case = walk(team)
    team.work.contents(team["voorzitter"].member, case, at(20))
    with team.work.db.session() as s:
        actions = list(s.scalars(select(AuditRow.action).where(AuditRow.case_id == case.id).order_by(AuditRow.seq)))
    assert [a for a in actions if not a.startswith("toegang")] == [a.value for a in (
        Action.MELDEN, Action.REGISTREREN, Action.VOORONDERZOEK_STARTEN, Action.VOORONDERZOEK_AFRONDEN, Action.ONDERZOEK_INSTELLEN,
        Action.ONAFHANKELIJKHEID_VERKLAREN, Action.BEVINDINGEN_VOORLEGGEN, Action.WEDERHOOR_VASTLEGGEN, Action.RAPPORT_OPLEVEREN, Action.BESLUITEN, Action.COMMUNICATIE_AFRONDEN, Action.AFSLUITEN)] + ["lezen"]
    assert "toegang-verleend" in actions and "toegang-ingetrokken" in actions
    result = team.work.verify_log()
    assert result.ok and result.count == len(actions)


def test_log_store_refuses_a_taken_sequence_number(team: Team):
    team.work.record("u1", "inloggen", at(0))
    with team.work.db.session() as s:
        store = DatabaseLogStore(s)
        head = store.last()
        assert head is not None and head.previous == GENESIS
        with pytest.raises(LogConflict):
            store.append(AuditEntry(head.seq, head.at, "u2", "lezen", None, None, {}, "f" * 64, "0" * 64))
        assert [e.seq for e in store.entries()] == [1]


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_two_writers_in_separate_transactions_never_fork_the_chain(team: Team):
    """The other process appends between our read of the head and our insert: the unique key
    refuses ours, the savepoint rolls back, and we chain after theirs. Only on PostgreSQL: on
    SQLite a transaction takes the write lock when it begins, so the race cannot happen."""
    work = team.work
    with work.db.session() as mine:
        store = DatabaseLogStore(mine)
        real_last = store.last
        raced = []

        def stale_head():
            head = real_last()
            if not raced:
                work.record("u-ander", "lezen", at(1))
                raced.append(True)
            return head

        store.last = stale_head  # type: ignore[method-assign]
        AuditLog(store, work.master).record("u-ik", "lezen", at(2))
    with work.db.session() as s:
        assert list(s.scalars(select(AuditRow.actor).order_by(AuditRow.seq))) == ["u-ander", "u-ik"]
    work.anchor = None  # our entry went through AuditLog directly, past the app's anchoring
    assert work.verify_log().ok


def _tamper(team: Team, *statements: str) -> list[str]:
    with team.work.db.session() as s:
        for statement in statements:
            s.execute(text(statement))
    return [str(f) for f in team.work.verify_log().findings]


def test_chain_names_an_edited_row(team: Team):
    walk(team, until=Action.VOORONDERZOEK_STARTEN)
    findings = _tamper(team, "update audit_log set actor = 'u999' where seq = 3")
    assert len(findings) == 1 and findings[0].startswith("logregel 3 ") and "gewijzigd" in findings[0]


def test_chain_names_a_deleted_row(team: Team):
    walk(team, until=Action.VOORONDERZOEK_STARTEN)
    findings = _tamper(team, "delete from audit_log where seq = 2")
    assert len(findings) == 1 and findings[0].startswith("logregel 3 ") and "logregel 2 ontbreekt" in findings[0]


def test_chain_names_reordered_rows(team: Team):
    walk(team, until=Action.VOORONDERZOEK_STARTEN)
    with team.work.db.session() as s:
        total = s.scalar(select(func.count()).select_from(AuditRow))
    assert total >= 5
    findings = _tamper(team, "update audit_log set seq = -1 where seq = 2", "update audit_log set seq = 2 where seq = 4",
                       "update audit_log set seq = 4 where seq = -1")
    assert {f.split(" (")[0] for f in findings} >= {"logregel 2", "logregel 4"}


def test_anchor_catches_rows_deleted_from_the_end(team: Team):
    walk(team, until=Action.VOORONDERZOEK_STARTEN)
    head = team.work.verify_log().head
    with team.work.db.session() as s:
        s.execute(text(f"delete from audit_log where seq = {head.seq}"))
    findings = [str(f) for f in team.work.verify_log().findings]  # the anchor file written at every write
    assert any(f"het anker noemt logregel {head.seq}, die ontbreekt" in f for f in findings)


def test_purge_announces_then_destroys_and_keeps_the_counts(team: Team):
    case = walk(team)
    before = team.work.counts().questionnaire_row(ORG, 2026)
    closed = case.closed_at
    announced, destroyed = team.work.purge(team.work.retention.warn.before(team.work.retention.purge_on(case)))
    assert [c.id for c in announced] == [case.id] and destroyed == []
    assert team.work.retention.status(case, closed) is Retention.KEEP
    announced, destroyed = team.work.purge(team.work.retention.purge_on(case))
    assert announced == [] and [c.id for c in destroyed] == [case.id]
    assert team.work.case(case.id) is None
    with team.work.db.session() as s:
        for table in (StepRow, ContentRow, WrapRow):
            assert s.scalar(select(func.count()).select_from(table)) == 0
        assert s.scalar(select(func.count()).select_from(CaseRow)) == 0
        assert s.scalar(select(func.count()).select_from(CountRow)) > 0
    after = team.work.counts().questionnaire_row(ORG, 2026)
    assert after == before and after["MELD_AANTAL"] == 1 and after["MELD_GEGROND"] == 1 and after["MELD_BELANG"] == 1
    assert team.work.verify_log().ok


def test_migration_0006_goes_down_and_up_again_and_the_lost_receipt_is_named(team: Team):
    from alembic import command

    from miv.store.cases import ReporterRow
    from miv.store.migration import config

    receipt = team.work.receive(team["ondersteuning"].member, Report(SECRETS[2], SECRETS[0]), at(0))
    team.work.db.dispose()
    command.downgrade(config(team.work.db.url), "0005_cases")
    command.upgrade(config(team.work.db.url), "head")
    with team.work.db.session() as s:
        assert s.get(CaseRow, receipt.case.id) is not None and s.get(ReporterRow, receipt.case.id) is None
    assert team.work.case_for_receipt(receipt.code) is None
    assert any(f"zaak {receipt.case.id}: wijkt af van de laatste stand" in str(f) for f in team.work.verify_log().findings)
