"""Invitation codes and the keys derived from the server secret: a keyed hash to find an
invitation by its code, and an encryption key for codes (reminders) and answers in progress."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to type from paper
CODE_LENGTH = 12


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"miv " + purpose).derive(secret)


def normalise_code(text: str) -> str:
    """Upper case, without spaces or dashes: what a respondent types or a link carries."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


class Keys:
    """Everything derived from the one server secret (kept outside the database)."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 32:
            raise ValueError("het servergeheim moet minstens 32 bytes lang zijn")
        self._hash_key = _derive(secret, b"code hash")
        self._fernet = Fernet(base64.urlsafe_b64encode(_derive(secret, b"seal")))
        self.session_key = base64.urlsafe_b64encode(_derive(secret, b"session")).decode()
        self.client_key = _derive(secret, b"client")

    def code_hash(self, code: str) -> str:
        return hmac.new(self._hash_key, normalise_code(code).encode(), hashlib.sha256).hexdigest()

    def client_hash(self, address: str) -> str:
        """A keyed hash of a client address for rate limits: the address itself is never stored."""
        return hmac.new(self.client_key, address.encode(), hashlib.sha256).hexdigest()

    def seal(self, data: object) -> bytes:
        return self._fernet.encrypt(json.dumps(data).encode())

    def unseal(self, token: bytes) -> object:
        return json.loads(self._fernet.decrypt(token))
