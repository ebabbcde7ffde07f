"""docs/definition.md stays honest: it documents every field of the definition's models,
every allowed value, and exactly the indicators and publications that exist."""

from __future__ import annotations

import re
from enum import Enum

import pytest
import yaml
from pydantic import BaseModel

from miv.definition import DEFAULT_ROOT, Monitor, load
from miv.definition import models

DOC = DEFAULT_ROOT.parent / "docs" / "definition.md"


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def catalogue(doc: str, heading: str) -> set[str]:
    """The codes in the first column of the table under a '### heading'."""
    section = doc.split(f"### {heading}\n", 1)[1].split("\n#", 1)[0]
    return set(re.findall(r"^\| `([^`]+)` \|", section, flags=re.MULTILINE))


def test_catalogue_names_exactly_the_indicators_and_publications(doc: str) -> None:
    monitor: Monitor = load()
    assert catalogue(doc, "Indicators") == {i.code for i in monitor.indicators}
    assert catalogue(doc, "Publications") == {p.slug for p in monitor.publications}


MODELS = [m for m in vars(models).values() if isinstance(m, type) and issubclass(m, BaseModel) and m.__module__ == models.__name__ and not m.__name__.startswith("_")]
ENUMS = [e for e in vars(models).values() if isinstance(e, type) and issubclass(e, Enum) and e.__module__ == models.__name__]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_is_documented(doc: str, model: type[BaseModel]) -> None:
    missing = [name for name in model.model_fields if f"`{name}`" not in doc]
    assert not missing, f"{model.__name__}: fields not in docs/definition.md: {missing}"


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_allowed_value_is_documented(doc: str, enum: type[Enum]) -> None:
    missing = [member.value for member in enum if f"`{member.value}`" not in doc]
    assert not missing, f"{enum.__name__}: values not in docs/definition.md: {missing}"


def test_the_check_command_is_documented(doc: str) -> None:
    assert "miv definition check" in doc and "--definition" in doc


def test_yaml_examples_are_valid(doc: str) -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", doc, flags=re.DOTALL)
    assert len(blocks) == 2
    checked = 0
    for block in blocks:
        for entry in yaml.safe_load(block):
            model = models.Indicator if "denominator" in entry else models.Item
            model.model_validate(entry)
            checked += 1
    assert checked == 4
