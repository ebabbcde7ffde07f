"""docs/anonymity.md stays honest: every point of "How the code keeps it" has a row in "Where
it is tested", and every test a row names exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "anonymity.md").read_text(encoding="utf-8")


def rows() -> list[tuple[str, str, str]]:
    table = DOC.split("## Where it is tested", 1)[1]
    table = table[table.index("| point |"):].split("\n\n", 1)[0]
    return [tuple(cell.strip() for cell in line.strip().strip("|").split(" | ")) for line in table.splitlines()[2:]]  # type: ignore[misc]


def test_every_point_has_a_row_and_every_row_names_a_test_that_exists():
    points = re.findall(r"^(\d+)\. \*\*", DOC.split("## How the code keeps it", 1)[1].split("## ", 1)[0], re.MULTILINE)
    assert points == [str(n) for n in range(1, 11)]
    covered = set()
    for point, guarantee, tests in rows():
        covered |= set(re.findall(r"\d+", point)) | ({"adversary"} if "adversary" in point else set())
        named = re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", tests)
        assert named or tests.startswith("`benchmarks/"), f"the row '{guarantee}' names no test"
        for path, test in named:
            source = (ROOT / path).read_text(encoding="utf-8")
            assert re.search(rf"^def {test}\(", source, re.MULTILINE), f"{path}::{test} (row '{guarantee}') does not exist"
        for script in re.findall(r"`(benchmarks/[\w/]+\.py)`", tests):
            assert (ROOT / script).exists(), script
    assert covered == set(points) | {"adversary"}
