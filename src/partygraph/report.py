"""The HTML report of an :class:`~partygraph.assessment.Assessment`: one self-contained file.

Everything is inline: styles, the scripts (partygraph's table script and the vis-network
build from the pyvis wheel), and the figures (PNG as ``data:`` URIs). A Content Security
Policy in the page forbids loading anything from anywhere, so the report opens on an offline
machine exactly as on a connected one and cannot call out even if a label tried.

Escaping: text that Python writes into the page goes through :func:`html.escape`; the rows
of tables and the network travel as JSON inside ``<script type="application/json">`` with
``<``, ``>`` and ``&`` escaped, and the browser puts them into cells with ``textContent``
and into the network as plain-text labels and tooltips. A unit named ``<script>…`` shows as
that text.

Tables are sortable (click a header), searchable (the box above each) and paged; lists
longer than ``pg.config.report_max_rows`` are cut in the report with a notice (the workbook
has them whole).
"""

from __future__ import annotations

import base64
import html
import io
import warnings
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .export import json_rows
from .labels import _EMPTY, NOT_COMPUTED, PRESET_TEXT, kept_columns, localise, param_text
from .progress import track
from .registry import ANALYSES, SECTIONS, output
from .settings import config

if TYPE_CHECKING:
    from .assessment import Assessment

__all__ = ["render"]

