"""The clinic's logo: a small image inside the content folder that fetches nothing.

The logo is the one file the content names that is copied into every handout, so it is
checked like data from outside: its name must stay inside facts/ (no absolute path, no
``..``, no symlink leading out), it must be a regular file of modest size, its bytes
must be the kind of image its name says, and an SVG may not refer to anything outside
itself (an ``<image href>`` to a web address or a local file would be fetched by the
PDF renderer and embedded in the handout).
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

from ..paths import inside

IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".svg": "image/svg+xml"}
MAX_LOGO_BYTES = 2 * 1024 * 1024  # a print logo is a few hundred kilobytes at most

_SIGNATURES = {".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",),
               ".jpeg": (b"\xff\xd8\xff",)}
# every way an SVG can name another file: href and src attributes, CSS url() and @import
_REFERENCES = re.compile(
    r"""(?:\b(?:xlink:)?href|\bsrc)\s*=\s*["']\s*([^"']*)|url\(\s*["']?\s*([^)"'\s]*)"""
    r"""|@import\s+["']?([^"';\s]*)""", re.IGNORECASE)
_FIX_PLACE = "Put the image file in the facts/ folder itself and give just its name, e.g. logo.png."


def logo_problem(root: Path, name: str) -> tuple[str, str] | None:
    """What is wrong with the logo ``name`` (message, fix), or None when it can be used."""
    suffix = Path(name).suffix.lower()
    if suffix not in IMAGE_TYPES:
        return (f"The logo '{name}' is not a PNG, JPEG or SVG image.",
                "Save the logo as .png, .jpg or .svg, or remove 'logo:'.")
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts or "\\" in name:
        return (f"The logo '{name}' is outside the content folder. Only files inside "
                "facts/ can be printed in a handout.", _FIX_PLACE)
    path = root / relative
    if not path.exists() and not path.is_symlink():
        return (f"The logo file '{name}' does not exist.",
                "Put the image in the facts/ folder and give its name, or remove 'logo:'.")
    if not inside(root, path):
        return (f"The logo '{name}' is a link to a file outside the content folder. Only "
                "files inside facts/ can be printed in a handout.",
                "Copy the image itself into the facts/ folder instead of linking to it.")
    try:
        info = path.stat()
    except OSError as exc:
        return (f"The logo file '{name}' cannot be read ({exc.strerror}).",
                "Check that the file exists and that you may read it.")
    if not stat.S_ISREG(info.st_mode):
        return (f"The logo '{name}' is not an ordinary file.",
                "Give the name of an image file saved in the facts/ folder.")
    if info.st_size > MAX_LOGO_BYTES:
        return (f"The logo file '{name}' is {info.st_size // 1024} KB; the limit is "
                f"{MAX_LOGO_BYTES // 1024} KB.",
                "Save a smaller copy of the logo (a few hundred pixels wide is enough for print).")
    return _content_problem(name, suffix, path.read_bytes())


def _content_problem(name: str, suffix: str, data: bytes) -> tuple[str, str] | None:
    if suffix in _SIGNATURES:
        if not data.startswith(_SIGNATURES[suffix]):
            kind = "PNG" if suffix == ".png" else "JPEG"
            return (f"The logo file '{name}' is not a {kind} image, though its name says so.",
                    f"Save the logo again as a {kind} file from an image program.")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return (f"The logo file '{name}' is not a readable SVG image (it is not UTF-8 text).",
                "Save the logo again as SVG from an image program, or use a PNG.")
    if "<svg" not in text:
        return (f"The logo file '{name}' is not an SVG image, though its name says so.",
                "Save the logo again as SVG from an image program, or use a PNG.")
    if "<!ENTITY" in text or "<!DOCTYPE" in text:
        return (f"The logo file '{name}' declares XML entities or a DOCTYPE, which can pull "
                "in other files.", "Save the logo as plain SVG, or use a PNG.")
    outside = sorted({ref for match in _REFERENCES.finditer(text) for ref in match.groups()
                      if ref and not ref.startswith(("#", "data:"))})
    if outside:
        return (f"The logo file '{name}' refers to {', '.join(repr(r) for r in outside[:3])}, "
                "outside the image. Handouts never fetch anything, so it would be missing.",
                "Save the logo with everything embedded (no linked images or fonts), or use "
                "a PNG.")
    return None
