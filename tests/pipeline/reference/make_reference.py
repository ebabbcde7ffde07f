"""Write the weighting input of the monitor pipeline as CSV, for make_reference.R.

Why: R must calibrate exactly the respondents, base weights, strata, FPC and margin levels
that miv.pipeline.designs builds from the seeded demo data, so any difference between the
two is a difference in method, not in input. 2024: both questionnaires of persons; 2022:
the office holders, for the test of the change since the previous edition. The margin totals are derived here from the
edition's frame (a named level is its frame cell; the pooled and "*" levels take the rest of
their group), not copied from the pipeline, so R also checks the pipeline's margins.
Run from the repository root: PYTHONPATH=src python tests/pipeline/reference/make_reference.py
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from miv.definition import Monitor, load
from miv.demo import generate
from miv.pipeline import designs

HERE = Path(__file__).parent
SEED = 7
EDITIONS = {2024: ("ambtsdragers", "medewerkers"), 2022: ("ambtsdragers",)}
MARGINS = ("_m_gender", "_m_province", "_m_size_class")
STRATA = ("group", "layer", "role", "gender", "province", "size_class")
INDICATORS = {
    "ambtsdragers": ["agressie_totaal", "agressie_fysiek", "aangifte", "integriteit_belang"],
    "medewerkers": ["mw_agressie_totaal", "mw_agressie_fysiek", "mw_integriteit_belang"],
}


def inputs(monitor: Monitor) -> dict[tuple[int, str], pl.DataFrame]:
    """The pipeline's designs' data per (edition, questionnaire), one row per respondent: ids,
    strata, margins, base weight, FPC, indicators."""
    tables = generate(monitor, SEED)
    out = {}
    for year, codes in EDITIONS.items():
        built, _ = designs(monitor, year, {code: tables[year, code] for code in codes})
        for code, design in built.items():
            out[year, code] = design.data.select("respondent_id", *STRATA, *MARGINS, "_base", "_population",
                                                 *INDICATORS[code])
    return out


def totals(monitor: Monitor, year: int, data: pl.DataFrame) -> pl.DataFrame:
    """Population total of every margin level present in `data`, from the edition's frame."""
    frame = pl.DataFrame([s.model_dump() for s in monitor.editions[year].frame.strata])
    rows = []
    for margin in MARGINS:
        variable = margin.removeprefix("_m_")
        labels = sorted(data[margin].unique().to_list())
        for label in labels:
            group, level = label.split("|")
            cells = frame.filter(pl.col("group") == group)
            if level == "*":
                total = cells["population"].sum()
            elif level == "samengevoegd":
                named = [lv.split("|")[1] for lv in labels if lv.startswith(f"{group}|") and lv != label]
                total = cells.filter(~pl.col(variable).is_in(named))["population"].sum()
            else:
                total = cells.filter(pl.col(variable) == level)["population"].sum()
            rows.append({"margin": margin, "level": label, "total": float(total)})
    return pl.DataFrame(rows)


def main() -> None:
    monitor = load()
    for (year, code), data in inputs(monitor).items():
        data.write_csv(HERE / f"{code}_{year}.csv")
        totals(monitor, year, data).write_csv(HERE / f"{code}_{year}_margins.csv")


if __name__ == "__main__":
    main()
