"""Reading one page's form in-process: numbers as people type them, codes that do not belong."""

from __future__ import annotations

from fieldwork_support import small_monitor

from miv.fieldwork.answers import read_page

Q = small_monitor().editions[2024].questionnaires["ambtsdragers"]
ITEMS = {item.code: item for item in Q.items}


def read(code: str, *values: str):
    answers, errors = read_page(Q, [ITEMS[code]], {code: list(values)})
    return answers[code], [e.message for e in errors]


def test_numbers_with_comma_or_point_and_bounds():
    assert read("UREN", "12,5") == (12.5, [])
    assert read("UREN", "12.5") == (12.5, [])
    assert read("UREN", " 7 ") == (7.0, [])
    for text in ("nan", "inf", "twaalf", "1e400"):
        assert read("UREN", text) == (text, ["Vul een getal in, bijvoorbeeld 3."])
    assert read("UREN", "-1")[1] == ["Vul een getal in van 0 tot en met 100."]
    assert read("UREN") == (None, [])  # not required


def test_codes_must_belong_to_the_item():
    assert read("AG_VERBAAL", "99") == (99, [])
    assert read("AG_VERBAAL", "98")[1] == ["Kies een van de antwoorden die bij deze vraag staan."]
    assert read("AG_VERBAAL", "x")[1] == ["Kies een van de antwoorden die bij deze vraag staan."]
    assert read("AG_GERICHT", "1", "6", "6") == ([1, 6], [])
    assert read("AG_GERICHT", "7")[1] == ["Kies alleen antwoorden die bij deze vraag staan."]
    assert read("TOELICHTING", "x" * 2001)[1] == ["Uw antwoord is te lang: gebruik ten hoogste 2000 tekens."]
