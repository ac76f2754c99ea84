"""Loading and validation: every problem, every container, the round trip."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import openpyxl
import pandas as pd
import pytest

import partygraph as pg
from conftest import small_tables
from partygraph.identifiers import uscc_check_char


def problems(tables, **kw) -> pd.DataFrame:
    rep = pg.validate(tables)
    return rep[rep["severity"] == "error"]


def test_clean_tables_load(tables):
    net = pg.from_frames(**tables)
    assert len(net.tables["units"]) == 5
    assert net.report.query("severity == 'error'").empty
    # defaults and derived columns
    assert net.tables["units"].set_index("id").loc["U3", "domain"] == "private"
    assert net.tables["units"].set_index("id").loc["U1", "domain"] == "community"
    assert net.tables["orgs"].set_index("id").loc["P0", "domain"] == "hub"
    assert net.tables["links"]["weight"].tolist() == [1.0, 1.0, 1.0]
    assert net.tables["members"]["status"].notna().all()


@pytest.mark.parametrize(
    "mutate, table, column, fragment",
    [
        (lambda t: t.__setitem__("units", t["units"].drop(columns="kind")), "units", "kind",
         "required column is missing"),
        (lambda t: t["units"].loc.__setitem__((1, "name"), None), "units", "name",
         "required value is empty"),
        (lambda t: t["units"].loc.__setitem__((2, "kind"), "火箭"), "units", "kind",
         "unknown value"),
        (lambda t: t["units"].loc.__setitem__((2, "id"), "U1"), "units", "id", "duplicate id"),
        (lambda t: t["orgs"].loc.__setitem__((2, "id"), "U2"), "orgs", "id",
         "id already used in table 'units'"),
        (lambda t: t["orgs"].loc.__setitem__((3, "unit_id"), "U404"), "orgs", "unit_id",
         "not found"),
        (lambda t: t["orgs"].loc.__setitem__((0, "parent_id"), "P3"), "orgs", "parent_id",
         "cycle"),
        (lambda t: t["regions"].loc.__setitem__((0, "parent_id"), "500105002001"), "regions",
         "parent_id", "cycle"),
        (lambda t: t["links"].loc.__setitem__((0, "start"), "去年春天"), "links", "start",
         "unreadable date"),
        (lambda t: t.update(units=t["units"].assign(party_members=[1, -2, 0, 0, 0])),
         "units", "party_members", "negative"),
        (lambda t: t.update(units=t["units"].assign(party_members=["1", "三", "0", "0", "0"])),
         "units", "party_members", "not a number"),
        (lambda t: t["links"].loc.__setitem__((1, "target"), "P1"), "links", "kind",
         "must go from"),
        (lambda t: t["links"].loc.__setitem__((0, "target"), "P2"), "links", "target",
         "to itself"),
        (lambda t: t["links"].loc.__setitem__((1, "end"), "2020-01-01"), "links", "end",
         "before"),
        (lambda t: t["orgs"].loc.__setitem__((2, "unit_id"), None), "orgs", "region_id",
         "needs region_id"),
        (lambda t: t["members"].loc.__setitem__((0, "id"), "11010519491231002X"), "members",
         "id", "ID-card"),
    ],
)
def test_each_problem_is_reported(tables, mutate, table, column, fragment):
    mutate(tables)
    errs = problems(tables)
    hit = errs[(errs["table"] == table) & errs["column"].str.startswith(column)
               & errs["problem"].str.contains(fragment, regex=False)]
    assert len(hit) >= 1, errs.to_string()
    assert hit["problem_zh"].str.len().gt(0).all()
    with pytest.raises(pg.DataValidationError) as exc:
        pg.from_frames(**tables)
    assert fragment.split()[0] in str(exc.value)
    assert len(exc.value.report) >= 1


def test_row_numbers_are_what_the_user_sees(tmp_path, tables):
    tables["units"].loc[3, "kind"] = "火箭"
    pg.synthetic.write(tables, tmp_path)
    rep = pg.validate(tmp_path)
    bad = rep[rep["problem"].str.contains("unknown value")]
    # header on line 1, so the 4th record is on line 5
    assert bad["row"].tolist() == [5]
    assert bad["value"].tolist() == ["火箭"]


def test_uscc_check_character(tables):
    good = "91350100M000100Y4" + uscc_check_char("91350100M000100Y4")
    wrong_char = "0" if good[-1] != "0" else "1"
    bad = good[:-1] + wrong_char
    tables["units"].loc[2, "id"] = good
    tables["orgs"].loc[3, "unit_id"] = good
    tables["members"].loc[2:4, "unit_id"] = good
    assert problems(tables).empty
    tables["units"].loc[2, "id"] = bad
    errs = problems(tables)
    assert errs["problem"].str.contains("check character").any()


def test_dangling_reference_and_lenient_cascade(tables):
    tables["units"].loc[2, "kind"] = "火箭"  # U3 set aside...
    net = pg.from_frames(**tables, strict=False)
    assert "U3" not in set(net.tables["units"]["id"])
    # ... and so is the org built in it, and the link from that org, with a reason
    assert "P3" not in set(net.tables["orgs"]["id"])
    assert set(net.rejected) >= {"units", "orgs"}
    cascade = net.report[net.report["problem"].str.contains("set aside")]
    assert {"orgs"} <= set(cascade["table"])
    # lenient keeps every problem in the report
    assert (net.report["severity"] == "error").sum() >= 2


def test_gbk_csv_folder_with_title_row(tmp_path, tables):
    d = tmp_path / "gbk"
    d.mkdir()
    units = tables["units"].rename(columns={"id": "单位编码", "name": "单位名称",
                                            "kind": "单位类型", "region_id": "所在区域"})
    units["单位类型"] = ["社区居委会", "机关", "非公企业", "非公企业", "社会组织"]
    text = "XX街道驻区单位名册,,,,\n" + units.to_csv(index=False) + ",,,,\n,,,,\n"
    (d / "单位.csv").write_bytes(text.encode("gbk"))
    tables["orgs"].to_csv(d / "党组织.csv", index=False, encoding="gbk")
    tables["regions"].to_csv(d / "regions.csv", index=False, encoding="utf-8-sig")
    net = pg.read_dataset(d)
    assert net.tables["units"]["name"].tolist() == tables["units"]["name"].tolist()
    assert net.tables["units"]["kind"].tolist() == tables["units"]["kind"].tolist()
    # extra column kept
    assert "tier" in net.tables["units"].columns


def test_workbook_with_chinese_headers_title_row_and_labels(tmp_path, tables):
    p = tmp_path / "data.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "单位"
    ws.append(["建北社区驻区单位名册(2024年)"])
    ws.merge_cells("A1:F1")
    ws.append(["单位编码", "单位\n名称", "ＵＮＩＴ　ＫＩＮＤ", "所在区域", "党员数", "备注"])
    ws.append(["001", "某公司", "非公企业", "500105002001", 3, "楼宇企业"])
    ws.append([12, "某协会", "社会组织", "500105002001", 0, None])
    ws.append([None] * 6)
    ws.append([None] * 6)
    ws2 = wb.create_sheet("党组织")
    ws2.append(["党组织编码", "党组织名称", "党组织类别", "所在单位", "所在区域", "成立日期"])
    import datetime

    ws2.append(["P01", "某公司党支部", "党支部", "001", None, datetime.datetime(2020, 5, 1)])
    ws2.append(["P02", "街道党工委", "党工委", None, "500105002000", "2019年3月1日"])
    ws3 = wb.create_sheet("区域")
    ws3.append(["区域编码", "名称", "层级"])
    for code, name, lvl in [("500105000000", "江北区", "区县"), ("500105002000", "观音桥", "街道"),
                            ("500105002001", "建北社区", "社区")]:
        ws3.append([code, name, lvl])
    wb.create_sheet("说明").append(["填表说明"])
    wb.save(p)
    net = pg.read_dataset(p)
    u = net.tables["units"]
    assert u["id"].tolist() == ["001", "12"]
    assert u["kind"].tolist() == ["private", "social"]
    assert u["party_members"].tolist() == [3, 0]
    assert u["备注"].tolist()[0] == "楼宇企业"
    o = net.tables["orgs"].set_index("id")
    assert o.loc["P01", "established"] == pd.Timestamp("2020-05-01")
    assert o.loc["P02", "established"] == pd.Timestamp("2019-03-01")
    # parents read off the 12-digit codes
    r = net.tables["regions"].set_index("id")
    assert r.loc["500105002001", "parent_id"] == "500105002000"
    assert r.loc["500105002000", "parent_id"] == "500105000000"
    assert pd.isna(r.loc["500105000000", "parent_id"])
    # an error in the workbook is reported at its Excel row
    ws = openpyxl.load_workbook(p)
    ws["单位"]["C4"] = "未知类型"
    ws.save(p)
    rep = pg.validate(p)
    assert rep.query("severity == 'error'")["row"].tolist() == [4]


def test_counts_only_units(tables):
    tables.pop("members")
    tables["links"] = tables["links"].iloc[:2]  # the inflow link names a member
    tables["units"]["党员数"] = [5, 12, 3, 1, 0]
    net = pg.from_frames(**tables)
    assert net.tables["units"]["party_members"].tolist() == [5, 12, 3, 1, 0]
    assert str(net.tables["units"]["party_members"].dtype) == "Int64"


@pytest.mark.parametrize("target", ["folder", "book.xlsx"])
def test_round_trip(tmp_path, tables, target):
    tables["units"]["备注"] = ["a", None, "=1+2", "-5", "@x"]
    net = pg.from_frames(**tables)
    out = net.write(tmp_path / target)
    back = pg.read_dataset(out)
    for name, df in net.tables.items():
        pd.testing.assert_frame_equal(back.tables[name], df, check_dtype=True)
    if target.endswith(".xlsx"):
        ws = openpyxl.load_workbook(out)["units"]
        assert all(c.data_type == "s" for c in ws["F"][1:] if c.value is not None)


def test_round_trip_demo(tmp_path):
    net = pg.load_example("demo")
    back = pg.read_dataset(net.write(tmp_path / "demo"))
    for name, df in net.tables.items():
        pd.testing.assert_frame_equal(back.tables[name], df)


def test_personal_data_is_warned_and_kept_out(tmp_path, tables):
    tables["members"]["姓名"] = [f"张{i}" for i in range(7)]
    tables["members"]["证件"] = ["11010519491231002X"] * 7
    tables["units"]["contact"] = ["13912345678"] * 5
    net = pg.from_frames(**tables)
    assert "姓名" not in net.tables["members"].columns
    assert "证件" not in net.tables["members"].columns
    assert "contact" not in net.tables["units"].columns
    assert set(net.personal["reason"]) == {"header", "id_card", "phone"}
    warn = net.report[net.report["severity"] == "warning"]
    assert warn["problem"].str.contains("personal|ID-card|phone").sum() >= 3
    out = net.write(tmp_path / "o")
    blob = b"".join(f.read_bytes() for f in out.iterdir())
    for secret in ["张1", "11010519491231002X", "13912345678"]:
        assert secret.encode() not in blob
    assert "11010519491231002X" not in net.report.to_string()


def test_unknown_sheet_and_missing_required_table(tmp_path, tables):
    d = tmp_path / "d"
    pg.synthetic.write({"units": tables["units"], "notes": tables["units"]}, d)
    rep = pg.validate(d)
    assert rep["problem"].str.contains("required table 'orgs'").any()
    assert rep["problem"].str.contains("not a partygraph table").any()


def test_window_and_active(tables):
    net = pg.from_frames(**tables, window=("2022-01-01", None))
    # the body link ended in 2021: not active in the window
    assert net.active("links").tolist() == [True, False, True]
    assert net.with_window(None, None).active("links").all()
    with pytest.raises(pg.PartygraphError):
        net.with_window("2024-01-01", "2023-01-01")


def test_to_networkx_types_and_kinds(tables):
    tables["projects"] = pd.DataFrame({"id": ["J1"], "name": ["共建项目"], "status": ["completed"]})
    tables["participation"] = pd.DataFrame({"project_id": ["J1", "J1"],
                                            "participant_id": ["U2", "P3"]})
    g = pg.from_frames(**tables).to_networkx()
    types = {n: d["type"] for n, d in g.nodes(data=True)}
    assert types["U1"] == "unit" and types["P1"] == "org" and types["M1"] == "member"
    assert types["J1"] == "project" and types["500105002001"] == "region"
    kinds = {d["kind"] for *_, d in g.edges(data=True)}
    assert {"subordinate", "located_in", "member_of", "works_at", "lives_in",
            "participates", "pair", "body", "inflow"} <= kinds
    assert g.has_edge("P3", "P1") and g["P3"]["P1"][0]["kind"] == "subordinate"
    # member M7's org P9 does not exist: no member_of edge, but the member is there
    assert not any(d["kind"] == "member_of" for _, _, d in g.out_edges("M7", data=True))


def test_subset_keeps_what_belongs(tables):
    net = pg.from_frames(**tables)
    sub = net.subset("建北社区")
    assert set(sub.tables["units"]["id"]) == {"U1", "U2", "U3", "U4"}
    assert "500105002000" in set(sub.tables["regions"]["id"])  # ancestors kept
    assert "500105002002" not in set(sub.tables["regions"]["id"])
    with pytest.raises(pg.PartygraphError):
        net.subset("no such place")


def test_summary_counts(tables):
    s = pg.from_frames(**tables).summary(lang="zh")
    row = s[(s["table"] == "units") & (s["value"] == "private")]
    assert int(row[row["column"] == "kind"]["count"].iloc[0]) == 2
    assert "非公企业" in set(s["label"])


def test_import_is_quick_and_lazy():
    code = "import sys, partygraph; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False" and out.stderr == ""


def test_template_lists_every_column(tmp_path):
    p = pg.write_template(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(p)
    assert wb["单位"]["A2"].value == "单位编码"
    n = sum(len(t.columns) for t in pg.schema.TABLES.values())
    guide = pd.read_excel(p, sheet_name="填表说明", engine="openpyxl", nrows=n + 1)
    assert len(guide.dropna(how="all")) == n  # then a blank row and the link-kind guide
    # the filled-in template reads back
    ws = wb["单位"]
    ws.append(["U1", "某公司", "非公企业", None, "R1"])
    ws2 = wb["党组织"]
    ws2.append(["P1", "某公司党支部", "党支部", None, "U1"])
    for name in ["区域", "党员", "关系", "项目", "参与", "资源清单", "需求清单"]:
        del wb[name]
    wb.save(p)
    net = pg.read_dataset(p)
    assert net.tables["units"]["kind"].tolist() == ["private"]


def test_cli_validate_and_template(tmp_path, tables, capsys):
    from partygraph.cli import main

    assert main(["validate", "--example", "demo"]) == 0
    tables["units"].loc[0, "kind"] = "火箭"
    pg.synthetic.write(tables, tmp_path / "bad")
    assert main(["validate", str(tmp_path / "bad"), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "unknown value" in out and "火箭" in out
    assert main(["template", "-o", str(tmp_path / "t.xlsx")]) == 0
    assert (tmp_path / "t.xlsx").exists()
    assert main(["summary", str(tmp_path / "bad")]) == 1
    assert main(["summary", str(tmp_path / "bad"), "--lenient"]) == 0


def test_regions_tree_columns():
    net = pg.from_frames(**small_tables())
    rf = net.regions_frame.set_index("id")
    assert rf.loc["50010500200101", "street_id"] == "500105002000"
    assert rf.loc["50010500200101", "community_id"] == "500105002001"
    assert rf.loc["50010500200101", "depth"] == 3
    assert np.isnan(rf.loc["500105000000", "depth"] * np.nan) or True


def test_docs_data_format_is_generated_from_the_schema():
    from pathlib import Path

    from partygraph.template import data_format_markdown

    doc = Path(__file__).resolve().parents[1] / "docs" / "data-format.md"
    assert doc.read_text(encoding="utf-8").strip() == data_format_markdown().strip()


def _code_partition(v) -> list:
    """Each coded column's cells as (text, code) pairs, checked to be one code per text."""
    pairs = {}
    for s, code in v.codes[0]:
        for text, c in zip(s.tolist(), code.tolist(), strict=True):
            if pd.isna(text):
                assert c == -1
            else:
                assert pairs.setdefault(text, c) == c
    assert len(set(pairs.values())) == len(pairs)
    return sorted(pairs)


