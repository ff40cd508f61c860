"""Paths named by data stay inside their folder.

Content files name archived copies, and output/manifest.json names outputs to tidy away.
Both are data, not instructions: a name that leads out of its folder (an absolute path,
``..``, a symlink pointing elsewhere) is refused wherever a path is read or deleted.
"""

from __future__ import annotations

from pathlib import Path


def inside(folder: Path, path: Path) -> bool:
    """True when ``path``, with every symlink followed, lies within ``folder``."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a symlink loop, or a path the system cannot resolve
        return False


def _templates() -> Path:
    """The templates folder: inside the package when installed (pyproject.toml ships the
    checkout's ``templates/`` as ``factsheet/templates/``), else ``templates/`` beside the
    package, in a checkout."""
    package = Path(__file__).resolve().parent
    installed = package / "templates"
    return installed if installed.is_dir() else package.parent / "templates"


TEMPLATES = _templates()
