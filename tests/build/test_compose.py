"""Composing a handout: which facts appear, reference order, versions and approval."""

from __future__ import annotations

import re

from conftest import approve, edit

from factsheet.build.compose import compose, handout_version
from factsheet.problems import Report
from factsheet.content.validate import load_catalogue


def catalogue(content):
    report = Report()
    cat = load_catalogue(content, report)
    assert not report.errors, [p.format() for p in report.errors]
    return cat


def test_legal_facts_follow_the_jurisdiction(content):
    cat = catalogue(content)
    aa = compose(cat, "widgetol", "aa")
    bb = compose(cat, "widgetol", "bb")
    assert "alpha-widgetol-class-c" in aa.fact_ids and "beta-widgetol-schedule-2" not in aa.fact_ids
    assert "beta-widgetol-schedule-2" in bb.fact_ids and "alpha-widgetol-class-c" not in bb.fact_ids


def test_references_are_numbered_in_order_of_first_use(content):
    view = compose(catalogue(content), "widgetol", "aa")
    refs = {item.id: item.refs for s in view.sections for item in s.items}
    # the main message is printed first, so its facts' sources are numbered first
    assert view.summary.main_message.refs == [1, 2]
    assert refs["widgetol-helps"] == [1]
    assert refs["widgetol-what"] == [2]  # the label, first numbered by the main message
    assert refs["widgetol-sleepy"] == [1, 2]  # both sources already numbered
    assert [r.source.id for r in view.references] == [
        "widget-review", "widget-label", "alpha-law", "alpha-service"]
    assert view.emergency.refs == [4] and view.crisis_lines[0].refs == [4]


def test_legend_lists_only_the_levels_used(content):
    view = compose(catalogue(content), "widgetol", "aa")
    assert [e.value for e in view.evidence_used] == ["moderate", "low", "regulator", "law"]


def test_version_is_a_date_and_a_content_hash(content):
    cat = catalogue(content)
    version = handout_version(cat, cat.handout("widgetol"), "aa")
    assert re.fullmatch(r"2026-01-10-[0-9a-f]{6}", str(version))


def test_recheck_keeps_the_version_but_rewording_changes_it(content):
    before = handout_version(catalogue(content), catalogue(content).handout("widgetol"), "aa")
    path = content / "topics" / "widgetol.yaml"
    edit(path, "checked: {by: Test editor, date: 2026-01-10}",
         "checked: {by: Test editor, date: 2026-02-01}")
    rechecked = handout_version(catalogue(content), catalogue(content).handout("widgetol"), "aa")
    assert rechecked.hash == before.hash
    edit(path, "Widgetol may make you sleepy.", "Widgetol may make you very sleepy.")
    reworded = handout_version(catalogue(content), catalogue(content).handout("widgetol"), "aa")
    assert reworded.hash != before.hash


def test_approval_of_the_current_version_removes_the_draft(content):
    [version] = approve(content, "aa")
    view = compose(catalogue(content), "widgetol", "aa")
    assert view.approved
    assert view.approval.name == "Dr Test"
    assert str(view.version) == f"2026-03-01-{version.hash}"  # the date is now the approval's


def test_changing_a_fact_after_approval_turns_the_handout_back_to_draft(content):
    approve(content, "aa")
    edit(content / "topics" / "widgetol.yaml", "Widgetol may make you sleepy.",
         "Widgetol may make you very sleepy.")
    view = compose(catalogue(content), "widgetol", "aa")
    assert not view.approved
    assert view.previous_approval.name == "Dr Test"


def test_empty_legal_section_is_a_warning(content):
    edit(content / "handouts" / "widgetol.yaml",
         "legal: [alpha-widgetol-class-c, beta-widgetol-schedule-2]", "legal: [alpha-widgetol-class-c]")
    report = Report()
    compose(catalogue(content), "widgetol", "bb", report)
    assert len(report.warnings) == 1
    assert "no legal facts for Betaland" in report.warnings[0].message


