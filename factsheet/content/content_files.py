"""Which files in the content folder are content: links that lead out of it, and YAML
files the build does not read.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from pathlib import Path

from ..paths import inside
from ..problems import Problem, Where


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
