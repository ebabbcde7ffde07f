"""Reference values for miv.survey.trend from statsmodels' UnobservedComponents.

Run from the repository root:  .venv/bin/python tests/survey/reference/make_trend_reference.py
Writes trend_reference.json. Series: the published headline figure "political office holders,
any aggression/intimidation" 2014-2024 (docs/domain.md; 2014 given as 23-26%, taken as 24%)
with an SE of 0.01 in every edition (about 4,000 respondents and a design effect of 1.6; the
published reports give no SEs). The level shift at 2024 is a regression effect in the state
(mle_regression=False) with exact diffuse initialisation; UnobservedComponents also burns the
first observations of the likelihood, on top of the diffuse periods, which is switched off.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import statsmodels
import statsmodels.api as sm

YEARS = [2014, 2016, 2018, 2020, 2022, 2024]
SERIES = [0.24, 0.27, 0.29, 0.35, 0.49, 0.45]
SE = 0.01
MODELS = {"local level": "llevel", "smooth trend": "strend", "local linear trend": "lltrend"}


def fit(level: str) -> dict[str, object]:
    y = np.array(SERIES)
    dummy = (np.arange(len(y)) == len(y) - 1).astype(float)[:, None]
    model = sm.tsa.UnobservedComponents(y, level=level, exog=dummy, mle_regression=False)
    model.ssm.initialize_diffuse()
    model.loglikelihood_burn = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        first = model.fit_constrained({"sigma2.irregular": SE**2}, disp=False, method="nm", maxiter=20000)
        free = [p for n, p in zip(model.param_names, first.params, strict=True) if n != "sigma2.irregular"]
        res = model.fit_constrained({"sigma2.irregular": SE**2}, disp=False, start_params=free, maxiter=5000)
    shift = model.k_states - 1
    params = dict(zip(model.param_names, (float(p) for p in res.params), strict=True))
    return {"call": f"UnobservedComponents(y, level={level!r}, exog=dummy_2024, mle_regression=False), exact "
                    f"diffuse, sigma2.irregular fixed at {SE**2}", "params": params,
            "shift": float(res.smoothed_state[shift, -1]), "se": float(np.sqrt(res.smoothed_state_cov[shift, shift, -1])),
            "forecast": float(SERIES[-1] - res.smoothed_state[shift, -1])}


def main() -> None:
    out = {"statsmodels": statsmodels.__version__, "years": YEARS, "series": SERIES, "se": SE,
           "models": {name: fit(level) for name, level in MODELS.items()}}
    path = Path(__file__).with_name("trend_reference.json")
    path.write_text(json.dumps(out, indent=1) + "\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
