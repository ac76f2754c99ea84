"""Every notebook runs top to bottom from a clean kernel, in under a minute."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_is_a_tutorial_and_one_notebook_per_report():
    names = {p.stem for p in NOTEBOOKS}
    assert names >= {"00_tutorial", "01_jiangbei", "02_yongan", "03_longyan", "04_chaonan",
                     "05_shanghai"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, tmp_path):
    book = nbformat.read(path, as_version=4)
    t = time.perf_counter()
    nbclient.NotebookClient(book, timeout=60, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert time.perf_counter() - t < 60
    errors = [o for c in book.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
