"""Property tests: whatever is done to valid fact files or to the build record, the build
answers with a clear message (never a traceback, never exit 3), in bounded time; a failed
build leaves earlier output as it was; and a build that succeeds leaves output/ exactly as a
clean build of the same content would.

Hypothesis draws the damage: lines deleted, doubled, swapped, re-indented or cut; values
replaced by YAML's traps (anchors, tags, flow brackets, comments, dates that are not, huge or
deeply nested values, control characters, other scripts); random text or bytes.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import signal
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURE

from factsheet.cli import main

# one paper and one variant: every stage runs, in a second or two a build
OPTIONS = ["--jobs", "1", "--variant", "standard", "--paper", "a4"]
SECONDS = 60  # far above any build of the small fixture: only a hang goes past it
HISTORY = {".build-inputs.json", "manifest.json", "changes.html"}
CONTENT_FILES = sorted(p.relative_to(FIXTURE).as_posix() for p in FIXTURE.rglob("*")
                       if p.is_file())
YAML_FILES = [name for name in CONTENT_FILES if name.endswith(".yaml")]

TRAPS = ["", "~", "null", "[]", "{}", "[", "]", "{", "}", "'", '"', "- ", "-", ":", ": x",
         "&x", "*x", "&x text", "*x text", "!!python/object/apply:os.system ['true']",
         "!!binary aGk=", "!!str", "!include other.yaml", "<<: *x", "? key", "|", ">-",
         "# a comment", "text #not a comment", "yes", "no", "on", "0x1F", "1e400", "-0",
         "2026-13-45", "2026-02-30", "0000-00-00", "9999-12-31", "2026-01-10T10:00:00",
         "...", "---", "%YAML 1.1", "@x", "`x`", "\t", "\u00a0", "\u200b", "\ufeff",
         "\x07", "\x1b[31m", "é ñ 中文 עברית", "a" * 5000, "[" * 200 + "]" * 200,
         "{a: " * 60 + "b" + "}" * 60, "https://example.invalid/x",
         "../../etc/passwd", "/etc/passwd", "archive/../../x.txt", "{{ 7*7 }}",
         "<script>alert(1)</script>", "ketamine", "Widgetol may make you sleepy."]

_line_edit = st.tuples(st.sampled_from(["delete", "double", "swap", "indent", "dedent",
                                        "value", "insert", "cut"]),
                       st.integers(0, 10_000), st.integers(0, 10_000),
                       st.one_of(st.sampled_from(TRAPS), st.text(max_size=40)))
_file_damage = st.one_of(
    st.tuples(st.just("lines"), st.sampled_from(YAML_FILES), st.lists(_line_edit, min_size=1,
                                                                        max_size=4)),
    st.tuples(st.just("bytes"), st.sampled_from(CONTENT_FILES), st.binary(max_size=200)),
    st.tuples(st.just("truncate"), st.sampled_from(CONTENT_FILES), st.floats(0, 1)),
)


def damage_content(content: Path, damage: tuple) -> None:
    """Apply one drawn change to one content file."""
    kind, name, detail = damage
    path = content / name
    if kind == "bytes":
        data = path.read_bytes()
        at = len(data) // 2
        path.write_bytes(data[:at] + detail + data[at:])
        return
    if kind == "truncate":
        data = path.read_bytes()
        path.write_bytes(data[:int(len(data) * detail)])
        return
    lines = path.read_text(encoding="utf-8").splitlines()
    for action, i, j, text in detail:
        if not lines:
            lines = [text]
            continue
        i, j = i % len(lines), j % len(lines)
        if action == "delete":
            del lines[i]
        elif action == "double":
            lines.insert(i, lines[i])
        elif action == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "indent":
            lines[i] = "  " + lines[i]
        elif action == "dedent":
            lines[i] = lines[i][2:] if lines[i].startswith("  ") else lines[i].lstrip()
        elif action == "value":  # keep the key, change what follows it
            key, colon, _ = lines[i].partition(": ")
            lines[i] = f"{key}: {text}" if colon else f"{lines[i]} {text}"
        elif action == "insert":
            lines.insert(i, text)
        else:  # cut the line at a random point
            lines[i] = lines[i][: j % (len(lines[i]) + 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


class Hang(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: int):
    """Turn a hang into a failure (SIGALRM: the tests run in the main thread)."""
    def expired(signum, frame):
        raise Hang(f"no answer within {seconds} s")
    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def command(*args: str | Path) -> tuple[int, str, str]:
    """Run the command line in this process, as staff would run build.py."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), time_limit(SECONDS):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def files(folder: Path) -> dict[str, bytes]:
    """Every file in a folder tree, and what links point to (links are never followed)."""
    found = {}
    for p in sorted(folder.rglob("*")):
        name = p.relative_to(folder).as_posix()
        if p.is_symlink():
            found[name] = b"-> " + str(p.readlink()).encode()
        elif p.is_file():
            found[name] = p.read_bytes()
    return found


def published(out: Path) -> dict[str, bytes]:
    """What readers get: the record and the reprint report hold history a clean build lacks."""
    return {k: v for k, v in files(out).items() if k not in HISTORY}


