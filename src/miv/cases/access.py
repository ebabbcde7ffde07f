"""Who may see and do what, as pure functions the web layer calls on every route.

Two rules come before any role: nobody sees a case of another organisation, and nobody
sees a case they are recused from (e.g. the person concerned). An external investigator
sees only the case assigned to them, only while it is being investigated, and nothing of
its content (no key wrap either) until they have declared their independence. The auditor
sees metadata and the log, never content.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

from miv.cases.case import Case
from miv.cases.errors import AccessDenied
from miv.cases.protocol import INVESTIGATION_STAGES, RULES, Action, Stage, actions_from
from miv.cases.roles import Member, Role


class Permission(str, Enum):
    LIST = "zaken-zien"
    READ = "inhoud-lezen"
    CONTRIBUTE = "aanvullen"
    VIEW_LOG = "logboek-zien"
    CREATE = "melding-vastleggen"
    VIEW_STATISTICS = "cijfers-zien"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Permission.LIST: "zaken en hun voortgang zien (zonder inhoud)",
    Permission.READ: "de inhoud van een zaak lezen",
    Permission.CONTRIBUTE: "notities en documenten toevoegen",
    Permission.VIEW_LOG: "het logboek inzien",
    Permission.CREATE: "een melding vastleggen",
    Permission.VIEW_STATISTICS: "geanonimiseerde cijfers zien",
}

_P = Permission
_ORGANISATION = {
    Role.CHAIR: frozenset({_P.CREATE, _P.LIST, _P.VIEW_STATISTICS, _P.VIEW_LOG}),
    Role.SUPPORT: frozenset({_P.CREATE, _P.LIST, _P.VIEW_STATISTICS}),
    Role.ADVISER: frozenset({_P.CREATE, _P.LIST, _P.VIEW_STATISTICS}),
    Role.INVESTIGATOR: frozenset({_P.LIST}),
    Role.AUDITOR: frozenset({_P.LIST, _P.VIEW_LOG, _P.VIEW_STATISTICS}),
}
_CASE = {
    Role.CHAIR: frozenset({_P.LIST, _P.READ, _P.CONTRIBUTE, _P.VIEW_LOG}),
    Role.SUPPORT: frozenset({_P.LIST, _P.READ, _P.CONTRIBUTE}),
    Role.ADVISER: frozenset({_P.LIST, _P.READ, _P.CONTRIBUTE}),
    Role.INVESTIGATOR: frozenset({_P.LIST, _P.READ, _P.CONTRIBUTE}),
    Role.AUDITOR: frozenset({_P.LIST, _P.VIEW_LOG}),
}


def organisation_permissions(member: Member, organisation: str) -> frozenset[Permission]:
    """What `member` may do in `organisation` outside any one case (lists, new report, figures)."""
    return _ORGANISATION[member.role] if member.organisation == organisation else frozenset()


def case_permissions(member: Member, case: Case) -> frozenset[Permission]:
    """What `member` may do on `case`; empty means the case must look as if it does not exist."""
    if member.organisation != case.organisation or member.person in case.recused:
        return frozenset()
    if member.role is Role.INVESTIGATOR and not _investigating(member, case):
        return frozenset()
    if must_declare(member, case):
        return frozenset({Permission.LIST})
    granted = _CASE[member.role]
    if case.stage is Stage.AFGESLOTEN:
        granted = granted - {Permission.CONTRIBUTE}
    return granted


def allowed_actions(member: Member, case: Case) -> list[Action]:
    """The protocol steps `member` may take on `case` now (for the buttons on its page)."""
    if not case_permissions(member, case):
        return []
    return [action for action in actions_from(case.stage) if _may_take(member, action, case)]


def may_act(member: Member, action: Action, case: Case) -> bool:
    return action in allowed_actions(member, case)


def require(member: Member, permission: Permission, case: Case | None = None, organisation: str | None = None) -> None:
    """Raise AccessDenied unless `member` holds `permission` on the case or in the organisation."""
    if case is not None:
        granted = case_permissions(member, case)
    elif organisation is not None:
        granted = organisation_permissions(member, organisation)
    else:
        raise ValueError("require() needs a case or an organisation")
    if permission not in granted:
        raise AccessDenied()


def visible(member: Member, cases: Iterable[Case]) -> list[Case]:
    """The cases that appear in `member`'s list; all others stay out of sight."""
    return [case for case in cases if Permission.LIST in case_permissions(member, case)]


def readers(case: Case, members: Iterable[Member]) -> frozenset[str]:
    """The people who must hold a wrapped copy of the case key: those who may read its content."""
    return frozenset(m.person for m in members if Permission.READ in case_permissions(m, case))


def must_declare(member: Member, case: Case) -> bool:
    """An external investigator assigned to the case who has not yet declared their
    independence since they were assigned: they may do that and nothing else."""
    return member.role is Role.INVESTIGATOR and _investigating(member, case) and not declared(case)


def declared(case: Case) -> bool:
    """Whether the case's investigator declared independence after their (latest) assignment."""
    assigned = next((i for i in range(len(case.history) - 1, -1, -1) if case.history[i].investigator), None)
    return assigned is not None and any(
        s.action is Action.ONAFHANKELIJKHEID_VERKLAREN and s.actor == case.investigator for s in case.history[assigned + 1 :]
    )


def _investigating(member: Member, case: Case) -> bool:
    return case.investigator == member.person and case.stage in INVESTIGATION_STAGES


def _may_take(member: Member, action: Action, case: Case) -> bool:
    rule = RULES[action]
    if action is Action.ONAFHANKELIJKHEID_VERKLAREN:
        return must_declare(member, case)
    if must_declare(member, case):
        return False
    return member.role in rule.roles or (rule.by_investigator and _investigating(member, case))
