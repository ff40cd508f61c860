"""The content model's building blocks: ids, text and date types, the ``Strict`` base
every model extends, and the fixed vocabularies (enums) the files choose from."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

# ---------------------------------------------------------------- basic types

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, min_length=2, max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
JurisdictionCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[a-z0-9]+)?$")]
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$")]

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _calendar_date(value: Any) -> Any:
    """Accept only real dates written YYYY-MM-DD."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError("date_format", "This must be a date written YYYY-MM-DD.")
    match = _DATE.match(value.strip())
    if not match:
        raise PydanticCustomError(
            "date_format", "'{value}' is not a date written YYYY-MM-DD.", {"value": value})
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise PydanticCustomError(
            "date_impossible", "'{value}' is not a real calendar date.", {"value": value}
        ) from None


def _published_date(value: Any) -> Any:
    """A publication date may be partial (2023 or 2023-10) or the word 'unknown'."""
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        raise PydanticCustomError(
            "date_format", "This must be a date (YYYY-MM-DD, YYYY-MM or YYYY) or 'unknown'.")
    text = value.strip()
    if text == "unknown":
        return text
    match = _PARTIAL_DATE.match(text)
    if not match:
        raise PydanticCustomError(
            "date_format",
            "'{value}' is not a date written YYYY-MM-DD, YYYY-MM or YYYY, nor 'unknown'.",
            {"value": value})
    year, month, day = match.groups()
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise PydanticCustomError(
            "date_impossible", "'{value}' is not a real calendar date.", {"value": value}
        ) from None
    return text


CalendarDate = Annotated[date, BeforeValidator(_calendar_date),
                         Field(json_schema_extra={"type": "string", "format": "date"})]
PublishedDate = Annotated[str, BeforeValidator(_published_date), Field(
    json_schema_extra={"pattern": r"^(\d{4}(-\d{2}(-\d{2})?)?|unknown)$"})]


class Strict(BaseModel):
    """Base for every content model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)


# ---------------------------------------------------------------- vocabularies


class Evidence(StrEnum):
    """How sure we are.  GRADE certainty for effects; regulator and law for the rest."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very-low"
    REGULATOR = "regulator"
    LAW = "law"
    BACKGROUND = "background"  # a definition or a piece of history, not a claim about effects


class SourceKind(StrEnum):
    REGULATOR_LABEL = "regulator-label"
    LEGISLATION = "legislation"
    SYSTEMATIC_REVIEW = "systematic-review"
    RANDOMISED_TRIAL = "randomised-trial"
    OBSERVATIONAL_STUDY = "observational-study"
    GUIDELINE = "guideline"
    GOVERNMENT = "government"  # official government or health-service information page
    SERVICE = "service"  # a crisis or health service's own page
    DRUG_REFERENCE = "drug-reference"  # a published drug-information reference for patients,
    # e.g. Micromedex, Lexicomp: not a regulator's own text, and not weak like news
    COMMENTARY = "commentary"  # a peer-reviewed editorial or commentary: experts' reading of
    # the evidence, not new data and not a systematic review
    NEWS = "news"
    BLOG_MARKETING = "blog-marketing"


class Section(StrEnum):
    """Where a fact sits on a handout.  Print order is the order below."""

    WHAT_IT_IS = "what-it-is"
    EVIDENCE = "evidence"
    RISKS = "risks"
    LEGAL = "legal"
    QUESTIONS = "questions"
    TELL_YOUR_DOCTOR = "tell-your-doctor"


class Verdict(StrEnum):
    """Our answer to a claim a patient may have read."""

    SUPPORTED = "supported"
    PARTLY_TRUE = "partly-true"
    NOT_SUPPORTED = "not-supported"
    WRONG = "wrong"


class Paper(StrEnum):
    A4 = "a4"
    LETTER = "letter"


class Variant(StrEnum):
    """Printed editions of each handout."""

    STANDARD = "standard"
    LARGE_PRINT = "large-print"  # 18 pt body, 1.6 line spacing, no italics
    FLYER = "flyer"  # one page for the waiting room: key messages, help, QR code
    BASICS = "basics"  # "The basics": one sheet, two sides, grade 6, plain wordings


class Outcome(StrEnum):
    BENEFIT = "benefit"
    HARM = "harm"
