"""Numbers traced to quotes: every number a fact prints must be in one of its quotes.

A reader trusts "76 in 100" because a source said so.  So each number, percentage and date
in a fact's ``statement`` and ``plain`` wording must appear, by value, in one of the fact's
citation quotes: "76 in 100" is found as "76%", "2" as "two", "10 June 2014" as
"10th June 2014" or "2014-06-10", "1 in 20,000" as "20000".  A number worked out from
quoted numbers (72 hours printed as 3 days) is listed under ``derived_numbers`` with how,
and the build redoes the arithmetic.  Digits that are part of a name (Schedule 8, S8,
TRANSFORM-2, the Misuse of Drugs Act 1971), phone numbers and reference markers are not
numbers; roman numerals never are.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, NamedTuple

from ..content import model as m
from ..problems import Report

if TYPE_CHECKING:  # only for annotations: trust.py imports this module
    from .trust import Trust
    from ..content.validate import Catalogue

O = m.Operation
WORDS = {w: i + 1 for i, w in enumerate(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())} | {"hundred": 100, "thousand": 1000}
QUOTE_WORDS = WORDS | {"single": 1, "once": 1, "twice": 2}  # "a single infusion" is one
MONTHS = {name: i % 12 + 1 for i, name in enumerate(
    "january february march april may june july august september october november december "
    "jan feb mar apr may jun jul aug sep oct nov dec".split())} | {"sept": 9}

_WORD = f"(?:{'|'.join(sorted(WORDS, key=len, reverse=True))})"  # seventeen before seven
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"  # 868,000 is one number; 1,2 is two
_NUM = rf"(?:{_DIGITS}|\b{_WORD}\b)"
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATES = [  # (pattern, which groups hold year, month, day)
    (rf"\b(\d{{4}})-(\d{{2}})-(\d{{2}})\b", (1, 2, 3)),
    (rf"\b(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?({_MONTH})\.?,? (\d{{4}})\b", (3, 2, 1)),
    (rf"\b({_MONTH})\.? (\d{{1,2}})(?:st|nd|rd|th)?,? (\d{{4}})\b", (3, 1, 2)),
    (rf"\b({_MONTH})\.?,? (\d{{4}})\b", (2, 1, None)),  # a month: "June 2014"
]
# Digits that name something rather than count it.  Each is masked before numbers are read.
_MARKERS = r"\[\d+(?:\s*[,-]\s*\d+)*\]"  # reference markers [1], [2, 3]
_ID_WORDS = ("schedules?|class(?:es)?|sections?|parts?|items?|tables?|figures?|appendix|"
             "chapters?|articles?|regulations?|act|phases?|types?|stages?|versions?|pages?|"
             "paragraphs?|clauses?|annex|box|groups?|no\\.")
_NAMES = [
    re.compile(rf"\b(?:{_ID_WORDS}) [\dIVXLC][\w.()]*(?:(?:, | and | or | to |-)\d[\w.()]*)*",
               re.I),  # Schedule 8, Section 5.1, Act 1971, Parts 2 and 3
    re.compile(r"\b[^\W\d_]+\d\w*"),  # S8, H2, B12
    re.compile(r"\b[^\W\d_]*[A-Z][^\W\d_]*[-/]\d[\w./-]*"),  # TRANSFORM-2, COVID-19
]
# Phone numbers, only in wordings (a quote's table row "54 38 15" is numbers): 9-8-8,
# 13 11 14, 116 123, 1-800-273-8255; "call 988"; 000 and 0800 (a leading 0 is dialled)
_PHONES = [
    re.compile(r"(?<![\d.,])(?:\d+(?:[- ]\d+){2,}|\d{3,}(?: \d{3,})+)(?![\d,])"),
    re.compile(r"\b(?:call|text|dial|phone|ring)(?: or (?:call|text))? (?:us )?(?:on |at )?"
               r"\+?\d[\d -]*", re.I),
    re.compile(r"(?<![\d.,])0\d{2,}"),
]
# "one" is mostly "a" (one trial, no one): it counts only as an amount of time or "one in N"
_ONE = r"\bone(?= (?:minute|hour|day|night|week|month|year)s?\b)"
_FREQUENCY = re.compile(  # "76 in 100", "17 more people in 100", "1 report in every 20,000"
    rf"(?<![\w.,])({_NUM}) (?:more |fewer |extra )?(?:(?:people|patients|adults|children|women|"
    rf"men|cases|reports?|sessions|users) )?(?:in|out of) (?:every |each )?"
    rf"(?!(?:19|20)\d\d\b)({_NUM})", re.I)  # "5 in 2014" is a year, not a group of 2014
_UNIT_AFTER = r"(?:st|nd|rd|th|s|mg|mcg|ml|kg|g|l|h|hrs?|mins?|am|pm)?(?!\w)"
_WORDING_NUMBER = re.compile(
    rf"(?<![\w.,])(?:{_DIGITS}){_UNIT_AFTER}|\b(?!one\b){_WORD}\b|{_ONE}", re.I)
_QUOTE_NUMBER = re.compile(
    rf"(?<![\d.,]){_DIGITS}|\b(?:{_WORD}|single|once|twice)\b", re.I)


@dataclass(frozen=True)
class Number:
    """One number as printed: a plain number, "X in M", or a date."""

    text: str
    value: Decimal | None = None
    out_of: Decimal | None = None  # M of "X in M"
    day: tuple[int, int, int | None] | None = None  # year, month, day (None: a whole month)

    @property
    def key(self) -> Decimal | None:
        """The number a derivation gives: N for "1 in N", X for "X in 100" (none for a date)."""
        return self.out_of if self.value == 1 and self.out_of not in (None, 100) else self.value


class Quoted(NamedTuple):  # what a fact's quotes give: numbers, and dates as (y, m, d)
    numbers: tuple[Decimal, ...]
    days: tuple[tuple[int, int, int | None], ...]


def _fold(text: str) -> str:
    """One spelling for what differs only in typing: spaces, dashes, superscript markers."""
    text = re.sub(r"(?<=\d)[\u2009\u202f\u00a0](?=\d{3}\b)", "", text)  # 20 000 -> 20000
    text = re.sub("[\u00b9\u00b2\u00b3\u2070-\u209f]+", " ", text)  # superscript markers
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", " ", re.sub("[\u2010-\u2015\u2212]", "-", text)).strip()


def _mask(text: str, pattern: re.Pattern | str) -> str:
    return re.sub(pattern, lambda match: "\0" * len(match.group()), text)


def to_decimal(text: str) -> Decimal | None:
    """The value of one number as written: '868,000', 'two', '10th', '5mg'."""
    word = text.lower()
    if word in QUOTE_WORDS:
        return Decimal(QUOTE_WORDS[word])
    try:
        return Decimal(re.sub(r"[a-z]+$", "", word).replace(",", ""))
    except InvalidOperation:
        return None


def _dates(text: str) -> tuple[list[tuple[str, tuple[int, int, int | None]]], str]:
    """Every date in the text, and the text with them masked."""
    days = []
    for pattern, (y, mo, d) in _DATES:
        for match in re.finditer(pattern, text, re.I):
            group = match.group(mo)
            month = int(group) if group.isdigit() else MONTHS[group.lower()]
            day = int(match.group(d)) if d else None
            try:
                date(int(match.group(y)), month, day or 1)
            except ValueError:
                continue  # not a real date: leave its digits to be read as numbers
            days.append((match.group(), (int(match.group(y)), month, day)))
            text = text[:match.start()] + "\0" * len(match.group()) + text[match.end():]
    return days, text


def _masked(wording: str) -> tuple[list[tuple[str, tuple[int, int, int | None]]], str]:
    """A wording's dates, and its text with dates, names, phone numbers and markers masked."""
    days, text = _dates(_mask(_fold(wording), _MARKERS))
    for pattern in (*_PHONES, *_NAMES):
        text = _mask(text, pattern)
    return days, text


