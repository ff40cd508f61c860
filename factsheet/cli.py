"""The command line: ``python build.py [check|schema] [options]``.

Exit codes: 0 success, 1 content errors, 2 usage errors, 3 an internal error
(a bug: run again with --debug and report the traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

from . import __version__
from .build import fastpath
from .paths import TEMPLATES  # the checkout's templates/, or the installed copy
from .problems import ContentError, Problem

# Kept as plain names so that a build with nothing to do imports nothing heavy
# (tests check they match the model's Paper and Variant).
PAPERS = ("a4", "letter")
VARIANTS = ("standard", "large-print", "flyer", "basics")

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

DESCRIPTION = """\
Build plain-language health handouts (HTML and PDF) from the checked facts in facts/.

commands:
  build            validate everything, then bring output/ up to date (the default): only
                   outputs whose facts, sources, templates or options changed are rebuilt
  check            validate everything and write nothing
  status VERSION   is a printed copy with this version (printed at its foot) still current?
  watch            rebuild on every save and serve output/ at http://127.0.0.1:8000
  schema           regenerate the JSON Schemas in facts/schema/ after changing the model
"""

EPILOG = """\
exit codes: 0 success, 1 errors in the content (with status: the copy is out of date),
2 a wrong command or option, 3 an internal error (run again with --debug and report it).

examples:
  {cmd}{pad}build every handout
  {cmd} check --strict{pad2}validate; warnings count as errors
  {cmd} --handout ketamine-depression --jurisdiction uk --paper letter
"""


def command_name() -> str:
    """How the tool was started, for help and hints: ``factsheet`` once installed (pip or
    pipx), ``python build.py`` in a checkout (or when called from Python)."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return name if name and not name.endswith(".py") and name != "-c" else "python build.py"


