"""Validation: every error names file, line and field, says what is wrong and how to fix it."""

from pathlib import Path

from conftest import edit, line_of

from factsheet.problems import Report
from factsheet.content.validate import load_catalogue


def problems(content: Path) -> list[str]:
    report = Report()
    load_catalogue(content, report)
    return [p.format(content) for p in report.problems]


def only_error(content: Path) -> str:
    found = problems(content)
    assert len(found) == 1, found
    return found[0]


def test_fixture_is_valid(content):
    assert problems(content) == []


def test_unknown_key_suggests_the_right_spelling(content):
    path = content / "topics" / "widgetol.yaml"
    edit(path, "    statement: Widgetol is a test drug.", "    statment: Widgetol is a test drug.")
    line = line_of(path, "statment:")
    assert only_error(content).splitlines() == [
        f"error: topics/widgetol.yaml, line {line}, field 'facts[0].statment' (in 'widgetol-what')",
        "  'statment' is not a known field here.",
        "  How to fix: Did you mean 'statement'? Check the spelling. Fields allowed here: "
        "id, section, statement, plain, frequency, derived_numbers, evidence, jurisdictions, "
            "citations, checked, "
        "review_due.",
    ]


def test_missing_required_field_points_at_the_entry(content):
    path = content / "sources.yaml"
    edit(path, "    publisher: Beta Government\n", "")
    found = only_error(content)
    assert found.startswith(f"error: sources.yaml, line {line_of(path, '- id: beta-law')}, "
                            "field 'sources[3].publisher'")
    assert "The required field 'publisher' is missing." in found
    assert "Organisation or authors responsible for the source." in found


def test_unknown_evidence_level_lists_the_allowed_ones(content):
    path = content / "topics" / "widgetol.yaml"
    edit(path, "evidence: moderate", "evidence: medium")
    assert only_error(content).splitlines() == [
        f"error: topics/widgetol.yaml, line {line_of(path, 'evidence: medium')}, "
        "field 'facts[1].evidence' (in 'widgetol-helps')",
        "  'medium' is not an allowed value for 'evidence'.",
        "  How to fix: Use one of: 'high', 'moderate', 'low', 'very-low', 'regulator', 'law', 'background'.",
    ]


def test_impossible_date(content):
    path = content / "topics" / "widgetol.yaml"
    edit(path, "review_due: 2027-01-10", "review_due: 2027-02-30")
    found = only_error(content)
    assert found.startswith(f"error: topics/widgetol.yaml, line {line_of(path, '2027-02-30')}, "
                            "field 'facts[0].review_due'")
    assert "'2027-02-30' is not a real calendar date." in found


def test_badly_written_date(content):
    path = content / "sources.yaml"
    edit(path, "accessed: 2026-01-10", "accessed: 10/01/2026")
    assert "'10/01/2026' is not a date written YYYY-MM-DD." in only_error(content)


def test_wrong_type_list_instead_of_text(content):
    path = content / "topics" / "widgetol.yaml"
    edit(path, "    statement: Widgetol is a test drug.",
         "    statement:\n      - Widgetol is a test drug.")
    found = only_error(content)
    assert f"line {line_of(path, '    statement:')}, field 'facts[0].statement'" in found
    assert "must be a single piece of text, not a list" in found


def test_number_where_a_whole_number_is_needed(content):
    path = content / "clinic.yaml"
    edit(path, "review_interval_months: 12", "review_interval_months: twelve")
    found = only_error(content)
    assert found.startswith(f"error: clinic.yaml, line {line_of(path, 'twelve')}, "
                            "field 'review_policy.review_interval_months'")
    assert "'twelve' is not a whole number." in found


def test_duplicate_key_is_an_error_not_a_silent_overwrite(content):
    path = content / "sources.yaml"
    edit(path, "    kind: legislation\n    published: unknown",
         "    kind: legislation\n    kind: news\n    published: unknown")
    found = only_error(content)
    assert found.startswith(f"error: sources.yaml, line {line_of(path, 'kind: news')}, "
                            "field 'sources[3].kind'")
    assert "appears twice" in found


def test_citation_of_unknown_source(content):
    path = content / "topics" / "widgetol.yaml"
    edit(path, "- source: widget-review\n        quote: Widgetol probably",
         "- source: widget-reveiw\n        quote: Widgetol probably")
    assert only_error(content).splitlines() == [
        f"error: topics/widgetol.yaml, line {line_of(path, 'widget-reveiw')}, "
        "field 'facts[1].citations[0].source' (in 'widgetol-helps')",
        "  The source 'widget-reveiw' is not in sources.yaml.",
        "  How to fix: Did you mean 'widget-review'? Add it to sources.yaml first, or fix the id.",
    ]


