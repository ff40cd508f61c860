"""Trust checks: each rule breaks a small fixture and pins the exact message, file and line."""

from __future__ import annotations

import os
import re

from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import REAL_FACTS, TODAY, edit, line_of
from conftest import problems_found as found

from factsheet.checks.quotes import Archive, normalise
from factsheet.checks.readability import score

FACTS = Path("topics") / "widgetol.yaml"


def one(content: Path, **kwargs) -> list[str]:
    problems = found(content, **kwargs)
    assert len(problems) == 1, problems
    return problems[0].splitlines()


def test_fixture_passes_every_check(content):
    assert found(content) == []


# ---------------------------------------------------------------- citations


def test_strong_claim_citing_only_news_is_an_error(content):
    edit(content / "sources.yaml", "    kind: systematic-review", "    kind: news")
    path = content / FACTS
    assert one(content) == [
        f"error: topics/widgetol.yaml, line {line_of(path, 'evidence: moderate')}, "
        "field 'facts[1].evidence' (in 'widgetol-helps')",
        "  The fact 'widgetol-helps' is rated 'moderate' but cites only news, blog or "
        "marketing sources.",
        "  How to fix: Cite a systematic review, trial, guideline, regulator or law, or lower "
        "the evidence level.",
    ]


def test_low_claim_may_cite_a_blog(content):
    edit(content / "sources.yaml", "    kind: systematic-review", "    kind: blog-marketing")
    edit(content / FACTS, "evidence: moderate", "evidence: low")
    edit(content / FACTS, "Widgetol probably helps", "Widgetol may help", count=2)
    edit(content / "handouts" / "widgetol.yaml", "probably helps", "may help", count=2)
    assert found(content) == []


def test_empty_quote_and_missing_location(content):
    edit(content / FACTS, "quote: Drowsiness was common.", 'quote: ""')
    edit(content / FACTS, "        location: Section 4\n", "", count=1)
    problems = found(content)
    assert len(problems) == 2
    assert "field 'facts[2].citations[0].quote' (in 'widgetol-sleepy')\n  'quote' is empty." \
        in problems[0]
    assert "The required field 'location' is missing." in problems[1]


# ---------------------------------------------------------------- dates


def test_check_date_in_the_future_is_an_error(content):
    path = content / FACTS
    edit(path, "    checked: {by: Test editor, date: 2026-01-10}\n    review_due: 2027-01-10\n"
               "  - id: widgetol-helps",
         "    checked: {by: Test editor, date: 2026-12-01}\n    review_due: 2027-01-10\n"
         "  - id: widgetol-helps")
    assert one(content)[:2] == [
        f"error: topics/widgetol.yaml, line {line_of(path, '2026-12-01')}, "
        "field 'facts[0].checked.date' (in 'widgetol-what')",
        "  The check date of 'widgetol-what' (2026-12-01) is in the future.",
    ]


def test_overdue_review_is_a_warning_naming_fact_file_and_line(content):
    path = content / FACTS
    edit(path, "review_due: 2027-01-10\n  - id: widgetol-helps",
         "review_due: 2026-11-01\n  - id: widgetol-helps")
    assert one(content) == [
        f"warning: topics/widgetol.yaml, line {line_of(path, '2026-11-01')}, "
        "field 'facts[0].review_due' (in 'widgetol-what')",
        "  The review of 'widgetol-what' was due on 2026-11-01 (20 days ago).",
        "  How to fix: Check it against its sources again, then update 'checked' and "
        "'review_due'.",
    ]


def test_review_due_within_30_days_is_a_warning(content):
    edit(content / FACTS, "review_due: 2027-01-10\n  - id: widgetol-helps",
         "review_due: 2026-12-11\n  - id: widgetol-helps")
    assert one(content)[1] == "  The review of 'widgetol-what' is due on 2026-12-11 (in 20 days)."


def test_warning_window_comes_from_the_review_policy(content):
    edit(content / FACTS, "review_due: 2027-01-10\n  - id: widgetol-helps",
         "review_due: 2026-12-11\n  - id: widgetol-helps")
    edit(content / "clinic.yaml", "  review_interval_months: 12",
         "  review_interval_months: 12\n  warn_before_due_days: 10")
    assert found(content) == []


