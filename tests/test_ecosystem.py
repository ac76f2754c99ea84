"""Fits its ecosystem: licence metadata, the logger, progress bars, Parquet, Arrow and polars
tables, Gephi-ready graphs, small HTML summaries in Jupyter (issue 17)."""

from __future__ import annotations

import importlib.metadata
import logging
from pathlib import Path

import pandas as pd
import pytest

import partygraph as pg
from conftest import small_tables

ROOT = Path(__file__).resolve().parents[1]


def test_licence_and_metadata():
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    md = importlib.metadata.metadata("partygraph")
    assert md["License-Expression"] == "MIT"
    assert "LICENSE" in (md.get_all("License-File") or [])
    assert any(c.startswith("Programming Language :: Python :: 3.13")
               for c in md.get_all("Classifier"))
    assert (ROOT / "src" / "partygraph" / "py.typed").exists()


def test_rows_set_aside_are_logged_and_warned(caplog):
    t = small_tables()
    t["units"].loc[0, "kind"] = "没有这种类型"
    with caplog.at_level(logging.WARNING, logger="partygraph"), pytest.warns(
            pg.PartygraphWarning, match="set aside"):
        pg.from_frames(**t, strict=False)
    assert any("set aside" in r.getMessage() and r.name == "partygraph"
               for r in caplog.records)


def test_progress_off_in_scripts_on_when_asked(capsys):
    net = pg.load_example("demo")
    assert pg.config.progress is None  # on in Jupyter, off in plain scripts
    pg.domain_linkage(net, permutations=30, seed=1)
    assert capsys.readouterr().err == ""
    with pg.config.override(progress=True):
        pg.domain_linkage(net, permutations=30, seed=1)
        pg.suggest_matches(net, within="district")
        pg.synthetic.district(500, seed=1)
    err = capsys.readouterr().err
    for words in ("置换检验 permutations", "30/30", "需求对接 matching", "生成数据 generating"):
        assert words in err, words


def test_the_command_line_shows_progress_and_q_silences_it(tmp_path, capsys):
    from partygraph.cli import main

    assert main(["assess", "--example", "chaonan", "-o", str(tmp_path / "a"),
                 "--permutations", "20"]) == 0
    err = capsys.readouterr().err
    assert "partygraph assess" in err and "写工作簿 workbook" in err
    assert main(["assess", "--example", "chaonan", "-o", str(tmp_path / "b"), "-q",
                 "--permutations", "20"]) == 0
    assert capsys.readouterr().err == ""
    assert pg.config.progress is None  # the command line's setting does not leak


def test_a_parquet_folder_reads_back_as_the_data_set(tmp_path):
    import pyarrow.parquet as pq

    net = pg.load_example("demo")
    out = pg.write_parquet(net, tmp_path / "tables")
    schema = pq.read_schema(out / "links.parquet")
    assert str(schema.field("start").type) == "date32[day]"
    assert "string" in str(schema.field("source").type)
    back = pg.read_dataset(out)
    assert back.report.empty
    for name, df in net.tables.items():
        pd.testing.assert_frame_equal(back.tables[name], df, check_dtype=True)
    # a bad value in a Parquet file is reported with its table, row and column
    units = pd.read_parquet(out / "units.parquet")
    units.loc[3, "kind"] = "不存在的类型"
    units.to_parquet(out / "units.parquet", index=False)
    with pytest.raises(pg.DataValidationError, match="不存在的类型"):
        pg.read_dataset(out)


@pytest.mark.parametrize("kind", ["pyarrow", "polars", "capsule"])
def test_from_frames_takes_arrow_and_polars_tables(kind):
    import pyarrow as pa

    net = pg.load_example("jiangbei")
    if kind == "pyarrow":
        tables = {k: pa.Table.from_pandas(v, preserve_index=False)
                  for k, v in net.tables.items()}
    elif kind == "polars":
        pl = pytest.importorskip("polars")
        tables = {k: pl.from_pandas(v) for k, v in net.tables.items()}
    else:  # any object with the Arrow PyCapsule stream interface

        class Stream:
            def __init__(self, df):
                self.t = pa.Table.from_pandas(df, preserve_index=False)

            def __arrow_c_stream__(self, requested_schema=None):
                return self.t.__arrow_c_stream__(requested_schema)

        tables = {k: Stream(v) for k, v in net.tables.items()}
    back = pg.from_frames(**tables)
    for name, df in net.tables.items():
        pd.testing.assert_frame_equal(back.tables[name], df)
    with pytest.raises(pg.PartygraphError, match="pandas, pyarrow or polars"):
        pg.from_frames(units=[1, 2, 3], orgs=net.tables["orgs"])


