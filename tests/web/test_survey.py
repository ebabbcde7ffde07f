"""The respondent's path over real HTTP against a real server: code entry, pages with
routing, validation at the field, back, save and resume, review, submit."""

from __future__ import annotations

import copy

from browser_support import PASSWORD, csrf
from fieldwork_support import QUESTIONNAIRE, WORD, small_monitor
from web_support import live

from miv import fieldwork as fw


def enter(site, email: str, word: str = WORD):
    """Sign in with the code; choose the resume word the first time, give it after that."""
    client = site.client()
    response = client.post("/start", data={"csrf": csrf(client, "/"), "code": site.codes[email]})
    assert response.status_code == 303
    where = response.headers["location"]
    if where == "/vragenlijst/begin":
        sent = client.post(where, data={"csrf": csrf(client, where), "woord": word, "herhaling": word})
    else:
        assert where == "/vragenlijst/herstelwoord"
        sent = client.post(where, data={"csrf": csrf(client, where), "woord": word})
    assert sent.status_code == 303 and sent.headers["location"] == "/vragenlijst", sent.text
    return client


def post(client, page: str, data: dict):
    return client.post(f"/vragenlijst/{page}", data={"csrf": csrf(client, f"/vragenlijst/{page}"), "actie": "volgende", **data})


def post_wrong(client, page: str, data: dict) -> str:
    """Post a page that does not pass; it redirects back to itself (post/redirect/get)."""
    response = post(client, page, data)
    assert response.headers["location"] == f"/vragenlijst/{page}"
    return client.get(f"/vragenlijst/{page}").text


def test_routing_skips_follow_up_for_non_victims_and_group_pages(site):
    client = enter(site, "bram@example.nl")  # raadslid: no burgemeester page
    assert client.get("/vragenlijst").headers["location"] == "/vragenlijst/veiligheid"
    page = client.get("/vragenlijst/veiligheid").text
    assert "Stap 1 van 4" in page and 'type="radio"' in page and "Wil ik niet zeggen" in page
    assert post(client, "veiligheid", {"AG_VERBAAL": "2", "AG_BEDREIGING": "99"}).headers["location"] == "/vragenlijst/integriteit"
    assert client.get("/vragenlijst/gevolgen").status_code == 404
    posted = client.post("/vragenlijst/gevolgen", data={"csrf": csrf(client, "/vragenlijst/integriteit"), "actie": "volgende", "AG_SOCIAL": "1"})
    assert posted.headers["location"] == "/vragenlijst"
    assert post(client, "integriteit", {"INT_BELANG": "2"}).headers["location"] == "/vragenlijst/controle"
    assert client.get("/vragenlijst/burgemeester").status_code == 404
    review = client.get("/vragenlijst/controle")
    assert "Via sociale media" not in review.text and "Wil ik niet zeggen" in review.text
    submit = client.post("/vragenlijst/controle", data={"csrf": csrf(client, "/vragenlijst/controle")})
    assert submit.headers["location"] == "/bedankt"
    fw.close_fieldwork(site.db, fw.Keys(site.settings.secret), site.fieldwork)
    [record] = fw.completed_records(site.db, site.fieldwork)
    assert record["AG_SOCIAL"] == -1 and record["AG_GERICHT_1"] == -1 and record["BM_BEVEILIGING"] == -1
    assert record["AG_BEDREIGING"] == 99 and record["UREN"] is None


def test_errors_are_shown_at_the_field_and_valid_answers_kept(site):
    client = enter(site, "anna@example.nl")
    html = post_wrong(client, "veiligheid", {"AG_VERBAAL": "1"})
    assert "<title>Fout: " in html
    assert 'id="AG_BEDREIGING-fout"' in html and 'aria-describedby="AG_BEDREIGING-fout"' in html
    assert '<a class="utrecht-link" href="#AG_BEDREIGING-veld">Kies een antwoord.</a>' in html
    assert 'id="AG_VERBAAL-1" name="AG_VERBAAL" value="1" checked' in html
    post(client, "veiligheid", {"AG_VERBAAL": "1", "AG_BEDREIGING": "2"})
    bad = post_wrong(client, "integriteit", {"INT_BELANG": "5", "UREN": "veel"})
    assert "Kies een van de antwoorden die bij deze vraag staan." in bad and "Vul een getal in, bijvoorbeeld 3 of 2,5." in bad
    assert 'value="veel"' in bad
    assert "Vul een getal in van 0 tot en met 100." in post_wrong(client, "integriteit", {"INT_BELANG": "2", "UREN": "120"})
    assert "Vul een getal in" not in client.get("/vragenlijst/integriteit").text  # the message is shown once
    both = post_wrong(client, "gevolgen", {"AG_SOCIAL": "1", "AG_GERICHT": ["1", "99"]})
    assert "Kies óf een of meer antwoorden, óf ‘Wil ik niet zeggen’." in both


