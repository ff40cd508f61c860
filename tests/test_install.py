"""`pip install .` gives a `factsheet` command that does what `python build.py` does.

The wheel is built offline (no build isolation, no index) from a snapshot of the checkout, so
the build leaves no build/ or *.egg-info in the tree and files being edited cannot change
half way through.  It is then installed into a throwaway virtual environment and run from a
folder that is not the checkout.  That environment borrows this one's packages through a
.pth file: a venv made with --system-site-packages would see the base interpreter's packages,
not this environment's, and nothing may be downloaded.
"""

from __future__ import annotations

import configparser
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts"
TIMEOUT = 180  # seconds, for any one command

if importlib.util.find_spec("pip") is None:
    pytest.skip("pip is not installed in this environment", allow_module_level=True)


def _env() -> dict[str, str]:
    # Nothing may point the commands at the checkout's code except build.py itself.
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}


def _run(cmd: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in cmd], cwd=cwd, env=_env(), capture_output=True,
                          text=True, timeout=TIMEOUT)


def _ok(cmd: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    done = _run(cmd, cwd)
    assert done.returncode == 0, f"{cmd} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done


def _can_build_wheels() -> bool:
    """setuptools writes wheels itself from 70.1; before that it needs `wheel` older than 0.46."""
    try:
        if Version(importlib.metadata.version("setuptools")) >= Version("70.1"):
            return True
        return Version(importlib.metadata.version("wheel")) < Version("0.46")
    except importlib.metadata.PackageNotFoundError:
        return False


def _snapshot(dest: Path) -> None:
    """Copy the checkout without its hidden folders (.git, .venv, ...), output/ and build leftovers."""
    def ignore(folder: str, names: list[str]) -> set[str]:
        skip = {n for n in names if n == "__pycache__" or n.endswith(".egg-info")}
        if Path(folder) == ROOT:
            skip |= {n for n in names if n.startswith(".") or n in ("output", "build", "dist")}
        return skip
    shutil.copytree(ROOT, dest, ignore=ignore, symlinks=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the snapshot the wheel was built from, the wheel)."""
    if not _can_build_wheels():
        pytest.fail("Building a wheel offline needs setuptools>=70.1, or the 'wheel' package "
                    "(0.45.1 with this setuptools) in this environment: see requirements-dev.txt.",
                    pytrace=False)
    base = tmp_path_factory.mktemp("wheel")
    src, dist = base / "src", base / "dist"
    before = sorted(p.name for p in ROOT.iterdir())
    _snapshot(src)
    _ok([sys.executable, "-m", "pip", "wheel", src, "--no-deps", "--no-build-isolation",
         "--no-index", "--quiet", "-w", dist], cwd=base)
    assert sorted(p.name for p in ROOT.iterdir()) == before, "the build left files in the checkout"
    (wheel,) = dist.glob("factsheet-*.whl")
    return src, wheel


@pytest.fixture(scope="module")
def venv(built: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment with the wheel installed, and this environment's packages."""
    base = tmp_path_factory.mktemp("venv")
    venv = base / "venv"
    _ok([sys.executable, "-m", "venv", "--without-pip", venv], cwd=base)
    python = venv / "bin" / "python"
    purelib = _ok([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                  cwd=base).stdout.strip()
    ours = json.loads(_ok([sys.executable, "-c", "import json, sys; print(json.dumps(sys.path))"],
                          cwd=base).stdout)
    dirs = [p for p in ours if p and Path(p).is_dir() and Path(p).resolve() != ROOT]
    # appended after the venv's own site-packages, so the installed factsheet comes first
    Path(purelib, "_borrowed_packages.pth").write_text(
        "import site; " + "; ".join(f"site.addsitedir({d!r})" for d in dirs) + "\n")
    _ok([python, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", built[1]], cwd=base)
    return venv


def test_dependencies_follow_the_lock() -> None:
    """pyproject.toml names what requirements.txt pins, with ranges the pins satisfy."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {canonicalize_name(r.name): r for r in map(Requirement, project["dependencies"])}
    pins = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if line := line.split("#", 1)[0].strip():
            pin = Requirement(line)
            pins[canonicalize_name(pin.name)] = pin
    assert sorted(declared) == sorted(pins)
    for name, pin in pins.items():
        (exact,) = pin.specifier
        assert exact.operator == "==", f"requirements.txt should pin {name} exactly"
        assert declared[name].specifier.contains(exact.version), (
            f"requirements.txt pins {name}=={exact.version}, outside {declared[name]}")
        assert not any(s.operator in ("==", "===") for s in declared[name].specifier), (
            f"pyproject.toml should give {name} a range, not a pin")


def test_checkout_uses_its_templates_folder() -> None:
    from factsheet import cli, paths
    from factsheet.output import render
    assert paths.TEMPLATES == ROOT / "templates"
    assert cli.TEMPLATES == render.TEMPLATES == paths.TEMPLATES


def test_wheel_holds_the_package_and_every_template_and_nothing_else(built: tuple[Path, Path]) -> None:
    src, wheel = built
    dist_info = "-".join(wheel.name.split("-")[:2]) + ".dist-info"
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        modules = {p.relative_to(src).as_posix() for p in (src / "factsheet").rglob("*.py")}
        assert {"factsheet/cli.py", "factsheet/content/model.py", "factsheet/build/pipeline.py"} <= modules
        templates = {p.relative_to(src / "templates").as_posix()
                     for p in (src / "templates").rglob("*") if p.is_file()}
        assert {"handout.html.j2", "handout.css", "strings/en.yaml"} <= templates
        package = {n for n in names if n.startswith("factsheet/")}
        assert package == modules | {f"factsheet/templates/{t}" for t in templates}
        for t in templates:
            assert z.read(f"factsheet/templates/{t}") == (src / "templates" / t).read_bytes(), t
        # no facts/, tests/, output/, benchmarks/, build.py or top-level templates/
        assert {n.split("/")[0] for n in names} == {"factsheet", dist_info}
        scripts = configparser.ConfigParser()
        scripts.read_string(z.read(f"{dist_info}/entry_points.txt").decode())
        assert dict(scripts["console_scripts"]) == {"factsheet": "factsheet.cli:main"}


def test_installed_package_reads_its_own_templates(venv: Path, tmp_path: Path) -> None:
    out = _ok([venv / "bin" / "python", "-c",
               "import factsheet, factsheet.paths as p, factsheet.output.render as r\n"
               "print(factsheet.__file__); print(p.TEMPLATES); print(r.TEMPLATES)"],
              cwd=tmp_path).stdout.split("\n")
    package = Path(out[0]).parent
    assert package.is_relative_to(venv.resolve()) or package.is_relative_to(venv)
    assert Path(out[1]) == Path(out[2]) == package / "templates"
    assert (package / "templates" / "strings" / "en.yaml").is_file()


def _same(text: str, name: str) -> str:
    text = re.sub(r"\[\d+(?:\.\d+)?s\]", "[time]", text)  # how long it took
    # each names itself as it was run, and argparse wraps the usage to fit that name
    text = re.sub(rf"(usage: |Run '|^  ){re.escape(name)}\b", r"\1COMMAND", text, flags=re.M)
    return " ".join(text.split())


@pytest.mark.parametrize(("args", "code"), [
    (["--version"], 0),
    (["--help"], 0),
    (["check", "--facts", str(FACTS)], 0),
    (["check", "--facts", "no-facts"], 1),  # content errors (an empty folder)
    (["status"], 2),                        # a wrong command line
    (["no-such-command"], 2),
], ids=["version", "help", "check", "content-errors", "usage-error", "unknown-command"])
def test_command_equals_build_py(venv: Path, tmp_path: Path, args: list[str], code: int) -> None:
    """Same output and exit code, run from a folder that is not the checkout."""
    results = []
    for name, cmd, shown in (("installed", [venv / "bin" / "factsheet"], "factsheet"),
                             ("checkout", [sys.executable, ROOT / "build.py"], "python build.py")):
        cwd = tmp_path / name
        (cwd / "no-facts").mkdir(parents=True)
        done = _run([*cmd, *args], cwd)
        if args == ["--help"]:  # the help and its examples name the command the user typed
            assert done.stdout.startswith(f"usage: {shown} ") and f"  {shown} check --strict" \
                in done.stdout, done.stdout
        results.append((done.returncode, _same(done.stdout, shown), _same(done.stderr, shown)))
    assert results[0][0] == code, results[0]
    assert results[0] == results[1]


def test_installed_command_builds_the_same_handout(venv: Path, tmp_path: Path) -> None:
    args = ["--facts", FACTS, "--handout", "ketamine-depression", "--jurisdiction", "us",
            "--variant", "basics", "--jobs", "1"]
    _ok([venv / "bin" / "factsheet", *args, "--output", tmp_path / "installed"], cwd=tmp_path)
    _ok([sys.executable, ROOT / "build.py", *args, "--output", tmp_path / "checkout"], cwd=tmp_path)
    for name in ("ketamine-depression/us-basics.pdf", "ketamine-depression/us-basics.html",
                 "manifest.json"):
        made = (tmp_path / "installed" / name).read_bytes()
        assert made == (tmp_path / "checkout" / name).read_bytes(), name
    assert (tmp_path / "installed" / "ketamine-depression" / "us-basics.pdf").read_bytes()[:5] == b"%PDF-"
