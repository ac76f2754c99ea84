"""The interactive network: parallel ties kept, walled-in marked, labels escaped, nothing
loaded from elsewhere, an aggregated view above the cap that adds up, pyvis interop."""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pandas as pd
import pytest

import partygraph as pg
from partygraph import interactive

R = "500105002001"
REGIONS = pd.DataFrame({"id": ["500105002000", R], "name": ["观音桥街道", "建北社区"],
                        "level": ["street", "community"], "parent_id": [None, "500105002000"]})
EVIL = '</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'


def small(evil: str = "乙公司") -> pg.CoBuildingNetwork:
    units = pd.DataFrame({"id": ["甲", "乙", "丙", "丁"],
                          "name": ["区司法局", evil, "某协会", "某店"],
                          "kind": ["机关", "非公企业", "社会组织", "非公企业"],
                          "region_id": [R] * 4})
    links = pd.DataFrame({"source": ["甲", "甲", "甲", "乙"], "target": ["乙", "乙", "乙", "丙"],
                          "kind": ["结对共建", "服务", "服务", "共建协议"]})
    return pg.from_frames(units=units, orgs=pd.DataFrame(columns=["id", "name", "kind"]),
                          links=links, regions=REGIONS)


def _data(page: str, element: str = "pg-network") -> dict:
    m = re.search(rf'<script type="application/json" id="{element}-data">(.*?)</script>', page,
                  re.S)
    return json.loads(m.group(1))


def test_parallel_ties_are_separate_edges():
    view = pg.network_view(small())
    assert view.level == "actor"
    d = view._vis_data()
    between = [e for e in d["edges"] if {e["from"], e["to"]} == {"甲", "乙"}]
    assert len(between) == 3  # a pair and two services: three edges
    curves = {(e.get("smooth") or {}).get("type", "straight") + str(
        (e.get("smooth") or {}).get("roundness")) for e in between}
    assert len(curves) == 3  # each drawn on its own curve
    dashed = {e["dashes"] for e in between}
    assert dashed == {True, False}  # the pair (paper) dashed, services solid


def test_walled_in_units_are_marked():
    d = pg.network_view(small())._vis_data()
    node = {n["id"]: n for n in d["nodes"]}
    assert node["丁"]["shape"] == "square" and node["丁"]["color"]["border"] == "#d62728"
    assert node["丙"]["shape"] == "triangle"  # only an agreement: paper only
    assert node["甲"]["shape"] == "dot"


def test_labels_are_data_and_escaped():
    view = pg.network_view(small(EVIL))
    page = view.html()
    assert EVIL not in page
    assert "<script>window.__pwned" not in page
    assert "<img src=x" not in page
    # every "</script" closes one of partygraph's own scripts: the data cannot end one
    body = page.split("</head>", 1)[1]
    assert body.lower().count("</script") == len(re.findall(r"<script[\s>]", body, re.I))
    d = _data(page)
    assert EVIL in [n["label"] for n in d["nodes"]]  # the name itself survives, as data
    assert any(EVIL in n["title"] for n in d["nodes"])
    frame = view._repr_html_()
    assert frame.startswith("<iframe srcdoc=") and "<script" not in frame.split('"')[1]
    assert html.unescape(frame.split('srcdoc="')[1].split('" sandbox')[0]) == view.html(
        height="600px")


def test_nothing_is_loaded_from_elsewhere():
    page = pg.network_view(pg.load_example("demo")).html()
    assert not re.search(r"<(script|img|iframe)[^>]+src=", page, re.I)
    assert not re.search(r"<link\b", page, re.I)
    assert not re.search(r"url\((?!\"?data:)", page)
    assert "@import" not in page
    assert "default-src 'none'" in page


def test_aggregated_view_above_the_cap_adds_up():
    net = pg.load_example("demo")
    ties = pg.horizontal_ties(net)
    walls = pg.actor_statuses(net, ties=ties)  # every actor, hubs included
    view = pg.network_view(net, max_nodes=40, ties=ties, walls=walls)
    assert view.level in {"street", "district", "domain"} and len(view.nodes) <= 40
    assert view.nodes["actors"].sum() == len(walls)
    assert view.nodes["walled_in"].sum() == (walls["status"] == "walled_in").sum()
    # group edges plus ties inside groups are every tie
    inside = view.nodes["title"].str.extract(r"组内联系: (\d+)")[0].fillna(0).astype(int).sum()
    assert view.edges["count"].sum() + inside == len(ties)
    assert "合并显示" in view.caption
    by_domain = pg.network_view(net, level="domain", lang="en")
    assert len(by_domain.nodes) == walls["domain"].nunique()
    assert "Grouped by domain" in by_domain.caption


def test_edge_cap_keeps_the_heaviest_and_says_so():
    net = pg.load_example("demo")
    view = pg.network_view(net, level="street", max_edges=25, lang="en")
    assert len(view.edges) == 25
    full = pg.network_view(net, level="street")
    assert view.edges["count"].min() >= full.edges["count"].sort_values().iloc[-25]
    assert "not drawn" in view.caption


