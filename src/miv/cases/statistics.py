"""Anonymised counts of cases per organisation and year, for the organisation and the monitor.

Counts survive the cases they came from: when retention purges a case, its contribution
is added to the stored counts first, so figures for past years do not change. A case
counts in the (Dutch) calendar year in which its report was received.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from miv.cases.case import Case
from miv.cases.violations import Outcome, ViolationForm

LOCAL = ZoneInfo("Europe/Amsterdam")

REPORTS = "meldingen"
INVESTIGATIONS = "onderzoeken"
OPEN = "lopend"

MEASURES: dict[str, tuple[str, str]] = {
    REPORTS: ("MELD_AANTAL", "Aantal meldingen van een vermoeden van integriteitsschending"),
    INVESTIGATIONS: ("MELD_ONDERZOEK", "Aantal meldingen waarnaar onderzoek is ingesteld"),
    **{
        f"uitkomst-{o.value}": (f"MELD_{o.name}", f"Aantal meldingen met als besluit: {o.label}")
        for o in Outcome
    },
    OPEN: ("MELD_LOPEND", "Aantal meldingen nog zonder besluit"),
    **{
        f"vorm-{f.value}": (f"MELD_{f.name}", f"Aantal meldingen over {f.label}")
        for f in ViolationForm
    },
}
"""Measure -> (variable code for the organisaties questionnaire, Dutch label). A case may
concern several forms, so the form counts can add up to more than the number of reports."""


@dataclass(frozen=True)
class CaseCounts:
    """Counts keyed by (organisation, year, measure); stored as rows of the same four columns."""

    counts: Counter[tuple[str, int, str]] = field(default_factory=Counter)

    def __add__(self, other: CaseCounts) -> CaseCounts:
        return CaseCounts(self.counts + other.counts)

    def rows(self) -> Iterator[tuple[str, int, str, int]]:
        for (organisation, year, measure), n in sorted(self.counts.items()):
            yield organisation, year, measure, n

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, int, str, int]]) -> CaseCounts:
        counts: Counter[tuple[str, int, str]] = Counter()
        for organisation, year, measure, n in rows:
            counts[(organisation, year, measure)] += n
        return cls(counts)

    def questionnaire_row(self, organisation: str, year: int) -> dict[str, int]:
        """One organisation's answers for the organisaties questionnaire: variable code -> count."""
        return {code: self.counts[(organisation, year, measure)] for measure, (code, _) in MEASURES.items()}

    def questionnaire_rows(self, year: int) -> list[dict[str, str | int]]:
        """Every organisation with cases in `year`, with an 'organisation' column first."""
        organisations = sorted({o for o, y, _ in self.counts if y == year})
        return [{"organisation": o, **self.questionnaire_row(o, year)} for o in organisations]


def count(cases: Iterable[Case]) -> CaseCounts:
    """The anonymised counts of these cases; nothing about a person or a text is kept."""
    counts: Counter[tuple[str, int, str]] = Counter()
    for case in cases:
        key = (case.organisation, case.received_at.astimezone(LOCAL).year)
        counts[(*key, REPORTS)] += 1
        if case.investigated:
            counts[(*key, INVESTIGATIONS)] += 1
        counts[(*key, f"uitkomst-{case.outcome.value}" if case.outcome else OPEN)] += 1
        for form in case.forms:
            counts[(*key, f"vorm-{form.value}")] += 1
    return CaseCounts(counts)
