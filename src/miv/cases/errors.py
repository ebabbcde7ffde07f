"""Errors of the case workflow: one base class, each with a Dutch message for the user."""

from __future__ import annotations

from miv.errors import MivError


class CaseError(MivError):
    """Something a user or operator caused; `message` is Dutch and safe to show. Unhandled, the
    web app answers 409: e.g. a case record written outside the app, so the case cannot go on."""

    status = 409
    title = "Zaak niet te openen"

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class AccessDenied(CaseError):
    """The person may not see or do this. The message never reveals whether a case exists."""

    status = 403
    title = "Geen toegang"

    def __init__(self, message: str = "U heeft geen toegang tot deze zaak of handeling.") -> None:
        super().__init__(message)


class TransitionError(CaseError):
    """The protocol does not allow this step now, or a required field is missing."""

    def __init__(self, message: str, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


class KeyProblem(CaseError):
    """A key is missing, malformed or does not open what it should."""


class KeySubstituted(KeyProblem):
    """A person's public key in the database is not the one their sealed private key belongs to:
    someone wrote the database. Nothing is wrapped for that key."""

    def __init__(self, person: str, case: str | None = None, organisation: str | None = None) -> None:
        self.person, self.case, self.organisation = person, case, organisation
        super().__init__(
            f"De openbare sleutel van {person} klopt niet met de verzegelde privésleutel: de database is gewijzigd. "
            "Er is niets voor deze sleutel versleuteld; laat de beheerder 'miv cases rotate-person-key' uitvoeren "
            "en het logboek controleren."
        )


class LogError(CaseError):
    """An audit log entry cannot be written as asked."""


class LogConflict(LogError):
    """Another process appended an entry with the same sequence number first; try again."""
