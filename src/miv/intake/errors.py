"""Errors that stop an intake before a table exists: the file cannot be read at all."""

from __future__ import annotations

from miv.errors import MivError


class IntakeError(MivError):
    """A file, mapping or request that cannot be used; the message is Dutch and names the file."""
