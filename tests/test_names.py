"""Issue 15: ledgers that name things — references by name, never a guess, one entity one id,
help to reconcile, tables without ids."""

from __future__ import annotations

import warnings

import openpyxl
import pandas as pd
import pytest

import partygraph as pg
from conftest import small_tables
from partygraph.cli import main


def lenient(t, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.PartygraphWarning)
        return pg.from_frames(**t, strict=False, **kw)


def errors(net, table):
    r = net.report
    return r[(r["table"] == table) & (r["severity"] == "error")]


def test_names_resolve_after_normalisation_and_say_so():
    t = small_tables()
    t["members"].loc[1, "unit_id"] = "区司法局"
    t["members"].loc[2, "unit_id"] = " 某科技有限公司 "     # spaces around
    t["members"].loc[3, "unit_id"] = "某科技 有限公司"       # a space inside
    t["links"].loc[0, "target"] = "建北社区党委"             # an org by name
    t["units"].loc[0, "region_id"] = "观音桥街道/建北社区"     # a region by its path
    t["units"].loc[1, "name"] = "区司法局（ＡＢ）"            # full-width in the table...
    t["members"].loc[4, "unit_id"] = "区司法局(ab)"          # ...half-width, other case
    t["members"].loc[1, "unit_id"] = "区司法局(AB)"
    net = pg.from_frames(**t)
    assert net.tables["members"]["unit_id"].tolist()[1:5] == ["U2", "U3", "U3", "U2"]
    assert net.tables["links"]["target"].iloc[0] == "P1"
    assert net.tables["units"]["region_id"].iloc[0] == "500105002001"
    info = net.report[net.report["severity"] == "info"]
    assert "4 reference(s) given by name resolved to ids" in set(info["problem"])


def test_an_id_always_wins_over_a_name():
    t = small_tables()
    t["units"].loc[3, "name"] = "U2"  # a unit named like another unit's id
    t["members"].loc[1, "unit_id"] = "U2"
    net = pg.from_frames(**t)
    assert net.tables["members"]["unit_id"].iloc[1] == "U2"
    assert not (net.report["severity"] == "info").any()


def test_never_guess_ambiguous_and_unknown_names():
    t = small_tables()
    t["units"].loc[3, "name"] = "某科技有限公司"  # now two units are named so (U3, U4)
    t["units"].loc[3, "region_id"] = "500105002002"
    t["members"].loc[1, "unit_id"] = "某科技有限公司"
    t["members"].loc[2, "unit_id"] = "某餐饮公司"  # not a name of anything
    net = lenient(t)
    rep = errors(net, "members").set_index("row")
    assert "ambiguous" in rep.loc[1, "problem"] and "U3" in rep.loc[1, "problem"] \
        and "U4" in rep.loc[1, "problem"]
    assert "名称不唯一" in rep.loc[1, "problem_zh"]
    assert "closest names" in rep.loc[2, "problem"]
    assert rep.loc[2, "problem"].count("(") == 3  # the three closest, with their ids


def test_names_that_differ_stay_distinct():
    t = small_tables()
    t["units"].loc[2, "name"] = "重庆某科技有限责任公司"
    t["members"].loc[1, "unit_id"] = "重庆某科技有限公司"  # 有限公司 ≠ 有限责任公司
    net = lenient(t)
    rep = errors(net, "members")
    assert len(rep) == 1 and "重庆某科技有限责任公司(U3)" in rep["problem"].iloc[0]


def test_probable_duplicates_are_flagged():
    t = small_tables()
    t["units"] = pd.concat([t["units"], pd.DataFrame({
        "id": ["U6"], "name": ["某科技 有限公司"], "kind": ["private"],
        "region_id": ["500105002001"]})], ignore_index=True)
    t["units"]["统一社会信用代码"] = [None, "91350100M000100Y43", None, None,
                                  "91350100M000100Y43", None]
    net = pg.from_frames(**t)
    warn = net.report[(net.report["table"] == "units") & (net.report["severity"] == "warning")]
    dup = warn[warn["problem"].str.startswith("probable duplicate")]
    assert len(dup) == 4  # two pairs, each row named
    assert dup["problem"].str.contains("U3, U6").any() and dup["problem"].str.contains(
        "U2, U5").any()


def test_tables_without_ids_get_stable_ids(tmp_path):
    t = small_tables()
    units = t["units"].drop(columns=["id"]).assign(序号=range(1, 6))
    units["统一社会信用代码"] = [None, "91350100M000100Y43", None, None, None]
    t["units"] = units
    t["orgs"]["unit_id"] = ["", "建北社区居委会", "区司法局", "某科技有限公司", ""]
    t["orgs"]["unit_id"] = t["orgs"]["unit_id"].replace("", None)
    t["members"]["unit_id"] = [None, "区司法局", "某科技有限公司", "某科技有限公司",
                               "某科技有限公司", "某餐饮店", "某餐饮店"]
    a, b = pg.from_frames(**t), pg.from_frames(**t)
    ids = a.tables["units"]["id"]
    assert ids.tolist() == b.tables["units"]["id"].tolist()  # the same each load
    assert ids.iloc[1] == "91350100M000100Y43" and ids.iloc[0].startswith("U-")
    assert set(a.tables["members"]["unit_id"].dropna()) <= set(ids)
    assert a.report["problem"].str.contains("ids were made").any()
    # a ledger whose id column is the credit code, some left blank
    t2 = small_tables()
    t2["units"] = t2["units"].rename(columns={"id": "统一社会信用代码"})
    t2["units"]["统一社会信用代码"] = [None, "91350100M000100Y43", None, None, None]
    t2["orgs"]["unit_id"] = [None, "建北社区居委会", "区司法局", "某科技有限公司", None]
    t2["members"]["unit_id"] = [None, "区司法局", None, None, None, None, None]
    c = pg.from_frames(**t2)
    assert c.tables["units"]["id"].iloc[1] == "91350100M000100Y43"
    assert c.tables["units"]["id"].iloc[0].startswith("U-")


