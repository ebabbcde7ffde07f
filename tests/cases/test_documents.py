"""Documents sealed on disk: nothing readable in the store, only the case key opens them."""

from __future__ import annotations

import pytest

from miv.cases import CaseError, CaseKey, DocumentStore, KeyProblem

PDF = b"%PDF-1.4 Verslag gesprek met wethouder Jansen over de grondverkoop " * 50


def all_bytes(root) -> bytes:
    return b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file())


def test_round_trip_and_no_plaintext_on_disk(tmp_path):
    store, key = DocumentStore(tmp_path / "docs"), CaseKey.generate("zaak-1")
    doc_id = store.put(key, "verslag-jansen.pdf", "application/pdf", PDF)
    on_disk = all_bytes(tmp_path / "docs")
    for needle in (b"Jansen", b"verslag-jansen", b"application/pdf", b"%PDF"):
        assert needle not in on_disk
    names = [p.name for p in (tmp_path / "docs").rglob("*")]
    assert not any("jansen" in n for n in names)
    document = store.get(key, doc_id)
    assert (document.name, document.media_type, document.data) == ("verslag-jansen.pdf", "application/pdf", PDF)


def test_another_cases_key_cannot_open_a_document(tmp_path):
    store = DocumentStore(tmp_path)
    doc_id = store.put(CaseKey.generate("zaak-1"), "a.txt", "text/plain", b"geheim")
    intruder = CaseKey.generate("zaak-1")
    with pytest.raises(KeyProblem):
        store.get(intruder, doc_id)


def test_reseal_after_rekey(tmp_path):
    store, old = DocumentStore(tmp_path), CaseKey.generate("zaak-1")
    doc_id = store.put(old, "a.txt", "text/plain", b"geheim")
    new, _ = old.rekey({})
    store.reseal(old, new, doc_id)
    assert store.get(new, doc_id).data == b"geheim"
    with pytest.raises(KeyProblem):
        store.get(old, doc_id)


def test_delete_and_purge(tmp_path):
    store, key = DocumentStore(tmp_path), CaseKey.generate("zaak-1")
    first, second = store.put(key, "a.txt", "text/plain", b"1"), store.put(key, "b.txt", "text/plain", b"2")
    store.delete("zaak-1", first)
    with pytest.raises(CaseError, match="bestaat niet"):
        store.get(key, first)
    assert store.get(key, second).data == b"2"
    store.purge("zaak-1")
    assert not (tmp_path / "zaak-1").exists()


def test_limits_and_unsafe_ids_are_refused(tmp_path):
    store, key = DocumentStore(tmp_path, max_bytes=10), CaseKey.generate("zaak-1")
    with pytest.raises(CaseError, match="groot.txt: het document is 11 bytes"):
        store.put(key, "groot.txt", "text/plain", b"x" * 11)
    with pytest.raises(CaseError, match="bestandsnaam"):
        store.put(key, " ", "text/plain", b"x")
    with pytest.raises(KeyProblem):
        store.get(key, "../../etc/passwd")
    with pytest.raises(KeyProblem):
        store.put(CaseKey.generate("../uit"), "a.txt", "text/plain", b"x")
