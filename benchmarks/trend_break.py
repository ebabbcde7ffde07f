"""Validate miv.survey.trend_break by simulation: false alarms without a break, power with one.

Series of six editions (2014-2024) drawn from each trend model with the monitor's SEs (0.01)
and level/slope disturbances of 0.02/0.01 a step; the latest edition is shifted by 0, 5 or 10
percentage points. Prints a Markdown table (the one in docs/methodology.md).

    python benchmarks/trend_break.py [--reps 1000] [--seed 14]
"""

from __future__ import annotations

import argparse

import numpy as np

from miv.survey import TrendModel, Verdict, trend_break

YEARS = list(range(2014, 2025, 2))
SE = 0.01


def draw(model: TrendModel, shift: float, rng: np.random.Generator) -> np.ndarray:
    level, slope, out = 0.25, 0.02, []
    for _ in YEARS:
        out.append(level + rng.normal(0, SE))
        if model is not TrendModel.LOCAL_LEVEL:
            slope += rng.normal(0, 0.01)
            level += slope
        if model is not TrendModel.SMOOTH_TREND:
            level += rng.normal(0, 0.02)
    y = np.array(out)
    y[-1] += shift
    return y


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    print(f"{args.reps} series per cell, seed {args.seed}; share with verdict 'wijkt af van de trend' (p < 0.05)\n")
    print("| model (simulated and fitted) | no break | break of 5 points | break of 10 points |")
    print("| --- | ---: | ---: | ---: |")
    for model in TrendModel:
        cells = []
        for shift in (0.0, 0.05, 0.10):
            hits = sum(trend_break(YEARS, draw(model, shift, rng), [SE] * 6, model=model).verdict is Verdict.DEPARTS
                       for _ in range(args.reps))
            cells.append(f"{hits / args.reps:.1%}")
        print(f"| {model.value} | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
