"""The whole path, stage by stage: load and validate → compose → render → write.

The command line calls these; tests call them too, without a subprocess.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..content import model as m
from ..checks.trust import Trust, run_checks
from .compose import HandoutView, compose, current_approval, handout_version
from ..problems import ContentError, Problem, Report, Where
from .changes import Changes, compare_editions
from .manifest import (MANIFEST, Fingerprints, Landing, Manifest, digest, edition_key,
                       edition_record, file_sha256, on_disk_as_recorded, output_path, reasons)
from ..output.parallel import PdfJob, RefusedResource, default_jobs, render_all
from ..output.render import (TEMPLATES, body_font, render_changes_page, render_html, render_index,
                     render_register)
from .timings import Timings
from ..content.validate import Catalogue, load_catalogue
from ..output.write import (Target, atomic_write, output_folder_problem, output_lock,
                    unwritable)


class UsageError(Exception):
    """The command asked for something that does not exist (exit code 2)."""


@dataclass
class Options:
    facts: Path = Path("facts")
    output: Path = Path("output")
    handouts: list[str] = field(default_factory=list)  # empty: all
    jurisdictions: list[str] = field(default_factory=list)  # empty: all of each handout's
    papers: list[m.Paper] = field(default_factory=list)  # empty: the clinic's default
    variants: list[m.Variant] = field(default_factory=lambda: list(m.Variant))
    strict: bool = False
    release: bool = False  # refuse any handout not approved for its current version
    today: date = field(default_factory=date.today)  # for review dates; never printed
    jobs: int = field(default_factory=default_jobs)  # worker processes for PDFs
    force: bool = False  # re-render every output; the record of earlier versions is kept


@dataclass
class Result:
    catalogue: Catalogue
    report: Report
    trust: Trust | None = None
    views: list[HandoutView] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    rebuilt: dict[str, list[str]] = field(default_factory=dict)  # output -> reasons
    deleted: list[str] = field(default_factory=list)
    changes: Changes | None = None
    timings: Timings | None = None
    forced: bool = False  # every page re-rendered (--force)


def check(options: Options) -> Result:
    """Validate everything and compose every selected handout, writing nothing.

    Raises :class:`ContentError` with every error (and, with ``strict``, every warning).
    """
    report = Report()
    catalogue = load_catalogue(options.facts, report)
    report.raise_if_errors()
    assert catalogue is not None
    result = Result(catalogue, report)
    for handout_id, code in _selection(catalogue, options):
        view = compose(catalogue, handout_id, code, report)
        result.views.append(view)
        if m.Variant.FLYER in options.variants and not view.flyer:
            report.warning(catalogue.handouts[handout_id].where("flyer"),
                           f"The handout '{handout_id}' has no key messages for "
                           f"{view.jurisdiction.name}, so no flyer is built there.",
                           "List 3 to 5 fact ids under 'flyer' in the handout.", "flyer")
        if m.Variant.BASICS in options.variants and (view.basics is None or view.summary is None):
            report.warning(catalogue.handouts[handout_id].where("basics"),
                           f"The handout '{handout_id}' has no "
                           f"{'basics' if view.summary else 'summary'}, so no 'The basics' sheet "
                           f"is built for {view.jurisdiction.name}.",
                           "Add 'summary:' (main message, key points, action) and 'basics:' "
                           "(the facts the sheet prints) to the handout.", "basics")
    result.trust = run_checks(catalogue, result.views, options.today, report, options.release)
    if options.release:
        _require_approval(result)
    if report.errors or (options.strict and report.warnings):
        raise ContentError(report.problems)
    return result


def _require_approval(result: Result) -> None:
    for handout_id in dict.fromkeys(v.handout.id for v in result.views if not v.approved):
        view = next(v for v in result.views if v.handout.id == handout_id)
        loc = result.catalogue.handouts[handout_id]
        result.report.error(
            loc.where("approvals"),
            f"The handout '{handout_id}' is not approved for its current version "
            f"{view.version.hash} (printed as {view.version}), so it cannot be released.",
            "A clinician must review this version and add it under 'approvals'. "
            "Build without --release to make a draft.", "approval")


def build(options: Options, progress: Callable[[int, int], None] | None = None) -> Result:
    """Check, then bring output/ up to date: render only what changed, delete what is gone.

    Each output is compared with output/manifest.json; one whose inputs are unchanged is
    left alone, so a build where nothing changed writes nothing (and never imports
    WeasyPrint).  The reason for each rebuild is recorded in ``result.rebuilt``.
    """
    folder_problem = output_folder_problem(options.facts, options.output)
    if folder_problem:
        raise UsageError(folder_problem)
    timings = Timings()
    with timings("check"):
        result = check(options)
    result.timings = timings
    result.forced = options.force
    # two builds at once would each write the record from what they read: one waits
    _refuse_unwritable([options.output / MANIFEST])  # before the folder is made and locked
    with output_lock(options.output):
        return _update(result, options, timings, progress)


def _update(result: Result, options: Options, timings: Timings,
            progress: Callable[[int, int], None] | None) -> Result:
    """Render what changed, write it, tidy away what is gone, and keep the record."""
    cat, output = result.catalogue, options.output
    clinic = cat.clinic
    papers = options.papers or [clinic.paper]
    old = Manifest.load(output)
    _report_damage(old, output, result.report)
    new = old.copy()

    with timings("plan"):
        prints = Fingerprints(cat, TEMPLATES, body_font().faces_by_name())
        html_jobs: list[tuple[Path, HandoutView, m.Variant]] = []
        pdf_jobs: list[PdfJob] = []
        for view in result.views:
            used = view.fact_ids
            variants = _variants_for(view, options.variants)
            targets = [Target(view.handout.id, view.jurisdiction.code, "html"),
                       *(Target(view.handout.id, view.jurisdiction.code, "html", variant=variant)
                         for variant in variants if variant in HTML_VARIANTS),
                       *(Target(view.handout.id, view.jurisdiction.code, "pdf", paper, variant)
                         for variant in variants for paper in papers)]
            for target in targets:
                rel = target.relpath(clinic.paper).as_posix()
                deps = prints.deps(view, target, used)
                before = old.outputs.get(rel)
                why = reasons(before["deps"] if before else None, deps, (output / rel).exists())
                if not why and not on_disk_as_recorded(output / rel, before.get("sha256")):
                    why = [f"the file in {output.name}/ is not the one the last build wrote "
                           "(changed, cut short or left by an interrupted build)"]
                if options.force and not why:
                    why = ["rebuild forced (--force)"]
                new.outputs[rel] = {"handout": view.handout.id, "jurisdiction":
                                    view.jurisdiction.code, "version": str(view.version),
                                    "deps": deps, "sha256": before and before.get("sha256")}
                if not why:
                    continue
                result.rebuilt[rel] = why
                if target.format == "html":
                    html_jobs.append((output / rel, view, target.variant))
                else:
                    pdf_jobs.append(_pdf_job(view, target, output / rel))
            key = edition_key(view.handout.id, view.jurisdiction.code)
            new.editions[key] = {"version": str(view.version), "hash": view.version.hash}
            new.versions[view.version.hash] = edition_record(view, cat)

    _refuse_unwritable([path for path, _, _ in html_jobs] + [job.path for job in pdf_jobs]
                       + [output / name for name in (*SITE_PAGES, MANIFEST)])
    landing = Landing(old, new, output)
    try:
        with timings("html"):
            for path, view, variant in html_jobs:
                atomic_write(path, render_html(view, paper=clinic.paper, variant=variant))
                landing.land(path.relative_to(output).as_posix())
                result.written.append(path)
        with timings("pdf"):
            render_all(pdf_jobs, options.jobs, progress,
                       landed=lambda job: landing.land(job.path.relative_to(output).as_posix()))
            result.written.extend(job.path for job in pdf_jobs)
    except RefusedResource as refused:
        landing.flush()
        raise ContentError([Problem(
            Where(refused.path), f"This handout asked for '{refused.url}', which is not "
            "part of the project. Handouts fetch nothing from the web or from other "
            "folders, so the build stopped.",
            "Embed the image or style in the template, or remove the reference (check "
            "the templates/ folder and the clinic logo).")]) from None
    except BaseException:  # interrupted or failed: what did land is on record
        landing.flush()
        raise
    with timings("tidy"):
        for rel, entry in sorted(old.outputs.items()):
            handout = cat.handouts.get(entry.get("handout", ""))
            if handout is None or entry.get("jurisdiction") not in handout.item.jurisdictions:
                path = output_path(output, rel)  # checked on load too: never delete outside
                if path is not None:
                    path.unlink(missing_ok=True)  # its handout or jurisdiction is gone
                result.deleted.append(rel)
                new.outputs.pop(rel, None)
                new.editions.pop(edition_key(entry.get("handout", ""),
                                             entry.get("jurisdiction", "")), None)
        result.changes = compare_editions(old, new, [edition_key(v.handout.id, v.jurisdiction.code)
                                                     for v in result.views])
    with timings("pages"):
        _write_page(output, new, "index.html", _index_key(cat, new, output),
                    lambda: render_index(_index_entries(cat, output), clinic=clinic,
                                         language=clinic.language), result)
        _write_page(output, new, "register.html",
                    _register_key(cat, result.trust, prints, options.today),
                    lambda: render_register(cat, result.trust, options.today), result)
        if result.changes.any_changed:
            _write_page(output, new, "changes.html", digest(result.changes.as_data()),
                        lambda: render_changes_page(result.changes, cat), result)
        if new.save(output):
            result.written.append(output / MANIFEST)
    return result


SITE_PAGES = ("index.html", "register.html", "changes.html")


def _refuse_unwritable(paths: list[Path]) -> None:
    problems = [Problem(Where(path), f"This cannot be written: {why}. Nothing was replaced, "
                        "so the handouts in the folder are all from the last build.",
                        "Make the file or folder writable (or move it away), then build again.")
                for path, why in unwritable(paths)]
    if problems:
        raise ContentError(problems)


def _report_damage(manifest: Manifest, output: Path, report: Report) -> None:
    """One warning per manifest entry refused on load: it was ignored, nothing was touched."""
    for name in manifest.damaged:
        what = (f"The build record is damaged: {name.removeprefix('the whole record ')}. It "
                "was set aside, so every output is checked and rebuilt as needed."
                if name.startswith("the whole record") else
                f"The build record names '{name}', which is not a file inside {output.name}/ "
                "or not a valid entry. It was ignored, and nothing outside the folder was "
                "touched.")
        report.warning(
            Where(output / MANIFEST), what,
            f"The record may have been edited or damaged. Delete {output.name}/{MANIFEST} to "
            "rebuild everything from the facts.", "manifest")


def _pdf_job(view: HandoutView, target: Target, path: Path) -> PdfJob:
    meta = _pdf_metadata(view, target.variant)
    html = render_html(view, paper=target.paper, for_pdf=True, variant=target.variant)
    identifier = hashlib.md5(f"{target.relpath(view.clinic.paper)} {view.version}".encode()
                             ).hexdigest().encode()
    # WeasyPrint may read the templates and the font files, and nothing else
    shipped = (TEMPLATES, *{face.parent for face in body_font().faces.values()})
    return PdfJob(path, html, str(TEMPLATES), meta["title"], meta["lang"], meta["author"],
                  identifier, shipped)


def _write_page(output: Path, new: Manifest, name: str, key: str, render, result: Result) -> None:
    """Write a site page only when what it shows has changed (or it is missing)."""
    if (new.pages.get(name) == key and not result.forced
            and on_disk_as_recorded(output / name, new.files.get(name))):
        return
    atomic_write(output / name, render())
    new.pages[name] = key
    new.files[name] = file_sha256(output / name)
    result.written.append(output / name)


def _register_key(cat: Catalogue, trust, prints, today) -> str:
    """Everything the register shows: the inputs, and also where each item is written (a
    comment added above a fact moves its line) and what the checks found, so a rebuilt
    register is always the one a clean build writes."""
    return digest([prints.__dict__, today.isoformat(),
                   sorted((f"{k[0]}#{k[1]}", q.status) for k, q in trust.quotes.items()),
                   [(item_id, loc.doc.path.relative_to(cat.root).as_posix(),
                     loc.doc.line_of(loc.path)) for item_id, loc in cat.checked_items()],
                   sorted((k, sorted(v)) for k, v in trust.flags.items()),
                   sorted((k, [n.format(cat.root) for n in v]) for k, v in trust.notes.items()),
                   [repr(r) for r in trust.readings]])


def _index_key(cat: Catalogue, new: Manifest, output: Path) -> str:
    return digest([sorted(new.outputs), new.editions, cat.clinic.model_dump(mode="json"),
                   {h: loc.item.title for h, loc in cat.handouts.items()},
                   {c: loc.item.name for c, loc in cat.jurisdictions.items()},
                   sorted(p.relative_to(output).as_posix() for p in output.rglob("*.pdf"))
                   if output.exists() else []])


def _selection(cat: Catalogue, options: Options) -> list[tuple[str, str]]:
    for handout_id in options.handouts:
        if handout_id not in cat.handouts:
            raise UsageError(f"There is no handout '{handout_id}'. "
                             f"Handouts: {', '.join(sorted(cat.handouts))}.")
    for code in options.jurisdictions:
        if code not in cat.jurisdictions:
            raise UsageError(f"There is no jurisdiction '{code}'. "
                             f"Jurisdictions: {', '.join(sorted(cat.jurisdictions))}.")
    selected = []
    for handout_id in sorted(cat.handouts):
        if options.handouts and handout_id not in options.handouts:
            continue
        for code in cat.handout(handout_id).jurisdictions:
            if not options.jurisdictions or code in options.jurisdictions:
                selected.append((handout_id, code))
    if not selected:
        raise UsageError("Nothing matches that selection: no chosen handout is written for "
                         "the chosen jurisdiction.")
    return selected


def _write(output: Path, target: Target, data: bytes | str, clinic: m.Clinic) -> Path:
    path = output / target.relpath(clinic.paper)
    atomic_write(path, data)
    return path


# reading levels with a web page of their own (the full handout's is always built)
HTML_VARIANTS = (m.Variant.BASICS,)


def _variants_for(view: HandoutView, wanted: list[m.Variant]) -> list[m.Variant]:
    # a handout without key messages has no flyer, one without basics no basics sheet
    # (check() has warned about both)
    return [v for v in wanted
            if (v is not m.Variant.FLYER or view.flyer)
            and (v is not m.Variant.BASICS or (view.basics and view.summary))]


VARIANT_TITLES = {m.Variant.STANDARD: "", m.Variant.LARGE_PRINT: ", large print",
                  m.Variant.FLYER: ", summary", m.Variant.BASICS: ", the basics"}


def _pdf_metadata(view: HandoutView, variant: m.Variant = m.Variant.STANDARD) -> dict[str, str]:
    return {"title": f"{view.handout.title} ({view.jurisdiction.name}{VARIANT_TITLES[variant]})",
            "lang": view.language, "author": view.clinic.organisation.name}


def _index_entries(cat: Catalogue, output: Path) -> list[dict]:
    """Every handout and jurisdiction, with the files that exist for it now."""
    entries = []
    default = cat.clinic.paper
    for handout_id in sorted(cat.handouts):
        handout = cat.handout(handout_id)
        for code in handout.jurisdictions:
            version = handout_version(cat, handout, code)
            approved = current_approval(handout, version.hash) is not None
            files = []
            for target in [Target(handout_id, code, "html"),
                           *(Target(handout_id, code, "html", variant=v) for v in HTML_VARIANTS),
                           *(Target(handout_id, code, "pdf", p, v) for v in m.Variant
                             for p in m.Paper)]:
                rel = target.relpath(default)
                if (output / rel).exists():
                    files.append({"format": target.format, "paper": target.paper,
                                  "variant": target.variant, "href": rel.as_posix()})
            if files:
                entries.append({"handout": handout, "jurisdiction": cat.jurisdiction(code),
                                "files": files, "approved": approved, "version": str(version)})
    return entries
