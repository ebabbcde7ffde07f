"""The fieldwork account (veldwerk.csv) is read as strictly as a survey file: a good file gives
the invited counts with every layer filled; each kind of bad row is refused with its row,
column and what was expected, all problems at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from miv import definition
from miv.definition import Monitor, Unit
from miv.intake import IntakeError
from miv.intake.fieldwork import read_fieldwork, write_fieldwork


@pytest.fixture(scope="module")
def real() -> Monitor:
    return definition.load()


def complete(monitor: Monitor, year: int) -> list[dict[str, object]]:
    """One row per group (per layer for organisations), 100 invited each."""
    chairs = {g.code: g.layer for g in monitor.structure.groups if g.chair}
    layer = {g.code: g.layer for g in monitor.structure.groups}
    rows: list[dict[str, object]] = []
    for code, q in monitor.editions[year].questionnaires.items():
        if q.unit is Unit.ORGANISATION:
            rows += [{"questionnaire": code, "group": None, "layer": chairs[c], "invited": 100} for c in q.groups]
        else:
            rows += [{"questionnaire": code, "group": g, "layer": layer[g], "invited": 100} for g in q.groups]
    return rows


def test_a_complete_account_is_read_with_every_layer(real: Monitor, tmp_path: Path) -> None:
    rows = complete(real, 2024)
    rows[0]["layer"] = None  # a group's layer may be left out: it follows from the group
    table = read_fieldwork(write_fieldwork(rows, tmp_path / "veldwerk.csv"), real, 2024)
    assert table.height == len(rows)
    assert table["layer"].null_count() == 0
    assert table.filter(table["questionnaire"] == "organisaties")["group"].null_count() == 3
    assert table["invited"].sum() == 100 * len(rows)


def test_each_bad_row_is_named_with_its_row_and_column(real: Monitor, tmp_path: Path) -> None:
    rows = complete(real, 2024)
    text = (write_fieldwork(rows, tmp_path / "goed.csv")).read_text(encoding="utf-8").splitlines()
    text[1] = "ambtsdragers,burgemeester,provincie,342"  # wrong layer
    text[2] = "ambtsdragers,wethouder,gemeente,veel"  # not a number
    text[3] = "ambtsdragers,medewerker-gemeente,gemeente,10"  # group without this questionnaire
    text[4] = "vragenlijst-x,cdk,provincie,12"  # unknown questionnaire
    text.append(text[5])  # twice
    bad = tmp_path / "veldwerk.csv"
    bad.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(IntakeError) as caught:
        read_fieldwork(bad, real, 2024)
    details = "\n".join(caught.value.details)
    assert "rij 2, kolom layer: 'burgemeester' hoort bij bestuurslaag 'gemeente', niet 'provincie'" in details
    assert "rij 3, kolom invited: verwacht een heel getal van 0 of meer, gevonden 'veel'" in details
    assert "rij 4, kolom group: doelgroep 'medewerker-gemeente' krijgt vragenlijst 'ambtsdragers' niet" in details
    assert "rij 5, kolom questionnaire: onbekende vragenlijst 'vragenlijst-x'" in details
    assert f"rij {len(text)}: ambtsdragers gedeputeerde staat al eerder in het bestand" in details
    # the rows refused leave their groups without a count: named too, so no table has a silent gap
    assert "vragenlijst ambtsdragers: geen rij voor 'burgemeester'" in details
    assert "vragenlijst ambtsdragers: geen rij voor 'cdk'" in details
    assert str(bad) in caught.value.message


def test_a_wrong_header_is_refused_on_row_1(real: Monitor, tmp_path: Path) -> None:
    bad = tmp_path / "veldwerk.csv"
    bad.write_text("vragenlijst,doelgroep,aantal\nambtsdragers,burgemeester,342\n", encoding="utf-8")
    with pytest.raises(IntakeError, match="rij 1: verwacht de kolommen questionnaire,group,layer,invited"):
        read_fieldwork(bad, real, 2024)


def test_an_organisation_row_names_a_layer_not_a_group(real: Monitor, tmp_path: Path) -> None:
    rows = complete(real, 2024)
    org = next(r for r in rows if r["questionnaire"] == "organisaties")
    org["group"] = "burgemeester"
    with pytest.raises(IntakeError) as caught:
        read_fieldwork(write_fieldwork(rows, tmp_path / "veldwerk.csv"), real, 2024)
    assert "kolom group: laat leeg voor vragenlijst 'organisaties' (één rij per bestuurslaag)" in "\n".join(caught.value.details)
