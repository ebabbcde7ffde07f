"""miv as a package: the wheel built from this checkout, installed into a fresh virtual
environment outside it, finds its own definition and runs the demo.

To stay within seconds of install time the fresh environment gets miv only from the wheel
(`--no-deps`); its dependencies are borrowed from the running environment through a .pth
file, which adds that site-packages to sys.path but does not run its .pth files, so the
checkout's editable install stays invisible. The test asserts that miv is imported from the
fresh environment."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin folder of a fresh environment holding miv from the wheel."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # a clean copy: no build/ or egg-info of earlier builds in the wheel
    shutil.copytree(ROOT / "src", source / "src", symlinks=True, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copytree(ROOT / "monitor", source / "monitor")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(work), str(source)],
                   check=True, capture_output=True, cwd=work)
    wheel, = work.glob("miv-*.whl")
    env = work / "venv"
    venv.EnvBuilder(with_pip=False).create(env)
    fresh = Path(subprocess.run([str(env / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                check=True, capture_output=True, text=True).stdout.strip())
    (fresh / "borrowed-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(env / "bin" / "python"), "install", "-q", "--no-deps", str(wheel)],
                   check=True, capture_output=True, cwd=work)
    return env / "bin"


def _miv(installed: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(installed / "miv"), *args], capture_output=True, text=True, cwd=cwd, env={"PATH": "/usr/bin:/bin"})


@pytest.mark.slow
def test_the_installed_package_finds_its_definition_and_runs_the_demo(installed: Path, tmp_path: Path):
    where = subprocess.run([str(installed / "python"), "-c", "import miv, miv.definition as d; print(miv.__file__); print(d.DEFAULT_ROOT)"],
                           check=True, capture_output=True, text=True, cwd=tmp_path).stdout.split()
    assert all(Path(p).is_relative_to(installed.parent) for p in where), where
    check = _miv(installed, "definition", "check", cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    assert "definitie 2024.1 is geldig" in check.stdout
    demo = _miv(installed, "demo", "--no-pdf", "--out", "uit", cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "Kerncijfers 2024" in demo.stdout
    for name in ("rapport-veiligheid.html", "estimates.csv", "manifest.json"):
        assert (tmp_path / "uit" / "2024" / name).is_file(), name


def test_another_definition_is_used_with_definition_dir(installed: Path, tmp_path: Path):
    other = tmp_path / "definitie"
    other.mkdir()
    (other / "monitor.yaml").write_text("name: Andere monitor\n", encoding="utf-8")
    check = _miv(installed, "definition", "check", "--definition", str(other), cwd=tmp_path)
    assert check.returncode == 1
    assert "structure.yaml: bestand ontbreekt" in check.stderr
    assert f"Fout: de definitie in {other} heeft" in check.stderr
    assert "Traceback" not in check.stderr


def test_the_wheel_is_typed_and_holds_the_definition(installed: Path):
    package = Path(subprocess.run([str(installed / "python"), "-c", "import miv; print(miv.__file__)"],
                                  check=True, capture_output=True, text=True).stdout.strip()).parent
    assert (package / "py.typed").is_file()
    shipped = {p.relative_to(package / "monitor") for p in (package / "monitor").rglob("*") if p.is_file()}
    source = {p.relative_to(ROOT / "monitor") for p in (ROOT / "monitor").rglob("*") if p.is_file() and p.suffix in (".yaml", ".csv", ".md")}
    assert shipped == source
