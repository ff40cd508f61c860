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
  build), refuses nesting deeper than :data:`MAX_DEPTH` before building
  anything (deep nesting crashes a recursive parser), and requires the file
  to hold a mapping of keys;
* warns where a `` #`` after an unquoted value cut the text short, since YAML
  reads it as the start of a comment.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..paths import inside
from ..problems import Problem, Where

Path_ = tuple[str | int, ...]

# The deepest real content is 7 levels (a list of mappings inside a mapping inside a list ...);
# a file nested deeper than this is a mistake, and far deeper nesting crashes the parser.
MAX_DEPTH = 50
# The largest real file is about 50 KB; a file this big is not hand-written content.
MAX_BYTES = 2 * 1024 * 1024

_NULLS = {"", "~", "null", "Null", "NULL"}
# Characters YAML does not allow in a file (control characters, mostly pasted from PDFs).
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# YAML's line breaks; the parser counts lines by these, so the raw lines must be split alike.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# Whitespace then '#' right after a plain value: YAML reads the rest of the line as a comment.
_TRAILING_COMMENT = re.compile(r"([ \t]+)(#.*)")
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


class _NoImplicitTypes(yaml.resolver.BaseResolver):
    """Tags every plain scalar as text; we resolve ``null`` ourselves."""

    yaml_implicit_resolvers: dict = {}


try:  # the C parser is several times faster on large catalogues
    from yaml.cyaml import CParser

    class _Loader(CParser, yaml.constructor.BaseConstructor, _NoImplicitTypes):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.constructor.BaseConstructor.__init__(self)
            _NoImplicitTypes.__init__(self)

