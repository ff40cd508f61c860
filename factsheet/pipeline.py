"""The whole path, stage by stage: load and validate → compose → render → write.

The command line calls these; tests call them too, without a subprocess.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import model as m
from .checks import Trust, run_checks
from .compose import HandoutView, compose, current_approval, handout_version
from .problems import ContentError, Report
from .render import render_html, render_index, render_pdf, render_register
from .validate import Catalogue, load_catalogue
from .write import Target, atomic_write


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


@dataclass
class Result:
    catalogue: Catalogue
    report: Report
    trust: Trust | None = None
    views: list[HandoutView] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


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
    result.trust = run_checks(catalogue, result.views, options.today, report)
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


def build(options: Options) -> Result:
    """Check, then render and write every selected handout and the index."""
    result = check(options)
    clinic = result.catalogue.clinic
    papers = options.papers or [clinic.paper]
    for view in result.views:
        handout, code = view.handout.id, view.jurisdiction.code
        html = render_html(view, paper=clinic.paper)
        result.written.append(_write(options.output, Target(handout, code, "html"), html, clinic))
        for variant in _variants_for(view, options.variants):
            for paper in papers:
                pdf = render_pdf(render_html(view, paper=paper, for_pdf=True, variant=variant),
                                 metadata=_pdf_metadata(view, variant))
                target = Target(handout, code, "pdf", paper, variant)
                result.written.append(_write(options.output, target, pdf, clinic))
    register = options.output / "register.html"
    atomic_write(register, render_register(result.catalogue, result.trust, options.today))
    result.written.append(register)
    index = options.output / "index.html"
    atomic_write(index, render_index(_index_entries(result.catalogue, options.output),
                                     clinic=clinic, language=clinic.language))
    result.written.append(index)
    return result


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


def _variants_for(view: HandoutView, wanted: list[m.Variant]) -> list[m.Variant]:
    # a handout without key messages has no flyer (check() has warned about it)
    return [v for v in wanted if v is not m.Variant.FLYER or view.flyer]


VARIANT_TITLES = {m.Variant.STANDARD: "", m.Variant.LARGE_PRINT: ", large print",
                  m.Variant.FLYER: ", summary"}


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