def test_check_older_than_the_limit_is_an_error(content):
    path = content / FACTS
    edit(path, "date: 2026-01-10}\n    review_due: 2027-01-10\n  - id: widgetol-helps",
         "date: 2023-01-10}\n    review_due: 2027-01-10\n  - id: widgetol-helps")
    assert one(content)[:2] == [
        f"error: topics/widgetol.yaml, line {line_of(path, '2023-01-10')}, "
        "field 'facts[0].checked.date' (in 'widgetol-what')",
        "  'widgetol-what' was last checked on 2023-01-10, more than 3 years ago "
        "(the limit in clinic.yaml).",
    ]
    edit(content / "clinic.yaml", "  review_interval_months: 12",
         "  review_interval_months: 12\n  max_check_age_years: 5")
    assert found(content) == []


def test_contacts_are_checked_too(content):
    path = content / "jurisdictions.yaml"
    edit(path, "      review_due: 2027-01-10", "      review_due: 2026-11-01")
    assert one(content)[:2] == [
        f"warning: jurisdictions.yaml, line {line_of(path, '2026-11-01')}, "
        "field 'jurisdictions[0].emergency.review_due' (in 'aa')",
        "  The review of 'aa-emergency' was due on 2026-11-01 (20 days ago).",
    ]


# ---------------------------------------------------------------- quotes


def test_quote_not_in_the_archive_shows_the_closest_passage(content):
    path = content / FACTS
    edit(path, "quote: Widgetol probably reduces sadness.", "quote: Widgetol surely reduces sadness.")
    assert one(content) == [
        f"error: topics/widgetol.yaml, line {line_of(path, 'surely')}, "
        "field 'facts[1].citations[0].quote' (in 'widgetol-helps')",
        "  The quote is not in the archived copy of 'widget-review' (archive/widget-review.txt). "
        "The closest passage in the copy is: \"Widgetol probably reduces sadness.\"",
        "  How to fix: Copy the quote word for word from the source, or fix the archived copy if "
        "the source has changed.",
    ]


def test_quotes_match_despite_spacing_quote_marks_dashes_and_case(tmp_path):
    copy = tmp_path / "copy.txt"
    copy.write_text("He said \u201cit\u2019s   safe\u201d \u2014 for\nmost people.", encoding="utf-8")
    archive = Archive(tmp_path)
    assert archive.check("he said \"IT'S safe\" - for most people.", copy).status == "verified"
    assert archive.check("it is safe", copy).status == "not found"
    assert archive.check("anything", tmp_path / "missing.txt").status == "no copy"
    assert normalise("A\u2010B\u2013C\u2014D \u2212 E") == "a-b-c-d - e"


def test_source_without_a_copy_is_listed_as_not_verified(content):
    (content / "archive" / "beta-law.txt").unlink()
    path = content / "sources.yaml"
    assert one(content) == [
        f"warning: sources.yaml, line {line_of(path, 'id: beta-law')}, field 'sources[3].id' "
        "(in 'beta-law')",
        "  The source 'beta-law' has no archived text copy (archive/beta-law.txt), so its 1 "
        "quote(s) are not verified.",
        "  How to fix: Save the passage you quote, with its address and the date you read it, "
        "in archive/beta-law.txt.",
    ]


def test_a_source_can_name_its_own_copy_in_a_subfolder(content):
    seeds = content / "archive" / "seeds"
    seeds.mkdir()
    (seeds / "000_article.txt").write_text("It says: Schedule 2 includes widgetol.", encoding="utf-8")
    (content / "archive" / "beta-law.txt").unlink()
    edit(content / "sources.yaml", "    url: https://laws.test/beta",
         "    url: https://laws.test/beta\n    archive: archive/seeds/000_article.txt")
    assert found(content) == []


def _refused(content: Path, declared: str) -> list[str]:
    (content / "archive" / "beta-law.txt").unlink()
    path = content / "sources.yaml"
    edit(path, "    url: https://laws.test/beta", f"    url: https://laws.test/beta\n    archive: {declared}")
    lines = one(content)
    assert lines[0] == (f"error: sources.yaml, line {line_of(path, 'archive: ')}, "
                        "field 'sources[3].archive' (in 'beta-law')")
    assert "is outside the content folder or is not a plain text file, so it is not read" in lines[1]
    assert lines[2] == ("  How to fix: Keep the copy as a .txt file inside facts/ and name it relative "
                        "to that folder, for example 'archive/beta-law.txt'.")
    return lines


def test_a_copy_outside_the_content_folder_is_never_read(content, tmp_path):
    # a quote found in any file would reveal that file's contents one guess at a time
    (tmp_path / "secret.txt").write_text("It says: Schedule 2 includes widgetol.", encoding="utf-8")
    lines = _refused(content, "../secret.txt")
    assert "Schedule 2" not in "\n".join(lines)


