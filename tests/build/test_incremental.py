"""Incremental, reproducible builds: what is rebuilt and why, what is deleted, and the reprint report."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

from conftest import ROOT, edit

from factsheet.build.manifest import Fingerprints, reasons
from factsheet.build.pipeline import Options, build
from factsheet.content.model import Variant
from factsheet.problems import Report
from factsheet.output.render import TEMPLATES, body_font
from factsheet.content.validate import load_catalogue

STANDARD = ["--variant", "standard"]


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file()}


def rebuilt(content: Path, out: Path, **extra) -> dict[str, list[str]]:
    options = Options(facts=content, output=out, jobs=1, **extra)
    return build(options).rebuilt


def test_second_build_writes_nothing(run, content, tmp_path):
    out = tmp_path / "out"
    code, stdout, _ = run("--facts", str(content), "--output", str(out))
    assert code == 0 and "12 output(s) rebuilt" in stdout
    before = snapshot(out)
    # no input changed: the fast path answers without loading anything
    code, stdout, _ = run("--facts", str(content), "--output", str(out))
    assert code == 0
    assert "No input changed since the last build: nothing to rebuild, nothing written." in stdout
    assert "Draft (awaiting clinical review): widgetol" in stdout
    assert snapshot(out) == before
    # a full check of every file comes to the same answer, and writes nothing either
    import os
    os.utime(content / "sources.yaml")  # touched, not changed: the fast path cannot tell
    code, stdout, _ = run("--facts", str(content), "--output", str(out))
    assert "0 output(s) rebuilt, 0 deleted, 0 file(s) written" in stdout
    assert "No printed edition changed: nothing to reprint." in stdout
    after = snapshot(out)
    after.pop(".build-inputs.json"), before.pop(".build-inputs.json")  # the touch is recorded
    assert after == before


def test_no_change_build_does_not_import_weasyprint(content, tmp_path):
    out = tmp_path / "out"
    code = [sys.executable, "-c",
            "import sys; from factsheet.cli import main; "
            f"main(['--facts', {str(content)!r}, '--output', {str(out)!r}, '--variant', 'standard', "
            "'--jobs', '1']); "
            "print('weasyprint loaded:', 'weasyprint' in sys.modules)"]
    first = subprocess.run(code, cwd=ROOT, capture_output=True, text=True, check=True)
    assert "weasyprint loaded: True" in first.stdout
    second = subprocess.run(code, cwd=ROOT, capture_output=True, text=True, check=True)
    assert "weasyprint loaded: False" in second.stdout
    assert "No input changed since the last build" in second.stdout
    third = subprocess.run([*code[:2], code[2].replace("'--jobs', '1'", "'--jobs', '1', '--force'")],
                           cwd=ROOT, capture_output=True, text=True, check=True)
    assert "12 output(s) rebuilt" not in third.stdout and "4 output(s) rebuilt" in third.stdout


def test_fact_change_rebuilds_only_outputs_that_print_it(content, tmp_path):
    out = tmp_path / "out"
    rebuilt(content, out)
    edit(content / "topics" / "widgetol.yaml", "In Alphaland, widgetol is a Class C thing.",
         "In Alphaland, widgetol is a Class C drug.")
    why = rebuilt(content, out)
    assert sorted(why) == ["widgetol/aa-basics.html", "widgetol/aa-basics.pdf",
                           "widgetol/aa-flyer.pdf", "widgetol/aa-large-print.pdf",
                           "widgetol/aa.html", "widgetol/aa.pdf"]
    assert why["widgetol/aa.pdf"] == ["fact alpha-widgetol-class-c changed"]


def test_shared_fact_change_rebuilds_every_jurisdiction(content, tmp_path):
    out = tmp_path / "out"
    rebuilt(content, out)
    edit(content / "topics" / "widgetol.yaml", "Widgetol may make you sleepy.",
         "Widgetol may make you very sleepy.")
    why = rebuilt(content, out)
    assert len(why) == 12 and all(r == ["fact widgetol-sleepy changed"] for r in why.values())


def test_source_change(content, tmp_path):
    out = tmp_path / "out"
    rebuilt(content, out)
    edit(content / "sources.yaml", "title: Beta Drugs Order", "title: Beta Drugs Order 2001")
    why = rebuilt(content, out)
    assert sorted(why) == ["widgetol/bb-basics.html", "widgetol/bb-basics.pdf",
                           "widgetol/bb-flyer.pdf", "widgetol/bb-large-print.pdf",
                           "widgetol/bb.html", "widgetol/bb.pdf"]
    assert why["widgetol/bb.html"] == ["source beta-law changed"]


def test_jurisdiction_change(content, tmp_path):
    out = tmp_path / "out"
    rebuilt(content, out)
    edit(content / "jurisdictions.yaml", "Talk to someone any time.", "Talk to someone, day or night.")
    why = rebuilt(content, out)
    assert {rel.split("/")[1][:2] for rel in why} == {"aa"}
    assert why["widgetol/aa.pdf"] == ["jurisdiction aa changed"]


def test_clinic_change_rebuilds_everything(content, tmp_path):
    out = tmp_path / "out"
    rebuilt(content, out)
    edit(content / "clinic.yaml", "name: Fixture Clinic", "name: Fixture Clinic North")
    why = rebuilt(content, out)
    assert len(why) == 12 and all(r == ["clinic settings changed"] for r in why.values())


def test_option_change_builds_only_the_new_outputs(content, tmp_path):
    from factsheet.content import model as m

    out = tmp_path / "out"
    rebuilt(content, out, variants=[m.Variant.STANDARD])
    why = rebuilt(content, out, variants=[m.Variant.STANDARD], papers=[m.Paper.LETTER])
    assert why == {"widgetol/aa-letter.pdf": ["new output"],
                   "widgetol/bb-letter.pdf": ["new output"]}
    assert rebuilt(content, out, variants=[m.Variant.STANDARD], papers=[m.Paper.LETTER]) == {}


def test_missing_output_file_is_rebuilt(content, tmp_path):
    out = tmp_path / "out"
    rebuilt(content, out)
    (out / "widgetol" / "bb.pdf").unlink()
    assert rebuilt(content, out) == {"widgetol/bb.pdf": ["file missing from output/"]}


def test_template_change_is_a_reason(content, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    cat = load_catalogue(content, Report())
    fonts = body_font().faces_by_name()
    before = Fingerprints(cat, templates, fonts).templates
    (templates / "handout.css").write_text((templates / "handout.css").read_text() + "\n/* x */")
    after = Fingerprints(cat, templates, fonts).templates
    old = {f"template {k}": v for k, v in before.items()}
    new = {f"template {k}": v for k, v in after.items()}
    assert reasons(old, new, exists=True) == ["template handout.css changed"]


def test_removed_jurisdiction_deletes_its_outputs(run, content, tmp_path):
    out = tmp_path / "out"
    rebuilt(content, out)
    edit(content / "handouts" / "widgetol.yaml", "jurisdictions: [aa, bb]", "jurisdictions: [aa]")
    edit(content / "handouts" / "widgetol.yaml", ", bb: beta-widgetol-schedule-2", "")
    code, stdout, _ = run("--facts", str(content), "--output", str(out))
    assert code == 0
    assert "widgetol/bb.pdf: deleted (its handout or jurisdiction was removed)" in stdout
    assert "Withdrawn: widgetol/bb is no longer built; remove its printed copies." in stdout
    assert not list((out / "widgetol").glob("bb*"))
    manifest = json.loads((out / "manifest.json").read_text())
    assert not [rel for rel in manifest["outputs"] if "/bb" in rel]
    assert "widgetol/bb" not in manifest["editions"]


def test_same_inputs_give_byte_identical_output(content, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    rebuilt(content, first)
    rebuilt(content, second)
    a, b = snapshot(first), snapshot(second)
    assert sorted(a) == sorted(b) and len(a) > 8
    assert [name for name in a if a[name] != b[name]] == []


def test_a_comment_line_removed_moves_the_lines_the_register_shows(content, tmp_path):
    """Found by the property test: deleting a comment line above the contacts changed no
    value, so the register (which shows each item's file and line) was not rewritten, and it
    differed from a clean build's."""
    out = tmp_path / "out"
    rebuilt(content, out, variants=[Variant.STANDARD])
    path = content / "jurisdictions.yaml"
    path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    rebuilt(content, out, variants=[Variant.STANDARD])
    clean = tmp_path / "clean"
    rebuilt(content, clean, variants=[Variant.STANDARD])
    assert (out / "register.html").read_bytes() == (clean / "register.html").read_bytes()


def test_status_says_whether_a_printed_copy_is_current(run, content, tmp_path):
    out = tmp_path / "out"
    rebuilt(content, out)
    manifest = json.loads((out / "manifest.json").read_text())
    old = manifest["editions"]["widgetol/aa"]["version"]
    code, stdout, _ = run("status", old, "--output", str(out))
    assert code == 0 and stdout.startswith("Current: Widgetol for sadness (widgetol/aa)")

    edit(content / "topics" / "widgetol.yaml", "Widgetol may make you sleepy.",
         "Widgetol may make you very sleepy.")
    rebuilt(content, out)
    new = json.loads((out / "manifest.json").read_text())["editions"]["widgetol/aa"]["version"]
    code, stdout, _ = run("status", old, "--output", str(out))
    assert code == 1
    assert stdout.splitlines() == [
        f"Out of date: Widgetol for sadness (widgetol/aa) version {old} has been replaced by "
        f"{new}. Reprint it. What changed since:",
        "  fact widgetol-sleepy reworded:",
        "    was: Widgetol may make you sleepy.",
        "    now: Widgetol may make you very sleepy.",
    ]
    code, stdout, _ = run("status", "2020-01-01-000000", "--output", str(out))
    assert code == 1 and "No edition with version 2020-01-01-000000" in stdout


def test_changes_report_lists_reworded_added_and_removed_facts(run, content, tmp_path):
    out = tmp_path / "out"
    rebuilt(content, out)
    edit(content / "topics" / "widgetol.yaml", "Widgetol may make you sleepy.",
         "Widgetol may make you very sleepy.")
    edit(content / "handouts" / "widgetol.yaml", "questions: [ask-about-widgetol]", "questions: []")
    edit(content / "handouts" / "widgetol.yaml", "ask: [ask-about-widgetol]", "ask: []")
    code, stdout, _ = run("--facts", str(content), "--output", str(out))
    assert "Reprint widgetol/aa: version" in stdout and "Reprint widgetol/bb: version" in stdout
    assert "  fact ask-about-widgetol removed: Is widgetol right for me?" in stdout
    page = BeautifulSoup((out / "changes.html").read_text(), "html.parser")
    sections = page.select("section.edition")
    assert [s.h3.get_text() for s in sections] == ["Widgetol for sadness: widgetol/aa",
                                                   "Widgetol for sadness: widgetol/bb"]
    text = sections[0].get_text(" ", strip=True)
    assert "Fact widgetol-sleepy reworded." in text
    assert "Was: Widgetol may make you sleepy." in text
    assert sections[0].select_one(".now").get_text() == "Now: Widgetol may make you very sleepy."
    assert "Fact ask-about-widgetol removed." in text


def test_timings_are_printed_on_request(run, content, tmp_path):
    code, stdout, _ = run("--facts", str(content), "--output", str(tmp_path / "o"), "--timings",
                          *STANDARD)
    assert code == 0
    assert "timings:" in stdout and "  pdf " in stdout and "  total " in stdout


def test_parallel_build_matches_serial_build(content, tmp_path):
    from factsheet.content import model as m

    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    build(Options(facts=content, output=serial, jobs=1, variants=[m.Variant.STANDARD]))
    build(Options(facts=content, output=parallel, jobs=2, variants=[m.Variant.STANDARD]))
    assert snapshot(serial) == snapshot(parallel)


def test_approval_is_reported_as_a_reprint_without_changed_words(run, content, tmp_path):
    from conftest import approve

    out = tmp_path / "out"
    rebuilt(content, out)
    [version] = approve(content, "aa")
    code, stdout, _ = run("--facts", str(content), "--output", str(out))
    assert f"Reprint widgetol/aa: version {version} is out of date; now 2026-03-01-{version.hash}." \
        in stdout
    assert "its approval changed" in stdout
    assert "widgetol/aa.pdf: approval changed" in stdout
    assert "widgetol/bb" not in stdout.split("Still current")[0].split("Reprint")[0]


# ---------------------------------------------------------------- a damaged build record


def _doctor_manifest(out: Path, names: list[str]) -> None:
    """Add entries for a handout that no longer exists: cleanup would delete each one."""
    path = out / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for name in names:
        data["outputs"][name] = {"handout": "gone", "jurisdiction": "aa",
                                 "version": "2026-01-01-000000", "deps": {}, "sha256": None}
    path.write_text(json.dumps(data), encoding="utf-8")
    (out / ".build-inputs.json").unlink()  # so that the build reads the record


def test_a_doctored_manifest_cannot_delete_files_outside_output(run, content, tmp_path):
    out = tmp_path / "out"
    assert run("--facts", str(content), "--output", str(out), *STANDARD)[0] == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    (out / "link").symlink_to(tmp_path)
    _doctor_manifest(out, ["../facts/clinic.yaml", str(victim), "link/victim.txt",
                           "widgetol/old.html"])
    (out / "widgetol" / "old.html").write_text("stale", encoding="utf-8")
    code, stdout, stderr = run("--facts", str(content), "--output", str(out), *STANDARD)
    assert code == 0, stderr
    assert (content / "clinic.yaml").is_file() and victim.read_text() == "keep me"
    # an entry inside output/ for a handout that is gone is still tidied away
    assert not (out / "widgetol" / "old.html").exists()
    warnings = [line for line in (stdout + stderr).splitlines() if "The build record names" in line]
    assert len(warnings) == 3, stdout + stderr
    assert any("'../facts/clinic.yaml'" in w for w in warnings)
    assert any(f"'{victim}'" in w for w in warnings)
    text = stdout + stderr
    assert ("  The build record names '../facts/clinic.yaml', which is not a file inside out/ or "
            "not a valid entry. It was ignored, and nothing outside the folder was touched.") in text
    assert "  How to fix: The record may have been edited or damaged. Delete out/manifest.json" in text
    # the record written back holds only what is really inside output/
    names = json.loads((out / "manifest.json").read_text())["outputs"]
    assert not any(".." in n or n.startswith("/") or n.startswith("link/") for n in names)


def test_a_manifest_of_the_wrong_shape_is_ignored_not_a_crash(run, content, tmp_path):
    out = tmp_path / "out"
    assert run("--facts", str(content), "--output", str(out), *STANDARD)[0] == 0
    (out / ".build-inputs.json").unlink()
    for broken in ["[1, 2]", '{"format": 1, "outputs": [1, 2]}', '"text"',
                   '{"format": 1, "outputs": {"a.html": 5}}']:
        (out / "manifest.json").write_text(broken, encoding="utf-8")
        code, _, stderr = run("--facts", str(content), "--output", str(out), *STANDARD)
        assert code == 0, (broken, stderr)
        assert "Traceback" not in stderr


def test_reworded_headings_are_a_new_version_and_the_report_says_so(content, tmp_path,
                                                                   monkeypatch):
    import factsheet.build.compose as compose
    from factsheet.content import model as m

    out = tmp_path / "out"
    first = build(Options(facts=content, output=out, jobs=1, variants=[m.Variant.STANDARD]))
    old = {v.jurisdiction.code: str(v.version) for v in first.views}
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    edit(templates / "strings" / "en.yaml", "risks: Risks and side effects",
         "risks: Risks and harms")
    monkeypatch.setattr(compose, "TEMPLATES", templates)  # where the version reads the words
    second = build(Options(facts=content, output=out, jobs=1, variants=[m.Variant.STANDARD]))
    assert all(str(v.version) != old[v.jurisdiction.code] for v in second.views)
    summary = second.changes.summary()
    assert summary.count("The headings and labels (templates/strings/en.yaml) were reworded.") \
        == len(old), summary
    page = BeautifulSoup((out / "changes.html").read_text(), "html.parser").get_text(" ")
    assert "The headings and labels (templates/strings/en.yaml) were reworded." in page
