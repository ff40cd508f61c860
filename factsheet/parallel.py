"""Render PDFs, in a pool of worker processes when there are several to do.

WeasyPrint costs about half a second to import and then a fraction of a second per
document, so each worker imports it and sets up its fonts once, then renders many
documents.  With one job (or one document) everything runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

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


_font_config = None  # one per process


def _start_worker() -> None:
    global _font_config
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    _font_config = FontConfiguration()
    weasyprint.HTML(string="<p>warm</p>").render(font_config=_font_config)


def render_one(job: PdfJob) -> float:
    """Render and write one PDF.  Returns the seconds it took."""
    import weasyprint

    if _font_config is None:
        _start_worker()
    started = time.perf_counter()
    document = weasyprint.HTML(string=job.html, base_url=job.base_url).render(
        font_config=_font_config)
    document.metadata.title = job.title
    document.metadata.lang = job.lang
    document.metadata.authors = [job.author]
    # PDF/UA-1: tagged structure, language and title, so screen readers can read the PDF
    pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=job.identifier)
    atomic_write(job.path, pdf)
    return time.perf_counter() - started


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def render_all(jobs: list[PdfJob], workers: int,
               progress: Callable[[int, int], None] | None = None) -> list[float]:
    """Render every job; ``progress(done, total)`` is called as they finish."""
    if not jobs:
        return []
    if workers <= 1 or len(jobs) == 1:
        seconds = []
        for done, job in enumerate(jobs, 1):
            seconds.append(render_one(job))
            if progress:
                progress(done, len(jobs))
        return seconds
    seconds = []
    # "spawn" gives each worker a clean process: forking would copy this process's font
    # files and threads (watch mode serves pages from a thread), which WeasyPrint cleans up
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context,
                             initializer=_start_worker) as pool:
        futures = [pool.submit(render_one, job) for job in jobs]
        for done, future in enumerate(as_completed(futures), 1):
            seconds.append(future.result())  # a failure stops the build with its error
            if progress:
                progress(done, len(jobs))
    return seconds
