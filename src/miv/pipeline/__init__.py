"""One edition of the monitor end to end: intake's tables in, `Results` for publishing out."""

from miv.pipeline.edition import (
    Published,
    publish_edition,
    read_edition,
    run_edition,
    run_editions,
)
from miv.pipeline.inputs import Inputs, read_inputs, write_reports
from miv.pipeline.run import METHOD, code_version, designs, run
from miv.pipeline.weighting import MIN_CELL, Weighted, WeightingError, weight

__all__ = [
    "METHOD",
    "MIN_CELL",
    "Inputs",
    "Published",
    "Weighted",
    "WeightingError",
    "code_version",
    "designs",
    "publish_edition",
    "read_edition",
    "read_inputs",
    "run",
    "run_edition",
    "run_editions",
    "weight",
    "write_reports",
]
