"""Progress bars and the package's logger.

partygraph logs to the ``partygraph`` logger and adds no handler of its own (the application
decides where messages go: ``logging.basicConfig(level=logging.INFO)`` shows them). Long work
— loading and validation, label permutations, betweenness, matching, the generator, the
report and workbook writers, the assessment's steps — shows a progress bar through
``tqdm.auto`` (a widget in Jupyter, text on stderr elsewhere) when progress is on:
``pg.config.progress`` ``True`` or ``False``, or ``None`` (the default) for *on in Jupyter, off
in plain scripts*. The command line turns it on; ``-q`` turns it off.

Examples
--------
>>> from partygraph.progress import bar, showing
>>> showing(False)
False
>>> with bar(3, "steps", show=False) as b:
...     b.update(3)
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from .settings import config

__all__ = ["bar", "logger", "showing", "track"]

#: The package's logger (no handler: the application chooses).
logger = logging.getLogger("partygraph")
logger.addHandler(logging.NullHandler())


def _in_jupyter() -> bool:
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    try:
        shell = ipython.get_ipython()
    except Exception:
        return False
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def showing(flag: bool | None = None) -> bool:
    """Whether progress is shown: ``flag`` if given, else ``pg.config.progress``, where
    ``None`` means on in Jupyter and off elsewhere."""
    if flag is not None:
        return bool(flag)
    if config.progress is None:
        return _in_jupyter()
    return bool(config.progress)


class _Silent:
    """What :func:`bar` gives when progress is off: the same methods, doing nothing."""

    n = 0

    def update(self, n: int = 1) -> None:
        self.n += n

    def set_description(self, desc: str | None = None, refresh: bool = True) -> None:
        pass

    def set_postfix_str(self, s: str = "", refresh: bool = True) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> _Silent:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def bar(total: int | None, desc: str, unit: str = "step", show: bool | None = None) -> Any:
    """A ``tqdm.auto`` progress bar, or a silent stand-in when progress is off."""
    if not showing(show):
        return _Silent()
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True,
                mininterval=0.2, leave=True)


def track(items: Iterable, total: int | None = None, desc: str = "", unit: str = "it",
          show: bool | None = None) -> Iterator:
    """``items``, with a progress bar when progress is on."""
    if not showing(show):
        yield from items
        return
    with bar(total if total is not None else (len(items) if hasattr(items, "__len__")
                                              else None), desc, unit, True) as b:
        for x in items:
            yield x
            b.update(1)
