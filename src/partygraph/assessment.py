"""The assessment: every analysis in one run, written as an offline report and a workbook.

:func:`assess` validates the data and runs coverage, walls, linkage (with label
permutations), councils, bodies and projects, and matching, with the rules and window you
set. It returns an :class:`Assessment`, which holds every result table (English column
names, codes), the method and parameters, what could not be computed and why (a table the
data set lacks), and the time each step took. ``Assessment.write(dir)`` writes:

- ``report.html``: one self-contained file (scripts, styles and figures inline, a Content
  Security Policy that forbids loading anything), Chinese or English, tables sortable and
  searchable, every label escaped;
- ``assessment.xlsx``: one sheet per list with Chinese (or English) headers, ready to send
  to streets, text that looks like a formula kept as text;
- ``network.html``: the interactive network on its own.

Member-level rows (unattached, unmanaged or unregistered members; wish claims) carry the
members' pseudonymous ids only: no member column other than those the analyses compute
reaches a report, and columns recognised as personal data were dropped at loading.

Examples
--------
>>> import tempfile, partygraph as pg
>>> a = pg.assess(pg.load_example("demo"), permutations=20)
>>> sorted(p.name for p in a.write(tempfile.mkdtemp()).values())
['assessment.xlsx', 'network.html', 'report.html']
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .errors import MissingTableError, PartygraphError
from .labels import check_lang, localise
from .settings import config

if TYPE_CHECKING:
    from .coverage import CoverageRules
    from .interactive import NetworkView
    from .linkage import DomainLinkage
    from .matching import MatchResult
    from .network import CoBuildingNetwork

__all__ = ["Assessment", "assess"]


class _Steps:
    """Progress of the assessment's steps on stderr (only when asked)."""

    def __init__(self, total: int, show: bool) -> None:
        self.total, self.show, self.done = total, show, 0
        self.timings: dict[str, float] = {}

    def run(self, key: str, zh: str, en: str, fn: Callable[[], object]) -> object:
        self.done += 1
        t0 = time.perf_counter()
        if self.show:
            print(f"[{self.done}/{self.total}] {zh} {en} …", end="", file=sys.stderr,
                  flush=True)
        try:
            return fn()
        finally:
            self.timings[key] = time.perf_counter() - t0
            if self.show:
                print(f" {self.timings[key]:.1f} s", file=sys.stderr, flush=True)


