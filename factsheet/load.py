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
  staff at the exact line of a problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import Problem, Where

Path_ = tuple[str | int, ...]

_NULLS = {"", "~", "null", "Null", "NULL"}
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
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LoadError(
            Problem(Where(path), f"The file could not be read: {exc.strerror}.",
                    "Check that the file exists and that you may read it.")
        ) from exc
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


def load_text(text: str, path: Path) -> Document:
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.composer.ComposerError as exc:
        if "expected a single document" in str(exc):
            mark = exc.problem_mark
            raise LoadError(
                Problem(Where(path, mark.line + 1 if mark else None),
                        "The file holds more than one YAML document (a line with only '---').",
                        "Keep one document per file: remove the extra '---' line.")
            ) from exc
        raise LoadError(_syntax_problem(exc, path)) from exc
    except yaml.MarkedYAMLError as exc:
        raise LoadError(_syntax_problem(exc, path)) from exc
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise LoadError(Problem(Where(path), f"The YAML could not be read: {exc}.")) from exc
    finally:
        loader.dispose()

    doc = Document(path=path, data=None)
    if root is None:
        doc.lines[()] = 1
        return doc
    doc.data = _Builder(doc).build(root, ())
    return doc


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

    def __init__(self, doc: Document):
        self.doc = doc
        self.seen: set[int] = set()

    def build(self, node: Node, path: Path_) -> Any:
        # a mapping value keeps its key's line, so an alias is reported where it is used
        line = self.doc.lines.setdefault(path, node.start_mark.line + 1)
        if id(node) in self.seen:
            self._fail(line, "Anchors and aliases ('&name' and '*name') are not allowed.",
                       "Write the value out in full where it is needed.")
        self.seen.add(id(node))
        if node.tag not in _STANDARD_TAGS:
            self._fail(line, f"The tag '{node.tag}' is not allowed.",
                       "Remove the '!' tag; write the value as plain text.")
        if isinstance(node, ScalarNode):
            if not node.style and node.value in _NULLS:  # plain (the C parser says "")
                return None
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

    def _fail(self, line: int, message: str, fix: str, field_path: Path_ | None = None) -> None:
        raise LoadError(Problem(Where(self.doc.path, line, dotted(field_path) if field_path else None),
                                message, fix))
