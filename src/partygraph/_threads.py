"""Work split over threads, for numeric kernels that let go of the interpreter.

NumPy's gathers and reductions, SciPy's sparse products and Arrow's kernels run without
Python's lock, so independent pieces of one analysis (blocks of rows, batches of sources,
permutations) run side by side on the machine's cores. How many threads:
``pg.config.threads`` (default: every core; 1: none). A province's workers each run with
one thread, as each is one process of a cluster.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from .progress import track
from .settings import config

T = TypeVar("T")
R = TypeVar("R")


def threads() -> int:
    """The number of threads heavy kernels use (at least 1)."""
    n = config.threads if config.threads is not None else (os.cpu_count() or 1)
    return max(1, int(n))


def thread_map(fn: Callable[[T], R], items: Iterable[T], desc: str = "",
               unit: str = "it") -> list[R]:
    """``[fn(x) for x in items]``, run on :func:`threads` threads, results in order (with a
    progress bar named ``desc`` when progress is on)."""
    items = list(items)
    n = min(threads(), len(items))

    def shown(results: Iterable[R]) -> list[R]:
        if not desc:  # no bar of its own (the caller's bar counts)
            return list(results)
        return list(track(results, total=len(items), desc=desc, unit=unit))

    if n <= 1:
        return shown(fn(x) for x in items)
    with ThreadPoolExecutor(n) as pool:
        return shown(pool.map(fn, items))