def test_leave_and_resume_with_the_same_code_and_back_button(site):
    client = enter(site, "anna@example.nl")
    post(client, "veiligheid", {"AG_VERBAAL": "1", "AG_BEDREIGING": "2"})
    later = client.post("/vragenlijst/gevolgen", data={"csrf": csrf(client, "/vragenlijst/gevolgen"), "actie": "later", "AG_SOCIAL": "2"})
    assert "Uw antwoorden zijn bewaard" in later.text
    assert client.get("/vragenlijst/gevolgen").status_code == 403  # signed out

    again = enter(site, "anna@example.nl")
    assert again.get("/vragenlijst").headers["location"] == "/vragenlijst/gevolgen"
    page = again.get("/vragenlijst/gevolgen").text
    assert 'id="AG_SOCIAL-2" name="AG_SOCIAL" value="2" checked' in page
    back = again.post("/vragenlijst/gevolgen", data={"csrf": csrf(again, "/vragenlijst/gevolgen"), "actie": "vorige"})
    assert back.headers["location"] == "/vragenlijst/veiligheid"
    assert 'id="AG_VERBAAL-1" name="AG_VERBAAL" value="1" checked' in again.get("/vragenlijst/veiligheid").text


def test_review_blocks_submit_until_required_items_are_answered(site):
    client = enter(site, "dirk@example.nl")
    post(client, "veiligheid", {"AG_VERBAAL": "2", "AG_BEDREIGING": "2"})
    response = client.post("/vragenlijst/controle", data={"csrf": csrf(client, "/vragenlijst/controle")})
    assert response.headers["location"] == "/vragenlijst/controle"
    assert 'role="alert"' in client.get("/vragenlijst/controle").text
    assert 'href="/vragenlijst/integriteit?terug=controle#INT_BELANG-veld"' in client.get("/vragenlijst/controle").text
    fw.close_fieldwork(site.db, fw.Keys(site.settings.secret), site.fieldwork)
    assert fw.completed_records(site.db, site.fieldwork) == []


def test_codes_work_once_and_as_links(site):
    client = site.client()
    code = site.codes["cees@example.nl"]
    link = client.get(f"/start?code={code.lower()}")
    assert link.headers["location"] == "/vragenlijst/begin"
    client.post("/vragenlijst/begin", data={"csrf": csrf(client, "/vragenlijst/begin"), "woord": WORD, "herhaling": WORD})
    post(client, "veiligheid", {"AG_VERBAAL": "2", "AG_BEDREIGING": "2"})
    post(client, "integriteit", {"INT_BELANG": "2"})
    client.post("/vragenlijst/controle", data={"csrf": csrf(client, "/vragenlijst/controle")})
    other = site.client()
    reused = other.post("/start", data={"csrf": csrf(other, "/"), "code": code})
    assert reused.status_code == 400 and "onbekend of al gebruikt" in reused.text
    assert other.get("/vragenlijst").status_code == 403


def test_a_respondent_sees_only_their_own_answers(site):
    anna = enter(site, "anna@example.nl")
    post(anna, "veiligheid", {"AG_VERBAAL": "1", "AG_BEDREIGING": "1"})
    post(anna, "gevolgen", {"AG_SOCIAL": "1", "AG_GERICHT": ["2"]})
    bram = enter(site, "bram@example.nl")
    assert "checked" not in bram.get("/vragenlijst/veiligheid").text
    assert bram.get("/vragenlijst/gevolgen").status_code == 404
    assert "Op mijn geslacht" not in bram.get("/vragenlijst/controle").text


