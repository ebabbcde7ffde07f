"""Hypothesis drives random sequences of steps by random people; the protocol must hold for all.

The expectations here are written from the Handreiking (docs/domain.md), not read from the
rule table: which stage may follow which, which steps are the chair's decisions, which
steps must carry a reason, which stages a closed case must have passed, and the
Handreiking's safeguards: no final report before hoor en wederhoor, no content for an
external investigator before their declaration of independence, no closing an unfounded
case without rehabilitation, a referral to the police that leaves the stage alone.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from miv.cases import (
    RULES,
    Action,
    CaseError,
    Case,
    Member,
    Need,
    Outcome,
    Permission,
    Role,
    Stage,
    ViolationForm,
    allowed_actions,
    apply,
    case_permissions,
    open_case,
)
from miv.cases.access import declared

from .conftest import DECLARATION, ORG, T0, People, notification, report, response

S = Stage
FOLLOWS = {  # a stage may follow itself from the preliminary assessment on: steps that record without moving
    S.MELDING: {S.REGISTRATIE},
    S.REGISTRATIE: {S.VOORONDERZOEK},
    S.VOORONDERZOEK: {S.VOORONDERZOEK, S.BESLUIT},
    S.BESLUIT: {S.BESLUIT, S.ONDERZOEK, S.COMMUNICATIE},
    S.ONDERZOEK: {S.ONDERZOEK, S.HOOR_EN_WEDERHOOR},
    S.HOOR_EN_WEDERHOOR: {S.HOOR_EN_WEDERHOOR, S.ONDERZOEK, S.MAATREGELEN},
    S.MAATREGELEN: {S.MAATREGELEN, S.COMMUNICATIE},
    S.COMMUNICATIE: {S.COMMUNICATIE, S.NAZORG},
    S.NAZORG: {S.NAZORG, S.AFGESLOTEN},
    S.AFGESLOTEN: set(),
}
RECORDS_ONLY = {Action.ONAFHANKELIJKHEID_VERKLAREN, Action.WEDERHOOR_VASTLEGGEN, Action.ORGAAN_INFORMEREN,
                Action.OPENBAARMAKING_VASTLEGGEN, Action.REHABILITATIE_VASTLEGGEN, Action.AANGIFTE_VASTLEGGEN}
CHAIR_DECISIONS = {Action.VOORONDERZOEK_STARTEN, Action.GEEN_ONDERZOEK, Action.ONDERZOEK_INSTELLEN, Action.BESLUITEN, Action.AFSLUITEN}
NEEDS_REASON = {
    Action.VOORONDERZOEK_AFRONDEN,
    Action.GEEN_ONDERZOEK,
    Action.ONDERZOEK_INSTELLEN,
    Action.ONDERZOEKER_WIJZIGEN,
    Action.AANVULLEND_ONDERZOEK,
    Action.RAPPORT_OPLEVEREN,
    Action.BESLUITEN,
    Action.COMMUNICATIE_AFRONDEN,
    Action.AFSLUITEN,
}
RECUSED = Member("p-loco", ORG, Role.CHAIR)
ACTORS = People.all() + [RECUSED]
CANDIDATES = [People.investigator, People.other_investigator, People.adviser]  # usually a fit choice, sometimes anyone
NEVER_ACT = {People.auditor.person, People.outsider.person, RECUSED.person}

inputs = st.fixed_dictionaries(
    {
        "reason": st.sampled_from(["", "  ", "Gemotiveerd besluit."]),
        "terms": st.sampled_from(["", "Schriftelijke opdracht."]),
        "investigator": st.one_of(st.none(), st.sampled_from(ACTORS)),
        "outcome": st.one_of(st.none(), st.sampled_from(list(Outcome))),
        "forms": st.sets(st.sampled_from(list(ViolationForm)), max_size=3),
        "entries": st.sampled_from(["good", "good", "none", "drop-one"]),
        "term": st.sampled_from([0, 2, 30]),
        "public": st.sampled_from(["ja", "nee"]),
        "answer": st.sampled_from(["ontvangen", "geen-reactie"]),
    }
)


def entries_for(action: Action, at: datetime, kw: dict) -> dict:
    """What a careful person fills in for each of the Handreiking's records (from docs/cases.md)."""
    day = f"{at:%Y-%m-%d}"
    if kw["entries"] == "none":
        return {}
    filled: dict = {
        Action.ONDERZOEK_INSTELLEN: {"soort": "extern" if kw.get("investigator") and kw["investigator"].role is Role.INVESTIGATOR else "intern"},
        Action.ONAFHANKELIJKHEID_VERKLAREN: DECLARATION,
        Action.BEVINDINGEN_VOORLEGGEN: notification(at, kw["term"]),
        Action.WEDERHOOR_VASTLEGGEN: response(at) if kw["answer"] == "ontvangen" else {"reactie": "geen-reactie", "bijstand": "geen"},
        Action.GEEN_ONDERZOEK: {"openbaar-vermoeden": kw["public"]},
        Action.ORGAAN_INFORMEREN: {"geinformeerd": day, "vergadering": "besloten"},
        Action.OPENBAARMAKING_VASTLEGGEN: {"gepubliceerd": day, "waar": ["website"], "openbaar-gemaakt": "Het besluit.",
                                           "woo-gronden": ["5.1-2-e"], "woo-afweging": "Naam van de melder weggelaten."},
        Action.REHABILITATIE_VASTLEGGEN: {"uitgevoerd": day, "maatregelen": ["verklaring"], "toelichting": "Verklaring in de raad."},
        Action.AANGIFTE_VASTLEGGEN: {"gemeld": day, "instantie": "openbaar-ministerie", "kenmerk": "OM-123"},
    }.get(action, {})
    filled = dict(filled)
    if action is Action.ONDERZOEKER_WIJZIGEN:
        filled = entries_for(Action.ONDERZOEK_INSTELLEN, at, kw)
    if kw["entries"] == "drop-one" and filled:
        filled.pop(sorted(filled)[0])
    return filled


