"""Numbers traced to quotes: matching by value, names that are not numbers, and derivations.

Hypothesis is not installed, so the property tests draw their examples from a seeded
random generator: the same examples every run, many of them.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import REAL_FACTS, edit, line_of
from conftest import problems_found as problems_of

from factsheet.content import model as m
from factsheet.checks.numbers import check_derivation, found, printed_numbers, quoted_numbers
from factsheet.content.schema import schema_files

FACTS = Path("topics") / "widgetol.yaml"
EXAMPLES = 200
WORDS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
         "fifteen sixteen seventeen eighteen nineteen twenty").split()


def traced(wording: str, *quotes: str) -> bool:
    """Is every number printed in the wording found in the quotes?"""
    quoted = quoted_numbers(list(quotes))
    return all(found(n, quoted) for n in printed_numbers(wording))


def texts(wording: str) -> list[str]:
    return [n.text for n in printed_numbers(wording)]


def examples(seed: int = 0):
    return random.Random(seed)


# ---------------------------------------------------------------- matching by value


def test_natural_frequency_matches_the_percentage_in_any_form():
    rng = examples(1)
    for _ in range(EXAMPLES):
        n = rng.randint(1, 99)
        printed = f"About {n} in 100 people felt dizzy."
        for quote in (f"dizziness {n}%", f"dizziness {n} per cent", f"{n} percent",
                      f"Dizziness 101 ({n}%)", f"{n} in 100", f"{n}.{rng.randint(0, 4)}%"):
            assert traced(printed, quote), (printed, quote)
        other = n + rng.randint(2, 9)
        assert not traced(printed, f"dizziness {other}%"), (printed, other)


def test_a_quoted_decimal_rounds_to_the_number_printed_but_a_statistic_does_not():
    assert traced("about 27 in 100", "24 (26.7%) relapsed")
    assert traced("about 45 in 100", "39 (45.3%)")
    assert not traced("about 27 in 100", "26.4%")  # rounds to 26
    # two extra decimal places is a ratio, an interval or a p value, not the printed number
    assert not traced("In one 4-week study", "TRANSFORM-2 69.3 52 17.3 (4.01-30.60)")


def test_thousands_separators_and_one_in_n():
    rng = examples(2)
    for _ in range(EXAMPLES):
        n = rng.randint(1000, 9_999_999)
        for printed in (f"about 1 in {n:,} sessions", f"{n:,} sessions",
                        f"1 report in every {n:,} sessions"):
            for quote in (f"{n} sessions", f"{n:,} sessions"):
                assert traced(printed, quote), (printed, quote)
            assert not traced(printed, f"{n + 1:,} sessions")


def test_dates_match_in_any_common_form():
    rng = examples(3)
    start = date(1950, 1, 1)
    for _ in range(EXAMPLES):
        day = start + timedelta(days=rng.randint(0, 30_000))
        suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}.get(
            day.day, "th")
        printed = f"It moved on {day.day} {day:%B %Y}."
        for quote in (f"comes into force on {day.day}{suffix} {day:%B %Y}.",
                      f"EFFECTIVE DATE: {day:%B} {day.day}, {day.year}.",
                      f"dated {day.isoformat()}", f"{day.day} {day:%b} {day.year}"):
            assert traced(printed, quote), (printed, quote)
        other = day + timedelta(days=rng.randint(1, 27))
        assert not traced(printed, f"on {other.day} {other:%B %Y}"), (day, other)
        assert not traced(printed, f"in {day.year}")  # the year alone does not give the day


def test_a_month_and_a_year_are_numbers_too():
    assert traced("since 1985", "In 1985, ketamine was placed on the list")
    assert traced("until June 2014", "comes into force on 10th June 2014")
    assert not traced("until June 2014", "in 2014")


def test_number_words_and_digits_match_both_ways():
    for value, word in enumerate(WORDS, 1):
        for printed, quote in ((f"for {value} weeks", f"for {word} weeks"),
                               (f"for {word} weeks", f"for {value} weeks"),
                               (f"{word.capitalize()} weeks", f"{value} weeks")):
            assert traced(printed, quote), (printed, quote)
        assert not traced(f"for {word} weeks", f"for {value + 1} weeks")
    assert traced("at least 2 others", "at least two different antidepressants")
    assert traced("up to 5 times", "may be refilled more than five times")


def test_one_is_a_number_only_as_an_amount_of_time_or_one_in_n():
    # "one trial", "no one", "One dose" use 'one' as 'a'; the sources seldom say "1 trial"
    assert texts("In one small trial, no one had One dose.") == []
    assert texts("It helps within one day.") == ["one"]
    assert texts("About one in 20,000 sessions.") == ["one in 20,000"]


def test_ranges_need_each_end():
    assert traced("Three to five weeks later", "At 3-to-5 weeks follow-up")
    assert traced("within about 10 to 12 days", "loosing superiority by days 10\u201312")
    assert not traced("Three to five weeks later", "At 3 weeks follow-up")
    assert not traced("10 to 12 days", "by day 10")


@pytest.mark.parametrize("wording", [
    "ketamine is on the list called Schedule III",
    "a Schedule 8 medicine", "Schedule 2 includes it", "it is a Class B drug",
    "under the Misuse of Drugs Act 1971", "see Section 5.1 and Parts 2 and 3",
    "Call or text 9-8-8.", "Call 988.", "Call Lifeline on 13 11 14.", "Dial 000.",
    "call 1-800-273-8255", "Samaritans: 116 123 or call 116 123", "shown in Table 2",
    "as others found [2]", "as others found [3, 4]", "S8 medicines", "after COVID-19",
    "TRANSFORM-2 showed", "SOR/2005-270", "type 2 diabetes", "in a phase 3 trial",
])
def test_names_ids_phones_and_markers_are_not_numbers(wording):
    assert texts(wording) == []


def test_numbers_beside_names_still_count():
    assert texts("a Schedule 8 drug for more than 8 weeks") == ["8"]
    assert traced("a Schedule 8 drug for more than 8 weeks",
                  "when treatment with a Schedule 8 poison exceeds eight weeks")
    # a number in a quote's name does not give the number either
    assert not traced("for 8 weeks", "a Schedule 8 poison")


def test_every_printed_number_is_read():
    rng = examples(4)
    for _ in range(EXAMPLES):
        values = rng.sample(range(2, 10_000), 3)
        wording = (f"About {values[0]} people had {values[1]:,} doses over {values[2]} "
                   "days.")
        assert [n.value for n in printed_numbers(wording)] == [Decimal(v) for v in values]
        quote = " ".join(str(v) for v in values[:2])
        assert not traced(wording, quote)
        assert traced(wording, quote + f" and {values[2]}")


# ---------------------------------------------------------------- derivations


def derivation(value: str, operation: str, *numbers: str) -> m.Derivation:
    return m.Derivation.model_validate({"value": value, "operation": operation,
                                        "from": list(numbers)})


@pytest.mark.parametrize("value, operation, numbers, quote", [
    ("3", "hours-to-days", ["72"], "up to 72 hours"),
    ("one", "hours-to-days", ["24"], "at 24 hours"),
    ("4", "days-to-weeks", ["28"], "MADRS (Day 28)"),
    ("1 in 20,000", "one-in", ["40", "two", "868,000"],
     "40 cases of respiratory depression and two cases of respiratory arrest, out of 868,000"),
    ("17", "difference", ["69.3", "52"], "69.3 52"),
    ("15", "percent", ["29", "193"], "29 of 193"),
    ("900,000", "round", ["868,000"], "868,000 sessions"),
    ("42", "sum", ["40", "two"], "40 cases and two cases"),
    ("2", "minutes-to-hours", ["120"], "for 120 minutes"),
])
def test_a_correct_derivation_gives_the_number_printed(value, operation, numbers, quote):
    key, problems = check_derivation(derivation(value, operation, *numbers),
                                     quoted_numbers([quote]))
    assert problems == [] and key is not None


def test_rounding_is_to_the_figures_printed():
    quoted = quoted_numbers(["40 and two in 868,000"])
    assert check_derivation(derivation("1 in 20,000", "one-in", "40", "two", "868,000"),
                            quoted)[1] == []
    # to two figures, 868,000 / 42 is 21,000, not 20,000... and 1 in 21,000 passes
    assert check_derivation(derivation("1 in 21,000", "one-in", "40", "two", "868,000"),
                            quoted)[1] == []
    _, problems = check_derivation(derivation("1 in 22,000", "one-in", "40", "two", "868,000"),
                                   quoted)
    assert problems == [(("value",), "'one-in' of 40, two, 868,000 gives 20,666.67, which "
                                     "does not round to 1 in 22,000.")]


def test_a_wrong_derivation_says_why():
    quoted = quoted_numbers(["up to 72 hours"])
    assert check_derivation(derivation("4", "hours-to-days", "72"), quoted)[1] == [
        (("value",), "'hours-to-days' of 72 gives 3, which does not round to 4.")]
    assert check_derivation(derivation("3", "hours-to-days", "70"), quoted)[1] == [
        (("from", 0), "70 is not in any quote of this fact.")]
    assert check_derivation(derivation("3", "difference", "72"), quoted)[1] == [
        (("from",), "'difference' needs 2 number(s) in 'from', not 1.")]
    assert check_derivation(derivation("3 or 4", "round", "72"), quoted)[1] == [
        (("value",), "'3 or 4' is not one number as printed.")]


def test_the_schema_knows_derived_numbers():
    facts = json.loads(schema_files(REAL_FACTS)[REAL_FACTS / "schema" / "facts.schema.json"])
    derived = facts["$defs"]["Derivation"]
    assert set(derived["properties"]) == {"value", "operation", "from"}
    assert derived["additionalProperties"] is False
    assert "hours-to-days" in facts["$defs"]["Operation"]["enum"]
    assert "derived_numbers" in facts["$defs"]["Fact"]["properties"]


# ---------------------------------------------------------------- the build, on a small folder


def sleepy_for(content: Path, wording: str, derived: str = "") -> Path:
    """The fixture's 'widgetol-sleepy', quoting that drowsiness lasted up to 48 hours."""
    edit(content / "archive" / "widget-review.txt", "Drowsiness was common.",
         "Drowsiness was common and lasted up to 48 hours.")
    path = content / FACTS
    edit(path, "quote: Drowsiness was common.",
         "quote: Drowsiness was common and lasted up to 48 hours.")
    edit(path, "    statement: Widgetol may make you sleepy.\n    evidence: low\n",
         f"    statement: {wording}\n    evidence: low\n" + derived)
    return path


