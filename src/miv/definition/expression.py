"""Routing and indicator rules: a small, safe expression language over answers.

Rules are written like Python (`AG_VERBAAL == 1 or AG_INTIM in (1, 2)`), parsed with
`ast` and never evaluated with `eval`. Missing answers are `None` and follow Kleene's
three-valued logic, as SQL and polars do: `None == 1` is unknown, `True or None` is true,
`False or None` is unknown. That makes "any of these forms" come out right without
special cases: a respondent who said yes once is a victim even if other answers are missing.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from miv.errors import MivError

Value = int | float | str | None

# The comparison operators of the language; also used to translate rules to other engines.
COMPARISONS: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
}


class ExpressionError(MivError, ValueError):
    """A rule that does not parse or uses a construct outside the language."""


@dataclass(frozen=True)
class Expression:
    """A parsed rule; `names` are the item or variable codes it reads."""

    source: str
    tree: ast.expr
    names: frozenset[str]
    literals: tuple[tuple[str, Value], ...]

    def evaluate(self, row: Mapping[str, Any]) -> bool | None:
        """Truth of the rule for one respondent; None when unknown (missing answers)."""
        return _truth(_eval(self.tree, row))


def parse(source: str) -> Expression:
    """Parse a rule; raise ExpressionError naming the offending part."""
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError as exc:
        where = f" bij teken {exc.offset}" if exc.offset else ""
        raise ExpressionError(
            f"regel {source!r} is niet te lezen{where}; controleer haakjes en aanhalingstekens, en vergelijk met == (niet =)"
        ) from None
    names: set[str] = set()
    literals: list[tuple[str, Value]] = []
    _check(tree, source, names, literals)
    return Expression(source, tree, frozenset(names), tuple(literals))


def _check(node: ast.AST, source: str, names: set[str], literals: list[tuple[str, Value]]) -> None:
    """Allow only names, constants, tuples/lists of constants, comparisons and and/or/not."""
    if isinstance(node, ast.Name):
        names.add(node.id)
    elif isinstance(node, ast.Constant):
        if not isinstance(node.value, (int, float, str)) or isinstance(node.value, bool):
            raise ExpressionError(f"regel {source!r}: constante {node.value!r} is geen getal of tekst")
    elif isinstance(node, (ast.Tuple, ast.List)):
        for elt in node.elts:
            if not isinstance(elt, ast.Constant):
                raise ExpressionError(f"regel {source!r}: een lijst mag alleen getallen of teksten bevatten")
            _check(elt, source, names, literals)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            _check(value, source, names, literals)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        _check(node.operand, source, names, literals)
    elif isinstance(node, ast.Compare):
        if len(node.ops) != 1:
            raise ExpressionError(f"regel {source!r}: schrijf een reeks vergelijkingen met 'and'")
        op = type(node.ops[0])
        if op not in COMPARISONS and op not in (ast.In, ast.NotIn):
            raise ExpressionError(f"regel {source!r}: operator in {ast.unparse(node)!r} is niet toegestaan")
        _check(node.left, source, names, literals)
        _check(node.comparators[0], source, names, literals)
        if isinstance(node.left, ast.Name):
            right = node.comparators[0]
            consts = right.elts if isinstance(right, (ast.Tuple, ast.List)) else [right]
            literals.extend((node.left.id, cast(Value, c.value)) for c in consts if isinstance(c, ast.Constant))
    else:
        raise ExpressionError(f"regel {source!r}: {ast.unparse(node)!r} is niet toegestaan in een regel")


def _truth(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _eval(node: ast.expr, row: Mapping[str, Any]) -> Any:
    if isinstance(node, ast.Name):
        return row.get(node.id)
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.Tuple, ast.List)):
        return tuple(_eval(e, row) for e in node.elts)
    if isinstance(node, ast.UnaryOp):
        inner = _truth(_eval(node.operand, row))
        return None if inner is None else not inner
    if isinstance(node, ast.BoolOp):
        values = [_truth(_eval(v, row)) for v in node.values]
        decisive = isinstance(node.op, ast.Or)  # True decides 'or', False decides 'and'
        if decisive in values:
            return decisive
        return None if None in values else not decisive
    assert isinstance(node, ast.Compare)  # guaranteed by _check
    left, right = _eval(node.left, row), _eval(node.comparators[0], row)
    op = type(node.ops[0])
    if left is None:
        return None
    if op is ast.In:
        return left in right
    if op is ast.NotIn:
        return left not in right
    if right is None:
        return None
    return COMPARISONS[op](left, right)
