"""Reading the R reference values and data, and comparing with them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

REFERENCE = Path(__file__).parent / "reference"


def check(ref: dict[str, Any], name: str, key: str, actual: object, rtol: float) -> None:
    """Compare with the R call `name` (its code is in the failure message)."""
    expected = np.asarray(ref[name][key], dtype=float)
    np.testing.assert_allclose(np.asarray(actual, dtype=float).ravel(), expected.ravel(), rtol=rtol, atol=0,
                               err_msg=f"R: {ref[name]['call']} [{key}]")


def read(name: str) -> pl.DataFrame:
    """A CSV of the reference folder, as R wrote or read it."""
    return pl.read_csv(REFERENCE / name, infer_schema_length=None)
