"""The reports' practices, hand-worked on small networks: co-building rules, needs to their
close, meetings, posts and measures (issue 20)."""

from __future__ import annotations

import pandas as pd
import pytest

import partygraph as pg
from conftest import small_tables

S, C1, C2, E = "500105002000", "500105002001", "500105002002", "50010500200101"


def _net(**extra) -> pg.CoBuildingNetwork:
    t = small_tables()
    for k, v in extra.items():
        t[k] = pd.concat([t[k], pd.DataFrame(v)], ignore_index=True) if k in t else (
            pd.DataFrame(v))
    return pg.from_frames(**t)


def _gaps(net, rule, **rules):
    r = pg.CoverageRules().replace(**{rule: True}, **rules)
    return pg.coverage_gaps(net, r).query("rule == @rule")["entity_id"].tolist()


def _rate(net, measure, **rules):
    r = pg.CoverageRules().replace(**rules)
    row = pg.coverage_rates(net, rules=r).set_index("measure").loc[measure]
    return int(row["numerator"]), int(row["denominator"])


def test_unit_org_registration_counts_the_org_of_the_community_where_the_unit_sits():
    # U2 (区司法局, an agency in 建北社区) has its own org P2; U3 is private: out of scope
    net = _net()
    assert _gaps(net, "unit_org_not_registered") == ["U2"]
    assert _rate(net, "unit_org_registration", unit_org_not_registered=True) == (0, 1)
    # registering with another community's org does not count; with its own community's does
    other = _net(orgs={"id": ["P5"], "name": ["洋河社区党委"], "kind": ["committee"],
                       "region_id": [C2]},
                 links={"source": ["P2"], "target": ["P5"], "kind": ["registration"]})
    assert _gaps(other, "unit_org_not_registered") == ["U2"]
    own = _net(links={"source": ["P2"], "target": ["P1"], "kind": ["registration"]})
    assert _gaps(own, "unit_org_not_registered") == []
    assert _rate(own, "unit_org_registration", unit_org_not_registered=True) == (1, 1)


def test_district_units_must_co_build_with_a_village_or_community():
    # U2 (tier district) is paired with P1, the community committee's org: paired
    net = _net()
    assert _gaps(net, "district_unit_unpaired") == []
    # without that pair it has no tie to a community or village
    t = small_tables()
    t["links"] = t["links"].iloc[1:]
    lone = pg.from_frames(**t)
    assert _gaps(lone, "district_unit_unpaired") == ["U2"]
    # a tie to a private firm does not count
    t["links"] = pd.concat([t["links"], pd.DataFrame({"source": ["P2"], "target": ["P3"],
                                                      "kind": ["pair"]})])
    assert _gaps(pg.from_frames(**t), "district_unit_unpaired") == ["U2"]
    assert _rate(pg.from_frames(**t), "district_unit_pairing",
                 district_unit_unpaired=True) == (0, 1)


def _estate_case(groups: int, branch: bool, **extra) -> pg.CoBuildingNetwork:
    blds = [f"{E}{i:02d}" for i in range(1, groups + 1)]
    regions = {"id": blds, "name": [f"{i}栋" for i in range(1, groups + 1)],
               "level": ["building"] * groups, "parent_id": [E] * groups}
    orgs = {"id": [f"G{i}" for i in range(groups)], "name": [f"{i}栋党小组" for i in
                                                             range(groups)],
            "kind": ["group"] * groups, "parent_id": ["P1"] * groups, "region_id": blds}
    if branch:
        for k, v in {"id": "PB", "name": "楼群党支部", "kind": "branch", "parent_id": "P1",
                     "region_id": E}.items():
            orgs[k] = [*orgs[k], v]
    return _net(regions=regions, orgs=orgs, **extra)


@pytest.mark.parametrize("groups, branch, gap", [(2, False, False), (3, False, True),
                                                 (3, True, False), (4, True, False)])
def test_three_groups_in_an_estate_need_a_cluster_branch(groups, branch, gap):
    net = _estate_case(groups, branch)
    assert _gaps(net, "estate_groups_without_branch") == ([E] if gap else [])


