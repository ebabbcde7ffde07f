"""How much a single file may hold before the intake refuses it, checked before allocating.

The defaults leave room for the largest delivery the monitor expects (100,000 respondents x
300 variables) several times over, and keep `miv import` within about 2 GiB and 60 s.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    rows: int = 1_000_000          # respondents (records) in one file
    columns: int = 5_000           # columns (variables) in one file
    cells: int = 40_000_000        # rows x columns, declared or found
    sheet_cells: int = 10_000_000  # filled cells of an xlsx sheet (parsed in Python: about 60 s at most)
    bytes: int = 2 * 1024**3       # uncompressed size: a CSV, or an xlsx sheet's XML
    seconds: float = 60.0          # reading one .sav/.zsav in the reader child


DEFAULT_LIMITS = Limits()
