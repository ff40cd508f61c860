"""A build killed outright (kill -9) at any moment: every file in output/ is whole (the old
one or the new one, never a mix), its workers stop without writing, and the next plain build
brings output/ to exactly what a clean build writes, with the version history intact."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT, edit

HISTORY = {".build-inputs.json", "manifest.json", "changes.html"}
MOMENTS = (0.03, 0.15, 0.3, 0.45, 0.6, 0.75, 0.9)  # fractions of an uninterrupted build


def files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file()}


def published(out: Path) -> dict[str, bytes]:
    return {name: data for name, data in files(out).items() if name not in HISTORY}


def build(content: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "build.py", "--facts", str(content), "--output",
                             str(out), "--jobs", "2"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finished(content: Path, out: Path) -> str:
    proc = build(content, out)
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    return stdout


def children(pid: int) -> set[int]:
    """The processes ``pid`` started (its PDF workers), read from /proc."""
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.update(int(c) for c in (task / "children").read_text().split())
        except OSError:
            pass
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def outlived(workers: set[int], wait: float = 10) -> set[int]:
    """The workers still running after ``wait`` seconds; killed, so a failure stays a failure
    and never a hang."""
    deadline = time.monotonic() + wait
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    survivors = {w for w in workers if alive(w)}
    for pid in survivors:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return survivors


def versions(out: Path) -> dict[str, str]:
    record = json.loads((out / "manifest.json").read_text())
    return {key: edition["version"] for key, edition in record["editions"].items()}


def test_a_build_killed_at_any_moment_is_whole_and_the_next_build_repairs_it(content,
                                                                             tmp_path):
    first = tmp_path / "first"
    finished(content, first)
    old_files, old_versions = files(first), versions(first)
    edit(content / "topics" / "widgetol.yaml", "Widgetol may make you sleepy.",
         "Widgetol may make you very sleepy.")
    clean = tmp_path / "clean"
    started = time.monotonic()
    finished(content, clean)
    whole_build = time.monotonic() - started
    new_files = files(clean)

    out = tmp_path / "out"
    for moment in MOMENTS:
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(first, out)
        proc = build(content, out)
        time.sleep(moment * whole_build)
        workers = children(proc.pid)
        proc.send_signal(signal.SIGKILL)  # the build alone: its workers are left running
        proc.wait()  # not communicate(): a surviving worker would hold the pipes open
        proc.stdout.close()
        proc.stderr.close()
        survivors = outlived(workers)
        assert not survivors, f"workers {survivors} outlived the build killed at {moment}"
        for name, data in published(out).items():  # each file is the old one or the new one
            assert data in (old_files.get(name), new_files.get(name)) or \
                name.startswith(".") or "/." in name, f"{name} is neither, killed at {moment}"

        stdout = finished(content, out)
        assert published(out) == published(clean), f"killed at {moment}:\n{stdout}"
        record = json.loads((out / "manifest.json").read_text())
        old_hashes = {v.rsplit("-", 1)[1] for v in old_versions.values()}
        assert old_hashes <= set(record["versions"]), f"history lost, killed at {moment}"
        assert versions(out) == versions(clean)
        for version in old_versions.values():  # a copy printed before says it is out of date
            status = subprocess.run([sys.executable, "build.py", "status", version, "--output",
                                     str(out)], cwd=ROOT, capture_output=True, text=True)
            assert status.returncode == 1 and status.stdout.startswith("Out of date"), \
                status.stdout
