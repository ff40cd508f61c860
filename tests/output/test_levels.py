"""The two reading levels as a patient meets them: page counts, what page 1 holds, short lists,
claims as paraphrases, icon arrays with text, the side-effect line, and the basics' grade."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from bs4 import BeautifulSoup

from conftest import REAL_FACTS, figure_alts
from factsheet.cli import main
from factsheet.build.compose import applies

HANDOUTS = ["ketamine-chronic-pain", "ketamine-depression", "ketamine-microdosing"]
PLACES = ["us", "uk", "ca", "au"]
ANNEX = "Sources (for you and your doctor)"


@pytest.fixture(scope="session")
def letter_build(tmp_path_factory) -> Path:
    """The real content on US Letter, in the editions whose page counts are limited."""
    out = tmp_path_factory.mktemp("letter-output")
    assert main(["--facts", str(REAL_FACTS), "--output", str(out), "--paper", "letter",
                 "--variant", "standard", "--variant", "large-print", "--variant", "basics"]) == 0
    return out


def pages(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [re.sub(r"\s+", " ", page.extract_text() or "") for page in pdf.pages]


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def patient_pages(path: Path) -> int:
    """Pages before the sources annex, which starts on a page of its own."""
    texts = pages(path)
    starts = [i for i, text in enumerate(texts) if ANNEX in text]
    assert starts, f"no sources annex in {path}"
    return starts[0]


def editions(build: Path, suffix: str, paper: str = "") -> list[Path]:
    return [build / h / f"{code}{suffix}{paper}.pdf" for h in HANDOUTS for code in PLACES]


# ---------------------------------------------------------------- page counts


def basics_pages(real_build: Path, letter_build: Path, paper: str) -> dict[str, int]:
    build, name = (real_build, "") if paper == "a4" else (letter_build, "-letter")
    return {p.relative_to(build).as_posix(): len(pages(p))
            for p in editions(build, "-basics", name)}


PAPERS = ["a4", "letter"]


def built(real_build: Path, letter_build: Path, paper: str) -> tuple[Path, str]:
    """The output folder and the file-name ending of the PDFs on that paper."""
    return (real_build, "") if paper == "a4" else (letter_build, "-letter")


@pytest.mark.parametrize("paper", PAPERS)
def test_the_basics_are_one_sheet_printed_on_both_sides(real_build, letter_build, paper):
    counts = basics_pages(real_build, letter_build, paper)
    assert counts and set(counts.values()) == {2}, counts


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("handout", HANDOUTS)
def test_patient_pages_of_the_full_handout_fit_in_5_pages(real_build, letter_build, paper,
                                                          handout):
    build, name = built(real_build, letter_build, paper)
    counts = {code: patient_pages(build / handout / f"{code}{name}.pdf") for code in PLACES}
    assert max(counts.values()) <= 5, counts


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("handout", HANDOUTS)
def test_patient_pages_of_large_print_fit_in_12_pages(real_build, letter_build, paper, handout):
    build, name = built(real_build, letter_build, paper)
    counts = {code: patient_pages(build / handout / f"{code}-large-print{name}.pdf")
              for code in PLACES}
    assert max(counts.values()) <= 12, counts


@pytest.mark.parametrize("paper", PAPERS)
def test_the_evidence_key_is_whole_on_page_one_beside_help(real_build, letter_build, paper):
    """With six evidence levels the key once moved to page 2 and left half of page 1 blank:
    beside help it prints each level's short meaning, so it fits on page 1 on both papers."""
    build, name = built(real_build, letter_build, paper)
    for handout in HANDOUTS:
        for code in PLACES:
            path = build / handout / f"{code}{name}.pdf"
            rows = soup(build / handout / f"{code}.html").select(".help-and-key .legend-row")
            assert len(rows) >= 4, path  # the levels this edition uses, from its web page
            assert "Get help now" in pages(path)[0], path
            key = key_on_page_one(path)
            for row in rows:
                label = re.sub(r"\s+", " ", row.select_one(".evidence").get_text()).strip()
                short = row.select_one(".meaning-short").get_text().strip()
                assert f"{label} {short}" in key, (path, key)


