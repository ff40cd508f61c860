"""Plain-language rules, on the small fixture: glossary, list length, numbers, summary, basics."""

from __future__ import annotations

from pathlib import Path

from conftest import edit, line_of
from test_trust import found

FACTS = Path("topics") / "widgetol.yaml"
HANDOUT = Path("handouts") / "widgetol.yaml"


def test_fixture_is_plain(content):
    assert found(content, strict=True) == []


# ---------------------------------------------------------------- glossary


def test_term_used_before_it_is_explained_is_pinned_to_its_sentence(content):
    path = content / FACTS
    edit(path, "So did 4 in 100 with a dummy pill (placebo).\n",
         "So did 4 in 100 with a dummy pill.\n")
    problems = found(content)
    full = [p for p in problems if "(in detail, aa, bb)" in p]
    assert len(full) == 1, problems
    lines = full[0].splitlines()
    assert lines[0] == (f"warning: topics/widgetol.yaml, line "
                        f"{line_of(path, 'statement: In a study, about 12')}, field "
                        "'facts[3].statement' (in 'widgetol-drowsy-numbers')")
    assert lines[1] == ("  'widgetol' (in detail, aa, bb) first uses 'dummy pill' in fact "
                        "'widgetol-drowsy-numbers' without explaining it.")
    assert 'for example "dummy pill (a pill with no medicine in it)"' in lines[2]
    assert f"glossary.yaml, line {line_of(content / 'glossary.yaml', 'term: dummy pill')}" \
        in lines[2]


def test_a_term_explained_at_first_use_may_be_used_plainly_later(content):
    edit(content / FACTS, "statement: Widgetol may make you sleepy.",
         "statement: Widgetol may make you sleepy, more than a dummy pill does.")
    # first use is now in widgetol-sleepy, unexplained; the later, explained use does not help
    problems = [p for p in found(content) if "first uses 'dummy pill'" in p]
    assert problems and all("in fact 'widgetol-sleepy'" in p for p in problems)
    edit(content / FACTS, "more than a dummy pill does.",
         "more than a dummy pill (placebo) does.")
    assert [p for p in found(content) if "first uses" in p] == []


def test_capitalised_terms_match_only_in_capitals(content):
    glossary = content / "glossary.yaml"
    glossary.write_text(glossary.read_text() + "  - term: SAD\n    meaning: seasonal sadness\n")
    assert found(content) == []  # "sad" in lower case is an everyday word here


def test_a_glossary_term_listed_twice_is_an_error(content):
    glossary = content / "glossary.yaml"
    glossary.write_text(glossary.read_text() + "  - term: Dummy pill\n    meaning: a fake pill\n")
    problems = found(content)
    assert len(problems) == 1 and "The glossary lists 'Dummy pill' twice" in problems[0]


# ---------------------------------------------------------------- lists


def add_questions(content: Path, count: int) -> list[str]:
    ids = [f"ask-question-{n}" for n in range(count)]
    entries = "".join(f"  - id: {i}\n    section: questions\n    statement: Question {n}?\n"
                      "    checked: {by: Test editor, date: 2026-01-10}\n"
                      "    review_due: 2027-01-10\n" for n, i in enumerate(ids))
    path = content / FACTS
    path.write_text(path.read_text() + entries)
    return ids


def test_a_list_of_more_than_seven_items_is_warned_with_its_line(content):
    ids = add_questions(content, 7)
    path = content / HANDOUT
    edit(path, "questions: [ask-about-widgetol]",
         f"questions: [ask-about-widgetol, {', '.join(ids)}]")
    problems = found(content)
    assert len(problems) == 1  # once, though both jurisdictions print the list
    assert problems[0].splitlines()[:2] == [
        f"warning: handouts/widgetol.yaml, line {line_of(path, 'questions:')}, "
        "field 'sections.questions'",
        "  The list 'questions' of 'widgetol' has 8 items in Alphaland; readers cope with "
        "at most 7."]


