"""Change over time: what closed, what opened, who came out from behind the wall.

:func:`compare` sets two assessments side by side — two years' data sets, or one data set in
two windows — and :func:`trend` follows the same measures over several windows.

How entities are matched between the two (and the report says how each was):

- by id, when the id is in both;
- else by name: units and orgs by their normalised name (the contract's normalisation: NFKC,
  no spaces, Latin letters lower-cased) and their place (the matched region; for an org built
  in a unit, the matched unit), regions by normalised name, level and matched parent. A key
  that two entities share on either side matches nothing (never a guess);
- members by id only (they are pseudonymous).

A rate's change is tested with Fisher's exact test on the 2 × 2 table (numerator and the rest
of the denominator, before and after; two-sided): exact for the small counts of a street or a
community, where a normal approximation misleads (a street going from 7/9 to 8/9 has p = 1.0).
Where both denominators exceed 1,000 and every cell of the table holds at least 10, the
two-proportion z-test (pooled, two-sided) is used instead — the normal approximation holds
there, its p is within a few per cent of Fisher's, and it is computed for all such rows at
once; the ``test`` column says which test each row had. A change is ``significant`` at
p < 0.05.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import arrays
from .errors import PartygraphError, PartygraphWarning
from .labels import CHANGE_HEADLINE, RATE_TEXT, RULE_TEXT, STATUS_LABELS
from .network import CoBuildingNetwork
from .progress import bar
from .results import Result, summary_html

__all__ = ["Comparison", "compare", "match_entities", "trend"]

#: Statuses in the order "better": a move to the right is a move out from behind the wall.
_STATUS_RANK = {"walled_in": 0, "paper_only": 1, "linked": 2}


def _as_network(source: object, window: object) -> CoBuildingNetwork:
    from .dataset import read_dataset

    if isinstance(source, CoBuildingNetwork):
        net = source
    else:
        net = read_dataset(source, strict=False)
    if window is not None:
        w = window if isinstance(window, tuple | list) else (window, None)
        net = net.with_window(*w)
    return net


def _norm(s: pd.Series) -> pd.Series:
    from .names import normalize_name

    return normalize_name(s.fillna(""))


def _unique_map(key_b: pd.Series, id_b: pd.Series, key_a: pd.Series,
                id_a: pd.Series) -> pd.DataFrame:
    """Pairs (id_before, id_after) whose key is unique on both sides."""
    b = pd.DataFrame({"key": key_b.to_numpy(), "id_before": id_b.to_numpy()})
    a = pd.DataFrame({"key": key_a.to_numpy(), "id_after": id_a.to_numpy()})
    b = b[~b["key"].duplicated(keep=False)]
    a = a[~a["key"].duplicated(keep=False)]
    return b.merge(a, on="key")[["id_before", "id_after"]]


def match_entities(before: CoBuildingNetwork, after: CoBuildingNetwork) -> pd.DataFrame:
    """How regions, units and orgs of ``after`` match those of ``before``.

    Parameters
    ----------
    before, after : CoBuildingNetwork

    Returns
    -------
    DataFrame
        ``entity_type`` (region, unit, org), ``id_before``, ``id_after`` (either empty when
        the entity is only on one side), ``matched_by`` (``id``, ``name``, or ``none``).

    Examples
    --------
    >>> import partygraph as pg
    >>> net = pg.load_example("jiangbei")
    >>> m = match_entities(net, net)
    >>> set(m["matched_by"])
    {'id'}
    """
    out = []
    canon: dict[str, dict] = {}  # table → {after id: before id}
    for table, etype in (("regions", "region"), ("units", "unit"), ("orgs", "org")):
        if not (before.has(table) and after.has(table)):
            continue
        tb, ta = before.tables[table], after.tables[table]
        in_a = arrays.isin(tb["id"], ta["id"])
        both = tb["id"][in_a].to_numpy()
        pairs = [pd.DataFrame({"id_before": both, "id_after": both, "matched_by": "id"})]
        rb, ra = tb[~in_a], ta[~arrays.isin(ta["id"], tb["id"])]
        if len(rb) and len(ra):
            if table == "regions":
                reg = canon.get("regions", {})
                pb = rb["parent_id"].astype("str").fillna("")
                pa_ = _to(ra["parent_id"].astype("str"), reg).fillna("")
                kb = _norm(rb["name"]) + "|" + rb["level"].astype("str") + "|" + pb
                ka = _norm(ra["name"]) + "|" + ra["level"].astype("str") + "|" + pa_
            else:
                reg = canon.get("regions", {})
                units = canon.get("units", {})
                place_b = rb["region_id"].astype("str").fillna("")
                place_a = _to(ra["region_id"].astype("str"), reg).fillna("")
                if table == "orgs":
                    ub = rb["unit_id"].astype("str").fillna("")
                    ua = _to(ra["unit_id"].astype("str"), units).fillna("")
                    place_b, place_a = place_b + "|" + ub, place_a + "|" + ua
                kb = _norm(rb["name"]) + "|" + place_b
                ka = _norm(ra["name"]) + "|" + place_a
            byname = _unique_map(kb, rb["id"], ka, ra["id"])
            byname["matched_by"] = "name"
            pairs.append(byname)
        p = pd.concat(pairs, ignore_index=True)
        named = p[p["matched_by"] == "name"]
        canon[table] = dict(zip(named["id_after"], named["id_before"], strict=True))
        only_b = tb.loc[~arrays.isin(tb["id"], p["id_before"]), "id"]
        only_a = ta.loc[~arrays.isin(ta["id"], p["id_after"]), "id"]
        p = pd.concat([p, pd.DataFrame({"id_before": only_b.to_numpy(), "id_after": pd.NA,
                                        "matched_by": "none"}),
                       pd.DataFrame({"id_before": pd.NA, "id_after": only_a.to_numpy(),
                                     "matched_by": "none"})], ignore_index=True)
        p.insert(0, "entity_type", etype)
        out.append(p)
    cols = ["entity_type", "id_before", "id_after", "matched_by"]
    if not out:
        return pd.DataFrame(columns=cols)
    return pd.concat(out, ignore_index=True)[cols].astype("str")


def _to(s: pd.Series, mapping: dict[str, str]) -> pd.Series:
    """Each id as ``mapping`` names it (unchanged when not in it)."""
    if not len(s) or not mapping:  # nothing to map (an empty map may change the dtype)
        return s.copy()
    return s.map(mapping).where(lambda v: v.notna(), s).astype(s.dtype)


def _canonical(matches: pd.DataFrame) -> dict[str, str]:
    """After id → the id it is known by in the comparison, where the two differ (an id
    matched by id is its own)."""
    m = matches[matches["matched_by"] == "name"]
    return dict(zip(m["id_after"], m["id_before"], strict=True))


#: Above this many in both denominators a rate's change is tested with the z-test.
LARGE = 1000


def _large(x1, n1, x2, n2) -> np.ndarray:
    """Rows tested with the z-test (see :func:`_fisher`)."""
    return ((n1 > LARGE) & (n2 > LARGE) & (np.minimum.reduce([x1, n1 - x1, x2, n2 - x2]) >= 10)
            & ~((x1 == x2) & (n1 == n2)))


def _fisher(x1, n1, x2, n2) -> np.ndarray:
    """Two-sided Fisher exact p of each 2 × 2 table (x1 of n1 against x2 of n2)."""
    from scipy.stats import fisher_exact, norm

    x1, n1, x2, n2 = (np.asarray(v, dtype=np.int64) for v in (x1, n1, x2, n2))
    p = np.full(len(x1), np.nan)
    both = (n1 > 0) & (n2 > 0)
    p[both & (x1 == x2) & (n1 == n2)] = 1.0  # the same table twice: no change at all
    moved = both & ~((x1 == x2) & (n1 == n2))
    # large tables (over 1,000 on each side): the two-proportion z-test, within a few per cent
    # of Fisher's there; vectorised
    big = moved & (n1 > LARGE) & (n2 > LARGE) & (np.minimum.reduce(
        [x1, n1 - x1, x2, n2 - x2]) >= 10)
    if big.any():
        pool = (x1[big] + x2[big]) / (n1[big] + n2[big])
        se = np.sqrt(pool * (1 - pool) * (1 / n1[big] + 1 / n2[big]))
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.abs(x1[big] / n1[big] - x2[big] / n2[big]) / se
        p[big] = np.where(se > 0, 2 * norm.sf(z), 1.0)
    todo = np.flatnonzero(moved & ~big)
    for i in todo:  # only the rates that moved: a test each
        p[i] = fisher_exact([[x1[i], n1[i] - x1[i]], [x2[i], n2[i] - x2[i]]])[1]
    return p


@dataclass
class Comparison(Result):
    """Two assessments side by side (see :func:`compare`).

    Attributes
    ----------
    gaps : DataFrame
        Every gap in either: ``rule``, ``rule_zh``, ``entity_type``, ``entity_id``, ``name``,
        ``street``, ``community``, ``change`` (closed, new, persisting), ``matched_by``,
        ``action``, ``action_zh`` (for the open ones).
    statuses : DataFrame
        Every co-building unit in either: ``actor_id``, ``name``, ``status_before``,
        ``status_after``, ``change`` (e.g. ``walled_in → linked``, ``appeared``,
        ``disappeared``, ``unchanged``), ``direction`` (out: better, in: worse),
        ``matched_by``.
    rates : DataFrame
        Every coverage rate overall, by street and by community: ``level``, the place,
        ``measure``, ``numerator_before``, ``denominator_before``, ``rate_before``, the same
        after, ``change``, ``p`` (Fisher exact), ``significant``.
    linkage : DataFrame
        E-I by domain and for the whole network, and every cell of the domain matrix, before
        and after, with the change.
    bodies, projects : DataFrame
        Meetings (停摆) and members of each body; project completion.
    matches : DataFrame
        How every region, unit and org was matched (:func:`match_entities`).
    headline : DataFrame
        The figures a report leads with.
    """

    gaps: pd.DataFrame
    statuses: pd.DataFrame
    rates: pd.DataFrame
    linkage: pd.DataFrame
    bodies: pd.DataFrame
    projects: pd.DataFrame
    matches: pd.DataFrame
    headline: pd.DataFrame
    params: dict = field(default_factory=dict)
    method: str = "partygraph compare"

    def __repr__(self) -> str:
        c = self.gaps["change"].value_counts()
        return (f"<Comparison: {c.get('closed', 0)} gaps closed, {c.get('new', 0)} new, "
                f"{c.get('persisting', 0)} persisting; "
                f"{int((self.statuses['direction'] == 'out').sum())} units out from behind "
                f"the wall>")

    def _repr_html_(self) -> str:
        rows = [(r.measure_zh, r.value) for r in self.headline.itertuples(index=False)]
        return summary_html("Comparison 前后对比", rows, ".gaps, .statuses, .rates, .write()")

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"headline": self.headline, "gaps": self.gaps, "statuses": self.statuses,
                "rates": self.rates, "linkage": self.linkage, "bodies": self.bodies,
                "projects": self.projects, "matches": self.matches}

    def write(self, path: str | Path, lang: str = "zh") -> dict[str, Path]:
        """Write ``report.html`` (headline changes first, then the lists) and
        ``comparison.xlsx`` into the folder ``path``."""
        from .change_report import render_comparison
        from .writing import output_dir, output_file, write_xlsx

        d = output_dir(Path(path))
        report = output_file(d / "report.html")
        report.write_text(render_comparison(self, lang), encoding="utf-8")
        from .change_report import sheets

        tables, formats = sheets(self, lang)
        book = write_xlsx(d / "comparison.xlsx", tables, formats=formats)
        return {"report": report, "workbook": book}


def compare(
    before: object,
    after: object = None,
    *,
    rules: object = None,
    window_before: object = None,
    window_after: object = None,
    progress: bool | None = None,
) -> Comparison:
    """What changed between two assessments: gaps closed and opened, units out from behind the
    wall, rates up or down beyond chance, linkage, bodies and projects.

    Parameters
    ----------
    before, after : CoBuildingNetwork or path
        Two years' data sets (a folder, a workbook, a network). With ``after`` None, one data
        set is compared with itself in two windows.
    rules : CoverageRules or str, optional
        The coverage rules of both (default national).
    window_before, window_after : tuple, optional
        ``(start, end)`` of each side (a year: ``("2023-01-01", "2023-12-31")``).
    progress : bool, optional
        Show a progress bar (default ``pg.config.progress``).

    Returns
    -------
    Comparison

    Examples
    --------
    >>> import partygraph as pg
    >>> c = pg.compare(pg.load_example("demo"), pg.load_example("demo_next"))
    >>> set(c.gaps["change"]) <= {"closed", "new", "persisting"}
    True
    """
    from .bodies import body_meetings
    from .coverage import CoverageRules, coverage_gaps, coverage_rates
    from .linkage import domain_linkage
    from .projects import project_pipeline
    from .walls import walled_in_units

    if after is None and window_before is None:
        raise PartygraphError("give two data sets, or one with window_before and window_after "
                              "/ 请给出两个数据集,或一个数据集及前后两个时段")
    b = _as_network(before, window_before)
    a = _as_network(before if after is None else after, window_after)
    if isinstance(rules, str) and Path(rules).suffix.lower() in (".json", ".yaml", ".yml"):
        rules = CoverageRules.from_file(rules)
    r = CoverageRules.preset(rules) if isinstance(rules, str) else (rules or CoverageRules())
    steps = bar(6, "前后对比 compare", "step", progress)
    matches = match_entities(b, a)
    units_b = matches[(matches["entity_type"] == "unit") & (matches["id_before"] != "<NA>")
                      & matches["id_before"].notna()]
    share = float((units_b["matched_by"] != "none").mean()) if len(units_b) else 1.0
    if share < 0.5:
        warnings.warn(
            f"only {share:.0%} of the earlier data set's units are found in the later one (by "
            "id or name): are these two years of the same place? / 前期数据中仅 "
            f"{share:.0%} 的单位能在后期数据中找到(按编码或名称),请确认是同一地区的两期数据",
            PartygraphWarning, stacklevel=2)
    canon = _canonical(matches)
    how = {i: "name" for i in matches.loc[matches["matched_by"] == "name", "id_after"]}
    steps.update(1)
    # ---- gaps
    gb, ga = coverage_gaps(b, r), coverage_gaps(a, r)
    ga = ga.assign(key=_to(ga["entity_id"], canon))
    gb = gb.assign(key=gb["entity_id"])
    on = ["rule", "entity_type", "key"]
    m = gb.merge(ga, on=on, how="outer", suffixes=("_b", "_a"), indicator=True)
    change = m["_merge"].map({"left_only": "closed", "right_only": "new",
                              "both": "persisting"}).astype("str")

    def pick(col: str) -> pd.Series:
        return m[f"{col}_a"].where(m[f"{col}_a"].notna(), m[f"{col}_b"])

    gaps = pd.DataFrame({
        "rule": m["rule"], "rule_zh": m["rule"].map({k: v[0] for k, v in RULE_TEXT.items()}),
        "entity_type": m["entity_type"], "entity_id": pick("entity_id"),
        "name": pick("name"), "street": pick("street"), "community": pick("community"),
        "change": change,
        "matched_by": np.where(change == "persisting",
                               m["entity_id_a"].map(how).astype("str").fillna("id"), ""),
        "action": np.where(change == "closed", "", m["rule"].map(
            {k: v[2] for k, v in RULE_TEXT.items()})),
        "action_zh": np.where(change == "closed", "", m["rule"].map(
            {k: v[3] for k, v in RULE_TEXT.items()}))})
    order = {"new": 0, "persisting": 1, "closed": 2}
    gaps = gaps.assign(_o=gaps["change"].map(order)).sort_values(
        ["_o", "rule", "entity_id"], kind="stable").drop(columns="_o").reset_index(drop=True)
    steps.update(1)
    # ---- statuses
    wb, wa = walled_in_units(b), walled_in_units(a)
    wa = wa.assign(key=_to(wa["actor_id"], canon))
    s = wb[["actor_id", "name", "status"]].merge(
        wa[["key", "actor_id", "name", "status"]], left_on="actor_id", right_on="key",
        how="outer", suffixes=("_before", "_after"))
    sb, sa = s["status_before"], s["status_after"]
    change = np.where(sb.isna(), "appeared", np.where(sa.isna(), "disappeared", np.where(
        sb == sa, "unchanged", sb.astype("str") + " → " + sa.astype("str"))))
    rb = sb.map(_STATUS_RANK)
    ra = sa.map(_STATUS_RANK)
    direction = np.where(rb.notna() & ra.notna() & (ra > rb), "out",
                         np.where(rb.notna() & ra.notna() & (ra < rb), "in", ""))
    statuses = pd.DataFrame({
        "actor_id": s["actor_id_after"].where(s["actor_id_after"].notna(),
                                              s["actor_id_before"]),
        "name": s["name_after"].where(s["name_after"].notna(), s["name_before"]),
        "status_before": sb, "status_after": sa, "change": change, "direction": direction,
        "matched_by": np.where(sb.notna() & sa.notna(), s["actor_id_after"].map(how).astype(
            "str").fillna("id"), "none")})
    statuses = statuses.assign(_o=statuses["direction"].map({"out": 0, "in": 1, "": 2})
                               ).sort_values(["_o", "change", "actor_id"], kind="stable"
                                             ).drop(columns="_o").reset_index(drop=True)
    steps.update(1)
    # ---- rates: one pass per side by street and community, summed up to the street and the
    # whole (rates are sums over entities, so the sums are exact)
    parts = []
    places = b.has("regions") and a.has("regions")
    by = ["street", "community"] if places else None
    xb, xa = coverage_rates(b, by=by, rules=r), coverage_rates(a, by=by, rules=r)
    if places:
        for col in ("street_id", "community_id"):
            xa[col] = _to(xa[col].astype("str"), canon)
    sums = ["numerator", "denominator"]
    levels = [("overall", [])]
    if places:
        levels += [("street", ["street_id"]), ("community", ["street_id", "community_id"])]
    for level, key in levels:
        def up(x: pd.DataFrame, key=key) -> pd.DataFrame:
            return x.groupby([*key, "measure"], dropna=False, sort=False)[sums].sum()

        mm = up(xb).add_suffix("_before").join(up(xa).add_suffix("_after"), how="outer")
        mm = mm.reset_index()
        mm.insert(0, "level", level)
        if not key:
            mm["place_id"], mm["place"] = "", ""
        if key:
            last = key[-1]
            names = pd.concat([xb[[last, last[:-3]]], xa[[last, last[:-3]]]]).drop_duplicates(
                last).set_index(last)[last[:-3]]
            mm["place_id"] = mm[last]
            mm["place"] = mm[last].map(names)
            mm = mm.drop(columns=key)
        parts.append(mm)
    rates = pd.concat(parts, ignore_index=True)
    rates = rates[["level", "place_id", "place", "measure", "numerator_before",
                   "denominator_before", "numerator_after", "denominator_after"]]
    for c in ("numerator_before", "denominator_before", "numerator_after",
              "denominator_after"):
        rates[c] = rates[c].fillna(0).astype(np.int64)
    for side in ("before", "after"):
        d = rates[f"denominator_{side}"]
        rates[f"rate_{side}"] = rates[f"numerator_{side}"] / d.where(d > 0)
    rates["change"] = rates["rate_after"] - rates["rate_before"]
    rates["p"] = _fisher(rates["numerator_before"].to_numpy(),
                         rates["denominator_before"].to_numpy(),
                         rates["numerator_after"].to_numpy(),
                         rates["denominator_after"].to_numpy())
    rates["test"] = np.where(rates["p"].isna(), "", np.where(
        _large(rates["numerator_before"].to_numpy(), rates["denominator_before"].to_numpy(),
               rates["numerator_after"].to_numpy(), rates["denominator_after"].to_numpy()),
        "z", "fisher"))
    rates["significant"] = (rates["p"] < 0.05).fillna(False)
    rates.insert(rates.columns.get_loc("measure") + 1, "measure_zh",
                 rates["measure"].map({k: v[1] for k, v in RATE_TEXT.items()}))
    rates = rates[(rates["denominator_before"] > 0) | (rates["denominator_after"] > 0)]
    rates = rates.reset_index(drop=True)
    steps.update(1)
    # ---- linkage
    lb, la = domain_linkage(b, permutations=0), domain_linkage(a, permutations=0)
    ei = lb.ei[["group", "ei"]].merge(la.ei[["group", "ei"]], on="group", how="outer",
                                      suffixes=("_before", "_after"))
    ei = pd.concat([pd.DataFrame({"group": ["(whole network)"], "ei_before": [lb.ei_index],
                                  "ei_after": [la.ei_index]}), ei], ignore_index=True)
    ei.insert(0, "measure", "ei")
    mb = lb.matrix.stack().rename("weight_before")
    ma = la.matrix.stack().rename("weight_after")
    cells = pd.concat([mb, ma], axis=1).fillna(0).reset_index()
    cells.columns = ["group", "other", "weight_before", "weight_after"]
    cells.insert(0, "measure", "matrix")
    linkage = pd.concat([ei, cells], ignore_index=True)
    linkage["change"] = np.where(linkage["measure"] == "ei",
                                 linkage["ei_after"] - linkage["ei_before"],
                                 linkage["weight_after"] - linkage["weight_before"])
    steps.update(1)
    # ---- bodies and projects
    bb, ba = body_meetings(b), body_meetings(a)
    ba = ba.assign(body_id=_to(ba["body_id"], canon))
    keep = ["body_id", "name", "members", "meetings", "stalled"]
    bodies = bb[keep].astype({"body_id": "str"}).merge(
        ba[keep].astype({"body_id": "str"}), on="body_id", how="outer",
        suffixes=("_before", "_after"))
    bodies["stopped_meeting"] = (bodies["stalled_after"].fillna(False).astype(bool)
                                 & ~bodies["stalled_before"].fillna(False).astype(bool))
    bodies["lost_members"] = (bodies["members_after"].fillna(0)
                              < bodies["members_before"].fillna(0))
    projects = pd.DataFrame()
    if b.has("projects") and a.has("projects"):
        pb, pa = project_pipeline(b, by=None), project_pipeline(a, by=None)
        projects = pd.concat([pb.assign(side="before"), pa.assign(side="after")],
                             ignore_index=True)
    steps.update(1)
    steps.close()
    headline = _headline(gaps, statuses, rates)
    def aside(n: CoBuildingNetwork) -> int:
        acc = getattr(n, "accounting", None)
        return int(acc["set_aside"].sum()) if acc is not None and len(acc) else 0

    params = {"rules": r.to_dict(), "window_before": b.window, "window_after": a.window,
              "before": str(getattr(b, "source", "")), "after": str(getattr(a, "source", "")),
              "units_matched_share": round(share, 4), "rows_set_aside_before": aside(b),
              "rows_set_aside_after": aside(a)}
    return Comparison(gaps, statuses, rates, linkage, bodies, projects, matches, headline,
                      params)


def _headline(gaps: pd.DataFrame, statuses: pd.DataFrame, rates: pd.DataFrame) -> pd.DataFrame:
    c = gaps["change"].value_counts()
    d = statuses["direction"].value_counts()
    sig = rates[rates["significant"]]
    values = {
        "gaps_closed": int(c.get("closed", 0)), "gaps_new": int(c.get("new", 0)),
        "gaps_persisting": int(c.get("persisting", 0)), "out_of_walls": int(d.get("out", 0)),
        "into_walls": int(d.get("in", 0)), "rates_up": int((sig["change"] > 0).sum()),
        "rates_down": int((sig["change"] < 0).sum()),
        "rates_moved_within_chance": int(((rates["change"].fillna(0) != 0)
                                          & ~rates["significant"]).sum()),
    }
    rows = [(k, CHANGE_HEADLINE[k][0], CHANGE_HEADLINE[k][1], v) for k, v in values.items()]
    return pd.DataFrame(rows, columns=["measure", "measure_zh", "measure_en", "value"])


def trend(net: CoBuildingNetwork, windows: list | None = None, *,
          years: list[int] | None = None, rules: object = None) -> pd.DataFrame:
    """The same measures over several windows of one data set, as one long table.

    Parameters
    ----------
    net : CoBuildingNetwork
    windows : list of (start, end), optional
        The windows.
    years : list of int, optional
        Or calendar years (each from 1 January to 31 December).
    rules : CoverageRules or str, optional

    Returns
    -------
    DataFrame
        ``window`` (its label: the year, or ``start–end``), ``level`` (overall, street),
        ``place_id``, ``place``, ``measure``, ``measure_zh``, ``numerator``, ``denominator``,
        ``rate``; the walls' ``walled_in``, ``paper_only``, ``linked`` shares and the E-I index
        appear as measures too (overall).

    Examples
    --------
    >>> import partygraph as pg
    >>> t = pg.trend(pg.load_example("demo"), years=[2021, 2022, 2023])
    >>> sorted(t["window"].unique())
    ['2021', '2022', '2023']
    """
    from .coverage import coverage_rates
    from .linkage import domain_linkage
    from .walls import walled_in_units

    if years is not None:
        windows = [(f"{y}-01-01", f"{y}-12-31") for y in years]
        labels = [str(y) for y in years]
    elif windows:
        labels = [f"{w[0]}–{w[1]}" for w in windows]
    else:
        raise PartygraphError("give windows or years / 请给出时段或年份")
    if not windows:
        raise PartygraphError("give at least one window or year / 请至少给出一个时段或年份")
    out = []
    for w, lab in zip(windows, labels, strict=True):  # one per window: a handful
        n = net.with_window(*w)
        for level, by in (("overall", None), ("street", "street")):
            if by and not n.has("regions"):
                continue
            x = coverage_rates(n, by=by, rules=rules)
            x = x.rename(columns={f"{by}_id": "place_id", by: "place"}) if by else x.assign(
                place_id=pd.NA, place=pd.NA)
            out.append(x[["place_id", "place", "measure", "measure_zh", "numerator",
                          "denominator", "rate"]].assign(window=lab, level=level))
        walls = walled_in_units(n)
        k = len(walls)
        for st in ("walled_in", "paper_only", "linked"):
            num = int((walls["status"] == st).sum())
            out.append(pd.DataFrame({
                "window": [lab], "level": ["overall"], "place_id": [pd.NA],
                "place": [pd.NA], "measure": [st], "measure_zh": [STATUS_LABELS[st][0]],
                "numerator": [num], "denominator": [k], "rate": [num / k if k else np.nan]}))
        ei = domain_linkage(n, permutations=0).ei_index
        out.append(pd.DataFrame({"window": [lab], "level": ["overall"], "place_id": [pd.NA],
                                 "place": [pd.NA], "measure": ["ei_index"],
                                 "measure_zh": ["领域 E-I 指数"], "numerator": [np.nan],
                                 "denominator": [np.nan], "rate": [ei]}))
    t = pd.concat(out, ignore_index=True)
    for c in ("numerator", "denominator"):
        t[c] = pd.to_numeric(t[c]).astype("Int64")
    return t[["window", "level", "place_id", "place", "measure", "measure_zh", "numerator",
              "denominator", "rate"]]
