"""Councils, bodies and the project pipeline on hand-built networks."""

from __future__ import annotations

import pandas as pd
import pytest

import partygraph as pg

ST, C1, C2 = "500105002000", "500105002001", "500105002002"


def build():
    regions = pd.DataFrame({"id": [ST, C1, C2], "name": ["街道", "一社区", "二社区"],
                            "level": ["street", "community", "community"],
                            "parent_id": [None, ST, ST]})
    units = pd.DataFrame({
        "id": ["U1", "U2", "U3", "U4", "U5", "U6"],
        "name": ["社区一", "企业二", "企业三", "机关四", "协会五", "企业六"],
        "kind": ["community", "private", "private", "agency", "social", "private"],
        "region_id": [C1, C1, C1, C1, C1, C2], "tier": [None, None, None, "district", None, None],
        "industry": [None, "IT", "餐饮", None, None, "IT"]})
    orgs = pd.DataFrame({
        "id": ["PC", "P2", "BODY", "BODY2"], "name": ["社区党委", "企业二支部", "共同体", "空联盟"],
        "kind": ["committee", "branch", "body", "body"], "unit_id": ["U1", "U2", None, None],
        "region_id": [None, None, ST, ST], "parent_id": [None, None, None, None]})
    links = pd.DataFrame({
        "source": ["P2", "U4", "U6", "P2", "U4", "U6", "U4"],
        "target": ["PC", "PC", "PC", "BODY", "BODY", "BODY", "U6"],
        "kind": ["council", "council", "council", "body", "body", "body", "service"]})
    projects = pd.DataFrame({"id": ["J1", "J2", "J3", "J4"], "name": list("ABCD"),
                             "status": ["completed", "running", "planned", "completed"],
                             "lead_id": ["U2", "U4", "U6", None]})
    participation = pd.DataFrame({
        "project_id": ["J1", "J1", "J2", "J3", "J4", "J4", "J4"],
        "participant_id": ["U2", "U4", "U4", "U6", "U5", "U3", "U2"],
        "role": ["lead", "partner", "lead", "lead", "lead", "claimant", "claimant"]})
    return pg.from_frames(regions=regions, units=units, orgs=orgs, links=links,
                          projects=projects, participation=participation)


def test_council_representation():
    c = pg.council_representation(build()).set_index("council_id").loc["PC"]
    # seats: U2 (via P2), U4, U6 -> 3; residents of 一社区: U1..U5 -> 5; U6 sits in 二社区
    assert (c["seats"], c["resident_units"], c["represented"]) == (3, 5, 2)
    assert c["share_represented"] == pytest.approx(0.4)
    # seat domains: private 2/3, agency 1/3; residents: community 1/5, private 2/5,
    # agency 1/5, social 1/5 -> ½(|2/3-2/5| + |1/3-1/5| + 1/5 + 1/5) = ½(4/15+2/15+6/15)
    assert c["dissimilarity"] == pytest.approx(0.4)


def test_body_assessment():
    b = pg.body_assessment(build()).set_index("body_id")
    body = b.loc["BODY"]
    # members U2, U4, U6: domains private/agency (2), tiers district/unknown (1 known),
    # streets one, industries IT only (1) -> crossings: domain only... tiers: 1 distinct
    assert body["members"] == 3 and body["domains"] == 2 and body["crossings"] == 1
    # J1 has U2 and U4 (both members): 1 project; service U4 -> U6: 1
    assert body["projects"] == 1 and body["services"] == 1
    assert body["score"] == pytest.approx(3 * 1 + 1 * 2 + 1 * 3 + 1 * 1)
    assert b.loc["BODY2", "talk_without_work"] and b.loc["BODY", "rank"] == 1
    custom = pg.body_assessment(build(), weights={"projects": 10}).set_index("body_id")
    assert custom.loc["BODY", "score"] == pytest.approx(3 + 2 + 10 + 1)


def test_project_pipeline():
    p = pg.project_pipeline(build(), by="community").set_index("community_id")
    one = p.loc[C1]
    # J1 (U2), J2 (U4), J4 (lead participant U5) sit in 一社区; J3 (planned) in 二社区
    assert (one["projects"], one["launched"], one["completed"]) == (3, 3, 2)
    assert one["completion_rate"] == pytest.approx(2 / 3)
    assert one["claimed_by_group"] == 1 and one["claimed_singly"] == 0
    assert p.loc[C2, "planned"] == 1 and p.loc[C2, "launched"] == 0
