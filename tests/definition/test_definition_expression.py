"""The rule language: Kleene three-valued logic, located parse errors, and nothing beyond
names, constants, comparisons and and/or/not."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from miv.definition import ExpressionError, parse

T, F, U = True, False, None
ANSWER = {T: 1, F: 2, U: None}  # A == 1 is true, false or unknown


def kleene_and(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def kleene_or(a: bool | None, b: bool | None) -> bool | None:
    if a is True or b is True:
        return True
    return None if a is None or b is None else False


TABLE = [(a, b) for a in (T, F, U) for b in (T, F, U)]


@pytest.mark.parametrize(("a", "b"), TABLE)
def test_and_or_follow_kleene(a: bool | None, b: bool | None) -> None:
    row = {"A": ANSWER[a], "B": ANSWER[b]}
    assert parse("A == 1 and B == 1").evaluate(row) is kleene_and(a, b)
    assert parse("A == 1 or B == 1").evaluate(row) is kleene_or(a, b)


@pytest.mark.parametrize(("a", "expected"), [(T, F), (F, T), (U, U)])
def test_not_keeps_unknown_unknown(a: bool | None, expected: bool | None) -> None:
    assert parse("not A == 1").evaluate({"A": ANSWER[a]}) is expected


@pytest.mark.parametrize(
    ("rule", "row", "expected"),
    [
        ("A == 1", {}, None),  # a name not in the row is missing
        ("A != 1", {"A": None}, None),
        ("A in (4, 5)", {"A": 5}, True),
        ("A in (4, 5)", {"A": 3}, False),
        ("A in [4, 5]", {"A": None}, None),
        ("A not in (4, 5)", {"A": 3}, True),
        ("A not in (4, 5)", {"A": None}, None),
        ("A > 0", {"A": 2.5}, True),
        ("A >= 3", {"A": 2}, False),
        ("A < B", {"A": 1, "B": None}, None),
        ("A <= B", {"A": 1, "B": 1}, True),
        ("group == 'burgemeester'", {"group": "burgemeester"}, True),
        ("group not in ('burgemeester', 'cdk')", {"group": "wethouder"}, True),
        ("(A == 1 or B == 1) and not C == 1", {"A": 2, "B": 1, "C": 2}, True),
    ],
)
def test_comparisons(rule: str, row: dict[str, Any], expected: bool | None) -> None:
    assert parse(rule).evaluate(row) is expected


def test_any_of_the_forms() -> None:
    """A victim is a victim even if other answers are missing; nobody is only known to be
    no victim when every form was answered."""
    rule = parse("A == 1 or B == 1 or C == 1")
    assert rule.evaluate({"A": None, "B": 1, "C": None}) is True
    assert rule.evaluate({"A": 2, "B": None, "C": 2}) is None
    assert rule.evaluate({"A": 2, "B": 2, "C": 2}) is False


def test_names_and_literals() -> None:
    rule = parse("AG_ERNST in (4, 5) and layer == 'gemeente' or X > Y")
    assert rule.names == {"AG_ERNST", "layer", "X", "Y"}
    assert rule.literals == (("AG_ERNST", 4), ("AG_ERNST", 5), ("layer", "gemeente"))
    assert rule.source == "AG_ERNST in (4, 5) and layer == 'gemeente' or X > Y"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("A = 1", "regel 'A = 1' is niet te lezen bij teken 3; controleer haakjes en aanhalingstekens, en vergelijk met == (niet =)"),
        ("(A == 1", "regel '(A == 1' is niet te lezen bij teken 1; controleer haakjes en aanhalingstekens, en vergelijk met == (niet =)"),
        ("A == 1 en B == 1", "regel 'A == 1 en B == 1' is niet te lezen bij teken 8; controleer haakjes en aanhalingstekens, en vergelijk met == (niet =)"),
        ("len(A) == 1", "regel 'len(A) == 1': 'len(A)' is niet toegestaan in een regel"),
        ("A.real == 1", "regel 'A.real == 1': 'A.real' is niet toegestaan in een regel"),
        ("A + 1 == 2", "regel 'A + 1 == 2': 'A + 1' is niet toegestaan in een regel"),
        ("A[0] == 1", "regel 'A[0] == 1': 'A[0]' is niet toegestaan in een regel"),
        ("1 < A < 3", "regel '1 < A < 3': schrijf een reeks vergelijkingen met 'and'"),
        ("A is None", "regel 'A is None': operator in 'A is None' is niet toegestaan"),
        ("A == True", "regel 'A == True': constante True is geen getal of tekst"),
        ("A in (B, 1)", "regel 'A in (B, 1)': een lijst mag alleen getallen of teksten bevatten"),
        ("A if B else C", "regel 'A if B else C': 'A if B else C' is niet toegestaan in een regel"),
        ("lambda: 1", "regel 'lambda: 1': 'lambda: 1' is niet toegestaan in een regel"),
        ("__import__('os').system('ls')", "regel \"__import__('os').system('ls')\": \"__import__('os').system('ls')\" is niet toegestaan in een regel"),
        ("[x for x in A]", "regel '[x for x in A]': '[x for x in A]' is niet toegestaan in een regel"),
    ],
)
def test_rules_outside_the_language_are_refused(rule: str, message: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(rule)
    assert str(caught.value) == message


VALUES = st.sampled_from([1, 2, None])


@given(a=VALUES, b=VALUES, c=VALUES)
def test_de_morgan_and_distribution_hold_in_three_valued_logic(a: int | None, b: int | None, c: int | None) -> None:
    row = {"A": a, "B": b, "C": c}
    assert parse("not (A == 1 and B == 1)").evaluate(row) is parse("not A == 1 or not B == 1").evaluate(row)
    assert parse("A == 1 and (B == 1 or C == 1)").evaluate(row) is parse("(A == 1 and B == 1) or (A == 1 and C == 1)").evaluate(row)
    yes = {name: None if value is None else value == 1 for name, value in row.items()}
    assert parse("A == 1 or B == 1 or C == 1").evaluate(row) is kleene_or(kleene_or(yes["A"], yes["B"]), yes["C"])
    assert parse("A == 1 and B == 1 and C == 1").evaluate(row) is kleene_and(kleene_and(yes["A"], yes["B"]), yes["C"])