def test_an_absolute_archive_path_is_refused(content, tmp_path):
    (tmp_path / "secret.txt").write_text("It says: Schedule 2 includes widgetol.", encoding="utf-8")
    _refused(content, str(tmp_path / "secret.txt"))


def test_a_symlink_out_of_the_content_folder_is_refused(content, tmp_path):
    (tmp_path / "secret.txt").write_text("It says: Schedule 2 includes widgetol.", encoding="utf-8")
    (content / "archive" / "link.txt").symlink_to(tmp_path / "secret.txt")
    _refused(content, "archive/link.txt")


def test_a_fifo_as_archive_is_refused_without_hanging(content):
    os.mkfifo(content / "archive" / "pipe.txt")
    _refused(content, "archive/pipe.txt")


def test_archive_refuses_paths_outside_its_root(tmp_path):
    inside, outside = tmp_path / "facts", tmp_path / "elsewhere.txt"
    inside.mkdir()
    outside.write_text("anything", encoding="utf-8")
    (inside / "ok.txt").write_text("anything", encoding="utf-8")
    archive = Archive(inside)
    assert archive.check("anything", inside / "ok.txt").status == "verified"
    assert archive.check("anything", inside / ".." / "elsewhere.txt").status == "no copy"
    assert archive.refuses(inside / ".." / "elsewhere.txt")


def test_archive_folder_is_configurable(content):
    (content / "archive").rename(content / "copies")
    edit(content / "clinic.yaml", "paper: a4", "paper: a4\nquote_archive: copies")
    assert found(content) == []


# ---------------------------------------------------------------- wording


@pytest.mark.parametrize("level, statement, rule", [
    ("low", "Widgetol makes you sleepy.", "low-certainty claims must hedge, for example 'may help'"),
    ("moderate", "Widgetol makes you sleepy.",
     "moderate-certainty claims must say 'probably' or 'likely'"),
    ("very-low", "Widgetol may make you sleepy.",
     "very-low-certainty claims must say the evidence is very uncertain or that it is not known"),
])
def test_wording_must_match_the_evidence_level(content, level, statement, rule):
    path = content / FACTS
    edit(path, "statement: Widgetol may make you sleepy.\n    evidence: low",
         f"statement: {statement}\n    evidence: {level}")
    lines = one(content)
    assert lines[0] == (f"error: topics/widgetol.yaml, line {line_of(path, statement)}, "
                        "field 'facts[2].statement' (in 'widgetol-sleepy')")
    assert lines[1] == (f"  The wording of 'widgetol-sleepy' does not match its evidence level "
                        f"'{level}': {rule}.")
    assert "(see wording.yaml)" in lines[2]


def test_hedged_wording_passes(content):
    edit(content / FACTS, "statement: Widgetol may make you sleepy.\n    evidence: low",
         "statement: It is very uncertain whether widgetol makes you sleepy.\n"
         "    evidence: very-low")
    assert found(content) == []


def test_promotional_words_are_warnings(content):
    path = content / FACTS
    edit(path, "statement: Widgetol is a test drug.", "statement: Widgetol is a proven cure.")
    problems = found(content)
    assert len(problems) == 2
    assert problems[0].splitlines()[:2] == [
        f"warning: topics/widgetol.yaml, line {line_of(path, 'proven cure')}, "
        "field 'facts[0].statement' (in 'widgetol-what')",
        "  The statement of 'widgetol-what' uses 'cure', an absolute or promotional word.",
    ]
    assert "uses 'proven'" in problems[1]


def test_word_lists_live_in_the_wording_file(content):
    edit(content / FACTS, "statement: Widgetol is a test drug.", "statement: Widgetol is a superb drug.")
    assert found(content) == []
    edit(content / "wording.yaml", "promotional:\n", "promotional:\n  - superb\n")
    assert "uses 'superb'" in one(content)[1]


# ---------------------------------------------------------------- readability


def test_section_over_the_reading_target_names_it_and_its_hardest_sentence(content):
    path = content / FACTS
    hard = ("Widgetol may occasionally precipitate considerable somnolence, particularly "
            "following concomitant administration of additional sedating medications.")
    edit(path, "statement: Widgetol may make you sleepy.", f"statement: {hard}")
    handout = content / "handouts" / "widgetol.yaml"
    problems = found(content)
    # the basics print the fact too: they are over their own (grade 6) target as well
    assert any("The section 'the basics' of 'widgetol' (aa) is above the reading target"
               in p for p in problems), problems
    lines = next(p for p in problems if "'risks'" in p).splitlines()
    assert lines[0] == (f"warning: handouts/widgetol.yaml, line {line_of(handout, 'risks:')}, "
                        "field 'sections.risks'")
    assert lines[1].startswith("  The section 'risks' of 'widgetol' (aa, bb) is above the "
                               "reading target: SMOG ")
    assert f'Hardest sentence: "{hard}"' in lines[1]