def test_trinity_lists_what_an_estate_lacks():
    oc = {"id": ["OC"], "name": ["建北小区业委会"], "kind": ["owners_committee"],
          "region_id": [E]}
    net = _net(units=oc)
    g = pg.coverage_gaps(net, pg.CoverageRules(estate_trinity_incomplete=True))
    row = g.query("rule == 'estate_trinity_incomplete'").iloc[0]
    assert row["entity_id"] == E
    for part in ("小区党组织", "物业公司", "党员在业委会任职", "党员在物业任职"):
        assert part in row["evidence_zh"]
    full = _net(units={"id": ["OC", "PM"], "name": ["业委会", "物业"],
                       "kind": ["owners_committee", "property_company"], "region_id": [E, E]},
                orgs={"id": ["PE"], "name": ["小区党支部"], "kind": ["branch"],
                      "parent_id": ["P1"], "region_id": [E]},
                links={"source": ["M1", "M2"], "target": ["OC", "PM"],
                       "kind": ["cross_post", "cross_post"]})
    assert _gaps(full, "estate_trinity_incomplete") == []
    assert _rate(full, "estate_trinity", estate_trinity_incomplete=True) == (1, 1)


@pytest.mark.parametrize("posts, org, red", [(2, False, False), (3, False, True),
                                             (0, True, True)])
def test_a_red_owners_committee_has_a_party_majority_or_its_own_org(posts, org, red):
    units = {"id": ["OC"], "name": ["业委会"], "kind": ["owners_committee"],
             "region_id": [E], "employees": [5]}
    links = {"source": [f"M{i}" for i in range(1, posts + 1)], "target": ["OC"] * posts,
             "kind": ["cross_post"] * posts}
    extra = {"units": units, "links": links}
    if org:
        extra["orgs"] = {"id": ["POC"], "name": ["业委会党支部"], "kind": ["branch"],
                         "unit_id": ["OC"]}
    net = _net(**extra)
    assert _gaps(net, "owners_committee_not_red") == ([] if red else ["OC"])


def test_returning_to_the_estate_means_its_own_or_joint_org():
    # M2 (in service) lives in the estate E; registered with the community org P1 only
    reg = {"source": ["M2"], "target": ["P1"], "kind": ["registration"]}
    net = _net(links=reg)
    assert _gaps(net, "member_not_in_estate") == ["M2"]
    # a joint org over another estate that covers E counts
    joint = _net(regions={"id": ["50010500200102"], "name": ["另一小区"], "level": ["estate"],
                          "parent_id": [C1]},
                 orgs={"id": ["PJ"], "name": ["联合党支部"], "kind": ["compound"],
                       "parent_id": ["P1"], "region_id": ["50010500200102"]},
                 links={"source": ["PJ", "M2"], "target": [E, "PJ"],
                        "kind": ["covers", "registration"]})
    assert _gaps(joint, "member_not_in_estate") == []
    r = pg.coverage_rates(joint, rules=pg.CoverageRules(member_not_in_estate=True,
                                                        estate_without_org=True))
    r = r.set_index("measure")
    assert r.loc["estate_registration", "rate"] == 1.0
    assert r.loc["estate_joint_rate", ["numerator", "denominator"]].tolist() == [1, 2]


def test_joint_rate_counts_units_covered_only_through_a_joint_org():
    # U4 has 2 members and no org; a joint branch covers it: 1 of 3 covered units is joint
    net = _net(orgs={"id": ["PJ"], "name": ["联合党支部"], "kind": ["joint_branch"],
                     "parent_id": ["P1"], "region_id": [E]},
               links={"source": ["PJ"], "target": ["U4"], "kind": ["covers"]})
    assert _rate(net, "joint_rate") == (1, 3)


# ----------------------------------------------------------------------------- needs

def _needs_net(window=None):
    demands = {"id": ["D1", "D2", "D3", "D4", "D5"], "requester_id": ["U1"] * 5,
               "category": ["venue"] * 5, "name": list("abcde"),
               "status": ["open", "已派单", "接单", "已办结", "取消"],
               "claimed_by": [None, None, "区司法局", "U2", None],
               "closed": [None, None, None, "2024-05-01", None],
               "satisfaction": [None, None, None, 4, None]}
    resources = {"id": ["R1"], "owner_id": ["U2"], "category": ["venue"], "quantity": [5]}
    t = small_tables()
    t["demands"], t["resources"] = pd.DataFrame(demands), pd.DataFrame(resources)
    return pg.from_frames(**t, window=window)


