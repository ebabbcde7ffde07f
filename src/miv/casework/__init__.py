"""Cases kept in the database: the bridge between `miv.cases` (the protocol, keys and audit
chain) and `miv.store` (the tables). The web pages and the CLI call `Casework`."""

from miv.casework import notices, twofactor
from miv.casework.logstore import DatabaseLogStore
from miv.casework.organisations import (
    CASE_ACCOUNT,
    MemberError,
    Person,
    account_id,
    add_member,
    add_organisation,
    memberships,
    people,
    person_id,
    remove_member,
    user_id,
)
from miv.casework.service import Casework, Contents, Note, Receipt

__all__ = [
    "CASE_ACCOUNT",
    "Casework",
    "Contents",
    "DatabaseLogStore",
    "MemberError",
    "Note",
    "Person",
    "Receipt",
    "account_id",
    "add_member",
    "add_organisation",
    "memberships",
    "notices",
    "people",
    "person_id",
    "remove_member",
    "twofactor",
    "user_id",
]
