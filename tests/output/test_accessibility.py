"""The web pages in a real browser: axe-core (WCAG 2.1 AA) in Debian's Chromium, reflow, data."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is missing on CI: 'make test' should have installed it")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield chromium
        chromium.close()


def pages_of(build: Path) -> list[Path]:
    return sorted(build.rglob("*.html"))


def test_every_page_has_no_axe_violations(browser, real_build):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = browser.new_page()
    checked, found = 0, {}
    for path in pages_of(real_build):
        page.goto(path.as_uri())
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
        violations = results.response["violations"]
        if violations:
            found[path.relative_to(real_build).as_posix()] = [
                (v["id"], v["help"], [n["target"] for n in v["nodes"][:3]]) for v in violations]
        checked += 1
    page.close()
    # both reading levels of every handout, the index, the register and the changes
    assert checked == 3 * 4 * 2 + 3
    assert found == {}


@pytest.mark.parametrize("width", [320, 1280])
def test_handout_reflows_without_sideways_scrolling(browser, real_build, width):
    page = browser.new_page(viewport={"width": width, "height": 800})
    for name in ["ketamine-depression/uk.html", "ketamine-depression/us-basics.html",
                 "ketamine-chronic-pain/au-basics.html", "index.html", "register.html"]:
        page.goto((real_build / name).as_uri())
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, (name, scroll)
    page.close()


def test_keyboard_focus_is_visible(browser, real_build):
    page = browser.new_page()
    page.goto((real_build / "ketamine-depression" / "uk.html").as_uri())
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    width = page.evaluate("parseFloat(getComputedStyle(document.activeElement).outlineWidth)")
    assert page.evaluate("document.activeElement.tagName") == "A"
    assert outline != "none" and width >= 2
    page.close()


@pytest.mark.parametrize("name", ["ketamine-depression/us.html",
                                  "ketamine-chronic-pain/ca-basics.html",
                                  "ketamine-microdosing/au-basics.html"])
def test_first_tab_stop_leads_to_get_help_now(browser, real_build, name):
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto((real_build / name).as_uri())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to: Get help now"
    # the skip link is shown while it has focus, inside the screen
    box = page.evaluate("JSON.stringify(document.activeElement.getBoundingClientRect())")
    assert json.loads(box)["top"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "help-now"
    text = page.evaluate("document.activeElement.innerText")
    assert "Get help now" in text and "Call" in text
    page.close()


def test_landmarks_headings_and_language(real_build):
    for path in pages_of(real_build):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert page.html["lang"] == "en"
        assert page.find("main") and page.find("header")
        levels = [int(h.name[1]) for h in page.find_all(["h1", "h2", "h3", "h4"])]
        assert levels[0] == 1 and levels.count(1) == 1
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), path  # no skipped level


def structured(path: Path) -> dict:
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return json.loads(page.find("script", type="application/ld+json").string)


def test_json_ld_medical_web_page_with_drug_legal_status(real_build):
    data = structured(real_build / "ketamine-depression" / "uk.html")
    assert data["@context"] == "https://schema.org" and data["@type"] == "MedicalWebPage"
    assert data["name"] == "Ketamine and esketamine for depression"
    assert data["url"] == "https://clinic.example.org/handouts/ketamine-depression/uk.html"
    drugs = {d["name"]: d["legalStatus"] for d in data["about"]}
    assert drugs["Ketamine"]["@type"] == "DrugLegalStatus"
    assert "Class B" in drugs["Ketamine"]["name"]
    assert drugs["Ketamine"]["applicableLocation"]["name"] == "United Kingdom"
    assert "Esketamine" not in drugs  # its UK status is not confirmed, so it is not claimed
    assert "lastReviewed" not in data and "reviewedBy" not in data  # no clinical sign-off yet
    us = structured(real_build / "ketamine-depression" / "us.html")
    assert {d["name"] for d in us["about"]} == {"Ketamine", "Esketamine"}


def test_json_ld_names_the_reviewer_once_approved(run, content, tmp_path):
    from conftest import approve

    approve(content, "aa")
    out = tmp_path / "out"
    assert run("--facts", str(content), "--output", str(out), "--variant", "standard")[0] == 0
    data = structured(out / "widgetol" / "aa.html")
    assert data["lastReviewed"] == "2026-03-01"
    assert data["reviewedBy"] == {"@type": "Person", "name": "Dr Test",
                                  "jobTitle": "Test psychiatrist"}
    assert data["about"][0]["legalStatus"]["name"] == "In Alphaland, widgetol is a Class C thing."
    assert "reviewedBy" not in structured(out / "widgetol" / "bb.html")  # bb was not approved


def test_json_ld_cannot_be_broken_out_of(run, content, tmp_path):
    from conftest import edit

    edit(content / "handouts" / "widgetol.yaml", "title: Widgetol for sadness",
         'title: "Widgetol </script><script>alert(1)</script>"')
    out = tmp_path / "out"
    assert run("--facts", str(content), "--output", str(out), "--variant", "standard")[0] == 0
    html = (out / "widgetol" / "aa.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    assert structured(out / "widgetol" / "aa.html")["name"] == \
        "Widgetol </script><script>alert(1)</script>"


def test_print_stylesheet_is_present(real_build):
    css = BeautifulSoup((real_build / "ketamine-depression" / "uk.html").read_text(
        encoding="utf-8"), "html.parser").style.get_text()
    assert "@media print" in css and "@page" in css
