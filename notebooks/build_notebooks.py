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
    ("md", "## The 大党委 and how representative it is"),
    ("code", "pg.council_representation(net)"),
    ("md", "## 三三制 and the 20-member branch norm (the Jiangbei rule preset)"),
    ("code", "rules = pg.CoverageRules.preset('jiangbei')\n"
             "gaps = pg.coverage_gaps(net, rules)\n"
             "gaps[['rule_zh', 'name', 'evidence_zh', 'action_zh']]"),
    ("md", "## 联合制: small non-public organisations covered by the joint branch"),
    ("code", "rates = pg.coverage_rates(net, rules=rules)\n"
             "rates[['measure_zh', 'numerator', 'denominator', 'rate']]"),
])

nb("02_yongan", [
    ("md", "# Yong'an (福建永安): 大工委/大党委 and the 三单制 service\n\n"
           "\"居民提单、党组织下单、党员接单\": residents post a wish, the community org passes it "
           "on, a member with the right skill who lives in or is registered with the "
           "community claims it. 4 大工委 with 23 part-time members, 13 大党委 with 46."),
    ("code", SETUP),
    ("code", "net = pg.load_example('yongan')\nnet"),
    ("code", "seats = pg.council_representation(net)\n"
             "seats[['name', 'seats', 'resident_units', 'share_represented']]"),
    ("code", "links = net.tables['links']\n"
             "orgs = net.tables['orgs'].set_index('id')\n"
             "council = links[links['kind'] == 'council']\n"
             "by_level = council['target'].map(orgs['kind']).value_counts()\n"
             "print(by_level)  # 23 on street working committees, 46 on community committees\n"
             "assert by_level.to_dict() == {'committee': 46, 'working_committee': 23}"),
    ("md", "## 三单制: wishes to members"),
    ("code", "w = pg.match_wishes(net, capacity=1)\nw"),
    ("code", "w.suggestions[['item_id', 'requester', 'member_id', 'skills_matched', 'via', "
             "'reason_zh']].head(10)"),
    ("code", "w.unmet[['item_id', 'skills', 'why_zh']]  # nobody can teach 书法"),
    ("md", "## Mutual resource and need lists (资源清单/需求清单): shared venues"),
    ("code", "m = pg.suggest_matches(net, within='district')\n"
             "m.lists['需求清单'][['demand_id', 'requester', 'category_zh', 'status', "
             "'matched_with']].head(15)"),
])

nb("03_longyan", [
    ("md", "# Longyan (福建龙岩): 兼合式 estate organisations\n\nThe report gives 1,469 "
           "estates with 1,250 estate orgs (85.1%), 37,455 in-service members reporting to "
           "their estates, and 2,533 of 2,770 launched projects completed (91.4%). The case "
           "data scales these to one street."),
    ("code", SETUP),
    ("code", "net = pg.load_example('longyan')\nnet"),
    ("code", "rules = pg.CoverageRules.preset('longyan')\n"
             "rates = pg.coverage_rates(net, rules=rules).set_index('measure')\n"
             "rates.loc[['estate_coverage', 'registration'], ['measure_zh', 'numerator', "
             "'denominator', 'rate']]"),
    ("code", "est = rates.loc['estate_coverage', 'rate']\n"
             "print(f'estate coverage {est:.1%} (report: {1250 / 1469:.1%})')\n"
             "assert abs(est - 1250 / 1469) < 0.001"),
    ("code", "gaps = pg.coverage_gaps(net, rules)\n"
             "gaps.loc[gaps['rule'] == 'estate_without_org', ['name', 'evidence_zh', "
             "'action_zh']]"),
    ("md", "## Project completion"),
    ("code", "p = pg.project_pipeline(net, by=None)\np"),
    ("code", "print(f\"completed {p.loc[0, 'completion_rate']:.1%} of launched "
             "(report: {2533 / 2770:.1%})\")"),
    ("code", "import matplotlib\n\nmatplotlib.use('Agg')\n"
             "pg.plot_pipeline(net, by='community');"),
    ("md", "## 红色业委会: cross-posts between estate orgs and owners' committees"),
    ("code", "ties = pg.horizontal_ties(net)\nties['kind'].value_counts()"),
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
    ("md", "## Items claimed (认领) singly or by groups"),
    ("code", "pg.project_pipeline(net, by=None)"),
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
    ("code", "pg.council_representation(net)[['name', 'seats', 'resident_units',\n"
             "                               'share_represented', 'dissimilarity']]"),
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
])
