"""The interactive network: actors and their ties in the browser, offline.

:func:`network_view` lays the actor network out in Python (a vectorised
Fruchterman–Reingold), and writes it with
partygraph's own writer around the vis-network 9.1.2 build that the pyvis wheel ships, inlined
into the page: the file opens with no network at all, and in Jupyter (JupyterLab, VS Code,
classic) the view shows inline as an ``<iframe srcdoc>``, which works where a link to a file
does not. Every label and tooltip is data (JSON, ``<`` escaped) that vis-network draws on a
canvas or sets as plain text; legend and headings are HTML-escaped, so a unit named
``<script>…`` shows as text.

Nodes are coloured by domain; walled-in actors are red-bordered squares, paper-only ones
triangles. Every tie is its own edge, coloured by kind (paper kinds dashed), and parallel ties
are drawn as separate curves (two projects between the same two units are two edges). Physics
is off: positions come from Python. Above ``max_nodes`` actors (``pg.config.
network_max_nodes``, 1,500) or ``max_edges`` ties, the view aggregates actors into
(community, domain) groups — or street, district... until it fits — with one edge per pair of
groups and tie kind, its width by count; the caption says so.

pyvis 0.3.2 (the last release) loads vis-network and Bootstrap from CDNs in every mode, writes
with the locale encoding and collapses parallel edges of undirected graphs, which is why
partygraph writes its own page; :meth:`NetworkView.to_pyvis` still gives a pyvis ``Network``
(parallel edges kept) for users who want to customise one.

Examples
--------
>>> import partygraph as pg
>>> view = pg.network_view(pg.load_example("demo"))
>>> view.level, len(view.nodes) > 0
('actor', True)
>>> import re
>>> re.search(r'(src|href)="?(https?:)?//', view.html()) is None
True
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .errors import PartygraphError, check_choice
from .labels import (
    DOMAIN_COLOURS,
    KIND_COLOURS,
    UNKNOWN_COLOUR,
    check_lang,
    label,
)
from .layout import cluster_layout, fit_zoom, label_levels
from .results import Result
from .settings import config

if TYPE_CHECKING:
    from .network import CoBuildingNetwork

__all__ = ["NetworkView", "network_view", "to_pyvis", "vis_network_assets"]

_PAPER = {"pair", "agreement", "council", "body", "registration", "covers", "cross_post"}
_SHAPES = {"walled_in": "square", "paper_only": "triangle", "linked": "dot"}
_LEVELS = ("community", "street", "district", "city", "province")

#: Content Security Policy of every page partygraph writes: nothing may be loaded from
#: anywhere (inline scripts, styles and data: images only).
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
       "img-src data:; font-src data:")


@cache
def vis_network_assets() -> tuple[str, str]:
    """The vis-network 9.1.2 JavaScript and CSS shipped in the pyvis wheel, as text.

    Raises
    ------
    PartygraphError
        When pyvis is not installed (``pip install pyvis``).
    """
    try:
        import pyvis
    except ImportError as exc:  # pragma: no cover - pyvis is a dependency
        raise PartygraphError("the interactive network needs pyvis (pip install pyvis) / "
                              "交互网络图需要安装 pyvis") from exc
    base = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    js = (base / "vis-network.min.js").read_text(encoding="utf-8")
    css = (base / "vis-network.css").read_text(encoding="utf-8")
    return js, css


def _json(data: object) -> str:
    """JSON that is safe inside ``<script>`` (no ``</script>``, no ``<!--``)."""
    return script_safe(json.dumps(data, ensure_ascii=False, allow_nan=False,
                                  separators=(",", ":")))


def script_safe(text: str) -> str:
    """JSON text made safe inside ``<script>``: ``<``, ``>``, ``&`` and the two line
    separators JavaScript once refused in strings, escaped."""
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _text(v: object) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return ""
    return str(v)


@dataclass
class NetworkView(Result):
    """An interactive network: nodes and edges with positions, ready to write.

    Attributes
    ----------
    nodes : DataFrame
        ``id, label, domain, status, actors, walled_in, paper_only, ties, x, y, title``
        (``actors`` is 1 in the actor view; groups count their actors).
    edges : DataFrame
        ``source, target, kind, count, weight, title``: one row per tie in the actor view,
        per pair of groups and kind in an aggregated view.
    level : str
        ``actor``, or the region level of the groups (``community``, ``street``...), or
        ``domain``.
    caption : str
        What the view shows, and what was aggregated or left out.
    lang : str
    params : dict
    method : str
    """

    nodes: pd.DataFrame
    edges: pd.DataFrame
    level: str
    caption: str
    lang: str = "zh"
    title: str = ""
    params: dict = field(default_factory=dict)
    method: str = ("actor network, clusters by place (partygraph.layout), labels by zoom, "
                   "physics off")

    def __repr__(self) -> str:
        return (f"<NetworkView {self.level} level: {len(self.nodes):,} nodes, "
                f"{len(self.edges):,} edges>")

    # ------------------------------------------------------------------ data for vis
    def _vis_data(self) -> dict:
        n = self.nodes
        nodes = []
        for r in n.itertuples(index=False):
            status = r.status if self.level == "actor" else (
                "walled_in" if r.walled_in * 2 > r.actors else "linked")
            lv = float(r.label_level) if np.isfinite(r.label_level) else 1e9
            node = {"id": str(r.id), "label": _text(r.label) if lv <= 1 else "",
                    "full": _text(r.label), "lv": lv, "side": float(r.label_side),
                    "off": float(r.label_offset),
                    "domain": _text(r.domain), "status": status,
                    "title": _text(r.title),
                    "x": float(r.x), "y": float(r.y), "shape": _SHAPES.get(status, "dot"),
                    "color": {"background": DOMAIN_COLOURS.get(r.domain, UNKNOWN_COLOUR),
                              "border": "#d62728" if status == "walled_in" else "#333333"},
                    "borderWidth": 3 if status == "walled_in" else 1,
                    "size": float(r.size)}
            nodes.append(node)
        e = self.edges
        pair = pd.Series(np.minimum(e["source"].astype(str), e["target"].astype(str))
                         + "\x00" + np.maximum(e["source"].astype(str),
                                               e["target"].astype(str)))
        rank = pair.groupby(pair).cumcount().to_numpy()
        many = pair.map(pair.value_counts()).to_numpy() > 1
        edges = []
        for i, r in enumerate(e.itertuples(index=False)):
            edge = {"id": i, "from": str(r.source), "to": str(r.target),
                    "title": _text(r.title), "kind": str(r.kind),
                    "color": {"color": KIND_COLOURS.get(r.kind, "#999999"),
                              "opacity": 0.75},
                    "dashes": r.kind in _PAPER,
                    "width": float(r.width)}
            if many[i]:
                k = int(rank[i])
                edge["smooth"] = {"enabled": True,
                                  "type": "curvedCW" if k % 2 == 0 else "curvedCCW",
                                  "roundness": 0.12 * (k // 2 + 1)}
            edges.append(edge)
        options = {
            "physics": {"enabled": False},
            "layout": {"improvedLayout": False},
            "interaction": {"hover": True, "tooltipDelay": 80, "hideEdgesOnDrag": True,
                            "navigationButtons": False, "multiselect": True},
            "nodes": {"font": {"size": 12, "face": "sans-serif", "strokeWidth": 3,
                               "strokeColor": "#ffffff"}},
            "edges": {"smooth": False, "selectionWidth": 2},
        }
        return {"nodes": nodes, "edges": edges, "options": options,
                "base": float(self.params.get("fit_zoom", 1.0))}

    def legend_html(self) -> str:
        """The legend, escaped HTML."""
        zh = self.lang == "zh"
        parts = []
        domains = [d for d in DOMAIN_COLOURS if d in set(self.nodes["domain"])]
        if set(self.nodes["domain"]) - set(DOMAIN_COLOURS):
            domains.append("")
        items = "".join(
            f'<span class="pg-key"><i style="background:'
            f'{DOMAIN_COLOURS.get(d, UNKNOWN_COLOUR)}"></i>'
            f'{html.escape(label("domain", d or None, self.lang))}</span>' for d in domains)
        parts.append(f'<div><b>{"领域" if zh else "Domain"}</b> {items}</div>')
        if self.level == "actor":
            shapes = (("●", "linked"), ("▲", "paper_only"), ("■", "walled_in"))
            items = "".join(
                f'<span class="pg-key"><span class="pg-shape{" pg-red" if s == "walled_in" else ""}'
                f'">{g}</span>{html.escape(label("status", s, self.lang))}</span>'
                for g, s in shapes)
        else:
            items = html.escape("红框方块:组内过半为围墙内单位" if zh
                                else "red-bordered square: most of the group walled in")
        parts.append(f'<div><b>{"状态" if zh else "Status"}</b> {items}</div>')
        kinds = [k for k in KIND_COLOURS if k in set(self.edges["kind"])]
        items = "".join(
            f'<span class="pg-key"><i class="pg-line{" pg-dash" if k in _PAPER else ""}" '
            f'style="border-color:{KIND_COLOURS[k]}"></i>'
            f'{html.escape(label("tie_kind", k, self.lang))}</span>' for k in kinds)
        parts.append(f'<div><b>{"联系" if zh else "Ties"}</b> {items} '
                     f'<span class="pg-note">{"虚线为纸面联系" if zh else "dashed: on paper"}'
                     f'</span></div>')
        return "\n".join(parts)

    def controls_html(self, element_id: str) -> str:
        """Search, fit and filters above the canvas, escaped HTML."""
        zh = self.lang == "zh"
        eid = html.escape(element_id, quote=True)
        names = "".join(f'<option value="{html.escape(_text(v), quote=True)}">'
                        for v in sorted(set(self.nodes["label"].map(_text))) if v)

        def boxes(kind: str, codes: list[str], what: str) -> str:
            return "".join(
                f'<label class="pg-filter"><input type="checkbox" checked data-{kind}='
                f'"{html.escape(c, quote=True)}">{html.escape(label(what, c or None, self.lang))}'
                f'</label>' for c in codes)

        domains = [d for d in [*DOMAIN_COLOURS, ""] if d in set(self.nodes["domain"].map(_text))]
        statuses = [s for s in ("linked", "paper_only", "walled_in")
                    if s in set(self.nodes["status"].astype(str))] if self.level == "actor" else []
        kinds = [k for k in KIND_COLOURS if k in set(self.edges["kind"])]
        parts = [f'<input type="search" class="pg-search" list="{eid}-names" placeholder="'
                 f'{"查找单位(输入名称)" if zh else "find an actor by name"}">'
                 f'<datalist id="{eid}-names">{names}</datalist>',
                 f'<button type="button" data-act="fit">{"适应窗口" if zh else "fit view"}'
                 f'</button>',
                 f'<details class="pg-filters"><summary>{"筛选" if zh else "filter"}</summary>'
                 f'<div><b>{"领域" if zh else "domain"}</b> {boxes("domain", domains, "domain")}'
                 f'</div>']
        if statuses:
            parts.append(f'<div><b>{"状态" if zh else "status"}</b> '
                         f'{boxes("status", statuses, "status")}</div>')
        parts.append(f'<div><b>{"联系" if zh else "ties"}</b> {boxes("kind", kinds, "tie_kind")}'
                     f'</div></details>')
        return f'<div class="pg-controls" data-for="{eid}">{"".join(parts)}</div>'

    def fragment(self, element_id: str = "pg-network", height: str = "640px") -> str:
        """The view as an HTML fragment (legend, controls, canvas, data and the script that
        draws it); the page must include :func:`vis_network_assets` once (see :meth:`html`).

        Labels: the largest actors' are shown; more appear as the reader zooms in (each
        from the zoom at which it overlaps no other, at a constant size on screen), and the
        hovered or selected actor's, with its partners', always. The search box selects an
        actor by name and zooms to it; the filters hide domains, statuses and tie kinds."""
        eid = html.escape(element_id, quote=True)
        return f"""<div class="pg-network-wrap">