def key_on_page_one(path: Path) -> str:
    """The text of page 1 from the key's title rightwards and down: the key alone, since
    help stands to its left."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        words = page.extract_words()
        title = [w for i, w in enumerate(words)
                 if w["text"] == "How" and words[i + 1]["text"] == "sure"]
        assert title, f"no evidence key on page 1 of {path}"
        area = page.crop((title[0]["x0"] - 2, title[0]["top"] - 2, page.width, page.height))
        return re.sub(r"\s+", " ", area.extract_text() or "")


def test_sources_annex_is_one_column_at_10pt_or_more(real_build):
    path = real_build / "ketamine-depression" / "us.pdf"
    with pdfplumber.open(path) as pdf:
        start = patient_pages(path)
        words = [{**w, "page_number": page.page_number}
                 for page in pdf.pages[start:] for w in page.extract_words(extra_attrs=["size"])
                 if w["top"] > 60 and w["bottom"] < page.height - 60]
        width = pdf.pages[start].width
    assert min(w["size"] for w in words) >= 9.9
    # one column: numbered entries all start at the same left edge
    # one column: every line starts at the left margin (two columns would start lines mid-page)
    starts: dict[tuple[int, int], float] = {}
    for w in words:
        key = (w["page_number"], round(w["top"]))
        starts[key] = min(starts.get(key, w["x0"]), w["x0"])
    assert starts and max(starts.values()) < width / 3


# ---------------------------------------------------------------- page 1


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("handout", HANDOUTS)
def test_page_one_has_the_main_message_and_help_now(real_build, letter_build, catalogue_real,
                                                    handout, paper):
    build, name = built(real_build, letter_build, paper)
    spec = catalogue_real.handout(handout)
    for code in PLACES:
        jurisdiction = catalogue_real.jurisdiction(code)
        crisis = jurisdiction.crisis_lines[0]
        # (the Letter build holds no flyer; tests/output/test_print.py checks its Letter size)
        for suffix in ["", "-large-print", "-basics"] + (["-flyer"] if paper == "a4" else []):
            first = pages(build / handout / f"{code}{suffix}{name}.pdf")[0]
            where = f"{handout}/{code}{suffix}{name}.pdf"
            assert "Get help now" in first, where
            assert f"Call {jurisdiction.emergency.phone}" in first, where
            assert crisis.name in first, where
            if suffix == "-flyer":  # the waiting-room summary opens with its key messages
                assert "What you should know" in first, where
            elif suffix == "-large-print":
                # at 18 pt, help comes first and the main message follows it straight away
                opening = " ".join(pages(build / handout / f"{code}{suffix}{name}.pdf")[:2])
                assert opening.index("Get help now") < opening.index("The main message"), where
                assert spec.summary.main_message.text[:40] in opening, where
            else:
                assert spec.summary.main_message.text[:40] in first, where
                assert "The main message" in first and "Key points" in first, where
                for point in spec.summary.key_points:
                    assert point.text[:30] in first, (where, point.text)


def test_main_message_box_comes_first_and_skip_link_leads_to_help(real_build):
    for path in [*real_build.glob("*/us.html"), *real_build.glob("*/uk-basics.html")]:
        page = soup(path)
        main = page.find("main")
        assert main.find(True)["id"] == "summary", path  # directly under the title
        first_link = page.body.find("a")
        assert first_link["href"] == "#help-now" and "Get help now" in first_link.get_text()
        assert page.select_one("#help-now")
        # the evidence key comes before the first label is used
        html = str(main)
        assert html.index('class="legend') < html.index('class="evidence evidence-')


# ---------------------------------------------------------------- words and lists


def test_no_list_in_any_handout_has_more_than_seven_items(real_build):
    for path in real_build.glob("*/*.html"):
        for listing in soup(path).select("main ul, main ol"):
            if "references" in listing.get("class", []):
                continue  # the sources annex is for looking things up
            items = listing.find_all("li", recursive=False)
            assert len(items) <= 7, (path.name, len(items), items[0].get_text()[:60])


@pytest.mark.parametrize("handout", HANDOUTS)
def test_claims_are_paraphrased_with_the_exact_quote_in_the_web_page(
        real_build, catalogue_real, handout):
    spec = catalogue_real.handout(handout)
    for code in ["us", "au"]:
        page = soup(real_build / handout / f"{code}.html")
        pdf = " ".join(pages(real_build / handout / f"{code}.pdf"))
        for claim_id in spec.sections.claims:
            claim = catalogue_real.claim(claim_id)
            item = page.select_one(f"#claim-{claim_id}")
            assert claim.paraphrase in item.select_one(".claim-said").get_text()
            exact = item.select_one("details.claim-exact")
            assert exact is not None and claim.claim.quote in exact.blockquote.get_text()
            assert claim.paraphrase[:40] in pdf
            assert claim.claim.quote[:60] not in pdf  # the printed copy keeps it short


@pytest.mark.parametrize("code", PLACES)
def test_each_jurisdiction_says_how_to_report_a_side_effect(real_build, catalogue_real, code):
    line = catalogue_real.jurisdiction(code).side_effects
    assert line is not None and line.citations
    for handout in HANDOUTS:
        section = soup(real_build / handout / f"{code}.html").select_one("#side-effects")
        assert line.name in section.get_text() and line.description in section.get_text()
        ways = [a["href"] for a in section.select("a")]
        assert ways, "a phone number or web address to report with"
        text = " ".join(pages(real_build / handout / f"{code}.pdf"))
        assert "Report a side effect" in text and line.name[:30] in text


# ---------------------------------------------------------------- pictures



@pytest.mark.parametrize("handout", HANDOUTS)
def test_every_natural_frequency_has_an_icon_array_with_its_numbers_in_words(
        real_build, catalogue_real, handout):
    from factsheet.build.compose import compose

    for code in ["us", "uk"]:
        view = compose(catalogue_real, handout, code)
        for level, items, suffix in [("in detail", view.pictured, ""),
                                     ("basics", view.basics.pictured, "-basics")]:
            page = soup(real_build / handout / f"{code}{suffix}.html")
            alts = [img["alt"] for img in page.select("figure.icon-array img")]
            pdf_alts = figure_alts(real_build / handout / f"{code}{suffix}.pdf")
            for item in items:
                f = item.frequency
                expected = [f"{f.affected:,} in {f.out_of:,} people {f.group}"]
                if f.compare_affected is not None:
                    expected.append(f"{f.compare_affected:,} in {f.out_of:,} people "
                                    f"{f.compare_group}")
                for words in expected:
                    assert any(a.startswith(words) for a in alts), (level, item.id, words)
                    assert any(a.startswith(words) for a in pdf_alts), (level, item.id, words)
    if handout == "ketamine-depression":
        assert view.pictured and view.basics.pictured  # benefits and harms are both drawn


def test_icon_array_draws_the_affected_filled_and_the_rest_outlined():
    import base64

    from factsheet.content import model as m
    from factsheet.output.icons import pictures
    from factsheet.output.render import strings

    frequency = m.Frequency(kind="harm", outcome="felt dizzy", out_of=100, affected=29,
                            group="with the spray", compare_affected=8,
                            compare_group="with a dummy spray")
    first, second = pictures(frequency, strings("en"))
    svg = base64.b64decode(first.src.split(",", 1)[1]).decode()
    assert svg.count('fill="#1a1a1a"') == 2 * 29  # head and body of each filled figure
    assert svg.count('fill="#fff"') == 2 * 71
    assert first.alt == "29 in 100 people with the spray: felt dizzy. The other 71 did not."
    assert second.count == "8 in 100" and second.group == "with a dummy spray"


# ---------------------------------------------------------------- reading level


def test_the_basics_read_at_grade_6_or_lower():
    from datetime import date

    from factsheet.build.pipeline import Options, check

    from conftest import TODAY

    result = check(Options(facts=REAL_FACTS, today=date.fromisoformat(TODAY)))
    basics = [r for r in result.trust.readings if r.section == "the basics"]
    assert len({r.handout for r in basics}) == 3
    assert max(r.score.grade for r in basics) <= 6, [(r.handout, r.score) for r in basics]
    detail = [r for r in result.trust.readings if r.section != "the basics"]
    assert {"summary", "claims", "about"} <= {r.section for r in detail}
    assert max(r.score.grade for r in detail) <= 8


# ---------------------------------------------------------------- steps


def test_treatment_day_steps_are_numbered_in_both_levels(real_build, catalogue_real):
    """The steps of a treatment day are an ordered list in the order the handout gives, in each
    edition only the steps for its country, and the basics print them on the sheet."""
    spec = catalogue_real.handout("ketamine-depression")
    for code in PLACES:
        mine = [f for f in spec.basics.steps if applies(catalogue_real.fact(f), code)]
        for suffix in ["", "-basics"]:
            page = soup(real_build / "ketamine-depression" / f"{code}{suffix}.html")
            steps = page.select("main ol.steps > li")
            assert [li["id"].split("fact-", 1)[1] for li in steps] == mine, (code, suffix)
            text = " ".join(pages(real_build / "ketamine-depression" / f"{code}{suffix}.pdf"))
            assert "On a treatment day" in text
            ride = catalogue_real.fact("esketamine-ride-home")
            assert (ride.plain or ride.statement)[:40] in text


# ---------------------------------------------------------------- what it is, and the pictures


@pytest.mark.parametrize("handout", HANDOUTS)
def test_the_basics_say_what_it_is_on_page_one(real_build, letter_build, catalogue_real,
                                               handout):
    """A reader of the basics learns what the medicine is (esketamine: a form of ketamine)
    before its benefits and harms; the line carries no label, so the key does not list one."""
    what = catalogue_real.handout(handout).basics.what
    assert what, handout
    for build, name in [(real_build, ""), (letter_build, "-letter")]:
        for code in PLACES:
            first = pages(build / handout / f"{code}-basics{name}.pdf")[0]
            for fact_id in what:
                fact = catalogue_real.fact(fact_id)
                text = fact.plain or fact.statement
                assert f"What it is {text[:60]}" in first, (handout, code, name)
            if "What it may do for you" in first:
                assert first.index("What it is") < first.index("What it may do for you")
            page = soup(build / handout / f"{code}-basics.html")
            assert not page.select("#what .evidence"), (handout, code)


def test_the_full_handout_says_how_to_use_its_pictures(real_build):
    """Before its first icon array, the full handout says what the pictures show and to use
    them with a doctor (PEMAT-P item 25), once."""
    pictured = 0
    for path in real_build.glob("*/??.html"):
        page = soup(path)
        notes = page.select("main .pictures-note")
        if not page.select("figure.icon-array"):  # no pictures (no numbers), no note
            assert not notes, path
            continue
        pictured += 1
        assert len(notes) == 1, path
        assert "Use them with your doctor" in notes[0].get_text()
        html = str(page.find("main"))
        assert html.index('class="pictures-note"') < html.index('class="icon-array'), path
    assert pictured >= 8
