"""Deadlines per stage of the protocol, configurable, with signals for what is (nearly) overdue.

A deadline's clock starts when the case (last) entered its start stage and stops when the
case reaches its end stage or any later one, so a loop back to 'onderzoek' restarts it; a
step that records without moving (a referral, the accused's response) leaves it alone.
The statutory deadlines of the Wet bescherming klokkenluiders apply besides the policy's
own to reports through the staff reporting channel, and no configuration changes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum

from miv.cases.case import Case
from miv.cases.errors import CaseError
from miv.cases.period import Period
from miv.cases.protocol import Stage
from miv.cases.reporter import Channel

_ORDER = list(Stage)


@dataclass(frozen=True)
class Deadline:
    code: str
    label: str
    start: Stage
    end: Stage
    period: Period
    channel: Channel | None = None  # None: every case; otherwise only cases that came through this channel
    feedback: bool = False  # met by a handler's message marked as terugkoppeling (`Case.feedback`), not by a stage


class Status(str, Enum):
    ON_TIME = "op-tijd"
    DUE_SOON = "verloopt-binnenkort"
    OVERDUE = "verlopen"
    MET = "gehaald"
    MET_LATE = "te-laat-gehaald"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    Status.ON_TIME: "op tijd",
    Status.DUE_SOON: "verloopt binnenkort",
    Status.OVERDUE: "termijn verlopen",
    Status.MET: "op tijd afgerond",
    Status.MET_LATE: "te laat afgerond",
}


@dataclass(frozen=True)
class Signal:
    """One deadline of one case, as a page or a reminder shows it."""

    deadline: Deadline
    due: datetime
    status: Status
    met_at: datetime | None

    @property
    def message(self) -> str:
        """A Dutch line without case content, fit for a notification."""
        return f"{self.deadline.label}: {self.status.label} (uiterlijk {self.due:%d-%m-%Y})"


DEFAULT_DEADLINES = (
    Deadline("ontvangstbevestiging", "Ontvangst bevestigen aan de melder", Stage.MELDING, Stage.REGISTRATIE, Period(days=7)),
    Deadline("vooronderzoek", "Vooronderzoek afronden", Stage.VOORONDERZOEK, Stage.BESLUIT, Period(days=28)),
    Deadline("terugkoppeling", "Terugkoppeling aan de melder over het besluit", Stage.MELDING, Stage.ONDERZOEK, Period(months=3)),
    Deadline("onderzoek", "Onderzoek afronden tot conceptbevindingen", Stage.ONDERZOEK, Stage.HOOR_EN_WEDERHOOR, Period(months=3)),
    Deadline("wederhoor", "Hoor en wederhoor afronden", Stage.HOOR_EN_WEDERHOOR, Stage.MAATREGELEN, Period(days=14)),
    Deadline("besluit", "Besluit en maatregelen vastleggen", Stage.MAATREGELEN, Stage.COMMUNICATIE, Period(days=28)),
    Deadline("communicatie", "Communicatie afronden", Stage.COMMUNICATIE, Stage.NAZORG, Period(days=14)),
    Deadline("nazorg", "Nazorg afronden en zaak sluiten", Stage.NAZORG, Stage.AFGESLOTEN, Period(months=3)),
)


STATUTORY_DEADLINES = (
    Deadline("wbk-ontvangstbevestiging", "Ontvangstbevestiging aan de melder (Wet bescherming klokkenluiders)",
             Stage.MELDING, Stage.REGISTRATIE, Period(days=7), Channel.STAFF),
    Deadline("wbk-terugkoppeling", "Terugkoppeling aan de melder over de opvolging (Wet bescherming klokkenluiders)",
             Stage.MELDING, Stage.ONDERZOEK, Period(months=3), Channel.STAFF, feedback=True),
)
"""Wbk art. 2 lid 1: acknowledgement within 7 days, feedback within 3 months; counted from
receipt (the stricter reading). The acknowledgement is met by registration; the feedback only
by a message to the reporter marked as terugkoppeling, since reaching a stage informs nobody."""


@dataclass(frozen=True)
class DeadlinePolicy:
    deadlines: tuple[Deadline, ...] = DEFAULT_DEADLINES
    warn: Period = Period(days=3)

    def configured(self, periods: Mapping[str, Period]) -> DeadlinePolicy:
        """A copy with some periods changed, e.g. {'ontvangstbevestiging': Period(days=5)}."""
        known = {d.code for d in self.deadlines}
        fixed = sorted(set(periods) & {d.code for d in STATUTORY_DEADLINES})
        if fixed:
            raise CaseError(f"De termijn '{fixed[0]}' staat in de Wet bescherming klokkenluiders en is niet aan te passen.")
        unknown = sorted(set(periods) - known)
        if unknown:
            raise CaseError(f"Onbekende termijn '{unknown[0]}'; bekend zijn: {', '.join(sorted(known))}.")
        return replace(self, deadlines=tuple(replace(d, period=periods.get(d.code, d.period)) for d in self.deadlines))

    def signals(self, case: Case, now: datetime) -> list[Signal]:
        """Every deadline that has started for `case`, met or not."""
        return [signal for d in self.deadlines + STATUTORY_DEADLINES if (signal := self._signal(d, case, now)) is not None]

    def alerts(self, cases: Iterable[Case], now: datetime) -> list[tuple[Case, Signal]]:
        """Open deadlines that are overdue or due soon, most urgent first."""
        found = [
            (case, s) for case in cases for s in self.signals(case, now) if s.status in (Status.OVERDUE, Status.DUE_SOON)
        ]
        return sorted(found, key=lambda pair: pair[1].due)

    def _signal(self, deadline: Deadline, case: Case, now: datetime) -> Signal | None:
        if deadline.channel is not None and deadline.channel is not case.channel:
            return None
        starts = [i for i, step in enumerate(case.history) if step.target is deadline.start and step.moves]
        if not starts:
            return None
        first = starts[-1]
        start = case.history[first].at
        due = deadline.period.after(start)
        if deadline.feedback:
            met_at = min((t for t in case.feedback if t >= start), default=None)
        else:
            met_at = next(
                (s.at for s in case.history[first + 1 :] if _ORDER.index(s.target) >= _ORDER.index(deadline.end)), None
            )
        if met_at is not None:
            return Signal(deadline, due, Status.MET if met_at <= due else Status.MET_LATE, met_at)
        if now > due:
            return Signal(deadline, due, Status.OVERDUE, None)
        if now >= self.warn.before(due):
            return Signal(deadline, due, Status.DUE_SOON, None)
        return Signal(deadline, due, Status.ON_TIME, None)
