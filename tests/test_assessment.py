"""The assessment: one call or command, a report, a workbook; figures in them equal the
analyses; formula-like text stays text; labels are escaped; planted personal data never
reaches any output file."""

from __future__ import annotations

import json
import re
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

import partygraph as pg
from partygraph.cli import main

EVIL = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
FORMULAS = ["=HYPERLINK(\"http://x\",\"点我\")", "+1+1", "-2+3", "@SUM(A1:A2)"]


@pytest.fixture(scope="module")
def demo():
    return pg.load_example("demo")


@pytest.fixture(scope="module")
def assessed(demo):
    return pg.assess(demo, permutations=50, seed=2)


def _report_tables(page: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/json" class="pg-data">(.*?)</script>',
                        page, re.S)
    return [json.loads(b) for b in blocks]


def test_headline_equals_the_analyses(demo, assessed):
    h = assessed.tables["headline"].set_index("measure")
    rates = pg.coverage_rates(demo).set_index("measure")
    for m in ("org_coverage", "nonpublic_org_coverage", "community_coverage"):
        assert h.loc[m, "numerator"] == rates.loc[m, "numerator"]
        assert h.loc[m, "denominator"] == rates.loc[m, "denominator"]
    walls = pg.walled_in_units(demo)
    assert h.loc["walled_in", "numerator"] == (walls["status"] == "walled_in").sum()
    assert h.loc["walled_in", "denominator"] == len(walls)
    part = pg.participation_rates(demo, by=None).iloc[0]
    assert h.loc["taking_part", "numerator"] == part["taking_part"]
    assert h.loc["taking_part", "denominator"] == part["actors"]
    assert h.loc["gaps", "value"] == len(pg.coverage_gaps(demo))
    assert h.loc["ei_index", "value"] == pytest.approx(pg.domain_linkage(demo).ei_index)
    pipe = pg.project_pipeline(demo, by=None).iloc[0]
    assert h.loc["completion", "numerator"] == pipe["completed"]
    m = pg.suggest_matches(demo)
    assert h.loc["matches", "value"] == len(m.suggestions)
    assert h.loc["unmet", "numerator"] == len(m.unmet)


def test_assessment_records_method_and_parameters(demo):
    a = pg.assess(demo, rules="jiangbei", window=("2020-01-01", "2024-12-31"), permutations=7,
                  seed=5)
    assert a.params["rules"]["name"] == "jiangbei"
    assert a.params["permutations"] == 7 and a.params["seed"] == 5
    assert a.params["window"][0] == pd.Timestamp("2020-01-01")
    assert a.linkage.params["permutations"] == 7
    assert "building_without_group" in set(a.tables["gaps"]["rule"])
    windowed = demo.with_window("2020-01-01", "2024-12-31")
    assert len(a.tables["gaps"]) == len(pg.coverage_gaps(windowed, rules="jiangbei"))
    assert set(a.timings) >= {"coverage", "walls", "linkage", "matching"}


def test_missing_tables_are_said_not_faked(demo):
    t = demo.tables
    net = pg.from_frames(units=t["units"], orgs=t["orgs"], regions=t["regions"])
    a = pg.assess(net, permutations=0)
    assert "matches" in a.unavailable and "demands" in a.unavailable["matches"]
    assert "pipeline" in a.unavailable
    page = a.to_html()
    assert "未能计算" in page and "需求清单" in page


def test_command_runs_the_demo_by_default(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["assess", "--permutations", "20", "--quiet"]) == 0
    out = tmp_path / "assessment"
    for name in ("report.html", "assessment.xlsx", "network.html"):
        assert (out / name).stat().st_size > 1000
    printed = capsys.readouterr()
    assert "report.html" in printed.out and printed.err == ""


def test_command_shows_progress_and_exports(tmp_path, capsys):
    assert main(["assess", "--example", "jiangbei", "-o", str(tmp_path), "--rules",
                 "jiangbei", "--permutations", "10", "--lang", "en", "--export",
                 "graphml"]) == 0
    err = capsys.readouterr().err
    steps = len(pg.ANALYSES) + 1  # loading, then each declared analysis
    assert "[1/" in err and f"[{steps}/{steps}]" in err and "coverage" in err
    assert (tmp_path / "actors.graphml").exists()
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<html lang=\"en\">" in page and "Coverage" in page


