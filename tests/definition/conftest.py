"""Fixtures for the definition tests: a private copy of the real monitor/ folder that a test
may break, and the problems `load` reports for it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from miv.definition import DEFAULT_ROOT, DefinitionError, Problem, load

Edit = Callable[[str, str, str], None]


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The real definition, copied to tmp_path/monitor (messages then name monitor/...)."""
    root = tmp_path / "monitor"
    shutil.copytree(DEFAULT_ROOT, root)
    return root


@pytest.fixture
def edit(copy: Path) -> Edit:
    """Replace one exact piece of text in a file of the copy; fail if it is not there once."""

    def replace(file: str, old: str, new: str) -> None:
        path = copy / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {file}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    return replace


def problems(root: Path) -> list[Problem]:
    """What `load` reports for a definition that must be broken."""
    with pytest.raises(DefinitionError) as caught:
        load(root)
    return caught.value.problems