def test_needs_are_followed_to_their_close():
    net = _needs_net()
    d = net.tables["demands"].set_index("id")
    assert d["status"].tolist() == ["open", "assigned", "claimed", "closed", "cancelled"]
    assert d.loc["D3", "claimed_by"] == "U2"  # named, not given an id
    p = pg.needs_progress(net, by=None).iloc[0]
    assert (p["posted"], p["open"], p["assigned"], p["claimed"], p["solved"],
            p["cancelled"]) == (5, 1, 1, 2, 1, 1)
    assert p["claim_rate"] == 2 / 4 and p["solve_rate"] == 1 / 4 and p["satisfaction"] == 4
    # solved only when closed in the window
    late = pg.needs_progress(_needs_net(("2024-06-01", "2024-12-31")), by=None).iloc[0]
    assert late["solved"] == 0 and late["claimed"] == 2


def test_matching_offers_only_open_needs():
    m = pg.suggest_matches(_needs_net(), within="all")
    assert set(m.suggestions["demand_id"]) == {"D1"}
    assert m.unmet.empty  # a claimed or solved need is never listed as unmet


def test_measures_must_agree_for_a_match():
    t = small_tables()
    t["demands"] = pd.DataFrame({"id": ["D1"], "requester_id": ["U1"], "category": ["venue"],
                                 "quantity": [50], "measure": ["平方米"]})
    t["resources"] = pd.DataFrame({"id": ["R1", "R2"], "owner_id": ["U2", "U3"],
                                   "category": ["venue", "venue"], "quantity": [100, 80],
                                   "measure": ["元", "m2"]})
    net = pg.from_frames(**t)
    m = pg.suggest_matches(net, within="all")
    assert m.suggestions["resource_id"].tolist() == ["R2"]
    totals = pg.resource_totals(net).set_index("measure")["quantity"]
    assert totals.to_dict() == {"m2": 80.0, "yuan": 100.0}
    v = pg.venue_area(net, standard=100).set_index("community_id")
    assert v.loc[C1, "area_m2"] == 80.0 and not v.loc[C1, "meets_standard"]
    assert v.loc[C2, "area_m2"] == 0.0


# ----------------------------------------------------------------------------- meetings

def _meetings(dates, chairs):
    n = len(dates)
    projects = {"id": [f"J{i}" for i in range(n)], "name": [f"联席会议{i}" for i in range(n)],
                "kind": ["meeting"] * n, "status": ["completed"] * n, "start": dates,
                "lead_id": ["P4"] * n}
    part = {"project_id": [f"J{i}" for i in range(n) if chairs[i]],
            "participant_id": [c for c in chairs if c],
            "role": ["lead"] * sum(1 for c in chairs if c)}
    body = {"source": ["P1", "P2", "P3"], "target": ["P4"] * 3, "kind": ["body"] * 3}
    t = small_tables()
    t["links"] = pd.concat([t["links"], pd.DataFrame(body)], ignore_index=True)
    t["projects"], t["participation"] = pd.DataFrame(projects), pd.DataFrame(part)
    return t


def test_meetings_against_the_norm_and_stalling():
    t = _meetings(["2024-01-10", "2024-02-10", "2024-03-10"], ["P1", "P2", "P3"])
    m = pg.body_meetings(pg.from_frames(**t), ("2024-01-01", "2024-12-31")).iloc[0]
    assert m["meetings"] == 3 and bool(m["stalled"])  # none in the last 6 months
    assert m["per_year"] == pytest.approx(3 / (365 / 365.25), rel=0.01)
    assert not m["meets_norm"]
    kept = pg.body_meetings(pg.from_frames(**t), ("2024-01-01", "2024-05-31"),
                            per_year=4).iloc[0]
    assert not kept["stalled"] and kept["months_since_last"] < 3
    assert kept["meets_norm"]  # 3 meetings in 5 months: 7.2 a year


@pytest.mark.parametrize("chairs, rotates", [(["P1", "P2", "P3", "P1"], True),
                                             (["P1", "P2", "P1", "P3"], False),
                                             (["P1", None, None, None], None)])
