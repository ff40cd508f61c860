"""Source provenance and evidence levels that match the kinds of source cited (issue 10).

Each rule breaks the small fixture and pins the message with its file, line and field.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import approve, edit, line_of
from conftest import problems_found as found

from factsheet.build.pipeline import Options, check
from factsheet.checks.provenance import bare_ip, is_copy, provenance
from factsheet.output.render import render_register

TODAY = date(2026, 11, 21)
FACTS = Path("topics") / "widgetol.yaml"

# the citation of widgetol-what (facts[0], rated 'regulator'), and of the Class C law (facts[4])
WHAT_CITES_LABEL = "      - source: widget-label\n        quote: Widgetol is a medicine."
CLASS_C_CITES_LAW = "      - source: alpha-law\n        quote: Widgetol is listed in Class C."


def add_source(content: Path, source_id: str, kind: str, text: str, extra: str = "",
               url: str | None = None) -> None:
    """Add a source (and its archived copy, holding ``text``) to the fixture."""
    with (content / "sources.yaml").open("a", encoding="utf-8") as f:
        f.write(f"  - id: {source_id}\n    title: {source_id} title\n    publisher: Tester\n"
                f"    kind: {kind}\n    published: '2024'\n"
                f"    url: {url or 'https://pages.test/' + source_id}\n"
                f"    accessed: 2026-01-10\n{extra}")
    (content / "archive" / f"{source_id}.txt").write_text(text + "\n", encoding="utf-8")


def cite(content: Path, old_citation: str, source_id: str) -> None:
    """Point an existing citation at another source, keeping its quote."""
    source = old_citation.split("source: ", 1)[1].split("\n", 1)[0]
    edit(content / FACTS, old_citation, old_citation.replace(f"source: {source}",
                                                             f"source: {source_id}"))


# ---------------------------------------------------------------- levels match kinds


def test_regulator_fact_citing_only_news_is_an_error(content):
    add_source(content, "widget-news", "news", "Widgetol is a medicine.")
    cite(content, WHAT_CITES_LABEL, "widget-news")
    assert found(content) == ["\n".join([
        f"error: topics/widgetol.yaml, line {line_of(content / FACTS, 'evidence: regulator')}, "
        "field 'facts[0].evidence' (in 'widgetol-what')",
        "  The fact 'widgetol-what' is rated 'regulator' but cites no regulator's label, "
        "government page or guideline (it cites: news).",
        "  How to fix: Cite the regulator's own label or page, or change the evidence level.",
    ])]


def test_law_fact_citing_only_a_guideline_is_an_error(content):
    add_source(content, "alpha-guideline", "guideline", "Widgetol is listed in Class C.")
    cite(content, CLASS_C_CITES_LAW, "alpha-guideline")
    assert found(content) == ["\n".join([
        f"error: topics/widgetol.yaml, line {line_of(content / FACTS, 'evidence: law')}, "
        "field 'facts[4].evidence' (in 'alpha-widgetol-class-c')",
        "  The fact 'alpha-widgetol-class-c' is rated 'law' but cites no legislation or "
        "government page (it cites: guideline).",
        "  How to fix: Cite the legislation itself or the government's own page, or change the "
        "evidence level.",
    ])]


@pytest.mark.parametrize("citation, kind", [(WHAT_CITES_LABEL, "government"),
                                            (WHAT_CITES_LABEL, "guideline"),
                                            (CLASS_C_CITES_LAW, "government")])
def test_government_pages_and_guidelines_are_enough(content, citation, kind):
    add_source(content, "other-page", kind,
               "Widgetol is a medicine. Widgetol is listed in Class C.")
    cite(content, citation, "other-page")
    assert found(content) == []


def test_one_matching_source_is_enough(content):
    add_source(content, "widget-news", "news", "Widgetol is a medicine.")
    edit(content / FACTS, WHAT_CITES_LABEL, WHAT_CITES_LABEL.replace("widget-label", "widget-news")
         + "\n        location: Page 1\n" + WHAT_CITES_LABEL)
    assert found(content) == []


def test_a_drug_reference_is_not_enough_for_regulator(content):
    add_source(content, "widget-reference", "drug-reference", "Widgetol is a medicine.")
    cite(content, WHAT_CITES_LABEL, "widget-reference")
    problems = found(content)
    assert len(problems) == 1
    assert "'widgetol-what' is rated 'regulator' but cites no regulator's label, government " \
           "page or guideline (it cites: drug-reference)." in problems[0]


def test_a_drug_reference_is_not_weak_like_news(content):
    # a moderate claim citing only news is an error (test_trust); a drug reference is not news
    edit(content / "sources.yaml", "    kind: systematic-review", "    kind: drug-reference")
    assert found(content) == []  # widgetol-helps is 'moderate' and cites only the reference


# ---------------------------------------------------------------- copies


COPY_OF = "    copy_of:\n      title: Widgetol label\n      url: https://agency.test/widgetol\n"


def test_regulator_fact_resting_only_on_a_copy_is_a_warning(content):
    add_source(content, "widget-label-copy", "regulator-label",
               "Section 1. Widgetol is a medicine.", COPY_OF)
    cite(content, WHAT_CITES_LABEL, "widget-label-copy")
    assert found(content) == ["\n".join([
        f"warning: topics/widgetol.yaml, line {line_of(content / FACTS, 'evidence: regulator')}, "
        "field 'facts[0].evidence' (in 'widgetol-what')",
        "  The fact 'widgetol-what' is rated 'regulator' but rests only on copies, not on text "
        "read from the publisher: 'widget-label-copy' (copy of Widgetol label).",
        "  How to fix: Check the quote against the official document and cite it from its "
        "publisher, or add a source read from the publisher. With --release this is an error.",
    ])]


def test_resting_only_on_a_copy_is_an_error_with_release(run, content):
    add_source(content, "widget-label-copy", "regulator-label",
               "Section 1. Widgetol is a medicine.", COPY_OF)
    cite(content, WHAT_CITES_LABEL, "widget-label-copy")
    approve(content, "aa", "bb")  # so that the only problem left is the copy
    problems = found(content, release=True)
    assert len(problems) == 1, problems
    assert problems[0].startswith(
        f"error: topics/widgetol.yaml, line {line_of(content / FACTS, 'evidence: regulator')}, "
        "field 'facts[0].evidence' (in 'widgetol-what')\n  The fact 'widgetol-what' is rated "
        "'regulator' but rests only on copies")
    assert "With --release" not in problems[0]
    # the command line passes --release through to the check
    code, _, stderr = run("check", "--release", "--facts", str(content))
    assert code == 1 and "rests only on copies" in stderr
    assert "topics/widgetol.yaml, line" in stderr and "Stopped: 1 error (1 provenance)" in stderr


def test_only_sources_that_can_carry_the_level_count(content):
    # widget-label becomes a copy. The drowsiness numbers also cite a review read from its
    # publisher, but a review cannot make a 'regulator' fact official: all three warn
    edit(content / "sources.yaml", "    url: https://agency.test/widgetol\n",
         "    url: https://labels.test/widgetol\n" + COPY_OF)
    problems = found(content)
    assert [p.splitlines()[0].rsplit("'", 2)[1] for p in problems] == [
        "widgetol-what", "widgetol-drowsy-numbers", "tell-about-heart"]
    assert all("rests only on copies" in p for p in problems)


def label_copy_beside(content: Path, source_id: str, kind: str) -> None:
    """widget-label becomes a copy; widgetol-what also cites a source of ``kind``."""
    edit(content / "sources.yaml", "    url: https://agency.test/widgetol\n",
         "    url: https://labels.test/widgetol\n" + COPY_OF)
    add_source(content, source_id, kind, "Widgetol is a medicine.")
    edit(content / FACTS, WHAT_CITES_LABEL, WHAT_CITES_LABEL + "\n        location: Section 1\n"
         f"      - source: {source_id}\n        quote: Widgetol is a medicine.")


def test_a_copy_beside_a_government_page_read_from_the_publisher_is_fine(content):
    label_copy_beside(content, "widget-agency-page", "government")
    problems = found(content)
    assert "widgetol-what" not in "\n".join(problems), problems


def test_a_makers_page_beside_a_label_copy_does_not_hide_the_copy(content):
    label_copy_beside(content, "widget-maker-faq", "blog-marketing")
    problems = [p for p in found(content) if "'widgetol-what'" in p]
    assert len(problems) == 1 and "rests only on copies" in problems[0]
    assert "widget-maker-faq" not in problems[0]  # only the copy is named


def test_low_evidence_may_rest_on_a_copy(content):
    add_source(content, "widget-review-copy", "systematic-review",
               "Results: Drowsiness was common.", "    copy_of:\n      title: The review\n")
    edit(content / FACTS, "      - source: widget-review\n        quote: Drowsiness was common.",
         "      - source: widget-review-copy\n        quote: Drowsiness was common.")
    edit(content / FACTS, "      - source: widget-label\n        quote: May cause drowsiness.\n"
                          "        location: Section 4\n    checked: {by: Test editor, "
                          "date: 2026-01-10}\n    review_due: 2027-01-10\n  - id: widgetol-drowsy",
         "    checked: {by: Test editor, date: 2026-01-10}\n    review_due: 2027-01-10\n"
         "  - id: widgetol-drowsy")
    assert found(content) == []  # widgetol-sleepy is 'low': a copy is allowed


def test_source_on_a_bare_ip_address_is_a_warning_and_a_copy(content):
    edit(content / "sources.yaml", "url: https://journal.test/review",
         "url: http://203.0.113.7:8081/review")
    sources, facts = content / "sources.yaml", content / FACTS
    assert found(content) == [
        "\n".join([
            f"warning: sources.yaml, line {line_of(sources, '203.0.113.7')}, "
            "field 'sources[1].url' (in 'widget-review')",
            "  The source 'widget-review' is hosted on a bare IP address (203.0.113.7), so it is "
            "treated as a copy, not as text read from the publisher.",
            "  How to fix: Find the document on its publisher's own website and cite that "
            "address; if you keep this copy, name the official document under 'copy_of'. "
            "With --release this is an error."]),
        "\n".join([
            f"warning: topics/widgetol.yaml, line {line_of(facts, 'evidence: moderate')}, "
            "field 'facts[1].evidence' (in 'widgetol-helps')",
            "  The fact 'widgetol-helps' is rated 'moderate' but rests only on copies, not on "
            "text read from the publisher: 'widget-review' (hosted on a bare IP address).",
            "  How to fix: Check the quote against the official document and cite it from its "
            "publisher, or add a source read from the publisher. With --release this is an "
            "error."]),
    ]
    approve(content, "aa", "bb")
    assert [p.split(":", 1)[0] for p in found(content, release=True)] == ["error", "error"]


def test_bare_ip_and_copy_detection():
    assert bare_ip("http://47.251.13.51:8081/21546160") == "47.251.13.51"
    assert bare_ip("https://[2001:db8::1]/label") == "2001:db8::1"
    assert bare_ip("https://agency.test/widgetol") is None
    assert bare_ip("https://1.2.3.4.example.org/x") is None
    assert bare_ip(None) is None


def test_copy_of_is_validated(content):
    edit(content / "sources.yaml", "    url: https://agency.test/widgetol\n",
         "    url: https://agency.test/widgetol\n    copy_of:\n      titel: Widgetol label\n")
    problems = "\n".join(found(content))
    assert "field 'sources[0].copy_of.titel' (in 'widget-label')" in problems
    assert "Did you mean 'title'?" in problems and "Fields allowed here: title, url." in problems


# ---------------------------------------------------------------- the register


def test_register_shows_the_provenance_of_each_citation(content):
    edit(content / "sources.yaml", "    url: https://agency.test/widgetol\n",
         "    url: https://labels.test/widgetol\n" + COPY_OF)
    result = check(Options(facts=content, today=TODAY))
    page = BeautifulSoup(render_register(result.catalogue, result.trust, TODAY), "html.parser")

    def shown(item_id: str) -> list[str]:
        return [" ".join(p.get_text().split())
                for p in page.select(f"#item-{item_id} .provenance")]

    assert shown("widgetol-what") == [
        "Provenance: copy of Widgetol label, https://agency.test/widgetol"]
    link = page.select_one("#item-widgetol-what .provenance a")
    assert link["href"] == "https://agency.test/widgetol"
    assert shown("widgetol-helps") == ["Provenance: read from the publisher"]
    assert shown("widgetol-sleepy") == ["Provenance: read from the publisher",
                                        "Provenance: copy of Widgetol label, "
                                        "https://agency.test/widgetol"]
    what = page.select_one("#item-widgetol-what")
    assert "warning" in what["data-flags"].split()
    assert "rests only on copies" in what.select_one(".notes").get_text()


def test_provenance_text_for_each_kind_of_source():
    from factsheet.content import model as m

    base = dict(title="T", publisher="P", kind="regulator-label", published="2024",
                accessed="2026-01-10")
    official = m.Source(id="aa", url="https://agency.test/x", **base)
    copy = m.Source(id="bb", url="https://copies.test/x",
                    copy_of={"title": "The label", "url": "https://agency.test/x"}, **base)
    ip = m.Source(id="cc", url="http://192.0.2.1/x", **base)
    assert not is_copy(official) and is_copy(copy) and is_copy(ip)
    assert provenance(official).text == "read from the publisher"
    assert provenance(copy).text == "copy of The label, https://agency.test/x"
    assert provenance(ip).text == ("a copy; the official document is not named "
                                   "(hosted on a bare IP address, 192.0.2.1)")
