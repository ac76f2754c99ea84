"""Matching: the solver against brute force and an independent LP; the scores, limits and
reasons of suggest_matches, match_wishes and suggest_partners on hand-made cases."""

from __future__ import annotations

import itertools

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from scipy.sparse import csr_array, vstack

import partygraph as pg
from partygraph import synthetic
from partygraph.matching import CLOSENESS

# ---------------------------------------------------------------------------- the solver


def random_instance(rng, nd, nr, density=0.6, qmax=2):
    pairs = [(d, r) for d in range(nd) for r in range(nr) if rng.random() < density]
    c = pd.DataFrame({"demand_id": [f"d{d}" for d, _ in pairs],
                      "resource_id": [f"r{r}" for _, r in pairs],
                      "score": np.round(rng.uniform(-1, 10, len(pairs)), 3)})
    qd = pd.Series(rng.integers(1, qmax + 1, nd).astype(float), index=[f"d{i}" for i in range(nd)])
    qr = pd.Series(rng.integers(1, qmax + 1, nr).astype(float), index=[f"r{i}" for i in range(nr)])
    owner = pd.Series([f"o{i % 2}" for i in range(nr)], index=qr.index)
    return c, qd, qr, owner


def brute_force(c, qd, qr, owner=None, cap=None):
    """Enumerate every integer assignment (tiny instances only)."""
    caps = [int(min(qd[d], qr[r])) for d, r in zip(c["demand_id"], c["resource_id"], strict=True)]
    best = 0.0
    for x in itertools.product(*[range(k + 1) for k in caps]):
        x = np.array(x, dtype=float)
        used_d = pd.Series(x, index=c["demand_id"]).groupby(level=0).sum()
        used_r = pd.Series(x, index=c["resource_id"]).groupby(level=0).sum()
        if (used_d > qd.reindex(used_d.index)).any() or (used_r > qr.reindex(used_r.index)).any():
            continue
        if cap is not None:
            n_sugg = pd.Series((x > 0).astype(int), index=owner[c["resource_id"]].to_numpy())
            if (n_sugg.groupby(level=0).sum() > cap).any():
                continue
        best = max(best, float((x * c["score"]).sum()))
    return best


@pytest.mark.parametrize("seed", range(25))
def test_solver_equals_brute_force(seed):
    rng = np.random.default_rng(seed)
    c, qd, qr, _ = random_instance(rng, 3, 3, density=0.7)
    if len(c) > 7:
        c = c.iloc[:7]
    x = pg.optimal_assignment(c, qd, qr)
    assert (x * c["score"]).sum() == pytest.approx(brute_force(c, qd, qr), abs=1e-9)
    # capacities, and never a non-positive pair
    used_d = x.groupby(c["demand_id"]).sum()
    used_r = x.groupby(c["resource_id"]).sum()
    assert (used_d <= qd.reindex(used_d.index)).all()
    assert (used_r <= qr.reindex(used_r.index)).all()
    assert (x[c["score"] <= 0] == 0).all()


@pytest.mark.parametrize("seed", range(15))
def test_owner_cap_equals_brute_force(seed):
    rng = np.random.default_rng(100 + seed)
    c, qd, qr, owner = random_instance(rng, 3, 3, density=0.7)
    c = c.iloc[:7]
    x = pg.optimal_assignment(c, qd, qr, owner=owner, owner_cap=1)
    got = (x * c["score"]).sum()
    assert got == pytest.approx(brute_force(c, qd, qr, owner, 1), abs=1e-9)
    per_owner = (x > 0).groupby(owner[c["resource_id"]].to_numpy()).sum()
    assert (per_owner <= 1).all()


def independent_lp(c, qd, qr):
    """The transportation LP written out separately and solved by scipy's HiGHS."""
    d = pd.Index(qd.index).get_indexer(c["demand_id"])
    r = pd.Index(qr.index).get_indexer(c["resource_id"])
    m = len(c)
    a = vstack([csr_array((np.ones(m), (d, np.arange(m))), shape=(len(qd), m)),
                csr_array((np.ones(m), (r, np.arange(m))), shape=(len(qr), m))])
    res = linprog(-c["score"].to_numpy(), A_ub=a, b_ub=np.r_[qd, qr],
                  bounds=np.c_[np.zeros(m), np.minimum(qd.to_numpy()[d], qr.to_numpy()[r])],
                  method="highs")
    assert res.status == 0
    return -res.fun


