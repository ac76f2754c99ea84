"""Exports for other tools: GraphML and GEXF (Gephi, Cytoscape, igraph) and Parquet.

Two graphs can be exported. The **actor graph** (:func:`actor_graph`) has one node per actor
with its domain, places, tier, industry and walls status, and one edge per horizontal tie
(parallel ties kept) with its kind, weight, dates and the four crossings: the graph every
linkage measure is computed on. The **full multigraph** is ``net.to_networkx()``: regions,
units, orgs, members (pseudonymous ids only) and every active link.

GraphML and GEXF allow only text, numbers and booleans as attributes: dates are written as
``YYYY-MM-DD`` text and missing values are left out (not written as ``nan``).

Examples
--------
>>> import tempfile, os, networkx as nx, partygraph as pg
>>> net = pg.load_example("demo")
>>> p = pg.write_graph(net, os.path.join(tempfile.mkdtemp(), "actors.graphml"))
>>> g = nx.read_graphml(p, force_multigraph=True)
>>> g.number_of_edges() == len(pg.horizontal_ties(net))
True
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import pandas as pd

from .errors import PartygraphError
from .writing import _XML_BAD_RE, output_dir, output_file

if TYPE_CHECKING:
    from .network import CoBuildingNetwork

__all__ = ["actor_graph", "write_graph", "write_parquet"]

_NODE_COLUMNS = ("actor_type", "name", "domain", "region_id", "street_id", "community_id",
                 "tier", "industry")
_EDGE_COLUMNS = ("kind", "via", "weight", "start", "end", "cross_domain", "cross_level",
                 "cross_region", "cross_industry")


def plain_value(value: object) -> object:
    """A plain Python value for GraphML/GEXF attributes and JSON: bool, int, float (finite)
    or str, dates as ``YYYY-MM-DD``; ``None`` for a missing value."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if not np.isfinite(value) else float(value)
    if isinstance(value, (pd.Timestamp, dt.date)):
        return value.strftime("%Y-%m-%d")
    return xml_text(str(value))


