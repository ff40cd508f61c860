"""Watch mode: rebuild on every save, and serve output/ with pages that reload themselves.

The process stays warm (WeasyPrint is imported once), so the time from saving a fact to
an updated PDF is about one render.  A broken file does not stop it: the error is
printed, and the next save is tried again.
"""

from __future__ import annotations

import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .pipeline import Options, build
from .problems import ContentError
from .render import TEMPLATES

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


def make_handler(folder: Path, state: BuildState):
    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(folder), **kwargs)

        def do_GET(self) -> None:  # noqa: N802 - the http.server name
            if self.path.split("?")[0] == "/__build":
                return self._send(str(state.build_id).encode(), "text/plain")
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            if path.suffix == ".html" and path.is_file():
                page = path.read_bytes().replace(b"</body>", RELOAD + b"</body>", 1)
                return self._send(page, "text/html; charset=utf-8")
            return super().do_GET()

        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

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
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(options.output, state))
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
