"""Fay-Herriot EBLUP and Prasad-Rao MSE against R's sae (make_fayherriot.R)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from miv.survey import EstimationError, fay_herriot
from tests.survey.helpers import REFERENCE, read

REF = json.loads((REFERENCE / "fayherriot.json").read_text())
CASES = {"provinces": ("fayherriot_provinces.csv", ["women", "large"]),
         "provinces_large": ("fayherriot_provinces.csv", ["large"]), "sizes": ("fayherriot_sizes.csv", ["women"])}


@pytest.mark.parametrize("name", list(CASES))
def test_equals_sae(name: str) -> None:
    file, columns = CASES[name]
    data = read(file)
    x = np.column_stack([np.ones(data.height), *(data[c].to_numpy() for c in columns)])
    fit = fay_herriot(data["direct"].to_numpy(), data["vardir"].to_numpy(), x)
    ref = REF[name]
    assert data["area"].to_list() == ref["area"]
    for ours, key in ((fit.eblup, "eblup"), (fit.mse, "mse"), (fit.beta, "beta"), (fit.beta_se, "beta_se"),
                      (fit.area_variance, "A")):
        np.testing.assert_allclose(ours, ref[key], rtol=1e-9, err_msg=f"R: {ref['call']} [{key}]")
    assert fit.iterations == ref["iterations"] and fit.converged
    # shrinks most where the direct estimate is least precise
    order = np.argsort(data["vardir"].to_numpy())
    assert np.all(np.diff(fit.shrinkage[order]) > 0)


def test_bad_input_is_refused() -> None:
    with pytest.raises(EstimationError, match="area 1 has sampling variance 0"):
        fay_herriot(np.array([0.4, 0.5, 0.3]), np.array([0.01, 0.0, 0.01]), np.ones((3, 1)))
    with pytest.raises(EstimationError, match="3 areas cannot fit 3 covariates"):
        fay_herriot(np.array([0.4, 0.5, 0.3]), np.full(3, 0.01), np.eye(3))