def counted_text(wording: str) -> str:
    """The wording with only its counts and amounts left: no dates, names, phones, "X in M"."""
    return _mask(_masked(wording)[1], _FREQUENCY)


def printed_numbers(wording: str) -> list[Number]:
    """The numbers a reader sees in a wording, in order of kind: dates, "X in M", the rest."""
    days, text = _masked(wording)
    numbers = [Number(shown, day=day) for shown, day in days]
    numbers += [Number(match.group(), to_decimal(match.group(1)), to_decimal(match.group(2)))
                for match in _FREQUENCY.finditer(text)]
    text = _mask(text, _FREQUENCY)
    numbers += [Number(match.group(), to_decimal(match.group()))
                for match in _WORDING_NUMBER.finditer(text)]
    return [n for n in numbers if n.day or n.value is not None]


def quoted_numbers(quotes: list[str]) -> Quoted:
    """Every number and date the quotes give (names and markers left out, as in wordings)."""
    numbers, days = [], []
    for quote in quotes:
        dated, text = _dates(_mask(_fold(quote), _MARKERS))
        days += [day for _, day in dated]
        numbers += [day[i] for _, day in dated for i in (0, 2) if day[i]]  # "in 2014"
        for pattern in _NAMES:
            text = _mask(text, pattern)
        numbers += _words_or_digits(text)
    return Quoted(tuple(Decimal(n) for n in numbers if n is not None), tuple(days))


