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
