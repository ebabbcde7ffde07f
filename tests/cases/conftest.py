"""Shared people, times and keys for the case tests: one municipality and one outsider."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from miv.cases import Action, Case, MasterKey, Member, Outcome, Report, Role, ViolationForm, apply, open_case

ORG = "gemeente-utrecht"
OTHER = "gemeente-zeist"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


class People:
    chair = Member("p-chair", ORG, Role.CHAIR)
    deputy = Member("p-deputy", ORG, Role.CHAIR)
    support = Member("p-griffier", ORG, Role.SUPPORT)
    adviser = Member("p-adviser", ORG, Role.ADVISER)
    investigator = Member("p-onderzoeker", ORG, Role.INVESTIGATOR)
    other_investigator = Member("p-onderzoeker-2", ORG, Role.INVESTIGATOR)
    auditor = Member("p-auditor", ORG, Role.AUDITOR)
    outsider = Member("p-zeist", OTHER, Role.CHAIR)

    @classmethod
    def all(cls) -> list[Member]:
        return [v for v in vars(cls).values() if isinstance(v, Member)]


@pytest.fixture
def people() -> type[People]:
    return People


@pytest.fixture
def master(tmp_path: Path) -> MasterKey:
    return MasterKey.create(tmp_path / "master.key")


def report() -> Report:
    return Report("Wethouder Jansen stemde mee over de verkoop van grond aan zijn zwager.", "Wethouder Jansen", "Raadslid De Vries")


def new_case(case_id: str = "zaak-1") -> Case:
    return open_case(case_id, People.chair, T0, report()).case


def step(case: Case, action: Action, actor: Member, days: int, **kw: object) -> Case:
    return apply(case, action, actor, case.stage_since + timedelta(days=days), **kw).case  # type: ignore[arg-type]


def investigated_case(until: Action = Action.AFSLUITEN) -> Case:
    """A case walked along the investigation path, stopping after `until`."""
    p = People
    walk = [
        (Action.REGISTREREN, p.support, {"forms": [ViolationForm.STEMMEN, ViolationForm.BELANG]}),
        (Action.VOORONDERZOEK_STARTEN, p.chair, {}),
        (Action.VOORONDERZOEK_AFRONDEN, p.adviser, {"reason": "Concreet en geloofwaardig."}),
        (
            Action.ONDERZOEK_INSTELLEN,
            p.chair,
            {"reason": "Ernstig vermoeden.", "terms": "Onderzoek de stemming van 12 maart.", "investigator": p.investigator},
        ),
        (Action.BEVINDINGEN_VOORLEGGEN, p.investigator, {}),
        (Action.RAPPORT_OPLEVEREN, p.investigator, {"reason": "Reactie betrokkene verwerkt."}),
        (Action.BESLUITEN, p.chair, {"reason": "Berisping in besloten vergadering.", "outcome": Outcome.GEGROND}),
        (Action.COMMUNICATIE_AFRONDEN, p.support, {"reason": "Raad in besloten vergadering geïnformeerd."}),
        (Action.AFSLUITEN, p.chair, {"reason": "Nazorg melder afgerond."}),
    ]
    case = new_case()
    for action, actor, kw in walk:
        case = step(case, action, actor, 2, **kw)
        if action is until:
            break
    return case
