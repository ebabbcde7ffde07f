"""docs/cases.md stays honest: every stage, step, role, permission, deadline and variable is in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from miv.cases import DEFAULT_DEADLINES, MEASURES, STATUTORY_DEADLINES, Channel, Action, Permission, Role, Stage

DOC = (Path(__file__).resolve().parents[2] / "docs" / "cases.md").read_text()

NAMES = (
    [s.label for s in Stage]
    + [f"`{a.value}`" for a in Action]
    + [a.label for a in Action]
    + [f"`{r.value}`" for r in Role]
    + [r.label for r in Role]
    + [f"`{p.value}`" for p in Permission]
    + [f"`{d.code}`" for d in DEFAULT_DEADLINES + STATUTORY_DEADLINES]
    + [f"`{c.value}`" for c in Channel]
    + [f"`{code}`" for code, _ in MEASURES.values()]
)


@pytest.mark.parametrize("name", NAMES)
def test_documented(name):
    assert name in DOC
