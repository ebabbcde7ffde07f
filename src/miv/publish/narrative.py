"""Dutch sentences from estimates and tests.

The wording follows the test, never the size of the difference: "steeg" or "daalde" only
when the two-sided p-value is below `ALPHA`; otherwise "bleef vrijwel gelijk" with both
figures. When a significant change rounds to the same whole percentage, one decimal is shown
so the sentence never reads "daalde van 45% naar 45%".

A sentence is a tuple of text and `Figure`s, so the same sentence renders as plain text
(kerncijfers.md) and as HTML where every figure is a `<data>` element carrying its exact
value and the key of the cell it came from (so tests and readers can trace it)."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from miv.publish.number import percent, points

ALPHA = 0.05


@dataclass(frozen=True)
class Figure:
    """A proportion as shown in a sentence, with the key of its cell (see document.cell_key)."""

    value: float
    key: str
    decimals: int = 0

    def text(self) -> str:
        return percent(self.value, self.decimals)

    def html(self) -> Markup:
        return Markup(f'<data class="miv-cijfer" value="{escape(repr(self.value))}" data-cell="{escape(self.key)}">{escape(self.text())}</data>')


Sentence = tuple[str | Figure, ...]


def text(sentence: Sentence) -> str:
    return "".join(part.text() if isinstance(part, Figure) else part for part in sentence)


def html(sentence: Sentence) -> Markup:
    return Markup("").join(part.html() if isinstance(part, Figure) else escape(part) for part in sentence)


def significant(p_value: float | None) -> bool:
    return p_value is not None and p_value < ALPHA


def pair(first: Figure, second: Figure) -> tuple[Figure, Figure]:
    """Both with one decimal when they would round to the same whole percentage."""
    decimals = 1 if points(first.value) == points(second.value) else 0
    return Figure(first.value, first.key, decimals), Figure(second.value, second.key, decimals)


def change(subject: str, before: Figure, after: Figure, p_value: float | None, years: tuple[int, int]) -> Sentence:
    """'<subject> daalde van 49% in 2022 naar 45% in 2024.' or 'bleef vrijwel gelijk (...)'."""
    old, new = years
    if significant(p_value) and after.value != before.value:
        verb = "steeg" if after.value > before.value else "daalde"
        a, b = pair(before, after)
        return (f"{subject} {verb} van ", a, f" in {old} naar ", b, f" in {new}.")
    return (f"{subject} bleef vrijwel gelijk (", before, f" in {old}, ", after, f" in {new}).")


def contrast(first: str, value: Figure, second: str, reference: Figure, p_value: float | None) -> Sentence:
    """'Het aandeel bij vrouwen (55%) is significant hoger dan bij mannen (37%).'

    `first` and `second` carry their preposition: "bij vrouwen", "in Groningen"."""
    if significant(p_value) and value.value != reference.value:
        more = "hoger" if value.value > reference.value else "lager"
        a, b = pair(value, reference)
        return (f"Het aandeel {first} (", a, f") is significant {more} dan {second} (", b, ").")
    return (f"Het aandeel {first} (", value, f") verschilt niet significant van dat {second} (", reference, ").")


def level(statement: str | None, label: str, value: Figure, denominator: str) -> Sentence:
    """'Van alle politieke ambtsdragers kreeg 45% te maken met agressie of intimidatie.'

    The denominator leads, so the sentence does not open with a digit; `statement` is the
    indicator's predicate with `{aandeel}` for the figure (monitor/indicators.yaml). An
    indicator without one gets the plain form '<label>: 45% <denominator>.'"""
    if statement is None:
        return (f"{label}: ", value, f" {denominator}.")
    head, tail = statement.split("{aandeel}")
    lead = f"{denominator[:1].upper()}{denominator[1:]}{',' if ' die ' in denominator else ''}"  # comma after a relative clause
    return (f"{lead} {head.strip()} ", value, f" {tail.strip()}." if tail.strip() else ".")
