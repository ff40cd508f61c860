"""Watch mode, run as staff run it: a process that rebuilds on save and serves output/."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

from conftest import ROOT, edit

LIMIT = 90  # seconds: every wait below is bounded


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + LIMIT
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def test_watch_rebuilds_on_save_survives_errors_and_reloads_pages(content, tmp_path):
    port = free_port()
    out = tmp_path / "out"
    log = tmp_path / "watch.log"
    with open(log, "w") as sink:
        process = subprocess.Popen(
            [sys.executable, "build.py", "watch", "--facts", str(content), "--output", str(out),
             "--port", str(port), "--variant", "standard"],
            cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT)
        try:
            wait_for(lambda: get(port, "/__build") == "1", "the first build")
            page = get(port, "/widgetol/aa.html")
            assert "Widgetol may make you sleepy." in page
            assert 'fetch("/__build"' in page  # served pages reload themselves
            assert 'fetch("/__build"' not in (out / "widgetol" / "aa.html").read_text()

            edit(content / "topics" / "widgetol.yaml", "Widgetol may make you sleepy.",
                 "Widgetol may make you very sleepy.")
            wait_for(lambda: get(port, "/__build") == "2", "the rebuild after a save")
            assert "Widgetol may make you very sleepy." in get(port, "/widgetol/aa.html")

            edit(content / "topics" / "widgetol.yaml", "evidence: low", "evidence: lowish")
            wait_for(lambda: "Not rebuilt: fix the error above" in log.read_text(),
                     "the error message")
            assert process.poll() is None  # still running
            assert "field 'facts[2].evidence'" in log.read_text()

            edit(content / "topics" / "widgetol.yaml", "evidence: lowish", "evidence: low")
            edit(content / "topics" / "widgetol.yaml", "Widgetol may make you very sleepy.",
                 "Widgetol may make you a little sleepy.")
            wait_for(lambda: get(port, "/__build") == "3", "the rebuild after the fix")
            assert "Widgetol may make you a little sleepy." in get(port, "/widgetol/aa.html")
            text = log.read_text()
            assert "widgetol/aa.pdf: fact widgetol-sleepy changed" in text
            assert "Traceback" not in text
        finally:
            process.terminate()
            process.wait(timeout=20)
