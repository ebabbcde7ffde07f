"""The bridge package's public surface and its place in the layers."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import miv.casework

SRC = Path(miv.casework.__file__).resolve().parents[2]


def test_all_names_exist():
    for name in miv.casework.__all__:
        assert hasattr(miv.casework, name), name
    assert sorted(miv.casework.__all__) == sorted(set(miv.casework.__all__))


def test_casework_loads_no_web_code_and_the_store_loads_no_cases_code():
    probe = ("import sys, miv.{}; print(sorted({{m.split('.')[1] for m in sys.modules if m.startswith('miv.')}}))")
    for package, forbidden in (("casework", {"web"}), ("store.cases", {"cases", "casework", "web"})):
        out = subprocess.run([sys.executable, "-c", probe.format(package)], capture_output=True, text=True, check=True,
                             env={"PYTHONPATH": str(SRC)})
        assert not forbidden & set(ast.literal_eval(out.stdout)), (package, out.stdout)