def test_results_export_to_parquet_and_csv(tmp_path):
    a = pg.assess(pg.load_example("chaonan"), rules="chaonan", permutations=0, progress=False)
    pq_dir = a.export_tables(tmp_path / "p", "parquet")
    csv_dir = a.export_tables(tmp_path / "c", "csv")
    for key, df in a.tables.items():
        assert len(pd.read_parquet(pq_dir / f"{key}.parquet")) == len(df)
        assert len(pd.read_csv(csv_dir / f"{key}.csv", encoding="utf-8-sig")) == len(df)
    gaps = pd.read_parquet(pq_dir / "gaps.parquet")
    assert gaps["rule"].tolist() == a.tables["gaps"]["rule"].tolist()


def test_gephi_opens_the_graphs_ready_to_look_at(tmp_path):
    import networkx as nx

    net = pg.load_example("jiangbei")
    view = pg.network_view(net).nodes.set_index("id")
    g = nx.read_gexf(pg.write_graph(net, tmp_path / "a.gexf"))
    node = g.nodes["JB-R01"]
    assert node["label"] == "市外经委"
    assert (node["viz"]["color"]["r"], node["viz"]["color"]["g"],
            node["viz"]["color"]["b"]) == (0x1f, 0x77, 0xb4)  # the agency blue
    assert node["viz"]["position"]["x"] == pytest.approx(view.loc["JB-R01", "x"])
    h = nx.read_graphml(pg.write_graph(net, tmp_path / "a.graphml"), force_multigraph=True)
    node = h.nodes["JB-R01"]
    assert node["label"] == "市外经委" and (node["r"], node["g"], node["b"]) == (31, 119, 180)
    assert node["y"] == pytest.approx(-view.loc["JB-R01", "y"])
    full = nx.read_gexf(pg.write_graph(net, tmp_path / "f.gexf", graph="full"))
    assert full.nodes["500105000000"]["label"] == "江北区"


def test_small_html_summaries_in_jupyter():
    net = pg.load_example("demo")
    a = pg.assess(net, permutations=10, progress=False)
    for obj in (net, a, a.linkage, a.matches):
        text = obj._repr_html_()
        assert text.startswith("<div class='partygraph-summary'>") and len(text) < 10_000
    t = {k: v.copy() for k, v in pg.load_example("jiangbei").tables.items()}
    a2 = pg.assess(pg.load_example("jiangbei"), permutations=0, progress=False)
    assert "<script" not in a2._repr_html_()
    del t


def test_every_public_function_has_numpydoc_sections():
    import inspect

    missing = []
    for name in pg.__all__:
        obj = getattr(pg, name)
        if not inspect.isfunction(obj):
            continue
        doc = inspect.getdoc(obj) or ""
        params = list(inspect.signature(obj).parameters)
        if params and "Parameters\n----------" not in doc:
            missing.append((name, "Parameters"))
        if "Returns\n-------" not in doc:
            missing.append((name, "Returns"))
        if ">>>" not in doc:
            missing.append((name, "example"))
    assert not missing, missing


def test_the_api_page_lists_every_public_name():
    import runpy

    gen = runpy.run_path(str(ROOT / "docs" / "gen_api.py"))
    assert (ROOT / "docs" / "api.md").read_text(encoding="utf-8") == gen["text"]()


def test_every_dependency_says_why_in_the_readme():
    import re
    import tomllib

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"]["dependencies"]
    names = [re.split(r"[<>=!\[ ]", d)[0].lower() for d in deps]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Dependencies, and why each is there")[1].split("\n## ")[0].lower()
    aliases = {"ortools": "or-tools", "python-calamine": "python-calamine"}
    missing = [n for n in names if aliases.get(n, n) not in table]
    assert not missing, missing
