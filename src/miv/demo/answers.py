"""The demo respondents' answers: walk a questionnaire's items in order, as a web survey
would. An item is asked when the respondent's group gets it and its route (a
miv.definition rule over the answers so far) is true; otherwise it holds the
questionnaire's not-applicable code. An asked item gets an answer drawn from its model
in parameters.yaml, then perhaps item nonresponse: null (skipped) or one of the item's
missing codes. Open text items have no not-applicable code; they are null when not asked.

Rules see what indicator rules see: missing codes, not-applicable and null as None.
Each rule is evaluated once per distinct combination of the values it reads, with
miv.definition's own evaluator, so routing here means exactly what it means there.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field, replace

import numpy as np
import polars as pl

from miv.definition import Expression, Item, ItemType, Questionnaire, Stratum, parse
from miv.demo.parameters import Defaults, ItemModel, Nonresponse, QuestionnaireParameters, Trait
from miv.demo.prevalence import prevalence

YES, NO = 1, 2
GENERIC_MAX_SPAN = 10


@dataclass
class _Walk:
    """Everything known about the respondents while the questionnaire is walked."""

    q: Questionnaire
    params: QuestionnaireParameters
    defaults: Defaults
    strata: list[Stratum]
    keys: list[tuple]
    groups: np.ndarray
    rng: np.random.Generator
    seed: int
    year: int
    view: dict[str, pl.Series]
    values: dict[str, np.ndarray] = field(default_factory=dict)
    preset: dict[str, np.ndarray] = field(default_factory=dict)
    form_nonresponse: dict[str, Nonresponse] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.keys)


def answers(
    q: Questionnaire,
    units: pl.DataFrame,
    visible: pl.DataFrame,
    strata: list[Stratum],
    params: QuestionnaireParameters,
    defaults: Defaults,
    seed: int,
    year: int,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """The file value of every variable of `q` (miv.definition.variables order) per unit.

    `units` holds the stratum of each respondent (for organisations: the chair group);
    `visible` the stratum columns as the respondent table shows them, which rules see.
    Codes come back as float arrays with NaN for null; text as object arrays."""
    keys = list(zip(*(units[c].to_list() for c in ("group", "gender", "province", "size_class"))))
    view = {name: visible[name] for name in visible.columns}
    walk = _Walk(q, params, defaults, [s for s in strata if s.group in q.groups], keys, units["group"].to_numpy(), rng, seed, year, view)
    for name, trait in params.traits.items():
        _trait(walk, name, trait)
    for item in q.items:
        _ask(walk, item)
    return walk.values


def _trait(walk: _Walk, name: str, trait: Trait) -> None:
    """Draw a hidden 0/1 property and, for its holders, the forms it shows in (ja/nee items)."""
    probability = prevalence(walk.strata, trait.share, trait.odds)
    holders = walk.rng.random(walk.n) < np.array([probability[k] for k in walk.keys])
    walk.view[name] = pl.Series(name, holders.astype(np.int64))
    drawn = {form: holders & (walk.rng.random(walk.n) < p) for form, p in trait.forms.items()}
    if drawn:
        first = next(iter(drawn))
        drawn[first] |= holders & ~np.any(list(drawn.values()), axis=0)
    for form, yes in drawn.items():
        walk.preset[form] = np.where(yes, YES, NO).astype(float)
        if trait.nonresponse is not None:
            walk.form_nonresponse[form] = trait.nonresponse


def _ask(walk: _Walk, item: Item) -> None:
    asked = np.ones(walk.n, dtype=bool)
    if item.groups is not None:
        asked &= np.isin(walk.groups, item.groups)
    if item.rule is not None:
        asked &= _holds(item.rule, walk.view, walk.n)
    model = walk.params.items.get(item.code)
    if model is not None and model.own_stream:
        walk = replace(walk, rng=_own(walk, item))
    rows = np.flatnonzero(asked)
    if item.type is ItemType.MULTI:
        _multi(walk, item, model, rows)
    elif item.type is ItemType.TEXT:
        texts = np.array(walk.defaults.texts, dtype=object)
        value = np.full(walk.n, None, dtype=object)
        value[rows] = texts[walk.rng.integers(0, len(texts), rows.size)]
        value[rows[_nonresponse(walk, item, model, rows.size) != 0]] = None
        walk.values[item.code] = value
        walk.view[item.code] = pl.Series(item.code, value.tolist(), dtype=pl.Utf8)
    else:
        drawn = walk.preset[item.code][rows] if item.code in walk.preset else _draw(walk, item, model, rows)
        value = np.full(walk.n, float(walk.q.not_applicable))
        value[rows] = _missing(drawn, _nonresponse(walk, item, model, rows.size))
        walk.values[item.code] = value
        walk.view[item.code] = _visible(item.code, value, asked, item.missing)


def _visible(name: str, value: np.ndarray, asked: np.ndarray, missing: list[int]) -> pl.Series:
    """The values rules see: missing codes, not-applicable and null are None."""
    seen = np.where(asked & ~np.isin(value, missing), value, np.nan)
    return pl.Series(name, seen).fill_nan(None)


def _holds(rule: Expression, view: dict[str, pl.Series], n: int) -> np.ndarray:
    """Where `rule` is true (not false, not unknown), one evaluation per distinct input."""
    names = sorted(rule.names)
    if not names:
        return np.full(n, rule.evaluate({}) is True)
    keys = pl.DataFrame([view.get(name, pl.Series(name, [None] * n)) for name in names])
    combos = keys.unique(maintain_order=True)
    truth = pl.Series("_truth", [rule.evaluate(row) is True for row in combos.iter_rows(named=True)], dtype=pl.Boolean)
    joined = keys.join(combos.with_columns(truth), on=names, how="left", nulls_equal=True, maintain_order="left")
    return joined["_truth"].to_numpy()


def _draw(walk: _Walk, item: Item, model: ItemModel | None, rows: np.ndarray) -> np.ndarray:
    if item.type is ItemType.NUMBER:
        return _number(walk, item, model, rows)
    codes = [o.code for o in walk.q.options(item)]
    probs = np.tile(_base(walk, item, model, codes), (rows.size, 1))
    if model is not None and model.share is not None:
        probability = prevalence(walk.strata, model.share, model.odds)
        _set_p(probs, codes, np.array([probability[walk.keys[r]] for r in rows]), slice(None))
    for clause in model.when if model else []:
        mask = _holds(parse(clause.rule), walk.view, walk.n)[rows]
        if clause.p is not None:
            _set_p(probs, codes, np.full(mask.sum(), clause.p), mask)
        for code, weight in (clause.options or {}).items():
            probs[mask, codes.index(code)] = weight
    return np.array(codes, dtype=float)[_pick(probs, walk.rng)]


def _pick(probs: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One option index per row, with probability proportional to the row's weights."""
    cumulative = probs.cumsum(axis=1) / probs.sum(axis=1, keepdims=True)
    picked = (rng.random((probs.shape[0], 1)) > cumulative).sum(axis=1)
    return np.minimum(picked, probs.shape[1] - 1)


