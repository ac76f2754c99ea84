"""The registry of analyses: each is declared once, and the assessment, the workbook, the
report and the tests follow the declarations.

An :class:`Analysis` names the step that runs it (a function of a :class:`Context`), the
tables it needs, the report section it belongs to and the result tables it produces. Each
result table is an :class:`Output`: its title in Chinese and English (the report heading and
the workbook sheet), which columns are rates (percent format) or key columns (shown first),
whether it is split into one sheet per value (gaps by rule), and header overrides.

Adding an analysis means writing it in its module and adding one declaration here, naming
the analyses whose results it reads (``after``): :func:`run` starts it once they are done,
beside another independent one when there is more than one core, unless it is declared
``alone`` (it uses every core itself, or much memory).

Examples
--------
>>> from partygraph.registry import ANALYSES, output
>>> [a.key for a in ANALYSES][:3]
['validation', 'coverage', 'walls']
>>> output("rates").percent
('rate',)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .errors import MissingTableError, PartygraphError

if TYPE_CHECKING:
    from .network import CoBuildingNetwork

__all__ = ["ANALYSES", "FUNCTIONS", "SECTIONS", "Analysis", "Context", "Output", "output"]


@dataclass(frozen=True)
class Output:
    """One result table of an analysis, as people see it."""

    key: str
    zh: str
    en: str
    sheet: bool = True
    report: bool = True
    page: int = 20
    percent: tuple[str, ...] = ()
    lead: tuple[str, ...] = ()
    headers: Mapping[str, str] = field(default_factory=dict)
    split_by: str | None = None

    def lead_first(self, df: pd.DataFrame, lang: str = "zh") -> tuple[pd.DataFrame, int]:
        """The table with its key columns first, and how many key columns it has (the
        report keeps them in view while the reader scrolls sideways)."""
        del lang  # both twins move together: localise picks the language
        bases = ["name"] if "name" in df.columns else []  # a name is always a key column
        for c in self.lead:  # "action_zh" means the action column, in either language
            base = c[:-3] if c.endswith(("_zh", "_en")) and c[:-3] in df.columns else c
            if base in df.columns and base not in bases:
                bases.append(base)
        lead = [x for b in bases for x in (b, f"{b}_zh", f"{b}_en") if x in df.columns]
        return df[lead + [c for c in df.columns if c not in lead]], len(bases)


@dataclass(frozen=True)
class Analysis:
    """One analysis of the assessment."""

    key: str
    zh: str
    en: str
    section: str
    run: Callable[[Context], None]
    outputs: tuple[Output, ...] = ()
    needs: tuple[str, ...] = ()
    functions: tuple[str, ...] = ()
    #: the analyses whose results this one reads (it starts when they are done)
    after: tuple[str, ...] = ()
    #: run with no other analysis beside it (it uses every core itself, or much memory)
    alone: bool = False


@dataclass
class Context:
    """What a step reads and writes: the network, the parameters, the tables made so far,
    the result objects (linkage, matches...), and the analyses that could not run."""

    net: CoBuildingNetwork
    params: dict
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    res: dict[str, Any] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)

    def guarded(self, key: str, fn: Callable[[], Any]) -> Any:
        """``fn()``, or None with the reason recorded when the data cannot support it."""
        try:
            return fn()
        except (MissingTableError, PartygraphError) as exc:
            self.unavailable[key] = str(exc)
            return None


#: Report sections in order: id, Chinese title, English title.
SECTIONS = (
    ("overview", "概览", "Overview"),
    ("coverage", "两个覆盖", "Coverage"),
    ("walls", "围墙内", "Walls"),
    ("linkage", "领域联系", "Domain linkage"),
    ("bodies", "大党委、共同体与项目", "Councils, bodies, projects"),
    ("matching", "需求与资源对接", "Matching needs and resources"),
    ("data", "数据检查", "Data validation"),
    ("method", "方法与参数", "Method and parameters"),
)


# ----------------------------------------------------------------------------- steps

def _validation(c: Context) -> None:
    net = c.net
    rep = net.report.copy()
    c.tables["validation"] = rep
    if len(rep):
        c.tables["validation_summary"] = rep.groupby(
            ["table", "severity", "problem", "problem_zh"], dropna=False).size().rename(
            "count").reset_index()
    c.tables["personal"] = net.personal.copy()
    c.tables["rejected"] = pd.DataFrame({
        "table": list(net.rejected), "rows": [len(v) for v in net.rejected.values()]},
        columns=["table", "rows"])
    c.tables["accounting"] = net.accounting.copy()


def _coverage(c: Context) -> None:
    from .coverage import count_discrepancies, coverage_gaps, coverage_rates, member_view

    net, rules = c.net, c.params["rules_object"]
    gaps = c.guarded("coverage", lambda: coverage_gaps(net, rules=rules))
    if gaps is None:
        return
    c.tables["gaps"] = gaps
    c.tables["gap_counts"] = gaps.groupby(
        ["rule", "rule_zh", "action", "action_zh"], sort=False, dropna=False).size().rename(
        "count").reset_index()
    c.tables["rates"] = coverage_rates(net, rules=rules)
    by_street = c.guarded("rates_by_street",
                          lambda: coverage_rates(net, by=["street", "domain"], rules=rules))
    if by_street is not None:
        c.tables["rates_by_street_domain"] = by_street
        c.tables["rates_by_street"] = coverage_rates(net, by="street", rules=rules)
        c.tables["rates_by_community"] = coverage_rates(net, by="community", rules=rules)
    if net.has("members"):
        mv = c.guarded("member_view", lambda: member_view(net))
        if mv is not None:
            c.tables["member_view"] = mv
    c.tables["count_discrepancies"] = count_discrepancies(net)
    net.forget_made("coverage_facts")  # no later step uses them (300 MB at 1M members)


def _walls(c: Context) -> None:
    from .ties import horizontal_ties
    from .walls import hub_dependence, participation_rates, service_reciprocity, walled_in_units

    net = c.net
    ties = c.guarded("walls", lambda: horizontal_ties(net))
    if ties is None:
        return
    c.res["ties"] = ties
    walls = walled_in_units(net, ties=ties)
    c.tables["walls_all"] = walls
    c.tables["walls"] = walls[walls["status"] != "linked"].reset_index(drop=True)
    by = "street" if net.has("regions") else None
    part = c.guarded("participation", lambda: participation_rates(net, by=by, ties=ties))
    if part is not None:
        c.tables["participation"] = part
    c.tables["participation_all"] = participation_rates(net, by=None, ties=ties)
    hubs = c.guarded("hub_dependence", lambda: hub_dependence(net, ties=ties))
    if hubs is not None:
        c.tables["hub_dependence"] = hubs
    rec = c.guarded("reciprocity", lambda: service_reciprocity(net, ties=ties))
    if rec is not None:
        n = len(rec)
        two = int(rec["two_way"].sum()) if n else 0
        c.tables["reciprocity"] = pd.DataFrame({
            "measure": ["service_pairs", "two_way", "one_way"],
            "measure_zh": ["有服务往来的共建单位对", "双向服务", "单向服务"],
            "measure_en": ["pairs of actors with service", "service both ways",
                           "service one way"],
            "value": [n, two, n - two]})


#: Betweenness sources sampled by the assessment above 5,000 actors (``pg.brokers`` itself
#: samples 1,000): 1.3 s instead of 7 s at 22,000 actors, enough to rank the brokers shown.
BROKER_SAMPLE = 200
#: ... but never more sources than 4×10⁷ tie visits allow (each source is one breadth-first
#: search over every tie), nor fewer than 20: at a million members (1.8 million ties) 24 s
#: of betweenness become 2–3 s. The sample is recorded in the parameters.
BROKER_VISITS = 40_000_000


def _linkage(c: Context) -> None:
    from .labels import linkage_measure
    from .linkage import brokers, domain_linkage

    net, ties = c.net, c.res.get("ties")
    if ties is None:
        return
    dl = c.guarded("linkage", lambda: domain_linkage(
        net, permutations=c.params["permutations"], seed=c.params["seed"], ties=ties))
    if dl is None:
        return
    c.res["linkage"] = dl
    ei = dl.ei.copy()
    sig = dl.significance
    if sig is not None:
        s = sig.set_index("measure")
        keys = [f"ei[{g}]" for g in ei["group"]]
        for col in ("null_mean", "null_low", "null_high", "z", "p"):
            ei[col] = s[col].reindex(keys).to_numpy()
        c.tables["linkage_significance"] = sig.assign(
            measure_zh=[linkage_measure(x, "zh") for x in sig["measure"]],
            measure_en=[linkage_measure(x, "en") for x in sig["measure"]])
    c.tables["ei_by_domain"] = ei
    m = dl.matrix.copy()
    m.insert(0, "group", m.index)
    c.tables["linkage_matrix"] = m.reset_index(drop=True)
    measures = ["ei_index", "ei_index_weighted", "orwg", "freeman"]
    c.tables["segregation"] = pd.DataFrame({
        "measure": measures,
        "measure_zh": [linkage_measure(x, "zh") for x in measures],
        "measure_en": [linkage_measure(x, "en") for x in measures],
        "value": [dl.ei_index, dl.ei_index_weighted, dl.orwg, dl.freeman]})
    sample = None
    if len(c.tables.get("walls_all", ())) > 5000:
        sample = int(np.clip(BROKER_VISITS // max(2 * len(ties), 1), 20, BROKER_SAMPLE))
    c.params["brokers_betweenness_sample"] = sample
    b = c.guarded("brokers", lambda: brokers(net, ties=ties, betweenness_sample=sample,
                                             top=100))
    if b is not None:
        c.tables["brokers"] = b


def _bodies(c: Context) -> None:
    from .bodies import body_assessment, body_meetings, council_representation
    from .projects import project_pipeline
    from .staffing import post_summary

    net = c.net
    co = c.guarded("councils", lambda: council_representation(net))
    if co is not None:
        c.tables["councils"] = co
    b = c.guarded("bodies", lambda: body_assessment(net))
    if b is not None:
        c.tables["bodies"] = b
    mt = c.guarded("meetings", lambda: body_meetings(net, per_year=c.params["meetings_per_year"],
                                                     stalled_months=c.params["stalled_months"]))
    if mt is not None and len(mt):
        c.tables["meetings"] = mt
    ps = c.guarded("posts", lambda: post_summary(net))
    if ps is not None and len(ps):
        c.tables["posts"] = ps
    by = "street" if net.has("regions") else None
    p = c.guarded("pipeline", lambda: project_pipeline(net, by=by))
    if p is not None:
        c.tables["pipeline"] = p
        c.tables["pipeline_all"] = project_pipeline(net, by=None)


def _needs(c: Context) -> None:
    from .measures import resource_totals, venue_area
    from .needs import need_items, needs_progress

    net = c.net
    items = need_items(net)
    # a list that records no progress at all (every need open, nobody claiming, nothing
    # closed) says nothing about claiming and solving: not computed rather than 0%
    recorded = len(items) and ((items["status"].fillna("open") != "open").any()
                               or items["claimed_by"].notna().any())
    if recorded:
        c.tables["needs_all"] = needs_progress(net, by=None)
        by = c.guarded("needs_by_community", lambda: needs_progress(net, by="community"))
        if by is not None:
            c.tables["needs_by_community"] = by
        body = needs_progress(net, by="body")
        if len(body):
            c.tables["needs_by_body"] = body
    if net.has("resources"):
        from .labels import label

        t = resource_totals(net)
        t["measure_zh"] = [label("measure", m) if isinstance(m, str) else "未填"
                           for m in t["measure"]]
        c.tables["resource_totals"] = t
        if net.has("regions"):
            v = venue_area(net, standard=c.params["venue_standard_m2"])
            if v["venues"].sum() > 0:
                c.tables["venue_area"] = v


def _matching(c: Context) -> None:
    from .arrays import release_memory
    from .matching import suggest_matches
    from .partners import suggest_partners
    from .wishes import match_wishes

    net = c.net
    m = c.guarded("matches", lambda: suggest_matches(net, within=c.params["within"]))
    if m is not None:
        c.res["matches"] = m
        c.tables["matches"] = m.suggestions
        c.tables["unmet"] = m.unmet
    release_memory()  # the three matchings one after another, each from a clean heap
    if net.has("members"):
        w = c.guarded("wishes", lambda: match_wishes(net))
        if w is not None:
            c.res["wishes"] = w
            c.tables["wishes"] = w.suggestions
        release_memory()
    # the 1.5 million scored pairs of a million members are not kept (no output shows them)
    p = c.guarded("partners", lambda: suggest_partners(net, candidates=False))
    if p is not None:
        c.res["partners"] = p
        c.tables["partners"] = p.suggestions


def _rate(rates: pd.DataFrame | None, measure: str) -> tuple[float, float]:
    if rates is None:
        return (np.nan, np.nan)
    r = rates[rates["measure"] == measure]
    if not len(r):
        return (np.nan, np.nan)
    return (float(r["numerator"].iloc[0]), float(r["denominator"].iloc[0]))


def _headline(c: Context) -> None:
    from .labels import RATE_TEXT

    t, net = c.tables, c.net
    rows: list[tuple] = []

    def add(code, zh, en, num, den=np.nan, value=None):
        if value is None:
            value = num / den if (np.isfinite(den) and den > 0) else (
                num if not np.isfinite(den) else np.nan)
        rows.append((code, zh, en, value, num, den))

    for tbl, zh in (("units", "单位"), ("orgs", "党组织"), ("members", "党员")):
        if net.has(tbl):
            add(f"n_{tbl}", f"{zh}数", f"{tbl}", float(len(net.tables[tbl])))
    if "walls_all" in t:
        add("n_actors", "共建单位数(单位及社区以下区域党组织)", "co-building units",
            float(len(t["walls_all"])))
    for m in ("org_coverage", "own_org_rate", "nonpublic_org_coverage", "social_org_coverage",
              "work_coverage", "community_coverage", "member_attachment"):
        num, den = _rate(t.get("rates"), m)
        if np.isfinite(den) and den > 0:
            add(m, RATE_TEXT[m][1], RATE_TEXT[m][0], num, den)
    if "gaps" in t:
        add("gaps", "覆盖缺口(条)", "coverage gaps", float(len(t["gaps"])))
    if "walls_all" in t:
        w = t["walls_all"]
        n = float(len(w))
        add("walled_in", "围墙内共建单位(无横向联系)", "walled-in co-building units",
            float((w["status"] == "walled_in").sum()), n)
        add("paper_only", "有协议无活动的共建单位", "paper-only co-building units",
            float((w["status"] == "paper_only").sum()), n)
    if "participation_all" in t and len(t["participation_all"]):
        p = t["participation_all"].iloc[0]
        add("taking_part", "参与共建的共建单位比例", "co-building units taking part",
            float(p["taking_part"]), float(p["actors"]))
    if c.res.get("linkage") is not None:
        add("ei_index", "领域 E-I 指数(全网)", "E-I index (whole network)", np.nan,
            value=c.res["linkage"].ei_index)
    if "pipeline_all" in t and len(t["pipeline_all"]):
        p = t["pipeline_all"].iloc[0]
        add("completion", "项目完成率(已完成/已启动)", "projects completed of launched",
            float(p["completed"]), float(p["launched"]))
    if "needs_all" in t and len(t["needs_all"]):
        nd = t["needs_all"].iloc[0]
        live = float(nd["posted"] - nd["cancelled"])
        add("needs_claimed", "需求认领率(已认领/已提单)", "needs claimed", float(nd["claimed"]),
            live)
        add("needs_solved", "需求办结率(已办结/已提单)", "needs solved", float(nd["solved"]),
            live)
        if nd["rated"] > 0:
            add("satisfaction", "群众满意度(1–5)", "satisfaction (1–5)", np.nan,
                value=float(nd["satisfaction"]))
    if "meetings" in t:
        judged = t["meetings"]["stalled"].dropna()
        if len(judged):
            add("stalled", "停摆的共同体/大党委", "bodies and councils that stalled",
                float(judged.sum()), float(len(judged)))
    if "posts" in t:
        known = t["posts"]["one_shoulder"].dropna()
        if len(known):
            add("one_shoulder", "“一肩挑”比例(社区/村)", "secretary also committee director",
                float(known.sum()), float(len(known)))
    if "venue_area" in t:
        v = t["venue_area"]
        add("venue_standard", "活动阵地面积达标的社区/村", "communities meeting the venue standard",
            float(v["meets_standard"].sum()), float(len(v)))
    if c.res.get("matches") is not None:
        m = c.res["matches"]
        add("matches", "推荐对接(条)", "suggested matches", float(len(m.suggestions)))
        add("unmet", "未完全满足的需求(待认领)", "open demands not fully met",
            float(len(m.unmet)), float(len(m.lists["需求清单"])))
    rep = t.get("validation")
    if rep is not None:
        add("data_errors", "数据错误(相应行已搁置)", "data errors (rows set aside)",
            float((rep["severity"] == "error").sum()))
        add("data_warnings", "数据提示", "data warnings",
            float((rep["severity"] == "warning").sum()))
    t["headline"] = pd.DataFrame(rows, columns=["measure", "measure_zh", "measure_en",
                                                "value", "numerator", "denominator"])


# ----------------------------------------------------------------------------- declarations

_PLACE = ("name", "street", "community")
_RATE = ("rate",)

ANALYSES: tuple[Analysis, ...] = (
    Analysis("validation", "汇总数据问题", "validation summary", "data", _validation, (
        Output("validation_summary", "问题汇总", "Problems by kind", sheet=False),
        Output("validation", "数据问题", "Every data problem", lead=("problem_zh",)),
        Output("rejected", "被搁置的行", "Rows set aside", headers={"rows": "被搁置行数"}),
        Output("accounting", "读取行数核对", "Rows read, loaded, set aside"),
        Output("personal", "已排除的个人信息列", "Personal-data columns removed",
               headers={"column": "列", "reason": "原因"}),
    ), functions=("validate",)),
    Analysis("coverage", "覆盖分析", "coverage", "coverage", _coverage, (
        Output("rates", "覆盖率", "Coverage rates", page=15, percent=_RATE),
        Output("rates_by_street_domain", "覆盖率-街道领域", "Rates by street and domain",
               percent=_RATE),
        Output("gap_counts", "缺口汇总", "Gaps by rule", page=15),
        Output("gaps", "缺口清单(含整改措施)", "Every gap, with its action", page=25,
               lead=("name", "street", "community", "action_zh"), split_by="rule"),
        Output("member_view", "党员双重管理", "Members by community (dual management)"),
        Output("count_discrepancies", "党员数不一致", "Units whose records and count disagree"),
    ), needs=("units", "orgs"), functions=("coverage_gaps", "coverage_rates", "member_view",
                                           "count_discrepancies")),
    Analysis("walls", "围墙内与横向联系", "walls and ties", "walls", _walls, (
        Output("walls", "围墙内与有协议无活动单位", "Walled-in and paper-only units", page=25,
               lead=(*_PLACE, "status")),
        Output("participation", "参与率", "Taking part, by street",
               percent=("rate_taking_part", "rate_linked")),
        Output("hub_dependence", "枢纽依赖", "Hub dependence",
               percent=("share_of_ties", "cut_off_share", "largest_component_share_before",
                        "largest_component_share_after")),
        Output("reciprocity", "服务往来", "Service both ways", sheet=False),
    ), needs=("units", "orgs"), functions=("horizontal_ties", "walled_in_units",
                                           "participation_rates", "hub_dependence",
                                           "service_reciprocity")),
    Analysis("linkage", "领域联系与置换检验", "linkage and permutations", "linkage", _linkage, (
        Output("ei_by_domain", "领域开放度", "E-I by domain", headers={"measure": "范围"}),
        Output("linkage_matrix", "领域联系矩阵", "Linkage matrix (summed weights)",
               headers={"group": "领域", "community": "社区"}),  # the domain, as in its rows
        Output("segregation", "隔离指数", "Segregation indices", sheet=False,
               headers={"value": "数值"}),
        Output("linkage_significance", "置换检验", "Permutation tests", sheet=False),
        Output("brokers", "桥梁单位", "Brokers (top 100)"),
    ), needs=("units", "orgs"), functions=("domain_linkage", "brokers", "brokerage_roles"),
        after=("walls",), alone=True),
    Analysis("bodies", "大党委、共同体与项目", "councils, bodies, projects", "bodies", _bodies, (
        Output("councils", "大党委", "Council seats and resident units",
               percent=("share_represented",), headers={"name": "大党委", "region": "所在区域"}),
        Output("bodies", "共同体评估", "Co-building bodies, scored",
               headers={"members": "成员单位数", "name": "共同体"}),
        Output("meetings", "联席会议与停摆", "Meetings, stalled bodies, rotation",
               lead=("name", "stalled", "rotates"),
               headers={"members": "成员单位数", "kind": "类型", "body_id": "编码"}),
        Output("posts", "交叉任职与一肩挑", "Posts: one person two posts, cross-posts",
               lead=("community", "one_shoulder")),
        Output("pipeline", "项目进展", "Project pipeline", percent=("completion_rate",)),
    ), needs=("units", "orgs"), functions=("council_representation", "body_assessment",
                                           "body_meetings", "post_summary",
                                           "project_pipeline")),
    Analysis("needs", "需求办理与资源计量", "needs to their close, measures", "matching", _needs, (
        Output("needs_by_community", "需求办理(按社区)", "Needs by community: claimed, solved",
               percent=("claim_rate", "solve_rate"), lead=("community",)),
        Output("needs_by_body", "需求办理(按共同体)", "Needs by body: claimed, solved",
               percent=("claim_rate", "solve_rate"), headers={"name": "共同体"}),
        Output("resource_totals", "资源清单合计", "Resources added up by measure",
               headers={"measure": "计量单位", "quantity": "合计数量"}),
        Output("venue_area", "活动阵地面积", "Venue area per community against the standard",
               lead=("community", "meets_standard")),
    ), needs=("units", "orgs"), functions=("needs_progress", "resource_totals", "venue_area")),
    Analysis("matching", "需求与资源对接", "matching", "matching", _matching, (
        Output("matches", "推荐对接", "Suggested matches"),
        Output("unmet", "未满足需求", "Unmet demands", lead=("why_zh",)),
        Output("partners", "结对建议", "Partners for walled-in and paper-only units"),
        Output("wishes", "微心愿认领建议", "Wishes and demands to members (pseudonymous ids)"),
    ), needs=("units", "orgs"), functions=("suggest_matches", "match_wishes",
                                           "suggest_partners"),
        after=("walls",), alone=True),  # the ties the walls made, kept by the network
    Analysis("headline", "汇总主要指标", "headline figures", "overview", _headline, (
        Output("headline", "概况", "Summary", report=False),
    ), after=("validation", "coverage", "walls", "linkage", "bodies", "needs", "matching")),
)

def outputs() -> list[Output]:
    """Every output in the order of the report's sections (the workbook's sheet order)."""
    order = {sid: i for i, (sid, _, _) in enumerate(SECTIONS)}
    pairs = [(order[a.section], o) for a in ANALYSES for o in a.outputs]
    return [o for _, o in sorted(pairs, key=lambda p: p[0])]


def output(key: str) -> Output:
    """The declaration of one result table."""
    for o in outputs():
        if o.key == key:
            return o
    return Output(key, key, key, sheet=False)


def run(net: CoBuildingNetwork, params: dict, progress: Callable | None = None) -> Context:
    """Run every declared analysis over ``net`` (``progress(key, zh, en, fn)`` wraps each
    step, e.g. to time and show it).

    An analysis starts once those it comes ``after`` are done, the first that can in the
    declared order. With more than one thread (``pg.config.threads``), one runs beside
    another that does not depend on it, unless either is declared ``alone``: coverage
    beside the walls, for instance, each on a core of its own for the work that lets go of
    Python's lock. Each writes into a context of its own, gathered in the declared order, so
    what the assessment holds does not depend on which ran first."""
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    from ._threads import threads

    c = Context(net, params)
    made: dict[str, tuple[dict, dict, dict]] = {}  # what each analysis added, by key
    done: set[str] = set()

    def step(a: Analysis, sub: Context) -> Context:
        if progress is None:
            a.run(sub)
        else:
            progress(a.key, a.zh, a.en, lambda: a.run(sub))
        return sub

    def start(a: Analysis) -> tuple[Analysis, Context, tuple]:
        snap = (dict(c.tables), dict(c.res), dict(c.unavailable))
        return a, Context(net, params, *(dict(x) for x in snap)), snap

    def gather(a: Analysis, sub: Context, snap: tuple) -> None:
        new = tuple({k: v for k, v in now.items() if k not in old or old[k] is not v}
                    for now, old in zip((sub.tables, sub.res, sub.unavailable), snap,
                                        strict=True))
        made[a.key] = new
        for into, add in zip((c.tables, c.res, c.unavailable), new, strict=True):
            into.update(add)
        done.add(a.key)

    todo = list(ANALYSES)
    width = min(2, threads())
    with ThreadPoolExecutor(width) as pool:
        running: dict[Any, tuple] = {}
        while todo or running:
            before = len(todo)
            for a in list(todo):  # the first that can start, in the declared order
                if len(running) >= width:
                    break
                if not set(a.after) <= done or (running and (
                        a.alone or any(r[0].alone for r in running.values()))):
                    continue
                todo.remove(a)
                missing = [t for t in a.needs if not net.has(t)]
                if missing:
                    made[a.key] = ({}, {}, {a.key: str(MissingTableError(missing[0], a.key))})
                    c.unavailable.update(made[a.key][2])
                    done.add(a.key)
                    continue
                a, sub, snap = start(a)
                if width == 1:
                    gather(a, step(a, sub), snap)
                else:
                    running[pool.submit(step, a, sub)] = (a, snap)
            if not running and len(todo) == before:  # a declaration naming no analysis
                raise RuntimeError(f"analyses that can never start: {[a.key for a in todo]}")
            if running:
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for f in finished:
                    a, snap = running.pop(f)
                    gather(a, f.result(), snap)
    # the results in the declared order, as one after another would have made them
    for i, into in enumerate((c.tables, c.res, c.unavailable)):
        ordered = {k: v for a in ANALYSES for k, v in made.get(a.key, ({}, {}, {}))[i].items()}
        ordered.update({k: v for k, v in into.items() if k not in ordered})
        into.clear()
        into.update(ordered)
    return c


def _zoo_call(name: str) -> Callable[[CoBuildingNetwork], Any]:
    import partygraph as pg

    special = {
        "domain_linkage": lambda n: pg.domain_linkage(n, permutations=5, seed=0),
        "participation_rates": lambda n: pg.participation_rates(n, by="domain"),
        "project_pipeline": lambda n: pg.project_pipeline(n, by=None),
        "validate": lambda n: pg.validate(dict(n.tables)),
    }
    return special.get(name, getattr(pg, name))


def functions() -> dict[str, Callable[[CoBuildingNetwork], Any]]:
    """Every public analysis behind the declarations, callable on a network with its
    defaults (what the zoo test runs over its edge cases)."""
    return {name: _zoo_call(name) for a in ANALYSES for name in a.functions}


FUNCTIONS = tuple(name for a in ANALYSES for name in a.functions)
