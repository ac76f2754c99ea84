"""Pictures a person can read: the network layout against ForceAtlas2 and graphviz sfdp, with
node and label overlap, layout time, and headless-Chromium screenshots.

Run by hand (not in CI): ``python benchmarks/bench_pictures.py [OUT_DIR]``. It needs Debian's
``chromium`` and the ``playwright`` package for the screenshots, and graphviz's ``sfdp`` for
that comparison (each part is skipped, and says so, when its tool is missing).

For each graph (the Jiangbei example, the demo, a generated district of about 1,500 actors)
and each layout (partygraph's clusters by place; networkx's ForceAtlas2; sfdp), with the same
node sizes and the same label rule (largest first, a label shown where it overlaps none), it
prints: layout seconds, node pairs that overlap, labels shown at the first (fitted) view and
the share of them that overlap another, and the share of *all* labels that would overlap if
every label were drawn (how crowded the layout is). Screenshots go to OUT_DIR.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np

import partygraph as pg
from partygraph import synthetic
from partygraph.layout import fit_zoom, label_levels, overlaps

OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/pictures")


def graphs():
    yield "jiangbei", pg.load_example("jiangbei")
    yield "demo", pg.load_example("demo")
    yield "district", pg.from_frames(**synthetic.district(7000, seed=2))


def _edges(view):
    idx = {k: i for i, k in enumerate(view.nodes["id"])}
    return (view.edges["source"].map(idx).to_numpy(), view.edges["target"].map(idx).to_numpy())


def fa2(view, seed=1):
    g = nx.Graph()
    g.add_nodes_from(range(len(view.nodes)))
    a, b = _edges(view)
    g.add_edges_from(zip(a.tolist(), b.tolist(), strict=True))
    size = dict(enumerate(view.nodes["size"].to_numpy()))
    # Gephi's defaults with node sizes (prevent overlap) and hubs dissuaded (distributed)
    pos = nx.forceatlas2_layout(g, max_iter=300, seed=seed, node_size=size,
                                distributed_action=True, scaling_ratio=10.0)
    return np.array([pos[i] for i in range(len(view.nodes))])


def sfdp(view):
    if shutil.which("sfdp") is None:
        return None
    a, b = _edges(view)
    size = view.nodes["size"].to_numpy()
    lines = ["graph G { overlap=prism; node [shape=circle, fixedsize=true];"]
    lines += [f'{i} [width={2 * s / 72:.3f}];' for i, s in enumerate(size)]
    lines += [f"{x} -- {y};" for x, y in zip(a.tolist(), b.tolist(), strict=True)]
    lines.append("}")
    out = subprocess.run(["sfdp", "-Tplain"], input="\n".join(lines), capture_output=True,
                         text=True, check=True).stdout
    pos = np.zeros((len(size), 2))
    for line in out.splitlines():
        p = line.split()
        if p and p[0] == "node":
            pos[int(p[1])] = float(p[2]) * 72, -float(p[3]) * 72
    return pos


def measure(pos, view):
    size = view.nodes["size"].to_numpy()
    names = view.nodes["label"]
    base = fit_zoom(pos, size)
    lv, side, off = label_levels(pos, size, names, view.nodes["ties"].to_numpy(float),
                                 base=base)
    shown = lv <= 1
    o = overlaps(pos, size, names, shown, side, off, font=12 / base)
    crowd = overlaps(pos, size, names, None, font=12 / base)  # every label drawn
    return o["node_overlap"], int(o["labels_shown"]), o["label_overlap"], crowd["label_overlap"]


def screenshot(pages: dict[str, Path]) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("playwright missing: no screenshots")
        return
    if chromium is None:
        print("chromium missing: no screenshots")
        return
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = b.new_page(viewport={"width": 1280, "height": 1000})
        for name, path in pages.items():
            page.goto(path.resolve().as_uri())
            if "report" in name:
                page.wait_for_selector(".pg-table[data-ready='1']")
                page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)
                page.locator("#walls").scroll_into_view_if_needed()
                page.screenshot(path=str(OUT / f"{name}-walls.png"))
            else:
                page.wait_for_selector("[data-drawn='1']", timeout=60000)
                page.wait_for_timeout(600)
                page.screenshot(path=str(OUT / f"{name}.png"))
        b.close()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    pages: dict[str, Path] = {}
    print(f"{'graph':10} {'layout':12} {'actors':>6} {'seconds':>8} {'node ovl':>8} "
          f"{'shown':>6} {'label ovl':>9} {'all-label ovl':>13}")
    for name, net in graphs():
        ties = pg.horizontal_ties(net)
        t0 = time.perf_counter()
        view = pg.network_view(net, ties=ties, max_nodes=2000, max_edges=200_000)
        ours = time.perf_counter() - t0
        pos = view.nodes[["x", "y"]].to_numpy()
        rows = [("partygraph", ours, pos)]
        t0 = time.perf_counter()
        p = fa2(view)
        rows.append(("forceatlas2", time.perf_counter() - t0, p))
        t0 = time.perf_counter()
        p = sfdp(view)
        if p is not None:
            rows.append(("sfdp", time.perf_counter() - t0, p))
        for layout, secs, p in rows:
            node, shown, lab, crowd = measure(p, view)
            print(f"{name:10} {layout:12} {len(view.nodes):6d} {secs:8.2f} {int(node):8d} "
                  f"{shown:6d} {lab:9.1%} {crowd:13.1%}")
            if layout != "partygraph":  # the same page with the other layout's positions
                other = pg.interactive.NetworkView(
                    view.nodes.assign(x=p[:, 0] * 1.0, y=p[:, 1] * 1.0), view.edges,
                    view.level, view.caption, view.lang, f"{view.title} ({layout})",
                    {**view.params, "fit_zoom": fit_zoom(p, view.nodes["size"].to_numpy())})
                lv, side, off = label_levels(p, view.nodes["size"].to_numpy(),
                                             view.nodes["label"],
                                             view.nodes["ties"].to_numpy(float),
                                             base=other.params["fit_zoom"])
                other.nodes = other.nodes.assign(label_level=lv, label_side=side,
                                                 label_offset=off)
                pages[f"network-{name}-{layout}"] = other.write(OUT / f"{name}-{layout}.html")
            else:
                pages[f"network-{name}"] = view.write(OUT / f"{name}.html")
    with tempfile.TemporaryDirectory() as d:
        a = pg.assess(pg.load_example("jiangbei"), rules="jiangbei", permutations=50,
                      progress=False)
        report = Path(a.write(d)["report"])
        shutil.copy(report, OUT / "jiangbei-report.html")
    pages["report-jiangbei"] = OUT / "jiangbei-report.html"
    screenshot(pages)
    print(f"pages and screenshots in {OUT}")


if __name__ == "__main__":
    main()
