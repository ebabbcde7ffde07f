"""miv.survey: design-based estimation for complex samples, numerically equal to R's survey package.

Build a `Design` once, weight it (`poststratify`, `rake`, `calibrate`, `trim`), optionally
give it replicate weights (`jackknife`, `bootstrap`), then ask for `mean`, `proportion`,
`total`, `ratio` or `quantile` over many variables and domains; compare domains or
editions with `domain_difference`, `design_difference` and `rao_scott`.
This package imports nothing else of miv.
"""

from miv.survey.calibration import CalFun, Margins, calibrate, poststratify, rake, trim
from miv.survey.compare import design_difference, domain_difference, rao_scott
from miv.survey.design import Design, LonelyStratum
from miv.survey.errors import (
    ArgumentError,
    CalibrationError,
    DesignError,
    EstimationError,
    SurveyError,
)
from miv.survey.estimate import mean, proportion, ratio, total
from miv.survey.intervals import CIMethod
from miv.survey.quantile import quantile
from miv.survey.replicate import ReplicateType, bootstrap, jackknife, replicate_design
from miv.survey.smallarea import FayHerriot, fay_herriot
from miv.survey.trend import TrendBreak, TrendModel, Verdict, trend_break

__all__ = [
    "ArgumentError",
    "CIMethod",
    "CalFun",
    "CalibrationError",
    "Design",
    "DesignError",
    "EstimationError",
    "FayHerriot",
    "LonelyStratum",
    "Margins",
    "ReplicateType",
    "SurveyError",
    "TrendBreak",
    "TrendModel",
    "Verdict",
    "bootstrap",
    "calibrate",
    "design_difference",
    "domain_difference",
    "fay_herriot",
    "jackknife",
    "mean",
    "poststratify",
    "proportion",
    "quantile",
    "rake",
    "rao_scott",
    "ratio",
    "replicate_design",
    "total",
    "trend_break",
    "trim",
]
