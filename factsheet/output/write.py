"""Stage 5, write: put rendered files in ``output/`` without ever leaving half a file.

Each file is written to a temporary file in the same folder and then renamed
over the old one, so a failed or interrupted build leaves the previous
handout intact.
"""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..content import model as m


@dataclass(frozen=True)
class Target:
    """One output file: which handout, for where, in which format, edition and paper."""

    handout: str
    jurisdiction: str
    format: str  # "html" or "pdf"
    paper: m.Paper | None = None
    variant: m.Variant = m.Variant.STANDARD

    def relpath(self, default_paper: m.Paper) -> Path:
        """``uk.pdf``, ``uk-large-print.pdf``, ``uk-flyer-letter.pdf``: the default is unnamed."""
        name = self.jurisdiction
        if self.variant is not m.Variant.STANDARD:
            name += f"-{self.variant.value}"
        if self.format == "pdf" and self.paper is not default_paper:
            name += f"-{self.paper.value}"
        return Path(self.handout) / f"{name}.{self.format}"


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def output_folder_problem(facts: Path, output: Path) -> str | None:
    """Why ``output`` cannot hold the build (it is, holds or lies in the content), or None.

    Writing handouts and the build record into facts/ would mix generated files with
    the hand-checked content, and cleaning output/ up could then delete content.
    """
    content, target = facts.resolve(), output.resolve()
    if target == content or content.is_relative_to(target):
        return (f"The output folder '{output}' is or contains the content folder '{facts}'. "
                "Handouts are written, and old ones deleted, there: choose a folder of its "
                "own, for example --output output.")
    if target.is_relative_to(content):
        return (f"The output folder '{output}' is inside the content folder '{facts}'. "
                "Choose a folder outside it, for example --output output.")
    return None


def unwritable(paths: list[Path]) -> list[tuple[Path, str]]:
    """Each planned file that could not be replaced, with why, found before any is written,
    so that a build never leaves output/ half old and half new."""
    problems = []
    for folder in sorted({p.parent for p in paths}):
        problem = _folder_problem(folder)
        if problem:
            problems.append((folder, problem))
    for path in paths:
        try:
            info = path.lstat()
        except FileNotFoundError:
            continue
        except OSError as exc:
            problems.append((path, exc.strerror or str(exc)))
            continue
        if stat.S_ISDIR(info.st_mode):
            problems.append((path, "a folder has this file's name"))
        elif stat.S_ISREG(info.st_mode) and not info.st_mode & 0o222:
            problems.append((path, "the file is read-only"))
    return problems


def _folder_problem(folder: Path) -> str | None:
    """Can files be created in ``folder`` (or in the nearest folder above it that exists)?"""
    while not folder.exists():
        if folder.is_symlink() or folder.parent == folder:
            return "the folder cannot be created"
        folder = folder.parent
    if not folder.is_dir():
        return f"'{folder.name}' is a file, not a folder"
    try:  # a real attempt: permissions, read-only disks and full quotas all show here
        fd, probe = tempfile.mkstemp(prefix=".write-test.", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


@contextmanager
def output_lock(output: Path, wait_message: str | None = None):
    """Hold a lock on the output folder while a build reads and writes its record there.

    A second build started meanwhile (for other handouts, say) waits for the first, with
    a message, instead of overwriting the record with what it read before the first ended.
    The lock is the operating system's, on the folder itself (no lock file to publish or
    leave behind), so a build that is killed releases it.
    """
    import fcntl
    import sys

    output.mkdir(parents=True, exist_ok=True)
    folder = os.open(output, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(wait_message or f"Another build is writing to {output}/: waiting for it to "
                  "finish...", file=sys.stderr, flush=True)
            fcntl.flock(folder, fcntl.LOCK_EX)
        yield
    finally:
        os.close(folder)  # closing releases the lock
