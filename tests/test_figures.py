"""Figures: Chinese text renders with an installed CJK font, degrades with one warning without
one, never touches rcParams or calls show(); what is drawn matches the analyses."""

from __future__ import annotations

import os
import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import partygraph as pg
from partygraph import figures

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def net():
    return pg.load_example("demo")


@pytest.fixture(scope="module")
def dl(net):
    return pg.domain_linkage(net, permutations=60, seed=3)


def _draw_all(net, dl, lang="zh"):
    axes = []
    for draw in (lambda ax: pg.plot_coverage(net, ax=ax, lang=lang),
                 lambda ax: pg.plot_coverage(net, "community_coverage", "community", ax=ax,
                                             lang=lang),
                 lambda ax: pg.plot_linkage(dl, ax=ax, lang=lang),
                 lambda ax: pg.plot_linkage(dl, "matrix", ax=ax, lang=lang),
                 lambda ax: pg.plot_ei(dl, ax=ax, lang=lang),
                 lambda ax: pg.plot_crossings(net, ax=ax, lang=lang),
                 lambda ax: pg.plot_pipeline(net, ax=ax, lang=lang)):
        fig = Figure(figsize=(7, 5))
        ax = fig.subplots()
        assert draw(ax) is ax
        fig.canvas.draw()
        axes.append(ax)
    return axes


def _texts(ax) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in ax.figure.findobj(Text) if t.get_text()]


def test_chinese_renders_without_missing_glyphs(net, dl):
    font = figures.cjk_font(refresh=True)
    if font is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs a CJK font (fonts-wqy-microhei); none was found")
        pytest.skip("no CJK font installed here")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        axes = _draw_all(net, dl)
    glyphs = [w for w in caught if "Glyph" in str(w.message) or "missing from" in
              str(w.message)]
    assert not glyphs, glyphs[:3]
    assert not [w for w in caught if issubclass(w.category, pg.PartygraphWarning)]
    # Chinese really is on the figures, and drawn in the CJK font
    assert any("覆盖率" in t for t in _texts(axes[0]))
    ticks = axes[2].get_yticklabels()
    assert "非公企业" in [t.get_text() for t in ticks]
    assert font in ticks[0].get_fontfamily()


def test_rcparams_are_never_changed(net, dl):
    before = dict(matplotlib.rcParams)
    _draw_all(net, dl)
    assert dict(matplotlib.rcParams) == before


def test_without_a_cjk_font_one_warning_and_english(monkeypatch, net, dl):
    monkeypatch.setattr(figures, "cjk_font", lambda refresh=False: None)
    for draw in (lambda ax: pg.plot_coverage(net, ax=ax),
                 lambda ax: pg.plot_linkage(dl, ax=ax),
                 lambda ax: pg.plot_pipeline(net, ax=ax)):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig = Figure()
            ax = draw(fig.subplots())
            fig.canvas.draw()
        ours = [w for w in caught if issubclass(w.category, pg.PartygraphWarning)]
        assert len(ours) == 1
        assert "fonts-noto-cjk" in str(ours[0].message)
        assert not [w for w in caught if "Glyph" in str(w.message)]
        cjk = [t for t in _texts(ax) if figures._CJK.search(t)]
        assert not cjk, cjk
    # street names fall back to their ids
    with pytest.warns(pg.PartygraphWarning):
        ax = pg.plot_coverage(net, ax=Figure().subplots(), lang="en")
    ids = set(net.tables["regions"]["id"])
    assert {t.get_text() for t in ax.get_yticklabels()} <= ids


def test_font_from_a_file_setting():
    from matplotlib import font_manager as fm

    files = [f for f in fm.findSystemFonts() if figures._has_glyphs(f)]
    if not files:
        pytest.skip("no CJK font file installed here")
    with pg.config.override(cjk_font=files[0]):
        name = figures.cjk_font(refresh=True)
    assert name == fm.FontProperties(fname=files[0]).get_name()
    with pg.config.override(cjk_font="No Such Family"):
        assert figures.cjk_font(refresh=True) == "No Such Family"


def test_show_is_never_called(monkeypatch, net):
    import matplotlib.pyplot as plt

    def boom(*a, **k):
        raise AssertionError("show() called")

    monkeypatch.setattr(plt, "show", boom)
    ax = pg.plot_pipeline(net, lang="en")  # a new figure through pyplot, not shown
    plt.close(ax.figure)