@dataclass
class Assessment:
    """Every result of :func:`assess`, with the method and parameters that made it.

    Attributes
    ----------
    tables : dict of str to DataFrame
        Result tables by key (English columns and codes): ``headline``, ``rates``,
        ``rates_by_street_domain``, ``rates_by_community``, ``gaps``, ``gap_counts``,
        ``member_view``, ``count_discrepancies``, ``walls``, ``participation``,
        ``hub_dependence``, ``reciprocity``, ``ei_by_domain``, ``linkage_significance``,
        ``segregation``, ``brokers``, ``councils``, ``bodies``, ``pipeline``, ``matches``,
        ``unmet``, ``partners``, ``wishes``, ``validation``, ``personal``, ``rejected``.
    linkage : DomainLinkage or None
    matches, wishes, partners : MatchResult or None
    ties : DataFrame or None
        The horizontal ties (with crossings) the walls and linkage used.
    unavailable : dict of str to str
        Analyses that could not run, with the reason (Chinese / English).
    params : dict
        Rules (preset and every threshold), window, permutations, seed, matching level.
    timings : dict of str to float
        Seconds per step.
    source : str
    created : str
    """

    net: CoBuildingNetwork = field(repr=False)
    tables: dict[str, pd.DataFrame]
    linkage: DomainLinkage | None = None
    matches: MatchResult | None = None
    wishes: MatchResult | None = None
    partners: MatchResult | None = None
    ties: pd.DataFrame | None = field(default=None, repr=False)
    unavailable: dict[str, str] = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    source: str = ""
    created: str = ""
    method: str = "partygraph assessment"

    def __repr__(self) -> str:
        gaps = len(self.tables.get("gaps", ()))
        rules = self.params.get("rules", {}).get("name", "")
        return (f"<Assessment of {self.source or 'a network'}: {gaps:,} gaps, "
                f"{len(self.unavailable)} analyses unavailable, rules {rules}, "
                f"{self.params.get('permutations')} permutations>")

    # ------------------------------------------------------------------ views
    def table(self, key: str, lang: str = "zh") -> pd.DataFrame:
        """One result table for people: headers and codes in ``lang``."""
        df = self.tables[key]
        return localise(df, lang, _HEADERS.get(key))

    def network_view(self, lang: str = "zh", **kwargs: object) -> NetworkView:
        """The interactive network of the assessed data (see
        :func:`partygraph.network_view`), reusing its ties; made once per language."""
        from .interactive import network_view
        from .walls import actor_statuses

        cache = self.__dict__.setdefault("_views", {})
        key = (lang, tuple(sorted((k, repr(v)) for k, v in kwargs.items())))
        if key in cache:
            return cache[key]

        walls = None
        if self.ties is not None:
            walls = actor_statuses(self.net, self.params["window"], ties=self.ties)
        kwargs.setdefault("window", self.params["window"])
        if self.ties is not None and "region" not in kwargs:
            kwargs.setdefault("ties", self.ties)
            kwargs.setdefault("walls", walls)
        cache[key] = network_view(self.net, lang=lang, seed=self.params.get("seed", 1),
                                  **kwargs)
        return cache[key]

    def sheets(self, lang: str = "zh") -> dict[str, pd.DataFrame]:
        """The workbook's sheets: name → localised table."""
        check_lang(lang)
        out: dict[str, pd.DataFrame] = {}
        for key, zh, en in _SHEETS:
            if key == "gaps":
                gaps = self.tables.get("gaps")
                if gaps is None:
                    continue
                for rule, part in gaps.groupby("rule", sort=False):
                    name = (f"缺口-{part['rule_zh'].iloc[0]}" if lang == "zh"
                            else f"gap-{rule}")
                    out[_sheet_name(name, out)] = localise(
                        part.drop(columns=["rule", "rule_zh"]), lang).reset_index(drop=True)
                continue
            if key in self.tables:
                out[_sheet_name(zh if lang == "zh" else en, out)] = self.table(key, lang)
        return out

    # ------------------------------------------------------------------ writing
    def to_excel(self, path: str | Path, lang: str = "zh") -> Path:
        """Write the workbook: one sheet per list, safe to send on (formula-like text
        stays text, ids keep their leading zeros, columns wide enough for Chinese)."""
        from .writing import write_xlsx

        sheets = self.sheets(lang)
        title = ("区域化党建评估" if lang == "zh" else "Co-building assessment")
        notes = {name: f"{title} · {name} · {len(df):,} {'行' if lang == 'zh' else 'rows'}"
                 for name, df in sheets.items()}
        return write_xlsx(path, sheets, notes=notes)

    def to_html(self, path: str | Path | None = None, lang: str = "zh") -> str:
        """The self-contained HTML report (written to ``path`` when given, in UTF-8)."""
        from .report import render

        text = render(self, lang)
        if path is not None:
            from .writing import output_file

            output_file(path).write_text(text, encoding="utf-8")
        return text

    def write(self, directory: str | Path, lang: str = "zh") -> dict[str, Path]:
        """Write ``report.html``, ``assessment.xlsx`` and ``network.html`` to a folder."""
        from .writing import output_dir

        d = Path(directory)
        if d.suffix.lower() in (".html", ".xlsx"):
            raise PartygraphError(f"{d}: give a folder / 请给出文件夹路径")
        d = output_dir(d)
        steps = _Steps(3, self.params.get("progress", False))
        out = {
            "report": steps.run("write_report", "写报告", "report.html",
                                lambda: (self.to_html(d / "report.html", lang),
                                         d / "report.html")[1]),
            "workbook": steps.run("write_workbook", "写工作簿", "assessment.xlsx",
                                  lambda: self.to_excel(d / "assessment.xlsx", lang)),
        }
        if "network" not in self.unavailable:
            out["network"] = steps.run("write_network", "写网络图", "network.html",
                                       lambda: self.network_view(lang).write(
                                           d / "network.html"))
        self.timings.update(steps.timings)
        return out