def test_targets_come_from_configuration(content):
    edit(content / FACTS, "statement: Widgetol may make you sleepy.",
         "statement: Widgetol may occasionally cause considerable drowsiness.")
    assert len(found(content)) == 1
    edit(content / "clinic.yaml", "paper: a4", "paper: a4\nreadability:\n  max_smog: 20\n"
                                               "  max_grade: 20")
    assert found(content) == []


def test_long_sentence_is_over_target(content):
    long = "Widgetol may make you sleepy " + "and tired " * 12 + "at night."
    edit(content / FACTS, "statement: Widgetol may make you sleepy.", f"statement: {long}")
    risks = [p for p in found(content) if "The section 'risks'" in p]
    assert len(risks) == 1 and "a sentence of 31 words (target 25 or fewer)" in risks[0]


def test_allowed_terms_are_left_out_of_the_syllable_count():
    text = ["Esketamine is a nasal spray. It is taken with an antidepressant."]
    plain = score(text, [])
    allowed = score(text, ["esketamine", "antidepressant"])
    assert allowed.smog < plain.smog and allowed.grade < plain.grade
    assert (plain.sentences, plain.words, plain.longest_sentence) == (2, 11, 6)


def test_readability_works_offline_with_known_counts():
    result = score(["The cat sat on the mat. It was a happy cat."], [])
    assert result.smog == 3.1  # no word of three syllables
    assert result.average_sentence == 5.5


# ---------------------------------------------------------------- approval and release


def test_release_refuses_a_handout_that_is_not_approved(run, content, tmp_path):
    out = tmp_path / "out"
    code, _, stderr = run("--release", "--facts", str(content), "--output", str(out))
    assert code == 1
    assert "The handout 'widgetol' is not approved for its current version" in stderr
    assert "handouts/widgetol.yaml, line" in stderr and "field 'approvals'" in stderr
    assert not out.exists()


def test_release_builds_an_approved_handout(run, content, tmp_path):
    from conftest import approve

    approve(content, "aa", "bb")  # one approval for each edition read
    code, stdout, _ = run("--release", "--facts", str(content), "--output", str(tmp_path / "o"))
    assert code == 0
    assert "Draft" not in stdout


def test_approval_in_the_future_is_an_error(content):
    edit(content / "handouts" / "widgetol.yaml", "approvals: []",
         "approvals:\n  - name: Dr Test\n    role: Test psychiatrist\n    date: 2027-03-01\n"
         "    version: 2026-01-10-abcdef")
    assert "The approval of 'widgetol' is dated 2027-03-01, which is in the future." \
        in one(content)[1]


# ---------------------------------------------------------------- summary and register


def test_summary_counts_errors_and_warnings_by_kind(run, content):
    edit(content / FACTS, "review_due: 2027-01-10\n  - id: widgetol-helps",
         "review_due: 2026-11-01\n  - id: widgetol-helps")
    edit(content / FACTS, "statement: Widgetol is a test drug.", "statement: Widgetol is a miracle.")
    code, stdout, _ = run("check", "--facts", str(content), "--today", "2026-11-21")
    assert code == 0
    assert ("8 facts, 6 sources; 1 handout x 2 jurisdictions; 0 errors, 2 warnings "
            "(1 review due, 1 wording); 15 of 15 quotes verified") in stdout


def test_register_lists_every_fact_with_its_evidence_and_checks(run, content, tmp_path):
    edit(content / FACTS, "review_due: 2027-01-10\n  - id: widgetol-helps",
         "review_due: 2026-11-01\n  - id: widgetol-helps")
    (content / "archive" / "beta-law.txt").unlink()
    out = tmp_path / "out"
    assert run("--facts", str(content), "--output", str(out))[0] == 0
    page = BeautifulSoup((out / "register.html").read_text(encoding="utf-8"), "html.parser")
    items = {a["id"].removeprefix("item-"): a for a in page.select("article.item")}
    assert len(items) == 8 + 6  # every fact and every contact (side-effect lines included)
    helps = items["widgetol-helps"]
    assert "Widgetol probably helps people who feel sad." in helps.get_text()
    assert "Moderate evidence (moderate)" in helps.get_text()
    assert "Widgetol probably reduces sadness." in helps.blockquote.get_text()
    assert "quote found in the archived copy" in helps.get_text()
    assert helps["data-handouts"] == "widgetol" and helps["data-evidence"] == "moderate"
    what = items["widgetol-what"]
    assert what["data-flags"] == "overdue"
    assert "was due on 2026-11-01" in what.select_one(".notes").get_text()
    beta = items["beta-widgetol-schedule-2"]
    assert beta["data-flags"] == "unverified"
    assert "no archived copy: not verified" in beta.get_text()
    # filters by handout, status and evidence; hidden when printed
    assert [s["data-filter"] for s in page.select("select[data-filter]")] == [
        "handouts", "flags", "evidence"]
    assert ".filters { display: none; }" in page.style.get_text()
    assert page.select("table tbody tr")  # reading level by section


