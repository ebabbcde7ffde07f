"""Opening a case and taking protocol steps: the only way a `Case` changes.

Each call checks the actor's right (again: the web layer checks too, this is the second
lock), the stage, and what the step must record, and returns a `Change`: the new case,
the recorded step, and the texts to seal with the case key before anything is stored.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from miv.cases.access import case_permissions, may_act
from miv.cases.case import Case, Step
from miv.cases.errors import AccessDenied, TransitionError
from miv.cases.protocol import RULES, Action, Need
from miv.cases.reporter import Channel
from miv.cases.roles import Member, Role
from miv.cases.violations import Outcome, ViolationForm


@dataclass(frozen=True)
class Report:
    """The written report (melding) as received: content, so it is sealed, never stored in the clear."""

    description: str
    concerned: str
    reporter: str = ""
    channel: Channel = Channel.OTHER

    def texts(self) -> dict[str, str]:
        return {"omschrijving": self.description.strip(), "betrokkene": self.concerned.strip(), "melder": self.reporter.strip()}


@dataclass(frozen=True)
class Change:
    """The result of one step. `texts` maps content field names to plaintext to seal."""

    case: Case
    step: Step
    texts: dict[str, str] = field(default_factory=dict)


CASE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def new_case_id() -> str:
    """A random, meaningless id: it appears in URLs, file paths, logs and notices."""
    return f"zaak-{secrets.token_hex(6)}"


def open_case(
    case_id: str,
    actor: Member,
    at: datetime,
    report: Report,
    recused: Iterable[str] = (),
) -> Change:
    """Record a received report as a new case in stage 'melding'.

    `recused` names people who must never see this case, such as the person concerned when
    they hold a case role; the protocol then runs with the others (e.g. a deputy chair).
    """
    _aware(at)
    if not CASE_ID.fullmatch(case_id):
        raise ValueError(f"case ids are letters, digits, '-' and '_' (use new_case_id()), not {case_id!r}")
    if actor.role not in RULES[Action.MELDEN].roles:
        raise AccessDenied("U mag geen melding vastleggen.")
    if not report.description.strip():
        raise TransitionError("Vul de omschrijving van de melding in.", field="omschrijving")
    if not report.concerned.strip():
        raise TransitionError("Vul in over wie de melding gaat (de betrokkene).", field="betrokkene")
    step = Step(Action.MELDEN, actor.person, actor.role, at, None, RULES[Action.MELDEN].target)
    case = Case(id=case_id, organisation=actor.organisation, history=(step,), recused=frozenset(recused), channel=report.channel)
    return Change(case, step, {name: text for name, text in report.texts().items() if text})


def apply(
    case: Case,
    action: Action,
    actor: Member,
    at: datetime,
    *,
    reason: str = "",
    terms: str = "",
    investigator: Member | None = None,
    outcome: Outcome | None = None,
    forms: Iterable[ViolationForm] = (),
) -> Change:
    """Take one protocol step; raise TransitionError or AccessDenied with a Dutch message otherwise."""
    _aware(at)
    rule, chosen = RULES[action], frozenset(forms)
    if not case_permissions(actor, case):
        raise AccessDenied()
    if action is Action.MELDEN or rule.source is not case.stage:
        raise TransitionError(f"'{rule.label}' kan niet in de fase '{case.stage.label}'.")
    if not may_act(actor, action, case):
        raise AccessDenied(f"U mag '{rule.label}' niet uitvoeren in deze zaak.")
    if at < case.stage_since:
        raise TransitionError("Het tijdstip van deze stap ligt vóór de vorige stap; dat kan niet.", field="tijdstip")
    given = {
        Need.REASON: bool(reason.strip()),
        Need.TERMS: bool(terms.strip()),
        Need.INVESTIGATOR: investigator is not None,
        Need.OUTCOME: outcome is not None,
        Need.FORMS: bool(chosen),
    }
    for need, present in given.items():
        if need in rule.needs and not present:
            raise TransitionError(f"Vul {need.label} in: '{rule.label}' vraagt daarom.", field=need.value)
        if present and not rule.accepts(need):
            raise TransitionError(f"'{rule.label}' legt geen {need.label} vast.", field=need.value)
    if outcome is Outcome.GEEN_ONDERZOEK:
        raise TransitionError("Na een onderzoek is de uitkomst gegrond, deels gegrond of ongegrond.", field="uitkomst")
    if investigator is not None:
        _check_investigator(case, actor, investigator)
    new_outcome = Outcome.GEEN_ONDERZOEK if action is Action.GEEN_ONDERZOEK else outcome
    step = Step(
        action,
        actor.person,
        actor.role,
        at,
        case.stage,
        rule.target,
        investigator.person if investigator else None,
        new_outcome,
        chosen,
    )
    updated = replace(
        case,
        history=case.history + (step,),
        forms=chosen or case.forms,
        investigator=investigator.person if investigator else case.investigator,
        outcome=new_outcome or case.outcome,
    )
    index = len(case.history)
    texts = {f"stap-{index}-{Need.REASON.value}": reason.strip(), f"stap-{index}-{Need.TERMS.value}": terms.strip()}
    return Change(updated, step, {name: text for name, text in texts.items() if text})


def _check_investigator(case: Case, actor: Member, investigator: Member) -> None:
    if investigator.organisation != case.organisation or investigator.role not in (Role.INVESTIGATOR, Role.ADVISER):
        raise TransitionError(
            "De onderzoeker moet een externe onderzoeker of integriteitsadviseur van deze organisatie zijn.",
            field="onderzoeker",
        )
    if investigator.person == case.investigator:
        raise TransitionError("Deze persoon is al de onderzoeker van deze zaak.", field="onderzoeker")
    if investigator.person in case.recused or investigator.person == actor.person:
        raise TransitionError("Deze persoon kan niet onafhankelijk onderzoek doen in deze zaak.", field="onderzoeker")


def _aware(at: datetime) -> None:
    if at.tzinfo is None:
        raise ValueError("times in the case workflow must carry a time zone (use UTC)")
