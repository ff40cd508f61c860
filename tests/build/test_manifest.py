"""The build record keeps what is on disk and every printed version: interrupted builds,
altered outputs, --force, clinic details and damaged records never make it lie."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import ROOT, edit

from factsheet.content import model as m
from factsheet.build.pipeline import Options, build

STANDARD = ["--variant", "standard"]
SLEEPY = "Widgetol may make you sleepy."


HISTORY = {".build-inputs.json", "manifest.json", "changes.html"}


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != ".build-inputs.json"}


def published(out: Path) -> dict[str, bytes]:
    """What readers get; the record and the reprint report hold history a clean build lacks."""
    return {name: data for name, data in snapshot(out).items() if name not in HISTORY}


def version_of(out: Path, key: str = "widgetol/aa") -> str:
    return json.loads((out / "manifest.json").read_text())["editions"][key]["version"]


def clean_build(content: Path, tmp_path: Path, *args: str) -> dict[str, bytes]:
    from factsheet.cli import main

    out = tmp_path / "clean"
    assert main(["--facts", str(content), "--output", str(out), "--jobs", "1", *args]) == 0
    return published(out)


def test_an_interrupted_build_cannot_leave_reverted_wording_in_output(run, content, tmp_path,
                                                                      monkeypatch):
    import factsheet.build.pipeline as pipeline

    out = tmp_path / "out"
    assert run("--facts", str(content), "--output", str(out), *STANDARD)[0] == 0
    edit(content / "topics" / "widgetol.yaml", SLEEPY, "Widgetol may make you very sleepy.")

    def interrupted(*args, **kwargs):  # the HTML has landed, then the build is stopped
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "render_all", interrupted)
    assert run("--facts", str(content), "--output", str(out), *STANDARD)[0] == 130
    assert "very sleepy" in (out / "widgetol" / "aa.html").read_text()
    monkeypatch.undo()
    edit(content / "topics" / "widgetol.yaml", "Widgetol may make you very sleepy.", SLEEPY)
    code, stdout, _ = run("--facts", str(content), "--output", str(out), *STANDARD)
    assert code == 0
    assert "very sleepy" not in (out / "widgetol" / "aa.html").read_text()
    assert published(out) == clean_build(content, tmp_path, *STANDARD)


def test_what_landed_before_an_interruption_is_on_record(content, tmp_path, monkeypatch):
    import factsheet.build.manifest as manifest
    import factsheet.build.pipeline as pipeline

    out = tmp_path / "out"
    build(Options(facts=content, output=out, jobs=1))
    edit(content / "topics" / "widgetol.yaml", SLEEPY, "Widgetol may make you very sleepy.")
    monkeypatch.setattr(manifest.Landing, "__init__",
                        lambda self, old, new, output, every=1.0: _landing(self, old, new, output))
    monkeypatch.setattr(pipeline, "render_all", lambda *a, **k: (_ for _ in ()).throw(
        KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        build(Options(facts=content, output=out, jobs=1))
    record = json.loads((out / "manifest.json").read_text())
    html = out / "widgetol" / "aa.html"
    import hashlib

    assert record["outputs"]["widgetol/aa.html"]["sha256"] == hashlib.sha256(
        html.read_bytes()).hexdigest()
    new_version = record["outputs"]["widgetol/aa.html"]["version"].rsplit("-", 1)[1]
    assert new_version in record["versions"]  # status can answer for a copy printed from it
    assert record["editions"]["widgetol/aa"]["hash"] != new_version  # not current until done


def _landing(self, old, new, output):
    self.record, self.new, self.output, self.every = old.copy(), new, output, 0.0
    self.saved = 0.0


@pytest.mark.parametrize("damage", ["delete", "truncate", "edit"])
def test_a_damaged_output_is_restored_by_a_plain_build(run, content, tmp_path, damage):
    out = tmp_path / "out"
    assert run("--facts", str(content), "--output", str(out), *STANDARD)[0] == 0
    pdf = out / "widgetol" / "bb.pdf"
    before = pdf.read_bytes()
    if damage == "delete":
        pdf.unlink()
    elif damage == "truncate":
        pdf.write_bytes(before[:1000])
    else:
        page = out / "widgetol" / "bb.html"
        page.write_text(page.read_text().replace("sleepy", "wide awake"))
    code, stdout, _ = run("--facts", str(content), "--output", str(out), *STANDARD)
    assert code == 0 and "No input changed" not in stdout  # the fast path noticed
    assert pdf.read_bytes() == before
    assert "wide awake" not in (out / "widgetol" / "bb.html").read_text()
    assert published(out) == clean_build(content, tmp_path, *STANDARD)


def test_a_logo_replaced_under_the_same_name_reaches_the_output(run, content, tmp_path):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect fill="{}" ' \
          'width="40" height="20"/></svg>'
    (content / "logo.svg").write_text(svg.format("#000"), encoding="utf-8")
    edit(content / "clinic.yaml", "paper: a4", "paper: a4\nlogo: logo.svg")
    out = tmp_path / "out"
    assert run("--facts", str(content), "--output", str(out), *STANDARD)[0] == 0
    old = version_of(out)
    (content / "logo.svg").write_text(svg.format("#c00"), encoding="utf-8")
    why = build(Options(facts=content, output=out, jobs=1, variants=[m.Variant.STANDARD])).rebuilt
    assert why["widgetol/aa.pdf"] == ["clinic logo changed"]
    assert version_of(out) != old
    import base64

    assert "#c00" in base64.b64decode(
        (out / "widgetol" / "aa.html").read_text().split("data:image/svg+xml;base64,")[1]
        .split('"')[0]).decode()


@pytest.mark.parametrize("field,old,new", [
    ("phone", '"0100 000 000"', '"0100 999 999"'),
    ("email", "fixture@clinic.test\npaper", "desk@clinic.test\npaper"),
])
def test_clinic_contact_details_are_part_of_the_version(run, content, tmp_path, field, old, new):
    out = tmp_path / "out"
    assert run("--facts", str(content), "--output", str(out), *STANDARD)[0] == 0
    printed = version_of(out)
    edit(content / "clinic.yaml", old, new)
    code, stdout, _ = run("--facts", str(content), "--output", str(out), *STANDARD)
    assert code == 0
    assert f"Reprint widgetol/aa: version {printed} is out of date" in stdout
    assert f"clinic {field} reworded" in stdout
    code, stdout, _ = run("status", printed, "--output", str(out))
    assert code == 1 and stdout.startswith("Out of date")
    assert f"clinic {field} reworded" in stdout


def test_force_rerenders_without_forgetting_earlier_versions(run, content, tmp_path):
    out = tmp_path / "out"
    assert run("--facts", str(content), "--output", str(out), *STANDARD)[0] == 0
    first = version_of(out)
    edit(content / "topics" / "widgetol.yaml", SLEEPY, "Widgetol may make you very sleepy.")
    assert run("--facts", str(content), "--output", str(out), *STANDARD)[0] == 0
    # a forced build that stops on a content error writes nothing and forgets nothing
    edit(content / "clinic.yaml", "paper: a4", "paper: a3")
    code, _, stderr = run("--force", "--facts", str(content), "--output", str(out), *STANDARD)
    assert code == 1 and "Nothing was written" in stderr
    code, stdout, _ = run("status", first, "--output", str(out))
    assert code == 1 and "very sleepy" in stdout and "never built here" not in stdout
    # a forced build that succeeds re-renders every output, and still knows the old copy
    edit(content / "clinic.yaml", "paper: a3", "paper: a4")
    why = build(Options(facts=content, output=out, jobs=1, force=True,
                        variants=[m.Variant.STANDARD])).rebuilt
    assert why and all(r == ["rebuild forced (--force)"] for r in why.values())
    code, stdout, _ = run("status", first, "--output", str(out))
    assert code == 1 and stdout.startswith("Out of date")


@pytest.mark.parametrize("damage", [
    b"\xff\xfe not utf-8",
    b'{"format": 1, "outputs": {"widgetol/aa.html": {"deps": 5}}, "editions": [], '
    b'"versions": {"x": 3}, "pages": {"index.html": {}}}',
    b'{"format": 1, "outputs": {"widgetol/aa.html": {"handout": "widgetol", '
    b'"jurisdiction": "aa", "version": 7, "deps": {"a": 1}}}}',
    b"[" * 100_000,
    b"null",
])
def test_a_damaged_record_is_a_warning_and_a_correct_build(run, content, tmp_path, damage):
    out = tmp_path / "out"
    assert run("--facts", str(content), "--output", str(out), *STANDARD)[0] == 0
    (out / "manifest.json").write_bytes(damage)
    (out / ".build-inputs.json").unlink()
    code, _, stderr = run("--facts", str(content), "--output", str(out), *STANDARD)
    assert code == 0, stderr
    assert "build record" in stderr and "Traceback" not in stderr
    assert published(out) == clean_build(content, tmp_path, *STANDARD)


def test_a_folder_in_place_of_the_record_is_a_clear_error(run, content, tmp_path):
    out = tmp_path / "out"
    (out / "manifest.json").mkdir(parents=True)
    code, _, stderr = run("--facts", str(content), "--output", str(out), *STANDARD)
    assert code == 1 and "manifest.json" in stderr
    assert "cannot be written: a folder has this file's name" in stderr
    assert not (out / "widgetol").exists()


@pytest.mark.parametrize("where", ["same", "parent", "inside"])
def test_an_output_folder_that_mixes_with_the_content_is_refused(run, content, where):
    output = {"same": content, "parent": content.parent, "inside": content / "out"}[where]
    before = sorted(p for p in content.parent.rglob("*"))
    code, _, stderr = run("--facts", str(content), "--output", str(output), *STANDARD)
    assert code == 2 and "content folder" in stderr
    assert sorted(p for p in content.parent.rglob("*")) == before


def test_a_read_only_output_stops_the_build_before_any_file_is_replaced(run, content, tmp_path):
    out = tmp_path / "out"
    assert run("--facts", str(content), "--output", str(out), *STANDARD)[0] == 0
    edit(content / "clinic.yaml", "name: Fixture Clinic", "name: Fixture Clinic North")
    locked = out / "widgetol" / "bb.pdf"
    locked.chmod(0o444)
    before = snapshot(out)
    code, _, stderr = run("--facts", str(content), "--output", str(out), *STANDARD)
    assert code == 1 and "the file is read-only" in stderr and "bb.pdf" in stderr
    assert snapshot(out) == before  # nothing half old, half new
    locked.chmod(0o644)
    assert run("--facts", str(content), "--output", str(out), *STANDARD)[0] == 0


def test_a_parallel_build_leaves_no_temporary_folders(content, tmp_path, monkeypatch):
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", None)
    build(Options(facts=content, output=tmp_path / "out", jobs=2))
    assert list(scratch.iterdir()) == []
    assert len(list((tmp_path / "out").rglob("*.pdf"))) == 8  # 2 places x 4 editions


def test_the_fast_path_does_not_follow_links_in_output(run, content, tmp_path):
    out = tmp_path / "out"
    assert run("--facts", str(content), "--output", str(out), *STANDARD)[0] == 0
    os.symlink("/nonexistent/elsewhere", out / "stray")
    code, stdout, _ = run("--facts", str(content), "--output", str(out), *STANDARD)
    assert code == 0  # a change in output/ means a full check, never a crash


def test_a_second_build_at_once_waits_for_the_first_and_loses_no_record(content, tmp_path):
    import subprocess
    import sys
    import time

    from factsheet.output.write import output_lock

    out = tmp_path / "out"
    command = [sys.executable, "build.py", "--facts", str(content), "--output", str(out),
               "--jobs", "1", *STANDARD]
    root = ROOT
    with output_lock(out):  # a first build holds output/
        second = subprocess.Popen([*command, "--jurisdiction", "bb"], cwd=root, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(3)
        assert second.poll() is None  # still waiting
    _, stderr = second.communicate(timeout=120)
    assert second.returncode == 0, stderr
    assert f"Another build is writing to {out}/: waiting for it to finish" in stderr
    first = subprocess.run([*command, "--jurisdiction", "aa"], cwd=root, text=True,
                           capture_output=True, timeout=120)
    assert first.returncode == 0, first.stderr
    editions = json.loads((out / "manifest.json").read_text())["editions"]
    assert set(editions) == {"widgetol/aa", "widgetol/bb"}
