"""Issue 14: one vocabulary (a wholly Chinese deliverable, English that is English), one
registry (assessment, workbook, report follow it), Excel-native outputs, no import cycles."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import openpyxl
import pandas as pd
import pytest

import partygraph as pg
from partygraph.labels import kept_columns
from partygraph.registry import ANALYSES, outputs

SRC = Path(pg.__file__).resolve().parent
#: English column names whose cells hold names, ids or free text the user typed.
_NAMEISH = re.compile(r"(^|_)(id|ids|name|names|hubs|via|skills|skills_matched|street|"
                      r"community|region|requester|owner|target|partner|member|matched_with|"
                      r"actor_a|actor_b|group_name|lead|value|column|raw_line)$")
_ALLOWED = re.compile(r"E-I|ORWG|Freeman|Coleman|HiGHS|PDF|partygraph|[pz] 值|\b[pz]\b")
_WORD = re.compile(r"[A-Za-z][A-Za-z_]+")


def _english_in(text: str) -> bool:
    return bool(_WORD.search(_ALLOWED.sub("", text)))


@pytest.fixture(scope="module", params=["demo", "jiangbei", "longyan", "chaonan", "shanghai",
                                        "yongan", "generated"])
def assessed(request):
    if request.param == "generated":
        net = pg.synthetic.to_network(pg.synthetic.district(3000, seed=5))
    else:
        net = pg.load_example(request.param)
    rules = {"jiangbei": "jiangbei", "longyan": "longyan"}.get(request.param)
    return pg.assess(net, rules=rules, permutations=20)


def test_chinese_deliverable_has_no_english_or_codes(assessed, tmp_path):
    bad = []
    for o in outputs():
        if o.key not in assessed.tables or not o.sheet:
            continue
        df = assessed.tables[o.key]
        shown = pg.localise(df, "zh", dict(o.headers))
        for raw, head in zip(kept_columns(df.columns), shown.columns, strict=True):
            if _english_in(str(head)):
                bad.append((o.key, "header", head))
            if _NAMEISH.search(raw) or raw in ("evidence", "reason", "problem"):
                continue
            vals = shown[head].dropna()
            vals = vals[vals.map(lambda v: isinstance(v, str))]
            for v in vals.unique()[:50]:
                if _english_in(v):
                    bad.append((o.key, head, v))
                    break
    assert not bad, bad[:20]
    # the workbook: every rate a percentage, every list filtered, header frozen
    wb = openpyxl.load_workbook(assessed.to_excel(tmp_path / "a.xlsx"))
    for ws in wb.worksheets:
        assert ws.auto_filter.ref, ws.title
        assert ws.freeze_panes, ws.title
        header = [c.value for c in ws[2]]
        for j, h in enumerate(header, start=1):
            if h in ("比率", "参与率", "实际联系率", "完成率", "驻区单位覆盖率") and ws.max_row > 2:
                cell = ws.cell(row=3, column=j)
                if cell.value is not None:
                    assert "%" in cell.number_format, (ws.title, h)


def test_english_is_english(assessed):
    for o in outputs():
        if o.key not in assessed.tables:
            continue
        shown = pg.localise(assessed.tables[o.key], "en", dict(o.headers))
        assert not [c for c in shown.columns if "_" in str(c)], o.key
        for c in ("domain", "status", "rule"):
            if c in assessed.tables[o.key].columns:
                codes = set(assessed.tables[o.key][c].dropna().astype(str))
                shown_vals = set(shown[c.capitalize()].dropna().astype(str))
                assert not ({"private", "walled_in", "unit_without_org"} & shown_vals) or \
                    not codes, (o.key, c)


def test_template_guides_the_hand(tmp_path):
    p = pg.write_template(tmp_path / "模板.xlsx")
    wb = openpyxl.load_workbook(p)
    units = wb["单位"]
    header = [c.value for c in units[2]]
    idcol = openpyxl.utils.get_column_letter(header.index("单位编码") + 1)
    assert units.column_dimensions[idcol].number_format == "@"  # credit codes stay text
    kinds = [dv for dv in units.data_validations.dataValidation if dv.type == "list"]
    assert kinds and all(dv.formula1.startswith("代码!") for dv in kinds)
    dates = [dv for dv in wb["党组织"].data_validations.dataValidation if dv.type == "date"]
    assert dates
    assert wb["代码"].sheet_state == "hidden"
    # the template itself reads back as an empty, valid data set (no unknown-sheet warning;
    # its example rows are skipped with an info line each)
    assert set(pg.validate(p)["severity"]) <= {"info"}


def test_validate_writes_a_chinese_workbook(tmp_path):
    from conftest import small_tables
    from partygraph.cli import main

    t = small_tables()
    t["units"].loc[1, "kind"] = "外星单位"
    d = tmp_path / "d"
    d.mkdir()
    for n, df in t.items():
        df.to_csv(d / f"{n}.csv", index=False, encoding="utf-8-sig")
    out = tmp_path / "问题清单.xlsx"
    assert main(["validate", str(d), "-o", str(out)]) == 1
    wb = openpyxl.load_workbook(out)
    assert "单位" in wb.sheetnames and "问题汇总" in wb.sheetnames
    header = [c.value for c in wb["单位"][1]]
    assert header[0] == "问题" and not any(_english_in(str(h)) for h in header)
    assert wb["单位"].auto_filter.ref


@pytest.mark.parametrize("call", [
    lambda n: pg.coverage_rates(n, by="stret"),
    lambda n: pg.participation_rates(n, by="estate"),
    lambda n: pg.suggest_matches(n, within="citty"),
    lambda n: pg.plan_instructors(n, within="streeet"),
    lambda n: pg.plan_joint_branches(n, 2, sites="house"),
    lambda n: pg.project_pipeline(n, by="town"),
    lambda n: pg.network_view(n, level="planet"),
])
def test_unknown_choices_are_refused(call):
    net = pg.load_example("demo")
    with pytest.raises(pg.InvalidArgumentError) as exc:
        call(net)
    assert isinstance(exc.value, ValueError) and "/" in str(exc.value)


def _imports(path: Path) -> set[str]:
    """partygraph modules a module imports, anywhere but under ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip |= {id(n) for n in ast.walk(node)}
    out = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                out.add(node.module.split(".")[0])
            else:
                out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("partygraph."):
            out.add(node.module.split(".")[1])
    return out


