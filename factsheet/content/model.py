"""The content model: what each YAML file in ``facts/`` may hold.

These pydantic models are the single definition of the content.  They
validate the files, and the JSON Schemas that editors use for autocomplete
are generated from them (see ``schema.py``).  Every model forbids unknown
keys, so a misspelt field is an error instead of being silently ignored.

The model already carries what later stages need: a language on every file,
approval records with the version approved, jurisdictions on facts, and
check and review dates on everything a reader sees.
"""

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


# ---------------------------------------------------------------- jurisdictions


class Contact(Strict):
    """A crisis line or emergency number, checked against the service's own page."""

    id: Id
    name: Text = Field(description="The service's name, as it gives it.")
    description: Text = Field(description="One short sentence: who it is for and what it offers.")
    phone: Text | None = Field(default=None, description="Number to call, as text in quotes.")
    text: Text | None = Field(default=None, description="Number to text, as text in quotes.")
    website: Url | None = None
    hours: Text | None = Field(default=None, description="When it is open, e.g. '24 hours a day'.")
    citations: Citations
    checked: CheckRecord
    review_due: ReviewDue


class Jurisdiction(Strict):
    code: JurisdictionCode = Field(description="Short code, e.g. 'us', 'uk', 'ca', 'au'.")
    name: Text
    languages: list[Language] = Field(default_factory=lambda: ["en"], min_length=1)
    emergency: Contact
    crisis_lines: list[Contact] = Field(min_length=1)
    side_effects: Contact | None = Field(
        default=None,
        description="How patients report a side effect of a medicine (the regulator's scheme), "
                    "checked against the agency's own page.")


class JurisdictionsFile(Strict):
    jurisdictions: list[Jurisdiction] = Field(min_length=1)


# ---------------------------------------------------------------- handouts


class Group(Strict):
    """Facts printed together under a sub-heading, so that no list runs past 7 items."""

    heading: Text = Field(description="The sub-heading, e.g. 'Common side effects'.")
    facts: list[Id] = Field(min_length=1, description="Fact ids, in print order.")
    steps: bool = Field(False, description="True when the facts are steps to follow in order, "
                                           "e.g. 'On a treatment day': printed as numbered steps.")


Entries = Annotated[list[Id | Group], Field(
    default_factory=list,
    description="Fact ids in print order; or groups, each with a heading and its fact ids.")]


class HandoutSections(Strict):
    """Fact ids for each section, in print order.  Crisis lines come from the jurisdiction."""

    what_it_is: Entries = Field(alias="what-it-is")
    evidence: Entries
    risks: Entries
    legal: Entries
    questions: Entries
    tell_your_doctor: Entries = Field(alias="tell-your-doctor")
    claims: list[Id] = Field(default_factory=list,
                             description="Ids of claims to answer under 'Claims you may have read'.")

    def entries(self, section: Section) -> list[Id | Group]:
        return getattr(self, section.value.replace("-", "_"))

    def located(self, section: Section) -> list[tuple[tuple, str]]:
        """Each fact id of a section with its path under the section (for error lines)."""
        found: list[tuple[tuple, str]] = []
        for i, entry in enumerate(self.entries(section)):
            if isinstance(entry, Group):
                found.extend(((i, "facts", j), fid) for j, fid in enumerate(entry.facts))
            else:
                found.append(((i,), entry))
        return found

    def groups(self, section: Section) -> list[Group | list[str]]:
        """The section as runs of facts: its groups, and the fact ids between them."""
        runs: list[Group | list[str]] = []
        for entry in self.entries(section):
            if isinstance(entry, Group):
                runs.append(entry)
            elif runs and isinstance(runs[-1], list):
                runs[-1].append(entry)
            else:
                runs.append([entry])
        return runs

    def items(self) -> list[tuple[Section, list[str]]]:
        """Every section with its fact ids, flattened, in print order."""
        return [(section, [fid for _, fid in self.located(section)]) for section in Section]


class Message(Strict):
    """A sentence written in the handout file, traced to the checked facts it sums up."""

    text: Text = Field(description="The sentence, in plain words.")
    facts: list[Id] = Field(min_length=1, description="Ids of the facts this sentence sums up.")


class Summary(Strict):
    """What every edition opens with: the main message, key points and what to do."""

    main_message: Message = Field(description="The one thing a reader should take away.")
    key_points: list[Message] = Field(min_length=3, max_length=5,
                                      description="3 to 5 key points, most important first.")
    action: Text = Field(description="What the reader should do, e.g. 'Talk to your doctor "
                                     "before you decide. Take this sheet with you.'")

    def located(self) -> list[tuple[tuple, Message]]:
        """The main message and each key point, with its path in the handout file."""
        return [(("summary", "main_message"), self.main_message),
                *((("summary", "key_points", i), p) for i, p in enumerate(self.key_points))]


# the parts of "The basics", in print order
BASICS_PARTS = ("benefits", "harms", "steps", "legal", "ask", "tell")


class Basics(Strict):
    """Which facts 'The basics' print (in their plain wording), by part of the sheet."""

    benefits: list[Id] = Field(default_factory=list, max_length=5,
                               description="What it may do for you, with numbers where known.")
    harms: list[Id] = Field(default_factory=list, max_length=7,
                            description="Its risks and side effects, with numbers where known.")
    steps: list[Id] = Field(default_factory=list, max_length=5,
                            description="What happens on a treatment day, in order: printed "
                                        "as numbered steps.")
    legal: list[Id] = Field(default_factory=list,
                            description="The legal status: one or two lines per jurisdiction.")
    ask: list[Id] = Field(default_factory=list, max_length=5, description="Questions to ask.")
    tell: list[Id] = Field(default_factory=list, max_length=7,
                           description="What to tell your doctor.")

    def parts(self) -> list[tuple[str, list[str]]]:
        return [(name, getattr(self, name)) for name in BASICS_PARTS]


