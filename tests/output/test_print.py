"""Print quality, read from the PDFs: fonts, sizes, spacing, paper, editions and PDF/UA tags."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from conftest import figure_alts


HANDOUTS = ["ketamine-chronic-pain", "ketamine-depression", "ketamine-microdosing"]
PLACES = ["us", "uk", "ca", "au"]


def wording(fact) -> str:
    return fact.plain or fact.statement


def chars(path: Path) -> list[dict]:
    with pdfplumber.open(path) as pdf:
        return [c for page in pdf.pages for c in page.chars if c["text"].strip()]


def sizes_of(path: Path, text: str) -> set[float]:
    """Font sizes of the characters of the first line of ``text`` found in the PDF."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            words = page.extract_words(extra_attrs=["size"])
            first = text.split()[:3]
            for i in range(len(words) - 2):
                if [w["text"] for w in words[i:i + 3]] == first:
                    return {round(w["size"], 1) for w in words[i:i + 3]}
    raise AssertionError(f"{text!r} not found in {path}")


@pytest.mark.parametrize("variant", ["", "-large-print", "-flyer"])
def test_every_character_is_atkinson_hyperlegible(real_build, variant):
    fonts = {c["fontname"].split("+")[-1] for c in
             chars(real_build / "ketamine-depression" / f"uk{variant}.pdf")}
    assert fonts and all(f.startswith("Atkinson-Hyperlegible") for f in fonts), fonts


def test_standard_body_text_is_at_least_12pt(real_build):
    path = real_build / "ketamine-depression" / "us.pdf"
    assert min(sizes_of(path, "Ketamine is an anaesthetic. Doctors use it")) >= 12
    assert min(sizes_of(path, "Why do you think ketamine")) >= 12
    with pdfplumber.open(path) as pdf:  # page 1 is body text; later pages hold the dense sources
        body = Counter(round(c["size"]) for c in pdf.pages[0].chars).most_common(1)[0][0]
    assert body >= 12


@pytest.mark.parametrize("handout", HANDOUTS)
def test_large_print_is_16pt_or_more_with_wide_spacing_and_no_italics(real_build, handout):
    path = real_build / handout / "uk-large-print.pdf"
    every = chars(path)
    assert min(c["size"] for c in every) >= 15.9  # nothing on the page is smaller than 16 pt
    with pdfplumber.open(path) as pdf:
        body = Counter(round(c["size"]) for c in pdf.pages[0].chars).most_common(1)[0][0]
    assert body >= 18
    assert not [c for c in every if "Italic" in c["fontname"]]
    with pdfplumber.open(path) as pdf:
        tops = sorted(c["top"] for c in pdf.pages[0].chars if round(c["size"]) == 18)
    lines = [tops[0]] + [b for a, b in zip(tops, tops[1:]) if b - a > 3]  # one top per line
    gaps = [b - a for a, b in zip(lines, lines[1:])]
    assert min(gaps) >= 1.5 * 18  # line spacing of at least 1.5


def test_headings_are_larger_in_large_print(real_build):
    path = real_build / "ketamine-depression" / "uk-large-print.pdf"
    assert min(sizes_of(path, "What it is")) > 18
    assert min(sizes_of(path, "Ketamine and esketamine")) > min(sizes_of(path, "What it is"))


@pytest.mark.parametrize("handout", HANDOUTS)
def test_flyer_is_one_page_with_key_messages_help_and_qr(real_build, catalogue_real, handout):
    for code in PLACES:
        path = real_build / handout / f"{code}-flyer.pdf"
        with pdfplumber.open(path) as pdf:
            assert len(pdf.pages) == 1
            text = re.sub(r"\s+", " ", pdf.pages[0].extract_text())
        spec = catalogue_real.handout(handout)
        assert 3 <= len(spec.flyer) <= 5
        for fact_id in spec.flyer:  # the flyer prints the plain wording of the basics
            assert wording(catalogue_real.fact(fact_id))[:50] in text
        assert "The law:" in text
        # the URL is printed beside the QR code (wrapped, and interleaved with the next column)
        assert "clinic.example.org/handouts/" in text and f"{handout}/{code}.html" in text
        jur = catalogue_real.jurisdiction(code)
        assert f"Call {jur.emergency.phone}" in text
        assert "Get help now" in text and "DRAFT" in text
        assert f"For: {spec.audience}"[:60] in text
        assert "How sure are we?" in text
        assert min(sizes_of(path, wording(catalogue_real.fact(spec.flyer[0])))) >= 16
        # evidence labels of at least 14 pt, with their meter and a one-line key
        assert min(sizes_of(path, "More boxes filled means")) >= 14