@pytest.mark.parametrize("qmax", [1, 4])
def test_solver_equals_independent_lp_on_medium_instances(qmax):
    rng = np.random.default_rng(qmax)
    c, qd, qr, _ = random_instance(rng, 120, 150, density=0.05, qmax=qmax)
    c = c[c["score"] > 0]
    x = pg.optimal_assignment(c, qd, qr)
    assert (x * c["score"]).sum() == pytest.approx(independent_lp(c, qd, qr), abs=1e-6)
    assert np.allclose(x, np.round(x))


def test_fractional_quantities_use_the_lp():
    c = pd.DataFrame({"demand_id": ["a", "a", "b"], "resource_id": ["x", "y", "x"],
                      "score": [3.0, 1.0, 2.0]})
    qd = pd.Series({"a": 1.5, "b": 1.0})
    qr = pd.Series({"x": 2.0, "y": 0.5})
    x = pg.optimal_assignment(c, qd, qr)
    assert (x * c["score"]).sum() == pytest.approx(independent_lp(c, qd, qr))
    assert (x * c["score"]).sum() == pytest.approx(3 * 1.5 + 2 * 0.5)


# ---------------------------------------------------------------------------- needs ↔ resources

REG = pd.DataFrame({
    "id": ["D", "S1", "S2", "C1", "C2", "C3", "E1", "E2"],
    "name": ["区", "甲街道", "乙街道", "一社区", "二社区", "三社区", "一小区", "二小区"],
    "level": ["district", "street", "street", "community", "community", "community",
              "estate", "estate"],
    "parent_id": [None, "D", "D", "S1", "S1", "S2", "C1", "C1"],
})


def lists_network(demands, resources, links=None, units=None, **kw):
    orgs = pd.DataFrame({"id": ["P1"], "name": ["一社区党委"], "kind": ["committee"],
                         "unit_id": ["U1"]})
    if units is not None:
        orgs = orgs.iloc[:0]
    units = units if units is not None else pd.DataFrame({
        "id": ["U1", "U2", "U3", "U4", "U5", "U6"],
        "name": ["一社区居委会", "区教育局", "甲公司", "乙公司", "丙协会", "二社区居委会"],
        "kind": ["community", "agency", "private", "private", "social", "community"],
        "region_id": ["C1", "E1", "E2", "C3", "C1", "C2"]})
    tables = dict(regions=REG, units=units, orgs=orgs, demands=demands, resources=resources,
                  **kw)
    if links is not None:
        tables["links"] = links
    return pg.from_frames(**tables)


def test_scores_and_reasons_by_hand():
    demands = pd.DataFrame({"id": ["N1"], "requester_id": ["U1"], "category": ["场地阵地"],
                            "priority": [4], "region_id": ["E1"]})
    resources = pd.DataFrame({"id": ["R1", "R2", "R3"], "owner_id": ["U2", "U3", "U4"],
                              "category": ["venue", "venue", "venue"],
                              "region_id": ["E1", "E2", "C3"]})
    # U1 and U3 already tied by a service: R2 gives no new tie
    links = pd.DataFrame({"source": ["U3"], "target": ["U1"], "kind": ["service"]})
    net = lists_network(demands, resources, links)
    m = pg.suggest_matches(net, within="district")
    c = m.candidates.set_index("resource_id")
    # U2 (agency) sits in E1 with the need: same place; U1 is linked → not walled in;
    # U2 is walled in (no tie): +1; new cross-domain tie (agency–community): +1
    assert c.loc["R1", "closeness"] == "place"
    assert c.loc["R1", "score"] == 5 + 4 - 0 + 1 + 1
    # R2: same community, existing tie (no cross bonus), U3 linked, U1 linked
    assert c.loc["R2", "closeness"] == "community"
    assert c.loc["R2", "score"] == 5 + 4 - 1
    # R3: other street, same district; U4 walled in, new cross-domain tie
    assert c.loc["R3", "closeness"] == "district"
    assert c.loc["R3", "score"] == 5 + 4 - 3 + 1 + 1
    s = m.suggestions
    assert s["resource_id"].tolist() == ["R1"]
    assert s.loc[0, "reason_zh"] == "同类别 · 同一地点 · 优先级4 · 新增跨领域联系 · 带动围墙内单位"
    parts = s[[c for c in s.columns if c.startswith("score_")]].sum(axis=1)
    assert parts.round(3).tolist() == s["score"].tolist()
    # within the street only R1 and R2 are candidates
    near = pg.suggest_matches(net, within="street")
    assert set(near.candidates["resource_id"]) == {"R1", "R2"}


