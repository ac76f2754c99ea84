"""Internal: the exact assignment solver shared by the matchers.

Maximises Σ score × quantity over candidate pairs under the quantities on both sides,
exactly: a min-cost flow (OR-Tools) for whole quantities, HiGHS (through scipy) for
fractional quantities, and a HiGHS mixed-integer programme, with no gap allowed and a time
limit, when a cap on suggestions per owner applies to pairs that may carry more than 1.
:func:`optimal_assignment` is the public face of it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from . import arrays
from .errors import PartygraphError

__all__ = ["optimal_assignment"]


def _integral(x: np.ndarray) -> bool:
    return bool(np.all(np.isfinite(x)) and np.all(x == np.round(x)))


#: Pairs above which the flow is solved one group of connected components at a time.
SPLIT_ARCS = 20_000
#: Pairs per group of components (one flow each).
SPLIT_GROUP = 5_000


def _solve_flow(di, ri, w, qd, qr, pc, owner_code=None, cap_left=None) -> np.ndarray:
    """Max-score transportation as a min-cost flow, split into its independent parts.

    Demands and resources (and owners, under an owner cap) that no chain of candidate pairs
    joins are separate problems: the optimum of the whole is the optimum of each part. Large
    problems are solved one group of connected components at a time (groups of about
    ``SPLIT_GROUP`` pairs): 1.5 million pairs in 6,666 communities take 1.8 s instead of
    12.6 s, with the same total score.
    """
    m = len(di)
    if m <= SPLIT_ARCS:
        return _solve_flow_one(di, ri, w, qd, qr, pc, owner_code, cap_left)
    from scipy.sparse import csgraph

    nd, nr = len(qd), len(qr)
    rows, cols = [di], [nd + ri]
    n_nodes = nd + nr
    if cap_left is not None:  # resources of one owner share its cap: one part
        rows.append(nd + np.arange(nr))
        cols.append(n_nodes + owner_code)
        n_nodes += len(cap_left)
    r, c = np.concatenate(rows), np.concatenate(cols)
    g = sparse.coo_array((np.ones(len(r), dtype=np.int8), (r, c)), shape=(n_nodes, n_nodes))
    n_comp, label = csgraph.connected_components(g, directed=False)
    comp = label[di]
    group_of = (np.cumsum(np.bincount(comp, minlength=n_comp)) - 1) // SPLIT_GROUP
    grp = group_of[comp]
    order = np.argsort(grp, kind="stable")
    edges = np.searchsorted(grp[order], np.arange(int(grp.max()) + 2))
    x = np.zeros(m)
    for k in range(len(edges) - 1):
        idx = order[edges[k]:edges[k + 1]]
        if not len(idx):
            continue
        dsel, dinv = np.unique(di[idx], return_inverse=True)
        rsel, rinv = np.unique(ri[idx], return_inverse=True)
        if cap_left is None:
            x[idx] = _solve_flow_one(dinv, rinv, w[idx], qd[dsel], qr[rsel], pc[idx])
        else:
            osel, oinv = np.unique(owner_code[rsel], return_inverse=True)
            x[idx] = _solve_flow_one(dinv, rinv, w[idx], qd[dsel], qr[rsel], pc[idx],
                                     oinv, cap_left[osel])
    return x


def _solve_flow_one(di, ri, w, qd, qr, pc, owner_code=None, cap_left=None) -> np.ndarray:
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
