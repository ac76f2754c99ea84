"""Issue 21: a report that prints whole, a workbook that prints, a template that guides the
hand, office forms read right, and blank places labelled."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

import partygraph as pg
from conftest import small_tables
from partygraph.template import link_guide
from test_browser import _need_browser


def test_report_prints_every_row_of_its_paged_tables(tmp_path):
    _need_browser()
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader

    from test_browser import CHROMIUM

    a = pg.assess(pg.load_example("demo"), permutations=10)
    page_file = a.write(tmp_path)["report"]
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = b.new_page()
        page.goto(page_file.as_uri())
        page.wait_for_selector(".pg-table[data-ready]")
        page.emulate_media(media="print")  # what "print to PDF" and the 打印 button do
        hidden = page.evaluate("getComputedStyle(document.querySelector('.pg-tools')).display")
        pdf = page.pdf(format="A4", landscape=True)
        b.close()
    assert hidden == "none"  # search boxes, pagers and buttons are not printed
    text = "\n".join(pg_.extract_text() for pg_ in PdfReader(io.BytesIO(pdf)).pages)
    gaps = set(a.tables["gaps"]["entity_id"])
    assert len(gaps) > 100  # far more than one page of the table on screen
    missing = [g for g in gaps if g not in text]
    assert not missing, missing[:10]
    partners = set(a.tables["partners"]["target_id"])
    assert all(t in text for t in partners)


def test_every_sheet_prints_one_page_wide_with_its_header(tmp_path):
    a = pg.assess(pg.load_example("jiangbei"), rules="jiangbei", permutations=5)
    wb = openpyxl.load_workbook(a.to_excel(tmp_path / "a.xlsx"))
    for ws in wb.worksheets:
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToHeight == 0 and ws.page_setup.fitToWidth in (None, 1)
        assert ws.print_title_rows, ws.title  # the header repeats on every page
        assert ws.title.replace("&", "&&") in ws.oddHeader.center.text
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    wide = wb["覆盖率-街道领域"]
    assert wide.page_setup.orientation == "landscape"


def test_a_filled_template_loads_alike_from_the_workbook_and_a_gbk_csv_export(tmp_path):
    tpl = pg.write_template(tmp_path / "模板.xlsx")
    wb = openpyxl.load_workbook(tpl)
    t = small_tables()
    t["orgs"]["established"] = ["2020-01-01", "2021-07-01", None, "2022-03-05", None]
    by_zh = {s.zh: s for s in pg.schema.TABLES.values()}
    for ws in wb.worksheets:
        if ws.title not in by_zh or by_zh[ws.title].name not in t:
            continue
        table = by_zh[ws.title]
        df = t[table.name]
        header = [c.value for c in ws[2]]
        for i, row in enumerate(df.to_dict("records"), start=4):  # below the example row
            for j, h in enumerate(header, start=1):
                col = next(c for c in table.columns if c.zh == h)
                v = row.get(col.name)
                if v is None or v != v:
                    continue
                if col.type == "date":
                    ts = pd.Timestamp(v)
                    v = f"{ts.year % 100}年{ts.month}月{ts.day}日"  # office software's form
                elif col.type in ("id", "ref"):
                    v = f"'{v}"  # an apostrophe typed to force text
                ws.cell(row=i, column=j, value=str(v)).number_format = "@"
    book = tmp_path / "填好的.xlsx"
    wb.save(book)
    folder = tmp_path / "csv"
    folder.mkdir()
    for name, df in pd.read_excel(book, sheet_name=None, header=None, dtype=str,
                                  engine="calamine").items():
        df.to_csv(folder / f"{name}.csv", index=False, header=False, encoding="gbk")
    a = pg.read_dataset(book)
    b = pg.read_dataset(folder)
    assert not (b.report["severity"] == "warning").any()  # 填表说明/代码 exports are skipped
    for name in t:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], check_dtype=False)
    assert a.tables["orgs"]["established"].tolist()[:2] == [pd.Timestamp("2020-01-01"),
                                                           pd.Timestamp("2021-07-01")]
    assert a.tables["units"]["id"].tolist() == t["units"]["id"].tolist()  # no apostrophes
    assert (a.report["severity"] == "info").any()  # each change said in one line


def test_template_explains_every_link_kind():
    g = link_guide()
    assert len(g) == len(pg.schema.LINK_ENDPOINTS)
    row = g.set_index("代码 kind").loc["registration"]
    assert "党组织编码" in row["源 source 来自"] and row["目标 target 来自"] == "党组织编码"
    t = small_tables()
    t["links"] = pd.DataFrame({"source": ["M1"], "target": ["U1"], "kind": ["registration"]})
    rep = pg.validate(t).query("table == 'links'")
    zh = rep["problem_zh"].iloc[0]
    assert "党组织表" in zh and "目标" in zh  # as much as the English says


def test_ods_reads_like_xlsx(tmp_path):
    pytest.importorskip("odf")
    t = small_tables()
    ods = tmp_path / "data.ods"
    with pd.ExcelWriter(ods, engine="odf") as w:
        for name, df in t.items():
            df.to_excel(w, sheet_name=name, index=False)
    xlsx = pg.from_frames(**t).write(tmp_path / "data.xlsx")
    a, b = pg.read_dataset(ods), pg.read_dataset(xlsx)
    for name in t:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], check_dtype=False)


def test_blank_places_are_labelled():
    t = small_tables()
    t["units"].loc[4, "region_id"] = None  # a unit with no place
    t["units"].loc[4, "kind"] = "social"
    net = pg.from_frames(**t, strict=False)
    rates = pg.localise(pg.coverage_rates(net, by=["street", "domain"]), "zh")
    assert rates["街道"].notna().all() and "未归属街道" in set(rates["街道"])
    assert "未填领域" in set(rates["领域"])
    en = pg.localise(pg.coverage_rates(net, by=["street", "domain"]), "en")
    assert "(no street)" in set(en["Street"])
