"""Per-step wall-clock timings of a build, for ``--timings``."""

from __future__ import annotations

import time
from contextlib import contextmanager


class Timings:
    def __init__(self) -> None:
        self.steps: dict[str, float] = {}

    @contextmanager
    def __call__(self, step: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.steps[step] = self.steps.get(step, 0.0) + time.perf_counter() - started

    def table(self) -> str:
        total = sum(self.steps.values())
        rows = [f"  {step:<8} {seconds:7.3f} s" for step, seconds in self.steps.items()]
        return "\n".join(["timings:", *rows, f"  {'total':<8} {total:7.3f} s"])