def _e(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


class _Page:
    """Collects the report's sections."""

    def __init__(self, a: Assessment, lang: str) -> None:
        self.a, self.lang, self.zh = a, lang, lang == "zh"
        self.parts: list[str] = []
        self.nav: list[tuple[str, str]] = []
        self.n_tables = 0

    def t(self, zh: str, en: str) -> str:
        return zh if self.zh else en

    def section(self, sid: str, zh: str, en: str) -> None:
        title = self.t(zh, en)
        self.nav.append((sid, title))
        if len(self.nav) > 1:
            self.parts.append("</section>")
        self.parts.append(f'<section id="{_e(sid)}"><h2>{_e(title)}</h2>')

    def h3(self, zh: str, en: str) -> None:
        self.parts.append(f"<h3>{_e(self.t(zh, en))}</h3>")

    def p(self, zh: str, en: str, cls: str = "") -> None:
        c = f' class="{_e(cls)}"' if cls else ""
        self.parts.append(f"<p{c}>{_e(self.t(zh, en))}</p>")

    def missing(self, key: str) -> bool:
        """Say so when an analysis could not run; True if it could not."""
        why = self.a.unavailable.get(key)
        if why is None:
            return False
        en, sep, zh = str(why).rpartition(" / ")
        shown = (zh if self.zh else en) if sep else why
        self.parts.append(f'<p class="pg-missing">{_e(self.t("未能计算:", "Not computed: "))}'
                          f'{_e(shown)}</p>')
        return True

    def listing(self, key: str, zh: str, en: str, unavailable: str | None = None) -> None:
        """A heading and the table of one result, or why it could not be computed."""
        if not self.missing(unavailable or key) and key in self.a.tables:
            self.h3(zh, en)
            self.table(key)

    def table(self, key: str, df: pd.DataFrame | None = None, page: int = 20) -> None:
        """A sortable, searchable table of one result (English columns in, localised out)."""
        a = self.a
        if df is None:
            if key not in a.tables:
                return
            df = a.tables[key]
        o = output(key)
        df, keys = o.lead_first(df, self.lang)
        kept = kept_columns(df.columns)
        total = len(df)
        cap = config.report_max_rows
        shown = localise(df.head(cap), self.lang, dict(o.headers))  # cut, then put in words
        types = []
        for c in kept:
            s = df[c]
            if c in o.percent or c == "rate" or c.startswith("rate_"):
                types.append("pct")
            elif pd.api.types.is_bool_dtype(s.dtype):
                types.append("text")
            elif pd.api.types.is_integer_dtype(s.dtype):
                types.append("int")
            elif pd.api.types.is_float_dtype(s.dtype):
                types.append("float")
            else:
                types.append("text")
        cols = [{"label": str(h), "type": t} for h, t in zip(shown.columns, types, strict=True)]
        self.n_tables += 1
        tid = f"pg-t{self.n_tables}"
        from .interactive import _json, script_safe

        note = ""
        if total > cap:
            note = self.t(f"报告中显示前 {cap:,} 行(共 {total:,} 行),完整清单见工作簿。",
                          f"The first {cap:,} of {total:,} rows are shown; the workbook has "
                          f"them all.")
        self.parts.append(
            f'<div class="pg-table" id="{tid}">'
            f'<div class="pg-tools"><input type="search" placeholder="'
            f'{_e(self.t("搜索…", "Search…"))}" aria-label="search">'
            f'<span class="pg-count"></span><span class="pg-cut">{_e(note)}</span></div>'
            f'<div class="pg-scroll"><table><thead></thead><tbody></tbody></table></div>'
            f'<div class="pg-pager"><button type="button" data-step="-1">‹</button>'
            f'<span class="pg-page"></span><button type="button" data-step="1">›</button></div>'
            f'<script type="application/json" class="pg-data">'
            f'{_json({"columns": cols})[:-1]},"rows":{script_safe(json_rows(shown))},'
            f'{_json({"page": page, "total": total, "keys": keys})[1:]}'
            f'</script>'
            f"</div>")

    def figure(self, draw, width: float, height: float) -> None:
        """A matplotlib figure (drawn without pyplot) as an inline PNG."""
        from matplotlib.figure import Figure

        fig = Figure(figsize=(width, height), layout="constrained")
        ax = fig.subplots()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("once")
                draw(ax)
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=96)
        except Exception as exc:  # a figure must not stop the report
            why = self.t("图未能生成:", "Figure not drawn: ")
            self.parts.append(f'<p class="pg-missing">{_e(why)}{_e(exc)}</p>')
            return
        data = base64.b64encode(buf.getvalue()).decode("ascii")
        self.parts.append(f'<figure><img alt="" src="data:image/png;base64,{data}">'
                          f"</figure>")

    def cards(self) -> None:
        h = self.a.tables.get("headline")
        if h is None:
            return
        out = []
        for r in h.itertuples(index=False):
            den = r.denominator
            if np.isfinite(den):
                big = "—" if not np.isfinite(r.value) else f"{100 * r.value:.1f}%"
                small = f"{int(r.numerator):,} / {int(den):,}"
            elif r.measure == "ei_index":
                big = f"{r.value:+.3f}"
                small = self._ei_note()
            else:
                big = f"{int(r.value):,}" if np.isfinite(r.value) else "—"
                small = ""
            name = r.measure_zh if self.zh else r.measure_en
            warn = " pg-warn" if r.measure in ("data_errors",) and r.value > 0 else ""
            out.append(f'<div class="pg-card{warn}"><div class="pg-card-label">{_e(name)}</div>'
                       f'<div class="pg-card-value">{_e(big)}</div>'
                       f'<div class="pg-card-sub">{_e(small)}</div></div>')
        self.parts.append(f'<div class="pg-cards">{"".join(out)}</div>')

    def _ei_note(self) -> str:
        dl = self.a.linkage
        if dl is None or dl.significance is None:
            return self.t("-1 全内部,+1 全跨领域", "−1 all inside, +1 all across")
        row = dl.significance.set_index("measure").loc["ei_index"]
        return self.t(f"随机均值 {row['null_mean']:+.3f},p = {row['p']:.3f}",
                      f"null mean {row['null_mean']:+.3f}, p = {row['p']:.3f}")

    def html(self) -> str:
        return "".join(self.pieces())

    def pieces(self) -> list[str]:
        """The document in pieces (written one after another, it is never whole in memory:
        50 MB of tables at a million members)."""
        from . import __version__
        from .interactive import CSP, NETWORK_CSS, vis_network_assets

        a = self.a
        js, css = vis_network_assets()
        if self.nav:
            self.parts.append("</section>")
        title = self.t("区域化党建评估报告", "Co-building network assessment")
        w = a.params.get("window", (None, None))
        win = (self.t("全部时段", "all time") if tuple(w) == (None, None) else
               " – ".join(x.date().isoformat() if x is not None else "…" for x in w))
        rules = a.params.get("rules", {})
        meta = self.t(
            f"数据:{a.source or '—'} · 生成:{a.created} · 分析时段:{win} · "
            f"覆盖规则:{PRESET_TEXT.get(rules.get('name', ''), (rules.get('name', ''),))[0]} · "
            f"partygraph {__version__}",
            f"Data: {a.source or '—'} · made {a.created} · window {win} · "
            f"rules {rules.get('name', '')} · partygraph {__version__}")
        nav = "".join(f'<a href="#{_e(i)}">{_e(t)}</a>' for i, t in self.nav)
        head = f"""<!DOCTYPE html>
<html lang="{'zh-CN' if self.zh else 'en'}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<style>{css}</style><style>{NETWORK_CSS}</style><style>{REPORT_CSS}</style>
<script>{js}</script>
</head><body>
<header><button type="button" class="pg-print">{_e(self.t("打印/导出PDF", "Print / PDF"))}</button>
<h1>{_e(title)}</h1><div class="pg-meta">{_e(meta)}</div><nav>{nav}</nav></header>
<main>
"""
        return [head, *self.parts, f"""
</main>
<script>{TABLE_JS}</script>
</body></html>
"""]


