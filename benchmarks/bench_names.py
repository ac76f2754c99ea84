"""Benchmark: loading a ledger that names things instead of giving ids.

The 1,000,000-member district is written twice: by id, and with every member's org and work
unit and every link's ends given by name wherever that name is unique (as a 台账 writes
them). Target (issue 15): loading by name takes at most 1.5 x loading by id. Run by hand:

    python benchmarks/bench_names.py [--members 1000000]
"""

from __future__ import annotations

import argparse
import time
import warnings

import pandas as pd
from common import HERE, dataset

import partygraph as pg


def by_name(src, dst) -> int:
    """Write a copy of the data set with references replaced by unique names."""
    dst.mkdir(parents=True, exist_ok=True)
    t = {f.stem: pd.read_csv(f, dtype=str, encoding="utf-8-sig") for f in src.glob("*.csv")}
    names = {}
    for tab in ("units", "orgs"):
        df = t[tab]
        unique = ~df["name"].duplicated(keep=False)
        names.update(dict(zip(df["id"][unique], df["name"][unique], strict=True)))
    changed = 0
    for tab, cols in (("members", ["org_id", "unit_id"]), ("links", ["source", "target"])):
        for c in cols:
            mapped = t[tab][c].map(names)
            changed += int(mapped.notna().sum())
            t[tab][c] = mapped.where(mapped.notna(), t[tab][c])
    for name, df in t.items():
        df.to_csv(dst / f"{name}.csv", index=False, encoding="utf-8-sig")
    return changed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=1_000_000)
    args = ap.parse_args()
    src = dataset(args.members)
    dst = HERE / "data" / f"ledger_{args.members}"
    if not (dst / "members.csv").exists():
        print(f"{by_name(src, dst):,} references written as names")
    times = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for label, path in (("by id", src), ("by name", dst)):
            best = float("inf")
            for _ in range(2):
                t0 = time.perf_counter()
                net = pg.read_dataset(path, strict=False)
                best = min(best, time.perf_counter() - t0)
            times[label] = best
            info = net.report[net.report["severity"] == "info"]
            print(f"read_dataset {label:<8} {best:6.2f} s   {len(info)} info lines, "
                  f"{int((net.report['severity'] == 'error').sum())} errors")
    print(f"by name / by id = {times['by name'] / times['by id']:.2f} (target ≤ 1.5)")


if __name__ == "__main__":
    main()
