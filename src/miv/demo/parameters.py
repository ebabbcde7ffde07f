"""The demo generator's parameters: typed, per edition, read from parameters.yaml.

The file keeps every number of the synthetic data in one documented place; this module
only reads it, merges an edition's overrides into the base and checks that every code
it names exists in that edition's definition, so a renamed item fails loudly here
instead of silently falling back to a generic distribution.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from miv.definition import (
    STRATUM_VARIABLES,
    Edition,
    ItemType,
    Questionnaire,
    Structure,
    parse,
    variables,
)
from miv.definition.messages import pydantic_message, yaml_message
from miv.errors import MivError

PARAMETERS = Path(__file__).with_name("parameters.yaml")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DemoError(MivError):
    """The demo parameters do not fit the definition; the message says where."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Nonresponse(_Model):
    skipped: float | None = Field(default=None, ge=0, le=1)
    skipped_optional: float | None = Field(default=None, ge=0, le=1)
    codes: dict[int, float] = Field(default_factory=dict)


class Defaults(_Model):
    nonresponse: Nonresponse
    texts: list[str]


class Response(_Model):
    rate: dict[str, float]
    gender: dict[str, float] = Field(default_factory=dict)
    province: dict[str, float] = Field(default_factory=dict)
    size_class: dict[str, float] = Field(default_factory=dict)


Odds = dict[str, dict[str, float]]
Probability = Annotated[float, Field(gt=0, lt=1)]


class Trait(_Model):
    share: Probability | dict[str, Probability]
    odds: Odds = Field(default_factory=dict)
    forms: dict[str, float] = Field(default_factory=dict)
    nonresponse: Nonresponse | None = None


