"""The content the real monitor publishes is in the demo's reports, from the data through the
pipeline: each section the definition names is in the report, each figure in it equals its cell
in estimates.csv and tabellen.xlsx (with the verdict and p-value of the change), and a figure
recomputed here from the data files and gewichten.csv, without miv's code, equals the cell."""

from __future__ import annotations

import csv
import math
import re
import shutil
from pathlib import Path

import openpyxl
import polars as pl
import pytest
import tinyhtml5
from verdict_support import NS

from miv.definition import load
from miv.pipeline.verify import verify

# (publication, section title, indicators) of the content issue 12 asks for
CONTENT = [
    ("rapport-veiligheid", "Plaats van het meest ingrijpende voorval", ["kanaal_online", "kanaal_persoonlijk", "kanaal_thuis"]),
    ("rapport-veiligheid", "Ernst van de voorvallen", ["agressie_ernstig"]),
    ("rapport-veiligheid", "Daders", ["dader_burger", "dader_ondernemer", "dader_crimineel", "dader_politicus",
                                      "dader_journalist", "dader_anoniem", "dader_anders"]),
    ("rapport-veiligheid", "Bij wie het voorval is gemeld", ["gemeld_voorzitter", "gemeld_griffier", "gemeld_meldpunt",
                                                              "gemeld_fractie", "gemeld_anders"]),
    ("rapport-veiligheid", "Redenen om niet te melden", ["niet_gemeld_ernst", "niet_gemeld_functie", "niet_gemeld_zinloos",
                                                          "niet_gemeld_waar", "niet_gemeld_angst", "niet_gemeld_zelf",
                                                          "niet_gemeld_anders", "geen_aangifte_ernst", "geen_aangifte_zinloos",
                                                          "geen_aangifte_angst", "geen_aangifte_moeite", "geen_aangifte_adres",
                                                          "geen_aangifte_anders"]),
    ("rapport-veiligheid", "Vrouwen en mannen", ["agressie_online", "gevolg_enig"]),
    ("rapport-veiligheid", "Gevolgen", ["gevolg_enig", "gevolg_plezier", "gevolg_gezondheid", "gevolg_gedrag",
                                         "gevolg_besluiten", "gevolg_online", "gevolg_gezin", "gevolg_stoppen"]),
    ("rapport-veiligheid", "Behoefte aan ondersteuning", ["steun_aandacht", "steun_woning", "steun_aangifte",
                                                           "steun_psychosociaal", "steun_training", "steun_online",
                                                           "steun_geen"]),
    ("rapport-integriteit", "Kennis van regels en gesprek over integriteit", ["kennis_gedragscode", "kennis_nevenfuncties",
                                                                               "kennis_vertrouwenspersoon",
                                                                               "kennis_meldregeling"]),
    ("rapport-integriteit", "Zorgplicht van de voorzitter", ["zorgplicht_voldoende", "zorgplicht_middelen",
                                                              "org_zorgplicht_voldoende", "org_zorgplicht_agenda",
                                                              "org_zorgplicht_kennismaking", "org_zorgplicht_training",
                                                              "org_zorgplicht_verantwoording", "org_zorgplicht_anders",
                                                              "org_zorgplicht_geen", "org_int_besproken"]),
    ("rapport-integriteit", "Integriteitsbeleid van organisaties", ["org_nevenfuncties_openbaar"]),
    ("rapport-integriteit", "Meldingen van vermoedelijke schendingen bij organisaties",
     ["org_meldingen_geen", "org_meldingen_een", "org_meldingen_meer", "org_onderzoek", "org_gegrond"]),
]
# a trend break in 2024 is the verdict's reason; every other new figure is tested against 2022
BROKEN = {"kennis_gedragscode", "kennis_nevenfuncties", "kennis_vertrouwenspersoon", "kennis_meldregeling"}
FORMS = ["AG_VERBAAL", "AG_INTIMIDATIE", "AG_BEDREIGING", "AG_BEDREIGING_NAASTEN", "AG_FYSIEK", "AG_VERNIELING", "AG_STALKING"]
VICTIM = pl.any_horizontal([pl.col(f) == 1 for f in FORMS])
MELDINGEN = pl.col("ORG_MELDINGEN_AANTAL")
# indicator -> (questionnaire, publication, who counts: universe and a valid answer, who is yes), by hand
BY_HAND = {
    "niet_gemeld_ernst": ("ambtsdragers", "rapport-veiligheid", VICTIM & (pl.col("AG_MELDING") == 2) & pl.col("AG_NIET_GEMELD_1").is_in([0, 1]),
                          pl.col("AG_NIET_GEMELD_1") == 1),
    "gemeld_griffier": ("ambtsdragers", "rapport-veiligheid", VICTIM & (pl.col("AG_MELDING") == 1) & pl.col("AG_MELDING_BIJ_2").is_in([0, 1]),
                        pl.col("AG_MELDING_BIJ_2") == 1),
    "dader_politicus": ("ambtsdragers", "rapport-veiligheid", VICTIM & pl.col("AG_DADER_4").is_in([0, 1]), pl.col("AG_DADER_4") == 1),
    "kanaal_thuis": ("ambtsdragers", "rapport-veiligheid", VICTIM & pl.col("AG_KANAAL").is_in([1, 2, 3]), pl.col("AG_KANAAL") == 3),
    "steun_woning": ("ambtsdragers", "rapport-veiligheid", pl.col("STEUN_BEHOEFTE_2").is_in([0, 1]), pl.col("STEUN_BEHOEFTE_2") == 1),
    "org_meldingen_meer": ("organisaties", "rapport-integriteit", (pl.col("ORG_REGISTRATIE") == 1) & (MELDINGEN >= 0) & ~MELDINGEN.is_in([98.0, 99.0]),
                           MELDINGEN >= 2),
}


