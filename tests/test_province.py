"""A province: districts found, assessed (one after another and on a 2-worker Dask cluster),
rolled up exactly, ties across districts counted once."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import partygraph as pg
from partygraph import synthetic
from partygraph.districts import find_districts


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> Path:
    return synthetic.province(tmp_path_factory.mktemp("prov") / "p", 3, 4500, seed=3,
                              cross_ties=4)


@pytest.fixture(scope="module")
def serial(province, tmp_path_factory):
    return pg.assess_province(province, output=tmp_path_factory.mktemp("out"),
                              permutations=0, workers=0)


@pytest.fixture(scope="module")
def own_runs(province):
    """Each district assessed on its own, as a district office would."""
    return {d.code: pg.assess(d.source, permutations=0) for d in find_districts(province)}


def test_find_districts(province, tmp_path):
    found = find_districts(province)
    assert [d.code for d in found] == ["990101", "990102", "990103"]
    assert [d.name for d in found] == ["示范一区", "示范二区", "示范三区"]
    assert find_districts(found[0].source) is None  # one data set
    assert find_districts(pg.example_path("demo")) is None
    # workbooks, one per district
    for d in found[:2]:
        pg.write_dataset(pg.read_dataset(d.source, strict=False), tmp_path / f"{d.code}.xlsx")
    books = find_districts(tmp_path)
    assert [(d.code, Path(d.source).suffix) for d in books] == [("990101", ".xlsx"),
                                                                ("990102", ".xlsx")]
    # two data sets for one district: refused, with the code named
    shutil.copy(tmp_path / "990101.xlsx", tmp_path / "990101_again.xlsx")
    with pytest.raises(pg.PartygraphError, match="990101"):
        find_districts(tmp_path)


def test_rates_are_the_sums_of_the_districts_own_runs(serial, own_runs):
    m = serial.measures
    for code, a in own_runs.items():
        h = a.tables["headline"].set_index("measure")
        mine = m[(m["district"] == code) & (m["measure"] != "cross_refs")].set_index("measure")
        pd.testing.assert_series_equal(mine["numerator"], h["numerator"].reindex(mine.index),
                                       check_names=False)
        pd.testing.assert_series_equal(mine["denominator"],
                                       h["denominator"].reindex(mine.index), check_names=False)
    prov = m[m["district"] == "province"].set_index("measure")
    for measure in ("org_coverage", "work_coverage", "community_coverage", "member_attachment",
                    "walled_in", "taking_part", "completion", "gaps", "n_members"):
        num = sum(a.tables["headline"].set_index("measure")["numerator"][measure]
                  for a in own_runs.values())
        assert prov["numerator"][measure] == num, measure
        if np.isfinite(prov["denominator"][measure]):
            den = sum(a.tables["headline"].set_index("measure")["denominator"][measure]
                      for a in own_runs.values())
            assert prov["denominator"][measure] == den
            assert prov["value"][measure] == pytest.approx(num / den)
    # the province's coverage rates: every measure summed
    r = serial.rates.set_index("measure")
    for measure in r.index:
        num = sum(a.tables["rates"].set_index("measure")["numerator"].get(measure, 0)
                  for a in own_runs.values())
        assert r["numerator"][measure] == num
    # E-I from the internal and external ties summed (not a mean of the districts')
    e = i = 0
    for a in own_runs.values():
        e += a.linkage.ei["external"].sum() / 2
        i += a.linkage.ei["internal"].sum()
    assert prov["value"]["ei_index"] == pytest.approx((e - i) / (e + i))
    side = serial.districts
    assert side["district"].tolist() == ["990101", "990102", "990103", "province"]
    assert side.iloc[-1]["n_members"] == 4500


def test_lists_are_concatenated_with_their_district(serial, own_runs):
    for key in ("gaps", "walls", "unmet"):
        t = serial.table(key)
        assert len(t) == sum(len(a.tables[key]) for a in own_runs.values())
        assert t.columns[:2].tolist() == ["district", "district_name"]
        for code, a in own_runs.items():
            assert (t["district"] == code).sum() == len(a.tables[key])


def test_ties_across_districts_counted_once(serial, province):
    truth = pd.read_csv(province / "truth" / "cross_ties.csv")
    t = serial.cross_ties
    assert len(t) == len(truth) == 12
    got = {frozenset((a, b)) for a, b in zip(t["source"], t["target"], strict=True)}
    assert got == {frozenset((a, b)) for a, b in zip(truth["source"], truth["target"],
                                                     strict=True)}
    # a tie both ledgers record is one tie, recorded twice
    both = truth[truth["recorded"] == "both"]
    assert int(t["recorded"].sum()) == len(truth) + len(both)
    assert set(t.loc[t["recorded"] == 2, "ledgers"].str.count(";")) == {1}
    assert not len(serial.unresolved)
    # they change nothing in any district's figures, and are counted beside them
    assert serial.params["cross_ties"] == 12
    moved = serial.params["status_changed_by_cross"]
    assert set(moved["status_province"]) <= {"paper_only", "linked"}
    # each recorded row was one of its district's data errors, and is counted beside them
    side = serial.districts.set_index("district")
    assert side.columns[-2:].tolist() == ["data_errors", "cross_refs"]
    assert side.loc["province", "cross_refs"] == int(t["recorded"].sum())
    assert side["cross_refs"].iloc[:-1].sum() == side.loc["province", "cross_refs"]
    assert (side["cross_refs"] <= side["data_errors"]).all()
    per = pd.Series([d for ls in t["ledgers"] for d in ls.split(";")]).value_counts()
    assert side["cross_refs"].iloc[:-1].tolist() == [per.get(c, 0) for c in side.index[:-1]]


def test_unknown_ids_are_listed(tmp_path, province):
    src = tmp_path / "p"
    shutil.copytree(province, src)
    links = next(src.glob("990101_*")) / "links.csv"
    with links.open("a", encoding="utf-8") as f:
        f.write("990101-U0000030,NOWHERE-1,pair,2023-01-01,,1.0,\n")
    p = pg.assess_province(src, output=tmp_path / "o", permutations=0, workers=0)
    u = p.unresolved
    assert u["unknown_id"].tolist() == ["NOWHERE-1"]
    assert u["problem_zh"].iloc[0] == "任何区县都没有该编码"
    assert len(p.cross_ties) == 12


def test_parquet_partitioned_by_district(tmp_path, province, serial):
    import pyarrow as pa
    import pyarrow.dataset as ds

    for d in find_districts(province):
        net = pg.read_dataset(d.source, strict=False)
        for name, df in net.tables.items():
            if name in ("links",):  # keep the set-aside rows: they hold the cross ties
                df = pd.read_csv(Path(d.source) / "links.csv", dtype=str)
            df = df.assign(district=d.code).astype("str")
            ds.write_dataset(pa.Table.from_pandas(df, preserve_index=False),
                             tmp_path / "pq" / name, format="parquet",
                             partitioning=["district"], partitioning_flavor="hive",
                             existing_data_behavior="overwrite_or_ignore",
                             basename_template=f"{d.code}-{{i}}.parquet")
    found = find_districts(tmp_path / "pq")
    assert [d.partition for d in found] == ["990101", "990102", "990103"]
    p = pg.assess_province(tmp_path / "pq", output=tmp_path / "o", permutations=0, workers=0)
    a = p.measures.set_index(["district", "measure"])["numerator"]
    b = serial.measures.set_index(["district", "measure"])["numerator"]
    for m in ("n_members", "org_coverage", "gaps", "walled_in"):
        assert a[("province", m)] == b[("province", m)], m
    assert len(p.cross_ties) == 12


def test_dask_on_a_local_cluster_of_two_workers(province, serial, tmp_path):
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0") as cluster:
        p = pg.assess_province(province, output=tmp_path / "o", permutations=0,
                               scheduler=cluster.scheduler_address)
    assert p.params["workers"] == 2
    assert p.runs["worker"].nunique() >= 1 and p.runs["ok"].all()
    pd.testing.assert_frame_equal(p.measures, serial.measures)
    pd.testing.assert_frame_equal(p.cross_ties, serial.cross_ties)
    for slug in p.slugs.values():
        assert (tmp_path / "o" / "districts" / slug / "report.html").exists()


def test_report_and_workbook(serial, tmp_path):
    import openpyxl

    out = serial.write(tmp_path / "w")
    text = out["report"].read_text(encoding="utf-8")
    assert text.index("各区县对比") < text.index("跨区县联系") < text.index("各区县详细报告")
    assert "全省合计" in text and "示范二区" in text
    assert 'districts/990101_%E7%A4%BA' in text  # a relative link to its own report
    assert "<script" not in text
    wb = openpyxl.load_workbook(out["workbook"], read_only=True)
    names = wb.sheetnames
    assert names[0] == "各区县对比"
    assert "跨区县联系" in names
    gaps = sum(wb[n].max_row - 1 for n in names if n.startswith("缺口-"))
    assert gaps == len(serial.table("gaps"))
    first = next(n for n in names if n.startswith("缺口-"))
    assert [c.value for c in next(wb[first].iter_rows(min_row=1, max_row=1))][:2] == [
        "区县", "区县编码"]


def test_command_line(tmp_path):
    from partygraph.cli import main

    assert main(["synth", "--districts", "2", "-n", "1200", "-o", str(tmp_path / "p"),
                 "--cross-ties", "2"]) == 0
    assert main(["assess", str(tmp_path / "p"), "-o", str(tmp_path / "o"), "--workers", "0",
                 "--permutations", "0", "-q"]) == 0
    assert (tmp_path / "o" / "report.html").exists()
    assert len(list((tmp_path / "o" / "districts").iterdir())) == 2


def test_a_list_longer_than_a_sheet_continues(tmp_path, monkeypatch):
    import openpyxl

    from partygraph import writing

    monkeypatch.setattr(writing, "EXCEL_ROWS", 12)
    df = pd.DataFrame({"编码": [f"U{i:03d}" for i in range(25)], "n": range(25)})
    p = writing.write_xlsx(tmp_path / "x.xlsx", {"缺口清单": df, "list": df.head(3)},
                           formats={"缺口清单": {"n": "integer"}})
    wb = openpyxl.load_workbook(p)
    assert wb.sheetnames == ["缺口清单", "缺口清单(续2)", "缺口清单(续3)", "list"]
    got = []
    for n in wb.sheetnames[:3]:
        ws = wb[n]
        assert ws.max_row <= 12
        assert [c.value for c in ws[2]] == ["编码", "n"]  # a note above the header
        got += [r[0] for r in ws.iter_rows(min_row=3, values_only=True)]
    assert got == df["编码"].tolist()  # every row, in order, once
    assert "第 11–20 行,共 25 行" in wb["缺口清单(续2)"]["A1"].value
    p = writing.write_xlsx(tmp_path / "y.xlsx", {"gaps": df})
    assert openpyxl.load_workbook(p).sheetnames == ["gaps", "gaps (cont. 2)", "gaps (cont. 3)"]


def test_a_district_that_cannot_be_read_is_listed(tmp_path, province):
    src = tmp_path / "p"
    shutil.copytree(province, src)
    bad = src / "990104_坏区"
    bad.mkdir()
    (bad / "units.csv").write_bytes(b"\x00\x01\x02 not a table")
    p = pg.assess_province(src, output=tmp_path / "o", permutations=0, workers=0)
    assert p.failed["district"].tolist() == ["990104"]
    assert p.failed["error"].iloc[0]
    assert p.districts["district"].tolist() == ["990101", "990102", "990103", "province"]
    from partygraph.cli import main

    assert main(["assess", str(src), "-o", str(tmp_path / "c"), "--workers", "0",
                 "--permutations", "0", "-q"]) == 1
    assert "坏区" in (tmp_path / "c" / "report.html").read_text(encoding="utf-8")


def test_the_callers_settings_reach_the_districts(province, tmp_path):
    with pg.config.override(report_max_rows=3, progress=True):
        p = pg.assess_province(province, output=tmp_path / "o", permutations=0, workers=0,
                               progress=False)
        assert pg.config.progress is True  # left as it was
    slug = next(iter(p.slugs.values()))
    text = (tmp_path / "o" / "districts" / slug / "report.html").read_text(encoding="utf-8")
    assert "报告中显示前 3 行" in text


def test_review_cases(tmp_path, province):
    """A district folder without data is listed as failed (never dropped); a folder holding
    one workbook is a district; ids two districts share are listed; references that make no
    tie are listed with the reason; a report written elsewhere links to the districts."""
    src = tmp_path / "p"
    shutil.copytree(province, src)
    (src / "990104_空区").mkdir()
    one = src / "990105_工作簿区"
    one.mkdir()
    d1 = find_districts(province)[0]
    pg.write_dataset(pg.read_dataset(d1.source, strict=False), one / "单位汇总.xlsx")
    # a mobile member managed in another district: across districts, but no tie
    links = next(src.glob("990101_*")) / "links.csv"
    with links.open("a", encoding="utf-8") as f:
        f.write("990101-M00000012,990102-PC000003,inflow,2023-01-01,,1.0,\n")
    p = pg.assess_province(src, output=tmp_path / "o", permutations=0, workers=0)
    assert p.failed["district"].tolist() == ["990104"]
    assert "990105" in p.districts["district"].tolist()
    # 990105 is 990101 again: every id of theirs is shared
    assert set(p.shared_ids["districts"]) == {"990101;990105"}
    assert len(p.shared_ids) > 1000
    u = p.unresolved.set_index("unknown_id")
    assert u.loc["990102-PC000003", "problem_zh"].startswith("跨区县的关系,但不是")
    out = p.write(tmp_path / "elsewhere")
    text = out["report"].read_text(encoding="utf-8")
    assert 'href="../o/districts/990101_' in text
    assert "多个区县共用的编码" in text and "非公企业" in text


def test_an_empty_folder_and_a_stray_table_are_said_so(tmp_path, province):
    """An empty folder says it holds no table; a table file beside district folders (that
    cannot be a data set on its own) is named, not read as a one-table data set."""
    (tmp_path / "empty").mkdir()
    with pytest.raises(pg.PartygraphError, match=r"no table here.*没有数据表"):
        pg.read_dataset(tmp_path / "empty")
    src = tmp_path / "p"
    shutil.copytree(province, src)
    shutil.copy(next(src.glob("990101_*")) / "links.csv", src / "links.csv")
    with pytest.raises(pg.PartygraphError, match=r"links\.csv lack the required units"):
        find_districts(src)
    # the province itself, read as one data set: pointed to the province's command
    with pytest.raises(pg.PartygraphError, match=r"data sets inside.*assess_province"):
        pg.read_dataset(province)
    # districts as workbooks at the root, with a stray table file beside them
    books = tmp_path / "books"
    books.mkdir()
    d1 = find_districts(province)[0]
    pg.write_dataset(pg.read_dataset(d1.source, strict=False), books / f"{d1.code}.xlsx")
    shutil.copy(src / "links.csv", books / "links.csv")
    with pytest.raises(pg.PartygraphError, match=r"990101\.xlsx"):
        find_districts(books)
    # with every required table of its own, a folder is one data set (its sub-folders aside)
    for f in next(src.glob("990101_*")).glob("*.csv"):
        shutil.copy(f, src / f.name)
    assert find_districts(src) is None