<div class="pg-legend">{self.legend_html()}</div>
<div class="pg-caption">{html.escape(self.caption)}</div>
{self.controls_html(element_id)}
<div id="{eid}" class="pg-network" style="height:{html.escape(height, quote=True)}"></div>
<script type="application/json" id="{eid}-data">{_json(self._vis_data())}</script>
<script>(function() {{
  var id = {_json(element_id)};
  var box = document.getElementById(id);
  var d = JSON.parse(document.getElementById(id + "-data").textContent);
  var nodes = new vis.DataSet(d.nodes), edges = new vis.DataSet(d.edges);
  var net = new vis.Network(box, {{nodes: nodes, edges: edges}}, d.options);
  var fit = null, focus = {{}}, timer = null, shown = {{}};
  function relabel() {{
    var s = net.getScale(), rel = s / d.base, fs = 12 / s, h = fs * 1.25, upd = [];
    d.nodes.forEach(function(n) {{
      var on = n.lv <= rel * 1.0001 || !!focus[n.id];
      var va = n.side > 0 ? n.off : -(2 * n.size + 4) - n.off - h;
      if (on !== shown[n.id] || on) {{
        upd.push({{id: n.id, label: on ? n.full : "", font: {{size: fs, vadjust: va}}}});
        shown[n.id] = on;
      }}
    }});
    nodes.update(upd);
  }}
  function later() {{ clearTimeout(timer); timer = setTimeout(relabel, 60); }}
  function around(ids) {{
    focus = {{}};
    ids.forEach(function(x) {{
      focus[x] = 1;
      net.getConnectedNodes(x).forEach(function(y) {{ focus[y] = 1; }});
    }});
    relabel();
  }}
  net.once("afterDrawing", function() {{
    net.fit(); fit = net.getScale(); relabel(); box.setAttribute("data-drawn", "1");
  }});
  net.on("zoom", later);
  net.on("hoverNode", function(p) {{ focus[p.node] = 1; relabel(); }});
  net.on("blurNode", function(p) {{
    if (net.getSelectedNodes().indexOf(p.node) < 0) {{ delete focus[p.node]; relabel(); }}
  }});
  net.on("selectNode", function(p) {{ around(p.nodes); }});
  net.on("deselectNode", function() {{ focus = {{}}; relabel(); }});
  var ctl = document.querySelector('.pg-controls[data-for="' + id + '"]');
  if (ctl) {{
    ctl.querySelector('[data-act="fit"]').addEventListener("click", function() {{
      net.fit({{animation: true}});
    }});
    ctl.querySelector(".pg-search").addEventListener("change", function(ev) {{
      var v = ev.target.value.trim();
      var hit = d.nodes.filter(function(n) {{ return n.full === v; }})
        .concat(d.nodes.filter(function(n) {{ return v && n.full.indexOf(v) >= 0; }}));
      if (!hit.length) return;
      net.selectNodes([hit[0].id]);
      around([hit[0].id]);
      net.focus(hit[0].id, {{scale: Math.max(net.getScale(), fit * 2.5), animation: true}});
    }});
    function refilter() {{
      var off = {{domain: {{}}, status: {{}}, kind: {{}}}};
      ctl.querySelectorAll("input[type=checkbox]").forEach(function(c) {{
        ["domain", "status", "kind"].forEach(function(k) {{
          if (c.hasAttribute("data-" + k) && !c.checked) off[k][c.getAttribute("data-" + k)] = 1;
        }});
      }});
      var hidden = {{}};
      nodes.update(d.nodes.map(function(n) {{
        var h = !!(off.domain[n.domain] || off.status[n.status]);
        if (h) hidden[n.id] = 1;
        return {{id: n.id, hidden: h}};
      }}));
      edges.update(d.edges.map(function(e) {{
        return {{id: e.id, hidden: !!(off.kind[e.kind] || hidden[e.from] || hidden[e.to])}};
      }}));
    }}
    ctl.querySelectorAll("input[type=checkbox]").forEach(function(c) {{
      c.addEventListener("change", refilter);
    }});
  }}
  window.partygraphNetworks = window.partygraphNetworks || {{}};
  window.partygraphNetworks[id] = net;
}})();</script>
</div>"""

    def html(self, height: str = "720px") -> str:
        """A standalone HTML document: opens offline, nothing loaded from elsewhere."""
        js, css = vis_network_assets()
        title = html.escape(self.title or ("交互网络图" if self.lang == "zh"
                                           else "Interactive network"))
        return f"""<!DOCTYPE html>