def _sheet_name(name: str, taken: dict) -> str:
    for ch in "[]:*?/\\":
        name = name.replace(ch, "-")
    name = name[:31]
    base, i = name, 2
    while name in taken:
        name = f"{base[:28]}~{i}"
        i += 1
    return name


#: Workbook sheets in order: table key, Chinese name, English name. "gaps" is split by rule.
_SHEETS = [
    ("headline", "概况", "summary"),
    ("rates", "覆盖率", "rates"),
    ("rates_by_street_domain", "覆盖率-街道领域", "rates by street, domain"),
    ("gap_counts", "缺口汇总", "gap counts"),
    ("gaps", "", ""),
    ("walls", "围墙内与仅纸面单位", "walled-in and paper-only"),
    ("participation", "参与率", "participation"),
    ("hub_dependence", "枢纽依赖", "hub dependence"),
    ("ei_by_domain", "领域开放度", "E-I by domain"),
    ("linkage_matrix", "领域联系矩阵", "linkage matrix"),
    ("brokers", "桥梁主体", "brokers"),
    ("matches", "推荐对接", "suggested matches"),
    ("unmet", "未满足需求", "unmet demands"),
    ("partners", "结对建议", "partner suggestions"),
    ("wishes", "微心愿认领建议", "wish claims"),
    ("councils", "大党委", "councils"),
    ("bodies", "共同体评估", "bodies"),
    ("pipeline", "项目进展", "projects"),
    ("member_view", "党员双重管理", "members by community"),
    ("count_discrepancies", "党员数不一致", "count discrepancies"),
    ("validation", "数据问题", "data problems"),
    ("personal", "已排除的个人信息列", "personal columns removed"),
]

#: Headers that differ from the general map in one table.
_HEADERS: dict[str, dict[str, str]] = {
    "bodies": {"members": "成员主体数", "name": "共同体"},
    "councils": {"name": "大党委", "region": "所在区域"},
    "ei_by_domain": {"measure": "范围"},
    "headline": {"label": "指标", "value": "数值"},
    "personal": {"column": "列", "reason": "原因"},
    "rejected": {"rows": "被搁置行数"},
    "linkage_matrix": {"group": "领域"},
    "segregation": {"value": "数值"},
}


# ------------------------------------------------------------------------------ assess


def _load(source: object, strict: bool, window: object) -> CoBuildingNetwork:
    from .dataset import read_dataset
    from .network import CoBuildingNetwork

    if isinstance(source, CoBuildingNetwork):
        return source if window is None else source.with_window(*source.resolve_window(window))
    return read_dataset(source, strict=strict, window=window)