def test_flyer_without_a_base_url_has_no_qr_code(run, content, tmp_path):
    out = tmp_path / "out"
    assert run("--facts", str(content), "--output", str(out), "--variant", "flyer")[0] == 0
    with pdfplumber.open(out / "widgetol" / "aa-flyer.pdf") as pdf:
        assert len(pdf.pages) == 1
        assert "Ask staff for the full handout" in pdf.pages[0].extract_text()
    with pikepdf.open(out / "widgetol" / "aa-flyer.pdf") as pdf:
        assert struct_types(pdf)["/Figure"] == 0  # no QR code


@pytest.mark.parametrize("name, size", [
    ("aa.pdf", (595, 842)), ("aa-letter.pdf", (612, 792)),
    ("aa-large-print.pdf", (595, 842)), ("aa-large-print-letter.pdf", (612, 792)),
    ("aa-flyer.pdf", (595, 842)), ("aa-flyer-letter.pdf", (612, 792))])
def test_paper_size_of_every_edition(fixture_build, name, size):
    with pdfplumber.open(fixture_build / "widgetol" / name) as pdf:
        assert (round(pdf.pages[0].width), round(pdf.pages[0].height)) == size


def test_running_footer_and_page_numbers(real_build):
    with pdfplumber.open(real_build / "ketamine-microdosing" / "au.pdf") as pdf:
        total = len(pdf.pages)
        for number, page in enumerate(pdf.pages, 1):
            text = re.sub(r"\s+", " ", page.extract_text())
            assert f"Page {number} of {total}" in text
            assert 'Ketamine "microdosing": what is known' in text
            assert "Version" in text and re.search(r"\d{4}-\d{2}-\d{2}-[0-9a-f]{6}", text)
            assert "Next review due" in text


def test_no_page_ends_with_a_heading(real_build):
    headings = {"What it is", "What the evidence says", "Risks and side effects",
                "Claims you may have read", "Talk to your doctor", "Questions to ask",
                "Get help now", "Sources (for you and your doctor)", "About this handout",
                "How sure are we?", "Report a side effect"}
    for handout in HANDOUTS:
        with pdfplumber.open(real_build / handout / "uk.pdf") as pdf:
            for page in pdf.pages:
                body = [line for line in (page.extract_text() or "").splitlines()
                        if not re.search(r"Page \d+ of \d+|Version |Next review|DRAFT|approves it",
                                         line)]
                assert body and body[-1].strip() not in headings, (handout, body[-1])


# ---------------------------------------------------------------- tagged PDF (PDF/UA-1)


def struct_types(pdf: pikepdf.Pdf) -> Counter:
    found: Counter = Counter()
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                found[str(node.S)] += 1
                if str(node.S) == "/Figure":
                    found["figure-with-alt"] += "/Alt" in node and bool(str(node.Alt))
            kids = node.get("/K")
            if isinstance(kids, pikepdf.Array):
                stack.extend(kids)
            elif isinstance(kids, pikepdf.Dictionary):
                stack.append(kids)
    return found


@pytest.mark.parametrize("variant", ["", "-large-print", "-flyer"])
def test_pdf_is_tagged_with_language_title_and_bookmarks(real_build, variant):
    with pikepdf.open(real_build / "ketamine-depression" / f"uk{variant}.pdf") as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "en"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        title = str(pdf.docinfo["/Title"])
        assert title.startswith("Ketamine and esketamine for depression (the United Kingdom")
        with pdf.open_metadata() as xmp:
            assert "pdfuaid:part" in str(xmp) or xmp.get("pdfuaid:part") == "1"
            assert title in str(xmp.get("dc:title"))
        types = struct_types(pdf)
        assert types["/Document"] == 1 and types["/H1"] == 1 and types["/H2"] >= 3
        assert types["/Figure"] == types["figure-with-alt"]  # every image has alternative text
        outline = [str(item.title) for item in pdf.open_outline().root]
    assert "Ketamine and esketamine for depression" in outline[0]


def test_bookmarks_list_the_sections(real_build):
    with pikepdf.open(real_build / "ketamine-depression" / "uk.pdf") as pdf:
        with pdf.open_outline() as outline:
            titles = [str(item.title) for top in outline.root
                      for item in [top, *top.children]]
    for section in ["What it is", "What the evidence says", "Risks and side effects",
                    "Legal status in the United Kingdom", "Claims you may have read",
                    "Talk to your doctor", "Get help now", "Sources (for you and your doctor)"]:
        assert section in titles


def test_qr_code_has_alternative_text_in_the_pdf(real_build):
    alts = figure_alts(real_build / "ketamine-depression" / "ca-flyer.pdf")
    assert alts == ["QR code: a link to the full handout at "
                    "https://clinic.example.org/handouts/ketamine-depression/ca.html"]
