"""The anonymity guarantee of docs/anonymity.md, on every path that writes answers, on
SQLite and PostgreSQL: the answer store shares no key, column or order with the invitation
store and is written only at close, in one transaction; submitted answers wait sealed and
padded in the outbox; answers in progress open only with the respondent's resume word and
are gone after submit, after close and after the retention period."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import pytest
from fieldwork_support import INVITATIONS_CSV, WORD, small_monitor, start
from reader_support import reader_engine
from sqlalchemy import Date, DateTime, inspect, select, text

from miv import fieldwork as fw
from miv.definition import ItemType, load, variables
from miv.fieldwork import Keys
from miv.fieldwork.answers import MAX_TEXT
from miv.fieldwork.progress import capacity
from miv.store import Database, upgrade
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
    fw.change_answers(db, keys, invitation, secret, lambda a: a | {"AG_BEDREIGING": 2}, leave=True)  # 'Opslaan en later verder'
    with pytest.raises(fw.FieldworkError, match="afgemeld"):
        fw.load_answers(db, keys, invitation, secret)  # a copy of the session from before opens nothing
    again = fw.unlock(db, keys, invitation, WORD)
    assert again != secret and fw.load_answers(db, keys, invitation, again)[2] == {"AG_VERBAAL": 1, "AG_BEDREIGING": 2, "TOELICHTING": "mijn buurman bedreigde mij"}
    assert fw.check_word("kort", "kort") == "Kies een herstelwoord van ten minste 8 tekens."
    assert "niet gelijk" in fw.check_word("lang genoeg", "lang genoeg!")


def test_answers_saved_before_session_tokens_are_kept_and_then_sealed_with_one(db, keys):
    """Answers in progress saved by a version of miv before the session token (the sealed
    record held the answers alone) survive the upgrade: the respondent is asked to log in
    again, the word opens them and seals them with a token, and the old session key (a copied
    cookie of before) opens nothing after."""
    from miv.fieldwork.progress import WORD_KEY, answering, open_questionnaire

    fid, codes = opened(db, keys)
    invitation, secret = start(db, keys, codes["bram@example.nl"])
    with db.session() as s:
        q, _ = open_questionnaire(answering(s, invitation)[1])
        s.get(Progress, invitation).sealed = keys.progress(invitation, secret[:WORD_KEY]).seal({"AG_VERBAAL": 1, "TOELICHTING": "oud"}, capacity(q))
    with pytest.raises(fw.FieldworkError, match="log opnieuw in .* uw antwoorden zijn bewaard"):
        fw.load_answers(db, keys, invitation, secret[:WORD_KEY])  # the session of before: key only
    again = fw.unlock(db, keys, invitation, WORD)
    assert again is not None and fw.load_answers(db, keys, invitation, again)[2] == {"AG_VERBAAL": 1, "TOELICHTING": "oud"}
    for copied in (secret[:WORD_KEY], secret):
        with pytest.raises(fw.FieldworkError):
            fw.load_answers(db, keys, invitation, copied)
    assert fw.unlock(db, keys, invitation, "een ander woord") is None


def test_two_tabs_that_unlock_old_answers_at_once_both_get_in(db, keys, monkeypatch):
    """Two tabs give the right word for answers saved before the session token; the second
    reads the old record, the first seals it with a token meanwhile. The second must get in
    with that token, not be told its word is wrong (a wrong word counts against the guessing limit)."""
    from miv.fieldwork import progress
    from miv.fieldwork.progress import WORD_KEY, answering, open_questionnaire

    fid, codes = opened(db, keys)
    invitation, secret = start(db, keys, codes["bram@example.nl"])
    with db.session() as s:
        q, _ = open_questionnaire(answering(s, invitation)[1])
        s.get(Progress, invitation).sealed = keys.progress(invitation, secret[:WORD_KEY]).seal({"AG_VERBAAL": 1}, capacity(q))
    read, first = progress._content, []

    def other_tab_first(*args):  # the second tab has read the old record; the first tab now unlocks it
        found = read(*args)
        if not first:
            first.append(None)  # the first tab's own read goes straight through
            first[0] = fw.unlock(db, keys, invitation, WORD)
        return found

    monkeypatch.setattr(progress, "_content", other_tab_first)
    second = fw.unlock(db, keys, invitation, WORD)
    monkeypatch.undo()
    assert first[0] is not None and second == first[0]
    assert fw.load_answers(db, keys, invitation, second)[2] == {"AG_VERBAAL": 1}


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


def test_every_outbox_row_is_one_size_from_no_answers_to_the_longest(db, keys):
    """Point 3, padding: the reader compares the sizes of the sealed rows (and of answers in
    progress). A respondent who answered nothing, one who wrote a short text and one who
    filled every text at its longest with the characters JSON writes longest (a control
    character becomes six bytes) and every number at its longest leave rows of one size."""
    fid, codes = opened(db, keys)
    longest = "\U0001f600" + "\x01" * (MAX_TEXT - 1)
    answers = {
        "anna@example.nl": {},
        "bram@example.nl": {"AG_VERBAAL": 1, "AG_BEDREIGING": 1, "AG_MELDING": 1, "TOELICHTING": "kort"},
        "cees@example.nl": {"AG_VERBAAL": 99, "AG_BEDREIGING": 1, "AG_MELDING": 2, "AG_SOCIAL": 1, "AG_GERICHT": [1, 2, 6],
                            "INT_BELANG": 98, "UREN": 33.333333333333336, "TOELICHTING": longest},
    }
    progress_sizes = set()
    for email, given in answers.items():
        invitation, secret = start(db, keys, codes[email])
        fw.save_answers(db, keys, invitation, secret, given)
        with db.session() as s:
            progress_sizes.add(len(s.get(Progress, invitation).sealed))
        fw.submit(db, keys, invitation, secret)
    with reader_engine(db.url) as engine, engine.connect() as conn:
        sizes = [row[0] for row in conn.execute(text("SELECT length(sealed) FROM submissions"))]
    assert len(sizes) == 3 and len(set(sizes)) == 1, sizes
    assert len(progress_sizes) == 1 and progress_sizes == set(sizes)
    fw.close_fieldwork(db, keys, fid)
    assert longest in [r["TOELICHTING"] for r in fw.completed_records(db, fid)]


@pytest.mark.parametrize("year", [2022, 2024])
def test_the_longest_record_of_every_real_questionnaire_fits_its_padding(year):
    """Every questionnaire of the definition: the outbox record with every variable at its
    longest and an organisation name of 200 control characters seals to the same size as
    an empty one (a record that did not fit would fail the submit)."""
    monitor = load()
    box = Keys(b"k" * 32).outbox(1)
    for q in monitor.editions[year].questionnaires.values():
        longest = {name: "\x01" * MAX_TEXT if item.type is ItemType.TEXT else -2.2250738585072014e-308
                   for name, item in variables(q).items()}
        stratum = {c: "x" * 40 for c in fw.service.STRATUM}
        full = box.seal({"stratum": stratum, "organisation": "\x01" * 200, "answers": longest}, capacity(q))
        empty = box.seal({"stratum": {}, "organisation": None, "answers": {}}, capacity(q))
        assert len(full) == len(empty), q.code


def test_the_reader_finds_only_days_in_saved_and_closed(db, keys):
    """Point 6 and the close date of point 4: the stored values themselves are days. (The
    system columns of PostgreSQL still carry commit times: see test_database_reader.)"""
    fid, codes = opened(db, keys)
    fw.save_answers(db, keys, *start(db, keys, codes["anna@example.nl"]), {"AG_VERBAAL": 1})
    fw.submit(db, keys, *start(db, keys, codes["bram@example.nl"]))
    postgres = not db.url.startswith("sqlite")
    with reader_engine(db.url) as engine, engine.connect() as conn:
        if postgres:
            assert conn.execute(text("SELECT pg_typeof(saved)::text FROM progress")).scalar() == "date"
        else:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", conn.execute(text("SELECT saved FROM progress")).scalar())
    fw.close_fieldwork(db, keys, fid)
    with reader_engine(db.url) as engine, engine.connect() as conn:
        if postgres:
            seconds = conn.execute(text("SELECT extract(epoch FROM closed)::bigint % 86400 FROM fieldworks")).scalar()
            assert seconds == 0
        else:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2} 00:00:00(\.0+)?(\+00:00)?", conn.execute(text("SELECT closed FROM fieldworks")).scalar())


def test_rate_limit_rows_hold_a_keyed_hash_of_the_current_and_previous_window_only(db, keys, monkeypatch):
    """Point 10: the reader looks in the counters for client addresses (as such, or hashed
    without the server secret) and for windows older than the previous one, after wrong
    codes an hour ago, a quarter ago and now, and after an hour without any attempt."""
    from miv.web import security

    clock = [1_800_000_000.0]
    monkeypatch.setattr(security.time, "time", lambda: clock[0])
    limits = security.RateLimit(db, keys, 900)
    addresses = ["192.0.2.17", "2001:db8::42", "uitnodiging 3"]

    def seen() -> list[tuple]:
        with reader_engine(db.url) as engine, engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text("SELECT * FROM attempts"))]

    for step in (0, 3600, 900):
        clock[0] += step
        for address in addresses:
            assert not limits.blocked("code", address, 20)
            limits.fail("code", address)
        window = int(clock[0] // 900)
        rows = seen()
        assert {row[2] for row in rows} <= {window, window - 1}, rows
        stored = json.dumps([list(map(str, row)) for row in rows])
        for address in addresses:
            assert address not in stored and hashlib.sha256(address.encode()).hexdigest() not in stored
    assert {(row[1], row[3]) for row in seen() if row[2] == window} == {(keys.client_hash(a), 1) for a in addresses}
    clock[0] += 3600  # quiet: no attempt at all; the app's hourly purge forgets the rest
    assert limits.forget() == 2 * len(addresses) and seen() == []
    clock[0] += 1800
    limits.fail("code", addresses[0])
    clock[0] += 1800
    limits.blocked("code", addresses[1], 20)  # the next attempt of anyone forgets it too
    assert seen() == []


SAME_STRATUM = "naam;e-mail;doelgroep;bestuurslaag;organisatie;geslacht;provincie;grootteklasse\n" + "".join(
    f"Raadslid {n};{n}@example.nl;raadslid;gemeente;Gemeente Bb;man;zeeland;tot-20k\n" for n in ("a", "b", "c"))
WALKS = {  # three raadsleden in one stratum, page by page as the web app saves them
    "a@example.nl": [("veiligheid", {"AG_VERBAAL": 2, "AG_BEDREIGING": 1}),  # a follow-up appears on the page
                     ("veiligheid", {"AG_MELDING": 1}), ("gevolgen", {"AG_SOCIAL": 1, "AG_GERICHT": [1]}),
                     ("integriteit", {"INT_BELANG": 1, "TOELICHTING": "bedreigd na een raadsvergadering"})],
    "b@example.nl": [("veiligheid", {"AG_VERBAAL": 2, "AG_BEDREIGING": 2}), ("integriteit", {"INT_BELANG": 2})],
    "c@example.nl": [("veiligheid", {"AG_VERBAAL": 99, "AG_BEDREIGING": 99}), ("integriteit", {"INT_BELANG": 99, "UREN": 12.0})],
}


def test_a_reader_watching_drop_off_learns_no_routed_answer(db, keys):
    """Point 7, attacked by a reader who reads the invitation and its progress row after every
    save (during fieldwork): a victim who reported the threat and got the follow-up questions,
    a non-victim and one who would not say leave the same sequence of states, and the
    drop-off figures of the monitoring page are the same for all three."""
    fid = fw.open_fieldwork(db, small_monitor(), 2024, "ambtsdragers")
    fw.import_invitations(db, keys, fid, "lijst.csv", SAME_STRATUM.encode())
    codes = {r.split(";")[1]: r.split(";")[3] for r in fw.mailing(db, keys, fid, "https://x.nl").splitlines()[1:]}

    def state(email: str) -> tuple:
        with reader_engine(db.url) as engine, engine.connect() as conn:
            invitation = conn.execute(text("SELECT * FROM invitations WHERE email = :e"), {"e": email}).mappings().one()
            progress = conn.execute(text("SELECT length(salt), length(sealed), saved FROM progress WHERE invitation_id = :i"),
                                    {"i": invitation["id"]}).first()
        hidden = {"id", "name", "email", "code_hash", "code_sealed"}
        return tuple(sorted((k, v) for k, v in invitation.items() if k not in hidden)), tuple(progress or ())

    traces = {}
    for email, walk in WALKS.items():
        trace = [state(email)]
        invitation, secret = start(db, keys, codes[email])
        trace.append(state(email))
        for _, answers in walk:
            fw.change_answers(db, keys, invitation, secret, lambda a, new=answers: a | new)
            trace.append(state(email))
        if email == "a@example.nl":
            funnel = fw.drop_off(db, fid)
        fw.submit(db, keys, invitation, secret)
        trace.append(state(email))
        traces[email] = [s for n, s in enumerate(trace) if n == 0 or s != trace[n - 1]]  # what changed, in order
    assert traces["a@example.nl"] == traces["b@example.nl"] == traces["c@example.nl"], traces
    assert funnel["raadslid"] == [("uitgenodigd", 3), ("begonnen", 1), ("pagina 1 af", 1), ("pagina 2 af", 1), ("verzonden", 0)]


def test_after_the_close_no_file_of_the_sqlite_database_holds_a_deleted_row(sqlite_url, keys):
    """Point 10, secure_delete, attacked by someone with a copy of the database's files (the
    file and its write-ahead log): after the close none of them holds the bytes of an outbox
    row or of answers in progress seen during fieldwork (they would tie the invitation
    updated in the same transaction to a sealed record)."""
    upgrade(sqlite_url)
    db = Database(sqlite_url)
    try:
        fid, codes = opened(db, keys)
        seen = []
        for email in ("anna@example.nl", "bram@example.nl", "cees@example.nl"):
            invitation, secret = start(db, keys, codes[email])
            fw.save_answers(db, keys, invitation, secret, {"AG_VERBAAL": 1, "TOELICHTING": email})
            with db.session() as s:
                seen.append(s.get(Progress, invitation).sealed)
            if email != "cees@example.nl":
                fw.submit(db, keys, invitation, secret)
        with db.session() as s:
            seen += list(s.scalars(select(Submission.sealed)))
        files = sorted(Path(sqlite_url.split(":///", 1)[1]).parent.glob("miv.db*"))
        assert any(row[-64:] in f.read_bytes() for row in seen for f in files)  # during fieldwork: in the log
        fw.close_fieldwork(db, keys, fid)
        assert not [f.name for f in files if f.exists() for row in seen if row[-64:] in f.read_bytes()]
    finally:
        db.dispose()
