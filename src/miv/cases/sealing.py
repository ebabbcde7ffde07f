"""The sealed-blob format every encrypted value shares: version, nonce, AES-256-GCM ciphertext.

The associated data binds a blob to its place (case, field, person), so a blob copied to
another case or field fails to open instead of showing the wrong content.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from miv.cases.errors import KeyProblem

VERSION = b"\x01"
NONCE_BYTES = 12
KEY_BYTES = 32


def seal(key: bytes, place: str, plaintext: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return VERSION + nonce + AESGCM(key).encrypt(nonce, plaintext, place.encode())


def unseal(key: bytes, place: str, blob: bytes) -> bytes:
    """Open a blob sealed for `place`; a wrong key, place or any changed byte raises KeyProblem."""
    if len(blob) < 1 + NONCE_BYTES + 16 or blob[:1] != VERSION:
        raise KeyProblem(f"Versleutelde waarde voor '{place}' heeft een onbekende vorm.")
    try:
        return AESGCM(key).decrypt(blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :], place.encode())
    except InvalidTag:
        raise KeyProblem(f"Versleutelde waarde voor '{place}' gaat niet open met deze sleutel of is gewijzigd.") from None


def derive(secret: bytes, info: str, salt: bytes | None = None) -> bytes:
    """A 256-bit key for one purpose (HKDF-SHA256), so no key is used for two things."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=info.encode()).derive(secret)
