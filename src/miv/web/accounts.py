"""Staff accounts: create, authenticate (argon2), list, sign out everywhere. Used by the CLI and the pages."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from miv.errors import MivError
from miv.store import Database
from miv.store.sessions import revoke_user_sessions
from miv.store.users import ROLES, User

_hasher = PasswordHasher()
_DUMMY = _hasher.hash("miv: a password nobody has")
MIN_PASSWORD = 12


class AccountError(MivError, ValueError):
    """A bad account request (unknown role, short password, e-mail in use); Dutch message."""


def add_user(db: Database, email: str, name: str, role: str, password: str) -> int:
    if role not in ROLES:
        raise AccountError(f"onbekende rol {role!r}; verwacht een van {', '.join(ROLES)}")
    hashed = _checked_password(password)
    email = email.strip().lower()
    if "@" not in email:
        raise AccountError(f"{email!r} is geen e-mailadres")
    with db.session() as s:
        if s.scalar(select(func.count()).select_from(User).where(User.email == email)):
            raise AccountError(f"er is al een gebruiker met e-mailadres {email}")
        user = User(email=email, name=name.strip() or email, role=role, password_hash=hashed, active=True)
        s.add(user)
        s.flush()
        return user.id


def _checked_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"het wachtwoord moet minstens {MIN_PASSWORD} tekens hebben")
    return _hasher.hash(password)


def set_active(db: Database, user_id: int, active: bool, by: int) -> User:
    """Deactivate (or reactivate) an account; deactivating ends every session of the user.
    Nobody deactivates themselves (a lock-out)."""
    if user_id == by and not active:
        raise AccountError("u kunt uw eigen account niet deactiveren; vraag een andere beheerder")
    with db.session() as s:
        user = s.get(User, user_id)
        if user is None:
            raise AccountError("deze gebruiker bestaat niet")
        user.active = active
        if not active:
            revoke_user_sessions(s, user_id)
        return user


def reset_password(db: Database, user_id: int, password: str) -> User:
    """Give an account a new password (the admin passes it on by another channel) and end
    every session of the user."""
    hashed = _checked_password(password)
    with db.session() as s:
        user = s.get(User, user_id)
        if user is None:
            raise AccountError("deze gebruiker bestaat niet")
        user.password_hash = hashed
        revoke_user_sessions(s, user_id)
        return user


def authenticate(db: Database, email: str, password: str) -> User | None:
    """The active user with this e-mail and password; always spends one argon2 check so
    that timing does not tell whether an address exists."""
    with db.session() as s:
        user = s.scalar(select(User).where(User.email == email.strip().lower(), User.active.is_(True)))
        try:
            _hasher.verify(user.password_hash if user else _DUMMY, password)
        except (VerificationError, InvalidHashError):
            return None
        if user and _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        return user


def get_user(db: Database, user_id: int) -> User | None:
    with db.session() as s:
        user = s.get(User, user_id)
        return user if user and user.active else None


def list_users(db: Database) -> list[User]:
    with db.session() as s:
        return list(s.scalars(select(User).order_by(User.email)))


def sign_out(db: Database, email: str) -> int:
    """End every session of the account with this e-mail address; how many there were."""
    with db.session() as s:
        user_id = s.scalar(select(User.id).where(User.email == email.strip().lower()))
        if user_id is None:
            raise AccountError(f"er is geen gebruiker met e-mailadres {email.strip().lower()}")
        return revoke_user_sessions(s, user_id)