def assess(
    source: CoBuildingNetwork | str | Path,
    *,
    rules: CoverageRules | str | None = None,
    window: object = None,
    permutations: int = 200,
    seed: int = 1,
    within: str = "street",
    strict: bool = False,
    progress: bool | None = None,
) -> Assessment:
    """Run every analysis of a co-building network and gather the results.

    Parameters
    ----------
    source : CoBuildingNetwork, or a path (CSV folder or workbook)
        A path is read with :func:`read_dataset`; bad rows are set aside and listed in the
        report (``strict=True`` raises :class:`DataValidationError` instead).
    rules : CoverageRules or str, optional
        Coverage rules: a preset (``national`` default, ``longyan``, ``jiangbei``), a
        :class:`CoverageRules`, or a YAML/JSON rules file's path.
    window : tuple, optional
        ``(start, end)`` of the analysis; links, projects and orgs count when active in it.
    permutations : int
        Label permutations behind the linkage significance (0 skips them).
    seed : int
        Seed of the permutations and the network layout (same seed, same report).
    within : str
        Region level within which needs are matched to resources (``street`` default).
    strict : bool
        Raise on any data error instead of setting bad rows aside.
    progress : bool, optional
        Show each step on stderr (default ``pg.config.progress``).

    Returns
    -------
    Assessment

    Examples
    --------
    >>> import partygraph as pg
    >>> a = pg.assess(pg.load_example("jiangbei"), rules="jiangbei", permutations=0)
    >>> "building_without_group" in set(a.tables["gaps"]["rule"])
    True
    """
    from .coverage import CoverageRules

    show = config.progress if progress is None else progress
    steps = _Steps(8, show)
    net = steps.run("load", "读取与检查数据", "reading and validating",
                    lambda: _load(source, strict, window))
    if isinstance(rules, str | Path) and (Path(str(rules)).suffix.lower() in
                                          (".yaml", ".yml", ".json")):
        rules = CoverageRules.from_file(rules)
    elif isinstance(rules, str):
        rules = CoverageRules.preset(rules)
    elif rules is None:
        rules = CoverageRules.preset("national")
    win = net.window
    params = {"rules": rules.to_dict(), "window": win, "permutations": permutations,
              "seed": seed, "within": within, "strict": strict, "progress": show}
    tables: dict[str, pd.DataFrame] = {}
    unavailable: dict[str, str] = {}
    res: dict[str, object] = {}

    def guarded(key: str, fn: Callable[[], object]) -> object:
        try:
            return fn()
        except (MissingTableError, PartygraphError) as exc:
            unavailable[key] = str(exc)
            return None

    steps.run("validation", "汇总数据问题", "validation summary",
              lambda: _validation(net, tables))
    steps.run("coverage", "覆盖分析", "coverage",
              lambda: _coverage(net, rules, tables, guarded))
    steps.run("walls", "围墙内与横向联系", "walls and ties",
              lambda: _walls(net, tables, res, guarded))
    steps.run("linkage", "领域联系与置换检验", "linkage and permutations",
              lambda: _linkage(net, tables, res, guarded, permutations, seed))
    params["brokers_betweenness_sample"] = res.get("brokers_betweenness_sample")
    steps.run("bodies", "大党委、共同体与项目", "councils, bodies, projects",
              lambda: _bodies(net, tables, guarded))
    steps.run("matching", "需求与资源对接", "matching",
              lambda: _matching(net, tables, res, guarded, within))
    a = Assessment(net, tables, linkage=res.get("linkage"), matches=res.get("matches"),
                   wishes=res.get("wishes"), partners=res.get("partners"),
                   ties=res.get("ties"), unavailable=unavailable, params=params,
                   source=str(getattr(net, "source", "") or ""),
                   created=dt.datetime.now().strftime("%Y-%m-%d %H:%M"))
    steps.run("headline", "汇总主要指标", "headline figures", lambda: _headline(a))
    a.timings = steps.timings
    return a


def _validation(net: CoBuildingNetwork, tables: dict) -> None:
    rep = net.report.copy()
    tables["validation"] = rep
    tables["personal"] = net.personal.copy()
    tables["rejected"] = pd.DataFrame({
        "table": list(net.rejected), "rows": [len(v) for v in net.rejected.values()]},
        columns=["table", "rows"])


def _coverage(net, rules, tables, guarded) -> None:
    from .coverage import count_discrepancies, coverage_gaps, coverage_rates, member_view

    gaps = guarded("coverage", lambda: coverage_gaps(net, rules=rules))
    if gaps is None:
        return
    tables["gaps"] = gaps
    counts = gaps.groupby(["rule", "rule_zh", "action", "action_zh"], sort=False,
                          dropna=False).size().rename("count").reset_index()
    tables["gap_counts"] = counts
    tables["rates"] = coverage_rates(net, rules=rules)
    by_street = guarded("rates_by_street",
                        lambda: coverage_rates(net, by=["street", "domain"], rules=rules))
    if by_street is not None:
        tables["rates_by_street_domain"] = by_street
        tables["rates_by_street"] = coverage_rates(net, by="street", rules=rules)
        tables["rates_by_community"] = coverage_rates(net, by="community", rules=rules)
    if net.has("members"):
        mv = guarded("member_view", lambda: member_view(net))
        if mv is not None:
            tables["member_view"] = mv
    cd = count_discrepancies(net)
    tables["count_discrepancies"] = cd


