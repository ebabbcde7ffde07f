"""Write the 2024 weighting input of the monitor pipeline as CSV, for make_reference.R.

Why: R must calibrate exactly the respondents, base weights, strata, FPC and margin levels
that miv.pipeline.designs builds from the seeded demo data, so any difference between the
two is a difference in method, not in input. The margin totals are derived here from the
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
EDITION = 2024
MARGINS = ("_m_gender", "_m_province", "_m_size_class")
STRATA = ("group", "layer", "role", "gender", "province", "size_class")
INDICATORS = {
    "ambtsdragers": ["agressie_totaal", "agressie_fysiek", "aangifte", "integriteit_belang"],
    "medewerkers": ["mw_agressie_totaal", "mw_agressie_fysiek", "mw_integriteit_belang"],
}


def inputs(monitor: Monitor) -> dict[str, pl.DataFrame]:
    """The pipeline's designs' data, one row per respondent: ids, strata, margins, base weight, FPC, indicators."""
    tables = {code: t for (year, code), t in generate(monitor, SEED).items() if year == EDITION}
    built, _ = designs(monitor, EDITION, {code: tables[code] for code in INDICATORS})
    return {code: design.data.select("respondent_id", *STRATA, *MARGINS, "_base", "_population", *INDICATORS[code])
            for code, design in built.items()}


def totals(monitor: Monitor, data: pl.DataFrame) -> pl.DataFrame:
    """Population total of every margin level present in `data`, from the frame."""
    frame = pl.DataFrame([s.model_dump() for s in monitor.editions[EDITION].frame.strata])
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
    for code, data in inputs(monitor).items():
        data.write_csv(HERE / f"{code}_{EDITION}.csv")
        totals(monitor, data).write_csv(HERE / f"{code}_{EDITION}_margins.csv")


if __name__ == "__main__":
    main()
