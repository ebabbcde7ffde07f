"""The public surface and the layer rule of miv.survey."""

from __future__ import annotations

import inspect
import subprocess
import sys

import miv.survey


def test_all_matches_public_names() -> None:
    public = {n for n in dir(miv.survey) if not n.startswith("_")}
    modules = {"arguments", "calibration", "smallarea", "threads", "trend", "compare", "design", "domains", "errors", "estimate", "intervals", "linearization",
               "replicate"}  # `quantile` is the function, which shadows its module
    assert set(miv.survey.__all__) == public - modules
    assert len(miv.survey.__all__) == len(set(miv.survey.__all__))


def test_import_loads_nothing_else_of_miv() -> None:
    code = ("import sys, miv.survey; "
            "print('\\n'.join(m for m in sys.modules if m.startswith('miv.') and not m.startswith('miv.survey')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    forbidden = ("miv.definition", "miv.web", "miv.store", "miv.intake", "miv.publish")
    assert [m for m in out if m.startswith(forbidden)] == []
    assert out == ["miv.errors"]  # the root error class, which SurveyError subclasses


def test_public_functions_run_with_one_blas_thread(dstrat: miv.survey.Design) -> None:
    """Every public function is pinned; inside, BLAS reports one thread; outside, the caller's setting is back."""
    from threadpoolctl import threadpool_info, threadpool_limits

    from miv.survey.threads import single_threaded

    functions = [getattr(miv.survey, n) for n in miv.survey.__all__]
    unpinned = [f.__name__ for f in functions if inspect.isfunction(f) and not getattr(f, "single_threaded", False)]
    assert unpinned == []
    blas = [i for i in threadpool_info() if i["user_api"] == "blas"]
    assert blas, "numpy's BLAS is visible to threadpoolctl"
    with threadpool_limits(limits=2, user_api="blas"):
        before = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
        inside = single_threaded(threadpool_info)()
        assert {i["num_threads"] for i in inside if i["user_api"] == "blas"} == {1}
        assert miv.survey.mean(dstrat, "api00")["se"][0] > 0
        assert [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"] == before
