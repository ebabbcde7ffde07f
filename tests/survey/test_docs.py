"""docs/methodology.md documents every public name of miv.survey."""

from __future__ import annotations

from pathlib import Path

import miv.survey

DOC = Path(__file__).resolve().parents[2] / "docs" / "methodology.md"


def test_every_public_name_is_documented() -> None:
    section = DOC.read_text().split("### Public API of `miv.survey`", 1)[1]
    missing = [name for name in miv.survey.__all__ if f"| `{name}` |" not in section]
    assert missing == []