def test_no_import_cycles_and_labels_import_no_analysis():
    mods = {p.stem: p for p in SRC.glob("*.py") if p.stem not in ("__init__", "__main__")}
    g = nx.DiGraph()
    for name, p in mods.items():
        g.add_node(name)
        for dep in _imports(p) & set(mods):
            g.add_edge(name, dep)
    cycles = list(nx.simple_cycles(g))
    assert not cycles, cycles
    assert _imports(mods["labels"]) <= {"errors", "schema"}


def test_every_module_imports_alone():
    mods = sorted(p.stem for p in SRC.glob("*.py") if p.stem not in ("__init__", "__main__"))
    code = ";".join(f"subprocess.run([sys.executable,'-c','import partygraph.{m}'],check=True)"
                    for m in mods)
    subprocess.run([sys.executable, "-c", f"import subprocess,sys;{code}"], check=True,
                   timeout=300)


def test_registry_drives_assessment_workbook_and_report(tmp_path):
    a = pg.assess(pg.load_example("jiangbei"), rules="jiangbei", permutations=5)
    declared = {o.key for an in ANALYSES for o in an.outputs}
    made = {k for k in a.tables if k in declared}
    assert "street" in a.tables["participation"].columns  # places named, not only coded
    assert made >= {"headline", "rates", "gaps", "walls", "ei_by_domain", "matches"}
    sheets = a.sheets("zh")
    titles = {o.zh for o in outputs() if o.sheet and o.key in a.tables and not o.split_by}
    assert titles <= set(sheets)
    page = a.to_html(lang="zh")
    for o in outputs():
        if o.report and o.key in a.tables and len(a.tables[o.key]):
            assert o.zh in page, o.key
    # a declared analysis whose tables are missing is reported, not run
    net = pg.from_frames(units=pd.DataFrame(columns=["id", "name", "kind", "region_id"]),
                         orgs=pd.DataFrame(columns=["id", "name", "kind", "unit_id"]))
    b = pg.assess(net, permutations=0)
    assert "matches" in b.unavailable


def test_chinese_report_page_speaks_chinese(assessed):
    import html as H
    import json

    page = assessed.to_html(lang="zh")
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page, flags=re.S)
    body = re.sub(r'<div class="pg-meta">.*?</div>', " ", body, flags=re.S)
    text = H.unescape(re.sub(r"<[^>]+>", "\n", body))
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    assert not [ln for ln in lines if _english_in(ln)]
    for m in re.finditer(r'<script type="application/json" class="pg-data">(.*?)</script>',
                         page, re.S):
        d = json.loads(m.group(1))
        labels = [c["label"] for c in d["columns"]]
        assert not [h for h in labels if _english_in(h)], labels
        if labels[:1] == ["参数"]:  # the method table: words, not field names or True/False
            for name, value in d["rows"]:
                assert not _english_in(name) and value not in ("True", "False", "None")


def test_localise_keeps_numbers_numbers_in_long_tables():
    """Numbers stay numbers however long the table (the per-distinct-value lookup of codes
    applies to code columns only)."""
    df = pd.DataFrame({"denominator": [219.0] * 65 + [3.0] * 5, "count": [1] * 70,
                       "domain": ["private"] * 70, "rule": ["unit_without_org"] * 70})
    for lang in ("zh", "en"):
        out = pg.localise(df, lang)
        assert pd.api.types.is_float_dtype(out.iloc[:, 0].dtype)
        assert pd.api.types.is_integer_dtype(out.iloc[:, 1].dtype)
    assert set(pg.localise(df, "zh").iloc[:, 2]) == {"非公企业"}
