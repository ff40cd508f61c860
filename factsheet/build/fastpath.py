"""The no-change fast path: when no input file has changed since the last build, say so.

A full check costs about a second on a large catalogue (loading and validating every
file).  Before that, ``build`` compares the size and modification time of every input
file (facts/, archived copies included, and templates/), the build settings and every
file in output/ with the record left by the last successful build.  If all match, that build's result still
holds: nothing is loaded, imported or written.  This module imports nothing heavy.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

STATE = ".build-inputs.json"


def _files(folder: Path) -> list[Path]:
    found = []
    for top, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        found.extend(Path(top) / n for n in sorted(names) if not n.startswith("."))
    return found


def _stat(paths: list[Path]) -> dict[str, list[int]]:
    stats = {}
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            continue
        stats[str(path.resolve())] = [info.st_size, info.st_mtime_ns]
    return stats


def _outputs(output: Path) -> dict[str, list[int]]:
    """Size and time of every file in output/, by name inside it, links not followed.

    Comparing them catches a handout deleted, cut short or replaced since the last build,
    which the inputs alone cannot show.  (The state file itself is left out: it is
    written after this is taken.)
    """
    stats = {}
    for path in _files(output):
        try:
            info = path.lstat()
        except OSError:
            continue
        stats[path.relative_to(output).as_posix()] = [info.st_mode, info.st_size,
                                                     info.st_mtime_ns]
    return stats


def settings_key(settings: dict) -> str:
    """The build settings and software versions a result depends on."""
    versions = {name: metadata.version(name) for name in ("weasyprint", "jinja2", "pydantic")}
    text = json.dumps({"settings": settings, "versions": versions}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def record(output: Path, facts: Path, templates: Path, key: str, summary: str,
           warnings: str) -> None:
    """After a successful build: remember what it was built from, and what it reported."""
    from ..output.write import atomic_write

    state = {"key": key, "summary": summary, "warnings": warnings,
             "inputs": _stat(_files(facts) + _files(templates)), "outputs": _outputs(output)}
    text = json.dumps(state, sort_keys=True, indent=1) + "\n"
    path = output / STATE
    try:  # bytes: the old state file is data from disk, and may be anything
        same = path.read_bytes() == text.encode("utf-8")
    except OSError:
        same = False
    if not same:
        atomic_write(path, text)


def forget(output: Path) -> None:
    """No shortcut for the next build: it checks everything."""
    try:
        (output / STATE).unlink()
    except OSError:  # none there, or not a file: either way it cannot match this output
        pass


def unchanged(output: Path, facts: Path, templates: Path, key: str) -> tuple[str, str] | None:
    """The last build's (summary, warnings), if nothing it depends on has changed."""
    try:
        state = json.loads((output / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict):
        return None
    if state.get("key") != key or not (output / "manifest.json").exists():
        return None
    if _stat(_files(facts) + _files(templates)) != state.get("inputs"):
        return None
    if _outputs(output) != state.get("outputs"):
        return None
    summary, warnings = state.get("summary"), state.get("warnings")
    if not isinstance(summary, str) or not isinstance(warnings, str):
        return None
    return summary, warnings