except ImportError:  # pragma: no cover - PyYAML built without libyaml

    class _Loader(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        yaml.constructor.BaseConstructor,
        _NoImplicitTypes,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.BaseConstructor.__init__(self)
            _NoImplicitTypes.__init__(self)


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


def outside_problem(root: Path, path: Path) -> Problem | None:
    """A problem when ``path`` is a link that leads out of the content folder ``root``.

    Such a file is not read: content is data kept in the content folder, and a link
    elsewhere could pull any file on the computer into a handout or an error message.
    """
    if not os.path.lexists(path) or inside(root, path):
        return None
    try:
        target = os.readlink(path) if path.is_symlink() else None
    except OSError:
        target = None
    shown = f" to '{target}'" if target else ""
    try:  # named here as well: a file's place is shown with its links followed
        name = Path(os.path.relpath(path, root)).as_posix()
    except ValueError:  # pragma: no cover - another drive on Windows
        name = str(path)
    return Problem(
        Where(path), f"'{name}' is a link{shown}, which leads outside the content folder, "
                     "so it was not read.",
        "Copy the file into the content folder instead of linking to it, or remove the link.")


def load_text(text: str, path: Path) -> Document:
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        line = len(_LINE_BREAK.findall(text, 0, bad.start())) + 1
        raise LoadError(Problem(
            Where(path, line),
            f"This line holds an invisible control character (U+{ord(bad.group()):04X}) that "
            "a YAML file may not contain; it often comes with text copied from a PDF or a "
            "word processor.",
            "Delete the character: retype the text around it, or delete and retype the line."))
    loader = _Loader(text)
    try:
        root = _compose(loader, path)
    except yaml.MarkedYAMLError as exc:
        raise LoadError(_syntax_problem(exc, path)) from exc
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise LoadError(Problem(Where(path), f"The YAML could not be read: {exc}.")) from exc
    finally:
        loader.dispose()

    doc = Document(path=path, data=None)
    _check_mapping(root, path)
    assert root is not None
    doc.data = _Builder(doc, text).build(root, ())
    return doc


def _check_mapping(root: Node | None, path: Path) -> None:
    """Every content file is a mapping of keys: say so plainly when it is not."""
    if isinstance(root, MappingNode):
        return
    if root is None or (isinstance(root, ScalarNode) and not root.style and root.value in _NULLS):
        raise LoadError(Problem(
            Where(path, root.start_mark.line + 1 if root is not None else None),
            "The file is empty: this file must hold a mapping of keys (name: value lines), "
            "and it holds none.",
            "Write its content as 'name: value' lines (compare another file in the same "
            "folder, or README.md), or delete the file if it is not needed."))
    held = "a list (lines starting with '- ')" if isinstance(root, SequenceNode) else \
        "a single value"
    raise LoadError(Problem(
        Where(path, root.start_mark.line + 1),
        f"This file must hold a mapping of keys (name: value lines), but it holds {held}.",
        "Start the file with the key its content belongs to, for example 'facts:', and "
        "indent the rest under it (compare another file in the same folder, or README.md)."))


def _compose(loader: Any, path: Path) -> Node | None:
    """Build the node tree from the parser's events, without recursion.

    PyYAML's own composer recurses once per level of nesting: a few thousand levels raise
    RecursionError, and a few hundred thousand overflow the C stack.  Here the open
    collections are kept on a list, and a file nested deeper than :data:`MAX_DEPTH` is
    refused as soon as the parser reaches that depth.  Aliases and several documents
    are refused here too.
    """
    loader.get_event()  # StreamStart
    if loader.check_event(yaml.StreamEndEvent):
        return None
    loader.get_event()  # DocumentStart
    open_: list[list] = []  # [collection node, key waiting for its value]
    while True:
        event = loader.get_event()
        if isinstance(event, yaml.AliasEvent):  # refused where it is used
            raise LoadError(Problem(
                Where(path, event.start_mark.line + 1),
                "Anchors and aliases ('&name' and '*name') are not allowed.",
                "Write the value out in full where it is needed."))
        if isinstance(event, yaml.ScalarEvent):
            node: Node = ScalarNode(_tag(event.tag, ScalarNode), event.value,
                                    event.start_mark, event.end_mark, event.style)
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if len(open_) >= MAX_DEPTH:
                raise LoadError(Problem(
                    Where(path, event.start_mark.line + 1),
                    f"The content here is nested more than {MAX_DEPTH} levels deep "
                    "(lists and blocks inside each other); no content needs that many, "
                    "so the file was not read.",
                    "Look for a '[' or '{' that is never closed, or for text pasted by "
                    "mistake, and remove it."))
            cls = SequenceNode if isinstance(event, yaml.SequenceStartEvent) else MappingNode
            open_.append([cls(_tag(event.tag, cls), [], event.start_mark, None,
                              event.flow_style), None])
            continue
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            node = open_.pop()[0]
            node.end_mark = event.end_mark
        else:  # pragma: no cover - the parser sends only the events above inside a document
            raise yaml.YAMLError(f"unexpected {type(event).__name__}")
        if not open_:
            break
        frame = open_[-1]
        if isinstance(frame[0], SequenceNode):
            frame[0].value.append(node)
        elif frame[1] is None:
            frame[1] = node
        else:
            frame[0].value.append((frame[1], node))
            frame[1] = None
    loader.get_event()  # DocumentEnd
    if not loader.check_event(yaml.StreamEndEvent):
        event = loader.get_event()
        raise LoadError(Problem(
            Where(path, event.start_mark.line + 1),
            "The file holds more than one YAML document (a line with only '---').",
            "Keep one document per file: remove the extra '---' line."))
    return node


def _tag(tag: str | None, kind: type) -> str:
    if tag is None or tag == "!":  # no tag, or the non-specific '!': the default for its kind
        return {ScalarNode: yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG,
                SequenceNode: yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
                MappingNode: yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG}[kind]
    return tag


def _syntax_problem(exc: yaml.MarkedYAMLError, path: Path) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    what = (exc.problem or exc.context or "unreadable YAML").rstrip(".")
    return Problem(
        Where(path, line),
        f"The YAML could not be read: {what}.",
        "Check the indentation on this line and the one above it. Every 'key: value' needs "
        "a space after the colon, and text that contains ': ' or ' #' must be in quotes.",
    )


class _Builder:
    """Turns composed nodes into plain Python values while recording lines."""

    def __init__(self, doc: Document, text: str = ""):
        self.doc = doc
        self.text_lines = _LINE_BREAK.split(text)

    def build(self, node: Node, path: Path_) -> Any:
        # a mapping value keeps its key's line (aliases never get here: _compose refuses them)
        line = self.doc.lines.setdefault(path, node.start_mark.line + 1)
        if node.tag not in _STANDARD_TAGS:
            self._fail(line, f"The tag '{node.tag}' is not allowed.",
                       "Remove the '!' tag; write the value as plain text.")
        if isinstance(node, ScalarNode):
            if not node.style and node.value in _NULLS:  # plain (the C parser says "")
                return None
            if not node.style:
                self._check_comment_after(node, path)
            return node.value
        if isinstance(node, SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        assert isinstance(node, MappingNode)
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode) or key_node.tag not in _STANDARD_TAGS:
                self._fail(key_line, "A key must be plain text.",
                           "Write keys as simple words, for example 'title:'.")
            key = key_node.value
            if key in result:
                self._fail(
                    key_line,
                    f"The key '{key}' appears twice in the same block "
                    f"(first on line {first_line[key]}). Only one would be kept.",
                    "Delete one of the two lines. If they belong to two different entries, "
                    "start the second entry with '- '.",
                    field_path=path + (key,),
                )
            first_line[key] = key_line
            self.doc.lines[path + (key,)] = key_line
            # the key's line (set above) is the best pointer for its value too
            result[key] = self.build(value_node, path + (key,))
        return result

    def _check_comment_after(self, node: ScalarNode, path: Path_) -> None:
        """Warn when a ' #' right after an unquoted value made YAML drop the rest of the line.

        ``ketamine helps depression #within one day`` is read as the text ``ketamine helps
        depression`` and a comment.  A comment written as a deliberate note, with two
        spaces before the '#' and one after it (``paper: a4  # a4 or letter``), is left alone.
        """
        end = node.end_mark
        if end.line >= len(self.text_lines):
            return
        found = _TRAILING_COMMENT.match(self.text_lines[end.line], end.column)
        if not found:
            return
        gap, comment = found.groups()
        if (len(gap) >= 2 or "\t" in gap) and comment[1:2] in ("", " ", "\t"):
            return
        where = Where(self.doc.path, end.line + 1, dotted(path), self.doc.entry_of(path))
        kept = node.value if len(node.value) <= 40 else "..." + node.value[-37:]
        dropped = comment if len(comment) <= 40 else comment[:37] + "..."
        self.doc.warnings.append(Problem(
            where,
            f"YAML reads ' #' as the start of a comment, so this value ends at '{kept}' and "
            f"'{dropped}' is left out of it.",
            "If the '#' and the words after it belong to the text, put the whole value in "
            "quotes (\"...\"), or remove the '#'. If it is a note for editors, put it on a "
            "line of its own, or write two spaces before the '#' and one after it.",
            "warning", "comment cuts text"))

    def _fail(self, line: int, message: str, fix: str, field_path: Path_ | None = None) -> None:
        raise LoadError(Problem(Where(self.doc.path, line, dotted(field_path) if field_path else None),
                                message, fix))


# ---------------------------------------------------------------- files the build does not read

YAML_SUFFIXES = (".yaml", ".yml")


def unread_files(root: Path, read: Iterable[Path], top_files: Iterable[str],
                 folders: Iterable[str], kept: Iterable[str]) -> list[Problem]:
    """A warning for each YAML file under ``root`` that the build does not read.

    ``read`` is every file the build read (or tried to) in ``folders``, the folders whose
    ``*.yaml`` files it reads; ``top_files`` are the names it reads at the top of ``root``.
    Folders in ``kept`` (schemas, archived copies) hold files the build does not load
    as content on purpose, and are not looked at; nor are hidden files and README files.
    """
    root = Path(root)
    read = [Path(p) for p in read]
    done = {p.relative_to(root).as_posix() for p in read}
    targets = {_resolved(p) for p in read} - {None}  # a file reached through a link is read
    top_files, folders, kept = list(top_files), list(folders), set(kept)
    where_things_go = ("Facts and claims belong in topics/, handouts in handouts/; "
                       "keep drafts and old copies outside the content folder.")
    warnings = []
    for top, dirs, names in os.walk(root):
        here = Path(top).relative_to(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and (here.parts or d not in kept))
        for name in sorted(names):
            rel = (here / name).as_posix()
            if (name.startswith(".") or name.upper().startswith("README")
                    or not name.lower().endswith(YAML_SUFFIXES) or rel in done
                    or (not here.parts and name in top_files)
                    or _resolved(Path(top) / name) in targets):
                continue
            if not here.parts:
                close = difflib.get_close_matches(name.lower(), top_files, n=1, cutoff=0.8)
                why = ("at the top of the content folder only "
                       + ", ".join(top_files[:-1]) + f" and {top_files[-1]} are read")
                fix = (f"If it is meant to be {close[0]}, rename it. " if close else "") \
                    + where_things_go
            elif here.parts[0] in folders and len(here.parts) == 1:
                why = f"only names ending in .yaml or .yml, in lowercase, are read in {here}/"
                fix = f"Rename it to {Path(name).stem}{Path(name).suffix.lower()}."
            elif here.parts[0] in folders:
                why = (f"files in folders inside {here.parts[0]}/ are not read, only those "
                       f"in {here.parts[0]}/ itself")
                fix = f"Move it into {here.parts[0]}/ itself, or out of the content folder."
            else:
                why = f"files in {here}/ are not read"
                fix = where_things_go
            warnings.append(Problem(
                Where(Path(top) / name),
                f"This file is not read by the build, so nothing in it reaches a handout: {why}.",
                fix, "warning", "file not read"))
    return warnings


def _resolved(path: Path) -> Path | None:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return None
