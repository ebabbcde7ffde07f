"""Write demo tables as Parquet and as labelled SPSS files, both marked synthetic.

The SPSS file is written by the intake's exporter (labels, user-missing codes), so demo
files look exactly like a bureau's delivery read back and written out by miv; this module
only adds the synthetic-data marking.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

from miv.definition import Monitor
from miv.demo.fieldwork import invited
from miv.demo.generator import DemoTable, tables
from miv.demo.parameters import DemoError, load_parameters
from miv.intake import export_sav
from miv.intake.fieldwork import write_fieldwork

FIELDWORK_FILE = "veldwerk.csv"

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


def write_data(monitor: Monitor, out: Path, seed: int, done: Callable[[DemoTable], None] | None = None
               ) -> tuple[list[DemoTable], dict[int, list[Path]]]:
    """Every demo table written to <out>/<edition>/data/; the tables and the .sav files per edition."""
    made: list[DemoTable] = []
    files: dict[int, list[Path]] = {}
    try:
        for table in tables(monitor, seed):
            written = write_table(table, out / str(table.edition) / "data", seed)
            files.setdefault(table.edition, []).extend(p for p in written if p.suffix == ".sav")
            made.append(table)
            if done is not None:
                done(table)
    except OSError as exc:
        where = exc.filename or out
        raise DemoError(f"kan de demodata niet schrijven naar {where}: verwacht een map waarin geschreven mag worden ({exc.strerror})",
                        file=exc.filename) from exc
    return made, files


def write_invited(monitor: Monitor, out: Path) -> dict[int, Path]:
    """The demo's fieldwork account per edition, <out>/<edition>/data/veldwerk.csv: how many
    were invited per group (organisations per layer), from the same cells the respondents
    were drawn from; the pipeline divides the respondents by it for the response rate."""
    written = {}
    for year, edition in sorted(monitor.editions.items()):
        params = load_parameters(edition, monitor.structure)
        rows = [row for code, q in edition.questionnaires.items()
                for row in invited(q, edition.frame.strata, monitor.structure, params.questionnaires[code])]
        try:
            written[year] = write_fieldwork(rows, out / str(year) / "data" / FIELDWORK_FILE)
        except OSError as exc:
            raise DemoError(f"kan het veldwerkbestand niet schrijven naar {exc.filename or out}: {exc.strerror}", file=exc.filename) from exc
    return written
