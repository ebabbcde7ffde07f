import polars as pl
import pytest

from miv.publish import Results, ResultsError


def test_missing_column_is_named_in_dutch(results: Results):
    with pytest.raises(ResultsError, match="tabel estimates: kolom\\(men\\) ontbreken: weighted_n"):
        Results(results.monitor, 2024, results.estimates.drop("weighted_n"), results.comparisons, results.weighting)


def test_unknown_edition_and_kind_are_refused(results: Results):
    with pytest.raises(ResultsError, match="editie 2030"):
        Results(results.monitor, 2030, results.estimates, results.comparisons, results.weighting)
    wrong = results.comparisons.with_columns(pl.lit("vs_buren").alias("kind"))
    with pytest.raises(ResultsError, match="vs_buren"):
        Results(results.monitor, 2024, results.estimates, wrong, results.weighting)


def test_previous_edition_and_versions_come_from_the_definition(results: Results):
    assert results.previous == 2022
    assert results.definition_version == results.monitor.version
