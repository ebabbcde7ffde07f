"""The demo's documentation stays honest: every parameter field is explained in the
header of parameters.yaml, and docs/demo.md names the command and its options."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from miv import demo
from miv.definition import DEFAULT_ROOT
from miv.demo import parameters

DOC = DEFAULT_ROOT.parent / "docs" / "demo.md"
MODELS = [m for m in vars(parameters).values() if isinstance(m, type) and issubclass(m, BaseModel) and m.__module__ == parameters.__name__ and not m.__name__.startswith("_")]


def header() -> str:
    lines = demo.PARAMETERS.read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines[: next(i for i, line in enumerate(lines) if not line.startswith("#"))])


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_parameter_field_is_explained_in_the_file(model: type[BaseModel]) -> None:
    text = header()
    missing = [name for name, field in model.model_fields.items() if (field.alias or name) not in text]
    assert not missing, f"{model.__name__}: not explained at the top of parameters.yaml: {missing}"


def test_the_command_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert "miv demo [--out DIR] [--seed N]" in text
    assert "parameters.yaml" in text and "scripts/make_frames.py" in text
