"""Every public analysis over a zoo of tiny edge cases: it returns a result, never crashes."""

from __future__ import annotations

import pandas as pd
import pytest

import partygraph as pg
from partygraph.registry import functions

R = "500105002001"
REGIONS = pd.DataFrame({"id": ["500105002000", R], "name": ["街道", "社区<script>"],
                        "level": ["street", "community"], "parent_id": [None, "500105002000"]})
EMPTY_UNITS = pd.DataFrame(columns=["id", "name", "kind", "region_id"])
EMPTY_ORGS = pd.DataFrame(columns=["id", "name", "kind", "unit_id", "region_id"])


def zoo():
    one = pd.DataFrame({"id": ["单位1"], "name": ["唯一单位"], "kind": ["非公企业"],
                        "region_id": [R]})
    two = pd.DataFrame({"id": ["甲", "乙", "丙", "丁"], "name": ["甲", "乙", "丙", "丁"],
                        "kind": ["机关", "非公企业", "社会组织", "社区居委会"],
                        "region_id": [R] * 4})
    parallel = pd.DataFrame({"source": ["甲", "甲", "甲"], "target": ["乙", "乙", "乙"],
                             "kind": ["结对共建", "服务", "服务"]})
    disconnected = pd.DataFrame({"source": ["甲", "丙"], "target": ["乙", "丁"],
                                 "kind": ["服务", "服务"]})
    members = pd.DataFrame({"id": ["M1", "M2"], "org_id": [None, None], "unit_id": ["甲", "甲"],
                            "category": ["流动", "在职"], "residence_id": [R, R],
                            "skills": ["理发", None]})
    demands = pd.DataFrame({"id": ["D1", "D2"], "requester_id": ["乙", "丁"],
                            "category": ["场地阵地", "志愿服务"], "skills": [None, "理发"]})
    resources = pd.DataFrame({"id": ["R1", "R2"], "owner_id": ["甲", "乙"],
                              "category": ["venue", "venue"]})
    return {
        "empty": dict(units=EMPTY_UNITS, orgs=EMPTY_ORGS),
        "empty_with_regions": dict(units=EMPTY_UNITS, orgs=EMPTY_ORGS, regions=REGIONS),
        "one_unit": dict(units=one, orgs=EMPTY_ORGS, regions=REGIONS),
        "no_regions": dict(units=two, orgs=EMPTY_ORGS, links=parallel),
        "parallel": dict(units=two, orgs=EMPTY_ORGS, regions=REGIONS, links=parallel,
                         members=members, demands=demands, resources=resources),
        "lists_without_regions": dict(units=two, orgs=EMPTY_ORGS, demands=demands,
                                      resources=resources),
        "disconnected": dict(units=two, orgs=EMPTY_ORGS, regions=REGIONS, links=disconnected),
    }


def _assess_and_write(net):
    import tempfile

    a = pg.assess(net, permutations=3)
    out = a.write(tempfile.mkdtemp())
    assert out["report"].exists() and out["workbook"].exists()
    return a


def _figures(net):
    from matplotlib.figure import Figure

    for draw in (lambda ax: pg.plot_coverage(net, ax=ax), lambda ax: pg.plot_crossings(net, ax=ax),
                 lambda ax: pg.plot_pipeline(net, ax=ax),
                 lambda ax: pg.plot_linkage(pg.domain_linkage(net), ax=ax),
                 lambda ax: pg.plot_ei(pg.domain_linkage(net, permutations=5, seed=0), ax=ax)):
        try:
            draw(Figure().subplots())
        except pg.MissingTableError:
            pass


# every public analysis the registry declares, with its defaults, then variants and the rest
ANALYSES = {
    **functions(),
    "coverage_gaps": lambda n: pg.coverage_gaps(n),
    "coverage_gaps_all": lambda n: pg.coverage_gaps(
        n, pg.CoverageRules.preset("jiangbei").replace(estate_without_org=True)),
    "coverage_rates": lambda n: pg.coverage_rates(n),
    "coverage_rates_by": lambda n: pg.coverage_rates(n, by=["street", "domain"])
    if n.has("regions") else pg.coverage_rates(n, by="domain"),
    "count_discrepancies": lambda n: pg.count_discrepancies(n),
    "horizontal_ties": lambda n: pg.horizontal_ties(n),
    "walled_in_units": lambda n: pg.walled_in_units(n),
    "participation_rates": lambda n: pg.participation_rates(n, by="domain"),
    "hub_dependence": lambda n: pg.hub_dependence(n),
    "service_reciprocity": lambda n: pg.service_reciprocity(n),
    "domain_linkage": lambda n: pg.domain_linkage(n, permutations=5, seed=0),
    "brokers": lambda n: pg.brokers(n),
    "brokerage_roles": lambda n: pg.brokerage_roles(n),
    "council_representation": lambda n: pg.council_representation(n),
    "body_assessment": lambda n: pg.body_assessment(n),
    "plan_instructors": lambda n: pg.plan_instructors(n),
    "plan_joint_branches": lambda n: pg.plan_joint_branches(n, 1, sites="community")
    if n.has("regions") else None,
    "suggest_matches": lambda n: pg.suggest_matches(n),
    "suggest_matches_all": lambda n: pg.suggest_matches(n, within="all", owner_cap=1,
                                                        pair_first=True),
    "match_wishes": lambda n: pg.match_wishes(n),
    "suggest_partners": lambda n: pg.suggest_partners(n, within="all"),
    "summary": lambda n: n.summary(),
    "to_networkx": lambda n: n.to_networkx(),
    "assess": _assess_and_write,
    "network_view": lambda n: pg.network_view(n).html(),
    "network_view_grouped": lambda n: pg.network_view(n, max_nodes=1).html(),
    "to_pyvis": lambda n: pg.to_pyvis(n),
    "actor_graph": lambda n: pg.actor_graph(n),
    "figures": _figures,
}


@pytest.mark.parametrize("case", list(zoo()))
@pytest.mark.parametrize("analysis", list(ANALYSES))
def test_every_analysis_on_every_case(case, analysis):
    net = pg.from_frames(**zoo()[case])
    try:
        ANALYSES[analysis](net)
    except pg.MissingTableError:
        pass
    except pg.PartygraphError as exc:  # a clear refusal is fine; a crash is not
        assert "/" in str(exc)


@pytest.mark.parametrize("case", ["parallel", "disconnected"])
def test_member_view_and_pipeline_need_their_tables(case):
    net = pg.from_frames(**zoo()[case])
    if net.has("members"):
        assert len(pg.member_view(net)) >= 1
    else:
        with pytest.raises(pg.MissingTableError):
            pg.member_view(net)
    with pytest.raises(pg.MissingTableError):
        pg.project_pipeline(net)


def test_parallel_ties_are_kept():
    net = pg.from_frames(**zoo()["parallel"])
    t = pg.horizontal_ties(net)
    assert len(t) == 3
    assert pg.walled_in_units(net).set_index("actor_id").loc["甲", "ties"] == 3