def declared_since_assignment(case: Case, upto: int) -> bool:
    history = case.history[:upto]
    assigned = max((i for i, s in enumerate(history) if s.investigator), default=None)
    return assigned is not None and any(s.action is Action.ONAFHANKELIJKHEID_VERKLAREN for s in history[assigned + 1 :])


class Protocol(RuleBasedStateMachine):
    @initialize()
    def receive(self) -> None:
        change = open_case("zaak-h", People.support, T0, report(), recused=[RECUSED.person])
        self.case = change.case
        self.texts = [change.texts]
        self.investigator_at = [None]

    def _try(self, action: Action, actor: Member, kw: dict) -> None:
        at = self.case.last_at + timedelta(days=1 + getattr(self, "idle", 0))
        self.idle = 0
        extra = {k: kw[k] for k in ("reason", "terms", "investigator", "outcome", "forms")}
        try:
            change = apply(self.case, action, actor, at, entries=entries_for(action, at, kw), layer="gemeente", **extra)
        except CaseError:
            return
        self.investigator_at.append(self.case.investigator)
        self.case = change.case
        self.texts.append(change.texts)
        event(f"fase bereikt: {self.case.stage.value}")
        event(f"stap: {action.value}")

    @rule(action=st.sampled_from(list(Action)), actor=st.sampled_from(ACTORS), kw=inputs)
    def anyone_tries_anything(self, action: Action, actor: Member, kw: dict) -> None:
        self._try(action, actor, kw)

    @rule(data=st.data(), kw=inputs, omit=st.sampled_from([None, None, None, "reason", "terms", "forms"]), side=st.booleans())
    def someone_takes_an_offered_step(self, data: st.DataObject, kw: dict, omit: str | None, side: bool) -> None:
        """Steer towards progress: a person who is offered a step takes it, usually filled in well;
        the side records (a referral, informing the council) only now and then, so paths get long."""
        optional = {Action.AANGIFTE_VASTLEGGEN, Action.ORGAAN_INFORMEREN, Action.OPENBAARMAKING_VASTLEGGEN}
        offered = [(m, a) for m in ACTORS for a in allowed_actions(m, self.case) if side or a not in optional]
        if not offered:
            return
        actor, action = data.draw(st.sampled_from(offered))
        rule_ = RULES[action]
        filled = kw | {
            "reason": "Gemotiveerd." if Need.REASON in rule_.needs else kw["reason"],
            "terms": "Opdracht." if rule_.accepts(Need.TERMS) else "",
            "investigator": data.draw(st.sampled_from(CANDIDATES) | st.sampled_from(ACTORS)) if rule_.accepts(Need.INVESTIGATOR) else None,
            "outcome": kw["outcome"] if rule_.accepts(Need.OUTCOME) else None,
            "forms": (kw["forms"] or {ViolationForm.GEDRAG}) if rule_.accepts(Need.FORMS) else set(),
        }
        if omit is not None:
            filled[omit] = "" if omit != "forms" else set()
        self._try(action, actor, filled)

    @rule(days=st.sampled_from([1, 3, 31]))
    def time_passes(self, days: int) -> None:
        """Nothing happens for a while (a response term may run out)."""
        self.idle = getattr(self, "idle", 0) + days

    @invariant()
    def no_final_report_before_hearing_both_sides(self) -> None:
        history = self.case.history
        for index, step in enumerate(history):
            if step.action is not Action.RAPPORT_OPLEVEREN:
                continue
            notice = max(i for i in range(index) if history[i].action is Action.BEVINDINGEN_VOORLEGGEN)
            answered = any(s.action is Action.WEDERHOOR_VASTLEGGEN for s in history[notice + 1 : index])
            term = history[notice].info["termijn"]
            assert answered or f"{step.at:%Y-%m-%d}" > term, (index, term)
            assert self.texts[notice].get(f"stap-{notice}-bevindingen")
            assert {"kennisgeving", "wijze", "termijn"} <= set(history[notice].info)
        for index, step in enumerate(history):
            if step.action is Action.WEDERHOOR_VASTLEGGEN and step.info["reactie"] == "ontvangen":
                assert self.texts[index].get(f"stap-{index}-inhoud")
            if step.action is Action.WEDERHOOR_VASTLEGGEN and step.info["bijstand"] != "geen":
                assert self.texts[index].get(f"stap-{index}-adviseur")

    @invariant()
    def an_external_investigator_declares_before_anything_else(self) -> None:
        for index, step in enumerate(self.case.history):
            if step.role is Role.INVESTIGATOR and step.action is not Action.ONAFHANKELIJKHEID_VERKLAREN:
                assert declared_since_assignment(self.case, index), index
            if step.action is Action.ONAFHANKELIJKHEID_VERKLAREN:
                assert step.role is Role.INVESTIGATOR and set(step.info) == set(DECLARATION)
        external = [m for m in ACTORS if m.role is Role.INVESTIGATOR and m.person == self.case.investigator]
        if external and self.case.stage in (S.ONDERZOEK, S.HOOR_EN_WEDERHOOR) and not declared_since_assignment(self.case, len(self.case.history)):
            assert case_permissions(external[0], self.case) == {Permission.LIST}
            assert allowed_actions(external[0], self.case) == [Action.ONAFHANKELIJKHEID_VERKLAREN]

    @invariant()
    def no_closing_an_unfounded_case_without_rehabilitation(self) -> None:
        if self.case.stage is not S.AFGESLOTEN:
            return
        refusal = next((s for s in self.case.history if s.action is Action.GEEN_ONDERZOEK), None)
        if self.case.outcome is Outcome.ONGEGROND or (refusal is not None and refusal.info["openbaar-vermoeden"] == "ja"):
            assert any(s.action is Action.REHABILITATIE_VASTLEGGEN and s.source is S.NAZORG for s in self.case.history)

    @invariant()
    def records_leave_the_stage_alone(self) -> None:
        for index, step in enumerate(self.case.history):
            if step.action in RECORDS_ONLY:
                assert step.source is step.target
            if step.action is Action.AANGIFTE_VASTLEGGEN:
                assert step.source not in (S.MELDING, S.REGISTRATIE, S.AFGESLOTEN)
                assert self.texts[index].get(f"stap-{index}-kenmerk") and step.info["instantie"]
            if step.action is Action.ORGAAN_INFORMEREN:
                assert step.info["orgaan"] == "gemeenteraad"
            if step.action is Action.OPENBAARMAKING_VASTLEGGEN:
                assert step.info["woo-gronden"] and self.texts[index].get(f"stap-{index}-woo-afweging")

    @invariant()
    def stages_follow_the_protocol(self) -> None:
        history = self.case.history
        assert history[0].action is Action.MELDEN and history[0].target is S.MELDING
        for before, after in zip(history, history[1:]):
            assert after.source is before.target
            assert after.target in FOLLOWS[before.target], (before.target, after.target)

    @invariant()
    def only_the_right_people_acted(self) -> None:
        for index, step in enumerate(self.case.history[1:], start=1):
            assert step.actor not in NEVER_ACT
            if step.action in CHAIR_DECISIONS:
                assert step.role is Role.CHAIR
            if step.role is Role.INVESTIGATOR:
                assert step.actor == self.investigator_at[index]

    @invariant()
    def reasons_are_on_record(self) -> None:
        for index, step in enumerate(self.case.history):
            if step.action in NEEDS_REASON:
                assert self.texts[index].get(f"stap-{index}-reden", "").strip()
            if step.action is Action.ONDERZOEK_INSTELLEN:
                assert self.texts[index].get(f"stap-{index}-onderzoeksopdracht", "").strip()
                assert step.investigator is not None

    @invariant()
    def outcome_only_after_a_decision(self) -> None:
        decided = any(s.action in (Action.GEEN_ONDERZOEK, Action.BESLUITEN) for s in self.case.history)
        assert (self.case.outcome is not None) == decided
        if self.case.stage is not S.MELDING:
            assert self.case.forms

    @invariant()
    def a_closed_case_passed_every_mandatory_stage(self) -> None:
        if self.case.stage is not S.AFGESLOTEN:
            return
        stages = [s.target for s in self.case.history]
        mandatory = [S.MELDING, S.REGISTRATIE, S.VOORONDERZOEK, S.BESLUIT, S.COMMUNICATIE, S.NAZORG, S.AFGESLOTEN]
        positions = [stages.index(s) for s in mandatory]
        assert positions == sorted(positions)
        if S.ONDERZOEK in stages:
            last_investigation = len(stages) - 1 - stages[::-1].index(S.ONDERZOEK)
            rest = stages[last_investigation:]
            assert rest.index(S.HOOR_EN_WEDERHOOR) < rest.index(S.MAATREGELEN) < rest.index(S.COMMUNICATIE)

    @invariant()
    def the_chair_can_always_bring_the_case_to_a_close(self) -> None:
        case = self.case
        good = {"entries": "good", "term": 0, "public": "ja", "answer": "ontvangen"}
        for _ in range(16):
            if case.stage is S.AFGESLOTEN:
                return
            investigator = next((m for m in ACTORS if m.person == case.investigator), None)
            actor = investigator if case.stage in (S.ONDERZOEK, S.HOOR_EN_WEDERHOOR) and investigator and allowed_actions(investigator, case) else People.chair
            offered = allowed_actions(actor, case)
            moving = [a for a in offered if a not in RECORDS_ONLY | {Action.AANVULLEND_ONDERZOEK, Action.ONDERZOEKER_WIJZIGEN}]
            due = [a for a in (Action.ONAFHANKELIJKHEID_VERKLAREN, Action.WEDERHOOR_VASTLEGGEN, Action.REHABILITATIE_VASTLEGGEN)
                   if a in offered and (not declared(case) if a is Action.ONAFHANKELIJKHEID_VERKLAREN  # each newly assigned investigator
                                        else not any(s.action is a and s.at > case.stage_since for s in case.history))]
            action = (due or moving)[0]
            at = case.last_at + timedelta(days=1)
            kw: dict = {"reason": "R"} if action in NEEDS_REASON else {}
            if action is Action.REGISTREREN:
                kw["forms"] = [ViolationForm.GEDRAG]
            if action is Action.ONDERZOEK_INSTELLEN:
                kw.update(terms="T", investigator=People.investigator)
            if action is Action.BESLUITEN:
                kw["outcome"] = Outcome.ONGEGROND
            entries = entries_for(action, at, good | kw)
            case = apply(case, action, actor, at, entries=entries, layer="gemeente", **kw).case
        raise AssertionError(f"stuck in {case.stage}")


