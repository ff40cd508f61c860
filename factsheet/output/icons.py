"""Icon arrays: a natural frequency drawn as people, filled for those affected.

The risk-communication standard for "36 in 100": 100 small figures, 36 of them
filled.  Drawn as SVG from the fact's own numbers, never a stock image.  Filled
versus outlined shapes (no colour) survive grayscale printing and forced colours.
Each picture carries a text equivalent stating its numbers, which becomes the
alt text in HTML and a tagged Figure with /Alt in the PDF.
"""

from __future__ import annotations

import base64
import functools
import math
from dataclasses import dataclass

from ..content import model as m

MAX_DRAWN = 1000  # larger groups are stated in words only: the shapes would be specks
INK = "#1a1a1a"


@dataclass(frozen=True)
class Picture:
    src: str  # data: URI of the SVG
    alt: str
    count: str  # "36 in 100", printed under the picture
    group: str
    width: int  # CSS pixels, so the page does not jump while it loads
    height: int


def pictures(frequency: m.Frequency | None, strings: dict) -> list[Picture]:
    """One picture per group: the treated group, then the comparison group if given."""
    if frequency is None or frequency.out_of > MAX_DRAWN:
        return []
    groups = [(frequency.affected, frequency.group)]
    if frequency.compare_affected is not None and frequency.compare_group:
        groups.append((frequency.compare_affected, frequency.compare_group))
    return [_picture(count, frequency.out_of, group, frequency.outcome, strings)
            for count, group in groups]


def _picture(count: int, out_of: int, group: str, outcome: str, strings: dict) -> Picture:
    text = strings["icons"]
    alt = text["alt"].format(count=count, out_of=f"{out_of:,}", group=group, outcome=outcome)
    alt += " " + text["alt_rest"].format(rest=f"{out_of - count:,}")
    svg, width, height = _svg(count, out_of)
    src = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return Picture(src, alt, f"{count:,} in {out_of:,}", group, width, height)


@functools.lru_cache(maxsize=256)
def _svg(count: int, out_of: int) -> tuple[str, int, int]:
    """The array as SVG text, with its display size in CSS pixels."""
    person = out_of <= 100  # up to 100: little people; above: dots, or they get too small
    # 5 rows of 20 people: counted in tens as easily as 10 rows of 10, and half as tall, so a
    # statement and its pictures share a few lines instead of taking a block of their own
    columns = min(out_of, 20) if person else 40
    rows = math.ceil(out_of / columns)
    cell_w, cell_h = (8, 11) if person else (4, 4)
    width, height = columns * cell_w, rows * cell_h
    shapes = []
    for index in range(out_of):
        x, y = (index % columns) * cell_w, (index // columns) * cell_h
        filled = index < count
        style = f'fill="{INK}"' if filled else f'fill="#fff" stroke="{INK}" stroke-width="0.7"'
        if person:
            shapes.append(f'<circle cx="{x + 4}" cy="{y + 2.4}" r="1.7" {style}/>'
                          f'<path d="M{x + 1.4} {y + 10}v-3.6a2.6 2.6 0 0 1 5.2 0v3.6z" {style}/>')
        else:
            shapes.append(f'<circle cx="{x + 2}" cy="{y + 2}" r="1.45" {style}/>')
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-0.5 -0.5 {width + 1} {height + 1}"'
           f' width="{width + 1}" height="{height + 1}">{"".join(shapes)}</svg>')
    scale = 1.5 if person else 1
    return svg, round((width + 1) * scale), round((height + 1) * scale)
