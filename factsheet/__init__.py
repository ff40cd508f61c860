"""Plain-language fact sheet generator: checked YAML facts in, printable handouts out.

Pipeline, one subpackage a stage:

- ``content``: load (strict YAML) → validate (models and links between files);
- ``checks``: the trust checks on every composed edition;
- ``build``: compose (one view per handout, jurisdiction and level), the build record,
  and the pipeline that drives it all (``build.pipeline``);
- ``output``: render (HTML, and PDF from the same HTML) → write.

``cli`` is the command line; ``paths`` and ``problems`` are shared by every stage.
"""

__version__ = "0.1.0"