def plain_values(s: pd.Series) -> list:
    """:func:`plain_value` of every value of a column, by column kernels (a report's
    50,000 rows × 20 columns: a million calls saved).

    >>> plain_values(pd.Series([1.5, float("nan")]))
    [1.5, None]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    na = s.isna().to_numpy()
    if pd.api.types.is_bool_dtype(s.dtype) or str(s.dtype) == "boolean":
        vals = s.to_numpy(dtype=object, na_value=None)
        return [None if v is None else bool(v) for v in vals]
    if pd.api.types.is_integer_dtype(s.dtype):
        vals = s.to_numpy(dtype="float64", na_value=np.nan)
        return [None if n else int(v) for v, n in zip(vals, na, strict=True)]
    if pd.api.types.is_float_dtype(s.dtype):
        vals = s.to_numpy(dtype="float64", na_value=np.nan)
        return np.where(np.isfinite(vals), vals.astype(object), None).tolist()
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return s.dt.strftime("%Y-%m-%d").astype(object).where(~na, None).tolist()
    if isinstance(s.dtype, pd.StringDtype):
        arr = pa.array(s.array).cast(pa.large_string())
        arr = pc.replace_substring_regex(arr, _XML_BAD_RE, "")
        return arr.to_pylist()
    return [plain_value(v) for v in s.tolist()]


def json_rows(df: pd.DataFrame) -> str:
    """The rows of ``df`` as a JSON array of arrays, each value as :func:`plain_values`
    gives it (floats written to 15 decimals, integers exactly), by pandas' JSON writer in C:
    no Python object per cell (a report's lists hold up to 50,000 rows each).

    >>> json_rows(pd.DataFrame({"n": [1, 2], "x": [0.5, float("inf")], "t": ["a", None]}))
    '[[1,0.5,"a"],[2,null,null]]'
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from .arrays import text_array

    cols: dict[int, pd.Series] = {}
    n = len(df)
    for j in range(df.shape[1]):
        s = df.iloc[:, j].reset_index(drop=True)
        if pd.api.types.is_bool_dtype(s.dtype) or str(s.dtype) == "boolean":
            cols[j] = s.astype("boolean")
        elif pd.api.types.is_integer_dtype(s.dtype):
            cols[j] = s
        elif pd.api.types.is_float_dtype(s.dtype):
            v = s.to_numpy(dtype="float64", na_value=np.nan)
            # written to 15 digits, a value within 1e-12 of the largest float would round
            # past it (and read back as infinite): such a value is held just below
            cols[j] = pd.Series(np.where(np.isfinite(v), np.clip(v, -_FLOAT_MAX_15,
                                                                 _FLOAT_MAX_15), np.nan))
        elif pd.api.types.is_datetime64_any_dtype(s.dtype):
            cols[j] = s.dt.strftime("%Y-%m-%d")
        elif isinstance(s.dtype, pd.StringDtype):
            arr = pa.array(s.array).cast(pa.large_string())
            cols[j] = pd.Series(text_array(pc.replace_substring_regex(arr, _XML_BAD_RE,
                                                                      "")))
        else:
            cols[j] = pd.Series([plain_value(v) for v in s.tolist()], dtype=object)
    if not cols or not n:
        return "[]"
    return pd.DataFrame(cols, index=range(n)).to_json(orient="values", force_ascii=False,
                                                      double_precision=15)


#: The largest float that JSON written to 15 digits reads back as finite.
_FLOAT_MAX_15 = 1.79769313486231e308


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text without the characters XML 1.0 cannot hold (control characters): GraphML and
    GEXF files stay well-formed whatever the labels hold.

    >>> xml_text("单位\x07A")
    '单位A'
    """
    return _XML_ILLEGAL.sub("", text)


def _clean_attrs(d: dict) -> dict:
    out = {}
    for k, v in d.items():
        c = plain_value(v)
        if c is not None:
            out[xml_text(str(k))] = c
    return out


def actor_graph(
    net: CoBuildingNetwork,
    *,
    window: object = None,
    ties: pd.DataFrame | None = None,
    walls: pd.DataFrame | None = None,
) -> nx.MultiGraph:
    """The actors and every horizontal tie between them, as a networkx MultiGraph.

    Parameters
    ----------
    net : CoBuildingNetwork
    window : tuple, optional
    ties, walls : DataFrame, optional
        From :func:`horizontal_ties` and :func:`walled_in_units`, to reuse.

    Returns
    -------
    networkx.MultiGraph
        Nodes keyed by actor id with ``actor_type, name, domain, region_id, street_id,
        community_id, tier, industry, status``; one edge per tie (key = its row in ``ties``)
        with ``kind, via, weight, start, end`` and the four ``cross_*`` flags. Missing values
        are left out; dates are ``YYYY-MM-DD`` text.

    Examples
    --------
    >>> import partygraph as pg
    >>> net = pg.load_example("demo")
    >>> g = pg.actor_graph(net)
    >>> g.number_of_nodes() == len(pg.actors(net).frame)
    True
    """
    from .ties import actors, horizontal_ties
    from .walls import aligned_statuses as _aligned

    t = horizontal_ties(net, window) if ties is None else ties
    wl = _aligned(net, window, t, walls)
    f = actors(net).frame
    ids = f["actor_id"].astype(str).to_numpy()
    g = nx.MultiGraph(window=str(net.resolve_window(window)))
    cols = {c: f[c].astype(object).to_numpy() for c in _NODE_COLUMNS if c in f.columns}
    status = wl.set_index("actor_id")["status"].reindex(f["actor_id"]).to_numpy(dtype=object)
    g.add_nodes_from(
        (ids[i], _clean_attrs({**{c: v[i] for c, v in cols.items()}, "status": status[i]}))
        for i in range(len(f)))
    ecols = {c: t[c].astype(object).to_numpy() for c in _EDGE_COLUMNS if c in t.columns}
    a = ids[t["a"].to_numpy(dtype=np.int64)]
    b = ids[t["b"].to_numpy(dtype=np.int64)]
    g.add_edges_from(
        (a[i], b[i], i, _clean_attrs({c: v[i] for c, v in ecols.items()}))
        for i in range(len(t)))
    return g


def _full_graph(net: CoBuildingNetwork, window: object) -> nx.MultiDiGraph:
    src = (net if window is None else net.with_window(*net.resolve_window(window)))
    g = src.to_networkx()
    out = nx.MultiDiGraph()
    out.add_nodes_from((n, _clean_attrs(d)) for n, d in g.nodes(data=True))
    out.add_edges_from((u, v, i, _clean_attrs(d))
                       for i, (u, v, d) in enumerate(g.edges(data=True)))
    return out


def _for_gephi(g: nx.Graph, net: CoBuildingNetwork, window: object, suffix: str,
               positions: bool) -> None:
    """Ready to look at in Gephi: the name as label, the domain's colour, and (actor graph)
    the network picture's positions and sizes — GEXF ``viz`` elements, or the ``label``,
    ``r``/``g``/``b``, ``x``/``y`` and ``size`` attributes Gephi reads from GraphML."""
    from .labels import DOMAIN_COLOURS, UNKNOWN_COLOUR

    xy: dict = {}
    if positions and g.number_of_nodes():
        from .interactive import network_view

        n = g.number_of_nodes()
        v = network_view(net, window=window, max_nodes=n + 1, max_edges=10 ** 9)
        xy = {i: (x, -y, s) for i, x, y, s in zip(v.nodes["id"], v.nodes["x"], v.nodes["y"],
                                                  v.nodes["size"], strict=True)}
    for node, d in g.nodes(data=True):
        name = d.get("name")
        d["label"] = str(name) if name is not None else str(node)
        hexa = DOMAIN_COLOURS.get(d.get("domain"), UNKNOWN_COLOUR).lstrip("#")
        r, gg, b = (int(hexa[i:i + 2], 16) for i in (0, 2, 4))
        pos = xy.get(node)
        if suffix == ".gexf":
            viz = {"color": {"r": r, "g": gg, "b": b, "a": 1.0}}
            if pos:
                viz["position"] = {"x": float(pos[0]), "y": float(pos[1]), "z": 0.0}
                viz["size"] = float(pos[2])
            d["viz"] = viz
        else:
            d.update(r=r, g=gg, b=b)
            if pos:
                d.update(x=float(pos[0]), y=float(pos[1]), size=float(pos[2]))


def write_graph(
    net: CoBuildingNetwork,
    path: str | Path,
    *,
    graph: str = "actors",
    window: object = None,
) -> Path:
    """Write the actor graph or the full multigraph as GraphML or GEXF (by the suffix), ready
    to look at in Gephi: names as labels, domain colours, and for the actor graph the network
    picture's positions and sizes.

    Parameters
    ----------
    net : CoBuildingNetwork
    path : str or Path
        Ends in ``.graphml`` or ``.gexf``.
    graph : {"actors", "full"}
        :func:`actor_graph`, or the full multigraph of ``net.to_networkx()``.
    window : tuple, optional

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile, os, networkx as nx, partygraph as pg
    >>> net = pg.load_example("demo")
    >>> p = pg.write_graph(net, os.path.join(tempfile.mkdtemp(), "all.gexf"), graph="full")
    >>> nx.read_gexf(p).number_of_nodes() == net.to_networkx().number_of_nodes()
    True
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".graphml", ".gexf"):
        raise PartygraphError(f"{path}: write a .graphml or .gexf file / 请写入 .graphml 或 "
                              f".gexf 文件")
    if graph == "actors":
        g = actor_graph(net, window=window)
    elif graph == "full":
        g = _full_graph(net, window)
    else:
        raise PartygraphError(f"graph must be 'actors' or 'full', not {graph!r}")
    _for_gephi(g, net, window, suffix, positions=graph == "actors")
    path = output_file(path)
    bad_ids = {n: xml_text(str(n)) for n in g.nodes if xml_text(str(n)) != str(n)}
    if bad_ids:
        g = nx.relabel_nodes(g, bad_ids, copy=True)
    for key in list(g.graph):
        g.graph[key] = plain_value(g.graph[key])
    if suffix == ".graphml":
        nx.write_graphml(g, path, encoding="utf-8", named_key_ids=True)
    else:
        nx.write_gexf(g, path, encoding="utf-8")
    return path


