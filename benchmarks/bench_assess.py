"""Benchmark: ``partygraph assess`` on a 100,000-member district, and the report in a browser.

Targets (issue 7): the command under 30 s end to end (reading, every analysis with 200
permutations, report.html, assessment.xlsx, network.html); the report opens in a browser in
under 3 s. Run by hand:

    python benchmarks/bench_assess.py [--members 100000] [--permutations 200]

The command runs as a user runs it (a subprocess, ``partygraph assess DIR -o OUT``), so
the time includes starting Python and importing everything. The browser part opens
``report.html`` from disk in headless Chromium (through playwright, as the tests do) and
times navigation to the ``load`` event, to the tables being ready and to the network's
first drawing, each the median of three fresh pages.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import HERE, dataset


def _browser_times(report: Path, runs: int = 3) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    out: dict[str, list[float]] = {"load event": [], "tables ready": [], "network drawn": []}
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for _ in range(runs):
            page = b.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            t = time.perf_counter()
            page.goto(report.as_uri(), wait_until="load", timeout=60000)
            out["load event"].append(time.perf_counter() - t)
            page.wait_for_function(
                "document.querySelectorAll('.pg-table:not([data-ready])').length === 0")
            out["tables ready"].append(time.perf_counter() - t)
            page.wait_for_selector("#pg-network[data-drawn='1']", timeout=60000)
            out["network drawn"].append(time.perf_counter() - t)
            assert not errors, errors
            page.close()
        b.close()
    return {k: statistics.median(v) for k, v in out.items()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--permutations", type=int, default=200)
    args = ap.parse_args()
    data = dataset(args.members)
    out = HERE / "out" / f"assess_{args.members}"
    shutil.rmtree(out, ignore_errors=True)
    exe = shutil.which("partygraph") or f"{sys.executable} -m partygraph.cli"
    cmd = [*exe.split(), "assess", str(data), "-o", str(out), "--permutations",
           str(args.permutations)]
    print(" ".join(cmd))
    t = time.perf_counter()
    subprocess.run(cmd, check=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    total = time.perf_counter() - t
    print(f"partygraph assess end to end: {total:.1f} s (target < 30 s)")
    for f in sorted(out.iterdir()):
        print(f"  {f.name:<18} {f.stat().st_size / 1e6:6.1f} MB")
    times = _browser_times(out / "report.html")
    for k, v in times.items():
        print(f"report.html in Chromium, {k:<14} {v:5.2f} s (median of 3; target < 3 s)")


if __name__ == "__main__":
    main()