def _words_or_digits(text: str) -> list[Decimal]:
    return [to_decimal(x.group()) for x in _QUOTE_NUMBER.finditer(_fold(text))]


def _half_unit(number: Decimal) -> Decimal:
    return Decimal(5).scaleb(number.as_tuple().exponent - 1)


def close(printed: Decimal, quoted: Decimal) -> bool:
    """Equal, or the quote has one more decimal place and rounds to it (26.7 printed 27).

    Two or more extra places are not rounded away: such a figure is usually a ratio, an
    interval or a p value (4.01), and matching it would hide a number no quote gives.
    """
    if printed == quoted:
        return True
    extra = printed.as_tuple().exponent - quoted.as_tuple().exponent
    return extra == 1 and abs(printed - quoted) <= _half_unit(printed)


def found(number: Number, quoted: Quoted) -> bool:
    """Do the quotes give this printed number, by value?"""
    def given(value: Decimal) -> bool:
        return any(close(value, q) for q in quoted.numbers)

    if number.day:
        year, month, day = number.day
        return any(q[:2] == (year, month) and day in (None, q[2]) for q in quoted.days)
    x, out_of = number.value, number.out_of
    if out_of in (None, 100):  # "76 in 100" is 76 per cent: given by "76%" or "76"
        return given(x)
    # "1 in 20,000" is given by "20,000", "3 in 40" by both numbers, "11 in 1,000" by "1.1%"
    return ((x == 1 or given(x)) and given(out_of)) or any(
        abs(q * out_of / 100 - x) <= _half_unit(x) for q in quoted.numbers)


# ---------------------------------------------------------------- derivations

# operation: (fewest numbers in 'from', most or None, the arithmetic)
OPERATIONS = {
    O.HOURS_TO_DAYS: (1, 1, lambda a: a[0] / 24), O.DAYS_TO_HOURS: (1, 1, lambda a: a[0] * 24),
    O.DAYS_TO_WEEKS: (1, 1, lambda a: a[0] / 7), O.WEEKS_TO_DAYS: (1, 1, lambda a: a[0] * 7),
    O.MINUTES_TO_HOURS: (1, 1, lambda a: a[0] / 60),
    O.MONTHS_TO_YEARS: (1, 1, lambda a: a[0] / 12),
    O.ROUND: (1, 1, lambda a: a[0]),
    O.SUM: (2, None, sum),
    O.DIFFERENCE: (2, 2, lambda a: abs(a[0] - a[1])),
    O.PERCENT: (2, None, lambda a: sum(a[:-1]) * 100 / a[-1]),  # parts, then the whole
    O.ONE_IN: (2, None, lambda a: a[-1] / sum(a[:-1])),  # parts, then the whole
}


def rounds_to(result: Decimal, printed: Decimal) -> bool:
    """Is ``printed`` the result rounded to the figures printed (20,000: 1 figure, 17: 2)?"""
    if printed == 0:
        return result == 0
    return abs(result - printed) <= _half_unit(printed.normalize())


def _declared(d: m.Derivation) -> list[Number]:
    """The number a derivation says it accounts for, read as the wording would print it."""
    return printed_numbers(d.value) or [Number(d.value, v) for v in _words_or_digits(d.value)]


