"""Benchmark: load and validate 1,000,000 members, 200,000 units, 1,000,000 links.

Targets: at most 3x the time pandas alone takes to read the same CSV files, and peak memory
under 4 GB (issue 2); at most the time pandas takes to read them as text, ids kept (issue 18).
Run by hand (not in CI):

    python benchmarks/bench_loading.py [--members 1000000]

Each measurement runs in a fresh process so that peak memory (max RSS) is its own.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

PANDAS_ONLY = """
import time, resource, json, sys
from pathlib import Path
import pandas as pd
t = time.perf_counter()
for f in sorted(Path(sys.argv[1]).glob('*.csv')):
    pd.read_csv(f)
print(json.dumps({'seconds': time.perf_counter() - t,
                  'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

PANDAS_TEXT = """
import time, resource, json, sys
from pathlib import Path
import pandas as pd
t = time.perf_counter()
for f in sorted(Path(sys.argv[1]).glob('*.csv')):
    pd.read_csv(f, dtype=str, keep_default_na=False, na_values=[''])
print(json.dumps({'seconds': time.perf_counter() - t,
                  'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

PARTYGRAPH = """
import time, resource, json, sys
import partygraph as pg
import partygraph.dataset  # imported before the clock starts, as pandas is above
t = time.perf_counter()
net = pg.read_dataset(sys.argv[1])
print(json.dumps({'seconds': time.perf_counter() - t,
                  'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  'rows': {k: len(v) for k, v in net.tables.items()}}))
"""


def run(code: str, folder: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from partygraph import synthetic

    folder = HERE / "data" / f"district_{args.members}"
    if not (folder / "members.csv").exists():
        t = time.perf_counter()
        tables = synthetic.district(args.members, seed=0, links_per_member=1.25)
        synthetic.write(tables, folder)
        print(f"generated in {time.perf_counter() - t:.1f} s: "
              + ", ".join(f"{len(v):,} {k}" for k, v in tables.items()))
    # interleaved, so that a machine that slows down or speeds up treats all three alike;
    # the best of each
    runs: dict[str, list[dict]] = {"base": [], "text": [], "ours": []}
    for _ in range(args.repeat):
        for key, code in (("base", PANDAS_ONLY), ("text", PANDAS_TEXT), ("ours", PARTYGRAPH)):
            runs[key].append(run(code, folder))
    base, text, ours = (min(runs[k], key=lambda r: r["seconds"]) for k in ("base", "text", "ours"))
    print(f"rows: {ours['rows']}")
    print(f"pandas.read_csv alone : {base['seconds']:.2f} s, peak {base['peak_mb']:.0f} MB")
    print(f"pandas.read_csv(dtype=str), ids kept as text: {text['seconds']:.2f} s, "
          f"peak {text['peak_mb']:.0f} MB")
    print(f"partygraph.read_dataset: {ours['seconds']:.2f} s, peak {ours['peak_mb']:.0f} MB")
    ratio = ours["seconds"] / base["seconds"]
    print(f"ratio {ratio:.2f}x against default read_csv, "
          f"{ours['seconds'] / text['seconds']:.2f}x against read_csv(dtype=str) "
          "(target <= 1.0x, issue 18; 3x, issue 2); peak memory target < 4096 MB")


if __name__ == "__main__":
    main()
