"""Taking a case through the protocol: the allowed paths, and the refusals with Dutch messages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from miv.cases import (
    RULES,
    AccessDenied,
    Action,
    Need,
    Outcome,
    Report,
    Stage,
    TransitionError,
    ViolationForm,
    apply,
    new_case_id,
    open_case,
)

from .conftest import DECLARATION, EXTERNAL, T0, People, investigated_case, new_case, notification, report, step


def test_open_case_returns_content_separately_from_metadata(people):
    change = open_case("zaak-9", people.support, T0, report(), recused=["p-wethouder"])
    assert change.case.stage is Stage.MELDING
    assert change.case.organisation == "gemeente-utrecht"
    assert change.case.recused == frozenset({"p-wethouder"})
    assert change.texts == {
        "omschrijving": report().description,
        "betrokkene": "Wethouder Jansen",
        "melder": "Raadslid De Vries",
    }
    assert "Jansen" not in repr(change.case)


def test_anonymous_report_stores_no_reporter_field(people):
    change = open_case("zaak-2", people.chair, T0, Report("Lekken van stukken.", "Raadslid X"))
    assert "melder" not in change.texts


@pytest.mark.parametrize(
    ("report_", "field"),
    [(Report("  ", "Raadslid X"), "omschrijving"), (Report("Iets", " "), "betrokkene")],
)
def test_open_case_names_the_missing_field(people, report_, field):
    with pytest.raises(TransitionError) as caught:
        open_case("zaak-2", people.chair, T0, report_)
    assert caught.value.field == field


def test_auditor_and_investigator_cannot_open_a_case(people):
    for member in (people.auditor, people.investigator):
        with pytest.raises(AccessDenied, match="melding"):
            open_case("zaak-2", member, T0, report())


def test_full_investigation_path_records_every_stage_in_order(people):
    case = investigated_case()
    assert [s.target for s in case.history] == [
        Stage.MELDING,
        Stage.REGISTRATIE,
        Stage.VOORONDERZOEK,
        Stage.BESLUIT,
        Stage.ONDERZOEK,
        Stage.ONDERZOEK,  # the external investigator's declaration of independence
        Stage.HOOR_EN_WEDERHOOR,
        Stage.HOOR_EN_WEDERHOOR,  # the accused's response
        Stage.MAATREGELEN,
        Stage.COMMUNICATIE,
        Stage.NAZORG,
        Stage.AFGESLOTEN,
    ]
    assert case.outcome is Outcome.GEGROND
    assert case.investigated
    assert case.investigator == people.investigator.person
    assert case.forms == {ViolationForm.STEMMEN, ViolationForm.BELANG}
    assert case.closed_at == case.history[-1].at


def test_no_investigation_path_goes_from_decision_to_communication(people):
    case = investigated_case(until=Action.VOORONDERZOEK_AFRONDEN)
    change = apply(case, Action.GEEN_ONDERZOEK, people.chair, case.stage_since, reason="Niet concreet genoeg.",
                   entries={"openbaar-vermoeden": "nee"})
    assert change.case.stage is Stage.COMMUNICATIE
    assert change.step.info == {"openbaar-vermoeden": "nee"}
    assert change.case.outcome is Outcome.GEEN_ONDERZOEK
    assert change.texts == {"stap-4-reden": "Niet concreet genoeg."}
    assert not change.case.investigated


def test_texts_of_a_step_are_keyed_by_step_index(people):
    case = investigated_case(until=Action.VOORONDERZOEK_AFRONDEN)
    change = apply(
        case,
        Action.ONDERZOEK_INSTELLEN,
        people.chair,
        case.stage_since,
        reason="Reden",
        terms="Opdracht",
        investigator=people.investigator,
        entries=EXTERNAL,
    )
    assert change.texts == {"stap-4-reden": "Reden", "stap-4-onderzoeksopdracht": "Opdracht"}
    assert change.step.investigator == people.investigator.person


def test_missing_reason_is_refused_with_the_field_named(people):
    case = investigated_case(until=Action.VOORONDERZOEK_AFRONDEN)
    with pytest.raises(TransitionError) as caught:
        apply(case, Action.GEEN_ONDERZOEK, people.chair, case.stage_since, reason="   ", entries={"openbaar-vermoeden": "nee"})
    assert caught.value.field == "reden"
    assert "motivering" in caught.value.message


def test_investigation_needs_terms_and_investigator(people):
    case = investigated_case(until=Action.VOORONDERZOEK_AFRONDEN)
    with pytest.raises(TransitionError) as caught:
        apply(case, Action.ONDERZOEK_INSTELLEN, people.chair, case.stage_since, reason="R", investigator=people.investigator)
    assert caught.value.field == "onderzoeksopdracht"
    with pytest.raises(TransitionError) as caught:
        apply(case, Action.ONDERZOEK_INSTELLEN, people.chair, case.stage_since, reason="R", terms="T")
    assert caught.value.field == "onderzoeker"


def test_a_field_the_step_does_not_record_is_refused_not_dropped(people):
    case = new_case()
    with pytest.raises(TransitionError) as caught:
        apply(case, Action.REGISTREREN, people.chair, T0, forms=[ViolationForm.FRAUDE], outcome=Outcome.GEGROND)
    assert caught.value.field == "uitkomst"


def test_outcome_after_investigation_cannot_be_no_investigation(people):
    case = investigated_case(until=Action.RAPPORT_OPLEVEREN)
    with pytest.raises(TransitionError):
        apply(case, Action.BESLUITEN, people.chair, case.stage_since, reason="R", outcome=Outcome.GEEN_ONDERZOEK)


def test_step_from_the_wrong_stage_is_refused_in_dutch(people):
    case = new_case()
    with pytest.raises(TransitionError, match="kan niet in de fase 'Melding ontvangen'"):
        apply(case, Action.AFSLUITEN, people.chair, T0, reason="Klaar")


def test_role_without_the_right_is_refused(people):
    case = investigated_case(until=Action.VOORONDERZOEK_AFRONDEN)
    with pytest.raises(AccessDenied, match="Besluiten geen onderzoek"):
        apply(case, Action.GEEN_ONDERZOEK, people.support, case.stage_since, reason="R")


def test_outsider_learns_nothing_about_the_stage(people):
    case = new_case()
    with pytest.raises(AccessDenied) as caught:
        apply(case, Action.AFSLUITEN, people.outsider, T0, reason="R")
    assert "fase" not in caught.value.message


def test_investigator_must_belong_to_the_organisation_and_not_be_recused(people):
    case = investigated_case(until=Action.VOORONDERZOEK_AFRONDEN)
    for wrong in (people.outsider, people.support):
        with pytest.raises(TransitionError) as caught:
            apply(case, Action.ONDERZOEK_INSTELLEN, people.chair, case.stage_since, reason="R", terms="T", investigator=wrong)
        assert caught.value.field == "onderzoeker"


def test_only_the_assigned_investigator_presents_findings(people):
    case = investigated_case(until=Action.ONAFHANKELIJKHEID_VERKLAREN)
    at = case.last_at + timedelta(days=1)
    with pytest.raises(AccessDenied):
        apply(case, Action.BEVINDINGEN_VOORLEGGEN, people.other_investigator, at, entries=notification(at))
    changed = step(case, Action.ONDERZOEKER_WIJZIGEN, people.chair, 1, reason="Schijn van partijdigheid",
                   investigator=people.other_investigator, entries=EXTERNAL)
    at = changed.last_at + timedelta(days=1)
    for who in (people.investigator, people.other_investigator):  # the old one is gone, the new one has not declared
        with pytest.raises(AccessDenied):
            apply(changed, Action.BEVINDINGEN_VOORLEGGEN, who, at, entries=notification(at))
    changed = step(changed, Action.ONAFHANKELIJKHEID_VERKLAREN, people.other_investigator, 1, entries=DECLARATION)
    at = changed.last_at + timedelta(days=1)
    assert apply(changed, Action.BEVINDINGEN_VOORLEGGEN, people.other_investigator, at, entries=notification(at)).case.stage is Stage.HOOR_EN_WEDERHOOR


def test_further_investigation_loops_back_and_then_forward(people):
    case = investigated_case(until=Action.BEVINDINGEN_VOORLEGGEN)
    case = step(case, Action.AANVULLEND_ONDERZOEK, people.investigator, 3, reason="Nieuwe feiten in wederhoor")
    assert case.stage is Stage.ONDERZOEK
    at = case.last_at + timedelta(days=3)
    case = apply(case, Action.BEVINDINGEN_VOORLEGGEN, people.investigator, at, entries=notification(at, term_days=7)).case
    case = step(case, Action.RAPPORT_OPLEVEREN, people.investigator, 8, reason="Termijn verstreken zonder reactie")
    assert case.stage is Stage.MAATREGELEN


def test_time_cannot_run_backwards(people):
    case = new_case()
    with pytest.raises(TransitionError) as caught:
        apply(case, Action.REGISTREREN, people.chair, T0 - timedelta(seconds=1), forms=[ViolationForm.LEKKEN])
    assert caught.value.field == "tijdstip"


def test_naive_times_and_unsafe_ids_are_programming_errors(people):
    with pytest.raises(ValueError):
        open_case("zaak-3", people.chair, T0.replace(tzinfo=None), report())
    with pytest.raises(ValueError):
        open_case("../zaak", people.chair, T0, report())


def test_new_case_ids_are_random_and_usable():
    first, second = new_case_id(), new_case_id()
    assert first != second and first.startswith("zaak-")
    assert open_case(first, People.chair, T0, report()).case.id == first


def test_closed_case_takes_no_step(people):
    case = investigated_case()
    for action in Action:
        with pytest.raises((TransitionError, AccessDenied)):
            apply(case, action, people.chair, case.stage_since, reason="R")


def test_every_stage_action_and_need_has_a_dutch_label():
    assert all(stage.label for stage in Stage)
    assert all(action.label and RULES[action] for action in Action)
    assert all(need.label for need in Need)
