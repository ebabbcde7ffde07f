"""TOTP for every case role, kept in `case_totp`: enrolment, then a code at every sign-in.

The secret is sealed under the master key. Until the first code is accepted the
enrolment is pending and the same secret is shown again; once confirmed it is never shown.
"""

from __future__ import annotations

from datetime import datetime

import pyotp
from sqlalchemy.orm import Session

from miv.cases import MasterKey
from miv.cases.totp import ISSUER, Enrolment, enrol, open_secret, seal_secret, verify
from miv.store.cases import TotpRow


def pending(session: Session, master: MasterKey, person: str, account: str) -> Enrolment | None:
    """The enrolment to show (made on first call), or None when the person is enrolled."""
    row = session.get(TotpRow, person)
    if row is not None and row.confirmed:
        return None
    if row is None:
        enrolment = enrol(account)
        session.add(TotpRow(person=person, sealed_secret=seal_secret(master, person, enrolment.secret), confirmed=False))
        return enrolment
    secret = open_secret(master, person, row.sealed_secret)
    return Enrolment(secret, pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER))


def check(session: Session, master: MasterKey, person: str, code: str, now: datetime) -> bool:
    """Accept a code once; confirms a pending enrolment."""
    row = session.get(TotpRow, person, with_for_update=True)
    if row is None:
        return False
    step = verify(open_secret(master, person, row.sealed_secret), code, now, row.last_step)
    if step is None:
        return False
    row.last_step = step
    row.confirmed = True
    return True


def reset(session: Session, person: str) -> bool:
    """Forget a person's TOTP secret (lost phone); they enrol again at the next sign-in."""
    row = session.get(TotpRow, person)
    if row is None:
        return False
    session.delete(row)
    return True

