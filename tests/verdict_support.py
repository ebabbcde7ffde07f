"""The table rows of a folder of HTML publications that show a change between two editions,
for the tests that check every such row carries the test's verdict or a reason."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import tinyhtml5

NS = "{http://www.w3.org/1999/xhtml}"
CHANGE_HEADERS = ("Sinds 2022", "Verandering")


def change_rows(out: Path) -> Iterator[tuple[str, Any, list[Any]]]:
    """(page name, <tr>, its <td>s) for every body row of a table with a change column."""
    for page in sorted(out.glob("*.html")):
        tree = tinyhtml5.parse(page.read_text(encoding="utf-8"))
        for table in tree.iter(f"{NS}table"):
            head = table.find(f"{NS}thead")
            if head is None or not any("".join(th.itertext()).strip() in CHANGE_HEADERS for th in head.iter(f"{NS}th")):
                continue
            for tr in table.find(f"{NS}tbody").iter(f"{NS}tr"):
                tds = tr.findall(f"{NS}td")
                if tds:
                    yield page.name, tr, tds
