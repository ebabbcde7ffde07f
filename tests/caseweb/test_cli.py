"""`miv cases ...` in-process on a real SQLite file: key, organisations, members, the audit
log check with its anchor, and retention."""

from __future__ import annotations

import json
import os
import pwd
import socket
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from miv.cases import Action, MasterKey, Report, ViolationForm
from miv.casework import Casework
from miv.cli import app
from miv.store import Database, upgrade
from miv.store.cases import AuditRow
from miv.web.accounts import add_user

from .caseweb_support import ORG, SECRETS, build

runner = CliRunner()


@pytest.fixture
def setup(tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch):
    return _configure(sqlite_url, tmp_path, monkeypatch)


@pytest.fixture
def engine_setup(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch):
    """The same on SQLite and on PostgreSQL: for the attack tests."""
    return _configure(db_url, tmp_path, monkeypatch)


def _configure(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, MasterKey, Path]:
    key = tmp_path / "hoofdsleutel.key"
    assert runner.invoke(app, ["cases", "create-key", str(key)]).exit_code == 0
    again = runner.invoke(app, ["cases", "create-key", str(key)])
    assert again.exit_code == 1 and "wordt nooit overschreven" in again.output
    monkeypatch.setenv("MIV_CASES_MASTER_KEY_FILE", str(key))
    monkeypatch.setenv("MIV_DATABASE_URL", url)
    monkeypatch.setenv("MIV_CASES_DOCUMENTS", str(tmp_path / "documenten"))
    monkeypatch.setenv("MIV_CASES_ANCHOR", str(tmp_path / "zaaklog-anker.txt"))
    upgrade(url)
    return url, MasterKey.load(key), tmp_path


def test_organisations_and_members(setup):
    url, _, _ = setup
    db = Database(url)
    add_user(db, "burgemeester@utrecht.nl", "Burgemeester", "zaken", "correct horse battery")
    add_user(db, "veld@bureau.nl", "Veld", "fieldwork", "correct horse battery")
    db.dispose()
    assert runner.invoke(app, ["cases", "add-organisation", ORG, "--name", "Gemeente Utrecht", "--layer", "gemeente"]).exit_code == 0
    bad = runner.invoke(app, ["cases", "add-organisation", "x", "--name", "X", "--layer", "land"])
    assert bad.exit_code == 1 and "bestuurslaag 'land'" in bad.output
    ok = runner.invoke(app, ["cases", "add-member", "burgemeester@utrecht.nl", "--organisation", ORG, "--role", "voorzitter"])
    assert ok.exit_code == 0, ok.output
    wrong = runner.invoke(app, ["cases", "add-member", "veld@bureau.nl", "--organisation", ORG, "--role", "voorzitter"])
    assert wrong.exit_code == 1 and "alleen gebruikers met rol 'zaken'" in wrong.output
    twice = runner.invoke(app, ["cases", "add-member", "burgemeester@utrecht.nl", "--organisation", ORG, "--role", "auditor"])
    assert twice.exit_code == 1 and "al lid" in twice.output
    assert runner.invoke(app, ["cases", "remove-member", "burgemeester@utrecht.nl", "--organisation", ORG]).exit_code == 0
    role = runner.invoke(app, ["cases", "add-member", "burgemeester@utrecht.nl", "--organisation", ORG, "--role", "baas"])
    assert role.exit_code == 1 and "onbekende zaakrol 'baas'" in role.output
    reset = runner.invoke(app, ["cases", "reset-totp", "niemand@utrecht.nl", "--by", "beheerder"])
    assert reset.exit_code == 1 and "geen gebruiker" in reset.output


def test_verify_log_names_the_broken_entries_and_checks_the_anchor(setup, monkeypatch: pytest.MonkeyPatch):
    url, master, tmp = setup
    anchor = tmp / "zaaklog-anker.txt"
    monkeypatch.setenv("MIV_CASES_ANCHOR", str(anchor))
    db = Database(url)
    team = build(db, master, tmp / "documenten")
    now = datetime.now(timezone.utc)
    team.work.open(team["voorzitter"].member, Report(SECRETS[2], SECRETS[0]), now)
    first = runner.invoke(app, ["cases", "verify-log"])
    assert first.exit_code == 0 and "logboek in orde" in first.output
    head = int(anchor.read_text().split()[-2])
    with db.session() as s:
        s.execute(text(f"delete from audit_log where seq = {head}"))
    cut = runner.invoke(app, ["cases", "verify-log"])
    assert cut.exit_code == 1 and f"het anker noemt logregel {head}, die ontbreekt" in cut.output
    with db.session() as s:
        s.execute(text("update audit_log set action = 'lezen' where seq = 2"))
    edited = runner.invoke(app, ["cases", "verify-log", "--anchor", str(tmp / "elders.txt")])
    assert edited.exit_code == 1 and "logregel 2 (positie 2): inhoud gewijzigd" in edited.output
    assert "ankerbestand" in edited.output and "ontbreekt" in edited.output
    db.dispose()