def test_workbook_sheets_headers_and_widths(assessed, tmp_path):
    p = assessed.to_excel(tmp_path / "评估.xlsx")
    wb = openpyxl.load_workbook(p)
    names = wb.sheetnames
    assert names[0] == "概况"
    rules = assessed.tables["gaps"]["rule_zh"].unique()
    for r in rules:
        assert any(n.startswith("缺口-") and r[:20] in n for n in names)
    for needed in ("围墙内与有协议无活动单位", "推荐对接", "结对建议", "覆盖率", "数据问题"):
        assert needed in names
    ws = wb[f"缺口-{rules[0]}"[:31]]
    header = [c.value for c in ws[2]]
    assert "整改措施" in header and "名称" in header and "rule" not in header
    # gap rows of the sheet are the gaps of that rule
    n = (assessed.tables["gaps"]["rule_zh"] == rules[0]).sum()
    assert ws.max_row == n + 2
    col = header.index("名称") + 1
    letter = openpyxl.utils.get_column_letter(col)
    assert ws.column_dimensions[letter].width >= 16  # Chinese names fit
    wb_en = openpyxl.load_workbook(assessed.to_excel(tmp_path / "en.xlsx", lang="en"))
    assert "Summary" in wb_en.sheetnames and any(s.startswith("Gap-") for s in
                                                 wb_en.sheetnames)


def _with_unit_names(demo, names: list[str]) -> pg.CoBuildingNetwork:
    t = demo.tables
    u = t["units"].copy()
    walled = pg.walled_in_units(demo)
    ids = walled[(walled["status"] == "walled_in") & (walled["actor_type"] == "unit")][
        "actor_id"].head(len(names))
    u.loc[u["id"].isin(ids), "name"] = names[:len(ids)]
    t["units"] = u
    return pg.from_frames(**t)


def test_formula_like_names_stay_text(demo, tmp_path):
    net = _with_unit_names(demo, FORMULAS)
    a = pg.assess(net, permutations=0)
    p = a.to_excel(tmp_path / "x.xlsx")
    wb = openpyxl.load_workbook(p)
    ws = wb["围墙内与有协议无活动单位"]
    cells = [c for row in ws.iter_rows(min_row=3) for c in row if c.value in FORMULAS]
    assert {c.value for c in cells} == set(FORMULAS)
    assert all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(p) as z:
        assert not any("<f>" in z.read(n).decode("utf-8") for n in z.namelist()
                       if n.startswith("xl/worksheets/"))


def test_labels_are_escaped_in_the_report(demo):
    net = _with_unit_names(demo, [EVIL])
    page = pg.assess(net, permutations=0).to_html()
    assert EVIL not in page
    assert "<img src=x" not in page
    body = page.split("</head>", 1)[1]
    assert body.lower().count("</script") == len(re.findall(r"<script[\s>]", body, re.I))
    rows = [r for t in _report_tables(page) for r in t["rows"]]
    assert any(EVIL in str(v) for r in rows for v in r)  # shown, as text


def test_report_is_self_contained(assessed):
    page = assessed.to_html()
    assert not re.search(r"<(script|img|iframe|link)[^>]+(src|href)=\"?(https?:)?//", page,
                         re.I)
    assert "default-src 'none'" in page
    assert page.count("data:image/png;base64,") >= 5  # coverage ×2, heatmap, E-I, crossings…


def test_report_row_cap_says_so(assessed):
    with pg.config.override(report_max_rows=5):
        page = assessed.to_html()
    gaps = next(t for t in _report_tables(page) if t["total"] == len(assessed.tables["gaps"]))
    assert len(gaps["rows"]) == 5
    assert f"共 {len(assessed.tables['gaps']):,} 行" in page


def test_english_report(assessed):
    page = assessed.to_html(lang="en")
    tables = _report_tables(page)
    labels = {c["label"] for t in tables for c in t["columns"]}
    assert "Action" in labels and "整改措施" not in labels
    assert "Walls" in page
    # English is English: readable headers and labels, not snake_case or codes
    assert not any("_" in lab for lab in labels)
    cells = {v for t in tables for row in t["rows"] for v in row if isinstance(v, str)}
    assert "private firms" in cells and "private" not in cells