def cells(out: Path) -> dict[str, dict[str, str]]:
    with (out / "estimates.csv").open(encoding="utf-8") as handle:
        return {row["key"]: row for row in csv.DictReader(handle)}


def sections(page: Path) -> dict[str, object]:
    """The report's chapters by their title (without the number)."""
    tree = tinyhtml5.parse(page.read_text(encoding="utf-8"))
    found = {}
    for section in tree.iter(f"{NS}section"):
        if "miv-hoofdstuk" in (section.get("class") or ""):
            heading = "".join(section.find(f"{NS}h2").itertext()).strip()
            found[heading.split(". ", 1)[-1]] = section
    return found


@pytest.mark.slow
@pytest.mark.parametrize(("slug", "title", "indicators"), CONTENT, ids=[c[1] for c in CONTENT])
def test_each_section_is_in_the_report_with_its_estimates(demo_run: tuple[Path, str], slug: str, title: str,
                                                          indicators: list[str]) -> None:
    out = demo_run[0] / "2024"
    section = sections(out / f"{slug}.html")[title]
    published = cells(out)
    shown = {d.get("data-cell"): d for d in section.iter(f"{NS}data")}
    for code in indicators:
        for year in (2024, 2022):
            key = f"{slug}||{code}|totaal|totaal|{year}"
            assert key in shown, f"{title}: {code} {year} ontbreekt"
            assert float(shown[key].get("value")) == pytest.approx(float(published[key]["estimate"]), abs=5e-5)
        now = published[f"{slug}||{code}|totaal|totaal|2024"]
        if code in BROKEN:
            assert now["change"] == "trendbreuk", code
            continue
        assert now["change"] in {"gestegen", "gedaald", "gelijk"}, (code, now["change"])
        assert 0 <= float(now["change_p_value"]) <= 1
    verdicts = [td.get("data-verdict") for td in section.iter(f"{NS}td") if td.get("data-verdict")]
    assert verdicts and None not in verdicts


@pytest.mark.slow
def test_the_workbook_carries_the_new_sections_with_verdict_and_p_value(demo_run: tuple[Path, str]) -> None:
    out = demo_run[0] / "2024"
    monitor = load()
    labels = {i.code: i.label for i in monitor.indicators}
    published = cells(out)
    book = openpyxl.load_workbook(out / "tabellen.xlsx", read_only=True)
    sheets = {slug: list(book[slug].iter_rows(values_only=True)) for slug in ("rapport-veiligheid", "rapport-integriteit")}
    book.close()
    for slug, title, indicators in CONTENT:
        rows = sheets[slug]
        header = rows[2]
        at = {name: header.index(name) for name in ("Hoofdstuk", "Indicator", "Groep", "Editie", "Percentage",
                                                     "Verandering sinds vorige editie", "p-waarde")}
        for code in indicators:
            row = next(r for r in rows[3:] if r[at["Hoofdstuk"]] == title and r[at["Indicator"]] == labels[code]
                       and r[at["Groep"]] == "Totaal" and r[at["Editie"]] == 2024)
            cell = published[f"{slug}||{code}|totaal|totaal|2024"]
            assert row[at["Percentage"]] == pytest.approx(float(cell["estimate"]))
            assert row[at["Verandering sinds vorige editie"]]
            if code not in BROKEN:
                assert row[at["p-waarde"]] == pytest.approx(float(cell["change_p_value"]))


