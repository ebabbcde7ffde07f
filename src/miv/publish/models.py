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


class ModelSentences:
    """The model sentences of one edition's cells, by (publication, per value, indicator): the
    verdicts and model estimates are looked up once, not filtered for each block."""

    def __init__(self, results: Results) -> None:
        assert results.breaks is not None and results.models is not None
        self.verdicts: dict[tuple, str] = {}
        for row in results.breaks.filter((pl.col("edition") == results.edition) & (pl.col("breakdown") == TOTAL)
                                         & (pl.col("domain") == TOTAL)).iter_rows(named=True):
            self.verdicts.setdefault((row["publication"], row["per_value"], row["indicator"]), row["text"])
        self.small: dict[tuple, dict] = {}
        for row in results.models.filter((pl.col("edition") == results.edition) & pl.col("small")).iter_rows(named=True):
            self.small.setdefault((row["publication"], row["per_value"], row["indicator"]), row)

    def __call__(self, publication: str, per: str | None, indicator: str) -> list[Sentence]:
        """The trend-break verdict of the cell's total and, where the direct n is small, the model estimate."""
        out: list[Sentence] = []
        text = self.verdicts.get((publication, per, indicator))
        if text is not None:
            out.append((f"Trend: {text[:1].lower()}{text[1:]}",))  # no capital after a colon
        row = self.small.get((publication, per, indicator))
        if row is not None:
            key = "|".join(["model", publication, per or "", indicator])
            low, high = row["estimate"] - 1.96 * row["se"], row["estimate"] + 1.96 * row["se"]
            out.append(("Modelschatting: ", Figure(row["estimate"], key + "|estimate"), " (95%-interval ",
                        Figure(low, key + "|low"), " tot ", Figure(high, key + "|high"),
                        (f"); het directe cijfer berust op {row['n']} respondenten, de modelschatting leent kracht van "
                         "de andere provincies (zie de verantwoording).")))
        return out
