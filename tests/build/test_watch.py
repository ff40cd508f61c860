"""Watch mode, run as staff run it: a process that rebuilds on save and serves output/."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import ThreadingHTTPServer

import pytest
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


# --- the server on its own: what it refuses to serve -------------------------------------
# Each test below starts the real handler on 127.0.0.1, port 0 (any free port), and sends
# real HTTP requests with http.client, which sends the path and Host header exactly as given.

SECRET = "outside the output folder"


@pytest.fixture
def site(tmp_path):
    """An output folder with pages, build records, dot-files and symlinks, being served.

    Yields (port, output folder); a file outside that folder holds SECRET.
    """
    from factsheet.build.watch import BuildState, make_handler

    out = tmp_path / "out"
    (out / "widgetol").mkdir(parents=True)
    (out / "index.html").write_text("<html><body>Index</body></html>")
    (out / "widgetol" / "aa.html").write_text("<html><body>Widgetol</body></html>")
    (out / "widgetol" / "aa.pdf").write_bytes(b"%PDF-1.7 fake")
    (out / "manifest.json").write_text('{"facts": "/home/someone/facts"}')
    (out / ".build-inputs.json").write_text('{"facts": "/home/someone/facts"}')
    (out / "widgetol" / ".aa.html.x1.tmp").write_text("half-written")
    (out / ".git").mkdir()
    (out / ".git" / "config").write_text("[core]")
    (tmp_path / "secret.txt").write_text(SECRET)
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "notes.txt").write_text(SECRET)
    (out / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (out / "escape").symlink_to(tmp_path / "private", target_is_directory=True)
    (out / "alias.html").symlink_to(out / "widgetol" / "aa.html")  # stays inside: fine
    # serve through a symlinked folder, so that "inside" must resolve the folder too
    (tmp_path / "served").symlink_to(out, target_is_directory=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(tmp_path / "served",
                                                                BuildState()))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port, out
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def request(port: int, path: str, method: str = "GET", host: str | None = "default"):
    """(status, headers, body text) for one request; host=None sends no Host header."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        if host is None:
            connection.putrequest(method, path, skip_host=True)
            connection.endheaders()
        else:
            if host == "default":
                host = f"127.0.0.1:{port}"
            connection.request(method, path, headers={"Host": host})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def test_host_header_must_name_this_computer(site):
    # a DNS-rebinding page at evil.example reaches 127.0.0.1 but sends its own host name
    port, _ = site
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1.evil.example:{port}",
                 f"localhost.evil.example:{port}", "localhost:1", f"127.0.0.2:{port}",
                 f"0.0.0.0:{port}", ""):
        for path in ("/widgetol/aa.html", "/__build"):
            for method in ("GET", "HEAD"):
                status, headers, body = request(port, path, method, host=host)
                assert status in (403, 421), (host, path, method, status)
                assert "Widgetol" not in body
                if method == "GET":
                    assert headers["Content-Type"].startswith("text/plain")
                    assert "127.0.0.1" in body and "Host" in body
    assert request(port, "/widgetol/aa.html", host=None)[0] in (403, 421)
    for host in (f"127.0.0.1:{port}", "127.0.0.1", f"localhost:{port}", "localhost",
                 f"LocalHost:{port}", f"[::1]:{port}", "[::1]"):
        status, _, body = request(port, "/widgetol/aa.html", host=host)
        assert status == 200 and "Widgetol" in body, host


def test_symlinks_leading_out_of_the_output_folder_are_not_served(site):
    port, _ = site
    for path in ("/leak.txt", "/escape/notes.txt", "/escape/"):
        for method in ("GET", "HEAD"):
            status, _, body = request(port, path, method)
            assert status == 404, (path, method, status)
            assert SECRET not in body
    status, _, body = request(port, "/alias.html")  # a symlink that stays inside is fine
    assert status == 200 and "Widgetol" in body


def test_dot_dot_traversal_is_refused(site):
    port, _ = site
    for path in ("/../secret.txt", "/widgetol/../../secret.txt", "/%2e%2e/secret.txt",
                 "/widgetol/%2E%2E/%2E%2E/secret.txt", "/..%2fsecret.txt",
                 "/widgetol/..%2F..%2Fsecret.txt", "/escape/../leak.txt",
                 # refused outright, not quietly collapsed to /index.html
                 "/widgetol/../index.html", "/./index.html"):
        status, _, body = request(port, path)
        assert status == 404, (path, status)
        assert SECRET not in body and "Index" not in body


def test_build_records_and_dot_files_are_not_served(site):
    # manifest.json and .build-inputs.json hold absolute paths on this computer
    port, _ = site
    for path in ("/manifest.json", "/manifest.json?x=1", "/.build-inputs.json",
                 "/%2ebuild-inputs.json", "/%6Danifest.json", "/widgetol/.aa.html.x1.tmp",
                 "/.git/config", "/.git/"):
        for method in ("GET", "HEAD"):
            status, _, body = request(port, path, method)
            assert status == 404, (path, method, status)
            assert "/home/someone" not in body and "[core]" not in body
    assert request(port, "/widgetol/aa.pdf")[0] == 200


def test_folders_without_index_html_are_not_listed(site):
    port, _ = site
    for path in ("/widgetol/", "/widgetol"):
        status, _, body = request(port, path)
        assert status == 404, (path, status)
        assert "aa.html" not in body and "aa.pdf" not in body
    status, _, body = request(port, "/")  # a folder with an index.html serves it
    assert status == 200 and "Index" in body and 'fetch("/__build"' in body


def test_head_gets_the_same_answer_as_get_without_a_body(site):
    port, _ = site
    for path in ("/widgetol/aa.html", "/", "/widgetol/aa.pdf", "/__build"):
        get_status, get_headers, get_body = request(port, path)
        head_status, head_headers, head_body = request(port, path, "HEAD")
        assert (head_status, head_body) == (get_status, ""), path
        # the reload script is added to HTML pages for HEAD too, so the lengths agree
        assert head_headers["Content-Length"] == get_headers["Content-Length"]
        assert int(get_headers["Content-Length"]) == len(get_body.encode())
        assert head_headers["Content-Type"] == get_headers["Content-Type"]


# --- the port -----------------------------------------------------------------------------

def test_port_in_use_is_a_usage_error_not_a_crash(run, content, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, stdout, stderr = run("watch", "--facts", str(content),
                                   "--output", str(tmp_path / "out"), "--port", str(port))
    assert code == 2
    assert "Traceback" not in stderr and "internal error" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert f"port {port}" in lines[0] and "in use" in lines[0] and "--port" in lines[0]


def test_port_must_be_a_port_number(capsys):
    from factsheet import cli

    for bad in ("70000", "65536", "-1", "eighty"):
        try:
            cli.make_parser().parse_args(["watch", "--port", bad])
        except SystemExit as exc:
            assert exc.code == 2
        else:
            raise AssertionError(f"--port {bad} should be refused")
        err = capsys.readouterr().err
        assert "--port" in err and "1 to 65535" in err and "Traceback" not in err
    assert cli.make_parser().parse_args(["watch", "--port", "65535"]).port == 65535
    assert cli.make_parser().parse_args(["watch", "--port", "0"]).port == 0  # any free port
    try:
        cli.make_parser().parse_args(["--help"])
    except SystemExit:
        pass
    assert "0 picks any free port" in " ".join(capsys.readouterr().out.split())
