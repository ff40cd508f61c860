"""The strict YAML loader: no silent conversions, no lost keys, lines kept."""

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REAL_FACTS, ROOT, edit, line_of

from factsheet.content import load
from factsheet.content.load import LoadError, load_file, load_text

P = Path("facts/topics/x.yaml")


def test_values_stay_as_typed():
    doc = load_text("a: no\nb: 2025-01-02\nc: 007\nd: 1.10\ne: yes\n", P)
    assert doc.data == {"a": "no", "b": "2025-01-02", "c": "007", "d": "1.10", "e": "yes"}


def test_null_and_empty_become_none_but_quoted_null_is_text():
    doc = load_text('a: null\nb: ~\nc:\nd: "null"\n', P)
    assert doc.data == {"a": None, "b": None, "c": None, "d": "null"}


def test_lines_are_recorded_for_keys_and_items():
    doc = load_text("facts:\n  - id: one\n    quote: |\n      text\n  - id: two\n", P)
    assert doc.line_of(("facts", 0, "id")) == 2
    assert doc.line_of(("facts", 0, "quote")) == 3
    assert doc.line_of(("facts", 1)) == 5
    # a path that does not exist points at its nearest parent
    assert doc.line_of(("facts", 1, "missing")) == 5


def problem(text: str):
    with pytest.raises(LoadError) as info:
        load_text(text, P)
    return info.value.problem


def test_duplicate_key_names_both_lines():
    p = problem("id: a\ntitle: one\ntitle: two\n")
    assert p.where.line == 3
    assert p.where.field == "title"
    assert "appears twice in the same block (first on line 2)" in p.message
    assert p.fix


def test_duplicate_key_inside_a_list_item():
    p = problem("facts:\n  - id: a\n    id: b\n")
    assert (p.where.line, p.where.field) == (3, "facts[0].id")


def test_aliases_are_refused_where_they_are_used():
    # with its anchor ('&x', refused first: see below) quoted, the alias has its own error
    p = problem("a: '&x hello'\nb: *x\n")
    assert p.where.line == 2
    assert "Anchors and aliases" in p.message
    assert p.where.field == "b" and "'*x' is read by YAML as an alias" in p.message


QUOTE = "If '&x' is part of the text, put the whole value in quotes"
REMOVE = "Remove '&x'."  # before a list or a block, where quotes would not help


@pytest.mark.parametrize("text, line, column, field, fix", [
    ("id: a\nstatement: &x helps depression\n", 2, 12, "statement", QUOTE),
    ("facts:\n  - &x helps\n", 2, 5, "facts[0]", QUOTE),
    ("facts:\n  - id: a\n    quotes: [one, &x two]\n", 3, 19, "facts[0].quotes[1]", QUOTE),
    ("a: !!str &x helps\n", 1, 10, "a", QUOTE),
    ("a: &x\n", 1, 4, "a", QUOTE),
    ("facts: &x\n  - id: a\n", 1, 8, "facts", REMOVE),
    ("facts: &x [a, b]\n", 1, 8, "facts", REMOVE),
    ("facts:\n  - &x\n    id: a\n", 2, 5, "facts[0]", REMOVE),
    ("clinic: &x\n  name: A clinic\n", 1, 9, "clinic", REMOVE),
], ids=["value", "list-item", "flow-item", "after-tag", "empty", "list", "flow-list",
        "block-in-list", "block"])
def test_an_anchor_is_refused_where_it_is_defined(text, line, column, field, fix):
    p = problem(text)
    assert (p.where.line, p.where.field) == (line, field)
    assert p.message == (f"'&x' at the start of a value (column {column}) is read by YAML as "
                         "an anchor name, and the text '&x' is dropped. This tool does not "
                         "use anchors.")
    assert p.fix.startswith(fix) and (fix == QUOTE or "quotes" not in p.fix)


def test_an_anchor_on_a_key_is_refused():
    p = problem("id: a\n&x title: Widgetol\n")
    assert (p.where.line, p.where.field) == (2, None)
    assert "'&x' at the start of a key (column 1)" in p.message
    assert "put the whole key in quotes" in p.fix


def test_an_anchor_is_refused_before_the_alias_that_uses_it():
    p = problem("a: &x hello\nb: *x\n")
    assert (p.where.line, p.where.field) == (1, "a")
    assert "anchor name" in p.message
    assert "Where '*x' repeats this value elsewhere, write the value out in full" in p.fix


