"""The key figures as a console shows them: the same disclosure decisions and verdicts as
the publications, so a figure withheld in print is withheld on screen too."""

from __future__ import annotations

from miv.definition import PublicationKind
from miv.publish.disclosure import Policy, disclose
from miv.publish.document import documents
from miv.publish.results import Results


def key_figures(results: Results, policy: Policy | None = None) -> list[tuple[str, str, str, str, str]]:
    """(indicator, group, previous edition, this edition, verdict) per row of the key figures."""
    disclosure = disclose(results, policy)
    out = []
    for doc in documents(results, disclosure):
        if doc.kind is not PublicationKind.KEY_FIGURES:
            continue
        for section in doc.sections:
            for block in section.blocks:
                for row in block.table.rows:
                    before = row.previous.text() if row.previous else row.previous_sign
                    now = row.figure.text() if row.figure else row.sign
                    out.append((block.indicator.label, row.label, before if doc.previous else "", now, row.change or ""))
    return out
