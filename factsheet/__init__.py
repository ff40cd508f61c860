"""Plain-language fact sheet generator: checked YAML facts in, printable handouts out.

Pipeline: load (strict YAML) → validate (model and links) → compose (one
handout per jurisdiction) → render (HTML, and PDF from the same HTML) → write.
"""

__version__ = "0.1.0"
