"""Reader text: the sections' openings follow the estimates and their tests, and every
publication keeps the house rules for Dutch text (tests/prose_support.py)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import polars as pl
from lxml import html as lxml_html

from miv.definition import Monitor, load
from miv.publish import Results
from miv.publish.number import percent

import prose_support as typography


def _cells(out: Path) -> dict[str, dict]:
    with (out / "estimates.csv").open(encoding="utf-8") as handle:
        return {row["key"]: row for row in csv.DictReader(handle)}


def test_every_publication_keeps_the_house_rules(published, monitor: Monitor):
    out, _ = published
    assert typography.problems(out, monitor) == []


def test_every_published_indicator_has_reader_wording(monitor: Monitor):
    used = {code for p in monitor.publications for s in p.sections for code in s.indicators}
    for indicator in monitor.indicators:
        if indicator.code in used:
            assert indicator.statement and indicator.short, f"{indicator.code}: short en statement ontbreken in indicators.yaml"
            assert "(" not in indicator.short + indicator.statement, indicator.code
            assert indicator.short == indicator.short.lower() or indicator.short[:1].islower(), indicator.code


SHORTS = sorted((i.short for i in load().indicators if i.short), key=len, reverse=True)
VERBS = {"meer": "gestegen", "steeg": "gestegen", "stegen": "gestegen", "minder": "gedaald", "daalde": "gedaald", "daalden": "gedaald"}


def _openings(out: Path):
    """(page, index in its opening, sentence text, [(text before the figure, figure text, value, key)]) per opening sentence."""
    for page in sorted(out.glob("rapport-*.html")):
        tree = lxml_html.fromstring(page.read_bytes())
        for opening in tree.xpath("//p[contains(@class, 'miv-opening')]"):
            for index, span in enumerate(opening.xpath("span[@class='miv-zin']")):
                parts, before = [], span.text or ""
                for data in span.iter("data"):
                    parts.append((before, data.text_content(), float(data.get("value")), data.get("data-cell")))
                    before = data.tail or ""
                yield page.name, index, " ".join(span.text_content().split()), parts


def test_opening_figures_are_the_estimates_they_quote(published):
    out, _ = published
    cells, quoted = _cells(out), 0
    for page, index, sentence, parts in _openings(out):
        for _, shown, value, key in parts:
            row = cells[key]
            assert row["estimate"] and not row["suppressed"], f"{page}: afgeschermd cijfer geciteerd: {sentence}"
            assert float(row["estimate"]) == value
            number = float(shown.rstrip("%").replace(",", "."))
            decimals = len(shown.rstrip("%").partition(",")[2])
            assert number == float(percent(value, decimals).rstrip("%").replace(",", ".")), (shown, value)
            quoted += 1
    assert quoted > 50


def test_opening_names_a_change_only_when_it_is_significant(published, results: Results):
    out, _ = published
    cells = _cells(out)
    seen = {"gestegen": 0, "gedaald": 0, "gelijk": 0}
    for page, index, sentence, parts in _openings(out):
        figures = {key: (before, value) for before, _, value, key in parts}
        first_now = parts[0][3] if parts else None
        for key, (before, _value) in figures.items():
            *cell, edition = key.split("|")
            if int(edition) != results.previous:
                continue
            now = cells["|".join([*cell, str(results.edition)])]
            verdict = now["change"]
            if "geen significant verschil" in sentence and "|".join(cell) == first_now.rsplit("|", 1)[0]:
                assert verdict == "gelijk", f"{page}: {sentence}"
                seen["gelijk"] += 1
                continue
            context = _verb_before(sentence, parts, key)
            assert verdict in ("gestegen", "gedaald") and VERBS[context] == verdict, f"{page}: {sentence} ({verdict})"
            seen[verdict] += 1
        if index == 0 and cells[first_now]["change"] in ("gestegen", "gedaald", "gelijk"):  # the headline's tested change
            assert any(k.endswith(f"|{results.previous}") for k in figures), f"{page}: geteste verandering niet genoemd: {sentence}"
    assert all(seen.values()), seen


def _verb_before(sentence: str, parts, key: str) -> str:
    """The last change verb in the text before the figure with `key`."""
    text = ""
    for before, shown, _, k in parts:
        text += before
        if k == key:
            break
        text += shown
    for short in SHORTS:  # an indicator's name may hold such a word ("minder werkplezier"): not a verb
        text = text.replace(short, "")
    return [w for w in re.findall(r"\w+", text) if w in VERBS][-1]


def test_a_section_opening_has_two_or_three_sentences_and_no_hidden_figure(published, results: Results):
    out, _ = published
    tree = lxml_html.fromstring((out / "rapport-veiligheid.html").read_bytes())
    openings = tree.xpath("//p[contains(@class, 'miv-opening')]")
    sections = [s for s in results.monitor.publications if s.slug == "rapport-veiligheid"][0].sections
    assert len(openings) == len(sections)
    for p in openings:
        assert 1 <= len(p.xpath("span[@class='miv-zin']")) <= 3
    hidden = {k for k, r in _cells(out).items() if r["suppressed"]}
    assert not hidden & {d.get("data-cell") for p in openings for d in p.iter("data")}
    # the totals' verdicts (estimates.csv) are what the openings say
    cells = _cells(out)
    assert pl.DataFrame(list(cells.values()))["change"].is_in(["gestegen", "gedaald"]).any()


def test_method_chapter_states_the_settings_of_the_run(results: Results):
    """Level, significance, pooling, margins, disclosure thresholds and trend breaks come from the run."""
    from dataclasses import replace

    from miv.publish.disclosure import Policy, disclose
    from miv.publish.document import documents
    from miv.publish.labels import Labels
    from miv.publish.render import Renderer
    from miv.publish.writer import _meta

    weighting = results.weighting.with_columns(margins=pl.when(pl.col("group") == "raadslid").then(pl.lit("gender,province,size_class")).otherwise(pl.lit("gender")))
    changed = replace(results, level=0.9, pooling=7, weighting=weighting)
    policy = Policy(min_respondents=15, small_group=60, tiny_population=30)
    disclosure = disclose(changed, policy)
    doc = next(d for d in documents(changed, disclosure) if d.stem == "rapport-veiligheid")
    labels = Labels(changed.monitor)
    page = lxml_html.fromstring(Renderer(labels, _meta(changed, disclosure, labels)).html(doc))
    chapter = " ".join(page.xpath("//section[@id='verantwoording']")[0].text_content().split())
    assert "90%-betrouwbaarheidsinterval" in chapter and "95" not in chapter
    assert "minder dan 7 respondenten zijn samengevoegd" in chapter
    assert "naar geslacht en, voor een deel van de doelgroepen, provincie en gemeentegrootte" in chapter
    assert "minder dan 15 respondenten" in chapter and "minder dan 60 respondenten" in chapter and "minder dan 30 leden" in chapter
    assert "agressie via sociale media" in chapter  # its trend break in 2024 (indicators.yaml)
    assert "kleiner dan 5 procent" in chapter
    annex = " ".join(page.xpath("//section[@id='bijlage']")[0].text_content().split())
    assert all(text.split()[0] in annex for text in changed.method.values())


def test_the_pipelines_method_text_names_no_software_functions():
    from miv.pipeline import METHOD

    for name, text in METHOD.items():
        assert not typography.ENGLISH.search(text), (name, text)
        assert not typography.COLON_CAPITAL.search(text), (name, text)
