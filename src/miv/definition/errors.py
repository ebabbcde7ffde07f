"""Errors in the Monitor's definition, each naming the file and the place inside it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from miv.errors import MivError


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a definition file: where it is and what was expected."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.message}"


class DefinitionError(MivError):
    """The definition cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem], root: Path | None = None) -> None:
        self.problems = problems
        self.root = root
        super().__init__("\n".join(str(p) for p in problems))

    @property
    def details(self) -> list[str]:
        return [str(p) for p in self.problems]

    @property
    def summary(self) -> str:
        count = len(self.problems)
        place = f"de definitie in {self.root}" if self.root is not None else "de definitie"
        return f"{place} heeft {count} {'probleem' if count == 1 else 'problemen'}"