@pytest.mark.parametrize("text, value", [
    ("a: '&x helps'\n", "&x helps"),
    ('a: "&x helps"\n', "&x helps"),
    ("a: |\n  &x helps\n", "&x helps\n"),
    ("a: Q&A session\n", "Q&A session"),
    ("a: [one, '&x two']\n", ["one", "&x two"]),
])
def test_an_ampersand_in_quotes_or_inside_text_is_kept(text, value):
    assert load_text(text, P).data == {"a": value}


def test_tags_are_refused():
    p = problem("a: !!python/object:os.system 1\n")
    assert "tag" in p.message


def test_several_documents_are_refused():
    p = problem("a: 1\n---\nb: 2\n")
    assert p.where.line == 2
    assert "more than one YAML document" in p.message


def test_syntax_error_has_line_and_plain_advice():
    p = problem("title: Ketamine\nstatement: one: two\n")
    assert p.where.line == 2
    assert p.message.startswith("The YAML could not be read")
    assert "quotes" in p.fix


def test_bad_encoding_is_reported_with_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"a: ok\nb: caf\xe9\n")
    with pytest.raises(LoadError) as info:
        load_file(path)
    assert info.value.problem.where.line == 2
    assert "UTF-8" in info.value.problem.message


def test_a_file_with_only_a_comment_is_empty():
    p = problem("# only a comment\n")
    assert "The file is empty" in p.message
    assert "must hold a mapping of keys" in p.message


# ---------------------------------------------------------------- bad input, through the command


def failed_check(run, content: Path, *args: str) -> str:
    """Check the content with the real command; it must stop with exit 1 and no traceback."""
    code, stdout, stderr = run("check", "--facts", str(content), *args)
    assert code == 1, stdout + stderr
    assert "Traceback" not in stdout + stderr and "internal error" not in stderr
    assert "Nothing was written." in stderr
    return stderr


def checked(run, content: Path, *args: str) -> str:
    code, stdout, stderr = run("check", "--facts", str(content), *args)
    assert code == 0, stdout + stderr
    assert "Traceback" not in stdout + stderr
    return stdout + stderr


def failed_command(content: Path) -> str:
    """The same in a separate process, for input that crashed, hung or ate memory before.

    Its time and memory are bounded, so a failure cannot take the test run down with it.
    """
    def bounded() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--facts",
                           str(content)], capture_output=True, text=True, timeout=60,
                          preexec_fn=bounded)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert "Nothing was written." in done.stderr
    return done.stderr


def nested(depth: int) -> str:
    return "language: en\nfacts: " + "[" * depth + "]" * depth + "\n"


@pytest.mark.parametrize("depth", [51, 4_000])
def test_deep_nesting_is_refused_with_its_file_and_line(run, content, depth):
    (content / "topics" / "deep.yaml").write_text(nested(depth), encoding="utf-8")
    stderr = failed_check(run, content)
    assert "topics/deep.yaml, line 2" in stderr
    assert "nested more than 50 levels deep" in stderr


def test_nesting_of_50_levels_is_read_and_51_is_refused():
    # the mapping at the top of the file is the first level
    value = load_text("a: " + "[" * 49 + "x" + "]" * 49 + "\n", P).data["a"]
    for _ in range(48):
        (value,) = value
    assert value == ["x"]
    p = problem("a: " + "[" * 50 + "x" + "]" * 50 + "\n")
    assert "nested more than 50 levels deep" in p.message


@pytest.mark.parametrize("text", ["a: " + "[" * 200_000 + "]" * 200_000 + "\n",
                                  "a:\n" + "- " * 500_000 + "x\n",
                                  "a: " + "{b: " * 100_000 + "c" + "}" * 100_000 + "\n"],
                         ids=["200k-brackets", "500k-block-list", "100k-braces"])
def test_very_deep_nesting_does_not_crash_and_is_quick(content, text):
    # before the fix this segfaulted (or raised RecursionError)
    (content / "topics" / "deep.yaml").write_text(text, encoding="utf-8")
    started = time.perf_counter()
    stderr = failed_command(content)
    assert time.perf_counter() - started < 10  # the whole command, start-up included: ~0.5 s
    assert "deep.yaml, line" in stderr and "nested more than 50 levels" in stderr


