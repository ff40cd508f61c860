"""Watch mode: rebuild on every save, and serve output/ with pages that reload themselves.

The process stays warm (WeasyPrint is imported once), so the time from saving a fact to
an updated PDF is about one render.  A broken file does not stop it: the error is
printed, and the next save is tried again.
"""

from __future__ import annotations

import errno
import io
import sys
import threading
import time
import urllib.parse
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .fastpath import STATE
from .manifest import MANIFEST
from ..paths import inside
from .pipeline import Options, UsageError, build
from ..problems import ContentError
from ..output.render import TEMPLATES

DEBOUNCE_MS = 300
RELOAD = b"""<script>
/* added by 'build.py watch' only: reload when a new build is ready */
(function () {
  var seen = null;
  function poll() {
    fetch("/__build", {cache: "no-store"}).then(function (r) { return r.text(); })
      .then(function (id) { if (seen === null) { seen = id; } else if (id !== seen) { location.reload(); } })
      .catch(function () {}).finally(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
</script>
"""


class BuildState:
    def __init__(self) -> None:
        self.build_id = 0
        self.lock = threading.Lock()

    def bump(self) -> None:
        with self.lock:
            self.build_id += 1


# Names never served, in any folder: the build records hold absolute paths on this computer.
# Dot-files (.build-inputs.json, half-written .name.tmp files, .git) are refused as well.
PRIVATE = {MANIFEST, STATE}
# The server listens on 127.0.0.1 only, but a web page can still reach it by "DNS rebinding"
# (its own host name made to resolve to 127.0.0.1).  The browser then sends that page's host
# name in the Host header, so only names that mean this computer are answered.
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]"}


def make_handler(folder: Path, state: BuildState):
    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(folder), **kwargs)

        # http.server's do_GET and do_HEAD both call send_head, so every check below (and
        # the reload script) applies to HEAD exactly as to GET; HEAD just gets no body.
        def send_head(self):
            port = self.server.server_port
            host = (self.headers.get("Host") or "").lower()
            if host not in LOCAL_HOSTS and host.removesuffix(f":{port}") not in LOCAL_HOSTS:
                return self._send(403, f"Refused: this development server answers only "
                                       f"http://127.0.0.1:{port}/ or http://localhost:{port}/ "
                                       f"(the Host header named {host or 'nothing'!r}).\n")
            url_path = urllib.parse.urlsplit(self.path).path
            if url_path == "/__build":
                return self._send(200, str(state.build_id))
            path = self._file(url_path)
            if path is None:
                return self._send(404, "Not found.\n")
            if path.suffix == ".html":
                page = path.read_bytes().replace(b"</body>", RELOAD + b"</body>", 1)
                return self._send(200, page, "text/html; charset=utf-8")
            return self._send(200, path.read_bytes(), self.guess_type(str(path)))

        def _file(self, url_path: str) -> Path | None:
            """The file to serve for this URL path, or None for "not found"."""
            parts = urllib.parse.unquote(url_path).split("/")
            # refuse ".." and "." outright rather than letting http.server collapse them;
            # no dot-file or build record either (casefold: macOS file names ignore case)
            if any(p.startswith(".") or p.casefold() in PRIVATE or "\0" in p for p in parts):
                return None
            path = folder.joinpath(*filter(None, parts))
            try:
                if path.is_dir():
                    path = path / "index.html"  # no directory listings: a folder needs one
                # every symlink followed, the file must still be inside the output folder
                if not inside(folder, path) or not path.is_file():
                    return None
                return path.resolve()
            except OSError:  # e.g. a name too long for the system: not a file we serve
                return None

        def _send(self, code: int, body: bytes | str, kind: str = "text/plain; charset=utf-8"):
            """Send the headers; return the body for do_GET to copy (do_HEAD drops it)."""
            body = body.encode() if isinstance(body, str) else body
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")  # always the latest build
            self.send_header("X-Content-Type-Options", "nosniff")  # text stays text
            self.end_headers()
            return io.BytesIO(body)

        def log_message(self, *args) -> None:  # keep the terminal for build messages
            pass

    return Handler


def rebuild(options: Options, root: Path, state: BuildState) -> None:
    started = time.perf_counter()
    try:
        result = build(options)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem.format(root), file=sys.stderr)
        print("Not rebuilt: fix the error above and save again.", file=sys.stderr, flush=True)
        return
    except Exception as exc:  # keep watching: the next save may fix it
        print(f"internal error: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
        return
    for rel, why in sorted(result.rebuilt.items()):
        print(f"{rel}: {'; '.join(why)}")
    print(f"rebuilt {len(result.rebuilt)} output(s) in {time.perf_counter() - started:.2f}s",
          flush=True)
    if result.written or result.deleted:
        state.bump()


def watch(options: Options, *, port: int, root: Path) -> int:
    import watchfiles

    options.output.mkdir(parents=True, exist_ok=True)
    state = BuildState()
    server = _serve(port, make_handler(options.output, state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    print(f"Serving {options.output} at http://127.0.0.1:{server.server_port}/ "
          "(Ctrl+C to stop)", flush=True)
    options.jobs = 1  # one warm process renders the few outputs a save touches
    rebuild(options, root, state)
    try:
        for _changes in watchfiles.watch(options.facts, TEMPLATES, debounce=DEBOUNCE_MS,
                                         raise_interrupt=False):
            rebuild(options, root, state)
    finally:
        server.shutdown()
    return 0


def _serve(port: int, handler) -> ThreadingHTTPServer:
    """The server on 127.0.0.1:port; a port that cannot be used is the user's to change."""
    if not 0 <= port <= 65535:  # argparse checks this too; watch() may be called directly
        raise UsageError(f"port {port} is not a port number: use --port with 1 to 65535.")
    try:
        return ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} is already in use (is 'build.py watch' already "
                             f"running?): stop that program or choose another port with "
                             f"--port, e.g. --port {port + 1 if port < 65535 else 8001}."
                             ) from None
        if exc.errno == errno.EACCES:
            raise UsageError(f"port {port} needs administrator rights on this computer: "
                             "choose a port above 1023 with --port, e.g. --port 8000.") from None
        raise
