"""`miv db veldwerk`: the web fieldwork's account of who was invited, as the veldwerk.csv the
pipeline reads (`miv run --veldwerk`), on SQLite and PostgreSQL; and what it tells of people."""

from __future__ import annotations

import csv
import io

from fieldwork_support import INVITATIONS_CSV, answers_for, start
from typer.testing import CliRunner

from miv import definition
from miv import fieldwork as fw
from miv.cli import app
from miv.intake.fieldwork import COLUMNS, read_fieldwork
from miv.pipeline.fieldwork import response
from miv.pipeline.inputs import read_inputs

ONE_CDK = "Karin Commissaris;cdk@zeeland.nl;cdk;provincie;Provincie Zeeland;vrouw;zeeland;\n"  # a group of one
ORGANISATIONS = ("naam;e-mail;doelgroep;bestuurslaag;organisatie;provincie;grootteklasse\n"
                 "Griffier Aa;griffie@aa.nl;;gemeente;Gemeente Aa;utrecht;20k-50k\n"
                 "Griffier Ee;griffie@ee.nl;;gemeente;Gemeente Ee;zeeland;tot-20k\n"
                 "Secretaris Dd;secr@dd.nl;;waterschap;Waterschap Dd;;\n")


def veldwerk(db_url: str, out) -> object:
    return CliRunner().invoke(app, ["db", "veldwerk", "--edition", "2024", "--db", db_url, "--out", str(out)])


def test_the_exported_account_feeds_the_pipeline_and_names_nobody(db, keys, tmp_path):
    monitor = definition.load()
    people = fw.open_fieldwork(db, monitor, 2024, "ambtsdragers")
    invitations = INVITATIONS_CSV + ONE_CDK
    fw.import_invitations(db, keys, people, "lijst.csv", invitations.encode())
    out = tmp_path / "data"
    partial = veldwerk(db.url, out)
    assert partial.exit_code == 0 and "zonder webveldwerk: medewerkers, organisaties" in " ".join(partial.output.split())
    organisations = fw.open_fieldwork(db, monitor, 2024, "organisaties")
    fw.import_invitations(db, keys, organisations, "organisaties.csv", ORGANISATIONS.encode())
    fw.open_fieldwork(db, monitor, 2024, "medewerkers")  # opened, nobody invited yet

    mailing = fw.mailing(db, keys, people, "https://x.nl")
    q = monitor.editions[2024].questionnaires["ambtsdragers"]
    for line in mailing.splitlines()[1:3]:  # two of the five answer
        invitation, secret = start(db, keys, line.split(";")[3])
        fw.save_answers(db, keys, invitation, secret, answers_for(q, fw.load_answers(db, keys, invitation, secret)[1]))
        fw.submit(db, keys, invitation, secret)
    fw.close_fieldwork(db, keys, people)
    assert CliRunner().invoke(app, ["db", "responses", "--edition", "2024", "--questionnaire", "ambtsdragers", "--db", db.url,
                                    "--out", str(out)]).exit_code == 0

    result = veldwerk(db.url, out)
    assert result.exit_code == 0, result.output
    assert "8 uitgenodigden in 15 rijen" in result.output and "zonder webveldwerk" not in result.output
    account = out / "2024" / "veldwerk.csv"
    inputs = read_inputs([out / "2024" / "ambtsdragers.parquet"], monitor, 2024, account)  # what `miv run --veldwerk` reads
    table = response(monitor, 2024, inputs.invited, inputs.tables, str(account))
    got = {(r["questionnaire"], r["group"] or r["layer"]): (r["invited"], r["responded"]) for r in table.iter_rows(named=True)}
    assert got[("ambtsdragers", "burgemeester")] == (1, 1) and got[("ambtsdragers", "raadslid")] == (1, 1)
    assert got[("ambtsdragers", "cdk")] == (1, 0) and got[("ambtsdragers", "wethouder")] == (0, 0)
    assert got[("organisaties", "gemeente")] == (2, 0) and got[("organisaties", "waterschap")] == (1, 0)
    assert got[("organisaties", "provincie")] == (0, 0) and got[("medewerkers", "medewerker-gemeente")] == (0, 0)
    assert table.height == 15 and inputs.invited["invited"].sum() == 8
    assert read_fieldwork(account, monitor, 2024).equals(inputs.invited)

    # the attacker with the file: counts per group, nothing of any person, not even of the group of one
    text = account.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(COLUMNS)
    identities = {row[column] for listing in (invitations, ORGANISATIONS) for row in csv.DictReader(io.StringIO(listing), delimiter=";")
                  for column in ("naam", "e-mail", "organisatie", "geslacht", "provincie", "grootteklasse") if row.get(column)}
    codes = {line.split(";")[3] for line in mailing.splitlines()[1:]}
    assert [v for v in identities | codes if v.lower() in text.lower()] == []
    assert "completed" not in text and "started" not in text  # who answered is not in it: responded comes from the data