def test_coverage_bars_are_the_rates(net):
    rates = pg.coverage_rates(net, by="street")
    ax = pg.plot_coverage(rates, "org_coverage", ax=Figure().subplots(), lang="en")
    r = rates[(rates["measure"] == "org_coverage") & (rates["denominator"] > 0)]
    widths = sorted(round(p.get_width(), 9) for p in ax.patches)
    assert widths == sorted(round(x, 9) for x in r["rate"])
    labels = [t.get_text() for t in ax.texts]
    for num, den in zip(r["numerator"], r["denominator"], strict=True):
        assert any(f"{int(num)}/{int(den)}" in t for t in labels)


def test_ei_dots_and_bands_are_the_significance_table(dl):
    ax = pg.plot_ei(dl, ax=Figure().subplots(), lang="en")
    pts = np.vstack([c.get_offsets() for c in ax.collections[1:]])  # significant or not
    sig = dl.significance.set_index("measure")
    rows = ["ei_index"] + [f"ei[{g}]" for g in dl.groups]
    np.testing.assert_allclose(sorted(pts[:, 0]), sorted(sig.loc[rows, "observed"]))
    # the per-domain observed E-I is the linkage's own
    np.testing.assert_allclose(sig.loc[[f"ei[{g}]" for g in dl.groups], "observed"],
                               dl.ei["ei"])
    segs = ax.collections[0].get_segments()
    lows = sorted(s[0][0] for s in segs)
    np.testing.assert_allclose(lows, sorted(sig.loc[rows, "null_low"]))
    with pytest.raises(pg.PartygraphError):
        pg.plot_ei(pg.domain_linkage(pg.load_example("demo")))
    # every mark is in the legend: the band, the null mean, the dots by significance
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0].startswith("95% band") and "mean under shuffled labels" in legend
    assert any("p<0.05" in t for t in legend) or any("within chance" in t for t in legend)


def test_no_nan_category_values_clear_of_the_line_and_words_for_no_data():
    t = {k: v.copy() for k, v in pg.load_example("jiangbei").tables.items()}
    extra = t["units"].iloc[[0]].assign(id="X1", name="某区直单位", region_id="500105000000",
                                       kind="agency", tier="district", party_members=5)
    t["units"] = pd.concat([t["units"], extra], ignore_index=True)
    t["orgs"] = pd.concat([t["orgs"], pd.DataFrame({
        "id": ["PX1"], "name": ["某党支部"], "kind": ["branch"], "unit_id": ["X1"]})],
        ignore_index=True)
    net = pg.from_frames(**t)
    ax = pg.plot_coverage(net, ax=Figure().subplots(), lang="en")
    labels = [x.get_text() for x in ax.get_yticklabels()]
    assert "nan" not in labels and "(no street)" in labels
    # the figures sit right of 100%, where no reference line is drawn
    line = next(ln for ln in ax.get_lines() if ln.get_linestyle() == "--")
    assert all(tx.get_position()[0] > 1.0 for tx in ax.texts)
    assert line.get_xdata()[0] <= 1.0
    assert any("overall" in x.get_text() for x in ax.get_legend().get_texts())
    # long names are wrapped, not cut
    wrapped = figures._wrap("陈沙大道改建工程项目部党支部联合党委")
    assert wrapped == "陈沙大道改建工程项目部党\n支部联合党委"
    empty = pg.plot_coverage(net, "mobile_management", by="street", ax=Figure().subplots(),
                             lang="en")  # no mobile member
    assert any(x.get_text().startswith("no data:") for x in empty.texts)


def test_group_ei_null_matches_exhaustive_enumeration():
    """The permutation null of a domain's E-I index against the exact mean over every
    labelling (6 actors, 3 of each domain: 20 labellings)."""
    from itertools import combinations

    units = pd.DataFrame({"id": list("ABCDEF"), "name": list("ABCDEF"),
                          "kind": ["agency"] * 3 + ["private"] * 3, "region_id": ["R"] * 6})
    src, dst = list("AABBCDE"), list("BCCDEFF")
    links = pd.DataFrame({"source": src, "target": dst, "kind": ["service"] * 7})
    net = pg.from_frames(units=units, orgs=pd.DataFrame(columns=["id", "name", "kind"]),
                         links=links)
    dl = pg.domain_linkage(net, permutations=4000, seed=7)
    ids = list("ABCDEF")
    exact = []
    for agency in combinations(range(6), 3):
        lab = {ids[i]: ("agency" if i in agency else "private") for i in range(6)}
        inside = sum(lab[a] == lab[b] and lab[a] == "agency" for a, b in zip(src, dst,
                                                                             strict=True))
        outside = sum(lab[a] != lab[b] for a, b in zip(src, dst, strict=True))
        exact.append((outside - inside) / (outside + inside) if outside + inside else np.nan)
    row = dl.significance.set_index("measure").loc["ei[agency]"]
    assert row["null_mean"] == pytest.approx(np.nanmean(exact), abs=0.03)
    assert row["null_low"] <= row["null_mean"] <= row["null_high"]


