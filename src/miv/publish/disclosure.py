"""Disclosure control: which cells may be published, decided once for the whole edition.

Rules, in order (docs/publications.md explains each):
1. tiny groups: a target group with fewer than `tiny_population` members in the frame (the
   12 King's Commissioners, the 21 dijkgraven) is merged with the other groups of its layer
   and role (CdK + gedeputeerden), wherever the breakdown is by group. The merged figure is
   the weighted mean of its members; its variance adds the members' variances, which holds
   because weights are calibrated within each target group (independent strata); its
   interval is Korn-Graubard's, like every other cell's.
2. primary: no estimate from fewer than `min_respondents` respondents; none that is 0% or
   100% in a group of fewer than `small_group` respondents (it would tell every member's
   answer). A cell without any respondent in the indicator's universe (the question does not
   apply to the group, e.g. the chair's duty of care asked of mayors) is "n.v.t.": shown as
   such, and not a secret, so it never triggers complementary suppression.
3. complementary: where exactly one category of a breakdown is hidden and the total is
   shown, the shown category with the fewest respondents is hidden too, so the hidden one
   cannot be derived from the total.
4. consistency: a cell is the same cell wherever it appears (same indicator, edition,
   respondents and weighted count); hidden once means hidden in every output.
Rules 3 and 4 repeat until nothing changes. Every decision is kept for the manifest.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import asdict, dataclass

import polars as pl
from scipy import special

from miv.definition import Monitor
from miv.definition.models import Comparison
from miv.survey import CIMethod, intervals
from miv.publish.results import TOTAL, Results
from miv.publish.verdict import NOT_APPLICABLE_RULE

KEY = ("publication", "section", "per_value", "indicator", "breakdown", "domain", "edition")


@dataclass(frozen=True)
class Policy:
    min_respondents: int = 10
    small_group: int = 50
    tiny_population: int = 25


@dataclass(frozen=True)
class Decision:
    """One recorded decision; `rule` is a stable code, `reason` the Dutch explanation."""

    rule: str
    reason: str
    publication: str
    per_value: str | None
    indicator: str | None
    breakdown: str
    domain: str
    edition: int | None
    n: int | None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Disclosure:
    """The publishable tables: suppressed cells carry a reason and no figures."""

    estimates: pl.DataFrame
    comparisons: pl.DataFrame
    decisions: list[Decision]
    policy: Policy


def disclose(results: Results, policy: Policy | None = None) -> Disclosure:
    policy = policy or Policy(min_respondents=results.monitor.min_respondents)
    merged, decisions = _combine_tiny_groups(results.estimates, results.monitor, results.edition, policy)
    rows = merged.to_dicts()
    reasons: dict[int, tuple[str, str]] = {}
    for index, row in enumerate(rows):
        primary = _primary(row, policy)
        if primary:
            reasons[index] = primary
    _complementary_and_consistent(rows, reasons)
    for index, (rule, reason) in sorted(reasons.items()):
        row = rows[index]
        decisions.append(Decision(rule, reason, *(row[k] for k in ("publication", "per_value", "indicator", "breakdown", "domain", "edition", "n"))))
    decisions = list(dict.fromkeys(decisions))
    suppressed = pl.Series("suppressed", [reasons[i][1] if i in reasons else None for i in range(len(rows))], dtype=pl.Utf8)
    rule = pl.Series("rule", [reasons[i][0] if i in reasons else None for i in range(len(rows))], dtype=pl.Utf8)
    hidden = suppressed.is_not_null()
    estimates = merged.with_columns(suppressed, rule).with_columns(
        [pl.when(hidden).then(None).otherwise(pl.col(c)).alias(c) for c in ("estimate", "se", "ci_low", "ci_high", "n", "weighted_n", "df")]
    )
    tested = pl.concat([results.comparisons, _merged_changes(merged, results)])
    comparisons, dropped = _comparisons(results, tested, estimates)
    return Disclosure(estimates, comparisons, decisions + dropped, policy)


def _primary(row: dict, policy: Policy) -> tuple[str, str] | None:
    if not row["n"]:
        return NOT_APPLICABLE_RULE, "niet van toepassing: niemand in deze groep kreeg de vraag"
    if row["estimate"] is None or row["n"] is None or (isinstance(row["estimate"], float) and math.isnan(row["estimate"])):
        return "niet_schatbaar", "geen schatting mogelijk"
    if row["n"] < policy.min_respondents:
        return "minimum", f"minder dan {policy.min_respondents} respondenten"
    extreme = row["estimate"] <= 1e-9 or row["estimate"] >= 1 - 1e-9
    if extreme and row["n"] < policy.small_group:
        return "uiterste", f"0% of 100% in een groep van minder dan {policy.small_group} respondenten"
    return None


def _fingerprint(row: dict) -> tuple:
    return (row["indicator"], row["edition"], row["n"], round(row["weighted_n"] or 0.0, 6), None if row["estimate"] is None else round(row["estimate"], 9))


def _complementary_and_consistent(rows: list[dict], reasons: dict[int, tuple[str, str]]) -> None:
    tables: dict[tuple, list[int]] = defaultdict(list)
    totals: dict[tuple, list[int]] = defaultdict(list)
    same: dict[tuple, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        head = (row["publication"], row["per_value"], row["indicator"], row["edition"])
        if row["breakdown"] == TOTAL:
            totals[head].append(index)
        else:
            tables[(*head, row["section"], row["breakdown"])].append(index)
        same[_fingerprint(row)].append(index)
    changed = True
    while changed:
        changed = False
        for key, members in tables.items():
            members = [i for i in members if reasons.get(i, ("",))[0] != NOT_APPLICABLE_RULE]
            hidden = [i for i in members if i in reasons]
            shown = [i for i in members if i not in reasons]
            total_shown = any(i not in reasons for i in totals.get(key[:4], []))
            if len(hidden) == 1 and shown and total_shown:
                pick = min(shown, key=lambda i: (rows[i]["n"], rows[i]["domain"]))
                reasons[pick] = ("complementair", "verborgen zodat een andere verborgen cel niet uit het totaal is af te leiden")
                changed = True
        for members in same.values():
            hidden = [i for i in members if i in reasons and reasons[i][0] != NOT_APPLICABLE_RULE]
            for i in members:
                if hidden and i not in reasons:
                    reasons[i] = ("consistent", "dezelfde cel is in een andere uitgave verborgen")
                    changed = True


def tiny_groups(monitor: Monitor, edition: int, policy: Policy) -> dict[str, tuple[str, ...]]:
    """Group code -> the groups it is published with (tiny groups and their partners)."""
    population: dict[str, int] = defaultdict(int)
    for stratum in monitor.editions[edition].frame.strata:
        population[stratum.group] += stratum.population
    merged: dict[str, tuple[str, ...]] = {}
    for group in monitor.structure.groups:
        if group.code in population and population[group.code] < policy.tiny_population:
            members = tuple(g.code for g in monitor.structure.groups if g.layer == group.layer and g.role == group.role)
            for member in members:
                merged[member] = members
    return merged


def _combine_tiny_groups(estimates: pl.DataFrame, monitor: Monitor, edition: int, policy: Policy) -> tuple[pl.DataFrame, list[Decision]]:
    mapping = {code: "+".join(members) for code, members in tiny_groups(monitor, edition, policy).items()}
    affected = (pl.col("breakdown") == "group") & pl.col("domain").is_in(list(mapping))
    members = estimates.filter(affected)
    if members.is_empty():
        return estimates, []
    decisions = [
        Decision("samengevoegd", f"kleine groep gepubliceerd als {mapping[r['domain']]}", r["publication"], r["per_value"], r["indicator"], r["breakdown"], r["domain"], r["edition"], r["n"])
        for r in members.iter_rows(named=True)
    ]
    w = pl.col("weighted_n")
    combined = (
        members.with_columns(pl.col("domain").replace_strict(mapping).alias("domain"))
        .filter(pl.col("estimate").is_not_null())
        .group_by([k for k in KEY], maintain_order=True)
        .agg(
            ((w * pl.col("estimate")).sum() / w.sum()).alias("estimate"),
            (((w / w.sum()) ** 2 * pl.col("se") ** 2).sum().sqrt()).alias("se"),
            pl.col("n").sum().alias("n"),
            w.sum().alias("weighted_n"),
            pl.len().alias("members"),
            pl.when(pl.col("df").null_count() == 0).then(pl.col("df").sum()).alias("df"),  # independent strata: df add up
        )
    )
    combined = _korn_graubard(combined).select(estimates.columns).cast(estimates.schema)
    return pl.concat([estimates.filter(~affected), combined]), decisions


def _korn_graubard(merged: pl.DataFrame) -> pl.DataFrame:
    """The merged group's 95% interval by the method of every other cell (Korn-Graubard, as
    svyciprop's "beta"), with the members' degrees of freedom added up (respondents minus
    strata when they are not known). At
    0% or 100% the variance is 0 and the interval is Clopper-Pearson's with n respondents."""
    n = merged["n"].to_numpy().astype(float)
    df = merged.select(pl.col("df").fill_null(pl.col("n") - pl.col("members")))["df"].to_numpy().astype(float)
    low, high, _ = intervals.proportion(merged["estimate"].to_numpy(), merged["se"].to_numpy(), df, n, n, CIMethod.BETA, 0.95)
    return merged.with_columns(ci_low=pl.Series(low).fill_nan(None), ci_high=pl.Series(high).fill_nan(None))


