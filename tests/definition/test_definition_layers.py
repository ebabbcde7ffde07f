"""The definition layer, the bottom of miv, imports only the standard library, pydantic, PyYAML and miv.errors:
checked in a fresh interpreter, so other tests' imports cannot hide a violation."""

from __future__ import annotations

import json
import subprocess
import sys

import miv.definition


def test_definition_imports_nothing_of_the_other_layers() -> None:
    code = "import json, sys, miv.definition; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(result.stdout))
    ours = {m for m in loaded if m == "miv" or m.startswith("miv.")}
    assert ours <= {"miv", "miv.errors"} | {f"miv.definition.{m}" for m in ("checks", "errors", "expression", "loader", "messages", "models")} | {"miv.definition"}
    assert not loaded & {"polars", "numpy", "scipy", "sqlalchemy", "starlette", "typer", "rich"}


def test_public_names() -> None:
    assert sorted(miv.definition.__all__) == sorted(
        name for name in vars(miv.definition) if not name.startswith("_") and name not in {"checks", "errors", "expression", "loader", "messages", "models", "series"}
    )
