"""The public surface and the layer rule of miv.survey."""

from __future__ import annotations

import subprocess
import sys

import miv.survey


def test_all_matches_public_names() -> None:
    public = {n for n in dir(miv.survey) if not n.startswith("_")}
    modules = {"calibration", "compare", "design", "domains", "errors", "estimate", "intervals", "linearization",
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