def _merged_changes(merged: pl.DataFrame, results: Results) -> pl.DataFrame:
    """The change since the previous edition of each merged group, tested like every other
    cell (independent samples: the variances add; two-sided z test)."""
    if results.previous is None:
        return results.comparisons.clear()
    keys = ["publication", "per_value", "indicator", "breakdown", "domain"]
    groups = merged.filter((pl.col("breakdown") == "group") & pl.col("domain").str.contains("+", literal=True)).unique([*keys, "edition"], keep="first", maintain_order=True)
    now = groups.filter(pl.col("edition") == results.edition)
    before = groups.filter(pl.col("edition") == results.previous)
    pairs = now.join(before, on=keys, suffix="_prev", nulls_equal=True, maintain_order="left")
    se = (pl.col("se") ** 2 + pl.col("se_prev") ** 2).sqrt()
    z = ((pl.col("estimate") - pl.col("estimate_prev")) / se).abs()
    p_value = pl.when(se > 0).then(z.map_batches(lambda v: pl.Series(2 * special.ndtr(-v.to_numpy())), return_dtype=pl.Float64))
    return pairs.select(
        *keys[:3], pl.lit(Comparison.PREVIOUS_EDITION.value).alias("kind"), *keys[3:], pl.lit(str(results.previous)).alias("reference"),
        "estimate", pl.col("estimate_prev").alias("reference_estimate"),
        (pl.col("estimate") - pl.col("estimate_prev")).alias("difference"), se.alias("se"), p_value.alias("p_value"),
    ).cast(results.comparisons.schema)


