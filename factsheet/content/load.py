"""Stage 1, load: read YAML strictly and remember the line of every value.

PyYAML's ``safe_load`` quietly keeps the last of two duplicate keys, turns
``no`` into ``False`` and ``2025-01-02`` into a date.  For hand-edited health
content each of those is a silent error, so this loader:

* refuses duplicate keys, explicit tags, anchors and aliases, and several
  documents in one file;
* keeps every plain value as the text that was typed, except ``null``/``~``
  and an empty value, which become ``None``; the model then decides whether
  a field needs a number, a date or a yes/no, and says so when it cannot;
* records the line of every key and list item, so later stages can point
  staff at the exact line of a problem;
* reads only ordinary files of a sane size (a FIFO or a device would hang the
  build), refuses nesting deeper than :data:`.yaml_nodes.MAX_DEPTH` before building
  anything (deep nesting crashes a recursive parser), and requires the file
  to hold a mapping of keys;
* warns where a `` #`` after an unquoted value cut the text short, since YAML
  reads it as the start of a comment.

This module reads the file; :mod:`.yaml_nodes` turns the parser's events into a
node tree, :mod:`.yaml_values` turns that into plain values with their lines, and
:mod:`.content_files` says which files in the content folder are content.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..problems import Problem, Where
# Which files in the content folder are content: validate.py imports these from here.
from .content_files import outside_problem, unread_files  # noqa: F401

Path_ = tuple[str | int, ...]

# The largest real file is about 50 KB; a file this big is not hand-written content.
MAX_BYTES = 2 * 1024 * 1024

# Characters YAML does not allow in a file (control characters, mostly pasted from PDFs).
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# YAML's line breaks; the parser counts lines by these, so the raw lines must be split alike.
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


@dataclass
class Document:
    """One loaded YAML file: its data and the line of each value in it."""

    path: Path
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    # things worth a warning that are not errors, e.g. a ' #' that cut a value short
    warnings: list[Problem] = field(default_factory=list)

    def line_of(self, path: Path_) -> int:
        """Line of the value at ``path``, or of its nearest parent that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def where(self, path: Path_, field_name: str | None = None) -> Where:
        return Where(self.path, self.line_of(path), field_name or dotted(path), self.entry_of(path))

    def entry_of(self, path: Path_) -> str | None:
        """The id (or code) of the innermost list entry on ``path``, to name it to staff."""
        entry, node = None, self.data
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                break
            if isinstance(part, int) and isinstance(node, dict):
                name = node.get("id") or node.get("code")
                entry = name if isinstance(name, str) else entry
        return entry


def dotted(path: Path_) -> str:
    """``('facts', 2, 'citations', 0, 'quote')`` -> ``facts[2].citations[0].quote``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


class LoadError(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.message)


def load_file(path: Path) -> Document:
    """Read one YAML file strictly.  Raises :class:`LoadError` with file and line."""
    raw = _read(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LoadError(
            Problem(Where(path, line),
                    "The file is not UTF-8 text (it may have been saved in another encoding).",
                    "Save the file as UTF-8 in your editor.")
        ) from exc
    return load_text(text, path)


def _read(path: Path) -> bytes:
    """The bytes of an ordinary file of at most :data:`MAX_BYTES`; never blocks on a FIFO."""
    try:
        info = os.stat(path)  # follows a symlink: the type of what it leads to is what counts
        _check_type(path, info.st_mode)
        _check_size(path, info.st_size)
        # O_NONBLOCK: should the file be swapped for a FIFO after the stat, open does not hang
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as stream:
            _check_type(path, os.fstat(stream.fileno()).st_mode)
            raw = stream.read(MAX_BYTES + 1)  # never more, however large the file has grown
    except OSError as exc:
        raise LoadError(
            Problem(Where(path), f"The file could not be read: {exc.strerror or exc}.",
                    "Check that the file exists and that you may read it.")
        ) from exc
    _check_size(path, len(raw))
    return raw


def _check_type(path: Path, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        kind = "a folder"
    elif stat.S_ISFIFO(mode):
        kind = "a pipe (FIFO)"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    else:
        kind = "something other than a file"
    what = f"This is {kind}"
    if path.is_symlink():  # named here: a file's place is shown with its links followed
        try:
            what = f"'{path.name}' is a link to {kind} ('{os.readlink(path)}')"
        except OSError:  # pragma: no cover - replaced while being read
            what = f"'{path.name}' is a link to {kind}"
    raise LoadError(Problem(
        Where(path), f"{what}, not an ordinary file, so it was not read.",
        "Content must be ordinary text files saved from an editor: replace it with one, "
        "or remove it."))


def _check_size(path: Path, size: int) -> None:
    if size > MAX_BYTES:
        raise LoadError(Problem(
            Where(path),
            f"The file is too large to be content: over {MAX_BYTES / (1024 * 1024):g} MB, "
            "far more than any hand-written content file needs, so it was not read.",
            "Check that this is the right file. Split a very long file into several files in "
            "the same folder."))


def load_text(text: str, path: Path) -> Document:
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        line = len(LINE_BREAK.findall(text, 0, bad.start())) + 1
        raise LoadError(Problem(
            Where(path, line),
            f"This line holds an invisible control character (U+{ord(bad.group()):04X}) that "
            "a YAML file may not contain; it often comes with text copied from a PDF or a "
            "word processor.",
            "Delete the character: retype the text around it, or delete and retype the line."))
    # imported here, not at the top: these modules use Document and LoadError from this one
    from .yaml_nodes import Loader, compose, syntax_problem
    from .yaml_values import Builder, check_mapping

    loader = Loader(text)
    try:
        root = compose(loader, path, text)
    except yaml.MarkedYAMLError as exc:
        raise LoadError(syntax_problem(exc, path)) from exc
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise LoadError(Problem(Where(path), f"The YAML could not be read: {exc}.")) from exc
    finally:
        loader.dispose()

    doc = Document(path=path, data=None)
    check_mapping(root, path)
    assert root is not None
    doc.data = Builder(doc, text).build(root, ())
    return doc
