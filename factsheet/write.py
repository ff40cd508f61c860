"""Stage 5, write: put rendered files in ``output/`` without ever leaving half a file.

Each file is written to a temporary file in the same folder and then renamed
over the old one, so a failed or interrupted build leaves the previous
handout intact.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import model as m


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
