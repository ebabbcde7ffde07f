"""Retention: closed cases kept for a set period, announced, then reduced to counts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from miv.cases import Action, CaseError, Period, Retention, RetentionPolicy

from .conftest import investigated_case


def test_open_cases_have_no_retention_date():
    case = investigated_case(until=Action.BESLUITEN)
    assert RetentionPolicy().purge_on(case) is None
    assert RetentionPolicy().status(case, case.stage_since + timedelta(days=9999)) is Retention.OPEN


def test_closed_case_is_kept_then_announced_then_purged():
    policy = RetentionPolicy(keep=Period(years=2), warn=Period(days=30))
    case = investigated_case()
    purge_on = policy.purge_on(case)
    assert purge_on == Period(years=2).after(case.closed_at)
    assert policy.status(case, purge_on - timedelta(days=31)) is Retention.KEEP
    assert policy.status(case, purge_on - timedelta(days=29)) is Retention.WARN
    assert policy.status(case, purge_on) is Retention.PURGE
    assert policy.to_warn([case], purge_on - timedelta(days=1)) == [case]
    assert policy.to_purge([case], purge_on - timedelta(days=1)) == []
    assert policy.to_purge([case], purge_on) == [case]
    assert policy.notice(case).startswith(f"Zaak {case.id} wordt op {purge_on:%d-%m-%Y} vernietigd")


def test_residue_is_only_counts_and_refused_before_time():
    policy = RetentionPolicy(keep=Period(years=1))
    case = investigated_case()
    with pytest.raises(CaseError, match="nog niet"):
        policy.residue(case, case.closed_at)
    residue = policy.residue(case, policy.purge_on(case))
    assert dict(((o, y, m), n) for o, y, m, n in residue.rows()) == {
        ("gemeente-utrecht", 2026, "meldingen"): 1,
        ("gemeente-utrecht", 2026, "onderzoeken"): 1,
        ("gemeente-utrecht", 2026, "uitkomst-gegrond"): 1,
        ("gemeente-utrecht", 2026, "vorm-belang"): 1,
        ("gemeente-utrecht", 2026, "vorm-stemmen"): 1,
    }