def test_limits_self_pairs_compatibility_and_unmet_reasons():
    demands = pd.DataFrame({
        "id": ["N1", "N2", "N3", "N4", "N5"],
        "requester_id": ["U1", "U5", "U6", "U4", "U3"],
        "category": ["venue", "venue", "funds", "training", "information"],
        "priority": [5, 2, 3, 3, 3], "quantity": [1, 1, 1, 1, 1]})
    resources = pd.DataFrame({
        "id": ["R1", "R2", "R3", "R4", "R5"], "owner_id": ["U2", "U1", "U3", "U3", "U2"],
        "category": ["venue", "venue", "funds", "training", "training"],
        "quantity": [1, 5, 1, 1, 1]})
    net = lists_network(demands, resources)
    m = pg.suggest_matches(net, within="community")
    s = m.suggestions.set_index("demand_id")
    # N1 (U1) cannot take its own R2; R1 is in C1 (E1) → N1 gets R1
    assert s.loc["N1", "resource_id"] == "R1"
    # N2 (U5 in C1) gets R2 from U1 (same community)
    assert s.loc["N2", "resource_id"] == "R2"
    why = m.unmet.set_index("demand_id")["why"]
    assert why["N3"] == "not_near"      # funds only in C1; U6 is in C2
    assert why["N4"] == "not_near"      # training in C1; U4 in C3
    assert why["N5"] == "no_category"   # nobody offers information
    # a compatibility table: training may meet an information need, at a cost of 0.5
    comp = pd.DataFrame({"demand_category": ["信息技术"], "resource_category": ["教育培训"],
                         "bonus": [-0.5]})
    m2 = pg.suggest_matches(net, within="district", compatibility=comp)
    c2 = m2.candidates
    # N5 (U3) cannot take U3's own R4; R5 (U2) is the only candidate
    assert c2[["demand_id", "resource_id"]].values.tolist() == [["N5", "R5"]]
    assert c2["score_category"].tolist() == [-0.5]
    assert "相容类别:信息技术←教育培训" in m2.suggestions.loc[0, "reason_zh"]
    # when the only compatible resource is the requester's own, there is none to match
    only_own = pg.suggest_matches(net, within="district", compatibility={
        "information": ["funds"]})
    assert only_own.unmet.set_index("demand_id").loc["N5", "why"] == "no_category"


def test_taken_when_a_higher_scoring_demand_wins():
    demands = pd.DataFrame({"id": ["N1", "N2"], "requester_id": ["U1", "U5"],
                            "category": ["venue", "venue"], "priority": [5, 1]})
    resources = pd.DataFrame({"id": ["R1"], "owner_id": ["U2"], "category": ["venue"]})
    m = pg.suggest_matches(lists_network(demands, resources), within="street")
    assert m.suggestions["demand_id"].tolist() == ["N1"]
    u = m.unmet.set_index("demand_id")
    assert u.loc["N2", "why"] == "taken"
    assert u.loc["N2", "why_zh"] == "资源已被得分更高的需求占用"


def test_pair_first_then_open():
    # two needs in community C1; R1 (U3) is paired with the community (P1) but scores lower
    demands = pd.DataFrame({"id": ["N1"], "requester_id": ["U5"], "category": ["venue"],
                            "priority": [3]})
    resources = pd.DataFrame({"id": ["R1", "R2"], "owner_id": ["U4", "U2"],
                              "category": ["venue", "venue"]})
    links = pd.DataFrame({"source": ["U4"], "target": ["P1"], "kind": ["pair"]})
    net = lists_network(demands, resources, links)
    open_only = pg.suggest_matches(net, within="district")
    assert open_only.suggestions["resource_id"].tolist() == ["R2"]  # nearer
    paired = pg.suggest_matches(net, within="district", pair_first=True)
    s = paired.suggestions
    assert s["resource_id"].tolist() == ["R1"] and s["stage"].tolist() == [1]
    assert "对口共建优先" in s.loc[0, "reason_zh"]
    assert paired.candidates.set_index("resource_id")["paired"].to_dict() == {
        "R1": True, "R2": False}