def _epilog(cmd: str) -> str:
    width = 49  # the descriptions line up in one column, whatever the command is called
    return EPILOG.format(cmd=cmd, pad=" " * max(1, width - len(cmd)),
                         pad2=" " * max(1, width - len(cmd) - len(" check --strict")))


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2; keep that, add a hint
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"error: {message}\nRun '{command_name()} --help' for help.\n")


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=command_name(), description=DESCRIPTION, epilog=_epilog(command_name()),
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?",
                        choices=["build", "check", "status", "watch", "schema"],
                        default="build", help="what to do (default: build)")
    parser.add_argument("version", nargs="?", metavar="VERSION",
                        help="with status: the version printed on the copy, e.g. 2026-11-21-8533d4")
    parser.add_argument("--strict", action="store_true",
                        help="treat warnings as errors (use before printing)")
    parser.add_argument("--release", action="store_true",
                        help="refuse to build any handout that a clinician has not approved "
                             "for its current version")
    parser.add_argument("--today", type=_iso_date, default=None, metavar="YYYY-MM-DD",
                        help="judge review dates as if today were this date (default: today, "
                             "or $FACTSHEET_TODAY)")
    parser.add_argument("--handout", action="append", default=[], metavar="ID",
                        help="build only this handout (repeat for more)")
    parser.add_argument("--jurisdiction", action="append", default=[], metavar="CODE",
                        help="build only for this jurisdiction, e.g. us, uk, ca, au (repeatable)")
    parser.add_argument("--paper", action="append", default=[], choices=PAPERS,
                        help="PDF paper size (default: the clinic's, from clinic.yaml); "
                             "give twice for both")
    parser.add_argument("--variant", action="append", default=[],
                        choices=VARIANTS,
                        help="edition to build: standard (in detail), large-print, flyer or "
                             "basics (default: all four; repeatable)")
    parser.add_argument("--facts", type=Path, default=Path("facts"), metavar="DIR",
                        help="content folder (default: facts)")
    parser.add_argument("--output", type=Path, default=Path("output"), metavar="DIR",
                        help="where handouts are written (default: output)")
    parser.add_argument("--jobs", type=_positive, default=None, metavar="N",
                        help="PDFs rendered at once (default: one per processor core)")
    parser.add_argument("--force", action="store_true",
                        help="rebuild every output, even those that are up to date")
    parser.add_argument("--timings", action="store_true",
                        help="print how long each step of the build took")
    parser.add_argument("--port", type=_port, default=8000,
                        help="with watch: the port to serve output/ on, 1 to 65535 (default "
                             "8000; 0 picks any free port and prints it)")
    parser.add_argument("--debug", action="store_true",
                        help="show full tracebacks for internal errors")
    parser.add_argument("--version", action="version", version=f"factsheet {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if (args.command == "status") != (args.version is not None):
        parser.error("give a VERSION with 'status', and only with 'status'")
    started = time.perf_counter()
    today = args.today or _today()
    settings = {"facts": str(args.facts.resolve()), "handouts": sorted(args.handout),
                "jurisdictions": sorted(args.jurisdiction), "papers": sorted(set(args.paper)),
                "variants": sorted(set(args.variant)), "strict": args.strict,
                "release": args.release, "today": today.isoformat()}
    if args.command == "build" and not args.force:
        try:
            previous = fastpath.unchanged(args.output, args.facts, TEMPLATES,
                                          fastpath.settings_key(settings))
        except Exception:  # the fast path is only a shortcut: fall back to a full build
            previous = None
        if previous is not None:
            summary, warnings = previous
            if warnings:
                print(warnings, file=sys.stderr)
            print(f"{summary}\nNo input changed since the last build: nothing to rebuild, "
                  f"nothing written. [{time.perf_counter() - started:.2f}s]")
            return EXIT_OK
    return _run(args, today, settings, started)


def _run(args: argparse.Namespace, today: date, settings: dict, started: float) -> int:
    # the heavy modules (pydantic, jinja2, the model) are loaded only when there is work
    from .content import model as m
    from .build.changes import status
    from .build.manifest import Manifest
    from .build.pipeline import Options, UsageError, build, check
    from .content.schema import schema_files
    from .output.write import atomic_write

    options = Options(facts=args.facts, output=args.output, handouts=args.handout,
                      jurisdictions=args.jurisdiction,
                      papers=[m.Paper(p) for p in dict.fromkeys(args.paper)],
                      variants=[m.Variant(v) for v in dict.fromkeys(args.variant)] or list(m.Variant),
                      strict=args.strict, release=args.release,
                      today=today)
    if args.jobs:
        options.jobs = args.jobs
    root = Path.cwd()
    try:
        if args.command == "schema":
            for path, text in schema_files(options.facts).items():
                atomic_write(path, text)
                print(f"wrote {path}")
            return EXIT_OK
        if args.command == "status":
            current, message = status(Manifest.load(options.output), args.version)
            print(message)
            return EXIT_OK if current else EXIT_CONTENT
        if args.command == "watch":
            from .build.watch import watch

            return watch(options, port=args.port, root=root)
        if args.command == "check":
            result = check(options)
        else:
            options.force = args.force
            result = build(options, progress=_progress_bar() if sys.stderr.isatty() else None)
        _print_problems(result.report.warnings, root)
        summary = _summary(result, args.command)
        print(f"{summary} [{time.perf_counter() - started:.1f}s]")
        if args.command == "build":
            _remember(options, settings, result, root)
        if args.timings and result.timings:
            print(result.timings.table())
        return EXIT_OK
    except ContentError as exc:
        _print_problems(exc.problems, root)
        errors = [p for p in exc.problems if p.severity == "error"]
        warnings = [p for p in exc.problems if p.severity == "warning"]
        tail = " Warnings count as errors with --strict." if args.strict and warnings else ""
        print(f"Stopped: {_count(errors, 'error')}, {_count(warnings, 'warning')}.{tail} "
              "Nothing was written.", file=sys.stderr)
        return EXIT_CONTENT
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("Stopped. Files already written are complete; nothing is half-written.",
              file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not bad content: short message unless --debug
        if args.debug:
            raise
        print(f"internal error: {type(exc).__name__}: {exc}\n"
              "This is a bug in the tool, not in your content. Run the same command with "
              "--debug and send the output to whoever maintains the tool.", file=sys.stderr)
        return EXIT_INTERNAL


def _remember(options, settings: dict, result, root: Path) -> None:
    """Leave the no-change shortcut for the next build, with the warnings it will repeat.

    A warning about a damaged build record is about this build only (the record was set
    aside and written anew): repeating it would be false, so no shortcut is left, and the
    next build checks everything once more and finds the record whole.
    """
    if any(p.topic == "manifest" for p in result.report.warnings):
        fastpath.forget(options.output)
        return
    warnings = "\n".join(p.format(root) for p in result.report.warnings)
    fastpath.record(options.output, options.facts, TEMPLATES,
                    fastpath.settings_key(settings), _short_summary(result), warnings)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _port(text: str) -> int:
    """A TCP port; 0 asks the system for any free one (watch prints the one it got)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port: give a number from 1 to "
                                         "65535, e.g. --port 8001 (or 0 for any free port)")
    return value


def _progress_bar():
    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        end = "\n" if done == total else ""
        print(f"\rRendering PDFs [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
              end=end, file=sys.stderr, flush=True)
    return show


def _today() -> date:
    """Today, unless FACTSHEET_TODAY pins it (for tests and for re-running an old check)."""
    pinned = os.environ.get("FACTSHEET_TODAY")
    return _iso_date(pinned) if pinned else date.today()


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None


def _count(problems: list[Problem], noun: str) -> str:
    """'2 warnings (1 review due, 1 over reading target)'."""
    text = f"{len(problems)} {noun}{'' if len(problems) == 1 else 's'}"
    topics = Counter(p.topic for p in problems if p.topic)
    if topics:
        text += " (" + ", ".join(f"{n} {topic}" for topic, n in sorted(topics.items())) + ")"
    return text


def _print_problems(problems: list[Problem], root: Path) -> None:
    for problem in problems:
        print(problem.format(root), file=sys.stderr)


def _short_summary(result) -> str:
    """What a build with nothing to do repeats from the last build."""
    cat = result.catalogue
    drafts = sorted({v.handout.id for v in result.views if not v.approved})
    line = (f"{len(cat.facts)} facts, {len(cat.sources)} sources; "
            f"{len({v.handout.id for v in result.views})} handout(s); 0 errors, "
            f"{_count(result.report.warnings, 'warning')}")
    if drafts:
        line += f"\nDraft (awaiting clinical review): {_some(drafts)}"
    return line


def _some(names: list[str]) -> str:
    return ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")


def _summary(result, command: str) -> str:
    cat = result.catalogue
    handouts = len({v.handout.id for v in result.views})
    places = len({v.jurisdiction.code for v in result.views})
    line = (f"{len(cat.facts)} facts, {len(cat.sources)} sources; "
            f"{handouts} handout{'' if handouts == 1 else 's'} x {places} "
            f"jurisdiction{'' if places == 1 else 's'}; 0 errors, "
            f"{_count(result.report.warnings, 'warning')}")
    if result.trust is not None:
        line += f"; {result.trust.verified} of {len(result.trust.quotes)} quotes verified"
    if command == "build":
        if result.rebuilt or result.deleted:
            for rel, why in sorted(result.rebuilt.items()):
                line = f"{rel}: {'; '.join(why[:3])}" + (f" (+{len(why) - 3} more)"
                                                        if len(why) > 3 else "") + "\n" + line
            for rel in result.deleted:
                line = f"{rel}: deleted (its handout or jurisdiction was removed)\n" + line
        line += (f"; {len(result.rebuilt)} output(s) rebuilt, {len(result.deleted)} deleted, "
                 f"{len(result.written)} file(s) written")
        if result.changes is not None:
            line += "\n" + result.changes.summary()
    drafts = sorted({v.handout.id for v in result.views if not v.approved})
    if drafts:
        line += f"\nDraft (awaiting clinical review): {_some(drafts)}"
    return line
