"""Whatever happens to a definition file, loading ends in the definition or in located
problems: never in a traceback. Hypothesis damages the real files line by line."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from miv.definition import DEFAULT_ROOT, DefinitionError, load

FILES = sorted(str(p.relative_to(DEFAULT_ROOT)) for p in DEFAULT_ROOT.rglob("*") if p.suffix in (".yaml", ".csv"))
DAMAGE = st.sampled_from(["delete", "repeat", "replace", "truncate", "indent"])
TEXT = st.text(alphabet=st.sampled_from(list("abAB_12-:[]{},'\"#&*!| \t")), max_size=12)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(file=st.sampled_from(FILES), where=st.floats(0, 1, exclude_max=True), damage=DAMAGE, text=TEXT)
def test_damaged_definition_gives_located_problems_or_loads(file: str, where: float, damage: str, text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "monitor"
        shutil.copytree(DEFAULT_ROOT, root)
        path = root / file
        lines = path.read_text(encoding="utf-8").splitlines()
        n = int(where * len(lines))
        changed = {
            "delete": lines[:n] + lines[n + 1 :],
            "repeat": lines[: n + 1] + lines[n:],
            "replace": lines[:n] + [text] + lines[n + 1 :],
            "truncate": lines[:n],
            "indent": lines[:n] + [" " + lines[n]] + lines[n + 1 :],
        }[damage]
        path.write_text("\n".join(changed) + "\n", encoding="utf-8")
        try:
            load(root)
        except DefinitionError as exc:
            assert exc.problems
            for problem in exc.problems:
                assert problem.file.startswith("monitor/") and problem.message
