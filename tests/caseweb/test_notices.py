"""Notices about a case by e-mail to a real (local, aiosmtpd) mail server: to the people
who hold its key, naming the case id and nothing of its content."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from miv.cases import Action, ViolationForm
from miv.store.cases import AuditRow

from .caseweb_support import ORG, email
from .web_cases import assert_content_free, mailing_site, post, report, step


def test_new_readers_hear_they_got_access_and_others_that_a_step_was_taken(tmp_path: Path):
    with mailing_site(tmp_path) as (site, inbox):
        support, chair = site.client(), site.client()
        site.sign_in(support, "ondersteuning")
        site.sign_in(chair, "voorzitter")
        case_id = report(site, support)
        assigned = {m["To"] for m in inbox.messages}
        assert assigned == {email("voorzitter"), email("adviseur")}
        assert all(m["Subject"] == f"Zaak {case_id}: er vraagt iets uw aandacht" for m in inbox.messages)
        assert "U hebt toegang gekregen tot zaak" in inbox.messages[0].get_content()
        inbox.messages.clear()
        step(support, case_id, Action.REGISTREREN, vormen=ViolationForm.BELANG.value)
        assert {m["To"] for m in inbox.messages} == {email("voorzitter"), email("adviseur")}
        assert all("In zaak" in m.get_content() and "nieuwe stap" in m.get_content() for m in inbox.messages)
        assert_content_free(inbox.messages, "belang")
        inbox.stop()
        step(chair, case_id, Action.VOORONDERZOEK_STARTEN)
        assert "Vooronderzoek" in chair.get(f"/beheer/zaken/{ORG}/zaak/{case_id}").text
        assert post(chair, f"/beheer/zaken/{ORG}/zaak/{case_id}/notitie", {"notitie": "na de storing"}).status_code == 303
        with site.db.session() as s:
            actions = list(s.scalars(select(AuditRow.action).where(AuditRow.action.startswith("bericht")).order_by(AuditRow.seq)))
        assert actions == ["bericht-verstuurd", "bericht-verstuurd", "bericht-mislukt"]
