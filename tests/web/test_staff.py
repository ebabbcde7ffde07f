"""Fieldwork staff over real HTTP: open the real questionnaire from monitor/, import a list
(CSV and Excel, with errors shown per row), mailings, monitoring, close."""

from __future__ import annotations

import io

from browser_support import csrf, login
from fieldwork_support import INVITATIONS_CSV, WORD
from openpyxl import Workbook


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


def test_close_is_for_admins_and_ends_answering(site):
    respondent = site.client()
    respondent.post("/start", data={"csrf": csrf(respondent, "/"), "code": site.codes["anna@example.nl"]})
    admin = site.client()
    login(admin, "admin@bureau.nl")
    page = f"/beheer/veldwerk/{site.fieldwork}"
    assert "Veldwerk sluiten" in admin.get(page).text
    assert admin.post(f"{page}/sluiten", data={"csrf": csrf(admin, page)}).status_code == 303
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
