"""The long-lived .sav reader child: one for all files of a run, replaced after a crash or a
hang, its own failures reported as themselves, and nothing of miv or polars imported in it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading

import pytest

from miv.intake import IntakeError, SavReader, export_sav, read_responses
from miv.intake.limits import Limits
from miv.intake.savreader import _CHILD


@pytest.fixture
def sav(tmp_path, monitor, valid):
    return export_sav(valid, monitor.editions[2024].questionnaires["ambtsdragers"], tmp_path / "t.sav")


def test_one_child_reads_every_file_of_a_run(tmp_path, monitor, valid, sav):
    zsav = export_sav(valid, monitor.editions[2024].questionnaires["ambtsdragers"], tmp_path / "t.zsav")
    with SavReader() as reader:
        for path in (sav, zsav, sav):
            table, report = read_responses(path, monitor, 2024, sav=reader)
            assert report.ok and table.equals(valid)
        assert reader.started == 1


def test_a_child_started_ahead_is_the_one_that_reads(monitor, valid, sav):
    """`start` (a run starts the child while it makes or finds its files) spawns the child the
    first read then uses, and is a no-op while that child runs."""
    with SavReader() as reader:
        reader.start()
        child = reader._process
        assert reader.started == 1 and child is not None and child.poll() is None
        reader.start()
        table, report = read_responses(sav, monitor, 2024, sav=reader)
        assert report.ok and table.equals(valid)
        assert reader.started == 1 and reader._process is child


def _hanging(tmp_path):
    """A FIFO named .sav: the child blocks opening it, as on a file that never ends."""
    fifo = tmp_path / "hangt.sav"
    os.mkfifo(fifo)
    return fifo


def test_a_crash_is_reported_and_the_next_file_gets_a_new_child(tmp_path, monitor, valid, sav):
    with SavReader() as reader:
        reader.read(sav)
        pid = reader._process.pid
        threading.Timer(0.5, os.kill, (pid, signal.SIGSEGV)).start()
        with pytest.raises(IntakeError, match=r"hangt.sav: geen leesbaar SPSS-bestand \(.sav/.zsav\); het inlezen brak af \(signaal SIGSEGV\)"):
            reader.read(_hanging(tmp_path))
        assert reader.read(sav).frame.height == 120
        assert reader.started == 2


def test_a_hang_is_stopped_after_the_time_limit(tmp_path, sav):
    with SavReader() as reader:
        with pytest.raises(IntakeError, match=r"hangt.sav: inlezen duurde langer dan 1 s en is afgebroken"):
            reader.read(_hanging(tmp_path), Limits(seconds=1))
        assert reader.read(sav).frame.height == 120
        assert reader.started == 2


def test_a_failure_of_the_child_is_reported_as_itself(tmp_path, sav):
    with SavReader() as reader:
        reader._folder.cleanup()  # the child can no longer write its answer file
        with pytest.raises(IntakeError) as caught:
            reader.read(sav)
    assert "het inleesproces kon het bestand niet verwerken: " in str(caught.value)
    assert "geen leesbaar SPSS-bestand" not in str(caught.value)


def test_the_child_imports_its_readers_before_the_first_file():
    """SavReader.start() starts the child early so that its imports overlap the caller's work:
    they are done at start, not at the first file (pandas, pyreadstat's output, alone was a third
    of a second on the run's first read)."""
    run = subprocess.run([sys.executable, "-X", "importtime", str(_CHILD)], input="", capture_output=True, text=True, check=True)
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in run.stderr.splitlines() if "|" in line}
    assert {"pyreadstat", "pyarrow", "pandas"} <= imported


def test_the_child_imports_only_what_reading_needs(tmp_path, sav):
    request = json.dumps({"path": str(sav), "out": str(tmp_path / "f.arrow"), "max_rows": 1000, "max_columns": 1000, "max_cells": 10**6})
    run = subprocess.run([sys.executable, "-X", "importtime", str(_CHILD)], input=request + "\n", capture_output=True, text=True, check=True)
    assert json.loads(run.stdout)["rows"] == 120
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in run.stderr.splitlines() if "|" in line}
    assert {"pyreadstat", "pyarrow"} <= imported
    assert not imported & {"miv", "polars", "openpyxl", "pydantic", "yaml"}
