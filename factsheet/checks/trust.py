"""Trust checks: the build refuses to print what was not checked.

Run by ``python build.py check`` and by every build, after validation.  Each
rule is a small function that adds errors (which block the build) or
warnings (which block it with ``--strict``) to the report, and records what
it found per fact, for the reviewer's register.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from ..content import model as m
from ..build.compose import HandoutView
from ..problems import Problem, Report, Where
from .consistency import check_consistency
from .quotes import Archive, QuoteCheck, find_copy, normalise
from .numbers import check_numbers
from .plain import BASICS, run_plain_checks
from .provenance import check_provenance
from .readability import Score, score
from ..content.validate import Catalogue, Located

WEAK_SOURCES = {m.SourceKind.NEWS, m.SourceKind.BLOG_MARKETING}
STRONG_LEVELS = {m.Evidence.HIGH, m.Evidence.MODERATE}
LEVEL_WORDS = {
    m.Evidence.MODERATE: "moderate-certainty claims must say 'probably' or 'likely'",
    m.Evidence.LOW: "low-certainty claims must hedge, for example 'may help'",
    m.Evidence.VERY_LOW: "very-low-certainty claims must say the evidence is very uncertain "
                         "or that it is not known",
}


@dataclass
class SectionReading:
    handout: str
    section: str
    jurisdictions: list[str]
    score: Score
    over: list[str]  # which targets it misses, in words


@dataclass
class Trust:
    """What the checks found, per item, for the register and the summary."""

    quotes: dict[tuple[str, int], QuoteCheck] = field(default_factory=dict)
    flags: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    notes: dict[str, list[Problem]] = field(default_factory=lambda: defaultdict(list))
    readings: list[SectionReading] = field(default_factory=list)

    def note(self, item_id: str, problem: Problem, flag: str | None = None) -> None:
        self.notes[item_id].append(problem)
        self.flags[item_id].add(flag or problem.severity)

    @property
    def verified(self) -> int:
        return sum(q.status == "verified" for q in self.quotes.values())


def run_checks(cat: Catalogue, views: list[HandoutView], today: date, report: Report,
               release: bool = False) -> Trust:
    trust = Trust()
    archive = Archive(cat.root)
    for item_id, loc in cat.checked_items():
        check_citations(cat, item_id, loc, report, trust)
        check_dates(cat, item_id, loc, today, report, trust)
        check_quotes(cat, item_id, loc, archive, report, trust)
        if isinstance(loc.item, m.Fact):
            check_wording(cat, item_id, loc, report, trust)
    check_sources(cat, today, archive, report)
    check_numbers(cat, report, trust)
    check_provenance(cat, report, trust, release)
    check_approvals(cat, today, report)
    check_readability(cat, views, report, trust)
    run_plain_checks(cat, views, report)
    check_consistency(cat, views, report)
    return trust


# ---------------------------------------------------------------- citations


def check_citations(cat: Catalogue, item_id: str, loc: Located, report: Report,
                    trust: Trust) -> None:
    item = loc.item
    for i, citation in enumerate(item.citations):
        if not citation.quote.strip():
            trust.note(item_id, report.error(loc.citation_where(i, "quote"),
                                             f"A citation of '{item_id}' has an empty quote.",
                                             "Copy a short quote from the source, word for word.",
                                             "citation"))
    evidence = getattr(item, "evidence", None)
    kinds = {cat.source(c.source).kind for c in item.citations if c.source in cat.sources}
    if evidence in STRONG_LEVELS and kinds and kinds <= WEAK_SOURCES:
        trust.note(item_id, report.error(
            loc.where("evidence"),
            f"The fact '{item_id}' is rated '{evidence.value}' but cites only news, blog or "
            "marketing sources.",
            "Cite a systematic review, trial, guideline, regulator or law, or lower the "
            "evidence level.", "citation"))


# ---------------------------------------------------------------- dates


def check_dates(cat: Catalogue, item_id: str, loc: Located, today: date, report: Report,
                trust: Trust) -> None:
    item, policy = loc.item, cat.clinic.review_policy
    checked = item.checked.date
    if checked > today:
        trust.note(item_id, report.error(
            loc.where("checked", "date"),
            f"The check date of '{item_id}' ({checked.isoformat()}) is in the future.",
            "Write the date the check was actually done.", "date"))
    oldest = _years_before(today, policy.max_check_age_years)
    if checked < oldest:
        trust.note(item_id, report.error(
            loc.where("checked", "date"),
            f"'{item_id}' was last checked on {checked.isoformat()}, more than "
            f"{policy.max_check_age_years} years ago (the limit in clinic.yaml).",
            "Check it against its sources again, then update 'checked' and 'review_due'.",
            "date"), "overdue")
    due = item.review_due
    if due < checked:
        trust.note(item_id, report.error(
            loc.where("review_due"),
            f"The review date of '{item_id}' ({due.isoformat()}) is before its check date "
            f"({checked.isoformat()}).", "Set 'review_due' to a date after the check.", "date"))
    elif due < today:
        days = (today - due).days
        trust.note(item_id, report.warning(
            loc.where("review_due"),
            f"The review of '{item_id}' was due on {due.isoformat()} ({days} days ago).",
            "Check it against its sources again, then update 'checked' and 'review_due'.",
            "review due"), "overdue")
    elif due <= today + timedelta(days=policy.warn_before_due_days):
        days = (due - today).days
        trust.note(item_id, report.warning(
            loc.where("review_due"),
            f"The review of '{item_id}' is due on {due.isoformat()} (in {days} days).",
            "Plan the review: check it against its sources, then update 'checked' and "
            "'review_due'.", "review due"), "overdue")


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def check_sources(cat: Catalogue, today: date, archive: Archive, report: Report) -> None:
    cited: dict[str, int] = defaultdict(int)
    for _, loc in cat.checked_items():
        for citation in loc.item.citations:
            cited[citation.source] += 1
    for source_id, loc in cat.sources.items():
        source: m.Source = loc.item
        if source.accessed > today:
            report.error(loc.where("accessed"),
                         f"The source '{source_id}' was read on {source.accessed.isoformat()}, "
                         "which is in the future.", "Write the date you read it.", "date")
        copy = copy_of(cat, source)
        problem = archive.problem(copy)
        if problem is not None:
            why, fix = problem
            report.error(
                loc.where("archive" if source.archive else "id"),
                f"The archived copy of '{source_id}' ({_shown(cat, copy)}) {why}, so it is not "
                "read.",
                fix.format(folder=cat.root.name,
                           example=f"{cat.clinic.quote_archive}/{source_id}.txt"),
                "archive")
        elif cited[source_id] and not archive.has_copy(copy):
            report.warning(
                loc.where("id"),
                f"The source '{source_id}' has no archived text copy ({_shown(cat, copy)}), so "
                f"its {cited[source_id]} quote(s) are not verified.",
                f"Save the passage you quote, with its address and the date you read it, in "
                f"{_shown(cat, copy)}.", "not verified")


def check_approvals(cat: Catalogue, today: date, report: Report) -> None:
    for handout_id, loc in cat.handouts.items():
        for i, approval in enumerate(loc.item.approvals):
            if approval.date > today:
                report.error(loc.where("approvals", i, "date"),
                             f"The approval of '{handout_id}' is dated "
                             f"{approval.date.isoformat()}, which is in the future.",
                             "Write the date the clinician approved it.", "date")


# ---------------------------------------------------------------- quotes


def copy_of(cat: Catalogue, source: m.Source) -> Path:
    return find_copy(cat.root, cat.clinic.quote_archive, source.id, source.archive)


def check_quotes(cat: Catalogue, item_id: str, loc: Located, archive: Archive, report: Report,
                 trust: Trust) -> None:
    for i, citation in enumerate(loc.item.citations):
        if citation.source not in cat.sources:
            continue
        result = archive.check(citation.quote, copy_of(cat, cat.source(citation.source)))
        trust.quotes[(item_id, i)] = result
        if result.status == "no copy":
            trust.flags[item_id].add("unverified")
        elif result.status == "not found":
            closest = f"The closest passage in the copy is: \"{result.closest}\"" \
                if result.closest else "Nothing in the copy is close to it."
            trust.note(item_id, report.error(
                loc.citation_where(i, "quote"),
                f"The quote is not in the archived copy of '{citation.source}' "
                f"({_shown(cat, result.copy)}). {closest}",
                "Copy the quote word for word from the source, or fix the archived copy if the "
                "source has changed.", "quote"), "unverified")


def _shown(cat: Catalogue, path: Path) -> str:
    try:
        return path.resolve().relative_to(cat.root.resolve()).as_posix()
    except ValueError:
        return str(path)


# ---------------------------------------------------------------- wording


@functools.lru_cache(maxsize=1024)
def _phrase(phrase: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + re.escape(normalise(phrase)) + r"(?!\w)")


def _uses(text: str, phrase: str) -> bool:
    return _phrase(phrase).search(text) is not None


def check_wording(cat: Catalogue, item_id: str, loc: Located, report: Report,
                  trust: Trust) -> None:
    fact: m.Fact = loc.item
    # the plain wording of the basics is held to the same rules as the full statement
    for field_name in ("statement", "plain"):
        if getattr(fact, field_name) is not None:
            _check_one_wording(cat, item_id, loc, field_name, report, trust)


def _check_one_wording(cat: Catalogue, item_id: str, loc: Located, field_name: str,
                       report: Report, trust: Trust) -> None:
    fact: m.Fact = loc.item
    text = normalise(getattr(fact, field_name))
    required = cat.wording.required.get(fact.evidence) if fact.evidence else None
    if required and not any(_uses(text, word) for word in required):
        trust.note(item_id, report.error(
            loc.where(field_name),
            f"The wording of '{item_id}'{' (plain wording)' if field_name == 'plain' else ''} "
            f"does not match its evidence level "
            f"'{fact.evidence.value}': {LEVEL_WORDS.get(fact.evidence, 'it needs a hedge')}.",
            f"Use one of: {', '.join(required)} (see wording.yaml), or change the evidence "
            "level if the evidence is stronger.", "wording"))
    for word in cat.wording.promotional:
        if _uses(text, word):
            trust.note(item_id, report.warning(
                loc.where(field_name),
                f"The {field_name} of '{item_id}' uses '{word}', an absolute or promotional word.",
                "Say plainly what the evidence shows and how sure it is.", "wording"), "warning")


# ---------------------------------------------------------------- readability


def check_readability(cat: Catalogue, views: list[HandoutView], report: Report,
                      trust: Trust) -> None:
    targets = cat.clinic.readability
    grouped: dict[tuple, SectionReading] = {}
    for view in views:
        for section, texts in _section_texts(cat, view):
            result = score(texts, cat.wording.allowed_terms)
            if result is None:
                continue
            key = (view.handout.id, section, result)
            if key in grouped:
                grouped[key].jurisdictions.append(view.jurisdiction.code)
                continue
            max_grade = targets.basics_max_grade if section == BASICS else targets.max_grade
            over = []
            if result.smog > targets.max_smog:
                over.append(f"SMOG {result.smog} (target {targets.max_smog:g} or lower)")
            if result.grade > max_grade:
                over.append(f"grade {result.grade} (target {max_grade:g} or lower)")
            if result.longest_sentence > targets.max_sentence_words:
                over.append(f"a sentence of {result.longest_sentence} words (target "
                            f"{targets.max_sentence_words} or fewer)")
            grouped[key] = SectionReading(view.handout.id, section, [view.jurisdiction.code],
                                          result, over)
    for reading in grouped.values():
        trust.readings.append(reading)
        if reading.over:
            where = _section_where(cat, reading)
            report.warning(
                where,
                f"The section '{reading.section}' of '{reading.handout}' "
                f"({', '.join(reading.jurisdictions)}) is above the reading target: "
                f"{'; '.join(reading.over)}. Hardest sentence: \"{reading.score.hardest}\"",
                "Use shorter sentences and everyday words; explain a term the first time. "
                "Names that must stay can go in allowed_terms in wording.yaml.",
                "over reading target")


def _section_texts(cat: Catalogue, view: HandoutView) -> list[tuple[str, list[str]]]:
    """Everything a patient reads, by section; only the sources annex is exempt."""
    sections = []
    if view.summary is not None:
        sections.append(("summary", [view.summary.main_message.text,
                                     *(p.text for p in view.summary.key_points),
                                     view.summary.action]))
    for s in view.sections:
        sections.append((s.key.value, [*(g.heading for g in s.groups if g.heading),
                                       *(item.statement for item in s.items)]))
    if view.claims:
        sections.append(("claims", [text for c in view.claims
                                    for text in (c.paraphrase, c.answer)]))
    contacts = [view.emergency, *view.crisis_lines]
    sections.append(("crisis", [c.contact.description for c in contacts]))
    if view.side_effects is not None:
        sections.append(("side-effects", [view.side_effects.contact.description]))
    about = cat.clinic.about
    if about is not None:
        sections.append(("about", [about.written_by, about.funding, about.conflicts,
                                   about.update_policy]))
    if view.basics is not None:  # the whole sheet: its summary too, at the basics' target
        summary = sections[0][1] if view.summary is not None else []
        sections.append((BASICS, [*summary, *(item.statement for _, items in view.basics.parts()
                                              for item in items)]))
    return sections


def _section_where(cat: Catalogue, reading: SectionReading) -> Where:
    if reading.section == "crisis":
        return cat.jurisdictions[reading.jurisdictions[0]].where("crisis_lines")
    if reading.section == "side-effects":
        return cat.jurisdictions[reading.jurisdictions[0]].where("side_effects")
    if reading.section == "about":
        return cat.clinic_doc.where(("about",))
    if reading.section == BASICS:
        return cat.handouts[reading.handout].where("basics")
    if reading.section == "summary":
        return cat.handouts[reading.handout].where("summary")
    return cat.handouts[reading.handout].where("sections", reading.section)