def check_derivation(d: m.Derivation, quoted: Quoted) -> tuple[Decimal | None, list[tuple]]:
    """The printed number a derivation accounts for (None if it fails), and its problems."""
    shown = _declared(d)
    if len(shown) != 1 or shown[0].key is None:  # "one" alone counts here: it is the number
        return None, [(("value",), f"'{d.value}' is not one number as printed.")]
    problems, values = [], []
    for j, text in enumerate(d.from_):
        read = _words_or_digits(text)
        if len(read) != 1:
            problems.append((("from", j), f"'{text}' is not one number."))
        elif read[0] not in quoted.numbers:  # worked out from quoted numbers only, exactly
            problems.append((("from", j), f"{text} is not in any quote of this fact."))
        values += read[:1]
    least, most, arithmetic = OPERATIONS[d.operation]
    if not least <= len(d.from_) <= (most or len(d.from_)):
        count = f"{least}" if least == most else f"at least {least}"
        problems.append((("from",), f"'{d.operation.value}' needs {count} number(s) in 'from', "
                                    f"not {len(d.from_)}."))
    if problems:
        return None, problems
    try:
        result = arithmetic(values)
    except ArithmeticError:  # Decimal's division by zero is one
        return None, [(("from",), "the numbers in 'from' divide by zero.")]
    if not rounds_to(result, shown[0].key):
        worked = f"{result:,.2f}".rstrip("0").rstrip(".")
        return None, [(("value",), f"'{d.operation.value}' of {', '.join(d.from_)} gives "
                                   f"{worked}, which does not round to {d.value}.")]
    return shown[0].key, []


# ---------------------------------------------------------------- the check

FIX = ("Quote the passage of the source that gives this number (by value: '76%' counts for "
       "'76 in 100', 'two' for '2'), or correct the number. If you worked it out from quoted "
       "numbers, say how under 'derived_numbers', e.g. {value: '3', operation: hours-to-days, "
       "from: ['72']}.")
LABELS = {"statement": "statement", "plain": "plain wording"}


def check_numbers(cat: Catalogue, report: Report, trust: Trust) -> None:
    """Each number a fact prints is in its quotes, or correctly derived from them: errors."""
    for fact_id, loc in cat.facts.items():
        fact: m.Fact = loc.item
        if fact.section == m.Section.QUESTIONS:  # a question asks; it claims nothing
            continue
        quoted = quoted_numbers([c.quote for c in fact.citations])
        derived = {}
        for i, d in enumerate(fact.derived_numbers):
            derived[i], problems = check_derivation(d, quoted)
            for path, text in problems:
                trust.note(fact_id, report.error(
                    loc.where("derived_numbers", i, *path),
                    f"The derived number '{d.value}' of '{fact_id}' does not check out: {text}",
                    "Work it out only from numbers the quotes give, with the operation that "
                    "gives the number printed.", "number"))
        printed = {name: printed_numbers(getattr(fact, name) or "") for name in LABELS}
        pictured = _pictured(fact)
        declared = {n.key for d in fact.derived_numbers for n in _declared(d)}
        for name, numbers in printed.items():
            for n in numbers:
                # a number a derivation declares is reported there, right or wrong: once
                if (not found(n, quoted) and n.value not in pictured
                        and (n.key is None or n.key not in declared)):
                    trust.note(fact_id, report.error(
                        loc.where(name), f"The {LABELS[name]} of '{fact_id}' prints "
                        f"'{n.text}', but no quote of this fact gives that number. "
                        f"{_gives(quoted)}", FIX, "number"))
        keys = {n.key for numbers in printed.values() for n in numbers}
        for i, key in derived.items():  # a stale derivation misleads the next editor
            if key is not None and key not in keys:
                report.warning(loc.where("derived_numbers", i, "value"),
                               f"The derived number '{fact.derived_numbers[i].value}' of "
                               f"'{fact_id}' is not printed in its wording.",
                               "Remove it, or write the number as the wording prints it.",
                               "number")


def _pictured(fact: m.Fact) -> set[Decimal]:
    """The natural frequency's own numbers: the frequency rule checks them against the quotes
    and the wording, so a wrong one is reported once, there."""
    f = fact.frequency
    if f is None:
        return set()
    return {Decimal(n) for n in (f.affected, f.compare_affected, f.out_of) if n is not None}


def _gives(quoted: Quoted) -> str:
    """What the quotes do give, so the editor sees the near miss."""
    values = [f"{n:,}" if n >= 10000 else str(n) for n in dict.fromkeys(quoted.numbers)][:12]
    days = [f"{d or ''} {date(y, mo, 1):%B %Y}".strip() for y, mo, d in dict.fromkeys(quoted.days)]
    given = ", ".join(values + days)
    return f"Its quotes give: {given}." if given else "Its quotes give no numbers."
