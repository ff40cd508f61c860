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

# The models are split by role into model_base (types, Strict, vocabularies), model_facts
# (sources and facts), model_handouts (jurisdictions and handouts) and model_clinic (clinic,
# wording, glossary).  This module gathers them, so that the rest of the code keeps one
# import for the whole model (`model.Fact`, `model.FILE_MODELS`).
from .model_base import (  # noqa: F401
    ID_PATTERN, CalendarDate, Evidence, Id, JurisdictionCode, Language, Outcome, Paper,
    PublishedDate, Section, SourceKind, Strict, Text, Url, Variant, Verdict)
from .model_clinic import (  # noqa: F401
    AboutHandouts, Clinic, Feedback, Glossary, Organisation, Readability, ReviewPolicy, Term,
    Wording)
from .model_facts import (  # noqa: F401
    CheckRecord, Citation, Citations, Claim, CopyOf, Derivation, Fact, FactsFile, Frequency,
    Operation, ReviewDue, Source, SourcesFile)
from .model_handouts import (  # noqa: F401
    BASICS_PARTS, Approval, Basics, Contact, DrugStatus, Entries, Group, Handout,
    HandoutSections, Jurisdiction, JurisdictionsFile, Message, Summary)


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
