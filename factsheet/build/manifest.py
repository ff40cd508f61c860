"""The build record: what each output was built from, so only what changed is rebuilt.

``output/manifest.json`` holds, for every output file, a hash of each thing it depends
on: the facts, claims and sources it prints, its handout and jurisdiction, the clinic
settings, the templates and fonts, the build options, and the software versions.  A new
build compares those hashes with the current ones; an output is rebuilt only when one
differs, and the difference is the reason given (``fact esketamine-rems-us changed``).

It also keeps every printed version of every edition, with the statements it contained,
so the reprint report and ``build.py status VERSION`` can say what changed since.
"""

from __future__ import annotations

import hashlib
import json
import stat
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import __version__
from ..paths import inside
from .compose import HandoutView, interface_digest, logo_digest
from ..content.validate import Catalogue
from ..output.write import Target, atomic_write

MANIFEST = "manifest.json"
FORMAT = 1
PARTS = ("outputs", "editions", "versions", "pages", "files")


def digest(value: Any) -> str:
    data = value if isinstance(value, bytes) else json.dumps(value, sort_keys=True,
                                                             ensure_ascii=False).encode()
    return hashlib.sha256(data).hexdigest()[:16]


def _model_hash(item: Any) -> str:
    return digest(item.model_dump(mode="json"))


class Fingerprints:
    """The hash of every input, computed once per build and shared by all outputs."""

    def __init__(self, cat: Catalogue, templates: Path, fonts: dict[str, Path]):
        self.facts = {k: _model_hash(loc.item) for k, loc in cat.facts.items()}
        self.claims = {k: _model_hash(loc.item) for k, loc in cat.claims.items()}
        self.sources = {k: _model_hash(loc.item) for k, loc in cat.sources.items()}
        self.jurisdictions = {k: _model_hash(loc.item) for k, loc in cat.jurisdictions.items()}
        # approvals count per edition (below), so approving one copy leaves the others alone
        self.handouts = {k: digest(loc.item.model_dump(mode="json", exclude={"approvals"}))
                         for k, loc in cat.handouts.items()}
        self.clinic = _model_hash(cat.clinic)
        self.logo = logo_digest(cat) or "none"  # the file's bytes: its name is in the clinic
        self.templates = {p.relative_to(templates).as_posix(): digest(p.read_bytes())
                          for p in sorted(templates.rglob("*")) if p.is_file()}
        self.fonts = {name: digest(path.read_bytes()) for name, path in fonts.items()}
        self.software = {"factsheet": __version__, "jinja2": metadata.version("jinja2")}
        # read from the installed package's metadata: a no-change build never imports WeasyPrint
        self.pdf_software = {**self.software, "weasyprint": metadata.version("weasyprint")}

    def deps(self, view: HandoutView, target: Target, used: list[str]) -> dict[str, str]:
        """Everything ``target`` is made from, each with its hash."""
        deps = {f"handout {view.handout.id}": self.handouts[view.handout.id],
                f"jurisdiction {view.jurisdiction.code}": self.jurisdictions[view.jurisdiction.code],
                "clinic settings": self.clinic,
                "clinic logo": self.logo,
                "approval": digest(view.approval.model_dump(mode="json")) if view.approval
                else "none"}
        deps.update({f"fact {f}": self.facts[f] for f in used})
        deps.update({f"claim {c.id}": self.claims[c.id] for c in view.claims})
        deps.update({f"source {r.source.id}": self.sources[r.source.id] for r in view.references})
        deps.update({f"template {name}": h for name, h in self.templates.items()})
        software = self.pdf_software if target.format == "pdf" else self.software
        deps.update({f"software {name}": version for name, version in software.items()})
        if target.format == "pdf":
            deps.update({f"font {name}": h for name, h in self.fonts.items()})
            deps["option paper"] = target.paper.value
            deps["option variant"] = target.variant.value
        return deps


def reasons(old: dict[str, str] | None, new: dict[str, str], exists: bool) -> list[str]:
    """Why an output must be rebuilt, in words; an empty list means it is up to date."""
    if old is None:
        return ["new output"]
    changed = [f"{key} changed" for key in sorted(new) if key in old and old[key] != new[key]]
    added = [f"{key} added" for key in sorted(new) if key not in old]
    removed = [f"{key} removed" for key in sorted(old) if key not in new]
    found = changed + added + removed
    if not found and not exists:
        return ["file missing from output/"]
    return found



