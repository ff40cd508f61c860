"""Stage 2, validate: check every file against the model, then the links between files.

The result is a :class:`Catalogue`, the whole checked content.  Problems are
collected across all files, so staff see every independent error in one run,
each with file, line and field.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import model as m
from .images import logo_problem
from .load import Document, LoadError, dotted, load_file
from ..problems import Report, Where
from .validate_levels import check_level_links

# Where each kind of content lives, relative to the content folder.
CLINIC_FILE = "clinic.yaml"
JURISDICTIONS_FILE = "jurisdictions.yaml"
SOURCES_FILE = "sources.yaml"
WORDING_FILE = "wording.yaml"
GLOSSARY_FILE = "glossary.yaml"  # optional
TOPICS_DIR = "topics"
HANDOUTS_DIR = "handouts"

# Reserved example domains (RFC 2606): the shipped clinic file uses them, a real one never does.
EXAMPLE_DOMAINS = ("example.org", "example.com", "example.net")


@dataclass
class Located:
    """A validated item and where it was written."""

    item: Any
    doc: Document
    path: tuple

    def where(self, *sub: Any, field_name: str | None = None) -> Where:
        full = self.path + tuple(sub)
        return self.doc.where(full, field_name or dotted(full))

    def citation_where(self, index: int, part: str) -> Where:
        """Where citation ``index`` of the item is written (a claim's quote is its 'claim')."""
        if isinstance(self.item, m.Claim):
            return self.where("claim", part)
        return self.where("citations", index, part)


@dataclass
class Catalogue:
    """All validated content, indexed by id, with the origin of each item."""

    root: Path
    clinic: m.Clinic
    clinic_doc: Document
    wording: m.Wording = field(default_factory=m.Wording)
    glossary: m.Glossary = field(default_factory=m.Glossary)
    glossary_doc: Document | None = None
    jurisdictions: dict[str, Located] = field(default_factory=dict)
    contacts: dict[str, Located] = field(default_factory=dict)
    claims: dict[str, Located] = field(default_factory=dict)
    sources: dict[str, Located] = field(default_factory=dict)
    facts: dict[str, Located] = field(default_factory=dict)
    handouts: dict[str, Located] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    # ids of items that exist but failed validation: links to them are not reported again
    broken: set[str] = field(default_factory=set)

    def checked_items(self):
        """Everything printed as true, with its origin: facts, claims answered, and contacts."""
        yield from self.facts.items()
        yield from self.claims.items()
        yield from self.contacts.items()

    def claim(self, claim_id: str) -> m.Claim:
        return self.claims[claim_id].item

    def fact(self, fact_id: str) -> m.Fact:
        return self.facts[fact_id].item

    def source(self, source_id: str) -> m.Source:
        return self.sources[source_id].item

    def jurisdiction(self, code: str) -> m.Jurisdiction:
        return self.jurisdictions[code].item

    def handout(self, handout_id: str) -> m.Handout:
        return self.handouts[handout_id].item


def load_catalogue(root: Path, report: Report) -> Catalogue | None:
    """Load and validate everything under ``root``.

    Problems go into ``report``; returns ``None`` when errors make the content unusable.
    """
    root = Path(root)
    if not root.is_dir():
        report.error(Where(root), "The content folder does not exist.",
                     "Run the command from the project folder, or give the right folder "
                     "with --facts.")
        return None

    from .load import outside_problem, unread_files

    listed: list[Path] = []  # the files found in the folders of files

    def files_in(sub: str) -> list[Path]:
        folder = root / sub
        found = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
        if not found:
            report.error(Where(folder), f"No YAML files were found in {sub}/.",
                         f"Add at least one .yaml file to {sub}/.")
        listed.extend(found)
        return found

    def linked_out(path: Path) -> bool:
        """A content file that is a link leading out of the content folder is not read."""
        problem = outside_problem(root, path)
        if problem:
            report.extend([problem])
        return problem is not None

    def validate(path: Path, kind: str) -> tuple[Any, Document] | None:
        return None if linked_out(path) else _validate(path, kind, report)

    def validate_list(path: Path, kind: str) -> dict[str, list[Located]]:
        if linked_out(path):
            broken.add(UNREADABLE + kind)
            return {key: [] for key, _ in LIST_FILES[kind]}
        return _validate_list(path, kind, report, broken)

    broken: set[str] = set()
    clinic = validate(root / CLINIC_FILE, "clinic")
    wording = validate(root / WORDING_FILE, "wording")
    glossary = (validate(root / GLOSSARY_FILE, "glossary")
                if (root / GLOSSARY_FILE).exists() else None)
    jurisdictions = validate_list(root / JURISDICTIONS_FILE, "jurisdictions")
    sources = validate_list(root / SOURCES_FILE, "sources")
    topics = [validate_list(path, "facts") for path in files_in(TOPICS_DIR)]
    handouts = [validate(path, "handout") for path in files_in(HANDOUTS_DIR)]

    # warnings from loading (a ' #' that cut a value short), once per file
    docs = [d for _, d in filter(None, [clinic, wording, glossary, *handouts])]
    docs += [loc.doc for lists in [jurisdictions, sources, *topics]
             for items in lists.values() for loc in items]
    for doc in {id(d): d for d in docs}.values():
        report.extend(doc.warnings)
    archive_dir = Path(clinic[0].quote_archive).parts[:1] if clinic else ()
    report.extend(unread_files(
        root, listed, [CLINIC_FILE, WORDING_FILE, GLOSSARY_FILE, JURISDICTIONS_FILE, SOURCES_FILE],
        [TOPICS_DIR, HANDOUTS_DIR], {"schema", "archive", *archive_dir}))

    if clinic is None:
        return None
    cat = Catalogue(root=root, clinic=clinic[0], clinic_doc=clinic[1], broken=broken)
    if wording:
        cat.wording = wording[0]
    if glossary:
        cat.glossary, cat.glossary_doc = glossary
    cat.files = [d.path for _, d in filter(None, [clinic, wording, glossary, *handouts])]
    cat.files += sorted({loc.doc.path for lists in [jurisdictions, sources, *topics]
                         for items in lists.values() for loc in items})

    for located in jurisdictions["jurisdictions"]:
        _add(cat.jurisdictions, located.item.code, located, "jurisdiction", report, "code")
        contacts = [("emergency",)] + [("crisis_lines", i)
                                       for i in range(len(located.item.crisis_lines))]
        if located.item.side_effects is not None:
            contacts.append(("side_effects",))
        for sub in contacts:
            contact = Located(_get(located.item, sub), located.doc, located.path + sub)
            _add(cat.contacts, contact.item.id, contact, "contact", report)
    for located in sources["sources"]:
        _add(cat.sources, located.item.id, located, "source", report)
    for topic in topics:
        for located in topic["facts"]:
            _add(cat.facts, located.item.id, located, "fact", report)
        for located in topic["claims"]:
            _add(cat.claims, located.item.id, located, "claim", report)
    for handout in filter(None, handouts):
        model, doc = handout
        _add(cat.handouts, model.id, Located(model, doc, ()), "handout", report)

    _check_links(cat, report)
    check_level_links(cat, report)
    _check_clinic(cat, report)
    return cat


# ---------------------------------------------------------------- per-file validation


def _validate(path: Path, kind: str, report: Report) -> tuple[Any, Document] | None:
    if not path.exists():
        report.error(Where(path), f"The {kind} file is missing.",
                     f"Create {path.name}; see README.md for an example.")
        return None
    try:
        doc = load_file(path)
    except LoadError as exc:
        report.extend([exc.problem])
        return None
    model_cls = m.FILE_MODELS[kind]
    try:
        return model_cls.model_validate(doc.data if doc.data is not None else {}), doc
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        for error in errors:
            if not _is_misspelling_echo(error, errors):
                _report_pydantic_error(error, doc, model_cls, report)
        return None


def _is_misspelling_echo(error: dict, errors: list[dict]) -> bool:
    """A misspelt key shows up twice: unknown 'statment' and missing 'statement'.

    Report it once, as the unknown key with its suggestion.
    """
    if error["type"] != "missing":
        return False
    parent, name = tuple(error["loc"][:-1]), str(error["loc"][-1])
    unknown = [str(e["loc"][-1]) for e in errors
               if e["type"] == "extra_forbidden" and tuple(e["loc"][:-1]) == parent]
    return bool(difflib.get_close_matches(name, unknown, n=1))


UNREADABLE = "*"  # marks a whole kind of file as unreadable in Catalogue.broken

# the list inside each list-shaped file, and the key that identifies its items
# the lists inside each list-shaped file, and the key that identifies their items
LIST_FILES = {"jurisdictions": [("jurisdictions", "code")], "sources": [("sources", "id")],
              "facts": [("facts", "id"), ("claims", "id")]}


def _validate_list(path: Path, kind: str, report: Report, broken: set[str]
                   ) -> dict[str, list[Located]]:
    """Validate a file that holds lists of items, keeping every item that is valid.

    A single bad item is reported once; the good items around it still count, so
    links to them are checked and not reported as missing.
    """
    lists = LIST_FILES[kind]
    whole = _validate(path, kind, report)
    if whole is not None:
        model, doc = whole
        return {key: [Located(item, doc, (key, i)) for i, item in enumerate(getattr(model, key))]
                for key, _ in lists}
    empty: dict[str, list[Located]] = {key: [] for key, _ in lists}
    try:
        doc = load_file(path)
    except LoadError:  # unreadable: nothing is known of its ids, so links to it are not checked
        broken.add(UNREADABLE + kind)
        return empty
    for key, id_key in lists:
        raw_items = doc.data.get(key) if isinstance(doc.data, dict) else None
        item_cls = _unwrap(m.FILE_MODELS[kind].model_fields[key].annotation)
        for i, raw in enumerate(raw_items if isinstance(raw_items, list) else []):
            try:
                empty[key].append(Located(item_cls.model_validate(raw), doc, (key, i)))
            except ValidationError:
                if isinstance(raw, dict) and isinstance(raw.get(id_key), str):
                    broken.add(raw[id_key])
    return empty


def _report_pydantic_error(error: dict, doc: Document, model_cls: type, report: Report) -> None:
    loc = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    name = str(loc[-1]) if loc and isinstance(loc[-1], str) else dotted(loc)

    if kind == "missing":
        where = Where(doc.path, doc.line_of(loc[:-1]), dotted(loc), doc.entry_of(loc))
        report.error(where, f"The required field '{name}' is missing.",
                     f"Add a line '{name}: ...' to this entry." + _describe(model_cls, loc))
        return

    where = doc.where(loc)
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model_cls, loc[:-1])
        close = difflib.get_close_matches(name, allowed, n=1)
        hint = f"Did you mean '{close[0]}'? " if close else ""
        report.error(where, f"'{name}' is not a known field here.",
                     f"{hint}Check the spelling. Fields allowed here: {', '.join(allowed)}.")
    elif kind in ("enum", "literal_error"):
        expected = error.get("ctx", {}).get("expected", "")
        report.error(where, f"'{value}' is not an allowed value for '{name}'.",
                     f"Use one of: {expected.replace(' or ', ', ')}.")
    elif kind in ("date_format", "date_impossible"):
        report.error(where, error["msg"],
                     "Write dates as YYYY-MM-DD, for example 2026-03-31, and check that the day "
                     "exists in that month.")
    elif kind == "string_pattern_mismatch":
        report.error(where, f"'{value}' is not in the right form for '{name}'.",
                     _pattern_fix(name))
    elif kind == "string_too_short":
        report.error(where, f"'{name}' is empty.", "Write a value, or remove the line.")
    elif kind == "too_short":
        report.error(where, f"'{name}' needs at least one item.",
                     "Add an item on its own line, starting with '- '.")
    elif kind == "string_type":
        if value is None:
            report.error(where, f"'{name}' is empty.", "Write a value, or remove the line.")
        else:
            report.error(where, f"'{name}' must be a single piece of text, not a list or a block.",
                         "Write the text on the same line after the colon, in quotes if it "
                         "contains ': ' or '#'.")
    elif kind == "list_type":
        report.error(where, f"'{name}' must be a list.",
                     "Put each item on its own line under it, starting with '- '.")
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        shown = "empty" if value is None else "a single value"
        report.error(where, f"'{name}' must be a block of 'key: value' lines, but it is {shown}.",
                     "Indent the fields of this block under it." + _describe(model_cls, loc))
    elif kind in ("int_parsing", "int_type", "int_from_float"):
        report.error(where, f"'{value}' is not a whole number.", "Write a number such as 12.")
    elif kind in ("greater_than_equal", "less_than_equal"):
        report.error(where, f"{value} is out of range for '{name}'.", error["msg"] + ".")
    else:  # a message from pydantic is still better than none
        report.error(where, f"{error['msg']}.", "Check this value against README.md.")


