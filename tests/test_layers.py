"""The layer rules, executable: importing a layer loads nothing above it (ALLOWED is the rule;
the web app is at the top, and nothing imports it)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# layer -> the miv packages it may load (besides itself)
ALLOWED = {
    "definition": set(),
    "survey": set(),
    "demo": {"definition", "intake"},
    "intake": {"definition"},
    "publish": {"definition", "survey", "workers"},
    "pipeline": {"definition", "survey", "intake", "publish", "workers"},
    "workers": set(),  # a command starts them before it imports the rest
    "store": set(),
    "fieldwork": {"definition", "intake", "store"},
    "cases": {"store"},
}


def _loaded(module: str) -> set[str]:
    code = (
        "import json, sys, importlib; importlib.import_module(sys.argv[1]); "
        "print(json.dumps(sorted({m.split('.')[1] for m in sys.modules if m.startswith('miv.') and m.count('.') >= 1})))"
    )
    out = subprocess.run([sys.executable, "-c", code, module], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout))


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_loads_only_what_it_may(layer):
    loaded = _loaded(f"miv.{layer}") - {layer, "errors", "settings"}  # the root error class and the declared settings, for every layer
    assert loaded <= ALLOWED[layer], f"miv.{layer} loads {sorted(loaded - ALLOWED[layer])}"


def test_nothing_imports_the_web_app():
    for layer in ALLOWED:
        assert "web" not in _loaded(f"miv.{layer}")
