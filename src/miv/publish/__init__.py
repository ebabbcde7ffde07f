"""From computed estimates to publications: disclosure control, Dutch narrative, charts,
HTML, PDF, tables and a manifest. `Results` is the input; `write_publications` the output."""

from miv.publish.results import Results, ResultsError

__all__ = ["Results", "ResultsError"]
