"""Input for the Fay-Herriot reference (make_fayherriot.R): direct estimates per area and frame covariates.

Run from the repository root:  PYTHONPATH=src .venv/bin/python tests/survey/reference/make_fayherriot.py
Direct estimates: the share of office holders with any aggression (agressie_totaal) in the
pipeline's reference data for 2024 (tests/pipeline/reference/ambtsdragers_2024.csv), per province
and per municipality size class, from the stratified design (strata = target group, fpc) with
their design-based variances. Covariates from the 2024 frame: the share of women among the area's
office holders and, for provinces, the share of municipal office holders in municipalities of
100,000 inhabitants or more.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from miv.survey import Design, mean

ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).parent


def main() -> None:
    data = pl.read_csv(ROOT / "tests/pipeline/reference/ambtsdragers_2024.csv", infer_schema_length=None)
    design = Design.build(data, "_base", strata="group", fpc="_population")
    frame = pl.read_csv(ROOT / "monitor/editions/2024/frame.csv").filter(
        pl.col("group").is_in(data["group"].unique().to_list()))
    for area, name in (("province", "provinces"), ("size_class", "sizes")):
        direct = mean(design, "agressie_totaal", by=area).select(area, direct="estimate", vardir=pl.col("se") ** 2,
                                                                    n="n")
        covariates = frame.filter(pl.col(area).is_not_null()).group_by(area).agg(
            women=(pl.col("population") * (pl.col("gender") == "vrouw")).sum() / pl.col("population").sum(),
            large=(pl.col("population") * (pl.col("size_class") == "100k-plus")).sum() / pl.col("population").sum())
        table = direct.join(covariates, on=area).sort(area).rename({area: "area"})
        table.write_csv(HERE / f"fayherriot_{name}.csv")
        print(name, table.height, "areas")


if __name__ == "__main__":
    main()
