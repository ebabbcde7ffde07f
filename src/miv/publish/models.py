"""Sentences for the model-based figures beside a cell's direct estimate (Results.breaks, Results.models).

Why: the trend-break verdict and a small province's Fay-Herriot estimate are written beside
the published direct figure, with the words the test allows (miv.survey.trend_break's text)
and a pointer to the method (the report's "trendbreuk" and "modelschatting" paragraphs).
Only cells whose direct figure is shown get them (disclosure decides first).
"""

from __future__ import annotations

import polars as pl

from miv.publish.narrative import Figure, Sentence
from miv.publish.results import TOTAL, Results


def model_sentences(results: Results, publication: str, per: str | None, indicator: str) -> list[Sentence]:
    """The trend-break verdict of the cell's total and, where the direct n is small, the model estimate."""
    cell = (pl.col("publication") == publication) & (pl.col("indicator") == indicator) & (
        pl.col("edition") == results.edition) & (pl.col("per_value").is_null() if per is None else pl.col("per_value") == per)
    out: list[Sentence] = []
    assert results.breaks is not None and results.models is not None
    verdict = results.breaks.filter(cell & (pl.col("breakdown") == TOTAL) & (pl.col("domain") == TOTAL))
    if verdict.height:
        text = verdict["text"][0]
        out.append((f"Trend: {text[:1].lower()}{text[1:]}",))  # no capital after a colon
    model = results.models.filter(cell & pl.col("small"))
    if model.height:
        row = model.row(0, named=True)
        key = "|".join(["model", publication, per or "", indicator])
        low, high = row["estimate"] - 1.96 * row["se"], row["estimate"] + 1.96 * row["se"]
        out.append(("Modelschatting: ", Figure(row["estimate"], key + "|estimate"), " (95%-interval ",
                    Figure(low, key + "|low"), " tot ", Figure(high, key + "|high"),
                    (f"); het directe cijfer berust op {row['n']} respondenten, de modelschatting leent kracht van "
                     "de andere provincies (zie de verantwoording).")))
    return out
