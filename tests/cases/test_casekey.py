"""Case data keys: sealing fields, wrapping for readers, re-wrapping when access changes."""

from __future__ import annotations

import pytest

from miv.cases import CaseKey, KeyProblem, PersonKey

SECRET = "Wethouder Jansen stemde mee over grond van zijn zwager."


@pytest.fixture
def keys(master):
    return {p: PersonKey.create(master, p) for p in ("p-chair", "p-griffier", "p-onderzoeker")}


def test_sealed_field_holds_no_plaintext_and_opens_again():
    key = CaseKey.generate("zaak-1")
    blob = key.seal("omschrijving", SECRET)
    assert SECRET.encode() not in blob and b"Jansen" not in blob
    assert key.open_text("omschrijving", blob) == SECRET
    assert key.seal("omschrijving", SECRET) != blob


def test_a_blob_moved_to_another_field_or_case_does_not_open():
    key = CaseKey.generate("zaak-1")
    blob = key.seal("omschrijving", SECRET)
    with pytest.raises(KeyProblem):
        key.open("betrokkene", blob)
    with pytest.raises(KeyProblem):
        CaseKey("zaak-2", key._secret).open("omschrijving", blob)


def test_a_changed_byte_is_detected():
    key = CaseKey.generate("zaak-1")
    blob = bytearray(key.seal("omschrijving", SECRET))
    blob[-1] ^= 1
    with pytest.raises(KeyProblem, match="gewijzigd"):
        key.open("omschrijving", bytes(blob))


def test_wrap_opens_for_its_person_only(master, keys):
    key = CaseKey.generate("zaak-1")
    blob = key.seal("omschrijving", SECRET)
    wrap = key.wrap_for(keys["p-chair"], master)
    opened = CaseKey.unwrap(wrap, keys["p-chair"], keys["p-chair"].unlock(master))
    assert opened.open_text("omschrijving", blob) == SECRET
    with pytest.raises(KeyProblem):
        CaseKey.unwrap(wrap, keys["p-griffier"], keys["p-griffier"].unlock(master))
    forged = type(wrap)(wrap.case, "p-griffier", wrap.ephemeral, wrap.sealed_key)
    with pytest.raises(KeyProblem):
        CaseKey.unwrap(forged, keys["p-griffier"], keys["p-griffier"].unlock(master))


def test_sync_adds_new_readers_and_removes_those_who_lost_access(master, keys):
    key = CaseKey.generate("zaak-1")
    first = key.sync([], ["p-chair", "p-griffier"], keys, master)
    assert [w.person for w in first.add] == ["p-chair", "p-griffier"] and first.remove == []
    second = key.sync(first.add, ["p-chair", "p-onderzoeker"], keys, master)
    assert [w.person for w in second.add] == ["p-onderzoeker"]
    assert [w.person for w in second.remove] == ["p-griffier"]
    new_wrap = second.add[0]
    assert CaseKey.unwrap(new_wrap, keys["p-onderzoeker"], keys["p-onderzoeker"].unlock(master)).case == "zaak-1"


def test_sync_refuses_a_reader_without_a_key_pair(master, keys):
    with pytest.raises(KeyProblem, match="p-nieuw"):
        CaseKey.generate("zaak-1").sync([], ["p-chair", "p-nieuw"], keys, master)


def test_rekey_reseals_everything_and_the_old_key_no_longer_opens_it():
    old = CaseKey.generate("zaak-1")
    blobs = {"omschrijving": old.seal("omschrijving", SECRET), "stap-1-reden": old.seal("stap-1-reden", "R")}
    new, resealed = old.rekey(blobs)
    assert new.open_text("omschrijving", resealed["omschrijving"]) == SECRET
    assert new.open_text("stap-1-reden", resealed["stap-1-reden"]) == "R"
    with pytest.raises(KeyProblem):
        old.open("omschrijving", resealed["omschrijving"])