def test_purge_announces_first_then_destroys_and_keeps_counts(setup):
    url, master, tmp = setup
    db = Database(url)
    team = build(db, master, tmp / "documenten")
    now = datetime.now(timezone.utc)

    def closed(start: datetime) -> str:
        p, work = team.people, team.work
        case = work.open(p["voorzitter"].member, Report(SECRETS[2], SECRETS[0]), start)
        plan = [(Action.REGISTREREN, {"forms": frozenset({ViolationForm.BELANG})}), (Action.VOORONDERZOEK_STARTEN, {}),
                (Action.VOORONDERZOEK_AFRONDEN, {"reason": "r"}), (Action.GEEN_ONDERZOEK, {"reason": "r", "entries": {"openbaar-vermoeden": "nee"}}),
                (Action.COMMUNICATIE_AFRONDEN, {"reason": "r"}), (Action.AFSLUITEN, {"reason": "r"})]
        for minutes, (action, fields) in enumerate(plan, start=1):
            case = work.take(p["voorzitter"].member, case, action, start + timedelta(minutes=minutes), **fields)
        return case.id

    old = closed(now - timedelta(days=6 * 366))
    nearly = closed(now.replace(year=now.year - 5) + timedelta(days=10))
    with db.session() as s:  # an edited entry of the case due: the purge refuses and changes nothing
        s.execute(text(f"update audit_log set actor = 'iemand' where seq = (select min(seq) from audit_log where case_id = '{old}')"))
    refused = runner.invoke(app, ["cases", "purge"])
    assert refused.exit_code == 1 and f"Zaak {old} wordt niet vernietigd: logregel" in refused.output, refused.output
    assert team.work.case(old) is not None and "aangekondigd" not in refused.output
    with db.session() as s:
        s.execute(text(f"update audit_log set actor = '{team['voorzitter'].member.person}' where seq = "
                       f"(select min(seq) from audit_log where case_id = '{old}')"))
    dry = runner.invoke(app, ["cases", "purge", "--dry-run"])
    assert dry.exit_code == 0 and f"zaak {old} zou worden vernietigd" in dry.output and f"Zaak {nearly} wordt op" in dry.output
    assert team.work.case(old) is not None
    done = runner.invoke(app, ["cases", "purge"])
    assert done.exit_code == 0 and f"zaak {old} is vernietigd" in done.output and "1 aangekondigd, 1 vernietigd" in done.output
    assert team.work.case(old) is None and team.work.case(nearly) is not None
    counts = team.work.counts()
    assert counts.questionnaire_row(ORG, (now - timedelta(days=6 * 366)).year)["MELD_GEEN_ONDERZOEK"] >= 1
    assert runner.invoke(app, ["cases", "verify-log"]).exit_code == 0
    db.dispose()


def test_every_cases_command_is_in_the_docs():
    from miv.cli import cases_app

    doc = (Path(__file__).resolve().parents[2] / "docs" / "cases.md").read_text()
    names = [command.name for command in cases_app.registered_commands]
    assert len(names) == 10
    for name in names:
        assert f"miv cases {name}" in doc, name


def test_create_key_in_a_missing_folder_and_purge_keep_years_zero_are_clear_errors(setup, tmp_path: Path):
    missing = runner.invoke(app, ["cases", "create-key", str(tmp_path / "geen-map" / "sleutel.key")])
    assert missing.exit_code == 1 and "de map" in missing.output and "bestaat niet" in missing.output and "Traceback" not in missing.output
    zero = runner.invoke(app, ["cases", "purge", "--keep-years", "0"])
    assert zero.exit_code == 1 and "--keep-years 0" in zero.output and "ten minste 1 jaar" in zero.output


def test_rotation_commands_keep_the_log_and_the_cases_readable(setup, monkeypatch: pytest.MonkeyPatch):
    url, master, tmp = setup
    db = Database(url)
    team = build(db, master, tmp / "documenten")
    case = team.work.open(team["voorzitter"].member, Report(SECRETS[2], SECRETS[0]), datetime.now(timezone.utc))
    assert runner.invoke(app, ["cases", "rotate-audit-key"]).exit_code == 0
    person = runner.invoke(app, ["cases", "rotate-person-key", "adviseur@zaken.nl"])
    assert person.exit_code == 0 and "1 zaaksleutel(s)" in person.output, person.output
    new = tmp / "nieuw.key"
    assert runner.invoke(app, ["cases", "create-key", str(new)]).exit_code == 0
    rotated = runner.invoke(app, ["cases", "rotate-master-key", str(new)])
    assert rotated.exit_code == 0 and "geheimen verzegeld" in rotated.output, rotated.output
    monkeypatch.setenv("MIV_CASES_MASTER_KEY_FILE", str(new))
    checked = runner.invoke(app, ["cases", "verify-log"])
    assert checked.exit_code == 0, checked.output
    fresh = Casework(db, MasterKey.load(new), team.work.documents, anchor=team.work.anchor.path)
    assert fresh.contents(team["adviseur"].member, case, datetime.now(timezone.utc)).fields["omschrijving"] == SECRETS[2]
    db.dispose()


