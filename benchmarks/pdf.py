"""Benchmark: CPU seconds to print each PDF of `miv demo` (docs/performance.md, "## Publications: the demo's PDFs").

The demo is written without PDFs first (not timed); then each of its PDFs is printed with
`miv.publish.render.pdf` in this one process, as a worker of the PDF pool prints them, after
one untimed warm-up PDF (imports, fonts). CPU seconds, not wall time: the machine is shared.
Budget (issue 16): all PDFs of both editions in at most 35 CPU seconds.

    python benchmarks/pdf.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from report import context, write_section

from miv.definition import PublicationKind, load
from miv.publish.render import pdf

MIV = Path(sys.executable).with_name("miv")
SHOWN = 2024  # the edition whose PDFs are shown kind by kind
BUDGET = 35.0


def main() -> None:
    started = context("benchmarks/pdf.py")
    monitor = load()
    kinds = {p.slug: p.kind for p in monitor.publications}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        subprocess.run([str(MIV), "demo", "--out", str(out), "--no-pdf"], check=True, stdout=subprocess.DEVNULL)
        editions = sorted(int(d.name) for d in out.iterdir() if d.name.isdigit())
        pages = {year: sorted(p for p in (out / str(year)).glob("*.html") if _kind(p, kinds) is not None) for year in editions}
        pdf(pages[SHOWN][0], out / "warm-up.pdf")
        seconds: dict[int, dict[str, list[float]]] = {year: defaultdict(list) for year in editions}
        for year in editions:
            for page in pages[year]:
                start = time.process_time()
                pdf(page, page.with_suffix(".pdf"))
                seconds[year][_label(page, kinds)].append(time.process_time() - start)
        sheets = {label: _pages(next(p for p in pages[SHOWN] if _label(p, kinds) == label)) for label in seconds[SHOWN]}
    rows = "\n".join(f"| {label} | {len(times)} | {sheets[label]} | {sum(times) / len(times):.2f} s | {sum(times):.1f} s |"
                     for label, times in seconds[SHOWN].items())
    totals = {year: sum(map(sum, seconds[year].values())) for year in editions}
    count = sum(len(t) for year in editions for t in seconds[year].values())
    everything = sum(totals.values())
    body = f"""
{started} One process prints every PDF of `miv demo` (default seed) after one untimed warm-up,
as each worker of the PDF pool does; CPU seconds per PDF (`time.process_time`).

| {SHOWN} edition | PDFs | pages (one of them) | CPU per PDF | CPU in all |
| --- | ---: | ---: | ---: | ---: |
{rows}

All {count} PDFs of the demo ({", ".join(f"{year}: {totals[year]:.1f} s" for year in editions)}): **{everything:.1f} CPU s**
(budget {BUDGET:.0f} s, issue 16). On session 4's machine (about 1.75 times faster than this one) the same count was about 73 CPU s
before its work (factsheets 0.87 s each, the reports 6.5 s and 11.8 s) and 40.1 s after.

What made printing cheaper, each checked page by page against the PDFs before (pixel
difference at 50 dpi): the publications' two stylesheets are parsed and their fonts loaded
once per process, not once per PDF (0.1 s each); WeasyPrint's user-agent stylesheet without
its rules for every element's footnote and note pseudo-elements (six pseudo-element styles per
element, half of a report's styling time); a factsheet's key figures print as a fixed-layout
table with rows of two instead of a grid of flex boxes, which WeasyPrint lays out several
times over; what print hides (`miv-alleen-scherm`, the factsheet's tables for the screen) is
left out before WeasyPrint styles the page; the charts' SVG drops what draws nothing (Vega's
hidden axis labels, empty groups and paths, ARIA attributes an `<img>` does not expose:
`miv.publish.svg`), a sixth of drawing a chart.

Session 5 (2026-12-01, a machine about 1.75 times slower, shared by three, load 3-5): all 46
PDFs before and after, alternately in one process (two runs each, the same demo pages): 90.0 and
93.8 -> 79.9 and 81.4 CPU s; the factsheets 22.2 -> 17.3 s (each PDF's faster run), the reports
the same within the noise. Chart text is drawn in runs: WeasyPrint 70 lays out and draws SVG
text one character at a time (a Pango layout and a text operator each, a fifth of a factsheet);
a label without per-character positions is now one run, kerned as a browser draws it
(`miv.publish.render._draw_svg_text_in_runs`, for WeasyPrint 70 only; tests/publish/test_pdf.py
fails on another). Tables print with separate borders (spacing 0): WeasyPrint resolves
collapsed borders cell by cell (a twentieth of a report's profile) and, with bottom borders
only, both draw the same. Pages compared at 50 dpi: sub-pixel shifts only. Tried and left:
`table-layout: fixed` with set column widths for the tables of figures skips the automatic
layout's measuring of every cell (a tenth of a report's profile), but every table then has the
same columns, and long group names ('Commissarissen van de Koning en gedeputeerden') wrap
where the automatic layout gave them the room; unwrapping the cells' `<data>` elements saved
nothing measurable. Where a report's time goes now (cProfile, rapport-veiligheid): layout
about half (the tables' rows a fifth, their column widths a tenth, line breaking through Pango
throughout), drawing a fifth (the charts a third of that), building boxes, styling and parsing
the HTML (tinyhtml5) 6-8% each, the tagged PDF's structure and writing the rest.
"""
    print(write_section("## Publications: the demo's PDFs", body))


def _kind(page: Path, kinds: dict[str, PublicationKind]) -> PublicationKind | None:
    """The kind of publication an HTML page is, None for pages that are not printed."""
    kind = next((k for slug, k in kinds.items() if page.stem == slug or page.stem.startswith(f"{slug}-")), None)
    return None if kind is PublicationKind.KEY_FIGURES else kind


def _label(page: Path, kinds: dict[str, PublicationKind]) -> str:
    """Factsheets together (one per group or province), reports and the summary by name."""
    return "factsheet" if _kind(page, kinds) is PublicationKind.FACTSHEET else page.stem


def _pages(page: Path) -> int:
    info = subprocess.run(["pdfinfo", str(page.with_suffix(".pdf"))], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


if __name__ == "__main__":
    main()