class DrugStatus(Strict):
    """A drug the handout is about, and the fact that gives its legal status in each place.

    Used for the web page's structured data (schema.org Drug.legalStatus).
    """

    drug: Text = Field(description="The drug's name, e.g. 'Ketamine'.")
    legal_status: dict[JurisdictionCode, Id] = Field(
        default_factory=dict, description="For each jurisdiction, the id of the legal fact.")


class Approval(Strict):
    name: Text = Field(description="Name of the clinician who approved the handout.")
    role: Text = Field(description="Their role, e.g. 'Consultant psychiatrist'.")
    date: CalendarDate
    version: Text = Field(description="The handout version they approved, as printed on it.")


class Handout(Strict):
    id: Id
    title: Text
    audience: Text = Field(description="Who the handout is for.")
    language: Language = "en"
    jurisdictions: list[JurisdictionCode] = Field(min_length=1)
    summary: Summary | None = Field(
        default=None, description="The main message, key points and what to do, printed first.")
    sections: HandoutSections
    basics: Basics | None = Field(
        default=None, description="What 'The basics' (the one-sheet reading level) print.")
    flyer: list[Id] = Field(
        default_factory=list, max_length=5,
        description="3 to 5 fact ids: the key messages of the one-page waiting-room flyer.")
    about: list[DrugStatus] = Field(
        default_factory=list, description="The drugs this handout is about, with their legal status.")
    approvals: list[Approval] = Field(
        default_factory=list, description="Clinical sign-offs, oldest first.")


# ---------------------------------------------------------------- clinic


class Organisation(Strict):
    name: Text
    phone: Text | None = None
    email: Text | None = None
    website: Url | None = None
    address: Text | None = None


class Feedback(Strict):
    email: Text | None = None
    phone: Text | None = None
    website: Url | None = None


class AboutHandouts(Strict):
    """What 'About this handout' says about who made it and how it is kept up to date.

    Taken from the clinic, never invented: write your own organisation's answers.
    """

    written_by: Text = Field(description="Who wrote the handouts, by role.")
    funding: Text = Field(description="Who paid for the handouts.")
    conflicts: Text = Field(description="Conflicts of interest of the writers and checkers, "
                                        "or that they have none.")
    update_policy: Text = Field(description="When and how the handouts are updated.")
    feedback: Feedback = Field(description="How a reader can give feedback or report a mistake.")


class ReviewPolicy(Strict):
    review_interval_months: int = Field(default=12, ge=1, le=60)
    warn_before_due_days: int = Field(default=30, ge=0, le=365)
    max_check_age_years: int = Field(default=3, ge=1, le=10)


class Readability(Strict):
    """Reading targets for every section of every handout."""

    max_smog: float = Field(default=9, ge=1, le=20, description="Highest SMOG grade allowed.")
    max_grade: float = Field(default=8, ge=1, le=20,
                             description="Highest Flesch-Kincaid grade allowed.")
    max_sentence_words: int = Field(default=25, ge=5, le=60,
                                    description="Most words allowed in one sentence.")
    basics_max_grade: float = Field(default=6, ge=1, le=20,
                                    description="Highest Flesch-Kincaid grade for 'The basics'.")
    max_list_items: int = Field(default=7, ge=3, le=20,
                                description="Most items in one printed list.")


class Clinic(Strict):
    organisation: Organisation
    logo: Text | None = Field(default=None, description="Image file, relative to facts/.")
    paper: Paper = Paper.A4
    language: Language = "en"
    base_url: Url | None = Field(default=None, description="Public address of the handouts.")
    about: AboutHandouts | None = Field(
        default=None, description="Who writes the handouts, funding, conflicts, updates, "
                                  "feedback: printed under 'About this handout'.")
    review_policy: ReviewPolicy = Field(default_factory=ReviewPolicy)
    readability: Readability = Field(default_factory=Readability)
    quote_archive: Text = Field(
        default="archive",
        description="Folder, relative to facts/, holding a text copy of each source (SOURCE-ID.txt).")


# ---------------------------------------------------------------- wording rules


class Wording(Strict):
    """Word lists for the wording checks, kept in one file reviewers can read and edit."""

    required: dict[Evidence, list[Text]] = Field(
        default_factory=dict,
        description="For each evidence level, words of which a statement must use at least one.")
    promotional: list[Text] = Field(
        default_factory=list, description="Absolute or promotional words to warn about.")
    allowed_terms: list[Text] = Field(
        default_factory=list,
        description="Names and terms left out of the syllable count (drug names, for example).")


# ---------------------------------------------------------------- glossary


class Term(Strict):
    term: Text = Field(description="The word as printed, e.g. 'FDA'.")
    forms: list[Text] = Field(default_factory=list,
                              description="Other forms that count as the term, e.g. plurals.")
    meaning: Text = Field(description="The plain explanation a reader needs at first use.")
    explained_by: list[Text] = Field(
        default_factory=list,
        description="Words that, in the sentence of first use, count as explaining the term "
                    "(default: the meaning itself).")


class Glossary(Strict):
    """Terms a reader may not know: the build warns when one is used before it is explained."""

    language: Language = "en"
    terms: list[Term] = Field(default_factory=list)


# which model validates which kind of file
FILE_MODELS: dict[str, type[Strict]] = {
    "clinic": Clinic,
    "jurisdictions": JurisdictionsFile,
    "sources": SourcesFile,
    "facts": FactsFile,
    "handout": Handout,
    "wording": Wording,
    "glossary": Glossary,
}