MAX_MANIFEST_BYTES = 256 * 1024 * 1024  # thousands of editions' history fit in a few MB


def _strings(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())


def _is_output_entry(entry: Any) -> bool:
    return (isinstance(entry, dict) and _strings(entry.get("deps"))
            and all(isinstance(entry.get(k), str) for k in ("handout", "jurisdiction", "version"))
            and isinstance(entry.get("sha256"), (str, type(None))))


def _is_version_record(record: Any) -> bool:
    return (isinstance(record, dict)
            and all(isinstance(record.get(k), str) for k in ("handout", "jurisdiction",
                                                               "title", "version"))
            and all(_strings(record.get(k, {})) for k in ("facts", "claims", "contacts",
                                                          "clinic")))


def output_path(output: Path, name: Any) -> Path | None:
    """The file a manifest entry names, or None when the name would lead out of output/.

    The manifest is data read from disk, so its names are never trusted as paths: an
    absolute path, a ``..`` part or a symlink out of the folder is refused.
    """
    if not isinstance(name, str) or not name or "\0" in name or "\\" in name:
        return None
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts:
        return None
    path = output / relative
    return path if inside(output, path) else None


@dataclass
class Manifest:
    """The record of the last build, as read from and written to output/manifest.json."""

    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    editions: dict[str, dict[str, str]] = field(default_factory=dict)  # "handout/code" -> version
    versions: dict[str, dict[str, Any]] = field(default_factory=dict)  # version hash -> contents
    pages: dict[str, str] = field(default_factory=dict)  # index, register, changes -> hash
    files: dict[str, str] = field(default_factory=dict)  # site page -> sha256 of its bytes
    damaged: list[str] = field(default_factory=list)  # entries refused on load, for the report

    @classmethod
    def load(cls, output: Path) -> "Manifest":
        """The record on disk, with every entry that is not what a build writes left out.

        Nothing in it is trusted: a missing record means a full build, and a damaged one
        (not JSON, not UTF-8, entries of the wrong shape or naming paths out of output/)
        is used for what is sound in it, each refused part listed in ``damaged``.
        """
        path = output / MANIFEST
        if not path.exists() and not path.is_symlink():
            return cls()
        try:
            if not stat.S_ISREG(path.lstat().st_mode):
                raise ValueError("not a plain file")
            with path.open("rb") as handle:
                raw = handle.read(MAX_MANIFEST_BYTES + 1)
            if len(raw) > MAX_MANIFEST_BYTES:
                raise ValueError("larger than any record a build writes")
            data = json.loads(raw.decode("utf-8"))
        except (OSError, ValueError, RecursionError) as exc:
            return cls(damaged=[f"the whole record ({exc})"])
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return cls(damaged=["the whole record (not a build record of this version)"])
        parts = {key: data.get(key, {}) for key in PARTS}
        damaged = [key for key, value in parts.items() if not isinstance(value, dict)]
        parts = {key: value if isinstance(value, dict) else {} for key, value in parts.items()}
        sound = {"outputs": lambda name, entry: output_path(output, name) is not None
                 and _is_output_entry(entry),
                 "editions": lambda name, entry: isinstance(entry, dict)
                 and all(isinstance(entry.get(k), str) for k in ("version", "hash")),
                 "versions": lambda name, entry: _is_version_record(entry),
                 "pages": lambda name, entry: isinstance(entry, str),
                 "files": lambda name, entry: isinstance(entry, str)}
        kept = {}
        for part, test in sound.items():
            kept[part] = {name: entry for name, entry in parts[part].items() if test(name, entry)}
            damaged.extend(name for name in parts[part] if name not in kept[part])
        return cls(**kept, damaged=damaged)

    def copy(self) -> "Manifest":
        return Manifest(dict(self.outputs), dict(self.editions), dict(self.versions),
                        dict(self.pages), dict(self.files))

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, "outputs": self.outputs, "editions": self.editions,
                           "versions": self.versions, "pages": self.pages, "files": self.files},
                          sort_keys=True, indent=1, ensure_ascii=False) + "\n"

    def save(self, output: Path) -> bool:
        """Write the manifest if it changed.  Returns whether it was written."""
        path = output / MANIFEST
        text = self.to_json()
        try:
            if path.is_file() and path.read_bytes() == text.encode("utf-8"):
                return False
        except OSError:
            pass  # unreadable: replace it
        atomic_write(path, text)
        return True


