"""The node tree to plain Python values, recording the line of every key and item.

Part of stage 1, load (see :mod:`factsheet.content.load`): every plain value stays the
text that was typed, tags are refused, and a `` #`` that cut a value short is a warning.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..problems import Problem, Where
from .load import LINE_BREAK, Document, LoadError, Path_, dotted

_NULLS = {"", "~", "null", "Null", "NULL"}
# Whitespace then '#' right after a plain value: YAML reads the rest of the line as a comment.
_TRAILING_COMMENT = re.compile(r"([ \t]+)(#.*)")
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


def check_mapping(root: Node | None, path: Path) -> None:
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


class Builder:
    """Turns composed nodes into plain Python values while recording lines."""

    def __init__(self, doc: Document, text: str = ""):
        self.doc = doc
        self.text_lines = LINE_BREAK.split(text)

    def build(self, node: Node, path: Path_) -> Any:
        # a mapping value keeps its key's line (aliases never get here: compose refuses them)
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
