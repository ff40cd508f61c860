"""Links of the two reading levels: what the summary, the basics and the glossary name.

Part of stage 2 (validate).  The main message and key points are written in the
handout file, so each must name the checked facts it sums up; the basics print
facts in their plain wording, so each part of the basics may only name facts of
the matching kind.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from . import model as m
from ..problems import Report

if TYPE_CHECKING:
    from .validate import Catalogue, Located

# which handout sections the facts of each part of the basics come from
BASICS_SECTIONS = {
    "what": {m.Section.WHAT_IT_IS},
    "benefits": {m.Section.EVIDENCE, m.Section.WHAT_IT_IS},
    "harms": {m.Section.RISKS},
    "steps": {m.Section.WHAT_IT_IS, m.Section.RISKS, m.Section.LEGAL},
    "legal": {m.Section.LEGAL},
    "ask": {m.Section.QUESTIONS},
    "tell": {m.Section.TELL_YOUR_DOCTOR},
}


def check_level_links(cat: Catalogue, report: Report) -> None:
    for loc in cat.handouts.values():
        handout: m.Handout = loc.item
        if handout.summary is not None:
            _check_summary(cat, loc, handout.summary, report)
        if handout.basics is not None:
            _check_basics(cat, loc, handout.basics, report)
    _check_glossary(cat, report)


def _check_summary(cat: Catalogue, loc: Located, summary: m.Summary, report: Report) -> None:
    for path, message in summary.located():
        for j, fact_id in enumerate(message.facts):
            _known_fact(cat, loc, (*path, "facts", j), fact_id, report)


def _check_basics(cat: Catalogue, loc: Located, basics: m.Basics, report: Report) -> None:
    for part, fact_ids in basics.parts():
        for i, fact_id in enumerate(fact_ids):
            where_path = ("basics", part, i)
            if not _known_fact(cat, loc, where_path, fact_id, report):
                continue
            section = cat.fact(fact_id).section
            if section not in BASICS_SECTIONS[part]:
                allowed = " or ".join(sorted(s.value for s in BASICS_SECTIONS[part]))
                report.error(loc.where(*where_path),
                             f"The basics list the fact '{fact_id}' under '{part}', but it is a "
                             f"'{section.value}' fact.",
                             f"List only facts from the '{allowed}' section under '{part}'.")


def _known_fact(cat: Catalogue, loc: Located, path: tuple, fact_id: str, report: Report) -> bool:
    if fact_id in cat.facts:
        return True
    if fact_id not in cat.broken:
        close = difflib.get_close_matches(fact_id, list(cat.facts), n=1)
        hint = f"Did you mean '{close[0]}'? " if close else ""
        report.error(loc.where(*path), f"The handout names the fact '{fact_id}', which does "
                     "not exist.", hint + "Check the id against the files in topics/.")
    return False


def _check_glossary(cat: Catalogue, report: Report) -> None:
    if cat.glossary_doc is None:
        return
    seen: dict[str, int] = {}
    for i, term in enumerate(cat.glossary.terms):
        for form in (term.term, *term.forms):
            key = form.casefold()
            if key in seen:
                report.error(cat.glossary_doc.where(("terms", i, "term"), f"terms[{i}].term"),
                             f"The glossary lists '{form}' twice (also in entry {seen[key] + 1}).",
                             "Keep one entry for each term.")
            seen[key] = i