def test_groups_with_sub_headings_keep_lists_short(content, run, tmp_path):
    ids = add_questions(content, 7)
    edit(content / HANDOUT, "questions: [ask-about-widgetol]",
         "questions:\n    - heading: About the medicine\n      facts: [ask-about-widgetol, "
         f"{', '.join(ids[:3])}]\n    - heading: About your care\n"
         f"      facts: [{', '.join(ids[3:])}]")
    assert found(content) == []
    out = tmp_path / "out"
    assert run("--facts", str(content), "--output", str(out), "--variant", "standard")[0] == 0
    from bs4 import BeautifulSoup
    page = BeautifulSoup((out / "widgetol" / "aa.html").read_text(), "html.parser")
    talk = page.select_one("#talk")
    assert [h.get_text() for h in talk.select("h3.group-heading")] == [
        "About the medicine", "About your care"]
    assert [len(ul.find_all("li")) for ul in talk.select("ul.facts")] == [4, 4, 1]


def test_the_list_limit_comes_from_the_settings(content):
    edit(content / "clinic.yaml", "paper: a4", "paper: a4\nreadability:\n  max_list_items: 3")
    ids = add_questions(content, 3)
    edit(content / HANDOUT, "questions: [ask-about-widgetol]",
         f"questions: [ask-about-widgetol, {', '.join(ids)}]")
    assert any("has 4 items in Alphaland; readers cope with at most 3" in p
               for p in found(content))


# ---------------------------------------------------------------- numbers


def test_a_frequency_not_in_the_quotes_is_an_error(content):
    path = content / FACTS
    edit(path, "affected: 12", "affected: 15")
    edit(path, "about 12 in 100", "about 15 in 100")
    edit(path, "About 12 in 100", "About 15 in 100")
    problems = found(content)
    assert len(problems) == 1, problems
    assert problems[0].splitlines()[:2] == [
        f"error: topics/widgetol.yaml, line {line_of(path, 'affected: 15')}, "
        "field 'facts[3].frequency.affected' (in 'widgetol-drowsy-numbers')",
        "  The number 15 in 100 of 'widgetol-drowsy-numbers' is not in its quotes, as a count "
        "or as a percentage."]


def test_the_wording_must_state_the_frequency_it_pictures(content):
    path = content / FACTS
    edit(path, "So did 4 in 100 with a dummy pill (placebo).\n    plain:",
         "So did a few with a dummy pill (placebo).\n    plain:")
    problems = found(content)
    assert len(problems) == 1, problems
    assert "The statement of 'widgetol-drowsy-numbers' does not say '4 in 100'" in problems[0]


def test_a_percentage_in_the_quote_supports_a_rounded_natural_frequency():
    from factsheet.checks.plain import supported

    assert supported(41, 100, ["Dissociation 41.0% vs 9.0%"])
    assert supported(53, 100, ["remission 52.5% of patients"])
    assert supported(27, 100, ["27/100 relapsed"])
    assert supported(69, 100, ["TRANSFORM-2 69.3 52 17.3"])  # a rate per 100 with decimals
    assert not supported(70, 100, ["TRANSFORM-2 69.3 52 17.3"])
    assert not supported(30, 100, ["odds ratio 3.94 (1.54 to 10.10)"])
    assert supported(40, 1000, ["about 40 cases"]) and not supported(41, 1000, ["about 40 cases"])


# ---------------------------------------------------------------- summary and basics


def test_a_key_point_surer_than_its_facts_is_an_error(content):
    path = content / HANDOUT
    edit(path, "{text: It probably helps people who feel sad.,",
         "{text: It helps people who feel sad.,")
    problems = found(content)
    assert len(problems) == 1
    assert problems[0].splitlines()[:2] == [
        f"error: handouts/widgetol.yaml, line {line_of(path, 'It helps people')}, "
        "field 'summary.key_points[1].text'",
        "  This sentence sums up a fact with 'moderate' evidence but does not hedge like it."]