def _id_card(first17: str) -> str:
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(c) * k for c, k in zip(first17, w,
                                                                    strict=True)) % 11]


def test_planted_personal_data_reaches_no_output(demo, tmp_path):
    t = demo.tables
    m = t["members"].copy()
    n = len(m)
    rng = np.random.default_rng(0)
    names = [f"测试姓名{i:04d}" for i in range(n)]
    cards = [_id_card(f"110105{1950 + i % 50}0{1 + i % 9}1{i % 10}{i % 1000:03d}")
             for i in range(n)]
    phones = [f"139{rng.integers(10**7, 10**8)}" for _ in range(n)]
    m["姓名"] = names
    m["身份证号"] = cards
    m["联系电话"] = phones
    m["备注"] = cards[::-1]  # an innocent header, ID-card values: found by the values
    u = t["units"].copy()
    u["负责人"] = [f"负责人名{i:04d}" for i in range(len(u))]
    u["手机"] = [f"138{rng.integers(10**7, 10**8)}" for _ in range(len(u))]
    t["members"], t["units"] = m, u
    # one member id that is itself an ID-card number: an error, reported masked
    bad_card = _id_card("11010519800101123")
    t["members"].loc[0, "id"] = bad_card
    d = tmp_path / "in"
    for name, df in t.items():
        d.mkdir(exist_ok=True)
        df.to_csv(d / f"{name}.csv", index=False, encoding="utf-8-sig")
    out = tmp_path / "out"
    assert main(["assess", str(d), "-o", str(out), "--permutations", "5", "--quiet",
                 "--export", "graphml", "--export", "gexf", "--export", "parquet"]) == 0
    planted = (set(names) | set(cards) | set(phones) | set(u["负责人"]) | set(u["手机"])
               | {bad_card})
    texts = []
    for f in out.rglob("*"):
        if f.suffix in (".html", ".graphml", ".gexf"):
            texts.append(f.read_text(encoding="utf-8"))
        elif f.suffix == ".xlsx":
            with zipfile.ZipFile(f) as z:
                texts += [z.read(x).decode("utf-8") for x in z.namelist()]
        elif f.suffix == ".parquet":
            texts.append(pd.read_parquet(f).astype(str).to_csv())
    assert len(texts) > 10
    blob = "\n".join(texts)
    # every digit run long enough to hold a phone or ID-card number, and every planted name
    runs = "|".join(set(re.findall(r"[0-9Xx]{11,}", blob)))
    leaked = [v for v in planted if v[0].isdigit() and v in runs]
    leaked += re.findall(r"(?:测试姓名|负责人名)\d{4}", blob)
    assert not leaked, leaked[:5]
    assert "测试姓名0001" in "|".join(names) and cards[0] in "|".join(cards)  # the check works
    # the personal columns are listed as removed, the bad id as an error (masked)
    page = (out / "report.html").read_text(encoding="utf-8")
    for col in ("姓名", "身份证号", "联系电话", "备注", "负责人", "手机"):
        assert col in page
    assert bad_card[:4] + "*" in page


def test_lenient_by_default_strict_on_request(demo, tmp_path):
    t = demo.tables
    u = t["units"].copy()
    u.loc[3, "kind"] = "外星单位"
    t["units"] = u
    d = tmp_path / "in"
    d.mkdir()
    for name, df in t.items():
        df.to_csv(d / f"{name}.csv", index=False, encoding="gb18030")
    a = pg.assess(d, permutations=0)
    h = a.tables["headline"].set_index("measure")
    assert h.loc["data_errors", "value"] >= 1
    assert "外星单位" in a.to_html()
    assert len(a.net.tables["units"]) == len(u) - 1
    with pytest.raises(pg.DataValidationError):
        pg.assess(d, strict=True)
    assert main(["assess", str(d), "-o", str(tmp_path / "o"), "--strict", "--quiet"]) == 1


