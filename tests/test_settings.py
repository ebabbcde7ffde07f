"""Settings declared once: the CLI's options, the web app's defaults, the environment the
server reads and docs/cli.md all come from miv.settings."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import typer.main

from miv import cases, demo, intake
from miv.cli import app
from miv.fieldwork.mail import Smtp
from miv.settings import SETTINGS, table
from miv.web.settings import Settings, read_secret

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def _options() -> dict[str, object]:
    """Every option of every command: flag -> click parameter."""
    found: dict[str, object] = {}

    def walk(group) -> None:
        for command in group.commands.values():
            if hasattr(command, "commands"):
                walk(command)
            for param in command.params:
                for flag in param.opts:
                    found.setdefault(flag, param)

    walk(typer.main.get_command(app))
    return found


def test_every_declared_option_is_the_clis_with_its_default_and_variable():
    options = _options()
    declared = [s for s in SETTINGS.values() if s.option]
    assert len(declared) >= 10
    for setting in declared:
        param = options[setting.option]
        assert param.default == setting.default, setting.name
        assert param.envvar == setting.env, setting.name
        assert param.help == setting.help, setting.name


def test_the_web_apps_defaults_are_the_declared_ones():
    fields = {f.name: f.default for f in dataclasses.fields(Settings)}
    for name in ("base_url", "secure", "code_attempts", "login_attempts", "window_seconds", "pool_size",
                 "session_idle_minutes", "session_hours", "contact", "progress_days", "cases_documents", "cases_master_key",
                 "cases_anchor", "cases_max_upload"):
        assert fields[name] == SETTINGS[name].default, name
    assert intake.DEFAULT_DATA == SETTINGS["data"].default and demo.DEFAULT_SEED == SETTINGS["demo_seed"].default
    assert cases.ENVIRONMENT_VARIABLE == SETTINGS["cases_master_key"].env


def test_the_server_reads_the_declared_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("MIV_SMTP_HOST", "mail.example.nl")
    monkeypatch.setenv("MIV_SMTP_PORT", "2525")
    monkeypatch.setenv("MIV_SMTP_STARTTLS", "0")
    smtp = Smtp.from_env()
    assert (smtp.host, smtp.port, smtp.starttls, smtp.sender) == ("mail.example.nl", 2525, False, SETTINGS["smtp_from"].default)
    monkeypatch.delenv("MIV_SMTP_HOST")
    assert Smtp.from_env() is None
    monkeypatch.setenv("MIV_SECRET", "uit-de-omgeving")
    assert read_secret(tmp_path / "nooit-gemaakt.key") == b"uit-de-omgeving"
    assert not (tmp_path / "nooit-gemaakt.key").exists()
    monkeypatch.setenv("MIV_CASES_DOCUMENTS", str(tmp_path / "stukken"))
    assert SETTINGS["cases_documents"].read() == tmp_path / "stukken"


def test_docs_list_every_setting_as_declared():
    text = DOC.read_text(encoding="utf-8")
    assert table() in text
    assert all(f"| {name} |" in text for name in SETTINGS)
