"""The open data (open-data/): every cell after disclosure control in long format, a codebook,
and a DCAT-AP-NL 3.0 description of the dataset for data.overheid.nl.

A suppressed cell keeps its row with empty figures and the symbol `x` (CBS's "geheim"), so
the table's shape is the same every edition and nothing hidden is in the file. The weighted
counts are left out: with them a hidden share could be solved from the shown ones."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from miv.publish.disclosure import Disclosure
from miv.publish.document import cell_key
from miv.publish.labels import BREAKDOWNS, Labels
from miv.publish.reliability import assess
from miv.publish.render import SERIES
from miv.publish.results import TOTAL, Results

BASE_URL = "https://open-data.invalid/miv/"  # where the files will be published; set it with base_url
DATA = "cijfers.csv"
VARIABLES = "codeboek-variabelen.csv"
CODES = "codeboek-codes.csv"
DESCRIPTION = "dataset.jsonld"
THEMES = {"Bestuur": "Bestuur", "Openbare_orde_en_veiligheid": "Openbare orde en veiligheid"}  # the OWMS themes of data.overheid.nl
SYMBOLS = {"": "cijfer gepubliceerd", "x": "niet gepubliceerd (onthullingsbeheersing)", ".": "niet te berekenen"}
# variable, type, unit, description
CODEBOOK = [
    ("sleutel", "tekst", "", "publicatie|waarde|indicator|uitsplitsing|categorie|editie: dezelfde sleutel als estimates.csv en de data-cell-attributen in de HTML"),
    ("publicatie", "code", "", "de publicatie waarin het cijfer staat (zie codes)"),
    ("waarde", "code", "", "de provincie van een provinciefactsheet, anders leeg (zie codes bij province)"),
    ("indicator", "code", "", "de indicator (zie codes)"),
    ("uitsplitsing", "code", "", "totaal of de variabele waarnaar is uitgesplitst (zie codes)"),
    ("categorie", "code", "", "de categorie van de uitsplitsing; totaal bij het totaal (zie codes per uitsplitsing)"),
    ("editie", "geheel getal", "jaar", "editie van de monitor"),
    ("aandeel", "decimaal", "proportie 0-1", "gewogen schatting van het aandeel"),
    ("standaardfout", "decimaal", "proportie 0-1", "standaardfout van het aandeel (linearisatie)"),
    ("ondergrens_95", "decimaal", "proportie 0-1", "ondergrens van het 95%-betrouwbaarheidsinterval (Korn-Graubard)"),
    ("bovengrens_95", "decimaal", "proportie 0-1", "bovengrens van het 95%-betrouwbaarheidsinterval (Korn-Graubard)"),
    ("n", "geheel getal", "respondenten", "ongewogen aantal respondenten met een geldig antwoord"),
    ("betrouwbaarheid", "code", "", "leeg, of de NCHS-regel waarop het cijfer minder betrouwbaar is (zie codes)"),
    ("symbool", "code", "", "leeg: gepubliceerd; x: niet gepubliceerd (onthullingsbeheersing); .: niet te berekenen"),
    ("reden", "tekst", "", "waarom een cijfer niet gepubliceerd is"),
]
RELIABILITY = {
    "effectieve_n": "effectieve steekproefomvang kleiner dan 30",
    "breed_interval": "95%-interval van 30 procentpunt of breder",
    "relatief_breed": "95%-interval breder dan 130% van het cijfer",
    "vrijheidsgraden": "minder dan 8 vrijheidsgraden",
}


def rows(disclosure: Disclosure) -> list[dict]:
    """One row per published cell (the section it appears in does not matter)."""
    seen, out = set(), []
    ordered = disclosure.estimates.sort("publication", "per_value", "indicator", "breakdown", "domain", "edition", nulls_last=False)
    for r in ordered.iter_rows(named=True):
        key = cell_key(r["publication"], r["per_value"], r["indicator"], r["breakdown"], r["domain"], r["edition"])
        if key in seen:
            continue
        seen.add(key)
        shown = r["suppressed"] is None
        mark = assess(r["estimate"], r["se"], r["ci_low"], r["ci_high"], r["n"], r.get("df")) if shown else None
        out.append({
            "sleutel": key, "publicatie": r["publication"], "waarde": r["per_value"] or "", "indicator": r["indicator"],
            "uitsplitsing": r["breakdown"], "categorie": r["domain"], "editie": r["edition"],
            "aandeel": r["estimate"] if shown else None, "standaardfout": r["se"] if shown else None,
            "ondergrens_95": r["ci_low"] if shown else None, "bovengrens_95": r["ci_high"] if shown else None,
            "n": r["n"] if shown else None, "betrouwbaarheid": mark.rule if mark else "",
            "symbool": "" if shown else ("." if r["suppressed"] == "geen schatting mogelijk" else "x"),
            "reden": r["suppressed"] or "",
        })
    return out


def codes(results: Results, disclosure: Disclosure, labels: Labels) -> list[tuple[str, str, str]]:
    """(variable, code, label) for every code the data use."""
    monitor = results.monitor
    out = [("publicatie", p.slug, p.title) for p in monitor.publications]
    out += [("indicator", i.code, f"{i.label} ({i.denominator_label})") for i in monitor.indicators]
    out += [("uitsplitsing", code, label) for code, label in BREAKDOWNS.items()]
    found = set(disclosure.estimates.select("breakdown", "domain").unique().iter_rows())
    out += [(f"categorie ({b})", d, labels.domain(b, d)) for b, d in sorted(found) if b != TOTAL]
    out += [("categorie (totaal)", TOTAL, "Totaal"), *(("waarde", c.code, c.label) for c in monitor.structure.provinces)]
    out += [("betrouwbaarheid", code, label) for code, label in RELIABILITY.items()]
    out += [("symbool", code, label) for code, label in SYMBOLS.items() if code]
    return out


def _write_csv(target: Path, header: list[str], records: list) -> None:
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(records)


def description(results: Results, files: dict[str, Path], base_url: str = BASE_URL) -> dict:
    """The DCAT-AP-NL 3.0 description of the edition's open data, as JSON-LD (inline context)."""
    edition = results.edition
    base = base_url.rstrip("/") + f"/{edition}/open-data/"
    bzk = "https://identifier.overheid.nl/tooi/id/ministerie/mnre1034"
    cc0 = "http://creativecommons.org/publicdomain/zero/1.0/deed.nl"
    csv_type = "http://publications.europa.eu/resource/authority/file-type/CSV"
    media = "https://www.iana.org/assignments/media-types/text/csv"
    today = dt.date.today().isoformat()
    titles = {DATA: "Cijfers (lange vorm)", VARIABLES: "Codeboek: variabelen", CODES: "Codeboek: codes en labels"}
    distributions = [{
        "@id": f"{base}dataset#{name}", "@type": "dcat:Distribution",
        "dct:title": {"@value": titles[name], "@language": "nl"},
        "dct:description": {"@value": f"{titles[name]}, CSV in UTF-8, komma als scheidingsteken en punt als decimaalteken.", "@language": "nl"},
        "dcat:accessURL": {"@id": base + name}, "dcat:downloadURL": {"@id": base + name},
        "dct:license": {"@id": cc0}, "dct:format": {"@id": csv_type}, "dcat:mediaType": {"@id": media},
        "dcat:byteSize": {"@value": str(path.stat().st_size), "@type": "xsd:nonNegativeInteger"},
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/NLD"},
    } for name, path in files.items()]
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/",
            "vcard": "http://www.w3.org/2006/vcard/ns#", "xsd": "http://www.w3.org/2001/XMLSchema#", "skos": "http://www.w3.org/2004/02/skos/core#",
        },
        "@graph": [
            {
                "@id": base + "dataset", "@type": "dcat:Dataset",
                "dct:identifier": f"miv-{edition}",
                "dct:title": [{"@value": f"{SERIES} {edition}: cijfers", "@language": "nl"},
                              {"@value": f"Integrity and Safety Monitor {edition}: figures", "@language": "en"}],
                "dct:description": {"@value": (
                    f"Alle gepubliceerde cijfers van de {SERIES} {edition} (agressie en intimidatie tegen, en integriteit van, "
                    "politieke ambtsdragers en medewerkers van gemeenten, provincies en waterschappen): per publicatie, indicator, "
                    "uitsplitsing en editie het gewogen aandeel met standaardfout, 95%-betrouwbaarheidsinterval en aantal respondenten. "
                    "Cijfers die de onthullingsbeheersing niet doorstaan zijn leeg met het symbool x."
                    + (f" {results.notice}" if results.notice else "")), "@language": "nl"},
                "dct:publisher": {"@id": bzk}, "dct:creator": {"@id": bzk},
                "dcat:contactPoint": {"@id": base + "contact"},
                "dct:accessRights": {"@id": "http://publications.europa.eu/resource/authority/access-right/PUBLIC"},
                "dcat:theme": [{"@id": f"http://standaarden.overheid.nl/owms/terms/{term}"} for term in THEMES],
                "dcat:keyword": [{"@value": k, "@language": "nl"} for k in ("agressie", "intimidatie", "integriteit", "politieke ambtsdragers", "openbaar bestuur")],
                "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/NLD"},
                "dct:spatial": {"@id": "http://publications.europa.eu/resource/authority/country/NLD"},
                "dct:temporal": {"@id": base + "periode"},
                "dct:issued": {"@value": today, "@type": "xsd:date"}, "dct:modified": {"@value": today, "@type": "xsd:date"},
                "dcat:version": f"{edition}",
                "dcat:landingPage": {"@id": base + "index.html"},
                "dcat:distribution": [{"@id": d["@id"]} for d in distributions],
            },
            {"@id": base + "periode", "@type": "dct:PeriodOfTime",
             "dcat:startDate": {"@value": f"{edition}-01-01", "@type": "xsd:date"}, "dcat:endDate": {"@value": f"{edition}-12-31", "@type": "xsd:date"}},
            {"@id": base + "contact", "@type": ["vcard:Organization", "vcard:Kind"],
             "vcard:fn": "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
             "vcard:hasURL": {"@id": "https://www.rijksoverheid.nl/ministeries/ministerie-van-binnenlandse-zaken-en-koninkrijksrelaties/contact"}},
            {"@id": bzk, "@type": "foaf:Agent", "foaf:name": {"@value": "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties", "@language": "nl"}},
            {"@id": cc0, "@type": "dct:LicenseDocument"},
            {"@id": csv_type, "@type": "dct:MediaTypeOrExtent"},
            {"@id": media, "@type": "dct:MediaType"},
            {"@id": "http://publications.europa.eu/resource/authority/access-right/PUBLIC", "@type": "dct:RightsStatement"},
            {"@id": "http://publications.europa.eu/resource/authority/language/NLD", "@type": "dct:LinguisticSystem"},
            {"@id": "http://publications.europa.eu/resource/authority/country/NLD", "@type": "dct:Location"},
            {"@id": base + "index.html", "@type": "foaf:Document"},
            *({"@id": f"http://standaarden.overheid.nl/owms/terms/{term}", "@type": "skos:Concept", "skos:prefLabel": {"@value": label, "@language": "nl"}}
              for term, label in THEMES.items()),
            *distributions,
        ],
    }