# Facts that still rest only on copies of official documents (label-copy sites, mirrors):
# a known gap, kept visible. Each must go once it is cited from its publisher, and no new
# fact may join the list. Only sources that can carry the level count (a maker's FAQ or a drug
# reference beside a label copy does not), which is why four joined on 2026-12-03;
# ketamine-anaesthetic-licence-uk-au is new: the UK leaflet and Australian register entry were
# read only from copies.
COPY_ONLY = {
    "au-no-driving-until-next-day", "ca-ketamine-schedule-i",
    "esketamine-blood-pressure-in-numbers", "esketamine-clinic-uk",
    "esketamine-common-side-effects", "esketamine-dissociation-in-numbers",
    "esketamine-dizziness-nausea-in-numbers", "esketamine-monitoring-au",
    "esketamine-raises-blood-pressure", "esketamine-ride-home",
    "esketamine-sleepy-and-disconnected-often", "fda-compounded-may-be-less-safe",
    "fda-home-use-risk", "ketamine-anaesthetic-licence-uk-au", "ketamine-bladder-symptoms-label",
    "ketamine-can-slow-breathing", "ketamine-mental-effects-can-last",
    "ketamine-not-approved-for-mental-health-us", "ketamine-raises-blood-pressure-and-heart-rate",
    "ketamine-with-sedatives", "pain-no-relief-3-to-5-weeks", "tell-aneurysm-or-brain-bleed",
    "tell-bladder-problems", "tell-eye-problems", "tell-heart-or-blood-pressure",
    "tell-misuse-history", "tell-other-medicines", "tell-psychosis",
    "us-compounded-ketamine-not-approved", "us-no-driving-until-next-day",
}


def test_real_content_passes_strict_apart_from_the_example_clinic_and_known_copies():
    problems = found(REAL_FACTS, today=date.fromisoformat(TODAY), strict=True)
    example = [p for p in problems if "example" in p]
    # the shipped clinic is fictional on purpose: its contact details, funding and conflicts
    assert len(example) == 3, problems
    assert "fictional example clinic" in example[0]
    copies = [p for p in problems if "rests only on copies" in p or "bare IP address" in p]
    resting = {re.search(r"The fact '([^']+)'", p).group(1) for p in copies if "The fact '" in p}
    assert resting == COPY_ONLY, resting ^ COPY_ONLY
    assert sum("bare IP address" in p for p in copies) == 1  # noppers-2011-liver-crps
    # the US online-prescribing rule ends on 31 December 2026: its review is due, truly
    rest = [p for p in problems if p not in example and p not in copies]
    assert len(rest) == 1 and "The review of 'us-online-prescribing' is due" in rest[0], rest


def test_an_archived_copy_too_large_to_be_one_is_refused(content):
    from factsheet.checks.quotes import MAX_COPY_BYTES

    copy = content / "archive" / "beta-law.txt"
    text = copy.read_text(encoding="utf-8")
    copy.write_text(text + " " * (MAX_COPY_BYTES - len(text.encode()) + 1), encoding="utf-8")
    lines = one(content)
    assert lines[0] == ("error: sources.yaml, line "
                        f"{line_of(content / 'sources.yaml', 'id: beta-law')}, field "
                        "'sources[3].id' (in 'beta-law')")
    assert lines[1] == ("  The archived copy of 'beta-law' (archive/beta-law.txt) is larger than "
                        "8 MB, so it is not read.")
    assert lines[2].startswith("  How to fix: Keep only the passages you quote in the copy")


def test_an_archived_copy_that_is_not_utf8_is_an_error_not_a_missing_copy(content):
    copy = content / "archive" / "beta-law.txt"
    copy.write_bytes(copy.read_text(encoding="utf-8").encode("utf-16"))
    lines = one(content)
    assert lines[1] == ("  The archived copy of 'beta-law' (archive/beta-law.txt) is not UTF-8 "
                        "text, so it is not read.")
    assert "UTF-8 encoding" in lines[2]
