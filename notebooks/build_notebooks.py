"""Write the notebooks of this folder (run: ``python notebooks/build_notebooks.py``).

The notebooks are kept as code here so that a change to them is reviewable; the test suite
executes the written ``.ipynb`` files top to bottom from a clean kernel.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent


def nb(name: str, cells: list[tuple[str, str]]) -> None:
    book = new_notebook(cells=[new_markdown_cell(t) if k == "md" else new_code_cell(t)
                               for k, t in cells])
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                   "language": "python"}
    nbformat.write(book, HERE / f"{name}.ipynb")


SETUP = ("import pandas as pd\n\nimport partygraph as pg\n\n"
         "pd.set_option('display.max_columns', 12)\npd.set_option('display.width', 160)")

nb("00_tutorial", [
    ("md", "# partygraph tutorial\n\nLoad a data set, validate it, find coverage gaps, "
           "walled-in units and domain linkage, suggest matches, and draw a figure. The data "
           "is the bundled synthetic `demo` district."),
    ("code", SETUP),
    ("md", "## Load and validate\n\n`read_dataset` takes a CSV folder or an Excel workbook; "
           "`validate` lists every problem without raising."),
    ("code", "net = pg.load_example('demo')\nnet"),
    ("code", "net.summary(lang='zh')"),
    ("code", "pg.validate(pg.example_path('demo'))  # empty: no problem"),
    ("md", "## Coverage (两个覆盖)"),
    ("code", "gaps = pg.coverage_gaps(net)\ngaps['rule_zh'].value_counts()"),
    ("code", "rates = pg.coverage_rates(net)\n"
             "rates[['measure_zh', 'numerator', 'denominator', 'rate']]"),
    ("md", "## Walls (围墙内) and linkage"),
    ("code", "walls = pg.walled_in_units(net)\nwalls['status_zh'].value_counts()"),
    ("code", "dl = pg.domain_linkage(net, permutations=200, seed=1)\ndl.matrix"),
    ("code", "dl.significance.head()"),
    ("md", "## Matching (需求清单 ↔ 资源清单)"),
    ("code", "m = pg.suggest_matches(net, within='street')\nm"),
    ("code", "m.suggestions[['demand_id', 'resource_id', 'requester', 'owner', 'score', "
             "'reason_zh']].head()"),
    ("code", "m.unmet[['demand_id', 'category', 'why_zh']].head()"),
    ("code", "pg.suggest_partners(net, k=2).suggestions[['target', 'rank', 'partner', "
             "'reason_zh']].head()"),
    ("md", "## Figures with Chinese labels\n\n"
           "Each figure function takes an `ax` and returns it; Chinese text uses an installed "
           "CJK font without touching `matplotlib.rcParams` (`pg.cjk_font()` says which; "
           "without one, a single warning says what to install and the labels fall back to "
           "English)."),
    ("code", "%matplotlib inline\nimport matplotlib.pyplot as plt\n\n"
             "pg.cjk_font()"),
    ("code", "fig, axes = plt.subplots(1, 2, figsize=(13, 4), layout='constrained')\n"
             "pg.plot_coverage(net, 'org_coverage', by='street', ax=axes[0])\n"
             "pg.plot_pipeline(net, ax=axes[1]);"),
    ("code", "fig, axes = plt.subplots(1, 2, figsize=(14, 5), layout='constrained')\n"
             "pg.plot_linkage(dl, ax=axes[0])\npg.plot_ei(dl, ax=axes[1]);"),
    ("code", "pg.plot_crossings(net);"),
    ("md", "## The interactive network\n\n"
           "Shown inline (an `<iframe srcdoc>`, which works in JupyterLab, VS Code and the "
           "classic notebook) and written as one file that opens offline. Walled-in units are "
           "red-bordered squares; parallel ties are separate curves. Above 1,500 actors the "
           "view groups them by community and domain."),
    ("code", "view = pg.network_view(net)\nview"),
    ("code", "pg.network_view(net, level='street')"),
    ("md", "## The whole assessment\n\n"
           "`pg.assess` runs every analysis; `.write(folder)` writes `report.html` (one "
           "self-contained file), `assessment.xlsx` (one sheet per list, Chinese headers) and "
           "`network.html`. On the command line: `partygraph assess PATH -o DIR`."),
    ("code", "import tempfile\n\n"
             "a = pg.assess(net, permutations=100, seed=1)\n"
             "out = a.write(tempfile.mkdtemp())\n"
             "a.table('headline')"),
    ("code", "sorted(a.sheets())"),
    ("md", "## For other tools\n\n"
           "`pg.write_graph(net, 'actors.gexf')` for Gephi (GraphML too; `graph='full'` for "
           "the whole multigraph), `pg.write_parquet(net, folder)` for the tables."),
    ("code", "g = pg.actor_graph(net)\ng.number_of_nodes(), g.number_of_edges()"),
])

nb("01_jiangbei", [
    ("md", "# Jiangbei (重庆江北区): 五联, 大党委, 三三制, 联合制\n\nThe report says "
           "\"80%的驻区党组织都参与了共驻共建\", puts 16 resident units and 21 non-public "
           "organisations on 建北社区's 大党委, and sets the 三三制 norms (groups of ≥3 in a "
           "building, branches of ≥3 groups, ≤20 members per branch)."),
    ("code", SETUP),
    ("code", "net = pg.load_example('jiangbei')\nnet"),
    ("md", "## 80% of resident organisations take part"),
    ("code", "walls = pg.walled_in_units(net)\n"
             "units = net.tables['units']\n"
             "resident = walls[walls['actor_id'].isin(units.loc[~units['kind'].isin(\n"
             "    ['community', 'owners_committee', 'property_company']), 'id'])]\n"
             "share = (resident['status'] != 'walled_in').mean()\n"
             "print(f'taking part: {share:.1%} of {len(resident)} resident units "
             "(report: 80%)')\nassert abs(share - 0.8) < 0.01"),
    ("md", "## The 大党委 and how representative it is\n\n"
           "\"将市外经委、中保财产等16个驻区单位和21个非公组织纳入社区党委\", "
           "\"1450余名党员加入到社区'大家庭'\"."),
    ("code", "seats = pg.council_representation(net).set_index('name')\n"
             "seats[['seats', 'resident_units', 'share_represented']]"),
    ("code", "on_council = units['id'].str.startswith(('JB-R', 'JB-F'))\n"
             "members = units.loc[on_council, 'party_members'].sum()\n"
             "print(f\"{seats.loc['建北社区大党委', 'seats']} organisations, {members} members\")\n"
             "assert seats.loc['建北社区大党委', 'seats'] == 16 + 21 and members == 1450"),
    ("md", "## 三三制 and the 20-member branch norm (the Jiangbei rule preset)"),
    ("code", "rules = pg.CoverageRules.preset('jiangbei')\n"
             "gaps = pg.coverage_gaps(net, rules)\n"
             "gaps[['rule_zh', 'name', 'evidence_zh', 'action_zh']]"),
    ("md", "## 联合制, 三位一体, 三三制: the estate and the joint branch"),
    ("code", "rates = pg.coverage_rates(net, rules=rules)\n"
             "rates[['measure_zh', 'numerator', 'denominator', 'rate']]"),
    ("code", "r = rates.set_index('measure')\n"
             "assert r.loc['joint_rate', 'numerator'] == 11  # small firms in the joint branch\n"
             "assert r.loc['estate_trinity', 'rate'] == 1.0  # 党组织、业委会、物业\n"
             "assert r.loc['estate_group_branch', 'rate'] == 1.0  # 楼群党支部"),
])

nb("02_yongan", [
    ("md", "# Yong'an (福建永安): 大工委/大党委 and the 三单制 service\n\n"
           "\"居民提单、党组织下单、党员接单\": residents post a wish, the community org passes it "
           "on, a member with the right skill who lives in or is registered with the "
           "community claims it. 4 大工委 with 23 part-time members, 13 大党委 with 46."),
    ("code", SETUP),
    ("code", "net = pg.load_example('yongan')\nnet"),
    ("code", "seats = pg.council_representation(net)\n"
             "seats[['name', 'seats', 'part_time', 'resident_units', 'share_represented']]"),
    ("code", "orgs = net.tables['orgs'].set_index('id')\n"
             "by_level = seats.groupby(seats['council_id'].map(orgs['kind']))['part_time'].sum()\n"
             "print(by_level)  # 23 兼职委员 on street 大工委, 46 on community 大党委\n"
             "assert by_level.to_dict() == {'committee': 46, 'working_committee': 23}\n"
             "assert (seats['share_represented'] > 0).all()  # every seat in its own place"),
    ("md", "## 第一书记 and the rotating chair (轮值主席)"),
    ("code", "posts = pg.post_summary(net)\n"
             "assert posts['first_secretaries'].sum() == 13  # 13名…兼任社区大党委第一书记\n"
             "m = pg.body_meetings(net).set_index('body_id')\n"
             "m.loc[['YA-PC0'], ['name', 'meetings', 'per_year', 'meets_norm', 'chairs',\n"
             "                   'rotates']]"),
    ("code", "assert m.loc['YA-PC0', 'meetings'] == 12 and bool(m.loc['YA-PC0', 'rotates'])"),
    ("md", "## 三单制 to the close: 提单 → 下单 → 接单 → 办结 → 评价\n\n"
           "\"共解决居民各类需求360余件\": here 6 needs closed and rated, 3 in hand."),
    ("code", "p = pg.needs_progress(net, by=None)\np"),
    ("code", "assert (p.loc[0, 'solved'], p.loc[0, 'claimed']) == (6, 9)"),
    ("md", "## 三单制: wishes to members"),
    ("code", "w = pg.match_wishes(net, capacity=1)\nw"),
    ("code", "w.suggestions[['item_id', 'requester', 'member_id', 'skills_matched', 'via', "
             "'reason_zh']].head(10)"),
    ("code", "w.unmet[['item_id', 'skills', 'why_zh']]  # nobody can teach 书法"),
    ("md", "## Shared venues (活动阵地): \"30余处、面积7600多平方米\""),
    ("code", "v = pg.venue_area(net)\n"
             "n = len(net.tables['resources'].query(\"category == 'venue'\"))\n"
             "print(n, 'venues,', v['area_m2'].sum(), 'm²')\n"
             "assert v['area_m2'].sum() == 7600 and v['meets_standard'].all()  # ≥300 m² each"),
    ("md", "## Mutual resource and need lists (资源清单/需求清单)"),
    ("code", "m = pg.suggest_matches(net, within='district')\n"
             "m.lists['需求清单'][['demand_id', 'requester', 'category_zh', 'status', "
             "'matched_with']].head(15)"),
])

nb("03_longyan", [
    ("md", "# Longyan (福建龙岩): 兼合式 estate organisations\n\n\"全市已划分小区1469个,单独或联合"
           "组建小区党组织1250个,实现小区党建全覆盖\": 1,250 estate orgs, single or joint, "
           "cover **all** 1,469 estates. 37,455 in-service members report to their estates "
           "(回小区报到), 489 owners' committees are 红色业委会, and 2,533 of 2,770 launched "
           "projects are completed (91.4%). The case data scales these to one street: 40 "
           "estate orgs (33 single, 7 joint) cover all 47 estates."),
    ("code", SETUP),
    ("code", "net = pg.load_example('longyan')\nnet"),
    ("code", "rules = pg.CoverageRules.preset('longyan')\n"
             "rates = pg.coverage_rates(net, rules=rules).set_index('measure')\n"
             "shown = ['estate_coverage', 'estate_joint_rate', 'estate_registration',\n"
             "         'red_owners_committee']\n"
             "rates.loc[shown, ['measure_zh', 'numerator', 'denominator', 'rate']]"),
    ("code", "est = rates.loc['estate_coverage', 'rate']\n"
             "orgs = net.tables['orgs']\n"
             "n_orgs = orgs['name'].str.contains('兼合式').sum()\n"
             "print(f'{n_orgs} estate orgs cover {est:.0%} of the estates '\n"
             "      f'(report: 1,250 orgs, all 1,469 estates; '\n"
             "      f'{n_orgs / 47:.3f} vs {1250 / 1469:.3f} orgs per estate)')\n"
             "assert est == 1.0 and n_orgs == 40\n"
             "assert rates.loc['estate_registration', 'rate'] == 1.0  # 回小区报到"),
    ("code", "gaps = pg.coverage_gaps(net, rules)\n"
             "assert not (gaps['rule'] == 'estate_without_org').any()\n"
             "gaps[['rule_zh', 'name', 'evidence_zh', 'action_zh']]"),
    ("md", "## Project completion"),
    ("code", "p = pg.project_pipeline(net, by=None)\np"),
    ("code", "print(f\"completed {p.loc[0, 'completion_rate']:.1%} of launched "
             "(report: {2533 / 2770:.1%})\")\n"
             "assert round(p.loc[0, 'completion_rate'], 3) == round(2533 / 2770, 3)"),
    ("code", "import matplotlib\n\nmatplotlib.use('Agg')\n"
             "pg.plot_pipeline(net, by='community');"),
    ("md", "## 红色业委会: cross-posts between estate orgs and owners' committees\n\n"
           "\"91名小区党组织书记兼任了业委会主任\": here 2 estate secretaries chair theirs."),
    ("code", "ties = pg.horizontal_ties(net)\nties['kind'].value_counts()"),
    ("code", "s = pg.post_summary(net)\n"
             "assert s['secretary_chairs_owners'].sum() == 2\n"
             "s[['community', 'owners_posts', 'secretary_chairs_owners']]"),
])

nb("04_chaonan", [
    ("md", "# Chaonan (汕头潮南): 党建共同体 across domains, levels, regions and industries\n\n"
           "The report names its bodies and what each crosses; needs and resources are "
           "claimed singly or by groups (单个认领或组团认领)."),
    ("code", SETUP),
    ("code", "net = pg.load_example('chaonan')\nnet"),
    ("code", "b = pg.body_assessment(net)\n"
             "b[['name', 'members', 'domains', 'tiers', 'streets', 'industries',\n"
             "   'projects', 'score', 'talk_without_work']]"),
    ("md", "## The four crossings of every tie"),
    ("code", "ties = pg.horizontal_ties(net)\n"
             "ties.groupby('kind')[['cross_domain', 'cross_level', 'cross_region', "
             "'cross_industry']].sum()"),
    ("code", "body = b.set_index('name')\n"
             "assert body.loc['交通运输党建共同体', 'domains'] == 2       # 跨领域\n"
             "assert body.loc['司马浦教育党建共同体', 'tiers'] == 3        # 跨层级\n"
             "assert body.loc['成田陇田新农村连片示范党建共同体', 'streets'] == 2  # 跨地域\n"
             "assert body.loc['成田镇民营经济党建联盟', 'industries'] == 2   # 跨行业"),
    ("code", "import matplotlib\n\nmatplotlib.use('Agg')\npg.plot_crossings(ties);"),
    ("md", "## 区直单位: each co-builds with a village or community; 双报到 of their orgs"),
    ("code", "rates = pg.coverage_rates(net, rules='chaonan').set_index('measure')\n"
             "rates.loc[['district_unit_pairing', 'unit_org_registration'],\n"
             "          ['measure_zh', 'numerator', 'denominator']]"),
    ("code", "assert rates.loc['district_unit_pairing', 'rate'] == 1.0"),
    ("md", "## Items claimed (认领) singly or by groups, needs solved\n\n"
           "\"认领服务项目566个,解决问题653个\": here 5 service projects claimed, 6 needs solved."),
    ("code", "p = pg.project_pipeline(net, by=None)\n"
             "assert p.loc[0, 'claimed_singly'] + p.loc[0, 'claimed_by_group'] == 5\np"),
    ("code", "needs = pg.needs_progress(net, by='body')\n"
             "assert needs['solved'].sum() == 6\nneeds"),
    ("md", "## 轮值召集人: the bodies meet, convened in turn"),
    ("code", "m = pg.body_meetings(net)\n"
             "assert not m['stalled'].any()\n"
             "assert m.set_index('body_id').loc['CN-B3', 'rotates']\n"
             "m[['name', 'meetings', 'chairs', 'rotates', 'stalled']]"),
    ("code", "m = pg.suggest_matches(net, within='district')\n"
             "m.suggestions[['demand_id', 'requester', 'owner', 'score', 'reason_zh']]"),
])

nb("05_shanghai", [
    ("md", "# Shanghai (上海): the \"1+3\" structure and its failures\n\nThe article: "
           "the street working committee takes in only about 3 of hundreds of resident units "
           "(not representative), co-building depends on the district and street pushing, "
           "resident units lack their own motivation (one-way service), alliances meet "
           "without projects."),
    ("code", SETUP),
    ("code", "net = pg.load_example('shanghai')\nnet"),
    ("md", "## Representativeness of the working committee"),
    ("code", "c = pg.council_representation(net)\n"
             "assert (c.loc[0, 'seats'], c.loc[0, 'resident_units']) == (3, 66)  # 3名左右\n"
             "c[['name', 'seats', 'part_time', 'resident_units', 'share_represented', "
             "'dissimilarity']]"),
    ("md", "## Dependence on the hub"),
    ("code", "pg.hub_dependence(net, k=(1, 2, 3))[['k', 'hub_names', 'share_of_ties', "
             "'cut_off_share']]"),
    ("md", "## One-way service"),
    ("code", "r = pg.service_reciprocity(net)\nprint('reciprocity', r.attrs['reciprocity'])\n"
             "r.head()"),
    ("md", "## Alliances without projects"),
    ("code", "pg.body_assessment(net)[['name', 'members', 'projects', 'services', "
             "'talk_without_work']]"),
    ("code", "pg.walled_in_units(net)['status_zh'].value_counts()"),
    ("md", "## 停摆: the joint meeting met in the first quarter, then stopped"),
    ("code", "m = pg.body_meetings(net).set_index('body_id')\n"
             "assert bool(m.loc['SH-B1', 'stalled'])\n"
             "m[['name', 'meetings', 'last_meeting', 'months_since_last', 'stalled']]"),
])

nb("06_change", [
    ("md", "# Change over time: what closed, what opened, who came out from behind the wall\n\n"
           "Departments assess every year (年度考核, 述职评议) and write about change. `demo_next` "
           "is the demo district a year later, made by `synthetic.next_year` with changes "
           "planted and their truth shipped in `datasets/demo_next/truth`: gaps closed and "
           "opened, walled-in units that joined a project, linked units that dropped their "
           "ties, and units a ledger renumbered (matched by name)."),
    ("code", SETUP),
    ("code", "before, after = pg.load_example('demo'), pg.load_example('demo_next')\n"
             "c = pg.compare(before, after)\nc"),
    ("code", "pg.localise(c.headline[['measure_zh', 'value']], 'zh')"),
    ("md", "## Gaps closed and opened, against the planted truth"),
    ("code", "truth = pg.example_path('demo_next') / 'truth'\n"
             "planted = pd.read_csv(truth / 'changes_gaps.csv', dtype=str)\n"
             "found = c.gaps[c.gaps['change'] != 'persisting'][['rule', 'entity_id', 'change']]\n"
             "assert set(map(tuple, found.to_numpy())) == set(map(tuple, planted.to_numpy()))\n"
             "c.gaps[c.gaps['change'] != 'persisting'][['rule_zh', 'entity_id', 'name', "
             "'change', 'action_zh']]"),
    ("md", "## Who came out from behind the wall (and who went back)"),
    ("code", "status = pd.read_csv(truth / 'changes_status.csv', dtype=str).fillna('')\n"
             "moved = c.statuses[c.statuses['change'] != 'unchanged']\n"
             "assert len(moved) == len(status)\n"
             "moved[['actor_id', 'name', 'status_before', 'status_after', 'direction', "
             "'matched_by']].head(12)"),
    ("md", "## Units a ledger renumbered are matched by name"),
    ("code", "c.matches[c.matches['matched_by'] == 'name']"),
    ("md", "## Rates: moved, but beyond chance?\n\nA rate's change is tested with Fisher's "
           "exact test: a community going from 7/9 to 8/9 has p = 1."),
    ("code", "r = c.rates[(c.rates['level'] == 'street') & "
             "(c.rates['measure'] == 'org_coverage')]\n"
             "r[['place', 'numerator_before', 'denominator_before', 'numerator_after',\n"
             "   'denominator_after', 'change', 'p', 'significant']]"),
    ("md", "## One data set over several years"),
    ("code", "t = pg.trend(before, years=[2020, 2021, 2022, 2023])\n"
             "t[(t['level'] == 'overall') & t['measure'].isin(['org_coverage', 'walled_in'])]"),
    ("code", "import matplotlib\n\nmatplotlib.use('Agg')\n"
             "pg.plot_trend(t, 'org_coverage');"),
    ("md", "On the command line: `partygraph compare demo demo_next -o 对比` writes a Chinese "
           "report and workbook."),
])