_LEAD = {
    "coverage": ("覆盖率均给出分子和分母。缺口按规则列出,每条附整改措施。",
                 "Every rate shows its numerator and denominator. Gaps are listed by rule, "
                 "each with its action."),
    "walls": ("围墙内:分析时段内没有任何横向联系;有协议无活动:只有结对、协议、兼职委员、共同体、"
              "报到、联合组建或交叉任职,没有共同项目或服务。区委、街道党工委等区域统筹党组织不参与"
              "评判。",
              "Walled in: no horizontal tie in the window. Paper only: ties only from pairs, "
              "agreements, councils, bodies, registration, covers or cross-posts — no shared "
              "project and no service. Hubs (district and street committees) are not judged."),
    "linkage": ("实际/期望 > 1 表示两领域间联系多于按各自联系总量随机相连的期望;E-I 指数越接近 +1,"
                "联系越多地跨出本领域。显著性来自在共建单位间随机置换领域标签。",
                "Observed ÷ expected above 1: two domains are tied more than their total ties "
                "would give at random. The E-I index nears +1 as ties leave the domain. "
                "Significance comes from shuffling domain labels over actors."),
}


def _before(pg: _Page, key: str) -> None:
    """Figures and text shown before one output's table."""
    from .figures import (
        plot_coverage,
        plot_crossings,
        plot_ei,
        plot_linkage,
        plot_map,
        plot_pipeline,
    )

    a, t, lang = pg.a, pg.a.tables, pg.lang
    if key == "rates_by_street_domain" and "rates_by_street" in t:
        for by, tbl in (("street", "rates_by_street"), ("community", "rates_by_community")):
            n = t[tbl][f"{by}_id"].nunique()
            pg.figure(lambda ax, tbl=tbl, by=by: plot_coverage(
                t[tbl], "org_coverage", by, ax=ax, lang=lang), 8, 1.4 + 0.3 * min(n, 40))
        rf = a.net.tables["regions"]
        if {"lon", "lat"} <= set(rf.columns) and (rf["lon"].notna() & rf["lat"].notna()).any():
            rules = a.params.get("rules")
            from .coverage import CoverageRules

            rr = CoverageRules().replace(**{k: v for k, v in (rules or {}).items()})
            pg.figure(lambda ax: plot_map(a.net, "org_coverage", "community", rules=rr,
                                          window=a.params.get("window"), ax=ax, lang=lang),
                      8, 6.5)
    elif key == "ei_by_domain" and a.linkage is not None:
        dl, g = a.linkage, len(a.linkage.groups)
        pg.figure(lambda ax: plot_linkage(dl, "ratio", ax=ax, lang=lang),
                  2.2 + 0.75 * g, 1.4 + 0.6 * g)
        if dl.significance is not None:
            pg.figure(lambda ax: plot_ei(dl, ax=ax, lang=lang), 8, 1.4 + 0.45 * (g + 1))
    elif key == "brokers" and a.ties is not None:
        pg.figure(lambda ax: plot_crossings(a.ties, ax=ax, lang=lang), 8, 3.4)
    elif key == "pipeline":
        n = len(t["pipeline"])
        pg.figure(lambda ax: plot_pipeline(t["pipeline"], ax=ax, lang=lang), 8,
                  1.4 + 0.3 * min(n, 40))
    elif key == "matches" and a.matches is not None:
        m = a.matches
        pg.p(f"推荐 {len(m.suggestions):,} 条,总得分 {m.objective:,.1f}({_status_zh(m.status)});"
             f"未完全满足的需求 {len(m.unmet):,} 条,各附原因。",
             f"{len(m.suggestions):,} suggestions, total score {m.objective:,.1f} "
             f"({m.status}); {len(m.unmet):,} demands not fully met, each with its reason.",
             "pg-lead")


def _title(key: str, pg: _Page) -> str:
    """An analysis or output key as its title in the page's language."""
    for an in ANALYSES:
        if an.key == key:
            return an.zh if pg.zh else an.en
        for o in an.outputs:
            if o.key == key:
                return o.zh if pg.zh else o.en
    return key