def write_parquet(net: CoBuildingNetwork, path: str | Path) -> Path:
    """Write every table to ``path/<table>.parquet``: ids and codes as strings, dates as
    ``date32``, counts as integers. :func:`partygraph.read_dataset` reads the folder back.

    Parameters
    ----------
    net : CoBuildingNetwork
        The network.
    path : str or Path
        A folder.

    Returns
    -------
    Path
        The folder.

    Examples
    --------
    >>> import tempfile, pandas as pd, partygraph as pg
    >>> net = pg.load_example("demo")
    >>> out = pg.write_parquet(net, tempfile.mkdtemp())
    >>> pd.read_parquet(out / "units.parquet").equals(net.tables["units"])
    True
    """
    path = Path(path)
    if path.suffix:
        raise PartygraphError(f"{path}: write Parquet files to a folder / 请写入文件夹")
    path = output_dir(path)
    for name, df in net.tables.items():
        write_parquet_table(df, path / f"{name}.parquet")
    return path


def write_parquet_table(df: pd.DataFrame, path: Path) -> Path:
    """One table to Parquet, date columns (no time of day) as ``date32``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(df, preserve_index=False)
    fields = []
    for f in table.schema:
        if pa.types.is_timestamp(f.type):
            col = df[f.name]
            if (col.dropna() == col.dropna().dt.normalize()).all():
                fields.append(pa.field(f.name, pa.date32()))
                continue
        fields.append(f)
    pq.write_table(table.cast(pa.schema(fields, metadata=table.schema.metadata)), path)
    return path
