"""The master key file and the person key pairs sealed under it."""

from __future__ import annotations

import base64
import os
import stat

import pytest

from miv.cases import ENVIRONMENT_VARIABLE, KeyProblem, MasterKey, PersonKey


def test_create_writes_a_private_file_and_load_reads_the_same_key(tmp_path):
    path = tmp_path / "master.key"
    created = MasterKey.create(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert MasterKey.load(path).id == created.id
    assert MasterKey.from_environment({ENVIRONMENT_VARIABLE: str(path)}).id == created.id


def test_create_never_overwrites(tmp_path):
    path = tmp_path / "master.key"
    MasterKey.create(path)
    with pytest.raises(KeyProblem, match="nooit overschreven"):
        MasterKey.create(path)


@pytest.mark.parametrize(
    ("content", "expected"),
    [("niet-base64!!", "base64"), (base64.urlsafe_b64encode(b"kort").decode(), "32 bytes, gevonden 4")],
)
def test_malformed_key_file_is_named_with_what_was_expected(tmp_path, content, expected):
    path = tmp_path / "bad.key"
    path.write_text(content)
    with pytest.raises(KeyProblem) as caught:
        MasterKey.load(path)
    assert str(path) in caught.value.message and expected in caught.value.message


def test_missing_file_and_missing_variable_are_explained(tmp_path):
    with pytest.raises(KeyProblem, match="niet te lezen"):
        MasterKey.load(tmp_path / "nope.key")
    with pytest.raises(KeyProblem, match=ENVIRONMENT_VARIABLE):
        MasterKey.from_environment({})


def test_repr_shows_the_id_not_the_secret(master):
    assert repr(master) == f"MasterKey(id={master.id})"


def test_person_private_key_opens_only_with_the_right_master_and_person(master, tmp_path):
    key = PersonKey.create(master, "p-1")
    assert key.unlock(master).public_key().public_bytes_raw() == key.public
    other = MasterKey.create(tmp_path / "other.key")
    with pytest.raises(KeyProblem):
        key.unlock(other)
    moved = PersonKey("p-2", key.public, key.sealed_private, key.master_id)
    with pytest.raises(KeyProblem, match="gaat niet open"):
        moved.unlock(master)


def test_master_key_rotation_keeps_the_key_pair(master, tmp_path):
    key = PersonKey.create(master, "p-1")
    new = MasterKey.create(tmp_path / "new.key")
    rotated = key.rewrap(master, new)
    assert rotated.public == key.public and rotated.master_id == new.id
    assert rotated.unlock(new).public_key().public_bytes_raw() == key.public