def test_follow_up_questions_on_the_same_page_appear_after_posting(site):
    client = enter(site, "bram@example.nl")
    assert "AG_MELDING" not in client.get("/vragenlijst/veiligheid").text
    response = post(client, "veiligheid", {"AG_VERBAAL": "2", "AG_BEDREIGING": "1"})
    assert response.headers["location"] == "/vragenlijst/veiligheid"
    html = client.get("/vragenlijst/veiligheid").text
    assert "er een vervolgvraag op deze pagina bijgekomen" in html and 'name="AG_MELDING"' in html
    assert post(client, "veiligheid", {"AG_VERBAAL": "2", "AG_BEDREIGING": "1", "AG_MELDING": "1"}).headers["location"] == "/vragenlijst/gevolgen"


def test_a_fieldwork_user_with_the_code_cannot_read_saved_answers(site):
    """The adversary of docs/anonymity.md who holds a started respondent's code (from the
    reminder file) opens the survey: without the resume word nothing of the answers shows."""
    anna = enter(site, "anna@example.nl")
    post(anna, "veiligheid", {"AG_VERBAAL": "1", "AG_BEDREIGING": "1", "AG_MELDING": "2"})
    post(anna, "gevolgen", {"AG_SOCIAL": "1", "AG_GERICHT": ["2"]})

    staff = site.client()
    staff.post("/beheer/inloggen", data={"csrf": csrf(staff, "/beheer/inloggen"), "email": "veld@bureau.nl", "password": PASSWORD})
    reminder = staff.post(f"/beheer/veldwerk/{site.fieldwork}/herinneringen", data={"csrf": csrf(staff, f"/beheer/veldwerk/{site.fieldwork}")})
    code = next(line.split(";")[3] for line in reminder.text.splitlines() if "anna@example.nl" in line)
    opened = staff.get(f"/start?code={code}")
    assert opened.headers["location"] == "/vragenlijst/herstelwoord"
    assert staff.get("/vragenlijst").headers["location"] == "/vragenlijst/herstelwoord"
    for path in ("/vragenlijst/veiligheid", "/vragenlijst/gevolgen", "/vragenlijst/controle"):
        seen = staff.get(path)
        assert seen.status_code == 403 and "checked" not in seen.text and "Op mijn geslacht" not in seen.text
    guesses = [staff.post("/vragenlijst/herstelwoord", data={"csrf": csrf(staff, "/vragenlijst/herstelwoord"), "woord": f"gok{n:05d}"})
               for n in range(11)]
    assert [g.status_code for g in guesses] == [400] * 10 + [429]  # guessing the word is limited
    assert staff.get("/vragenlijst/controle").status_code == 403
    # the respondent's own browser still has the key in its cookie
    assert 'id="AG_VERBAAL-1" name="AG_VERBAAL" value="1" checked' in anna.get("/vragenlijst/veiligheid").text


def test_a_forgotten_word_means_starting_again_without_the_old_answers(site):
    anna = enter(site, "anna@example.nl")
    post(anna, "veiligheid", {"AG_VERBAAL": "1", "AG_BEDREIGING": "2"})
    again = site.client()
    again.post("/start", data={"csrf": csrf(again, "/"), "code": site.codes["anna@example.nl"]})
    wrong = again.post("/vragenlijst/herstelwoord", data={"csrf": csrf(again, "/vragenlijst/herstelwoord"), "woord": "iets anders"})
    assert wrong.status_code == 400 and "Dit herstelwoord is niet juist." in wrong.text
    assert "worden uw eerder bewaarde antwoorden verwijderd" in again.get("/vragenlijst/begin?opnieuw").text
    short = again.post("/vragenlijst/begin", data={"csrf": csrf(again, "/vragenlijst/begin"), "woord": "kort", "herhaling": "kort"})
    assert short.status_code == 400 and "ten minste 8 tekens" in short.text
    new = again.post("/vragenlijst/begin", data={"csrf": csrf(again, "/vragenlijst/begin"), "woord": "nieuw woord", "herhaling": "nieuw woord"})
    assert new.headers["location"] == "/vragenlijst"
    assert "checked" not in again.get("/vragenlijst/veiligheid").text
    assert anna.get("/vragenlijst/veiligheid").status_code == 403  # the old key opens nothing any more


