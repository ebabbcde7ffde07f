"""The anonymity guarantee of docs/anonymity.md, on every path that writes answers, on
SQLite and PostgreSQL: the answer store shares no key, column or order with the invitation
store and is written only at close, in one transaction; submitted answers wait sealed and
padded in the outbox; answers in progress open only with the respondent's resume word and
are gone after submit, after close and after the retention period."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from fieldwork_support import INVITATIONS_CSV, WORD, small_monitor, start
from sqlalchemy import Date, DateTime, inspect, select, text

from miv import fieldwork as fw
from miv.store.fieldwork import Invitation, Progress, Response, Submission


def opened(db, keys):
    fid = fw.open_fieldwork(db, small_monitor(), 2024, "ambtsdragers")
    fw.import_invitations(db, keys, fid, "lijst.csv", INVITATIONS_CSV.encode())
    codes = {r.split(";")[1]: r.split(";")[3] for r in fw.mailing(db, keys, fid, "https://x.nl").splitlines()[1:]}
    return fid, codes


def test_answer_store_schema_has_no_link_no_time_no_address(db):
    inspector = inspect(db.engine)
    columns = {c["name"]: c for c in inspector.get_columns("responses")}
    assert set(columns) == {"id", "fieldwork_id", "answers", "group", "layer", "role", "gender", "province", "size_class", "organisation"}
    for table in ("responses", "submissions"):
        assert not any(isinstance(c["type"], DateTime | Date) for c in inspector.get_columns(table))
        assert {fk["referred_table"] for fk in inspector.get_foreign_keys(table)} == {"fieldworks"}
    assert {c["name"] for c in inspector.get_columns("submissions")} == {"id", "fieldwork_id", "sealed"}
    for table in ("invitations", "progress", "fieldworks"):
        assert not {"responses", "submissions"} & {fk["referred_table"] for fk in inspector.get_foreign_keys(table)}
        assert not {c["name"] for c in inspector.get_columns(table)} & {"response_id", "respondent_id", "submission_id"}


def test_submit_seals_into_the_outbox_and_close_releases_only_the_stratum(db, keys):
    fid, codes = opened(db, keys)
    for email in ("anna@example.nl", "bram@example.nl", "cees@example.nl"):
        invitation, secret = start(db, keys, codes[email])
        fw.save_answers(db, keys, invitation, secret, {"AG_VERBAAL": 1, "AG_BEDREIGING": 2, "TOELICHTING": email * (1 + 40 * (email[0] == "a"))})
        fw.submit(db, keys, invitation, secret)
    with db.session() as s:
        assert s.scalars(select(Response)).all() == [] and s.scalars(select(Progress)).all() == []
        sealed = list(s.scalars(select(Submission.sealed)))
    assert len(sealed) == 3 and len({len(b) for b in sealed}) == 1  # padded: a long text does not show
    assert not any(b"example" in b or b"AG_VERBAAL" in b or b"burgemeester" in b for b in sealed)
    with pytest.raises(fw.FieldworkError, match="nog open"):
        fw.completed_records(db, fid)

    assert fw.close_fieldwork(db, keys, fid) == (0, 3)
    with db.session() as s:
        responses = list(s.scalars(select(Response)))
        invitations = list(s.scalars(select(Invitation)))
        assert s.scalars(select(Submission)).all() == []
    stored = json.dumps([[r.id, r.answers, r.group, r.province] for r in responses])
    for inv in invitations:
        assert inv.code_hash not in stored and codes[inv.email] not in stored and inv.name not in stored
    assert {r.organisation for r in responses} == {None}  # a respondent questionnaire keeps no organisation
    assert {(r.group, r.gender) for r in responses} == {("burgemeester", "vrouw"), ("raadslid", "man"), ("statenlid", "man")}


def test_release_is_one_transaction_in_random_order(db, keys):
    fid, codes = opened(db, keys)
    for email in ("anna@example.nl", "bram@example.nl", "cees@example.nl", "dirk@example.nl"):
        fw.submit(db, keys, *start(db, keys, codes[email]))
    fw.close_fieldwork(db, keys, fid)
    records = [r["respondent_id"] for r in fw.completed_records(db, fid)]
    assert records == sorted(records) and len(records) == 4
    with db.engine.connect() as conn:
        if db.url.startswith("sqlite"):  # WITHOUT ROWID: rows are kept in random id order
            assert [row[0] for row in conn.execute(text("SELECT id FROM responses"))] == records
        else:
            assert len({row[0] for row in conn.execute(text("SELECT xmin::text FROM responses"))}) == 1


def test_answers_in_progress_open_only_with_the_resume_word(db, keys):
    fid, codes = opened(db, keys)
    invitation, secret = start(db, keys, codes["bram@example.nl"])
    fw.save_answers(db, keys, invitation, secret, {"AG_VERBAAL": 1, "TOELICHTING": "mijn buurman bedreigde mij"})
    with db.session() as s:
        sealed = s.get(Progress, invitation).sealed
    assert b"buurman" not in sealed and b"AG_VERBAAL" not in sealed
    entry = fw.enter(db, keys, codes["bram@example.nl"])
    assert entry.saved  # the code alone brings the respondent to the question for the word
    assert fw.unlock(db, keys, invitation, "een ander woord") is None
    assert fw.unlock(db, keys, invitation, WORD) == secret
    with pytest.raises(fw.FieldworkError, match="ander herstelwoord"):
        fw.load_answers(db, keys, invitation, fw.keys.word_key("een ander woord", b"0" * 16))
    assert fw.load_answers(db, keys, invitation, secret)[2]["AG_VERBAAL"] == 1
    assert fw.check_word("kort", "kort") == "Kies een herstelwoord van ten minste 8 tekens."
    assert "niet gelijk" in fw.check_word("lang genoeg", "lang genoeg!")


def test_starting_again_after_a_forgotten_word_deletes_the_answers(db, keys):
    fid, codes = opened(db, keys)
    invitation, secret = start(db, keys, codes["anna@example.nl"])
    fw.save_answers(db, keys, invitation, secret, {"AG_VERBAAL": 1})
    again = fw.begin(db, keys, invitation, "een nieuw woord")
    assert fw.load_answers(db, keys, invitation, again)[2] == {}
    with pytest.raises(fw.FieldworkError):
        fw.load_answers(db, keys, invitation, secret)


def test_close_and_retention_delete_every_answer_in_progress(db, keys):
    fid, codes = opened(db, keys)
    old = start(db, keys, codes["anna@example.nl"])
    fw.change_answers(db, keys, *old, lambda a: a | {"AG_VERBAAL": 2}, today=dt.date(2024, 3, 1))
    fw.save_answers(db, keys, *start(db, keys, codes["bram@example.nl"]), {"AG_VERBAAL": 2})
    assert fw.purge_progress(db, dt.date.today() - dt.timedelta(days=30)) == 1
    fw.submit(db, keys, *start(db, keys, codes["cees@example.nl"]))
    assert fw.close_fieldwork(db, keys, fid) == (1, 1)
    with db.session() as s:
        assert s.scalars(select(Progress)).all() == []
        assert len(s.scalars(select(Response)).all()) == 1


def test_second_submit_writes_no_second_response(db, keys):
    fid, codes = opened(db, keys)
    invitation, secret = start(db, keys, codes["anna@example.nl"])
    fw.submit(db, keys, invitation, secret)
    with pytest.raises(fw.FieldworkError, match="al verzonden"):
        fw.submit(db, keys, invitation, secret)
    with db.session() as s:
        assert len(s.scalars(select(Submission)).all()) == 1
