"""The command line: exit codes, clear messages without tracebacks, and nothing lost."""

from pathlib import Path

from conftest import edit

from factsheet import cli


def test_check_validates_and_writes_nothing(run, content, tmp_path):
    out = tmp_path / "out"
    code, stdout, stderr = run("check", "--facts", str(content), "--output", str(out))
    assert code == 0
    assert ("8 facts, 6 sources; 1 handout x 2 jurisdictions; 0 errors, 0 warnings; "
            "15 of 15 quotes verified") in stdout
    assert "Draft (awaiting clinical review): widgetol" in stdout
    assert not out.exists()


def test_content_error_exits_1_with_one_message_and_no_traceback(run, content, tmp_path):
    edit(content / "topics" / "widgetol.yaml", "evidence: low", "evidence: lowish")
    code, stdout, stderr = run("--facts", str(content), "--output", str(tmp_path / "out"))
    assert code == 1
    assert "Traceback" not in stderr
    assert stderr.count("error:") == 1
    assert "widgetol.yaml, line" in stderr and "field 'facts[2].evidence'" in stderr
    assert "Nothing was written." in stderr
    assert not (tmp_path / "out").exists()


def test_error_leaves_earlier_output_intact(run, content, tmp_path):
    out = tmp_path / "out"
    assert run("--facts", str(content), "--output", str(out))[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    # index, register, changes report, build manifest and input record, and per
    # jurisdiction two HTML pages (in detail, the basics) and four PDFs (standard,
    # large print, flyer, the basics)
    assert len(before) == 17
    edit(content / "sources.yaml", "kind: legislation", "kind: statute")
    assert run("--facts", str(content), "--output", str(out))[0] == 1
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in out.rglob("*.tmp")]


def test_strict_turns_warnings_into_errors(run, content, tmp_path):
    edit(content / "clinic.yaml", "fixture@clinic.test", "info@example.org")
    code, _, stderr = run("check", "--facts", str(content))
    assert code == 0 and "clinic.yaml, line 5" in stderr
    code, _, stderr = run("check", "--strict", "--facts", str(content))
    assert code == 1
    assert "warning: " in stderr and "clinic.yaml, line 5" in stderr
    assert "Warnings count as errors with --strict." in stderr


def test_usage_errors_exit_2(run, content):
    code, _, stderr = run("--handout", "nope", "--facts", str(content))
    assert code == 2
    assert "There is no handout 'nope'. Handouts: widgetol." in stderr
    code, _, stderr = run("--jurisdiction", "zz", "--facts", str(content))
    assert code == 2
    assert "There is no jurisdiction 'zz'. Jurisdictions: aa, bb." in stderr


def test_unknown_option_exits_2(capsys):
    try:
        cli.main(["--papr", "a4"])
    except SystemExit as exc:
        assert exc.code == 2
    else:
        raise AssertionError("argparse should exit")
    assert "Run 'python build.py --help' for help." in capsys.readouterr().err


def test_help_explains_commands_options_and_exit_codes(capsys):
    try:
        cli.main(["--help"])
    except SystemExit as exc:
        assert exc.code == 0
    text = capsys.readouterr().out
    for words in ("check", "schema", "--strict", "--handout", "--jurisdiction", "--paper",
                  "status VERSION", "watch", "--jobs", "--timings", "--variant",
                  "exit codes: 0 success, 1 errors in the content"):
        assert words in text


def test_selection_builds_only_what_was_asked(run, content, tmp_path):
    out = tmp_path / "out"
    code, stdout, _ = run("--facts", str(content), "--output", str(out), "--jurisdiction", "bb",
                          "--paper", "letter")
    assert code == 0
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == [".build-inputs.json", "changes.html", "index.html", "manifest.json",
                     "register.html", "widgetol/bb-basics-letter.pdf", "widgetol/bb-basics.html",
                     "widgetol/bb-flyer-letter.pdf",
                     "widgetol/bb-large-print-letter.pdf", "widgetol/bb-letter.pdf",
                     "widgetol/bb.html"]


def test_internal_error_is_short_without_debug(run, content, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("simulated failure")

    import factsheet.build.pipeline

    monkeypatch.setattr(factsheet.build.pipeline, "check", boom)
    code, _, stderr = run("check", "--facts", str(content))
    assert code == 3
    assert "internal error: RuntimeError: simulated failure" in stderr
    assert "Traceback" not in stderr


def test_schema_command_writes_the_schemas(run, content):
    for path in (content / "schema").glob("*.json"):
        path.unlink()
    code, stdout, _ = run("schema", "--facts", str(content))
    assert code == 0
    assert sorted(p.name for p in (content / "schema").glob("*.json")) == [
        "clinic.schema.json", "facts.schema.json", "glossary.schema.json", "handout.schema.json",
        "jurisdictions.schema.json", "sources.schema.json", "wording.schema.json"]


def test_build_script_runs_from_the_project_folder(run):
    root = Path(__file__).resolve().parent.parent
    code, stdout, _ = run("check", cwd=root)
    assert code == 0
    assert "ketamine-depression" in stdout


def test_command_line_names_match_the_model():
    from factsheet.content import model as m

    assert cli.PAPERS == tuple(p.value for p in m.Paper)
    assert cli.VARIANTS == tuple(v.value for v in m.Variant)


def test_fast_path_notices_a_new_file_and_a_changed_setting(run, content, tmp_path):
    out = tmp_path / "out"
    assert run("--facts", str(content), "--output", str(out), "--variant", "standard")[0] == 0
    _, stdout, _ = run("--facts", str(content), "--output", str(out), "--variant", "standard")
    assert "No input changed" in stdout
    (content / "topics" / "more.yaml").write_text("facts: []\n")
    _, stdout, _ = run("--facts", str(content), "--output", str(out), "--variant", "standard")
    assert "No input changed" not in stdout and "0 output(s) rebuilt" in stdout
    _, stdout, _ = run("--facts", str(content), "--output", str(out), "--variant", "standard",
                       "--strict")
    assert "No input changed" not in stdout