def test_owner_cap_limits_suggestions_per_owner():
    demands = pd.DataFrame({"id": ["N1", "N2", "N3"], "requester_id": ["U1", "U5", "U6"],
                            "category": ["venue"] * 3})
    resources = pd.DataFrame({"id": ["R1", "R2"], "owner_id": ["U2", "U2"],
                              "category": ["venue", "venue"], "quantity": [2, 1]})
    net = lists_network(demands, resources)
    free = pg.suggest_matches(net, within="street")
    assert free.suggestions["quantity"].sum() == 3
    capped = pg.suggest_matches(net, within="street", owner_cap=2)
    assert len(capped.suggestions) == 2
    assert set(capped.unmet["why"]) == {"owner_cap"}


def test_kilometres():
    regions = REG.assign(lon=[106.5, 106.50, 106.6, 106.50, 106.52, 106.9, 106.501, 106.53],
                         lat=[29.5, 29.50, 29.6, 29.50, 29.52, 29.9, 29.501, 29.53])
    demands = pd.DataFrame({"id": ["N1"], "requester_id": ["U1"], "category": ["venue"],
                            "region_id": ["E1"]})
    resources = pd.DataFrame({"id": ["R1", "R2"], "owner_id": ["U3", "U4"],
                              "category": ["venue", "venue"], "region_id": ["E2", "C3"]})
    net = pg.from_frames(regions=regions, units=lists_network(demands, resources).tables[
        "units"], orgs=pd.DataFrame(columns=["id", "name", "kind", "unit_id", "region_id"]),
        demands=demands, resources=resources)
    m = pg.suggest_matches(net, within=None, max_km=10)
    c = m.candidates
    assert c["resource_id"].tolist() == ["R1"]  # C3 is ~57 km away
    # haversine by hand: (106.501, 29.501) → (106.53, 29.53)
    lat1, lat2 = np.radians(29.501), np.radians(29.53)
    dlon = np.radians(106.53 - 106.501)
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin(dlon / 2) ** 2
    km = 2 * 6371.0088 * np.arcsin(np.sqrt(h))
    assert c.loc[0, "km"] == pytest.approx(round(km, 3))
    assert c.loc[0, "score_distance"] == pytest.approx(round(-0.2 * km, 3))
    assert "公里" in m.suggestions.loc[0, "reason_zh"]
    far = pg.suggest_matches(net, within=None, max_km=100)
    assert set(far.candidates["resource_id"]) == {"R1", "R2"}


@pytest.fixture(scope="module")
def generated():
    return synthetic.to_network(synthetic.district(6000, seed=3))


@pytest.mark.parametrize("kw", [dict(within="street"), dict(within="district", pair_first=True),
                                dict(within="community", owner_cap=2)])
def test_invariants_and_optimality_on_generated_data(generated, kw):
    net = generated
    m = pg.suggest_matches(net, **kw)
    d = net.tables["demands"].set_index("id")
    r = net.tables["resources"].set_index("id")
    s = m.suggestions
    used_d = s.groupby("demand_id")["quantity"].sum()
    used_r = s.groupby("resource_id")["quantity"].sum()
    assert (used_d <= d.loc[used_d.index, "quantity"]).all()
    assert (used_r <= r.loc[used_r.index, "quantity"]).all()
    assert (d.loc[s["demand_id"], "category"].to_numpy()
            == r.loc[s["resource_id"], "category"].to_numpy()).all()
    assert s["closeness"].map(CLOSENESS.index).max() <= CLOSENESS.index(kw["within"])
    assert (s["requester_id"] != s["owner_id"]).all()
    parts = s[[c for c in s.columns if c.startswith("score_")]].sum(axis=1).round(3)
    assert (parts == s["score"]).all()
    assert m.objective == pytest.approx((s["score"] * s["quantity"]).sum())
    if not kw.get("pair_first") and not kw.get("owner_cap"):
        c = m.candidates
        assert m.objective == pytest.approx(independent_lp(
            c, d["quantity"], r["quantity"]), abs=1e-6)
    if kw.get("owner_cap"):
        assert s.groupby("owner_id").size().max() <= kw["owner_cap"]
    # same input, same output
    again = pg.suggest_matches(net, **kw)
    pd.testing.assert_frame_equal(again.suggestions, s)
    # every unmet demand is listed once with its unmet quantity
    met = s.groupby("demand_id")["quantity"].sum().reindex(d.index, fill_value=0)
    short = met[met < d["quantity"]].index
    assert set(m.unmet["demand_id"]) == set(short)


