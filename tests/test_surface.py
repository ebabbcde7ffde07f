"""Each package's public surface is exactly its `__all__` (as httpx tests it): every public
name the package holds is listed, and every listed name is there. Submodules need not be
listed (importing a package binds them), but may be, when the package offers them as a namespace."""

from __future__ import annotations

import __future__
import importlib
import pkgutil
import types

import pytest

import miv

PACKAGES = sorted(m.name for m in pkgutil.iter_modules(miv.__path__, "miv.") if m.ispkg)


def test_the_packages_are_found():
    assert {"miv.definition", "miv.survey", "miv.intake", "miv.pipeline", "miv.publish", "miv.cases"} <= set(PACKAGES)


@pytest.mark.parametrize("name", PACKAGES)
def test_all_equals_the_public_names(name):
    package = importlib.import_module(name)
    public = {key for key, value in vars(package).items()
              if not key.startswith("_") and not isinstance(value, types.ModuleType | __future__._Feature)}
    modules = {key for key, value in vars(package).items() if isinstance(value, types.ModuleType)}
    listed = getattr(package, "__all__", [])
    assert len(listed) == len(set(listed)), f"{name}.__all__ lists a name twice"
    assert set(listed) - modules == public, f"{name}: not listed {sorted(public - set(listed))}, listed but absent {sorted(set(listed) - modules - public)}"
