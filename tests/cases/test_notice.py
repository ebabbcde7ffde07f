"""Notifications name the case and nothing of its content."""

from __future__ import annotations

import pytest

from miv.cases import Notice, ViolationForm, notification

from .conftest import investigated_case


@pytest.mark.parametrize("kind", list(Notice))
def test_notice_carries_only_the_case_id(kind):
    case = investigated_case()
    subject, body = notification(kind, case.id, "https://miv.example.nl/zaken")
    text = subject + body
    assert case.id in subject and "https://miv.example.nl/zaken" in body
    for leak in ["Jansen", "De Vries", "zwager", case.stage.label, *(f.label for f in ViolationForm), "gegrond"]:
        assert leak.lower() not in text.lower()
