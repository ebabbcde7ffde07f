"""Fieldwork staff over real HTTP: open the real questionnaire from monitor/, import a list
(CSV and Excel, with errors shown per row), mailings, monitoring, close."""

from __future__ import annotations

import io
import re

from browser_support import PASSWORD, csrf, login
from fieldwork_support import INVITATIONS_CSV, WORD, start
from openpyxl import Workbook
from sqlalchemy import select

from miv import fieldwork as fw
from miv.store.users import User


def test_open_the_real_ambtsdragers_questionnaire_and_import_lists(site):
    client = site.client()
    login(client, "veld@bureau.nl")
    overview = client.get("/beheer").text
    assert '<option value="2024/ambtsdragers">' in overview
    opened = client.post("/beheer/veldwerk", data={"csrf": csrf(client, "/beheer"), "vragenlijst": "2024/ambtsdragers"})
    # the test site already has 2024/ambtsdragers from the small definition: refused with a message
    assert opened.status_code == 400 and "al geopend" in opened.text
    opened = client.post("/beheer/veldwerk", data={"csrf": csrf(client, "/beheer"), "vragenlijst": "2022/ambtsdragers"})
    assert opened.status_code == 303
    page = opened.headers["location"]

    bad = INVITATIONS_CSV.replace("raadslid;gemeente", "raadslid;provincie").encode()
    response = client.post(f"{page}/uitnodigingen", data={"csrf": csrf(client, page)}, files={"bestand": ("lijst.csv", bad, "text/csv")})
    assert response.status_code == 400
    assert "lijst.csv, rij 3, kolom bestuurslaag: &#39;provincie&#39; past niet bij doelgroep raadslid; verwacht gemeente" in response.text

    book = Workbook()
    sheet = book.active
    for line in INVITATIONS_CSV.strip().splitlines():
        sheet.append(line.split(";"))
    content = io.BytesIO()
    book.save(content)
    response = client.post(f"{page}/uitnodigingen", data={"csrf": csrf(client, page)},
                           files={"bestand": ("lijst.xlsx", content.getvalue(), "application/octet-stream")})
    assert response.status_code == 200 and "4 uitnodigingen ingelezen" in response.text
    assert "<svg" in response.text and "Totaal" in response.text

    mailing = client.get(f"{page}/uitnodigingen.csv")
    assert mailing.headers["content-type"].startswith("text/csv")
    lines = mailing.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "naam;e-mail;organisatie;code;link;status" and len(lines) == 5
    code = lines[1].split(";")[3]
    assert lines[1].split(";")[4] == f"{site.settings.base_url}/start?code={code}"

    respondent = site.client()
    assert respondent.get(f"/start?code={code}").headers["location"] == "/vragenlijst/begin"
    respondent.post("/vragenlijst/begin", data={"csrf": csrf(respondent, "/vragenlijst/begin"), "woord": WORD, "herhaling": WORD})
    first = respondent.get(respondent.get("/vragenlijst").headers["location"])
    assert "Stap 1 van" in first.text

    monitor = client.get(page).text
    assert "Uitgenodigd" in monitor and "burgemeester" in monitor
    assert "Gemeenten" in monitor and "Vrouw" in monitor and ">utrecht<" not in monitor  # labels, not codes
    assert re.search(r'<h1 class="utrecht-heading-1">Vragenlijst politieke ambtsdragers (\d{4})</h1>', monitor)  # the year once
    assert monitor.count('<figure class="miv-chart">') == 4  # one chart per group of the list
    assert "burgemeester: uitgenodigd 1, begonnen 1, pagina 1 af 0" in monitor  # drop-off per page


def test_close_is_for_admins_and_ends_answering(site):
    respondent = site.client()
    respondent.post("/start", data={"csrf": csrf(respondent, "/"), "code": site.codes["anna@example.nl"]})
    respondent.post("/vragenlijst/begin", data={"csrf": csrf(respondent, "/vragenlijst/begin"), "woord": WORD, "herhaling": WORD})
    admin = site.client()
    login(admin, "admin@bureau.nl")
    page = f"/beheer/veldwerk/{site.fieldwork}"
    assert "Veldwerk sluiten…" in admin.get(page).text
    confirm = admin.get(f"{page}/sluiten").text
    assert "kan niet ongedaan worden gemaakt" in confirm and "onvoltooide antwoorden van 1 persoon definitief verwijderd" in confirm
    assert "de 0 verzonden vragenlijsten" in confirm
    assert "Het veldwerk is open." in admin.get(page).text  # looking at the question closes nothing
    assert admin.post(f"{page}/sluiten", data={"csrf": csrf(admin, f"{page}/sluiten")}).status_code == 303
    assert "Het veldwerk is gesloten." in admin.get(page).text
    assert respondent.get("/vragenlijst/veiligheid").status_code == 403
    reminder = admin.post(f"{page}/herinneringen", data={"csrf": csrf(admin, page)})
    assert reminder.status_code == 400 and "gesloten" in reminder.text