<html lang="{'zh-CN' if self.lang == 'zh' else 'en'}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>{title}</title>
<style>{css}</style><style>{NETWORK_CSS}</style>
<script>{js}</script></head>
<body><h1 class="pg-title">{title}</h1>
{self.fragment("pg-network", height)}
</body></html>"""

    def write(self, path: str | Path) -> Path:
        """Write :meth:`html` to a file, in UTF-8 whatever the system's locale."""
        path = Path(path)
        from .writing import output_file

        output_file(path).write_text(self.html(), encoding="utf-8")
        return path

    def _repr_html_(self) -> str:
        doc = html.escape(self.html(height="600px"), quote=True)
        return (f'<iframe srcdoc="{doc}" sandbox="allow-scripts" '
                f'style="width:100%;height:700px;border:1px solid #ddd"></iframe>')

    def to_pyvis(self, **kwargs: object):
        """A pyvis ``Network`` with the same nodes, positions and (parallel) edges.

        Edges are appended to ``Network.edges`` directly, because ``add_edge`` of an
        undirected pyvis network drops a second edge between the same two nodes. Note that
        pyvis's own ``write_html``/``show`` load scripts from CDNs: use :meth:`write` for a
        file that opens offline.

        Examples
        --------
        >>> import partygraph as pg
        >>> nw = pg.network_view(pg.load_example("demo")).to_pyvis()
        >>> type(nw).__name__
        'Network'
        """
        from pyvis.network import Network

        kwargs.setdefault("height", "720px")
        kwargs.setdefault("width", "100%")
        nw = Network(**kwargs)
        data = self._vis_data()
        for n in data["nodes"]:
            nid = n.pop("id")
            nw.add_node(nid, **n)
        nw.edges.extend({k: v for k, v in e.items() if k != "id"} for e in data["edges"])
        nw.toggle_physics(False)
        return nw


