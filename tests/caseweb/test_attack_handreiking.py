"""Attacks on the Handreiking's step records (docs/cases.md, "The Handreiking's records"), on
SQLite and PostgreSQL: a database writer without the master key editing or deleting each
recorded field, an external investigator reading before declaring independence, a recused
chair and another organisation reaching for the new steps."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select, text

from miv.cases import RULES, AccessDenied, Action, CaseError, Outcome, Permission, Report, Role, ViolationForm, allowed_actions
from miv.store.cases import ContentRow, StepRow, WrapRow

from .caseweb_support import DECLARATION, EXTERNAL, ORG, PASSWORD, SECRETS, Team, at, email, notification, response
from .web_cases import BASE, CaseSite, post

NEW_STEPS = (Action.ONAFHANKELIJKHEID_VERKLAREN, Action.BEVINDINGEN_VOORLEGGEN, Action.WEDERHOOR_VASTLEGGEN, Action.ORGAAN_INFORMEREN,
             Action.OPENBAARMAKING_VASTLEGGEN, Action.REHABILITATIE_VASTLEGGEN, Action.AANGIFTE_VASTLEGGEN)


def day(n: float) -> str:
    return f"{at(n):%Y-%m-%d}"


def handreiking_walk(team: Team):
    """An unfounded case through every new step, each by the role that takes it."""
    w, p = team.work, team.people
    case = w.open(p["ondersteuning"].member, Report(f"{SECRETS[0]} en de {SECRETS[2]}.", SECRETS[0], SECRETS[1]), at(0))
    plan = [
        (Action.REGISTREREN, "ondersteuning", {"forms": frozenset({ViolationForm.CORRUPTIE})}),
        (Action.VOORONDERZOEK_STARTEN, "voorzitter", {}),
        (Action.AANGIFTE_VASTLEGGEN, "voorzitter", {"entries": {"gemeld": day(3), "instantie": "openbaar-ministerie", "kenmerk": SECRETS[8]}}),
        (Action.VOORONDERZOEK_AFRONDEN, "adviseur", {"reason": "Concreet."}),
        (Action.ONDERZOEK_INSTELLEN, "voorzitter", {"reason": "Ernstig.", "terms": f"Opdracht aan {SECRETS[3]}.",
                                                     "investigator": p["onderzoeker"].member, "entries": EXTERNAL}),
        (Action.ONAFHANKELIJKHEID_VERKLAREN, "onderzoeker", {"entries": DECLARATION}),
        (Action.BEVINDINGEN_VOORLEGGEN, "onderzoeker", {"entries": notification(at(7))}),
        (Action.WEDERHOOR_VASTLEGGEN, "adviseur", {"entries": response(at(8), SECRETS[9], SECRETS[10])}),
        (Action.RAPPORT_OPLEVEREN, "onderzoeker", {"reason": "Wederhoor verwerkt."}),
        (Action.BESLUITEN, "voorzitter", {"reason": "Geen bewijs.", "outcome": Outcome.ONGEGROND}),
        (Action.ORGAAN_INFORMEREN, "ondersteuning", {"entries": {"geinformeerd": day(11), "vergadering": "besloten"}}),
        (Action.OPENBAARMAKING_VASTLEGGEN, "voorzitter", {"entries": {
            "gepubliceerd": day(12), "waar": ["website", "woo-platform"], "openbaar-gemaakt": "Het besluit en de samenvatting.",
            "vindplaats": "https://www.utrecht.nl/besluit", "woo-gronden": ["5.1-2-e"], "woo-afweging": "Namen van getuigen weggelaten."}}),
        (Action.COMMUNICATIE_AFRONDEN, "ondersteuning", {"reason": "Per brief."}),
        (Action.REHABILITATIE_VASTLEGGEN, "voorzitter", {"entries": {"uitgevoerd": day(14), "maatregelen": ["verklaring", "informeren"],
                                                                      "toelichting": "Verklaring in de raad."}}),
        (Action.AFSLUITEN, "voorzitter", {"reason": "Nazorg gegeven."}),
    ]
    for number, (action, who, fields) in enumerate(plan, start=1):
        case = w.take(p[who].member, case, action, at(number), **fields)
    return case


def _findings(team: Team) -> list[str]:
    return [str(f) for f in team.work.verify_log().findings]


def test_every_new_step_is_stored_with_its_fields_and_logged(team: Team):
    case = handreiking_walk(team)
    assert team.work.case(case.id) == case
    taken = {s.action: s for s in case.history}
    assert set(NEW_STEPS) <= set(taken)
    assert taken[Action.ORGAAN_INFORMEREN].info["orgaan"] == "gemeenteraad"
    assert taken[Action.AANGIFTE_VASTLEGGEN].source.value == "vooronderzoek" == taken[Action.AANGIFTE_VASTLEGGEN].target.value
    fields = team.work.contents(team["voorzitter"].member, case, at(30)).fields
    assert SECRETS[8] in fields.values() and SECRETS[9] in fields.values() and SECRETS[10] in fields.values()
    log = {e.action: e.detail for e in team.work.organisation_log(team["auditor"].member) if e.case == case.id}
    assert log["wederhoor-vastleggen"]["reactie"] == "ontvangen" and log["wederhoor-vastleggen"]["bijstand"] == "advocaat"
    assert log["openbaarmaking-vastleggen"]["woo-gronden"] == "5.1-2-e"
    assert all(secret not in json.dumps(log) for secret in SECRETS)
    assert _findings(team) == []


def test_a_writer_editing_or_deleting_any_recorded_field_is_named_by_verify_log(team: Team):
    """For every code and every sealed text of the new steps: edit it, delete it; verify-log
    names the step and the field, and the edited case is refused when loaded."""
    case = handreiking_walk(team)
    unnamed = []
    with team.work.db.session() as s:
        rows = {r.position: (r.action, r.details, r.sealed) for r in s.scalars(select(StepRow).where(StepRow.case_id == case.id))}
    for position, (action, details, sealed) in sorted(rows.items()):
        if Action(action) not in NEW_STEPS + (Action.ONDERZOEK_INSTELLEN,):
            continue
        labels = {f.name: f.label for f in RULES[Action(action)].fields}
        for name, value in json.loads(details).items():
            for edited in ({**json.loads(details), name: value + "x"}, {k: v for k, v in json.loads(details).items() if k != name}):
                _set(team, case.id, position, "details", json.dumps(edited))
                want = f"zaak {case.id}, stap {position + 1}: {labels[name]} gewijzigd"
                if not any(want in f for f in _findings(team)):
                    unnamed.append(want)
                with pytest.raises(CaseError, match=re.escape(labels[name])):
                    team.work.case(case.id)
            _set(team, case.id, position, "details", details)
        for field in json.loads(sealed or "{}"):
            with team.work.db.session() as s:
                original = s.get(ContentRow, (case.id, field)).blob
                other = s.scalars(select(ContentRow).where(ContentRow.case_id == case.id, ContentRow.field != field)).first().blob
            name = field.split("-", 2)[-1]
            label = labels.get(name, {"reden": "motivering", "onderzoeksopdracht": "onderzoeksopdracht"}.get(name))
            for blob, verb in ((other, "gewijzigd"), (None, "verwijderd")):
                with team.work.db.session() as s:
                    s.execute(text("delete from case_content where case_id = :c and field = :f"), {"c": case.id, "f": field})
                    if blob is not None:
                        s.add(ContentRow(case_id=case.id, field=field, blob=blob))
                want = f"zaak {case.id}, stap {position + 1}: {label} (versleuteld) {verb}"
                if not any(want in f for f in _findings(team)):
                    unnamed.append(want)
            with team.work.db.session() as s:
                s.add(ContentRow(case_id=case.id, field=field, blob=original))
    assert unnamed == []
    assert _findings(team) == []  # everything put back: the record is whole again


def _set(team: Team, case_id: str, position: int, column: str, value: str) -> None:
    with team.work.db.session() as s:
        s.execute(text(f"update case_steps set {column} = :v where case_id = :c and position = :p"), {"v": value, "c": case_id, "p": position})


def test_a_writer_cannot_fake_the_declaration_of_independence(team: Team):
    """Writing a declaration step into the database opens nothing: its MAC is missing."""
    w, p = team.work, team.people
    case = handreiking_walk_until_assigned(team)
    with w.db.session() as s:
        s.add(StepRow(case_id=case.id, position=len(case.history), action=Action.ONAFHANKELIJKHEID_VERKLAREN.value,
                      actor=p["onderzoeker"].member.person, role="onderzoeker", at=at(9).isoformat(), source="onderzoek",
                      target="onderzoek", forms="", details=json.dumps(DECLARATION, sort_keys=True), sealed=""))
    assert any(f"zaak {case.id}" in f for f in _findings(team))
    with pytest.raises(CaseError):
        w.visible_case(p["onderzoeker"].member, case.id, Permission.READ)


def handreiking_walk_until_assigned(team: Team):
    w, p = team.work, team.people
    case = w.open(p["ondersteuning"].member, Report(f"{SECRETS[0]} en de {SECRETS[2]}.", SECRETS[0], SECRETS[1]), at(0))
    case = w.take(p["ondersteuning"].member, case, Action.REGISTREREN, at(1), forms=frozenset({ViolationForm.BELANG}))
    case = w.take(p["voorzitter"].member, case, Action.VOORONDERZOEK_STARTEN, at(2))
    case = w.take(p["adviseur"].member, case, Action.VOORONDERZOEK_AFRONDEN, at(3), reason="Concreet.")
    case = w.take(p["voorzitter"].member, case, Action.ONDERZOEK_INSTELLEN, at(4), reason="Nodig.", terms=f"Opdracht aan {SECRETS[3]}.",
                  investigator=p["onderzoeker"].member, entries=EXTERNAL)
    w.add_document(p["voorzitter"].member, case, SECRETS[5], "application/pdf", f"Inhoud: {SECRETS[6]}".encode(), at(5))
    return case


def test_an_undeclared_external_investigator_reads_nothing_through_the_library(team: Team):
    w, investigator = team.work, team["onderzoeker"].member
    case = handreiking_walk_until_assigned(team)
    with w.db.session() as s:
        assert s.get(WrapRow, (case.id, investigator.person)) is None  # no key either, not only no permission
    assert w.visible_case(investigator, case.id).id == case.id  # the case is in their list, to declare
    with pytest.raises(AccessDenied):
        w.visible_case(investigator, case.id, Permission.READ)
    with pytest.raises(AccessDenied):
        w.contents(investigator, case, at(6))
    document = w.document_list(case)[0].document_id
    with pytest.raises(AccessDenied):
        w.document(investigator, case, document, at(6))
    with pytest.raises(AccessDenied):
        w.add_note(investigator, case, "Een notitie", at(6))
    assert allowed_actions(investigator, case) == [Action.ONAFHANKELIJKHEID_VERKLAREN]
    with pytest.raises(AccessDenied):
        w.take(investigator, case, Action.BEVINDINGEN_VOORLEGGEN, at(6), entries=notification(at(6)))
    with pytest.raises(CaseError, match="Bevestig"):  # a declaration with a box unticked is no declaration
        w.take(investigator, case, Action.ONAFHANKELIJKHEID_VERKLAREN, at(6), entries={**DECLARATION, "geen-belang": ""})
    case = w.take(investigator, case, Action.ONAFHANKELIJKHEID_VERKLAREN, at(6), entries=DECLARATION)
    assert SECRETS[3] in w.contents(investigator, case, at(7)).fields["stap-4-onderzoeksopdracht"]
    assert w.document(investigator, case, document, at(7)).name == SECRETS[5]


def test_an_undeclared_external_investigator_reads_nothing_through_the_pages(engine_site: CaseSite):
    site = engine_site
    case = handreiking_walk_until_assigned(site.team)
    document = site.team.work.document_list(case)[0].document_id
    with site.client() as investigator:
        site.sign_in(investigator, "onderzoeker")
        page = investigator.get(f"{BASE}/zaak/{case.id}")
        assert page.status_code == 200 and "Verklaring van onafhankelijkheid afleggen" in page.text
        assert all(secret not in page.text for secret in SECRETS) and "Notitie toevoegen" not in page.text
        assert investigator.get(f"{BASE}/zaak/{case.id}/documenten/{document}").status_code == 404
        assert post(investigator, f"{BASE}/zaak/{case.id}/notitie", {"notitie": "x"}).status_code == 404
        upload = post(investigator, f"{BASE}/zaak/{case.id}/documenten", files={"document": ("a.pdf", b"%PDF", "application/pdf")})
        assert upload.status_code == 404
        refused = post(investigator, f"{BASE}/zaak/{case.id}/stap", {"actie": "bevindingen-voorleggen", **{
            f"bevindingen-voorleggen-{k}": v for k, v in notification(at(6)).items()}})
        assert refused.status_code == 403 and all(secret not in refused.text for secret in SECRETS)
        declared = post(investigator, f"{BASE}/zaak/{case.id}/stap", {"actie": "onafhankelijkheid-verklaren", **{
            f"onafhankelijkheid-verklaren-{k}": v for k, v in DECLARATION.items()}})
        assert declared.status_code == 303
        assert SECRETS[3] in investigator.get(f"{BASE}/zaak/{case.id}").text
        assert investigator.get(f"{BASE}/zaak/{case.id}/documenten/{document}").status_code == 200


def _mayor_recused_case(team: Team):
    from miv.web.accounts import add_user

    add_user(team.work.db, email("plaatsvervanger"), "Plaatsvervanger", "zaken", PASSWORD)
    deputy = team.work.grant("beheer", email("plaatsvervanger"), ORG, Role.CHAIR.value, at(0)).member
    w, p = team.work, team.people
    case = w.open(p["ondersteuning"].member, Report(SECRETS[2], SECRETS[0]), at(1), frozenset({p["voorzitter"].member.person}))
    case = w.take(p["ondersteuning"].member, case, Action.REGISTREREN, at(2), forms=frozenset({ViolationForm.CORRUPTIE}))
    case = w.take(deputy, case, Action.VOORONDERZOEK_STARTEN, at(3))
    case = w.take(deputy, case, Action.AANGIFTE_VASTLEGGEN, at(4), entries={"gemeld": day(4), "instantie": "politie", "kenmerk": SECRETS[8]})
    return case


def test_a_recused_chair_and_another_organisation_neither_see_nor_take_the_new_steps(team: Team):
    case = _mayor_recused_case(team)
    for name in ("voorzitter", "buitenstaander"):
        member = team[name].member
        assert allowed_actions(member, case) == []
        with pytest.raises(AccessDenied):
            team.work.visible_case(member, case.id)
        for action, entries in ((Action.AANGIFTE_VASTLEGGEN, {"gemeld": day(5), "instantie": "politie", "kenmerk": "x"}),):
            with pytest.raises(AccessDenied):
                team.work.take(member, case, action, at(5), entries=entries)
    entries = [e for e in team.work.organisation_log(team["auditor"].member) if e.case == case.id]
    assert any(e.action == "aangifte-vastleggen" for e in entries)


def test_through_the_pages_a_recused_chair_finds_no_new_step(engine_site: CaseSite):
    site = engine_site
    case = _mayor_recused_case(site.team)
    for name in ("voorzitter", "buitenstaander"):
        with site.client() as client:
            site.sign_in(client, name)
            assert client.get(f"{BASE}/zaak/{case.id}").status_code in (403, 404)
            for action in (Action.AANGIFTE_VASTLEGGEN, Action.VOORONDERZOEK_AFRONDEN):
                answer = post(client, f"{BASE}/zaak/{case.id}/stap", {"actie": action.value, f"{action.value}-gemeld": day(5),
                                                                     f"{action.value}-instantie": "politie", f"{action.value}-kenmerk": "x"})
                assert answer.status_code in (403, 404) and SECRETS[8] not in answer.text
    assert len(site.team.work.case(case.id).history) == 4


def test_a_code_deleted_with_its_mac_is_named_from_the_audit_entry(team: Team):
    """The writer deletes a recorded code and its MAC together, so the row's remaining MACs all
    hold: the step's audit entry lists the code, so verify-log names the field that is gone."""
    case = handreiking_walk(team)
    unnamed = []
    with team.work.db.session() as s:
        rows = {r.position: (r.action, r.details, r.mac) for r in s.scalars(select(StepRow).where(StepRow.case_id == case.id))}
    for position, (action, details, mac) in sorted(rows.items()):
        labels = {f.name: f.label for f in RULES[Action(action)].fields}
        for name in json.loads(details or "{}"):
            _set(team, case.id, position, "details", json.dumps({k: v for k, v in json.loads(details).items() if k != name}))
            _set(team, case.id, position, "mac", json.dumps({k: v for k, v in json.loads(mac).items() if k != f"gegeven:{name}"}))
            want = f"zaak {case.id}, stap {position + 1}: {labels[name]} verwijderd buiten de applicatie om"
            if not any(want in f for f in _findings(team)):
                unnamed.append(want)
            _set(team, case.id, position, "details", details)
            _set(team, case.id, position, "mac", mac)
    assert len(unnamed) == 0, unnamed
    assert _findings(team) == []
