"""Invitations and reminders sent by SMTP to a real (local, aiosmtpd) mail server."""

from __future__ import annotations

from browser_support import csrf, login
from mail_support import mail_server
from postgres_support import free_port
from web_support import live

from fieldwork_support import start

from miv import fieldwork as fw
from miv.fieldwork.mail import Smtp


def test_send_invitations_and_reminders(tmp_path):
    with mail_server() as inbox:
        smtp = Smtp(host="127.0.0.1", port=inbox.port, starttls=False, sender="Bureau Onderzoek <veldwerk@bureau.nl>")
        with live(f"sqlite:///{tmp_path / 'mail.db'}", smtp=smtp) as site:
            staff = site.client()
            login(staff, "veld@bureau.nl")
            page = f"/beheer/veldwerk/{site.fieldwork}"
            sent = staff.post(f"{page}/versturen", data={"csrf": csrf(staff, page), "soort": "uitnodiging"})
            assert sent.status_code == 200 and "4 uitnodigingen verstuurd per e-mail." in sent.text
            assert len(inbox.messages) == 4
            anna = next(m for m in inbox.messages if m["To"] == "anna@example.nl")
            assert anna["Subject"] == "Uitnodiging: Monitor Integriteit en Veiligheid 2024"
            body = anna.get_content()
            assert f"{site.settings.base_url}/start?code={site.codes['anna@example.nl']}" in body and "Beste Anna de Vries" in body

            keys = fw.Keys(site.settings.secret)
            fw.submit(site.db, keys, *start(site.db, keys, site.codes["anna@example.nl"]))
            staff.post(f"{page}/versturen", data={"csrf": csrf(staff, page), "soort": "herinnering"})
            reminders = inbox.messages[4:]
            assert sorted(m["To"] for m in reminders) == ["bram@example.nl", "cees@example.nl", "dirk@example.nl"]
            assert all(m["Subject"].startswith("Herinnering: ") for m in reminders)


def test_unreachable_mail_server_is_a_clear_message(tmp_path):
    with live(f"sqlite:///{tmp_path / 'nomail.db'}", smtp=Smtp(host="127.0.0.1", port=free_port(), starttls=False)) as site:
        staff = site.client()
        login(staff, "admin@bureau.nl")
        page = f"/beheer/veldwerk/{site.fieldwork}"
        failed = staff.post(f"{page}/versturen", data={"csrf": csrf(staff, page), "soort": "uitnodiging"})
        assert failed.status_code == 400 and "onbereikbaar" in failed.text
