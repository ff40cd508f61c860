"""Shared fixtures: a small content folder to break, and one real build to read."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from factsheet.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "minimal"
REAL_FACTS = ROOT / "facts"
TODAY = "2026-12-04"  # review dates are judged against a fixed day, so tests do not age


@pytest.fixture(autouse=True, scope="session")
def fixed_today():
    old = os.environ.get("FACTSHEET_TODAY")
    os.environ["FACTSHEET_TODAY"] = TODAY
    yield
    if old is None:
        os.environ.pop("FACTSHEET_TODAY", None)
    else:
        os.environ["FACTSHEET_TODAY"] = old


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A fresh, valid copy of the minimal fixture content, safe to edit."""
    target = tmp_path / "facts"
    shutil.copytree(FIXTURE, target)
    return target


FIXTURE_DAY = date(2026, 11, 21)  # the small fixture's check and review dates are judged on it


def problems_found(content: Path, today: date = FIXTURE_DAY, **options) -> list[str]:
    """Every problem (errors and warnings) that checking the content reports, as printed."""
    from factsheet.build.pipeline import Options, check
    from factsheet.problems import ContentError

    try:
        result = check(Options(facts=content, today=today, **options))
    except ContentError as exc:
        return [p.format(content) for p in exc.problems]
    return [p.format(content) for p in result.report.problems]


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a content file, failing loudly if the text is not there."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not found in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def approve(content: Path, *codes: str, on: str = "2026-03-01") -> list:
    """A clinician approves the current version of each named edition of the fixture handout.

    Returns those versions, as printed before the approval.
    """
    from factsheet.build.compose import handout_version
    from factsheet.problems import Report
    from factsheet.content.validate import load_catalogue

    cat = load_catalogue(content, Report())
    versions = [handout_version(cat, cat.handout("widgetol"), code) for code in codes]
    entries = "".join("\n  - name: Dr Test\n    role: Test psychiatrist\n"
                      f"    date: {on}\n    version: {version}" for version in versions)
    edit(content / "handouts" / "widgetol.yaml", "approvals: []", "approvals:" + entries)
    return versions


def line_of(path: Path, needle: str) -> int:
    """1-based line number of the first line containing ``needle``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


@pytest.fixture
def run(capsys, monkeypatch):
    """Run the command line in-process; returns (exit code, stdout, stderr)."""

    def _run(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return _run


@pytest.fixture(scope="session")
def real_build(tmp_path_factory) -> Path:
    """The real content, built once (HTML and A4 PDF) for the tests that read output."""
    out = tmp_path_factory.mktemp("real-output")
    code = main(["--facts", str(REAL_FACTS), "--output", str(out)])
    assert code == 0
    return out


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory) -> Path:
    """The minimal fixture, built once in both paper sizes."""
    out = tmp_path_factory.mktemp("fixture-output")
    code = main(["--facts", str(FIXTURE), "--output", str(out), "--paper", "a4",
                 "--paper", "letter"])
    assert code == 0
    return out


@pytest.fixture(scope="session")
def catalogue_real():
    from factsheet.problems import Report
    from factsheet.content.validate import load_catalogue

    report = Report()
    cat = load_catalogue(REAL_FACTS, report)
    assert not report.errors
    return cat


def figure_alts(path: Path) -> list[str]:
    """The alternative text of every Figure in a tagged PDF's structure tree."""
    import pikepdf

    alts = []
    with pikepdf.open(path) as pdf:
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure":
                    alts.append(str(node.get("/Alt", "")))
                kids = node.get("/K")
                stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids] if kids else [])
    return alts
