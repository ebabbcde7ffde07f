"""Key rotation: the audit key's versions, and moving every sealed secret to a new master key.

The records key (MACs of the case rows, recusal pseudonyms, the sealed outcome; see
`records`) is kept the same way. The audit key is separate from the content keys and versioned: each version is sealed
under the master key in `case_audit_keys`, the newest signs new entries, and none is ever
deleted, so entries signed before a rotation still verify after it. Version 0 is the key
derived from the master key (as before versions existed); a master key rotation keeps it
sealed under the new master key.
"""

from __future__ import annotations

import os

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from miv.cases import KeyProblem, MasterKey, PersonKey
from miv.cases.audit import AuditKeys, legacy_key
from miv.cases.sealing import KEY_BYTES
from miv.store.cases import PersonKeyRow, ServerKeyRow, TotpRow

PURPOSE = "audit-key"
RECORDS = "records"


def audit_keys(session: Session, master: MasterKey) -> AuditKeys:
    """Every audit key version this master key opens; version 0 derived when it is not stored."""
    keys = {row.version: _open(master, row) for row in session.scalars(select(ServerKeyRow).where(ServerKeyRow.purpose == PURPOSE))}
    keys.setdefault(0, legacy_key(master))
    return keys


def records_key(session: Session, master: MasterKey) -> bytes:
    """The key of the record MACs, pseudonyms and the sealed outcome; made on first use."""
    row = session.get(ServerKeyRow, (RECORDS, 0))
    if row is None:
        secret = os.urandom(KEY_BYTES)
        try:
            with session.begin_nested():
                session.add(ServerKeyRow(purpose=RECORDS, version=0, sealed_key=master.seal(RECORDS, "0", secret), master_id=master.id))
            return secret
        except IntegrityError:  # another process made it first
            row = session.get(ServerKeyRow, (RECORDS, 0))
    return _open(master, row)


def _open(master: MasterKey, row: ServerKeyRow) -> bytes:
    return master.unseal(row.purpose, str(row.version), row.sealed_key)


def rotate_audit_key(session: Session, master: MasterKey) -> int:
    """A new random audit key version; it signs every entry from now on. Returns the version."""
    keys = audit_keys(session, master)
    version = max(keys) + 1
    if session.get(ServerKeyRow, (PURPOSE, 0)) is None:
        session.add(ServerKeyRow(purpose=PURPOSE, version=0, sealed_key=master.seal(PURPOSE, "0", keys[0]), master_id=master.id))
    session.add(ServerKeyRow(purpose=PURPOSE, version=version, sealed_key=master.seal(PURPOSE, str(version), os.urandom(KEY_BYTES)), master_id=master.id))
    return version


def rotate_master_key(session: Session, old: MasterKey, new: MasterKey) -> int:
    """Reseal every private key, TOTP secret and audit key under `new`, in the caller's
    transaction; case wraps are made to public keys and stay. Returns how many secrets moved."""
    if old.id == new.id:
        raise KeyProblem("De nieuwe hoofdsleutel is dezelfde als de huidige; maak er een met 'miv cases create-key'.")
    keys = audit_keys(session, old)
    records_key(session, old)
    moved = 0
    for row in session.scalars(select(PersonKeyRow)):
        person = PersonKey(row.person, row.public, row.sealed_private, row.master_id).verified(old)
        rotated = person.rewrap(old, new)
        row.sealed_private, row.master_id = rotated.sealed_private, rotated.master_id
        moved += 1
    for totp in session.scalars(select(TotpRow)):
        totp.sealed_secret = new.seal("totp", totp.person, old.unseal("totp", totp.person, totp.sealed_secret))
        moved += 1
    for version, secret in keys.items():
        row = session.get(ServerKeyRow, (PURPOSE, version)) or ServerKeyRow(purpose=PURPOSE, version=version)
        row.sealed_key, row.master_id = new.seal(PURPOSE, str(version), secret), new.id
        session.add(row)
        moved += 1
    for row in session.scalars(select(ServerKeyRow).where(ServerKeyRow.purpose != PURPOSE)):
        row.sealed_key, row.master_id = new.seal(row.purpose, str(row.version), _open(old, row)), new.id
        moved += 1
    return moved
