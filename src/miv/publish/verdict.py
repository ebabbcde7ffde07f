"""The verdict on a cell shown for two editions: the test's outcome, or why there is none.

A reader who sees 34% in 2022 next to 38% in 2024 must be told whether that is a change.
Every such cell gets one of the verdicts below, in the HTML, the PDF, the Markdown, the
workbook and estimates.csv alike. The signs follow CBS's "verklaring van tekens": `x` for a
figure withheld by statistical disclosure control, `.` for a figure that does not exist
(not asked), `n.v.t.` where the question does not apply to the group.
"""

from __future__ import annotations

from dataclasses import dataclass

from miv.publish.narrative import significant

SUPPRESSED = "x"
MISSING = "."
NOT_APPLICABLE = "n.v.t."
NOT_APPLICABLE_RULE = "nvt"

SIGNS = (
    (SUPPRESSED, "geheim: het cijfer is afgeschermd (statistische beveiliging, te weinig respondenten of af te leiden uit andere cijfers)"),
    (MISSING, "het cijfer bestaat niet: de vraag is in die editie niet gesteld"),
    (NOT_APPLICABLE, "niet van toepassing: de vraag is aan deze groep niet gesteld"),
    ("–", "nihil"),
    ("trendbreuk", "de vraag of de methode is veranderd; de cijfers zijn niet met elkaar te vergelijken"),
)


@dataclass(frozen=True)
class Verdict:
    """`code` is stable (for machines), `text` is what the change cell says."""

    code: str
    text: str
    p_value: float | None = None

    @property
    def tested(self) -> bool:
        return self.code in ("gestegen", "gedaald", "gelijk")


def sign(cell: dict | None) -> str:
    """What a table shows instead of a figure: x, n.v.t. or `.`."""
    if cell is None:
        return MISSING
    rule = cell.get("rule")
    if rule == NOT_APPLICABLE_RULE:
        return NOT_APPLICABLE
    return SUPPRESSED if cell.get("suppressed") else MISSING


def verdict(previous: int, trend_break: str | None, now: dict | None, before: dict | None, test: dict | None) -> Verdict:
    """`now` and `before` are the cell's published rows (None when not estimated), `test` its
    previous-edition comparison after disclosure control (None when dropped or not made)."""
    if trend_break:
        return Verdict("trendbreuk", "trendbreuk: niet vergelijkbaar")
    for cell, year in ((before, previous), (now, None)):
        if cell is None or cell.get("rule") == NOT_APPLICABLE_RULE or (cell.get("suppressed") is None and cell.get("estimate") is None):
            if cell is not None and cell.get("rule") == NOT_APPLICABLE_RULE:
                return Verdict("nvt", "n.v.t.")
            return Verdict("niet_gevraagd", f"niet gevraagd in {year}" if year else "niet getoetst: geen cijfer")
    if now.get("suppressed") or before.get("suppressed"):
        return Verdict("afgeschermd", "niet getoetst: te weinig respondenten")
    if test is None or test.get("p_value") is None:
        return Verdict("niet_toetsbaar", "niet te toetsen: geen steekproefonzekerheid")
    p = test["p_value"]
    if not significant(p):
        return Verdict("gelijk", "geen significant verschil", p)
    return Verdict("gestegen" if now["estimate"] > before["estimate"] else "gedaald",
                   "gestegen" if now["estimate"] > before["estimate"] else "gedaald", p)