def test_admin_adds_users_with_checked_input(site):
    admin = site.client()
    login(admin, "admin@bureau.nl")
    short = admin.post("/beheer/gebruikers", data={"csrf": csrf(admin, "/beheer/gebruikers"), "email": "n@bureau.nl",
                                                    "name": "Nina", "role": "fieldwork", "password": "kort"})
    assert short.status_code == 400 and "minstens 12 tekens" in short.text
    ok = admin.post("/beheer/gebruikers", data={"csrf": csrf(admin, "/beheer/gebruikers"), "email": "n@bureau.nl",
                                                 "name": "Nina", "role": "fieldwork", "password": "lang genoeg wachtwoord"})
    assert ok.status_code == 200 and "n@bureau.nl" in ok.text


def test_mailing_cells_cannot_run_as_formulas_and_reminders_skip_submitters(site):
    keys = fw.Keys(site.settings.secret)
    evil = "naam;e-mail;doelgroep;bestuurslaag;organisatie;geslacht;provincie;grootteklasse\n" \
           '=HYPERLINK("https://x.nl");eve@example.nl;raadslid;gemeente;@SUM(1);vrouw;utrecht;tot-20k\n'
    fw.import_invitations(site.db, keys, site.fieldwork, "lijst.csv", evil.encode())
    fw.submit(site.db, keys, *start(site.db, keys, site.codes["anna@example.nl"]))
    staff = site.client()
    login(staff, "veld@bureau.nl")
    page = f"/beheer/veldwerk/{site.fieldwork}"
    reminder = staff.post(f"{page}/herinneringen", data={"csrf": csrf(staff, page)}).content.decode("utf-8-sig")
    eve = next(line for line in reminder.splitlines() if "eve@example.nl" in line)
    assert eve.startswith("\"'=HYPERLINK(") and ";'@SUM(1);" in eve
    assert "anna@example.nl" not in reminder and "bram@example.nl" in reminder


def test_a_fieldwork_id_out_of_range_is_not_found(site):
    staff = site.client()
    login(staff, "admin@bureau.nl")
    for number in (999, 2**31, 10**30):
        assert staff.get(f"/beheer/veldwerk/{number}").status_code == 404
    assert staff.post(f"/beheer/gebruikers/{2**40}/status", data={"csrf": csrf(staff, "/beheer/gebruikers"), "actief": "0"}).status_code == 404


def test_admin_deactivates_users_and_resets_passwords(site):
    vera = site.client()
    login(vera, "veld@bureau.nl")
    assert vera.get("/beheer").status_code == 200
    admin = site.client()
    login(admin, "admin@bureau.nl")
    users = admin.get("/beheer/gebruikers").text
    vera_id = fw_user_id(site, "veld@bureau.nl")
    off = admin.post(f"/beheer/gebruikers/{vera_id}/status", data={"csrf": csrf(admin, "/beheer/gebruikers"), "actief": "0"})
    assert off.status_code == 200 and "veld@bureau.nl is gedeactiveerd" in off.text and "Weer activeren" in off.text
    assert vera.get("/beheer").headers["location"].startswith("/beheer/inloggen")  # signed out at once
    assert login_fails(site, "veld@bureau.nl", PASSWORD)
    own = admin.post(f"/beheer/gebruikers/{fw_user_id(site, 'admin@bureau.nl')}/status", data={"csrf": csrf(admin, "/beheer/gebruikers"), "actief": "0"})
    assert own.status_code == 400 and "eigen account niet deactiveren" in own.text
    admin.post(f"/beheer/gebruikers/{vera_id}/status", data={"csrf": csrf(admin, "/beheer/gebruikers"), "actief": "1"})
    vera = site.client()
    login(vera, "veld@bureau.nl")
    assert vera.get("/beheer").status_code == 200
    short = admin.post("/beheer/gebruikers/wachtwoord", data={"csrf": csrf(admin, "/beheer/gebruikers"), "gebruiker": str(vera_id), "password": "kort"})
    assert short.status_code == 400 and "minstens 12 tekens" in short.text
    reset = admin.post("/beheer/gebruikers/wachtwoord", data={"csrf": csrf(admin, "/beheer/gebruikers"), "gebruiker": str(vera_id),
                                                             "password": "een heel nieuw wachtwoord"})
    assert reset.status_code == 200 and "nieuw wachtwoord" in reset.text
    assert vera.get("/beheer").headers["location"].startswith("/beheer/inloggen")  # her sessions ended (revoke_user_sessions)
    assert login_fails(site, "veld@bureau.nl", PASSWORD)
    assert "Vera" in users


def fw_user_id(site, email: str) -> int:
    with site.db.session() as s:
        return s.scalar(select(User.id).where(User.email == email))


def login_fails(site, email: str, password: str) -> bool:
    client = site.client()
    response = client.post("/beheer/inloggen", data={"csrf": csrf(client, "/beheer/inloggen"), "email": email, "password": password})
    return response.status_code == 400
