"""Typed models of the Monitor's definition: structure, questionnaires, frame, indicators,
publications. They hold data only; cross-file checks live in `checks.py`."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from miv.definition.expression import Expression, parse

Code = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- structure: layers, groups and the classifications used for strata ---------------


class Role(str, Enum):
    BESTUURDER = "bestuurder"
    VOLKSVERTEGENWOORDIGER = "volksvertegenwoordiger"
    MEDEWERKER = "medewerker"


class Category(_Model):
    code: Slug
    label: str


class Layer(_Model):
    code: Slug
    label: str
    organisations: int = Field(gt=0)
    organisations_approx: bool = False


class Group(_Model):
    """A target group (doelgroep): one office or staff within one layer."""

    code: Slug
    label: str
    plural: str
    layer: Slug
    role: Role
    chair: bool = False
    strata: list[str] = Field(description="frame columns that stratify this group, besides gender")


class Structure(_Model):
    layers: list[Layer]
    groups: list[Group]
    genders: list[Category]
    provinces: list[Category]
    size_classes: list[Category]


# --- questionnaires ------------------------------------------------------------------


class Unit(str, Enum):
    """Who answers one questionnaire: a person, or an organisation (its secretary or griffier)."""

    RESPONDENT = "respondent"
    ORGANISATION = "organisation"


class ItemType(str, Enum):
    SINGLE = "single"
    MULTI = "multi"
    NUMBER = "number"
    TEXT = "text"


class Option(_Model):
    code: int
    label: str


class MissingCode(_Model):
    code: int
    label: str


class Item(_Model):
    code: Code
    text: str
    type: ItemType = ItemType.SINGLE
    scale: Code | None = None
    options: list[Option] | None = None
    missing: list[int] = Field(default_factory=list, description="missing codes offered")
    route: str | None = None
    groups: list[Slug] | None = None
    required: bool = True
    minimum: float | None = None
    maximum: float | None = None
    help: str | None = None

    @field_validator("route")
    @classmethod
    def _route_parses(cls, value: str | None) -> str | None:
        if value is not None:
            parse(value)
        return value

    @property
    def rule(self) -> Expression | None:
        return parse(self.route) if self.route else None


class Page(_Model):
    code: Code
    title: str
    intro: str | None = None
    items: list[Item]


class Questionnaire(_Model):
    code: Slug
    title: str
    unit: Unit
    groups: list[Slug]
    intro: str
    missing: list[MissingCode]
    not_applicable: int = Field(description="file code for 'not asked because of routing'")
    scales: dict[Code, list[Option]] = Field(default_factory=dict)
    pages: list[Page]

    @property
    def items(self) -> list[Item]:
        return [item for page in self.pages for item in page.items]

    def options(self, item: Item) -> list[Option]:
        """The substantive answer categories of an item (inline or from its scale)."""
        if item.options is not None:
            return item.options
        return self.scales.get(item.scale, []) if item.scale else []


# --- frame ---------------------------------------------------------------------------


class Stratum(_Model):
    """One cell of the population frame with its size."""

    group: Slug
    gender: Slug
    province: Slug | None = None
    size_class: Slug | None = None
    population: int = Field(ge=0)


class Frame(_Model):
    strata: list[Stratum]
    sources: dict[Slug, str] = Field(description="per group: where its count comes from")
    approximate: list[Slug] = Field(default_factory=list, description="groups whose count is approximate")


# --- edition ---------------------------------------------------------------------------


class Fieldwork(_Model):
    start: dt.date
    end: dt.date


class Edition(_Model):
    year: int
    title: str
    previous: int | None = None
    fieldwork: Fieldwork
    reference_period: str
    questionnaires: dict[Slug, Questionnaire]
    frame: Frame


# --- indicators ----------------------------------------------------------------------


class Denominator(str, Enum):
    RESPONDENTS = "respondents"
    VICTIMS = "victims"
    INCIDENTS = "incidents"
    ORGANISATIONS = "organisations"


class Part(str, Enum):
    VEILIGHEID = "veiligheid"
    INTEGRITEIT = "integriteit"


class EditionRule(_Model):
    """How an indicator is computed in one edition when the questionnaire differs."""

    rule: str | None = None
    universe: str | None = None
    trend_break: str | None = Field(default=None, description="why this edition breaks the trend")

    @field_validator("rule", "universe")
    @classmethod
    def _parses(cls, value: str | None) -> str | None:
        if value is not None:
            parse(value)
        return value


class Indicator(_Model):
    code: Code
    label: str  # table rows and headings
    short: str | None = Field(default=None, description="noun phrase for running text, lower case")
    statement: str | None = Field(default=None, description="predicate after the denominator, with {aandeel}")
    part: Part
    questionnaire: Slug
    rule: str
    universe: str | None = None
    denominator: Denominator
    denominator_label: str
    editions: dict[int, EditionRule] = Field(default_factory=dict)

    @field_validator("rule", "universe")
    @classmethod
    def _parses(cls, value: str | None) -> str | None:
        if value is not None:
            parse(value)
        return value

    @field_validator("statement")
    @classmethod
    def _one_share(cls, value: str | None) -> str | None:
        if value is not None and value.count("{aandeel}") != 1:
            raise ValueError("statement moet precies één keer {aandeel} bevatten, de plek van het percentage")
        return value

    def for_edition(self, year: int) -> tuple[Expression, Expression | None]:
        """The rule and universe that hold in `year`."""
        override = self.editions.get(year)
        rule = override.rule if override and override.rule else self.rule
        universe = override.universe if override and override.universe else self.universe
        return parse(rule), parse(universe) if universe else None

    def trend_break(self, year: int) -> str | None:
        override = self.editions.get(year)
        return override.trend_break if override else None


# --- publications --------------------------------------------------------------------


class Comparison(str, Enum):
    PREVIOUS_EDITION = "previous_edition"
    GENDER = "gender"
    GROUP_VS_ALL = "group_vs_all"
    PROVINCE_VS_NATIONAL = "province_vs_national"


class Chart(str, Enum):
    BARS = "bars"
    TREND = "trend"
    GROUPS = "groups"


class Section(_Model):
    title: str
    intro: str | None = None
    indicators: list[Code]
    breakdowns: list[str] = Field(default_factory=list)
    comparisons: list[Comparison] = Field(default_factory=list)
    chart: Chart | None = None


class PublicationKind(str, Enum):
    REPORT = "report"
    FACTSHEET = "factsheet"
    KEY_FIGURES = "key_figures"
    SUMMARY = "summary"  # "De monitor in 5 minuten": the key figures and main changes in a few pages


class Publication(_Model):
    slug: Slug
    kind: PublicationKind
    title: str
    population: str | None = Field(default=None, description="rule selecting the respondents")
    per: str | None = Field(default=None, description="one publication per value of this variable")
    sections: list[Section]

    @field_validator("population")
    @classmethod
    def _parses(cls, value: str | None) -> str | None:
        if value is not None:
            parse(value)
        return value


class Monitor(_Model):
    """The whole definition: what `load` returns."""

    name: str
    version: str
    structure: Structure
    editions: dict[int, Edition]
    indicators: list[Indicator]
    publications: list[Publication]
    min_respondents: int = Field(default=10, ge=1)
