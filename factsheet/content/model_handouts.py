"""The content model for jurisdictions (emergency and crisis contacts) and handouts
(their sections, summary, 'The basics', drugs and clinical approvals)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .model_base import CalendarDate, Id, JurisdictionCode, Language, Section, Strict, Text, Url
from .model_facts import CheckRecord, Citations, ReviewDue


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
BASICS_PARTS = ("what", "benefits", "harms", "steps", "legal", "ask", "tell")


class Basics(Strict):
    """Which facts 'The basics' print (in their plain wording), by part of the sheet."""

    what: list[Id] = Field(default_factory=list, max_length=3,
                           description="What it is: the medicine or practice the sheet is "
                                       "about, named and explained in a line or two.")
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
