"""A case from report to closure through the pages, by the people of each role, on a real
SQLite file and document folder; then the bytes on disk hold none of its content."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timezone
from pathlib import Path

from browser_support import csrf
import pyotp
from sqlalchemy import select

from miv.cases import Action, Outcome, ViolationForm
from miv.store.cases import AuditRow, WrapRow
from miv.web.accounts import add_user

from .caseweb_support import DECLARATION, SECRETS, notification, response
from .web_cases import BASE, CaseSite, post, report, step


def test_a_case_from_report_to_closure_leaves_no_plaintext_on_disk(site: CaseSite, tmp_path: Path):
    people = site.team.people
    clients = {}
    for name in ("ondersteuning", "voorzitter", "adviseur", "onderzoeker", "auditor"):
        clients[name] = site.client()
        site.sign_in(clients[name], name)
    support, chair, adviser, investigator, auditor = (clients[n] for n in ("ondersteuning", "voorzitter", "adviseur", "onderzoeker", "auditor"))
    case_id = report(site, support)
    page = support.get(f"{BASE}/zaak/{case_id}").text
    assert SECRETS[0] in page and "Melding ontvangen" in page and "Registreren en ontvangst bevestigen" in page
    step(support, case_id, Action.REGISTREREN, vormen=ViolationForm.BELANG.value)
    step(chair, case_id, Action.VOORONDERZOEK_STARTEN)
    step(adviser, case_id, Action.VOORONDERZOEK_AFRONDEN, reden="Concreet en geloofwaardig.")
    step(chair, case_id, Action.ONDERZOEK_INSTELLEN, reden="Ernstig genoeg.", onderzoeksopdracht=f"Opdracht aan {SECRETS[3]}.",
         onderzoeker=people["onderzoeker"].member.person, soort="extern")
    page = investigator.get(f"{BASE}/zaak/{case_id}").text
    assert SECRETS[3] not in page and "Verklaring van onafhankelijkheid afleggen" in page
    step(investigator, case_id, Action.ONAFHANKELIJKHEID_VERKLAREN, **DECLARATION)
    page = investigator.get(f"{BASE}/zaak/{case_id}").text
    assert SECRETS[3] in page and "Conceptbevindingen aan de betrokkene voorleggen" in page
    assert post(investigator, f"{BASE}/zaak/{case_id}/notitie", {"notitie": SECRETS[7]}).status_code == 303
    upload = post(investigator, f"{BASE}/zaak/{case_id}/documenten", files={"document": (SECRETS[5], f"Inhoud: {SECRETS[6]}".encode(), "application/pdf")})
    assert upload.status_code == 303
    page = chair.get(f"{BASE}/zaak/{case_id}").text
    assert SECRETS[7] in page and SECRETS[5] in page
    link = re.search(rf'href="({BASE}/zaak/{case_id}/documenten/[0-9a-f]+)"', page).group(1)
    download = chair.get(link)
    assert download.content == f"Inhoud: {SECRETS[6]}".encode() and "verslag-pietersen.pdf" in download.headers["content-disposition"]
    today = datetime.now(timezone.utc)
    step(investigator, case_id, Action.BEVINDINGEN_VOORLEGGEN, **notification(today))
    step(support, case_id, Action.WEDERHOOR_VASTLEGGEN, **response(today, SECRETS[9], SECRETS[10]))
    step(investigator, case_id, Action.RAPPORT_OPLEVEREN, reden="Wederhoor verwerkt.")
    assert investigator.get(f"{BASE}/zaak/{case_id}").status_code == 404
    step(chair, case_id, Action.BESLUITEN, reden=SECRETS[4], uitkomst=Outcome.GEGROND.value)
    step(support, case_id, Action.COMMUNICATIE_AFRONDEN, reden="Per brief.")
    step(chair, case_id, Action.AFSLUITEN, reden="Nazorg gegeven.")
    page = chair.get(f"{BASE}/zaak/{case_id}").text
    assert "Afgesloten" in page and "Volgende stap" not in page and "Notitie toevoegen" not in page
    audit_page = "".join(auditor.get(f"{BASE}{path}").text for path in (f"/zaak/{case_id}", "/logboek", f"/zaak/{case_id}/logboek"))
    assert "Afgesloten" in audit_page and all(secret not in audit_page for secret in SECRETS)
    assert "geen wijzigingen gevonden" in audit_page
    with site.db.session() as s:
        actions = set(s.scalars(select(AuditRow.action).where(AuditRow.case_id == case_id)))
    assert {"melden", "afsluiten", "lezen", "zaak-bekeken", "document-toevoegen", "document-lezen", "notitie-toevoegen",
            "toegang-verleend", "toegang-ingetrokken", "logboek-bekeken"} <= actions
    site.app.state.db.dispose()
    site.close()
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("miv.db*")) + b"".join(
        p.read_bytes() for p in (tmp_path / "documenten").rglob("*") if p.is_file())
    assert len(stored) > 50_000
    for secret in SECRETS:
        for encoding in ("utf-8", "utf-16-le"):
            assert secret.encode(encoding) not in stored, secret


def test_a_step_without_its_reason_is_refused_with_a_dutch_message_and_nothing_is_saved(site: CaseSite):
    with site.client() as support, site.client() as chair:
        site.sign_in(support, "ondersteuning")
        site.sign_in(chair, "voorzitter")
        case_id = report(site, support)
        response = post(support, f"{BASE}/zaak/{case_id}/stap", {"actie": Action.REGISTREREN.value})
        assert response.status_code == 400 and "Vul ten minste één vorm van integriteitsschending in" in response.text
        assert "Melding ontvangen" in chair.get(f"{BASE}/zaak/{case_id}").text
        response = post(chair, f"{BASE}/nieuw", {"omschrijving": "", "betrokkene": ""})
        assert response.status_code == 400 and "Vul de omschrijving van de melding in." in response.text
        assert "<title>Fout: " in response.text


def test_a_totp_code_works_once_and_failures_are_logged(site: CaseSite):
    with site.client() as client:
        site.sign_in(client, "voorzitter")
        used = site.used["voorzitter"]
    with site.client() as again:
        again.post("/beheer/inloggen", data={"csrf": csrf(again, "/beheer/inloggen"), "email": "voorzitter@zaken.nl",
                                             "password": "correct horse battery", "next": "/beheer"})
        page = again.get("/beheer/zaken/tweestaps").text
        assert "miv-secret" not in page, "an enrolled secret is never shown again"
        replay = pyotp.TOTP(site.secrets["voorzitter"]).at(used * 30)
        response = post(again, "/beheer/zaken/tweestaps", {"code": replay})
        assert response.status_code == 400 and "onjuist of al gebruikt" in response.text
        assert again.get(BASE).status_code == 303
    with site.db.session() as s:
        actions = list(s.scalars(select(AuditRow.action).where(AuditRow.action.startswith("inloggen"))))
    assert actions == ["inloggen", "inloggen-mislukt"]


def test_the_chair_grants_and_revokes_a_role_and_the_wraps_follow(site: CaseSite):
    user_id = str(add_user(site.db, "nieuw@zaken.nl", "Nieuwe Adviseur", "zaken", "correct horse battery"))
    with site.client() as chair:
        site.sign_in(chair, "voorzitter")
        case_id = report(site, chair)
        response = post(chair, f"{BASE}/toegang", {"email": "nieuw@zaken.nl", "rol": "integriteitsadviseur"})
        assert response.status_code == 303
        page = chair.get(f"{BASE}/toegang").text
        assert "Nieuwe Adviseur" in page
        assert f'name="verwijder" value="{user_id}"' in page and "Intrekken<span class=\"miv-visually-hidden\"> voor Nieuwe Adviseur" in page
        with site.db.session() as s:
            assert f"u{user_id}" in set(s.scalars(select(WrapRow.person).where(WrapRow.case_id == case_id)))
        assert post(chair, f"{BASE}/toegang", {"verwijder": user_id}).status_code == 303
        with site.db.session() as s:
            assert f"u{user_id}" not in set(s.scalars(select(WrapRow.person).where(WrapRow.case_id == case_id)))
        response = post(chair, f"{BASE}/toegang", {"email": "onbekend@zaken.nl", "rol": "auditor"})
        assert response.status_code == 400 and "er is geen gebruiker met e-mailadres onbekend@zaken.nl" in response.text


def test_figures_export_in_the_shape_of_the_organisation_questionnaire(site: CaseSite):
    with site.client() as chair:
        site.sign_in(chair, "voorzitter")
        case_id = report(site, chair)
        step(chair, case_id, Action.REGISTREREN, vormen=ViolationForm.GESCHENKEN.value)
        year = site.team.work.case(case_id).received_at.year
        rows = list(csv.DictReader(io.StringIO(chair.get(f"{BASE}/cijfers.csv?jaar={year}").content.decode("utf-8-sig")), delimiter=";"))
        data = chair.get(f"{BASE}/cijfers.json?jaar={year}").json()
        assert chair.get(f"{BASE}/cijfers?jaar=twintig").status_code == 400
    assert len(rows) == 1 and rows[0]["questionnaire"] == "organisaties" and rows[0]["organisation"] == "Gemeente Utrecht"
    assert rows[0]["MELD_AANTAL"] == "1" and rows[0]["MELD_GESCHENKEN"] == "1" and rows[0]["MELD_LOPEND"] == "1"
    assert data["rows"][0]["MELD_AANTAL"] == 1 and data["variables"]["MELD_AANTAL"].startswith("Aantal meldingen")
    assert case_id not in json.dumps(data)


def test_the_log_page_names_the_os_account_and_host_of_a_command(site: CaseSite):
    """An entry `miv cases remove-member` wrote shows who ran it by the operating system, in "Wie"."""
    from miv.casework import Casework, account_id

    team = site.team
    command = Casework(site.db, team.work.master, team.work.documents, anchor=team.work.anchor.path,
                       origin={"os-gebruiker": "jdevries", "host": "miv-app-1"})
    command.revoke("beheer", account_id(site.db, "onderzoeker-2@zaken.nl"), team["voorzitter"].member.organisation,
                   datetime.now(timezone.utc))
    chair = site.client()
    site.sign_in(chair, "voorzitter")
    page = chair.get(f"{BASE}/logboek").text
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*lid-verwijderd(?:(?!</tr>).)*</tr>", page, re.S).group(0)
    assert "beheer (OS-gebruiker jdevries op miv-app-1)" in row and "host:" not in row, row
    assert "geen wijzigingen gevonden" in page
