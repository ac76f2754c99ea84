"""Matching: needs to resources (需求清单 ↔ 资源清单), wishes to members (三单制), and partners
for walled-in actors.

Every matcher works the same way: it scores candidate pairs (each score a sum of named
components, so a breakdown always adds up to the score), then picks the assignment that
maximises the total score under the quantities on both sides, exactly, with a min-cost flow
(OR-Tools) or, where the quantities are fractional or a cap on suggestions per owner makes the
problem a mixed-integer one, with HiGHS through scipy. :func:`optimal_assignment` is that
solver, public, so a user can edit the candidate pairs and solve again.

The score of a need/resource pair (the data contract's "grows with the demand's priority and
falls with the distance between the two places in the region tree, with settable bonuses"):

``score = base + priority_weight × priority − distance[closeness] + category_bonus
+ cross_domain (a new tie between actors of two domains) + walled_in (either side walled in)``

Each component is rounded to 0.001 and the solver works in those thousandths, so the total it
maximises is exactly the total of the reported scores.

Examples
--------
>>> import partygraph as pg
>>> m = pg.suggest_matches(pg.load_example("demo"))
>>> bool((m.suggestions[["score_base", "score_priority", "score_distance", "score_category",
...      "score_cross_domain", "score_walled_in"]].sum(axis=1).round(3)
...      == m.suggestions["score"]).all())
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from . import arrays
from .errors import PartygraphError, check_choice
from .labels import CLOSENESS_EN, CLOSENESS_ZH, UNMET_EN, UNMET_ZH, localise
from .network import CoBuildingNetwork
from .schema import VOCABULARIES
from .ties import actors, horizontal_ties

__all__ = [
    "CLOSENESS",
    "MatchResult",
    "MatchWeights",
    "match_wishes",
    "optimal_assignment",
    "suggest_matches",
    "suggest_partners",
]

#: How close two places are: the finest level of the region tree they share.
CLOSENESS = ("place", "building", "estate", "grid", "community", "street", "district", "city",
             "province", "none")
DEFAULT_DISTANCE = {"place": 0.0, "building": 0.0, "estate": 0.5, "grid": 0.75,
                    "community": 1.0, "street": 2.0, "district": 3.0, "city": 4.0,
                    "province": 4.5, "none": 5.0}
_WITHIN = ("place", "building", "estate", "grid", "community", "street", "district", "city",
           "province", "all")

_COMPONENTS = ("score_base", "score_priority", "score_distance", "score_category",
               "score_cross_domain", "score_walled_in")


@dataclass(frozen=True)
class MatchWeights:
    """The settable parts of a need/resource pair's score.

    Attributes
    ----------
    base : float
        Every candidate pair starts with this (default 5, so that every pair within a city
        scores above zero and is worth suggesting).
    priority : float
        Points per priority level of the demand (1 low – 5 high).
    distance : mapping
        Points taken off by closeness (:data:`CLOSENESS`): same building 0, estate 0.5, grid
        0.75, community 1, street 2, district 3, city 4, province 4.5, none 5.
    per_km : float
        Points taken off per kilometre when matching by coordinates (``max_km``).
    cross_domain : float
        Bonus when the pair would create a new tie between actors of two different domains.
    walled_in : float
        Bonus when the requester's or the owner's actor is walled in (no horizontal tie).
    """

    base: float = 5.0
    priority: float = 1.0
    distance: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_DISTANCE))
    per_km: float = 0.2
    cross_domain: float = 1.0
    walled_in: float = 1.0

    def distance_array(self) -> np.ndarray:
        d = {**DEFAULT_DISTANCE, **dict(self.distance)}
        unknown = set(d) - set(CLOSENESS)
        if unknown:
            raise PartygraphError(f"unknown closeness level(s) {sorted(unknown)}; use "
                                  f"{list(CLOSENESS)} / 未知的距离层级")
        return np.array([d[c] for c in CLOSENESS], dtype=float)


@dataclass
class MatchResult:
    """What a matcher found, with the method and parameters that made it.

    Attributes
    ----------
    suggestions : DataFrame
        The chosen pairs, with quantity, score, its breakdown (``score_*`` columns that add
        up to ``score``) and the reasons in words (``reason``, ``reason_zh``).
    unmet : DataFrame
        Everything on the asking side not fully met, with the quantity left and why.
    candidates : DataFrame
        Every scored pair that was considered (solve again with :func:`optimal_assignment`).
    method : str
        The solver used.
    params : dict
        The parameters of the call.
    objective : float
        The total score of the suggestions (Σ score × quantity).
    lists : dict of str to DataFrame
        The lists a department prints (the need list and resource list with their status),
        written by :meth:`to_excel`.
    status : str
        ``optimal`` when the total score is proven the best; otherwise what stopped the
        solver (its time limit) and what was returned instead.
    """

    suggestions: pd.DataFrame
    unmet: pd.DataFrame
    candidates: pd.DataFrame
    method: str
    params: dict
    objective: float
    lists: dict[str, pd.DataFrame] = field(default_factory=dict)
    status: str = "optimal"

    def __repr__(self) -> str:
        return (f"<MatchResult {self.params.get('kind', 'matches')} by {self.method}: "
                f"{len(self.suggestions)} suggestions, total score {self.objective:g}, "
                f"{len(self.unmet)} unmet, {len(self.candidates)} candidates>")

    def to_excel(self, path: str | Path) -> Path:
        """Write the suggestions, the unmet list and the printed lists to one workbook,
        with Chinese headers (safe against formula injection).

        >>> import os, tempfile, partygraph as pg
        >>> m = pg.suggest_matches(pg.load_example("demo"))
        >>> m.to_excel(os.path.join(tempfile.mkdtemp(), "m.xlsx")).suffix
        '.xlsx'
        """
        from .writing import write_xlsx

        kind = self.params.get("kind", "matches")
        title = {"matches": "推荐对接", "wishes": "微心愿认领推荐",
                 "partners": "结对推荐"}.get(kind, "推荐")
        sheets = {title: _zh(self.suggestions), "未满足": _zh(self.unmet)}
        sheets.update({name: _zh(df) for name, df in self.lists.items()})
        notes = {title: f"{title}(方法:{self.method};总分 {self.objective:g})"}
        return write_xlsx(path, sheets, notes=notes)




def _zh(df: pd.DataFrame) -> pd.DataFrame:
    return localise(df, "zh")


# ----------------------------------------------------------------------------- solver

def _integral(x: np.ndarray) -> bool:
    return bool(np.all(np.isfinite(x)) and np.all(x == np.round(x)))


def _solve_flow(di, ri, w, qd, qr, pc, owner_code=None, cap_left=None) -> np.ndarray:
    """Max-score transportation as a min-cost flow: source → [owner →] resource → demand →
    sink, with a zero-cost source → sink arc so that nothing has to be assigned."""
    from ortools.graph.python import min_cost_flow

    nd, nr, m = len(qd), len(qr), len(di)
    qd_i, qr_i = qd.astype(np.int64), qr.astype(np.int64)
    total = int(qr_i.sum())
    no = 0 if cap_left is None else len(cap_left)
    s, t, o0 = 0, 1, 2
    r0, d0 = o0 + no, o0 + no + nr
    if cap_left is None:
        head = (np.full(nr, s), r0 + np.arange(nr), qr_i)
    else:
        per_owner = np.bincount(owner_code, weights=qr_i, minlength=no).astype(np.int64)
        head = (np.r_[np.full(no, s), o0 + owner_code],
                np.r_[o0 + np.arange(no), r0 + np.arange(nr)],
                np.r_[np.minimum(per_owner, cap_left), qr_i])
    first = len(head[0])
    tails = np.r_[head[0], r0 + ri, d0 + np.arange(nd), s].astype(np.int64)
    heads = np.r_[head[1], d0 + di, np.full(nd, t), t].astype(np.int64)
    caps = np.r_[head[2], pc.astype(np.int64), qd_i, total].astype(np.int64)
    costs = np.zeros(len(caps), dtype=np.int64)
    costs[first:first + m] = -w
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    sup = np.zeros(d0 + nd, dtype=np.int64)
    sup[s], sup[t] = total, -total
    flow.set_nodes_supplies(np.arange(d0 + nd), sup)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise PartygraphError(f"min-cost flow did not reach the optimum (status {status})")
    return flow.flows(np.arange(first, first + m)).astype(float)


def _solve_highs(di, ri, w, qd, qr, pc, owner_code=None, cap_left=None, integer=False,
                 time_limit=None) -> np.ndarray:
    """The same problem with HiGHS: an LP, or with an owner cap a MILP where a binary y_p
    marks a suggestion (x_p ≤ pc_p·y_p, Σ_owner y ≤ cap)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    nd, nr, m = len(qd), len(qr), len(di)
    cols = np.arange(m)
    a = sparse.vstack([sparse.csr_array((np.ones(m), (di, cols)), shape=(nd, m)),
                       sparse.csr_array((np.ones(m), (ri, cols)), shape=(nr, m))])
    c, lb, ub, rhs = -w.astype(float), np.zeros(m), pc.astype(float), np.r_[qd, qr]
    integrality = np.full(m, 1 if integer else 0)
    if cap_left is not None:
        no = len(cap_left)
        top = sparse.hstack([a, sparse.csr_array((nd + nr, m))])
        link = sparse.hstack([sparse.eye_array(m), -sparse.diags_array(ub)])
        own = sparse.hstack([sparse.csr_array((no, m)), sparse.csr_array(
            (np.ones(m), (owner_code[ri], cols)), shape=(no, m))])
        a = sparse.vstack([top, link, own])
        c, lb, ub = np.r_[c, np.zeros(m)], np.r_[lb, np.zeros(m)], np.r_[ub, np.ones(m)]
        rhs = np.r_[rhs, np.zeros(m), cap_left]
        integrality = np.r_[integrality, np.ones(m)]
    opts = {"mip_rel_gap": 0.0}
    if time_limit is not None:
        opts["time_limit"] = float(time_limit)
    res = milp(c=c, constraints=[LinearConstraint(a.tocsr(), -np.inf, rhs)],
               bounds=Bounds(lb, ub), integrality=integrality, options=opts)
    if res.x is None:
        if cap_left is not None and integer:
            return _capped_fallback(di, ri, w, qd, qr, pc, owner_code, cap_left), (
                f"no solution within the time limit ({res.message}); fallback: the optimum "
                "without the owner cap, cut to each owner's best suggestions"), float("nan")
        raise PartygraphError(f"HiGHS found no solution: {res.message} / 求解器未找到方案")
    x = res.x[:m]
    bound = getattr(res, "mip_dual_bound", None)
    bound = -float(bound) / 1000 if bound is not None and np.isfinite(bound) else float("nan")
    status = "optimal" if res.status == 0 else (
        f"stopped: {res.message}; best bound {bound:g}")
    return (np.round(x) if integer else x), status, bound


def _capped_fallback(di, ri, w, qd, qr, pc, owner_code, cap_left) -> np.ndarray:
    """A feasible answer when the capped MILP finds none in time: the exact optimum without
    the cap, then for each owner only its ``cap`` best-scoring suggestions are kept."""
    x = _solve_flow(di, ri, w, qd, qr, pc) if (_integral(qd) and _integral(qr)
                                               and _integral(pc)) else \
        _solve_highs(di, ri, w, qd, qr, pc)[0]
    chosen = np.flatnonzero(x > 0)
    own = owner_code[ri[chosen]]
    order = np.lexsort((-w[chosen] * x[chosen], own))
    own_sorted = own[order]
    first = np.r_[True, own_sorted[1:] != own_sorted[:-1]] if len(order) else np.zeros(0, bool)
    rank = np.arange(len(order)) - np.maximum.accumulate(
        np.where(first, np.arange(len(order)), 0))
    drop = chosen[order[rank >= cap_left[own_sorted]]]
    x[drop] = 0
    return x


def _assign(di, ri, w, qd, qr, pc, owner_code=None, cap_left=None, time_limit=None) -> tuple:
    """Core solver over integer-coded pairs; ``w`` are scores in thousandths (int).

    Integral quantities: a min-cost flow (also with an owner cap when no pair can carry more
    than 1, so that a unit of flow is a suggestion). Fractional quantities: the HiGHS LP.
    An owner cap with pairs that can carry more than 1: the HiGHS MILP, with no gap allowed
    and ``time_limit`` seconds; stopped there, it returns the best found (or a feasible
    fallback) and says so. Returns ``(x, method, status)``.
    """
    m = len(di)
    x = np.zeros(m)
    keep = (w > 0) & (pc > 0)
    if not keep.any():
        return x, "none", "optimal"
    di, ri, w, pc = di[keep], ri[keep], w[keep], pc[keep]
    integral = _integral(qd) and _integral(qr) and _integral(pc)
    capped = cap_left is not None
    status = "optimal"
    if integral and (not capped or np.all(pc <= 1)):
        sol, method = _solve_flow(di, ri, w, qd, qr, pc, owner_code, cap_left), "min-cost flow"
    else:
        sol, status, _ = _solve_highs(di, ri, w, qd, qr, pc, owner_code, cap_left,
                                      integer=integral and capped, time_limit=time_limit)
        method = "HiGHS MILP" if capped else "HiGHS LP"
    x[keep] = sol
    return x, method, status


def optimal_assignment(
    candidates: pd.DataFrame,
    demand_quantity: pd.Series,
    resource_quantity: pd.Series,
    *,
    pair_capacity: pd.Series | np.ndarray | None = None,
    owner: pd.Series | None = None,
    owner_cap: int | None = None,
) -> pd.Series:
    """The quantities that maximise Σ score × quantity over candidate pairs.

    Parameters
    ----------
    candidates : DataFrame
        Columns ``demand_id``, ``resource_id``, ``score`` (taken to 0.001; pairs scoring
        ≤ 0 are never chosen).
    demand_quantity, resource_quantity : Series
        How much each demand needs and each resource can give, indexed by id.
    pair_capacity : array-like, optional
        Most one pair may carry (default: the smaller of the two quantities).
    owner : Series, optional
        Owner of each resource (indexed by resource id); with ``owner_cap``, at most that many
        pairs (suggestions) per owner.
    owner_cap : int, optional

    Returns
    -------
    Series
        The quantity assigned to each candidate row (same index).

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"demand_id": ["d1", "d1", "d2"], "resource_id": ["r1", "r2", "r1"],
    ...                   "score": [5.0, 4.0, 3.0]})
    >>> optimal_assignment(c, pd.Series({"d1": 1, "d2": 1}), pd.Series({"r1": 1, "r2": 1})
    ...                    ).tolist()
    [0.0, 1.0, 1.0]
    """
    di = arrays.index_of(candidates["demand_id"].astype("str"),
                         pd.Series(demand_quantity.index.astype(str), dtype="str"))
    ri = arrays.index_of(candidates["resource_id"].astype("str"),
                         pd.Series(resource_quantity.index.astype(str), dtype="str"))
    if (di < 0).any() or (ri < 0).any():
        raise PartygraphError("a candidate names a demand or resource without a quantity / "
                              "候选配对中的需求或资源没有数量")
    qd = demand_quantity.to_numpy(dtype=float)
    qr = resource_quantity.to_numpy(dtype=float)
    pc = (np.minimum(qd[di], qr[ri]) if pair_capacity is None
          else np.asarray(pair_capacity, dtype=float))
    w = np.rint(candidates["score"].to_numpy(dtype=float) * 1000).astype(np.int64)
    own = cap_left = None
    if owner_cap is not None:
        if owner is None:
            raise PartygraphError("owner_cap needs owner / 设置提供方上限时须给出提供方")
        own, uniq = pd.factorize(owner.reindex(resource_quantity.index).astype("str"),
                                 use_na_sentinel=False)
        cap_left = np.full(len(uniq), owner_cap)
    x, _, _ = _assign(di, ri, w, qd, qr, pc, own, None if owner_cap is None else cap_left)
    return pd.Series(x, index=candidates.index)


# ----------------------------------------------------------------------------- places

def _level_codes(net: CoBuildingNetwork, region_ids: pd.Series) -> np.ndarray:
    """Integer code of each row's ancestor at every closeness level (-1 unknown)."""
    n = len(region_ids)
    out = np.full((len(CLOSENESS) - 1, n), -1, dtype=np.int64)
    rf = net.regions_frame
    if not len(rf):
        out[0] = pd.factorize(region_ids)[0]
        return out
    pos = arrays.index_of(region_ids, rf["id"])
    for j, lv in enumerate(CLOSENESS[:-1]):
        if lv == "place":
            codes = np.arange(len(rf))
        else:
            col = rf[f"{lv}_id"]
            if lv == "community":
                col = col.where(col.notna(), rf["village_id"])
            codes = pd.factorize(col)[0]
        out[j] = np.append(codes, -1)[pos]
    return out


def _closeness(cd: np.ndarray, cr: np.ndarray) -> np.ndarray:
    lvl = np.full(cd.shape[1], len(CLOSENESS) - 1, dtype=np.int64)
    for j in reversed(range(cd.shape[0])):
        eq = (cd[j] == cr[j]) & (cd[j] >= 0)
        lvl[eq] = j
    return lvl


def _coordinates(net: CoBuildingNetwork, region_ids: pd.Series) -> np.ndarray:
    """(n, 2) lon/lat of each row's region, or of its nearest ancestor that has them."""
    rf = net.regions_frame
    out = np.full((len(region_ids), 2), np.nan)
    if not len(rf) or "lon" not in net.tables["regions"].columns:
        return out
    reg = net.tables["regions"]
    ll = np.c_[reg["lon"].to_numpy(dtype=float), reg["lat"].to_numpy(dtype=float)]
    own = arrays.index_of(rf["id"], reg["id"])
    table = ll[own]
    for lv in ("building", "estate", "grid", "community", "village", "street", "district",
               "city"):
        missing = np.isnan(table[:, 0])
        if not missing.any():
            break
        anc = arrays.index_of(rf[f"{lv}_id"], reg["id"])
        fill = missing & (anc >= 0)
        table[fill] = ll[anc[fill]]
    pos = arrays.index_of(region_ids, rf["id"])
    hit = pos >= 0
    out[hit] = table[pos[hit]]
    return out


def _unit_vectors(ll: np.ndarray) -> np.ndarray:
    lon, lat = np.radians(ll[:, 0]), np.radians(ll[:, 1])
    return np.c_[np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)]


_EARTH_KM = 6371.0088


def _km(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Great-circle distance in km between rows of two (n, 2) lon/lat arrays (haversine)."""
    lon1, lat1, lon2, lat2 = (np.radians(v) for v in (a[:, 0], a[:, 1], b[:, 0], b[:, 1]))
    h = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    return 2 * _EARTH_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def _place_pairs_km(ca: np.ndarray, cb: np.ndarray, max_km: float):
    """Pairs of distinct coordinates within ``max_km`` (KD-tree on the unit sphere)."""
    from scipy.spatial import cKDTree

    ua, inv_a = np.unique(np.round(ca, 7), axis=0, return_inverse=True)
    ub, inv_b = np.unique(np.round(cb, 7), axis=0, return_inverse=True)
    chord = 2 * np.sin(min(max_km / _EARTH_KM, np.pi) / 2)
    ta, tb = cKDTree(_unit_vectors(ua)), cKDTree(_unit_vectors(ub))
    dm = ta.sparse_distance_matrix(tb, chord * (1 + 1e-9), output_type="coo_matrix")
    return inv_a.ravel(), inv_b.ravel(), dm.row.astype(np.int64), dm.col.astype(np.int64)


# ----------------------------------------------------------------------------- actors

def _actor_of(net: CoBuildingNetwork, ids: pd.Series) -> np.ndarray:
    """Actor position of each unit/org id; a member stands for the actor of their org."""
    act = actors(net)
    pos = act.position(ids, net)
    if "members" in net.tables:
        m = net.tables["members"]
        mpos = arrays.index_of(ids, m["id"])
        morg = arrays.index_of(m["org_id"], net.tables["orgs"]["id"])
        member_actor = np.append(act.org_actor, -1)[morg]
        use = (pos < 0) & (mpos >= 0)
        pos[use] = member_actor[mpos[use]]
    return pos


def _names(net: CoBuildingNetwork, ids: pd.Series) -> pd.Series:
    """Display name of each unit/org id; members keep their pseudonymous id."""
    t = net.tables
    names = pd.concat([pd.Series(t["units"]["name"].to_numpy(), index=t["units"]["id"]),
                       pd.Series(t["orgs"]["name"].to_numpy(), index=t["orgs"]["id"])])
    out = arrays.lookup(ids, names.astype("str"))
    return out.where(out.notna(), ids)


def _tie_keys(ties: pd.DataFrame, n: int, kinds=None) -> np.ndarray:
    t = ties if kinds is None else ties[ties["kind"].isin(kinds)]
    a, b = t["a"].to_numpy(), t["b"].to_numpy()
    return np.unique(np.minimum(a, b) * n + np.maximum(a, b))


def _pair_keys(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    return np.minimum(a, b) * n + np.maximum(a, b)


def _round(x: np.ndarray) -> np.ndarray:
    return np.round(np.asarray(x, dtype=float), 3) + 0.0


def _join_reasons(parts: list[pd.Series]) -> pd.Series:
    """Join text pieces with ' · ', skipping missing ones, column-wise (no row loop)."""
    out = None
    for p in parts:
        p = p.astype("str")
        if out is None:
            out = p.fillna("")
            continue
        sep = out.ne("") & p.notna()
        out = out + np.where(sep, " · ", "") + p.fillna("")
    return out


def _statuses(net, window, ties) -> np.ndarray:
    from .walls import actor_statuses

    return actor_statuses(net, window, ties=ties)["status"].to_numpy(dtype=object)


def _check_within(within: str | None) -> None:
    if within is not None:
        check_choice("within", within, _WITHIN)


def _expand_pairs(left: pd.DataFrame, right: pd.DataFrame, on: list[str]) -> tuple:
    """Row positions of every (left, right) pair agreeing on the ``on`` integer columns."""
    j = left[["i", *on]].merge(right[["j", *on]], on=on, how="inner", sort=False)
    return j["i"].to_numpy(dtype=np.int64), j["j"].to_numpy(dtype=np.int64)


def _compatibility(compatibility) -> pd.DataFrame:
    cats = VOCABULARIES["category"].code_list()
    if compatibility is None:
        return pd.DataFrame({"demand_category": cats, "resource_category": cats,
                             "bonus": 0.0})
    if isinstance(compatibility, Mapping):
        rows = [(d, r) for d, rs in compatibility.items()
                for r in ([rs] if isinstance(rs, str) else rs)]
        comp = pd.DataFrame(rows, columns=["demand_category", "resource_category"])
    else:
        comp = pd.DataFrame(compatibility).copy()
        missing = {"demand_category", "resource_category"} - set(comp.columns)
        if missing:
            raise PartygraphError(f"the compatibility table needs columns {sorted(missing)} / "
                                  "类别相容表缺少列")
    if "bonus" not in comp.columns:
        comp["bonus"] = 0.0
    voc = VOCABULARIES["category"]
    for c in ("demand_category", "resource_category"):
        codes = comp[c].map(lambda v: voc.code_of(v) if isinstance(v, str) else None)
        bad = comp[c][codes.isna()]
        if len(bad):
            raise PartygraphError(f"unknown category {bad.iloc[0]!r} in the compatibility "
                                  f"table / 类别相容表中有未知类别")
        comp[c] = codes
    return comp.drop_duplicates(["demand_category", "resource_category"])


# ----------------------------------------------------------------------------- needs ↔ resources

def suggest_matches(
    net: CoBuildingNetwork,
    *,
    within: str | None = "street",
    max_km: float | None = None,
    compatibility: pd.DataFrame | Mapping | None = None,
    weights: MatchWeights | None = None,
    owner_cap: int | None = None,
    pair_first: bool = False,
    window: object = None,
    time_limit: float | None = 60.0,
) -> MatchResult:
    """Suggest which resource should meet which need (需求清单 ↔ 资源清单), optimally.

    Parameters
    ----------
    net : CoBuildingNetwork
        Needs the ``demands`` and ``resources`` tables.
    within : str or None
        Farthest a pair may be apart in the region tree: ``place``, ``building``,
        ``estate``, ``grid``, ``community`` (or village), ``street`` (default), ``district``,
        ``city``, ``province`` or ``all``. With ``max_km`` and ``within=None`` only the
        distance in kilometres limits pairs.
    max_km : float, optional
        Match by coordinates (``lon``/``lat`` on regions; a place without them takes its
        nearest ancestor's): only pairs at most this far apart, and the distance penalty is
        ``weights.per_km`` per km instead of the tree penalty. Rows without coordinates
        get no candidate.
    compatibility : DataFrame or mapping, optional
        Which resource categories may meet which demand category: a table with
        ``demand_category``, ``resource_category`` and optional ``bonus`` (added to the
        score), or ``{demand_category: [resource categories]}``. Codes or Chinese labels.
        Default: each category meets only its own.
    weights : MatchWeights, optional
    owner_cap : int, optional
        At most this many suggestions per resource owner (default: no cap).
    pair_first : bool
        Pair-first, then open (对口优先): first match each community's needs only with the
        units paired with the requester or with that community (active ``pair`` or
        ``agreement`` ties), then open what is left to every candidate.
    window : tuple, optional
        The analysis window for ties and the walled-in status.
    time_limit : float, optional
        Seconds allowed to HiGHS when it is used (an owner cap with quantities above 1:
        60 s by default, ``None`` for none). Stopped there, the best suggestions found are
        returned, or, if none was found, the optimum without the cap cut to each owner's best
        ``owner_cap`` suggestions; ``status`` says which.

    Returns
    -------
    MatchResult
        ``suggestions`` (``demand_id``, ``resource_id``, ``quantity``, ``score``, ``stage``
        — 1 paired, 2 open —, names, closeness, the ``score_*`` breakdown, ``reason``,
        ``reason_zh``), ``unmet`` (``quantity_unmet``, ``why``, ``why_zh``),
        ``candidates`` (every scored pair), and ``lists`` (the need and resource lists with
        what was suggested).

    Notes
    -----
    A pair whose demand and resource belong to the same actor is not a candidate (a unit
    does not co-build with itself). A pair creates a *new cross-domain tie* when the two
    actors are of different domains and have no active horizontal tie yet; it *involves a
    walled-in actor* when either actor's status is ``walled_in``.

    Examples
    --------
    >>> import partygraph as pg
    >>> m = pg.suggest_matches(pg.load_example("demo"), within="district")
    >>> m.method
    'min-cost flow'
    """
    _check_within(within)
    if within is None and max_km is None:
        raise PartygraphError("give within or max_km / 请指定距离范围或公里数")
    wts = weights or MatchWeights()
    dist_pts = wts.distance_array()
    d = net.table("demands", "matching")
    r = net.table("resources", "matching")
    comp = _compatibility(compatibility)
    cats = VOCABULARIES["category"].code_list()
    dcat = pd.Categorical(d["category"], categories=cats).codes.astype(np.int64)
    rcat = pd.Categorical(r["category"], categories=cats).codes.astype(np.int64)
    lc_d = _level_codes(net, d["region_id"])
    lc_r = _level_codes(net, r["region_id"])
    cmap = pd.DataFrame({
        "dcat": pd.Categorical(comp["demand_category"], categories=cats).codes,
        "rcat": pd.Categorical(comp["resource_category"], categories=cats).codes,
        "bonus": comp["bonus"].to_numpy(dtype=float)})
    left = pd.DataFrame({"i": np.arange(len(d)), "dcat": dcat}).merge(cmap, on="dcat")
    right = pd.DataFrame({"j": np.arange(len(r)), "rcat": rcat})
    on = ["rcat"]
    if within is not None and within != "all":
        wl = CLOSENESS.index(within)
        left["key"] = lc_d[wl][left["i"].to_numpy()]
        right["key"] = lc_r[wl]
        left = left[left["key"] >= 0]
        right = right[right["key"] >= 0]
        on.append("key")
    km = ll_d = ll_r = None
    if max_km is not None:
        ll_d, ll_r = _coordinates(net, d["region_id"]), _coordinates(net, r["region_id"])
        okd, okr = ~np.isnan(ll_d[:, 0]), ~np.isnan(ll_r[:, 0])
        ia, ib, pa_, pb_ = _place_pairs_km(ll_d[okd], ll_r[okr], max_km)
        place_d = np.full(len(d), -1)
        place_d[okd] = ia
        place_r = np.full(len(r), -1)
        place_r[okr] = ib
        pp = pd.DataFrame({"pd": pa_, "pr": pb_})
        left = left.assign(pd=place_d[left["i"].to_numpy()])
        left = left[left["pd"] >= 0].merge(pp, on="pd")
        right = right.assign(pr=place_r[right["j"].to_numpy()])
        right = right[right["pr"] >= 0]
        on.append("pr")
    joined = left.merge(right, on=on, how="inner", sort=False)
    di = joined["i"].to_numpy(dtype=np.int64)
    ri = joined["j"].to_numpy(dtype=np.int64)
    bonus = joined["bonus"].to_numpy(dtype=float)
    # actors, self pairs, ties, walled-in status
    act = actors(net)
    na = len(act.frame)
    ad = _actor_of(net, d["requester_id"])
    ar = _actor_of(net, r["owner_id"])
    same = (d["requester_id"].to_numpy(dtype=object)[di] == r["owner_id"].to_numpy(
        dtype=object)[ri]) | ((ad[di] == ar[ri]) & (ad[di] >= 0))
    di, ri, bonus = di[~same], ri[~same], bonus[~same]
    m = len(di)
    ties = horizontal_ties(net, window)
    tied = np.isin(_pair_keys(ad[di], ar[ri], max(na, 1)), _tie_keys(ties, max(na, 1)))
    dom = pd.factorize(act.frame["domain"])[0]
    dom = np.append(dom, -1)
    both = (ad[di] >= 0) & (ar[ri] >= 0)
    cross = both & (dom[ad[di]] != dom[ar[ri]]) & (dom[ad[di]] >= 0) & (dom[ar[ri]] >= 0)
    new_cross = cross & ~tied
    status = np.append(_statuses(net, window, ties), "")
    walled = (status[ad[di]] == "walled_in") | (status[ar[ri]] == "walled_in")
    closeness = _closeness(lc_d[:, di], lc_r[:, ri])
    if max_km is not None:
        km = _km(ll_d[di], ll_r[ri])
        s_dist = _round(-wts.per_km * km)
    else:
        s_dist = _round(-dist_pts[closeness])
    prio = d["priority"].to_numpy(dtype=float)
    comps = {
        "score_base": _round(np.full(m, wts.base)),
        "score_priority": _round(wts.priority * prio[di]),
        "score_distance": s_dist,
        "score_category": _round(bonus),
        "score_cross_domain": _round(wts.cross_domain * new_cross),
        "score_walled_in": _round(wts.walled_in * walled),
    }
    milli = sum(np.rint(v * 1000).astype(np.int64) for v in comps.values())
    score = milli / 1000
    qd = d["quantity"].to_numpy(dtype=float)
    qr = r["quantity"].to_numpy(dtype=float)
    owner_code = pd.factorize(r["owner_id"])[0] if owner_cap is not None else None
    # pair-first: the requester's (or its community's) paired partners get first claim
    paired = np.zeros(m, dtype=bool)
    if pair_first:
        paired = _paired(net, act, ties, d, ad, ar, di, ri)
    x = np.zeros(m)
    stage = np.zeros(m, dtype=np.int64)
    methods: list[str] = []
    statuses: list[str] = []
    left_d, left_r = qd.copy(), qr.copy()
    cap_left = None if owner_cap is None else np.full(
        (int(owner_code.max()) + 1) if len(owner_code) else 0, owner_cap)
    for st, mask in ((1, paired), (2, np.ones(m, dtype=bool))):
        if st == 1 and not pair_first:
            continue
        idx = np.flatnonzero(mask)
        pc = np.minimum(left_d[di[idx]], left_r[ri[idx]])
        xs, meth, st_status = _assign(di[idx], ri[idx], milli[idx], left_d, left_r, pc,
                                      owner_code, cap_left, time_limit)
        methods.append(meth)
        statuses.append(st_status)
        x[idx] += xs
        stage[idx[(xs > 0) & (stage[idx] == 0)]] = st
        np.subtract.at(left_d, di[idx], xs)
        np.subtract.at(left_r, ri[idx], xs)
        if cap_left is not None:
            used = np.bincount(owner_code[ri[idx][xs > 0]], minlength=len(cap_left))
            cap_left = cap_left - used
    method = next((mm for mm in methods if mm != "none"), "none")
    cand = pd.DataFrame({
        "demand_id": arrays.take_str(d["id"], di), "resource_id": arrays.take_str(r["id"], ri),
        "score": score, "closeness": pd.Series(np.array(CLOSENESS, dtype=object)[closeness],
                                               dtype="str"),
        **({"km": _round(km)} if km is not None else {}),
        **comps, "paired": paired, "quantity": x})
    sugg = _describe_matches(net, d, r, cand, di, ri, stage, new_cross, walled, km)
    others = _others(d, r, ad, ar, cmap, dcat, rcat, na)
    unmet = _unmet_demands(net, d, r, di, ri, x, score, qd, left_d, left_r, within, others,
                           owner_code, cap_left, lc_d)
    objective = float(np.round((milli * x).sum() / 1000, 3))
    lists = _lists(net, d, r, sugg, qd, qr, left_d, left_r)
    params = {"kind": "matches", "within": within, "max_km": max_km,
              "weights": wts, "owner_cap": owner_cap, "pair_first": pair_first,
              "window": net.resolve_window(window),
              "compatibility": comp.reset_index(drop=True)}
    status = next((st for st in statuses if st != "optimal"), "optimal")
    return MatchResult(sugg, unmet, cand.drop(columns=["quantity"]), method, params,
                       objective, lists, status)


def _paired(net, act, ties, d, ad, ar, di, ri) -> np.ndarray:
    """Is the owner's actor paired (pair/agreement) with the requester or its community?"""
    na = max(len(act.frame), 1)
    pt = ties[ties["kind"].isin(["pair", "agreement"])]
    keys = _tie_keys(pt, na)
    direct = np.isin(_pair_keys(ad[di], ar[ri], na), keys)
    f = act.frame
    if "community_id" not in f.columns or not len(pt):
        return direct & (ad[di] >= 0) & (ar[ri] >= 0)
    # community actors: committee units and orgs built over the community itself
    comm_codes, comm_uniq = pd.factorize(f["community_id"])
    is_comm = (f["region_id"] == f["community_id"]).fillna(False).to_numpy(dtype=bool)
    if "units" in net.tables:
        kinds = pd.Series(pd.NA, index=f.index, dtype="str")
        nu = len(net.tables["units"])
        kinds.iloc[:nu] = net.tables["units"]["kind"].to_numpy()
        is_comm = is_comm & (kinds.isin(["community", "village"]).to_numpy(dtype=bool)
                    | (f["actor_type"] == "org").to_numpy(dtype=bool))
    a, b = pt["a"].to_numpy(), pt["b"].to_numpy()
    pairs = []
    for x, y in ((a, b), (b, a)):
        sel = is_comm[y] & (comm_codes[y] >= 0)
        pairs.append(x[sel] * (len(comm_uniq) + 1) + comm_codes[y[sel]])
    owner_comm = np.unique(np.concatenate(pairs))
    dcomm = pd.Series(pd.NA, index=d.index, dtype="str")
    if net.has("regions"):
        dcomm = net.ancestor(d["region_id"], "community")
        dcomm = dcomm.where(dcomm.notna(), net.ancestor(d["region_id"], "village"))
    dcode = arrays.index_of(dcomm, pd.Series(comm_uniq, dtype="str"))
    via_comm = (dcode[di] >= 0) & (ar[ri] >= 0) & np.isin(
        ar[ri] * (len(comm_uniq) + 1) + dcode[di], owner_comm)
    return (direct & (ad[di] >= 0) & (ar[ri] >= 0)) | via_comm


def _category_zh(s: pd.Series) -> pd.Series:
    return s.map(VOCABULARIES["category"].labels("zh")).astype("str")


def _region_names(net: CoBuildingNetwork, ids: pd.Series, level: str) -> pd.Series:
    if not net.has("regions"):
        return pd.Series(pd.NA, index=ids.index, dtype="str")
    anc = net.ancestor(ids, level)
    if level == "community":
        anc = anc.where(anc.notna(), net.ancestor(ids, "village"))
    reg = net.tables["regions"]
    return arrays.lookup(anc, pd.Series(reg["name"].to_numpy(), index=reg["id"].to_numpy(),
                                        dtype="str"))


def _describe_matches(net, d, r, cand, di, ri, stage, new_cross, walled, km) -> pd.DataFrame:
    chosen = np.flatnonzero(cand["quantity"].to_numpy() > 0)
    c = cand.iloc[chosen].reset_index(drop=True)
    dd, rr = di[chosen], ri[chosen]
    req = pd.Series(arrays.take_str(d["requester_id"], dd), dtype="str")
    own = pd.Series(arrays.take_str(r["owner_id"], rr), dtype="str")
    dcat = pd.Series(arrays.take_str(d["category"], dd), dtype="str")
    rcat = pd.Series(arrays.take_str(r["category"], rr), dtype="str")
    dreg = pd.Series(arrays.take_str(d["region_id"], dd), dtype="str")
    out = pd.DataFrame({
        "demand_id": c["demand_id"], "resource_id": c["resource_id"],
        "quantity": c["quantity"], "score": c["score"],
        "stage": stage[chosen], "requester_id": req, "requester": _names(net, req),
        "owner_id": own, "owner": _names(net, own), "demand_category": dcat,
        "resource_category": rcat, "community": _region_names(net, dreg, "community"),
        "closeness": c["closeness"]})
    if km is not None:
        out["km"] = c["km"]
    for col in _COMPONENTS:
        out[col] = c[col]
    same_cat = (dcat == rcat).to_numpy(dtype=bool)
    cat_zh = pd.Series(np.where(same_cat, "同类别", "相容类别:" + _category_zh(dcat) + "←"
                                + _category_zh(rcat)), dtype="str")
    cat_en = pd.Series(np.where(same_cat, "same category", "compatible category"), dtype="str")
    if km is not None:
        place_zh = pd.Series("相距" + c["km"].map("{:.1f}".format) + "公里", dtype="str")
        place_en = pd.Series(c["km"].map("{:.1f}".format) + " km apart", dtype="str")
    else:
        place_zh = c["closeness"].map(CLOSENESS_ZH).astype("str")
        place_en = c["closeness"].map(CLOSENESS_EN).astype("str")
    prio = arrays.take_str(d["priority"].astype("str"), dd)
    nc, wl = new_cross[chosen], walled[chosen]
    st1 = out["stage"].to_numpy() == 1

    def piece(mask, text):
        return pd.Series(np.where(mask, text, None), dtype="str")

    out["reason_zh"] = _join_reasons([
        cat_zh, place_zh, pd.Series("优先级" + pd.Series(prio, dtype="str"), dtype="str"),
        piece(nc, "新增跨领域联系"), piece(wl, "带动围墙内单位"), piece(st1, "对口共建优先")])
    out["reason"] = _join_reasons([
        cat_en, place_en, pd.Series("priority " + pd.Series(prio, dtype="str"), dtype="str"),
        piece(nc, "new cross-domain tie"), piece(wl, "involves a walled-in actor"),
        piece(st1, "paired partner first")])
    return out.sort_values(["score", "demand_id", "resource_id"],
                           ascending=[False, True, True], kind="stable").reset_index(drop=True)


def _others(d, r, ad, ar, cmap, dcat, rcat, na) -> np.ndarray:
    """For each demand, how many resources of a compatible category another actor owns."""
    ids, _ = pd.factorize(pd.concat([d["requester_id"], r["owner_id"]], ignore_index=True))
    kd = np.where(ad >= 0, ad, na + ids[:len(d)])
    kr = np.where(ar >= 0, ar, na + ids[len(d):])
    per_cat = pd.Series(rcat).value_counts()
    own = pd.DataFrame({"rcat": rcat, "k": kr}).value_counts()
    left = pd.DataFrame({"i": np.arange(len(d)), "dcat": dcat, "k": kd}).merge(cmap, on="dcat")
    total = per_cat.reindex(left["rcat"].to_numpy(), fill_value=0).to_numpy()
    mine = own.reindex(pd.MultiIndex.from_arrays([left["rcat"], left["k"]]),
                       fill_value=0).to_numpy()
    return np.bincount(left["i"], weights=total - mine, minlength=len(d))


def _unmet_demands(net, d, r, di, ri, x, score, qd, left_d, left_r, within, others,
                   owner_code, cap_left, lc_d) -> pd.DataFrame:
    nd = len(d)
    unmet = np.flatnonzero(left_d > 1e-9)
    n_cand = np.bincount(di, minlength=nd)
    n_pos = np.bincount(di[score > 0], minlength=nd)
    has_cat = others > 0
    no_place = np.zeros(nd, dtype=bool)
    if within not in (None, "all"):
        no_place = lc_d[CLOSENESS.index(within)] < 0
    # a candidate whose resource still has quantity: blocked by the owner cap
    open_res = np.zeros(nd, dtype=bool)
    if cap_left is not None and len(di):
        avail = (left_r[ri] > 1e-9) & (score > 0)
        np.logical_or.at(open_res, di[avail], True)
    why = np.select(
        [~has_cat, no_place, n_cand == 0, n_pos == 0, open_res],
        ["no_category", "no_place", "not_near", "not_positive", "owner_cap"], "taken")
    sel = unmet
    out = pd.DataFrame({
        "demand_id": d["id"].iloc[sel].to_numpy(),
        "requester_id": d["requester_id"].iloc[sel].to_numpy(),
        "requester": _names(net, d["requester_id"].iloc[sel].reset_index(drop=True)),
        "category": d["category"].iloc[sel].to_numpy(),
        "priority": d["priority"].iloc[sel].to_numpy(),
        "community": _region_names(net, d["region_id"].iloc[sel].reset_index(drop=True),
                                   "community"),
        "quantity": qd[sel], "quantity_met": _round(qd[sel] - left_d[sel]),
        "quantity_unmet": _round(left_d[sel]), "candidates": n_cand[sel],
        "why": pd.Series(why[sel], dtype="str")})
    for c in ("demand_id", "requester_id", "category"):
        out[c] = out[c].astype("str")
    out["why_zh"] = out["why"].map(UNMET_ZH).astype("str")
    out["why_en"] = out["why"].map(UNMET_EN).astype("str")
    return out.sort_values(["priority", "demand_id"], ascending=[False, True],
                           kind="stable").reset_index(drop=True)


def _lists(net, d, r, sugg, qd, qr, left_d, left_r) -> dict[str, pd.DataFrame]:
    """The need list and the resource list a department prints, with the suggestions."""
    def partners(key, other):
        if not len(sugg):
            return pd.Series(dtype="str")
        g = sugg.groupby(key, sort=False)[other].agg("、".join)
        return g.astype("str")

    need = pd.DataFrame({
        "demand_id": d["id"], "requester": _names(net, d["requester_id"]),
        "name": d["name"], "category_zh": _category_zh(d["category"]),
        "priority": d["priority"], "community": _region_names(net, d["region_id"], "community"),
        "quantity": qd, "quantity_met": _round(qd - left_d)})
    need["status"] = np.where(left_d <= 1e-9, "已对接", np.where(left_d < qd, "部分对接",
                                                                "待对接"))
    need["matched_with"] = arrays.lookup(d["id"], partners("demand_id", "owner"))
    res = pd.DataFrame({
        "resource_id": r["id"], "owner": _names(net, r["owner_id"]), "name": r["name"],
        "category_zh": _category_zh(r["category"]),
        "community": _region_names(net, r["region_id"], "community"),
        "quantity": qr, "quantity_used": _round(qr - left_r), "quantity_left": _round(left_r)})
    res["matched_with"] = arrays.lookup(r["id"], partners("resource_id", "requester"))
    return {"需求清单": need, "资源清单": res}


# ----------------------------------------------------------------------------- wishes (三单制)

def _split_tags(s: pd.Series) -> pd.DataFrame:
    """(row, tag) for every tag of a ``;``/``；``/``,``/``、`` separated column."""
    t = s.astype("str").str.replace(r"[；;,，、]", ";", regex=True).str.split(";")
    ex = t.explode()
    ex = ex.astype("str").str.strip()
    ok = ex.notna() & ex.ne("")
    return pd.DataFrame({"row": ex.index[ok.to_numpy(dtype=bool)].to_numpy(dtype=np.int64),
                         "tag": ex[ok].to_numpy()})


def _open_items(net: CoBuildingNetwork) -> pd.DataFrame:
    """Demands naming skills, and wish projects not yet claimed, as one item table."""
    parts = []
    if net.has("demands"):
        d = net.tables["demands"]
        has = d["skills"].notna().to_numpy(dtype=bool)
        parts.append(pd.DataFrame({
            "item_id": d["id"][has].to_numpy(), "item_type": "demand",
            "requester_id": d["requester_id"][has].to_numpy(),
            "region_id": d["region_id"][has].to_numpy(),
            "priority": d["priority"][has].to_numpy(dtype=float),
            "quantity": d["quantity"][has].to_numpy(dtype=float),
            "skills": d["skills"][has].to_numpy()}))
    if net.has("projects"):
        p = net.tables["projects"]
        wish = ((p["kind"] == "wish").fillna(False).to_numpy(dtype=bool)
                & p["status"].isin(["planned", "running"]).to_numpy(dtype=bool))
        if net.has("participation"):
            pa = net.tables["participation"]
            claimed = pa["project_id"][(pa["role"] == "claimant").fillna(False)]
            wish = wish & ~arrays.isin(p["id"], claimed)
        lead = p["lead_id"][wish].reset_index(drop=True)
        reg = _owner_regions(net, lead)
        skills = (p["skills"][wish].to_numpy() if "skills" in p.columns
                  else np.full(int(wish.sum()), None))
        prio = (p["priority"][wish].to_numpy(dtype=float) if "priority" in p.columns
                else np.full(int(wish.sum()), 3.0))
        parts.append(pd.DataFrame({
            "item_id": p["id"][wish].to_numpy(), "item_type": "wish",
            "requester_id": lead.to_numpy(), "region_id": reg.to_numpy(), "priority": prio,
            "quantity": 1.0, "skills": skills}))
    cols = {"item_id": "str", "item_type": "str", "requester_id": "str", "region_id": "str",
            "priority": "float64", "quantity": "float64", "skills": "str"}
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in cols.items()})
    out = pd.concat(parts, ignore_index=True)
    return out.astype(cols)


def _owner_regions(net: CoBuildingNetwork, ids: pd.Series) -> pd.Series:
    t = net.tables
    where = [pd.Series(t["units"]["region_id"].to_numpy(), index=t["units"]["id"].to_numpy()),
             pd.Series(net.region_of("orgs").to_numpy(), index=t["orgs"]["id"].to_numpy())]
    if "members" in t:
        where.append(pd.Series(t["members"]["residence_id"].to_numpy(),
                               index=t["members"]["id"].to_numpy()))
    if "regions" in t:
        where.append(pd.Series(t["regions"]["id"].to_numpy(), index=t["regions"]["id"]))
    return arrays.lookup(ids, pd.concat(where).astype("str"))


def match_wishes(
    net: CoBuildingNetwork,
    *,
    within: str = "community",
    capacity: int = 1,
    skill_weight: float = 2.0,
    weights: MatchWeights | None = None,
    window: object = None,
) -> MatchResult:
    """Match residents' wishes and skilled needs to members (三单制: 居民提单、党组织下单、
    党员接单).

    Items are demands with a ``skills`` column value and ``wish`` projects that are planned or
    running and not yet claimed (a ``claimant`` participation); a wish's skills come from an
    optional ``skills`` column on projects (without one, any member nearby may claim it). A
    member can take an item when they live in, or are registered with (an active
    ``registration`` link from the member to an org of), the item's region at the ``within``
    level, and — when the item names skills — has at least one of them.

    Parameters
    ----------
    net : CoBuildingNetwork
    within : str
        ``community`` (default; or village), ``grid``, ``estate``, ``street``, …
    capacity : int
        Most items one member is suggested for.
    skill_weight : float
        Points per matching skill tag.
    weights : MatchWeights, optional
        ``base``, ``priority`` and ``distance`` (between the member's home and the item) are
        used.
    window : tuple, optional
        Window for registration links.

    Returns
    -------
    MatchResult
        ``suggestions`` with ``item_id``, ``item_type``, ``member_id`` (the pseudonymous id
        only), ``score`` (= ``score_base + score_priority + score_skill + score_distance``),
        ``skills_matched``, ``via`` (lives/registered) and reasons; ``unmet`` items and why.

    Examples
    --------
    >>> import partygraph as pg
    >>> w = pg.match_wishes(pg.load_example("demo"))
    >>> set(w.suggestions.columns) >= {"item_id", "member_id", "score"}
    True
    """
    _check_within(within)
    wts = weights or MatchWeights()
    items = _open_items(net)
    m = net.table("members", "wish matching")
    wl = CLOSENESS.index(within) if within != "all" else None
    lc_i = _level_codes(net, items["region_id"])
    lc_m = _level_codes(net, m["residence_id"])
    key_i = lc_i[wl] if wl is not None else np.zeros(len(items), np.int64)
    key_m = lc_m[wl] if wl is not None else np.zeros(len(m), np.int64)
    # member places: residence, plus communities of orgs registered with
    places = [pd.DataFrame({"member": np.arange(len(m)), "key": key_m, "reg": False})]
    if net.has("links") and wl is not None:
        lk = net.tables["links"]
        act = net.active("links", net.resolve_window(window))
        sel = act & (lk["kind"] == "registration").fillna(False).to_numpy(dtype=bool)
        mpos = arrays.index_of(lk["source"][sel], m["id"])
        tgt = lk["target"][sel].reset_index(drop=True)
        treg = _owner_regions(net, tgt)
        tkey = _level_codes(net, treg)[wl]
        ok = (mpos >= 0) & (tkey >= 0)
        places.append(pd.DataFrame({"member": mpos[ok], "key": tkey[ok], "reg": True}))
    mp = pd.concat(places, ignore_index=True)
    mp = mp[mp["key"] >= 0].sort_values(["member", "key", "reg"]).drop_duplicates(
        ["member", "key"])
    it = _split_tags(items["skills"].reset_index(drop=True))
    ms = _split_tags(m["skills"].reset_index(drop=True))
    n_tags = np.bincount(it["row"], minlength=len(items))
    # items with skills: join on (key, tag); items without: join on key
    a = it.assign(key=key_i[it["row"].to_numpy()]).rename(columns={"row": "item"})
    b = ms.rename(columns={"row": "member"}).merge(mp, on="member")
    j1 = a[a["key"] >= 0].merge(b, on=["key", "tag"])
    g1 = j1.groupby(["item", "member"], sort=False).agg(
        overlap=("tag", "size"), tags=("tag", "、".join), reg=("reg", "min")).reset_index()
    free = np.flatnonzero((n_tags == 0) & (key_i >= 0))
    j2 = pd.DataFrame({"item": free, "key": key_i[free]}).merge(mp, on="key")
    g2 = pd.DataFrame({"item": j2["item"], "member": j2["member"], "overlap": 0,
                       "tags": pd.Series(pd.NA, index=j2.index, dtype="str"),
                       "reg": j2["reg"]})
    pairs = pd.concat([g1, g2], ignore_index=True)
    # a member does not claim an item they asked for themselves
    req = items["requester_id"].to_numpy(dtype=object)
    mid = m["id"].to_numpy(dtype=object)
    pairs = pairs[req[pairs["item"].to_numpy(dtype=np.int64)]
                  != mid[pairs["member"].to_numpy(dtype=np.int64)]]
    pairs = pairs.sort_values(["item", "member"], kind="stable").reset_index(drop=True)
    ii = pairs["item"].to_numpy(dtype=np.int64)
    mm = pairs["member"].to_numpy(dtype=np.int64)
    close = _closeness(lc_i[:, ii], lc_m[:, mm])
    comps = {
        "score_base": _round(np.full(len(pairs), wts.base)),
        "score_priority": _round(wts.priority * items["priority"].to_numpy()[ii]),
        "score_skill": _round(skill_weight * pairs["overlap"].to_numpy(dtype=float)),
        "score_distance": _round(-wts.distance_array()[close]),
    }
    milli = sum(np.rint(v * 1000).astype(np.int64) for v in comps.values())
    qd = items["quantity"].to_numpy(dtype=float)
    qr = np.full(len(m), float(capacity))
    x, method, _ = _assign(ii, mm, milli, qd, qr, np.ones(len(pairs)))
    cand = pd.DataFrame({
        "item_id": arrays.take_str(items["item_id"], ii),
        "member_id": arrays.take_str(m["id"], mm), "score": milli / 1000,
        "closeness": pd.Series(np.array(CLOSENESS, dtype=object)[close], dtype="str"),
        **comps, "skills_matched": pairs["tags"].astype("str").to_numpy(),
        "via": np.where(pairs["reg"].to_numpy(dtype=bool), "registered", "lives")})
    ch = np.flatnonzero(x > 0)
    s = cand.iloc[ch].reset_index(drop=True)
    s.insert(1, "item_type", arrays.take_str(items["item_type"], ii[ch]))
    s.insert(3, "quantity", x[ch])
    reqs = pd.Series(arrays.take_str(items["requester_id"], ii[ch]), dtype="str")
    s.insert(2, "requester", _names(net, reqs))
    via_zh = np.where(s["via"] == "registered", "已到社区报到", "居住在本社区")
    skill_zh = pd.Series(np.where(s["skills_matched"].notna(), "特长相符:"
                                  + s["skills_matched"].fillna(""), None), dtype="str")
    s["reason_zh"] = _join_reasons([skill_zh, pd.Series(via_zh, dtype="str"),
                                    s["closeness"].map(CLOSENESS_ZH).astype("str")])
    skill_en = pd.Series(np.where(s["skills_matched"].notna(), "skills fit: "
                                  + s["skills_matched"].fillna(""), None), dtype="str")
    s["reason"] = _join_reasons([skill_en, pd.Series(np.where(
        s["via"] == "registered", "registered with the community", "lives in the community"),
        dtype="str"), s["closeness"].map(CLOSENESS_EN).astype("str")])
    s = s.sort_values(["score", "item_id", "member_id"], ascending=[False, True, True],
                      kind="stable").reset_index(drop=True)
    got = np.bincount(ii, weights=x, minlength=len(items))
    n_c = np.bincount(ii, minlength=len(items))
    left = qd - got
    u = np.flatnonzero(left > 1e-9)
    why = np.where(key_i[u] < 0, "no_place", np.where(n_c[u] == 0, "not_near", "taken"))
    why_zh = {"no_place": "所在区域不明", "taken": "合适党员的认领名额已满",
              "not_near": "本社区(网格)内无特长相符的党员"}
    why_en = {"no_place": "the item's place is unknown",
              "taken": "every fitting member is at capacity",
              "not_near": "no member with a fitting skill lives or is registered nearby"}
    unmet = pd.DataFrame({
        "item_id": items["item_id"].to_numpy()[u], "item_type": items["item_type"].to_numpy()[u],
        "skills": items["skills"].to_numpy()[u], "quantity": qd[u],
        "quantity_unmet": _round(left[u]), "candidates": n_c[u], "why": why})
    unmet = unmet.astype({"item_id": "str", "item_type": "str", "skills": "str",
                          "why": "str"})
    unmet["why_zh"] = unmet["why"].map(why_zh).astype("str")
    unmet["why_en"] = unmet["why"].map(why_en).astype("str")
    params = {"kind": "wishes", "within": within, "capacity": capacity,
              "skill_weight": skill_weight, "weights": wts,
              "window": net.resolve_window(window)}
    objective = float(np.round((milli * x).sum() / 1000, 3))
    return MatchResult(s, unmet, cand, method, params, objective)


# ----------------------------------------------------------------------------- partners

_POP = np.array([bin(i).count("1") for i in range(1 << 12)], dtype=np.int64)


def _category_masks(net: CoBuildingNetwork, table: str, who: str, n: int) -> np.ndarray:
    mask = np.zeros(n, dtype=np.int64)
    if not net.has(table):
        return mask
    t = net.tables[table]
    a = _actor_of(net, t[who])
    cats = VOCABULARIES["category"].code_list()
    c = pd.Categorical(t["category"], categories=cats).codes
    ok = (a >= 0) & (c >= 0)
    np.bitwise_or.at(mask, a[ok], np.left_shift(1, c[ok].astype(np.int64)))
    return mask


def suggest_partners(
    net: CoBuildingNetwork,
    k: int = 3,
    *,
    cap: int = 3,
    within: str = "community",
    statuses: tuple[str, ...] = ("walled_in", "paper_only"),
    complement_weight: float = 2.0,
    weights: MatchWeights | None = None,
    window: object = None,
) -> MatchResult:
    """The k best partners for each walled-in or paper-only actor, no partner over a cap.

    Candidates are the actors whose status is ``linked`` (they have real project or service
    ties and can draw the others in), in the same region at the ``within`` level, not yet tied
    to the target. A pair's score is ``base + complement_weight × complement + cross_domain +
    activity − distance``, where ``complement`` counts the need categories of one side that
    the other side lists as a resource, both ways; ``activity`` is 0.1 per distinct partner
    the candidate already has (at most 1). The assignment of up to ``k`` partners per target
    and at most ``cap`` targets per partner that maximises the total score is exact (a
    min-cost flow).

    Parameters
    ----------
    net : CoBuildingNetwork
    k : int
        Partners per target.
    cap : int
        Most targets one partner is suggested to.
    within : str
        ``community`` (default), ``street``, ``district``, … or ``all``.
    statuses : tuple of str
        Which actors get partners.
    complement_weight : float
    weights : MatchWeights, optional
        ``base``, ``cross_domain`` and ``distance`` are used.
    window : tuple, optional

    Returns
    -------
    MatchResult
        ``suggestions`` ranked per target (``target_id``, ``rank``, ``partner_id``, ``score``
        and its ``score_*`` breakdown, reasons); ``unmet`` targets with fewer than ``k``.

    Examples
    --------
    >>> import partygraph as pg
    >>> p = pg.suggest_partners(pg.load_example("demo"), k=2)
    >>> int(p.suggestions.groupby("partner_id").size().max()) <= 3
    True
    """
    _check_within(within)
    wts = weights or MatchWeights()
    act = actors(net)
    f = act.frame
    n = len(f)
    ties = horizontal_ties(net, window)
    from .walls import actor_statuses

    w = actor_statuses(net, window, ties=ties)
    status = np.where(w["in_window"].to_numpy(dtype=bool), w["status"].to_numpy(dtype=object),
                      "")
    targets = np.flatnonzero(np.isin(status, statuses))
    pool = np.flatnonzero(status == "linked")
    lc = _level_codes(net, f["region_id"])
    key = lc[CLOSENESS.index(within)] if within != "all" else np.zeros(n, np.int64)
    a = pd.DataFrame({"t": targets, "key": key[targets]})
    b = pd.DataFrame({"p": pool, "key": key[pool]})
    j = a[a["key"] >= 0].merge(b[b["key"] >= 0], on="key")
    ti, pi = j["t"].to_numpy(dtype=np.int64), j["p"].to_numpy(dtype=np.int64)
    keep = (ti != pi) & ~np.isin(_pair_keys(ti, pi, max(n, 1)), _tie_keys(ties, max(n, 1)))
    ti, pi = ti[keep], pi[keep]
    need = _category_masks(net, "demands", "requester_id", n)
    give = _category_masks(net, "resources", "owner_id", n)
    t_gets = _POP[need[ti] & give[pi]]
    p_gets = _POP[need[pi] & give[ti]]
    dom = np.append(pd.factorize(f["domain"])[0], -1)
    cross = (dom[ti] != dom[pi]) & (dom[ti] >= 0) & (dom[pi] >= 0)
    close = _closeness(lc[:, ti], lc[:, pi])
    partners = w["partners"].to_numpy(dtype=float)
    comps = {
        "score_base": _round(np.full(len(ti), wts.base)),
        "score_complement": _round(complement_weight * (t_gets + p_gets)),
        "score_cross_domain": _round(wts.cross_domain * cross),
        "score_activity": _round(np.minimum(partners[pi], 10) * 0.1),
        "score_distance": _round(-wts.distance_array()[close]),
    }
    milli = sum(np.rint(v * 1000).astype(np.int64) for v in comps.values())
    tcode, tuniq = pd.factorize(ti, sort=True)
    pcode, puniq = pd.factorize(pi, sort=True)
    x, method, _ = _assign(tcode.astype(np.int64), pcode.astype(np.int64), milli,
                        np.full(len(tuniq), float(k)), np.full(len(puniq), float(cap)),
                        np.ones(len(ti)))
    ids, names = f["actor_id"], f["name"]
    cand = pd.DataFrame({
        "target_id": arrays.take_str(ids, ti), "partner_id": arrays.take_str(ids, pi),
        "score": milli / 1000,
        "closeness": pd.Series(np.array(CLOSENESS, dtype=object)[close], dtype="str"),
        **comps, "complement": t_gets + p_gets})
    ch = np.flatnonzero(x > 0)
    s = cand.iloc[ch].reset_index(drop=True)
    tc, pc_ = ti[ch], pi[ch]
    s.insert(1, "target", arrays.take_str(names, tc))
    s.insert(2, "target_status", pd.Series(status[tc], dtype="str"))
    s.insert(3, "target_domain", arrays.take_str(f["domain"], tc))
    s.insert(5, "partner", arrays.take_str(names, pc_))
    s.insert(6, "partner_domain", arrays.take_str(f["domain"], pc_))
    s = s.sort_values(["target_id", "score", "partner_id"], ascending=[True, False, True],
                      kind="stable").reset_index(drop=True)
    s.insert(4, "rank", s.groupby("target_id", sort=False).cumcount() + 1)
    tg, pg_ = t_gets[ch], p_gets[ch]
    order = s.index  # already sorted; recompute the flags on the sorted frame
    del order
    tg = _POP[need[arrays.index_of(s["target_id"], ids)] & give[arrays.index_of(
        s["partner_id"], ids)]]
    pg_ = _POP[need[arrays.index_of(s["partner_id"], ids)] & give[arrays.index_of(
        s["target_id"], ids)]]
    xd = (s["score_cross_domain"] > 0).to_numpy()

    def piece(mask, text):
        return pd.Series(np.where(mask, text, None), dtype="str")

    s["reason_zh"] = _join_reasons([
        piece(tg > 0, "对方可提供本单位所需"), piece(pg_ > 0, "本单位可提供对方所需"),
        piece(xd, "跨领域"), s["closeness"].map(CLOSENESS_ZH).astype("str"),
        piece(s["score_activity"].to_numpy() > 0, "对方共建活跃")])
    s["reason"] = _join_reasons([
        piece(tg > 0, "partner offers what it needs"), piece(pg_ > 0, "it offers what partner "
                                                                       "needs"),
        piece(xd, "another domain"), s["closeness"].map(CLOSENESS_EN).astype("str"),
        piece(s["score_activity"].to_numpy() > 0, "partner is active")])
    got = np.bincount(tcode[ch], minlength=len(tuniq)) if len(ch) else np.zeros(len(tuniq))
    found = np.zeros(n, dtype=np.int64)
    found[np.asarray(tuniq, dtype=np.int64)] = got
    n_c = np.bincount(ti, minlength=n)
    short = targets[found[targets] < k]
    why = np.where(key[short] < 0, "no_place", np.where(
        n_c[short] == 0, "not_near", np.where(n_c[short] <= found[short], "few_candidates",
                                              "taken")))
    why_zh = {"no_place": "所在区域不明", "not_near": "范围内没有可结对的活跃单位",
              "few_candidates": "范围内可结对单位不足", "taken": "可结对单位已达推荐上限"}
    why_en = {"no_place": "place unknown", "not_near": "no active actor nearby",
              "few_candidates": "too few active actors nearby",
              "taken": "the candidates nearby are at their cap"}
    unmet = pd.DataFrame({
        "target_id": arrays.take_str(ids, short), "target": arrays.take_str(names, short),
        "target_status": pd.Series(status[short], dtype="str"),
        "wanted": k, "partners_found": found[short], "candidates": n_c[short],
        "why": pd.Series(why, dtype="str")})
    unmet["why_zh"] = unmet["why"].map(why_zh).astype("str")
    unmet["why_en"] = unmet["why"].map(why_en).astype("str")
    params = {"kind": "partners", "k": k, "cap": cap, "within": within,
              "statuses": tuple(statuses), "complement_weight": complement_weight,
              "weights": wts, "window": net.resolve_window(window)}
    objective = float(np.round((milli * x).sum() / 1000, 3))
    return MatchResult(s, unmet, cand, method, params, objective)
