"""YAML events to a node tree: the parser, and a composer that refuses what content
never needs.

Part of stage 1, load (see :mod:`factsheet.content.load`): nesting deeper than
:data:`MAX_DEPTH`, anchors, aliases and several documents are refused here, each with
its line, before any value is built.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..problems import Problem, Where
from .load import LINE_BREAK, LoadError, Path_, dotted

# The deepest real content is 7 levels (a list of mappings inside a mapping inside a list ...);
# a file nested deeper than this is a mistake, and far deeper nesting crashes the parser.
MAX_DEPTH = 50


class _NoImplicitTypes(yaml.resolver.BaseResolver):
    """Tags every plain scalar as text; we resolve ``null`` ourselves."""

    yaml_implicit_resolvers: dict = {}


try:  # the C parser is several times faster on large catalogues
    from yaml.cyaml import CParser

    class Loader(CParser, yaml.constructor.BaseConstructor, _NoImplicitTypes):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.constructor.BaseConstructor.__init__(self)
            _NoImplicitTypes.__init__(self)

except ImportError:  # pragma: no cover - PyYAML built without libyaml

    class Loader(  # type: ignore[no-redef]
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


def compose(loader: Any, path: Path, text: str) -> Node | None:
    """Build the node tree from the parser's events, without recursion.

    PyYAML's own composer recurses once per level of nesting: a few thousand levels raise
    RecursionError, and a few hundred thousand overflow the C stack.  Here the open
    collections are kept on a list, and a file nested deeper than :data:`MAX_DEPTH` is
    refused as soon as the parser reaches that depth.  Anchors, aliases and several
    documents are refused here too.
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
                Where(path, event.start_mark.line + 1, dotted(_open_path(open_)) or None),
                f"'*{event.anchor}' is read by YAML as an alias, a copy of a value marked "
                f"'&{event.anchor}' elsewhere. Anchors and aliases ('&name' and '*name') are "
                "not allowed.",
                "Write the value out in full where it is needed. If "
                f"'*{event.anchor}' is part of the text, put the whole value in quotes (\"...\")."))
        if getattr(event, "anchor", None) is not None:  # refused where it is defined
            raise LoadError(_anchor_problem(event, open_, path, text))
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


def _open_path(open_: list[list]) -> Path_:
    """The path of the node the parser has reached, from the collections open around it."""
    path: list[str | int] = []
    for node, key in open_:
        if isinstance(node, SequenceNode):
            path.append(len(node.value))
        elif isinstance(key, ScalarNode):  # inside the value of this key
            path.append(key.value)
        else:  # a key itself, or inside a key that is not plain text
            break
    return tuple(path)


def _anchor_problem(event: Any, open_: list[list], path: Path, text: str) -> Problem:
    """``statement: &x helps`` is the text ``helps`` with an anchor named ``x``: say so."""
    name, mark = "&" + event.anchor, event.start_mark
    lines = LINE_BREAK.split(text)
    found = lines[mark.line].find(name, mark.column) if mark.line < len(lines) else -1
    column = (found if found >= 0 else mark.column) + 1  # after a tag ('!t &x') if there is one
    is_key = bool(open_) and isinstance(open_[-1][0], MappingNode) and open_[-1][1] is None
    what = "key" if is_key else "value"
    repeat = f"Where '*{event.anchor}' repeats this value elsewhere, write the value out in " \
             "full there instead."
    if isinstance(event, yaml.ScalarEvent):
        fix = f"If '{name}' is part of the text, put the whole {what} in quotes (\"...\"); if " \
              f"it is not, remove it. {repeat}"
    else:  # before a list or a block of keys, where it cannot be text
        fix = f"Remove '{name}'. {repeat}"
    return Problem(
        Where(path, mark.line + 1, dotted(_open_path(open_)) or None),
        f"'{name}' at the start of a {what} (column {column}) is read by YAML as an anchor "
        f"name, and the text '{name}' is dropped. This tool does not use anchors.",
        fix)


def _tag(tag: str | None, kind: type) -> str:
    if tag is None or tag == "!":  # no tag, or the non-specific '!': the default for its kind
        return {ScalarNode: yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG,
                SequenceNode: yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
                MappingNode: yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG}[kind]
    return tag


def syntax_problem(exc: yaml.MarkedYAMLError, path: Path) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    what = (exc.problem or exc.context or "unreadable YAML").rstrip(".")
    return Problem(
        Where(path, line),
        f"The YAML could not be read: {what}.",
        "Check the indentation on this line and the one above it. Every 'key: value' needs "
        "a space after the colon, and text that contains ': ' or ' #' must be in quotes.",
    )
