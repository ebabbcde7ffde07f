"""Attacks on the reporter's receipt code and channel (docs/cases.md, "The reporter"): someone
with a dump of the database, or a staff member with the case open, does not get the code
back; someone who writes the database cannot drop a staff report's statutory deadlines or
move a receipt to another case unnoticed."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import text

from miv.cases import CaseError, Channel, DeadlinePolicy, Report, normalise_receipt

from .caseweb_support import SECRETS, Team, at
from .web_cases import BASE, CaseSite, post


def _receive(team: Team, channel: Channel = Channel.STAFF):
    return team.work.receive(team["ondersteuning"].member, Report(SECRETS[2], SECRETS[0], SECRETS[1], channel), at(0))


def _dump(team: Team) -> str:
    """Every row of every table, as text: what a stolen backup holds."""
    with team.work.db.session() as s:
        tables = [r[0] for r in s.execute(text(
            "select name from sqlite_master where type = 'table'" if team.work.db.url.startswith("sqlite")
            else "select tablename from pg_tables where schemaname = current_schema()"))]
        return "\n".join(str(row) for t in tables for row in s.execute(text(f'select * from "{t}"')))


def test_a_dump_holds_neither_the_receipt_code_nor_a_plain_hash_of_it(team: Team):
    receipt = _receive(team)
    plain = normalise_receipt(receipt.code)
    dump = _dump(team)
    assert receipt.case.id in dump  # the dump is real and complete
    for form in (receipt.code, plain, hashlib.sha256(plain.encode()).hexdigest(), hashlib.sha256(receipt.code.encode()).hexdigest()):
        assert form not in dump
    assert team.work.case_for_receipt(receipt.code).id == receipt.case.id
    assert team.work.case_for_receipt(f" {receipt.code.lower().replace('-', ' ')} ").id == receipt.case.id
    assert team.work.case_for_receipt(_receive(team).code).id != receipt.case.id
    assert team.work.case_for_receipt("2222-2222-2222-2222") is None


def test_a_reader_of_the_case_does_not_see_the_code(team: Team):
    receipt = _receive(team)
    contents = team.work.contents(team["voorzitter"].member, receipt.case, at(1))
    assert contents.fields["omschrijving"] == SECRETS[2]
    assert not any(receipt.code in v or normalise_receipt(receipt.code) in v for v in contents.fields.values())


def test_two_receipts_differ(team: Team):
    codes = {_receive(team, Channel.OTHER).code for _ in range(5)}
    assert len(codes) == 5


@pytest.mark.parametrize(("column", "value", "named"), [
    ("channel", "'overig'", "kanaal"),  # hides the Wbk deadlines of a staff report
    ("receipt", "'0000'", "ontvangstcode"),  # points someone else's code at this case
])
def test_an_edited_reporter_row_is_named_and_the_case_refused(team: Team, column: str, value: str, named: str):
    case = _receive(team).case
    assert any(s.deadline.code == "wbk-ontvangstbevestiging" for s in DeadlinePolicy().signals(team.work.case(case.id), at(1)))
    with team.work.db.session() as s:
        s.execute(text(f"update case_reporters set {column} = {value} where case_id = '{case.id}'"))
    assert any(f"zaak {case.id}, melder: {named} gewijzigd" in str(f) for f in team.work.verify_log().findings)
    with pytest.raises(CaseError, match=named):
        team.work.case(case.id)


def test_a_deleted_reporter_row_is_caught_by_the_chain(team: Team):
    case = _receive(team).case
    assert not team.work.verify_log().findings
    with team.work.db.session() as s:
        s.execute(text(f"delete from case_reporters where case_id = '{case.id}'"))
    assert any(f"zaak {case.id}: wijkt af van de laatste stand in het logboek" in str(f) for f in team.work.verify_log().findings)


def test_the_receipt_is_shown_once_and_kept_nowhere_by_the_site(engine_site: CaseSite):  # SQLite and PostgreSQL
    site = engine_site
    with site.client() as support:
        site.sign_in(support, "ondersteuning")
        response = post(support, f"{BASE}/nieuw", {"omschrijving": SECRETS[2], "betrokkene": SECRETS[0], "kanaal": Channel.STAFF.value})
        assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
        code = response.text.split('id="ontvangstcode">', 1)[1].split("<", 1)[0]
        case_id = response.text.split(f'href="{BASE}/zaak/', 1)[1].split('"', 1)[0]
        page = support.get(f"{BASE}/zaak/{case_id}").text
        assert "Interne meldvoorziening" in page and code not in page
        assert code not in support.get(f"{BASE}/nieuw").text
    with site.db.session() as s:
        rows = [str(r) for t in ("sessions", "audit_log", "case_reporters") for r in s.execute(text(f"select * from {t}"))]
    assert rows and not any(code in r or normalise_receipt(code) in r for r in rows)


def test_a_report_without_its_channel_is_refused_in_dutch_and_nothing_is_saved(engine_site: CaseSite):  # SQLite and PostgreSQL
    site = engine_site
    with site.client() as support:
        site.sign_in(support, "ondersteuning")
        response = post(support, f"{BASE}/nieuw", {"omschrijving": SECRETS[2], "betrokkene": SECRETS[0]})
        assert response.status_code == 400 and "Kies langs welke weg de melding binnenkwam." in response.text
        assert SECRETS[2] in response.text  # what was typed is kept in the form
    with site.db.session() as s:
        assert s.scalar(text("select count(*) from cases")) == 0
