"""TOTP for every case role, kept in `case_totp`: enrolment with a one-time code from the
administrator, then a TOTP code at every sign-in.

Why the enrolment code: without it, whoever has the password alone would be shown the
secret and own the second factor. The administrator issues a code (`miv users add`,
`miv users enrolment-code`, `miv cases reset-totp`); the database keeps only an HMAC of it
under the records key, over the person, the expiry and the code, so a reader of the table
cannot enrol and a writer cannot move a code to another person or extend it. A code works
once. The secret is sealed under the master key and shown once, in the answer to the code;
no page shows it again.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta, timezone

from sqlalchemy.orm import Session

from miv.cases import MasterKey, new_receipt_code, normalise_receipt
from miv.cases.sealing import derive
from miv.cases.totp import Enrolment, enrol, open_secret, seal_secret, verify
from miv.casework import keyring
from miv.store.cases import EnrolmentRow, TotpRow


def enrolled(session: Session, person: str) -> bool:
    """Whether the person has a confirmed second factor."""
    row = session.get(TotpRow, person)
    return row is not None and row.confirmed


def pending(session: Session, person: str) -> bool:
    """Whether a secret was shown at enrolment and awaits its first code."""
    row = session.get(TotpRow, person)
    return row is not None and not row.confirmed


def issue(session: Session, master: MasterKey, person: str, now: datetime, valid: timedelta) -> tuple[str, datetime]:
    """A fresh enrolment code for `person` and its expiry; any earlier code of theirs stops working.
    The code is returned this once and stored only as a keyed hash."""
    code = new_receipt_code()
    expires = (now + valid).astimezone(timezone.utc)
    stamp = expires.isoformat(timespec="seconds")
    digest = _digest(session, master, person, stamp, code)
    row = session.get(EnrolmentRow, person)
    if row is None:
        session.add(EnrolmentRow(person=person, code_hash=digest, expires_at=stamp))
    else:
        row.code_hash, row.expires_at = digest, stamp
    return code, expires


def redeem(session: Session, master: MasterKey, person: str, account: str, code: str, now: datetime) -> Enrolment | None:
    """Use the person's enrolment code: a new secret to show this one time (replacing a pending
    one), or None for a wrong, used, expired or another person's code, or when already enrolled."""
    row = session.get(EnrolmentRow, person, with_for_update=True)
    if row is None or enrolled(session, person):
        return None
    if not hmac.compare_digest(row.code_hash, _digest(session, master, person, row.expires_at, code)):
        return None
    session.delete(row)
    if datetime.fromisoformat(row.expires_at) <= now:
        return None
    enrolment = enrol(account)
    secret = seal_secret(master, person, enrolment.secret)
    totp = session.get(TotpRow, person)
    if totp is None:
        session.add(TotpRow(person=person, sealed_secret=secret, confirmed=False))
    else:
        totp.sealed_secret, totp.last_step, totp.confirmed = secret, None, False
    return enrolment


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
    """Forget a person's TOTP secret (lost phone); they enrol again with a new enrolment code."""
    row = session.get(TotpRow, person)
    if row is None:
        return False
    session.delete(row)
    return True


def _digest(session: Session, master: MasterKey, person: str, expires: str, code: str) -> str:
    key = derive(keyring.records_key(session, master), "miv-cases enrolment-code")
    return hmac.new(key, f"{person}|{expires}|{normalise_receipt(code)}".encode(), hashlib.sha256).hexdigest()
