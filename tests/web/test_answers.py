"""Reading one page's form in-process: numbers as people type them, codes that do not belong."""

from __future__ import annotations

from fieldwork_support import small_monitor

from miv.fieldwork.answers import parse_number, read_page

Q = small_monitor().editions[2024].questionnaires["ambtsdragers"]
ITEMS = {item.code: item for item in Q.items}


def read(code: str, *values: str):
    answers, errors = read_page(Q, [ITEMS[code]], {code: list(values)})
    return answers[code], [e.message for e in errors]


def test_numbers_as_dutch_people_write_them_and_bounds():
    assert read("UREN", "12,5") == (12.5, [])
    assert read("UREN", "12.5") == (12.5, [])
    assert read("UREN", " 7 ") == (7.0, [])
    assert parse_number("1.000") == 1000.0 and parse_number("12.500") == 12500.0 and parse_number("1 000") == 1000.0
    assert parse_number("1.250,5") == 1250.5 and parse_number("0,25") == 0.25 and parse_number("-3") == -3.0
    for text in ("nan", "inf", "twaalf", "1e400", "1,2,3", "1.00,5", "12,", "0x10", "1.2.3"):
        assert read("UREN", text) == (text, ["Vul een getal in, bijvoorbeeld 3 of 2,5."]), text
    assert read("UREN", "1.000")[1] == ["Vul een getal in van 0 tot en met 100."]  # a thousand, not one
    assert read("UREN", "-1")[1] == ["Vul een getal in van 0 tot en met 100."]
    assert read("UREN") == (None, [])  # not required


def test_number_items_offer_their_missing_codes():
    q = small_monitor().editions[2024].questionnaires["ambtsdragers"]
    uren = next(i for i in q.items if i.code == "UREN").model_copy(update={"missing": [99], "required": True})
    form = {"UREN": [""], "UREN-code": ["99"]}
    assert read_page(q, [uren], form) == ({"UREN": 99.0}, [])
    values, errors = read_page(q, [uren], {"UREN": ["4"], "UREN-code": ["99"]})
    assert [e.message for e in errors] == ["Vul óf een getal in, óf kies ‘Wil ik niet zeggen’."]
    assert read_page(q, [uren], {"UREN": [""], "UREN-code": ["98"]})[1][0].message == "Kies alleen antwoorden die bij deze vraag staan."


def test_codes_must_belong_to_the_item():
    assert read("AG_VERBAAL", "99") == (99, [])
    assert read("AG_VERBAAL", "98")[1] == ["Kies een van de antwoorden die bij deze vraag staan."]
    assert read("AG_VERBAAL", "x")[1] == ["Kies een van de antwoorden die bij deze vraag staan."]
    assert read("AG_GERICHT", "1", "6", "6") == ([1, 6], [])
    assert read("AG_GERICHT", "7")[1] == ["Kies alleen antwoorden die bij deze vraag staan."]
    assert read("TOELICHTING", "x" * 2001)[1] == ["Uw antwoord is te lang: gebruik ten hoogste 2000 tekens."]
