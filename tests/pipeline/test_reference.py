"""The pipeline's weights, published estimates, intervals and tests against R's survey package.

R (tests/pipeline/reference/make_reference.R) reads the pipeline's own weighting input for
the seeded 2024 demo data (make_reference.py) and calibrates it with calibrate(calfun =
"raking"); every failure message names the R call the expected number came from.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from miv.definition.models import Comparison, Publication, PublicationKind, Section
from miv.pipeline import designs, run
from miv.pipeline.figures import Estimator, cells, edition_changes
from miv.publish.results import TOTAL

REFERENCE = Path(__file__).parent / "reference"
W, EST, SE = 1e-8, 1e-10, 1e-8
EDITION, PREVIOUS = 2024, 2022
KEYS = {"ambtsdragers": "amb", "medewerkers": "mw"}
# publications by the population they are about (per_value null)
EVERYONE = ("rapport-veiligheid", "rapport-integriteit", "kerncijfers", "factsheet-politieke-ambtsdragers",
            "factsheet-medewerkers")
POPULATIONS = {"all": (*EVERYONE, "r-all"), "burgemeester": ("factsheet-burgemeesters", "r-burgemeester")}
# Publications that ask for every R number, so cells the real publications do not show are
# checked too: the same Estimator on the same designs, all indicators by all breakdowns.
EXTRA = {"all": None, "burgemeester": "group == 'burgemeester'"}
INDICATORS = ["agressie_totaal", "agressie_fysiek", "aangifte", "integriteit_belang",
              "mw_agressie_totaal", "mw_agressie_fysiek", "mw_integriteit_belang"]
# R's domains (make_reference.R `domains`) as (population, breakdown, domain) of the published tables
DOMAINS = {
    "ambtsdragers": ("all", TOTAL, TOTAL),
    "burgemeester": ("burgemeester", TOTAL, TOTAL),
    "burgemeester_vrouw": ("burgemeester", "gender", "vrouw"),
    "cdk": ("all", "group", "cdk"),
    "dijkgraaf": ("all", "group", "dijkgraaf"),
    "ambtsdragers_vrouw": ("all", "gender", "vrouw"),
}
GENDER = {"kerncijfers": ("kerncijfers", "r-all"), "ambtsdragers": ("factsheet-politieke-ambtsdragers", "r-all"),
          "burgemeester": ("factsheet-burgemeesters", "r-burgemeester")}


@pytest.fixture(scope="module")
def ref() -> dict[str, Any]:
    return json.loads((REFERENCE / "reference.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(monitor, editions):
    return {year: designs(monitor, year, editions[year])[0] for year in (EDITION, PREVIOUS)}


@pytest.fixture(scope="module")
def results(monitor, editions):
    return run(monitor, EDITION, editions[EDITION], editions[PREVIOUS])


@pytest.fixture(scope="module")
def extra(monitor, built):
    """Estimates (both editions) and comparisons of the `EXTRA` publications (slugs r-<population>)."""
    section = Section(title="R", indicators=INDICATORS, breakdowns=["role", "group", "gender", "layer"],
                      comparisons=[Comparison.GENDER, Comparison.GROUP_VS_ALL, Comparison.PREVIOUS_EDITION])
    publications = [Publication(slug=f"r-{name}", kind=PublicationKind.REPORT, title=name, population=rule,
                                sections=[section]) for name, rule in EXTRA.items()]
    ours = monitor.model_copy(update={"publications": publications})
    now, then = (Estimator(ours, year, built[year]) for year in (EDITION, PREVIOUS))
    made = list(cells(ours))
    current = pl.concat([now.estimates(c) for c in made])
    previous = pl.concat([then.estimates(c) for c in made])
    tests = [now.comparisons(c) for c in made] + [edition_changes(current, previous, current)]
    return pl.concat([current, previous]), pl.concat(tests)


@pytest.fixture(scope="module")
def estimates(results, extra) -> pl.DataFrame:
    return pl.concat([results.estimates, extra[0]])


@pytest.fixture(scope="module")
def comparisons(results, extra) -> pl.DataFrame:
    return pl.concat([results.comparisons, extra[1]])


def _call(ref: dict[str, Any], name: str) -> str:
    return f"R: {ref[name]['call'][0]}"


def _close(actual: object, ref: dict[str, Any], name: str, key: str, rtol: float, expected: object = None, atol: float = 0) -> None:
    want = np.asarray(ref[name][key] if expected is None else expected, dtype=float)
    np.testing.assert_allclose(np.asarray(actual, dtype=float).ravel(), want.ravel(), rtol=rtol, atol=atol,
                               err_msg=f"{_call(ref, name)} [{key}]")


def _published(estimates, population: str, indicator: str, breakdown: str, domain: str,
               edition: int = EDITION) -> pl.DataFrame:
    """The pipeline's rows for one R number: the EXTRA publication's and any real publication's."""
    rows = estimates.filter(
        (pl.col("edition") == edition) & pl.col("publication").is_in(POPULATIONS[population])
        & pl.col("per_value").is_null() & (pl.col("indicator") == indicator)
        & (pl.col("breakdown") == breakdown) & (pl.col("domain") == domain)
    )
    assert rows["publication"].str.starts_with("r-").any(), f"no estimate for {indicator} in {population}, {breakdown} = {domain}"
    return rows


