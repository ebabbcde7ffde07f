"""A case's metadata and history: what the database may hold in the clear.

Everything a person wrote (the report, names, reasons, terms of reference) is content and
lives sealed beside the case (see `casekey`); a `Case` holds only codes, ids and times.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from miv.cases.protocol import Action, Stage
from miv.cases.reporter import Channel
from miv.cases.roles import Role
from miv.cases.violations import Outcome, ViolationForm


@dataclass(frozen=True)
class Step:
    """One recorded step: who (person and role), what, when, from where to where, and the
    codes it recorded (`details`, e.g. how the accused was notified; never content)."""

    action: Action
    actor: str
    role: Role
    at: datetime
    source: Stage | None
    target: Stage
    investigator: str | None = None
    outcome: Outcome | None = None
    forms: frozenset[ViolationForm] = frozenset()
    details: tuple[tuple[str, str], ...] = ()

    @property
    def info(self) -> dict[str, str]:
        return dict(self.details)

    @property
    def moves(self) -> bool:
        """Whether this step moved the case to another stage (or opened it)."""
        return self.source is not self.target

    def as_row(self) -> dict[str, str | None]:
        """Plain columns for a `case_steps` table; `forms` as a sorted comma-separated list,
        `details` as canonical JSON (empty for a step that records none)."""
        return {
            "action": self.action.value,
            "actor": self.actor,
            "role": self.role.value,
            "at": self.at.isoformat(),
            "source": self.source.value if self.source else None,
            "target": self.target.value,
            "investigator": self.investigator,
            "outcome": self.outcome.value if self.outcome else None,
            "forms": ",".join(sorted(f.value for f in self.forms)),
            "details": json.dumps(self.info, sort_keys=True, ensure_ascii=False) if self.details else "",
        }

    @classmethod
    def from_row(cls, row: Mapping[str, str | None]) -> Step:
        forms = row["forms"] or ""
        return cls(
            Action(row["action"]),
            str(row["actor"]),
            Role(row["role"]),
            datetime.fromisoformat(str(row["at"])),
            Stage(row["source"]) if row["source"] else None,
            Stage(row["target"]),
            row["investigator"],
            Outcome(row["outcome"]) if row["outcome"] else None,
            frozenset(ViolationForm(f) for f in forms.split(",") if f),
            tuple(sorted(json.loads(row["details"]).items())) if row.get("details") else (),
        )


@dataclass(frozen=True)
class Case:
    """The state of one case; changed only through `miv.cases.workflow`, which returns a new one."""

    id: str
    organisation: str
    history: tuple[Step, ...]
    forms: frozenset[ViolationForm] = frozenset()
    investigator: str | None = None
    recused: frozenset[str] = frozenset()
    outcome: Outcome | None = None
    channel: Channel = Channel.OTHER
    feedback: tuple[datetime, ...] = ()  # when a handler sent the reporter a message marked as terugkoppeling

    @property
    def stage(self) -> Stage:
        return self.history[-1].target

    @property
    def received_at(self) -> datetime:
        return self.history[0].at

    @property
    def stage_since(self) -> datetime:
        """When the case entered its stage; steps that record without moving do not count."""
        return next(s.at for s in reversed(self.history) if s.moves)

    @property
    def last_at(self) -> datetime:
        return self.history[-1].at

    @property
    def closed_at(self) -> datetime | None:
        return self.stage_since if self.stage is Stage.AFGESLOTEN else None

    @property
    def investigated(self) -> bool:
        return any(step.target is Stage.ONDERZOEK for step in self.history)

    @classmethod
    def replay(cls, case_id: str, organisation: str, steps: Iterable[Step], recused: Iterable[str] = ()) -> Case:
        """Rebuild a case from its stored steps: the steps are the record, the rest follows from them."""
        history = tuple(steps)
        forms = next((s.forms for s in reversed(history) if s.forms), frozenset())
        investigator = next((s.investigator for s in reversed(history) if s.investigator), None)
        outcome = next((s.outcome for s in reversed(history) if s.outcome), None)
        return cls(case_id, organisation, history, forms, investigator, frozenset(recused), outcome)
