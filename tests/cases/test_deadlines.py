"""Deadlines per stage: when they start, when they are met, and the signals in between."""

from __future__ import annotations

from dataclasses import replace

from datetime import datetime, timedelta, timezone

import pytest

from miv.cases import Action, CaseError, Channel, DeadlinePolicy, Period, Report, Status, ViolationForm, apply, open_case

from .conftest import T0, People, investigated_case, new_case


def by_code(signals):
    return {s.deadline.code: s for s in signals}


def test_acknowledgement_runs_seven_days_from_the_report():
    policy, case = DeadlinePolicy(), new_case()
    assert by_code(policy.signals(case, T0 + timedelta(days=1)))["ontvangstbevestiging"].status is Status.ON_TIME
    assert by_code(policy.signals(case, T0 + timedelta(days=5)))["ontvangstbevestiging"].status is Status.DUE_SOON
    late = by_code(policy.signals(case, T0 + timedelta(days=7, seconds=1)))["ontvangstbevestiging"]
    assert late.status is Status.OVERDUE and late.due == T0 + timedelta(days=7)
    assert late.message == "Ontvangst bevestigen aan de melder: termijn verlopen (uiterlijk 09-03-2026)"


def test_met_and_met_late_are_told_apart():
    policy = DeadlinePolicy()
    on_time = apply(new_case(), Action.REGISTREREN, People.support, T0 + timedelta(days=6), forms=[ViolationForm.GEDRAG]).case
    late = apply(new_case(), Action.REGISTREREN, People.support, T0 + timedelta(days=9), forms=[ViolationForm.GEDRAG]).case
    now = T0 + timedelta(days=30)
    assert by_code(policy.signals(on_time, now))["ontvangstbevestiging"].status is Status.MET
    assert by_code(policy.signals(late, now))["ontvangstbevestiging"].status is Status.MET_LATE


def test_feedback_within_three_calendar_months_is_met_by_either_decision():
    policy = DeadlinePolicy()
    decided = investigated_case(until=Action.ONDERZOEK_INSTELLEN)
    signal = by_code(policy.signals(decided, T0 + timedelta(days=200)))["terugkoppeling"]
    assert signal.due == datetime(2026, 6, 2, 9, 0, tzinfo=timezone.utc)
    assert signal.status is Status.MET
    undecided = investigated_case(until=Action.VOORONDERZOEK_AFRONDEN)
    assert by_code(policy.signals(undecided, T0 + timedelta(days=100)))["terugkoppeling"].status is Status.OVERDUE


def test_deadlines_of_stages_not_reached_are_not_shown():
    codes = set(by_code(DeadlinePolicy().signals(new_case(), T0)))
    assert codes == {"ontvangstbevestiging", "terugkoppeling"}


def test_further_investigation_restarts_the_investigation_clock():
    case = investigated_case(until=Action.BEVINDINGEN_VOORLEGGEN)
    again = apply(case, Action.AANVULLEND_ONDERZOEK, People.investigator, case.stage_since + timedelta(days=40), reason="Nieuw feit").case
    signal = by_code(DeadlinePolicy().signals(again, again.stage_since + timedelta(days=1)))["onderzoek"]
    assert signal.status is Status.ON_TIME
    assert signal.due == Period(months=3).after(again.stage_since)


def test_configured_periods_replace_the_defaults_and_unknown_codes_are_named():
    policy = DeadlinePolicy().configured({"ontvangstbevestiging": Period(days=2)})
    assert by_code(policy.signals(new_case(), T0 + timedelta(days=3)))["ontvangstbevestiging"].status is Status.OVERDUE
    with pytest.raises(CaseError, match="'bevestiging'"):
        DeadlinePolicy().configured({"bevestiging": Period(days=2)})


def test_alerts_list_the_most_urgent_first():
    fresh = new_case("zaak-nieuw")
    old = open_case("zaak-oud", People.chair, T0 - timedelta(days=20), Report("Omschrijving", "Betrokkene")).case
    alerts = DeadlinePolicy().alerts([fresh, old], T0 + timedelta(days=6))
    assert [(c.id, s.deadline.code) for c, s in alerts] == [("zaak-oud", "ontvangstbevestiging"), ("zaak-nieuw", "ontvangstbevestiging")]


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        (Period(months=1), datetime(2026, 1, 31, tzinfo=timezone.utc), datetime(2026, 2, 28, tzinfo=timezone.utc)),
        (Period(months=3), datetime(2026, 11, 15, tzinfo=timezone.utc), datetime(2027, 2, 15, tzinfo=timezone.utc)),
        (Period(years=1), datetime(2028, 2, 29, tzinfo=timezone.utc), datetime(2029, 2, 28, tzinfo=timezone.utc)),
        (Period(days=7), datetime(2026, 3, 2, tzinfo=timezone.utc), datetime(2026, 3, 9, tzinfo=timezone.utc)),
    ],
)
def test_calendar_periods(period, start, end):
    assert period.after(start) == end