def test_a_font_that_draws_boxes_is_never_taken_for_chinese(monkeypatch):
    """matplotlib ≥ 3.11 bundles "Last Resort", which claims glyphs it draws as boxes: it is
    refused by its outlines even when its name is not recognised."""
    import re
    from pathlib import Path

    box = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "LastResortHE-Regular.ttf"
    if not box.exists():
        pytest.skip("this matplotlib bundles no Last Resort font")
    monkeypatch.setattr(figures, "_BOX_FONTS", re.compile("(?!)"))
    assert not figures._has_glyphs(str(box))


_NO_FONT_SCRIPT = """
import json, warnings
import matplotlib
matplotlib.use("Agg")
from matplotlib.figure import Figure
import partygraph as pg
from partygraph import figures
out = {"font": pg.cjk_font()}
net = pg.load_example("jiangbei")
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    fig = Figure()
    ax = pg.plot_coverage(net, "org_coverage", by="street", ax=fig.subplots())
    fig.canvas.draw()
out["warnings"] = [str(w.message) for w in caught if issubclass(w.category,
                                                                 pg.PartygraphWarning)]
out["glyph_warnings"] = [str(w.message) for w in caught if "Glyph" in str(w.message)]
texts = [ax.get_title(), ax.get_xlabel()] + [t.get_text() for t in ax.get_yticklabels()]
out["chinese"] = [t for t in texts if figures._CJK.search(t)]
print(json.dumps(out))
"""


def test_on_a_machine_without_chinese_fonts(tmp_path):
    """The system's fonts hidden in a private mount namespace, a fresh matplotlib cache: no
    font is found, one warning says what to install, and the figure speaks English."""
    import json
    import shutil
    import subprocess
    import sys

    if shutil.which("unshare") is None or os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("CI runs as root with unshare")
        pytest.skip("needs root and unshare to hide the system's fonts")
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    script = tmp_path / "no_font.py"
    script.write_text(_NO_FONT_SCRIPT, encoding="utf-8")
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path / "mpl"), "HOME": str(tmp_path)}
    hide = " && ".join(f"mount --bind {empty} {d}" for d in ("/usr/share/fonts",
                                                              "/usr/local/share/fonts")
                       if os.path.isdir(d))
    r = subprocess.run(["unshare", "-m", "sh", "-c", f"{hide} && exec {sys.executable} {script}"],
                       env=env, capture_output=True, text=True, timeout=300)
    if r.returncode != 0 and "Operation not permitted" in r.stderr:
        pytest.skip("mount namespaces are not allowed here")
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["font"] is None
    assert len(out["warnings"]) == 1 and "fonts-noto-cjk" in out["warnings"][0]
    assert not out["glyph_warnings"] and not out["chinese"], out


def test_a_map_where_regions_carry_coordinates(net):
    t = {k: v.copy() for k, v in net.tables.items()}
    r = t["regions"]
    comm = r["level"].isin(["community", "village"]).to_numpy()
    r.loc[comm, "lon"] = 121.4 + np.arange(comm.sum()) * 0.01
    r.loc[comm, "lat"] = 31.2 + np.arange(comm.sum()) * 0.005
    r.loc[np.flatnonzero(comm)[0], ["lon", "lat"]] = np.nan  # one without coordinates
    placed = pg.from_frames(**t)
    ax = pg.plot_map(placed, ax=Figure().subplots(), lang="en")
    pts = ax.collections[0]
    rates = pg.coverage_rates(placed, by="community").query(
        "measure == 'org_coverage' and denominator > 0")
    assert len(pts.get_offsets()) == len(rates) - 1
    assert "1 without coordinates" in ax.get_title()
    np.testing.assert_allclose(sorted(pts.get_array()), sorted(
        (rates["numerator"] / rates["denominator"]).iloc[1:]), atol=1)  # rates in [0, 1]
    assert set(np.round(pts.get_array(), 6)) <= set(np.round(
        rates["numerator"] / rates["denominator"], 6))
    html_with = pg.assess(placed, permutations=0, progress=False).to_html()
    html_without = pg.assess(net, permutations=0, progress=False).to_html()
    assert html_with.count("<img") == html_without.count("<img") + 1
