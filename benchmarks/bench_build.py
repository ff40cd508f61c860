#!/usr/bin/env python3
"""Build-speed benchmark on a synthetic catalogue (prints figures; asserts nothing).

    .venv/bin/python benchmarks/bench_build.py [--handouts 200] [--facts 2000] [--places 1]

It writes a synthetic catalogue (fictional facts and sources, never real content) to a
temporary folder and times, each as a separate process:
  * validating the catalogue (``build.py check``);
  * a full build with 1 job and with 2 jobs;
  * a build where nothing changed;
  * a build after editing one fact (and how many outputs it re-rendered);
  * the floor: a bare script that imports WeasyPrint and renders the same HTML, serially.
Each time is printed with its ratio to the floor, next to the targets, with peak memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLACES = ["us", "uk", "ca", "au"]
SECTIONS = ["what-it-is", "evidence", "risks", "legal", "questions", "tell-your-doctor"]


def write_catalogue(folder: Path, handouts: int, facts: int, places: list[str]) -> None:
    real = ROOT / "facts"
    for name in ["clinic.yaml", "jurisdictions.yaml", "wording.yaml"]:
        shutil.copy(real / name, folder / name)
    (folder / "topics").mkdir()
    (folder / "handouts").mkdir()
    shutil.copytree(real / "archive", folder / "archive")  # the crisis lines' sources
    sources = max(10, facts // 20)
    lines = [(real / "sources.yaml").read_text().rstrip()]
    for s in range(sources):
        lines += [f"  - id: synthetic-source-{s}", f"    title: Synthetic source {s}",
                  "    publisher: Benchmark generator", "    kind: systematic-review",
                  "    published: '2024'", f"    url: https://example.org/source/{s}",
                  "    accessed: 2026-11-21"]
        quotes = " ".join(f"Finding {f} was observed." for f in range(s, facts, sources))
        (folder / "archive" / f"synthetic-source-{s}.txt").write_text(quotes + "\n")
    (folder / "sources.yaml").write_text("\n".join(lines) + "\n")
    per_file = 100
    for start in range(0, facts, per_file):
        body = ["facts:"]
        for f in range(start, min(start + per_file, facts)):
            section = SECTIONS[f % len(SECTIONS)]
            legal = section == "legal"
            body += [f"  - id: fact-{f}", f"    section: {section}",
                     f"    statement: Synthetic fact {f} may help some people a little.",
                     *([] if section == "questions" else ["    evidence: " + ("law" if legal else "low")]),
                     *([f"    jurisdictions: [{places[f % len(places)]}]"] if legal else []),
                     *([] if section == "questions" else [
                         "    citations:",
                         f"      - source: synthetic-source-{f % sources}",
                         f"        quote: Finding {f} was observed.",
                         "        location: Results"]),
                     "    checked: {by: Benchmark generator, date: 2026-11-01}",
                     "    review_due: 2027-11-01"]
        (folder / "topics" / f"synthetic-{start // per_file:03d}.yaml").write_text(
            "\n".join(body) + "\n")
    for h in range(handouts):
        picked = [(h * 7 + k * 97) % facts for k in range(20)]
        by_section: dict[str, list[str]] = {s: [] for s in SECTIONS}
        for f in picked:
            by_section[SECTIONS[f % len(SECTIONS)]].append(f"fact-{f}")
        for code in places:  # every edition needs a legal fact for its place
            legal = next(f for f in range(3, facts, len(SECTIONS)) if places[f % len(places)] == code)
            if f"fact-{legal}" not in by_section["legal"]:
                by_section["legal"].append(f"fact-{legal}")
        sections = "\n".join(f"  {s}: [{', '.join(dict.fromkeys(ids))}]" for s, ids in by_section.items())
        (folder / "handouts" / f"synthetic-{h:03d}.yaml").write_text(
            f"id: synthetic-{h:03d}\ntitle: Synthetic handout {h}\naudience: Benchmark readers\n"
            f"jurisdictions: [{', '.join(places)}]\nsections:\n{sections}\n"
            f"flyer: [{', '.join(by_section['evidence'][:3] or by_section['risks'][:3])}]\n"
            "approvals: []\n")


def run(command: list[str], label: str) -> tuple[float, float, str]:
    """Wall seconds, peak memory (MB) of the command and its children, and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode != 0:
        sys.exit(f"{label} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    # ru_maxrss is the largest child so far; report it only when this run raised it
    return seconds, max(peak, before) / 1024, done.stdout


FLOOR = """
import sys, time
from pathlib import Path
started = time.perf_counter()
import weasyprint
folder = Path(sys.argv[1])
for page in sorted(folder.glob("*.html")):
    weasyprint.HTML(filename=str(page), base_url=sys.argv[2]).write_pdf(
        str(page.with_suffix(".pdf")), pdf_variant="pdf/ua-1")
print(time.perf_counter() - started)
"""


def dump_print_html(facts: Path, folder: Path) -> int:
    """The exact HTML the build sends to WeasyPrint, one file per PDF, for the floor."""
    from factsheet.content import model as m
    from factsheet.build.pipeline import Options, check
    from factsheet.output.render import render_html

    result = check(Options(facts=facts, today=__import__("datetime").date(2026, 11, 21)))
    for n, view in enumerate(result.views):
        (folder / f"{n:05d}.html").write_text(
            render_html(view, paper=m.Paper.A4, for_pdf=True), encoding="utf-8")
    return len(result.views)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--handouts", type=int, default=200)
    parser.add_argument("--facts", type=int, default=2000)
    parser.add_argument("--places", type=int, default=1, choices=range(1, 5),
                        help="jurisdictions per handout (PDFs = handouts x places)")
    args = parser.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        facts, out1, out2, html = tmp / "facts", tmp / "out1", tmp / "out2", tmp / "html"
        for folder in (facts, html):
            folder.mkdir()
        write_catalogue(facts, args.handouts, args.facts, PLACES[:args.places])
        base = [py, "build.py", "--facts", str(facts), "--variant", "standard",
                "--today", "2026-11-21"]
        pdfs = dump_print_html(facts, html)
        print(f"catalogue: {args.facts} facts, {args.handouts} handouts x {args.places} "
              f"place(s) = {pdfs} PDFs (standard edition, A4); machine: "
              f"{len(__import__('os').sched_getaffinity(0))} cores")

        check_s, check_mb, _ = run(base + ["check"], "check")
        floor_wall, _, floor_out = run([py, "-c", FLOOR, str(html), str(ROOT / "templates")],
                                       "floor")
        floor = float(floor_out.strip().splitlines()[-1])
        full1, mem1, _ = run(base + ["--output", str(out1), "--jobs", "1"], "full build, 1 job")
        full2, mem2, _ = run(base + ["--output", str(out2), "--jobs", "2"], "full build, 2 jobs")
        same, mem3, _ = run(base + ["--output", str(out1)], "no-change build")
        topic = facts / "topics" / "synthetic-000.yaml"
        topic.write_text(topic.read_text().replace("Synthetic fact 7 may help",
                                                    "Synthetic fact 7 may slightly help"))
        users = len(json.loads((out1 / "manifest.json").read_text())["outputs"])
        edit, mem4, edit_out = run(base + ["--output", str(out1)], "one-fact edit")
        rebuilt = [line for line in edit_out.splitlines() if ": fact fact-7 changed" in line]
        expected = sum(1 for e in json.loads((out1 / "manifest.json").read_text())["outputs"].values()
                       if "fact fact-7" in e["deps"])

        def row(label, seconds, target):
            print(f"  {label:<28} {seconds:8.2f} s   {seconds / floor:5.2f} x floor   {target}")

        print(f"floor (import WeasyPrint + render {pdfs} HTML files serially): {floor:.2f} s "
              f"({floor_wall:.2f} s with interpreter start)")
        row("validate + check", check_s, "target: under 1 s for 2,000 facts")
        row("full build, 1 job", full1, "target: at most 1.25 x floor")
        row("full build, 2 jobs", full2, "target: at most 0.70 x floor")
        row("no-change build", same, f"target: under 0.3 s and under 5% of a full build "
                                     f"({same / full1:.1%})")
        row("one-fact edit", edit, f"re-rendered {len(rebuilt)} of {users} outputs; "
                                   f"{expected} use that fact")
        print(f"  peak memory (largest process): {max(check_mb, mem1, mem2, mem3, mem4):.0f} MB "
              "(target: under 300 MB)")


if __name__ == "__main__":
    main()
