"""Each case's own data key: it seals the case's content and is wrapped for every reader.

A wrap is X25519 key agreement with a fresh ephemeral key, HKDF-SHA256, then AES-256-GCM,
bound to the case and the person. Giving someone access adds a wrap; taking it away
deletes theirs (and, if a key may have leaked, `rekey` replaces the data key altogether).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from miv.cases.access import Permission, case_permissions
from miv.cases.case import Case
from miv.cases.errors import AccessDenied, KeyProblem
from miv.cases.keys import MasterKey, PersonKey
from miv.cases.roles import Member
from miv.cases.sealing import KEY_BYTES, derive, seal, unseal


@dataclass(frozen=True)
class KeyWrap:
    """The case key sealed for one person; the database stores one row per (case, person)."""

    case: str
    person: str
    ephemeral: bytes
    sealed_key: bytes


@dataclass(frozen=True)
class WrapChanges:
    """What to store and delete so that exactly the current readers hold a wrap."""

    add: list[KeyWrap]
    remove: list[KeyWrap]


class CaseKey:
    def __init__(self, case: str, secret: bytes) -> None:
        if len(secret) != KEY_BYTES:
            raise KeyProblem("Een zaaksleutel is 32 bytes.")
        self.case = case
        self._secret = secret

    def __repr__(self) -> str:
        return f"CaseKey(case={self.case})"

    @classmethod
    def generate(cls, case: str) -> CaseKey:
        return cls(case, os.urandom(KEY_BYTES))

    def seal(self, field: str, plaintext: str | bytes) -> bytes:
        """Seal one content field (e.g. 'omschrijving', 'stap-3-reden', 'document-<id>')."""
        data = plaintext.encode() if isinstance(plaintext, str) else plaintext
        return seal(self._secret, self._place(field), data)

    def open(self, field: str, blob: bytes) -> bytes:
        return unseal(self._secret, self._place(field), blob)

    def open_text(self, field: str, blob: bytes) -> str:
        return self.open(field, blob).decode()

    def wrap_for(self, person: PersonKey, master: MasterKey) -> KeyWrap:
        """The case key for one person, after `PersonKey.verified`: never to a substituted public key."""
        person = person.verified(master)
        ephemeral = X25519PrivateKey.generate()
        ephemeral_public = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        kek = _wrapping_key(ephemeral.exchange(person.public_key()), ephemeral_public, person.public, self.case, person.person)
        return KeyWrap(self.case, person.person, ephemeral_public, seal(kek, f"{self.case}|{person.person}", self._secret))

    @classmethod
    def unwrap(cls, wrap: KeyWrap, person: PersonKey, private: X25519PrivateKey) -> CaseKey:
        """Open `wrap` with the person's unlocked private key; fails for anyone else's key."""
        if wrap.person != person.person:
            raise KeyProblem("Deze sleutel is voor een ander persoon versleuteld.")
        shared = private.exchange(X25519PublicKey.from_public_bytes(wrap.ephemeral))
        kek = _wrapping_key(shared, wrap.ephemeral, person.public, wrap.case, wrap.person)
        return cls(wrap.case, unseal(kek, f"{wrap.case}|{wrap.person}", wrap.sealed_key))

    @classmethod
    def for_reader(cls, master: MasterKey, member: Member, case: Case, wrap: KeyWrap, person: PersonKey) -> CaseKey:
        """The case key for a person who may read the case now: the access rule first, then their own wrap."""
        if Permission.READ not in case_permissions(member, case) or not wrap.person == person.person == member.person:
            raise AccessDenied()
        if wrap.case != case.id:
            raise KeyProblem("Deze sleutel hoort bij een andere zaak.")
        return cls.unwrap(wrap, person, person.unlock(master))

    def sync(self, wraps: Iterable[KeyWrap], readers: Iterable[str], keys: Mapping[str, PersonKey], master: MasterKey) -> WrapChanges:
        """Wraps to add for new readers and to remove for people who lost access."""
        current = {w.person: w for w in wraps}
        wanted = set(readers)
        missing = sorted(p for p in wanted - set(current) if p not in keys)
        if missing:
            raise KeyProblem(f"Persoon '{missing[0]}' heeft nog geen sleutelpaar; maak dat eerst aan.")
        add = [self.wrap_for(keys[p], master) for p in sorted(wanted - set(current))]
        remove = [current[p] for p in sorted(set(current) - wanted)]
        return WrapChanges(add, remove)

    def rekey(self, blobs: Mapping[str, bytes]) -> tuple[CaseKey, dict[str, bytes]]:
        """A fresh data key and every field resealed with it; then wrap the new key for the readers."""
        new = CaseKey.generate(self.case)
        return new, {field: new.seal(field, self.open(field, blob)) for field, blob in blobs.items()}

    def _place(self, field: str) -> str:
        return f"case|{self.case}|{field}"


def _wrapping_key(shared: bytes, ephemeral: bytes, public: bytes, case: str, person: str) -> bytes:
    return derive(shared, f"miv-cases case-key|{case}|{person}", salt=ephemeral + public)