def test_summary_and_basics_must_name_real_facts_of_the_right_kind(content):
    path = content / HANDOUT
    edit(path, "facts: [widgetol-what]}", "facts: [widgetol-whut]}")
    edit(path, "  harms: [widgetol-sleepy,", "  harms: [widgetol-helps, widgetol-sleepy,")
    problems = found(content)
    assert any("field 'summary.key_points[0].facts[0]'" in p and
               "Did you mean 'widgetol-what'?" in p for p in problems), problems
    assert any("field 'basics.harms[0]'" in p and "under 'harms', but it is a 'evidence' fact"
               in p for p in problems), problems


def test_basics_fact_missing_from_the_full_handout_is_warned(content):
    edit(content / HANDOUT, "  risks: [widgetol-sleepy, widgetol-drowsy-numbers]",
         "  risks: [widgetol-sleepy]")
    problems = found(content)
    assert len(problems) == 1
    assert "The basics print 'widgetol-drowsy-numbers', which the full handout does not" \
        in problems[0]


def test_no_basics_means_no_basics_sheet_and_a_warning(content, run, tmp_path):
    text = (content / HANDOUT).read_text()
    start, end = text.index("basics:\n"), text.index("flyer:")
    (content / HANDOUT).write_text(text[:start] + text[end:])
    problems = found(content)
    assert len(problems) == 2 and "so no 'The basics' sheet is built for Alphaland" \
        in problems[0]
    out = tmp_path / "out"
    assert run("--facts", str(content), "--output", str(out))[0] == 0
    assert not (out / "widgetol" / "aa-basics.pdf").exists()
    assert (out / "widgetol" / "aa.pdf").exists()


# ---------------------------------------------------------------- about this handout


def test_example_funding_and_missing_about_are_warned(content):
    edit(content / "clinic.yaml", "funding: The fixture clinic pays",
         "funding: Example only. The fixture clinic pays")
    problems = found(content)
    assert len(problems) == 1 and "The funding statement is still the shipped example" \
        in problems[0]
    text = (content / "clinic.yaml").read_text()
    start, end = text.index("about:\n"), text.index("review_policy:")
    (content / "clinic.yaml").write_text(text[:start] + text[end:])
    problems = found(content)
    assert len(problems) == 1 and "clinic.yaml has no 'about' settings" in problems[0]


def test_steps_are_numbered_in_both_levels_and_must_be_of_the_right_kind(content, run, tmp_path):
    edit(content / HANDOUT, "  risks: [widgetol-sleepy, widgetol-drowsy-numbers]",
         "  risks:\n    - heading: On a treatment day\n      steps: true\n"
         "      facts: [widgetol-sleepy, widgetol-drowsy-numbers]")
    edit(content / HANDOUT, "  legal: [alpha-widgetol-class-c, beta-widgetol-schedule-2]\n  ask:",
         "  steps: [widgetol-sleepy]\n"
         "  legal: [alpha-widgetol-class-c, beta-widgetol-schedule-2]\n  ask:")
    assert found(content) == []
    out = tmp_path / "out"
    assert run("--facts", str(content), "--output", str(out), "--variant", "standard",
               "--variant", "basics")[0] == 0
    from bs4 import BeautifulSoup
    full = BeautifulSoup((out / "widgetol" / "aa.html").read_text(), "html.parser")
    assert [li["id"] for li in full.select("#risks ol.steps > li")] == [
        "fact-widgetol-sleepy", "fact-widgetol-drowsy-numbers"]
    sheet = BeautifulSoup((out / "widgetol" / "aa-basics.html").read_text(), "html.parser")
    assert sheet.select_one("#h-steps").get_text() == "On a treatment day"
    assert [li["id"] for li in sheet.select("#steps ol.steps > li")] == [
        "basics-fact-widgetol-sleepy"]
    # a benefit is not a step of the day
    edit(content / HANDOUT, "  steps: [widgetol-sleepy]", "  steps: [widgetol-helps]")
    problems = found(content)
    assert len(problems) == 1 and "field 'basics.steps[0]'" in problems[0] \
        and "under 'steps', but it is a 'evidence' fact" in problems[0], problems
