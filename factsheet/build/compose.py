"""Stage 3, compose: turn the catalogue into one printable handout per jurisdiction.

A :class:`HandoutView` holds exactly what a reader will see, already in print
order: the facts that apply to the jurisdiction, reference numbers in order of
first use, the evidence levels used (for the legend), the dates, the version
and the approval status.  Templates only lay it out.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urljoin

from ..content import model as m
from ..content.validate import Catalogue
from ..paths import TEMPLATES  # the checkout's templates/, or the installed copy
from ..problems import Report

HASH_LENGTH = 6
_VERSION = re.compile(r"^(\d{4}-\d{2}-\d{2})-([0-9a-f]{%d})$" % HASH_LENGTH)


@dataclass(frozen=True)
class Version:
    """A printed version id: a date a person can read plus a short content hash.

    The hash identifies the content; the date is the approval date once the
    content is approved, and the most recent check date before that.
    """

    date: date
    hash: str

    def __str__(self) -> str:
        return f"{self.date.isoformat()}-{self.hash}"

    def is_approved_by(self, approval: m.Approval) -> bool:
        match = _VERSION.match(approval.version.strip())
        return bool(match) and match.group(2) == self.hash


@dataclass
class Item:
    id: str
    statement: str
    evidence: m.Evidence | None
    refs: list[int]
    frequency: m.Frequency | None = None


@dataclass
class GroupView:
    heading: str | None  # None: the section's own list, without a sub-heading
    items: list[Item]
    steps: bool = False  # steps to follow in order: a numbered list


@dataclass
class SectionView:
    key: m.Section
    groups: list[GroupView]

    @property
    def items(self) -> list[Item]:
        return [item for group in self.groups for item in group.items]


@dataclass
class MessageView:
    text: str
    refs: list[int]


@dataclass
class SummaryView:
    main_message: MessageView
    key_points: list[MessageView]
    action: str


@dataclass
class BasicsView:
    """'The basics': the same facts in their plain wording, numbered as in the full handout."""

    what: list[Item]
    benefits: list[Item]
    harms: list[Item]
    steps: list[Item]
    legal: list[Item]
    ask: list[Item]
    tell: list[Item]

    def parts(self) -> list[tuple[str, list[Item]]]:
        return [(name, getattr(self, name)) for name in m.BASICS_PARTS]

    @property
    def pictured(self) -> list[Item]:
        return [i for i in (*self.benefits, *self.harms) if i.frequency is not None]

    @property
    def evidence_used(self) -> list[m.Evidence]:
        """The levels whose labels the sheet prints: what it is (a definition) and what to
        tell your doctor are printed without labels, so the key does not list theirs."""
        return [e for e in m.Evidence
                if any(i.evidence is e for name, items in self.parts()
                       if name not in UNLABELLED_BASICS_PARTS for i in items)]


UNLABELLED_BASICS_PARTS = ("what", "tell")


@dataclass
class ClaimView:
    id: str
    quote: str
    source: m.Source  # the article that made the claim
    source_ref: int
    paraphrase: str
    verdict: m.Verdict
    answer: str
    refs: list[int]  # the sources of the facts behind the verdict


@dataclass
class ContactView:
    contact: m.Contact
    refs: list[int]


@dataclass
class Reference:
    number: int
    source: m.Source


@dataclass
class HandoutView:
    handout: m.Handout
    jurisdiction: m.Jurisdiction
    clinic: m.Clinic
    sections: list[SectionView]
    claims: list[ClaimView]
    emergency: ContactView
    crisis_lines: list[ContactView]
    references: list[Reference]
    evidence_used: list[m.Evidence]
    last_checked: date
    next_review: date
    version: Version
    approval: m.Approval | None
    previous_approval: m.Approval | None
    fact_ids: list[str] = field(default_factory=list)
    logo: Path | None = None  # the clinic's logo file, if it has one
    flyer: list[Item] = field(default_factory=list)  # key messages for the one-page flyer
    web_url: str | None = None  # where the web version is published, for the QR code
    legal_status: list[tuple[str, str]] = field(default_factory=list)  # (drug, statement)
    legal_line: str | None = None  # the legal status in one line, for the flyer
    summary: SummaryView | None = None
    basics: BasicsView | None = None
    side_effects: ContactView | None = None
    checked_by: list[str] = field(default_factory=list)  # roles in the facts' check records

    @property
    def flyer_evidence(self) -> list[m.Evidence]:
        return [e for e in m.Evidence if any(i.evidence is e for i in self.flyer)]

    @property
    def pictured(self) -> list[Item]:
        """Items drawn as icon arrays in the full handout, in print order."""
        return [i for s in self.sections for i in s.items if i.frequency is not None]

    @property
    def approved(self) -> bool:
        return self.approval is not None

    @property
    def language(self) -> str:
        return self.handout.language


def applies(item: m.Fact | m.Claim, code: str) -> bool:
    return item.jurisdictions is None or code in item.jurisdictions


def printed_items(cat: Catalogue, handout: m.Handout, code: str
                  ) -> tuple[dict[str, list[str]], list[m.Claim], list[m.Fact]]:
    """What one edition prints: fact ids per section, the claims answered, and every fact used
    (section facts, facts behind the claims, flyer messages), all filtered to ``code``."""
    sections = {section.value: [fid for fid in ids if applies(cat.fact(fid), code)]
                for section, ids in handout.sections.items()}
    claims = [c for c in (cat.claim(cid) for cid in handout.sections.claims) if applies(c, code)]
    fact_ids = [fid for ids in sections.values() for fid in ids]
    for fid in [*(f for c in claims for f in c.backed_by), *handout.flyer,
                *summary_fact_ids(handout), *basics_fact_ids(handout)]:
        if fid not in fact_ids and applies(cat.fact(fid), code):
            fact_ids.append(fid)
    return sections, claims, [cat.fact(fid) for fid in fact_ids]


def summary_fact_ids(handout: m.Handout) -> list[str]:
    if handout.summary is None:
        return []
    return [fid for _, message in handout.summary.located() for fid in message.facts]


def basics_fact_ids(handout: m.Handout) -> list[str]:
    if handout.basics is None:
        return []
    return [fid for _, ids in handout.basics.parts() for fid in ids]


def handout_version(cat: Catalogue, handout: m.Handout, code: str) -> Version:
    """The version of one printed edition: a hash of exactly what its reader sees.

    Each jurisdiction has its own version, so a change to a US-only fact does not make the
    UK copy out of date.  A clinician approves each version they have read.
    """
    sections, claims, facts = printed_items(cat, handout, code)
    jurisdiction = cat.jurisdiction(code)
    contacts = contacts_of(jurisdiction)
    cited = sorted({c.source for item in (*facts, *contacts, *claims) for c in item.citations})

    # Only what a reader sees counts: re-checking a fact without changing it keeps the version.
    content = {
        "handout": handout.model_dump(mode="json", include={"id", "title", "audience", "language",
                                                            "summary", "basics"}),
        "sections": sections,
        "groups": [{"heading": g.heading, "steps": True} if g.steps else g.heading
                   for section in m.Section for g in handout.sections.groups(section)
                   if isinstance(g, m.Group)],
        "flyer": [fid for fid in handout.flyer if applies(cat.fact(fid), code)],
        "facts": [f.model_dump(mode="json", include={"id", "statement", "plain", "evidence",
                                                     "frequency"})
                  for f in facts],
        "claims": [c.model_dump(mode="json", include={"id", "claim", "paraphrase", "verdict",
                                                      "answer", "backed_by"})
                   for c in claims],
        "jurisdiction": jurisdiction.name,
        # the clinic's name, phone, email, address and website are on every page, the web
        # address in the QR code and the logo in the header: a change to any is a new version
        "clinic": cat.clinic.organisation.model_dump(mode="json"),
        "web address": web_url(cat.clinic, handout.id, code),
        "logo": logo_digest(cat),
        # the headings and labels are printed too: reworded, every edition in that language
        # is a new version
        "interface": interface_digest(handout.language),
        "about": cat.clinic.about.model_dump(mode="json") if cat.clinic.about else None,
        "contacts": [c.model_dump(mode="json", include={"id", "name", "description", "phone",
                                                        "text", "website", "hours"})
                     for c in contacts],
        # where the text was read (copy_of) is for reviewers: the reader does not see it
        "sources": [cat.source(s).model_dump(mode="json", exclude={"accessed", "copy_of"})
                    for s in cited],
    }
    digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
    digest = digest[:HASH_LENGTH]
    checked = max(item.checked.date for item in (*facts, *contacts, *claims))
    approval = current_approval(handout, digest)
    return Version(approval.date if approval else checked, digest)


def logo_digest(cat: Catalogue) -> str | None:
    """A hash of the logo's bytes, so a logo replaced under the same name is noticed."""
    if not cat.clinic.logo:
        return None
    return hashlib.sha256((cat.root / cat.clinic.logo).read_bytes()).hexdigest()