def test_rotation_means_every_member_chairs_before_anyone_chairs_again(chairs, rotates):
    t = _meetings(["2024-01-10", "2024-02-10", "2024-03-10", "2024-04-10"], chairs)
    m = pg.body_meetings(pg.from_frames(**t)).iloc[0]
    assert (None if pd.isna(m["rotates"]) else bool(m["rotates"])) == rotates


def test_no_meeting_recorded_anywhere_says_nothing():
    m = pg.body_meetings(pg.from_frames(**small_tables()))
    assert m["stalled"].isna().all() and m["meets_norm"].isna().all()


# ----------------------------------------------------------------------------- posts

def test_one_person_two_posts_and_cross_posts():
    links = {"source": ["M1", "M1", "M2", "M3"], "target": ["P1", "U1", "U1", "P1"],
             "kind": ["cross_post"] * 4,
             "post": ["书记", "主任", "主任", "第一书记"]}
    s = pg.post_summary(_net(links=links)).set_index("community_id").loc[C1]
    assert (s["secretaries"], s["directors"], bool(s["one_shoulder"]),
            s["first_secretaries"]) == (1, 2, True, 1)
    apart = {"source": ["M1", "M2"], "target": ["P1", "U1"], "kind": ["cross_post"] * 2,
             "post": ["secretary", "director"]}
    s = pg.post_summary(_net(links=apart)).set_index("community_id").loc[C1]
    assert not s["one_shoulder"]


def test_council_seats_full_and_part_time():
    links = {"source": ["P2", "P3"], "target": ["P1", "P1"], "kind": ["council"] * 2,
             "post": ["专职委员", "兼职委员"]}
    c = pg.council_representation(_net(links=links)).iloc[0]
    assert (c["seats"], c["full_time"], c["part_time"]) == (2, 1, 1)


def test_bad_satisfaction_and_post_are_reported():
    t = small_tables()
    t["demands"] = pd.DataFrame({"id": ["D1"], "requester_id": ["U1"], "category": ["venue"],
                                 "satisfaction": [7]})
    t["links"].loc[0, "post"] = "校长"
    with pytest.raises(pg.DataValidationError) as e:
        pg.from_frames(**t)
    text = str(e.value)
    assert "满意度" in text and "校长" in text


# ----------------------------------------------------------------------------- the assessment

@pytest.mark.parametrize("case, sheets, words", [
    ("chaonan", ["需求办理(按共同体)", "联席会议与停摆", "缺口-未到社区报到的驻区单位党组织"],
     ["区直单位联建共建率", "驻区单位党组织报到率", "需求办结率", "轮值"]),
    ("longyan", ["缺口-未建成红色业委会的业委会", "交叉任职与一肩挑"],
     ["红色业委会占比", "在职党员回小区报到率", "小区联合组建率"]),
    ("yongan", ["活动阵地面积", "资源清单合计", "需求办理(按社区)"],
     ["活动阵地", "第一书记", "满意度"]),
])
def test_an_example_assessment_carries_its_practices(case, sheets, words, tmp_path):
    """``assess --example <case>`` with the case's rules: the sheets and the report's words."""
    import openpyxl

    from partygraph.cli import main

    assert main(["assess", "--example", case, "-o", str(tmp_path), "-q",
                 "--permutations", "0"]) == 0
    names = openpyxl.load_workbook(tmp_path / "assessment.xlsx").sheetnames
    for s in sheets:
        assert any(n.startswith(s[:31]) for n in names), (s, names)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    for w in words:
        assert w in html, w
    for old in ("仅纸面联系", "有名无实", "主体编码"):
        assert old not in html


def test_the_report_speaks_words_not_codes(tmp_path):
    t = small_tables()
    t["members"]["手机号"] = ["13800138000"] * len(t["members"])
    a = pg.assess(pg.from_frames(**t), permutations=20, progress=False)
    personal = a.table("personal", "zh")
    assert "个人信息列(按列名判断)" in set(personal.iloc[:, -1])
    sig = a.table("linkage_significance", "zh")
    words = " ".join(map(str, sig.iloc[:, 0]))
    assert "E-I 指数" in words and "ei[" not in words and "matrix[" not in words
    html = a.to_html()
    assert "分析时段:全部时段" in html and "分析时段:… – …" not in html
    m = a.table("linkage_matrix", "zh")
    assert "社区/村" not in m.columns
