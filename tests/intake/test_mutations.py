"""Property: whatever is done to a survey file, `miv import` ends with exit code 0 or 1 and a
Dutch message, never a traceback, and an import it accepts holds at least the rows an
independent reader finds. Short budget here; benchmarks/intake_mutations.py runs a long one
and measures time and memory per file."""

from __future__ import annotations

import polars as pl
from hypothesis import HealthCheck, given, settings, strategies as st
from intake_mutations import FORMATS, MARKUP, damage, pristine, reference_rows
from typer.testing import CliRunner

from intake_support import DEFINITION
from miv.cli import app

_PRISTINE: dict[tuple[str, str | None], bytes] = {}


def _original(tmp_path_factory, monitor, valid, suffix: str, markup: str | None) -> bytes:
    if (suffix, markup) not in _PRISTINE:
        _PRISTINE[suffix, markup] = pristine(monitor, valid, suffix, tmp_path_factory.mktemp("pristine"), markup)
    return _PRISTINE[suffix, markup]


def check_import(folder, content: bytes, suffix: str) -> None:
    """The property for one file (also used by the benchmark)."""
    path = folder / f"levering{suffix}"
    path.write_bytes(content)
    result = CliRunner().invoke(app, ["import", str(path), "--edition", "2024", "--questionnaire", "ambtsdragers",
                                      "--out", str(folder / "data"), "--definition", str(DEFINITION)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1) and "Traceback" not in result.output, result.output
    if result.exit_code == 1:
        assert "Fout:" in result.output and str(path) in "".join(result.output.split()), result.output
        return
    table = pl.read_parquet(folder / "data" / "2024" / "ambtsdragers.parquet")
    reference = reference_rows(path)
    assert reference is None or table.height >= reference, (table.height, reference)


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(suffix=st.sampled_from(FORMATS), markup=st.none() | st.sampled_from(MARKUP), data=st.data())
def test_damaged_files_never_give_a_traceback_or_lose_rows(tmp_path_factory, monitor, valid, suffix, markup, data):
    content = data.draw(damage(_original(tmp_path_factory, monitor, valid, suffix, markup), suffix), label="file")
    check_import(tmp_path_factory.mktemp("import"), content, suffix)
