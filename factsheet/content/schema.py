"""JSON Schemas for the content files, generated from the model.

Each YAML file starts with a ``yaml-language-server`` comment that points at
one of these, so editors autocomplete fields and flag mistakes while staff
type.  A test fails when the committed schemas no longer match the model.
"""

from __future__ import annotations

import json
from pathlib import Path

from .model import FILE_MODELS

SCHEMA_DIR = "schema"


def schema_for(kind: str) -> dict:
    schema = FILE_MODELS[kind].model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"Fact sheet generator: {kind} file"
    return schema


def schema_text(kind: str) -> str:
    return json.dumps(schema_for(kind), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def schema_files(content_root: Path) -> dict[Path, str]:
    """Every schema file and the text it should hold."""
    folder = content_root / SCHEMA_DIR
    return {folder / f"{kind}.schema.json": schema_text(kind) for kind in FILE_MODELS}
