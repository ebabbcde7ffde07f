"""Recusal that holds: who may be recused, who may recuse, and what a recused person may no
longer do in their organisation while a case about them is open.

A recused person sees nothing of the case. While it is open they also lose the levers
around it: access management, the members and their roles, and the organisation's log,
since each of these would let them reach the case by another way (adding an account that
reads it, removing the chair who must decide, reading its log entries).
"""

from __future__ import annotations

from collections.abc import Iterable

from miv.cases.access import Permission, case_permissions
from miv.cases.case import Case
from miv.cases.errors import AccessDenied, TransitionError
from miv.cases.protocol import Stage
from miv.cases.roles import Member, Role, chair_title

RECUSERS = frozenset({Role.CHAIR, Role.ADVISER})
"""Who may recuse someone after intake: the chair and the integrity adviser (with a reason)."""

BLOCKED = (
    "U bent uitgesloten van een lopende zaak van deze organisatie. Zolang die loopt, beheert een andere voorzitter "
    "de toegang, de rollen en het logboek, of wijst de integriteitsadviseur een plaatsvervangend voorzitter aan."
)


def check_recusal(recused: Iterable[str], members: Iterable[Member], layer: str) -> None:
    """Refuse a set of recused people that leaves nobody to decide or nobody to audit, and say who must act."""
    out = set(recused)
    members = list(members)
    chairs = {m.person for m in members if m.role is Role.CHAIR}
    auditors = {m.person for m in members if m.role is Role.AUDITOR}
    if chairs and chairs <= out:
        raise TransitionError(
            f"Dan blijft er geen voorzitter over die over deze zaak mag besluiten. Laat eerst een plaatsvervangend voorzitter "
            f"aanwijzen in plaats van de {chair_title(layer)} (bijvoorbeeld de locoburgemeester of een ander bestuurslid dat "
            "niet betrokken is): de integriteitsadviseur kent die op de pagina Toegang en rollen de rol voorzitter toe.",
            field="uitgesloten",
        )
    if auditors and auditors <= out:
        raise TransitionError(
            "De auditor houdt onafhankelijk toezicht op het logboek en kan niet worden uitgesloten zolang er geen andere "
            "auditor is. De voorzitter stelt eerst een andere auditor aan op de pagina Toegang en rollen.",
            field="uitgesloten",
        )


def require_recuser(member: Member, case: Case) -> None:
    """Only a chair or the integrity adviser who may read the case recuses someone from it."""
    if member.role not in RECUSERS or Permission.READ not in case_permissions(member, case):
        raise AccessDenied("Alleen de voorzitter of de integriteitsadviseur kan iemand van deze zaak uitsluiten.")


def blocking(member: Member, cases: Iterable[Case]) -> list[Case]:
    """The open cases of member's organisation that they are recused from."""
    return [c for c in cases if c.organisation == member.organisation and member.person in c.recused and c.stage is not Stage.AFGESLOTEN]


def require_manager(member: Member, cases: Iterable[Case], role: Role | None = None) -> None:
    """Access management: the chair; the integrity adviser may name a substitute chair
    (grant the chair role) only. Nobody while recused from an open case."""
    if blocking(member, cases):
        raise AccessDenied(BLOCKED)
    if member.role is Role.CHAIR or (member.role is Role.ADVISER and role is Role.CHAIR):
        return
    raise AccessDenied("Alleen de voorzitter beheert de toegang; de integriteitsadviseur kan een plaatsvervangend voorzitter aanwijzen.")
