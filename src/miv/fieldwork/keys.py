"""Invitation codes and the keys derived from the server secret: a keyed hash to find an
invitation by its code, an encryption key for codes (reminders), the key of the outbox of
submitted answers, and the server half of the key of answers in progress (the other half
comes from the respondent's resume word, docs/anonymity.md)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to type from paper
CODE_LENGTH = 12


WORD_MINIMUM = 8  # characters of a resume word
NONCE = 12


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"miv " + purpose).derive(secret)


class Unreadable(Exception):
    """A sealed value that this key did not seal (a wrong resume word, another secret)."""


class Box:
    """AES-256-GCM with a random nonce and a context bound to the ciphertext. The plaintext
    is padded to a fixed size, so the length of a sealed value says nothing of what it holds
    (a long free-text answer would otherwise tie a sealed row to a released response)."""

    def __init__(self, key: bytes, context: bytes) -> None:
        self._aead = AESGCM(key)
        self._context = context

    def seal(self, data: object, size: int) -> bytes:
        plain = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        if len(plain) + 4 > size:
            raise ValueError(f"sealed value of {len(plain)} bytes does not fit in {size}")
        nonce = secrets.token_bytes(NONCE)
        padded = len(plain).to_bytes(4, "big") + plain + bytes(size - 4 - len(plain))
        return nonce + self._aead.encrypt(nonce, padded, self._context)

    def open(self, token: bytes) -> object:
        try:
            padded = self._aead.decrypt(token[:NONCE], token[NONCE:], self._context)
        except InvalidTag:
            raise Unreadable from None
        return json.loads(padded[4 : 4 + int.from_bytes(padded[:4], "big")])


def word_key(word: str, salt: bytes) -> bytes:
    """The respondent's half of the key of their answers in progress: Argon2id of the resume
    word (OWASP's minimum cost, so that many respondents may start at once)."""
    return hash_secret_raw(word.encode(), salt, time_cost=2, memory_cost=19456, parallelism=1, hash_len=32, type=Type.ID)


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
        self._outbox_key = _derive(secret, b"outbox")
        self._progress_key = _derive(secret, b"progress")

    def code_hash(self, code: str) -> str:
        return hmac.new(self._hash_key, normalise_code(code).encode(), hashlib.sha256).hexdigest()

    def client_hash(self, address: str) -> str:
        """A keyed hash of a client address for rate limits: the address itself is never stored."""
        return hmac.new(self.client_key, address.encode(), hashlib.sha256).hexdigest()

    def seal(self, data: object) -> bytes:
        return self._fernet.encrypt(json.dumps(data).encode())

    def unseal(self, token: bytes) -> object:
        return json.loads(self._fernet.decrypt(token))

    def outbox(self, fieldwork_id: int) -> Box:
        """Seals submitted answers until they are released at close."""
        return Box(self._outbox_key, b"submission %d" % fieldwork_id)

    def progress(self, invitation_id: int, word: bytes) -> Box:
        """Seals one invitation's answers in progress under the server secret and the
        respondent's word key together: neither the database, nor the server, nor someone
        holding the code alone can open them."""
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=word, info=b"miv progress").derive(self._progress_key)
        return Box(key, b"progress %d" % invitation_id)