def test_users_add_prints_a_one_time_enrolment_code_and_enrolment_code_replaces_it(setup, monkeypatch: pytest.MonkeyPatch):
    import re

    from miv.casework import twofactor

    url, master, _ = setup
    password = "correct horse battery\ncorrect horse battery\n"
    monkeypatch.delenv("MIV_CASES_MASTER_KEY_FILE")
    keyless = runner.invoke(app, ["users", "add", "wethouder@utrecht.nl", "--name", "W", "--role", "zaken"], input=password)
    assert keyless.exit_code == 1 and "MIV_CASES_MASTER_KEY_FILE" in keyless.output and "Traceback" not in keyless.output
    monkeypatch.setenv("MIV_CASES_MASTER_KEY_FILE", str(setup[2] / "hoofdsleutel.key"))
    added = runner.invoke(app, ["users", "add", "wethouder@utrecht.nl", "--name", "W", "--role", "zaken"], input=password)
    assert added.exit_code == 0 and "Wachtwoord" in added.output and "72 uur" in added.output, added.output
    first = re.search(r"Inschrijfcode voor wethouder@utrecht\.nl: (\S+)", added.output).group(1)
    fresh = runner.invoke(app, ["users", "enrolment-code", "wethouder@utrecht.nl", "--by", "Ada Beheer"])
    second = re.search(r"Inschrijfcode voor wethouder@utrecht\.nl: (\S+)", fresh.output).group(1)
    db = Database(url)
    now = datetime.now(timezone.utc)
    with db.session() as s:
        assert twofactor.redeem(s, master, "u1", "wethouder@utrecht.nl", first, now) is None, "the old code stopped working"
    with db.session() as s:
        assert twofactor.redeem(s, master, "u1", "wethouder@utrecht.nl", second, now) is not None
    with db.session() as s:
        assert twofactor.redeem(s, master, "u1", "wethouder@utrecht.nl", second, now) is None, "a code works once"
    add_user(db, "admin@utrecht.nl", "Admin", "admin", "correct horse battery")
    db.dispose()
    admin = runner.invoke(app, ["users", "enrolment-code", "admin@utrecht.nl", "--by", "Ada Beheer"])
    assert admin.exit_code == 1 and "alleen zaakbehandelaars hebben tweestapsverificatie" in admin.output
    reset = runner.invoke(app, ["cases", "reset-totp", "wethouder@utrecht.nl", "--by", "Ada Beheer"])
    assert reset.exit_code == 0 and "Inschrijfcode voor wethouder@utrecht.nl" in reset.output, reset.output


def test_an_entry_written_by_the_cli_names_the_os_user_and_host_and_editing_them_is_caught(engine_setup, monkeypatch: pytest.MonkeyPatch):
    """`--by` is what the operator types; the entry also says which operating-system account on
    which machine ran the command, under the entry's MAC, so a writer cannot blame someone else."""
    url, master, tmp = engine_setup
    db = Database(url)
    team = build(db, master, tmp / "documenten")
    team.work.open(team["voorzitter"].member, Report(SECRETS[2], SECRETS[0]), datetime.now(timezone.utc))
    monkeypatch.setenv("USER", "iemand-anders")  # getpass.getuser() would believe this; the entry must not
    monkeypatch.setenv("LOGNAME", "iemand-anders")
    assert runner.invoke(app, ["cases", "reset-totp", "voorzitter@zaken.nl", "--by", "Ada Beheer"]).exit_code == 0
    assert runner.invoke(app, ["cases", "remove-member", "auditor@zaken.nl", "--organisation", ORG]).exit_code == 0
    with db.session() as s:
        rows = {r.action: r for r in s.scalars(select(AuditRow))}
    for action in ("tweestaps-gereset", "lid-verwijderd"):
        detail = json.loads(rows[action].detail)
        assert (detail["os-gebruiker"], detail["host"]) == (pwd.getpwuid(os.getuid()).pw_name, socket.gethostname()), action
    assert rows["tweestaps-gereset"].actor == "Ada Beheer"
    assert "os-gebruiker" not in json.loads(rows["melden"].detail), "an entry of the app itself names no OS account"
    seq = rows["tweestaps-gereset"].seq
    with db.session() as s:
        row = s.get(AuditRow, seq)
        row.detail = json.dumps(json.loads(row.detail) | {"os-gebruiker": "stagiair"}, sort_keys=True, separators=(",", ":"))
    caught = runner.invoke(app, ["cases", "verify-log"])
    assert caught.exit_code == 1 and f"logregel {seq} (positie {seq}): inhoud gewijzigd" in caught.output, caught.output
    assert team.work.verify_log().findings[0].seq == seq
    db.dispose()