NETWORK_CSS = """
.pg-network { width: 100%; border: 1px solid #ddd; background: #fff; }
.pg-legend { font-size: 13px; line-height: 1.9; margin: 4px 0; }
.pg-legend b { margin-right: 6px; }
.pg-key { margin-right: 12px; white-space: nowrap; }
.pg-key i { display: inline-block; width: 11px; height: 11px; border-radius: 50%;
            margin-right: 4px; vertical-align: -1px; }
.pg-key i.pg-line { width: 22px; height: 0; border-radius: 0; border-top: 3px solid; }
.pg-key i.pg-dash { border-top-style: dashed; }
.pg-shape { margin-right: 4px; color: #555; } .pg-red { color: #d62728; }
.pg-caption, .pg-note { font-size: 12px; color: #666; }
.pg-title { font: 600 20px sans-serif; }
.pg-controls { font-size: 13px; margin: 4px 0; display: flex; flex-wrap: wrap; gap: 8px;
               align-items: flex-start; }
.pg-controls input.pg-search { width: 16em; padding: 2px 4px; }
.pg-filters summary { cursor: pointer; } .pg-filters div { margin: 2px 0; }
.pg-filter { margin-right: 10px; white-space: nowrap; }
div.vis-tooltip { white-space: pre-line; font-size: 12px; }
"""


