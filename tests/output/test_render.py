"""What a reader sees: the built HTML and PDF, opened and read, not compared byte for byte."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader



# the main message, help and the evidence key come first; the sources are an annex at the end
SECTION_HEADINGS = ["The main message", "Get help now", "How sure are we?", "What it is",
                    "What the evidence says", "Risks and side effects", "Legal status in",
                    "Claims you may have read", "Talk to your doctor", "About this handout",
                    "Sources (for you and your doctor)"]
HANDOUTS = ["ketamine-chronic-pain", "ketamine-depression", "ketamine-microdosing"]
DRAFT = "DRAFT: awaiting clinical review"
LEVEL_WORDS = {"Strong evidence", "Moderate evidence", "Limited evidence", "Very uncertain",
               "Official information", "The law", "Background"}


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def pdf_pages(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [re.sub(r"\s+", " ", page.extract_text() or "") for page in pdf.pages]


def help_box_text(path: Path) -> str:
    """Page 1's "Get help now" box, read on its own.

    In print the box sits beside the evidence key, so reading the whole page line by line
    would interleave the two columns."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        words = page.extract_words()
        heading = next(w for w, after in zip(words, words[1:])
                       if (w["text"], after["text"]) == ("Get", "help"))
        box = page.crop((0, heading["top"], page.width * 0.52, page.height))
        return re.sub(r"\s+", " ", box.extract_text() or "")


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


JURISDICTIONS = ["us", "uk", "ca", "au"]


@pytest.mark.parametrize("code", JURISDICTIONS)
def test_sections_in_order_in_html_and_pdf(real_build, code):
    page = soup(real_build / "ketamine-depression" / f"{code}.html")
    headings = [flat(h.get_text()) for h in page.find_all("h2")]
    assert len(headings) == len(SECTION_HEADINGS)
    for heading, expected in zip(headings, SECTION_HEADINGS):
        assert heading.startswith(expected)
    text = " ".join(pdf_pages(real_build / "ketamine-depression" / f"{code}.pdf"))
    position = 0
    for heading in SECTION_HEADINGS:  # each found after the one before it
        position = text.find(heading, position)
        assert position != -1, heading


@pytest.mark.parametrize("code", JURISDICTIONS)
def test_only_the_chosen_jurisdictions_legal_facts_appear(real_build, catalogue_real, code):
    handout = catalogue_real.handout("ketamine-depression")
    html_text = flat(soup(real_build / "ketamine-depression" / f"{code}.html").get_text())
    pdf_text = " ".join(pdf_pages(real_build / "ketamine-depression" / f"{code}.pdf"))
    shown = 0
    for fact_id in handout.sections.legal:
        fact = catalogue_real.fact(fact_id)
        statement = flat(fact.statement)
        if code in fact.jurisdictions:
            assert statement in html_text
            assert statement in pdf_text
            shown += 1
        else:
            assert statement not in html_text
            assert statement not in pdf_text
    assert shown >= 2
    assert f"Legal status in {catalogue_real.jurisdiction(code).name}" in html_text


@pytest.mark.parametrize("handout", HANDOUTS)
def test_each_jurisdiction_shows_its_own_classification(real_build, handout):
    expected = {"us": "on the list called Schedule III", "uk": "Class B drug",
                "ca": "Schedule I, a list of drugs controlled by the Controlled Drugs and "
                      "Substances Act",
                "au": "Schedule 8 medicine"}
    for code, words in expected.items():
        text = " ".join(pdf_pages(real_build / handout / f"{code}.pdf"))
        html = flat(soup(real_build / handout / f"{code}.html").select_one("#legal").get_text())
        assert words in text and words in html
        for other, other_words in expected.items():
            if other != code:
                assert other_words not in text


@pytest.mark.parametrize("code", JURISDICTIONS)
def test_reference_numbers_match_the_sources_list(real_build, code):
    page = soup(real_build / "ketamine-depression" / f"{code}.html")
    listed = [int(li["id"].removeprefix("ref-")) for li in page.select("ol.references > li")]
    assert listed == list(range(1, len(listed) + 1))
    cited = {int(a["href"].removeprefix("#ref-")) for a in page.select(".refs a")}
    assert cited == set(listed)  # every marker has a source, and every source is cited

    text = " ".join(pdf_pages(real_build / "ketamine-depression" / f"{code}.pdf"))
    body, _, sources = text.partition("The numbers in square brackets")
    markers = {int(n) for group in re.findall(r"\[([\d, ]+)\]", body)
               for n in group.split(",")}
    assert markers == set(listed)
    sources = " " + sources.split("About this handout")[0]
    for number in listed:  # each numbered entry appears (the list is printed in two columns)
        assert f" {number}. " in sources, f"source {number} missing from the PDF list"


