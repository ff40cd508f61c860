"""Plain-language checks: what a reader with limited reading skills needs from every edition.

Run with the trust checks.  Each rule adds warnings (errors where the printed text
could mislead) naming the file and line to change:

- a glossary term is used before it is explained (at its first use in an edition);
- a printed list runs past ``max_list_items`` (7 by default);
- a natural frequency is not in its fact's quotes, or the fact's wording does not state it;
- a key point or main message is more certain than the facts it sums up;
- 'The basics' print a fact the full handout does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..content import model as m
from ..build.compose import HandoutView, Item
from ..problems import Report, Where
from .quotes import normalise
from .readability import sentences_of
from ..content.validate import Catalogue

IN_DETAIL, BASICS = "in detail", "the basics"


@dataclass(frozen=True)
class Passage:
    """One piece of printed text, in reading order, and where staff can change it."""

    text: str
    where: Where
    label: str  # what it is, for messages: "fact 'x'", "key point 2", ...


# ---------------------------------------------------------------- reading order


def passages(cat: Catalogue, view: HandoutView, level: str) -> list[Passage]:
    """Everything a patient reads in one edition of one level, in print order."""
    handout = cat.handouts[view.handout.id]
    found: list[Passage] = []  # the title and sub-headings are not where terms get explained
    if view.summary is not None:
        found.append(Passage(view.summary.main_message.text,
                             handout.where("summary", "main_message", "text"), "the main message"))
        found += [Passage(p.text, handout.where("summary", "key_points", i, "text"),
                          f"key point {i + 1}") for i, p in enumerate(view.summary.key_points)]
        found.append(Passage(view.summary.action, handout.where("summary", "action"),
                             "what to do"))
    if level == BASICS and view.basics is not None:
        found += [_fact_passage(cat, item, plain=True)
                  for _, items in view.basics.parts() for item in items]
        return found
    for section in view.sections:
        for group in section.groups:
            found += [_fact_passage(cat, item) for item in group.items]
        if section.key is m.Section.LEGAL:  # claims are printed after the legal section
            for claim in view.claims:
                loc = cat.claims[claim.id]
                found.append(Passage(claim.paraphrase, loc.where("paraphrase"),
                                     f"claim '{claim.id}'"))
                found.append(Passage(claim.answer, loc.where("answer"), f"claim '{claim.id}'"))
    for contact in [view.side_effects, view.emergency, *view.crisis_lines]:
        if contact is not None:
            loc = cat.contacts[contact.contact.id]
            found.append(Passage(contact.contact.description, loc.where("description"),
                                 f"contact '{contact.contact.id}'"))
    about = cat.clinic.about
    if about is not None:
        for name in ("written_by", "funding", "conflicts", "update_policy"):
            found.append(Passage(getattr(about, name), cat.clinic_doc.where(("about", name)),
                                 f"'about.{name}' in clinic.yaml"))
    return found


def _fact_passage(cat: Catalogue, item: Item, plain: bool = False) -> Passage:
    loc = cat.facts[item.id]
    field_name = "plain" if plain and loc.item.plain else "statement"
    return Passage(item.statement, loc.where(field_name), f"fact '{item.id}'")


def levels_of(view: HandoutView) -> list[str]:
    return [IN_DETAIL, BASICS] if view.basics is not None else [IN_DETAIL]


# ---------------------------------------------------------------- glossary


def _term_pattern(form: str) -> re.Pattern:
    # an all-capitals form (FDA, REMS) must match in capitals; other words in any case
    flags = 0 if form.isupper() else re.IGNORECASE
    return re.compile(r"(?<![\w-])" + re.escape(form) + r"(?![\w-])", flags)


def check_glossary(cat: Catalogue, views: list[HandoutView], report: Report) -> None:
    """Warn when an edition uses a glossary term without explaining it at first use."""
    if not cat.glossary.terms:
        return
    grouped: dict[tuple, list[str]] = {}
    for view in views:
        for level in levels_of(view):
            texts = passages(cat, view, level)
            for t, term in enumerate(cat.glossary.terms):
                patterns = [_term_pattern(f) for f in (term.term, *term.forms)]
                first = next((p for p in texts if any(pat.search(p.text) for pat in patterns)),
                             None)
                if first is None or _explains(_first_sentence(first.text, patterns), term):
                    continue
                key = (view.handout.id, level, t, first.where, first.label)
                grouped.setdefault(key, []).append(view.jurisdiction.code)
    for (handout_id, level, t, where, label), codes in grouped.items():
        term = cat.glossary.terms[t]
        entry_line = cat.glossary_doc.line_of(("terms", t)) if cat.glossary_doc else None
        report.warning(
            where,
            f"'{handout_id}' ({level}, {', '.join(codes)}) first uses '{term.term}' in "
            f"{label} without explaining it.",
            f"Explain it in that sentence, for example \"{term.term} ({term.meaning})\", or "
            "use everyday words instead. The explanation the check looks for is in "
            f"glossary.yaml, line {entry_line}.", "term not explained")


def _first_sentence(text: str, patterns: list[re.Pattern]) -> str:
    """The sentence of ``text`` where the term first appears: the explanation must be there."""
    return next((s for s in sentences_of([text]) if any(p.search(s) for p in patterns)), text)


def _explains(text: str, term: m.Term) -> bool:
    folded = normalise(text)
    return any(normalise(words) in folded for words in (term.meaning, *term.explained_by))


# ---------------------------------------------------------------- lists


def check_list_lengths(cat: Catalogue, views: list[HandoutView], report: Report) -> None:
    """No printed list longer than the limit: long lists are grouped under sub-headings."""
    limit = cat.clinic.readability.max_list_items
    seen: set[tuple] = set()
    for view in views:
        loc = cat.handouts[view.handout.id]
        lists: list[tuple[tuple, str, int]] = []
        for section in view.sections:
            for g, group in enumerate(section.groups):
                where = ("sections", section.key.value, g) if group.heading else \
                    ("sections", section.key.value)
                name = f"'{group.heading}'" if group.heading else f"'{section.key.value}'"
                lists.append((where, name, len(group.items)))
        if view.basics is not None:
            lists += [(("basics", part), f"the basics' '{part}'", len(items))
                      for part, items in view.basics.parts()]
        lists.append(((), "'claims'", len(view.claims)))
        for path, name, count in lists:
            key = (view.handout.id, path, count)
            if count <= limit or key in seen:
                continue
            seen.add(key)
            report.warning(loc.where(*path) if path else loc.where("sections", "claims"),
                           f"The list {name} of '{view.handout.id}' has {count} items in "
                           f"{view.jurisdiction.name}; readers cope with at most {limit}.",
                           "Split it into groups, each with a 'heading' and its 'facts', or "
                           "leave out the least important items.", "long list")


# ---------------------------------------------------------------- numbers


_NUMBER = re.compile(r"(?<![\d.,])(\d+(?:[.,]\d+)?)(\s*%|\s*per\s*cent|\s*percent)?",
                     re.IGNORECASE)


def numbers_in(quote: str) -> Iterator[tuple[float, bool]]:
    """Each number in a quote, and whether it is a percentage."""
    for match in _NUMBER.finditer(quote.replace("\u2009", " ")):
        text = match.group(1).replace(",", "") if "," in match.group(1) and \
            len(match.group(1).split(",")[-1]) == 3 else match.group(1).replace(",", ".")
        try:
            yield float(text), bool(match.group(2))
        except ValueError:
            continue


def supported(count: int, out_of: int, quotes: list[str]) -> bool:
    """Is 'count in out_of' stated in a quote, as the count or as a percentage?"""
    for quote in quotes:
        for value, percent in numbers_in(quote):
            if not percent and value == count:
                return True
            # a rate with decimals ("69.3" risk per 100) rounds to the count it is printed as
            if not percent and value != int(value) and abs(value - count) <= 0.5:
                return True
            # 52.5% may be printed as 52 or 53 in 100: either is that percentage, rounded
            if percent and abs(value * out_of / 100 - count) <= 0.5:
                return True
    return False


def frequency_text(count: int, out_of: int) -> str:
    return f"{count} in {out_of:,}"


def check_frequencies(cat: Catalogue, report: Report) -> None:
    for fact_id, loc in cat.facts.items():
        fact: m.Fact = loc.item
        freq = fact.frequency
        if freq is None:
            continue
        quotes = [c.quote for c in fact.citations]
        pairs = [("affected", freq.affected)]
        if freq.compare_affected is not None:
            pairs.append(("compare_affected", freq.compare_affected))
        if (freq.compare_affected is None) != (freq.compare_group is None):
            report.error(loc.where("frequency"), f"The frequency of '{fact_id}' gives only one "
                         "of 'compare_affected' and 'compare_group'.",
                         "Give both (the number and who they were), or neither.", "frequency")
        for name, count in pairs:
            if count > freq.out_of:
                report.error(loc.where("frequency", name), f"The frequency of '{fact_id}' says "
                             f"{count} in {freq.out_of}, more than the whole group.",
                             "Check the numbers against the source.", "frequency")
            elif not supported(count, freq.out_of, quotes):
                report.error(loc.where("frequency", name),
                             f"The number {count} in {freq.out_of} of '{fact_id}' is not in its "
                             "quotes, as a count or as a percentage.",
                             "Quote the passage of the source that gives this number, or "
                             "correct the number. Never compute a number the source does not "
                             "give.", "frequency")
        for field_name in ("statement", "plain"):
            text = getattr(fact, field_name)
            for name, count in pairs:
                wanted = frequency_text(count, freq.out_of)
                if text and wanted not in text:
                    report.error(loc.where(field_name), f"The {field_name} of '{fact_id}' does "
                                 f"not say '{wanted}', which its picture shows.",
                                 f"Write the number in words a reader can follow, e.g. "
                                 f"'about {wanted} people {freq.group}'.", "frequency")


# ---------------------------------------------------------------- summary


def check_summary(cat: Catalogue, report: Report) -> None:
    """A key point may not be surer than the weakest fact it sums up."""
    for handout_id, loc in cat.handouts.items():
        summary: m.Summary | None = loc.item.summary
        if summary is None:
            continue
        for path, message in summary.located():
            _check_message(cat, loc, path, message, report)


# weakest first: a message summing up facts of several levels must hedge like the weakest
_EFFECT_LEVELS = [m.Evidence.VERY_LOW, m.Evidence.LOW, m.Evidence.MODERATE, m.Evidence.HIGH]


def _check_message(cat: Catalogue, loc, path: tuple, message: m.Message,
                   report: Report) -> None:
    levels = {cat.fact(f).evidence for f in message.facts if f in cat.facts}
    weakest = next((level for level in _EFFECT_LEVELS if level in levels), None)
    text = normalise(message.text)
    words = cat.wording.required.get(weakest, []) if weakest else []
    # a weaker hedge also satisfies a stronger level ("may" is fine for moderate evidence)
    weaker = [w for level in _EFFECT_LEVELS[:_EFFECT_LEVELS.index(weakest) + 1]
              for w in cat.wording.required.get(level, [])] if weakest else []
    if words and not any(_uses(text, w) for w in weaker):
        report.error(loc.where(*path, "text"),
                     f"This sentence sums up a fact with '{weakest.value}' evidence but does "
                     "not hedge like it.",
                     f"Use one of: {', '.join(words)}; or name only facts as sure as the "
                     "sentence.", "wording")
    for word in cat.wording.promotional:
        if _uses(text, word):
            report.warning(loc.where(*path, "text"), f"This sentence uses '{word}', an "
                           "absolute or promotional word.",
                           "Say plainly what the evidence shows and how sure it is.", "wording")


def _uses(text: str, phrase: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(normalise(phrase)) + r"(?!\w)", text) is not None


def check_basics_in_full(cat: Catalogue, views: list[HandoutView], report: Report) -> None:
    """The basics point to the full handout, so each fact they print must be in it too."""
    seen: set[tuple[str, str]] = set()
    for view in views:
        if view.basics is None:
            continue
        in_full = {item.id for section in view.sections for item in section.items}
        loc = cat.handouts[view.handout.id]
        for part, ids in view.handout.basics.parts():
            for i, fact_id in enumerate(ids):
                if (fact_id in cat.facts and fact_id not in in_full
                        and (view.handout.id, fact_id) not in seen
                        and any(item.id == fact_id for item in getattr(view.basics, part))):
                    seen.add((view.handout.id, fact_id))
                    report.warning(loc.where("basics", part, i),
                                   f"The basics print '{fact_id}', which the full handout does "
                                   "not, so a reader cannot find more about it there.",
                                   "List the fact in a section of the handout too.", "basics")


def run_plain_checks(cat: Catalogue, views: list[HandoutView], report: Report) -> None:
    check_summary(cat, report)
    check_frequencies(cat, report)
    check_glossary(cat, views, report)
    check_list_lengths(cat, views, report)
    check_basics_in_full(cat, views, report)
