"""How long a closed case is kept, the warning before it goes, and what remains after.

A closed case is purged a configurable period after closure; during the warning window
before that its chair is told (without content). Purging leaves only anonymised counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from miv.cases.case import Case
from miv.cases.errors import CaseError
from miv.cases.period import Period
from miv.cases.statistics import CaseCounts, count


class Retention(str, Enum):
    OPEN = "lopend"
    KEEP = "bewaren"
    WARN = "vernietiging-aangekondigd"
    PURGE = "vernietigen"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Retention.OPEN: "lopende zaak, geen bewaartermijn",
    Retention.KEEP: "gesloten, wordt bewaard",
    Retention.WARN: "gesloten, wordt binnenkort vernietigd",
    Retention.PURGE: "bewaartermijn verstreken, wordt vernietigd",
}


@dataclass(frozen=True)
class RetentionPolicy:
    keep: Period = Period(years=5)
    warn: Period = Period(months=1)

    @classmethod
    def of(cls, keep_years: int, warn_months: int) -> RetentionPolicy:
        """The policy `miv cases purge` asks for; a term of zero or less is refused, since it
        would destroy every closed case at once."""
        if keep_years < 1:
            raise CaseError(f"--keep-years {keep_years}: de bewaartermijn is ten minste 1 jaar; 0 zou elke gesloten zaak meteen vernietigen.")
        if warn_months < 1:
            raise CaseError(f"--warn-months {warn_months}: kondig ten minste 1 maand vooraf aan.")
        return cls(Period(years=keep_years), Period(months=warn_months))

    def purge_on(self, case: Case) -> datetime | None:
        closed = case.closed_at
        return None if closed is None else self.keep.after(closed)

    def status(self, case: Case, now: datetime) -> Retention:
        purge_on = self.purge_on(case)
        if purge_on is None:
            return Retention.OPEN
        if now >= purge_on:
            return Retention.PURGE
        return Retention.WARN if now >= self.warn.before(purge_on) else Retention.KEEP

    def to_warn(self, cases: Iterable[Case], now: datetime) -> list[Case]:
        return [case for case in cases if self.status(case, now) is Retention.WARN]

    def to_purge(self, cases: Iterable[Case], now: datetime) -> list[Case]:
        return [case for case in cases if self.status(case, now) is Retention.PURGE]

    def residue(self, case: Case, now: datetime) -> CaseCounts:
        """What may stay of a case once it is purged; refuses a case that is not yet due."""
        if self.status(case, now) is not Retention.PURGE:
            raise CaseError(f"Zaak {case.id} mag nog niet worden vernietigd.")
        return count([case])

    def notice(self, case: Case) -> str:
        """A content-free Dutch warning text for the chair."""
        return f"Zaak {case.id} wordt op {self.purge_on(case):%d-%m-%Y} vernietigd; daarna blijven alleen geanonimiseerde aantallen over."
