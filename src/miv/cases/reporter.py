"""The reporter's side of a case: the channel the report came through and the receipt code.

The receipt code (as GlobaLeaks' receipt) is random, shown once to whoever records the
report for the reporter, and kept only as a keyed hash (`casework.records`), so neither a
database dump nor a staff member reading the case later can recover it.
"""

from __future__ import annotations

import secrets
from enum import Enum

RECEIPT_GROUPS = 4
RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud or typed over without mistakes


class Channel(str, Enum):
    """How the report reached the organisation; the staff reporting channel brings the
    statutory deadlines of the Wet bescherming klokkenluiders."""

    STAFF = "interne-meldvoorziening"
    OTHER = "overig"

    @property
    def label(self) -> str:
        return _CHANNEL_LABELS[self]


_CHANNEL_LABELS = {
    Channel.STAFF: "Interne meldvoorziening voor medewerkers (Wet bescherming klokkenluiders)",
    Channel.OTHER: "Anders (bijvoorbeeld een melding van een inwoner of een signaal)",
}


def new_receipt_code() -> str:
    """16 characters from a 32-letter alphabet (80 bits) in groups of four: 'K7QF-2MZA-...'."""
    chars = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(4 * RECEIPT_GROUPS))
    return "-".join(chars[i : i + 4] for i in range(0, len(chars), 4))


def normalise_receipt(code: str) -> str:
    """The code as typed back by a reporter: case, spaces and dashes do not matter."""
    return "".join(c for c in code.upper() if c.isalnum())
