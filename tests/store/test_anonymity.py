"""The anonymity guarantee of docs/anonymity.md, on every path that writes answers, on
SQLite and PostgreSQL: the answer store shares no key, column or order with the invitation
store; answers in progress are encrypted and gone after submit and after close."""

from __future__ import annotations

import json

import pytest

from fieldwork_support import INVITATIONS_CSV, small_monitor
from sqlalchemy import DateTime, inspect, select, text

from miv import fieldwork as fw
from miv.store.fieldwork import Invitation, Progress, Response


def opened(db, keys):
    fid = fw.open_fieldwork(db, small_monitor(), 2024, "ambtsdragers")
    fw.import_invitations(db, keys, fid, "lijst.csv", INVITATIONS_CSV.encode())
    codes = {r.split(";")[1]: r.split(";")[3] for r in fw.mailing(db, keys, fid, "https://x.nl").splitlines()[1:]}
    return fid, codes


def test_answer_store_schema_has_no_link_no_time_no_address(db):
    inspector = inspect(db.engine)
    columns = {c["name"]: c for c in inspector.get_columns("responses")}
    assert set(columns) == {"id", "fieldwork_id", "answers", "group", "layer", "role", "gender", "province", "size_class", "organisation"}
    assert not any(isinstance(c["type"], DateTime) for c in columns.values())
    targets = {fk["referred_table"] for fk in inspector.get_foreign_keys("responses")}
    assert targets == {"fieldworks"}
    for table in ("invitations", "progress", "fieldworks"):
        assert "responses" not in {fk["referred_table"] for fk in inspector.get_foreign_keys(table)}
        assert not {c["name"] for c in inspector.get_columns(table)} & {"response_id", "respondent_id"}


def test_submit_path_writes_nothing_that_links_back(db, keys):
    fid, codes = opened(db, keys)
    ids = {}
    for email in ("anna@example.nl", "bram@example.nl", "cees@example.nl"):
        invitation = fw.enter(db, keys, codes[email])
        fw.save_answers(db, keys, invitation, {"AG_VERBAAL": 1, "AG_BEDREIGING": 2, "TOELICHTING": email})
        fw.submit(db, keys, invitation)
        ids[email] = invitation
    with db.session() as s:
        responses = list(s.scalars(select(Response)))
        invitations = list(s.scalars(select(Invitation)))
        assert s.scalars(select(Progress)).all() == []
    stored = json.dumps([[r.id, r.answers, r.group, r.province] for r in responses])
    for inv in invitations:
        assert str(inv.id) not in [r.id for r in responses]
        assert inv.code_hash not in stored and codes[inv.email] not in stored and inv.name not in stored
    assert {r.organisation for r in responses} == {None}  # a respondent questionnaire keeps no organisation
    # the only thing the two stores share is the stratum
    assert {(r.group, r.gender) for r in responses} == {("burgemeester", "vrouw"), ("raadslid", "man"), ("statenlid", "man")}


def test_storage_order_says_nothing_of_submission_order(db, keys):
    fid, codes = opened(db, keys)
    order = []
    for email in ("anna@example.nl", "bram@example.nl", "cees@example.nl", "dirk@example.nl"):
        fw.submit(db, keys, fw.enter(db, keys, codes[email]))
        with db.session() as s:
            order.append(s.scalars(select(Response.id).where(Response.id.not_in(order))).one())
    records = [r["respondent_id"] for r in fw.completed_records(db, fid)]
    assert records == sorted(order)
    if db.url.startswith("sqlite"):
        with db.engine.connect() as conn:  # WITHOUT ROWID: rows are kept in id order
            assert [row[0] for row in conn.execute(text("SELECT id FROM responses"))] == sorted(order)


def test_save_path_keeps_answers_encrypted(db, keys):
    fid, codes = opened(db, keys)
    invitation = fw.enter(db, keys, codes["bram@example.nl"])
    fw.save_answers(db, keys, invitation, {"AG_VERBAAL": 1, "TOELICHTING": "mijn buurman bedreigde mij"})
    with db.session() as s:
        sealed = s.get(Progress, invitation).sealed
    assert b"buurman" not in sealed and b"AG_VERBAAL" not in sealed
    assert fw.Keys(b"x" * 32).code_hash(codes["bram@example.nl"]) != keys.code_hash(codes["bram@example.nl"])


def test_close_path_deletes_every_answer_in_progress(db, keys):
    fid, codes = opened(db, keys)
    for email in ("anna@example.nl", "bram@example.nl"):
        fw.save_answers(db, keys, fw.enter(db, keys, codes[email]), {"AG_VERBAAL": 2})
    fw.submit(db, keys, fw.enter(db, keys, codes["cees@example.nl"]))
    assert fw.close_fieldwork(db, fid) == 2
    with db.session() as s:
        assert s.scalars(select(Progress)).all() == []
        assert len(s.scalars(select(Response)).all()) == 1


def test_second_submit_writes_no_second_response(db, keys):
    fid, codes = opened(db, keys)
    invitation = fw.enter(db, keys, codes["anna@example.nl"])
    fw.submit(db, keys, invitation)
    with pytest.raises(fw.FieldworkError, match="al verzonden"):
        fw.submit(db, keys, invitation)
    with db.session() as s:
        assert len(s.scalars(select(Response)).all()) == 1