def file_sha256(path: Path) -> str | None:
    """The hash of the file at ``path`` as it is on disk; None if it is not a plain file.

    A symlink counts as no file: output/ holds only what the build wrote.
    """
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def on_disk_as_recorded(path: Path, recorded: str | None) -> bool:
    """Is the file still what the last build wrote?  (Not if it was deleted, cut short,
    edited, or left half-new by an interrupted build.)"""
    return recorded is not None and file_sha256(path) == recorded


class Landing:
    """Puts each output on record as it lands, so an interrupted build leaves a true record.

    The record saved during the build is the last complete build's, plus each file written
    since with what it was made from and its hash; the editions it lists as current change
    only when the build completes.  Saves are at most one a second: a file that lands
    unrecorded is caught by its hash next time, so the record is never wrong, only late.
    """

    def __init__(self, old: Manifest, new: Manifest, output: Path, every: float = 1.0):
        self.record, self.new, self.output, self.every = old.copy(), new, output, every
        self.saved = time.monotonic()

    def land(self, rel: str) -> None:
        entry = {**self.new.outputs[rel], "sha256": file_sha256(self.output / rel)}
        self.new.outputs[rel] = self.record.outputs[rel] = entry
        version_hash = entry["version"].rsplit("-", 1)[-1]
        if version_hash in self.new.versions:  # a copy of it may be printed before the end
            self.record.versions.setdefault(version_hash, self.new.versions[version_hash])
        if time.monotonic() - self.saved >= self.every:
            self.flush()

    def flush(self) -> None:
        self.record.save(self.output)
        self.saved = time.monotonic()


def edition_key(handout_id: str, code: str) -> str:
    return f"{handout_id}/{code}"


def edition_record(view: HandoutView, cat: Catalogue) -> dict[str, Any]:
    """What a version of an edition contained, so later builds can say what changed since."""
    facts = {item.id: item.statement for section in view.sections for item in section.items}
    # the plain wordings of the flyer and the basics are printed too, so their changes count
    plain = [*view.flyer, *(item for _, items in view.basics.parts() for item in items)] \
        if view.basics is not None else list(view.flyer)
    for item in plain:
        if item.id not in facts:
            facts[item.id] = item.statement
        elif item.statement != facts[item.id]:
            facts[f"{item.id} (plain wording)"] = item.statement
    if view.summary is not None:
        messages = [view.summary.main_message, *view.summary.key_points]
        facts.update({f"key point {i}" if i else "main message": msg.text
                      for i, msg in enumerate(messages)})
        facts["what to do"] = view.summary.action
    return {
        "handout": view.handout.id,
        "title": view.handout.title,
        "jurisdiction": view.jurisdiction.code,
        "version": str(view.version),
        "facts": facts,
        "claims": {c.id: f"{c.paraphrase} {c.verdict.value}: {c.answer}" for c in view.claims},
        "clinic": clinic_details(view, cat),
        # a hash, not the words: the report says the headings and labels were reworded
        "interface": {f"strings/{view.language}.yaml": interface_digest(view.language)[:12]},
        "contacts": {c.contact.id: f"{c.contact.name} {c.contact.phone or ''} "
                                   f"{c.contact.text or ''}".strip()
                     for c in [view.emergency, *view.crisis_lines,
                               *([view.side_effects] if view.side_effects else [])]},
    }


def clinic_details(view: HandoutView, cat: Catalogue) -> dict[str, str]:
    """The clinic's details an edition prints (every page's foot, the QR code, the header)."""
    org = cat.clinic.organisation.model_dump(mode="json")
    details = {name: str(value) for name, value in org.items() if value}
    if view.web_url:
        details["web address"] = view.web_url
    logo = logo_digest(cat)
    if logo:
        details["logo"] = f"{cat.clinic.logo} ({logo[:12]})"
    return details