def test_handout_names_a_fact_that_does_not_exist(content):
    path = content / "handouts" / "widgetol.yaml"
    edit(path, "risks: [widgetol-sleepy,", "risks: [widgetol-sleepyy,")
    assert only_error(content).splitlines() == [
        f"error: handouts/widgetol.yaml, line {line_of(path, 'widgetol-sleepyy')}, "
        "field 'sections.risks[0]'",
        "  The handout names the fact 'widgetol-sleepyy', which does not exist.",
        "  How to fix: Did you mean 'widgetol-sleepy'? Check the id against the files in topics/.",
    ]


def test_fact_in_the_wrong_section(content):
    path = content / "handouts" / "widgetol.yaml"
    edit(path, "  risks: [widgetol-sleepy, ", "  risks: [widgetol-sleepy, widgetol-helps, ")
    edit(path, "  evidence: [widgetol-helps]\n", "")
    found = only_error(content)
    assert "The fact 'widgetol-helps' belongs in the section 'evidence', but is listed under " \
           "'risks'." in found
    assert f"handouts/widgetol.yaml, line {line_of(path, 'risks:')}, field 'sections.risks[1]'" \
        in found


def test_duplicate_fact_id_across_files(content):
    extra = content / "topics" / "zz-more.yaml"
    extra.write_text(
        "facts:\n"
        "  - id: widgetol-what\n"
        "    section: what-it-is\n"
        "    statement: Another.\n"
        "    evidence: regulator\n"
        "    citations: [{source: widget-label, quote: q, location: l}]\n"
        "    checked: {by: Test editor, date: 2026-01-10}\n"
        "    review_due: 2027-01-10\n", encoding="utf-8")
    found = only_error(content)
    assert found.startswith("error: topics/zz-more.yaml, line 2, field 'facts[0].id'")
    assert "The fact id 'widgetol-what' is used twice (first in widgetol.yaml, line 4)." in found


def test_legal_fact_must_say_where_it_applies(content):
    path = content / "topics" / "widgetol.yaml"
    edit(path, "    jurisdictions: [aa]\n", "")
    found = only_error(content)
    assert "The legal fact 'alpha-widgetol-class-c' does not say where it applies." in found


def test_unknown_jurisdiction(content):
    path = content / "topics" / "widgetol.yaml"
    edit(path, "jurisdictions: [aa]", "jurisdictions: [zz]")
    found = only_error(content)
    assert f"line {line_of(path, '[zz]')}, field 'facts[4].jurisdictions[0]'" in found
    assert "The jurisdiction 'zz' is not in jurisdictions.yaml." in found
    assert "Use one of: aa, bb." in found


def test_claim_without_citations_or_evidence(content):
    path = content / "topics" / "widgetol.yaml"
    edit(path, "    evidence: regulator\n    citations:\n      - source: widget-label\n"
               "        quote: Widgetol is a medicine.\n        location: Section 1\n", "")
    found = problems(content)
    assert len(found) == 2
    assert "The fact 'widgetol-what' has no evidence level." in found[0]
    assert "The fact 'widgetol-what' has no citations." in found[1]


def test_independent_errors_are_reported_together(content):
    edit(content / "sources.yaml", "kind: legislation", "kind: law-text")
    edit(content / "topics" / "widgetol.yaml", "evidence: low", "evidence: lowish")
    edit(content / "handouts" / "widgetol.yaml", "audience: Test readers", "audiense: Test readers")
    found = problems(content)
    assert len(found) == 3
    assert [f.split(",")[0] for f in found] == [
        "error: sources.yaml", "error: topics/widgetol.yaml", "error: handouts/widgetol.yaml"]


def test_example_clinic_gives_a_warning(content):
    edit(content / "clinic.yaml", "fixture@clinic.test", "info@example.org")
    report = Report()
    load_catalogue(content, report)
    assert report.errors == []
    assert len(report.warnings) == 1
    warning = report.warnings[0].format(content)
    assert warning.startswith("warning: clinic.yaml, line 5, field 'organisation.email'")
    assert "fictional example clinic" in warning


def test_missing_file(content):
    (content / "sources.yaml").unlink()
    found = problems(content)
    assert found[0].startswith("error: sources.yaml")
    assert "The sources file is missing." in found[0]
