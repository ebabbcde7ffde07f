"""Write monitorlike.csv and monitorlike_margins.csv: seeded, monitor-shaped test data.

Why: the reference values must cover what the monitor meets (tiny strata with high
sampling fractions, a census stratum, weights differing ~100x, an item answered only by
victims, missing values, empty cells), independent of the demo generator.
Run: python tests/survey/reference/make_monitorlike.py (writes next to this file).
"""

from pathlib import Path

import numpy as np
import polars as pl

HERE = Path(__file__).parent
#            stratum, population N, respondents n
STRATA = [("BM", 342, 180), ("CdK", 12, 10), ("WH", 1400, 350), ("RL", 8800, 88),
          ("GS", 100, 45), ("PS", 570, 160), ("DG", 21, 21)]


def main() -> None:
    rng = np.random.default_rng(20261127)
    frames = []
    for h, (name, big_n, n) in enumerate(STRATA):
        sex = np.where(rng.random(big_n) < 0.35 + 0.04 * h, "v", "m")
        age = rng.choice(["<45", "45-60", "60+"], size=big_n, p=[0.25, 0.45, 0.30])
        frames.append(pl.DataFrame({"stratum": name, "sex": sex, "age": age,
                                    "N_h": big_n, "sampled": np.isin(np.arange(big_n), rng.choice(big_n, n, replace=False))}))
    pop = pl.concat(frames)
    margins = pl.concat([
        pop.group_by(v).len().rename({v: "level"}).with_columns(margin=pl.lit(v))
        for v in ("stratum", "sex", "age")
    ]).select("margin", "level", pl.col("len").cast(pl.Float64).alias("total")).sort("margin", "level")
    s = pop.filter("sampled").drop("sampled")
    m = s.height
    h_idx = s["stratum"].replace_strict({n: i for i, (n, _, _) in enumerate(STRATA)}).to_numpy()
    female = (s["sex"] == "v").to_numpy()
    victim = (rng.random(m) < 0.15 + 0.05 * (h_idx % 3) + 0.08 * female).astype(float)
    reported = np.where(victim == 1, (rng.random(m) < 0.45).astype(float), np.nan)
    reported[(victim == 1) & (rng.random(m) < 0.08)] = np.nan  # item non-response among victims
    threat = (rng.random(m) < 0.04).astype(float)
    threat[s["stratum"].to_numpy() == "CdK"] = 0.0  # p = 0 in a domain
    trust = np.clip(np.round(rng.normal(6.2 + 0.3 * (h_idx % 2), 1.8, m)), 0, 10)
    trust[rng.random(m) < 0.05] = np.nan
    incidents = rng.poisson(1.2 + victim * 2.0).astype(float)
    incidents_reported = np.minimum(incidents, rng.poisson(0.6 + victim, m)).astype(float)
    council = (rng.random(m) < 0.6).astype(float)
    council[np.isin(s["stratum"].to_numpy(), ["CdK", "DG"])] = np.nan  # not asked: all missing
    n_h = s.group_by("stratum").len().rename({"len": "n_h"})
    out = (
        s.join(n_h, on="stratum")
        .with_columns(id=pl.int_range(1, m + 1), weight=pl.col("N_h") / pl.col("n_h"))
        .with_columns(victim=victim, reported=reported, threat=threat, trust=trust,
                      incidents=incidents, incidents_reported=incidents_reported, council=council)
        .drop("n_h")
        .with_columns(pl.col(pl.Float64).fill_nan(None))
        .select("id", "stratum", "sex", "age", "N_h", "weight", "victim", "reported", "threat",
                "trust", "incidents", "incidents_reported", "council")
    )
    out.write_csv(HERE / "monitorlike.csv")
    margins.write_csv(HERE / "monitorlike_margins.csv")


if __name__ == "__main__":
    main()