def test_deep_nesting_is_refused_before_anything_is_built():
    # (200,000 levels are tried in a separate process above: they crashed the old parser)
    started = time.perf_counter()
    p = problem("a: " + "[" * 5_000 + "]" * 5_000 + "\n")
    assert time.perf_counter() - started < 1  # about a millisecond
    assert p.where.line == 1 and "nested more than 50 levels deep" in p.message


@pytest.mark.parametrize("text, held", [("- a\n- b\n", "holds a list"),
                                        ("hello\n", "holds a single value"),
                                        ('"hello"\n', "holds a single value"),
                                        ("", "The file is empty"),
                                        ("# only a comment\n", "The file is empty"),
                                        ("---\n", "The file is empty"),
                                        ("~\n", "The file is empty")])
def test_a_topic_file_that_is_not_a_mapping_is_a_clear_error(run, content, text, held):
    (content / "topics" / "odd.yaml").write_text(text, encoding="utf-8")
    stderr = failed_check(run, content)
    assert "topics/odd.yaml" in stderr
    assert "must hold a mapping of keys (name: value lines)" in stderr and held in stderr
    assert stderr.count("error:") == 1


@pytest.mark.parametrize("name", ["clinic.yaml", "sources.yaml", "handouts/widgetol.yaml"])
def test_any_content_file_that_is_a_list_is_a_clear_error(run, content, name):
    (content / name).write_text("- a\n", encoding="utf-8")
    stderr = failed_check(run, content)
    assert f"{name}, line 1" in stderr and "must hold a mapping of keys" in stderr


def test_a_fifo_is_refused_without_waiting(content):
    os.mkfifo(content / "topics" / "pipe.yaml")  # reading it waited forever before the fix
    stderr = failed_command(content)
    assert "topics/pipe.yaml" in stderr
    assert "This is a pipe (FIFO), not an ordinary file, so it was not read." in stderr


def test_a_link_to_a_fifo_inside_the_content_folder_is_refused(content):
    os.mkfifo(content / "pipe")
    (content / "topics" / "pipe.yaml").symlink_to(content / "pipe")
    stderr = failed_command(content)
    assert "topics/pipe.yaml" in stderr
    assert f"'pipe.yaml' is a link to a pipe (FIFO) ('{content / 'pipe'}'), not an ordinary file" \
        in stderr


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/stdin", "/dev/null"])
def test_a_link_to_a_device_is_refused(content, device):
    # /dev/zero was read until memory ran out, /dev/stdin waited for input
    (content / "topics" / "device.yaml").symlink_to(device)
    stderr = failed_command(content)
    assert "topics/device.yaml" in stderr and f"is a link to '{device}'" in stderr
    assert "leads outside the content folder, so it was not read" in stderr


def test_a_device_or_a_folder_is_not_read(tmp_path):
    with pytest.raises(LoadError) as info:
        load_file(Path("/dev/null"))  # a device that, unlike /dev/zero, ends at once
    assert "This is a device, not an ordinary file" in info.value.problem.message
    (tmp_path / "x.yaml").mkdir()
    with pytest.raises(LoadError) as info:
        load_file(tmp_path / "x.yaml")
    assert "This is a folder, not an ordinary file" in info.value.problem.message