def test_to_excel_lists(tmp_path):
    demands = pd.DataFrame({"id": ["N1"], "requester_id": ["U1"], "category": ["venue"],
                            "name": ["=HYPERLINK(\"x\")"]})
    resources = pd.DataFrame({"id": ["R1"], "owner_id": ["U2"], "category": ["venue"]})
    m = pg.suggest_matches(lists_network(demands, resources))
    p = m.to_excel(tmp_path / "lists.xlsx")
    wb = openpyxl.load_workbook(p)
    assert wb.sheetnames == ["推荐对接", "未满足", "需求清单", "资源清单"]
    need = wb["需求清单"]
    header = [c.value for c in need[1]]
    assert "需求编号" in header and "状态" in header
    name_cell = need.cell(row=2, column=header.index("名称") + 1)
    assert name_cell.data_type == "s" and name_cell.value.startswith("=")
    assert [c.value for c in need[2]][header.index("状态")] == "已对接"
    assert [c.value for c in wb["推荐对接"][2]][:2] == ["需求编号", "资源编号"]


# ---------------------------------------------------------------------------- wishes


def test_wishes_to_members():
    members = pd.DataFrame({
        "id": ["M1", "M2", "M3", "M4"], "org_id": ["P1"] * 4,
        "residence_id": ["E1", "C1", "C3", "C2"],
        "skills": ["理发;维修", "维修", "维修", "医疗、维修"]})
    demands = pd.DataFrame({"id": ["W1", "W2", "W3"], "requester_id": ["U1", "U1", "U5"],
                            "category": ["volunteer"] * 3, "skills": ["维修", "理发，医疗", "法律"],
                            "region_id": ["E1", "C1", "C1"], "priority": [3, 5, 3]})
    projects = pd.DataFrame({"id": ["J1", "J2"], "name": ["帮老人理发", "已认领"],
                             "kind": ["wish", "wish"], "status": ["planned", "planned"],
                             "lead_id": ["U6", "U6"]})
    participation = pd.DataFrame({"project_id": ["J2"], "participant_id": ["M4"],
                                  "role": ["claimant"]})
    # M4 lives in C2 but is registered with the C1 community org
    links = pd.DataFrame({"source": ["M4"], "target": ["P1"], "kind": ["registration"]})
    resources = pd.DataFrame(columns=["id", "owner_id", "category"])
    net = lists_network(demands, resources, links, members=members, projects=projects,
                        participation=participation)
    w = pg.match_wishes(net, capacity=1)
    s = w.suggestions.set_index("item_id")
    # W2 (priority 5) needs 理发 or 医疗: M1 (理发, same estate... C1) or M4 (医疗, registered)
    assert set(s.index) == {"W1", "W2", "J1"}
    assert s.loc["W1", "member_id"] in {"M1", "M2", "M4"}
    assert (w.suggestions.groupby("member_id").size() <= 1).all()
    # J1 has no skills: any member of C2 (where U6 sits): M4 lives there
    assert s.loc["J1", "member_id"] == "M4"
    # W3 needs 法律: nobody has it
    assert w.unmet.set_index("item_id").loc["W3", "why"] == "not_near"
    # J2 is claimed already: not an item
    assert "J2" not in set(w.candidates["item_id"])
    # M4 reaches C1 items through its registration
    c = w.candidates
    assert c[(c["member_id"] == "M4") & (c["item_id"] == "W2")]["via"].tolist() == ["registered"]
    # M3 lives in another street's community: never a candidate for C1
    assert not ((c["member_id"] == "M3") & c["item_id"].isin(["W1", "W2"])).any()
    # the optimum: brute force over the candidate pairs
    qd = pd.Series(1.0, index=c["item_id"].unique())
    qr = pd.Series(1.0, index=c["member_id"].unique())
    assert w.objective == pytest.approx(brute_force(c.rename(columns={
        "item_id": "demand_id", "member_id": "resource_id"}), qd, qr))
    # no personal column in the outputs
    assert "name" not in s.columns


# ---------------------------------------------------------------------------- partners