def test_period_before_and_label_and_validation():
    assert Period(months=1).before(datetime(2026, 3, 31, tzinfo=timezone.utc)) == datetime(2026, 2, 28, tzinfo=timezone.utc)
    assert Period(years=1, days=2).label == "1 jaar en 2 dagen"
    assert Period(months=3).label == "3 maanden"
    with pytest.raises(ValueError):
        Period()


def _staff_case():
    return open_case("zaak-1", People.support, T0, Report("Iets", "Iemand", channel=Channel.STAFF)).case


def test_the_staff_channel_brings_the_wbk_deadlines_and_other_reports_do_not():
    policy = DeadlinePolicy()
    staff = by_code(policy.signals(_staff_case(), T0 + timedelta(days=7, seconds=1)))
    assert staff["wbk-ontvangstbevestiging"].status is Status.OVERDUE
    assert staff["wbk-ontvangstbevestiging"].message.startswith("Ontvangstbevestiging aan de melder (Wet bescherming klokkenluiders): termijn verlopen")
    assert staff["wbk-terugkoppeling"].due == datetime(2026, 6, 2, 9, 0, tzinfo=timezone.utc)
    assert staff["wbk-terugkoppeling"].status is Status.ON_TIME
    other = by_code(policy.signals(new_case(), T0 + timedelta(days=7, seconds=1)))
    assert not {"wbk-ontvangstbevestiging", "wbk-terugkoppeling"} & set(other)


def test_the_wbk_feedback_deadline_is_overdue_after_three_months_and_the_acknowledgement_met_by_registration():
    policy, case = DeadlinePolicy(), _staff_case()
    assert by_code(policy.signals(case, datetime(2026, 6, 2, 9, 1, tzinfo=timezone.utc)))["wbk-terugkoppeling"].status is Status.OVERDUE
    registered = apply(case, Action.REGISTREREN, People.support, T0 + timedelta(days=2), forms=[ViolationForm.GEDRAG]).case
    assert by_code(policy.signals(registered, T0 + timedelta(days=30)))["wbk-ontvangstbevestiging"].status is Status.MET
    alerts = policy.alerts([registered], datetime(2026, 5, 31, 9, 0, tzinfo=timezone.utc))
    assert [s.deadline.code for _, s in alerts] == ["terugkoppeling", "wbk-terugkoppeling"]


def test_the_wbk_feedback_deadline_is_met_by_a_feedback_message_and_not_by_a_stage():
    policy = DeadlinePolicy()
    case = apply(_staff_case(), Action.REGISTREREN, People.support, T0 + timedelta(days=2), forms=[ViolationForm.GEDRAG]).case
    late = datetime(2026, 6, 3, 9, 0, tzinfo=timezone.utc)
    assert by_code(policy.signals(case, late))["wbk-terugkoppeling"].status is Status.OVERDUE
    told = by_code(policy.signals(replace(case, feedback=(T0 + timedelta(days=40),)), late))["wbk-terugkoppeling"]
    assert told.status is Status.MET and told.met_at == T0 + timedelta(days=40)
    too_late = by_code(policy.signals(replace(case, feedback=(late,)), late))["wbk-terugkoppeling"]
    assert too_late.status is Status.MET_LATE


def test_configuration_cannot_lengthen_a_statutory_deadline():
    with pytest.raises(CaseError, match="Wet bescherming klokkenluiders en is niet aan te passen"):
        DeadlinePolicy().configured({"wbk-ontvangstbevestiging": Period(days=30)})
    shorter = DeadlinePolicy().configured({"ontvangstbevestiging": Period(days=3)})
    assert by_code(shorter.signals(_staff_case(), T0))["wbk-ontvangstbevestiging"].due == T0 + timedelta(days=7)


def test_a_step_that_records_without_moving_leaves_the_clock_alone():
    case = investigated_case(until=Action.VOORONDERZOEK_STARTEN)
    before = {s.deadline.code: s.due for s in DeadlinePolicy().signals(case, case.last_at)}
    at = case.last_at + timedelta(days=10)
    referred = apply(case, Action.AANGIFTE_VASTLEGGEN, People.chair, at,
                     entries={"gemeld": f"{at:%Y-%m-%d}", "instantie": "politie", "kenmerk": "PL-1"}).case
    assert referred.stage_since == case.stage_since and referred.last_at == at
    assert {s.deadline.code: s.due for s in DeadlinePolicy().signals(referred, at)} == before
