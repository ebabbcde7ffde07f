"""The Monitor's definition as typed data: load it, check it, ask it questions."""

from miv.definition.checks import STRATUM_VARIABLES, variables
from miv.definition.errors import DefinitionError, Problem
from miv.definition.expression import Expression, ExpressionError, parse
from miv.definition.loader import DEFAULT_ROOT, load
from miv.definition.models import (
    Comparison,
    Edition,
    Frame,
    Group,
    Indicator,
    Item,
    ItemType,
    Monitor,
    Publication,
    PublicationKind,
    Questionnaire,
    Stratum,
    Structure,
    Unit,
)

__all__ = [
    "DEFAULT_ROOT",
    "STRATUM_VARIABLES",
    "Comparison",
    "DefinitionError",
    "Edition",
    "Expression",
    "ExpressionError",
    "Frame",
    "Group",
    "Indicator",
    "Item",
    "ItemType",
    "Monitor",
    "Problem",
    "Publication",
    "PublicationKind",
    "Questionnaire",
    "Stratum",
    "Structure",
    "Unit",
    "load",
    "parse",
    "variables",
]