def _one_language(text: str, pg: _Page) -> str:
    """The page's half of a bilingual message ``English / 中文``."""
    en, sep, zh = str(text).rpartition(" / ")
    if not sep:
        return str(text)
    return zh if pg.zh else en


def _status_zh(status: str) -> str:
    return "精确最优" if status == "optimal" else f"未证明最优:{status}"


def render(a: Assessment, lang: str = "zh") -> str:
    """The report of an assessment as one HTML document (text): the sections and tables
    the registry declares, in its order."""
    return "".join(render_pieces(a, lang))


def render_pieces(a: Assessment, lang: str = "zh") -> list[str]:
    """:func:`render`'s document in pieces, to be written one after another."""
    pg = _Page(a, lang)
    t = a.tables
    for sid, zh, en in track(SECTIONS, desc="写报告 report", unit="section"):
        pg.section(sid, zh, en)
        if sid == "overview":
            pg.cards()
            if a.unavailable:
                items = "".join(f"<li>{_e(_title(k, pg))}: {_e(_one_language(v, pg))}</li>"
                                for k, v in a.unavailable.items())
                head = pg.t("未能计算的分析", "Analyses not computed")
                pg.parts.append(f'<div class="pg-missing"><b>{_e(head)}</b><ul>{items}</ul>'
                                "</div>")
            continue
        if sid == "method":
            _method(pg)
            continue
        if sid in _LEAD:
            pg.p(*_LEAD[sid], "pg-lead")
        for an in (x for x in ANALYSES if x.section == sid):
            if pg.missing(an.key):
                continue
            for o in an.outputs:
                if not o.report:
                    continue
                if pg.missing(o.key):
                    continue
                if o.key in ("count_discrepancies", "rejected", "personal") and not len(
                        t.get(o.key, ())):
                    continue
                if o.key not in t or not len(t[o.key]):  # say why, not an empty table
                    if o.key in t or o.key in NOT_COMPUTED:
                        why = NOT_COMPUTED.get(o.key, _EMPTY)
                        pg.h3(o.zh, o.en)
                        pg.parts.append(f'<p class="pg-missing">'
                                        f'{_e(pg.t("未计算:", "Not computed: "))}'
                                        f'{_e(pg.t(*why))}</p>')
                    continue
                _before(pg, o.key)
                pg.h3(o.zh, o.en)
                pg.table(o.key, page=o.page)
                if o.key == "brokers":
                    pg.h3("交互网络图", "Interactive network")
                    pg.parts.append(a.network_view(lang).fragment("pg-network", "620px"))
        if sid == "data" and "validation" in t and not len(t["validation"]):
            pg.p("数据检查未发现问题。", "No problem found in the data.")
    return pg.pieces()


def _method(pg: _Page) -> None:
    a = pg.a
    rows = []
    steps = {an.key: (an.zh, an.en) for an in ANALYSES}
    for k, v in a.params.items():
        if k == "rules":
            for rk, rv in v.items():
                rows.append(param_text(f"rules.{rk}", rv, pg.lang))
        elif k == "window":
            w = " – ".join(x.date().isoformat() if x is not None else "…" for x in v)
            if w == "… – …":
                w = pg.t("全部时段", "all time")
            rows.append((param_text(k, None, pg.lang)[0], w))
        else:
            rows.append(param_text(k, v, pg.lang))
    for k, v in a.timings.items():
        step = steps.get(k, {"load": ("读取与检查数据", "reading")}.get(k, (k, k)))
        rows.append((f"{pg.t('用时(秒)', 'seconds')}·{step[0 if pg.zh else 1]}", f"{v:.2f}"))
    pg.table("params", pd.DataFrame(rows, columns=["parameter", "value"]), page=50)


