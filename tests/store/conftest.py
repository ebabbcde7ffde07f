from __future__ import annotations

import pytest

from miv.fieldwork import Keys


@pytest.fixture
def keys() -> Keys:
    return Keys(b"k" * 32)
