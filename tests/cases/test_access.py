"""The access rules as a matrix: every role against every kind of case, plus the two walls."""

from __future__ import annotations

import pytest

from miv.cases import (
    AccessDenied,
    Action,
    Permission,
    Stage,
    allowed_actions,
    chair_title,
    case_permissions,
    open_case,
    organisation_permissions,
    readers,
    require,
    visible,
)

from .conftest import ORG, OTHER, T0, People, investigated_case, new_case, report

P = Permission
FULL = {P.LIST, P.READ, P.CONTRIBUTE}
EXPECTED_ON_OPEN_CASE = {
    "chair": FULL | {P.VIEW_LOG},
    "deputy": FULL | {P.VIEW_LOG},
    "support": FULL,
    "adviser": FULL,
    "investigator": set(),
    "other_investigator": set(),
    "auditor": {P.LIST, P.VIEW_LOG},
    "outsider": set(),
}


@pytest.mark.parametrize(("who", "expected"), EXPECTED_ON_OPEN_CASE.items())
def test_permissions_on_a_case_before_investigation(who, expected):
    assert case_permissions(getattr(People, who), new_case()) == expected


@pytest.mark.parametrize(
    ("until", "investigator_sees"),
    [
        (Action.VOORONDERZOEK_AFRONDEN, False),
        (Action.ONDERZOEK_INSTELLEN, True),
        (Action.BEVINDINGEN_VOORLEGGEN, True),
        (Action.RAPPORT_OPLEVEREN, False),
        (Action.AFSLUITEN, False),
    ],
)
def test_investigator_sees_the_assigned_case_only_while_investigating(until, investigator_sees):
    case = investigated_case(until=until)
    assert bool(case_permissions(People.investigator, case)) is investigator_sees
    assert case_permissions(People.other_investigator, case) == set()


def test_closed_case_is_read_only_for_everyone():
    case = investigated_case()
    assert case.stage is Stage.AFGESLOTEN
    for member in People.all():
        assert P.CONTRIBUTE not in case_permissions(member, case)
        assert allowed_actions(member, case) == []


def test_recused_person_sees_nothing_whatever_their_role():
    case = open_case("zaak-r", People.support, T0, report(), recused=[People.chair.person]).case
    assert case_permissions(People.chair, case) == set()
    assert visible(People.chair, [case]) == []
    assert allowed_actions(People.chair, case) == []
    assert P.READ in case_permissions(People.deputy, case)


def test_nobody_sees_another_organisations_cases():
    ours, theirs = new_case("zaak-a"), open_case("zaak-b", People.outsider, T0, report()).case
    assert theirs.organisation == OTHER
    for member in People.all():
        seen = visible(member, [ours, theirs])
        assert all(case.organisation == member.organisation for case in seen)
    assert visible(People.outsider, [ours, theirs]) == [theirs]


def test_organisation_permissions():
    assert organisation_permissions(People.chair, ORG) == {P.CREATE, P.LIST, P.VIEW_STATISTICS, P.VIEW_LOG}
    assert organisation_permissions(People.investigator, ORG) == {P.LIST}
    assert P.CREATE not in organisation_permissions(People.auditor, ORG)
    assert organisation_permissions(People.chair, OTHER) == set()


def test_require_raises_the_same_message_whether_or_not_the_case_is_yours():
    case = new_case()
    with pytest.raises(AccessDenied) as for_auditor:
        require(People.auditor, P.READ, case)
    with pytest.raises(AccessDenied) as for_outsider:
        require(People.outsider, P.LIST, case)
    assert for_auditor.value.message == for_outsider.value.message
    require(People.support, P.READ, case)
    require(People.auditor, P.VIEW_LOG, organisation=ORG)
    with pytest.raises(AccessDenied):
        require(People.support, P.VIEW_LOG, organisation=ORG)


def test_readers_are_exactly_those_who_may_read_content():
    members = People.all()
    before = readers(new_case(), members)
    assert before == {People.chair.person, People.deputy.person, People.support.person, People.adviser.person}
    assert readers(investigated_case(until=Action.ONDERZOEK_INSTELLEN), members) == before  # not yet declared
    during = readers(investigated_case(until=Action.ONAFHANKELIJKHEID_VERKLAREN), members)
    assert during == before | {People.investigator.person}
    assert readers(investigated_case(until=Action.RAPPORT_OPLEVEREN), members) == before


def test_buttons_offered_per_role_at_the_decision():
    case = investigated_case(until=Action.VOORONDERZOEK_AFRONDEN)
    assert allowed_actions(People.chair, case) == [Action.GEEN_ONDERZOEK, Action.ONDERZOEK_INSTELLEN, Action.AANGIFTE_VASTLEGGEN]
    for who in ("support", "adviser"):
        assert allowed_actions(getattr(People, who), case) == [Action.AANGIFTE_VASTLEGGEN]
    for who in ("auditor", "investigator", "outsider"):
        assert allowed_actions(getattr(People, who), case) == []


def test_chair_title_per_layer_and_role_labels_are_dutch():
    assert [chair_title(layer) for layer in ("gemeente", "provincie", "waterschap")] == [
        "burgemeester",
        "Commissaris van de Koning",
        "dijkgraaf",
    ]
    assert "burgemeester" in People.chair.role.label
