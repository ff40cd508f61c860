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
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__
from .paths import inside
from .compose import HandoutView
from .validate import Catalogue
from .write import Target, atomic_write

MANIFEST = "manifest.json"
FORMAT = 1


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
    damaged: list[str] = field(default_factory=list)  # entries refused on load, for the report

    @classmethod
    def load(cls, output: Path) -> "Manifest":
        path = output / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()  # no record (or an unreadable one): everything is rebuilt
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return cls()
        parts = {key: data.get(key, {}) for key in ("outputs", "editions", "versions", "pages")}
        damaged = [key for key, value in parts.items() if not isinstance(value, dict)]
        parts = {key: value if isinstance(value, dict) else {} for key, value in parts.items()}
        outputs = {}
        for name, entry in parts["outputs"].items():
            if output_path(output, name) is None or not isinstance(entry, dict):
                damaged.append(name)
            else:
                outputs[name] = entry
        return cls(outputs, parts["editions"], parts["versions"], parts["pages"], damaged)

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, "outputs": self.outputs, "editions": self.editions,
                           "versions": self.versions, "pages": self.pages},
                          sort_keys=True, indent=1, ensure_ascii=False) + "\n"

    def save(self, output: Path) -> bool:
        """Write the manifest if it changed.  Returns whether it was written."""
        path = output / MANIFEST
        text = self.to_json()
        if path.exists() and path.read_text(encoding="utf-8") == text:
            return False
        atomic_write(path, text)
        return True


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
        "contacts": {c.contact.id: f"{c.contact.name} {c.contact.phone or ''} "
                                   f"{c.contact.text or ''}".strip()
                     for c in [view.emergency, *view.crisis_lines,
                               *([view.side_effects] if view.side_effects else [])]},
    }