def test_rules_file_and_window_from_the_command_line(demo, tmp_path):
    rules = tmp_path / "规则.json"
    rules.write_text(json.dumps({"base": "longyan", "estate_min_formal": 5}), encoding="utf-8")
    out = tmp_path / "o"
    assert main(["assess", "--example", "demo", "-o", str(out), "--rules", str(rules),
                 "--window", "2021-01-01", "2023-12-31", "--permutations", "0",
                 "--quiet"]) == 0
    wb = openpyxl.load_workbook(out / "assessment.xlsx", read_only=True)
    want = pg.coverage_gaps(demo.with_window("2021-01-01", "2023-12-31"),
                            rules=pg.CoverageRules.preset("longyan").replace(
                                estate_min_formal=5))
    counts = {r[0]: r[-1] for r in wb["缺口汇总"].iter_rows(min_row=3, values_only=True)}
    got = {k: v for k, v in counts.items() if k}
    assert sum(got.values()) == len(want)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "2021-01-01 – 2023-12-31" in page and "小区应建党组织的居住正式党员数" in page


@pytest.mark.parametrize("which", ["demo", "units_orgs_regions"])
def test_steps_side_by_side_give_what_one_after_another_gives(demo, which):
    """Analyses run two at a time (threads) hold the same tables, results, unavailable
    analyses and parameters, in the same order, as one after another; timings are listed in
    the declared order."""
    t = demo.tables
    net = demo if which == "demo" else pg.from_frames(
        units=t["units"], orgs=t["orgs"], regions=t["regions"])
    got = []
    for k in (1, 2):
        with pg.config.override(threads=k):
            got.append(pg.assess(net, permutations=20, seed=3))
    one, two = got
    assert list(one.tables) == list(two.tables)
    for key in one.tables:
        pd.testing.assert_frame_equal(one.tables[key], two.tables[key])
    assert one.unavailable == two.unavailable and list(one.unavailable) == list(two.unavailable)
    assert one.params == two.params and list(one.params) == list(two.params)
    assert list(one.timings) == list(two.timings)
    assert (one.ties is None) == (two.ties is None)


def test_scheduler_keeps_order_dependencies_and_alone(monkeypatch):
    """The registry's runner starts the first analysis that can start in the declared
    order, never before those it comes after, at most two at once, never beside one
    declared alone; results are gathered in the declared order whatever ran first."""
    import threading
    import time

    from partygraph import registry

    events: list[tuple[str, str]] = []
    lock = threading.Lock()

    def work(key: str, pause: float):
        def fn(c):
            with lock:
                events.append(("start", key))
            time.sleep(pause)
            c.tables[key] = pd.DataFrame({"k": [key]})
            c.res[key] = key
            with lock:
                events.append(("end", key))
        return fn

    spec = [("a", 0.15, (), False), ("b", 0.01, (), False), ("c", 0.01, ("b",), True),
            ("d", 0.05, (), False), ("e", 0.01, (), False), ("f", 0.01, ("a", "e"), False)]
    fake = tuple(registry.Analysis(k, k, k, "overview", work(k, p), after=after, alone=alone)
                 for k, p, after, alone in spec)
    monkeypatch.setattr(registry, "ANALYSES", fake)
    with pg.config.override(threads=2):
        c = registry.run(pg.load_example("demo"), {})
    assert list(c.tables) == list("abcdef") and list(c.res) == list("abcdef")
    starts = [k for e, k in events if e == "start"]
    # c waits to run alone: d and e start beside a meanwhile; f waits for a and e
    assert starts == list("abdecf")
    running: set[str] = set()
    ended: set[str] = set()
    alone = {k for k, *_, al in spec if al}
    after = {k: set(a) for k, _, a, _ in spec}
    for e, k in events:
        if e == "start":
            assert after[k] <= ended
            running.add(k)
            assert len(running) <= 2
            assert not (running & alone) or len(running) == 1
        else:
            running.discard(k)
            ended.add(k)
    # an analysis coming after one that is not declared can never start: said, not a hang
    monkeypatch.setattr(registry, "ANALYSES", (registry.Analysis(
        "x", "x", "x", "overview", work("x", 0), after=("nope",)),))
    with pytest.raises(RuntimeError, match="never start"):
        registry.run(pg.load_example("demo"), {})