def assert_clear_answer(code: int, stderr: str) -> None:
    assert code in (0, 1), (code, stderr)
    assert "Traceback" not in stderr and "internal error" not in stderr.lower(), stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """The fixture content and its clean build, made once: each example starts from copies."""
    root = tmp_path_factory.mktemp("built")
    content, out = root / "facts", root / "out"
    shutil.copytree(FIXTURE, content)
    code, _, stderr = command("--facts", content, "--output", out, *OPTIONS)
    assert code == 0, stderr
    return content, out


def copies(built: tuple[Path, Path], work: Path) -> tuple[Path, Path]:
    content, out = work / "facts", work / "out"
    shutil.copytree(built[0], content)
    shutil.copytree(built[1], out, symlinks=True)
    return content, out


PROPERTY = settings(max_examples=60, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
BUILDS = settings(PROPERTY, max_examples=40)


@PROPERTY
@given(damage=_file_damage)
def test_damaged_content_gets_a_clear_answer_from_check(built, damage):
    with tempfile.TemporaryDirectory() as work:
        content, _ = copies(built, Path(work))
        damage_content(content, damage)
        code, _, stderr = command("check", "--facts", content)
        assert_clear_answer(code, stderr)
        if code == 1:  # each problem names its file
            assert "error: " in stderr, stderr


@BUILDS
@given(damage=_file_damage)
def test_a_build_of_damaged_content_fails_cleanly_or_equals_a_clean_build(built, damage):
    with tempfile.TemporaryDirectory() as work:
        content, out = copies(built, Path(work))
        before = files(out)
        damage_content(content, damage)
        damaged = files(content)
        code, _, stderr = command("--facts", content, "--output", out, *OPTIONS)
        assert_clear_answer(code, stderr)
        assert files(content) == damaged  # the content is only read
        if code != 0:
            assert files(out) == before, "a failed build changed the earlier output"
            return
        clean = Path(work) / "clean"
        assert command("--facts", content, "--output", clean, *OPTIONS)[0] == 0
        assert published(out) == published(clean)


# ---------------------------------------------------------------- the build record


def _json_values():
    leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                       st.text(max_size=20), st.sampled_from(
                           ["../facts/clinic.yaml", "/etc/passwd", "../../sentinel.txt",
                            "widgetol/aa.pdf", "widgetol", ".", "", "\x00", "a" * 300]))
    return st.recursive(leaves, lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=12), children,
                                                        max_size=3)), max_leaves=8)


def _paths(data, prefix=()):
    """Every place in a JSON tree, for Hypothesis to pick one."""
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _paths(value, (*prefix, i))


_record_damage = st.one_of(
    st.tuples(st.just("replace"), st.integers(0, 10_000), _json_values()),
    st.tuples(st.just("delete"), st.integers(0, 10_000), st.none()),
    st.tuples(st.just("add key"), st.integers(0, 10_000),
              st.tuples(st.sampled_from(["../../sentinel.txt", "/etc/passwd",
                                         "../facts/clinic.yaml", "widgetol/zz.pdf", "x"]),
                        _json_values())),
    st.tuples(st.just("bytes"), st.integers(0, 10_000), st.binary(max_size=100)),
)


def damage_record(path: Path, damage: tuple) -> None:
    kind, where, value = damage
    data = path.read_bytes()
    if kind == "bytes":
        at = where % (len(data) + 1)
        path.write_bytes(data[:at] + value + data[at + len(value):])
        return
    record = json.loads(data)
    places = list(_paths(record))
    place = places[where % len(places)]
    if not place:  # the whole record
        record = value if kind == "replace" else ({} if kind == "delete" else {value[0]: value[1]})
    else:
        *parent_keys, last = place
        parent = record
        for key in parent_keys:
            parent = parent[key]
        if kind == "replace":
            parent[last] = value
        elif kind == "delete":
            del parent[last]
        elif isinstance(parent[last], dict):
            parent[last][value[0]] = value[1]
        else:
            parent[last] = {value[0]: value[1]}
    path.write_text(json.dumps(record), encoding="utf-8")


@settings(PROPERTY, max_examples=40)
@given(which=st.sampled_from(["manifest.json", ".build-inputs.json"]), damage=_record_damage)
def test_a_damaged_build_record_never_harms_and_the_build_repairs_output(built, which, damage):
    with tempfile.TemporaryDirectory() as work:
        content, out = copies(built, Path(work))
        sentinel = Path(work) / "sentinel.txt"
        sentinel.write_text("not the build's to touch", encoding="utf-8")
        facts_before = files(content)
        if (out / which).exists():
            damage_record(out / which, damage)
        code, _, stderr = command("--facts", content, "--output", out, *OPTIONS)
        assert code == 0, stderr  # the content is fine: a damaged record is only a warning
        assert "Traceback" not in stderr
        assert published(out) == published(built[1])  # a clean build of the same content
        assert sentinel.read_text(encoding="utf-8") == "not the build's to touch"
        assert files(content) == facts_before
        # and the record it wrote is whole again: the next build finds nothing to repair
        code, stdout, stderr = command("--facts", content, "--output", out, *OPTIONS)
        assert code == 0 and "damaged" not in stderr.lower(), stderr
        version = json.loads((built[1] / "manifest.json").read_text())["editions"][
            "widgetol/aa"]["version"]
        code, stdout, stderr = command("status", version, "--output", out)
        assert code == 0 and stdout.startswith("Current:"), (stdout, stderr)
