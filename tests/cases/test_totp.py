"""TOTP enrolment and verification for case roles, including replay refusal."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pyotp
import pytest

from miv.cases import KeyProblem, MasterKey
from miv.cases.totp import enrol, open_secret, seal_secret, verify

NOW = datetime(2026, 3, 2, 9, 0, 10, tzinfo=timezone.utc)


def code_at(secret: str, moment: datetime) -> str:
    return pyotp.TOTP(secret).at(moment)


def test_enrolment_gives_a_provisioning_uri():
    enrolment = enrol("voorzitter@utrecht.nl")
    assert enrolment.uri.startswith("otpauth://totp/miv%20zaken:voorzitter%40utrecht.nl?secret=" + enrolment.secret)
    assert len(enrolment.secret) == 32


def test_current_code_is_accepted_once():
    secret = enrol("a").secret
    step = verify(secret, code_at(secret, NOW), NOW, None)
    assert step == int(NOW.timestamp() // 30)
    assert verify(secret, code_at(secret, NOW), NOW, step) is None


def test_one_step_of_drift_is_allowed_and_more_is_not():
    secret = enrol("a").secret
    assert verify(secret, code_at(secret, NOW - timedelta(seconds=30)), NOW, None) is not None
    assert verify(secret, code_at(secret, NOW + timedelta(seconds=30)), NOW, None) is not None
    assert verify(secret, code_at(secret, NOW - timedelta(seconds=90)), NOW, None) is None


@pytest.mark.parametrize("bad", ["", "12345", "1234567", "abcdef", "000000"])
def test_malformed_or_wrong_codes_fail(bad):
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    if bad == "000000" and code_at(secret, NOW) == bad:
        bad = "111111"
    assert verify(secret, bad, NOW, None) is None


def test_spaces_in_a_code_are_ignored():
    secret = enrol("a").secret
    code = code_at(secret, NOW)
    assert verify(secret, f"{code[:3]} {code[3:]}", NOW, None) is not None


def test_secret_is_stored_sealed_for_its_person(tmp_path):
    master = MasterKey.create(tmp_path / "m.key")
    secret = enrol("a").secret
    blob = seal_secret(master, "p-1", secret)
    assert secret.encode() not in blob
    assert open_secret(master, "p-1", blob) == secret
    with pytest.raises(KeyProblem):
        open_secret(master, "p-2", blob)