def test_a_number_no_quote_gives_is_an_error_with_file_line_and_number(content):
    path = sleepy_for(content, "Widgetol may make you sleepy for up to 6 hours.")
    assert problems_of(content) == ["\n".join([
        f"error: topics/widgetol.yaml, line {line_of(path, 'for up to 6 hours')}, "
        "field 'facts[2].statement' (in 'widgetol-sleepy')",
        "  The statement of 'widgetol-sleepy' prints '6', but no quote of this fact gives that "
        "number. Its quotes give: 48.",
        "  How to fix: Quote the passage of the source that gives this number (by value: '76%' "
        "counts for '76 in 100', 'two' for '2'), or correct the number. If you worked it out "
        "from quoted numbers, say how under 'derived_numbers', e.g. {value: '3', operation: "
        "hours-to-days, from: ['72']}.",
    ])]


def test_the_number_quoted_passes_and_so_does_its_word(content):
    sleepy_for(content, "Widgetol may make you sleepy for up to 48 hours.")
    assert problems_of(content) == []


def test_the_plain_wording_is_checked_too(content):
    path = content / FACTS
    edit(path, "plain: Widgetol probably helps sad people.",
         "plain: Widgetol probably helps 3 in 10 sad people.")
    problems = problems_of(content)
    assert len(problems) == 1, problems
    assert problems[0].splitlines()[:2] == [
        f"error: topics/widgetol.yaml, line {line_of(path, '3 in 10 sad')}, "
        "field 'facts[1].plain' (in 'widgetol-helps')",
        "  The plain wording of 'widgetol-helps' prints '3 in 10', but no quote of this fact "
        "gives that number. Its quotes give no numbers.",
    ]


