"""The CLI stays thin: importing it (what `miv --help` does) loads no layer of miv and no
heavy library."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from miv.cli import app


def test_help_loads_no_library_layer():
    code = ("import json, sys; from miv.cli import app; app(['--help'], standalone_mode=False); "
            "print(json.dumps(sorted(sys.modules)), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(done.stderr))
    assert "Monitor Integriteit en Veiligheid" in done.stdout
    assert {m for m in loaded if m.startswith("miv.")} == {"miv.cli", "miv.errors", "miv.settings"}
    assert not loaded & {"polars", "numpy", "pydantic", "yaml", "sqlalchemy", "starlette", "weasyprint", "pyreadstat"}


def test_definition_check_uses_the_shipped_definition_by_default():
    result = CliRunner().invoke(app, ["definition", "check"])
    assert result.exit_code == 0, result.output
    assert "is geldig" in result.stdout
