"""Two-factor login for every case role: TOTP enrolment and verification with replay protection.

The shared secret is stored sealed under the master key; a code, once accepted, is never
accepted again (the last accepted time step is stored with the person).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime

import pyotp

from miv.cases.keys import MasterKey

ISSUER = "miv zaken"
WINDOW = 1


@dataclass(frozen=True)
class Enrolment:
    """A new secret and the otpauth:// URI the page shows as a QR code."""

    secret: str
    uri: str


def enrol(account: str, issuer: str = ISSUER) -> Enrolment:
    secret = pyotp.random_base32()
    return Enrolment(secret, pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer))


def verify(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The accepted time step, or None for a wrong, malformed or already used code.

    Accepts the current step and one on either side (clock drift); store the result and
    pass it back as `last_step` so the same or an older code fails next time.
    """
    code = code.replace(" ", "").strip()
    if len(code) != 6 or not code.isdigit():
        return None
    if now.tzinfo is None:
        raise ValueError("TOTP needs a time zone-aware time")
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp() // totp.interval)
    for step in range(current - WINDOW, current + WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return None if last_step is not None and step <= last_step else step
    return None


def seal_secret(master: MasterKey, person: str, secret: str) -> bytes:
    return master.seal("totp", person, secret.encode())


def open_secret(master: MasterKey, person: str, blob: bytes) -> str:
    return master.unseal("totp", person, blob).decode()
