"""The content model for sources and facts: ``sources.yaml`` and the facts files, with
the citations, check records, frequencies and worked-out numbers that facts carry."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from .model_base import (CalendarDate, Evidence, Id, JurisdictionCode, Language, Outcome,
                         PublishedDate, Section, SourceKind, Strict, Text, Url, Verdict)


# ---------------------------------------------------------------- sources


class CopyOf(Strict):
    """The official document that a copy (a source read from another website) reproduces."""

    title: Text = Field(description="The official document's title, e.g. the regulator's "
                                    "label the copy reproduces.")
    url: Url | None = Field(
        default=None,
        description="The official document's own address (the publisher's or regulator's). "
                    "Leave out only when you cannot find it; never guess one.")


class Source(Strict):
    id: Id = Field(description="Short unique name used by citations, e.g. 'fda-spravato-label'.")
    title: Text = Field(description="The title exactly as the source gives it.")
    publisher: Text = Field(description="Organisation or authors responsible for the source.")
    kind: SourceKind = Field(description="What sort of source this is.")
    published: PublishedDate = Field(
        description="Date published or last revised, as the source states it "
                    "(YYYY-MM-DD, YYYY-MM or YYYY), or 'unknown'.")
    url: Url | None = Field(
        default=None,
        description="Address where a reader can find the source. Leave out only for a source "
                    "with no address (then 'archive' must name its kept copy).")
    accessed: CalendarDate = Field(description="Date the source was read (YYYY-MM-DD).")
    archive: Text | None = Field(
        default=None,
        description="Text copy of the source used to verify quotes, relative to facts/. "
                    "Default: the archive folder's SOURCE-ID.txt.")
    copy_of: CopyOf | None = Field(
        default=None,
        description="Give this when the text was read from a copy on another website, not "
                    "from the publisher: the official document the copy reproduces. A source "
                    "on a bare IP address counts as a copy too.")


class SourcesFile(Strict):
    sources: list[Source] = Field(min_length=1)


# ---------------------------------------------------------------- facts


class Citation(Strict):
    source: Id = Field(description="The id of a source in sources.yaml.")
    quote: Text = Field(description="A short quote copied word for word from the source.")
    location: Text = Field(description="Where the quote is in the source, e.g. 'Section 5.1'.")


class CheckRecord(Strict):
    by: Text = Field(description="Who checked this against its sources: a role, not a name.")
    date: CalendarDate = Field(description="When it was checked (YYYY-MM-DD).")


# Anything printed as true carries its citations and its check record (facts and contacts).
Citations = Annotated[list[Citation], Field(
    default_factory=list, description="The sources that support this, each with an exact quote.")]
ReviewDue = Annotated[CalendarDate, Field(description="When this must be checked again.")]


class Frequency(Strict):
    """A natural frequency the fact's own source gives: "about 36 in 100 people".

    Drawn as an icon array.  The build checks that each number is in a quote of the fact
    (as the number itself or as a percentage), and that the fact's wording states it.
    """

    kind: Outcome = Field(description="Is this a benefit or a harm?")
    outcome: Text = Field(description="What happened to them, in plain words, e.g. "
                                      "'felt dizzy'.")
    out_of: int = Field(description="The group size the numbers are given in: 100 or 1000.",
                        ge=10, le=100000)
    affected: int = Field(ge=0, description="How many in out_of had the outcome.")
    group: Text = Field(description="Who they were, e.g. 'with esketamine spray'.")
    compare_affected: int | None = Field(
        default=None, ge=0, description="How many in out_of had it in the comparison group.")
    compare_group: Text | None = Field(
        default=None, description="The comparison group, e.g. 'with a dummy spray'.")


class Operation(StrEnum):
    """How a printed number was worked out from numbers the quotes give.

    The build redoes the arithmetic (see ``numbers.py``).  'Parts then whole' means the
    last number in 'from' is the whole and the ones before it are added up.
    """

    HOURS_TO_DAYS = "hours-to-days"
    DAYS_TO_HOURS = "days-to-hours"
    DAYS_TO_WEEKS = "days-to-weeks"
    WEEKS_TO_DAYS = "weeks-to-days"
    MINUTES_TO_HOURS = "minutes-to-hours"
    MONTHS_TO_YEARS = "months-to-years"
    SUM = "sum"  # the numbers added up
    DIFFERENCE = "difference"  # the first minus the second, e.g. 17 more in 100
    PERCENT = "percent"  # parts then whole: parts / whole x 100, printed "N in 100" or "N%"
    ONE_IN = "one-in"  # parts then whole: whole / parts, printed "1 in N"
    ROUND = "round"  # one number, printed rounded, e.g. 868,000 as "about 900,000"


class Derivation(Strict):
    """A number the wording prints that no quote gives as such, and how it follows from them.

    The printed number must be the result rounded to the figures printed: 20,000 is
    checked to 1 significant figure, 17 to 2.
    """

    value: Text = Field(description="The number as printed in the statement or plain wording, "
                                    "e.g. '3' (for '3 days') or '1 in 20,000'.")
    operation: Operation = Field(description="How it is worked out from the numbers in 'from'.")
    from_: list[Text] = Field(
        alias="from", min_length=1,
        description="The numbers it is worked out from, as the quotes write them, in order, "
                    "e.g. ['72'] or ['40', 'two', '868,000'].")


class Fact(Strict):
    id: Id
    section: Section = Field(description="The handout section this fact belongs in.")
    statement: Text = Field(description="The plain-language sentence a patient reads.")
    plain: Text | None = Field(
        default=None,
        description="A shorter, plainer wording (grade 6 or lower) for 'The basics'. "
                    "Checked like the statement. Leave out to print the statement there.")
    frequency: Frequency | None = Field(
        default=None, description="A natural frequency from the source, drawn as an icon array.")
    derived_numbers: list[Derivation] = Field(
        default_factory=list,
        description="Numbers the wording prints that are worked out from quoted numbers (72 "
                    "hours printed as 3 days), each with how; the build checks the arithmetic. "
                    "Every other number printed must be in a quote.")
    evidence: Evidence | None = Field(
        default=None,
        description="GRADE certainty (high, moderate, low, very-low) for claims about effects; "
                    "'regulator' or 'law' for regulatory and legal facts; 'background' for "
                    "definitions and history. Leave out for questions.")
    jurisdictions: list[JurisdictionCode] | None = Field(
        default=None,
        description="Where this fact applies. Leave out if it applies everywhere; "
                    "required for legal facts.")
    citations: Citations
    checked: CheckRecord
    review_due: ReviewDue


class Claim(Strict):
    """A claim from an article patients may have read, with our verdict and the facts behind it."""

    id: Id
    claim: Citation = Field(description="The claim, quoted exactly from the article that made it.")
    paraphrase: Text = Field(
        description="The claim in short plain words, as printed. The exact quote stays in the "
                    "web page and the register, and is still checked.")
    verdict: Verdict
    answer: Text = Field(description="Plain-language answer a patient reads after the verdict.")
    backed_by: list[Id] = Field(min_length=1, description="Ids of the facts that show the verdict.")
    jurisdictions: list[JurisdictionCode] | None = Field(
        default=None, description="Where this answer applies. Leave out if everywhere.")
    checked: CheckRecord
    review_due: ReviewDue

    @property
    def citations(self) -> list[Citation]:
        """The claim's own quote is checked like any citation (against the article's copy)."""
        return [self.claim]


class FactsFile(Strict):
    language: Language = Field(default="en", description="Language of the statements.")
    facts: list[Fact] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
