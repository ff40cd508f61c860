"""One quantity, one value: an edition must not print the same amount two ways."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import edit, line_of
from conftest import problems_found as found
from factsheet.checks.consistency import mentions
from factsheet.checks.plain import Passage
from factsheet.problems import Where

FACTS = Path("topics") / "widgetol.yaml"


QUOTED = {"widgetol-what": ("Widgetol is a medicine.", "widget-label"),
          "widgetol-helps": ("Widgetol probably reduces sadness.", "widget-review")}


def say(content: Path, fact_id: str, old: str, new: str) -> None:
    """Make a fixture fact print ``new``, and quote it, so only consistency can complain."""
    quote, source = QUOTED[fact_id]
    edit(content / FACTS, f"statement: {old}", f"statement: {new}")
    edit(content / FACTS, f"quote: {quote}", f"quote: {new}")
    copy = content / "archive" / f"{source}.txt"
    copy.write_text(copy.read_text(encoding="utf-8") + f"\n{new}\n", encoding="utf-8")


def consistency(content: Path) -> list[str]:
    return [p for p in found(content) if "two values" in p or "one quantity" in p]


def test_two_counts_of_one_group_are_flagged_with_both_places(content):
    say(content, "widgetol-what", "Widgetol is a test drug.",
        "Widgetol is for adults who have tried at least 2 other medicines for sadness.")
    say(content, "widgetol-helps", "Widgetol probably helps people who feel sad.",
        "Widgetol probably helps adults who have tried at least 3 medicines for sadness.")
    path = content / FACTS
    problems = consistency(content)
    assert len(problems) == 1, problems
    lines = problems[0].splitlines()
    assert lines[0] == (f"warning: topics/widgetol.yaml, line {line_of(path, 'at least 2 other')}, "
                        "field 'facts[0].statement' (in 'widgetol-what')")
    assert lines[1] == (
        "  'widgetol' (in detail, aa, bb) prints one quantity with two values: \"at least 2 other "
        "medicines\" in fact 'widgetol-what' and \"at least 3 medicines\" in fact 'widgetol-helps' "
        f"(topics/widgetol.yaml, line {line_of(path, 'at least 3')}, field 'facts[1].statement' "
        "(in 'widgetol-helps')).")
    assert lines[2].startswith("  How to fix: Check both against their sources. Print one value")


def test_a_range_and_a_single_value_of_one_time_disagree(content):
    say(content, "widgetol-what", "Widgetol is a test drug.",
        "The effect of one dose of widgetol may fade within about 10 to 12 days.")
    say(content, "widgetol-helps", "Widgetol probably helps people who feel sad.",
        "Widgetol probably helps, but one dose may fade within about 10 days.")
    problems = consistency(content)
    assert len(problems) == 1, problems
    assert "\"about 10 to 12 days\"" in problems[0] and "\"about 10 days\"" in problems[0]


@pytest.mark.parametrize("first, second", [
    # different amounts of time about different things
    ("Staff watch you for 2 hours after a widgetol dose.",
     "Widgetol probably helps. Do not drive for 24 hours after widgetol."),
    # the same value said twice
    ("Widgetol is for adults who have tried at least 2 medicines for sadness.",
     "Widgetol probably helps adults who have tried 2 medicines for sadness."),
])
def test_quantities_that_agree_or_differ_in_kind_pass(content, first, second):
    say(content, "widgetol-what", "Widgetol is a test drug.", first)
    say(content, "widgetol-helps", "Widgetol probably helps people who feel sad.", second)
    assert consistency(content) == []


def _mentions(text: str) -> list[str]:
    return [m.printed for m in mentions(Passage(text, Where(Path("x.yaml")), "fact 'x'"))]


@pytest.mark.parametrize("text, printed", [
    ("Tried at least 2 other antidepressants.", ["at least 2 other antidepressants"]),
    ("It may fade within about 10 to 12 days.", ["about 10 to 12 days"]),
    ("In one study, about 41 in 100 people felt cut off.", []),  # a frequency, and "one" is "a"
    ("It moved up from Class C on 10 June 2014.", []),  # a date and a name
    ("Ketamine is a Schedule 8 drug.", []),
    ("Call 116 123 for free.", []),
    ("Do not drive for 24 hours.", ["24 hours"]),
])
def test_what_counts_as_a_quantity(text, printed):
    assert _mentions(text) == printed
