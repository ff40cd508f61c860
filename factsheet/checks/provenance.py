"""Where a source's text was read, and whether a fact's level matches what it cites.

Two trust rules, run by :func:`check_provenance` from ``checks.run_checks``:

* **Provenance.**  A source was read either from its publisher or from a copy on another
  website.  A source with ``copy_of`` is a copy (``copy_of`` names the official document it
  reproduces), and so is any source whose address is a bare IP address, which is a warning
  in itself.  A fact rated ``law``, ``regulator``, ``high`` or ``moderate`` whose citations
  all rest on copies is a warning, and an error with ``--release``; so is a bare IP address.
* **Levels match kinds.**  ``regulator`` needs at least one regulator's label, government page
  or guideline; ``law`` needs at least one piece of legislation or government page.  A news
  report of a regulator's action, or a drug-information reference, is not enough.

The register shows each citation's provenance, from :func:`provenance`.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..content import model as m
from ..problems import Report

if TYPE_CHECKING:  # only for annotations: trust.py imports this module
    from .trust import Trust
    from ..content.validate import Catalogue, Located

K = m.SourceKind
E = m.Evidence

# Levels that claim an official or strong footing: resting only on copies is not enough.
OFFICIAL_OR_STRONG = {E.LAW, E.REGULATOR, E.HIGH, E.MODERATE}


@dataclass(frozen=True)
class LevelRule:
    kinds: frozenset[m.SourceKind]  # at least one cited source must be of one of these kinds
    needs: str  # the kinds, in words, for the message
    fix: str


LEVEL_KINDS: dict[m.Evidence, LevelRule] = {
    E.REGULATOR: LevelRule(
        frozenset({K.REGULATOR_LABEL, K.GOVERNMENT, K.GUIDELINE}),
        "regulator's label, government page or guideline",
        "Cite the regulator's own label or page, or change the evidence level."),
    E.LAW: LevelRule(
        frozenset({K.LEGISLATION, K.GOVERNMENT}),
        "legislation or government page",
        "Cite the legislation itself or the government's own page, or change the evidence "
        "level."),
}


# ---------------------------------------------------------------- provenance of one source


def bare_ip(url: str | None) -> str | None:
    """The IP address a URL is hosted on, if its host is a bare IP address (else None)."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
        return str(ipaddress.ip_address(host)) if host else None
    except ValueError:  # a host name, or a malformed address
        return None


def is_copy(source: m.Source) -> bool:
    """Was this source's text read from a copy, not from its publisher?"""
    return source.copy_of is not None or bare_ip(source.url) is not None


@dataclass(frozen=True)
class Provenance:
    """Where a source's text was read, for the register."""

    copy: bool
    title: str | None = None  # the official document a copy reproduces, when named
    url: str | None = None  # its official address, when known
    ip: str | None = None  # the bare IP address the source is hosted on, if it is

    @property
    def text(self) -> str:
        """One line of plain text: 'read from the publisher' or 'copy of <title, url>'."""
        if not self.copy:
            return "read from the publisher"
        if self.title:
            text = f"copy of {self.title}" + (f", {self.url}" if self.url else "")
        else:
            text = "a copy; the official document is not named"
        return text + (f" (hosted on a bare IP address, {self.ip})" if self.ip else "")


def provenance(source: m.Source) -> Provenance:
    ip = bare_ip(source.url)
    if source.copy_of is not None:
        return Provenance(True, source.copy_of.title, source.copy_of.url, ip)
    return Provenance(ip is not None, ip=ip)


def _described(source: m.Source) -> str:
    if source.copy_of is not None:
        return f"'{source.id}' (copy of {source.copy_of.title})"
    return f"'{source.id}' (hosted on a bare IP address)"


# ---------------------------------------------------------------- the checks


def check_provenance(cat: Catalogue, report: Report, trust: Trust, release: bool = False) -> None:
    """Both rules, over every source and every fact with an evidence level."""
    flag = report.error if release else report.warning
    later = "" if release else " With --release this is an error."
    for source_id, loc in cat.sources.items():
        source: m.Source = loc.item
        ip = bare_ip(source.url)
        if ip is None:
            continue
        official = source.copy_of.url if source.copy_of else None
        flag(loc.where("url"),
             f"The source '{source_id}' is hosted on a bare IP address ({ip}), so it is "
             "treated as a copy, not as text read from the publisher.",
             (f"Read it at its official address ({official}) and cite that instead." if official
              else "Find the document on its publisher's own website and cite that address; "
                   "if you keep this copy, name the official document under 'copy_of'.")
             + later, "provenance")
    for fact_id, loc in cat.facts.items():
        fact: m.Fact = loc.item
        if fact.evidence is None:
            continue
        sources = [cat.source(c.source) for c in fact.citations if c.source in cat.sources]
        if not sources:
            continue  # no citation, or only unknown sources: reported elsewhere
        check_level_kinds(fact_id, loc, sources, report, trust)
        # only sources that can carry the level count: a maker's FAQ or a drug reference read
        # from its publisher does not make a label fact rest on the label itself
        rule = LEVEL_KINDS.get(fact.evidence)
        carrying = [s for s in sources if rule is None or s.kind in rule.kinds]
        if fact.evidence in OFFICIAL_OR_STRONG and carrying and all(is_copy(s) for s in carrying):
            copies = ", ".join(_described(s) for s in {s.id: s for s in carrying}.values())
            trust.note(fact_id, flag(
                loc.where("evidence"),
                f"The fact '{fact_id}' is rated '{fact.evidence.value}' but rests only on "
                f"copies, not on text read from the publisher: {copies}.",
                "Check the quote against the official document and cite it from its "
                "publisher, or add a source read from the publisher." + later,
                "provenance"))


def check_level_kinds(fact_id: str, loc: Located, sources: list[m.Source], report: Report,
                      trust: Trust) -> None:
    """'regulator' and 'law' facts must cite at least one source of a matching kind."""
    rule = LEVEL_KINDS.get(loc.item.evidence)
    if rule is None or any(s.kind in rule.kinds for s in sources):
        return
    kinds = ", ".join(dict.fromkeys(s.kind.value for s in sources))
    trust.note(fact_id, report.error(
        loc.where("evidence"),
        f"The fact '{fact_id}' is rated '{loc.item.evidence.value}' but cites no "
        f"{rule.needs} (it cites: {kinds}).",
        rule.fix, "citation"))
