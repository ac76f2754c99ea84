"""Issue 13: every real file loads or is refused with one clear report; nothing changes
silently; no personal data gets out. One test per failure found by the hostile-input pass."""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import xlsxwriter
from hypothesis import example, given, settings
from hypothesis import strategies as st

import partygraph as pg
from conftest import small_tables
from partygraph.cli import main

ID_CARD = "11010519491231002X"
ID_MASKED = "110105********002X"
MOBILE = "13912345678"


def write_folder(d: Path, tables=None, encoding="utf-8-sig") -> Path:
    d.mkdir(parents=True, exist_ok=True)
    for name, df in (tables or small_tables()).items():
        df.to_csv(d / f"{name}.csv", index=False, encoding=encoding)
    return d


def lenient(path_or_tables):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.PartygraphWarning)
        if isinstance(path_or_tables, dict):
            return pg.from_frames(**path_or_tables, strict=False)
        return pg.read_dataset(path_or_tables, strict=False)


def problems(report, table=None):
    r = report if table is None else report[report["table"] == table]
    return list(zip(r["row"], r["problem"], strict=True))


def run_cli(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    assert "Traceback" not in out.err and "Traceback" not in out.out
    return code, out.out, out.err


# ------------------------------------------------------------------ no traceback: files

@pytest.mark.parametrize("content, says", [
    (b"", "empty"),
    (b"PK\x03\x04\x14\x00\x00\x00truncated", "damaged"),
    (codecs.BOM_UTF8 + b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "not"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "password"),
    (os.urandom(2048), "not"),
])
def test_broken_workbooks_get_one_clear_error(tmp_path, capsys, content, says):
    p = tmp_path / "台账.xlsx"
    p.write_bytes(content)
    with pytest.raises(pg.PartygraphError) as exc:
        pg.read_dataset(p)
    assert says in str(exc.value) and "台账.xlsx" in str(exc.value)
    code, _, err = run_cli(["validate", str(p)], capsys)
    assert code == 1 and "partygraph:" in err


def test_junk_ods_and_a_truncated_real_workbook(tmp_path):
    (tmp_path / "a.ods").write_bytes(b"this is not a spreadsheet")
    with pytest.raises(pg.PartygraphError, match="not"):
        pg.read_dataset(tmp_path / "a.ods")
    good = tmp_path / "good.xlsx"
    pg.from_frames(**small_tables()).write(good)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    with pytest.raises(pg.PartygraphError, match=r"damaged|cannot be read"):
        pg.read_dataset(cut)


def test_a_csv_field_longer_than_the_csv_module_allows(tmp_path):
    t = small_tables()
    t["units"].loc[0, "name"] = "长" * 200_000
    t["units"]["note"] = ['含"引号"的备注', "b", "c", "d", "e"]  # quotes: the careful reader
    net = pg.read_dataset(write_folder(tmp_path / "d", t))
    assert len(net.tables["units"].loc[0, "name"]) == 200_000


def test_time_of_day_cells_and_dates_before_1900(tmp_path):
    p = tmp_path / "t.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    tf = wb.add_format({"num_format": "hh:mm"})
    t = small_tables()
    for name, df in t.items():
        ws = wb.add_worksheet(name)
        cols = [*df.columns, "time_extra"] if name == "orgs" else list(df.columns)
        ws.write_row(0, 0, cols)
        for i, row in enumerate(df.itertuples(index=False), start=1):
            for j, v in enumerate(row):
                if v is not None and v == v:
                    ws.write(i, j, v)
            if name == "orgs":
                ws.write_datetime(i, len(cols) - 1, dt.datetime(1899, 12, 31, 8, 30), tf)
    wb.close()
    net = pg.read_dataset(p)
    assert net.tables["orgs"]["time_extra"].iloc[0] == "08:30:00"
    # a date before 1900 is refused with its row, never wrapped around
    t = small_tables()
    t["orgs"]["established"] = ["1850-01-01", None, None, None, None]
    with pytest.raises(pg.DataValidationError, match="1900"):
        pg.from_frames(**t)
    # and the time of day survives the CSV round trip
    out = net.write(tmp_path / "back")
    back = pg.read_dataset(out)
    assert back.tables["orgs"]["time_extra"].iloc[0] == "08:30:00"


def test_an_extra_column_named_like_the_reports_own(tmp_path):
    t = small_tables()
    t["units"]["row"] = ["r1", "r2", "r3", "r4", "r5"]
    t["units"]["type"] = "x"
    t["units"].loc[4, "kind"] = "外星单位"  # one bad row, set aside in lenient mode
    net = lenient(t)
    assert "row_extra" in net.tables["units"].columns
    assert net.rejected["units"]["row"].tolist() == [4]
    assert net.rejected["units"]["row_extra"].tolist() == ["r5"]
    warned = net.report[net.report["severity"] == "warning"]["problem"]
    assert warned.str.contains("a name partygraph uses itself").sum() == 2
    g = net.to_networkx()
    assert g.nodes["U1"]["type"] == "unit"


# ------------------------------------------------------------------ no traceback: CLI

def test_output_paths(tmp_path, capsys):
    data = write_folder(tmp_path / "d")
    f = tmp_path / "a_file"
    f.write_text("x")
    code, _, err = run_cli(["assess", str(data), "-o", str(f), "-q"], capsys)
    assert code == 2 and "is a file" in err
    code, _, err = run_cli(["assess", str(data), "-o", str(f / "sub"), "-q"], capsys)
    assert code == 2 and "a file, not a folder" in err
    code, _, _ = run_cli(["assess", str(data), "-o", str(tmp_path / "new" / "deep"), "-q"],
                           capsys)
    assert code == 0 and (tmp_path / "new" / "deep" / "report.html").exists()
    target = tmp_path / "exp"
    target.mkdir()
    (target / "tables").write_text("x")
    code, _, err = run_cli(["export", str(data), "-o", str(target), "-f", "parquet"], capsys)
    assert code == 2 and "is a file" in err
    code, _, err = run_cli(["validate", str(data), "-o", str(f / "x.csv")], capsys)
    assert code == 2


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root can write into read-only folders")
def test_read_only_output_folder(tmp_path, capsys):  # pragma: no cover - not as root
    data = write_folder(tmp_path / "d")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    code, _, err = run_cli(["assess", str(data), "-o", str(ro / "out"), "-q"], capsys)
    assert code == 2 and "permission" in err


def test_rules_files_and_arguments(tmp_path, capsys):
    data = write_folder(tmp_path / "d")
    out = str(tmp_path / "o")
    code, _, err = run_cli(["assess", str(data), "-o", out, "-q", "--rules",
                            str(tmp_path / "none.yaml")], capsys)
    assert code == 2 and "none.yaml" in err
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    code, _, err = run_cli(["assess", str(data), "-o", out, "-q", "--rules", str(bad)], capsys)
    assert code == 2 and "JSON" in err
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"min_formal_for_org": "三"}), encoding="utf-8")
    code, _, err = run_cli(["assess", str(data), "-o", out, "-q", "--rules", str(wrong)],
                           capsys)
    assert code == 2 and "min_formal_for_org" in err
    gbk = tmp_path / "规则.yaml"
    gbk.write_bytes("# 江北区规则\nbase: jiangbei\nbranch_max_members: 25\n".encode("gbk"))
    code, _, _ = run_cli(["assess", str(data), "-o", out, "-q", "--rules", str(gbk)], capsys)
    assert code == 0
    with pytest.raises(SystemExit) as exc:
        main(["assess", str(data), "-o", out, "--permutations", "-5"])
    assert exc.value.code == 2


