"""From computed estimates to publications: disclosure control, Dutch narrative, charts,
HTML, PDF, tables and a manifest. `Results` is the input; `write_publications` the output."""

from miv.publish.disclosure import Decision, Disclosure, Policy, disclose
from miv.publish.results import Results, ResultsError
from miv.publish.summary import key_figures
from miv.publish.writer import prepare, write_publications

__all__ = ["Decision", "Disclosure", "Policy", "Results", "ResultsError", "disclose", "key_figures", "prepare", "write_publications"]
