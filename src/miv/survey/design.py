"""The sampling design: data, weights, strata, first-stage clusters and finite population correction.

Why: R's survey package builds one design object and asks it questions; so do we. A Design is
immutable; weighting returns a new Design that remembers how its weights were calibrated, so
that every variance uses the calibration's GREG residuals (R's `calibrate()` postStrata).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum

import numpy as np
import polars as pl

from miv.survey.arguments import choice, frame
from miv.survey.errors import DesignError

WeightStep = Callable[[np.ndarray], np.ndarray]
"""A weighting step replayed on replicate weights: (n x R) weights in, calibrated (n x R) out."""


class LonelyStratum(Enum):
    """What to do with a stratum that has a single PSU (R's `options(survey.lonely.psu=)`)."""

    FAIL = "fail"
    """Refuse to build the design (R's default)."""
    CERTAINTY = "certainty"
    """The PSU was sampled with certainty: the stratum contributes no variance."""
    ADJUST = "adjust"
    """Centre the stratum's PSU total at zero (the grand mean of the influence values), as R does."""
    AVERAGE = "average"
    """Leave the stratum out and scale the variance up by strata / strata-with-variance."""


@dataclass(frozen=True)
class Calibration:
    """One calibration's linearisation: x -> x - (w X) beta with beta from a regression on the input weights.

    `lever` is X / g (so that X'(x/g) = lever' x) and `basis` is w X, with w the calibrated
    weights, g = w / d and d the input weights: exactly R's `qr.resid(qr(X sqrt(d)), x/(g sqrt(d))) g sqrt(d)`.
    """

    lever: np.ndarray
    basis: np.ndarray
    gram_inv: np.ndarray  # (X' D X)^-1 with D the input weights


@dataclass(frozen=True)
class Replicates:
    """Replicate weights (n x R) and how to combine replicate estimates into a variance (R's svrVar)."""

    weights: np.ndarray
    rscales: np.ndarray
    scale: float
    mse: bool
    kind: str
    degf: int | None = None  # known from the construction (jackknife); None: the rank of the weights, as R
    cache: dict[str, object] = field(default_factory=dict, init=False, repr=False, compare=False)


@dataclass(frozen=True)
class Structure:
    """Integer codes of the design, computed once: rows -> PSU -> stratum, and per-stratum constants."""

    stratum_labels: tuple[object, ...]
    row_stratum: np.ndarray  # (n,) stratum code of each row
    row_psu: np.ndarray  # (n,) PSU code; PSU codes are sorted by stratum
    psu_stratum: np.ndarray  # (P,) stratum code of each PSU
    n_psu: np.ndarray  # (H,) PSUs per stratum
    finite: np.ndarray  # (H,) 1 - f_h, the finite population correction
    scale: np.ndarray  # (H,) (1 - f_h) n_h / (n_h - 1); 0 for census or certainty strata
    centre: np.ndarray  # (H,) 1.0 to centre PSU totals at the stratum mean, 0.0 for ADJUST lonely strata
    inflate: float  # AVERAGE policy: strata / strata that contribute, for the whole design
    left_out: np.ndarray  # (H,) True for single-PSU strata that the AVERAGE policy leaves out

    @property
    def element(self) -> bool:
        """True when every row is its own PSU (no clusters): PSU sums are then the rows themselves."""
        return len(self.psu_stratum) == len(self.row_psu)


@dataclass(frozen=True)
class Design:
    """A survey design made once from a dataframe; estimators take it and return tidy tables.

    Build it with `Design.build(...)`. `weights` are the current (possibly calibrated)
    weights; `calibrations` the linearisations of the weighting steps applied so far.
    """

    data: pl.DataFrame
    weights: np.ndarray
    base: np.ndarray  # the weights the design was built with, before any weighting step
    structure: Structure
    lonely: LonelyStratum
    calibrations: tuple[Calibration, ...] = ()
    steps: tuple[WeightStep, ...] = ()
    replicates: Replicates | None = None
    cache: dict[str, object] = field(default_factory=dict, init=False, repr=False, compare=False)
    weighted: dict[str, object] = field(default_factory=dict, repr=False, compare=False)
    """What depends only on the rows, weights and calibrations (the variance plan, the moments):
    one dict shared by every `update` of the design, so that domains added for one question
    reuse what the design and its other updates computed."""

    @classmethod
    def build(
        cls,
        data: pl.DataFrame,
        weights: str | np.ndarray,
        strata: str | None = None,
        clusters: str | Sequence[str] | None = None,
        fpc: str | None = None,
        lonely: LonelyStratum = LonelyStratum.FAIL,
    ) -> Design:
        """Make a design. `fpc` names a column holding, per stratum, the population count of
        PSUs (values > 1) or the sampling fraction (all values <= 1), as in R's `svydesign`.
        Clusters are nested in strata; only the first stage enters the variance (R's default
        when later stages have no fpc)."""
        data = frame(data)
        lonely = choice(lonely, LonelyStratum, "lonely")
        if isinstance(weights, str):
            w = _numeric(data, weights, "weights")
        else:
            w = np.asarray(weights, dtype=float)
            if w.shape != (data.height,):
                raise DesignError(f"weights: expected {data.height} values, got shape {w.shape}")
        bad = np.flatnonzero(~np.isfinite(w) | (w < 0))
        if bad.size:
            raise DesignError(f"weights: row {bad[0]} has weight {w[bad[0]]}; weights must be finite and >= 0")
        first = clusters if isinstance(clusters, str) or clusters is None else clusters[0]
        structure = _structure(data, strata, first, fpc, lonely)
        return cls(data=data, weights=w, base=w, structure=structure, lonely=lonely)

    @property
    def n(self) -> int:
        """Number of rows (respondents) in the design."""
        return self.data.height

    def degf(self) -> int:
        """Design degrees of freedom: PSUs minus strata (R's `degf`)."""
        return len(self.structure.psu_stratum) - len(self.structure.n_psu)

    def with_weights(self, weights: np.ndarray, calibration: Calibration | None, step: WeightStep | None,
                     replicate_weights: np.ndarray | None = None) -> Design:
        """A new design with new weights (and the calibration that produced them); for weighting modules.
        The data are the same, so the converted columns are shared."""
        reps = self.replicates
        if reps is not None and replicate_weights is not None:
            reps = replace(reps, weights=replicate_weights)
        new = replace(
            self,
            weights=weights,
            calibrations=self.calibrations + ((calibration,) if calibration is not None else ()),
            steps=self.steps + ((step,) if step is not None else ()),
            replicates=reps,
            weighted={},
        )
        new.cache["source"] = (self, frozenset())
        return new

    def update(self, **columns: pl.Expr | pl.Series) -> Design:
        """The same design with added or replaced variables (R's `update(design, ...)`): rows,
        weights and calibrations stay, so `weighted` (the variance plan, which depends on nothing
        else) is shared, and so are the converted columns that were not replaced: converted once,
        by the design they come from, for all its updates."""
        new = replace(self, data=self.data.with_columns(**columns))
        new.cache["source"] = (self, frozenset(columns))
        return new

    def column_cache(self, kind: str) -> dict[str, object]:
        """Per-column conversions made once per design: 'codes' (factorised) and 'floats' (float arrays)."""
        store = self.cache.setdefault(kind, {})
        assert isinstance(store, dict)
        return store

    def _origin(self, column: str) -> Design:
        """The design whose data the column comes from: this one, or the one it was updated from
        when the update left the column as it was."""
        source = self.cache.get("source")
        if isinstance(source, tuple) and column not in source[1]:
            return source[0]._origin(column)  # type: ignore[no-any-return]
        return self

    def codes(self, column: str) -> tuple[np.ndarray, tuple[object, ...]]:
        """`factorize` of a column, once per design it comes from."""
        store = self.column_cache("codes")
        if column not in store:
            origin = self._origin(column)
            store[column] = factorize(self.data[column]) if origin is self else origin.codes(column)
        return store[column]  # type: ignore[return-value]

    def floats(self, columns: Sequence[str]) -> np.ndarray:
        """Numeric or boolean columns as an (n, K) float matrix (NaN where missing), converted once
        per design they come from: the columns not yet seen in one polars call, kept as views of its
        matrix. The matrix is shared, not copied: callers must not write to it."""
        origins = [self._origin(c) for c in columns]
        if origins and origins[0] is not self and all(o is origins[0] for o in origins):
            return origins[0].floats(columns)
        store, blocks = self.column_cache("floats"), self.column_cache("blocks")
        key = "\0".join(columns)
        if key in blocks:  # the same columns again (overall, then by domain): no copy
            return blocks[key]  # type: ignore[return-value]
        new = [c for c in dict.fromkeys(columns) if c not in store]
        if new:
            block = self.data.select(pl.col(c).cast(pl.Float64).fill_null(np.nan) for c in new).to_numpy(order="fortran")
            store.update({c: block[:, j] for j, c in enumerate(new)})
            if new == list(columns):
                blocks[key] = block
                return block
        return np.column_stack([store[c] for c in columns])  # type: ignore[misc]


def unique_rows(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(codes, axis=1, return_inverse=True) for non-negative integer codes (k, n), via one
    mixed-radix int64 key (much faster than sorting column tuples)."""
    radix = codes.max(axis=1) + 1
    key = np.zeros(codes.shape[1], dtype=np.int64)
    for row, base in zip(codes, radix, strict=True):
        key = key * base + row
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return codes[:, first], inverse.ravel()


def factorize(series: pl.Series) -> tuple[np.ndarray, tuple[object, ...]]:
    """Codes 0..L-1 of the sorted distinct values of a column (-1 where missing) and those values:
    polars' dense rank instead of numpy's sort of Python strings, each in one query (a domain
    column is factorised for every estimate)."""
    frame = series.to_frame()
    codes = frame.select((pl.first().rank("dense") - 1).fill_null(-1).cast(pl.Int64)).to_series().to_numpy()
    return codes, tuple(frame.select(pl.first().drop_nulls().unique().sort()).to_series().to_list())


def _numeric(data: pl.DataFrame, column: str, role: str) -> np.ndarray:
    if column not in data.columns:
        raise DesignError(f"{role}: column {column!r} not in the data (columns: {', '.join(data.columns)})")
    series = data[column]
    if not series.dtype.is_numeric():
        raise DesignError(f"{role}: column {column!r} must be numeric, is {series.dtype}")
    if series.null_count():
        row = int(series.is_null().arg_max())  # type: ignore[arg-type]
        raise DesignError(f"{role}: column {column!r} is missing in row {row}")
    return series.cast(pl.Float64).to_numpy()


def _codes(data: pl.DataFrame, column: str, role: str) -> tuple[np.ndarray, tuple[object, ...]]:
    if column not in data.columns:
        raise DesignError(f"{role}: column {column!r} not in the data (columns: {', '.join(data.columns)})")
    series = data[column]
    if series.null_count():
        row = int(series.is_null().arg_max())  # type: ignore[arg-type]
        raise DesignError(f"{role}: column {column!r} is missing in row {row}")
    return factorize(series)


def _structure(data: pl.DataFrame, strata: str | None, cluster: str | None, fpc: str | None,
               lonely: LonelyStratum) -> Structure:
    n = data.height
    if n == 0:
        raise DesignError("data: the design has no rows")
    labels: tuple[object, ...]
    if strata is None:
        row_stratum, labels = np.zeros(n, dtype=np.int64), (None,)
    else:
        row_stratum, labels = _codes(data, strata, "strata")
    if cluster is None:
        key = np.arange(n)
    else:
        key = _codes(data, cluster, "clusters")[0]
    # PSUs nested in strata (R's nest=TRUE), numbered in stratum order
    uniq, row_psu = unique_rows(np.stack([row_stratum, key]))
    psu_stratum = uniq[0]
    h = len(labels)
    n_psu = np.bincount(psu_stratum, minlength=h).astype(float)
    fraction = np.zeros(h)
    if fpc is not None:
        values = _numeric(data, fpc, "fpc")
        per = np.full(h, np.nan)
        per[row_stratum] = values
        if not np.array_equal(per[row_stratum], values):
            bad = int(np.flatnonzero(per[row_stratum] != values)[0])
            raise DesignError(f"fpc: column {fpc!r} varies within stratum {labels[row_stratum[bad]]!r} (row {bad})")
        if np.any(values < 0):
            bad = int(np.flatnonzero(values < 0)[0])
            raise DesignError(f"fpc: column {fpc!r} is {values[bad]:g} in row {bad}; give a population count "
                              "of PSUs (> 1) or a sampling fraction (0 to 1) per stratum")
        if np.all(values <= 1):
            fraction = per
        else:
            if np.any(per < n_psu):
                s = int(np.flatnonzero(per < n_psu)[0])
                raise DesignError(f"fpc: stratum {labels[s]!r} has {int(n_psu[s])} PSUs in the sample "
                                  f"but a population count of {per[s]:g}")
            fraction = n_psu / per
    scale = np.where(n_psu > 1, (1 - fraction) * n_psu / np.maximum(n_psu - 1, 1), 1 - fraction)
    scale[fraction > 1 - 1e-7] = 0.0  # a fully observed stratum has no sampling variance (R: f < 1e-7)
    centre = np.ones(h)
    inflate = 1.0
    lone = (n_psu == 1) & (scale > 0)
    left_out = np.zeros(h, dtype=bool)
    if lone.any():
        if lonely is LonelyStratum.FAIL:
            s = int(np.flatnonzero(lone)[0])
            raise DesignError(f"strata: stratum {labels[s]!r} has only one PSU; pass lonely=LonelyStratum."
                              "CERTAINTY, ADJUST or AVERAGE to say how to treat it")
        if lonely is LonelyStratum.ADJUST:
            centre[lone] = 0.0
        else:
            scale[lone] = 0.0
            if lonely is LonelyStratum.AVERAGE:
                left_out = lone
                inflate = h / (h - lone.sum()) if h > lone.sum() else np.nan
    return Structure(stratum_labels=labels, row_stratum=row_stratum, row_psu=row_psu, psu_stratum=psu_stratum,
                     n_psu=n_psu, finite=1 - fraction, scale=scale, centre=centre, inflate=float(inflate),
                     left_out=left_out)
