"""Point 10 of docs/anonymity.md, attacked by someone who reads the logs: a respondent walks
the survey with their code (as a link and typed), a wrong code, a wrong resume word, an
unknown page with the code in the query, answers with a text and a number, and submits;
then the attacker searches everything the server wrote for the code, the word, the answers,
the paths and the client address."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from browser_support import csrf, serve
from postgres_support import free_port
from web_support import SECRET, make_site

from miv.web import create_app

ADDRESS = "192.0.2.77"  # the respondent, as the proxy on loopback forwards it
WORD = "geheim herstelwoord"
TEXT = "mijn buurman Xq7 bedreigde mij"


def walk(client: httpx.Client, code: str, other_code: str) -> None:
    """The respondent's walk; every step must work, so the search below sees a real one."""
    assert client.post("/start", data={"csrf": csrf(client, "/"), "code": "ZZZZ-ZZZZ-ZZZZ"}).status_code == 400
    assert client.get(f"/start?code={code}").headers["location"] == "/vragenlijst/begin"
    begin = client.post("/vragenlijst/begin", data={"csrf": csrf(client, "/vragenlijst/begin"), "woord": WORD, "herhaling": WORD})
    assert begin.headers["location"] == "/vragenlijst"
    for page, answers in (("veiligheid", {"AG_VERBAAL": "1", "AG_BEDREIGING": "2"}), ("gevolgen", {"AG_SOCIAL": "1", "AG_GERICHT": ["2"]}),
                          ("integriteit", {"INT_BELANG": "2", "UREN": "37,5", "TOELICHTING": TEXT}), ("burgemeester", {"BM_BEVEILIGING": "2"})):
        sent = client.post(f"/vragenlijst/{page}", data={"csrf": csrf(client, f"/vragenlijst/{page}"), "actie": "volgende", **answers})
        assert sent.status_code == 303, sent.text
    assert client.get(f"/vragenlijst/bestaat-niet?code={code}").status_code == 404
    submitted = client.post("/vragenlijst/controle", data={"csrf": csrf(client, "/vragenlijst/controle")})
    assert submitted.headers["location"] == "/bedankt"
    assert client.get(f"/start?code={code}").status_code == 400  # used
    client.get(f"/start?code={other_code}")  # someone else's code with saved answers: the word is asked
    wrong = client.post("/vragenlijst/herstelwoord", data={"csrf": csrf(client, "/vragenlijst/herstelwoord"), "woord": "verkeerd woord"})
    assert wrong.status_code == 400


def leaked(output: str, code: str) -> list[str]:
    secrets = [code, code.replace("-", ""), WORD, TEXT, "37,5", "37.5", ADDRESS, "/start", "/vragenlijst", "verkeerd woord"]
    return [s for s in secrets if s.lower() in output.lower()]


def started_with_saved_answers(site, email: str) -> str:
    """Another invitee who saved answers, so that a wrong word can be tried on their code."""
    from fieldwork_support import start

    from miv import fieldwork as fw

    fw.save_answers(site.db, fw.Keys(SECRET), *start(site.db, fw.Keys(SECRET), site.codes[email]), {"AG_VERBAAL": 2})
    return site.codes[email]


def test_miv_serve_writes_no_request_data(tmp_path):
    """`miv serve` in its own process, as an administrator starts it: all it writes to stdout
    and stderr (uvicorn's own log included) holds nothing of the walk."""
    site = make_site(f"sqlite:///{tmp_path / 'miv.db'}")
    other = started_with_saved_answers(site, "bram@example.nl")
    secret = tmp_path / "geheim"
    secret.write_bytes(SECRET)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "MIV_SECRET"}
    output = tmp_path / "server.log"
    with output.open("w") as log:
        server = subprocess.Popen([str(Path(sys.executable).with_name("miv")), "serve", "--db", site.settings.database_url,
                                   "--secret-file", str(secret), "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"x-forwarded-for": ADDRESS}, timeout=60) as client:
            deadline = time.monotonic() + 30
            while True:
                try:
                    client.get("/toegankelijkheid")
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline and server.poll() is None, output.read_text()
                    time.sleep(0.1)
            walk(client, site.codes["anna@example.nl"], other)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
        site.close()
    written = output.read_text()
    assert "Uvicorn running on" in written and "Shutting down" in written  # the attacker reads the real log
    assert leaked(written, site.codes["anna@example.nl"]) == [], written


def test_the_app_logs_no_request_data_even_at_debug(tmp_path, caplog):
    """Every logger of the app's process at DEBUG (the app, Starlette, SQLAlchemy with its
    statements and parameters), but the test's own HTTP client."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy")  # it sets its own level to WARN
    site = make_site(f"sqlite:///{tmp_path / 'miv.db'}")
    other = started_with_saved_answers(site, "bram@example.nl")
    try:
        with serve(create_app(site.settings)) as url:
            with httpx.Client(base_url=url, headers={"x-forwarded-for": ADDRESS}, timeout=60) as client:
                walk(client, site.codes["anna@example.nl"], other)
    finally:
        site.close()
    records = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    assert any(r.name.startswith("sqlalchemy.engine") for r in records)  # the search sees the statements
    written = "\n".join(f"{r.name} {r.getMessage()}" for r in records)
    assert leaked(written, site.codes["anna@example.nl"]) == [], written[:5000]