def _base(walk: _Walk, item: Item, model: ItemModel | None, codes: list[int]) -> np.ndarray:
    """The item's base distribution over its options (generic when it has no model)."""
    if model is not None and model.p is not None:
        probs = np.zeros(len(codes))
        _set_p(probs[None, :], codes, np.array([model.p]), slice(None))
        return probs
    if model is not None and model.options is not None:
        return np.array([model.options.get(code, 0.0) for code in codes])
    if item.type is ItemType.MULTI:
        return _generic(walk, item).uniform(0.05, 0.5, len(codes))
    return _generic(walk, item).dirichlet(np.full(len(codes), 2.0))


def _set_p(probs: np.ndarray, codes: list[int], p: np.ndarray, rows) -> None:
    """P(code 1) = p, the other options sharing the rest equally."""
    others = (1 - p) / (len(codes) - 1)
    probs[rows, :] = others[:, None]
    probs[rows, codes.index(YES)] = p


def _generic(walk: _Walk, item: Item) -> np.random.Generator:
    """A generator per seed and item, the same in every edition, so unmodelled items keep
    their distribution from one edition to the next."""
    return np.random.default_rng([walk.seed, zlib.crc32(f"{walk.q.code}:{item.code}".encode())])


def _own(walk: _Walk, item: Item) -> np.random.Generator:
    """The item's own stream (seed, edition, questionnaire, item): drawing from it leaves the
    shared stream, and so every other item's answers, as they were before the item existed."""
    return np.random.default_rng([walk.seed, walk.year, zlib.crc32(f"{walk.q.code}:{item.code}".encode())])


