"""The parameters file fits the definition; one that names an unknown item, option,
group or rule fails with a Dutch message that says where, also through `miv demo`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from miv import demo
from miv.cli import app
from miv.definition import DEFAULT_ROOT, Monitor


def broken(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(demo.PARAMETERS.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "parameters.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_parameters_fit_every_edition(monitor: Monitor) -> None:
    for edition in monitor.editions.values():
        parameters = demo.load_parameters(edition, monitor.structure)
        assert set(parameters.questionnaires) == set(edition.questionnaires)


def test_edition_overrides_replace_the_base(monitor: Monitor) -> None:
    share = {year: demo.load_parameters(e, monitor.structure).questionnaires["medewerkers"].traits["slachtoffer"].share for year, e in monitor.editions.items()}
    assert share == {2022: 0.36, 2024: 0.29}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["questionnaires"]["ambtsdragers"]["items"].update(AG_ONBEKEND={"p": 0.5}), "questionnaires.ambtsdragers.items.AG_ONBEKEND: onbekende vraag"),
        (lambda d: d["questionnaires"]["ambtsdragers"]["items"]["LEEFTIJD"]["options"].update({7: 0.1}), "items.LEEFTIJD.options: onbekende code '7'"),
        (lambda d: d["questionnaires"]["ambtsdragers"]["response"]["rate"].update(wethouders=0.5), "response.rate: onbekende code 'wethouders'"),
        (lambda d: d["questionnaires"]["ambtsdragers"]["response"]["rate"].pop("cdk"), "response.rate: doelgroep 'cdk' ontbreekt"),
        (lambda d: d["questionnaires"]["ambtsdragers"]["traits"]["slachtoffer"]["share"].pop("raadslid"), "share: doelgroep 'raadslid' ontbreekt"),
        (lambda d: d["questionnaires"]["ambtsdragers"]["traits"]["slachtoffer"]["forms"].update(AG_ERNST=0.1), "forms.AG_ERNST: verwacht een ja/nee-vraag"),
        (lambda d: d["questionnaires"]["medewerkers"]["traits"]["slachtoffer"]["odds"]["group"].update(burgemeester=2), "odds.group: onbekende code 'burgemeester'"),
        (lambda d: d["questionnaires"]["ambtsdragers"]["items"]["AG_GETUIGE"]["when"][0].update({"if": "slachtoffer =="}), "AG_GETUIGE.when.0.if: regel 'slachtoffer ==' is niet te lezen"),
        (lambda d: d["questionnaires"]["ambtsdragers"]["items"]["INT_BELANG"].update(share=1.5), "INT_BELANG.share: verwacht een getal kleiner dan 1.0 (gevonden: 1.5)"),
        (lambda d: d["questionnaires"]["ambtsdragers"]["items"]["AG_NAZORG"].update(kans=0.3), "items.AG_NAZORG.kans: onbekend veld"),
        (lambda d: d["questionnaires"]["ambtsdragers"]["items"]["AG_GETUIGE"]["when"][0].update({"if": "slachtofer == 1"}), "AG_GETUIGE.when.0.if: 'slachtofer' is geen stratumvariabele"),
        (lambda d: d["questionnaires"].pop("organisaties"), "vragenlijst 'organisaties' heeft geen parameters"),
        (lambda d: d["questionnaires"]["ambtsdragers"]["items"]["AG_NAZORG"].update(share=0.3), "items.AG_NAZORG: geef hoogstens een van p, share en options"),
    ],
)
def test_a_broken_parameter_is_named(monitor: Monitor, tmp_path: Path, change, message: str) -> None:
    path = broken(tmp_path, change)
    with pytest.raises(demo.DemoError) as caught:
        demo.load_parameters(monitor.editions[2022], monitor.structure, path)
    assert message in str(caught.value)
    assert "parameters.yaml (editie 2022)" in str(caught.value)


def test_miv_demo_reports_parameters_that_no_longer_fit_without_traceback(tmp_path: Path) -> None:
    """The definition renames an item the parameters model: `miv demo` stops with a
    Dutch message naming the parameter, and writes nothing."""
    root = tmp_path / "monitor"
    shutil.copytree(DEFAULT_ROOT, root)
    questionnaire = root / "editions" / "2022" / "questionnaires" / "ambtsdragers.yaml"
    text = questionnaire.read_text(encoding="utf-8")
    assert text.count("code: LEEFTIJD\n") == 1
    questionnaire.write_text(text.replace("code: LEEFTIJD\n", "code: LEEFTIJD_KLASSE\n"), encoding="utf-8")
    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "out"), "--definition", str(root)])
    assert result.exit_code == 1
    assert "questionnaires.ambtsdragers.items.LEEFTIJD: onbekende vraag" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "out").exists()


def test_a_parameters_file_that_is_not_yaml_is_named_with_its_line(monitor: Monitor, tmp_path: Path) -> None:
    path = tmp_path / "parameters.yaml"
    path.write_text("defaults:\n  nonresponse: {skipped: 0.1\nquestionnaires: {}\n", encoding="utf-8")
    with pytest.raises(demo.DemoError) as caught:
        demo.load_parameters(monitor.editions[2024], monitor.structure, path)
    assert str(caught.value).startswith("parameters.yaml: regel ")
    assert "geen geldige YAML" in str(caught.value)
