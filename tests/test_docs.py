"""Docs kept honest: every `miv` command is described in docs/cli.md, and every document the
code, tests and docs cite is in the repository."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from miv.cli import app

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _commands(group, prefix: str = "miv") -> list[str]:
    """Every command path of the app (typer ships its own click, so groups are found by duck typing)."""
    out = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        out.extend(_commands(command, path) if hasattr(command, "commands") else [path])
    return out


def test_every_command_is_documented():
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    commands = _commands(typer.main.get_command(app))
    assert len(commands) >= 5
    missing = [c for c in commands if f"`{c}" not in text]
    assert not missing, f"not in docs/cli.md: {missing}"


def test_every_cited_document_is_in_the_repository():
    """A document named in a docstring, comment or doc (a file name ending in .md, alone or
    under docs/) must be a file a reader of this repository can open."""
    root = DOCS.parent
    cited = re.compile(r"(?<![\w/.-])((?:docs/)?[A-Za-z][\w-]*\.md)\b")
    missing = []
    for folder, pattern in (("src", "*.py"), ("src", "*.yaml"), ("tests", "*.py"), ("benchmarks", "*.py"), ("docs", "*.md")):
        for path in (root / folder).rglob(pattern):
            for name in set(cited.findall(path.read_text(encoding="utf-8"))):
                if not any((base / name).is_file() for base in (root, DOCS, path.parent)) and not name.endswith(("kerncijfers.md",)):
                    missing.append(f"{path.relative_to(root)}: {name}")
    assert len(list((root / "src").rglob("*.py"))) > 50
    assert not missing, missing
