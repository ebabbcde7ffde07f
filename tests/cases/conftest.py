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
    return apply(case, action, actor, case.last_at + timedelta(days=days), **kw).case  # type: ignore[arg-type]


EXTERNAL = {"soort": "extern"}
DECLARATION = {"geen-zakelijke-banden": "ja", "geen-familiebanden": "ja", "geen-eerdere-rol": "ja", "geen-belang": "ja"}


def notification(at: datetime, term_days: int = 14) -> dict[str, str]:
    """The accused gets the draft findings on the day of `at`, with `term_days` to respond."""
    return {"kennisgeving": f"{at:%Y-%m-%d}", "wijze": "aangetekend", "termijn": f"{at + timedelta(days=term_days):%Y-%m-%d}",
            "bevindingen": "Conceptrapport versie 1, hoofdstuk 3."}


def response(at: datetime) -> dict[str, str]:
    return {"reactie": "ontvangen", "ontvangen": f"{at:%Y-%m-%d}", "inhoud": "Ik heb niet meegestemd.",
            "bijstand": "advocaat", "adviseur": "Mr. A. Bakker"}


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
            {"reason": "Ernstig vermoeden.", "terms": "Onderzoek de stemming van 12 maart.", "investigator": p.investigator,
             "entries": EXTERNAL},
        ),
        (Action.ONAFHANKELIJKHEID_VERKLAREN, p.investigator, {"entries": DECLARATION}),
        (Action.BEVINDINGEN_VOORLEGGEN, p.investigator, {"entries": notification}),
        (Action.WEDERHOOR_VASTLEGGEN, p.investigator, {"entries": response}),
        (Action.RAPPORT_OPLEVEREN, p.investigator, {"reason": "Reactie betrokkene verwerkt."}),
        (Action.BESLUITEN, p.chair, {"reason": "Berisping in besloten vergadering.", "outcome": Outcome.GEGROND}),
        (Action.COMMUNICATIE_AFRONDEN, p.support, {"reason": "Raad in besloten vergadering geïnformeerd."}),
        (Action.AFSLUITEN, p.chair, {"reason": "Nazorg melder afgerond."}),
    ]
    case = new_case()
    for action, actor, kw in walk:
        at = case.last_at + timedelta(days=2)
        entries = kw.get("entries")
        kw = kw | ({"entries": entries(at)} if callable(entries) else {})
        case = apply(case, action, actor, at, **kw).case  # type: ignore[arg-type]
        if action is until:
            break
    return case
