"""Ties, walls and linkage: hand-worked cases (arithmetic in comments), the classroom
reference values, Burt's example from networkx's tests, and networkx's mixing matrix."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import partygraph as pg

REF = Path(__file__).resolve().parents[2] / "shared" / "reference" / "classroom"
R = "500105002001"


def net_of(units, orgs=None, links=None, projects=None, participation=None, **kw):
    t = {"units": pd.DataFrame(units, columns=["id", "name", "kind", "region_id"]),
         "orgs": pd.DataFrame(orgs or [], columns=["id", "name", "kind", "unit_id",
                                                   "region_id", "parent_id"])}
    if links is not None:
        t["links"] = pd.DataFrame(links)
    if projects is not None:
        t["projects"] = pd.DataFrame(projects)
        t["participation"] = pd.DataFrame(participation)
    t.update(kw)
    return pg.from_frames(**t)


UNITS = [("A", "机关A", "agency", R), ("B", "企业B", "private", R), ("C", "企业C", "private", R),
         ("D", "社区D", "community", R), ("E", "协会E", "social", R)]
ORGS = [("PA", "A支部", "branch", "A", None, "PD"), ("PB", "B支部", "branch", "B", None, "PD"),
        ("PD", "D党委", "committee", "D", None, None), ("BODY", "共同体", "body", None, R, None)]


def tie_set(net, **kw):
    t = pg.horizontal_ties(net, **kw)
    return sorted(zip(t["actor_a"], t["actor_b"], t["kind"], strict=True))


def test_ties_links_projects_bodies_vertical_and_window():
    links = {"source": ["PA", "PA", "PB", "B", "PB", "A", "C"],
             "target": ["PD", "B", "BODY", "C", "PB2", "E", "BODY"],
             "kind": ["pair", "agreement", "body", "service", "pair", "service", "body"],
             "start": [None, None, None, None, None, "2019-01-01", None],
             "end": [None, None, None, None, None, "2019-12-31", None],
             "weight": [1, 2, 1, 1, 1, 1, 1]}
    links = {k: v[:4] + v[5:] for k, v in links.items()}
    projects = {"id": ["J1", "J2", "J3"], "name": ["项目1", "项目2", "项目3"],
                "status": ["completed", "planned", None]}
    part = {"project_id": ["J1"] * 4 + ["J2", "J2", "J3", "J3"],
            "participant_id": ["A", "B", "C", "E", "A", "B", "PA", "A"]}
    net = net_of(UNITS, ORGS, links, projects, part)
    ties = tie_set(net)
    # PA-PD is vertical (PD is PA's parent): no tie. PA-B agreement ties A and B.
    assert ("A", "D", "pair") not in ties
    assert ("A", "B", "agreement") in ties
    # B and C are both body members (through PB and C): one body tie
    assert ("B", "C", "body") in ties or ("C", "B", "body") in ties
    # a project with four participants: 4*3/2 = 6 ties; J2 is planned: none; J3's two
    # participants are the same actor (PA acts for A): none
    assert sum(k == "project" for *_, k in ties) == 6
    # service B -> C counts; A -> E was only in 2019
    assert ("B", "C", "service") in ties and ("A", "E", "service") in ties
    assert ("A", "E", "service") not in tie_set(net.with_window("2020-01-01", None))
    # total: agreement 1 + body 1 + service 2 + project 6 = 10
    assert len(ties) == 10
    t = pg.horizontal_ties(net)
    assert t.loc[t["kind"] == "agreement", "weight"].tolist() == [2.0]
    # crossings: A (agency) - B (private) cross domain; same street: not cross-region
    row = t[t["kind"] == "agreement"].iloc[0]
    assert row["cross_domain"] and not row["cross_region"]


def test_cross_post_and_registration():
    members = pd.DataFrame({"id": ["M1"], "org_id": ["PB"]})
    links = {"source": ["M1", "M1", "PB"], "target": ["PA", "PD", "PA"],
             "kind": ["cross_post", "registration", "registration"]}
    net = net_of(UNITS, ORGS, links, members=members)
    ties = tie_set(net)
    # M1's org PB acts for B: cross_post ties B to A; the member's registration is no tie;
    # PB's registration with PA ties B and A
    assert ties == [("B", "A", "cross_post"), ("B", "A", "registration")]


def test_walls_status_counts_by_kind():
    links = {"source": ["PA", "A"], "target": ["B", "C"], "kind": ["pair", "service"]}
    net = net_of(UNITS, ORGS, links)
    w = pg.walled_in_units(net).set_index("actor_id")
    # A: a pair and a service -> linked; B: only the pair -> paper_only; C: service -> linked
    assert w.loc["A", "status"] == "linked" and w.loc["B", "status"] == "paper_only"
    assert w.loc["C", "status"] == "linked" and w.loc["D", "status"] == "walled_in"
    assert w.loc["A", "ties_pair"] == 1 and w.loc["A", "ties_service"] == 1
    assert w.loc["A", "ties"] == 2 and w.loc["A", "partners"] == 2
    # the body org is not an actor; units are
    assert "BODY" not in w.index and len(w) == 5
    r = pg.participation_rates(net, by=None)
    # 3 of 5 actors take part, 2 are linked
    assert r["taking_part"].iloc[0] == 3 and r["rate_linked"].iloc[0] == pytest.approx(0.4)


def test_hub_dependence_and_reciprocity():
    # a star around D plus one tie B-C
    links = {"source": ["A", "B", "C", "E", "B", "C"], "target": ["D", "D", "D", "D", "C", "B"],
             "kind": ["service"] * 6}
    # no orgs: with ORGS, A-D and B-D would be vertical (PA and PB are PD's children)
    net = net_of(UNITS, [], links)
    assert len(pg.horizontal_ties(net_of(UNITS, ORGS, links))) == 4
    h = pg.hub_dependence(net, k=(1,)).iloc[0]
    assert h["hubs"] == "D"
    # ties through D: 4 of 6; without D, A and E have no tie: 2 of the 4 non-hub actors
    assert h["share_of_ties"] == pytest.approx(4 / 6)
    assert h["cut_off"] == 2 and h["cut_off_share"] == pytest.approx(0.5)
    r = pg.service_reciprocity(net)
    # pairs: A-D, B-D, C-D, D-E one way; B-C both ways -> 1 of 5
    assert r.attrs["reciprocity"] == pytest.approx(0.2)


def classroom():
    v = pd.read_csv(REF / "classroom-vdb.csv", dtype=str)
    e = pd.read_csv(REF / "classroom-edb.csv", dtype=str)
    units = pd.DataFrame({"id": v["id"], "name": v["id"], "kind": "social", "region_id": R,
                          "gender": v["gender"]})
    links = pd.DataFrame({"source": e["from"], "target": e["to"], "kind": "service"})
    orgs = pd.DataFrame(columns=["id", "name", "kind", "unit_id"])
    return pg.from_frames(units=units, orgs=orgs, links=links)


@pytest.mark.skipif(not REF.exists(), reason="../shared/reference is not beside this checkout")
def test_classroom_reference_values():
    dl = pg.domain_linkage(classroom(), "gender", directed=True)
    assert dl.counts.loc["Boy", "Boy"] == 40 and dl.counts.loc["Boy", "Girl"] == 2
    assert dl.counts.loc["Girl", "Boy"] == 5 and dl.counts.loc["Girl", "Girl"] == 41
    assert dl.ei_index == pytest.approx(-0.8409091, abs=1e-7)  # (7 - 81) / 88
    assert dl.orwg == pytest.approx(16.58071, abs=1e-5)
    assert dl.coleman["Boy"] == pytest.approx(0.9084249, abs=1e-7)
    assert dl.coleman["Girl"] == pytest.approx(0.7909699, abs=1e-7)
    assert dl.freeman == pytest.approx(0.9125874, abs=1e-7)


def test_mixing_matrix_agrees_with_networkx():
    net = pg.load_example("demo")
    ties = pg.horizontal_ties(net)
    dl = pg.domain_linkage(net, ties=ties)
    f = pg.actors(net).frame
    g = nx.MultiGraph()
    g.add_nodes_from((i, {"domain": d}) for i, d in enumerate(f["domain"]))
    g.add_edges_from(zip(ties["a"], ties["b"], strict=True))
    order = dl.groups
    m = nx.attribute_mixing_matrix(g, "domain", nodes=None, mapping={d: i for i, d in
                                                                     enumerate(order)},
                                   normalized=False)
    # networkx counts each undirected edge in both directions, so within-group ties twice
    ours = dl.counts.to_numpy() + np.diag(np.diag(dl.counts.to_numpy()))
    np.testing.assert_array_equal(m, ours)


def test_ei_actor_domain_participation_by_hand():
    # A(agency)-B(private) x2 parallel, B-C (private-private), C-E (private-social)
    links = {"source": ["A", "A", "B", "C"], "target": ["B", "B", "C", "E"],
             "kind": ["service"] * 4, "weight": [1, 3, 1, 1]}
    dl = pg.domain_linkage(net_of(UNITS, ORGS, links))
    # ties: E = 3 (A-B, A-B, C-E), I = 1 (B-C): E-I = (3 - 1) / 4 = 0.5
    assert dl.ei_index == pytest.approx(0.5)
    # weighted: E = 1 + 3 + 1 = 5, I = 1: 4 / 6
    assert dl.ei_index_weighted == pytest.approx(4 / 6)
    ei = dl.ei.set_index("group")
    # private: internal 1 (B-C), external 3 -> 0.5
    assert ei.loc["private", "ei"] == pytest.approx(0.5)
    a = dl.actor_ei.set_index("actor_id")
    # B: ties A, A (external), C (internal) -> (2 - 1) / 3
    assert a.loc["B", "ei"] == pytest.approx(1 / 3)
    p = dl.participation.set_index("actor_id")
    # B: k = 3, to agency 2, to private 1: 1 - (4/9 + 1/9) = 4/9
    assert p.loc["B", "participation"] == pytest.approx(4 / 9)
    # weighted: 3+1 = 4 to agency... A-B weights 1 and 3 -> 4, B-C 1: 1 - (16/25 + 1/25)
    assert p.loc["B", "participation_weighted"] == pytest.approx(8 / 25)
    assert np.isnan(p.loc["D", "participation"])
    # matrix: agency-private weight 4, private-private 1, private-social 1
    assert dl.matrix.loc["agency", "private"] == 4 and dl.matrix.loc["private", "agency"] == 4
    assert dl.matrix.loc["private", "private"] == 1
    # density: the two agency-private ties are parallel (both A-B), so 1 tied pair of the
    # 1*2 possible = 0.5 (parallel ties are counted in `counts`, never in density)
    assert dl.density.loc["agency", "private"] == pytest.approx(0.5)
    assert dl.counts.loc["agency", "private"] == 2
    assert dl.dyads.loc["agency", "private"] == 1
    assert (dl.density.to_numpy()[np.isfinite(dl.density.to_numpy())] <= 1).all()


def test_permutation_null_matches_closed_form_and_is_seeded():
    net = pg.load_example("demo")
    ties = pg.horizontal_ties(net)
    a1 = pg.domain_linkage(net, permutations=300, seed=7, ties=ties)
    a2 = pg.domain_linkage(net, permutations=300, seed=7, ties=ties)
    pd.testing.assert_frame_equal(a1.significance, a2.significance)
    sizes = a1.sizes.to_numpy(dtype=float)
    N = sizes.sum()
    p_internal = (sizes * (sizes - 1)).sum() / (N * (N - 1))
    expected = 1 - 2 * p_internal  # E-I = 1 - 2 I / T, and each tie is internal w.p. p
    row = a1.significance.set_index("measure").loc["ei_index"]
    assert row["null_mean"] == pytest.approx(expected, abs=4 * row["null_sd"] / np.sqrt(300))
    assert 0 < row["p"] <= 1


BURT = [("A", "B", 2), ("A", "F", 3), ("A", "G", 5), ("A", "E", 2), ("E", "G", 8),
        ("F", "G", 3), ("B", "G", 4), ("B", "D", 1), ("D", "G", 3), ("G", "C", 10)]


def burt_net():
    ids = sorted({x for e in BURT for x in e[:2]})
    units = [(i, i, "private", R) for i in ids]
    links = {"source": [e[0] for e in BURT], "target": [e[1] for e in BURT],
             "kind": ["service"] * len(BURT), "weight": [e[2] for e in BURT]}
    return net_of(units, [], links)


def test_burt_constraint_and_effective_size():
    net = burt_net()
    u = pg.brokers(net, weighted=False).set_index("actor_id")
    assert u.loc["G", "constraint"] == pytest.approx(0.400, abs=1e-3)
    assert u.loc["A", "constraint"] == pytest.approx(0.595, abs=1e-3)
    assert u.loc["G", "effective_size"] == pytest.approx(4.67, abs=1e-2)
    assert u.loc["A", "effective_size"] == pytest.approx(2.50, abs=1e-2)
    w = pg.brokers(net, weighted=True).set_index("actor_id")
    assert w.loc["G", "constraint"] == pytest.approx(0.299, abs=1e-3)
    assert w.loc["A", "constraint"] == pytest.approx(0.795, abs=1e-3)
    assert w.loc["G", "effective_size"] == pytest.approx(5.47, abs=1e-2)
    assert w.loc["A", "effective_size"] == pytest.approx(2.47, abs=1e-2)
    # and networkx's reference path (nodes passed, avoiding its weighted fast path)
    g = nx.Graph()
    g.add_weighted_edges_from(BURT)
    nodes = list(g)
    ref_c = nx.constraint(g, nodes=nodes, weight="weight")
    ref_e = nx.effective_size(g, nodes=nodes, weight="weight")
    for n in nodes:
        assert w.loc[n, "constraint"] == pytest.approx(ref_c[n])
        assert w.loc[n, "effective_size"] == pytest.approx(ref_e[n])


def test_brokerage_roles_by_hand():
    # service path A(agency) -> B(private) -> C(private) -> E(social).
    # Directed (the default): B brokers A -> B -> C only: a outside, c like B: gatekeeper.
    # C brokers B -> C -> E only: a like C, c outside: representative.
    links = {"source": ["A", "B", "C"], "target": ["B", "C", "E"], "kind": ["service"] * 3}
    net = net_of(UNITS, ORGS, links)
    r = pg.brokerage_roles(net).set_index("actor_id")
    cols = ["representative", "gatekeeper", "coordinator", "liaison"]
    assert r.loc["B", cols].tolist() == [0, 1, 0, 0]
    assert r.loc["C", cols].tolist() == [1, 0, 0, 0]
    assert r.loc["C", "open_pairs"] == 1 and r.loc["A", "open_pairs"] == 0
    exp = r.loc["B", [c for c in r.columns if c.endswith("_expected")]].sum()
    assert exp == pytest.approx(1.0)
    # undirected: both orders of each pair, so B is representative (C, A) and gatekeeper
    # (A, C) once each
    u = pg.brokerage_roles(net, directed=False).set_index("actor_id")
    assert u.loc["B", cols].tolist() == [1, 1, 0, 0]
    assert u.loc["C", "open_pairs"] == 2
    # a pair link has no direction: B -pair- C makes C -> B -> ... paths as well
    links2 = {"source": ["A", "B"], "target": ["B", "C"], "kind": ["service", "pair"]}
    r2 = pg.brokerage_roles(net_of(UNITS, ORGS, links2)).set_index("actor_id")
    # A -> B -> C (open) only; C -> B -> A needs B -> A, which the service does not give
    assert r2.loc["B", "open_pairs"] == 1 and r2.loc["B", "gatekeeper"] == 1


def test_betweenness_equals_networkx_exact_and_sampled():
    import random

    import networkx as nx
    from scipy import sparse

    from partygraph._graphs import betweenness

    for seed in range(5):
        g = nx.gnm_random_graph(50, 70 + 25 * seed, seed=seed)
        g.add_nodes_from(range(50, 53))  # isolated actors
        a = nx.to_scipy_sparse_array(g, nodelist=range(53), format="csr")
        ref = nx.betweenness_centrality(g, normalized=True)
        np.testing.assert_allclose(betweenness(a, cells=200), [ref[i] for i in range(53)])
        src = np.sort(np.random.default_rng(seed).choice(53, 9, replace=False))

        chosen = [int(x) for x in src]

        class Fixed(random.Random):  # networkx draws its sample with seed.sample
            def sample(self, population, k, chosen=chosen):
                return chosen

        ref = nx.betweenness_centrality(g, k=9, seed=Fixed(), normalized=True)
        np.testing.assert_allclose(betweenness(sparse.csr_array(a), src),
                                   [ref[i] for i in range(53)])


def test_brokers_betweenness_is_networkx_on_the_actor_graph():
    import networkx as nx

    net = pg.load_example("demo")
    b = pg.brokers(net).set_index("actor_id")
    ties = pg.horizontal_ties(net)
    ids = pg.actors(net).frame["actor_id"].to_numpy()
    g = nx.Graph()
    g.add_nodes_from(ids)
    g.add_edges_from((ids[x], ids[y]) for x, y in zip(ties["a"], ties["b"], strict=True)
                     if x != y)
    ref = nx.betweenness_centrality(g, normalized=True)
    tied = b["degree"] > 0
    np.testing.assert_allclose(b.loc[tied, "betweenness"],
                               [ref[i] for i in b.index[tied]], atol=1e-12)


def test_constraint_through_hubs_is_networkx():
    """Actors with many ties (their share added tie by tie) give networkx's constraint."""
    from partygraph.linkage import _simple_graph

    net = pg.load_example("jiangbei")
    W = _simple_graph(net, None, None)
    deg = np.diff(W.indptr)
    assert (deg.astype(float) ** 2 > W.nnz).any()  # the hub path runs
    b = pg.brokers(net).set_index("actor_id")
    ids = pg.actors(net).frame["actor_id"].to_numpy()
    coo = W.tocoo()
    g = nx.Graph()
    g.add_weighted_edges_from((ids[i], ids[j], w) for i, j, w in zip(
        coo.row, coo.col, coo.data, strict=True) if i < j)
    ref_c = nx.constraint(g, nodes=list(g), weight="weight")
    ref_e = nx.effective_size(g, nodes=list(g), weight="weight")
    for n in g:
        assert b.loc[n, "constraint"] == pytest.approx(ref_c[n])
        assert b.loc[n, "effective_size"] == pytest.approx(ref_e[n])


