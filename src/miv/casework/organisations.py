"""Organisations that handle cases and their members: which user holds which case role where.

A member is a user with the account role `zaken`; their person id in the cases package is
`person_id(user.id)`. Adding a member makes their key pair, so that case keys can be
wrapped for them; the wraps themselves follow in `Casework.resync`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from miv.cases import MasterKey, Member, PersonKey, Role
from miv.cases.roles import CHAIR_TITLES
from miv.casework.records import Records, RecordTampered
from miv.errors import MivError
from miv.store import Database
from miv.store.cases import Membership, Organisation, PersonKeyRow
from miv.store.users import User

CASE_ACCOUNT = "zaken"


class MemberError(MivError, ValueError):
    """A bad organisation or membership request; the message is Dutch."""


@dataclass(frozen=True)
class Person:
    """A member as pages show them: name and e-mail come from the account, not from a case."""

    member: Member
    user_id: int
    name: str
    email: str


def person_id(user_id: int) -> str:
    return f"u{user_id}"


def user_id(person: str) -> int | None:
    return int(person[1:]) if person.startswith("u") and person[1:].isdigit() else None


def account_id(db: Database, email: str) -> int:
    """The user id of an account, by e-mail address."""
    with db.session() as session:
        found = session.scalar(select(User.id).where(User.email == email.strip().lower()))
    if found is None:
        raise MemberError(f"er is geen gebruiker met e-mailadres {email}")
    return found


def add_organisation(session: Session, code: str, name: str, layer: str) -> Organisation:
    if not code or not all(c.isalnum() or c == "-" for c in code) or code != code.lower():
        raise MemberError(f"organisatiecode {code!r}: gebruik kleine letters, cijfers en '-', bijvoorbeeld gemeente-utrecht")
    if layer not in CHAIR_TITLES:
        raise MemberError(f"bestuurslaag {layer!r}: verwacht een van {', '.join(CHAIR_TITLES)}")
    if session.get(Organisation, code):
        raise MemberError(f"organisatie {code} bestaat al")
    organisation = Organisation(id=code, name=name.strip() or code, layer=layer)
    session.add(organisation)
    return organisation


def add_member(session: Session, master: MasterKey, email: str, organisation: str, role: str) -> Person:
    """Give an existing `zaken` account a case role in an organisation (one role per organisation)."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise MemberError(f"er is geen gebruiker met e-mailadres {email}; maak die eerst aan met rol {CASE_ACCOUNT}")
    if user.role != CASE_ACCOUNT:
        raise MemberError(f"{email} heeft rol {user.role!r}; alleen gebruikers met rol {CASE_ACCOUNT!r} krijgen een zaakrol")
    if session.get(Organisation, organisation) is None:
        raise MemberError(f"onbekende organisatie {organisation!r}")
    try:
        case_role = Role(role)
    except ValueError:
        raise MemberError(f"onbekende zaakrol {role!r}; verwacht een van {', '.join(r.value for r in Role)}") from None
    if session.get(Membership, (user.id, organisation)):
        raise MemberError(f"{email} is al lid van {organisation}; trek die rol eerst in")
    row = Membership(user_id=user.id, organisation=organisation, role=case_role.value)
    Records(session, master).seal_membership(row)
    session.add(row)
    person = person_id(user.id)
    if session.get(PersonKeyRow, person) is None:
        key = PersonKey.create(master, person)
        session.add(PersonKeyRow(person=key.person, public=key.public, sealed_private=key.sealed_private, master_id=key.master_id))
    return Person(Member(person, organisation, case_role), user.id, user.name, user.email)


def remove_member(session: Session, user: int, organisation: str) -> Member:
    membership = session.get(Membership, (user, organisation))
    if membership is None:
        raise MemberError("deze persoon is geen lid van de organisatie")
    session.delete(membership)
    return Member(person_id(user), organisation, Role(membership.role))


def people(session: Session, master: MasterKey, organisation: str) -> list[Person]:
    """Every active member of an organisation, by name; a membership row written outside the
    app (its MAC fails) stops with RecordTampered instead of making someone a reader."""
    rows = list(session.execute(
        select(Membership, User).join(User, User.id == Membership.user_id)
        .where(Membership.organisation == organisation, User.active.is_(True)).order_by(User.name)
    ))
    _check(session, master, [m for m, _ in rows])
    return [Person(Member(person_id(u.id), m.organisation, Role(m.role)), u.id, u.name, u.email) for m, u in rows]


def memberships(session: Session, master: MasterKey, user: int) -> list[tuple[Organisation, Member]]:
    rows = list(session.execute(
        select(Membership, Organisation).join(Organisation, Organisation.id == Membership.organisation)
        .where(Membership.user_id == user).order_by(Organisation.name)
    ))
    _check(session, master, [m for m, _ in rows])
    return [(o, Member(person_id(user), o.id, Role(m.role))) for m, o in rows]


def _check(session: Session, master: MasterKey, rows: list[Membership]) -> None:
    records = Records(session, master)
    for row in rows:
        if records.membership_changed(row):
            raise RecordTampered(f"lid {row.user_id} van {row.organisation}", ["role"])
