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

from miv.survey.design import Design
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
    frame = design.data.select(cols).with_row_index("_row").drop_nulls(cols)
    groups = frame.group_by(cols).agg(pl.col("_row")).sort(cols)
    code = np.full(design.n, -1, dtype=np.int64)
    for g, idx in enumerate(groups["_row"].to_list()):
        code[np.asarray(idx, dtype=np.int64)] = g
    in_order = code[order]
    sort = np.argsort(in_order, kind="stable")
    bounds = np.searchsorted(in_order[sort], np.arange(groups.height + 1))
    rows = tuple(order[sort[bounds[g]: bounds[g + 1]]] for g in range(groups.height))
    return Domains(cols, groups.drop("_row"), rows)


def degf(design: Design, rows: np.ndarray) -> int:
    """Degrees of freedom of a domain: its PSUs minus its strata, counting rows with positive weight (R's degf)."""
    st = design.structure
    rows = rows[design.weights[rows] > 0]
    psu = np.unique(st.row_psu[rows])
    return len(psu) - len(np.unique(st.psu_stratum[psu]))
