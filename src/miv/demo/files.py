"""Write demo tables as Parquet and as labelled SPSS files, both marked synthetic.

The SPSS file is written by the intake's exporter (labels, user-missing codes), so demo
files look exactly like a bureau's delivery read back and written out by miv; this module
only adds the synthetic-data marking.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from miv.demo.generator import DemoTable
from miv.intake import export_sav

SYNTHETIC_NOTE = (
    "SYNTHETISCHE DEMODATA: gemaakt door 'miv demo' (seed {seed}). Geen echte respondenten; "
    "de cijfers zijn verzonnen om de werking van miv te laten zien."
)
SPSS_NOTE_WIDTH = 80
PUBLICATION_NOTICE = (
    "SYNTHETISCHE DEMODATA – deze cijfers zijn gemaakt met 'miv demo' en zijn geen uitkomsten van de "
    "Monitor Integriteit en Veiligheid."
)


def write_table(table: DemoTable, folder: Path, seed: int) -> list[Path]:
    """Write `table` to folder/<questionnaire>.parquet and .sav; return both paths."""
    folder.mkdir(parents=True, exist_ok=True)
    q, note = table.questionnaire, SYNTHETIC_NOTE.format(seed=seed)
    parquet = folder / f"{q.code}.parquet"
    table.data.write_parquet(parquet, metadata={"miv.synthetic": "true", "miv.note": note, "miv.seed": str(seed)})
    sav = export_sav(table.data, q, folder / f"{q.code}.sav",
                     file_label=f"SYNTHETISCHE DEMODATA {table.edition} {q.code}", note=textwrap.wrap(note, SPSS_NOTE_WIDTH))
    return [parquet, sav]
