"""The response per questionnaire and group: the fieldwork account's invited counts beside
the respondents the intake accepted, for the fieldwork table of the reports."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from miv.definition import Monitor, Unit
from miv.errors import MivError
from miv.publish.results import FIELDWORK_SCHEMA


def response(monitor: Monitor, edition: int, invited: pl.DataFrame, tables: Mapping[str, pl.DataFrame], source: str) -> pl.DataFrame:
    """FIELDWORK_SCHEMA rows: each row of the fieldwork account with the respondents counted
    in its questionnaire's table (by group, or by layer for organisations). More respondents
    than invitees means the account or the files are wrong, so it stops the run."""
    rows, problems = [], []
    for row in invited.iter_rows(named=True):
        table = tables.get(row["questionnaire"])
        unit = monitor.editions[edition].questionnaires[row["questionnaire"]].unit
        column, value = ("layer", row["layer"]) if unit is Unit.ORGANISATION else ("group", row["group"])
        responded = 0 if table is None else table.filter(pl.col(column) == value).height
        if responded > row["invited"]:
            problems.append(f"{row['questionnaire']} {value}: {responded} respondenten, maar {row['invited']} uitgenodigd")
        rows.append({**row, "responded": responded})
    if problems:
        raise MivError(f"{source}: meer respondenten dan uitgenodigden; klopt het veldwerkbestand bij de databestanden?",
                       file=source, details=problems)
    return pl.DataFrame(rows, schema=FIELDWORK_SCHEMA)
