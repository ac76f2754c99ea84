"""Build ``datasets/demo_next``: the demo district a year later, with changes planted by
:func:`partygraph.synthetic.next_year` and their truth in ``demo_next/truth``.

Run from the repository root: ``python datasets/build_next_year.py``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import partygraph as pg
from partygraph import synthetic

HERE = Path(__file__).resolve().parent


def main() -> None:
    demo = HERE / "demo"
    tables = {p.stem: pd.read_csv(p, dtype=str, encoding="utf-8-sig")
              for p in sorted(demo.glob("*.csv"))}
    net = pg.read_dataset(demo)  # typed tables, as the generator made them
    truth = {k: pd.read_csv(demo / "truth" / f"{k}.csv", dtype=str, encoding="utf-8-sig")
             for k in ("gaps", "status")}
    g = synthetic.Generated({k: net.tables[k] for k in tables}, truth)
    h = synthetic.next_year(g, seed=2024, closed=20, new=10, out_of_walls=15, into_walls=5,
                            renamed=10)
    out = HERE / "demo_next"
    synthetic.write(h, out, encoding="utf-8-sig")
    (out / "truth").mkdir(exist_ok=True)
    for k, df in h.truth["changes"].items():
        df.to_csv(out / "truth" / f"changes_{k}.csv", index=False, encoding="utf-8-sig")
    h.truth["gaps"].to_csv(out / "truth" / "gaps.csv", index=False, encoding="utf-8-sig")
    h.truth["status"].to_csv(out / "truth" / "status.csv", index=False, encoding="utf-8-sig")


if __name__ == "__main__":
    main()
