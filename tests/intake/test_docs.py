"""docs/intake.md stays honest: every validation rule and both commands are documented."""

from __future__ import annotations

from pathlib import Path

from miv.intake import FORMATS, RULES

DOC = (Path(__file__).parents[2] / "docs" / "intake.md").read_text(encoding="utf-8")


def test_every_rule_is_documented():
    for rule in RULES:
        assert f"| `{rule}` |" in DOC, rule


def test_commands_and_formats_are_documented():
    assert "miv import FILE --edition" in DOC and "miv export --edition" in DOC
    assert f"--format {'|'.join(FORMATS)}" in DOC
