"""Measure cases kept in the database: a whole case walked through `Casework`, a reader
opening a case, the case page over HTTP, and `verify-log` over the `audit_log` table, on
SQLite and on a throwaway PostgreSQL cluster; writes the '## Case pages and store
(miv.casework)' section of docs/performance.md.

    PYTHONPATH=src python benchmarks/caseweb.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from browser_support import serve  # noqa: E402
from caseweb.caseweb_support import DECLARATION, EXTERNAL, ORG, SECRETS, Team, build, notification, response  # noqa: E402
from caseweb.web_cases import make_case_site  # noqa: E402
from report import context, write_section  # noqa: E402

from miv.cases import Action, AuditLog, MasterKey, Outcome, Report, ViolationForm  # noqa: E402
from miv.casework import DatabaseLogStore  # noqa: E402
from miv.store import Database, upgrade  # noqa: E402
from postgres_support import Cluster  # noqa: E402

CASES = 20
PAGE_VIEWS = 60
LOG_ENTRIES = 10_000
START = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)


def walk(team: Team, start: datetime) -> tuple[str, int]:
    """One case from report to closure along the investigation path; returns its id and step count."""
    w, p = team.work, team.people
    case = w.open(p["ondersteuning"].member, Report(f"{SECRETS[0]}: {SECRETS[2]}.", SECRETS[0], SECRETS[1]), start)
    plan = [
        (Action.REGISTREREN, "ondersteuning", {"forms": frozenset({ViolationForm.BELANG})}),
        (Action.VOORONDERZOEK_STARTEN, "voorzitter", {}),
        (Action.VOORONDERZOEK_AFRONDEN, "adviseur", {"reason": "Concreet."}),
        (Action.ONDERZOEK_INSTELLEN, "voorzitter", {"reason": "Nodig.", "terms": "Opdracht.", "investigator": p["onderzoeker"].member,
                                                     "entries": EXTERNAL}),
        (Action.ONAFHANKELIJKHEID_VERKLAREN, "onderzoeker", {"entries": DECLARATION}),
        (Action.BEVINDINGEN_VOORLEGGEN, "onderzoeker", {"entries": notification(start)}),
        (Action.WEDERHOOR_VASTLEGGEN, "onderzoeker", {"entries": response(start)}),
        (Action.RAPPORT_OPLEVEREN, "onderzoeker", {"reason": "Klaar."}),
        (Action.BESLUITEN, "voorzitter", {"reason": SECRETS[4], "outcome": Outcome.GEGROND}),
        (Action.COMMUNICATIE_AFRONDEN, "ondersteuning", {"reason": "Per brief."}),
        (Action.AFSLUITEN, "voorzitter", {"reason": "Nazorg."}),
    ]
    for minutes, (action, who, fields) in enumerate(plan, start=1):
        case = w.take(p[who].member, case, action, start + timedelta(minutes=minutes), **fields)  # type: ignore[arg-type]
    return case.id, len(plan) + 1


def timed(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def store_figures(url: str, tmp: Path) -> dict[str, str]:
    upgrade(url)
    db = Database(url)
    team = build(db, MasterKey.create(tmp / "master.key"), tmp / "documenten")
    per_step, reads = [], []
    for number in range(CASES):
        result: list[tuple[str, int]] = []
        seconds = timed(lambda: result.append(walk(team, START + timedelta(days=number))))
        case_id, steps = result[0]
        per_step.append(seconds / steps)
        case = team.work.case(case_id)
        reads.append(timed(lambda: team.work.contents(team["voorzitter"].member, case, START + timedelta(days=400))))
    with db.session() as session:
        log = AuditLog(DatabaseLogStore(session), team.work.master)
        for n in range(LOG_ENTRIES):
            log.record("u1", "lezen", START + timedelta(seconds=n), "zaak-x", ORG, {"rol": "voorzitter"})
    entries = team.work.verify_log().count
    verify = [timed(team.work.verify_log) for _ in range(3)]
    db.dispose()
    return {
        "step": f"{statistics.median(per_step) * 1000:.1f} ms",
        "read": f"{statistics.median(reads) * 1000:.1f} ms",
        "verify": f"{statistics.median(verify):.2f} s ({entries:,} entries)",
    }


def page_figures(tmp: Path) -> dict[str, str]:
    site = make_case_site(f"sqlite:///{tmp / 'pages.db'}", tmp)
    case_id, _ = walk(site.team, START)
    with serve(site.app) as url:
        site.url = url
        client = site.client()
        site.sign_in(client, "voorzitter")
        views = [timed(lambda: client.get(f"/beheer/zaken/{ORG}/zaak/{case_id}").raise_for_status()) for _ in range(PAGE_VIEWS)]
        lists = [timed(lambda: client.get(f"/beheer/zaken/{ORG}").raise_for_status()) for _ in range(PAGE_VIEWS)]
    site.close()
    views.sort()
    lists.sort()
    return {
        "case page": f"{statistics.median(views) * 1000:.1f} ms / {views[int(0.95 * len(views))] * 1000:.1f} ms",
        "list": f"{statistics.median(lists) * 1000:.1f} ms / {lists[int(0.95 * len(lists))] * 1000:.1f} ms",
    }


def main() -> None:
    started = context("benchmarks/caseweb.py")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        (tmp / "sqlite").mkdir()
        sqlite = store_figures(f"sqlite:///{tmp / 'sqlite' / 'miv.db'}", tmp / "sqlite")
        postgres = None
        if Cluster.available():
            cluster = Cluster()
            try:
                (tmp / "pg").mkdir()
                postgres = store_figures(cluster.start(), tmp / "pg")
            finally:
                cluster.stop()
        pages = page_figures(tmp)
    pg = postgres or {key: "not measured (no PostgreSQL binaries)" for key in sqlite}
    lines = [
        f"{started} SQLite is a file in /tmp; PostgreSQL 15 a throwaway cluster on loopback.",
        "",
        "| operation | SQLite | PostgreSQL |",
        "| --- | --- | --- |",
        f"| one protocol step through `Casework` (seal, store, re-wrap, audit entries; median over {CASES} cases of 10 steps) "
        f"| {sqlite['step']} | {pg['step']} |",
        f"| a reader opens a case (unwrap, open every field, audit entry) | {sqlite['read']} | {pg['read']} |",
        f"| `verify-log` over the `audit_log` table | {sqlite['verify']} | {pg['verify']} |",
        "",
        f"Pages over HTTP (uvicorn in-process, SQLite, signed-in chair, {PAGE_VIEWS} requests each), median / 95th percentile:",
        "",
        "| page | latency |",
        "| --- | --- |",
        f"| case page of a closed case (content, history, notes, deadlines, two audit entries) | {pages['case page']} |",
        f"| case list | {pages['list']} |",
    ]
    section = write_section("## Case pages and store (miv.casework)", "\n".join(lines))
    print(section)


if __name__ == "__main__":
    main()
