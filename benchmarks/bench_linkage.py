"""Benchmark: walls and linkage on 200,000 actors and about 2,000,000 horizontal ties.

Targets (issue 4): ties, walls, matrix, E-I and participation under 15 s; 1,000 label
permutations under 30 s. Run by hand:

    python benchmarks/bench_linkage.py [--members 1000000] [--permutations 1000]

The generated district has 200,000 units; its links and projects give the ties.
"""

from __future__ import annotations

import argparse

from common import dataset, timed

import partygraph as pg


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=1_000_000)
    ap.add_argument("--permutations", type=int, default=1000)
    args = ap.parse_args()
    net = pg.read_dataset(dataset(args.members))
    print(net)
    res: dict[str, float] = {}
    with timed("actors", res):
        a = pg.actors(net)
    with timed("horizontal_ties (with the four crossings)", res):
        ties = pg.horizontal_ties(net)
    with timed("walled_in_units", res):
        pg.walled_in_units(net, ties=ties)
    with timed("domain_linkage: matrix, E-I, segregation, participation", res):
        pg.domain_linkage(net, ties=ties)
    core = sum(res.values())
    print(f"{len(a.frame):,} actors, {len(ties):,} horizontal ties; "
          f"core total {core:.2f} s (target < 15 s)")
    perm: dict[str, float] = {}
    with timed(f"domain_linkage with {args.permutations} permutations", perm):
        dl = pg.domain_linkage(net, ties=ties, permutations=args.permutations, seed=1)
    print(f"permutations alone ≈ {perm[next(iter(perm))] - res[list(res)[-1]]:.2f} s "
          "(target < 30 s)")
    print(dl.significance.head(3).to_string())


if __name__ == "__main__":
    main()
