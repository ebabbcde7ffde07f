"""Synthetic demo data: seeded respondents for every edition, from the definition's
frame and questionnaires and the parameters in parameters.yaml."""

from miv.demo.files import FIELDWORK_FILE, PUBLICATION_NOTICE, write_data, write_invited, write_table
from miv.demo.generator import DEFAULT_SEED, DemoTable, counts, generate, tables
from miv.demo.parameters import PARAMETERS, DemoError, load_parameters

__all__ = [
    "DEFAULT_SEED",
    "FIELDWORK_FILE",
    "PARAMETERS",
    "PUBLICATION_NOTICE",
    "DemoError",
    "DemoTable",
    "counts",
    "generate",
    "load_parameters",
    "tables",
    "write_data",
    "write_invited",
    "write_table",
]