def interface_file(language: str, templates: Path | None = None) -> Path:
    """The file holding every heading and label printed in ``language``."""
    return (templates or TEMPLATES) / "strings" / f"{language}.yaml"


def interface_digest(language: str) -> str:
    """A hash of the interface wording (headings, labels, the evidence key) in ``language``."""
    return hashlib.sha256(interface_file(language).read_bytes()).hexdigest()


def contacts_of(jurisdiction: m.Jurisdiction) -> list[m.Contact]:
    """Every contact an edition prints: emergency, crisis lines, side-effect reporting."""
    contacts = [jurisdiction.emergency, *jurisdiction.crisis_lines]
    if jurisdiction.side_effects is not None:
        contacts.append(jurisdiction.side_effects)
    return contacts


def current_approval(handout: m.Handout, digest: str) -> m.Approval | None:
    probe = Version(date.min, digest)
    for approval in reversed(handout.approvals):
        if probe.is_approved_by(approval):
            return approval
    return None


def compose(cat: Catalogue, handout_id: str, code: str, report: Report | None = None
            ) -> HandoutView:
    loc = cat.handouts[handout_id]
    handout: m.Handout = loc.item
    jurisdiction = cat.jurisdiction(code)
    numbers: dict[str, int] = {}

    def refs(citations: list[m.Citation]) -> list[int]:
        for citation in citations:
            numbers.setdefault(citation.source, len(numbers) + 1)
        return sorted({numbers[c.source] for c in citations})

    def facts_here(fact_ids: list[str]) -> list[m.Fact]:
        return [cat.fact(fid) for fid in fact_ids if applies(cat.fact(fid), code)]

    def item(fact: m.Fact, plain: bool = False) -> Item:
        wording = (fact.plain or fact.statement) if plain else fact.statement
        return Item(fact.id, wording, fact.evidence, refs(fact.citations), fact.frequency)

    summary = None
    if handout.summary is not None:  # numbered first: it is printed first
        def message(msg: m.Message) -> MessageView:
            facts = facts_here(msg.facts)
            return MessageView(msg.text, refs([c for f in facts for c in f.citations]))
        summary = SummaryView(message(handout.summary.main_message),
                              [message(p) for p in handout.summary.key_points],
                              handout.summary.action)

    sections: list[SectionView] = []
    used: list[m.Fact] = []
    for section in m.Section:
        groups = []
        for run in handout.sections.groups(section):
            group = run if isinstance(run, m.Group) else None
            facts = facts_here(group.facts if group else run)
            used.extend(facts)
            if facts:
                groups.append(GroupView(group.heading if group else None,
                                        [item(f) for f in facts], bool(group and group.steps)))
        sections.append(SectionView(section, groups))
        if report is not None and section is m.Section.LEGAL and not groups:
            report.warning(loc.where("sections", "legal"),
                           f"The handout '{handout.id}' has no legal facts for "
                           f"{jurisdiction.name}, so its legal status section will be empty.",
                           f"Add a legal fact with 'jurisdictions: [{code}]' and list it under "
                           "'legal'.")

    claims: list[ClaimView] = []
    answered: list[m.Claim] = []
    for claim_id in handout.sections.claims:
        claim = cat.claim(claim_id)
        if not applies(claim, code):
            continue
        backing = [cat.fact(fid) for fid in claim.backed_by if applies(cat.fact(fid), code)]
        if not backing:
            if report is not None:
                report.warning(cat.claims[claim_id].where("backed_by"),
                               f"The claim '{claim_id}' has no backing fact that applies in "
                               f"{jurisdiction.name}, so it is left out there.",
                               "Add a fact for that jurisdiction to 'backed_by', or limit the "
                               "claim with 'jurisdictions'.")
            continue
        answered.append(claim)
        source_ref = refs([claim.claim])[0]
        backing_refs = refs([c for fact in backing for c in fact.citations])
        claims.append(ClaimView(claim.id, claim.claim.quote, cat.source(claim.claim.source),
                                source_ref, claim.paraphrase, claim.verdict, claim.answer,
                                backing_refs))

    emergency = ContactView(jurisdiction.emergency, refs(jurisdiction.emergency.citations))
    crisis = [ContactView(c, refs(c.citations)) for c in jurisdiction.crisis_lines]
    side_effects = (ContactView(jurisdiction.side_effects, refs(jurisdiction.side_effects.citations))
                    if jurisdiction.side_effects else None)
    contacts = contacts_of(jurisdiction)

    basics = None
    if handout.basics is not None:  # after the full handout, so its numbers are the same
        parts = {name: [item(f, plain=True) for f in facts_here(ids)]
                 for name, ids in handout.basics.parts()}
        basics = BasicsView(**parts)
    printed = printed_items(cat, handout, code)[2]
    checked_items = [*printed, *answered, *contacts]

    version = handout_version(cat, handout, code)
    approval = current_approval(handout, version.hash)
    evidence_used = [e for e in m.Evidence if any(f.evidence is e for f in used)]
    return HandoutView(
        handout=handout,
        jurisdiction=jurisdiction,
        clinic=cat.clinic,
        sections=sections,
        claims=claims,
        emergency=emergency,
        crisis_lines=crisis,
        references=[Reference(n, cat.source(sid)) for sid, n in numbers.items()],
        evidence_used=evidence_used,
        last_checked=min(i.checked.date for i in checked_items),
        next_review=min(i.review_due for i in checked_items),
        version=version,
        approval=approval,
        previous_approval=None if approval else (handout.approvals[-1]
                                                 if handout.approvals else None),
        fact_ids=[f.id for f in printed],
        logo=cat.root / cat.clinic.logo if cat.clinic.logo else None,
        flyer=[Item(f.id, f.plain or f.statement, f.evidence, []) for f in
               (cat.fact(fid) for fid in handout.flyer) if applies(f, code)],
        web_url=web_url(cat.clinic, handout.id, code),
        legal_status=[(s.drug, cat.fact(s.legal_status[code]).statement)
                      for s in handout.about if code in s.legal_status],
        legal_line=next(((cat.fact(s.legal_status[code]).plain
                          or cat.fact(s.legal_status[code]).statement)
                         for s in handout.about if code in s.legal_status), None),
        summary=summary,
        basics=basics,
        side_effects=side_effects,
        checked_by=sorted({i.checked.by for i in checked_items}),
    )


def web_url(clinic: m.Clinic, handout_id: str, code: str) -> str | None:
    """The public address of a handout's web version, when the clinic has a base URL."""
    if not clinic.base_url:
        return None
    return urljoin(clinic.base_url.rstrip("/") + "/", f"{handout_id}/{code}.html")
