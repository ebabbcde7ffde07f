"""Key rotation: the audit key's versions, and moving every sealed secret to a new master key.

The audit key is separate from the content keys and versioned: each version is sealed
under the master key in `case_audit_keys`, the newest signs new entries, and none is ever
deleted, so entries signed before a rotation still verify after it. Version 0 is the key
derived from the master key (as before versions existed); a master key rotation keeps it
sealed under the new master key.
"""

from __future__ import annotations

import os

from sqlalchemy import select
from sqlalchemy.orm import Session

from miv.cases import KeyProblem, MasterKey, PersonKey
from miv.cases.audit import AuditKeys, legacy_key
from miv.cases.sealing import KEY_BYTES
from miv.store.cases import AuditKeyRow, PersonKeyRow, TotpRow

PURPOSE = "audit-key"


def audit_keys(session: Session, master: MasterKey) -> AuditKeys:
    """Every audit key version this master key opens; version 0 derived when it is not stored."""
    keys = {row.version: master.unseal(PURPOSE, str(row.version), row.sealed_key) for row in session.scalars(select(AuditKeyRow))}
    keys.setdefault(0, legacy_key(master))
    return keys


def rotate_audit_key(session: Session, master: MasterKey) -> int:
    """A new random audit key version; it signs every entry from now on. Returns the version."""
    keys = audit_keys(session, master)
    version = max(keys) + 1
    if 0 not in set(session.scalars(select(AuditKeyRow.version))):
        session.add(AuditKeyRow(version=0, sealed_key=master.seal(PURPOSE, "0", keys[0]), master_id=master.id))
    session.add(AuditKeyRow(version=version, sealed_key=master.seal(PURPOSE, str(version), os.urandom(KEY_BYTES)), master_id=master.id))
    return version


def rotate_master_key(session: Session, old: MasterKey, new: MasterKey) -> int:
    """Reseal every private key, TOTP secret and audit key under `new`, in the caller's
    transaction; case wraps are made to public keys and stay. Returns how many secrets moved."""
    if old.id == new.id:
        raise KeyProblem("De nieuwe hoofdsleutel is dezelfde als de huidige; maak er een met 'miv cases create-key'.")
    keys = audit_keys(session, old)
    moved = 0
    for row in session.scalars(select(PersonKeyRow)):
        person = PersonKey(row.person, row.public, row.sealed_private, row.master_id).verified(old)
        rotated = person.rewrap(old, new)
        row.sealed_private, row.master_id = rotated.sealed_private, rotated.master_id
        moved += 1
    for totp in session.scalars(select(TotpRow)):
        totp.sealed_secret = new.seal("totp", totp.person, old.unseal("totp", totp.person, totp.sealed_secret))
        moved += 1
    stored = {row.version: row for row in session.scalars(select(AuditKeyRow))}
    for version, secret in keys.items():
        row = stored.get(version) or AuditKeyRow(version=version)
        row.sealed_key, row.master_id = new.seal(PURPOSE, str(version), secret), new.id
        session.add(row)
        moved += 1
    return moved