def test_a_link_out_of_the_content_folder_is_never_read(run, content, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("language: en\nfacts: [{id: secret}]\n", encoding="utf-8")
    (content / "topics" / "linked.yaml").symlink_to(outside)
    (content / "wording.yaml").unlink()
    (content / "wording.yaml").symlink_to(outside)
    stderr = failed_check(run, content)
    assert "'topics/linked.yaml' is a link to" in stderr
    assert "'wording.yaml' is a link to" in stderr
    assert "secret" not in stderr  # nothing of the outside file was read
    assert stderr.count("error:") == 2


def test_a_link_within_the_content_folder_is_read(run, content):
    shared = content / "shared"
    shared.mkdir()
    (content / "topics" / "widgetol.yaml").rename(shared / "widgetol.yaml")
    (content / "topics" / "widgetol.yaml").symlink_to(Path("..") / "shared" / "widgetol.yaml")
    output = checked(run, content)
    assert "0 errors, 0 warnings" in output


def test_a_file_larger_than_the_limit_is_refused(run, content):
    big = content / "topics" / "big.yaml"
    big.write_text("language: en\nnote: " + "x" * load.MAX_BYTES + "\n", encoding="utf-8")
    stderr = failed_check(run, content)
    assert "topics/big.yaml" in stderr and "too large to be content: over 2 MB" in stderr


class _SpyFile:
    """Stands for an open file: records how much is asked of it."""

    def __init__(self, stream, sizes: list, grow: Path | None = None):
        self.stream, self.sizes = stream, sizes
        if grow is not None:  # the file grows between the size check and the read
            with open(grow, "ab") as more:
                more.write(b"x" * 1000)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stream.close()

    def fileno(self):
        return self.stream.fileno()

    def read(self, size=-1):
        self.sizes.append(size)
        return self.stream.read(size)


@pytest.mark.parametrize("grows", [False, True])
def test_a_file_is_never_read_past_the_limit(tmp_path, monkeypatch, grows):
    path = tmp_path / "x.yaml"
    path.write_text("a: b\n", encoding="utf-8")
    sizes: list = []
    fdopen = os.fdopen
    monkeypatch.setattr(load, "MAX_BYTES", 100)
    monkeypatch.setattr(load.os, "fdopen", lambda fd, mode: _SpyFile(
        fdopen(fd, mode), sizes, path if grows else None))
    if grows:
        with pytest.raises(LoadError) as info:
            load_file(path)
        assert "too large" in info.value.problem.message
    else:
        assert load_file(path).data == {"a": "b"}
    assert sizes == [101]


def test_real_content_is_far_inside_the_limits():
    files = sorted(REAL_FACTS.rglob("*.yaml"))
    assert files and max(f.stat().st_size for f in files) * 10 < load.MAX_BYTES


def test_text_that_is_not_utf8_is_reported_with_file_and_line(run, content):
    (content / "topics" / "latin1.yaml").write_bytes("language: en\nnote: caf\u00e9\n"
                                                    .encode("latin-1"))
    stderr = failed_check(run, content)
    assert "topics/latin1.yaml, line 2" in stderr
    assert "The file is not UTF-8 text" in stderr and "Save the file as UTF-8" in stderr


def test_a_utf16_file_is_reported_as_not_utf8(run, content):
    (content / "topics" / "utf16.yaml").write_bytes("language: en\n".encode("utf-16"))
    stderr = failed_check(run, content)
    assert "topics/utf16.yaml, line 1" in stderr and "not UTF-8" in stderr


def failed_edit(run, content: Path, old: str, new: str, marker: str) -> tuple[str, str]:
    """Edit topics/widgetol.yaml and check the content, which must fail: the errors, and
    the place (file and line) of the line holding ``marker``."""
    path = content / "topics" / "widgetol.yaml"
    edit(path, old, new)
    return failed_check(run, content), f"topics/widgetol.yaml, line {line_of(path, marker)}"


def test_a_control_character_is_reported_with_file_and_line(run, content):
    stderr, place = failed_edit(run, content, "Widgetol may make you sleepy.",
                                "Widgetol may make\x0c you sleepy.", "Widgetol may make")
    assert place in stderr
    assert "invisible control character (U+000C)" in stderr


def test_an_anchor_is_reported_with_file_line_and_field(run, content):
    stderr, place = failed_edit(run, content, "statement: Widgetol may make you sleepy.",
                                "statement: &x Widgetol may make you sleepy.", "&x Widgetol")
    assert f"{place}, field 'facts[2].statement'" in stderr
    assert "'&x' at the start of a value (column 16) is read by YAML as an anchor name" in stderr
    assert stderr.count("anchor name") == 1


def test_the_utf8_byte_order_mark_is_fine():
    assert load_text("\ufeffa: b\n", P).data == {"a": "b"}


# ---------------------------------------------------------------- ' #' that cuts a value short


def warnings_of(text: str) -> list:
    return load_text(text, P).warnings


def test_a_comment_after_a_plain_value_is_a_warning_with_line_and_field():
    (w,) = warnings_of("id: a\nstatement: ketamine helps depression #within one day\n")
    assert (w.severity, w.topic) == ("warning", "comment cuts text")
    assert (w.where.line, w.where.field) == (2, "statement")
    assert "ends at 'ketamine helps depression' and '#within one day' is left out" in w.message
    assert "quotes" in w.fix and "remove the '#'" in w.fix


@pytest.mark.parametrize("text, line, field", [
    ("a: value # one space before\n", 1, "a"),
    ("a: value  #no space after\n", 1, "a"),
    ("facts:\n  - id: x\n    plain: Call us on line #4\n", 3, "facts[0].plain"),
    ("a:\n  - item #x\n", 2, "a[0]"),
    ("a: a value on\n  two lines #cut\n", 2, "a"),
    ("a: caf\u00e9 \U0001F600 text #tag\n", 1, "a"),
])
def test_comments_that_cut_text_are_found(text, line, field):
    (w,) = warnings_of(text)
    assert (w.where.line, w.where.field) == (line, field)


@pytest.mark.parametrize("text", [
    "# a comment on its own line\na: value\n",
    'a: "quoted" # after a quoted value\n',
    "a: 'quoted' #after a quoted value\n",
    "a: # after a key with a block under it\n  b: c\n",
    "a: # after a key with a list under it\n  - b\n",
    "a: value  # a note: two spaces before, one after\n",
    "a: value\t# a note after a tab\n",
    "a: [b, c] # after a flow list\n",
    "a: {b: c} # after a flow block\n",
    "a: # an empty value\n",
    "a: ~ # null on purpose\n",
    "a: |\n  text # inside a block is kept\n",
    "a: C# and F#\n",
    "a: no#comment\n",
])
def test_comments_that_cut_nothing_are_fine(text):
    assert warnings_of(text) == []


def test_the_command_warns_about_a_comment_that_cut_a_statement(run, content):
    edit(content / "topics" / "widgetol.yaml", "statement: Widgetol may make you sleepy.",
         "statement: Widgetol may make you sleepy #within one day")
    output = checked(run, content)
    line = line_of(content / "topics" / "widgetol.yaml", "#within one day")
    assert f"topics/widgetol.yaml, line {line}, field 'facts[2].statement'" in output
    assert "'#within one day' is left out" in output
    assert "1 warning" in output
    code, _, stderr = run("check", "--facts", str(content), "--strict")
    assert code == 1 and "Traceback" not in stderr


# ---------------------------------------------------------------- files the build does not read


def test_yaml_files_the_build_does_not_read_are_named(run, content):
    (content / "extra.yaml").write_text("facts: []\n", encoding="utf-8")
    (content / "clinic.yml").write_text("a: b\n", encoding="utf-8")
    (content / "drafts").mkdir()
    (content / "drafts" / "new.yaml").write_text("facts: []\n", encoding="utf-8")
    (content / "topics" / "old").mkdir()
    (content / "topics" / "old" / "x.yml").write_text("facts: []\n", encoding="utf-8")
    (content / "topics" / "Shout.YAML").write_text("facts: []\n", encoding="utf-8")
    output = checked(run, content)
    assert "5 warnings (5 file not read)" in output
    for name in ["extra.yaml", "clinic.yml", "drafts/new.yaml", "topics/old/x.yml",
                 "topics/Shout.YAML"]:
        assert f"warning: {content / name}\n  This file is not read by the build" in output
    assert "at the top of the content folder only clinic.yaml" in output
    assert "If it is meant to be clinic.yaml, rename it." in output
    assert "Facts and claims belong in topics/, handouts in handouts/" in output
    assert "Move it into topics/ itself" in output
    assert "Rename it to Shout.yaml." in output
    failed_check(run, content, "--strict")


def test_files_that_are_expected_to_be_unread_give_no_warning(run, content):
    (content / "schema").mkdir()
    (content / "schema" / "facts.schema.json").write_text("{}", encoding="utf-8")
    (content / "schema" / "extra.yaml").write_text("a: b\n", encoding="utf-8")
    (content / "archive" / "notes.yaml").write_text("a: b\n", encoding="utf-8")
    (content / "archive" / "seeds").mkdir()
    (content / "archive" / "seeds" / "README.md").write_text("seeds\n", encoding="utf-8")
    (content / "README.md").write_text("about\n", encoding="utf-8")
    (content / "topics" / "README.md").write_text("about topics\n", encoding="utf-8")
    (content / ".editor.yaml").write_text("a: b\n", encoding="utf-8")
    (content / "notes.txt").write_text("text copies may live anywhere\n", encoding="utf-8")
    assert "0 errors, 0 warnings" in checked(run, content)


def test_real_content_gives_no_new_kind_of_warning():
    from factsheet.problems import Report
    from factsheet.content.validate import load_catalogue

    report = Report()
    load_catalogue(REAL_FACTS, report)
    assert [p.format() for p in report.problems
            if p.topic in ("comment cuts text", "file not read")] == []
    for path in sorted(REAL_FACTS.rglob("*.yaml")):
        assert load_file(path).warnings == [], path
