"""Stage 4, render: lay a composed handout out as HTML, and that HTML out as PDF.

One Jinja2 template feeds both formats.  The PDF is the same HTML with print
CSS (paper size, running band and footer), so the two can never disagree.
Everything is autoescaped; text from the YAML can never become markup.
"""

from __future__ import annotations

import base64
import functools
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..content import model as m
from ..build.compose import HandoutView, contacts_of, interface_file
from .icons import pictures
from ..content.images import IMAGE_TYPES
from ..content.load import load_file
from ..checks.provenance import provenance

from ..paths import TEMPLATES  # the checkout's templates/, or the installed copy
FONT_FACES = {"normal": "Regular", "bold": "Bold"}


@dataclass(frozen=True)
class Font:
    family: str
    faces: dict[str, Path]  # CSS weight -> file

    def faces_by_name(self) -> dict[str, Path]:
        return {path.name: path for path in self.faces.values()}


@functools.lru_cache(maxsize=1)
def body_font() -> Font:
    """Atkinson Hyperlegible, shipped with pip, so output never depends on system fonts."""
    import fontpkg_atkinson_hyperlegible as pkg

    files = pkg.ROOT / "files"
    return Font(pkg.FAMILY, {weight: files / f"AtkinsonHyperlegible-{face}.ttf"
                             for weight, face in FONT_FACES.items()})


@functools.lru_cache(maxsize=8)
def strings(language: str, templates: Path = TEMPLATES) -> dict[str, Any]:
    """Interface text (headings, labels, legend) for one language."""
    return load_file(interface_file(language, templates)).data


def format_date(value: date | str, language: str = "en") -> str:
    """Dates are spelt out (21 November 2026) so that no reader confuses day and month."""
    text = strings(language)
    months = text["months"]
    if isinstance(value, date):
        return f"{value.day} {months[value.month - 1]} {value.year}"
    if value == "unknown":
        return text["no_date"]
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    if len(parts) == 2:
        return f"{months[parts[1] - 1]} {parts[0]}"
    return format_date(date(*parts), language)


def css_string(value: str) -> Markup:
    """A safe CSS string literal, for text that CSS itself prints (page numbers, bands)."""
    escaped = "".join(ch if ch.isalnum() or ch in " .,:;-()" else f"\\{ord(ch):x} "
                      for ch in str(value))
    return Markup(f'"{escaped}"')


@functools.lru_cache(maxsize=4)
def _environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,  # every template, whatever its extension
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["css_string"] = css_string
    return env




def _data_uri(path: Path, mime: str) -> str:
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _font_data_uri(path: Path) -> str:
    return _data_uri(path, "font/ttf")


TEMPLATE_OF = {m.Variant.STANDARD: "handout.html.j2", m.Variant.LARGE_PRINT: "handout.html.j2",
               m.Variant.FLYER: "flyer.html.j2", m.Variant.BASICS: "basics.html.j2"}


def render_html(view: HandoutView, *, paper: m.Paper, for_pdf: bool = False,
                variant: m.Variant = m.Variant.STANDARD, templates: Path = TEMPLATES) -> str:
    """The handout page, in one of its editions.

    For the web it is standalone: fonts are embedded and nothing is fetched.  The
    large-print edition is the same page with larger type (a class on <body>); the
    flyer is a one-page summary with its own template.
    """
    font = body_font()
    if for_pdf:  # WeasyPrint reads the files directly and embeds only the glyphs used
        faces = {weight: path.as_uri() for weight, path in font.faces.items()}
    else:
        faces = {weight: _font_data_uri(path) for weight, path in font.faces.items()}
    text = strings(view.language, templates)
    template = _environment(templates).get_template(TEMPLATE_OF[variant])
    return template.render(
        v=view,
        t=text,
        paper=paper.value,
        variant=variant.value,
        font_family=font.family,
        font_faces=faces,
        for_pdf=for_pdf,
        logo=_data_uri(view.logo, IMAGE_TYPES[view.logo.suffix.lower()]) if view.logo else None,
        # printed copies link to the web version, so a reader can always find the latest one
        qr=qr_code(view.web_url) if view.web_url and for_pdf else None,
        structured_data=None if for_pdf else structured_data(view),
        date=lambda d: format_date(d, view.language),
        icons=lambda item: pictures(item.frequency, text),
        # the basics' markers point at the full handout's web page: the published address in
        # print, the file beside them on screen (so they work on disk and once published)
        full_url=view.web_url if for_pdf else f"{view.jurisdiction.code}.html",
    )