@pytest.mark.parametrize("code", JURISDICTIONS)
def test_draft_band_and_publisher_on_every_pdf_page(real_build, code):
    pages = pdf_pages(real_build / "ketamine-depression" / f"{code}.pdf")
    assert len(pages) >= 2
    for number, text in enumerate(pages, 1):
        assert DRAFT in text, f"page {number} has no draft band"
        assert "Riverside Example Health Centre" in text
        assert f"Page {number} of {len(pages)}" in text
    html = soup(real_build / "ketamine-depression" / f"{code}.html")
    assert DRAFT in html.select_one(".band").get_text()


@pytest.mark.parametrize("handout", HANDOUTS)
def test_crisis_numbers_for_each_jurisdiction(real_build, handout):
    expected = {"us": ["911", "988"], "uk": ["999", "116 123", "111"], "ca": ["9-1-1", "9-8-8"],
                "au": ["000", "13 11 14", "1300 659 467"]}
    for code, numbers in expected.items():
        page = soup(real_build / handout / f"{code}.html")
        # every crisis line is in the "Get help now" box, on page 1 of the printed copy
        shown = [flat(a.get_text()) for a in page.select("#help-now a.number")]
        for number in numbers:
            assert number in shown
        first = help_box_text(real_build / handout / f"{code}.pdf")
        for number in numbers:
            assert f"Call {number}" in first, (code, first)


@pytest.mark.parametrize("handout", HANDOUTS)
def test_claims_section_with_verdicts(real_build, catalogue_real, handout):
    for code in JURISDICTIONS:
        page = soup(real_build / handout / f"{code}.html")
        claims = page.select("#claims li.claim")
        assert 2 <= len(claims) <= 7
        pdf = " ".join(pdf_pages(real_build / handout / f"{code}.pdf"))
        assert "Claims you may have read" in pdf
        for item in claims:
            claim = catalogue_real.claim(item["id"][len("claim-"):])
            verdict = flat(item.select_one(".verdict").get_text())
            assert verdict in {"Verdict: Supported.", "Verdict: Partly true.",
                               "Verdict: Not supported.", "Verdict: Wrong."}
            assert flat(claim.claim.quote) in flat(item.blockquote.get_text())
            assert catalogue_real.source(claim.claim.source).title in item.get_text()
            assert flat(claim.answer)[:60] in pdf


@pytest.mark.parametrize("handout", HANDOUTS)
def test_evidence_labels_in_every_handout(real_build, handout):
    for code in JURISDICTIONS:
        page = soup(real_build / handout / f"{code}.html")
        labels = {flat(tag.get_text()) for tag in page.select("ul.facts .evidence")}
        # each fact carries its level in words; every handout has facts of these kinds
        assert {"Very uncertain", "Official information", "The law"} <= labels <= LEVEL_WORDS
        pdf = " ".join(pdf_pages(real_build / handout / f"{code}.pdf"))
        for label in labels:
            assert label in pdf


def test_evidence_labels_and_legend_are_words_not_colour(real_build):
    page = soup(real_build / "ketamine-depression" / "uk.html")
    labels = {flat(tag.get_text()) for tag in page.select("ul.facts .evidence")}
    assert {"Strong evidence", "Moderate evidence", "Very uncertain", "Official information",
            "The law"} <= labels
    legend = flat(page.select_one(".legend").get_text())
    assert "How sure are we?" in legend
    assert "This is probably right." in legend
    # the meter is drawn in black and white: filled and empty boxes, never colour alone
    boxes = {" ".join(box["class"]) for box in page.select(".evidence .meter .box")}
    assert boxes == {"box on", "box off"}
    moderate = page.select_one(".evidence-moderate .meter")
    assert [b["class"][1] for b in moderate.select(".box")] == ["on", "on", "on", "off"]


def test_html_is_standalone(real_build):
    for path in [*real_build.rglob("*.html")]:
        page = soup(path)
        assert not page.find("link"), path
        assert not page.find("script", src=True), path
        assert not [img for img in page.find_all("img") if not img["src"].startswith("data:")]
        styles = " ".join(s.get_text() for s in page.find_all("style"))
        assert not re.search(r"url\(\s*[\"']?(https?:|//)", styles), path
        assert page.find("meta", attrs={"name": "viewport"})


def test_pdf_embeds_atkinson_hyperlegible(real_build):
    with pdfplumber.open(real_build / "ketamine-depression" / "uk.pdf") as pdf:
        fonts = {char["fontname"].split("+")[-1] for char in pdf.pages[0].chars}
    assert fonts and all(name.startswith("Atkinson-Hyperlegible") for name in fonts)


def test_pdf_metadata(real_build):
    reader = PdfReader(real_build / "ketamine-depression" / "uk.pdf")
    assert reader.metadata.title == "Ketamine and esketamine for depression (the United Kingdom)"
    assert reader.metadata.author == "Riverside Example Health Centre"