def test_constraint_in_blocks_of_rows(monkeypatch):
    from partygraph import linkage

    net = pg.load_example("demo")
    whole = pg.brokers(net)
    monkeypatch.setattr(linkage, "CONSTRAINT_BLOCK", 50.0)
    blocks = pg.brokers(net)
    pd.testing.assert_frame_equal(whole, blocks)


@pytest.mark.parametrize("seed", [1, 2])
def test_brokers_top_equals_the_head_of_all(seed, monkeypatch):
    # the top brokers are found without computing every actor's constraint (a bound
    # prunes the rest, batch by batch): the same rows, in the same order, as the head of
    # the full list, in batches of any size
    from partygraph import linkage, synthetic

    net = synthetic.to_network(synthetic.district(6000, seed=seed))
    full = pg.brokers(net, betweenness_sample=30)
    for batch in (linkage.LOWEST_BATCH, 5, 60):
        monkeypatch.setattr(linkage, "LOWEST_BATCH", batch)
        for top in (1, 7, 100):
            got = pg.brokers(net, betweenness_sample=30, top=top)
            pd.testing.assert_frame_equal(got, full.head(top).reset_index(drop=True))


def test_brokers_top_with_equal_constraints_keeps_the_order():
    # a ring: every actor has the same constraint, so the order among equals decides
    n = 40
    units = [(f"U{i:02d}", f"企业{i}", "private", R) for i in range(n)]
    orgs = [(f"O{i:02d}", f"支部{i}", "branch", f"U{i:02d}", None, None) for i in range(n)]
    links = {"source": [f"U{i:02d}" for i in range(n)],
             "target": [f"U{(i + 1) % n:02d}" for i in range(n)], "kind": ["pair"] * n}
    net = net_of(units, orgs, links)
    full = pg.brokers(net)
    assert full["constraint"].nunique() == 1
    pd.testing.assert_frame_equal(pg.brokers(net, top=3), full.head(3).reset_index(drop=True))


def test_results_do_not_depend_on_threads():
    # constraint blocks, betweenness batches and permutations run on threads: one thread
    # and several give the same numbers
    from partygraph import synthetic

    net = synthetic.to_network(synthetic.district(4000, seed=3))
    out = {}
    for k in (1, 3):
        with pg.config.override(threads=k):
            dl = pg.domain_linkage(net, permutations=40, seed=2)
            out[k] = (pg.brokers(net, betweenness_sample=25), dl.significance)
    pd.testing.assert_frame_equal(out[1][0], out[3][0])
    pd.testing.assert_frame_equal(out[1][1], out[3][1])