def qr_code(url: str) -> str:
    """A QR code for ``url`` as an SVG data URI (an <img> with alt text in both formats)."""
    import segno

    svg = segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff",
                                                omitsize=True)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def structured_data(view: HandoutView) -> Markup:
    """schema.org JSON-LD: a MedicalWebPage about each Drug, with its legal status here."""
    place = {"@type": "AdministrativeArea",
             "name": view.jurisdiction.name.removeprefix("the ")}
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": view.handout.title,
        "inLanguage": view.language,
        "audience": {"@type": "PeopleAudience", "audienceType": view.handout.audience},
        "publisher": {"@type": "Organization", "name": view.clinic.organisation.name},
        "version": str(view.version),
        "about": [{"@type": "Drug", "name": drug,
                   "legalStatus": {"@type": "DrugLegalStatus", "name": status,
                                   "applicableLocation": place}}
                  for drug, status in view.legal_status],
    }
    if view.clinic.organisation.website:
        data["publisher"]["url"] = view.clinic.organisation.website
    if view.web_url:
        data["url"] = view.web_url
    if view.approval:  # only a real sign-off is claimed
        data["lastReviewed"] = view.approval.date.isoformat()
        data["reviewedBy"] = {"@type": "Person", "name": view.approval.name,
                              "jobTitle": view.approval.role}
    text = json.dumps(data, ensure_ascii=False, indent=1)
    # inside <script> only "<", ">" and "&" could end it early; JSON allows them escaped
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def render_index(entries: list[dict[str, Any]], *, clinic: m.Clinic, language: str,
                 templates: Path = TEMPLATES) -> str:
    template = _environment(templates).get_template("index.html.j2")
    return template.render(entries=entries, clinic=clinic, t=strings(language, templates),
                           font_family=body_font().family,
                           font_faces={w: _font_data_uri(p) for w, p in body_font().faces.items()})


def render_register(cat: Any, trust: Any, today: date, templates: Path = TEMPLATES) -> str:
    """The reviewer's register: every fact and contact with its evidence and check results."""
    language = cat.clinic.language
    used_by: dict[str, list[str]] = {}
    for handout_id, loc in sorted(cat.handouts.items()):
        sections = loc.item.sections
        for fact_id in [*(f for _, ids in sections.items() for f in ids), *sections.claims]:
            used_by.setdefault(fact_id, []).append(handout_id)
    for loc in cat.jurisdictions.values():
        for contact in contacts_of(loc.item):
            used_by[contact.id] = [h for h, hl in sorted(cat.handouts.items())
                                   if loc.item.code in hl.item.jurisdictions]
    rows = []
    for item_id, loc in cat.checked_items():
        item = loc.item
        citations = []
        for i, citation in enumerate(item.citations):
            source = cat.sources.get(citation.source)
            citations.append({"citation": citation, "source": source.item if source else None,
                              "check": trust.quotes.get((item_id, i)),
                              "provenance": provenance(source.item) if source else None})
        flags = sorted(trust.flags.get(item_id, ()))
        rows.append({
            "id": item_id,
            "item": item,
            "is_fact": isinstance(item, m.Fact),
            "is_claim": isinstance(item, m.Claim),
            "file": loc.doc.path.relative_to(cat.root).as_posix(),
            "line": loc.doc.line_of(loc.path),
            "citations": citations,
            "handouts": used_by.get(item_id, []),
            "flags": flags,
            "notes": trust.notes.get(item_id, []),
        })
    total = len(trust.quotes)
    template = _environment(templates).get_template("register.html.j2")
    return template.render(
        rows=rows, cat=cat, t=strings(language, templates), readings=trust.readings,
        quotes_total=total, quotes_verified=trust.verified, today=today,
        handout_ids=sorted(cat.handouts), levels=[e.value for e in m.Evidence],
        date=lambda d: format_date(d, language),
        font_family=body_font().family,
        font_faces={w: _font_data_uri(p) for w, p in body_font().faces.items()})


def render_changes_page(changes: Any, cat: Any, templates: Path = TEMPLATES) -> str:
    """output/changes.html: which printed editions are out of date, and what changed."""
    template = _environment(templates).get_template("changes.html.j2")
    return template.render(c=changes, clinic=cat.clinic, t=strings(cat.clinic.language, templates),
                           font_family=body_font().family,
                           font_faces={w: _font_data_uri(p) for w, p in body_font().faces.items()})