REPORT_CSS = """
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", "Microsoft YaHei",
       "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; color: #222;
       background: #f6f7f9; }
header { background: #8b1a1a; color: #fff; padding: 14px 24px 6px; position: sticky; top: 0;
         z-index: 10; }
header h1 { margin: 0; font-size: 22px; }
.pg-meta { font-size: 12px; opacity: .85; }
nav a { color: #fff; margin-right: 16px; font-size: 13px; text-decoration: none; }
nav a:hover { text-decoration: underline; }
main { max-width: 1280px; margin: 0 auto; padding: 8px 24px 60px; }
section { background: #fff; margin: 18px 0; padding: 8px 20px 18px; border-radius: 6px;
          box-shadow: 0 1px 3px rgba(0,0,0,.08); scroll-margin-top: 90px; }
h2 { border-bottom: 2px solid #8b1a1a; padding-bottom: 4px; }
h3 { margin: 22px 0 6px; font-size: 16px; }
.pg-lead { color: #555; }
.pg-missing { color: #8a6d3b; background: #fcf8e3; padding: 6px 10px; border-radius: 4px; }
.pg-cards { display: flex; flex-wrap: wrap; gap: 10px; }
.pg-card { flex: 1 1 180px; max-width: 240px; border: 1px solid #e3e3e3; border-radius: 6px;
           padding: 8px 12px; background: #fafafa; }
.pg-card.pg-warn { border-color: #d9534f; background: #fdf2f2; }
.pg-card-label { font-size: 12px; color: #666; }
.pg-card-value { font-size: 24px; font-weight: 600; }
.pg-card-sub { font-size: 12px; color: #888; }
figure { margin: 12px 0; } figure img { max-width: 100%; height: auto; }
.pg-table { margin: 6px 0 14px; }
.pg-tools { display: flex; gap: 10px; align-items: center; margin-bottom: 4px; }
.pg-tools input { padding: 3px 8px; width: 240px; border: 1px solid #ccc; border-radius: 4px; }
.pg-count, .pg-cut { font-size: 12px; color: #777; }
.pg-scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border-bottom: 1px solid #eee; padding: 3px 8px; text-align: left;
         white-space: nowrap; max-width: 420px; overflow: hidden; text-overflow: ellipsis; }
th { background: #f0f0f0; cursor: pointer; user-select: none; position: sticky; top: 0; }
th.pg-asc::after { content: " ▲"; } th.pg-desc::after { content: " ▼"; }
td.pg-pin { position: sticky; background: #fff; z-index: 1; }
th.pg-pin { position: sticky; z-index: 3; }
td.pg-pin:last-of-type, th.pg-pin { box-shadow: inset -1px 0 #e3e3e3; }
td.pg-num { text-align: right; font-variant-numeric: tabular-nums; }
tr:hover td { background: #fff8e6; }
.pg-pager { font-size: 12px; color: #555; margin-top: 4px; }
.pg-pager button { border: 1px solid #ccc; background: #fff; border-radius: 3px;
                   cursor: pointer; padding: 0 8px; }
.pg-print { float: right; margin-top: 2px; border: 1px solid #fff; background: transparent;
            color: #fff; border-radius: 4px; padding: 2px 10px; cursor: pointer; }
@page { size: A4 landscape; margin: 12mm 10mm; }
@media print {
  body { background: #fff; font-size: 11px; }
  header { position: static; background: #fff; color: #000; border-bottom: 2px solid #8b1a1a; }
  header nav, .pg-tools, .pg-pager, .pg-print, button, input { display: none !important; }
  main { max-width: none; padding: 0; }
  section { box-shadow: none; margin: 0 0 8px; padding: 0; border-radius: 0; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  figure, img, .pg-card, tr { break-inside: avoid; page-break-inside: avoid; }
  .pg-scroll { overflow: visible; }
  table { width: 100%; table-layout: fixed; font-size: 9px; }
  thead { display: table-header-group; }
  th, td.pg-pin, th.pg-pin { position: static; cursor: default; box-shadow: none; }
  th, td { white-space: normal; overflow: visible; text-overflow: clip; max-width: none;
           word-break: break-all; padding: 1px 3px; }
  .pg-network, .pg-network-box { break-inside: avoid; page-break-inside: avoid; }
}
"""

