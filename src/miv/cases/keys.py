"""The top of the key hierarchy: the master key outside the database, and each person's key pair.

The master key lives in a file (path in MIV_CASES_MASTER_KEY_FILE), never in the database.
Each person has an X25519 key pair; the private half is stored sealed under a key derived
from the master key, so a copy of the database alone opens nothing.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from miv.cases.errors import KeyProblem, KeySubstituted
from miv.cases.sealing import KEY_BYTES, derive, seal, unseal

ENVIRONMENT_VARIABLE = "MIV_CASES_MASTER_KEY_FILE"


class MasterKey:
    """32 random bytes, kept as one base64 line in a file readable by the app's user only."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) != KEY_BYTES:
            raise KeyProblem(f"De hoofdsleutel moet {KEY_BYTES} bytes zijn, niet {len(secret)}.")
        self._secret = secret
        self.id = derive(secret, "miv-cases master-key-id")[:8].hex()

    def __repr__(self) -> str:
        return f"MasterKey(id={self.id})"

    @classmethod
    def create(cls, path: Path) -> MasterKey:
        """Write a new key file (mode 0600); refuses to overwrite, since that would lose every case."""
        if not Path(path).parent.is_dir():
            raise KeyProblem(f"{path}: de map {Path(path).parent} bestaat niet; maak die eerst aan (alleen leesbaar voor de app).")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise KeyProblem(f"{path}: bestaat al; een hoofdsleutel wordt nooit overschreven.") from None
        secret = os.urandom(KEY_BYTES)
        with os.fdopen(fd, "w") as file:
            file.write(base64.urlsafe_b64encode(secret).decode() + "\n")
        return cls(secret)

    @classmethod
    def load(cls, path: Path) -> MasterKey:
        try:
            text = Path(path).read_text().strip()
        except OSError as exc:
            raise KeyProblem(f"{path}: hoofdsleutel niet te lezen ({exc.strerror}).") from None
        try:
            secret = base64.urlsafe_b64decode(text.encode())
        except (binascii.Error, ValueError):
            raise KeyProblem(f"{path}: verwacht één regel base64 met {KEY_BYTES} bytes.") from None
        if len(secret) != KEY_BYTES:
            raise KeyProblem(f"{path}: verwacht {KEY_BYTES} bytes, gevonden {len(secret)}.")
        return cls(secret)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> MasterKey:
        path = environ.get(ENVIRONMENT_VARIABLE)
        if not path:
            raise KeyProblem(f"Zet {ENVIRONMENT_VARIABLE} op het pad van het bestand met de hoofdsleutel.")
        return cls.load(Path(path))

    def seal(self, purpose: str, place: str, plaintext: bytes) -> bytes:
        """Seal a small secret (a private key, a TOTP secret) under a key for this purpose only."""
        return seal(derive(self._secret, f"miv-cases {purpose}"), place, plaintext)

    def unseal(self, purpose: str, place: str, blob: bytes) -> bytes:
        return unseal(derive(self._secret, f"miv-cases {purpose}"), place, blob)

    def derive(self, purpose: str) -> bytes:
        return derive(self._secret, f"miv-cases {purpose}")


@dataclass(frozen=True)
class PersonKey:
    """A person's key pair as the database stores it: public key in the clear, private key sealed."""

    person: str
    public: bytes
    sealed_private: bytes
    master_id: str

    @classmethod
    def create(cls, master: MasterKey, person: str) -> PersonKey:
        private = X25519PrivateKey.generate()
        raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return cls(person, public, master.seal("person-key", person, raw), master.id)

    def unlock(self, master: MasterKey) -> X25519PrivateKey:
        if master.id != self.master_id:
            raise KeyProblem(f"De sleutel van {self.person} hoort bij hoofdsleutel {self.master_id}, niet {master.id}.")
        return X25519PrivateKey.from_private_bytes(master.unseal("person-key", self.person, self.sealed_private))

    def public_key(self) -> X25519PublicKey:
        return X25519PublicKey.from_public_bytes(self.public)

    def verified(self, master: MasterKey) -> PersonKey:
        """This key, after checking that the public half is the one of the sealed private half.

        The private key is sealed under the master key and bound to the person id, so someone who
        can write the database cannot make a pair that passes: a public key of their own, a
        private key copied from another person or a changed master id all fail here.
        """
        try:
            derived = self.unlock(master).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        except (KeyProblem, ValueError):
            raise KeySubstituted(self.person) from None
        if not hmac.compare_digest(derived, self.public):
            raise KeySubstituted(self.person)
        return self

    def rewrap(self, old: MasterKey, new: MasterKey) -> PersonKey:
        """The same key pair sealed under a new master key (master key rotation)."""
        raw = self.unlock(old).private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return PersonKey(self.person, self.public, new.seal("person-key", self.person, raw), new.id)