def test_the_introduction_comes_before_the_first_page(site):
    client = site.client()
    client.get(f"/start?code={site.codes['bram@example.nl']}")
    intro = client.get("/vragenlijst/begin").text
    assert "Deze vragenlijst gaat over agressie en integriteit." in intro
    assert "invullen duurt ongeveer" in intro and "3 pagina's met vragen" in intro and "onderzoek@example.nl" in intro and "zonder uw naam" in intro


def test_change_from_the_review_returns_to_the_review_and_steps_stay_put(site):
    client = enter(site, "anna@example.nl")  # burgemeester: four pages for her group, review the fifth step
    assert "Stap 1 van 5" in client.get("/vragenlijst/veiligheid").text
    post(client, "veiligheid", {"AG_VERBAAL": "2", "AG_BEDREIGING": "2"})  # not a victim: 'gevolgen' is routed out
    assert "Stap 3 van 5" in client.get("/vragenlijst/integriteit").text  # the total does not shrink
    post(client, "integriteit", {"INT_BELANG": "2"})
    post(client, "burgemeester", {"BM_BEVEILIGING": "2"})
    review = client.get("/vragenlijst/controle").text
    assert "Stap 5 van 5" in review and 'href="/vragenlijst/veiligheid?terug=controle"' in review
    page = client.get("/vragenlijst/veiligheid?terug=controle").text
    assert 'name="terug" value="controle"' in page
    changed = client.post("/vragenlijst/veiligheid", data={"csrf": csrf(client, "/vragenlijst/veiligheid?terug=controle"), "actie": "volgende",
                                                            "terug": "controle", "AG_VERBAAL": "99", "AG_BEDREIGING": "2"})
    assert changed.headers["location"] == "/vragenlijst/controle"
    follow = client.post("/vragenlijst/veiligheid", data={"csrf": csrf(client, "/vragenlijst/veiligheid"), "actie": "volgende",
                                                           "terug": "controle", "AG_VERBAAL": "2", "AG_BEDREIGING": "1"})
    assert follow.headers["location"] == "/vragenlijst/veiligheid?terug=controle"  # a follow-up appeared: stay, then back
    html = client.get(follow.headers["location"]).text
    assert "er een vervolgvraag op deze pagina bijgekomen: ‘Heeft u de bedreiging gemeld?’" in html


def test_number_items_show_their_missing_codes(tmp_path):
    questionnaire = copy.deepcopy(QUESTIONNAIRE)
    next(i for p in questionnaire["pages"] for i in p["items"] if i["code"] == "UREN")["missing"] = [99]
    with live(f"sqlite:///{tmp_path / 'num.db'}", monitor=small_monitor(questionnaire)) as site:
        client = enter(site, "bram@example.nl")
        post(client, "veiligheid", {"AG_VERBAAL": "2", "AG_BEDREIGING": "2"})
        page = client.get("/vragenlijst/integriteit").text
        assert 'name="UREN-code" value="99"' in page and "Of: Wil ik niet zeggen" in page
        assert post(client, "integriteit", {"INT_BELANG": "2", "UREN-code": "99"}).headers["location"] == "/vragenlijst/controle"
        assert 'id="UREN-99" name="UREN-code" value="99" checked' in client.get("/vragenlijst/integriteit").text
        assert "Wil ik niet zeggen" in client.get("/vragenlijst/controle").text
        both = post_wrong(client, "integriteit", {"INT_BELANG": "2", "UREN": "1.000", "UREN-code": "99"})
        assert "Vul óf een getal in, óf kies ‘Wil ik niet zeggen’." in both
        assert "Vul een getal in van 0 tot en met 100." in post_wrong(client, "integriteit", {"INT_BELANG": "2", "UREN": "1.000"})


def test_the_accessibility_statement_follows_the_digitoegankelijk_model(site):
    html = site.client().get("/toegankelijkheid").text
    sections = ["Nalevingsstatus", "Onderzoek", "Bekende problemen", "Feedback en contact", "Handhavingsprocedure", "Datum van deze verklaring"]
    positions = [html.index(f">{name}</h2>") for name in sections]
    assert positions == sorted(positions)
    assert "WCAG 2.2" in html and "axe-core" in html and "Datum laatste onderzoek" in html and "onderzoek@example.nl" in html