def _comparisons(results: Results, tested: pl.DataFrame, estimates: pl.DataFrame) -> tuple[pl.DataFrame, list[Decision]]:
    """Keep a comparison only when both of its cells are published."""
    shown = {
        (r["publication"], r["per_value"], r["indicator"], r["breakdown"], r["domain"], r["edition"])
        for r in estimates.filter(pl.col("suppressed").is_null()).iter_rows(named=True)
    }
    keep, dropped = [], []
    for row in tested.iter_rows(named=True):
        cell = (row["publication"], row["per_value"], row["indicator"], row["breakdown"], row["domain"])
        ok = (*cell, results.edition) in shown
        if row["kind"] == Comparison.PREVIOUS_EDITION.value:
            ok = ok and (*cell, int(row["reference"])) in shown
        elif row["kind"] == Comparison.GENDER.value:
            ok = ok and (*cell[:3], "gender", row["reference"], results.edition) in shown
        elif row["kind"] == Comparison.GROUP_VS_ALL.value:
            ok = ok and (*cell[:3], TOTAL, TOTAL, results.edition) in shown
        keep.append(ok)
        if not ok:
            dropped.append(Decision("vergelijking_vervalt", f"vergelijking ({row['kind']}) niet gepubliceerd: een van de cellen is verborgen", row["publication"], row["per_value"], row["indicator"], row["breakdown"], row["domain"], results.edition, None))
    return tested.filter(pl.Series(keep, dtype=pl.Boolean)), list(dict.fromkeys(dropped))
