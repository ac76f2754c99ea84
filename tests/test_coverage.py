"""Coverage: one hand-built case per rule (with the edges), Longyan's estate counts, and an
independent per-row reference implementation on generated data."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import partygraph as pg

STREET = "500105002000"
COMM = "500105002001"
ESTATE = "50010500200101"
BLD = "5001050020010101"


def base(**extra):
    regions = pd.DataFrame({
        "id": ["500105000000", STREET, COMM, "500105002002", ESTATE, BLD],
        "name": ["江北区", "观音桥街道", "建北社区", "洋河村", "建北小区", "1栋"],
        "level": ["district", "street", "community", "village", "estate", "building"],
        "parent_id": [None, "500105000000", STREET, STREET, COMM, ESTATE],
    })
    units = pd.DataFrame({"id": ["CU"], "name": ["建北社区居委会"], "kind": ["community"],
                          "region_id": [COMM]})
    orgs = pd.DataFrame({"id": ["PC"], "name": ["建北社区党委"], "kind": ["committee"],
                         "unit_id": ["CU"]})
    t = {"regions": regions, "units": units, "orgs": orgs}
    for k, v in extra.items():
        t[k] = pd.concat([t[k], v], ignore_index=True) if k in t else v
    return t


def unit(uid, kind="private", region=COMM, **kw):
    return pd.DataFrame({"id": [uid], "name": [f"单位{uid}"], "kind": [kind],
                         "region_id": [region], **{k: [v] for k, v in kw.items()}})


def members(n, unit_id, status="formal", start=0, **kw):
    return pd.DataFrame({"id": [f"M{unit_id}{i}" for i in range(start, start + n)],
                         "org_id": kw.pop("org_id", "PC"), "status": status,
                         "unit_id": unit_id, **kw})


def gaps(t, rules=None, window=None):
    net = pg.from_frames(**t)
    g = pg.coverage_gaps(net, rules, window=window)
    return {(r, e) for r, e in zip(g["rule"], g["entity_id"], strict=True)}


def test_exactly_three_formal_members_need_an_org():
    t = base(units=unit("U3"), members=members(3, "U3"))
    assert ("unit_without_org", "U3") in gaps(t)
    t = base(units=unit("U3"), members=members(3, "U3"),
             orgs=pd.DataFrame({"id": ["P3"], "name": ["党支部"], "kind": ["branch"],
                                "unit_id": ["U3"]}))
    assert not any(e == "U3" for _, e in gaps(t))


def test_two_formal_one_probationary_is_not_covered_not_without_org():
    m = pd.concat([members(2, "U2"), members(1, "U2", status="probationary", start=5)])
    g = gaps(base(units=unit("U2"), members=m))
    assert ("unit_not_covered", "U2") in g
    assert ("unit_without_org", "U2") not in g


def test_a_dissolved_org_does_not_count():
    orgs = pd.DataFrame({"id": ["P3"], "name": ["党支部"], "kind": ["branch"],
                         "unit_id": ["U3"], "dissolved": ["2020-01-01"]})
    t = base(units=unit("U3"), members=members(3, "U3"), orgs=orgs)
    assert ("unit_without_org", "U3") in gaps(t)
    # members of the dissolved org are unattached
    t["members"]["org_id"] = "P3"
    g = gaps(t)
    assert {("member_unattached", f"MU3{i}") for i in range(3)} <= g
    # before it was dissolved (window ending 2019) it stood
    assert ("unit_without_org", "U3") not in gaps(t, window=(None, "2019-12-31"))


def test_covers_link_inside_and_outside_the_window():
    orgs = pd.DataFrame({"id": ["PJ"], "name": ["联合党支部"], "kind": ["joint_branch"],
                         "region_id": [COMM]})
    links = pd.DataFrame({"source": ["PJ"], "target": ["U1"], "kind": ["covers"],
                          "start": ["2021-01-01"], "end": ["2021-12-31"]})
    t = base(units=unit("U1"), members=members(1, "U1"), orgs=orgs, links=links)
    assert ("unit_not_covered", "U1") not in gaps(t)
    assert ("unit_not_covered", "U1") in gaps(t, window=("2022-01-01", "2022-12-31"))
    # a covers link from a plain branch is not a joint cover
    t["orgs"].loc[1, "kind"] = "branch"
    assert ("unit_not_covered", "U1") in gaps(t)


def test_work_coverage_by_instructor_union_or_youth_league():
    t = base(units=pd.concat([unit("F1"), unit("F2", union="是"), unit("F3", kind="social"),
                              unit("F4", kind="agency"), unit("F5")]),
             members=members(1, "CU"),
             links=pd.DataFrame({"source": ["MCU0"], "target": ["F5"],
                                 "kind": ["instructor"]}))
    g = gaps(t)
    assert ("no_work_coverage", "F1") in g and ("no_work_coverage", "F3") in g
    assert ("no_work_coverage", "F2") not in g  # has a union
    assert ("no_work_coverage", "F4") not in g  # agencies are not in the rule
    assert ("no_work_coverage", "F5") not in g  # has an instructor
    assert ("no_work_coverage", "F1") not in gaps(
        t, pg.CoverageRules().replace(no_work_coverage=False))


def test_community_without_org():
    g = gaps(base())
    assert ("community_without_org", "500105002002") in g  # the village has none
    assert ("community_without_org", COMM) not in g  # its committee unit has one
    t = base(orgs=pd.DataFrame({"id": ["PV"], "name": ["洋河村党总支"],
                                "kind": ["general_branch"], "region_id": ["500105002002"]}))
    assert ("community_without_org", "500105002002") not in gaps(t)
    # a co-building body over the village is not its organisation
    t["orgs"].loc[1, "kind"] = "body"
    assert ("community_without_org", "500105002002") in gaps(t)


def test_mobile_unmanaged_and_unattached():
    m = pd.DataFrame({"id": ["A", "B", "C", "D"], "org_id": [None, "NOPE", "PC", "PC"],
                      "category": ["retired", "retired", "mobile", "mobile"]})
    links = pd.DataFrame({"source": ["D"], "target": ["PC"], "kind": ["inflow"]})
    g = gaps(base(members=m, links=links))
    assert ("member_unattached", "A") in g and ("member_unattached", "B") in g
    assert ("mobile_unmanaged", "C") in g and ("mobile_unmanaged", "D") not in g


def test_optional_rules_estate_building_branch_registration():
    m = pd.DataFrame({"id": [f"R{i}" for i in range(4)], "org_id": "PC",
                      "status": ["formal", "formal", "formal", "probationary"],
                      "category": "in_service", "residence_id": BLD, "unit_id": "CU"})
    links = pd.DataFrame({"source": ["R0"], "target": ["PC"], "kind": ["registration"]})
    t = base(members=m, links=links)
    assert not any(r in ("estate_without_org", "building_without_group", "branch_oversize",
                         "member_not_registered") for r, _ in gaps(t))
    rules = pg.CoverageRules().replace(
        estate_without_org=True, building_without_group=True, branch_oversize=True,
        branch_max_members=3, branch_kinds=["committee"], member_not_registered=True)
    g = gaps(t, rules)
    assert ("estate_without_org", ESTATE) in g  # 3 formal residents in its building
    assert ("building_without_group", BLD) in g  # 4 residents
    assert ("branch_oversize", "PC") in g  # 4 > 3
    assert {("member_not_registered", f"R{i}") for i in (1, 2, 3)} <= g
    assert ("member_not_registered", "R0") not in g
    # a group over the building and a compound org over the estate close those gaps
    t2 = base(members=m, links=links, orgs=pd.DataFrame({
        "id": ["PG", "PE"], "name": ["1栋党小组", "兼合式支部"], "kind": ["group", "compound"],
        "region_id": [BLD, ESTATE]}))
    g2 = gaps(t2, rules)
    assert ("building_without_group", BLD) not in g2 and ("estate_without_org", ESTATE) not in g2
    assert ("estate_without_org", ESTATE) not in gaps(t, rules.replace(estate_min_formal=4))


def test_counts_only_units_and_discrepancies():
    units = pd.concat([unit("C5", party_members=5), unit("C2", party_members=2),
                       unit("C0", party_members=0), unit("CX", party_members=1)])
    t = base(units=units, members=members(4, "CX"))
    g = gaps(t)
    assert ("unit_without_org", "C5") in g
    assert ("unit_not_covered", "C2") in g
    assert ("no_work_coverage", "C0") in g
    assert ("unit_without_org", "CX") in g  # records (4) win over the count (1)
    d = pg.count_discrepancies(pg.from_frames(**t))
    assert d["unit_id"].tolist() == ["CX"] and d["difference"].tolist() == [3]


def test_rates_show_their_arithmetic():
    units = pd.concat([unit("A", party_members=3), unit("B", party_members=4),
                       unit("C", party_members=0), unit("D", kind="social", party_members=1)])
    orgs = pd.DataFrame({"id": ["PA"], "name": ["A党支部"], "kind": ["branch"],
                         "unit_id": ["A"]})
    net = pg.from_frames(**base(units=units, orgs=orgs))
    r = pg.coverage_rates(net).set_index("measure")
    # private firms A, B, C: A has its own org
    assert r.loc["nonpublic_own_org_rate", ["numerator", "denominator"]].tolist() == [1, 3]
    assert r.loc["own_org_rate", ["numerator", "denominator"]].tolist() == [1, 2]
    assert r.loc["nonpublic_own_org_rate", "rate"] == pytest.approx(1 / 3)
    by = pg.coverage_rates(net, by=["street", "domain"])
    assert {"street_id", "street", "domain"} <= set(by.columns)
    sub = by[(by["measure"] == "nonpublic_own_org_rate") & (by["domain"] == "private")]
    assert sub["denominator"].tolist() == [3] and sub["street"].tolist() == ["观音桥街道"]
    zh = pg.localise(pg.coverage_rates(net), "zh")
    assert {"分子", "分母", "比率"} <= set(zh.columns)
    with pytest.warns(FutureWarning, match="localise"):
        old = pg.coverage_rates(net, lang="zh")
    assert old.columns.tolist() == zh.columns.tolist()


def test_longyan_estate_coverage():
    n_est, n_org = 1469, 1250
    est_ids = [f"{COMM}9{i:04d}" for i in range(n_est)]
    regions = pd.DataFrame({"id": est_ids, "name": [f"小区{i}" for i in range(n_est)],
                            "level": "estate", "parent_id": COMM})
    orgs = pd.DataFrame({"id": [f"PE{i}" for i in range(n_org)],
                         "name": [f"兼合式党支部{i}" for i in range(n_org)],
                         "kind": "compound", "region_id": est_ids[:n_org]})
    t = base(regions=regions, orgs=orgs)
    t["regions"] = t["regions"][~t["regions"]["id"].isin([ESTATE, BLD])]
    net = pg.from_frames(**t)
    r = pg.coverage_rates(net).set_index("measure").loc["estate_coverage"]
    assert (r["numerator"], r["denominator"]) == (1250, 1469)
    assert r["rate"] == pytest.approx(0.8509, abs=1e-4)


def test_rules_from_file_and_presets(tmp_path):
    p = tmp_path / "rules.json"
    p.write_text(json.dumps({"base": "jiangbei", "branch_max_members": 25}))
    r = pg.CoverageRules.from_file(p)
    assert r.building_without_group and r.branch_max_members == 25
    y = tmp_path / "rules.yaml"
    y.write_text("base: longyan\nestate_min_formal: 5\n")
    assert pg.CoverageRules.from_file(y).estate_min_formal == 5
    p.write_text(json.dumps({"bogus": 1}))
    with pytest.raises(pg.PartygraphError):
        pg.CoverageRules.from_file(p)
    with pytest.raises(pg.PartygraphError):
        pg.CoverageRules.preset("mars")


# ------------------------------------------------------------------------ reference


def reference_gaps(net, rules):
    """A plain per-row implementation of the contract's rules (slow, obvious)."""
    t = net.tables
    units = t["units"].to_dict("records")
    orgs = {o["id"]: o for o in t["orgs"].to_dict("records")}
    members = t.get("members", pd.DataFrame()).to_dict("records")
    links = t.get("links", pd.DataFrame(columns=["kind"])).to_dict("records")
    regions = {r["id"]: r for r in t["regions"].to_dict("records")}
    standing = {k: pd.isna(o["dissolved"]) for k, o in orgs.items()}

    def anc(rid, level):
        while isinstance(rid, str) and rid in regions:
            if regions[rid]["level"] == level:
                return rid
            rid = regions[rid]["parent_id"]
        return None

    out = set()
    for u in units:
        ms = [m for m in members if m["unit_id"] == u["id"]]
        if ms:
            n_all, n_formal = len(ms), sum(m["status"] == "formal" for m in ms)
        elif not pd.isna(u.get("party_members", np.nan)):
            n_all = n_formal = int(u["party_members"])
        else:
            n_all = n_formal = 0
        own = any(o["unit_id"] == u["id"] and standing[k] and o["kind"] != "body"
                  for k, o in orgs.items())
        # a link from an org that does not stand counts for no rule
        cov = [lk for lk in links if lk["kind"] == "covers" and lk["target"] == u["id"]
               and standing.get(lk["source"], True)]
        joint = any(lk["source"] in orgs and orgs[lk["source"]]["kind"] in (
            "joint_branch", "compound") for lk in cov)
        ins = any(lk["kind"] == "instructor" and lk["target"] == u["id"]
                  and standing.get(lk["source"], True) for lk in links)
        if n_formal >= 3 and not own:
            out.add(("unit_without_org", u["id"]))
        if n_all >= 1 and n_formal < 3 and not own and not joint:
            out.add(("unit_not_covered", u["id"]))
        union = any(not pd.isna(u.get(c)) and bool(u.get(c)) for c in ("union", "youth_league"))
        if (u["kind"] in ("private", "social") and n_all == 0 and not cov
                and not ins and not union and not own):
            out.add(("no_work_coverage", u["id"]))
    for rid, r in regions.items():
        if r["level"] in ("community", "village"):
            ok = False
            for k, o in orgs.items():
                if not standing[k] or o["kind"] in ("body", "group"):
                    continue
                if isinstance(o["unit_id"], str):
                    uu = next(x for x in units if x["id"] == o["unit_id"])
                    if uu["kind"] in ("community", "village") and anc(
                            uu["region_id"], r["level"]) == rid:
                        ok = True
                elif o["region_id"] == rid:  # over the community itself, not inside it
                    ok = True
                elif o["kind"] in ("joint_branch", "compound") and any(
                        lk["kind"] == "covers" and lk["source"] == k and lk["target"] == rid
                        for lk in links):
                    ok = True
            if not ok:
                out.add(("community_without_org", rid))
    inflow = {lk["source"] for lk in links if lk["kind"] == "inflow"
              and standing.get(lk["target"], True)}
    for m in members:
        if not (isinstance(m["org_id"], str) and m["org_id"] in orgs
                and standing[m["org_id"]]):
            out.add(("member_unattached", m["id"]))
        if m["category"] == "mobile" and m["id"] not in inflow:
            out.add(("mobile_unmanaged", m["id"]))
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_agrees_with_reference_on_generated_data(seed):
    net = pg.synthetic.to_network(pg.synthetic.district(600, seed=seed))
    g = pg.coverage_gaps(net)
    ours = set(zip(g["rule"], g["entity_id"], strict=True))
    assert ours == reference_gaps(net, pg.CoverageRules())
    assert len(ours) > 20
