"""Benchmark: the generator at province scale.

Target (issue 6): 5,000,000 members in under 2 minutes. Run by hand:

    python benchmarks/bench_synthetic.py [--members 5000000]
"""

from __future__ import annotations

import argparse
import resource

from common import timed

from partygraph import synthetic


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=5_000_000)
    args = ap.parse_args()
    res: dict[str, float] = {}
    with timed(f"synthetic.district({args.members:,}) with planted truth", res):
        g = synthetic.district(args.members, seed=0)
    print(", ".join(f"{len(v):,} {k}" for k, v in g.items()))
    print(f"truth: {len(g.truth['gaps']):,} gaps, {len(g.truth['status']):,} unit statuses")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory {peak:,.0f} MB")


if __name__ == "__main__":
    main()
