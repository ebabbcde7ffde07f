"""Domains (subpopulations) of a design: which rows belong to each, in PSU order.

Why: a domain estimate subsets the design, not the data (R's svyby): rows outside the
domain stay in the design with zero influence, so every stratum keeps its PSU count.
Rows whose domain value is missing belong to no domain (R drops NA groups).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from miv.survey.design import Design, unique_rows
from miv.survey.errors import EstimationError
from miv.survey.linearization import plan


@dataclass(frozen=True)
class Domains:
    """The G domains of a `by` specification: their labels and rows."""

    columns: tuple[str, ...]
    table: pl.DataFrame  # (G, len(columns)) domain labels
    rows: tuple[np.ndarray, ...]  # rows of each domain, sorted by PSU

    def __len__(self) -> int:
        return len(self.rows)


def names(columns: str | Sequence[str] | None) -> tuple[str, ...]:
    """A column argument as a tuple of names."""
    if columns is None:
        return ()
    return (columns,) if isinstance(columns, str) else tuple(columns)


def domains(design: Design, by: str | Sequence[str] | None) -> Domains:
    """Split the design into the domains of the cross-classification `by` (None: one domain, all rows)."""
    cols = names(by)
    order = plan(design).psu_order
    if not cols:
        return Domains((), pl.DataFrame(), (order,))
    missing = [c for c in cols if c not in design.data.columns]
    if missing:
        raise EstimationError(f"by: column {missing[0]!r} not in the data (columns: {', '.join(design.data.columns)})")
    factorised = [design.codes(c) for c in cols]
    codes = np.stack([f[0] for f in factorised])
    valid = (codes >= 0).all(axis=0)
    code = np.full(design.n, -1, dtype=np.int64)
    uniq = np.zeros((len(cols), 0), dtype=np.int64)
    if valid.any():  # groups sorted by the columns' sorted values, as polars' sort(cols)
        uniq, code[valid] = unique_rows(codes[:, valid])
    table = pl.DataFrame([pl.Series(c, [f[1][i] for i in u], dtype=design.data[c].dtype)
                          for c, f, u in zip(cols, factorised, uniq, strict=True)])
    in_order = code[order]
    sort = np.argsort(in_order, kind="stable")
    first = int((in_order < 0).sum())
    bounds = first + np.searchsorted(in_order[sort][first:], np.arange(uniq.shape[1] + 1))
    rows = tuple(order[sort[bounds[g]: bounds[g + 1]]] for g in range(uniq.shape[1]))
    return Domains(cols, table, rows)


def degf(design: Design, rows: np.ndarray) -> int:
    """Degrees of freedom of a domain: its PSUs minus its strata, counting rows with positive weight (R's degf)."""
    st = design.structure
    rows = rows[design.weights[rows] > 0]
    psu = np.unique(st.row_psu[rows])
    return len(psu) - len(np.unique(st.psu_stratum[psu]))