def _multi(walk: _Walk, item: Item, model: ItemModel | None, rows: np.ndarray) -> None:
    codes = [o.code for o in walk.q.options(item)]
    probs = np.tile(_base(walk, item, model, codes), (rows.size, 1))
    for clause in model.when if model else []:
        mask = _holds(parse(clause.rule), walk.view, walk.n)[rows]
        for code, p in (clause.options or {}).items():
            probs[mask, codes.index(code)] = p
    chosen = (walk.rng.random(probs.shape) < probs).astype(float)
    empty = np.flatnonzero(chosen.sum(axis=1) == 0)
    chosen[empty, _pick(probs[empty], walk.rng)] = 1.0  # whoever answers ticks at least one box
    outcome = _nonresponse(walk, item, model, rows.size)
    asked = np.zeros(walk.n, dtype=bool)
    asked[rows] = True
    for column, code in enumerate(codes):
        name = f"{item.code}_{code}"
        value = np.full(walk.n, float(walk.q.not_applicable))
        value[rows] = _missing(chosen[:, column], outcome)
        walk.values[name] = value
        walk.view[name] = _visible(name, value, asked, item.missing)


def _number(walk: _Walk, item: Item, model: ItemModel | None, rows: np.ndarray) -> np.ndarray:
    low = item.minimum if item.minimum is not None else 0
    if model is not None and model.range is not None:
        value = walk.rng.integers(model.range[0], model.range[1] + 1, rows.size).astype(float)
    elif model is not None and model.mean is not None:
        mean = np.full(rows.size, model.mean)
        for clause in model.when:
            if clause.mean is not None:
                mean[_holds(parse(clause.rule), walk.view, walk.n)[rows]] = clause.mean
        value = low + walk.rng.poisson(mean).astype(float)
    else:
        high = min(item.maximum if item.maximum is not None else low + GENERIC_MAX_SPAN, low + GENERIC_MAX_SPAN)
        value = _generic(walk, item).integers(low, high + 1, rows.size).astype(float)
    if model is not None and model.at_most is not None:
        cap = walk.view[model.at_most].to_numpy()[rows].astype(float)
        value = np.where(np.isnan(cap), value, np.minimum(value, cap))
    return np.clip(value, low, item.maximum if item.maximum is not None else np.inf)


def _nonresponse(walk: _Walk, item: Item, model: ItemModel | None, size: int) -> np.ndarray:
    """Per asked row: 0 = answered, -1 = skipped (null), else the missing code given."""
    default = walk.defaults.nonresponse
    own = (model.nonresponse if model else None) or walk.form_nonresponse.get(item.code) or Nonresponse()
    skipped = own.skipped if own.skipped is not None else default.skipped
    if not item.required:
        skipped = own.skipped_optional if own.skipped_optional is not None else default.skipped_optional
    rates = {**default.codes, **own.codes}
    outcomes = [(-1, skipped or 0.0)] + [(code, rates.get(code, 0.0)) for code in item.missing]
    u = walk.rng.random(size)
    result = np.zeros(size, dtype=int)
    edge = 0.0
    for outcome, rate in outcomes:
        result[(u >= edge) & (u < edge + rate)] = outcome
        edge += rate
    return result


def _missing(drawn: np.ndarray, outcome: np.ndarray) -> np.ndarray:
    """Apply the nonresponse outcome to drawn answers: NaN for skipped, else the code."""
    return np.where(outcome == 0, drawn, np.where(outcome == -1, np.nan, outcome.astype(float)))
