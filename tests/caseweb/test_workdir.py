"""Nothing lands in the working directory: `miv cases` commands and the case pages keep the
anchor file beside the master key unless MIV_CASES_ANCHOR names another place (a stray
zaaklog-anker.txt was once committed from a test run)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from miv.cases import AnchorFile
from miv.cli import app
from miv.store import Database
from miv.web import Settings
from miv.web.caseguard import casework_for

runner = CliRunner()


def test_cases_commands_and_the_pages_write_nothing_into_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    here, keys = tmp_path / "werkmap", tmp_path / "sleutels"
    here.mkdir()
    keys.mkdir()
    monkeypatch.chdir(here)
    key, url = keys / "hoofdsleutel.key", f"sqlite:///{tmp_path / 'miv.db'}"
    monkeypatch.setenv("MIV_CASES_MASTER_KEY_FILE", str(key))
    monkeypatch.setenv("MIV_DATABASE_URL", url)
    monkeypatch.setenv("MIV_CASES_DOCUMENTS", str(tmp_path / "documenten"))
    monkeypatch.delenv("MIV_CASES_ANCHOR", raising=False)
    commands = [["cases", "create-key", str(key)], ["db", "upgrade"],
                ["users", "add", "burgemeester@utrecht.nl", "--name", "A. Burgemeester", "--role", "zaken"],
                ["cases", "add-organisation", "gemeente-utrecht", "--name", "Gemeente Utrecht", "--layer", "gemeente"],
                ["cases", "add-member", "burgemeester@utrecht.nl", "--organisation", "gemeente-utrecht", "--role", "voorzitter"],
                ["cases", "verify-log"], ["cases", "purge"]]
    for command in commands:
        result = runner.invoke(app, command, input="correct horse battery\ncorrect horse battery\n")
        assert result.exit_code == 0, (command, result.output)
    assert os.listdir(here) == []
    assert (keys / AnchorFile.NAME).read_text().strip(), "the anchor lives beside the master key"
    db = Database(url)
    work = casework_for(Settings(database_url=url, secret=b"s" * 40, cases_master_key=key, cases_documents=tmp_path / "documenten"), db)
    assert work is not None and work.anchor is not None and work.anchor.path == keys / AnchorFile.NAME
    db.dispose()
