"""The content model for the clinic file, the wording rules and the glossary."""

from __future__ import annotations

from pydantic import Field

from .model_base import Evidence, Language, Paper, Strict, Text, Url


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
