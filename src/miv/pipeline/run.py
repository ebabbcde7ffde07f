"""One edition end to end: respondent tables -> indicators -> weights -> estimates and
tests -> the `Results` that the publications are written from."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from pathlib import Path

import polars as pl

import miv
from miv.definition import Monitor
from miv.definition.series import PublishedFigure, as_published_by, published_series
from miv.intake import add_indicators
from miv.pipeline.figures import LEVEL, Estimator, cells, edition_changes
from miv.pipeline.models import province_models, trend_breaks
from miv.pipeline.weighting import MIN_CELL, weight
from miv.publish.narrative import ALPHA
from miv.publish.number import number
from miv.publish.results import COMPARISON_SCHEMA, ESTIMATE_SCHEMA, TOTAL, TREND_SCHEMA, Results
from miv.survey import Design

Tables = Mapping[str, pl.DataFrame]
Progress = Callable[[str], None]

def method(level: float = LEVEL) -> dict[str, str]:
    """The technical annex of every report (and the manifest): how the figures were made, for
    readers who recompute them. Parameters come from the code that uses them, none typed in."""
    pct, alpha = number(level * 100), number(ALPHA, 2)
    return {
        "weging": (
            "Per doelgroep zijn de gewichten gekalibreerd met iteratieve proportionele aanpassing (raking) op "
            "de verdeling naar geslacht en, waar het steekproefkader die kent, naar provincie en "
            "gemeentegrootte. Elke doelgroep wordt apart gewogen, zodat de gewichten van medewerkers die van "
            f"ambtsdragers niet beïnvloeden; klassen met minder dan {MIN_CELL} respondenten zijn samengevoegd."
        ),
        "variantie": (
            "Standaardfouten volgen uit Taylor-linearisatie met de residuen van de kalibratie, gestratificeerd "
            "naar doelgroep met eindigepopulatiecorrectie. Zo telt mee dat de kalibratie een deel van de "
            "steekproefonzekerheid wegneemt (Lumley 2010, hoofdstuk 7; het R-pakket survey rekent zo)."
        ),
        "interval": (
            f"{pct}%-betrouwbaarheidsintervallen volgens Korn en Graubard (1998): het exacte interval van "
            "Clopper en Pearson, toegepast op de effectieve steekproefomvang (het aantal respondenten gedeeld "
            "door het designeffect) met de vrijheidsgraden van het design. Anders dan een symmetrisch interval "
            "blijft het tussen 0 en 100% en houdt het rekening met scheve verdelingen bij kleine aandelen."
        ),
        "trendbreuk": (
            "Of een cijfer afwijkt van de langjarige trend, is beoordeeld met een structureel tijdreeksmodel "
            "(een gladde trend met de steekproefmarges van elke editie als meetfout) met en zonder niveausprong "
            "in de laatste editie: de sprong is het verschil tussen het cijfer en wat de trend van de eerdere "
            f"edities voorspelt, getoetst met een t-toets. Bij p < {alpha} wijkt het cijfer af van de trend; ligt het "
            f"{pct}%-interval van de sprong binnen 5 procentpunt, dan past het bij de trend; anders is het nog niet "
            "te zeggen. Eerder gepubliceerde cijfers zonder marge krijgen de marge van een even grote steekproef."
        ),
        "modelschatting": (
            "Waar een provinciecijfer op weinig respondenten rust (minder dan 100), staat ernaast een "
            "modelschatting volgens Fay en Herriot (1979), zoals het R-pakket sae die maakt: een gewogen "
            "gemiddelde van het directe cijfer en een voorspelling uit kenmerken van de provincie in het "
            "steekproefkader (aandeel vrouwen, aandeel ambtsdragers in gemeenten van 100.000 inwoners of meer); "
            "hoe onzekerder het directe cijfer, hoe zwaarder de voorspelling weegt. Het gepubliceerde cijfer "
            "blijft het directe cijfer."
        ),
        "toets": (
            "Verschillen tussen edities zijn getoetst als verschillen tussen onafhankelijke steekproeven "
            "(het verschil gedeeld door de wortel uit de som van de kwadraten van beide standaardfouten); "
            "verschillen binnen een editie (vrouwen en mannen, een groep tegenover het geheel) met de "
            "gezamenlijke invloedsfuncties, zodat de samenhang tussen beide cijfers meetelt. Tweezijdig; "
            f"een verschil heet significant bij p < {alpha}."
        ),
    }


METHOD = method()


def designs(monitor: Monitor, edition: int, tables: Tables) -> tuple[dict[str, Design], pl.DataFrame]:
    """Weighted designs per questionnaire, with indicator columns, and the weighting diagnostics."""
    out, diagnostics = {}, []
    spec = monitor.editions[edition]
    for code, table in tables.items():
        with_indicators = add_indicators(table, monitor, edition, code)
        weighted = weight(with_indicators, spec, monitor.structure, spec.questionnaires[code])
        out[code] = weighted.design
        diagnostics.append(weighted.diagnostics)
    return out, pl.concat(diagnostics) if diagnostics else pl.DataFrame()


def run(monitor: Monitor, edition: int, tables: Tables, previous: Tables | None = None,
        inputs: Mapping[str, str] | None = None, progress: Progress | None = None, notice: str | None = None,
        trend: pl.DataFrame | None = None, previous_results: Results | Future[Results] | None = None,
        fieldwork: pl.DataFrame | None = None, fieldwork_file: str | None = None) -> Results:
    """All figures of one edition (and the previous one, for comparisons) as `Results`;
    `notice` is printed on every output (e.g. that the data are synthetic); `trend` holds the
    figures earlier reports published (TREND_SCHEMA), from which the trend-break verdicts start.
    When the previous edition has been run already, its `previous_results` give its figures
    instead of weighting and estimating `previous` again: the same figures, computed once. A
    Future is waited for only when the comparisons need it, so the previous edition can be
    estimated in another process beside this one.
    `fieldwork` is the response per group (miv.pipeline.fieldwork.response), `fieldwork_file`
    the key of the fieldwork account in `inputs`."""
    step = progress or (lambda _: None)
    year = monitor.editions[edition].previous
    if (previous or previous_results is not None) and year is None:
        raise ValueError(f"editie {edition} noemt geen vorige editie in edition.yaml")
    if isinstance(previous_results, Results):
        _check_previous(previous_results, year)
    step("weging")
    current, diagnostics = designs(monitor, edition, tables)
    estimator = Estimator(monitor, edition, current)
    prior = None
    if previous and previous_results is None and year is not None:
        prior = Estimator(monitor, year, designs(monitor, year, previous)[0])
    compared = prior is not None or previous_results is not None
    step("schattingen")
    estimates, previous_estimates, comparisons = [], [], []
    for cell in cells(monitor):
        estimates.append(estimator.estimates(cell))
        comparisons.append(estimator.comparisons(cell))
        if prior is not None:
            previous_estimates.append(prior.estimates(cell))
    step("vergelijkingen")
    if isinstance(previous_results, Future):
        previous_results = _check_previous(previous_results.result(), year)
    this = _stack(estimates, ESTIMATE_SCHEMA)
    if previous_results is not None:
        before = previous_results.estimates.filter(pl.col("edition") == year)
    else:
        before = _stack(previous_estimates, ESTIMATE_SCHEMA)
    if compared and this.height:  # every cell shown for two editions gets its test (docs/publications.md)
        comparisons.append(edition_changes(this, before, this))
    step("modellen")
    estimates = pl.concat([this, before])
    published = trend if trend is not None else published_trend(monitor, edition, published_series(monitor))
    weights = [_weights(edition, current)]
    if prior is not None:
        weights.append(_weights(prior.edition, prior.designs))
    elif previous_results is not None:  # computed once, in the previous edition's own run
        weights.append(previous_results.weights.filter(pl.col("edition") == year))
    return Results(
        monitor=monitor,
        edition=edition,
        weights=pl.concat(weights),
        estimates=estimates,
        comparisons=_stack(comparisons, COMPARISON_SCHEMA),
        weighting=diagnostics,
        inputs=dict(inputs or {}),
        code_version=code_version(),
        method=METHOD,
        notice=notice,
        level=LEVEL,
        pooling=MIN_CELL,
        trend=published,
        breaks=trend_breaks(estimates, published, edition),
        models=province_models(monitor, this, edition),
        fieldwork=fieldwork,
        fieldwork_file=fieldwork_file,
    )


def _check_previous(previous: Results, year: int | None) -> Results:
    if previous.edition != year:
        raise ValueError(f"de resultaten van editie {previous.edition} zijn niet die van de vorige editie {year}")
    return previous


def published_trend(monitor: Monitor, edition: int, series: list[PublishedFigure]) -> pl.DataFrame:
    """The published series as the publications of `edition` show it: each earlier year's
    value as last published up to this edition, attached to every publication whose
    population is the series' group (all office holders, all staff, or one target group).
    Years this run estimates itself (this edition and the previous one) are left out."""
    own = {edition, monitor.editions[edition].previous}
    shown = [f for f in as_published_by(series, edition) if f.year not in own and f.year < edition]
    whole = {"ambtsdragers": {None, "role in ('bestuurder', 'volksvertegenwoordiger')"}, "medewerkers": {None, "role == 'medewerker'"}}
    questionnaire = {i.code: i.questionnaire for i in monitor.indicators}
    rows = []
    for publication in monitor.publications:
        if publication.per:
            continue
        population = (publication.population or "").strip() or None
        for f in shown:
            if (f.group == TOTAL and population in whole.get(questionnaire[f.indicator], set())) or population == f"group == '{f.group}'":
                rows.append({"publication": publication.slug, "per_value": None, "indicator": f.indicator, "breakdown": TOTAL,
                             "domain": TOTAL, "edition": f.year, "estimate": f.estimate,
                             "source": f"{f.source} (gepubliceerd in {f.published_in})", "trend_break": f.trend_break})
    return pl.DataFrame(rows, schema=TREND_SCHEMA)


def _weights(edition: int, designs: dict[str, Design]) -> pl.DataFrame:
    """Every respondent's calibrated weight, as the publications' gewichten.csv records it."""
    return pl.concat([
        design.data.select(
            pl.lit(edition, dtype=pl.Int32).alias("edition"), pl.lit(code).alias("questionnaire"),
            pl.col("respondent_id").cast(pl.Utf8), pl.Series("weight", design.weights),
        )
        for code, design in designs.items()
    ])


def code_version() -> str:
    """Package version plus the git commit when run from a checkout, so outputs trace to code."""
    root = Path(__file__).resolve().parents[3]
    if not (root / "src" / "miv").is_dir():  # an installed package: no checkout of its own
        return miv.__version__
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return miv.__version__
    return f"{miv.__version__}+{commit}"


def _stack(parts: list[pl.DataFrame], schema: dict) -> pl.DataFrame:
    """The parts as one table, each cell once. A cell asked for twice (two sections comparing the
    same province with the nation) can come out a few ulps apart by summation order, so rows are
    the same cell when their identity (the text and edition columns) is, not all their floats."""
    typed = [p for p in parts if p.height]
    if not typed:
        return pl.DataFrame(schema=schema)
    identity = [c for c, dtype in schema.items() if dtype is pl.Utf8 or c in ("section", "edition")]
    return pl.concat(typed).unique(identity, keep="first", maintain_order=True)
