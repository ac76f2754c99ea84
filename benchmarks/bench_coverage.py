"""Benchmark: all coverage gaps and rates for 1,000,000 members and 200,000 units.

Target (issue 3): under 10 seconds on the 2-core machine. Run by hand:

    python benchmarks/bench_coverage.py [--members 1000000]
"""

from __future__ import annotations

import argparse

from common import dataset, timed

import partygraph as pg


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=1_000_000)
    ap.add_argument("--each", action="store_true", help="time each rule alone as well")
    args = ap.parse_args()
    net = pg.read_dataset(dataset(args.members))
    print(net)
    res: dict[str, float] = {}
    every = pg.CoverageRules.preset("jiangbei").replace(estate_without_org=True)
    with timed("coverage_gaps (national rules)", res):
        g = pg.coverage_gaps(net)
    with timed("coverage_gaps (every rule on)", res):
        g_all = pg.coverage_gaps(net, every)
    with timed("coverage_rates (overall)", res):
        pg.coverage_rates(net, rules=every)
    with timed("coverage_rates (by street and domain)", res):
        pg.coverage_rates(net, by=["street", "domain"], rules=every)
    with timed("coverage_rates (by community)", res):
        pg.coverage_rates(net, by="community", rules=every)
    with timed("member_view", res):
        pg.member_view(net)
    total = sum(res.values())
    print(f"{len(g):,} gaps (national), {len(g_all):,} gaps (every rule)")
    print(f"total {total:.2f} s (target < 10 s for all gaps and all rates)")
    if args.each:
        # each rule alone, from nothing the network made before (issue 18: under 5 s each)
        import dataclasses

        names = [f.name for f in dataclasses.fields(pg.CoverageRules)
                 if f.type in (bool, "bool")]
        off = pg.CoverageRules(**dict.fromkeys(names, False))
        for rule in names:
            net.forget_made()
            with timed(f"coverage_gaps ({rule} alone)", res):
                pg.coverage_gaps(net, off.replace(**{rule: True}))


if __name__ == "__main__":
    main()