def test_broken_pipe_and_ctrl_c(monkeypatch, capsys):
    proc = subprocess.run(
        f"{sys.executable} -c 'from partygraph.cli import main; import sys; "
        f"sys.exit(main([\"examples\"]))' | head -c 10",
        shell=True, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr
    from partygraph import cli

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_cmd_examples", interrupted)
    code, _, err = run_cli(["examples"], capsys)
    assert code == 130 and "interrupted" in err

    def broken(args):
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "_cmd_examples", broken)
    code, _, err = run_cli(["examples"], capsys)
    assert code == 3 and "internal error" in err


def test_required_tables_missing_or_wholly_set_aside(tmp_path, capsys):
    t = small_tables()
    del t["orgs"]
    d = write_folder(tmp_path / "no_orgs", t)
    code, _, err = run_cli(["assess", str(d), "-o", str(tmp_path / "o"), "-q"], capsys)
    assert code == 1 and "orgs" in err
    t = small_tables()
    t["units"]["kind"] = "外星单位"
    with pytest.raises(pg.PartygraphError, match="units"):
        lenient(t)


# ------------------------------------------------------------------ nothing silently changed

def test_two_headers_for_one_column(tmp_path):
    t = small_tables()
    u = t["units"].rename(columns={"kind": "单位类型"})
    u["kind"] = "agency"  # a second header for the same column, with other values
    t["units"] = u
    net = pg.from_frames(**t)
    assert net.tables["units"]["kind"].tolist() == small_tables()["units"]["kind"].tolist()
    assert net.tables["units"]["kind (2)"].tolist() == ["agency"] * 5
    assert net.report["problem"].str.contains("a second header for column 'kind'").any()


