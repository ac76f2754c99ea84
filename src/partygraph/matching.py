"""Matching needs to resources (需求清单 ↔ 资源清单), and what every matcher shares.

:mod:`partygraph.wishes` matches wishes to members (三单制) and :mod:`partygraph.partners`
suggests partners for walled-in actors; both use the scoring vocabulary, the result type and
the solver (:mod:`partygraph._assignment`) this module and they share.

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

from . import arrays
from ._assignment import _assign, optimal_assignment
from .errors import PartygraphError, check_choice
from .labels import CLOSENESS_EN, CLOSENESS_ZH, UNMET_EN, UNMET_ZH, localise
from .needs import is_open
from .network import CoBuildingNetwork
from .progress import bar
from .results import Result
from .schema import VOCABULARIES
from .ties import actors, horizontal_ties

__all__ = [
    "CLOSENESS",
    "MatchResult",
    "MatchWeights",
    "optimal_assignment",
    "suggest_matches",
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
class MatchResult(Result):
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

    def _repr_html_(self) -> str:
        from .results import summary_html

        rows = [("method", self.method), ("status", self.status),
                ("suggestions 推荐", f"{len(self.suggestions):,}"),
                ("total score 总得分", f"{self.objective:g}"),
                ("unmet 未满足", f"{len(self.unmet):,}"),
                ("candidates 候选", f"{len(self.candidates):,}")]
        return summary_html(f"MatchResult {self.params.get('kind', 'matches')}", rows,
                            ".suggestions, .unmet, .candidates, .lists")

    def __repr__(self) -> str:
        return (f"<MatchResult {self.params.get('kind', 'matches')} by {self.method}: "
                f"{len(self.suggestions)} suggestions, total score {self.objective:g}, "
                f"{len(self.unmet)} unmet, {len(self.candidates)} candidates>")

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """``suggestions``, ``unmet``, ``candidates`` and the printed lists."""
        return {"suggestions": self.suggestions, "unmet": self.unmet,
                "candidates": self.candidates, **self.lists}

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

    def made() -> pd.Series:
        return pd.concat([pd.Series(t["units"]["name"].to_numpy(), index=t["units"]["id"]),
                          pd.Series(t["orgs"]["name"].to_numpy(), index=t["orgs"]["id"])]
                         ).astype("str")

    # made once per network (each list of matches and the printed lists ask for it): its
    # arrays stay the same, so lookups into it are remembered within a step
    out = arrays.lookup(ids, net.made("unit_org_names", made))
    return out.where(out.notna(), ids)


_TIE_KEYS: dict[tuple, tuple] = {}


def _tie_keys(ties: pd.DataFrame, n: int, kinds=None) -> np.ndarray:
    """The sorted distinct pair keys of the ties (made once per tie table: matching, wishes
    and partners all ask for them)."""
    from .ties import ties_key

    tk, held = ties_key(ties)
    key = (tk, n, None if kinds is None else tuple(kinds))
    if key in _TIE_KEYS:
        return _TIE_KEYS[key][1]
    t = ties if kinds is None else ties[ties["kind"].isin(kinds)]
    a, b = t["a"].to_numpy(), t["b"].to_numpy()
    keys = arrays.unique(np.minimum(a, b) * n + np.maximum(a, b))
    if len(_TIE_KEYS) >= 2:  # two tie tables at a time (their arrays are held)
        _TIE_KEYS.pop(next(iter(_TIE_KEYS)))
    _TIE_KEYS[key] = (held, keys)
    return keys


def _in_sorted(x: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """``np.isin(x, keys)`` for sorted distinct ``keys``, by binary search."""
    if not len(keys):
        return np.zeros(len(x), dtype=bool)
    pos = np.minimum(np.searchsorted(keys, x), len(keys) - 1)
    return keys[pos] == x


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
    steps = bar(3, "需求对接 matching", "step")
    d = net.table("demands", "matching")
    d = d[is_open(d)].reset_index(drop=True)  # claimed, solved or cancelled: not offered
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
    if "measure" in d.columns and "measure" in r.columns:  # m² meets m², 元 meets 元
        md = d["measure"].to_numpy(dtype=object)[di]
        mr = r["measure"].to_numpy(dtype=object)[ri]
        same |= pd.notna(md) & pd.notna(mr) & (md != mr)
    di, ri, bonus = di[~same], ri[~same], bonus[~same]
    m = len(di)
    ties = horizontal_ties(net, window)
    tied = _in_sorted(_pair_keys(ad[di], ar[ri], max(na, 1)), _tie_keys(ties, max(na, 1)))
    dom = pd.factorize(act.frame["domain"])[0]
    dom = np.append(dom, -1)
    both = (ad[di] >= 0) & (ar[ri] >= 0)
    cross = both & (dom[ad[di]] != dom[ar[ri]]) & (dom[ad[di]] >= 0) & (dom[ar[ri]] >= 0)
    new_cross = cross & ~tied
    status = np.append(_statuses(net, window, ties), "")
    walled = (status[ad[di]] == "walled_in") | (status[ar[ri]] == "walled_in")
    steps.update(1)  # candidates scored
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
    steps.set_description("需求对接 matching: solving")
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
    steps.update(2)
    steps.close()
    return MatchResult(sugg, unmet, cand.drop(columns=["quantity"]), method, params,
                       objective, lists, status)


def _paired(net, act, ties, d, ad, ar, di, ri) -> np.ndarray:
    """Is the owner's actor paired (pair/agreement) with the requester or its community?"""
    na = max(len(act.frame), 1)
    pt = ties[ties["kind"].isin(["pair", "agreement"])]
    keys = _tie_keys(pt, na)
    direct = _in_sorted(_pair_keys(ad[di], ar[ri], na), keys)
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
    owner_comm = arrays.unique(np.concatenate(pairs))
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
    return net.region_names(anc)


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
        # each key's partners joined in the order suggested (groupby(key)[other] joined)
        codes, keys = pd.factorize(sugg[key])
        ok = codes >= 0
        return pd.Series(arrays.join_groups(codes[ok], sugg[other][ok], len(keys), "、"),
                         index=keys)

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

