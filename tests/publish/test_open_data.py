"""open-data/: the long table equals the edition's cells after disclosure control, the codebook
names every column and code it uses, and the DCAT-AP-NL 3.0 description passes the profile's
SHACL shapes (tests/publish/dcat-ap-nl/, from Geonovum)."""

from __future__ import annotations

import csv
import json
import warnings
from pathlib import Path

import pyshacl
import pytest
import rdflib

SHAPES = Path(__file__).parent / "dcat-ap-nl"
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in sorted(SHAPES.glob("*.ttl")):
        graph.parse(path)
    return graph


def _graph(document: dict) -> rdflib.Graph:
    with warnings.catch_warnings():  # rdflib 7.6's own JSON-LD parser uses its deprecated ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        return rdflib.Graph().parse(data=json.dumps(document), format="json-ld")


def _validate(document: dict, shapes: rdflib.Graph) -> tuple[bool, str]:
    data = _graph(document)
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, inference="rdfs")
    return conforms, text


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_description_conforms_to_dcat_ap_nl(published, shapes):
    out, _ = published
    document = json.loads((out / "open-data" / "dataset.jsonld").read_text(encoding="utf-8"))
    conforms, report = _validate(document, shapes)
    assert conforms, report
    graph = _graph(document)
    dataset = next(graph.subjects(rdflib.RDF.type, DCAT.Dataset))
    assert str(graph.value(dataset, DCT.publisher)).endswith("mnre1034")  # BZK in TOOI
    downloads = {str(graph.value(d, DCAT.downloadURL)).rsplit("/", 1)[1] for d in graph.objects(dataset, DCAT.distribution)}
    assert downloads == {"cijfers.csv", "codeboek-variabelen.csv", "codeboek-codes.csv"}
    for d in graph.objects(dataset, DCAT.distribution):
        name = str(graph.value(d, DCAT.downloadURL)).rsplit("/", 1)[1]
        assert int(graph.value(d, DCAT.byteSize)) == (out / "open-data" / name).stat().st_size
        assert str(graph.value(d, DCT.license)).startswith("http://creativecommons.org/publicdomain/zero/1.0")


def test_shapes_reject_a_description_without_publisher_or_licence(published, shapes):
    out, _ = published
    document = json.loads((out / "open-data" / "dataset.jsonld").read_text(encoding="utf-8"))
    dataset = next(n for n in document["@graph"] if n["@type"] == "dcat:Dataset")
    del dataset["dct:publisher"]
    conforms, report = _validate(document, shapes)
    assert not conforms and "publisher" in report
    document = json.loads((out / "open-data" / "dataset.jsonld").read_text(encoding="utf-8"))
    for node in document["@graph"]:
        node.pop("dct:license", None)
    conforms, report = _validate(document, shapes)
    assert not conforms and "license" in report.lower()


def test_long_table_is_every_published_cell_once(published):
    out, _ = published
    cells = {r["key"]: r for r in _read(out / "estimates.csv")}
    rows = _read(out / "open-data" / "cijfers.csv")
    assert (out / "open-data" / "cijfers.csv").read_bytes().decode("utf-8")
    assert [r["sleutel"] for r in rows] == sorted({r["sleutel"] for r in rows}, key=[r["sleutel"] for r in rows].index)
    assert {r["sleutel"] for r in rows} == set(cells)
    for row in rows:
        cell = cells[row["sleutel"]]
        assert row["sleutel"] == "|".join([row["publicatie"], row["waarde"], row["indicator"], row["uitsplitsing"], row["categorie"], row["editie"]])
        if cell["suppressed"]:
            assert row["symbool"] in ("x", ".") and row["reden"] == cell["suppressed"]
            assert row["aandeel"] == row["standaardfout"] == row["ondergrens_95"] == row["bovengrens_95"] == row["n"] == ""
        else:
            assert row["symbool"] == ""
            assert float(row["aandeel"]) == float(cell["estimate"]) and float(row["ondergrens_95"]) == float(cell["ci_low"])
            assert float(row["standaardfout"]) == float(cell["se"]) and int(row["n"]) == int(cell["n"])
    assert "weighted_n" not in rows[0] and "gewogen" not in ",".join(rows[0])


def test_codebook_names_every_column_and_code(published):
    out, _ = published
    rows = _read(out / "open-data" / "cijfers.csv")
    variables = {r["variabele"] for r in _read(out / "open-data" / "codeboek-variabelen.csv")}
    assert variables == set(rows[0])
    codes = {(r["variabele"], r["code"]) for r in _read(out / "open-data" / "codeboek-codes.csv")}
    for row in rows:
        assert ("publicatie", row["publicatie"]) in codes and ("indicator", row["indicator"]) in codes
        assert ("uitsplitsing", row["uitsplitsing"]) in codes
        assert (f"categorie ({row['uitsplitsing']})", row["categorie"]) in codes, row
        assert not row["waarde"] or ("waarde", row["waarde"]) in codes
        assert not row["betrouwbaarheid"] or ("betrouwbaarheid", row["betrouwbaarheid"]) in codes
        assert not row["symbool"] or ("symbool", row["symbool"]) in codes
