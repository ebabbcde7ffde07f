"""Intake: survey files and web responses in, one validated respondent table per edition out."""

from miv.intake.archive import DEFAULT_DATA, FORMATS, export, load_table, save, table_path
from miv.intake.errors import IntakeError
from miv.intake.export import TINY_GROUP, export_parquet, export_public, export_sav, public_table
from miv.intake.harmonisation import Harmonised, harmonise
from miv.intake.indicators import add_indicators, answers, to_polars
from miv.intake.limits import DEFAULT_LIMITS, Limits
from miv.intake.mapping import Mapping, load_mapping
from miv.intake.readers import SUFFIXES
from miv.intake.report import ERROR, RULES, WARNING, Report
from miv.intake.responses import read_records, read_responses, read_table
from miv.intake.savreader import SavReader
from miv.intake.table import schema
from miv.intake.validation import validate

__all__ = [
    "DEFAULT_DATA",
    "DEFAULT_LIMITS",
    "ERROR",
    "FORMATS",
    "RULES",
    "SUFFIXES",
    "TINY_GROUP",
    "WARNING",
    "Harmonised",
    "IntakeError",
    "Limits",
    "Mapping",
    "Report",
    "SavReader",
    "add_indicators",
    "answers",
    "export",
    "export_parquet",
    "export_public",
    "export_sav",
    "harmonise",
    "load_mapping",
    "load_table",
    "public_table",
    "read_records",
    "read_responses",
    "read_table",
    "save",
    "schema",
    "table_path",
    "to_polars",
    "validate",
]
