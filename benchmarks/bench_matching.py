"""Benchmark: needs ↔ resources matching, 20,000 demands × 20,000 resources in one city.

Target (issue 5): about 1,000,000 candidate pairs, optimal assignment in under 10 s and
under 2 GB. Run by hand:

    python benchmarks/bench_matching.py [--members 800000] [--streets 50]

The generator gives one demand and one resource per 40 members (20,000 each for 800,000
members); 50 streets make the street-level candidate pairs about 1,000,000 (20,000² / 8
categories / 50 streets). Memory is the peak resident size during the call (Linux
``VmHWM``, reset before the call), which includes the network already in memory.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
from common import timed

import partygraph as pg
from partygraph import synthetic


def _rss_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:  # not Linux, or not allowed: the peak is then since start
        pass


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=800_000)
    ap.add_argument("--streets", type=int, default=50)
    args = ap.parse_args()
    t = time.perf_counter()
    streets = pd.DataFrame({"code": [f"990101{i + 1:03d}" for i in range(args.streets)],
                            "name": [f"第{i + 1}街道" for i in range(args.streets)]})
    tables = synthetic.district(args.members, seed=0, streets=streets)
    net = synthetic.to_network(tables)
    print(f"{net}\nbuilt in {time.perf_counter() - t:.1f} s")
    pg.walled_in_units(net)  # actors and ties are cached with the network's first analysis
    res: dict[str, float] = {}
    for label, kw in [("suggest_matches within street", dict(within="street")),
                      ("suggest_matches within street, owner cap 3",
                       dict(within="street", owner_cap=3)),
                      ("suggest_matches within street, pair first",
                       dict(within="street", pair_first=True))]:
        _reset_peak()
        base = _rss_mb("VmRSS")
        with timed(label, res):
            m = pg.suggest_matches(net, **kw)
        peak = _rss_mb("VmHWM")
        print(f"    {len(m.candidates):,} candidates, {len(m.suggestions):,} suggestions, "
              f"{len(m.unmet):,} unmet, total score {m.objective:,.1f}, {m.method}; "
              f"RSS before {base:,.0f} MB, peak during {peak:,.0f} MB")
    c = m.candidates
    d = net.tables["demands"].set_index("id")["quantity"]
    r = net.tables["resources"].set_index("id")["quantity"]
    with timed("optimal_assignment alone on those candidates", res):
        x = pg.optimal_assignment(c, d, r)
    print(f"    total {float(np.round((x * c['score']).sum(), 3)):,.1f}")


if __name__ == "__main__":
    main()
