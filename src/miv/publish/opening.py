"""The two or three sentences a section opens with: what matters, written from the estimates.

Why: a policy reader reads the first lines of a section and perhaps nothing else. They say
the headline figure and whether it changed, then the one thing the section's tests show most
clearly: a significant difference between women and men, the indicators that changed since
the previous edition, or where the figure is highest. Every claim follows the section's own
tests (p < ALPHA, miv.publish.narrative); a figure withheld by statistical disclosure control
has no Figure (document._Cells.figure) and is never quoted; a change is only mentioned
where the cell's verdict is a tested one.
"""

from __future__ import annotations

from dataclasses import dataclass

from miv.publish.narrative import Figure, Sentence, pair, significant
from miv.publish.verdict import Verdict

NUMBERS = ("nul", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf", "twaalf")
LISTED = 2  # at most this many indicators named per direction of change; the rest are counted


@dataclass(frozen=True)
class Change:
    """One indicator's total in both editions with the cell's verdict (miv.publish.verdict)."""

    short: str
    before: Figure
    after: Figure
    verdict: Verdict

    @property
    def moved(self) -> bool:
        return self.verdict.code in ("gestegen", "gedaald")

    @property
    def rising(self) -> bool:
        return self.verdict.code == "gestegen"


@dataclass(frozen=True)
class Contrast:
    """Women against men on one indicator, with the test's p-value (None: not tested)."""

    short: str
    women: Figure
    men: Figure
    p_value: float | None


@dataclass(frozen=True)
class Facts:
    """What a section's opening may say; the document builder fills it from the published cells."""

    headline: Sentence | None  # the first indicator's level sentence (narrative.level)
    change: Change | None  # the headline's change, when its verdict is a tested one
    broken: bool  # the headline has a trend break in this edition
    others: list[Change]  # the other indicators' tested changes
    gender: list[Contrast]  # tested gender differences of the section's indicators
    ranking: list[tuple[str, Figure]]  # the headline's domains (phrase, figure), highest first
    forms: list[tuple[str, Figure]]  # other indicators with the headline's denominator (short, figure)
    previous: int | None


def count(n: int) -> str:
    """Numbers up to twelve in words, as Dutch style prefers in running text."""
    return NUMBERS[n] if n < len(NUMBERS) else str(n)


def opening(facts: Facts) -> list[Sentence]:
    """At most three sentences: the headline with its change, then by priority a gender
    difference, the other changes, the ranking of groups or of forms."""
    if facts.headline is None:
        return []
    first = facts.headline
    if facts.change is not None and facts.previous is not None:
        after, _ = pair(facts.change.after, facts.change.before)
        first = tuple(after if isinstance(part, Figure) and part.key == after.key else part for part in first)
        first = first[:-1] + (str(first[-1]).removesuffix("."),) + _versus(facts.change, facts.previous) + (".",)
    elif facts.broken and facts.previous is not None:
        first = first + (f" Door een trendbreuk is dit cijfer niet te vergelijken met {facts.previous}.",)
    out = [first]
    for candidate in (_gender(facts.gender), _others(facts.others, facts.previous), _ranking(facts.ranking), _forms(facts.forms)):
        if candidate and len(out) < 3:
            out.append(candidate)
    return out


def _versus(change: Change, year: int) -> Sentence:
    if change.moved:
        more = "meer" if change.rising else "minder"
        _, before = pair(change.after, change.before)
        return (f", significant {more} dan in {year} (", before, ")")
    return (f"; in {year} was dat ", change.before, ", geen significant verschil")


def _gender(contrasts: list[Contrast]) -> Sentence | None:
    tested = [c for c in contrasts if c.p_value is not None]
    shown = [c for c in tested if significant(c.p_value) and c.women.value != c.men.value]  # as narrative.contrast
    if not shown:
        return ("Tussen vrouwen en mannen is er geen significant verschil.",) if tested else None
    best = max(shown, key=lambda c: abs(c.women.value - c.men.value))
    women, men = pair(best.women, best.men)
    more = "hoger" if best.women.value > best.men.value else "lager"
    return (f"Bij vrouwen is het cijfer voor {best.short} significant {more} dan bij mannen (", women, " tegenover ", men, ").")


def _others(changes: list[Change], year: int | None) -> Sentence | None:
    if not changes or year is None:
        return None
    moved = [c for c in changes if c.moved]
    rest = len(changes) - len(moved)
    if not moved:
        if len(changes) == 1:
            return (f"Het andere cijfer in dit hoofdstuk verschilt niet significant van {year}.",)
        return (f"De andere {count(len(changes))} cijfers in dit hoofdstuk verschillen niet significant van {year}.",)
    parts: list[Sentence] = []
    for rising in (True, False):
        group = sorted((c for c in moved if c.rising == rising), key=lambda c: -abs(c.after.value - c.before.value))
        if group:
            parts.append(_moved(group, rising))
    sentence: Sentence = (f"Sinds {year} ",) + parts[0] + ((" en ",) + parts[1] if len(parts) > 1 else ())
    if rest:
        tail = "het andere cijfer bleef" if rest == 1 else f"de andere {count(rest)} cijfers bleven"
        sentence += (f"; {tail} vrijwel gelijk",)
    return sentence + (".",)


def _moved(group: list[Change], rising: bool) -> Sentence:
    """'steeg het cijfer voor X (van 2% naar 3%)' or 'daalden de cijfers voor X (…) en Y (…)'."""
    plural = len(group) > 1
    verb = ("stegen" if plural else "steeg") if rising else ("daalden" if plural else "daalde")
    named = group[:LISTED]
    out: Sentence = (f"{verb} {'de cijfers' if plural else 'het cijfer'} voor ",)
    for i, c in enumerate(named):
        before, after = pair(c.before, c.after)
        if i:
            out += (" en " if i == len(named) - 1 and len(group) == len(named) else ", ",)
        out += (f"{c.short} (van ", before, " naar ", after, ")")
    if len(group) > len(named):
        more = len(group) - len(named)
        out += (f" en nog {count(more)} {'ander cijfer' if more == 1 else 'andere'}",)
    return out


def _ranking(ranking: list[tuple[str, Figure]]) -> Sentence | None:
    if len(ranking) < 3:  # with two categories "the highest" would read as a tested difference
        return None
    top = ranking[:2] if len(ranking) >= 4 else ranking[:1]
    out: Sentence = ("Het cijfer is het hoogst ",)
    for i, (phrase, figure) in enumerate(top):
        out += ((" en " if i else ""), f"{phrase} (", figure, ")")
    return out + (".",)


def _forms(forms: list[tuple[str, Figure]]) -> Sentence | None:
    if len(forms) < 2:
        return None
    (a, x), (b, y) = forms[:2]
    return (f"Van de andere cijfers in dit hoofdstuk is dat voor {a} het hoogst (", x, f"), gevolgd door {b} (", y, ").")