# ----------------------------------------------------------------------------- building


def _tooltip(lines: list[tuple[str, object]]) -> str:
    return "\n".join(f"{k}: {_text(v)}" if k else _text(v) for k, v in lines
                     if _text(v) != "")


def network_view(
    net: CoBuildingNetwork,
    *,
    window: object = None,
    region: str | None = None,
    max_nodes: int | None = None,
    max_edges: int = 10_000,
    level: str | None = None,
    lang: str = "zh",
    seed: int = 1,
    ties: pd.DataFrame | None = None,
    walls: pd.DataFrame | None = None,
    title: str | None = None,
) -> NetworkView:
    """The actor network (or a region's sub-network) as an interactive view.

    Parameters
    ----------
    net : CoBuildingNetwork
    window : tuple, optional
        The analysis window of the ties.
    region : str, optional
        Only this street or community (id or name): ``net.subset(region)``.
    max_nodes : int, optional
        Most nodes drawn one by one (default ``pg.config.network_max_nodes``, 1,500); above
        it, actors are grouped (see ``level``).
    max_edges : int
        Most edges: an actor view with more ties is grouped too; an aggregated view keeps
        the heaviest edges and says how many were left out.
    level : str, optional
        Force an aggregated view by region level (``community``, ``street``, ``district``)
        or by ``domain`` alone; default: actors if they fit, else the finest level that fits.
    lang : {"zh", "en"}
    seed : int
        Seed of the layout (same seed, same picture).
    ties, walls : DataFrame, optional
        From :func:`horizontal_ties` and :func:`walled_in_units`, to reuse.
    title : str, optional

    Returns
    -------
    NetworkView
        ``.write(path)`` for a standalone file, shown inline in Jupyter,
        ``.to_pyvis()`` for a pyvis Network.

    Examples
    --------
    >>> import partygraph as pg
    >>> net = pg.load_example("demo")
    >>> pg.network_view(net, level="street").level
    'street'
    >>> pg.network_view(net, max_nodes=50).level in {"community", "street"}
    True
    """
    from .ties import horizontal_ties
    from .walls import aligned_statuses as _aligned

    check_lang(lang)
    if region is not None:
        net = net.subset(region)
        ties = walls = None
    cap = config.network_max_nodes if max_nodes is None else max_nodes
    t = horizontal_ties(net, window) if ties is None else ties
    wl = _aligned(net, window, t, walls)
    zh = lang == "zh"
    params = {"window": net.resolve_window(window), "region": region, "max_nodes": cap,
              "max_edges": max_edges, "level": level, "seed": seed}
    name = title or ("区域化党建联系网络" if zh else "Co-building network")
    if level is None and len(wl) <= cap and len(t) <= max_edges:
        return _actor_view(net, wl, t, lang, seed, name, params)
    levels = [level] if level is not None else [*_LEVELS, "domain"]
    if level is not None and level not in (*_LEVELS, "domain"):
        check_choice("level", level, (*_LEVELS, "domain"))
    for lv in levels:
        keys = _group_keys(net, wl, lv)
        if keys is None or (len(pd.unique(keys[0])) > cap and lv != levels[-1]):
            continue
        view = _group_view(net, wl, t, lv, lang, seed, name, params, max_edges, keys)
        if view is not None:
            why = (f"共建单位 {len(wl):,} 个、联系 {len(t):,} 条,超过逐一显示上限"
                   f"({cap:,} 个 / {max_edges:,} 条),按{label('region_level', lv, 'zh')}"
                   f"与领域合并显示。" if zh else
                   f"{len(wl):,} actors and {len(t):,} ties exceed what is drawn one by one "
                   f"({cap:,} / {max_edges:,}); grouped by {lv} and domain. ")
            if level is not None:
                why = (f"按{label('region_level', lv, 'zh')}与领域合并显示。" if zh
                       else f"Grouped by {lv} and domain. ")
            view.caption = why + view.caption
            return view
    raise PartygraphError("no view could be made / 无法生成网络图")  # pragma: no cover


