"""Measure the case primitives the web layer calls on every request, and `verify-log` on a
large log; writes the '## Cases (miv.cases)' section of docs/performance.md.

    python benchmarks/cases.py
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from report import context, peak_rss_mib, write_section

from miv.cases import (
    Action,
    AuditLog,
    CaseKey,
    DocumentStore,
    MasterKey,
    Member,
    MemoryLogStore,
    Outcome,
    PersonKey,
    Report,
    Role,
    ViolationForm,
    apply,
    open_case,
)

RUNS = 3
LOG_ENTRIES = 100_000
T0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)


def timed(work: Callable[[], object]) -> list[float]:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return times


DECLARATION = {"geen-zakelijke-banden": "ja", "geen-familiebanden": "ja", "geen-eerdere-rol": "ja", "geen-belang": "ja"}


def walk() -> None:
    chair, support = Member("c", "o", Role.CHAIR), Member("s", "o", Role.SUPPORT)
    adviser, investigator = Member("a", "o", Role.ADVISER), Member("i", "o", Role.INVESTIGATOR)
    case = open_case("zaak", support, T0, Report("omschrijving", "betrokkene")).case
    for action, actor, kw in [
        (Action.REGISTREREN, support, {"forms": [ViolationForm.BELANG]}),
        (Action.VOORONDERZOEK_STARTEN, chair, {}),
        (Action.VOORONDERZOEK_AFRONDEN, adviser, {"reason": "r"}),
        (Action.ONDERZOEK_INSTELLEN, chair, {"reason": "r", "terms": "t", "investigator": investigator, "entries": {"soort": "extern"}}),
        (Action.ONAFHANKELIJKHEID_VERKLAREN, investigator, {"entries": DECLARATION}),
        (Action.BEVINDINGEN_VOORLEGGEN, investigator, {"entries": {"kennisgeving": "2026-03-07", "wijze": "brief", "termijn": "2026-03-07",
                                                                   "bevindingen": "b"}}),
        (Action.RAPPORT_OPLEVEREN, investigator, {"reason": "r"}),
        (Action.BESLUITEN, chair, {"reason": "r", "outcome": Outcome.GEGROND}),
        (Action.COMMUNICATIE_AFRONDEN, support, {"reason": "r"}),
        (Action.AFSLUITEN, chair, {"reason": "r"}),
    ]:
        case = apply(case, action, actor, case.last_at + timedelta(days=1), **kw).case


def main() -> None:
    started = context("benchmarks/cases.py")
    with tempfile.TemporaryDirectory() as folder:
        master = MasterKey.create(Path(folder) / "master.key")
        person = PersonKey.create(master, "p")
        key = CaseKey.generate("zaak")
        text = "x" * 2_000
        documents = DocumentStore(Path(folder) / "docs")
        payload = os.urandom(10 * 1024 * 1024)

        log = AuditLog(MemoryLogStore(), master)
        start = time.perf_counter()
        for i in range(LOG_ENTRIES):
            log.record(f"p-{i % 50}", "lezen", T0 + timedelta(seconds=i), "zaak", "o", {"veld": "omschrijving"})
        record = time.perf_counter() - start
        verify = timed(log.verify)
        assert log.verify().ok

        rows = [
            ("walk a case through all 10 stages (10 steps, `apply`)", timed(lambda: [walk() for _ in range(100)]), 100),
            ("seal + open one 2 kB field", timed(lambda: [key.open("f", key.seal("f", text)) for _ in range(1000)]), 1000),
            (
                "wrap the case key for a person + unlock + unwrap",
                timed(lambda: [CaseKey.unwrap(key.wrap_for(person, master), person, person.unlock(master)) for _ in range(100)]),
                100,
            ),
            (
                "store + read a 10 MB document",
                timed(lambda: documents.get(key, documents.put(key, "a.pdf", "application/pdf", payload))),
                1,
            ),
        ]
    lines = [
        f"{started} Median of {RUNS} runs. Times per operation.",
        "",
        "| operation | median | slowest |",
        "| --- | --- | --- |",
        *[f"| {name} | {statistics.median(t) / n * 1000:.3f} ms | {max(t) / n * 1000:.3f} ms |" for name, t, n in rows],
        f"| append one audit entry (in memory, {LOG_ENTRIES:,} in a row) | {record / LOG_ENTRIES * 1000:.3f} ms | |",
        f"| verify an audit log of {LOG_ENTRIES:,} entries (`verify-log`) | {statistics.median(verify):.2f} s | {max(verify):.2f} s |",
        f"| peak resident memory of the process | {peak_rss_mib():.0f} MiB | |",
    ]
    section = write_section("## Cases (miv.cases)", "\n".join(lines))
    print(section)


if __name__ == "__main__":
    main()