@pytest.mark.parametrize("table, column, value", [
    ("units", "party_members", "inf"), ("units", "party_members", "1e19"),
    ("units", "party_members", "1e30"), ("units", "party_members", "-3"),
    ("units", "employees", "2.5"), ("links", "weight", "inf"),
])
def test_impossible_numbers_are_reported(table, column, value):
    t = small_tables()
    t[table][column] = [value] + [None] * (len(t[table]) - 1)
    net = lenient(t)
    rep = net.report[(net.report["table"] == table) & (net.report["severity"] == "error")]
    assert len(rep) == 1 and rep["column"].iloc[0].startswith(column)
    assert len(net.rejected[table]) == 1


def test_dates_read_and_dates_refused():
    t = small_tables()
    ok = ["2024-03-05", "2024/3/5", "2024年3月5日", "20240305", "2024.3.5"]
    t["orgs"]["established"] = ok
    net = pg.from_frames(**t)
    assert (net.tables["orgs"]["established"] == pd.Timestamp("2024-03-05")).all()
    bad = ["3/1/2024", "1", "45292", "1899-12-31", "2101-01-01"]
    t["orgs"]["established"] = bad
    rep = pg.validate(t).query("table == 'orgs' and severity == 'error'")
    assert len(rep) == 5
    assert rep["problem"].str.contains("year first").sum() == 1
    assert rep["problem"].str.contains("Excel serial").sum() == 2
    assert rep["problem"].str.contains("1900").sum() == 2


