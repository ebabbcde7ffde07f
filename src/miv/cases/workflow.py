"""Opening a case and taking protocol steps: the only way a `Case` changes.

Each call checks the actor's right (again: the web layer checks too, this is the second
lock), the stage, and what the step must record, and returns a `Change`: the new case,
the recorded step, and the texts to seal with the case key before anything is stored.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from miv.cases.access import case_permissions, may_act
from miv.cases.case import Case, Step
from miv.cases.errors import AccessDenied, TransitionError
from miv.cases.fields import Kind, read, representative_body
from miv.cases.protocol import RULES, Action, Need, Stage
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
    step = Step(Action.MELDEN, actor.person, actor.role, at, None, Stage.MELDING)
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
    entries: Mapping[str, str | Iterable[str]] | None = None,
    layer: str | None = None,
) -> Change:
    """Take one protocol step; raise TransitionError or AccessDenied with a Dutch message otherwise.

    `entries` are the step's own fields (`miv.cases.fields`, by name); `layer` is the
    organisation's government layer, which names the body a step informs."""
    _aware(at)
    rule, chosen = RULES[action], frozenset(forms)
    if not case_permissions(actor, case):
        raise AccessDenied()
    if action is Action.MELDEN or not rule.starts_in(case.stage):
        raise TransitionError(f"'{rule.label}' kan niet in de fase '{case.stage.label}'.")
    if not may_act(actor, action, case):
        raise AccessDenied(f"U mag '{rule.label}' niet uitvoeren in deze zaak.")
    if at < case.last_at:
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
    given = dict(entries or {})
    if any(f.name == "orgaan" for f in rule.fields):
        given = _body(given, layer)
    codes, sealed = read(rule.fields, given, rule.label)
    _check_fields(case, action, at, codes, investigator)
    new_outcome = Outcome.GEEN_ONDERZOEK if action is Action.GEEN_ONDERZOEK else outcome
    step = Step(
        action,
        actor.person,
        actor.role,
        at,
        case.stage,
        rule.leads_to(case.stage),
        investigator.person if investigator else None,
        new_outcome,
        chosen,
        tuple(sorted(codes.items())),
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
    texts |= {f"stap-{index}-{name}": text for name, text in sealed.items()}
    return Change(updated, step, {name: text for name, text in texts.items() if text})


LOCAL = ZoneInfo("Europe/Amsterdam")


def hearing(case: Case) -> Step | None:
    """The latest notification of the accused (draft findings put to them), if any."""
    return next((s for s in reversed(case.history) if s.action is Action.BEVINDINGEN_VOORLEGGEN), None)


def hearing_closed(case: Case, at: datetime) -> bool:
    """Hoor en wederhoor is done: the accused was notified of the latest draft findings and
    either responded (or their not responding was recorded) or the term has passed."""
    notice = hearing(case)
    if notice is None:
        return False
    after = case.history[case.history.index(notice) + 1 :]
    return any(s.action is Action.WEDERHOOR_VASTLEGGEN and s.info.get("reactie") for s in after) or _term_passed(notice, at)


def rehabilitation_due(case: Case) -> bool:
    """An unfounded suspicion, or a public one not investigated, needs the person's name restored."""
    if case.outcome is Outcome.ONGEGROND:
        return True
    refusal = next((s for s in case.history if s.action is Action.GEEN_ONDERZOEK), None)
    return refusal is not None and refusal.info.get("openbaar-vermoeden") == "ja"


def _term_passed(notice: Step, at: datetime) -> bool:
    return at.astimezone(LOCAL).date() > date.fromisoformat(notice.info["termijn"]) if "termijn" in notice.info else False


def _body(given: dict[str, str | Iterable[str]], layer: str | None) -> dict[str, str | Iterable[str]]:
    if layer is None:
        return given
    body = representative_body(layer)
    if given.get("orgaan", body) != body:
        raise TransitionError(f"Een {layer} informeert zijn eigen vertegenwoordigend orgaan ({body}), geen ander.", field="orgaan")
    return given | {"orgaan": body}


def _check_fields(case: Case, action: Action, at: datetime, codes: dict[str, str], investigator: Member | None) -> None:
    """What the Handreiking asks across fields and steps, beyond each field on its own."""
    rule, today = RULES[action], at.astimezone(LOCAL).date()
    for f in rule.fields:
        if f.kind is Kind.DATE and f.name in codes and f.name != "termijn" and date.fromisoformat(codes[f.name]) > today:
            raise TransitionError(f"'{f.label}' ligt in de toekomst ({_dutch(codes[f.name])}); vul de dag in waarop het gebeurde.", field=f.name)
    if action is Action.BEVINDINGEN_VOORLEGGEN and codes["termijn"] < codes["kennisgeving"]:
        raise TransitionError("De reactietermijn eindigt vóór de dag waarop de betrokkene de bevindingen kreeg.", field="termijn")
    if action is Action.WEDERHOOR_VASTLEGGEN:
        notice = hearing(case)
        assert notice is not None  # the stage is hoor en wederhoor, which only the notification reaches
        if codes["reactie"] == "geen-reactie" and not _term_passed(notice, at):
            raise TransitionError(
                f"'Geen reactie' kan pas na afloop van de reactietermijn (tot en met {_dutch(notice.info['termijn'])}).", field="reactie"
            )
        if codes.get("ontvangen", notice.info["kennisgeving"]) < notice.info["kennisgeving"]:
            raise TransitionError("De reactie is van vóór de dag waarop de betrokkene de bevindingen kreeg.", field="ontvangen")
    if action is Action.RAPPORT_OPLEVEREN and not hearing_closed(case, at):
        notice = hearing(case)
        term = f" (tot en met {_dutch(notice.info['termijn'])})" if notice is not None and "termijn" in notice.info else ""
        raise TransitionError(
            "Het eindrapport kan pas worden opgeleverd als de betrokkene de conceptbevindingen heeft gekregen en daarop "
            f"heeft gereageerd, of als de reactietermijn{term} voorbij is. Leg eerst de reactie van de betrokkene vast.",
        )
    if action in (Action.ONDERZOEK_INSTELLEN, Action.ONDERZOEKER_WIJZIGEN) and investigator is not None:
        wanted = Role.INVESTIGATOR if codes["soort"] == "extern" else Role.ADVISER
        if investigator.role is not wanted:
            raise TransitionError(
                "Een extern onderzoek doet een externe onderzoeker, een intern onderzoek de integriteitsadviseur; "
                "kies de soort onderzoek die bij de onderzoeker past.",
                field="soort",
            )
    if action is Action.AFSLUITEN and rehabilitation_due(case) and not any(s.action is Action.REHABILITATIE_VASTLEGGEN for s in case.history):
        why = "het vermoeden ongegrond is verklaard" if case.outcome is Outcome.ONGEGROND else "het vermoeden publiek bekend werd en niet is onderzocht"
        raise TransitionError(
            f"De zaak kan nog niet worden afgesloten: omdat {why}, legt u eerst de rehabilitatie van de betrokkene vast "
            "(wat is gedaan om de naam te herstellen, zoals een openbare verklaring of het informeren van wie ervan wist).",
        )


def _dutch(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d-%m-%Y")


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