def write_open_data(results: Results, disclosure: Disclosure, out_dir: Path, base_url: str = BASE_URL) -> list[Path]:
    """Write open-data/ into `out_dir`: the long table, the codebook, its description and an index page."""
    root = Path(out_dir) / "open-data"
    root.mkdir(parents=True, exist_ok=True)
    labels = Labels(results.monitor)
    data = rows(disclosure)
    header = [c[0] for c in CODEBOOK]
    _write_csv(root / DATA, header, [[("" if r[c] is None else r[c]) for c in header] for r in data])
    _write_csv(root / VARIABLES, ["variabele", "type", "eenheid", "omschrijving"], CODEBOOK)
    _write_csv(root / CODES, ["variabele", "code", "label"], codes(results, disclosure, labels))
    files = {name: root / name for name in (DATA, VARIABLES, CODES)}
    (root / DESCRIPTION).write_text(json.dumps(description(results, files, base_url), ensure_ascii=False, indent=1), encoding="utf-8")
    env = Environment(loader=PackageLoader("miv.publish", "templates"), autoescape=select_autoescape(["html", "j2"]), undefined=StrictUndefined)
    index = root / "index.html"
    index.write_text(env.get_template("verkenner/open-data.html.j2").render(
        series=SERIES, edition=results.edition, notice=results.notice, codebook=CODEBOOK, symbols=SYMBOLS, rows=len(data)), encoding="utf-8")
    return [*files.values(), root / DESCRIPTION, index]