def test_layout_is_deterministic_and_finite():
    net = pg.load_example("demo")
    a = pg.network_view(net, seed=3).nodes[["x", "y"]].to_numpy()
    b = pg.network_view(net, seed=3).nodes[["x", "y"]].to_numpy()
    np.testing.assert_array_equal(a, b)
    assert np.isfinite(a).all()


def test_region_subnetwork():
    net = pg.load_example("demo")
    street = net.tables["regions"].query("level == 'street'")["id"].iloc[0]
    view = pg.network_view(net, region=street)
    sub = pg.actors(net.subset(street)).frame
    assert len(view.nodes) == len(sub) < len(pg.actors(net).frame)


def test_write_is_utf8_whatever_the_locale(tmp_path, monkeypatch):
    import locale

    monkeypatch.setattr(locale, "getpreferredencoding", lambda *a: "cp1252")
    p = pg.network_view(small()).write(tmp_path / "网络.html")
    assert "区司法局" in p.read_bytes().decode("utf-8")


def test_to_pyvis_keeps_parallel_edges_and_positions():
    nw = pg.network_view(small()).to_pyvis()
    between = [e for e in nw.edges if {e["from"], e["to"]} == {"甲", "乙"}]
    assert len(between) == 3
    assert all("x" in n and "y" in n for n in nw.nodes)
    assert nw.options.physics.enabled is False


def test_vis_assets_come_from_the_pyvis_wheel():
    js, css = interactive.vis_network_assets()
    assert "@version 9.1.2" in js[:1000]
    assert "vis-network" in css


# ----------------------------------------------------------------------------- the picture

@pytest.mark.parametrize("name", ["jiangbei", "demo", "yongan", "longyan", "chaonan",
                                  "shanghai"])
def test_no_node_on_another_and_labels_do_not_pile_up(name):
    """Measured in layout coordinates, at the first (fitted) view and zoomed in."""
    from partygraph.layout import overlaps

    v = pg.network_view(pg.load_example(name))
    nd, base = v.nodes, v.params["fit_zoom"]
    pos, size = nd[["x", "y"]].to_numpy(), nd["size"].to_numpy()
    for rel in (1.0, 2.0, 4.0):
        o = overlaps(pos, size, nd["label"], nd["label_level"] <= rel,
                     nd["label_side"].to_numpy(), nd["label_offset"].to_numpy(),
                     font=12 / (rel * base))
        assert o["node_overlap"] == 0
        assert o["label_overlap"] < 0.05, (rel, o)
    # the ten largest are labelled at every zoom
    top = nd.sort_values("ties", ascending=False, kind="stable").head(10)
    assert (top["label_level"] == 0).all()


def test_clusters_follow_the_places_and_walled_in_units_sit_outside_their_own():
    import numpy as np

    net = pg.load_example("demo")
    v = pg.network_view(net)
    nd = v.nodes.set_index("id")
    walls = pg.walled_in_units(net).set_index("actor_id")
    comm = walls["community_id"].reindex(nd.index)
    pos = nd[["x", "y"]]
    tied = nd["status"] != "walled_in"
    centre = pos[tied].groupby(comm[tied]).mean()
    reach = np.sqrt(((pos[tied] - centre.reindex(comm[tied]).to_numpy()) ** 2).sum(axis=1)).groupby(
        comm[tied]).max()
    lone = nd.index[(nd["status"] == "walled_in") & comm.notna()]
    assert len(lone) > 20
    for a in lone:
        c = comm[a]
        d = np.sqrt(((centre - pos.loc[a].to_numpy()) ** 2).sum(axis=1))
        assert d[c] > reach[c]  # outside its cluster's tied disc
        assert d.idxmin() == c or d[c] < 1.5 * reach[c] + 60  # and beside it
    # a community committee or hub sits at its cluster's middle
    u = net.tables["units"].set_index("id")
    committees = [i for i in nd.index if i in u.index and u.loc[i, "kind"] == "community"]
    near = 0
    for a in committees:
        c = comm[a]
        d = float(np.hypot(*(pos.loc[a] - centre.loc[c])))
        near += d <= 0.5 * reach[c] + 1e-6
    assert near >= 0.8 * len(committees)


def test_the_page_has_search_fit_and_filters_and_escapes_names(tmp_path):
    net = pg.load_example("jiangbei")
    page = pg.network_view(net).html()
    for part in ('class="pg-search"', 'data-act="fit"', 'data-domain="agency"',
                 'data-status="walled_in"', 'data-kind="project"', "<datalist"):
        assert part in page
    t = {k: v.copy() for k, v in net.tables.items()}
    t["units"].loc[0, "name"] = '"><script>alert(1)</script>'
    page = pg.network_view(pg.from_frames(**t)).html()
    assert "<script>alert(1)" not in page


def test_the_grouped_view_follows_the_same_rules():
    from partygraph.layout import overlaps

    v = pg.network_view(pg.load_example("demo"), max_nodes=50)
    assert v.level != "actor"
    nd, base = v.nodes, v.params["fit_zoom"]
    o = overlaps(nd[["x", "y"]].to_numpy(), nd["size"].to_numpy(), nd["label"],
                 nd["label_level"] <= 1, nd["label_side"].to_numpy(),
                 nd["label_offset"].to_numpy(), font=12 / base)
    assert o["node_overlap"] == 0 and o["label_overlap"] < 0.05
