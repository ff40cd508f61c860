"""Quote verification: is a cited quote really in the archived copy of its source?

Copies of web pages differ from a quote in small ways that do not change the
words: line breaks, curly or straight quote marks, kinds of dash, and case.
Those are normalised on both sides before comparing.  When a quote is not
found, the closest passage in the copy is shown so staff can fix the quote.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..paths import inside

_QUOTES = {ord(c): "'" for c in "\u2018\u2019\u201a\u201b\u2032\u00b4`"}
_QUOTES.update({ord(c): '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"})
_DASHES = {ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00ad"}
CLOSEST_MAX = 240  # characters of context shown for a quote that was not found
MAX_COPY_BYTES = 8 * 1024 * 1024  # a copy holds the passages quoted: even a whole label is < 1 MB
_WHY_NOT_READ = {
    "too large": (f"is larger than {MAX_COPY_BYTES // (1024 * 1024)} MB",
                  "Keep only the passages you quote in the copy, with the address of the source "
                  "and the date you read it."),
    "not UTF-8": ("is not UTF-8 text",
                  "Save the copy as UTF-8 text (in most editors: Save as, then choose the UTF-8 "
                  "encoding)."),
}


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """Normalised text, and for each of its characters the index it came from."""
    out: list[str] = []
    where: list[int] = []
    space = False
    for index, char in enumerate(text):
        for piece in unicodedata.normalize("NFKC", char).translate(_QUOTES).translate(_DASHES):
            if piece.isspace():
                space = bool(out)
                continue
            if space:
                out.append(" ")
                where.append(index)
                space = False
            for folded in piece.casefold():
                out.append(folded)
                where.append(index)
    return "".join(out), where


_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The same folding as :func:`normalise_with_map`, done on the whole string at once."""
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTES).translate(_DASHES)
    return _SPACES.sub(" ", folded).strip().casefold()


@dataclass(frozen=True)
class QuoteCheck:
    status: str  # "verified", "not found" or "no copy"
    copy: Path | None = None
    closest: str | None = None  # the nearest passage, for a quote that was not found


class Archive:
    """Text copies of sources, read once each, and only from inside the content folder.

    A copy's path comes from the content, so it is data: a path that leads out of the
    folder (``..``, an absolute path, a symlink) or to something other than a regular file
    (a device or a FIFO would hang the build) is never opened.
    """

    def __init__(self, root: Path) -> None:
        self._root = root
        self._texts: dict[Path, tuple[str, str] | str] = {}  # the text, or why it was not read

    def refuses(self, path: Path) -> bool:
        """True when the path leaves the content folder or names something not a plain file."""
        if not inside(self._root, path):
            return True
        return path.exists() and not path.is_file()

    def problem(self, path: Path) -> tuple[str, str] | None:
        """Why an existing copy cannot be used, and how to fix it; None when it can (or is
        simply missing)."""
        if self.refuses(path):
            return ("is outside the content folder or is not a plain text file",
                    "Keep the copy as a .txt file inside {folder}/ and name it relative to that "
                    "folder, for example '{example}'.")
        loaded = self._load(path)
        return _WHY_NOT_READ.get(loaded) if isinstance(loaded, str) else None

    def _load(self, path: Path) -> tuple[str, str] | str:
        if path not in self._texts:
            self._texts[path] = self._read(path)
        return self._texts[path]

    def _read(self, path: Path) -> tuple[str, str] | str:
        if self.refuses(path):
            return "refused"
        try:
            # non-blocking, and checked again once open: a file swapped for a FIFO since the
            # check above must not hang the build
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        except OSError:
            return "missing"
        with os.fdopen(fd, "rb") as file:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return "refused"
            data = file.read(MAX_COPY_BYTES + 1)  # bounded: a copy is a few passages
        if len(data) > MAX_COPY_BYTES:
            return "too large"
        try:
            original = data.decode("utf-8")
        except UnicodeDecodeError:
            return "not UTF-8"
        return original, normalise(original)

    def has_copy(self, path: Path) -> bool:
        return not isinstance(self._load(path), str)

    def check(self, quote: str, path: Path) -> QuoteCheck:
        loaded = self._load(path)
        if isinstance(loaded, str):
            return QuoteCheck("no copy", path)
        original, text = loaded
        wanted = normalise(quote)
        if wanted and wanted in text:
            return QuoteCheck("verified", path)
        # only a missing quote needs the map back to the copy's own words
        mapped, where = normalise_with_map(original)
        return QuoteCheck("not found", path, closest_passage(wanted, original, mapped, where))


def closest_passage(wanted: str, original: str, text: str, where: list[int]) -> str | None:
    """The stretch of the copy that best matches the quote, in the copy's own words."""
    if not text or not wanted:
        return None
    matcher = difflib.SequenceMatcher(None, text, wanted, autojunk=False)
    best: tuple[float, int, int] | None = None
    for block in matcher.get_matching_blocks():
        if block.size < 4:
            continue
        start = max(0, block.a - block.b)
        end = min(len(text), start + len(wanted))
        ratio = difflib.SequenceMatcher(None, text[start:end], wanted, autojunk=False).ratio()
        if best is None or ratio > best[0]:
            best = (ratio, start, end)
    if best is None:
        return None
    _, start, end = best
    first, last = where[start], where[end - 1] + 1
    # widen to whole words so the passage reads naturally
    while first > 0 and not original[first - 1].isspace():
        first -= 1
    while last < len(original) and not original[last].isspace():
        last += 1
    passage = re.sub(r"\s+", " ", original[first:last]).strip()
    return passage if len(passage) <= CLOSEST_MAX else passage[:CLOSEST_MAX].rstrip() + " …"


def find_copy(facts_root: Path, archive_dir: str, source_id: str, declared: str | None) -> Path:
    """Where a source's text copy lives: its own ``archive`` path, or ARCHIVE/ID.txt."""
    if declared:
        return facts_root / declared
    return facts_root / archive_dir / f"{source_id}.txt"
