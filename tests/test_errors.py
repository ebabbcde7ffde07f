"""One way to fail: every layer's error is a `MivError`, and the CLI shows any of them (and
any OSError) as 'Fout: ...' with exit code 1, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from miv.cases.errors import CaseError, TransitionError
from miv.casework.organisations import MemberError
from miv.cli import app
from miv.definition import DefinitionError, ExpressionError
from miv.demo import DemoError
from miv.errors import MivError
from miv.fieldwork.errors import FieldworkError
from miv.intake import IntakeError
from miv.pipeline import WeightingError
from miv.publish import ResultsError
from miv.survey import SurveyError
from miv.web.accounts import AccountError

runner = CliRunner()


@pytest.mark.parametrize("error", [CaseError, MemberError, DefinitionError, ExpressionError, DemoError, FieldworkError,
                                   IntakeError, WeightingError, ResultsError, SurveyError, AccountError])
def test_every_layers_error_is_a_miv_error(error):
    assert issubclass(error, MivError)


def test_value_errors_stay_value_errors():
    for error in (ExpressionError, MemberError, WeightingError, ResultsError, AccountError):
        assert issubclass(error, ValueError)


def test_the_place_is_kept_and_shown_once():
    error = IntakeError("waarde 9 buiten de schaal", file="levering.sav", row=12, column="AG_VERBAAL")
    assert str(error) == "waarde 9 buiten de schaal"
    assert error.summary == "levering.sav, rij 12, kolom AG_VERBAAL: waarde 9 buiten de schaal"
    assert IntakeError("levering.sav: onleesbaar", file="levering.sav").summary == "levering.sav: onleesbaar"
    transition = TransitionError("vul de reden in", field="reden")
    assert transition.field == "reden" and transition.message == "vul de reden in"


def test_an_os_error_in_a_command_is_a_dutch_message_not_a_traceback(tmp_path: Path):
    blocked = tmp_path / "bestand"
    blocked.write_text("geen map", encoding="utf-8")
    result = runner.invoke(app, ["definition", "check", "--definition", str(blocked)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.stderr == f"Fout: kan {blocked / 'monitor.yaml'} niet lezen of schrijven: een deel van het pad is geen map\n"
    assert blocked.read_text(encoding="utf-8") == "geen map"