def _pattern_fix(name: str) -> str:
    if name in ("url", "website", "base_url"):
        return "Write a full web address starting with https://."
    if name in ("jurisdictions", "code") or "jurisdiction" in name:
        return "Use a lowercase country code such as 'us', 'uk', 'ca' or 'au'."
    if name in ("language", "languages"):
        return "Use a two-letter language code such as 'en' or 'es'."
    return ("Ids use lowercase letters, digits and single dashes, for example "
            "'ketamine-uk-class-b'.")


def _field_model(model_cls: Any, loc: tuple) -> Any:
    """Follow ``loc`` through the model's annotations to the model found there."""
    current = model_cls
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = next((f for n, f in current.model_fields.items() if (f.alias or n) == part), None)
        if info is None:
            return None
        current = info.annotation
    return _unwrap(current)


def _unwrap(annotation: Any) -> Any:
    """``list[X]``, ``X | None`` and ``Annotated[X, ...]`` -> ``X``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin in (list, typing.Annotated):
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def _allowed_fields(model_cls: Any, loc: tuple) -> list[str]:
    target = _field_model(model_cls, loc)
    if isinstance(target, type) and issubclass(target, BaseModel):
        return [f.alias or n for n, f in target.model_fields.items()]
    return []


def _describe(model_cls: Any, loc: tuple) -> str:
    parent = _field_model(model_cls, loc[:-1])
    if isinstance(parent, type) and issubclass(parent, BaseModel):
        for n, info in parent.model_fields.items():
            if (info.alias or n) == loc[-1] and info.description:
                return f" It is: {info.description}"
    return ""


# ---------------------------------------------------------------- indexing


def _add(index: dict, key: str, located: Located, what: str, report: Report,
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


def _check_links(cat: Catalogue, report: Report) -> None:
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


def _check_clinic(cat: Catalogue, report: Report) -> None:
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


def _get(obj: Any, path: tuple) -> Any:
    for part in path:
        obj = obj[part] if isinstance(part, int) else getattr(obj, part)
    return obj


def _suggest(wrong: str, known: dict) -> str:
    close = difflib.get_close_matches(wrong, list(known), n=1)
    return f"Did you mean '{close[0]}'? " if close else ""
