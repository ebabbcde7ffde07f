"""The root of every error miv shows to a person: a Dutch message and where it happened.

Why: each layer (definition, intake, survey, cases, ...) keeps its own base error, but all of
them subclass `MivError`, so the CLI and the web app catch one class, show its message and
never a traceback.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from pathlib import Path


class MivError(Exception):
    """Something a user or operator can fix. `message` is Dutch; `file`, `row`, `column` and
    `field` say where, when the layer knows it; `details` are extra lines shown before it."""

    exit_code = 1
    status = 400  # the HTTP status the web app answers with; a subclass may declare another
    title = "Dat lukte niet"  # the heading of the web error page
    file: str | None = None
    row: int | None = None
    column: str | None = None
    field: str | None = None

    def __init__(self, message: str = "", *, file: str | Path | None = None, row: int | None = None,
                 column: str | None = None, field: str | None = None, details: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        # Only what is given is set: subclasses may have set a place before calling this.
        for name, value in (("file", None if file is None else str(file)), ("row", row), ("column", column), ("field", field)):
            if value is not None:
                setattr(self, name, value)
        self._details = list(details)

    @property
    def where(self) -> str:
        """The place as a Dutch phrase, e.g. 'levering.csv, rij 12, kolom Q3'; empty if unknown."""
        parts = [self.file] if self.file else []
        parts += [f"{label} {value}" for label, value in (("rij", self.row), ("kolom", self.column), ("veld", self.field))
                  if value is not None]
        return ", ".join(parts)

    @property
    def details(self) -> list[str]:
        return self._details

    @property
    def summary(self) -> str:
        """The one line the CLI prints after 'Fout:': the place (unless the message names it) and the message."""
        message, where = str(self), self.where
        return f"{where}: {message}" if where and where not in message else message


_OS_REASONS = {
    errno.ENOENT: "bestaat niet",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.EISDIR: "is een map, geen bestand",
    errno.EACCES: "geen toestemming",
    errno.EPERM: "geen toestemming",
    errno.EEXIST: "bestaat al",
    errno.ENOSPC: "de schijf is vol",
    errno.EROFS: "het bestandssysteem is alleen-lezen",
}


def os_error(exc: OSError) -> MivError:
    """An OSError no layer turned into a message, in Dutch: which file and why."""
    reason = _OS_REASONS.get(exc.errno or 0, exc.strerror or str(exc))
    return MivError(f"kan {exc.filename or 'een bestand'} niet lezen of schrijven: {reason}", file=exc.filename)
