"""Hypothesis drives random sequences of steps by random people; the protocol must hold for all.

The expectations here are written from the Handreiking (docs/domain.md), not read from the
rule table: which stage may follow which, which steps are the chair's decisions, which
steps must carry a reason, and which stages a closed case must have passed.
"""

from __future__ import annotations

import random
from datetime import timedelta

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from miv.cases import (
    RULES,
    Action,
    CaseError,
    Member,
    Need,
    Outcome,
    Role,
    Stage,
    ViolationForm,
    allowed_actions,
    apply,
    open_case,
)

from .conftest import ORG, T0, People, report

S = Stage
FOLLOWS = {
    S.MELDING: {S.REGISTRATIE},
    S.REGISTRATIE: {S.VOORONDERZOEK},
    S.VOORONDERZOEK: {S.BESLUIT},
    S.BESLUIT: {S.ONDERZOEK, S.COMMUNICATIE},
    S.ONDERZOEK: {S.ONDERZOEK, S.HOOR_EN_WEDERHOOR},
    S.HOOR_EN_WEDERHOOR: {S.ONDERZOEK, S.MAATREGELEN},
    S.MAATREGELEN: {S.COMMUNICATIE},
    S.COMMUNICATIE: {S.NAZORG},
    S.NAZORG: {S.AFGESLOTEN},
    S.AFGESLOTEN: set(),
}
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
NEVER_ACT = {People.auditor.person, People.outsider.person, RECUSED.person}

inputs = st.fixed_dictionaries(
    {
        "reason": st.sampled_from(["", "  ", "Gemotiveerd besluit."]),
        "terms": st.sampled_from(["", "Schriftelijke opdracht."]),
        "investigator": st.one_of(st.none(), st.sampled_from(ACTORS)),
        "outcome": st.one_of(st.none(), st.sampled_from(list(Outcome))),
        "forms": st.sets(st.sampled_from(list(ViolationForm)), max_size=3),
    }
)


class Protocol(RuleBasedStateMachine):
    @initialize()
    def receive(self) -> None:
        change = open_case("zaak-h", People.support, T0, report(), recused=[RECUSED.person])
        self.case = change.case
        self.texts = [change.texts]
        self.investigator_at = [None]

    def _try(self, action: Action, actor: Member, kw: dict) -> None:
        at = self.case.stage_since + timedelta(days=1)
        try:
            change = apply(self.case, action, actor, at, **kw)
        except CaseError:
            return
        self.investigator_at.append(self.case.investigator)
        self.case = change.case
        self.texts.append(change.texts)
        event(f"fase bereikt: {self.case.stage.value}")

    @rule(action=st.sampled_from(list(Action)), actor=st.sampled_from(ACTORS), kw=inputs)
    def anyone_tries_anything(self, action: Action, actor: Member, kw: dict) -> None:
        self._try(action, actor, kw)

    @rule(data=st.data(), kw=inputs, omit=st.sampled_from([None, None, None, "reason", "terms", "forms"]))
    def someone_takes_an_offered_step(self, data: st.DataObject, kw: dict, omit: str | None) -> None:
        """Steer towards progress: a person who is offered a step takes it, usually filled in well."""
        offered = [(m, a) for m in ACTORS for a in allowed_actions(m, self.case)]
        if not offered:
            return
        actor, action = data.draw(st.sampled_from(offered))
        rule_ = RULES[action]
        filled = {
            "reason": "Gemotiveerd." if Need.REASON in rule_.needs else kw["reason"],
            "terms": "Opdracht." if rule_.accepts(Need.TERMS) else "",
            "investigator": data.draw(st.sampled_from(ACTORS)) if rule_.accepts(Need.INVESTIGATOR) else None,
            "outcome": kw["outcome"] if rule_.accepts(Need.OUTCOME) else None,
            "forms": (kw["forms"] or {ViolationForm.GEDRAG}) if rule_.accepts(Need.FORMS) else set(),
        }
        if omit is not None:
            filled[omit] = "" if omit != "forms" else set()
        self._try(action, actor, filled)

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
        for _ in range(12):
            if case.stage is S.AFGESLOTEN:
                return
            actor = People.investigator if case.stage in (S.ONDERZOEK, S.HOOR_EN_WEDERHOOR) and case.investigator == People.investigator.person else People.chair
            action = next(a for a in allowed_actions(actor, case) if a not in (Action.AANVULLEND_ONDERZOEK, Action.ONDERZOEKER_WIJZIGEN))
            kw: dict = {"reason": "R"} if action in NEEDS_REASON else {}
            if action is Action.REGISTREREN:
                kw["forms"] = [ViolationForm.GEDRAG]
            if action is Action.ONDERZOEK_INSTELLEN:
                kw.update(terms="T", investigator=People.investigator)
            if action is Action.BESLUITEN:
                kw["outcome"] = Outcome.ONGEGROND
            case = apply(case, action, actor, case.stage_since, **kw).case
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
                "reason": "R",
                "forms": [ViolationForm.FRAUDE] if action in (Action.REGISTREREN,) else [],
                "terms": "T" if action is Action.ONDERZOEK_INSTELLEN else "",
                "investigator": rng.choice([People.investigator, People.other_investigator]) if action in (Action.ONDERZOEK_INSTELLEN, Action.ONDERZOEKER_WIJZIGEN) else None,
                "outcome": Outcome.GEGROND if action is Action.BESLUITEN else None,
            }
            if kw["investigator"] is not None and kw["investigator"].person == case.investigator:
                continue
            case = apply(case, action, member, case.stage_since, **kw).case
        if case.stage is S.AFGESLOTEN:
            endings.add(case.investigated)
    assert endings == {True, False}
