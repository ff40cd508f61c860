"""The reprint report: which printed editions are now out of date, and what changed in them.

Each build compares the version of every edition with the one recorded by the previous
build.  An edition whose version changed needs reprinting; for it the report lists the
facts, claims and contacts added, removed or reworded, with the old and new wording.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .manifest import Manifest


@dataclass
class Difference:
    kind: str  # "fact", "claim", "contact", "clinic" or "interface"
    id: str
    change: str  # "added", "removed" or "reworded"
    old: str | None = None
    new: str | None = None


@dataclass
class EditionChange:
    key: str  # "handout/code"
    title: str
    old_version: str | None  # None: printed for the first time
    new_version: str
    differences: list[Difference] = field(default_factory=list)
    note: str = ""


@dataclass
class Changes:
    changed: list[EditionChange] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # "handout/code (version)"
    withdrawn: list[str] = field(default_factory=list)

    @property
    def any_changed(self) -> bool:
        return bool(self.changed or self.withdrawn)

    def as_data(self) -> dict[str, Any]:
        return {"changed": [{**c.__dict__, "differences": [d.__dict__ for d in c.differences]}
                            for c in self.changed],
                "unchanged": self.unchanged, "withdrawn": self.withdrawn}

    def summary(self) -> str:
        """The report for the terminal."""
        if not self.any_changed:
            return "No printed edition changed: nothing to reprint."
        lines = []
        for c in self.changed:
            if c.old_version is None:
                lines.append(f"New: {c.key} (version {c.new_version}): print it.")
                continue
            lines.append(f"Reprint {c.key}: version {c.old_version} is out of date; "
                         f"now {c.new_version}.")
            lines.extend([f"  {c.note}"] if c.note else describe(c.differences))
        for key in self.withdrawn:
            lines.append(f"Withdrawn: {key} is no longer built; remove its printed copies.")
        if self.unchanged:
            lines.append(f"Still current ({len(self.unchanged)}): " + ", ".join(self.unchanged))
        return "\n".join(lines)


def differences(old: dict[str, Any], new: dict[str, Any]) -> list[Difference]:
    found = []
    for kind, field_name in (("fact", "facts"), ("claim", "claims"), ("contact", "contacts"),
                             ("clinic", "clinic"), ("interface", "interface")):
        before, after = old.get(field_name, {}), new.get(field_name, {})
        for item in sorted(set(before) | set(after)):
            if item not in before:
                found.append(Difference(kind, item, "added", None, after[item]))
            elif item not in after:
                found.append(Difference(kind, item, "removed", before[item], None))
            elif before[item] != after[item]:
                found.append(Difference(kind, item, "reworded", before[item], after[item]))
    # the interface is recorded as a hash, and records from before it was kept lack it:
    # only a rewording means something to the reader
    return [d for d in found if d.kind != "interface" or d.change == "reworded"]


def compare_editions(old: Manifest, new: Manifest, keys: list[str]) -> Changes:
    changes = Changes()
    for key in keys:
        now = new.editions[key]
        record = new.versions[now["hash"]]
        before = old.editions.get(key)
        if before is None:
            changes.changed.append(EditionChange(key, record["title"], None, now["version"]))
        elif before["hash"] != now["hash"]:
            earlier = old.versions.get(before["hash"], {})
            changes.changed.append(EditionChange(key, record["title"], before["version"],
                                                 now["version"], differences(earlier, record)))
        elif before["version"] != now["version"]:  # same words, but approved since (or undone)
            changes.changed.append(EditionChange(
                key, record["title"], before["version"], now["version"],
                note="The words are the same, but its approval changed: reprint it so that "
                     "copies show the right approval (or the draft band)."))
        else:
            changes.unchanged.append(f"{key} ({now['version']})")
    changes.withdrawn = sorted(set(old.editions) - set(new.editions))
    return changes


def status(manifest: Manifest, printed: str) -> tuple[bool, str]:
    """Is a printed copy with version ``printed`` still current?  Returns (current, message)."""
    wanted = printed.strip().rsplit("-", 1)[-1].lower()
    record = manifest.versions.get(wanted)
    if record is None:
        return False, (f"No edition with version {printed} was ever built here. Check the "
                       "version printed at the foot of the handout (for example "
                       "2026-11-21-8533d4).")
    key = f"{record['handout']}/{record['jurisdiction']}"
    now = manifest.editions.get(key)
    if now is None:
        return False, f"{record['title']} ({key}) is no longer built: withdraw this copy."
    if now["hash"] == wanted:
        return True, f"Current: {record['title']} ({key}), version {now['version']}."
    lines = [f"Out of date: {record['title']} ({key}) version {record['version']} has been "
             f"replaced by {now['version']}. Reprint it. What changed since:"]
    lines.extend(describe(differences(record, manifest.versions[now["hash"]])))
    return False, "\n".join(lines)


def describe(found: list[Difference]) -> list[str]:
    """One line (or three, for a rewording) per difference, for the terminal."""
    if not found:  # the version covers more than the statements: headings, sources, ...
        return ["  Other printed details changed (the sources, headings or 'About this "
                "handout'); the statements are the same."]
    lines = []
    for d in found:
        if d.kind == "interface":  # recorded as a hash: say what it means, not the hashes
            lines.append(f"  The headings and labels (templates/{d.id}) were reworded.")
        elif d.change == "reworded":
            lines.append(f"  {d.kind} {d.id} reworded:\n    was: {d.old}\n    now: {d.new}")
        else:
            lines.append(f"  {d.kind} {d.id} {d.change}: {d.new or d.old}")
    return lines
