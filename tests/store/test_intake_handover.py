"""Submitted web responses become the intake's respondent table, as a .sav import does,
for the real 2024 ambtsdragers questionnaire; and `miv db responses` saves it."""

from __future__ import annotations

import polars as pl
import pytest
from fieldwork_support import INVITATIONS_CSV, answers_for, start
from typer.testing import CliRunner

from miv import definition, intake
from miv import fieldwork as fw
from miv.cli import app


def test_web_responses_become_the_respondent_table(db, keys, tmp_path):
    monitor = definition.load()
    q = monitor.editions[2024].questionnaires["ambtsdragers"]
    fid = fw.open_fieldwork(db, monitor, 2024, "ambtsdragers")
    fw.import_invitations(db, keys, fid, "lijst.csv", INVITATIONS_CSV.encode())
    codes = [line.split(";")[3] for line in fw.mailing(db, keys, fid, "https://x.nl").splitlines()[1:]]
    out = tmp_path / "data"
    for code in codes:  # every invitee, also the ab-lid whose group is not stratified: the import asked the gender
        invitation, secret = start(db, keys, code)
        _, stratum, _ = fw.load_answers(db, keys, invitation, secret)
        fw.save_answers(db, keys, invitation, secret, answers_for(q, stratum))
        fw.submit(db, keys, invitation, secret)
    result = CliRunner().invoke(app, ["db", "responses", "--edition", "2024", "--questionnaire", "ambtsdragers",
                                      "--db", db.url, "--out", str(out)])
    refusal = "nog open: de antwoorden komen pas vrij als een beheerder het veldwerk sluit"
    assert result.exit_code == 1 and refusal in " ".join(result.output.split()), result.output  # released at close only
    assert not out.exists()  # no table, no validation report: not even the number of responses
    for attempt in (fw.completed_records, fw.respondent_table):
        with pytest.raises(fw.FieldworkError, match=refusal):
            attempt(db, *((monitor,) if attempt is fw.respondent_table else ()), fid)
    fw.close_fieldwork(db, keys, fid)

    table, report = fw.respondent_table(db, monitor, fid)
    assert report.ok, report.to_text()
    assert table.height == 4
    assert table.columns[:9] == ["respondent_id", "edition", "questionnaire", "group", "layer", "role", "gender", "province", "size_class"]
    assert table.columns[9:] == list(definition.variables(q))
    assert table.schema["AG_VERBAAL"] == pl.Int32 and table.schema["FUNCTIE_JAREN"] == pl.Float64
    assert table["AG_VERBAAL"].to_list() == [1, 1, 1, 1]
    assert sorted(table["group"].to_list()) == ["ab-lid", "burgemeester", "raadslid", "statenlid"]
    statenlid = table.filter(pl.col("group") == "statenlid").row(0, named=True)
    assert statenlid["size_class"] is None and statenlid["INT_ZORGPLICHT_EIGEN"] == -1

    result = CliRunner().invoke(app, ["db", "responses", "--edition", "2024", "--questionnaire", "ambtsdragers",
                                      "--db", db.url, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert intake.load_table(out, 2024, "ambtsdragers").height == 4


def test_organisation_questionnaire_keeps_the_organisation_not_a_person(db, keys):
    monitor = definition.load()
    q = monitor.editions[2024].questionnaires["organisaties"]
    fid = fw.open_fieldwork(db, monitor, 2024, "organisaties")
    rows = ("naam;e-mail;doelgroep;bestuurslaag;organisatie;provincie;grootteklasse\n"
            "Griffier Aa;griffie@aa.nl;;gemeente;Gemeente Aa;utrecht;20k-50k\n"
            "Secretaris Dd;secr@dd.nl;;waterschap;Waterschap Dd;;\n")
    assert fw.import_invitations(db, keys, fid, "organisaties.csv", rows.encode()) == 2
    for line in fw.mailing(db, keys, fid, "https://x.nl").splitlines()[1:]:
        invitation, secret = start(db, keys, line.split(";")[3])
        _, stratum, _ = fw.load_answers(db, keys, invitation, secret)
        fw.save_answers(db, keys, invitation, secret, answers_for(q, stratum))
        fw.submit(db, keys, invitation, secret)
    fw.close_fieldwork(db, keys, fid)
    table, report = fw.respondent_table(db, monitor, fid)
    assert report.ok, report.to_text()
    assert table.columns[3:10] == ["group", "layer", "role", "gender", "province", "size_class", "organisation"]
    rows = {r["organisation"]: r for r in table.iter_rows(named=True)}
    assert rows["Gemeente Aa"]["group"] is None and rows["Gemeente Aa"]["gender"] is None
    assert (rows["Gemeente Aa"]["province"], rows["Gemeente Aa"]["size_class"]) == ("utrecht", "20k-50k")
    assert rows["Waterschap Dd"]["layer"] == "waterschap" and rows["Waterschap Dd"]["province"] is None