def test_reconcile_and_aliases(tmp_path):
    t = small_tables()
    t["units"].loc[3, "name"] = "某科技有限公司"
    t["members"].loc[1, "unit_id"] = "某科技有限公司"  # ambiguous
    t["members"].loc[2, "unit_id"] = "区 司法局"        # resolved by name
    d = tmp_path / "d"
    d.mkdir()
    for n, df in t.items():
        df.to_csv(d / f"{n}.csv", index=False, encoding="utf-8-sig")
    parts = pg.reconcile(d)
    assert parts["unresolved"]["value"].tolist() == ["某科技有限公司"]
    assert "U3" in parts["unresolved"]["candidates"].iloc[0]
    assert parts["resolved"].set_index("value").loc["区 司法局", "id"] == "U2"
    out = tmp_path / "对照表.xlsx"
    assert main(["reconcile", str(d), "-o", str(out)]) == 1
    wb = openpyxl.load_workbook(out)
    ws = wb["待确认"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("选定编码") + 1, value="U4")
    wb.save(out)
    net = pg.read_dataset(d, aliases=out)
    assert net.tables["members"]["unit_id"].iloc[1] == "U4"
    assert main(["validate", str(d), "--aliases", str(out)]) == 0


def test_a_ledger_by_name_loads_to_its_id_form():
    net = pg.load_example("jiangbei")
    t = {k: v.copy() for k, v in net.tables.items()}
    names = {}
    for tab in ("regions", "units", "orgs"):
        df = t[tab]
        unique = ~df["name"].duplicated(keep=False)
        names.update(dict(zip(df["id"][unique], df["name"][unique], strict=True)))
    ledger = {k: v.copy() for k, v in t.items()}
    changed = 0
    for tab, cols in (("units", ["region_id"]), ("orgs", ["unit_id", "parent_id"]),
                      ("members", ["org_id", "unit_id"]), ("links", ["source", "target"]),
                      ("participation", ["participant_id"])):
        for c in cols:
            s = ledger[tab][c]
            mapped = s.map(names)
            changed += int(mapped.notna().sum())
            ledger[tab][c] = mapped.where(mapped.notna(), s)
    assert changed > 100
    back = pg.from_frames(**ledger)
    for tab in t:
        pd.testing.assert_frame_equal(back.tables[tab], net.tables[tab], check_dtype=False)


@pytest.mark.parametrize("value", ["观音桥街道/建北社区", "观音桥街道 / 建北社区"])
def test_region_paths(value):
    t = small_tables()
    t["regions"].loc[3, "name"] = "建北社区"  # two communities named 建北社区, one street each?
    t["regions"] = pd.concat([t["regions"], pd.DataFrame({
        "id": ["500105003000", "500105003001"], "name": ["华新街街道", "建北社区"],
        "level": ["street", "community"], "parent_id": ["500105000000", "500105003000"]})],
        ignore_index=True)
    t["units"].loc[0, "region_id"] = value
    net = lenient(t)
    # the name alone is ambiguous here; the path is not... but within 观音桥街道 there are two
    # communities named 建北社区 (…001 and …002): the path too is ambiguous, and says so
    rep = errors(net, "units")
    assert "ambiguous" in rep["problem"].iloc[0]
    t["regions"].loc[3, "name"] = "洋河社区"
    net = pg.from_frames(**t)
    assert net.tables["units"]["region_id"].iloc[0] == "500105002001"


def test_the_bundled_ledger_is_the_jiangbei_network():
    ledger = pg.load_example("jiangbei_ledger")
    ids = pg.load_example("jiangbei")
    assert not (ledger.report["severity"] == "error").any()
    assert ledger.report["problem"].str.contains("resolved to ids").any()
    for t in ids.tables:
        assert len(ledger.tables[t]) == len(ids.tables[t]), t
    # the same analyses, compared by name (the ledger's units and orgs have made ids)
    for rules in ("national", "jiangbei"):
        a = pg.coverage_gaps(ledger, rules)[["rule", "name"]].sort_values(["rule", "name"])
        b = pg.coverage_gaps(ids, rules)[["rule", "name"]].sort_values(["rule", "name"])
        assert a.reset_index(drop=True).equals(b.reset_index(drop=True))
    wa = pg.walled_in_units(ledger).set_index("name")["status"].sort_index()
    wb = pg.walled_in_units(ids).set_index("name")["status"].sort_index()
    pd.testing.assert_series_equal(wa, wb)
    pd.testing.assert_frame_equal(pg.domain_linkage(ledger).counts,
                                  pg.domain_linkage(ids).counts)