def _place_groups(wl: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each actor's cluster (its community, else its street) and each cluster's street."""
    none = pd.Series(pd.NA, index=wl.index, dtype="str")
    comm = wl["community_id"] if "community_id" in wl.columns else none
    street = wl["street_id"] if "street_id" in wl.columns else none
    key = comm.astype("str").fillna("s:" + street.astype("str").fillna(""))
    codes = pd.factorize(key)[0]
    first = pd.Series(np.arange(len(codes))).groupby(codes).first().to_numpy()
    sup = pd.factorize(street.astype("str").fillna("").to_numpy()[first])[0]
    return codes, sup


def _actor_view(net, wl, t, lang, seed, name, params) -> NetworkView:
    zh = lang == "zh"
    n = len(wl)
    a = t["a"].to_numpy(dtype=np.int64)
    b = t["b"].to_numpy(dtype=np.int64)
    size = 8 + 2.5 * np.sqrt(wl["ties"].to_numpy(dtype=float))
    group, street = _place_groups(wl)
    u = net.tables["units"]
    committee = np.zeros(n, dtype=bool)
    committee[:min(len(u), n)] = u["kind"].isin(["community", "village"]).to_numpy(
        dtype=bool)[:n]
    hub = (wl["domain"] == "hub").to_numpy(dtype=bool)
    over_place = ((wl["actor_type"] == "org") & wl["domain"].isin(["community", "rural"])
                  ).to_numpy(dtype=bool)
    prio = np.where(hub, 3, np.where(committee | over_place, 2, 0))
    pos = cluster_layout(group, a, b, t["weight"].to_numpy(dtype=float), size,
                         priority=prio, super_group=street, seed=seed)
    base = fit_zoom(pos, size)
    levels, side, offset = label_levels(pos, size, wl["name"].astype(str),
                                        wl["ties"].to_numpy(float), base=base)
    params = {**params, "fit_zoom": base}
    status = wl["status"].astype(str)
    none = pd.Series(pd.NA, index=wl.index, dtype="str")
    community = wl["community"] if "community" in wl.columns else none
    place = community.where(community.notna(), wl["street"] if "street" in wl.columns
                            else none)
    titles = [
        _tooltip([("", nm), ("领域" if zh else "domain", label("domain", d, lang)),
                  ("所在" if zh else "where", pl),
                  ("状态" if zh else "status", label("status", s, lang)),
                  ("联系" if zh else "ties", k), ("编码" if zh else "id", i)])
        for nm, d, pl, s, k, i in zip(wl["name"], wl["domain"], place, status, wl["ties"],
                                      wl["actor_id"], strict=True)]
    nodes = pd.DataFrame({
        "id": wl["actor_id"].astype(str), "label": wl["name"].astype(str),
        "domain": wl["domain"].astype(str), "status": status, "actors": 1,
        "walled_in": (status == "walled_in").astype(int),
        "paper_only": (status == "paper_only").astype(int),
        "ties": wl["ties"].to_numpy(), "x": pos[:, 0], "y": pos[:, 1], "title": titles,
        "size": size, "label_level": levels, "label_side": side,
        "label_offset": offset})
    ids = nodes["id"].to_numpy()
    kind = t["kind"].astype(str)
    names = wl["name"].astype(str).to_numpy()
    via = t["via"].astype(str) if "via" in t.columns else pd.Series("", index=t.index)
    etitle = [f"{label('tie_kind', k, lang)}: {names[x]} — {names[y]}"
              + (f" ({v})" if v and k == "project" else "")
              for k, x, y, v in zip(kind, a, b, via.fillna(""), strict=True)]
    edges = pd.DataFrame({"source": ids[a], "target": ids[b], "kind": kind.to_numpy(),
                          "count": 1, "weight": t["weight"].to_numpy(dtype=float),
                          "title": etitle, "width": 1.5})
    caption = (f"{n:,} 个共建单位,{len(t):,} 条横向联系(平行联系逐条显示);"
               f"围墙内 {int(nodes['walled_in'].sum()):,} 个,有协议无活动 "
               f"{int(nodes['paper_only'].sum()):,} 个。拖动、缩放,悬停查看详情。" if zh else
               f"{n:,} actors, {len(t):,} horizontal ties (parallel ties drawn one by one); "
               f"{int(nodes['walled_in'].sum()):,} walled in, "
               f"{int(nodes['paper_only'].sum()):,} paper only. Drag, zoom, hover for details.")
    return NetworkView(nodes, edges, "actor", caption, lang, name, params)


def _group_keys(net, wl, lv) -> tuple[np.ndarray, pd.Series] | None:
    """Each actor's group at level ``lv`` (region id | domain), and its region's name."""
    dom = wl["domain"].astype(str).fillna("")
    if lv == "domain":
        region = pd.Series("", index=wl.index, dtype="str")
        rname = region
    else:
        if not net.has("regions"):
            return None
        if lv == "community":
            region = wl["community_id"]
        elif lv == "street":
            region = wl["street_id"]
        else:
            rid = pd.concat([net.tables["units"]["region_id"],
                             net.tables["orgs"].set_index("id")["region_id"].reindex(
                                 wl["actor_id"].iloc[len(net.tables["units"]):]).reset_index(
                                 drop=True)], ignore_index=True)
            region = net.ancestor(rid, lv)
        region = region.astype("str").fillna("")
        names = net.tables["regions"].set_index("id")["name"]
        rname = region.map(names).astype("str").fillna("")
    return (region + "|" + dom).to_numpy(), rname


def _group_view(net, wl, t, lv, lang, seed, name, params, max_edges,
                keys=None) -> NetworkView | None:
    zh = lang == "zh"
    dom = wl["domain"].astype(str).fillna("")
    keys = keys or _group_keys(net, wl, lv)
    if keys is None:
        return None
    key, rname = keys
    codes, uniq = pd.factorize(key)
    g = len(uniq)
    status = wl["status"].astype(str).to_numpy()
    grp = pd.DataFrame({"g": codes, "walled_in": status == "walled_in",
                        "paper_only": status == "paper_only", "ties": wl["ties"].to_numpy()})
    agg = grp.groupby("g").agg(actors=("g", "size"), walled_in=("walled_in", "sum"),
                               paper_only=("paper_only", "sum"), ties=("ties", "sum"))
    first = pd.Series(np.arange(len(codes))).groupby(codes).first().to_numpy()
    gdom = dom.to_numpy()[first]
    gname = rname.to_numpy()[first]
    glabel = [(f"{r}·{label('domain', d or None, lang)}" if r else
               label("domain", d or None, lang)) for r, d in zip(gname, gdom, strict=True)]
    a = codes[t["a"].to_numpy(dtype=np.int64)]
    b = codes[t["b"].to_numpy(dtype=np.int64)]
    # tie kinds as codes in sorted order (no Python string per tie: 1.8 million at a
    # million members); ties without a kind are left out, as grouping by it would
    kc, kinds = pd.factorize(t["kind"].astype(str), sort=True)
    e = pd.DataFrame({"s": np.minimum(a, b), "t": np.maximum(a, b), "k": kc,
                      "w": t["weight"].to_numpy(dtype=float)})
    internal = e[e["s"] == e["t"]].groupby("s").size().reindex(range(g), fill_value=0)
    e = e[(e["s"] != e["t"]) & (e["k"] >= 0)].groupby(["s", "t", "k"], as_index=False).agg(
        count=("w", "size"), weight=("w", "sum"))
    e.insert(2, "kind", np.asarray(kinds, dtype=object)[e.pop("k").to_numpy()])
    dropped = 0
    if len(e) > max_edges:
        e = e.sort_values("count", ascending=False, kind="stable")
        dropped = len(e) - max_edges
        e = e.head(max_edges)
    size = 10 + 3 * np.sqrt(agg["actors"].to_numpy(dtype=float))
    if lv == "domain":
        cluster, sup = np.zeros(g, dtype=np.int64), None
    else:  # a region's domain groups cluster in the region, a community's near its street
        cluster = pd.factorize(np.asarray([k.rpartition("|")[0] for k in key[first]],
                                          dtype=object))[0]  # by region
        sup = None
        if lv == "community" and "street_id" in wl.columns:
            st = wl["street_id"].astype("str").fillna("").to_numpy()[first]
            fc = pd.Series(np.arange(g)).groupby(cluster).first().to_numpy()
            sup = pd.factorize(st[fc])[0]
    pos = cluster_layout(cluster, e["s"].to_numpy(), e["t"].to_numpy(),
                         e["count"].to_numpy(float), size,
                         priority=agg["actors"].to_numpy(dtype=float), super_group=sup,
                         seed=seed)
    base = fit_zoom(pos, size)
    levels, side, offset = label_levels(pos, size, glabel,
                                        agg["actors"].to_numpy(dtype=float), base=base)
    params = {**params, "fit_zoom": base}
    titles = [
        _tooltip([("", lb), ("共建单位" if zh else "actors", n),
                  ("围墙内" if zh else "walled in", w), ("有协议无活动" if zh else "paper only", p),
                  ("组内联系" if zh else "ties inside", i)])
        for lb, n, w, p, i in zip(glabel, agg["actors"], agg["walled_in"], agg["paper_only"],
                                  internal, strict=True)]
    nodes = pd.DataFrame({
        "id": [f"g{i}" for i in range(g)], "label": glabel, "domain": gdom,
        "status": "", "actors": agg["actors"].to_numpy(),
        "walled_in": agg["walled_in"].to_numpy(dtype=int),
        "paper_only": agg["paper_only"].to_numpy(dtype=int),
        "ties": agg["ties"].to_numpy(), "x": pos[:, 0], "y": pos[:, 1], "title": titles,
        "size": size, "label_level": levels, "label_side": side,
        "label_offset": offset})
    gl = np.asarray(glabel, dtype=object)
    edges = pd.DataFrame({
        "source": [f"g{i}" for i in e["s"]], "target": [f"g{i}" for i in e["t"]],
        "kind": e["kind"].to_numpy(), "count": e["count"].to_numpy(),
        "weight": e["weight"].to_numpy(),
        "title": [f"{label('tie_kind', k, lang)} × {c}: {gl[s]} — {gl[u]}" for k, c, s, u in
                  zip(e["kind"], e["count"], e["s"], e["t"], strict=True)],
        "width": 1 + np.log2(e["count"].to_numpy(dtype=float))})
    caption = (f"{g:,} 组,{len(edges):,} 条组间联系(每种联系一条,线宽为条数)。"
               if zh else f"{g:,} groups, {len(edges):,} edges between groups (one per tie "
               f"kind, width by count).")
    if dropped:
        caption += (f" 另有 {dropped:,} 条较弱的组间联系未显示。" if zh else
                    f" {dropped:,} weaker group edges are not drawn.")
    return NetworkView(nodes, edges, lv, caption, lang, name, params)


def to_pyvis(net: CoBuildingNetwork, **kwargs: object):
    """A pyvis ``Network`` of :func:`network_view` (keyword arguments go to it).

    Parameters
    ----------
    net : CoBuildingNetwork
        The network.
    **kwargs
        Passed to :func:`network_view`.

    Returns
    -------
    pyvis.network.Network
        The same nodes, positions and (parallel) edges.

    >>> import partygraph as pg
    >>> len(pg.to_pyvis(pg.load_example("demo"), level="street").nodes) > 0
    True
    """
    return network_view(net, **kwargs).to_pyvis()
