from __future__ import annotations

import pandas as pd
import pytest


def small_tables() -> dict[str, pd.DataFrame]:
    """A hand-made, valid district: 1 district, 1 street, 2 communities, 1 estate."""
    regions = pd.DataFrame({
        "id": ["500105000000", "500105002000", "500105002001", "500105002002",
               "50010500200101"],
        "name": ["江北区", "观音桥街道", "建北社区", "洋河社区", "建北小区"],
        "level": ["district", "street", "community", "community", "estate"],
        "parent_id": [None, "500105000000", "500105002000", "500105002000", "500105002001"],
    })
    units = pd.DataFrame({
        "id": ["U1", "U2", "U3", "U4", "U5"],
        "name": ["建北社区居委会", "区司法局", "某科技有限公司", "某餐饮店", "某协会"],
        "kind": ["community", "agency", "private", "private", "social"],
        "region_id": ["500105002001", "500105002001", "500105002001", "50010500200101",
                      "500105002002"],
        "tier": ["community", "district", None, None, None],
    })
    orgs = pd.DataFrame({
        "id": ["P0", "P1", "P2", "P3", "P4"],
        "name": ["观音桥街道党工委", "建北社区党委", "区司法局党支部", "某科技党支部", "共同体"],
        "kind": ["working_committee", "committee", "branch", "branch", "body"],
        "parent_id": [None, "P0", None, "P1", "P0"],
        "unit_id": [None, "U1", "U2", "U3", None],
        "region_id": ["500105002000", None, None, None, "500105002000"],
    })
    members = pd.DataFrame({
        "id": [f"M{i}" for i in range(1, 8)],
        "org_id": ["P1", "P2", "P3", "P3", "P3", None, "P9"],
        "status": ["formal", "formal", "formal", "formal", "probationary", "formal", "formal"],
        "category": ["retired", "in_service", "in_service", "in_service", "in_service",
                     "mobile", "in_service"],
        "unit_id": [None, "U2", "U3", "U3", "U3", "U4", "U4"],
        "residence_id": ["500105002001", "50010500200101", None, None, None, None, None],
    })
    links = pd.DataFrame({
        "source": ["P2", "P3", "M6"],
        "target": ["P1", "P4", "P1"],
        "kind": ["pair", "body", "inflow"],
        "start": ["2020-01-01", "2021-01-01", None],
        "end": [None, "2021-12-31", None],
    })
    return {"regions": regions, "units": units, "orgs": orgs, "members": members,
            "links": links}


@pytest.fixture
def tables() -> dict[str, pd.DataFrame]:
    return small_tables()
