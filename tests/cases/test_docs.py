"""docs/cases.md stays honest: every stage, step, role, permission, deadline and variable is in it."""

from __future__ import annotations

import re
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


def _threat_rows() -> list[tuple[str, str]]:
    section = DOC.split("### Threat model", 1)[1]
    table = section[section.index("| attacker has |"):].split("\n\n", 1)[0]
    return [tuple(cell.strip() for cell in line.strip("|").split(" | ", 1)) for line in table.splitlines()[2:]]


def test_every_threat_model_row_names_attack_tests_that_exist():
    """A row states what holds against that attacker and the tests that attack it; the one row that
    promises nothing (the running server holds the key) is the only one without."""
    root = Path(__file__).resolve().parents[2]
    rows = _threat_rows()
    assert len(rows) >= 15
    for attacker, result in rows:
        named = re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", result)
        if result.startswith("everything"):
            assert not named, attacker
            continue
        assert named, f"the row '{attacker}' names no attack test"
        for path, test in named:
            source = (root / path).read_text(encoding="utf-8")
            assert re.search(rf"^def {test}\(", source, re.MULTILINE), f"{path}::{test} (row '{attacker}') does not exist"
