"""The package's public surface and its place in the layers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import miv.cases

SRC = Path(miv.cases.__file__).resolve().parents[2]


def test_all_names_exist_and_nothing_private_is_exported():
    for name in miv.cases.__all__:
        assert hasattr(miv.cases, name), name
        assert not name.startswith("_")
    assert sorted(miv.cases.__all__) == sorted(set(miv.cases.__all__))


def test_importing_cases_loads_no_web_store_or_statistics_code():
    probe = "import sys, miv.cases; print(sorted(m for m in sys.modules if m.startswith('miv.') and not m.startswith('miv.cases')))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env={"PYTHONPATH": str(SRC)})
    assert out.stdout.strip() == "['miv.errors']"  # the root error class, which CaseError subclasses
