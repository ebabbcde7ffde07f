"""One edition of the monitor end to end: intake's tables in, `Results` for publishing out."""

from miv.pipeline.inputs import Inputs, read_inputs, write_reports
from miv.pipeline.run import METHOD, code_version, designs, run
from miv.pipeline.weighting import MIN_CELL, Weighted, WeightingError, weight

__all__ = [
    "METHOD",
    "MIN_CELL",
    "Inputs",
    "Weighted",
    "WeightingError",
    "code_version",
    "designs",
    "read_inputs",
    "run",
    "weight",
    "write_reports",
]