TABLE_JS = r"""
(function () {
  "use strict";
  function fmt(v, type) {
    if (v === null || v === undefined) return "";
    if (typeof v === "boolean") return v ? "✓" : "";
    if (type === "pct" && typeof v === "number") return (v * 100).toFixed(1) + "%";
    if (type === "float" && typeof v === "number")
      return v.toLocaleString(undefined, {maximumFractionDigits: 3});
    if (type === "int" && typeof v === "number") return v.toLocaleString();
    return String(v);
  }
  function setup(box) {
    var d = JSON.parse(box.querySelector("script.pg-data").textContent);
    var cols = d.columns, all = d.rows, rows = all, page = 0, size = d.page || 20;
    var sortCol = -1, dir = 1, text = null;
    var thead = box.querySelector("thead"), tbody = box.querySelector("tbody");
    var input = box.querySelector("input"), count = box.querySelector(".pg-count");
    var pageLabel = box.querySelector(".pg-page");
    var tr = document.createElement("tr");
    cols.forEach(function (c, j) {
      var th = document.createElement("th");
      th.textContent = c.label;
      th.addEventListener("click", function () {
        dir = sortCol === j ? -dir : 1; sortCol = j;
        Array.prototype.forEach.call(tr.children, function (h) {
          h.classList.remove("pg-asc", "pg-desc");
        });
        th.classList.add(dir > 0 ? "pg-asc" : "pg-desc");
        sort(); page = 0; draw();
      });
      tr.appendChild(th);
    });
    thead.appendChild(tr);
    function sort() {
      var j = sortCol, numeric = cols[j].type !== "text";
      rows = rows.slice().sort(function (a, b) {
        var x = a[j], y = b[j];
        if (x === null || x === undefined) return (y === null || y === undefined) ? 0 : 1;
        if (y === null || y === undefined) return -1;
        if (numeric && typeof x === "number" && typeof y === "number") return (x - y) * dir;
        return String(x).localeCompare(String(y), "zh-CN") * dir;
      });
    }
    function filter() {
      var q = input.value.trim().toLowerCase();
      if (!q) { rows = all; }
      else {
        if (text === null) text = all.map(function (r) {
          return r.map(function (v, j) { return fmt(v, cols[j].type); })
                  .join("\u0001").toLowerCase();
        });
        rows = all.filter(function (r, i) { return text[i].indexOf(q) >= 0; });
      }
      if (sortCol >= 0) sort();
      page = 0; draw();
    }
    function draw() {
      var pages = Math.max(1, Math.ceil(rows.length / size));
      if (page >= pages) page = pages - 1;
      var frag = document.createDocumentFragment();
      rows.slice(page * size, page * size + size).forEach(function (r) {
        var row = document.createElement("tr");
        r.forEach(function (v, j) {
          var td = document.createElement("td");
          td.textContent = fmt(v, cols[j].type);
          if (cols[j].type !== "text") td.className = "pg-num";
          if (typeof v === "string" && v.length > 40) td.title = v;
          row.appendChild(td);
        });
        frag.appendChild(row);
      });
      tbody.textContent = "";
      tbody.appendChild(frag);
      pin();
      count.textContent = rows.length === all.length ? all.length.toLocaleString() + " ⋯"
        : rows.length.toLocaleString() + " / " + all.length.toLocaleString();
      count.textContent = count.textContent.replace(" ⋯", "");
      pageLabel.textContent = " " + (page + 1) + " / " + pages + " ";
    }
    function pin() {  // the key columns (name, place, action) stay in view sideways
      var ths = thead.querySelectorAll("th"), left = 0;
      for (var j = 0; j < (d.keys || 0) && j < ths.length; j++) {
        var cells = [ths[j]].concat(Array.prototype.slice.call(
          tbody.querySelectorAll("tr > td:nth-child(" + (j + 1) + ")")));
        cells.forEach(function (c) { c.classList.add("pg-pin"); c.style.left = left + "px"; });
        left += ths[j].getBoundingClientRect().width;
      }
    }
    box.pgPrint = function (on) {  // every row on paper, the page back on screen
      if (on) { size = Math.max(rows.length, 1); page = 0; } else { size = d.page || 20; }
      draw();
    };
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer); timer = setTimeout(filter, 150);
    });
    box.querySelectorAll(".pg-pager button").forEach(function (b) {
      b.addEventListener("click", function () {
        page += parseInt(b.getAttribute("data-step"), 10);
        if (page < 0) page = 0;
        draw();
      });
    });
    draw();
    box.setAttribute("data-ready", "1");
  }
  document.querySelectorAll(".pg-table").forEach(setup);
  function printing(on) {
    document.querySelectorAll(".pg-table").forEach(function (b) { if (b.pgPrint) b.pgPrint(on); });
  }
  window.addEventListener("beforeprint", function () { printing(true); });
  window.addEventListener("afterprint", function () { printing(false); });
  if (window.matchMedia) {
    var mq = window.matchMedia("print");
    var onChange = function (e) { printing(e.matches); };
    if (mq.addEventListener) mq.addEventListener("change", onChange);
    else if (mq.addListener) mq.addListener(onChange);
  }
  var btn = document.querySelector(".pg-print");
  if (btn) btn.addEventListener("click", function () { printing(true); window.print(); });
})();
"""
