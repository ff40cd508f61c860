"""Render PDFs, in a pool of worker processes when there are several to do.

WeasyPrint costs about half a second to import and then a fraction of a second per
document, so each worker imports it and sets up its fonts once, then renders many
documents.  With one job (or one document) everything runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from ..paths import inside
from .write import atomic_write


@dataclass(frozen=True)
class PdfJob:
    path: Path
    html: str
    base_url: str
    title: str
    lang: str
    author: str
    identifier: bytes  # from the content, so the same inputs give the same bytes
    allowed: tuple[Path, ...] = ()  # the folders WeasyPrint may read files from


class RefusedResource(Exception):
    """A handout asked WeasyPrint for something the project did not ship."""

    def __init__(self, path: Path, url: str):
        super().__init__(path, url)
        self.path, self.url = path, url


def _fetcher(allowed: tuple[Path, ...]):
    """A URL fetcher that reads only ``data:`` URIs and files inside ``allowed``.

    Everything a handout needs is embedded or shipped (templates, fonts), so any other
    request, to the web, to the local network or to a file elsewhere, can only come from
    a mistake or an attack, and stops the build instead of being quietly embedded.
    """
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class Restricted(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file" and parts.netloc in ("", "localhost"):
                path = Path(unquote(parts.path))
                if any(inside(folder, path) for folder in allowed) and path.is_file():
                    return super().fetch(url, headers)
            raise FatalURLFetchingError(url)

    return Restricted(allowed_protocols=("data", "file"), allow_redirects=False)


_font_config = None  # one per process
_parent: int | None = None  # in a worker: the build process that started it


def _start_pool_worker(scratch: str) -> None:
    _watch_parent()
    # WeasyPrint's font folders go where the parent process removes them
    tempfile.tempdir = scratch
    _start_worker()


def _start_worker() -> None:
    global _font_config
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    _font_config = FontConfiguration()
    weasyprint.HTML(string="<p>warm</p>").render(font_config=_font_config)


def _watch_parent() -> None:
    """End this worker as soon as the build that started it is gone.

    A build killed outright (kill -9, a crash) cannot stop its workers: they would finish
    the PDFs they hold, writing them over a later build's, then wait for work forever.
    When the parent dies the worker is handed to another process, so its parent id
    changes: that is the signal, checked every half second and before writing.
    """
    import threading

    global _parent
    _parent = os.getppid()

    def watch() -> None:
        while os.getppid() == _parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _orphaned() -> bool:
    return _parent is not None and os.getppid() != _parent


def render_one(job: PdfJob) -> float:
    """Render and write one PDF.  Returns the seconds it took."""
    import weasyprint

    if _font_config is None:
        _start_worker()
    from weasyprint.urls import FatalURLFetchingError

    started = time.perf_counter()
    try:
        document = weasyprint.HTML(string=job.html, base_url=job.base_url,
                                   url_fetcher=_fetcher(job.allowed)).render(
            font_config=_font_config)
    except FatalURLFetchingError as refused:  # a BaseException: make it an ordinary error
        raise RefusedResource(job.path, str(refused.args[0] if refused.args else "")) from None
    document.metadata.title = job.title
    document.metadata.lang = job.lang
    document.metadata.authors = [job.author]
    # PDF/UA-1: tagged structure, language and title, so screen readers can read the PDF
    pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=job.identifier)
    if _orphaned():  # the build was killed while this rendered: its output is not wanted
        os._exit(1)
    atomic_write(job.path, pdf)
    return time.perf_counter() - started


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def render_all(jobs: list[PdfJob], workers: int,
               progress: Callable[[int, int], None] | None = None,
               landed: Callable[[PdfJob], None] | None = None) -> list[float]:
    """Render every job; ``progress(done, total)`` and ``landed(job)`` are called as each
    finishes, in this process."""
    if not jobs:
        return []
    if workers <= 1 or len(jobs) == 1:
        seconds = []
        for done, job in enumerate(jobs, 1):
            seconds.append(render_one(job))
            if landed:
                landed(job)
            if progress:
                progress(done, len(jobs))
        return seconds
    seconds = []
    # "spawn" gives each worker a clean process: forking would copy this process's font
    # files and threads (watch mode serves pages from a thread), which WeasyPrint cleans up
    context = multiprocessing.get_context("spawn")
    # workers end without running WeasyPrint's clean-up, which would leave a font folder
    # per worker in the temp folder after every build: give them one folder to share
    scratch = tempfile.mkdtemp(prefix="factsheet-render-")
    try:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context,
                                 initializer=_start_pool_worker, initargs=(scratch,)) as pool:
            futures = {pool.submit(render_one, job): job for job in jobs}
            for done, future in enumerate(as_completed(futures), 1):
                seconds.append(future.result())  # a failure stops the build with its error
                if landed:
                    landed(futures[future])
                if progress:
                    progress(done, len(jobs))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return seconds
