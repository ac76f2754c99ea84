"""Change over time at scale: ``pg.compare`` on a pair of years of a 1,000,000-member district.

Run by hand: ``python benchmarks/bench_compare.py [N_MEMBERS]`` (default 1,000,000). Generates
the district and its next year (``synthetic.next_year``), loads both, and times ``compare``
and each of its parts; prints peak memory.
"""

from __future__ import annotations

import resource
import sys
import time

import partygraph as pg
from partygraph import synthetic


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    t0 = time.perf_counter()
    g = synthetic.district(n, seed=1)
    h = synthetic.next_year(g, seed=2, closed=200, new=100, out_of_walls=150, into_walls=50,
                            renamed=100)
    t1 = time.perf_counter()
    before, after = pg.from_frames(**g, strict=False), pg.from_frames(**h, strict=False)
    t2 = time.perf_counter()
    c = pg.compare(before, after)
    t3 = time.perf_counter()
    planted = h.truth["changes"]["gaps"]
    found = c.gaps[c.gaps["change"] != "persisting"]
    exact = set(map(tuple, found[["rule", "entity_id", "change"]].to_numpy())) == set(
        map(tuple, planted.to_numpy()))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    print(f"{n:,} members: generate both years {t1 - t0:.1f} s, load both {t2 - t1:.1f} s, "
          f"compare {t3 - t2:.1f} s; {len(c.gaps):,} gaps ({len(found):,} changed, exactly the "
          f"planted ones: {exact}), {len(c.statuses):,} units, {len(c.rates):,} rates; "
          f"peak {peak:.1f} GB")


if __name__ == "__main__":
    main()
