"""`miv db upgrade` and `miv users add`, in-process, on a real SQLite file."""

from __future__ import annotations

from sqlalchemy import inspect
from typer.testing import CliRunner

from miv.cli import app
from miv.store import Database
from miv.web.accounts import authenticate


def test_upgrade_then_add_users(sqlite_url):
    runner = CliRunner()
    result = runner.invoke(app, ["db", "upgrade", "--db", sqlite_url])
    assert result.exit_code == 0 and "database bijgewerkt" in result.output
    assert runner.invoke(app, ["db", "upgrade", "--db", sqlite_url]).exit_code == 0  # idempotent

    added = runner.invoke(app, ["users", "add", "Ada@Bureau.nl", "--name", "Ada", "--role", "admin", "--db", sqlite_url],
                          input="een lang wachtwoord\neen lang wachtwoord\n")
    assert added.exit_code == 0, added.output
    wrong = runner.invoke(app, ["users", "add", "b@bureau.nl", "--name", "B", "--role", "baas", "--db", sqlite_url],
                          input="een lang wachtwoord\neen lang wachtwoord\n")
    assert wrong.exit_code == 1 and "onbekende rol 'baas'; verwacht een van admin, fieldwork, zaken" in wrong.output
    again = runner.invoke(app, ["users", "add", "ada@bureau.nl", "--name", "Ada", "--role", "admin", "--db", sqlite_url],
                          input="een lang wachtwoord\neen lang wachtwoord\n")
    assert again.exit_code == 1 and "al een gebruiker" in again.output

    db = Database(sqlite_url)
    assert "users" in inspect(db.engine).get_table_names()
    user = authenticate(db, "ada@bureau.nl", "een lang wachtwoord")
    assert user is not None and user.role == "admin"
    assert authenticate(db, "ada@bureau.nl", "fout") is None
    db.dispose()


def test_role_help_lists_every_role():
    from miv.store.users import ROLES

    shown = " ".join(CliRunner().invoke(app, ["users", "add", "--help"], env={"COLUMNS": "200"}).output.split())
    assert all(role in shown for role in ROLES), shown
