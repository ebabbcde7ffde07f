"""The house rules for reader text, as a scan over written HTML and Markdown.

Dutch typography (no capital after a colon in running text, 45% without a space, decimal
comma), CBS's terms (statistische beveiliging, not onthullingsbeheersing), no table-dump
sentences ('Label: 41% van alle ...'), no parentheticals such as '(van uzelf of naasten)', and
no English or software words in what a reader sees. R's package is named only in the technical
annex (the bijlage), never a function of it anywhere."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import html as lxml_html

from miv.definition import Monitor

ENGLISH = re.compile(
    r"\b(estimates?|significance|significantly|confidence interval|p-value|weighting|svyciprop|svymean|svyby|svyttest|svyglm|"
    r"svycontrast|svydesign|calibrate|postStratify|method\s*=)\b(?!\.\w)",
    re.I,
)
PACKAGES = re.compile(r"\b(R-pakket|survey-pakket|pakket survey|pakket sae|R's)\b")
OUTDATED = re.compile(r"onthullingsbeheersing|disclosure", re.I)
DUMP = re.compile(r":\s*\d+(,\d+)?%\s+van\b")
SPACED_PERCENT = re.compile(r"\d[\s\u00a0\u2009\u202f]+%")
DECIMAL_POINT = re.compile(r"\b\d+\.\d+%")
PARENTHETICAL = re.compile(r"\((van uzelf|of naasten|zeer\)|ook\))", re.I)
COLON_CAPITAL = re.compile(r":\s+([A-Z][^\W\d_]*)")
RUNNING = ("p", "li", "dd")


def proper_nouns(monitor: Monitor) -> set[str]:
    """Words that keep their capital after a colon: names from the definition and a few more."""
    s = monitor.structure
    names = {c.label for c in (*s.provinces, *s.layers)} | {g.plural for g in s.groups} | {g.label for g in s.groups}
    words = {w for name in names for w in re.split(r"[\s-]+", name) if w[:1].isupper()}
    return words | {"Monitor", "Tweede", "Kamer", "Korn", "Clopper", "Fay", "Lumley", "National", "Kish", "Nederland", "CBS"}


def problems(out: Path, monitor: Monitor) -> list[str]:
    """Every breach in the edition folder's publications (HTML at the top level and the Markdown)."""
    allowed = proper_nouns(monitor)
    found = []
    for page in sorted(out.glob("*.html")):
        tree = lxml_html.fromstring(page.read_bytes())
        for element in tree.iter(*RUNNING):
            text = " ".join(element.text_content().split())
            in_annex = bool(element.xpath("ancestor::*[contains(concat(' ', @class, ' '), ' miv-bijlage ')]"))
            found += [f"{page.name}: {message}: {text!r}" for message in _breaches(text, allowed, in_annex)]
        whole = " ".join(tree.text_content().split())
        found += [f"{page.name}: Engels of programmacode {m.group(0)!r}" for m in ENGLISH.finditer(whole)]
        found += [f"{page.name}: verouderde term {m.group(0)!r}" for m in OUTDATED.finditer(whole)]
    for page in sorted(out.glob("*.md")):
        for line in page.read_text(encoding="utf-8").splitlines():
            if line.startswith("- ") or (line and not line.startswith(("|", "#"))):
                found += [f"{page.name}: {message}: {line!r}" for message in _breaches(line, allowed, False)]
    return found


def _breaches(text: str, allowed: set[str], in_annex: bool) -> list[str]:
    out = []
    for match in COLON_CAPITAL.finditer(text):
        if match.group(1) not in allowed:
            out.append(f"hoofdletter na dubbele punt ({match.group(1)})")
    if DUMP.search(text):
        out.append("tabelzin 'label: cijfer van ...'")
    if SPACED_PERCENT.search(text):
        out.append("spatie voor het procentteken")
    if DECIMAL_POINT.search(text):
        out.append("decimaalpunt in plaats van komma")
    if PARENTHETICAL.search(text):
        out.append("tussen haakjes in lopende tekst")
    if not in_annex and PACKAGES.search(text):
        out.append("R-pakket buiten de technische bijlage")
    return out
