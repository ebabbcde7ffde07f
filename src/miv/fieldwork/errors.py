"""Errors a fieldwork user can cause; the message is Dutch and says what was expected."""

from miv.errors import MivError


class FieldworkError(MivError):
    """A user's mistake in fieldwork (a bad list, an unknown code, a closed fieldwork)."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []
