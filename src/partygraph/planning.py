"""Closing the coverage gaps: where to send instructors and where to set up joint branches.

- :func:`plan_instructors` — capacitated set covering: the fewest instructors, each serving at
  most ``capacity`` units within reach (same street by default), so that every unit lacking
  work coverage is served. Reach is "same street" (or community, district...), so the
  problem separates into one independent problem per place, and each is solved exactly in
  closed form: serve ``min(units, Σ capacities)`` units with the fewest instructors by
  taking the largest capacities first (with equal capacities, ``⌈units / capacity⌉``).
- :func:`plan_joint_branches` — maximal covering location: ``k`` new joint branches at
  candidate places (buildings, estates, communities, streets, or a mix), each covering the
  uncovered small units inside its place (at most ``capacity`` of them), so that the most are
  covered. Places of one level are disjoint, and then the exact answer is the ``k`` places
  covering the most units; with mixed levels the places nest and the problem is solved as a
  mixed-integer programme with HiGHS (``scipy.optimize.milp``) in two exact stages (the most
  units covered, then the fewest places for that), with no optimality gap allowed.

A plan is called ``optimal`` only when it is proven so. A solve stopped by its time limit
says so in ``status`` and gives the best bound it proved in ``bound``.

Results record the method and parameters that made them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from . import arrays
from .coverage import CoverageRules, coverage_gaps
from .errors import InvalidArgumentError, PartygraphError, check_choice
from .network import CoBuildingNetwork
from .results import Result
from .schema import LEVEL_ORDER

__all__ = ["Plan", "plan_instructors", "plan_joint_branches"]


@dataclass
class Plan(Result):
    """A plan and how it was made.

    Attributes
    ----------
    chosen : DataFrame
        The instructors (``plan_instructors``) or places (``plan_joint_branches``) chosen.
    assignments : DataFrame
        Which unit each chosen instructor or place serves.
    unserved : DataFrame
        Units the plan leaves unserved, with the reason.
    objective : float
        Instructors used, or units covered.
    status : str
        ``optimal`` when proven optimal; otherwise what stopped the solver (``time limit
        reached``...), and the plan is the best found.
    method, params : str, dict
        What made the plan.
    bound : float
        The best bound proven on the objective (equal to ``objective`` when optimal): the
        most units that could be covered, or the fewest instructors that could do.
    """

    chosen: pd.DataFrame
    assignments: pd.DataFrame
    unserved: pd.DataFrame
    objective: float
    status: str
    method: str
    params: dict = field(default_factory=dict)
    bound: float = float("nan")

    def __repr__(self) -> str:
        return (f"<Plan {self.method}: objective {self.objective:g}, {len(self.chosen)} chosen, "
                f"{len(self.assignments)} assignments, {len(self.unserved)} unserved, "
                f"{self.status}>")


def _solve(c, A, lb, ub, integrality, time_limit) -> tuple[np.ndarray | None, str, float]:
    """HiGHS with no optimality gap allowed: (solution, status, proven bound on c·x)."""
    cons = [LinearConstraint(A, lb, ub)] if A.shape[0] else []
    res = milp(c=c, constraints=cons, integrality=integrality,
               bounds=Bounds(np.zeros(len(c)), np.ones(len(c))),
               options={"time_limit": time_limit, "mip_rel_gap": 0.0})
    status = "optimal" if res.status == 0 else str(res.message)
    bound = getattr(res, "mip_dual_bound", None)
    if bound is None or not np.isfinite(bound):
        bound = res.fun if res.status == 0 else float("nan")
    if np.isfinite(bound) and abs(bound - round(bound)) < 1e-6:
        bound = float(round(bound))  # the objectives here are whole counts
    return (None if res.x is None else np.round(res.x).astype(np.int64)), status, float(bound)


def _reach_key(net: CoBuildingNetwork, region_ids: pd.Series, within: str) -> pd.Series:
    if within == "all":
        return pd.Series("all", index=region_ids.index, dtype="str")
    key = net.ancestor(region_ids, within)
    if within == "community":
        key = key.where(key.notna(), net.ancestor(region_ids, "village"))
    return key


def plan_instructors(
    net: CoBuildingNetwork,
    capacity: int = 5,
    *,
    candidates: pd.DataFrame | None = None,
    within: str = "street",
    rules: CoverageRules | str | None = None,
    window: object = None,
) -> Plan:
    """The fewest Party-building instructors, and who goes where, so that every unit lacking
    work coverage is served (as many as the candidates' capacity allows, if not all can be).

    Parameters
    ----------
    net : CoBuildingNetwork
    capacity : int
        Units one instructor can serve.
    candidates : DataFrame, optional
        Who could be sent: columns ``id``, ``region_id`` and optionally ``name`` and
        ``capacity``. By default every standing org of an agency, public institution,
        state firm, community or hub (street working committee) — the bodies that second
        instructors — at its own or its unit's region.
    within : str
        How near an instructor must be: a region level (``street`` by default,
        ``community``, ``district``) or ``all``.
    rules : CoverageRules or str, optional
        Which units lack work coverage (the ``no_work_coverage`` rule).
    window : tuple, optional

    Returns
    -------
    Plan
        Exact (see the module notes: the problem separates by place). ``chosen``
        (instructor ``id``, ``name``, ``served``), ``assignments`` (``instructor_id``,
        ``unit_id``, ``unit_name``, ``reach``), ``unserved`` (units with no candidate within
        reach), ``objective`` = instructors needed.

    Examples
    --------
    >>> import partygraph as pg
    >>> plan = pg.plan_instructors(pg.load_example("demo"), capacity=10)
    >>> plan.status
    'optimal'
    """
    if capacity < 1:
        raise InvalidArgumentError("capacity must be at least 1 / 服务能力至少为1")
    check_choice("within", within, (*LEVEL_ORDER, "all"))
    r = CoverageRules.preset(rules) if isinstance(rules, str) else (rules or CoverageRules())
    gaps = coverage_gaps(net, r.replace(no_work_coverage=True), window=window)
    targets = gaps[gaps["rule"] == "no_work_coverage"]
    u = net.tables["units"]
    units = u[arrays.isin(u["id"], targets["entity_id"])].reset_index(drop=True)
    if candidates is None:
        o = net.tables["orgs"]
        ok = net.orgs_standing(window) & o["domain"].isin(
            ["agency", "institution", "soe", "community", "hub"]).to_numpy(dtype=bool)
        ok &= (o["kind"] != "body").to_numpy(dtype=bool)
        cand = pd.DataFrame({"id": o["id"][ok].to_numpy(), "name": o["name"][ok].to_numpy(),
                             "region_id": net.region_of("orgs")[ok].to_numpy()})
    else:
        cand = candidates.copy()
        if "name" not in cand.columns:
            cand["name"] = cand["id"]
    cand = cand.reset_index(drop=True)
    caps = (cand["capacity"].to_numpy(dtype=float) if "capacity" in cand.columns
            else np.full(len(cand), float(capacity)))
    caps = np.floor(np.nan_to_num(caps, nan=0.0)).astype(np.int64)
    ukey = _reach_key(net, units["region_id"], within)
    ckey = _reach_key(net, cand["region_id"].astype("str"), within)
    params = {"capacity": capacity, "within": within, "rules": r.name,
              "candidates": len(cand), "units": len(units)}
    method = "capacitated set covering, exact per place (largest capacities first)"
    # one code per place that a unit and a candidate can share
    codes, _ = pd.factorize(pd.concat([ukey, ckey], ignore_index=True), use_na_sentinel=True)
    uk, ck = codes[:len(units)], codes[len(units):]
    nk = int(codes.max()) + 1 if len(codes) and codes.max() >= 0 else 0
    usable = (ck >= 0) & (caps >= 1)
    cap_k = np.bincount(ck[usable], weights=caps[usable], minlength=nk).astype(np.int64)
    units_k = np.bincount(uk[uk >= 0], minlength=nk)
    served_k = np.minimum(units_k, cap_k)
    reachable = np.append(cap_k, 0)[np.where(uk >= 0, uk, nk)] > 0
    # candidates of each place, largest capacity first (then in the order given)
    ci = np.flatnonzero(usable)
    ci = ci[np.lexsort((ci, -caps[ci], ck[ci]))]
    cum = np.cumsum(caps[ci])
    start_k = np.zeros(nk + 1, dtype=np.int64)
    np.add.at(start_k, ck[ci] + 1, caps[ci])
    start_k = np.cumsum(start_k)  # capacity of the places before each place
    before = cum - caps[ci] - start_k[ck[ci]]  # capacity taken before this candidate
    chosen_i = ci[before < served_k[ck[ci]]]
    # units of each place in id order, the first served_k of them served in turn
    uj = np.flatnonzero(reachable)
    uj = uj[np.lexsort((units["id"].to_numpy(dtype=object)[uj].astype(str), uk[uj]))]
    first = np.r_[True, uk[uj][1:] != uk[uj][:-1]] if len(uj) else np.zeros(0, bool)
    grp_start = np.maximum.accumulate(np.where(first, np.arange(len(uj)), 0))
    rank = np.arange(len(uj)) - grp_start
    served = rank < served_k[uk[uj]]
    sj = uj[served]
    who = ci[np.searchsorted(cum, start_k[uk[sj]] + rank[served], side="right")]
    assignments = pd.DataFrame({
        "instructor_id": cand["id"].to_numpy()[who],
        "instructor_name": cand["name"].to_numpy()[who],
        "unit_id": units["id"].to_numpy()[sj], "unit_name": units["name"].to_numpy()[sj],
        "reach": ukey.to_numpy(dtype=object)[sj]})
    unserved = units.loc[~reachable, ["id", "name", "region_id"]].rename(
        columns={"id": "unit_id", "name": "unit_name"})
    unserved["reason"] = f"no candidate instructor in the same {within}"
    unserved["reason_zh"] = "同一范围内没有可选派的党建指导员"
    done = np.zeros(len(units), dtype=bool)
    done[sj] = True
    short = units.loc[reachable & ~done, ["id", "name", "region_id"]].rename(
        columns={"id": "unit_id", "name": "unit_name"})
    short["reason"] = "not enough instructor capacity within reach"
    short["reason_zh"] = "范围内党建指导员服务能力不足"
    unserved = pd.concat([unserved, short], ignore_index=True)
    served_by = np.bincount(who, minlength=len(cand))
    chosen_i = np.sort(chosen_i)
    chosen = cand.iloc[chosen_i][["id", "name", "region_id"]].assign(
        served=served_by[chosen_i])
    return Plan(chosen.reset_index(drop=True), assignments.sort_values(
        ["instructor_id", "unit_id"]).reset_index(drop=True), unserved.reset_index(drop=True),
        float(len(chosen_i)), "optimal", method, params, float(len(chosen_i)))


def plan_joint_branches(
    net: CoBuildingNetwork,
    k: int,
    *,
    sites: str | list[str] = "building",
    capacity: int | None = None,
    rules: CoverageRules | str | None = None,
    window: object = None,
    time_limit: float = 60.0,
) -> Plan:
    """Where to set up ``k`` new joint branches so that the most uncovered small units are
    covered (maximal covering location, solved exactly).

    Parameters
    ----------
    net : CoBuildingNetwork
    k : int
        Number of new joint branches.
    sites : str or list of str
        Region level(s) a branch may be set up at (``building``, ``estate``, ``community``,
        ``street``); a branch at a place covers the units sitting in it or below it. Mixing
        levels gives overlapping candidates (a building or its whole estate).
    capacity : int, optional
        Most units one branch may cover (no limit by default).
    rules : CoverageRules or str, optional
        Which units are uncovered (the ``unit_not_covered`` rule).

    Returns
    -------
    Plan
        ``chosen`` (place ``region_id``, ``name``, ``level``, ``covers``), ``assignments``
        (``region_id``, ``unit_id``, ``unit_name``), ``unserved`` (uncovered units left),
        ``objective`` = units covered.

    Examples
    --------
    >>> import partygraph as pg
    >>> plan = pg.plan_joint_branches(pg.load_example("demo"), k=3, sites="community")
    >>> len(plan.chosen) <= 3
    True
    """
    if not net.has("regions"):
        raise PartygraphError("planning joint branches needs the regions table / 需要区域表")
    levels = [sites] if isinstance(sites, str) else list(sites)
    for lv in levels:
        check_choice("sites", lv, LEVEL_ORDER)
    r = CoverageRules.preset(rules) if isinstance(rules, str) else (rules or CoverageRules())
    gaps = coverage_gaps(net, r.replace(unit_not_covered=True), window=window)
    targets = gaps[gaps["rule"] == "unit_not_covered"]
    u = net.tables["units"]
    units = u[arrays.isin(u["id"], targets["entity_id"])].reset_index(drop=True)
    rf = net.regions_frame
    pairs = []
    for lv in levels:
        anc = net.ancestor(units["region_id"], lv)
        ok = anc.notna().to_numpy()
        pairs.append(pd.DataFrame({"site": anc[ok].to_numpy(), "j": np.flatnonzero(ok)}))
    pairs = pd.concat(pairs, ignore_index=True) if pairs else pd.DataFrame(
        columns=["site", "j"])
    site_ids = pd.unique(pairs["site"])
    params = {"k": k, "sites": levels, "capacity": capacity, "rules": r.name,
              "units": len(units)}
    names = net.region_names()
    levels_of = pd.Series(rf["level"].to_numpy(), index=rf["id"].to_numpy(), dtype="str")
    if len(pairs) == 0 or k <= 0:
        unserved = units[["id", "name"]].rename(columns={"id": "unit_id", "name": "unit_name"})
        unserved["reason"] = "not chosen"
        return Plan(pd.DataFrame(columns=["region_id", "name", "level", "covers"]),
                    pd.DataFrame(columns=["region_id", "unit_id", "unit_name"]), unserved,
                    0.0, "optimal", "maximal covering location", params, 0.0)
    ns, nu, npair = len(site_ids), len(units), len(pairs)
    si = pd.Index(site_ids).get_indexer(pairs["site"])
    jj = pairs["j"].to_numpy(dtype=np.int64)
    # variables: y_s (open site), x_p (pair p assigns unit j to site s)
    # each unit assigned at most once; x_p <= y_s; sum_s y_s <= k; capacity per site
    A_unit = sparse.csr_array((np.ones(npair), (jj, ns + np.arange(npair))),
                              shape=(nu, ns + npair))
    A_link = sparse.csr_array(
        (np.concatenate([np.ones(npair), -np.ones(npair)]),
         (np.concatenate([np.arange(npair)] * 2),
          np.concatenate([ns + np.arange(npair), si]))), shape=(npair, ns + npair))
    A_k = sparse.csr_array((np.ones(ns), (np.zeros(ns, dtype=np.int64), np.arange(ns))),
                           shape=(1, ns + npair))
    blocks = [A_unit, A_link, A_k]
    lb = [np.full(nu, -np.inf), np.full(npair, -np.inf), [-np.inf]]
    ub = [np.ones(nu), np.zeros(npair), [k]]
    if capacity is not None:
        A_cap = sparse.csr_array(
            (np.concatenate([np.ones(npair), -np.full(ns, float(capacity))]),
             (np.concatenate([si, np.arange(ns)]),
              np.concatenate([ns + np.arange(npair), np.arange(ns)]))), shape=(ns, ns + npair))
        blocks.append(A_cap)
        lb.append(np.full(ns, -np.inf))
        ub.append(np.zeros(ns))
    A = sparse.vstack(blocks).tocsr()
    lo, hi = np.concatenate(lb), np.concatenate(ub)
    value = np.bincount(si, minlength=ns)
    if capacity is not None:
        value = np.minimum(value, capacity)
    if len(set(levels)) == 1:
        # places of one level are disjoint: the k places covering the most are optimal
        method = "maximal covering location, exact (disjoint places: the k largest)"
        order = np.lexsort((site_ids.astype(str), -value))
        y = np.zeros(ns, dtype=np.int64)
        y[order[:k]] = 1
        rank = np.zeros(npair, dtype=np.int64)
        po = np.lexsort((units["id"].to_numpy(dtype=object)[jj].astype(str), si))
        first = np.r_[True, si[po][1:] != si[po][:-1]]
        rank[po] = np.arange(npair) - np.maximum.accumulate(np.where(first, np.arange(npair),
                                                                     0))
        xp = (y[si] == 1) & (rank < value[si])
        x = np.r_[y, xp.astype(np.int64)]
        status, bound = "optimal", float(xp.sum())
    else:
        # nested places: two exact stages, the most units covered, then the fewest places
        method = "maximal covering location (HiGHS, two exact stages)"
        c1 = np.concatenate([np.zeros(ns), -np.ones(npair)])
        x, status, bound = _solve(c1, A, lo, hi, np.ones(ns + npair), time_limit)
        if x is None:
            raise PartygraphError(f"the joint-branch plan could not be solved: {status} / "
                                  "联合党组织布点方案未能求解")
        bound = -bound
        if status == "optimal":
            best = int(x[ns:].sum())
            A2 = sparse.vstack([A, sparse.csr_array(c1[None, :])]).tocsr()
            c2 = np.concatenate([np.ones(ns), np.zeros(npair)])
            x2, status2, _ = _solve(c2, A2, np.r_[lo, -np.inf], np.r_[hi, -best],
                                    np.ones(ns + npair), time_limit)
            if x2 is not None and int(x2[ns:].sum()) >= best:
                x = x2
            if status2 != "optimal":
                status = f"units covered optimal; fewest places not proven ({status2})"
    take = x[ns:] == 1
    used_site = np.bincount(si[take], minlength=ns) > 0
    open_sites = np.flatnonzero((x[:ns] == 1) & used_site)
    asg = pd.DataFrame({"region_id": pairs["site"].to_numpy()[take],
                        "unit_id": units["id"].to_numpy()[jj[take]],
                        "unit_name": units["name"].to_numpy()[jj[take]]})
    covers = asg.groupby("region_id").size()
    chosen = pd.DataFrame({"region_id": site_ids[open_sites]})
    chosen["name"] = arrays.lookup(chosen["region_id"].astype("str"), names)
    chosen["level"] = arrays.lookup(chosen["region_id"].astype("str"), levels_of)
    chosen["covers"] = chosen["region_id"].map(covers).fillna(0).astype(np.int64)
    chosen = chosen.sort_values(["covers", "region_id"], ascending=[False, True])
    done = np.zeros(nu, dtype=bool)
    done[jj[take]] = True
    unserved = units.loc[~done, ["id", "name"]].rename(
        columns={"id": "unit_id", "name": "unit_name"})
    unserved["reason"] = "outside the chosen places (or beyond their capacity)"
    unserved["reason_zh"] = "不在所选地点范围内(或超出容量)"
    return Plan(chosen.reset_index(drop=True), asg.sort_values(
        ["region_id", "unit_id"]).reset_index(drop=True), unserved.reset_index(drop=True),
        float(take.sum()), status, method, params, bound)
