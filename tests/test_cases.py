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
    """Each figure a case's datasheet cites, as the case's own rules compute it."""
    ly = pg.load_example("longyan")
    rates = pg.coverage_rates(ly, rules="longyan").set_index("measure")
    # "单独或联合组建小区党组织1250个,实现小区党建全覆盖": all estates covered, 40 orgs for 47
    assert rates.loc["estate_coverage", ["numerator", "denominator"]].tolist() == [47, 47]
    orgs = ly.tables["orgs"]
    assert (orgs["name"].str.contains("兼合式")).sum() == 40
    assert rates.loc["estate_joint_rate", ["numerator", "denominator"]].tolist() == [7, 47]
    assert rates.loc["estate_registration", "rate"] == 1.0  # 回小区报到
    assert rates.loc["red_owners_committee", ["numerator", "denominator"]].tolist() == [7, 10]
    assert not len(pg.coverage_gaps(ly, "longyan").query("rule == 'estate_without_org'"))
    p = pg.project_pipeline(ly, by=None).iloc[0]
    assert (p["completed"], p["launched"]) == (32, 35)  # 2,533 / 2,770 = 91.4%
    assert round(p["completion_rate"], 3) == round(2533 / 2770, 3)
    assert int(pg.post_summary(ly)["secretary_chairs_owners"].sum()) == 2  # 书记兼任业委会主任

    jb = pg.load_example("jiangbei")
    seats = pg.council_representation(jb).set_index("name")
    assert seats.loc["建北社区大党委", "seats"] == 16 + 21
    u = jb.tables["units"]
    on_council = u["id"].str.startswith(("JB-R", "JB-F"))
    assert u.loc[on_council, "party_members"].sum() == 1450  # "1450余名党员"
    walls = pg.walled_in_units(jb).set_index("actor_id")
    resident = u.loc[~u["kind"].isin(["community", "owners_committee", "property_company"]),
                     "id"]
    assert (walls.loc[resident, "status"] != "walled_in").mean() == pytest.approx(37 / 46)
    jr = pg.coverage_rates(jb, rules="jiangbei").set_index("measure")
    assert jr.loc["estate_trinity", "rate"] == 1.0  # 三位一体
    assert jr.loc["estate_group_branch", "rate"] == 1.0  # 三三制 楼群党支部

    sh = pg.load_example("shanghai")
    c = pg.council_representation(sh).iloc[0]
    assert (c["seats"], c["resident_units"], c["part_time"]) == (3, 66, 3)  # "3名左右"
    m = pg.body_meetings(sh).set_index("body_id")
    assert bool(m.loc["SH-B1", "stalled"]) and m.loc["SH-B1", "meetings"] == 3  # 停摆

    ya = pg.load_example("yongan")
    assert len(ya.tables["orgs"].query("kind == 'group'")) == 26
    yc = pg.council_representation(ya)
    kinds = yc["council_id"].map(ya.tables["orgs"].set_index("id")["kind"])
    assert yc.groupby(kinds)["part_time"].sum().to_dict() == {"committee": 46,
                                                            "working_committee": 23}
    assert (yc["share_represented"] > 0).all()  # seats sit in the council's own place
    assert float(pg.venue_area(ya)["area_m2"].sum()) == 7600.0  # "面积7600多平方米"
    assert len(ya.tables["resources"].query("category == 'venue'")) == 31  # "30余处"
    ym = pg.body_meetings(ya).set_index("body_id").loc["YA-PC0"]
    assert (ym["meetings"], ym["chairs"], bool(ym["rotates"])) == (12, 4, True)  # 轮值主席
    posts = pg.post_summary(ya)
    assert int(posts["first_secretaries"].sum()) == 13  # 13名…兼任社区"大党委"第一书记
    yn = pg.needs_progress(ya, by=None).iloc[0]
    assert (yn["solved"], yn["claimed"], yn["assigned"]) == (6, 9, 1)

    cn = pg.load_example("chaonan")
    cr = pg.coverage_rates(cn, rules="chaonan").set_index("measure")
    assert cr.loc["district_unit_pairing", "rate"] == 1.0  # 每个区直…至少与1个村(社区)联建
    assert cr.loc["unit_org_registration", ["numerator", "denominator"]].tolist() == [2, 3]
    cnn = pg.needs_progress(cn, by=None).iloc[0]
    assert (cnn["claimed"], cnn["solved"], cnn["satisfaction"]) == (7, 6, 4.5)
    cp = pg.project_pipeline(cn, by=None).iloc[0]
    assert cp["claimed_singly"] + cp["claimed_by_group"] == 5  # 认领服务项目 (scaled)
    cm = pg.body_meetings(cn).set_index("body_id")
    assert bool(cm.loc["CN-B3", "rotates"]) and cm.loc["CN-B3", "chairs"] == 4  # 轮值召集人
    assert not cm["stalled"].any()


@pytest.mark.parametrize("name, rule", [("jiangbei", "building_without_group"),
                                        ("longyan", "owners_committee_not_red"),
                                        ("chaonan", "unit_org_not_registered"),
                                        ("shanghai", "unit_org_not_registered"),
                                        ("yongan", "member_not_registered")])
def test_an_example_carries_its_rules(name, rule, tmp_path):
    from partygraph.cli import main

    assert main(["assess", "--example", name, "-o", str(tmp_path), "-q",
                 "--permutations", "0"]) == 0
    import openpyxl

    sheets = openpyxl.load_workbook(tmp_path / "assessment.xlsx").sheetnames
    zh = pg.labels.RULE_TEXT[rule][0]
    assert any(zh[:20] in s or s.endswith(zh[:28]) for s in sheets), sheets
