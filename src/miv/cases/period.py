"""A length of time in calendar terms (years, months, days), as protocols and retention rules state it."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Period:
    """'3 months' must end on the same day of a later month, which a timedelta cannot say."""

    years: int = 0
    months: int = 0
    days: int = 0

    def __post_init__(self) -> None:
        if min(self.years, self.months, self.days) < 0 or self.years + self.months + self.days == 0:
            raise ValueError("een termijn is positief: jaren, maanden en dagen niet negatief en niet alle nul")

    def after(self, start: datetime) -> datetime:
        """The moment this period after `start`; 31 January plus one month is 28/29 February."""
        month_index = start.month - 1 + self.months + 12 * self.years
        year, month = start.year + month_index // 12, month_index % 12 + 1
        day = min(start.day, calendar.monthrange(year, month)[1])
        return start.replace(year=year, month=month, day=day) + timedelta(days=self.days)

    def before(self, end: datetime) -> datetime:
        """The start of a window of this length that ends at `end` (for warnings ahead of a date)."""
        month_index = end.month - 1 - self.months - 12 * self.years
        year, month = end.year + month_index // 12, month_index % 12 + 1
        day = min(end.day, calendar.monthrange(year, month)[1])
        return end.replace(year=year, month=month, day=day) - timedelta(days=self.days)

    @property
    def label(self) -> str:
        """Dutch wording, e.g. '3 maanden' or '1 jaar en 2 dagen'."""
        parts = [
            f"{n} {one if n == 1 else many}"
            for n, one, many in ((self.years, "jaar", "jaar"), (self.months, "maand", "maanden"), (self.days, "dag", "dagen"))
            if n
        ]
        return " en ".join(parts)