def _load_writer():
    spec = importlib.util.spec_from_file_location("make_reference", REFERENCE / "make_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_input_is_what_the_pipeline_weights_today(monitor):
    """The reference stays valid only while R's input is the pipeline's: a change in the demo
    generator, the frame or the margin pooling must regenerate it (see docs/methodology.md)."""
    writer = _load_writer()
    written = writer.inputs(monitor)
    assert set(written) == {(2024, "ambtsdragers"), (2024, "medewerkers"), (2022, "ambtsdragers")}
    for (year, code), data in written.items():
        committed = pl.read_csv(REFERENCE / f"{code}_{year}.csv", schema=data.schema)
        assert_frame_equal(data, committed, check_exact=True)
        margins = pl.read_csv(REFERENCE / f"{code}_{year}_margins.csv")
        assert_frame_equal(writer.totals(monitor, year, data), margins, check_exact=True)


@pytest.mark.parametrize(("year", "code"), [(2024, "ambtsdragers"), (2024, "medewerkers"), (2022, "ambtsdragers")])
def test_weights_equal_calibrate_raking(ref, built, year, code):
    key = KEYS[code] + ("22" if year == PREVIOUS else "")
    design = built[year][code]
    ours = dict(zip(design.data["respondent_id"].to_list(), design.weights, strict=True))
    ids = ref[f"respondents_{key}"]["value"]
    assert sorted(ids) == sorted(ours)
    _close([ours[i] for i in ids], ref, f"weights_{key}", "value", W)


def _label(entry: dict[str, Any], key: str) -> str | None:
    return entry[key][0] if key in entry else None


def _domain(entry: dict[str, Any], level: str | None = None) -> tuple[str, str, str]:
    """Where R's number is published: (population, breakdown, domain)."""
    population, by = _label(entry, "population"), _label(entry, "by")
    if by is not None:
        return DOMAINS[population][0] if population in DOMAINS else population, by, level
    return ("all", TOTAL, TOTAL) if population == "all" else DOMAINS[population]


def _means(ref: dict[str, Any]) -> list[tuple[str, int, tuple[str, str, str], int]]:
    """(R entry, index in R's result, where published, edition) for every svymean/svyby number."""
    out = []
    for name, entry in ref.items():
        call, edition = entry["call"][0], entry.get("edition", [EDITION])[0]
        if call.startswith("svyby("):
            out += [(name, i, _domain(entry, level), edition) for i, level in enumerate(entry["domain"])]
        elif call.startswith("svymean("):
            out.append((name, 0, _domain(entry), edition))
    return out


def test_estimates_and_standard_errors_equal_svymean(ref, estimates):
    checks = _means(ref)
    assert len(checks) == 124
    for name, i, where, edition in checks:
        rows = _published(estimates, where[0], _label(ref[name], "variable"), *where[1:], edition=edition)
        _close(rows["estimate"], ref, name, "estimate", EST, [ref[name]["estimate"][i]] * rows.height)
        _close(rows["se"], ref, name, "se", SE, [ref[name]["se"][i]] * rows.height)


def _ciprops(ref: dict[str, Any]) -> list[str]:
    return [name for name in ref if ref[name]["call"][0].startswith("svyciprop(")]


def test_korn_graubard_intervals_equal_svyciprop_beta_with_the_domains_rows(ref, estimates):
    """The pipeline's "beta" interval is svyciprop(method = "beta") with the t-ratio on the
    domain's respondents - 1. svyciprop itself uses nrow(design), which for a subset of a
    calibrated design is the whole sample (every office holder), not the domain (the mayors): a
    deliberate difference of miv.survey (docs/methodology.md). R's kg() in
    make_reference.R is svyciprop's formula with that one count as an argument; with
    nrow(subset(...)) it reproduces svyciprop exactly, with the domain's rows it is the pipeline.
    Where p is 0 or 1 (all three King's Commissioners met aggression) R's interval is NaN
    and the pipeline gives the exact Clopper-Pearson interval for n respondents."""
    names = _ciprops(ref)
    assert len(names) == 24
    for name in names:
        entry = ref[name]
        population, variable = _label(entry, "population"), _label(entry, "variable")
        where = DOMAINS[population]
        rows = _published(estimates, where[0], variable, *where[1:])
        _close(rows["estimate"], ref, name, "estimate", EST, [entry["estimate"][0]] * rows.height)
        _close(rows["se"], ref, name, "se", SE, [entry["se"][0]] * rows.height)
        if entry["estimate"][0] in (0, 1):
            assert np.isnan(np.asarray(entry["ci"], dtype=float)).all(), _call(ref, name)
            edge = 0.025 ** (1 / rows["n"].to_numpy())
            want = np.column_stack([np.zeros_like(edge), 1 - edge] if entry["estimate"][0] == 0 else [edge, np.ones_like(edge)])
            np.testing.assert_allclose(rows.select("ci_low", "ci_high").to_numpy(), want, rtol=1e-12)
            continue
        exact = f"kg_nrow_{population}_{variable}"
        _close(ref[exact]["value"], ref, name, "ci", 1e-12)  # kg() is svyciprop when given nrow(design)
        domain = f"kg_rows_{population}_{variable}"
        _close(rows.select("ci_low", "ci_high").to_numpy(), ref, domain, "value", SE,
               np.tile(ref[domain]["value"], rows.height))


def test_women_minus_men_equals_the_linearised_contrast(ref, comparisons):
    names = [n for n in ref if n.startswith("gender_")]
    assert len(names) == 9
    for name in names:
        entry = ref[name]
        population, variable = _label(entry, "population"), _label(entry, "variable")
        rows = comparisons.filter(
            (pl.col("kind") == "gender") & pl.col("publication").is_in(GENDER[population])
            & pl.col("per_value").is_null() & (pl.col("indicator") == variable))
        assert rows["publication"].str.starts_with("r-").any(), name
        # a difference of two shares near 0 is held to EST of the shares (absolute), not of itself
        _close(rows["difference"], ref, name, "estimate", EST, entry["estimate"] * rows.height, atol=EST)
        _close(rows["se"], ref, name, "se", SE, entry["se"] * rows.height)
        _close(rows["p_value"], ref, name, "p_value", SE, entry["p_value"] * rows.height)
        glm = f"glm_gender_{population}_{variable}"
        _close(entry["se"], ref, glm, "se", 1e-8)  # svyglm(y ~ gender) on the domain agrees


def test_group_against_all_office_holders_against_the_exact_linearisation(ref, comparisons):
    """The difference (mayors - all office holders) is R's exactly. Its SE is the pipeline's
    documented shortcut: the mayors-vs-rest SE times the rest's weighted share of the valid
    answers. That share is fixed by calibration only where everyone answered; with missing
    answers (a few for agressie_totaal, every non-victim for aangifte) the share's own variance
    is left out: 3.3e-4 relative of the exact linearised SE on this data, held to 1e-3
    (docs/methodology.md)."""
    names = [n for n in ref if n.startswith("vs_all_")]
    assert len(names) == 4
    for name in names:
        entry = ref[name]
        rows = comparisons.filter(
            (pl.col("kind") == "group_vs_all") & pl.col("publication").is_in(["factsheet-burgemeesters", "r-burgemeester"])
            & (pl.col("indicator") == _label(entry, "variable")))
        assert rows["publication"].str.starts_with("r-").any(), name
        _close(rows["difference"], ref, name, "estimate", EST, entry["estimate"] * rows.height, atol=EST)
        _close(rows["se"], ref, name, "se", 1e-3, entry["se"] * rows.height)
        _close(rows["reference_estimate"], ref, f"mean_{_label(entry, 'variable')}", "estimate", EST,
               ref[f"mean_{_label(entry, 'variable')}"]["estimate"] * rows.height)


def test_change_since_the_previous_edition_is_the_independent_samples_z_test(ref, comparisons):
    names = [n for n in ref if n.startswith("edition_")]
    assert len(names) == 4
    for name in names:
        variable = _label(ref[name], "variable")
        rows = comparisons.filter(
            (pl.col("kind") == "previous_edition") & pl.col("publication").is_in(POPULATIONS["all"])
            & pl.col("per_value").is_null() & (pl.col("indicator") == variable)
            & (pl.col("breakdown") == TOTAL) & (pl.col("domain") == TOTAL))
        assert rows["publication"].str.starts_with("r-").any(), name
        difference, se, p_value = ref[name]["value"]
        _close(rows["difference"], ref, name, "value", EST, [difference] * rows.height, atol=EST)
        _close(rows["se"], ref, name, "value", SE, [se] * rows.height)
        _close(rows["p_value"], ref, name, "value", SE, [p_value] * rows.height)
