"""One quantity, one value: an edition must not print the same amount two ways.

"At least 2 antidepressants" on page 1 and "at least 3 antidepressants" on page 4 cannot
both be right, and a patient cannot tell which one is.  Each fact is checked against its
own quotes (numbers.py), so two facts can each be true to their sources and still disagree
in print: one source counts what the medicine is licensed for, another the narrower group
a funder pays for.  This check reads an edition as a patient does, all of it, and flags a
quantity printed with two values.

A quantity is a number (or range) and the word it counts: "2 antidepressants", "10 to 12
days".  Two mentions are of the same quantity when they count the same thing and their
sentences are about the same subject (they share enough other words).  Amounts of time are
common to many subjects ("2 weeks" of treatment, "2 hours" of watching), so they need more
words in common before they count as one quantity.  "76 in 100" frequencies are left out:
harms of different sizes are printed side by side on purpose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from .numbers import counted_text, to_decimal
from .plain import levels_of, passages
from ..problems import Report
from .readability import sentences_of

if TYPE_CHECKING:
    from ..build.compose import HandoutView
    from .plain import Passage
    from ..content.validate import Catalogue

_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|two|three|four|five|six|seven|eight|nine|ten|" \
          r"eleven|twelve|twenty"
_QUALIFIER = r"at least|at most|about|around|up to|more than|over|under|fewer than|less than|" \
             r"nearly|almost|only"
# words between a number and what it counts: "2 other antidepressants", "3 separate doses"
_DESCRIBING = "other|more|different|separate|extra|new|short|long|full|whole|further|previous"
_MENTION = re.compile(
    rf"(?<![\w.,])(?:(?P<qualifier>{_QUALIFIER}) )?(?P<low>{_NUMBER})"
    rf"(?: ?(?:to|-|or) ?(?P<high>{_NUMBER}))? (?:(?:{_DESCRIBING}) ){{0,2}}(?P<unit>[a-z]+)\b",
    re.I)
# the word after a number that is not what it counts: "2 in 100", "1 of them", "24 hours or"
_NOT_UNITS = {"in", "of", "to", "or", "and", "out", "per", "a", "the", "more", "fewer", "times",
              "is", "are", "was", "were"}
TIME = {"second", "minute", "hour", "day", "night", "week", "month", "year", "dose", "time"}
_STOP = set("""a an the and or but if of in on at to for from by with without into onto than
then this that these those it its is are was were be been being do does did not no can could
may might must should will would you your yours they them their there here we our us he she
his her who whom which what when where why how all any some each every more most less least
about after before during up down out over under again very just only also so such as per
have has had get gets got one two three four five six seven eight nine ten""".split())
SHARED_WORDS = 2  # other words two sentences must share to be about the same thing
SHARED_WORDS_TIME = 3  # ... when the quantity is an amount of time


@dataclass(frozen=True)
class Mention:
    unit: str
    value: tuple[Decimal, Decimal]  # low and high; equal for a single number
    printed: str
    words: frozenset[str]  # the sentence's other content words
    passage: Passage


def _singular(word: str) -> str:
    word = word.lower()
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _content_words(sentence: str) -> frozenset[str]:
    words = (_singular(w) for w in re.findall(r"[a-z]+", sentence.lower()))
    return frozenset(w for w in words if w not in _STOP and len(w) > 2)


def mentions(passage: Passage) -> list[Mention]:
    """Each counted quantity in one printed passage ("one" is mostly "a": "one study")."""
    found = []
    for sentence in sentences_of([passage.text]):
        folded = counted_text(sentence)
        words = _content_words(sentence)
        for match in _MENTION.finditer(folded):
            unit = _singular(match["unit"])
            if unit in _NOT_UNITS or match["unit"].lower() in _NOT_UNITS:
                continue
            low = to_decimal(match["low"])
            high = to_decimal(match["high"]) if match["high"] else low
            if low is None or high is None:
                continue
            found.append(Mention(unit, (low, high), match.group().strip(),
                                 words - {unit}, passage))
    return found


def _same_quantity(a: Mention, b: Mention) -> bool:
    if a.unit != b.unit or a.value == b.value or a.passage.where == b.passage.where:
        return False
    needed = SHARED_WORDS_TIME if a.unit in TIME else SHARED_WORDS
    return len(a.words & b.words) >= needed


def check_consistency(cat: Catalogue, views: list[HandoutView], report: Report) -> None:
    """Warn when one edition prints one quantity with two different values."""
    grouped: dict[tuple, list[str]] = {}
    for view in views:
        for level in levels_of(view):
            found = [m for p in passages(cat, view, level) for m in mentions(p)]
            for i, first in enumerate(found):
                for second in found[i + 1:]:
                    if _same_quantity(first, second):
                        key = (view.handout.id, level, first, second)
                        grouped.setdefault(key, []).append(view.jurisdiction.code)
    for (handout_id, level, first, second), codes in grouped.items():
        other = second.passage.where
        report.warning(
            first.passage.where,
            f"'{handout_id}' ({level}, {', '.join(codes)}) prints one quantity with two values: "
            f"\"{first.printed}\" in {first.passage.label} and \"{second.printed}\" in "
            f"{second.passage.label} ({other.describe(cat.root)}).",
            "Check both against their sources. Print one value, or say what each counts "
            "(for example who the medicine is approved for, and who it is paid for).",
            "two values")