def test_the_app_deletes_unfinished_answers_past_the_retention_period(tmp_path):
    import datetime as dt

    from browser_support import serve
    from fieldwork_support import start
    from sqlalchemy import select

    from miv.store.fieldwork import Progress
    from miv.web import create_app

    with live(f"sqlite:///{tmp_path / 'keep.db'}", progress_days=10) as site:
        keys = fw.Keys(site.settings.secret)
        old = start(site.db, keys, site.codes["anna@example.nl"])
        fw.change_answers(site.db, keys, *old, lambda a: a | {"AG_VERBAAL": 1}, today=dt.date.today() - dt.timedelta(days=11))
        fresh = start(site.db, keys, site.codes["bram@example.nl"])
        fw.change_answers(site.db, keys, *fresh, lambda a: a | {"AG_VERBAAL": 2}, today=dt.date.today() - dt.timedelta(days=9))
        with serve(create_app(site.settings)):  # another app process: it purges when it starts
            with site.db.session() as s:
                assert list(s.scalars(select(Progress.invitation_id))) == [fresh[0]]


def test_a_copied_respondent_cookie_opens_nothing_after_leaving_or_submitting(site):
    """The adversary who copied a respondent's session cookie while the survey was open (a
    shared computer, a synced browser profile) replays it, with the form token it holds,
    after the respondent chose 'Opslaan en later verder' and after they submitted: it reads
    no answer, changes none and submits nothing."""
    pages = ("/vragenlijst", "/vragenlijst/veiligheid", "/vragenlijst/gevolgen", "/vragenlijst/controle")

    def copy_of(respondent, page: str) -> tuple[str, str]:
        return respondent.cookies["miv"], csrf(respondent, page)

    def replay(copied: tuple[str, str]) -> list[int]:
        statuses = []
        for path in pages:
            thief = site.client()
            thief.cookies.set("miv", copied[0])
            seen = thief.get(path)
            assert "checked" not in seen.text and "Op mijn geslacht" not in seen.text
            statuses.append(seen.status_code)
        for path, data in (("/vragenlijst/gevolgen", {"actie": "volgende", "AG_SOCIAL": "2", "AG_GERICHT": ["6"]}), ("/vragenlijst/controle", {})):
            thief = site.client()
            thief.cookies.set("miv", copied[0])
            statuses.append(thief.post(path, data={"csrf": copied[1], **data}).status_code)
        return statuses

    anna = enter(site, "anna@example.nl")
    post(anna, "veiligheid", {"AG_VERBAAL": "1", "AG_BEDREIGING": "1", "AG_MELDING": "2"})
    copied = copy_of(anna, "/vragenlijst/gevolgen")
    while_open = site.client()
    while_open.cookies.set("miv", copied[0])
    assert 'value="1" checked' in while_open.get("/vragenlijst/veiligheid").text  # the open session: her own device, not covered
    anna.post("/vragenlijst/gevolgen", data={"csrf": copied[1], "actie": "later", "AG_SOCIAL": "1", "AG_GERICHT": ["2"]})
    assert replay(copied) == [403] * 6

    again = enter(site, "anna@example.nl")
    assert 'id="AG_GERICHT-2" name="AG_GERICHT" value="2" checked' in again.get("/vragenlijst/gevolgen").text  # nothing changed
    post(again, "integriteit", {"INT_BELANG": "2"})
    post(again, "burgemeester", {"BM_BEVEILIGING": "2"})
    copied = copy_of(again, "/vragenlijst/controle")
    assert again.post("/vragenlijst/controle", data={"csrf": copied[1]}).headers["location"] == "/bedankt"
    assert replay(copied) == [403] * 6
    fw.close_fieldwork(site.db, fw.Keys(site.settings.secret), site.fieldwork)
    [record] = fw.completed_records(site.db, site.fieldwork)
    assert (record["AG_SOCIAL"], record["AG_GERICHT_2"], record["AG_GERICHT_6"]) == (1, 1, 0)
