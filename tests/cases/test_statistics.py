"""Anonymised counts per organisation and year, in the organisaties questionnaire's shape."""

from __future__ import annotations

from datetime import datetime, timezone

from miv.cases import MEASURES, Action, CaseCounts, Outcome, Report, ViolationForm, apply, count, open_case

from .conftest import People, investigated_case


def test_counts_per_measure():
    closed = investigated_case()
    stopped = investigated_case(until=Action.VOORONDERZOEK_AFRONDEN)
    stopped = apply(stopped, Action.GEEN_ONDERZOEK, People.chair, stopped.stage_since, reason="Niet concreet",
                    entries={"openbaar-vermoeden": "nee"}).case
    running = investigated_case(until=Action.REGISTREREN)
    row = count([closed, stopped, running]).questionnaire_row("gemeente-utrecht", 2026)
    assert row["MELD_AANTAL"] == 3
    assert row["MELD_ONDERZOEK"] == 1
    assert row["MELD_GEGROND"] == 1 and row["MELD_GEEN_ONDERZOEK"] == 1 and row["MELD_LOPEND"] == 1
    assert row["MELD_ONGEGROND"] == 0 and row["MELD_DEELS_GEGROND"] == 0
    assert row["MELD_STEMMEN"] == 3 and row["MELD_BELANG"] == 3 and row["MELD_GEDRAG"] == 0
    assert set(row) == {code for code, _ in MEASURES.values()}


def test_every_form_and_outcome_has_a_variable_and_a_label():
    codes = {code for code, _ in MEASURES.values()}
    assert {f"MELD_{f.name}" for f in ViolationForm} <= codes
    assert {f"MELD_{o.name}" for o in Outcome} <= codes
    assert all(label for _, label in MEASURES.values())


def test_year_is_the_dutch_calendar_year_of_the_report():
    new_year = datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc)
    case = open_case("zaak-nj", People.chair, new_year, Report("x", "y")).case
    assert count([case]).questionnaire_row("gemeente-utrecht", 2027)["MELD_AANTAL"] == 1


def test_stored_counts_add_to_live_counts_and_round_trip_as_rows():
    residue = count([investigated_case()])
    stored = CaseCounts.from_rows(list(residue.rows()))
    total = stored + count([investigated_case(until=Action.REGISTREREN)])
    assert total.questionnaire_row("gemeente-utrecht", 2026)["MELD_AANTAL"] == 2
    outsider = open_case("zaak-z", People.outsider, datetime(2026, 5, 1, tzinfo=timezone.utc), Report("x", "y")).case
    rows = (total + count([outsider])).questionnaire_rows(2026)
    assert [r["organisation"] for r in rows] == ["gemeente-utrecht", "gemeente-zeist"]
    assert rows[1]["MELD_AANTAL"] == 1 and rows[1]["MELD_ONDERZOEK"] == 0


def test_counts_hold_no_person_or_text():
    rows = list(count([investigated_case()]).rows())
    flat = repr(rows)
    for person in ("p-chair", "p-griffier", "p-onderzoeker", "Jansen", "zaak-1"):
        assert person not in flat