def _text_workbook(path):
    """The small tables in an open XlsxWriter workbook, every cell written as text (and text
    written later stays text, formula-like or not)."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False,
                                         "strings_to_formulas": False})
    for name, df in small_tables().items():
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, list(df.columns))
        for i, row in enumerate(df.itertuples(index=False), start=1):
            for j, v in enumerate(row):
                if v is not None and v == v:
                    ws.write_string(i, j, str(v))
    return wb


def test_uncalculated_formulas_and_excel_errors(tmp_path):
    p = tmp_path / "f.xlsx"
    wb = _text_workbook(p)
    units = wb.get_worksheet_by_name("units")
    units.write_formula(2, 1, '="区"&"司法局"', None, "")  # no cached value
    units.write_formula(3, 3, "=NA()", None, "#N/A")
    wb.close()
    # xlsxwriter writes an empty cached value when told ""; drop it: not calculated
    import zipfile

    raw = zipfile.ZipFile(p)
    parts = {n: raw.read(n) for n in raw.namelist()}
    raw.close()
    sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet2"))
    parts[sheet] = parts[sheet].replace(b"<v></v>", b"")
    with zipfile.ZipFile(p, "w") as z:
        for n, b in parts.items():
            z.writestr(n, b)
    net = lenient(p)
    rep = net.report.query("table == 'units' and severity == 'error'")
    assert set(rep["row"]) == {3, 4}
    assert rep["problem"].str.contains("formula not calculated").any()
    assert rep["problem"].str.contains("#N/A").any()
    assert set(net.tables["units"]["id"]) == {"U1", "U4", "U5"}


def test_malformed_csv_lines_are_set_aside_with_their_line(tmp_path):
    d = write_folder(tmp_path / "d")
    lines = (d / "units.csv").read_text(encoding="utf-8-sig").splitlines()
    lines[2] += ",extra,fields"                     # line 3: U2
    lines[4] = lines[4].replace("某餐饮店", '"某餐饮店')  # line 5: U4, a quote never closed
    (d / "units.csv").write_text("\r".join(lines[:3]) + "\r\r" + "\r".join(lines[3:]) + "\r",
                                 encoding="utf-8-sig")  # lone CR line ends, a blank line
    net = lenient(d)
    rep = net.report.query("table == 'units' and severity == 'error'")
    # the blank line moved U3 to line 5, U4 to 6 and U5 to 7
    assert sorted(zip(rep["row"], rep["problem"], strict=True)) == [
        (3, "more fields than the header has columns"),
        (6, "malformed CSV line (a quote is not closed)")]
    assert net.tables["units"]["id"].tolist() == ["U1", "U3", "U5"]
    assert net.rows["units"].tolist() == [2, 5, 7]
    acc = net.accounting.set_index("table").loc["units"]
    assert (acc["read"], acc["loaded"], acc["set_aside"]) == (5, 3, 2)


def test_mixed_encodings_and_utf16_exports(tmp_path):
    d = write_folder(tmp_path / "d")
    raw = (d / "units.csv").read_bytes().split(b"\r\n" if b"\r\n" in (
        d / "units.csv").read_bytes() else b"\n")
    raw[3] = raw[3].decode("utf-8").encode("gbk")  # one GBK line (U3) in a UTF-8 file
    (d / "units.csv").write_bytes(b"\n".join(raw))
    net = lenient(d)
    rep = net.report.query("table == 'units' and severity == 'error'")
    assert rep["row"].tolist() == [4] and rep["problem"].str.contains("encoding").all()
    assert "某餐饮店" in set(net.tables["units"]["name"])  # the UTF-8 lines read right
    # UTF-16 without BOM, and Excel's tab-separated "Unicode text"
    for enc, sep, bom in (("utf-16-le", ",", b""), ("utf-16-le", "\t", codecs.BOM_UTF16_LE)):
        e = write_folder(tmp_path / f"e{len(bom)}{sep == ','}")
        for name, df in small_tables().items():
            (e / f"{name}.csv").write_bytes(bom + df.to_csv(index=False, sep=sep).encode(enc))
        net = pg.read_dataset(e)
        assert net.tables["units"]["name"].tolist() == small_tables()["units"]["name"].tolist()


def test_large_csv_whose_first_megabyte_is_utf8(tmp_path):
    """A file over a megabyte is judged UTF-8 from its first megabyte, and Arrow checks the
    rest as it reads: a GBK line further down is still found (that line reported, the rest
    read), and a file mostly GBK after an ASCII start is still read as GBK."""
    from partygraph.reading import read_raw

    head = "id,name,kind,region_id\n"
    ascii_rows = "".join(f"U{i:07d},Unit {i},private,R1\n" for i in range(60_000))
    assert len(ascii_rows) > 1 << 20
    one_bad = (head + ascii_rows).encode() + "U9999997,某公司,private,R1\n".encode("gbk") + \
        "U9999998,某超市,private,R1\nU9999999,某餐饮店,private,R1\n".encode()
    d = tmp_path / "a"
    d.mkdir()
    (d / "units.csv").write_bytes(one_bad)
    raw = read_raw(d)[0]["units"]
    assert [p[0] for p in raw.problems] == [60_002] and raw.problems[0][3].startswith(
        "this line is not in the file's encoding")
    assert len(raw.frame) == 60_002 and raw.frame["name"].iloc[-1] == "某餐饮店"
    gbk = (head + ascii_rows).encode() + "".join(
        f"G{i:07d},某公司{i},private,R1\n" for i in range(60_000)).encode("gbk")
    (d / "units.csv").write_bytes(gbk)
    raw = read_raw(d)[0]["units"]
    assert not raw.problems and len(raw.frame) == 120_000
    assert raw.frame["name"].iloc[-1] == "某公司59999"


def test_ids_that_excel_turned_into_numbers(tmp_path):
    p = tmp_path / "n.xlsx"
    wb = _text_workbook(p)
    wb.get_worksheet_by_name("units").write_number(5, 0, 913501234567891234)  # U5's id
    wb.close()
    rep = lenient(p).report.query("table == 'units' and severity == 'error'")
    assert rep["row"].tolist() == [6]
    assert rep["problem"].str.contains("digits are lost").all()
    assert not rep["problem"].str.contains("check character").any()
    t = small_tables()
    t["units"].loc[4, "id"] = "9.13501E+17"
    rep = lenient(t).report.query("table == 'units' and severity == 'error'")
    assert rep["problem"].str.contains("digits are lost").any()


def test_na_texts_read_alike_from_xlsx_and_csv(tmp_path):
    t = small_tables()
    t["units"]["note"] = ["NA", "N/A", "null", "None", "#N/A-like"]
    x = pg.from_frames(**t).write(tmp_path / "x.xlsx")
    c = write_folder(tmp_path / "c", t)
    a, b = pg.read_dataset(x).tables["units"], pg.read_dataset(c).tables["units"]
    assert a["note"].tolist() == b["note"].tolist() == t["units"]["note"].tolist()


def test_an_extra_id_column_in_links_is_just_an_extra_column():
    t = small_tables()
    t["links"]["id"] = ["L1", "L1", "L2"]
    net = pg.from_frames(**t)
    assert net.tables["links"]["id"].tolist() == ["L1", "L1", "L2"]


def test_write_keeps_everything_or_refuses(tmp_path):
    t = small_tables()
    t["units"]["note"] = ["长" * 40_000, "=SUM(A1)", "+1", "-x", "@cmd"]
    net = pg.from_frames(**t)
    with pytest.raises(pg.PartygraphError, match="32,767"):
        net.write(tmp_path / "x.xlsx")
    out = net.write(tmp_path / "csv")
    text = (out / "units.csv").read_text(encoding="utf-8-sig")
    assert "'=SUM(A1)" in text and "'+1" in text and "'@cmd" in text
    back = pg.read_dataset(out)
    assert back.tables["units"]["note"].tolist() == t["units"]["note"].tolist()


def test_lenient_accounting_and_warning():
    t = small_tables()
    t["units"].loc[2, "kind"] = "外星单位"
    t["links"].loc[0, "weight"] = "inf"
    with pytest.warns(pg.PartygraphWarning, match=r"row\(s\) set aside") as w:
        net = pg.from_frames(**t, strict=False)
    acc = net.accounting.set_index("table")
    assert (acc["read"] == acc["loaded"] + acc["set_aside"]).all()
    # U3 itself, then what refers to it (its org, its members...), and the inf weight
    assert acc.loc["units", "set_aside"] == 1 and acc.loc["links", "set_aside"] >= 1
    assert f"{int(acc['set_aside'].sum())} row(s)" in str(w[0].message)


# ------------------------------------------------------------------ personal data, attacks

def test_personal_numbers_found_by_value_and_masked_everywhere(tmp_path):
    t = small_tables()
    t["units"].loc[2, "name"] = f"某科技有限公司(联系人 {MOBILE})"
    t["units"]["备注"] = [None, None, f"法人身份证 {ID_CARD}", None, None]  # under 50%
    t["units"]["书记"] = ["王伟", "李娜", "张敏", "刘洋", "陈静"]
    t["orgs"]["记录人"] = ["王伟", "李娜", "张敏", "刘洋", "陈静"]  # names by their values
    t["links"].loc[2, "source"] = ID_CARD  # a reference that is an ID-card number
    net = lenient(t)
    u = net.tables["units"]
    assert u.loc[2, "name"] == "某科技有限公司(联系人 139****5678)"
    assert ID_MASKED in u.loc[2, "备注"]
    assert "书记" not in u.columns and "记录人" not in net.tables["orgs"].columns
    rep_text = net.report.to_string()
    assert ID_CARD not in rep_text and MOBILE not in rep_text and ID_MASKED in rep_text
    a = pg.assess(net, permutations=0)
    out = a.write(tmp_path / "out")
    pg.write_graph(net, tmp_path / "out" / "g.graphml")
    for f in (tmp_path / "out").iterdir():
        data = f.read_bytes()
        if f.suffix == ".xlsx":
            import zipfile

            data = b"".join(zipfile.ZipFile(f).read(n) for n in zipfile.ZipFile(f).namelist())
        for secret in (ID_CARD, MOBILE, "王伟"):
            assert secret.encode() not in data, (f.name, secret)
    assert out


def test_graph_files_stay_well_formed(tmp_path):
    t = small_tables()
    t["units"].loc[0, "name"] = "社区\x07居委会\x1b[31m"
    t["units"]["x\x01y"] = "v\x0b"
    net = pg.from_frames(**t)
    for suffix in (".graphml", ".gexf"):
        for graph in ("actors", "full"):
            p = pg.write_graph(net, tmp_path / f"g_{graph}{suffix}", graph=graph)
            ET.parse(p)  # well-formed XML
            g = nx.read_graphml(p) if suffix == ".graphml" else nx.read_gexf(p)
            assert g.number_of_nodes() > 0


def test_csv_outputs_are_neutralised_and_terminal_text_is_visible(tmp_path, capsys):
    t = small_tables()
    t["units"].loc[0, "kind"] = "=HYPERLINK(\"http://x\")"
    t["units"].loc[1, "name"] = "区司法局\x1b[2J\x1b[31m"
    t["units"].loc[1, "kind"] = "\x1b[31m机关"
    d = write_folder(tmp_path / "d", t)
    code, out, _ = run_cli(["validate", str(d), "-o", str(tmp_path / "r.csv")], capsys)
    assert code == 1
    text = (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "\x1b" not in out and "\\x1b" in out


# ------------------------------------------------------------------ fuzz

def _mutate_bytes(data: bytes, draw_ops) -> bytes:
    b = bytearray(data)
    for pos, val, op in draw_ops:
        if not b:
            break
        i = pos % len(b)
        if op == 0:
            b[i] = val
        elif op == 1:
            del b[i]
        else:
            b.insert(i, val)
    return bytes(b)


def test_fuzzed_files_give_a_network_or_one_error(tmp_path_factory):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    base = tmp_path_factory.mktemp("base")
    write_folder(base / "csv")
    pg.from_frames(**small_tables()).write(base / "book.xlsx")
    files = {f.name: f.read_bytes() for f in (base / "csv").iterdir()}
    book = (base / "book.xlsx").read_bytes()
    ops = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255), st.integers(0, 2)),
                   min_size=1, max_size=12)
    outcome = {"network": 0, "error": 0}

    def check(path):
        try:
            net = lenient(path)
        except pg.PartygraphError:
            outcome["error"] += 1
            return
        outcome["network"] += 1
        acc = net.accounting
        assert (acc["read"] == acc["loaded"] + acc["set_aside"]).all()
        for _, r in acc.iterrows():
            assert r["loaded"] == len(net.tables[r["table"]])
            assert r["set_aside"] == len(net.rejected.get(r["table"], []))

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(name=st.sampled_from(sorted(files)), ops=ops)
    def csv_case(name, ops):
        d = tmp_path_factory.mktemp("f")
        for n, data in files.items():
            (d / n).write_bytes(_mutate_bytes(data, ops) if n == name else data)
        check(d)

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(ops=ops)
    def book_case(ops):
        p = tmp_path_factory.mktemp("b") / "book.xlsx"
        p.write_bytes(_mutate_bytes(book, ops))
        check(p)

    csv_case()
    book_case()
    assert outcome["network"] > 0


def test_fuzzed_workbook_cells(tmp_path_factory):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    cell = st.one_of(st.none(), st.text(max_size=12), st.integers(-10**20, 10**20),
                     st.floats(allow_nan=False), st.datetimes(), st.booleans(),
                     st.sampled_from(["NA", "#N/A", "=1+1", "1e30", "inf", ID_CARD, MOBILE]))

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(table=st.sampled_from(["units", "orgs", "members", "links"]),
           edits=st.lists(st.tuples(st.integers(0, 6), st.integers(0, 7), cell), max_size=8))
    def case(table, edits):
        p = tmp_path_factory.mktemp("c") / "book.xlsx"
        wb = _text_workbook(p)
        ws = wb.get_worksheet_by_name(table)
        day = wb.add_format({"num_format": "yyyy-mm-dd"})
        for r, c, v in edits:
            if isinstance(v, dt.datetime):
                ws.write_datetime(r + 1, c, v, day)
            elif isinstance(v, float) and not np.isfinite(v):
                continue
            elif v is not None:
                ws.write(r + 1, c, v)
        wb.close()
        try:
            net = lenient(p)
        except pg.PartygraphError:
            return
        acc = net.accounting
        assert (acc["read"] == acc["loaded"] + acc["set_aside"]).all()

    case()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(
    st.one_of(st.none(), st.text(alphabet=st.characters(codec="utf-8",
                                                        exclude_categories=("Cs",)),
                                 max_size=12)),
    st.one_of(st.none(), st.integers(-10**12, 10**12)),
    st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True, width=64)),
    st.one_of(st.none(), st.datetimes(min_value=dt.datetime(1901, 1, 1),
                                      max_value=dt.datetime(2099, 12, 31)))),
    min_size=1, max_size=30))
@example([("_x0041_", None, None, None), ("_x0041_x0042_\r", 1, 0.5, None),
          ("a_x005F_b__x00e9_ _X0041_ _x12G4_ _x0041 x_x0041_", None, None, None),
          ("_x0041\r_x0042\x01_x0043", None, None, None)])
def test_workbook_cells_read_back(tmp_path_factory, rows):
    """Rows laid into the sheets by columns read back cell for cell: text (escaped for
    XML, never a formula; text that reads as Excel's own escapes, ``_x0041_``, kept as
    written), whole and decimal numbers, dates, empty cells."""
    import re

    import openpyxl

    from partygraph.writing import write_xlsx

    df = pd.DataFrame(rows, columns=["t", "i", "f", "d"]).astype(
        {"t": "str", "i": "Int64", "f": "float64", "d": "datetime64[ns]"})
    p = write_xlsx(tmp_path_factory.mktemp("x") / "w.xlsx", {"表": df}, notes={"表": "说明"})
    ws = openpyxl.load_workbook(p)["表"]
    got = list(ws.iter_rows(min_row=3, max_row=len(df) + 2, max_col=4, values_only=True))
    assert len(got) == len(df)
    for (t, i, f, d), r in zip(df.itertuples(index=False), got, strict=True):
        if pd.isna(t) or t == "":
            assert r[0] in (None, "")
        else:  # openpyxl leaves Excel's escapes as they are in the file; Excel reads each
            # _xHHHH_ from the left as one character: every text reads back as written
            assert re.sub("_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m[1], 16)), r[0]) == t
            bad = {chr(c) for c in [*range(0, 9), 11, 12, 13, *range(14, 32), 0xFFFE, 0xFFFF]}
            # an underscore escaped where it would begin an escape (with one of ours too)
            lit = re.sub("_(?=x[0-9A-Fa-f]{4}[_" + "".join(bad) + "])", "_x005F_", t)
            assert r[0] == "".join(f"_x{ord(c):04X}_" if c in bad else c for c in lit)
        assert r[1] == (None if pd.isna(i) else int(i))
        assert r[2] == (None if not np.isfinite(f) else pytest.approx(f, rel=1e-15))
        if pd.isna(d):
            assert r[3] is None
        else:  # Excel keeps dates to the millisecond
            assert abs(r[3] - d.to_pydatetime()) <= dt.timedelta(seconds=1)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=10), st.integers(-10**6, 10**6),
                          st.floats(allow_nan=False, allow_infinity=False)), max_size=40))
def test_column_widths_by_arrow_equal_the_plain_rule(values):
    """A workbook column's widths, worked out by Arrow for ASCII text, equal the plain
    per-character rule (two for a wide character), missing cells skipped."""
    from partygraph.writing import _display_width, display_widths

    s = pd.Series(values, dtype=object)
    want = [_display_width(str(v)) for v in s.dropna().astype("str")]
    assert display_widths(s).tolist() == want
    assert display_widths(pd.Series(["党建", "ab", None, "共建a"], dtype="str")).tolist() == \
        [4, 2, 5]


def test_workbook_rows_alike_on_one_thread_and_two(tmp_path):
    """Blocks of rows deflated on a second thread make the same sheet as on one thread."""
    import zipfile

    from partygraph.writing import write_xlsx

    n = 45_000  # three blocks of rows
    df = pd.DataFrame({"id": [f"U{i:06d}" for i in range(n)], "n": np.arange(n),
                       "名称": [f"单位<{i % 97}>&" for i in range(n)]})
    books = []
    for k in (1, 2):
        with pg.config.override(threads=k):
            books.append(write_xlsx(tmp_path / f"w{k}.xlsx", {"表": df}))
    sheets = [zipfile.ZipFile(b).read("xl/worksheets/sheet1.xml") for b in books]
    assert sheets[0] == sheets[1]
    assert sheets[0].count(b"<row ") == n + 1 and b"&lt;96&gt;&amp;" in sheets[0]


def test_a_reader_panic_is_one_clear_message(tmp_path, monkeypatch):
    """python-calamine (Rust) panics on some damaged workbooks with a ``BaseException``: the
    data set and the alias table still give one clear message; an interrupt still
    interrupts."""
    import shutil

    import pandas as pd

    from partygraph.errors import PartygraphError, UsageError
    from partygraph.names import read_aliases

    class PanicException(BaseException):  # as pyo3_runtime names it
        pass

    book = tmp_path / "台账.xlsx"
    shutil.copy(pg.example_path("jiangbei_ledger"), book)

    def panics(*args, **kwargs):
        raise PanicException("index out of bounds: the len is 28 but the index is 28")

    monkeypatch.setattr(pd, "read_excel", panics)
    with pytest.raises(PartygraphError, match=r"cannot be read.*PanicException"):
        pg.read_dataset(book)
    with pytest.raises(UsageError, match=r"alias table .*cannot be read"):
        read_aliases(book)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pd, "read_excel", interrupted)
    with pytest.raises(KeyboardInterrupt):
        pg.read_dataset(book)