@pytest.mark.slow
@pytest.mark.parametrize("code", list(BY_HAND))
def test_a_new_figure_recomputed_from_the_data_files_equals_its_cell(demo_run: tuple[Path, str], code: str) -> None:
    """Σ w·y / Σ w over the universe with a valid answer, from the parquet file and
    gewichten.csv: the arithmetic of the published share, done by hand (organisations have
    weight 1 when gewichten.csv gives them none)."""
    out = demo_run[0] / "2024"
    questionnaire, slug, counted, yes = BY_HAND[code]
    data = pl.read_parquet(out / "data" / f"{questionnaire}.parquet")
    weights = pl.read_csv(out / "gewichten.csv").filter((pl.col("edition") == 2024) & (pl.col("questionnaire") == questionnaire))
    data = data.join(weights.select("respondent_id", "weight"), on="respondent_id", how="left").with_columns(pl.col("weight").fill_null(1.0))
    rows = data.filter(counted)
    share = (rows["weight"] * rows.select(yes.cast(pl.Float64)).to_series()).sum() / rows["weight"].sum()
    cell = cells(out)[f"{slug}||{code}|totaal|totaal|2024"]
    assert math.isclose(share, float(cell["estimate"]), rel_tol=1e-9)
    assert rows.height == int(cell["n"])


def figures(element: object) -> dict[str, float]:
    return {d.get("data-cell"): float(d.get("value")) for d in element.iter(f"{NS}data")}


@pytest.mark.slow
@pytest.mark.parametrize("year", [2022, 2024])
@pytest.mark.parametrize("slug", ["rapport-veiligheid", "rapport-integriteit"])
def test_the_fieldwork_table_is_responded_over_invited_from_the_files(demo_run: tuple[Path, str], year: int, slug: str) -> None:
    """Invited from data/veldwerk.csv, responded counted in the data files: each group's,
    layer's and questionnaire's response rate in the report is their quotient."""
    out = demo_run[0] / str(year)
    tree = tinyhtml5.parse((out / f"{slug}.html").read_text(encoding="utf-8"))
    design = next(s for s in tree.iter(f"{NS}section") if s.get("id") == "opzet")
    shown = figures(design)
    spec = load().editions[year]
    text = "".join(design.itertext())
    assert f"{spec.fieldwork.start.day} " in text and str(spec.fieldwork.end.year) in text
    invited = pl.read_csv(out / "data" / "veldwerk.csv", schema_overrides={"group": pl.Utf8})
    checked = 0
    for code, q in spec.questionnaires.items():
        data = pl.read_parquet(out / "data" / f"{code}.parquet")
        by = "layer" if q.unit == "organisation" else "group"
        rows = invited.filter(pl.col("questionnaire") == code)
        units = [(r["layer"] if by == "layer" else r["group"], r["invited"], r["layer"]) for r in rows.iter_rows(named=True)]
        totals: dict[str, list[int]] = {}
        for unit, n_invited, layer in units:
            responded = data.filter(pl.col(by) == unit).height
            key = f"laag:{unit}" if by == "layer" else unit
            for name in {key, f"laag:{layer}", "totaal"}:
                totals.setdefault(name, [0, 0])
                totals[name][0] += n_invited
                totals[name][1] += responded
        for name, (n_invited, responded) in totals.items():
            stem = f"veldwerk|{code}|{name}|"
            if stem + "respons" not in shown:  # a layer with one group has no total row
                assert name.startswith("laag:"), stem
                continue
            assert shown[stem + "uitgenodigd"] == n_invited
            assert shown[stem + "respons"] == responded
            assert shown[stem + "responspercentage"] == pytest.approx(responded / n_invited, rel=1e-12)
            checked += 1
    assert checked >= 12 + 3 + 3  # every group of the persons' questionnaires, the layers, the totals


@pytest.mark.slow
def test_the_questionnaire_chapter_names_what_changed_since_2022(demo_run: tuple[Path, str]) -> None:
    text = (demo_run[0] / "2024" / "rapport-veiligheid.html").read_text(encoding="utf-8")
    design = text[text.index('id="opzet"'):text.index('id="verantwoording"')]
    for code, what in [("AG_ONLINE_OVERIG", "nieuw"), ("INT_KENNIS", "vervallen"), ("AG_SOCIAL", "vraagtekst"),
                       ("ORG_SCREENING", "antwoordcategorieën")]:
        assert re.search(rf"\({code}\)</span></th>\s*<td class=\"utrecht-table__cell\">{what}</td>", design), code
    assert "AG_KANAAL" not in design  # asked in both editions: no change
    assert "Wijzigingen sinds" not in (demo_run[0] / "2022" / "rapport-veiligheid.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_verify_names_an_altered_response_count(demo_run: tuple[Path, str], tmp_path: Path) -> None:
    copy = tmp_path / "uit"
    shutil.copytree(demo_run[0], copy)
    page = copy / "2024" / "rapport-integriteit.html"
    text = page.read_text(encoding="utf-8")
    key = "veldwerk|ambtsdragers|raadslid|respons"
    value = re.search(rf'value="(\d+)" data-cell="{re.escape(key)}"', text).group(1)
    page.write_text(text.replace(f'value="{value}" data-cell="{key}"', f'value="{int(value) + 1}" data-cell="{key}"'), encoding="utf-8")
    differences = [str(d) for d in verify(copy / "2024", load())]
    assert any(f"rapport-integriteit.html {key}: toont '{int(value) + 1}', herberekend {value}" in d for d in differences), differences