def test_a_correct_derivation_passes(content):
    sleepy_for(content, "Widgetol may make you sleepy for up to 2 days.",
               "    derived_numbers:\n      - {value: '2', operation: hours-to-days, "
               "from: ['48']}\n")
    assert problems_of(content) == []


def test_a_wrong_derivation_fails(content):
    path = sleepy_for(content, "Widgetol may make you sleepy for up to 3 days.",
                      "    derived_numbers:\n      - {value: '3', operation: hours-to-days, "
                      "from: ['48']}\n")
    assert problems_of(content) == ["\n".join([
        f"error: topics/widgetol.yaml, line {line_of(path, 'operation: hours-to-days')}, "
        "field 'facts[2].derived_numbers[0].value' (in 'widgetol-sleepy')",
        "  The derived number '3' of 'widgetol-sleepy' does not check out: 'hours-to-days' of "
        "48 gives 2, which does not round to 3.",
        "  How to fix: Work it out only from numbers the quotes give, with the operation that "
        "gives the number printed.",
    ])]  # one message: the statement's '3' is the derivation's, so it is not reported again


def test_a_derivation_from_a_number_no_quote_gives_fails(content):
    path = sleepy_for(content, "Widgetol may make you sleepy for up to 2 days.",
                      "    derived_numbers:\n      - value: '2'\n        operation: "
                      "hours-to-days\n        from: ['47', '1']\n")
    problems = problems_of(content)
    assert [p.splitlines()[1] for p in problems] == [
        "  The derived number '2' of 'widgetol-sleepy' does not check out: 47 is not in any "
        "quote of this fact.",
        "  The derived number '2' of 'widgetol-sleepy' does not check out: 1 is not in any "
        "quote of this fact.",
        "  The derived number '2' of 'widgetol-sleepy' does not check out: 'hours-to-days' "
        "needs 1 number(s) in 'from', not 2.",
    ]
    assert problems[0].startswith(f"error: topics/widgetol.yaml, line {line_of(path, '47')}, "
                                  "field 'facts[2].derived_numbers[0].from[0]'")


def test_a_derivation_the_wording_no_longer_prints_is_a_warning(content):
    path = sleepy_for(content, "Widgetol may make you sleepy for up to 48 hours.",
                      "    derived_numbers:\n      - {value: '2', operation: hours-to-days, "
                      "from: ['48']}\n")
    assert problems_of(content) == ["\n".join([
        f"warning: topics/widgetol.yaml, line {line_of(path, 'operation: hours-to-days')}, "
        "field 'facts[2].derived_numbers[0].value' (in 'widgetol-sleepy')",
        "  The derived number '2' of 'widgetol-sleepy' is not printed in its wording.",
        "  How to fix: Remove it, or write the number as the wording prints it.",
    ])]


def test_an_unknown_operation_is_a_validation_error(content):
    sleepy_for(content, "Widgetol may make you sleepy for up to 2 days.",
               "    derived_numbers:\n      - {value: '2', operation: hours-to-weeks, "
               "from: ['48']}\n")
    problems = problems_of(content)
    assert len(problems) == 1 and "'hours-to-weeks' is not an allowed value" in problems[0], \
        problems
