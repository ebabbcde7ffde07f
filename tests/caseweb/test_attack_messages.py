"""Attacks on the reporter's message channel (docs/cases.md, "The message channel"), on SQLite
and PostgreSQL: a database reader, a database writer who edits, deletes or relabels a message,
someone holding the receipt table, the recused chair, another organisation's handler, the
investigator and the auditor; the reporter sees only their own case; a new code locks out the
person who recorded the report."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from miv.cases import AccessDenied, Action, CaseError, Channel, DeadlinePolicy, KeyProblem, Report, Status, TransitionError, ViolationForm
from miv.cases.messages import REPORTER, ChannelKey
from miv.casework.messages import Upload
from miv.store.cases import MessageRow, ReporterKeyRow

from .caseweb_support import DECLARATION, EXTERNAL, SECRETS, Team, at
from .test_attack_receipt import _dump
from .test_cli import setup  # noqa: F401 - the fixture
from .test_store import walk

REPORTER_TEXT = "Ik zag de wethouder het contract tekenen bij de notaris aan de Vaartweg."
ANSWER = "Dank voor uw melding; wij stellen een vooronderzoek in."
FILE = Upload("foto-contract-vaartweg.jpg", "image/jpeg", b"\xff\xd8 foto van het contract van de Vaartweg")


def _receive(team: Team, channel: Channel = Channel.STAFF, recused: frozenset[str] = frozenset()):
    return team.work.receive(team["ondersteuning"].member, Report(SECRETS[2], SECRETS[0], SECRETS[1], channel), at(0), recused)


def _conversation(team: Team):
    """A report, the reporter's message with a photo and e-mail address, and the chair's answer."""
    receipt = _receive(team)
    box = team.work.mailbox
    access = box.sign_in(receipt.code, at(1))
    box.post_as_reporter(access, REPORTER_TEXT, FILE, at(1))
    box.set_email(access, "klokkenluider@example.nl", at(1))
    assert box.post_as_handler(team["voorzitter"].member, receipt.case, ANSWER, True, None, at(2)) == "klokkenluider@example.nl"
    return receipt, access


def _findings(team: Team) -> list[str]:
    return [str(f) for f in team.work.verify_log().findings]


def test_a_database_reader_and_the_document_folder_hold_nothing_readable(team: Team):
    receipt, _ = _conversation(team)
    dump = _dump(team)
    assert receipt.case.id in dump and "melderbericht-toegevoegd" in dump
    for secret in (REPORTER_TEXT, ANSWER, "Vaartweg", FILE.name, "klokkenluider@example.nl", "contract"):
        assert secret not in dump
    files = [p.read_bytes() for p in team.documents.rglob("*") if p.is_file()]
    assert files and not any(b"Vaartweg" in f or FILE.name.encode() in f for f in files)


def test_the_receipt_table_and_the_reporter_key_open_no_message_without_the_code(team: Team):
    receipt, access = _conversation(team)
    with team.work.db.session() as s:
        row = s.get(ReporterKeyRow, receipt.case.id)
        salt, sealed = row.salt, row.for_reporter
    from miv.casework.messages import pepper

    with team.work.db.session() as s:
        spice = pepper(s, team.work.master)
    with pytest.raises(KeyProblem):  # someone who guesses a code, even holding the pepper
        ChannelKey.for_reporter(receipt.case.id, "2222-2222-2222-2222", salt, spice, sealed)
    assert ChannelKey.for_reporter(receipt.case.id, receipt.code, salt, spice, sealed).secret == access.key.secret
    assert team.work.mailbox.sign_in("2222-2222-2222-2222", at(3)) is None


def test_the_reporter_and_the_handlers_read_the_same_conversation_and_every_read_is_logged(team: Team):
    receipt, access = _conversation(team)
    box = team.work.mailbox
    mine = box.reporter_messages(access, at(3))
    theirs = box.handler_messages(team["adviseur"].member, receipt.case, at(3))
    assert [(m.author, m.text, m.feedback) for m in mine] == [(REPORTER, REPORTER_TEXT, False), (team["voorzitter"].member.person, ANSWER, True)]
    assert [(m.author, m.text) for m in theirs] == [(m.author, m.text) for m in mine]
    assert box.reporter_attachment(access, mine[0].attachment.id, at(3)).data == FILE.data
    assert box.handler_attachment(team["adviseur"].member, receipt.case, mine[0].attachment.id, at(3)).name == FILE.name
    with team.work.db.session() as s:
        actions = [r[0] for r in s.execute(text("select action from audit_log order by seq"))]
    assert actions.count("melderbericht-toegevoegd") == 2 and actions.count("melderberichten-gelezen") == 2 and "melder-ingelogd" in actions
    assert actions.count("melderbijlage-gelezen") == 2 and not _findings(team)


def test_the_reporter_sees_only_their_own_case(team: Team):
    _, access = _conversation(team)
    other = _receive(team)
    team.work.mailbox.post_as_handler(team["voorzitter"].member, other.case, "Over een andere melding.", False, None, at(2))
    forged = team.work.mailbox.resume(other.case.id, access.key.secret)  # a session edited to point at another case
    with pytest.raises(KeyProblem):
        team.work.mailbox.reporter_messages(forged, at(3))
    own = team.work.mailbox.sign_in(other.code, at(3))
    assert [m.text for m in team.work.mailbox.reporter_messages(own, at(3))] == ["Over een andere melding."]


@pytest.mark.parametrize(("edit", "named"), [
    ("update case_messages set blob = (select blob from case_messages where number = 2) where number = 1", "inhoud gewijzigd"),
    ("update case_messages set author = 'melder' where number = 2", "afzender gewijzigd"),  # a handler posing as the reporter
    ("update case_messages set feedback = {false} where number = 2", "terugkoppeling gewijzigd"),
    ("delete from case_messages where number = 2", "ontbreekt: verwijderd buiten de applicatie om"),
])
def test_a_database_writer_who_edits_or_deletes_a_message_is_named(team: Team, edit: str, named: str):
    receipt, access = _conversation(team)
    assert not _findings(team)
    with team.work.db.session() as s:
        false = "0" if team.work.db.url.startswith("sqlite") else "false"
        s.execute(text(edit.format(false=false) + f" and case_id = '{receipt.case.id}'"))
    found = [f for f in _findings(team) if f"zaak {receipt.case.id}, bericht" in f]
    assert found and named in found[0], _findings(team)
    if "delete" not in edit:
        with pytest.raises(CaseError):
            team.work.case(receipt.case.id)  # the case is refused when loaded


def test_a_planted_feedback_message_cannot_meet_the_wbk_deadline(team: Team):
    receipt = _receive(team)
    late = at(95)
    assert {s.deadline.code: s for s in DeadlinePolicy().signals(team.work.case(receipt.case.id), late)}["wbk-terugkoppeling"].status is Status.OVERDUE
    with team.work.db.session() as s:
        blob = s.get(ReporterKeyRow, receipt.case.id).for_case  # any sealed bytes: the writer has no key
        s.add(MessageRow(case_id=receipt.case.id, number=1, author=team["voorzitter"].member.person, at=at(10).isoformat(),
                         feedback=True, blob=blob, mac=None))
    assert any(f"zaak {receipt.case.id}, bericht 1" in f for f in _findings(team))
    with pytest.raises(CaseError):
        team.work.case(receipt.case.id)


def test_a_feedback_message_meets_the_wbk_deadline_and_only_the_organisation_gives_it(team: Team):
    receipt = _receive(team)
    work, chair = team.work, team["voorzitter"].member
    case = work.take(team["ondersteuning"].member, receipt.case, Action.REGISTREREN, at(1), forms=frozenset({ViolationForm.BELANG}))
    case = work.take(chair, case, Action.VOORONDERZOEK_STARTEN, at(2))
    case = work.take(team["adviseur"].member, case, Action.VOORONDERZOEK_AFRONDEN, at(3), reason="Concreet.")
    case = work.take(chair, case, Action.ONDERZOEK_INSTELLEN, at(4), reason="Nodig.", terms="Opdracht.", investigator=team["onderzoeker"].member,
                     entries=EXTERNAL)
    case = work.take(team["onderzoeker"].member, case, Action.ONAFHANKELIJKHEID_VERKLAREN, at(4), entries=DECLARATION)
    signals = {s.deadline.code: s for s in DeadlinePolicy().signals(work.case(case.id), at(95))}
    assert signals["wbk-terugkoppeling"].status is Status.OVERDUE  # an investigation informs nobody
    with pytest.raises(TransitionError, match="Alleen de voorzitter"):
        work.mailbox.post_as_handler(team["onderzoeker"].member, case, "Ik onderzoek het.", True, None, at(5))
    work.mailbox.post_as_handler(team["onderzoeker"].member, case, "Mag ik u horen?", False, None, at(5))
    work.mailbox.post_as_handler(team["ondersteuning"].member, case, "Er loopt een onderzoek.", True, None, at(40))
    met = {s.deadline.code: s for s in DeadlinePolicy().signals(work.case(case.id), at(95))}["wbk-terugkoppeling"]
    assert met.status is Status.MET and met.met_at == at(40)


def test_the_recused_chair_another_organisation_and_the_auditor_see_no_message(team: Team):
    from .test_attack_recusal import _deputy

    _deputy(team)
    mayor = team["voorzitter"].member
    receipt = _receive(team, recused=frozenset({mayor.person}))
    access = team.work.mailbox.sign_in(receipt.code, at(1))
    team.work.mailbox.post_as_reporter(access, REPORTER_TEXT, None, at(1))
    case = team.work.case(receipt.case.id)
    for member in (mayor, team["buitenstaander"].member, team["auditor"].member):
        with pytest.raises(AccessDenied):
            team.work.mailbox.handler_messages(member, case, at(2))
        with pytest.raises(AccessDenied):
            team.work.mailbox.post_as_handler(member, case, "Ik ben ook behandelaar.", False, None, at(2))
    with pytest.raises(AccessDenied):
        team.work.organisation_log(mayor)  # nor the log entries of the messages
    assert "melderbericht-toegevoegd" in {e.action for e in team.work.organisation_log(team["auditor"].member) if e.case == case.id}
    with team.work.db.session() as s:
        assert s.scalar(text("select count(*) from case_messages")) == 1


def test_a_new_code_locks_out_whoever_saw_the_old_one(team: Team):
    receipt, access = _conversation(team)
    new = team.work.mailbox.renew_code(access, at(3))
    assert new != receipt.code
    assert team.work.mailbox.sign_in(receipt.code, at(4)) is None  # the person who recorded the report
    again = team.work.mailbox.sign_in(new, at(4))
    assert [m.text for m in team.work.mailbox.reporter_messages(again, at(4))] == [REPORTER_TEXT, ANSWER]
    assert team.work.case_for_receipt(new).id == receipt.case.id and not _findings(team)


def test_a_closed_case_takes_no_message_and_a_message_needs_text_or_a_file(team: Team):
    closed = walk(team)
    with pytest.raises(AccessDenied):  # nobody adds to a closed case
        team.work.mailbox.post_as_handler(team["voorzitter"].member, closed, ANSWER, False, None, at(20))
    receipt, access = _conversation(team)
    with pytest.raises(TransitionError, match="Schrijf een bericht"):
        team.work.mailbox.post_as_reporter(access, "   ", None, at(3))
    with pytest.raises(TransitionError, match="maximum is 20000"):
        team.work.mailbox.post_as_reporter(access, "x" * 20_001, None, at(3))
    with pytest.raises(TransitionError, match="geldig e-mailadres"):
        team.work.mailbox.set_email(access, "geen adres", at(3))


def test_migration_0007_goes_down_and_up_again_and_the_lost_messages_are_named(team: Team):
    from alembic import command

    from miv.store.migration import config

    receipt, _ = _conversation(team)
    team.work.db.dispose()
    command.downgrade(config(team.work.db.url), "0006_cases_reporter")
    command.upgrade(config(team.work.db.url), "head")
    assert team.work.mailbox.sign_in(receipt.code, at(3)) is None
    findings = _findings(team)
    assert any(f"zaak {receipt.case.id}, bericht 2: ontbreekt" in f for f in findings)
    # below 0008 the steps also lost the digests of their sealed texts: named, and the case is no longer vouched for
    assert any(f"zaak {receipt.case.id}, stap 1: " in f and "omschrijving van de melding" in f for f in findings), findings
    with pytest.raises(CaseError):
        team.work.case_for_receipt(receipt.code)


def test_the_channel_survives_master_key_rotation_and_goes_with_the_case_at_purge(team: Team, tmp_path):
    from datetime import timedelta

    from miv.cases import MasterKey

    receipt, _ = _conversation(team)
    work = team.work
    work.rotate_master_key("beheer", MasterKey.create(tmp_path / "nieuw.key"), at(3))
    access = work.mailbox.sign_in(receipt.code, at(4))
    assert [m.text for m in work.mailbox.reporter_messages(access, at(4))] == [REPORTER_TEXT, ANSWER]
    assert [m.text for m in work.mailbox.handler_messages(team["adviseur"].member, receipt.case, at(4))][1] == ANSWER
    case = work.case(receipt.case.id)
    for number, (action, who, fields) in enumerate([
        (Action.REGISTREREN, "ondersteuning", {"forms": frozenset({ViolationForm.BELANG})}),
        (Action.VOORONDERZOEK_STARTEN, "voorzitter", {}),
        (Action.VOORONDERZOEK_AFRONDEN, "adviseur", {"reason": "Niet concreet."}),
        (Action.GEEN_ONDERZOEK, "voorzitter", {"reason": "Geen aanwijzingen.", "entries": {"openbaar-vermoeden": "nee"}}),
        (Action.COMMUNICATIE_AFRONDEN, "ondersteuning", {"reason": "Melder bericht."}),
        (Action.AFSLUITEN, "voorzitter", {"reason": "Nazorg gegeven."}),
    ], start=5):
        case = work.take(team[who].member, case, action, at(number), **fields)
    work.purge(case.closed_at + timedelta(days=6 * 366))
    assert work.mailbox.sign_in(receipt.code, at(4)) is None
    assert not any(p.is_file() for p in team.documents.rglob("*")) and not _findings(team)


def test_miv_cases_verify_log_names_an_edited_and_a_deleted_message(setup):  # noqa: F811 - the fixture of test_cli
    from miv.cli import app
    from miv.store import Database

    from .caseweb_support import build
    from .test_cli import runner

    url, master, tmp = setup
    db = Database(url)
    receipt, _ = _conversation(build(db, master, tmp / "documenten"))
    assert runner.invoke(app, ["cases", "verify-log"]).exit_code == 0
    with db.session() as s:
        s.execute(text(f"update case_messages set blob = (select for_case from case_reporter_keys where case_id = '{receipt.case.id}') "
                       f"where case_id = '{receipt.case.id}' and number = 1"))
        s.execute(text(f"delete from case_messages where case_id = '{receipt.case.id}' and number = 2"))
    checked = runner.invoke(app, ["cases", "verify-log"])
    assert checked.exit_code == 1
    assert f"zaak {receipt.case.id}, bericht 1: inhoud gewijzigd" in checked.output
    assert f"zaak {receipt.case.id}, bericht 2: ontbreekt" in checked.output
    db.dispose()


def test_the_unread_marker_goes_to_each_reader_alone_and_never_to_the_recused_chair(team: Team):
    """The case list marks a case whose reporter wrote since the signed-in handler last read the
    messages. Per person, from the log; nothing for the auditor, another organisation or the
    recused chair, not even when the recused case is handed to the marker directly."""
    from miv.cases import visible

    from .test_attack_recusal import _deputy

    w, box = team.work, team.work.mailbox
    deputy, mayor = _deputy(team).member, team["voorzitter"].member
    about_mayor, other = _receive(team, recused=frozenset({mayor.person})), _receive(team)
    for receipt in (about_mayor, other):
        box.post_as_reporter(box.sign_in(receipt.code, at(1)), REPORTER_TEXT, None, at(1))

    def marked(member) -> set[str]:
        return box.unread(member, visible(member, w.cases(member.organisation)))

    cases = {about_mayor.case.id, other.case.id}
    assert marked(deputy) == cases and marked(team["ondersteuning"].member) == cases
    assert marked(mayor) == {other.case.id} and box.unread(mayor, w.cases(mayor.organisation)) == {other.case.id}
    assert marked(team["auditor"].member) == set() and box.unread(team["auditor"].member, w.cases(mayor.organisation)) == set()
    assert box.unread(team["buitenstaander"].member, w.cases(mayor.organisation)) == set()
    box.handler_messages(deputy, w.case(other.case.id), at(2))  # reading clears it for the reader only
    assert marked(deputy) == {about_mayor.case.id} and marked(team["ondersteuning"].member) == cases
    box.post_as_handler(deputy, w.case(other.case.id), ANSWER, False, None, at(3))  # a handler's own message marks nothing
    assert marked(deputy) == {about_mayor.case.id}
    box.post_as_reporter(box.sign_in(other.code, at(4)), "Nog iets.", None, at(4))
    assert marked(deputy) == cases