def _walls(net, tables, res, guarded) -> None:
    from .ties import horizontal_ties
    from .walls import hub_dependence, participation_rates, service_reciprocity, walled_in_units

    ties = guarded("walls", lambda: horizontal_ties(net))
    if ties is None:
        return
    res["ties"] = ties
    walls = walled_in_units(net, ties=ties)
    tables["walls_all"] = walls
    tables["walls"] = walls[walls["status"] != "linked"].reset_index(drop=True)
    by = "street" if net.has("regions") else None
    part = guarded("participation", lambda: participation_rates(net, by=by, ties=ties))
    if part is not None:
        if "street_id" in part.columns:
            names = net.tables["regions"].set_index("id")["name"]
            part.insert(1, "street", part["street_id"].map(names))
        tables["participation"] = part
    tables["participation_all"] = participation_rates(net, by=None, ties=ties)
    hubs = guarded("hub_dependence", lambda: hub_dependence(net, ties=ties))
    if hubs is not None:
        tables["hub_dependence"] = hubs
    rec = guarded("reciprocity", lambda: service_reciprocity(net, ties=ties))
    if rec is not None:
        n = len(rec)
        two = int(rec["two_way"].sum()) if n else 0
        tables["reciprocity"] = pd.DataFrame({
            "measure": ["service_pairs", "two_way", "one_way"],
            "measure_zh": ["有服务往来的主体对", "双向服务", "单向服务"],
            "measure_en": ["pairs of actors with service", "service both ways",
                           "service one way"],
            "value": [n, two, n - two]})


#: Betweenness sources sampled by the assessment above 5,000 actors (``pg.brokers`` itself
#: samples 1,000): 1.3 s instead of 7 s at 22,000 actors, enough to rank the brokers shown.
BROKER_SAMPLE = 200


def _linkage(net, tables, res, guarded, permutations, seed) -> None:
    from .linkage import brokers, domain_linkage

    ties = res.get("ties")
    if ties is None:
        return
    dl = guarded("linkage", lambda: domain_linkage(net, permutations=permutations,
                                                   seed=seed, ties=ties))
    if dl is None:
        return
    res["linkage"] = dl
    ei = dl.ei.copy()
    sig = dl.significance
    if sig is not None:
        s = sig.set_index("measure")
        keys = [f"ei[{g}]" for g in ei["group"]]
        for c in ("null_mean", "null_low", "null_high", "z", "p"):
            ei[c] = s[c].reindex(keys).to_numpy()
        tables["linkage_significance"] = sig
    tables["ei_by_domain"] = ei
    m = dl.matrix.copy()
    m.insert(0, "group", m.index)
    tables["linkage_matrix"] = m.reset_index(drop=True)
    tables["segregation"] = pd.DataFrame({
        "measure": ["ei_index", "ei_index_weighted", "orwg", "freeman"],
        "measure_zh": ["E-I 指数(全网)", "加权 E-I 指数", "ORWG 同质性比", "Freeman 隔离指数"],
        "measure_en": ["E-I index (whole network)", "E-I index, weighted",
                       "ORWG (odds ratio of within-group ties)", "Freeman segregation index"],
        "value": [dl.ei_index, dl.ei_index_weighted, dl.orwg, dl.freeman]})
    n_actors = len(tables.get("walls_all", ()))
    sample = BROKER_SAMPLE if n_actors > 5000 else None
    res["brokers_betweenness_sample"] = sample
    b = guarded("brokers", lambda: brokers(net, ties=ties, betweenness_sample=sample))
    if b is not None:
        tables["brokers"] = b.head(100).reset_index(drop=True)


