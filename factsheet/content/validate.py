"""Stage 2, validate: check every file against the model, then the links between files.

The result is a :class:`Catalogue`, the whole checked content.  Problems are
collected across all files, so staff see every independent error in one run,
each with file, line and field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import model as m
from .links import UNREADABLE, add, check_clinic, check_links, get
from .load import Document, LoadError, dotted, load_file
from ..problems import Report, Where
from .pydantic_errors import is_misspelling_echo, report_pydantic_error, unwrap
from .validate_levels import check_level_links

# Where each kind of content lives, relative to the content folder.
CLINIC_FILE = "clinic.yaml"
JURISDICTIONS_FILE = "jurisdictions.yaml"
SOURCES_FILE = "sources.yaml"
WORDING_FILE = "wording.yaml"
GLOSSARY_FILE = "glossary.yaml"  # optional
TOPICS_DIR = "topics"
HANDOUTS_DIR = "handouts"


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
        add(cat.jurisdictions, located.item.code, located, "jurisdiction", report, "code")
        contacts = [("emergency",)] + [("crisis_lines", i)
                                       for i in range(len(located.item.crisis_lines))]
        if located.item.side_effects is not None:
            contacts.append(("side_effects",))
        for sub in contacts:
            contact = Located(get(located.item, sub), located.doc, located.path + sub)
            add(cat.contacts, contact.item.id, contact, "contact", report)
    for located in sources["sources"]:
        add(cat.sources, located.item.id, located, "source", report)
    for topic in topics:
        for located in topic["facts"]:
            add(cat.facts, located.item.id, located, "fact", report)
        for located in topic["claims"]:
            add(cat.claims, located.item.id, located, "claim", report)
    for handout in filter(None, handouts):
        model, doc = handout
        add(cat.handouts, model.id, Located(model, doc, ()), "handout", report)

    check_links(cat, report)
    check_level_links(cat, report)
    check_clinic(cat, report)
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
            if not is_misspelling_echo(error, errors):
                report_pydantic_error(error, doc, model_cls, report)
        return None


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
        item_cls = unwrap(m.FILE_MODELS[kind].model_fields[key].annotation)
        for i, raw in enumerate(raw_items if isinstance(raw_items, list) else []):
            try:
                empty[key].append(Located(item_cls.model_validate(raw), doc, (key, i)))
            except ValidationError:
                if isinstance(raw, dict) and isinstance(raw.get(id_key), str):
                    broken.add(raw[id_key])
    return empty
