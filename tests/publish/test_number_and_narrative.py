import math

from miv.publish.narrative import Figure, change, contrast, html, text
from miv.publish.number import interval, number, percent


def test_dutch_number_formatting():
    assert percent(0.45) == "45%"
    assert percent(0.445) == "45%"  # half-up, as a reader rounds
    assert percent(0.4449) == "44%"
    below, above = math.nextafter(math.nextafter(0.295, 0), 0), math.nextafter(math.nextafter(0.295, 1), 1)
    assert percent(below) == percent(above) == "30%"  # a half, but for the last bits of its sums
    assert percent(0.294999) == "29%"
    assert number(1234) == "1.234"
    assert number(0.5, 1) == "0,5"
    assert number(1234567.891, 2) == "1.234.567,89"
    assert interval(0.41, 0.494) == "41–49%"


def _f(value: float) -> Figure:
    return Figure(value, f"k{value}")


def test_change_wording_follows_the_test_in_both_directions():
    fell = text(change("Het aandeel", _f(0.49), _f(0.45), 0.01, (2022, 2024)))
    assert fell == "Het aandeel daalde van 49% in 2022 naar 45% in 2024."
    rose = text(change("Het aandeel", _f(0.45), _f(0.49), 0.049, (2022, 2024)))
    assert rose == "Het aandeel steeg van 45% in 2022 naar 49% in 2024."
    level = text(change("Het aandeel", _f(0.49), _f(0.45), 0.05, (2022, 2024)))
    assert level == "Het aandeel bleef vrijwel gelijk (49% in 2022, 45% in 2024)."
    untested = text(change("Het aandeel", _f(0.49), _f(0.35), None, (2022, 2024)))
    assert "bleef vrijwel gelijk" in untested


def test_significant_change_within_one_point_shows_a_decimal():
    assert text(change("Het aandeel", _f(0.454), _f(0.446), 0.001, (2022, 2024))) == "Het aandeel daalde van 45,4% in 2022 naar 44,6% in 2024."


def test_contrast_wording_follows_the_test():
    assert text(contrast("bij vrouwen", _f(0.55), "bij mannen", _f(0.37), 0.001)) == (
        "Het aandeel bij vrouwen (55%) is significant hoger dan bij mannen (37%)."
    )
    assert "significant lager" in text(contrast("in Zeeland", _f(0.30), "in heel Nederland", _f(0.45), 0.01))
    assert "verschilt niet significant" in text(contrast("bij vrouwen", _f(0.55), "bij mannen", _f(0.37), 0.2))


def test_html_sentence_carries_value_and_cell_key():
    markup = html(change("Het aandeel <b>", Figure(0.49, "a|b"), Figure(0.45, "c|d"), 0.01, (2022, 2024)))
    assert '<data class="miv-cijfer" value="0.49" data-cell="a|b">49%</data>' in markup
    assert "&lt;b&gt;" in markup
