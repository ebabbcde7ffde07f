"""Indicator columns from the definition's rules, as polars expressions.

A rule's syntax tree (miv.definition.expression) is translated node by node into a polars
expression. polars' boolean operators follow Kleene's three-valued logic, as the rule
language does, so a column evaluates exactly like `Expression.evaluate` on each row. Rules
see missing codes ("weet niet", "wil ik niet zeggen") and "not applicable" (-1) as None.
"""

from __future__ import annotations

import ast

import polars as pl

from miv.definition import Expression, Monitor, Questionnaire
from miv.definition.checks import rule_missing
from miv.definition.expression import COMPARISONS
from miv.intake.errors import IntakeError



def to_polars(rule: Expression) -> pl.Expr:
    """The rule as a Boolean polars expression (null = unknown)."""
    return _truth(rule.tree)


def answers(table: pl.DataFrame, q: Questionnaire) -> pl.DataFrame:
    """The table as rules see it: missing codes and 'not applicable' of coded and number items are null."""
    return blank_missing(table, rule_missing(q))


def blank_missing(table: pl.DataFrame, codes: dict[str, list[int | float]]) -> pl.DataFrame:
    return table.with_columns(pl.when(pl.col(name).is_in(values)).then(None).otherwise(pl.col(name)).alias(name) for name, values in codes.items())


def add_indicators(table: pl.DataFrame, monitor: Monitor, year: int, questionnaire: str) -> pl.DataFrame:
    """Append one Int32 column per indicator of this questionnaire: 1 (yes), 0 (no), null
    (unknown, or outside the indicator's universe), with the rule that holds in `year`."""
    edition = monitor.editions.get(year)
    if edition is None or questionnaire not in edition.questionnaires:
        raise IntakeError(f"editie {year} heeft geen vragenlijst {questionnaire!r} in de definitie")
    view = answers(table, edition.questionnaires[questionnaire])
    codes = []
    for indicator in monitor.indicators:
        if indicator.questionnaire != questionnaire:
            continue
        rule, universe = indicator.for_edition(year)
        value = to_polars(rule)
        if universe is not None:
            value = pl.when(to_polars(universe)).then(value)
        view = view.with_columns(value.cast(pl.Int32).alias(indicator.code))
        codes.append(indicator.code)
    return table.hstack(view.select(codes))


def _truth(node: ast.expr) -> pl.Expr:
    """A node in a place where a truth value is needed: a bare name or constant counts as its truthiness."""
    if isinstance(node, (ast.Name, ast.Constant)):
        value = _value(node)
        return value.cast(pl.Boolean) if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) else value.str.len_chars() > 0
    if isinstance(node, ast.UnaryOp):
        return ~_truth(node.operand)
    if isinstance(node, ast.BoolOp):
        parts = [_truth(v) for v in node.values]
        combined = parts[0]
        for part in parts[1:]:
            combined = combined | part if isinstance(node.op, ast.Or) else combined & part
        return combined
    if isinstance(node, ast.Compare):
        left, right, op = node.left, node.comparators[0], type(node.ops[0])
        if op in (ast.In, ast.NotIn):
            options = [e.value for e in right.elts] if isinstance(right, (ast.Tuple, ast.List)) else [right.value]
            value = _value(left)
            member = pl.when(value.is_null()).then(None).otherwise(value.is_in(options))
            return member if op is ast.In else ~member
        return COMPARISONS[op](_value(left), _value(right))
    raise IntakeError(f"regel {ast.unparse(node)!r} kan niet worden berekend")


def _value(node: ast.expr) -> pl.Expr:
    if isinstance(node, ast.Name):
        return pl.col(node.id)
    if isinstance(node, ast.Constant):
        return pl.lit(node.value)
    return _truth(node)