def test_partners_for_walled_in_units():
    units = pd.DataFrame({
        "id": ["A", "B", "C", "Q", "E"], "name": ["甲", "乙", "丙", "丁", "戊"],
        "kind": ["private", "agency", "social", "private", "soe"],
        "region_id": ["C1", "C1", "E1", "C1", "C1"]})
    # B–C and B–E linked by services; A and D walled in
    links = pd.DataFrame({"source": ["B", "B"], "target": ["C", "E"],
                          "kind": ["service", "service"]})
    demands = pd.DataFrame({"id": ["N1"], "requester_id": ["A"], "category": ["venue"]})
    resources = pd.DataFrame({"id": ["R1"], "owner_id": ["C"], "category": ["venue"]})
    net = lists_network(demands, resources, links, units=units)
    p = pg.suggest_partners(net, k=2, cap=1)
    s = p.suggestions
    assert set(s["target_id"]) == {"A", "Q"}
    assert s.groupby("partner_id").size().max() <= 1
    assert s.groupby("target_id").size().max() <= 2
    a = s[s["target_id"] == "A"].set_index("partner_id")
    # C offers the venue A needs: complement 1 → +2, other domain +1
    assert a.loc["C", "complement"] == 1 and a.loc["C", "rank"] == 1
    assert "对方可提供本单位所需" in a.loc["C", "reason_zh"]
    # three linked partners, cap 1, four wanted: one target gets fewer than k
    assert len(s) == 3
    assert set(p.unmet["why"]) == {"taken"}
    # already tied pairs are never suggested
    p2 = pg.suggest_partners(net, k=3, cap=3, statuses=("linked",))
    tied = {("B", "C"), ("C", "B"), ("B", "E"), ("E", "B")}
    assert not set(zip(p2.candidates["target_id"], p2.candidates["partner_id"], strict=True)) & tied


@pytest.mark.parametrize("capped", [False, True])
def test_flow_split_into_components_keeps_the_optimum(monkeypatch, capped):
    """Solved one group of connected components at a time, the total score is the whole
    problem's optimum (checked against HiGHS on the whole)."""
    from partygraph import _assignment as A

    rng = np.random.default_rng(7)
    nd, nr, m = 300, 200, 1500
    block = rng.integers(0, 40, nd)  # 40 separate places
    di = rng.integers(0, nd, m)
    rblock = rng.integers(0, 40, nr)
    ri = np.array([rng.choice(np.flatnonzero(rblock == block[d])) if (rblock == block[d]).any()
                   else 0 for d in di])
    w = rng.integers(1, 1000, m)
    qd, qr, pc = rng.integers(1, 4, nd).astype(float), rng.integers(1, 4, nr).astype(float), \
        np.ones(m)
    owner = rng.integers(0, 60, nr) if capped else None
    cap = np.full(60, 2.0) if capped else None
    whole = A._solve_highs(di, ri, w, qd, qr, pc, owner, cap, integer=capped)[0]
    monkeypatch.setattr(A, "SPLIT_ARCS", 10)
    monkeypatch.setattr(A, "SPLIT_GROUP", 50)
    split = A._solve_flow(di, ri, w, qd, qr, pc, owner, cap)
    assert (split * w).sum() == pytest.approx((whole * w).sum())
    assert np.all(np.bincount(di, weights=split, minlength=nd) <= qd)
    assert np.all(np.bincount(ri, weights=split, minlength=nr) <= qr)
    if capped:
        assert np.all(np.bincount(owner[ri], weights=split, minlength=60) <= cap)


def test_partners_without_candidates_are_the_same_partners():
    # candidates=False (what assess uses) keeps no scored pairs, and changes nothing else
    from partygraph import synthetic

    net = synthetic.to_network(synthetic.district(3000, seed=5))
    full = pg.suggest_partners(net)
    lean = pg.suggest_partners(net, candidates=False)
    assert len(full.candidates) > len(full.suggestions) > 0
    assert lean.candidates.empty
    assert list(lean.candidates.columns) == list(full.candidates.columns)
    pd.testing.assert_frame_equal(lean.suggestions, full.suggestions)
    pd.testing.assert_frame_equal(lean.unmet, full.unmet)
    assert lean.objective == full.objective


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.lists(st.sampled_from(
    ["法律", " 医疗", "、", ";", "；", ",", "，", " ", "\u3000", "IT", "a b", "\t"]),
    max_size=6).map("".join)), max_size=12))
def test_skill_tags_split_as_pandas_splits_them(values):
    """Skills split by Arrow (a million members' at once) as pandas' split, explode and strip
    give them: every separator, blank tags dropped, each tag with its row."""
    from partygraph.wishes import _split_tags

    s = pd.Series(values, dtype="str")
    ex = s.str.replace(r"[；;,，、]", ";", regex=True).str.split(";").explode()
    ex = ex.astype("str").str.strip()
    ok = ex.notna() & ex.ne("")
    want = pd.DataFrame({"row": ex.index[ok.to_numpy(dtype=bool)].to_numpy(dtype=np.int64),
                         "tag": ex[ok].to_numpy()})
    pd.testing.assert_frame_equal(_split_tags(s), want)