class Override(_Model):
    """A `when` clause: for respondents where `rule` holds, these values replace the base."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    rule: str = Field(alias="if")
    p: float | None = Field(default=None, ge=0, le=1)
    options: dict[int, float] | None = None
    mean: float | None = Field(default=None, ge=0)

    @field_validator("rule")
    @classmethod
    def _parses(cls, value: str) -> str:
        parse(value)
        return value


class ItemModel(_Model):
    p: float | None = Field(default=None, ge=0, le=1)
    share: Probability | None = None
    odds: Odds = Field(default_factory=dict)
    options: dict[int, float] | None = None
    mean: float | None = Field(default=None, ge=0)
    range: tuple[int, int] | None = None
    at_most: str | None = None
    when: list[Override] = Field(default_factory=list)
    nonresponse: Nonresponse | None = None
    own_stream: bool = False

    @model_validator(mode="after")
    def _one_model(self) -> ItemModel:
        if sum(x is not None for x in (self.p, self.share, self.options)) > 1 or (self.mean is not None and self.range is not None):
            raise ValueError("geef hoogstens een van p, share en options (en niet zowel mean als range)")
        return self


class QuestionnaireParameters(_Model):
    invited: dict[str, int] = Field(default_factory=dict)
    response: Response
    traits: dict[str, Trait] = Field(default_factory=dict)
    items: dict[str, ItemModel] = Field(default_factory=dict)


class Parameters(_Model):
    """The parameters that hold for one edition."""

    defaults: Defaults
    questionnaires: dict[str, QuestionnaireParameters]


def load_parameters(edition: Edition, structure: Structure, path: Path = PARAMETERS) -> Parameters:
    """The parameters of `edition`, checked against its questionnaires and the structure."""
    try:
        with path.open(encoding="utf-8") as handle:
            raw = yaml.load(handle, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"regel {mark.line + 1}, kolom {mark.column + 1}: " if mark else ""
        raise DemoError(f"{path.name}: {where}geen geldige YAML: {yaml_message(getattr(exc, 'problem', None))}") from None
    overrides = raw.get("editions", {}).get(edition.year, {})
    data = _merge({k: v for k, v in raw.items() if k != "editions"}, overrides)
    try:
        parameters = Parameters.model_validate(data)
    except ValidationError as exc:
        problems = [f"{'.'.join(str(part) for part in e['loc'])}: {_message(e)}" for e in exc.errors()]
        raise DemoError(f"{path.name} (editie {edition.year}):\n" + "\n".join(problems)) from None
    problems = _check(parameters, edition, structure)
    if problems:
        raise DemoError(f"{path.name} (editie {edition.year}) past niet bij de definitie:\n" + "\n".join(problems))
    return parameters


def _message(error: ErrorDetails) -> str:
    if error["type"] == "extra_forbidden":
        return "onbekend veld (de uitleg staat bovenaan parameters.yaml)"
    return pydantic_message(error)


def _merge(base: Any, override: Any) -> Any:
    """Override `base` key by key; anything that is not a mapping is replaced whole."""
    if isinstance(base, dict) and isinstance(override, dict):
        return {**base, **{k: _merge(base.get(k), v) for k, v in override.items()}}
    return override


def _check(parameters: Parameters, edition: Edition, structure: Structure) -> list[str]:
    problems = []
    for code in sorted(set(edition.questionnaires) - set(parameters.questionnaires)):
        problems.append(f"questionnaires: vragenlijst {code!r} heeft geen parameters")
    for code, params in parameters.questionnaires.items():
        q = edition.questionnaires.get(code)
        if q is None:
            problems.append(f"questionnaires.{code}: onbekende vragenlijst; verwacht een van {sorted(edition.questionnaires)}")
            continue
        problems += _check_questionnaire(f"questionnaires.{code}", params, q, structure)
    return problems


def _check_questionnaire(where: str, params: QuestionnaireParameters, q: Questionnaire, structure: Structure) -> list[str]:
    problems = []
    values = {
        "group": set(q.groups),
        "gender": {c.code for c in structure.genders},
        "province": {c.code for c in structure.provinces},
        "size_class": {c.code for c in structure.size_classes},
    }
    problems += _unknown(f"{where}.response.rate", params.response.rate, values["group"])
    for group in sorted(values["group"] - set(params.response.rate)):
        problems.append(f"{where}.response.rate: doelgroep {group!r} ontbreekt")
    problems += _unknown(f"{where}.invited", params.invited, values["group"])
    for name in ("gender", "province", "size_class"):
        problems += _unknown(f"{where}.response.{name}", getattr(params.response, name), values[name])
    items = {item.code: item for item in q.items}
    known = set(STRATUM_VARIABLES) | set(params.traits) | set(variables(q))
    for name, trait in params.traits.items():
        if name in items:
            problems.append(f"{where}.traits.{name}: heet net als een vraag van de vragenlijst")
        if isinstance(trait.share, dict):
            problems += _unknown(f"{where}.traits.{name}.share", trait.share, values["group"])
            for group in sorted(values["group"] - set(trait.share)):
                problems.append(f"{where}.traits.{name}.share: doelgroep {group!r} ontbreekt")
        problems += _unknown_odds(f"{where}.traits.{name}.odds", trait.odds, values)
        for form in trait.forms:
            item = items.get(form)
            if item is None or {o.code for o in q.options(item)} != {1, 2}:
                problems.append(f"{where}.traits.{name}.forms.{form}: verwacht een ja/nee-vraag (codes 1 en 2) van de vragenlijst")
    for code, model in params.items.items():
        item = items.get(code)
        if item is None:
            problems.append(f"{where}.items.{code}: onbekende vraag")
            continue
        options = {o.code for o in q.options(item)}
        for n, clause in enumerate(model.when):
            for name in sorted(parse(clause.rule).names - known):
                problems.append(f"{where}.items.{code}.when.{n}.if: {name!r} is geen stratumvariabele, eigenschap (traits) of vraag van de vragenlijst")
        for clause in [model, *model.when]:
            if clause.options is not None:
                problems += _unknown(f"{where}.items.{code}.options", {str(k): v for k, v in clause.options.items()}, {str(o) for o in options})
            if clause.p is not None and 1 not in options:
                problems.append(f"{where}.items.{code}.p: vraag heeft geen antwoordcode 1")
        if model.share is not None and item.type is not ItemType.SINGLE:
            problems.append(f"{where}.items.{code}.share: alleen voor een keuzevraag met één antwoord")
        if (model.mean is not None or model.range is not None) and item.type is not ItemType.NUMBER:
            problems.append(f"{where}.items.{code}: mean en range zijn alleen voor getalvragen")
        if model.at_most is not None and (model.at_most not in items or items[model.at_most].type is not ItemType.NUMBER):
            problems.append(f"{where}.items.{code}.at_most: {model.at_most!r} is geen getalvraag van de vragenlijst")
        problems += _unknown_odds(f"{where}.items.{code}.odds", model.odds, values)
    return problems


def _unknown(where: str, mapping: dict[str, Any], known: set[str]) -> list[str]:
    return [f"{where}: onbekende code {key!r}; verwacht een van {sorted(known)}" for key in mapping if key not in known]


def _unknown_odds(where: str, odds: Odds, values: dict[str, set[str]]) -> list[str]:
    problems = []
    for name, ratios in odds.items():
        if name not in values:
            problems.append(f"{where}.{name}: onbekende stratumvariabele; verwacht een van {sorted(values)}")
        else:
            problems += _unknown(f"{where}.{name}", ratios, values[name])
    return problems
