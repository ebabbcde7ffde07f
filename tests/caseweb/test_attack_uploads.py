"""Uploads (docs/cases.md, "Documents"): the size limit holds while the body is read, no
plaintext copy lands in a temporary file, and a failed insert leaves no orphaned file."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from browser_support import serve

from miv.cases import LogError, Report
from miv.casework.logstore import DatabaseLogStore

from .caseweb_support import SECRETS, Team, at
from .web_cases import BASE, csrf, make_case_site, report

LIMIT = 1024 * 1024
MARKER = b"GEHEIM-VERSLAG-PIETERSEN"


@pytest.fixture
def small_site(db_url: str, tmp_path: Path):
    """The case pages with a 1 MB upload limit, on SQLite and on PostgreSQL."""
    site = make_case_site(db_url, tmp_path, cases_max_upload=LIMIT)
    with serve(site.app) as url:
        site.url = url
        yield site
    site.close()


@pytest.fixture
def temporary_files(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every temporary file made in this process while the test runs (Starlette's form parser spools to one)."""
    made: list[str] = []
    for name in ("TemporaryFile", "NamedTemporaryFile", "mkstemp"):
        real = getattr(tempfile, name)

        def spy(*args, _real=real, _name=name, **kwargs):
            made.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(tempfile, name, spy)
    return made


def _multipart(boundary: str, token: str, size: int, sent: list[int]) -> Iterator[bytes]:
    yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n"
           f"--{boundary}\r\nContent-Disposition: form-data; name=\"document\"; filename=\"{SECRETS[5]}\"\r\n"
           "Content-Type: application/pdf\r\n\r\n").encode()
    chunk = MARKER + b"x" * (64 * 1024 - len(MARKER))
    for _ in range(size // len(chunk)):
        sent[0] += len(chunk)
        yield chunk
    yield f"\r\n--{boundary}--\r\n".encode()


def test_a_large_upload_is_refused_while_reading_and_nothing_plain_touches_disk(small_site, temporary_files: list[str]):
    site = small_site
    with site.client() as chair:
        site.sign_in(chair, "voorzitter")
        case_id = report(site, chair)
        token = csrf(chair, "/beheer/inloggen")
        sent = [0]
        boundary = "miv-grens"
        try:
            response = chair.post(f"{BASE}/zaak/{case_id}/documenten", content=_multipart(boundary, token, 40 * LIMIT, sent),
                                  headers={"content-type": f"multipart/form-data; boundary={boundary}"})
            status, text = response.status_code, response.text
        except httpx.TransportError:  # the server closed the connection before the client saw its answer
            status, text = None, ""
        assert sent[0] < 20 * LIMIT, f"the server read {sent[0]} bytes of a body it should refuse after {LIMIT}"
        assert status is None or (status == 413 and "maximum" in text)
        ok = chair.post(f"{BASE}/zaak/{case_id}/documenten", content=_multipart(boundary, token, LIMIT // 2, [0]),
                        headers={"content-type": f"multipart/form-data; boundary={boundary}"})
        assert ok.status_code == 303, ok.text
    assert temporary_files == []
    stored = [p for p in (Path(site.team.documents)).rglob("*") if p.is_file()]
    assert len(stored) == 1 and MARKER not in stored[0].read_bytes()


def test_a_failed_insert_leaves_no_orphaned_document_file(team: Team, monkeypatch: pytest.MonkeyPatch):
    case = team.work.open(team["voorzitter"].member, Report(SECRETS[2], SECRETS[0]), at(0))

    def broken(self, entry):
        raise LogError("de database weigert")

    monkeypatch.setattr(DatabaseLogStore, "append", broken)
    with pytest.raises(LogError):
        team.work.add_document(team["voorzitter"].member, case, SECRETS[5], "application/pdf", MARKER, at(1))
    assert [p for p in team.documents.rglob("*") if p.is_file()] == []
