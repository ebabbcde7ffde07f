"""One long-lived child process that reads every .sav/.zsav file of a run.

ReadStat (C) segfaults on some damaged files, so it never runs in miv's own process. The
child (savchild.py, started as a script so it imports only pyreadstat and pyarrow) stays up
for the whole run; after a crash or a timeout it is replaced on the next file.

    with SavReader() as reader:
        for path in files:
            sav = reader.read(path)          # SavFile, or IntakeError naming the file

Without an explicit reader, `shared()` gives one per process, closed when Python exits.
"""

from __future__ import annotations

import atexit
import json
import select
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from miv.intake.errors import IntakeError
from miv.intake.limits import DEFAULT_LIMITS, Limits

_CHILD = Path(__file__).with_name("savchild.py")


@dataclass(frozen=True)
class SavFile:
    """What the child read: the columns, the header's case count (None if it gives none) and
    the value labels per variable."""

    frame: pl.DataFrame
    declared_rows: int | None
    value_labels: dict[str, dict[Any, str]]


class SavReader:
    """A reader child for many files; use as a context manager or call close()."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None
        self._folder = tempfile.TemporaryDirectory(prefix="miv-sav-")
        self.started = 0  # children started so far (1 for a run without crashes)

    def __enter__(self) -> SavReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._stop()
        self._folder.cleanup()

    def start(self) -> None:
        """Start the child now, so that its imports overlap the caller's work; `read` would start
        it anyway, and reports a child that cannot start."""
        try:
            self._child(Path())
        except IntakeError:
            pass

    def read(self, path: Path, limits: Limits = DEFAULT_LIMITS) -> SavFile:
        """Read one file in the child; raise IntakeError (Dutch, naming the file) if it cannot be read."""
        unreadable = f"{path}: geen leesbaar SPSS-bestand (.sav/.zsav); is het afgebroken of beschadigd?"
        out = Path(self._folder.name) / "frame.arrow"
        request = {"path": str(Path(path).resolve()), "out": str(out), "max_rows": limits.rows, "max_columns": limits.columns,
                   "max_cells": limits.cells}
        answer = self._ask(path, request, limits.seconds)
        if "damaged" in answer:
            raise IntakeError(f"{unreadable} ({answer['damaged']})")
        if "limit" in answer:
            raise IntakeError(f"{path}: te groot om in te lezen: {answer['limit']} (grenzen: docs/intake.md)")
        if "failed" in answer:
            raise IntakeError(f"{path}: het inleesproces kon het bestand niet verwerken: {answer['failed']}")
        try:
            frame = pl.read_ipc(out)
        finally:
            out.unlink(missing_ok=True)
        labels = {name: {k: v for k, v in pairs} for name, pairs in answer["labels"].items()}
        return SavFile(frame, answer["declared"], labels)

    def _ask(self, path: Path, request: dict, seconds: float) -> dict:
        process = self._child(path)
        assert process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(json.dumps(request) + "\n")
            process.stdin.flush()
        except BrokenPipeError:
            pass  # the child died; its exit status is reported below
        ready, _, _ = select.select([process.stdout], [], [], seconds)
        line = process.stdout.readline() if ready else None
        if line:
            return json.loads(line)
        self._stop()
        if line is None:
            raise IntakeError(f"{path}: inlezen duurde langer dan {seconds:.0f} s en is afgebroken; is het bestand beschadigd?")
        code = process.returncode
        how = f"signaal {signal.Signals(-code).name}" if code is not None and code < 0 else f"code {code}"
        raise IntakeError(f"{path}: geen leesbaar SPSS-bestand (.sav/.zsav); het inlezen brak af ({how}); is het bestand beschadigd?")

    def _child(self, path: Path) -> subprocess.Popen[str]:
        if self._process is not None and self._process.poll() is None:
            return self._process
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-u", str(_CHILD)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                text=True, encoding="utf-8",
            )
        except OSError as exc:
            raise IntakeError(f"{path}: het inleesproces voor SPSS-bestanden start niet ({exc.strerror})") from None
        self.started += 1
        return self._process

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                try:
                    stream.close()
                except BrokenPipeError:
                    pass


_SHARED: SavReader | None = None


def shared() -> SavReader:
    """The process-wide reader, started on first use and closed at exit."""
    global _SHARED
    if _SHARED is None:
        _SHARED = SavReader()
        atexit.register(_SHARED.close)
    return _SHARED
