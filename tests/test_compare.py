"""Change over time: compare finds exactly the planted changes, rates' changes equal hand
counts and are tested exactly, entities whose ids changed are matched by name (issue 19)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import partygraph as pg
from conftest import small_tables
from partygraph import synthetic


@pytest.fixture(scope="module", params=[(2500, 3, 11), (4000, 8, 5)])
def pair(request):
    n, seed, seed_next = request.param
    g = synthetic.district(n, seed=seed)
    h = synthetic.next_year(g, seed=seed_next)
    return g, h, pg.compare(pg.from_frames(**g), pg.from_frames(**h))


def test_compare_finds_exactly_the_planted_gaps(pair):
    g, h, c = pair
    planted = h.truth["changes"]["gaps"]
    found = c.gaps[c.gaps["change"] != "persisting"][["rule", "entity_id", "change"]]
    assert set(map(tuple, found.to_numpy())) == set(map(tuple, planted.to_numpy()))
    # persisting: every gap of the year before that was not closed (in its new id)
    ren = dict(zip(*h.truth["changes"]["renamed"][["id_before", "id_after"]].to_numpy().T,
                   strict=True))
    closed = set(map(tuple, planted.query("change == 'closed'")[["rule", "entity_id"]]
                     .to_numpy()))
    before = {(r, ren.get(e, e)) for r, e in g.truth["gaps"].to_numpy() if (r, e) not in closed}
    persisting = set(map(tuple, c.gaps.query("change == 'persisting'")[
        ["rule", "entity_id"]].to_numpy()))
    assert persisting == before
    # open gaps carry their action, closed ones none
    assert (c.gaps.query("change != 'closed'")["action_zh"] != "").all()
    assert (c.gaps.query("change == 'closed'")["action_zh"] == "").all()


def test_compare_finds_exactly_the_planted_status_changes(pair):
    _, h, c = pair
    planted = h.truth["changes"]["status"]
    moved = c.statuses[c.statuses["change"] != "unchanged"]
    found = set(zip(moved["actor_id"], moved["status_before"].fillna(""),
                    moved["status_after"].fillna(""), strict=True))
    assert found == set(map(tuple, planted.to_numpy()))
    outs = set(planted.query("before == 'walled_in' and after == 'linked'")["actor_id"])
    assert set(c.statuses.query("direction == 'out'")["actor_id"]) == outs
    assert c.headline.set_index("measure").loc["out_of_walls", "value"] == len(outs)


def test_renumbered_units_are_matched_by_name(pair):
    _, h, c = pair
    ren = h.truth["changes"]["renamed"]
    by_name = c.matches.query("entity_type == 'unit' and matched_by == 'name'")
    assert set(zip(by_name["id_before"], by_name["id_after"], strict=True)) == set(
        zip(ren["id_before"], ren["id_after"], strict=True))
    # their statuses are compared, not reported as one disappearing and one appearing
    st = c.statuses.set_index("actor_id")
    for after in ren["id_after"]:
        assert st.loc[after, "change"] == "unchanged" and st.loc[after, "matched_by"] == "name"


def test_a_name_shared_by_two_matches_nothing():
    t = small_tables()
    before = pg.from_frames(**t)
    t2 = {k: v.copy() for k, v in t.items()}
    t2["units"] = pd.concat([t2["units"], t2["units"].iloc[[2]].assign(id="U3b")],
                            ignore_index=True)
    t2["units"].loc[2, "id"] = "U3a"  # renumbered, and a second unit of the same name
    for k, col in (("orgs", "unit_id"), ("members", "unit_id")):
        t2[k][col] = t2[k][col].replace({"U3": "U3a"})
    after = pg.from_frames(**t2, strict=False)
    m = pg.compare(before, after).matches.set_index("id_before")
    assert m.loc["U3", "matched_by"] == "none"  # never a guess


def test_rate_changes_are_hand_counts_with_an_exact_test():
    from scipy.stats import fisher_exact

    t = small_tables()
    before = pg.from_frames(**t)
    t2 = {k: v.copy() for k, v in t.items()}
    t2["orgs"] = pd.concat([t2["orgs"], pd.DataFrame({
        "id": ["P9"], "name": ["某餐饮店党支部"], "kind": ["branch"], "unit_id": ["U4"]})],
        ignore_index=True)
    after = pg.from_frames(**t2)
    c = pg.compare(before, after)
    r = c.rates.query("level == 'overall' and measure == 'org_coverage'").iloc[0]
    gb = pg.coverage_rates(before).set_index("measure").loc["org_coverage"]
    ga = pg.coverage_rates(after).set_index("measure").loc["org_coverage"]
    assert (r["numerator_before"], r["denominator_before"]) == (gb["numerator"],
                                                                 gb["denominator"])
    assert (r["numerator_after"], r["denominator_after"]) == (ga["numerator"],
                                                               ga["denominator"])
    assert r["change"] == pytest.approx(ga["rate"] - gb["rate"])
    n0, d0, n1, d1 = (int(r[k]) for k in ("numerator_before", "denominator_before",
                                          "numerator_after", "denominator_after"))
    assert r["p"] == pytest.approx(fisher_exact([[n0, d0 - n0], [n1, d1 - n1]])[1])
    assert not r["significant"]
    # the example: a street going from 7/9 to 8/9 is not celebrated
    from partygraph.change import _fisher

    assert _fisher(np.array([7]), np.array([9]), np.array([8]), np.array([9]))[0] == 1.0
    assert _fisher(np.array([10]), np.array([100]), np.array([60]), np.array([100]))[0] < 1e-6
    # large tables use the z-test: close to Fisher's p
    x1, n1, x2, n2 = (np.array(v) for v in ([5000, 1200, 30000], [10000, 2000, 60000],
                                            [5150, 1180, 30100], [10000, 2000, 60000]))
    exact = [fisher_exact([[a, n - a], [b, m - b]])[1] for a, n, b, m in
             zip(x1, n1, x2, n2, strict=True)]
    np.testing.assert_allclose(_fisher(x1, n1, x2, n2), exact, rtol=0.06)


def test_one_data_set_in_two_windows_and_a_trend():
    net = pg.load_example("demo")
    c = pg.compare(net, window_before=("2019-01-01", "2020-12-31"),
                   window_after=("2021-01-01", "2022-12-31"))
    assert c.params["window_before"][1] < c.params["window_after"][0]
    assert len(c.statuses) and set(c.gaps["change"]) <= {"closed", "new", "persisting"}
    t = pg.trend(net, years=[2020, 2021, 2022])
    one = pg.coverage_rates(net.with_window("2021-01-01", "2021-12-31")).set_index("measure")
    row = t.query("window == '2021' and level == 'overall' and measure == 'org_coverage'")
    assert int(row["numerator"].iloc[0]) == one.loc["org_coverage", "numerator"]
    assert {"walled_in", "linked", "ei_index"} <= set(t["measure"])
    with pytest.raises(pg.PartygraphError):
        pg.compare(net)


def test_the_command_writes_a_chinese_report_and_workbook(tmp_path):
    import openpyxl

    from partygraph.cli import main

    assert main(["compare", "demo", "demo_next", "-o", str(tmp_path), "-q"]) == 0
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.index("已整改(关闭)的缺口") < page.index("缺口的变化")
    assert "走出围墙" in page and "Fisher" in page
    assert "src=" not in page and "https:" not in page  # nothing loaded from elsewhere
    names = openpyxl.load_workbook(tmp_path / "comparison.xlsx").sheetnames
    assert names[0] == "概况" and any(n.startswith("缺口的变化") for n in names)


def test_the_bundled_pair_ships_its_truth():
    before, after = pg.load_example("demo"), pg.load_example("demo_next")
    truth = pg.example_path("demo_next") / "truth"
    planted = pd.read_csv(truth / "changes_gaps.csv", dtype=str)
    c = pg.compare(before, after)
    found = c.gaps[c.gaps["change"] != "persisting"][["rule", "entity_id", "change"]]
    assert set(map(tuple, found.to_numpy())) == set(map(tuple, planted.to_numpy()))


def test_rare_events_get_fishers_p_and_the_table_says_which_test():
    from scipy.stats import fisher_exact

    from partygraph.change import _fisher

    for x1, n1, x2, n2 in ((0, 1200, 5, 1200), (0, 1001, 4, 1001), (1, 1500, 9, 1500)):
        exact = fisher_exact([[x1, n1 - x1], [x2, n2 - x2]])[1]
        got = _fisher(np.array([x1]), np.array([n1]), np.array([x2]), np.array([n2]))[0]
        assert got == pytest.approx(exact)
    c = pg.compare(pg.load_example("demo"), pg.load_example("demo_next"))
    assert set(c.rates["test"]) <= {"fisher", "z", ""}
    assert (c.rates.loc[c.rates["p"].notna(), "test"] != "").all()


def test_without_bodies_unrelated_places_and_what_was_compared(tmp_path):
    ly = pg.load_example("longyan")
    c = pg.compare(ly, ly)  # no body or council on either side: no crash, no change
    assert len(c.bodies) == 0 and set(c.gaps["change"]) <= {"persisting"}
    with pytest.warns(pg.PartygraphWarning, match="same place"):
        pg.compare(pg.load_example("jiangbei"), ly)
    demo = pg.load_example("demo")
    w = pg.compare(demo, window_before=("2019-01-01", "2020-12-31"),
                   window_after=("2021-01-01", "2022-12-31"))
    assert set(w.statuses.loc[w.statuses["change"] == "appeared", "matched_by"]) <= {"none"}
    w.write(tmp_path / "w")
    page = (tmp_path / "w" / "report.html").read_text(encoding="utf-8")
    assert "2019-01-01 – 2020-12-31" in page and "2021-01-01 – 2022-12-31" in page
    assert "覆盖规则" in page
    import openpyxl

    book = openpyxl.load_workbook(tmp_path / "w" / "comparison.xlsx")
    assert "参数" in book.sheetnames
    links = pd.read_excel(tmp_path / "w" / "comparison.xlsx", sheet_name="领域联系的变化",
                          engine="openpyxl")
    text = " ".join(str(v) for v in links.to_numpy().ravel())
    assert "全网" in text and "(whole network)" not in text and " soe " not in f" {text} "


def test_the_command_uses_an_examples_own_rules(tmp_path):
    from partygraph.cli import main

    assert main(["compare", "chaonan", "chaonan", "-o", str(tmp_path), "-q"]) == 0
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "潮南规则" in page
    gaps = pd.read_excel(tmp_path / "comparison.xlsx", sheet_name=1 + 1, engine="openpyxl")
    a = pg.assess(pg.load_example("chaonan"), rules="chaonan", permutations=0,
                  progress=False)
    assert len(gaps) == len(a.tables["gaps"])
