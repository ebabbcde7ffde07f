"""Errors of the statistics engine: one base class, one subclass per kind of mistake.

Why: callers (the pipeline, the CLI) catch `SurveyError` once and show its message, which
always names the column, stratum, margin or cell at fault and what was expected.
"""

from miv.errors import MivError


class SurveyError(MivError):
    """Base class: anything the engine refuses to compute, with a message saying why."""


class DesignError(SurveyError):
    """The data do not describe a valid sampling design (weights, strata, clusters, fpc)."""


class CalibrationError(SurveyError):
    """Weights cannot be calibrated to the given totals; names the margin or cell at fault."""


class EstimationError(SurveyError):
    """An estimate was asked for something the design cannot give (unknown or non-numeric column)."""


class ArgumentError(SurveyError):
    """An argument has a wrong type or value (an unknown policy name, a level of 95); names the argument and what is allowed."""
