"""Docs kept honest: every `miv` command is described in docs/cli.md."""

from __future__ import annotations

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
