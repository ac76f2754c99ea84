"""GraphML/GEXF of the actor graph and the full multigraph, Parquet of the tables: what is
written reads back equal (parallel ties too), and nothing is written as 'nan'."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import partygraph as pg


@pytest.fixture(scope="module")
def net():
    return pg.load_example("demo")


def test_actor_graph_is_the_ties(net):
    g = pg.actor_graph(net)
    ties = pg.horizontal_ties(net)
    a = pg.actors(net).frame["actor_id"].to_numpy()
    assert g.number_of_nodes() == len(a)
    assert g.number_of_edges() == len(ties)
    # the multiset of (pair, kind) is the ties'
    want = Counter((frozenset((a[x], a[y])), k) for x, y, k in
                   zip(ties["a"], ties["b"], ties["kind"], strict=True))
    got = Counter((frozenset((u, v)), d["kind"]) for u, v, d in g.edges(data=True))
    assert got == want
    walls = pg.walled_in_units(net).set_index("actor_id")["status"]
    assert all(g.nodes[n]["status"] == walls[n] for n in list(g.nodes)[:50])


@pytest.mark.parametrize("suffix", ["graphml", "gexf"])
@pytest.mark.parametrize("graph", ["actors", "full"])
def test_graph_files_read_back(net, tmp_path, suffix, graph):
    p = pg.write_graph(net, tmp_path / f"g.{suffix}", graph=graph)
    back = (nx.read_graphml(p, force_multigraph=True) if suffix == "graphml"
            else nx.read_gexf(p))
    ref = pg.actor_graph(net) if graph == "actors" else net.to_networkx()
    assert back.number_of_nodes() == ref.number_of_nodes()
    assert back.number_of_edges() == ref.number_of_edges()
    text = p.read_text(encoding="utf-8")
    assert ">nan<" not in text and '"nan"' not in text
    assert "建北" in text or "社区" in text  # Chinese kept as UTF-8 text


def test_parallel_ties_survive_graphml(tmp_path):
    units = pd.DataFrame({"id": ["甲", "乙"], "name": ["甲", "乙"], "kind": ["机关", "非公企业"],
                          "region_id": ["R", "R"]})
    links = pd.DataFrame({"source": ["甲", "甲"], "target": ["乙", "乙"],
                          "kind": ["服务", "服务"], "start": ["2024-01-01", None]})
    net = pg.from_frames(units=units, orgs=pd.DataFrame(columns=["id", "name", "kind"]),
                         links=links)
    back = nx.read_graphml(pg.write_graph(net, tmp_path / "p.graphml"), force_multigraph=True)
    assert back.number_of_edges("甲", "乙") == 2
    starts = sorted(str(d.get("start")) for _, _, d in back.edges(data=True))
    assert starts == ["2024-01-01", "None"]  # a missing date is left out, not 'nan'


def test_parquet_tables_read_back_equal(net, tmp_path):
    out = pg.write_parquet(net, tmp_path / "tables")
    for name, df in net.tables.items():
        back = pd.read_parquet(out / f"{name}.parquet")
        for c in df.columns[df.dtypes.astype(str).str.startswith("datetime64")]:
            back[c] = pd.to_datetime(back[c]).astype(df[c].dtype)  # stored as date32
        pd.testing.assert_frame_equal(back, df)


def test_bad_targets_are_refused(net, tmp_path):
    with pytest.raises(pg.PartygraphError):
        pg.write_graph(net, tmp_path / "g.txt")
    with pytest.raises(pg.PartygraphError):
        pg.write_graph(net, tmp_path / "g.graphml", graph="members")
    with pytest.raises(pg.PartygraphError):
        pg.write_parquet(net, tmp_path / "t.parquet")


def test_export_command(tmp_path):
    from partygraph.cli import main

    assert main(["export", "--example", "demo", "-o", str(tmp_path), "-f", "gexf",
                 "-f", "parquet"]) == 0
    assert (tmp_path / "actors.gexf").exists() and (tmp_path / "network.gexf").exists()
    assert (tmp_path / "tables" / "units.parquet").exists()


@settings(max_examples=150, deadline=None)
@example([(None, 1.7976931348623151e+308, None, None, None),
          (2**53 + 1, -1.7976931348623157e+308, "a\x00b", True, dt.date(2100, 12, 31)),
          (None, float("inf"), None, None, None)])
@given(st.lists(st.tuples(
    st.one_of(st.none(), st.integers(-2**53, 2**53)),
    st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True, width=64)),
    st.one_of(st.none(), st.text(max_size=6)),
    st.one_of(st.none(), st.booleans()),
    st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))), max_size=12))
def test_report_rows_as_json_equal_the_plain_values(rows):
    """The report's table rows, written by pandas' JSON writer, read back as the plain
    values of each column (integers exact, floats to 1e-12, text without XML's illegal
    characters, dates as text, missing and non-finite as null)."""
    import json

    from partygraph.export import json_rows, plain_values

    df = pd.DataFrame({
        "i": pd.array([r[0] for r in rows], dtype="Int64"),
        "f": pd.Series([np.nan if r[1] is None else r[1] for r in rows], dtype="float64"),
        "t": pd.Series([r[2] for r in rows], dtype="str"),
        "b": pd.array([r[3] for r in rows], dtype="boolean"),
        "d": pd.to_datetime(pd.Series([r[4] for r in rows], dtype=object)),
        "o": pd.Series([r[2] if k % 2 else r[0] for k, r in enumerate(rows)], dtype=object),
    })
    df.index = range(5, 5 + len(rows))  # not a plain range: the rows go by position
    got = json.loads(json_rows(df))
    want = [list(r) for r in zip(*(plain_values(df[c]) for c in df.columns), strict=True)]
    want = [[r[0] if r[0] is None else [x[0] for x in rows][k], *r[1:]]
            for k, r in enumerate(want)]  # integers exact (plain_values goes by float)
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert [g[0], *g[2:]] == [w[0], *w[2:]]
        assert (g[1] is None) == (w[1] is None)
        if w[1] is not None:
            assert abs(g[1] - w[1]) <= 1e-15 or abs(g[1] - w[1]) <= 1e-12 * abs(w[1])
