"""Shared helpers for the benchmarks: a generated data set on disk, and a timer."""

from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent


def dataset(members: int, links_per_member: float = 1.25) -> Path:
    """The folder of a generated district (made once, kept under benchmarks/data/)."""
    from partygraph import synthetic

    folder = HERE / "data" / f"district_{members}"
    if not (folder / "members.csv").exists():
        t = time.perf_counter()
        tables = synthetic.district(members, seed=0, links_per_member=links_per_member)
        synthetic.write(tables, folder)
        print(f"generated in {time.perf_counter() - t:.1f} s: "
              + ", ".join(f"{len(v):,} {k}" for k, v in tables.items()))
    return folder


@contextmanager
def timed(label: str, results: dict[str, float]):
    t = time.perf_counter()
    yield
    results[label] = time.perf_counter() - t
    print(f"{label:<55} {results[label]:7.2f} s")
