"""The generator: planted truth found exactly by the analyses, shapes, determinism, CLI."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import partygraph as pg
from partygraph import synthetic
from partygraph.cli import main

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "streets.csv"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_coverage_and_walls_find_exactly_the_planted_truth(seed):
    g = synthetic.district(4000, seed=seed)
    net = synthetic.to_network(g)
    gaps = pg.coverage_gaps(net)
    found = set(zip(gaps["rule"], gaps["entity_id"], strict=True))
    planted = set(zip(g.truth["gaps"]["rule"], g.truth["gaps"]["entity_id"], strict=True))
    assert found == planted
    assert {r for r, _ in planted} >= {"unit_without_org", "unit_not_covered",
                                       "no_work_coverage", "member_unattached",
                                       "mobile_unmanaged"}
    walls = pg.walled_in_units(net).set_index("actor_id")["status"]
    truth = g.truth["status"].set_index("actor_id")["status"]
    assert (walls.reindex(truth.index) == truth).all()
    assert set(truth) == {"walled_in", "paper_only", "linked"}


def test_planted_community_gaps():
    g = synthetic.district(20000, seed=5, community_gap_share=0.2)
    net = synthetic.to_network(g)
    planted = g.truth["gaps"].query("rule == 'community_without_org'")["entity_id"]
    assert len(planted) >= 3
    found = pg.coverage_gaps(net).query("rule == 'community_without_org'")["entity_id"]
    assert set(found) == set(planted)


def test_shares_follow_the_parameters_and_the_reports():
    g = synthetic.district(30000, seed=3)
    truth = g.truth["status"]["status"]
    resident = truth.iloc[len(g["regions"].query("level in ['community', 'village']")):]
    assert resident.eq("walled_in").mean() == pytest.approx(0.2, abs=0.03)
    p = g["projects"]
    launched = p["status"].isin(["running", "completed"])
    assert (p["status"][launched] == "completed").mean() == pytest.approx(2533 / 2770, abs=0.03)
    est = g["regions"].query("level == 'estate'")
    with_org = g["orgs"].query("kind == 'compound'")["region_id"].nunique()
    assert with_org / len(est) == pytest.approx(1250 / 1469, abs=0.05)  # orgs per estate
    # single or joint, the estate orgs cover every estate (实现小区党建全覆盖) but those of the
    # communities planted without any org (3%) and of the few dissolved orgs
    net = pg.from_frames(**g)
    rates = pg.coverage_rates(net).set_index("measure")
    assert rates.loc["estate_coverage", "rate"] > 0.95
    gaps = set(g.truth["gaps"].query("rule == 'community_without_org'")["entity_id"])
    uncovered = pg.coverage_gaps(net, pg.CoverageRules(estate_without_org=True,
                                                       estate_min_formal=0))
    uncovered = uncovered.query("rule == 'estate_without_org'")
    assert uncovered["community_id"].isin(gaps).mean() > 0.8
    # heavy tail: most private firms have 0–2 members working there
    u = g["units"]
    works = g["members"]["unit_id"].value_counts()
    private = u.loc[u["kind"] == "private", "id"]
    assert (works.reindex(private, fill_value=0) <= 2).mean() > 0.5
    assert works.max() > 20 * works.median()


def test_same_seed_same_data():
    a, b = synthetic.district(800, seed=11), synthetic.district(800, seed=11)
    for k in a:
        pd.testing.assert_frame_equal(a[k], b[k])
    c = synthetic.district(800, seed=12)
    assert not a["members"].equals(c["members"])


@pytest.mark.skipif(not REFERENCE.exists(), reason="reference codes not available")
def test_synth_command_on_a_real_skeleton(tmp_path, capsys):
    out = tmp_path / "jb"
    assert main(["synth", "-n", "1500", "--seed", "1", "-o", str(out), "--district", "500105",
                 "--district-name", "江北区", "--streets-csv", str(REFERENCE),
                 "--encoding", "gb18030"]) == 0
    net = pg.read_dataset(out)  # GBK files are detected
    streets = net.tables["regions"].query("level == 'street'")
    assert set(streets["name"]) >= {"华新街街道", "观音桥街道"}
    assert (out / "truth" / "gaps.csv").exists()
    truth = pd.read_csv(out / "truth" / "gaps.csv", dtype=str)
    gaps = pg.coverage_gaps(net)
    assert set(zip(gaps["rule"], gaps["entity_id"], strict=True)) == set(
        zip(truth["rule"], truth["entity_id"], strict=True))
    assert np.all(net.tables["regions"]["id"].str.startswith("500105"))
