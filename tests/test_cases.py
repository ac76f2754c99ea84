"""The bundled case data sets load cleanly, have datasheets, and reproduce report figures."""

from __future__ import annotations

import pytest

import partygraph as pg

CASES = ["jiangbei", "yongan", "longyan", "chaonan", "shanghai", "demo"]


@pytest.mark.parametrize("name", CASES)
def test_loads_without_a_problem_and_has_a_datasheet(name):
    net = pg.load_example(name)
    assert net.report.empty
    readme = (pg.example_path(name) / "README.md").read_text(encoding="utf-8")
    assert "示例" in readme or "synthetic" in readme
    assert name in set(pg.list_examples()["name"])


def test_report_figures():
    ly = pg.load_example("longyan")
    rates = pg.coverage_rates(ly, rules=pg.CoverageRules.preset("longyan")).set_index(
        "measure")
    assert rates.loc["estate_coverage", "numerator"] == 40
    assert rates.loc["estate_coverage", "denominator"] == 47
    jb = pg.load_example("jiangbei")
    seats = pg.council_representation(jb).set_index("name")
    assert seats.loc["建北社区大党委", "seats"] == 16 + 21
    u = jb.tables["units"]
    on_council = u["id"].str.startswith(("JB-R", "JB-F"))
    assert u.loc[on_council, "party_members"].sum() == 1450  # "1450余名党员"
    sh = pg.load_example("shanghai")
    assert pg.council_representation(sh)["seats"].tolist() == [3]
    ya = pg.load_example("yongan")
    grids = ya.tables["orgs"].query("kind == 'group'")
    assert len(grids) == 26


@pytest.mark.parametrize("name, rule", [("jiangbei", "building_without_group"),
                                        ("longyan", "estate_without_org")])
def test_an_example_carries_its_rules(name, rule, tmp_path):
    from partygraph.cli import main

    assert main(["assess", "--example", name, "-o", str(tmp_path), "-q",
                 "--permutations", "0"]) == 0
    import openpyxl

    sheets = openpyxl.load_workbook(tmp_path / "assessment.xlsx").sheetnames
    zh = pg.labels.RULE_TEXT[rule][0]
    assert any(zh[:20] in s or s.endswith(zh[:28]) for s in sheets), sheets
