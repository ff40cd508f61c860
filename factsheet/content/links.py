"""Stage 2, validate: the links between files, and the clinic's own settings.

Every id a file names must exist in the file it points to (sources, facts,
claims, jurisdictions) and ids must be unique; clinic.yaml must not still hold
the shipped example, must give a way to send feedback and a usable logo.  Links
to items that failed validation are not reported again.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any

from . import model as m
from .images import logo_problem
from ..problems import Report

if TYPE_CHECKING:
    from .validate import Catalogue, Located

# Reserved example domains (RFC 2606): the shipped clinic file uses them, a real one never does.
EXAMPLE_DOMAINS = ("example.org", "example.com", "example.net")

UNREADABLE = "*"  # marks a whole kind of file as unreadable in Catalogue.broken


# ---------------------------------------------------------------- indexing


def add(index: dict, key: str, located: Located, what: str, report: Report,
        id_key: str = "id") -> None:
    if key in index:
        first = index[key]
        first_at = f"{first.doc.path.name}, line {first.doc.line_of(first.path + (id_key,))}"
        report.error(located.where(id_key), f"The {what} id '{key}' is used twice "
                     f"(first in {first_at}).",
                     f"Give each {what} its own id, or remove the copy.")
        return
    index[key] = located


# ---------------------------------------------------------------- links between files


def check_links(cat: Catalogue, report: Report) -> None:
    known_jurisdictions = sorted(cat.jurisdictions)

    def check_codes(loc: Located, codes: list[str]) -> None:
        for i, code in enumerate(codes):
            if _missing_jurisdiction(cat, code):
                report.error(loc.where("jurisdictions", i),
                             f"The jurisdiction '{code}' is not in jurisdictions.yaml.",
                             f"Use one of: {', '.join(known_jurisdictions)}.")

    def check_citations(loc: Located) -> None:
        for i, citation in enumerate(loc.item.citations):
            if (citation.source not in cat.sources and citation.source not in cat.broken
                    and UNREADABLE + "sources" not in cat.broken):
                report.error(loc.where("citations", i, "source"),
                             f"The source '{citation.source}' is not in sources.yaml.",
                             _suggest(citation.source, cat.sources) +
                             "Add it to sources.yaml first, or fix the id.")

    for loc in cat.facts.values():
        fact: m.Fact = loc.item
        check_citations(loc)
        if fact.section is not m.Section.QUESTIONS:
            if fact.evidence is None:
                report.error(loc.where("evidence"),
                             f"The fact '{fact.id}' has no evidence level.",
                             "Add 'evidence:' with one of: "
                             + ", ".join(e.value for e in m.Evidence) + ".")
            if not fact.citations:
                report.error(loc.where("citations"),
                             f"The fact '{fact.id}' has no citations.",
                             "Add at least one citation: the source id, a short exact quote "
                             "and where the quote is in the source.")
        elif fact.evidence is not None:
            report.error(loc.where("evidence"),
                         f"The question '{fact.id}' has an evidence level.",
                         "Questions for your doctor are not claims: remove 'evidence:'.")
        if fact.section is m.Section.LEGAL or fact.evidence is m.Evidence.LAW:
            if not fact.jurisdictions:
                report.error(loc.where("jurisdictions"),
                             f"The legal fact '{fact.id}' does not say where it applies.",
                             "Add 'jurisdictions:' with the codes it applies to, for example "
                             "[uk].")
        check_codes(loc, fact.jurisdictions or [])

    for claim_id, loc in cat.claims.items():
        claim: m.Claim = loc.item
        for i, fact_id in enumerate(claim.backed_by):
            if fact_id not in cat.facts and fact_id not in cat.broken:
                report.error(loc.where("backed_by", i),
                             f"The claim '{claim_id}' is backed by the fact '{fact_id}', "
                             "which does not exist.",
                             _suggest(fact_id, cat.facts) + "Check the id against topics/.")
        if claim.claim.source not in cat.sources:
            if claim.claim.source not in cat.broken and UNREADABLE + "sources" not in cat.broken:
                report.error(loc.where("claim", "source"),
                             f"The source '{claim.claim.source}' is not in sources.yaml.",
                             _suggest(claim.claim.source, cat.sources) +
                             "Add the article to sources.yaml first, or fix the id.")
        else:
            source = cat.source(claim.claim.source)
            if source.kind not in (m.SourceKind.NEWS, m.SourceKind.BLOG_MARKETING):
                report.warning(loc.where("claim", "source"),
                               f"The claim '{claim_id}' quotes '{source.id}', which is a "
                               f"'{source.kind.value}' source, not an article patients read.",
                               "Claims quote news, blog or marketing articles; cite "
                               "authoritative sources in the facts that back the verdict.")
        check_codes(loc, claim.jurisdictions or [])

    for source_id, loc in cat.sources.items():
        if loc.item.url is None and loc.item.archive is None:
            report.error(loc.where("url"), f"The source '{source_id}' has no address.",
                         "Add its 'url'. For a source with no address, give 'archive' with the "
                         "file where its text is kept.")

    for contact_id, loc in cat.contacts.items():
        contact: m.Contact = loc.item
        check_citations(loc)
        if not contact.citations:
            report.error(loc.where("citations"), f"The contact '{contact_id}' has no citations.",
                         "Cite the service's own page: source id, exact quote, location.")
        if not (contact.phone or contact.text or contact.website):
            report.error(loc.where("phone"),
                         f"The contact '{contact_id}' has no phone, text or website.",
                         "Add at least one way to reach the service.")

    for loc in cat.handouts.values():
        handout: m.Handout = loc.item
        check_codes(loc, handout.jurisdictions)
        seen: dict[str, str] = {}
        for section in m.Section:
            for sub, fact_id in handout.sections.located(section):
                where = loc.where("sections", section.value, *sub)
                if fact_id in cat.broken or UNREADABLE + "facts" in cat.broken:
                    continue
                if fact_id not in cat.facts:
                    report.error(where, f"The handout names the fact '{fact_id}', "
                                 "which does not exist.",
                                 _suggest(fact_id, cat.facts) +
                                 "Check the id against the files in topics/.")
                    continue
                if fact_id in seen:
                    report.error(where, f"The fact '{fact_id}' is listed twice in this handout "
                                 f"(also under '{seen[fact_id]}').", "Remove one of them.")
                seen[fact_id] = section.value
                fact = cat.fact(fact_id)
                if fact.section is not section:
                    report.error(where, f"The fact '{fact_id}' belongs in the section "
                                 f"'{fact.section.value}', but is listed under "
                                 f"'{section.value}'.",
                                 f"Move it to '{fact.section.value}' in this handout, or "
                                 "change the fact's section.")
        for i, fact_id in enumerate(handout.flyer):
            if fact_id not in cat.facts and fact_id not in cat.broken:
                report.error(loc.where("flyer", i), f"The flyer names the fact '{fact_id}', which "
                             "does not exist.", _suggest(fact_id, cat.facts) +
                             "Check the id against the files in topics/.")
        if 0 < len(handout.flyer) < 3:
            report.error(loc.where("flyer"), f"The flyer of '{handout.id}' has "
                         f"{len(handout.flyer)} key message(s); it needs 3 to 5.",
                         "List 3 to 5 fact ids under 'flyer', or remove 'flyer' to build no flyer.")
        for d, status in enumerate(handout.about):
            for code, fact_id in status.legal_status.items():
                where = loc.where("about", d, "legal_status", code)
                if code not in handout.jurisdictions:
                    report.error(where, f"'{code}' is not one of the jurisdictions of this handout.",
                                 f"Use one of: {', '.join(handout.jurisdictions)}.")
                elif fact_id not in cat.facts:
                    if fact_id not in cat.broken:
                        report.error(where, f"The legal status of {status.drug} names the fact "
                                     f"'{fact_id}', which does not exist.",
                                     _suggest(fact_id, cat.facts) + "Use the id of a legal fact.")
                elif _wrong_legal_status(cat, cat.fact(fact_id), code):
                    report.error(where, f"The fact '{fact_id}' is not a legal fact for '{code}'.",
                                 "Name a fact in the 'legal' section that applies to this "
                                 "jurisdiction.")
        for i, claim_id in enumerate(handout.sections.claims):
            if claim_id not in cat.claims and claim_id not in cat.broken:
                report.error(loc.where("sections", "claims", i),
                             f"The handout names the claim '{claim_id}', which does not exist.",
                             _suggest(claim_id, cat.claims) + "Check the id against topics/.")
        for i, approval in enumerate(handout.approvals):
            if i and approval.date < handout.approvals[i - 1].date:
                report.error(loc.where("approvals", i, "date"),
                             "Approvals must be listed oldest first.",
                             "Move this approval above the older one.")


def check_clinic(cat: Catalogue, report: Report) -> None:
    org = cat.clinic.organisation
    for name in ("email", "website"):
        value = getattr(org, name) or ""
        if any(domain in value for domain in EXAMPLE_DOMAINS):
            report.warning(
                cat.clinic_doc.where(("organisation", name)),
                "clinic.yaml still holds the fictional example clinic. Handouts would be "
                "printed with made-up contact details.",
                "Replace the organisation's name, phone, email, website and address with "
                "your clinic's own.", "example clinic")
            break
    _check_about(cat, report)
    problem = logo_problem(cat.root, cat.clinic.logo) if cat.clinic.logo else None
    if problem:
        report.error(cat.clinic_doc.where(("logo",)), *problem)


def _check_about(cat: Catalogue, report: Report) -> None:
    """Funding and conflicts are printed as the clinic's own word: never an example."""
    about = cat.clinic.about
    if about is None:
        report.warning(cat.clinic_doc.where(()),
                       "clinic.yaml has no 'about' settings, so handouts cannot say who wrote "
                       "them, who paid for them, their conflicts of interest, how they are "
                       "updated or how to give feedback.",
                       "Add 'about:' with written_by, funding, conflicts, update_policy and "
                       "feedback (see the shipped clinic.yaml).", "about")
        return
    for name in ("funding", "conflicts"):
        if getattr(about, name).casefold().startswith("example"):
            report.warning(cat.clinic_doc.where(("about", name)),
                           f"The {name} statement is still the shipped example, so handouts "
                           "would print a statement nobody made.",
                           f"Write your organisation's own {name} statement.", "example clinic")
    feedback = about.feedback
    if not (feedback.email or feedback.phone or feedback.website):
        report.error(cat.clinic_doc.where(("about", "feedback")),
                     "'feedback' gives no way to reach you.",
                     "Add an email, phone or website where readers can give feedback.")


def _wrong_legal_status(cat: Catalogue, fact: m.Fact, code: str) -> bool:
    """Is ``fact`` not a legal fact for ``code``?  Problems already reported do not count."""
    if fact.section is not m.Section.LEGAL:
        return True
    codes = fact.jurisdictions or []
    if not codes or any(_missing_jurisdiction(cat, c) for c in codes):
        return False  # its own jurisdictions are wrong, and that is reported on the fact
    return code not in codes


def _missing_jurisdiction(cat: Catalogue, code: str) -> bool:
    return not (code in cat.jurisdictions or code in cat.broken
                or UNREADABLE + "jurisdictions" in cat.broken)


def get(obj: Any, path: tuple) -> Any:
    for part in path:
        obj = obj[part] if isinstance(part, int) else getattr(obj, part)
    return obj


def _suggest(wrong: str, known: dict) -> str:
    close = difflib.get_close_matches(wrong, list(known), n=1)
    return f"Did you mean '{close[0]}'? " if close else ""
