"""The shipped content: complete, traceable, and written plainly."""

from __future__ import annotations

import re
import unicodedata

import pytest

from conftest import REAL_FACTS

from factsheet.content.model import Section
from factsheet.problems import Report
from factsheet.content.validate import load_catalogue


@pytest.fixture(scope="module")
def cat():
    report = Report()
    catalogue = load_catalogue(REAL_FACTS, report)
    assert not report.errors, [p.format() for p in report.errors]
    return catalogue


def checked_items(cat):
    yield from (loc.item for _, loc in cat.checked_items())


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[\u2018\u2019\u201a\u201b\u2032`]", "'", text)
    text = re.sub(r"[\u201c\u201d\u201e\u201f\u2033]", '"', text)
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def test_every_fact_has_statement_quotes_and_sources(cat):
    for item in checked_items(cat):
        text = getattr(item, "statement", None) or getattr(item, "answer", None) or item.description
        assert text.strip(), item.id
        if getattr(item, "section", None) and item.section.value == "questions":
            continue
        assert item.citations, item.id
        for citation in item.citations:
            assert citation.quote.strip() and citation.location.strip(), item.id
            assert citation.source in cat.sources, item.id


def test_every_quote_is_in_the_archived_source_text(cat):
    archive = REAL_FACTS / "archive"
    for item in checked_items(cat):
        for citation in item.citations:
            declared = cat.source(citation.source).archive
            copy = REAL_FACTS / declared if declared else archive / f"{citation.source}.txt"
            assert copy.exists(), f"{item.id}: no archived copy of {citation.source}"
            assert normalise(citation.quote) in normalise(copy.read_text(encoding="utf-8")), (
                f"{item.id}: quote not found in {copy.name}: {citation.quote!r}")


def test_every_source_is_cited(cat):
    cited = {c.source for item in checked_items(cat) for c in item.citations}
    assert set(cat.sources) == cited


def test_sentences_are_short(cat):
    for item in checked_items(cat):
        text = getattr(item, "statement", None) or getattr(item, "answer", None) or item.description
        for sentence in re.split(r"(?<=[.?!:])\s+", text):
            assert len(sentence.split()) <= 20, f"{item.id}: {sentence!r}"


def test_each_jurisdiction_has_crisis_and_emergency_numbers(cat):
    assert sorted(cat.jurisdictions) == ["au", "ca", "uk", "us"]
    for loc in cat.jurisdictions.values():
        assert loc.item.emergency.phone
        assert loc.item.crisis_lines and all(c.phone or c.text for c in loc.item.crisis_lines)


def test_the_shipped_handouts_are_not_marked_approved(cat):
    # the project has no clinician's sign-off, so it must not claim one
    for loc in cat.handouts.values():
        assert loc.item.approvals == []


def test_claims_answer_every_seed_article(cat):
    claims = [loc.item for loc in cat.claims.values()]
    assert len(claims) >= 15
    articles = {cat.source(c.claim.source).archive for c in claims}
    assert len(articles) == 5  # at least one claim from each of the five seed articles
    used = {cid for loc in cat.handouts.values() for cid in loc.item.sections.claims}
    assert used <= set(cat.claims)
    # every article is answered in some handout (each handout keeps its list to 7 or fewer)
    assert {cat.claim(c).claim.source for c in used} == {c.claim.source for c in claims}
    for handout in cat.handouts.values():
        assert handout.item.sections.claims, handout.item.id


def test_no_dose_is_given_as_advice(cat):
    # doses may appear only inside a quoted claim that we answer, never in our own words
    for _, loc in cat.checked_items():
        text = getattr(loc.item, "statement", None) or getattr(loc.item, "answer", None) or ""
        assert not re.search(r"\d\s*(mg|milligram|microgram|ml)\b", text, re.I), text


def test_every_handout_has_5_to_7_questions_and_the_tell_list(cat):
    needed = ["blood pressure", "psychosis", "drink or drugs", "pregnant", "breastfeeding", "liver",
              "bladder", "opioid", "stimulants", "MAOI", "sleeping pills"]
    for loc in cat.handouts.values():
        sections = loc.item.sections
        questions = [f for _, f in sections.located(Section.QUESTIONS)]
        assert 5 <= len(questions) <= 7, loc.item.id  # a list of 7 or fewer
        tell = " ".join(cat.fact(f).statement
                        for _, f in sections.located(Section.TELL_YOUR_DOCTOR))
        for words in needed:
            assert words in tell, (loc.item.id, words)
