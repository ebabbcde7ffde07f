"""The fieldwork store end to end on SQLite and PostgreSQL: open, import, answer, resume,
submit, monitor, close; and what each table holds afterwards (the anonymity guarantee)."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor

import pytest
from alembic import command
from fieldwork_support import INVITATIONS_CSV, small_monitor, start
from reader_support import read_everything
from sqlalchemy import inspect, select

from miv import fieldwork as fw
from miv.store.fieldwork import Invitation, Progress, Response
from miv.store.migration import config


def setup(db, keys):
    fid = fw.open_fieldwork(db, small_monitor(), 2024, "ambtsdragers")
    assert fw.import_invitations(db, keys, fid, "lijst.csv", INVITATIONS_CSV.encode()) == 4
    codes = {row.split(";")[1]: row.split(";")[3] for row in fw.mailing(db, keys, fid, "https://x.nl").splitlines()[1:]}
    return fid, codes


def test_migrations_create_every_table(db):
    assert {"users", "fieldworks", "invitations", "progress", "submissions", "responses", "attempts", "alembic_version"} <= set(inspect(db.engine).get_table_names())


def test_migrations_match_the_models(db):
    command.check(config(db.url))  # raises when a model changed without a migration


def test_codes_are_unique_and_only_hashed(db, keys):
    fid, codes = setup(db, keys)
    assert len(set(codes.values())) == 4
    with db.session() as s:
        stored = list(s.scalars(select(Invitation)))
    for inv in stored:
        code = codes[inv.email]
        assert inv.code_hash == keys.code_hash(code)
        assert code.encode() not in inv.code_sealed and code not in inv.code_hash
    # the reader searches every row of every table for each code, as written, as typed and hashed without the server secret
    fw.save_answers(db, keys, *start(db, keys, codes["anna@example.nl"]), {"AG_VERBAAL": 1})
    fw.submit(db, keys, *start(db, keys, codes["bram@example.nl"]))
    everything = "\n".join(row.text for rows in read_everything(db.url).tables.values() for row in rows)
    assert "anna@example.nl" in everything  # the reader sees the invitation list
    for code in codes.values():
        plain = code.replace("-", "")
        for form in (code, plain, code.lower(), plain.lower(), hashlib.sha256(plain.encode()).hexdigest(),
                     hashlib.sha256(code.encode()).hexdigest()):
            assert form not in everything, form


def test_answer_resume_submit_leaves_no_link(db, keys):
    fid, codes = setup(db, keys)
    invitation, secret = start(db, keys, codes["anna@example.nl"].lower().replace("-", " "))
    fw.save_answers(db, keys, invitation, secret, {"AG_VERBAAL": 1, "AG_BEDREIGING": 2})
    q, stratum, answers = fw.load_answers(db, keys, invitation, secret)
    assert answers == {"AG_VERBAAL": 1, "AG_BEDREIGING": 2}
    assert stratum["group"] == "burgemeester"
    with db.session() as s:
        sealed = s.get(Progress, invitation).sealed
    assert b"AG_VERBAAL" not in sealed
    fw.save_answers(db, keys, invitation, secret, answers | {"AG_SOCIAL": 1, "AG_GERICHT": [1, 6], "INT_BELANG": 98, "BM_BEVEILIGING": 2})
    total = fw.monitoring(db, fid)[-1]
    assert (total["invited"], total["started"], total["completed"]) == (4, 1, 0)
    fw.submit(db, keys, invitation, secret)
    fw.close_fieldwork(db, keys, fid)

    with db.session() as s:
        assert s.scalars(select(Progress)).all() == []
        assert s.get(Invitation, invitation).status == "completed"
        response = s.scalars(select(Response)).one()
    columns = {c.key for c in inspect(Response).columns}
    assert columns == {"id", "fieldwork_id", "answers", "group", "layer", "role", "gender", "province", "size_class", "organisation"}
    assert response.organisation is None
    assert fw.enter(db, keys, codes["anna@example.nl"]) is None
    with pytest.raises(fw.FieldworkError):
        fw.submit(db, keys, invitation, secret)

    records = fw.completed_records(db, fid)
    assert records == [{
        "respondent_id": response.id, "edition": 2024, "questionnaire": "ambtsdragers", "group": "burgemeester",
        "layer": "gemeente", "role": "bestuurder", "gender": "vrouw", "province": "utrecht", "size_class": "20k-50k",
        "AG_VERBAAL": 1, "AG_BEDREIGING": 2, "AG_MELDING": -1, "AG_SOCIAL": 1, "AG_GERICHT_1": 1, "AG_GERICHT_2": 0, "AG_GERICHT_6": 1,
        "INT_BELANG": 98, "UREN": None, "TOELICHTING": None, "BM_BEVEILIGING": 2,
    }]
    rows = {(r["group"], r["province"]): r for r in fw.monitoring(db, fid)[:-1]}
    assert rows[("burgemeester", "utrecht")]["rate"] == 1.0
    assert rows[("raadslid", "zeeland")]["completed"] == 0


def test_close_deletes_answers_in_progress_and_stops_answering(db, keys):
    fid, codes = setup(db, keys)
    invitation, secret = start(db, keys, codes["bram@example.nl"])
    fw.save_answers(db, keys, invitation, secret, {"AG_VERBAAL": 2})
    assert fw.close_fieldwork(db, keys, fid) == (1, 0)
    with db.session() as s:
        assert s.scalars(select(Progress)).all() == []
    assert fw.enter(db, keys, codes["bram@example.nl"]) is None
    with pytest.raises(fw.FieldworkError, match="gesloten"):
        fw.save_answers(db, keys, invitation, secret, {"AG_VERBAAL": 1})


def test_bad_list_reports_every_row_and_imports_nothing(db, keys):
    fid = fw.open_fieldwork(db, small_monitor(), 2024, "ambtsdragers")
    bad = INVITATIONS_CSV + "Eva;geen-adres;raadslid;gemeente;Gemeente Dd;x;;\nFrank;f@example.nl;cdk;provincie;Zeeland;man;zeeland;\n"
    bad += "Gijs;g@example.nl;raadslid;gemeente;Gemeente Aa;;utrecht;tot-20k\n"
    with pytest.raises(fw.FieldworkError) as caught:
        fw.import_invitations(db, keys, fid, "lijst.csv", bad.encode())
    problems = "\n".join(caught.value.problems)
    assert "lijst.csv, rij 6, kolom e-mail: 'geen-adres' is geen e-mailadres" in problems
    assert "rij 6, kolom geslacht: onbekende waarde 'x'" in problems
    assert "rij 6, kolom provincie: is leeg" in problems
    assert "rij 7, kolom doelgroep: onbekende doelgroep 'cdk'" in problems
    assert "rij 8, kolom geslacht: is leeg; de weging gebruikt het geslacht van elke respondent; verwacht een van man, vrouw" in problems
    with db.session() as s:
        assert s.scalars(select(Invitation)).all() == []


def test_reminders_skip_completed(db, keys):
    fid, codes = setup(db, keys)
    fw.submit(db, keys, *start(db, keys, codes["dirk@example.nl"]))
    reminder = fw.mailing(db, keys, fid, "https://x.nl", reminder=True)
    assert "dirk@example.nl" not in reminder and "anna@example.nl" in reminder
    assert f"https://x.nl/start?code={codes['anna@example.nl']}" in reminder


def test_two_tabs_cannot_overwrite_each_others_answers(db, keys):
    fid, codes = setup(db, keys)
    invitation, secret = start(db, keys, codes["anna@example.nl"])

    def add(n: int) -> None:
        fw.change_answers(db, keys, invitation, secret, lambda answers: answers | {f"X{n}": n})

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(add, range(24)))
    _, _, answers = fw.load_answers(db, keys, invitation, secret)
    assert answers == {f"X{n}": n for n in range(24)}
