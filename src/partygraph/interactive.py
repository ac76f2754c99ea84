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

from ._graphs import _layout
from .errors import PartygraphError, check_choice
from .labels import (
    DOMAIN_COLOURS,
    KIND_COLOURS,
    UNKNOWN_COLOUR,
    check_lang,
    label,
)
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
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
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
    method: str = "actor network, Fruchterman–Reingold layout in Python, physics off"

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
            node = {"id": str(r.id), "label": _text(r.label), "title": _text(r.title),
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
                    "title": _text(r.title),
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
            "nodes": {"font": {"size": 12, "face": "sans-serif"}},
            "edges": {"smooth": False, "selectionWidth": 2},
        }
        return {"nodes": nodes, "edges": edges, "options": options}

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

    def fragment(self, element_id: str = "pg-network", height: str = "640px") -> str:
        """The view as an HTML fragment (legend, canvas, data and the script that draws it);
        the page must include :func:`vis_network_assets` once (see :meth:`html`)."""
        eid = html.escape(element_id, quote=True)
        return f"""<div class="pg-network-wrap">
<div class="pg-legend">{self.legend_html()}</div>
<div class="pg-caption">{html.escape(self.caption)}</div>
<div id="{eid}" class="pg-network" style="height:{html.escape(height, quote=True)}"></div>
<script type="application/json" id="{eid}-data">{_json(self._vis_data())}</script>
<script>(function() {{
  var id = {_json(element_id)};
  var box = document.getElementById(id);
  var d = JSON.parse(document.getElementById(id + "-data").textContent);
  var net = new vis.Network(box, {{nodes: new vis.DataSet(d.nodes),
                                  edges: new vis.DataSet(d.edges)}}, d.options);
  net.once("afterDrawing", function() {{ box.setAttribute("data-drawn", "1"); }});
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
        return _actor_view(wl, t, lang, seed, name, params)
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


def _actor_view(wl, t, lang, seed, name, params) -> NetworkView:
    zh = lang == "zh"
    n = len(wl)
    a = t["a"].to_numpy(dtype=np.int64)
    b = t["b"].to_numpy(dtype=np.int64)
    pos = _layout(n, a, b, t["weight"].to_numpy(dtype=float), seed)
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
        "size": 8 + 2.5 * np.sqrt(wl["ties"].to_numpy(dtype=float))})
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
    e = pd.DataFrame({"s": np.minimum(a, b), "t": np.maximum(a, b),
                      "kind": t["kind"].astype(str).to_numpy(),
                      "w": t["weight"].to_numpy(dtype=float)})
    internal = e[e["s"] == e["t"]].groupby("s").size().reindex(range(g), fill_value=0)
    e = e[e["s"] != e["t"]].groupby(["s", "t", "kind"], as_index=False).agg(
        count=("w", "size"), weight=("w", "sum"))
    dropped = 0
    if len(e) > max_edges:
        e = e.sort_values("count", ascending=False, kind="stable")
        dropped = len(e) - max_edges
        e = e.head(max_edges)
    pos = _layout(g, e["s"].to_numpy(), e["t"].to_numpy(), e["count"].to_numpy(float), seed)
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
        "size": 10 + 3 * np.sqrt(agg["actors"].to_numpy(dtype=float))})
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

    >>> import partygraph as pg
    >>> len(pg.to_pyvis(pg.load_example("demo"), level="street").nodes) > 0
    True
    """
    return network_view(net, **kwargs).to_pyvis()
