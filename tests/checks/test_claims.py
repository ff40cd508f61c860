"""'Claims you may have read': an article's claim, quoted exactly, with a verdict and its facts."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from conftest import edit, line_of

from factsheet.build.pipeline import Options, check
from factsheet.problems import ContentError

CLAIM = """
claims:
  - id: claim-widgetol-cures
    claim:
      source: widget-blog
      quote: Widgetol cures sadness in one day.
      location: Paragraph 2
    paraphrase: Widgetol makes sadness go away in a day.
    verdict: wrong
    answer: Widgetol probably helps some people who feel sad. Nothing shows it cures sadness.
    backed_by: [widgetol-helps]
    checked: {by: Test editor, date: 2026-01-10}
    review_due: 2027-01-10
"""

BLOG = """
  - id: widget-blog
    title: Widgetol, the miracle pill
    publisher: A widget blog
    kind: blog-marketing
    published: unknown
    accessed: 2026-01-10
    archive: articles/000_widget.txt
"""


def add_claim(content: Path) -> None:
    (content / "topics" / "widgetol.yaml").write_text(
        (content / "topics" / "widgetol.yaml").read_text(encoding="utf-8") + CLAIM,
        encoding="utf-8")
    (content / "sources.yaml").write_text(
        (content / "sources.yaml").read_text(encoding="utf-8") + BLOG, encoding="utf-8")
    (content / "articles").mkdir()
    (content / "articles" / "000_widget.txt").write_text(
        "Widgetol, the miracle pill\n\nIt is great. Widgetol cures\nsadness in one day.\n",
        encoding="utf-8")
    edit(content / "handouts" / "widgetol.yaml", "approvals: []",
         "approvals: []\n", 1)
    edit(content / "handouts" / "widgetol.yaml", "  tell-your-doctor: [tell-about-heart]",
         "  tell-your-doctor: [tell-about-heart]\n  claims: [claim-widgetol-cures]")


def test_claim_is_printed_with_its_article_verdict_and_sources(run, content, tmp_path):
    add_claim(content)
    out = tmp_path / "out"
    code, stdout, stderr = run("--facts", str(content), "--output", str(out))
    assert code == 0, stderr
    assert "16 of 16 quotes verified" in stdout  # the claim's quote is checked in the article
    page = BeautifulSoup((out / "widgetol" / "aa.html").read_text(encoding="utf-8"), "html.parser")
    section = page.select_one("#claims")
    assert section.h2.get_text() == "Claims you may have read"
    claim = section.select_one("li.claim")
    # printed as a short paraphrase; the exact words stay in the page, behind a disclosure
    assert claim.select_one(".claim-said").get_text(" ", strip=True) == (
        "An article said: Widgetol makes sadness go away in a day.")
    assert claim.select_one("details.claim-exact summary").get_text() == \
        "The article's exact words"
    assert claim.blockquote.get_text(strip=True) == "“Widgetol cures sadness in one day.”"
    assert "Widgetol, the miracle pill" in claim.select_one(".claim-from").get_text()
    answer = claim.select_one(".claim-answer").get_text(" ", strip=True)
    assert answer.startswith("Verdict: Wrong. Widgetol probably helps some people who feel sad.")
    refs = {a["href"] for a in claim.select(".refs a")}
    listed = {f"#{li['id']}" for li in page.select("ol.references li")}
    assert refs <= listed and len(refs) == 2  # the article, and the review behind the verdict
    article_ref = claim.select_one(".claim-from .refs a")["href"]
    article = page.select_one(f"ol.references li{article_ref}").get_text(" ", strip=True)
    assert "Kept on file as 000_widget.txt" in article
    # the section sits between the legal status and talk to your doctor
    headings = [h["id"] for h in page.select("main h2")]
    assert headings.index("h-claims") == headings.index("h-legal") + 1


def test_misquoted_claim_is_an_error_with_the_closest_passage(content):
    add_claim(content)
    edit(content / "topics" / "widgetol.yaml", "quote: Widgetol cures sadness in one day.",
         "quote: Widgetol cures sadness in a day.")
    try:
        check(Options(facts=content))
    except ContentError as exc:
        messages = [p.format(content) for p in exc.problems]
    else:
        raise AssertionError("expected an error")
    assert len(messages) == 1
    path = content / "topics" / "widgetol.yaml"
    assert messages[0].startswith(
        f"error: topics/widgetol.yaml, line {line_of(path, 'in a day')}, "
        "field 'claims[0].claim.quote' (in 'claim-widgetol-cures')")
    assert 'The closest passage in the copy is: "Widgetol cures sadness in one day."' \
        in messages[0]


def test_claim_backed_by_a_missing_fact(content):
    add_claim(content)
    edit(content / "topics" / "widgetol.yaml", "backed_by: [widgetol-helps]",
         "backed_by: [widgetol-help]")
    try:
        check(Options(facts=content))
    except ContentError as exc:
        text = "\n".join(p.format(content) for p in exc.problems)
    assert "The claim 'claim-widgetol-cures' is backed by the fact 'widgetol-help', which does " \
           "not exist." in text
    assert "Did you mean 'widgetol-helps'?" in text


def test_source_without_address_needs_a_kept_copy(content):
    add_claim(content)
    edit(content / "sources.yaml", "    archive: articles/000_widget.txt\n", "")
    try:
        check(Options(facts=content))
    except ContentError as exc:
        text = "\n".join(p.format(content) for p in exc.problems)
    assert "The source 'widget-blog' has no address." in text