Protocol.TestCase.settings = settings(
    max_examples=150, stateful_step_count=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestProtocol = Protocol.TestCase


def test_the_machine_reaches_closure_on_both_paths() -> None:
    """Guard against a vacuous machine: both endings must be reachable by the offered steps."""
    endings = set()
    for seed in range(40):
        rng = random.Random(seed)
        case = open_case("zaak-r", People.support, T0, report()).case
        for _ in range(60):
            options = [(m, a) for m in People.all() for a in allowed_actions(m, case)]
            if not options:
                break
            member, action = rng.choice(options)
            kw: dict = {
                "reason": "R" if RULES[action].accepts(Need.REASON) else "",
                "forms": [ViolationForm.FRAUDE] if action in (Action.REGISTREREN,) else [],
                "terms": "T" if action is Action.ONDERZOEK_INSTELLEN else "",
                "investigator": rng.choice([People.investigator, People.other_investigator]) if action in (Action.ONDERZOEK_INSTELLEN, Action.ONDERZOEKER_WIJZIGEN) else None,
                "outcome": Outcome.GEGROND if action is Action.BESLUITEN else None,
            }
            if kw["investigator"] is not None and kw["investigator"].person == case.investigator:
                continue
            at = case.last_at + timedelta(days=rng.choice([1, 20]))
            entries = entries_for(action, at, kw | {"entries": "good", "term": 7, "public": "nee", "answer": rng.choice(["ontvangen", "geen-reactie"])})
            try:
                case = apply(case, action, member, at, entries=entries, layer="gemeente", **kw).case
            except CaseError:
                continue  # e.g. 'geen reactie' before the term ran out: another step next time
        if case.stage is S.AFGESLOTEN:
            endings.add(case.investigated)
    assert endings == {True, False}