def test_paper_sizes(fixture_build):
    a4 = PdfReader(fixture_build / "widgetol" / "aa.pdf").pages[0].mediabox
    letter = PdfReader(fixture_build / "widgetol" / "aa-letter.pdf").pages[0].mediabox
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)


def test_index_lists_every_handout_jurisdiction_and_format(real_build):
    page = soup(real_build / "index.html")
    rows = page.select("tbody tr")
    assert len(rows) == 3 * 4
    places = ["the United States", "the United Kingdom", "Canada", "Australia"]
    titles = ["Ketamine for chronic pain", "Ketamine and esketamine for depression",
              'Ketamine "microdosing": what is known']
    expected = [(title, place) for title in titles for place in places]
    for row, (title, name) in zip(rows, expected):
        cells = [flat(td.get_text(" ")) for td in row.find_all("td")]
        assert cells[0] == title
        assert cells[1] == name
        links = [a["href"] for a in row.find_all("a")]
        assert [flat(a.get_text()) for a in row.find_all("a")] == [
            "Web page (in detail)", "The basics (web page)", "PDF (A4)", "Large print PDF (A4)",
            "One-page flyer PDF (A4)", "The basics PDF (one sheet, both sides) (A4)"]
        assert all((real_build / href).is_file() for href in links)
        assert cells[3].startswith("Draft")


def test_dates_version_and_review_are_printed(real_build):
    text = flat(soup(real_build / "ketamine-depression" / "us.html").select_one(".about").get_text())
    assert re.search(r"Facts last checked: \d{1,2} [A-Z][a-z]+ \d{4}\.", text)
    assert re.search(r"Next review due: \d{1,2} [A-Z][a-z]+ \d{4}\.", text)
    assert re.search(r"Version: \d{4}-\d{2}-\d{2}-[0-9a-f]{6}\.", text)
    assert "Not yet approved by a clinician." in text


def test_text_from_yaml_is_escaped(run, content, tmp_path):
    from conftest import edit

    edit(content / "topics" / "widgetol.yaml", "statement: Widgetol is a test drug.",
         'statement: "Widgetol <script>alert(x)</script> & <b>co</b>"')
    out = tmp_path / "out"
    assert run("--facts", str(content), "--output", str(out))[0] == 0
    html = (out / "widgetol" / "aa.html").read_text(encoding="utf-8")
    assert "<script>alert(x)</script>" not in html
    assert "&lt;script&gt;alert(x)&lt;/script&gt; &amp; &lt;b&gt;co&lt;/b&gt;" in html


def test_approved_handout_has_no_band_and_names_the_approver(run, content, tmp_path):
    from conftest import approve, edit

    [version] = approve(content, "aa")
    out = tmp_path / "out"
    assert run("--facts", str(content), "--output", str(out))[0] == 0
    for text in pdf_pages(out / "widgetol" / "aa.pdf"):
        assert "DRAFT" not in text
    about = flat(soup(out / "widgetol" / "aa.html").select_one(".about").get_text())
    assert "Approved for use by Dr Test, Test psychiatrist, 1 March 2026." in about

    # a later change to a fact brings the band back, naming the version that was approved
    edit(content / "topics" / "widgetol.yaml", "Widgetol may make you sleepy.",
         "Widgetol may make you very sleepy.")
    assert run("--facts", str(content), "--output", str(out))[0] == 0
    for text in pdf_pages(out / "widgetol" / "aa.pdf"):
        assert f"DRAFT: changed since clinical approval of version {version}" in text


def test_clinic_logo_is_embedded_with_alt_text(run, content, tmp_path):
    from conftest import edit

    (content / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
        '<rect width="40" height="20" fill="#000"/></svg>', encoding="utf-8")
    edit(content / "clinic.yaml", "paper: a4", "paper: a4\nlogo: logo.svg")
    out = tmp_path / "out"
    assert run("--facts", str(content), "--output", str(out))[0] == 0
    img = soup(out / "widgetol" / "aa.html").select_one("header img.logo")
    assert img["src"].startswith("data:image/svg+xml;base64,")
    assert img["alt"] == "Fixture Clinic logo"
    with pdfplumber.open(out / "widgetol" / "aa.pdf") as pdf:
        assert pdf.pages[0].images or pdf.pages[0].rects  # drawn on the first page


def test_missing_logo_is_a_content_error(run, content):
    from conftest import edit

    edit(content / "clinic.yaml", "paper: a4", "paper: a4\nlogo: nowhere.png")
    code, _, stderr = run("check", "--facts", str(content))
    assert code == 1
    assert "The logo file 'nowhere.png' does not exist." in stderr
