"""The audit chain: every edited, deleted or reordered entry is found and named."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from miv.cases import Anchor, AuditLog, JsonLinesLogStore, LogError, MasterKey, MemoryLogStore, canonical

from .conftest import T0


def filled(log: AuditLog, n: int = 6) -> list:
    actions = ["melden", "lezen", "registreren", "document-lezen", "vooronderzoek-starten", "lezen"]
    return [
        log.record(f"p-{i % 3}", actions[i % len(actions)], T0 + timedelta(minutes=i), case="zaak-1", organisation="gemeente-utrecht", detail={"fase": "melding", "n": i})
        for i in range(n)
    ]


def lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def write(path, rows: list[dict]) -> None:
    path.write_text("".join(canonical(r).decode() + "\n" for r in rows))


@pytest.fixture
def file_log(tmp_path, master):
    return AuditLog(JsonLinesLogStore(tmp_path / "audit.jsonl"), master)


def test_entries_chain_and_verify(file_log):
    entries = filled(file_log)
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5, 6]
    assert entries[0].previous == "0" * 64
    assert all(b.previous == a.hash for a, b in zip(entries, entries[1:]))
    result = file_log.verify()
    assert result.ok and result.count == 6 and result.head == Anchor(6, entries[-1].hash)


def test_canonical_json_ignores_key_order():
    assert canonical({"b": 1, "a": "é"}) == canonical({"a": "é", "b": 1}) == '{"a":"é","b":1}'.encode()


def test_edited_entry_is_named(file_log):
    filled(file_log)
    rows = lines(file_log.store.path)
    rows[2]["actor"] = "p-iemand-anders"
    write(file_log.store.path, rows)
    findings = file_log.verify().findings
    assert [(f.position, f.seq) for f in findings] == [(3, 3)]
    assert "gewijzigd" in str(findings[0]) and "logregel 3" in str(findings[0])


def test_deleted_entry_is_named(file_log):
    filled(file_log)
    rows = lines(file_log.store.path)
    del rows[3]
    write(file_log.store.path, rows)
    findings = file_log.verify().findings
    assert [(f.position, f.seq) for f in findings] == [(4, 5)]
    assert "logregel 4 ontbreekt" in findings[0].message


def test_reordered_entries_are_named(file_log):
    filled(file_log)
    rows = lines(file_log.store.path)
    rows[1], rows[2] = rows[2], rows[1]
    write(file_log.store.path, rows)
    findings = file_log.verify().findings
    assert [(f.position, f.seq) for f in findings] == [(2, 3)]
    assert "verplaatst" in findings[0].message


def test_recomputing_hashes_without_the_master_key_is_detected(file_log, tmp_path):
    filled(file_log)
    rows = lines(file_log.store.path)
    rows[4]["action"] = "niets"
    write(file_log.store.path, rows)
    forger = AuditLog(MemoryLogStore(), MasterKey.create(tmp_path / "forger.key"))
    rebuilt = []
    for row in rows:
        body = {k: v for k, v in row.items() if k not in ("seq", "previous", "hash")}
        rebuilt.append(forger.record(body["actor"], body["action"], datetime.fromisoformat(body["at"]), body["case"], body["organisation"], body["detail"]))
    assert forger.verify().ok
    assert len(file_log.verify(rebuilt).findings) == 6


def test_truncated_tail_is_found_with_an_anchor_only(file_log):
    entries = filled(file_log)
    anchor = Anchor.parse(Anchor(6, entries[-1].hash).dump())
    rows = lines(file_log.store.path)
    write(file_log.store.path, rows[:4])
    assert file_log.verify().ok
    findings = file_log.verify(anchor=anchor).findings
    assert len(findings) == 1 and "regels verwijderd" in findings[0].message and findings[0].seq is None


def test_anchor_parse_errors_are_dutch():
    with pytest.raises(LogError, match="volgnummer"):
        Anchor.parse("zes abc", "anker.txt")


def test_detail_holds_only_scalars(master):
    log = AuditLog(MemoryLogStore(), master)
    with pytest.raises(LogError):
        log.record("p-1", "lezen", T0, detail={"inhoud": ["lijst"]})  # type: ignore[dict-item]


def test_store_refuses_a_duplicate_sequence_number(master):
    store = MemoryLogStore()
    entry = AuditLog(store, master).record("p-1", "lezen", T0)
    with pytest.raises(LogError, match="bestaat al"):
        store.append(entry)


def test_a_broken_line_in_the_file_names_the_line(file_log):
    filled(file_log, 2)
    with file_log.store.path.open("a") as file:
        file.write("{kapot\n")
    with pytest.raises(LogError, match="regel 3"):
        file_log.verify()


TAMPER = st.sampled_from(["edit", "delete", "swap", "duplicate"])


@settings(max_examples=200, deadline=None)
@given(kind=TAMPER, n=st.integers(2, 12), data=st.data())
def test_any_single_tampering_is_detected_at_its_place(kind, n, data):
    master = MasterKey(bytes(range(32)))
    log = AuditLog(MemoryLogStore(), master)
    entries = filled(log, n)
    i = data.draw(st.integers(0, n - 2 if kind == "swap" else n - 1))
    tampered = list(entries)
    if kind == "edit":
        field = data.draw(st.sampled_from(["actor", "action", "at", "case", "detail"]))
        value = {"detail": {"n": -1}, "at": "2020-01-01T00:00:00.000000+00:00"}.get(field, "x")
        tampered[i] = type(entries[i])(**{**entries[i].__dict__, field: value})
        expected = i + 1
    elif kind == "delete":
        del tampered[i]
        expected = i + 1
    elif kind == "swap":
        tampered[i], tampered[i + 1] = tampered[i + 1], tampered[i]
        expected = i + 1
    else:
        tampered.insert(i + 1, entries[i])
        expected = i + 2
    anchor = Anchor(entries[-1].seq, entries[-1].hash)
    findings = log.verify(tampered, anchor=anchor).findings
    assert findings, kind
    assert findings[0].position == expected


def _purge(log: AuditLog, case: str) -> list:
    """What the store does: a signed purge entry naming the case's entries, then delete them."""
    from miv.cases.audit import removal

    store = log.store
    gone = [e for e in store.entries() if e.case == case]
    log.record("systeem", "vernietigd", T0 + timedelta(days=2000), case=case, organisation="gemeente-utrecht", detail=removal(gone))
    store.rows = [e for e in store.rows if e not in gone]
    return gone


