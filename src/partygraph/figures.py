"""Figures with matplotlib, Chinese text included.

Each function draws on the ``ax`` it is given (or a new figure's), returns the Axes and never
calls ``show()``. Chinese text needs a font with Chinese glyphs: :func:`cjk_font` finds an
installed one and the figures use it through the text they draw, never by changing
``matplotlib.rcParams``. When no such font is installed, one :class:`PartygraphWarning` says
what to install, and the figure falls back to English labels and ids, so no glyph is drawn
as an empty box.

matplotlib is imported when a figure is drawn, not when partygraph is imported.

Examples
--------
>>> import partygraph as pg
>>> from matplotlib.figure import Figure
>>> ax = Figure().subplots()
>>> ax = pg.plot_pipeline(pg.load_example("demo"), ax=ax)
>>> len(ax.patches) > 0
True
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .errors import PartygraphError, PartygraphWarning
from .labels import KIND_COLOURS, check_lang, label
from .settings import config

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .linkage import DomainLinkage
    from .network import CoBuildingNetwork

__all__ = ["cjk_font", "plot_coverage", "plot_crossings", "plot_ei", "plot_linkage",
           "plot_map", "plot_pipeline", "plot_trend"]

#: Families with Chinese glyphs, tried first (Windows, macOS, Linux distributions).
CJK_FAMILIES = (
    "Microsoft YaHei", "SimHei", "DengXian", "PingFang SC", "Hiragino Sans GB", "Heiti SC",
    "STHeiti", "Songti SC", "Noto Sans CJK SC", "Noto Sans SC", "Noto Serif CJK SC",
    "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
    "Sarasa Gothic SC", "AR PL UMing CN", "AR PL UKai CN", "Droid Sans Fallback",
    "Noto Sans CJK JP", "Noto Sans CJK TC", "SimSun", "NSimSun", "KaiTi", "FangSong",
)
_PROBE = "党建社区覆盖率"
_CJK = re.compile("[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0002fa1f]")
_cache: dict[str, str | None] = {}

INSTALL_HINT = (
    "No installed font has Chinese glyphs, so figures use English labels and ids instead of "
    "Chinese text. Install one and restart Python (Debian/Ubuntu: apt install "
    "fonts-noto-cjk or fonts-wqy-microhei; Fedora: dnf install google-noto-sans-cjk-fonts; "
    "Windows and macOS have one already), or set pg.config.cjk_font to a font file. / "
    "未找到中文字体,图中文字改用英文和编码。请安装中文字体(如 fonts-noto-cjk 或 "
    "fonts-wqy-microhei)后重启,或设置 pg.config.cjk_font 为字体文件路径。"
)


#: Fallback fonts that claim every code point but draw empty boxes (matplotlib ≥ 3.11
#: bundles "Last Resort"): never taken for a Chinese font.
_BOX_FONTS = re.compile(r"last\s*resort", re.I)


def _has_glyphs(path: str) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(path)
        charmap = font.get_charmap()
    except (OSError, RuntimeError, ValueError):
        return False
    if _BOX_FONTS.search(f"{font.family_name} {Path(path).name}"):
        return False
    if not all(ord(ch) in charmap for ch in _PROBE):
        return False
    # a fallback font maps every code point to one box: real glyphs differ from each other
    outlines = set()
    for ch in _PROBE[:3]:
        try:
            font.load_char(ord(ch))
            verts, _ = font.get_path()
        except (RuntimeError, ValueError):
            return False
        if not len(verts):
            return False
        outlines.add(verts.round(1).tobytes())
    return len(outlines) == 3


def cjk_font(*, refresh: bool = False) -> str | None:
    """The family name of an installed font with Chinese glyphs, or ``None``.

    ``pg.config.cjk_font`` wins when set (a family name, or a font file, which is then
    registered with matplotlib's font list). Otherwise well-known Chinese families are
    tried, then font files matplotlib has not listed yet (fonts installed after its font
    cache was built), then any listed font that has the glyphs. The answer is remembered;
    ``refresh=True`` looks again. matplotlib's rcParams are never changed.

    Parameters
    ----------
    refresh : bool
        Look again instead of using the remembered answer.

    Returns
    -------
    str or None

    Examples
    --------
    >>> from partygraph.figures import cjk_font
    >>> font = cjk_font()
    >>> font is None or isinstance(font, str)
    True
    """
    from matplotlib import font_manager as fm

    setting = config.cjk_font
    key = setting or ""
    if not refresh and key in _cache:
        return _cache[key]
    found: str | None = None
    if setting:
        if Path(setting).is_file():
            fm.fontManager.addfont(setting)
            found = fm.FontProperties(fname=setting).get_name()
        else:
            found = setting
    else:
        listed = {f.name: f.fname for f in fm.fontManager.ttflist}
        for fam in CJK_FAMILIES:
            if fam in listed and _has_glyphs(listed[fam]):
                found = fam
                break
        if found is None:
            known = {f.fname for f in fm.fontManager.ttflist}
            for path in sorted(fm.findSystemFonts()):
                if path not in known and _has_glyphs(path):
                    fm.fontManager.addfont(path)
                    found = fm.FontProperties(fname=path).get_name()
                    break
        if found is None:
            for name, path in sorted(listed.items()):
                if _has_glyphs(path):
                    found = name
                    break
    _cache[key] = found
    return found


class _Text:
    """Labels in the asked language, and the font that can draw them."""

    def __init__(self, lang: str) -> None:
        self.lang = check_lang(lang)
        self.font = cjk_font()
        self.warned = False
        if self.font is None and lang == "zh":
            self._warn()
            self.lang = "en"

    def _warn(self) -> None:
        if not self.warned:
            warnings.warn(INSTALL_HINT, PartygraphWarning, stacklevel=4)
            self.warned = True

    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def code(self, kind: str, code: object) -> str:
        return label(kind, code, self.lang)

    def data(self, names: Sequence[object], fallback: Sequence[object]) -> list[str]:
        """Names from the data; their ids where no font can draw them."""
        out = []
        for n, f in zip(names, fallback, strict=True):
            text = "" if n is None or n is pd.NA or (isinstance(n, float) and n != n) else str(n)
            if not text:
                text = "" if f is None or f is pd.NA else str(f)
            if self.font is None and _CJK.search(text):
                self._warn()
                text = str(f)
            out.append(text)
        return out

    def apply(self, ax: Axes) -> None:
        """Use the Chinese font for every text of the figure, tick labels drawn later too."""
        if self.font is None:
            return
        from matplotlib.text import Text

        family = [self.font, "DejaVu Sans"]
        fig = ax.figure
        for a in fig.axes:
            a.tick_params(labelfontfamily=family)
        for t in fig.findobj(Text):
            t.set_fontfamily(family)


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def _is_network(source: object) -> bool:
    from .network import CoBuildingNetwork

    return isinstance(source, CoBuildingNetwork)


def _pct(x: float) -> str:
    return "" if not np.isfinite(x) else f"{100 * x:.1f}%"


def _wrap(text: str, width: float = 12.0) -> str:
    """A long label broken into lines of at most ``width`` ems (a Chinese character is one,
    other characters about half): wrapped, never cut."""
    lines, line, w = [], "", 0.0
    for ch in str(text):
        cw = 1.0 if ord(ch) > 0x2E80 else 0.55
        if line and w + cw > width:
            lines.append(line)
            line, w = "", 0.0
        line += ch
        w += cw
    return "\n".join([*lines, line])


def _places(txt: _Text, names: pd.Series | None, ids: pd.Series, by: str) -> list[str]:
    """Place names for labels: the name, else the id, else what a blank place is called
    (never ``nan``), wrapped."""
    from .labels import _BLANK_PLACE

    blank = _BLANK_PLACE.get(by, ("未归属区域", "(no region)"))
    ids = ids.astype("str")
    names = (names if names is not None else ids).astype("str")
    out = txt.data(names.where(names.notna(), ids).fillna("").tolist(), ids.fillna("").tolist())
    return [_wrap(o) if o else txt.t(*blank) for o in out]


def _no_data(ax: Axes, txt: _Text, why_zh: str, why_en: str) -> None:
    ax.text(0.5, 0.5, txt.t(f"无数据:{why_zh}", f"no data: {why_en}"), ha="center",
            va="center", transform=ax.transAxes, fontsize=10, color="#666666")
    ax.set_xticks([])
    ax.set_yticks([])


# ----------------------------------------------------------------------------- coverage


def plot_coverage(
    source: CoBuildingNetwork | pd.DataFrame,
    measure: str = "org_coverage",
    by: str = "street",
    *,
    rules: object = None,
    window: object = None,
    top: int = 40,
    ax: Axes | None = None,
    lang: str = "zh",
) -> Axes:
    """Coverage rate by street or community, lowest first, with numerator/denominator.

    Parameters
    ----------
    source : CoBuildingNetwork or DataFrame
        A network, or rates from ``coverage_rates(net, by=by)``.
    measure : str
        A measure of :func:`partygraph.coverage_rates` (``org_coverage``,
        ``nonpublic_org_coverage``, ``community_coverage``, ``estate_coverage``...).
    by : {"street", "community", "district", ...}
        The region level of the bars.
    rules, window
        Passed to :func:`partygraph.coverage_rates` when ``source`` is a network.
    top : int
        At most this many bars (the lowest rates); the title says when some are left out.
    ax : matplotlib Axes, optional
    lang : {"zh", "en"}

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import partygraph as pg
    >>> from matplotlib.figure import Figure
    >>> ax = pg.plot_coverage(pg.load_example("demo"), ax=Figure().subplots(), lang="en")
    >>> bool(ax.get_xlim()[1] >= 1)
    True
    """
    txt = _Text(lang)
    if _is_network(source):
        from .coverage import coverage_rates

        rates = coverage_rates(source, by=by, rules=rules, window=window)
    else:
        rates = source
    key = f"{by}_id"
    if key not in rates.columns:
        raise PartygraphError(f"the rates have no {key} column: use coverage_rates(net, "
                              f"by={by!r}) / 覆盖率表中没有“{key}”列")
    r = rates[(rates["measure"] == measure) & (rates["denominator"] > 0)]
    if "domain" in r.columns:
        r = r.groupby([key, by] if by in r.columns else [key], dropna=False, as_index=False)[
            ["numerator", "denominator"]].sum()
    r = r.assign(rate=r["numerator"] / r["denominator"]).sort_values(
        ["rate", "denominator"], ascending=[True, False])
    n_all = len(r)
    r = r.head(top).iloc[::-1]
    ax = _axes(ax, (7, max(2.5, 0.28 * len(r) + 1.2)))
    names = _places(txt, r[by] if by in r.columns else None, r[key], by)
    y = np.arange(len(r))
    ax.barh(y, r["rate"], color="#4c72b0", label=txt.t("覆盖率", "rate"))
    # the figures in a column right of 100%: no reference line crosses them
    for yi, (num, den, rate) in enumerate(zip(r["numerator"], r["denominator"], r["rate"],
                                              strict=True)):
        ax.text(1.03, yi, f"{_pct(rate)}  {int(num)}/{int(den)}", va="center", fontsize=8)
    if len(r):
        total = r["numerator"].sum() / r["denominator"].sum() if n_all == len(r) else np.nan
        if np.isfinite(total):
            ax.axvline(total, color="#c44e52", ls="--", lw=1,
                       label=txt.t(f"合计 {_pct(total)}", f"overall {_pct(total)}"))
        ax.legend(fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.08),
                  ncols=2)
    ax.set_yticks(y, names)
    ax.axvline(1.0, color="#dddddd", lw=0.8)
    ax.set_xlim(0, 1.45)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0", "25%", "50%", "75%", "100%"])
    where = txt.t({"street": "街道", "community": "社区/村", "district": "区县"}.get(by, by),
                  by)
    from .labels import RATE_TEXT

    name = RATE_TEXT.get(measure, (measure, measure))
    title = txt.t(f"{name[1]}(按{where})", f"{name[0]} by {where}")
    if n_all > len(r):
        title += txt.t(f",最低的 {len(r)} 个(共 {n_all} 个)",
                       f" — the {len(r)} lowest of {n_all}")
    ax.set_title(title, fontsize=10)
    if not len(r):
        _no_data(ax, txt, "没有可计算该覆盖率的单位或区域(分母为0)",
                 "nothing to compute this rate over (no denominator)")
    txt.apply(ax)
    return ax


# ------------------------------------------------------------------------------ linkage


def _group_label(txt: _Text, dl: DomainLinkage, g: str) -> str:
    if dl.params.get("attribute") == "domain":
        return txt.code("domain", g)
    return txt.data([g], [g])[0]


def plot_linkage(
    dl: DomainLinkage,
    value: str = "ratio",
    *,
    ax: Axes | None = None,
    lang: str = "zh",
    annotate: bool = True,
) -> Axes:
    """The domain × domain linkage heatmap.

    Parameters
    ----------
    dl : DomainLinkage
        From :func:`partygraph.domain_linkage`; with ``permutations`` a cell whose count
        differs from chance at p < 0.05 is starred.
    value : {"ratio", "matrix", "density"}
        Observed ÷ expected weight (1 = as by chance; centred colour scale), summed weight,
        or density.
    ax : matplotlib Axes, optional
    lang : {"zh", "en"}
    annotate : bool
        Write each cell's value.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import partygraph as pg
    >>> from matplotlib.figure import Figure
    >>> dl = pg.domain_linkage(pg.load_example("demo"))
    >>> ax = pg.plot_linkage(dl, ax=Figure().subplots(), lang="en")
    >>> len(ax.images)
    1
    """
    from matplotlib.colors import TwoSlopeNorm

    txt = _Text(lang)
    if value not in ("ratio", "matrix", "density"):
        raise PartygraphError(f"value must be ratio, matrix or density, not {value!r}")
    m = getattr(dl, value)
    data = m.to_numpy(dtype=float)
    G = len(dl.groups)
    ax = _axes(ax, (1.2 + 0.7 * G, 0.9 + 0.6 * G))
    if value == "ratio":
        finite = data[np.isfinite(data)]
        top = max(2.0, float(finite.max()) if len(finite) else 2.0)
        norm = TwoSlopeNorm(vcenter=1.0, vmin=0.0, vmax=top)
        im = ax.imshow(np.nan_to_num(data, nan=1.0), cmap="RdBu_r", norm=norm)
    else:
        im = ax.imshow(data, cmap="Blues")
    stars = np.zeros((G, G), dtype=bool)
    if dl.significance is not None:
        sig = dl.significance.set_index("measure")["p"]
        for i, a in enumerate(dl.groups):
            for j, b in enumerate(dl.groups):
                p = sig.get(f"matrix[{a}|{b}]", sig.get(f"matrix[{b}|{a}]", np.nan))
                stars[i, j] = bool(p < 0.05)
    if annotate:
        fmt = {"ratio": "{:.2f}", "matrix": "{:.0f}", "density": "{:.3f}"}[value]
        for i in range(G):
            for j in range(G):
                v = data[i, j]
                if np.isfinite(v):
                    ax.text(j, i, fmt.format(v) + ("*" if stars[i, j] else ""), ha="center",
                            va="center", fontsize=7)
    names = [_group_label(txt, dl, g) for g in dl.groups]
    ax.set_xticks(range(G), names, rotation=45, ha="right")
    ax.set_yticks(range(G), names)
    title = {"ratio": txt.t("领域联系强度(实际/期望)", "Domain linkage (observed / expected)"),
             "matrix": txt.t("领域间联系(权重合计)", "Ties between domains (summed weight)"),
             "density": txt.t("领域间联系密度", "Density of ties between domains")}[value]
    if stars.any():
        title += txt.t("  * p<0.05", "  * p<0.05")
    ax.set_title(title, fontsize=10)
    ax.figure.colorbar(im, ax=ax, shrink=0.8)
    txt.apply(ax)
    return ax


def plot_ei(dl: DomainLinkage, *, ax: Axes | None = None, lang: str = "zh") -> Axes:
    """The E-I index of each domain against the band that label permutations give.

    The dot is the observed E-I index over ties (−1: all ties inside the domain, +1: all
    across); the bar is the 2.5%–97.5% range of the same index when domain labels are
    shuffled over actors, and its tick the null mean. A dot outside its bar is more (or
    less) open than chance. The top row is the whole network.

    Parameters
    ----------
    dl : DomainLinkage
        From :func:`partygraph.domain_linkage` with ``permutations`` > 0.
    ax : matplotlib Axes, optional
    lang : {"zh", "en"}

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import partygraph as pg
    >>> from matplotlib.figure import Figure
    >>> dl = pg.domain_linkage(pg.load_example("demo"), permutations=50, seed=1)
    >>> ax = pg.plot_ei(dl, ax=Figure().subplots(), lang="en")
    >>> [float(x) for x in ax.get_xlim()]
    [-1.05, 1.05]
    """
    txt = _Text(lang)
    if dl.significance is None:
        raise PartygraphError("plot_ei needs domain_linkage(..., permutations=N) / "
                              "需要先做置换检验(permutations)")
    sig = dl.significance.set_index("measure")
    rows = ["ei_index"] + [f"ei[{g}]" for g in dl.groups]
    names = [txt.t("全网", "whole network")] + [_group_label(txt, dl, g) for g in dl.groups]
    keep = [i for i, r in enumerate(rows) if r in sig.index]
    rows = [rows[i] for i in keep][::-1]
    names = [names[i] for i in keep][::-1]
    s = sig.loc[rows]
    ax = _axes(ax, (6.5, 0.9 + 0.45 * len(rows)))
    y = np.arange(len(rows))
    ax.hlines(y, s["null_low"], s["null_high"], color="#bbbbbb", lw=7,
              label=txt.t("随机置换 95% 区间", "95% band under shuffled labels"))
    ax.plot(s["null_mean"], y, "|", color="#555555", ms=12, ls="none",
            label=txt.t("随机均值", "mean under shuffled labels"))
    out = (s["p"] < 0.05).to_numpy()
    for sig_, colour, zh, en in ((True, "#c44e52", "实际值(与随机差异显著,p<0.05)",
                                  "observed (differs from chance, p<0.05)"),
                                 (False, "#4c72b0", "实际值(与随机无显著差异)",
                                  "observed (within chance)")):
        pick = out == sig_
        if pick.any():
            ax.scatter(s["observed"][pick], y[pick], color=colour, zorder=3,
                       label=txt.t(zh, en))
    ax.axvline(0, color="#999999", lw=0.8)
    ax.set_yticks(y, names)
    ax.set_xlim(-1.05, 1.05)
    ax.set_xlabel(txt.t("E-I 指数(-1 全为内部联系,+1 全为跨领域联系)",
                        "E-I index (−1 all internal, +1 all external)"))
    ax.set_title(txt.t(f"各领域开放程度与随机基准(置换 {dl.params.get('permutations')} 次)",
                       f"E-I by domain against its null band "
                       f"({dl.params.get('permutations')} permutations)"), fontsize=10)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), fontsize=8, frameon=False,
              ncols=2)
    txt.apply(ax)
    return ax


def plot_crossings(
    source: CoBuildingNetwork | pd.DataFrame,
    *,
    window: object = None,
    ax: Axes | None = None,
    lang: str = "zh",
) -> Axes:
    """Ties crossing domains, levels, regions and industries (Chaonan's four crossings), by
    tie kind.

    Parameters
    ----------
    source : CoBuildingNetwork or DataFrame
        A network, or ties from :func:`partygraph.horizontal_ties`.
    window : tuple, optional
    ax : matplotlib Axes, optional
    lang : {"zh", "en"}

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import partygraph as pg
    >>> from matplotlib.figure import Figure
    >>> ax = pg.plot_crossings(pg.load_example("demo"), ax=Figure().subplots(), lang="en")
    >>> [t.get_text() for t in ax.get_yticklabels()][-1]
    'cross-domain'
    """
    txt = _Text(lang)
    if _is_network(source):
        from .ties import horizontal_ties

        ties = horizontal_ties(source, window)
    else:
        ties = source
    crossings = ["cross_industry", "cross_region", "cross_level", "cross_domain"]
    present = set(pd.unique(ties["kind"].astype(str)))
    kinds = [k for k in KIND_COLOURS if k in present]
    ax = _axes(ax, (7, 3.2))
    y = np.arange(len(crossings))
    left = np.zeros(len(crossings))
    total = len(ties)
    for k in kinds:
        sel = (ties["kind"] == k).to_numpy(dtype=bool)
        counts = np.array([int((ties[c].to_numpy(dtype=bool) & sel).sum()) for c in crossings])
        ax.barh(y, counts, left=left, color=KIND_COLOURS[k], label=txt.code("tie_kind", k))
        left += counts
    for yi, n in enumerate(left):
        share = f" ({100 * n / total:.1f}%)" if total else ""
        ax.text(n, yi, f" {int(n):,}{share}", va="center", fontsize=8)
    ax.set_yticks(y, [txt.code("crossing", c) for c in crossings])
    ax.set_xlim(0, max(1.0, float(left.max()) * 1.25 if len(left) else 1.0))
    ax.set_xlabel(txt.t(f"联系数(共 {total:,} 条横向联系)",
                        f"ties (of {total:,} horizontal ties)"))
    ax.set_title(txt.t("四个跨越:跨领域、跨层级、跨地域、跨行业的联系",
                       "The four crossings: ties across domains, levels, regions, industries"),
                 fontsize=10)
    if kinds:
        ax.legend(fontsize=7, ncols=3, frameon=False, loc="lower right")
    else:
        _no_data(ax, txt, "分析时段内没有横向联系", "no horizontal tie in the window")
    txt.apply(ax)
    return ax


def plot_pipeline(
    source: CoBuildingNetwork | pd.DataFrame,
    by: str = "street",
    *,
    window: object = None,
    top: int = 40,
    ax: Axes | None = None,
    lang: str = "zh",
) -> Axes:
    """Projects by status per street (or community), with the completion rate.

    Parameters
    ----------
    source : CoBuildingNetwork or DataFrame
        A network, or :func:`partygraph.project_pipeline` output.
    by : {"street", "community"}
    window : tuple, optional
    top : int
        At most this many groups (those with the most projects).
    ax : matplotlib Axes, optional
    lang : {"zh", "en"}

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import partygraph as pg
    >>> from matplotlib.figure import Figure
    >>> ax = pg.plot_pipeline(pg.load_example("demo"), ax=Figure().subplots(), lang="en")
    >>> ax.get_legend().get_texts()[0].get_text()
    'completed'
    """
    txt = _Text(lang)
    if _is_network(source):
        from .projects import project_pipeline

        p = project_pipeline(source, by=by, window=window)
    else:
        p = source
    key = f"{by}_id"
    if key in p.columns:
        names = _places(txt, p[by] if by in p.columns else None, p[key], by)
    else:
        names = [txt.t("全部", "all")] * len(p)
    p = p.assign(_name=names).sort_values("projects", ascending=False)
    n_all = len(p)
    p = p.head(top).iloc[::-1]
    ax = _axes(ax, (7, max(2.5, 0.3 * len(p) + 1.2)))
    y = np.arange(len(p))
    left = np.zeros(len(p))
    colours = {"completed": "#55a868", "running": "#4c72b0", "planned": "#ccb974",
               "cancelled": "#c44e52"}
    for status, colour in colours.items():
        v = p[status].to_numpy(dtype=float)
        ax.barh(y, v, left=left, color=colour, label=txt.code("project_status", status))
        left += v
    for yi, (n, rate) in enumerate(zip(left, p["completion_rate"], strict=True)):
        ax.text(n, yi, "  " + txt.t(f"完成率 {_pct(rate)}", f"completed {_pct(rate)}"),
                va="center", fontsize=8)
    ax.set_yticks(y, p["_name"].tolist())
    ax.set_xlim(0, max(1.0, float(left.max()) * 1.35 if len(left) else 1.0))
    title = txt.t("共建项目进展(已完成 ÷ 已启动)", "Project pipeline (completed ÷ launched)")
    if n_all > len(p):
        title += txt.t(f",项目最多的 {len(p)} 个(共 {n_all} 个)",
                       f" — the {len(p)} with most projects of {n_all}")
    ax.set_title(title, fontsize=10)
    if len(p):
        ax.legend(fontsize=8, frameon=False, loc="lower right")
    else:
        _no_data(ax, txt, "没有项目记录", "no project recorded")
    txt.apply(ax)
    return ax



def plot_map(
    net: CoBuildingNetwork,
    measure: str = "org_coverage",
    by: str = "community",
    *,
    rules: object = None,
    window: object = None,
    ax: Axes | None = None,
    lang: str = "zh",
) -> Axes:
    """Coverage by community (or street) as points on a plain coordinate map.

    Each place with coordinates (the regions table's optional ``lon``/``lat``, WGS-84) is a
    point sized by the rate's denominator (the units, communities or members it counts) and
    coloured by the rate; no map tiles, nothing loaded from elsewhere. Places without
    coordinates are left out and counted in the title.

    Parameters
    ----------
    net : CoBuildingNetwork
    measure : str
        A measure of :func:`partygraph.coverage_rates`.
    by : {"community", "street"}
    rules, window
        Passed to :func:`partygraph.coverage_rates`.
    ax : matplotlib Axes, optional
    lang : {"zh", "en"}

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import partygraph as pg
    >>> from matplotlib.figure import Figure
    >>> net = pg.load_example("jiangbei")
    >>> ax = pg.plot_map(net, ax=Figure().subplots(), lang="en")
    >>> ax.texts[0].get_text().startswith("no data")
    True
    """
    from .coverage import coverage_rates
    from .labels import RATE_TEXT

    txt = _Text(lang)
    ax = _axes(ax, (7, 6))
    rates = coverage_rates(net, by=by, rules=rules, window=window)
    key = f"{by}_id"
    r = rates[(rates["measure"] == measure) & (rates["denominator"] > 0)].copy()
    rf = net.table("regions", "plot_map")
    xy = pd.DataFrame({c: (rf[c].to_numpy(dtype=float, na_value=np.nan) if c in rf.columns
                           else np.full(len(rf), np.nan)) for c in ("lon", "lat")},
                      index=rf["id"].to_numpy())
    r["lon"] = r[key].map(xy["lon"]).astype(float)
    r["lat"] = r[key].map(xy["lat"]).astype(float)
    placed = r[r["lon"].notna() & r["lat"].notna()]
    name = RATE_TEXT.get(measure, (measure, measure))
    where = txt.t({"street": "街道", "community": "社区/村"}.get(by, by), by)
    title = txt.t(f"{name[1]}(按{where},地图)", f"{name[0]} by {where}, on a map")
    if len(placed) < len(r):
        title += txt.t(f";{len(r) - len(placed)} 个无坐标未画出",
                       f"; {len(r) - len(placed)} without coordinates not drawn")
    ax.set_title(title, fontsize=10)
    if not len(placed):
        _no_data(ax, txt, "区域表没有经纬度(lon/lat)", "the regions carry no lon/lat")
        txt.apply(ax)
        return ax
    rate = placed["numerator"] / placed["denominator"]
    den = placed["denominator"].to_numpy(dtype=float)
    size = 20 + 280 * np.sqrt(den / den.max())
    sc = ax.scatter(placed["lon"], placed["lat"], s=size, c=rate, cmap="RdYlGn", vmin=0,
                    vmax=1, edgecolors="#333333", linewidths=0.5, alpha=0.9)
    cb = ax.figure.colorbar(sc, ax=ax, shrink=0.7)
    cb.set_label(txt.t("覆盖率", "rate"))
    ax.set_aspect(1 / np.cos(np.deg2rad(float(placed["lat"].mean()))))
    ax.set_xlabel(txt.t("经度", "longitude"))
    ax.set_ylabel(txt.t("纬度", "latitude"))
    names = _places(txt, placed[by] if by in placed.columns else None, placed[key], by)
    for x, y, n in zip(placed["lon"], placed["lat"], names, strict=True):
        ax.annotate(n.replace("\n", ""), (x, y), fontsize=7, xytext=(4, 4),
                    textcoords="offset points")
    for d, label_ in ((den.max(), txt.t(f"{int(den.max())} 个", f"{int(den.max())}")),
                      (max(den.min(), 1), txt.t(f"{int(max(den.min(), 1))} 个",
                                                f"{int(max(den.min(), 1))}"))):
        ax.scatter([], [], s=20 + 280 * np.sqrt(d / den.max()), c="#cccccc",
                   edgecolors="#333333", label=label_)
    ax.legend(title=txt.t("点的大小:计数单位数", "size: units counted"), fontsize=7,
              title_fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.1),
              ncols=2)
    txt.apply(ax)
    return ax


def plot_trend(
    trend: pd.DataFrame,
    measure: str = "org_coverage",
    *,
    level: str = "street",
    ax: Axes | None = None,
    lang: str = "zh",
) -> Axes:
    """Each street's rate over the windows of a :func:`partygraph.trend` table.

    Parameters
    ----------
    trend : DataFrame
        From :func:`partygraph.trend`.
    measure : str
        A coverage measure (``org_coverage`` default) or a wall status share.
    level : {"street", "overall"}
    ax : matplotlib Axes, optional
    lang : {"zh", "en"}

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import partygraph as pg
    >>> from matplotlib.figure import Figure
    >>> t = pg.trend(pg.load_example("demo"), years=[2021, 2022])
    >>> ax = pg.plot_trend(t, ax=Figure().subplots(), lang="en")
    >>> len(ax.get_lines()) > 0
    True
    """
    from .labels import RATE_TEXT

    txt = _Text(lang)
    ax = _axes(ax, (8, 4.5))
    t = trend[(trend["measure"] == measure) & (trend["level"] == level)]
    windows = list(dict.fromkeys(trend["window"]))
    x = np.arange(len(windows))
    name = RATE_TEXT.get(measure, (measure, measure))
    ax.set_title(txt.t(f"{name[1]}的变化(按{'街道' if level == 'street' else '全部'})",
                       f"{name[0]} over time ({level})"), fontsize=10)
    if not len(t):
        _no_data(ax, txt, "趋势表中没有该指标", "the trend table has no such measure")
        txt.apply(ax)
        return ax
    key = "place_id" if level == "street" else "level"
    for place, grp in t.groupby(key, dropna=False, sort=True):
        g = grp.set_index("window").reindex(windows)
        label_ = _places(txt, g["place"].dropna().head(1) if level == "street" else None,
                         pd.Series([str(place)]), "street")[0] if level == "street" else (
            txt.t("全部", "all"))
        ax.plot(x, g["rate"].to_numpy(dtype=float), marker="o", label=label_.replace("\n", ""))
    ax.set_xticks(x, windows)
    ax.set_ylim(0, 1.05)
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0], ["0", "25%", "50%", "75%", "100%"])
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    txt.apply(ax)
    return ax
