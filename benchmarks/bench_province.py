"""Benchmark: ``partygraph assess`` on a province (one data set per district) on Dask.

Targets (issue 18): 8 districts × 250,000 members (2M) in under 5 minutes with peak memory
under 4 GB in all; 5,000,000 members in 20 districts in under 12 minutes, on this 2-core
machine. Run by hand:

    python benchmarks/bench_province.py --districts 8 --members 2000000
    python benchmarks/bench_province.py --districts 20 --members 5000000

The province is generated once (``partygraph synth --districts N -n MEMBERS``, real district
codes of Chongqing from ``../shared/reference`` when it is there) and kept under
``benchmarks/data/``. The command runs as a user runs it, in a subprocess; the memory is the
sum of the resident memory of the command and every process it starts (the Dask scheduler
and workers), sampled every 0.2 s, and its peak is reported with the peak of the largest
single process. Each district's own time and peak (measured by its worker) are printed too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from common import HERE

REFERENCE = HERE.parent.parent / "shared" / "reference"


def province(districts: int, members: int) -> Path:
    folder = HERE / "data" / f"province_{districts}x{members}"
    if not (folder / "truth" / "cross_ties.csv").exists():
        shutil.rmtree(folder, ignore_errors=True)
        cmd = [sys.executable, "-m", "partygraph", "synth", "--districts", str(districts),
               "-n", str(members), "-o", str(folder), "--encoding", "utf-8"]
        if (REFERENCE / "areas.csv").exists():
            cmd += ["--province", "50", "--areas-csv", str(REFERENCE / "areas.csv"),
                    "--streets-csv", str(REFERENCE / "streets.csv")]
        t = time.perf_counter()
        subprocess.run(cmd, check=True)
        print(f"generated in {time.perf_counter() - t:.0f} s")
    return folder


def _tree_rss(pid: int) -> tuple[int, int]:
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0, 0
    sizes = []
    for p in procs:
        try:
            sizes.append(p.memory_info().rss)
        except psutil.NoSuchProcess:
            pass
    return sum(sizes), max(sizes, default=0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--districts", type=int, default=8)
    ap.add_argument("--members", type=int, default=2_000_000)
    ap.add_argument("--permutations", type=int, default=200)
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    src = province(args.districts, args.members)
    out = HERE / "out" / f"province_{args.districts}x{args.members}"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "partygraph", "assess", str(src), "-o", str(out),
           "--permutations", str(args.permutations), "-q"]
    if args.workers is not None:
        cmd += ["--workers", str(args.workers)]
    print(" ".join(cmd))
    peak = [0, 0]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env={**os.environ, "PYTHONUNBUFFERED": "1"})

    def sample() -> None:
        while proc.poll() is None:
            total, largest = _tree_rss(proc.pid)
            peak[0], peak[1] = max(peak[0], total), max(peak[1], largest)
            time.sleep(0.2)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    proc.wait()
    total = time.perf_counter() - t
    th.join()
    assert proc.returncode == 0, proc.returncode
    print(f"{args.districts} districts, {args.members:,} members: {total:.0f} s "
          f"({total / 60:.1f} min); peak memory of all processes {peak[0] / 2**30:.2f} GB, "
          f"of the largest one {peak[1] / 2**30:.2f} GB")
    import pandas as pd

    runs = pd.read_excel(out / "assessment.xlsx", sheet_name="各区县运行情况", engine="openpyxl")
    print(runs.to_string(index=False))
    for f in sorted(out.iterdir()):
        if f.is_file():
            print(f"  {f.name:<18} {f.stat().st_size / 1e6:6.1f} MB")


if __name__ == "__main__":
    main()