def _mixed(master) -> AuditLog:
    log = AuditLog(MemoryLogStore(), master)
    for i in range(9):
        log.record("p", "lezen", T0 + timedelta(minutes=i), case=f"zaak-{i % 2}", organisation="gemeente-utrecht")
    return log


def test_a_purge_entry_lets_the_cases_entries_go_and_the_chain_verifies(master):
    log = _mixed(master)
    gone = _purge(log, "zaak-0")
    assert [e.seq for e in gone] == [1, 3, 5, 7, 9]
    purge = log.store.rows[-1]
    assert purge.detail["verwijderd"] == "1,3,5,7,9" and purge.detail["regels"] == 5
    assert log.verify(anchor=Anchor(purge.seq, purge.hash)).ok
    _purge(log, "zaak-1")  # a second purge over the gaps of the first
    assert log.verify().ok and [e.action for e in log.store.rows] == ["vernietigd", "vernietigd"]


def test_entries_deleted_beside_a_purge_are_still_named(master):
    log = _mixed(master)
    _purge(log, "zaak-0")
    log.store.rows = [e for e in log.store.rows if e.seq != 4]  # an entry of the open case
    findings = log.verify().findings
    assert [(f.seq, f.message) for f in findings] == [(6, "logregel 4 ontbreekt: regels verwijderd")]


def test_a_forged_or_widened_purge_entry_excuses_nothing(master):
    from dataclasses import replace

    from miv.cases.audit import removal

    log = _mixed(master)
    _purge(log, "zaak-0")
    real = log.store.rows[-1]
    open_case = [e for e in log.store.rows if e.case == "zaak-1"]
    widened = replace(real, detail=real.detail | {"verwijderd": "1-9"})
    log.store.rows = [widened]  # every entry of the open case deleted, the purge entry made to cover them
    findings = [str(f) for f in log.verify().findings]
    assert findings == ["logregel 10 (positie 1): inhoud gewijzigd: de hash klopt niet met de regel",
                        "logregel 10 (positie 1): logregel 9 ontbreekt: regels verwijderd (9 in totaal, niet door een vernietiging)"]
    forged = replace(real, seq=11, previous=real.hash, detail=removal(open_case), hash="f" * 64)
    log.store.rows = [real, forged]
    findings = [str(f) for f in log.verify().findings]
    assert findings == ["logregel 10 (positie 1): logregel 8 ontbreekt: regels verwijderd (4 in totaal, niet door een vernietiging)",
                        "logregel 11 (positie 2): inhoud gewijzigd: de hash klopt niet met de regel"]
