"""Stage 2, validate: pydantic's errors as problems, with the YAML line and a fix.

Each error pydantic raises for a file is mapped to the line and field where it is
written, with a hint in plain words: the field names allowed there, the values
allowed, or the form a value must take.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel

from .load import Document, dotted
from ..problems import Report, Where


def is_misspelling_echo(error: dict, errors: list[dict]) -> bool:
    """A misspelt key shows up twice: unknown 'statment' and missing 'statement'.

    Report it once, as the unknown key with its suggestion.
    """
    if error["type"] != "missing":
        return False
    parent, name = tuple(error["loc"][:-1]), str(error["loc"][-1])
    unknown = [str(e["loc"][-1]) for e in errors
               if e["type"] == "extra_forbidden" and tuple(e["loc"][:-1]) == parent]
    return bool(difflib.get_close_matches(name, unknown, n=1))


def report_pydantic_error(error: dict, doc: Document, model_cls: type, report: Report) -> None:
    loc = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    name = str(loc[-1]) if loc and isinstance(loc[-1], str) else dotted(loc)

    if kind == "missing":
        where = Where(doc.path, doc.line_of(loc[:-1]), dotted(loc), doc.entry_of(loc))
        report.error(where, f"The required field '{name}' is missing.",
                     f"Add a line '{name}: ...' to this entry." + _describe(model_cls, loc))
        return

    where = doc.where(loc)
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model_cls, loc[:-1])
        close = difflib.get_close_matches(name, allowed, n=1)
        hint = f"Did you mean '{close[0]}'? " if close else ""
        report.error(where, f"'{name}' is not a known field here.",
                     f"{hint}Check the spelling. Fields allowed here: {', '.join(allowed)}.")
    elif kind in ("enum", "literal_error"):
        expected = error.get("ctx", {}).get("expected", "")
        report.error(where, f"'{value}' is not an allowed value for '{name}'.",
                     f"Use one of: {expected.replace(' or ', ', ')}.")
    elif kind in ("date_format", "date_impossible"):
        report.error(where, error["msg"],
                     "Write dates as YYYY-MM-DD, for example 2026-03-31, and check that the day "
                     "exists in that month.")
    elif kind == "string_pattern_mismatch":
        report.error(where, f"'{value}' is not in the right form for '{name}'.",
                     _pattern_fix(name))
    elif kind == "string_too_short":
        report.error(where, f"'{name}' is empty.", "Write a value, or remove the line.")
    elif kind == "too_short":
        report.error(where, f"'{name}' needs at least one item.",
                     "Add an item on its own line, starting with '- '.")
    elif kind == "string_type":
        if value is None:
            report.error(where, f"'{name}' is empty.", "Write a value, or remove the line.")
        else:
            report.error(where, f"'{name}' must be a single piece of text, not a list or a block.",
                         "Write the text on the same line after the colon, in quotes if it "
                         "contains ': ' or '#'.")
    elif kind == "list_type":
        report.error(where, f"'{name}' must be a list.",
                     "Put each item on its own line under it, starting with '- '.")
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        shown = "empty" if value is None else "a single value"
        report.error(where, f"'{name}' must be a block of 'key: value' lines, but it is {shown}.",
                     "Indent the fields of this block under it." + _describe(model_cls, loc))
    elif kind in ("int_parsing", "int_type", "int_from_float"):
        report.error(where, f"'{value}' is not a whole number.", "Write a number such as 12.")
    elif kind in ("greater_than_equal", "less_than_equal"):
        report.error(where, f"{value} is out of range for '{name}'.", error["msg"] + ".")
    else:  # a message from pydantic is still better than none
        report.error(where, f"{error['msg']}.", "Check this value against README.md.")


def _pattern_fix(name: str) -> str:
    if name in ("url", "website", "base_url"):
        return "Write a full web address starting with https://."
    if name in ("jurisdictions", "code") or "jurisdiction" in name:
        return "Use a lowercase country code such as 'us', 'uk', 'ca' or 'au'."
    if name in ("language", "languages"):
        return "Use a two-letter language code such as 'en' or 'es'."
    return ("Ids use lowercase letters, digits and single dashes, for example "
            "'ketamine-uk-class-b'.")


def _field_model(model_cls: Any, loc: tuple) -> Any:
    """Follow ``loc`` through the model's annotations to the model found there."""
    current = model_cls
    for part in loc:
        current = unwrap(current)
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = next((f for n, f in current.model_fields.items() if (f.alias or n) == part), None)
        if info is None:
            return None
        current = info.annotation
    return unwrap(current)


def unwrap(annotation: Any) -> Any:
    """``list[X]``, ``X | None`` and ``Annotated[X, ...]`` -> ``X``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin in (list, typing.Annotated):
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def _allowed_fields(model_cls: Any, loc: tuple) -> list[str]:
    target = _field_model(model_cls, loc)
    if isinstance(target, type) and issubclass(target, BaseModel):
        return [f.alias or n for n, f in target.model_fields.items()]
    return []


def _describe(model_cls: Any, loc: tuple) -> str:
    parent = _field_model(model_cls, loc[:-1])
    if isinstance(parent, type) and issubclass(parent, BaseModel):
        for n, info in parent.model_fields.items():
            if (info.alias or n) == loc[-1] and info.description:
                return f" It is: {info.description}"
    return ""