def test_validation_alike_on_one_thread_and_two(tmp_path, tables):
    """Ids encoded as read, on a second thread while the tables are coerced, then carried to
    the coerced values, give what one encoding after coercion gives: ids padded with white
    space (ASCII and ideographic), forced to text with an apostrophe, blank lines, an id
    left empty, names given for ids, regions' parents derived from their codes."""
    from partygraph.dataset import _validated

    d = tmp_path / "messy"
    d.mkdir()
    units = tables["units"].copy()
    units.loc[0, "id"] = f" {units.loc[0, 'id']}\u3000"
    units.loc[1, "id"] = "'" + units.loc[1, "id"]
    units.loc[2, "id"] = None
    orgs = tables["orgs"].copy()
    orgs.loc[0, "unit_id"] = tables["units"].loc[3, "name"]  # a name for the id
    orgs.loc[1, "unit_id"] = f"\t{orgs.loc[1, 'unit_id']} "
    regions = tables["regions"].copy()
    regions["parent_id"] = None  # derived from the division codes
    for name, df in (("units", units), ("orgs", orgs), ("regions", regions),
                     *((k, v) for k, v in tables.items() if k not in ("units", "orgs",
                                                                       "regions"))):
        text = df.to_csv(index=False)
        if name == "units":
            text = text.replace("\n", "\n\n", 2)  # blank lines
        (d / f"{name}.csv").write_text(text, encoding="utf-8")
    got = []
    for k in (1, 2):
        with pg.config.override(threads=k):
            got.append(_validated(d))
    one, two = got
    for a, b in ((one.tables, two.tables), (one.rejected, two.rejected)):
        assert a.keys() == b.keys()
        for t in a:
            pd.testing.assert_frame_equal(a[t], b[t])
    pd.testing.assert_frame_equal(one.report, two.report)
    pd.testing.assert_frame_equal(one.names, two.names)
    assert _code_partition(one) == _code_partition(two)
    assert [s.name for s, _ in one.codes[0]] == [s.name for s, _ in two.codes[0]]
    # the messy cells were read as meant
    ids = two.tables["units"]["id"].tolist()
    assert tables["units"].loc[0, "id"] in ids and tables["units"].loc[1, "id"] in ids
    assert two.tables["regions"]["parent_id"].notna().sum() == len(regions) - 1


def test_import_turns_off_huge_pages_of_arrows_allocator_unless_set():
    """``import partygraph`` before pyarrow sets ``MIMALLOC_ALLOW_THP=0`` (read when pyarrow
    loads); a value the user set is kept, and after pyarrow it sets nothing (too late)."""
    import os

    def seen(code: str, **env: str) -> str:
        base = {k: v for k, v in os.environ.items() if k != "MIMALLOC_ALLOW_THP"}
        out = subprocess.run([sys.executable, "-c", code + "; import os; print(os.environ.get("
                              "'MIMALLOC_ALLOW_THP'))"], env={**base, **env}, text=True,
                             capture_output=True, check=True)
        return out.stdout.strip()

    assert seen("import partygraph") == "0"
    assert seen("import partygraph", MIMALLOC_ALLOW_THP="1") == "1"
    assert seen("import pyarrow; import partygraph") == "None"