def _bodies(net, tables, guarded) -> None:
    from .bodies import body_assessment, council_representation, project_pipeline

    c = guarded("councils", lambda: council_representation(net))
    if c is not None:
        tables["councils"] = c
    b = guarded("bodies", lambda: body_assessment(net))
    if b is not None:
        tables["bodies"] = b
    if net.has("projects"):
        by = "street" if net.has("regions") else None
        p = guarded("pipeline", lambda: project_pipeline(net, by=by))
        if p is not None:
            tables["pipeline"] = p
            tables["pipeline_all"] = project_pipeline(net, by=None)
    else:
        guarded("pipeline", lambda: net.table("projects", "project_pipeline"))


def _matching(net, tables, res, guarded, within) -> None:
    from .matching import match_wishes, suggest_matches, suggest_partners

    if net.has("demands") and net.has("resources"):
        m = guarded("matches", lambda: suggest_matches(net, within=within))
        if m is not None:
            res["matches"] = m
            tables["matches"] = m.suggestions
            tables["unmet"] = m.unmet
    else:
        missing = "demands" if not net.has("demands") else "resources"
        unavailable_msg = MissingTableError(missing, "suggest_matches")
        guarded("matches", lambda: (_ for _ in ()).throw(unavailable_msg))
    if net.has("members"):
        w = guarded("wishes", lambda: match_wishes(net))
        if w is not None:
            res["wishes"] = w
            tables["wishes"] = w.suggestions
    p = guarded("partners", lambda: suggest_partners(net))
    if p is not None:
        res["partners"] = p
        tables["partners"] = p.suggestions


def _rate(rates: pd.DataFrame | None, measure: str) -> tuple[float, float]:
    if rates is None:
        return (np.nan, np.nan)
    r = rates[rates["measure"] == measure]
    if not len(r):
        return (np.nan, np.nan)
    return (float(r["numerator"].iloc[0]), float(r["denominator"].iloc[0]))


def _headline(a: Assessment) -> None:
    t = a.tables
    net = a.net
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
    rates = t.get("rates")
    for m in ("org_coverage", "own_org_rate", "nonpublic_org_coverage", "social_org_coverage",
              "work_coverage", "community_coverage", "member_attachment"):
        num, den = _rate(rates, m)
        if np.isfinite(den) and den > 0:
            from .coverage import RATE_TEXT

            add(m, RATE_TEXT[m][1], RATE_TEXT[m][0], num, den)
    if "gaps" in t:
        add("gaps", "覆盖缺口(条)", "coverage gaps", float(len(t["gaps"])))
    if "walls_all" in t:
        w = t["walls_all"]
        n = float(len(w))
        add("walled_in", "围墙内共建单位(无横向联系)", "walled-in co-building units",
            float((w["status"] == "walled_in").sum()), n)
        add("paper_only", "仅纸面联系的共建单位", "paper-only co-building units",
            float((w["status"] == "paper_only").sum()), n)
    if "participation_all" in t and len(t["participation_all"]):
        p = t["participation_all"].iloc[0]
        add("taking_part", "参与共建的共建单位比例", "co-building units taking part",
            float(p["taking_part"]), float(p["actors"]))
    if a.linkage is not None:
        add("ei_index", "领域 E-I 指数(全网)", "E-I index (whole network)", np.nan,
            value=a.linkage.ei_index)
    if "pipeline_all" in t and len(t["pipeline_all"]):
        p = t["pipeline_all"].iloc[0]
        add("completion", "项目完成率(已完成/已启动)", "projects completed of launched",
            float(p["completed"]), float(p["launched"]))
    if a.matches is not None:
        add("matches", "推荐对接(条)", "suggested matches", float(len(a.matches.suggestions)))
        d = float(len(net.tables["demands"]))
        add("unmet", "未完全满足的需求", "demands not fully met",
            float(len(a.matches.unmet)), d)
    rep = t.get("validation")
    if rep is not None:
        add("data_errors", "数据错误(相应行已搁置)", "data errors (rows set aside)",
            float((rep["severity"] == "error").sum()))
        add("data_warnings", "数据提示", "data warnings",
            float((rep["severity"] == "warning").sum()))
    t["headline"] = pd.DataFrame(rows, columns=["measure", "label_zh", "label_en", "value",
                                                "numerator", "denominator"]).rename(
        columns={"label_zh": "measure_zh", "label_en": "measure_en"})

