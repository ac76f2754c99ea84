"""Domain linkage (互联互动): how strongly domains are tied, segregation, brokers, significance.

All measures work on the horizontal ties of :func:`partygraph.horizontal_ties` between actors
with a label (the contract's domains by default; any actor column, extra column of units/orgs,
or a mapping of actor id → label). Ties are counted as they are (parallel ties kept) unless a
measure is about dyads (ORWG, Freeman), which collapses them.

Conventions, written down because published tools disagree:

- ``matrix`` holds summed tie **weights**; ``counts`` the number of ties. Undirected (the
  default): ``matrix[a, b] == matrix[b, a]`` is the weight of ties between an actor of ``a``
  and one of ``b``; the diagonal holds within-group ties once. Directed: source → target for
  link ties; project and body ties, having no direction, count once each way.
- E-I index (Krackhardt & Stern 1988): ``(E − I) / (E + I)``. **Unweighted** counts ties
  (``ei_index``, ``ei`` columns ``ei``); **weighted** sums weights (``ei_index_weighted``,
  ``ei_weighted``). UCINET's E-I uses counts of ties; some packages use weights.
- Participation coefficient ``1 − Σ_d (k_d / k)²`` over an actor's ties (unweighted; the
  ``_weighted`` column uses weights); NaN for an actor with no tie.
- Guimerà–Amaral roles use the within-group degree z-score and the participation
  coefficient: non-hubs (z < 2.5) R1 ultra-peripheral (P ≤ 0.05), R2 peripheral (≤ 0.62),
  R3 non-hub connector (≤ 0.80), R4 non-hub kinless (> 0.80); hubs (z ≥ 2.5) R5 provincial
  (P ≤ 0.30), R6 connector hub (≤ 0.75), R7 kinless hub (> 0.75).
- ORWG (Moody 2001): odds of a tie within groups over odds between, on dyads (ordered pairs
  when directed). Coleman (1958): per group, on directed ties (undirected ties count both
  ways). Freeman (1978, generalised by Bojanowski & Corten 2014): on undirected dyads; for a
  directed network, on mutual dyads.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

from . import arrays
from ._graphs import betweenness
from ._threads import thread_map, threads
from .errors import PartygraphError
from .network import CoBuildingNetwork
from .progress import bar
from .results import Result
from .ties import actors, horizontal_ties

__all__ = ["DomainLinkage", "brokerage_roles", "brokers", "domain_linkage"]


def _labels(net: CoBuildingNetwork, attribute: object) -> pd.Series:
    """One label per actor (missing where unknown)."""
    f = actors(net).frame
    if isinstance(attribute, Mapping | pd.Series):
        m = pd.Series(attribute) if not isinstance(attribute, pd.Series) else attribute
        return f["actor_id"].map(m.astype("str")).astype("str")
    if attribute in f.columns:
        return f[attribute].astype("str")
    u, o = net.tables["units"], net.tables["orgs"]
    if attribute in u.columns or attribute in o.columns:
        parts = []
        for df in (u, o):
            if attribute in df.columns:
                parts.append(pd.Series(df[attribute].astype("str").to_numpy(),
                                       index=df["id"].to_numpy()))
        lut = pd.concat(parts)
        lut = lut[~lut.index.duplicated()]
        return f["actor_id"].map(lut).astype("str")
    raise PartygraphError(f"no actor attribute {attribute!r} / 找不到属性“{attribute}”")


@dataclass
class DomainLinkage(Result):
    """Domain linkage and segregation measures, with the method and parameters that made them.

    Attributes
    ----------
    groups : list of str
    sizes : Series
        Actors per group.
    matrix, counts, dyads, density, ratio : DataFrame
        Group × group: summed weight of ties, number of ties (parallel ties each counted),
        number of distinct tied pairs (parallel ties collapsed; ordered pairs when
        directed), density (``dyads`` over possible pairs, so at most 1) and observed ÷
        expected weight given the groups' strengths.
    ei_index, ei_index_weighted : float
        Overall E-I index over ties (unweighted) and over weights.
    ei : DataFrame
        Per group: ``internal``, ``external``, ``ei`` and their weighted forms.
    actor_ei : DataFrame
        Per actor: ``ei`` and ``ei_weighted``.
    orwg, freeman : float
    coleman : Series
    participation : DataFrame
        Per actor: ``participation``, ``participation_weighted``, ``within_z``, ``role``.
    significance : DataFrame or None
        From label permutations, one row per measure (``ei_index``, ``ei[group]`` for each
        group's E-I index over ties, ``matrix[a|b]`` for each cell): ``observed``,
        ``null_mean``, ``null_sd``, ``null_low`` and ``null_high`` (the 2.5% and 97.5%
        quantiles of the null: the band a figure draws), ``z``, ``p`` (two-sided).
    params : dict
    """

    groups: list[str]
    sizes: pd.Series
    matrix: pd.DataFrame
    counts: pd.DataFrame
    density: pd.DataFrame
    ratio: pd.DataFrame
    ei_index: float
    ei_index_weighted: float
    ei: pd.DataFrame
    actor_ei: pd.DataFrame
    orwg: float
    freeman: float
    coleman: pd.Series
    participation: pd.DataFrame
    significance: pd.DataFrame | None = None
    params: dict = field(default_factory=dict)
    method: str = "domain linkage over horizontal ties"
    dyads: pd.DataFrame | None = None

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """Matrices, per-group and per-actor tables, and the significance table."""
        out = {k: getattr(self, k) for k in ("matrix", "counts", "dyads", "density", "ratio",
                                             "ei", "actor_ei", "participation")}
        if self.significance is not None:
            out["significance"] = self.significance
        return out

    def _repr_html_(self) -> str:
        from .results import summary_html

        rows = [("groups 领域", ", ".join(map(str, self.groups))),
                ("E-I index (whole network)", f"{self.ei_index:+.3f}"),
                ("E-I, weighted", f"{self.ei_index_weighted:+.3f}"),
                ("ORWG", f"{self.orwg:.3g}"), ("Freeman", f"{self.freeman:.3f}"),
                ("permutations", self.params.get("permutations"))]
        return summary_html("DomainLinkage 领域联系", rows,
                            ".matrix, .ratio, .ei, .significance, pg.plot_linkage(dl)")

    def __repr__(self) -> str:
        return (f"<DomainLinkage {len(self.groups)} groups, E-I {self.ei_index:+.3f}, "
                f"ORWG {self.orwg:.3g}, Freeman {self.freeman:.3f}, params {self.params}>")


def _mixing(la, lb, w, G, directed):
    """Group × group sums over (already expanded) ties; undirected: symmetric with the
    diagonal counted once."""
    m = np.bincount(la * G + lb, weights=w, minlength=G * G).reshape(G, G)
    if directed:
        return m
    return m + m.T - np.diag(np.diag(m))


#: Tie kinds without a direction: pair and agreement links are symmetric in the contract,
#: and a shared project or body has no direction.
SYMMETRIC_KINDS = ("pair", "agreement", "project", "body")


def _directed_ties(t: pd.DataFrame, directed: bool) -> tuple[np.ndarray, ...]:
    """The tie list every statistic of one :class:`DomainLinkage` is counted from.

    Undirected: each tie once. Directed: a directed tie (council, registration, covers,
    cross_post, service) once, source → target; a symmetric one once each way.
    Returns ``(a, b, weight, symmetric)``.
    """
    a, b = t["a"].to_numpy(), t["b"].to_numpy()
    w = t["weight"].to_numpy(dtype=float)
    sym = t["kind"].isin(SYMMETRIC_KINDS).to_numpy(dtype=bool)
    if not directed:
        return a, b, w, sym
    return (np.r_[a, b[sym]], np.r_[b, a[sym]], np.r_[w, w[sym]],
            np.r_[sym, sym[sym]])


def _dyads(a, b, directed) -> np.ndarray:
    """Distinct tied pairs (parallel ties collapsed): ordered when directed."""
    if not directed:
        a, b = np.minimum(a, b), np.maximum(a, b)
    if not len(a):
        return np.zeros((0, 2), dtype=np.int64)
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    n = int(max(a.max(), b.max())) + 1
    keys = arrays.unique(a * n + b)  # one integer per pair: sorted as np.unique(axis=0) sorts
    return np.stack([keys // n, keys % n], 1)


def domain_linkage(
    net: CoBuildingNetwork,
    attribute: object = "domain",
    *,
    window: object = None,
    directed: bool = False,
    permutations: int = 0,
    seed: int | None = None,
    ties: pd.DataFrame | None = None,
) -> DomainLinkage:
    """How strongly the domains are linked, and whether it is more than chance.

    Parameters
    ----------
    net : CoBuildingNetwork
    attribute : str, mapping or Series
        ``domain`` (default), another actor column (``tier``, ``street_id``, ``industry``),
        an extra column of the units/orgs tables, or a mapping actor id → label. Actors with
        no label are left out.
    window : tuple, optional
    directed : bool
        Read directed link ties (council, registration, covers, cross_post, service) as
        source → target; symmetric ties (pair, agreement, shared project, body) count once
        each way. Every statistic (matrix, E-I, participation, segregation, significance)
        is then counted from that one list.
    permutations : int
        Label permutations over actors (group sizes kept) for the significance table.
    seed : int, optional
        Seed of the permutations (same seed, same result).
    ties : DataFrame, optional
        A tie table from :func:`horizontal_ties`.

    Returns
    -------
    DomainLinkage

    Examples
    --------
    >>> import partygraph as pg
    >>> dl = pg.domain_linkage(pg.load_example("demo"), permutations=20, seed=1)
    >>> -1 <= dl.ei_index <= 1
    True
    """
    t = horizontal_ties(net, window) if ties is None else ties
    lab = _labels(net, attribute)
    codes, uniq = pd.factorize(lab, sort=True)
    groups = [str(g) for g in uniq]
    G = len(groups)
    if G == 0:
        raise PartygraphError("no actor has a label / 没有共建单位带有该属性")
    a, b, w, _ = _directed_ties(t, directed)
    keep = (codes[a] >= 0) & (codes[b] >= 0)
    a, b, w = a[keep], b[keep], w[keep]
    la, lb = codes[a], codes[b]
    sizes = np.bincount(codes[codes >= 0], minlength=G)
    counts = _mixing(la, lb, np.ones(len(a)), G, directed)
    matrix = _mixing(la, lb, w, G, directed)
    dy = _dyads(a, b, directed)
    dyads = _mixing(codes[dy[:, 0]], codes[dy[:, 1]], np.ones(len(dy)), G, directed)
    if directed:
        possible = np.outer(sizes, sizes) - np.diag(sizes)
    else:
        possible = np.outer(sizes, sizes) - np.diag(sizes * (sizes + 1) // 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        density = dyads / possible
        W = matrix.sum() if directed else np.triu(matrix).sum()
        if directed:
            expected = np.outer(matrix.sum(1), matrix.sum(0)) / W
        else:
            s = matrix.sum(1) + np.diag(matrix)
            expected = np.outer(s, s) / (2 * W)
            expected[np.diag_indices(G)] /= 2
        ratio = matrix / expected
    frame = lambda x: pd.DataFrame(x, index=groups, columns=groups)  # noqa: E731
    internal = la == lb
    ei_all = _ei(int((~internal).sum()), int(internal.sum()))
    ei_w = _ei(float(w[~internal].sum()), float(w[internal].sum()))
    # per group: internal ties inside it, external ties touching it
    gi = np.bincount(la[internal], minlength=G)
    ge = np.bincount(np.r_[la[~internal], lb[~internal]], minlength=G)
    gwi = np.bincount(la[internal], weights=w[internal], minlength=G)
    gwe = np.bincount(np.r_[la[~internal], lb[~internal]], weights=np.r_[w[~internal],
                                                                         w[~internal]],
                      minlength=G)
    ei_groups = pd.DataFrame({
        "group": groups, "actors": sizes, "internal": gi, "external": ge,
        "ei": [_ei(e, i) for e, i in zip(ge, gi, strict=True)],
        "internal_weight": gwi, "external_weight": gwe,
        "ei_weighted": [_ei(e, i) for e, i in zip(gwe, gwi, strict=True)]})
    f = actors(net).frame
    n = len(f)
    ends = np.r_[a, b]
    ext = np.r_[~internal, ~internal]
    ww = np.r_[w, w]
    ae = np.bincount(ends[ext], minlength=n)
    ai = np.bincount(ends[~ext], minlength=n)
    awe = np.bincount(ends[ext], weights=ww[ext], minlength=n)
    awi = np.bincount(ends[~ext], weights=ww[~ext], minlength=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        actor_ei = pd.DataFrame({
            "actor_id": f["actor_id"], "group": lab, "internal": ai, "external": ae,
            "ei": (ae - ai) / (ae + ai), "ei_weighted": (awe - awi) / (awe + awi)})
    part = _participation(a, b, w, codes, G, f["actor_id"], lab)
    orwg, freeman, coleman = _segregation(dy, codes, sizes, G, directed, groups)
    sig = None
    params = {"attribute": attribute if isinstance(attribute, str) else "custom",
              "window": net.resolve_window(window), "directed": directed,
              "permutations": permutations, "seed": seed}
    if permutations:
        sig = _permute(a, b, w, codes, G, groups, directed, permutations, seed,
                       ei_all, matrix, ei_groups["ei"].to_numpy(dtype=float))
    return DomainLinkage(groups, pd.Series(sizes, index=groups), frame(matrix),
                         frame(counts.astype(np.int64)), frame(density), frame(ratio),
                         ei_all, ei_w, ei_groups, actor_ei, orwg, freeman, coleman, part,
                         sig, params, dyads=frame(dyads.astype(np.int64)))


def _ei(external: float, internal: float) -> float:
    total = external + internal
    return (external - internal) / total if total else float("nan")


def _participation(a, b, w, codes, G, ids, lab) -> pd.DataFrame:
    n = len(codes)
    ends = np.r_[a, b]
    other = np.r_[codes[b], codes[a]]
    ww = np.r_[w, w]
    k_d = np.bincount(ends * G + other, minlength=n * G).reshape(n, G).astype(float)
    kw_d = np.bincount(ends * G + other, weights=ww, minlength=n * G).reshape(n, G)
    with np.errstate(divide="ignore", invalid="ignore"):
        k = k_d.sum(1)
        p = 1 - ((k_d / k[:, None]) ** 2).sum(1)
        kw = kw_d.sum(1)
        pw = 1 - ((kw_d / kw[:, None]) ** 2).sum(1)
    own = np.where(codes >= 0, k_d[np.arange(n), np.maximum(codes, 0)], np.nan)
    z = np.full(n, np.nan)
    for g in range(G):
        sel = codes == g
        vals = own[sel]
        sd = vals.std()
        z[sel] = (vals - vals.mean()) / sd if sd > 0 else 0.0
    role = np.select(
        [z < 2.5, z >= 2.5],
        [np.select([p <= 0.05, p <= 0.62, p <= 0.80], ["R1 ultra-peripheral", "R2 peripheral",
                                                       "R3 non-hub connector"],
                   "R4 non-hub kinless"),
         np.select([p <= 0.30, p <= 0.75], ["R5 provincial hub", "R6 connector hub"],
                   "R7 kinless hub")], "")
    role = np.where(np.isnan(p) | (codes < 0), "", role)
    return pd.DataFrame({"actor_id": ids, "group": lab, "ties": k.astype(np.int64),
                         "participation": p, "participation_weighted": pw,
                         "within_z": z, "role": pd.Series(role, dtype="str").replace(
                             "", pd.NA)})


def _div(x: float, y: float) -> float:
    """x / y, with inf for x > 0 over 0 and NaN for 0 / 0 (odds ratios can be infinite)."""
    if y:
        return float(x) / float(y)
    return float("inf") if x > 0 else float("nan")


def _segregation(d, codes, sizes, G, directed, groups):
    """ORWG, Freeman and Coleman, all on dyads ``d`` (parallel ties collapsed; ordered pairs
    when directed, unordered otherwise)."""
    N = int(sizes.sum())
    if directed:
        within_possible = float((sizes * (sizes - 1)).sum())
        between_possible = float(N * (N - 1) - within_possible)
    else:
        within_possible = float((sizes * (sizes - 1) / 2).sum())
        between_possible = float(N * (N - 1) / 2 - within_possible)
    c0, c1 = codes[d[:, 0]], codes[d[:, 1]]
    dw = c0 == c1
    wt, bt = float(dw.sum()), float((~dw).sum())
    orwg = _div(wt * (between_possible - bt), bt * (within_possible - wt))
    # Freeman on undirected dyads (mutual ones when directed)
    if directed and len(d):
        key = d[:, 0] * (N + 1 + int(d.max())) + d[:, 1]
        rev = d[:, 1] * (N + 1 + int(d.max())) + d[:, 0]
        fd = d[np.isin(rev, key) & (d[:, 0] < d[:, 1])]
    else:
        fd = d
    n_ties = len(fd)
    cross = float((codes[fd[:, 0]] != codes[fd[:, 1]]).sum()) if n_ties else 0.0
    expected_cross = _div(n_ties * (N ** 2 - float((sizes ** 2).sum())), N * (N - 1))
    freeman = _div(expected_cross - cross, expected_cross)
    # Coleman per group on directed dyads (an undirected dyad counts both ways)
    if directed:
        m = np.bincount(c0 * G + c1, minlength=G * G).reshape(G, G)
    else:
        m = np.bincount(np.r_[c0, c1] * G + np.r_[c1, c0], minlength=G * G).reshape(G, G)
    deg = m.sum(1).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ewg = deg * (sizes - 1) / (N - 1)
        obs = np.diag(m).astype(float)
        col = np.where(obs > ewg, (obs - ewg) / (deg - ewg), (obs - ewg) / ewg)
    return float(orwg), float(freeman), pd.Series(col, index=groups)


def _permute(a, b, w, codes, G, groups, directed, P, seed, ei_obs, m_obs, group_ei_obs):
    """Significance by permuting labels over the labelled actors (group sizes kept).

    The null mean of the E-I index and of every matrix cell is the exact permutation mean
    (closed form: a tie joins groups g and h with probability n_g·n_h / N(N−1), or
    n_g(n_g−1) / N(N−1) within one group); a group's E-I has no closed form and takes the
    sampled mean. ``p`` is two-sided: twice the smaller one-sided p, each counted with the
    observed labelling included ((1 + #) / (1 + P)), at most 1.
    """
    rng = np.random.default_rng(seed)
    labelled = np.flatnonzero(codes >= 0)
    base = codes[labelled].astype(np.int32)
    perm_codes = codes.astype(np.int32)
    a32, b32 = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    unit = bool(np.all(w == 1))
    ei_null = np.empty(P)
    group_ei_null = np.empty((P, G))
    cells = np.empty((P, G, G))
    diag = np.arange(G) * (G + 1)
    def one(i: int, labels: np.ndarray) -> None:
        # one pass per permutation: the group × group counts (and weights) of the ties
        key = labels[a32] * G + labels[b32]
        counts = np.bincount(key, minlength=G * G)
        c = counts.reshape(G, G)
        inside = counts[diag]
        n_in = int(inside.sum())
        ei_null[i] = _ei(len(key) - n_in, n_in)
        ge = c.sum(0) + c.sum(1) - 2 * inside
        with np.errstate(divide="ignore", invalid="ignore"):
            group_ei_null[i] = (ge - inside) / (ge + inside)
        m = c.astype(float) if unit else np.bincount(key, weights=w, minlength=G * G
                                                     ).reshape(G, G)
        cells[i] = m if directed else m + m.T - np.diag(np.diag(m))

    # the labellings are drawn in order from one generator (the same ones on any number of
    # threads), a batch at a time; a batch is counted side by side on the threads while the
    # next is drawn
    batch = 8 * threads()

    def draw(lo: int) -> list[tuple[int, np.ndarray]]:
        drawn = []
        for i in range(lo, min(P, lo + batch)):
            perm_codes[labelled] = rng.permutation(base)
            drawn.append((i, perm_codes.copy()))
        return drawn

    with bar(P, "置换检验 permutations", "perm") as show:
        if threads() == 1:
            for lo in range(0, P, batch):
                drawn = draw(lo)
                for job in drawn:
                    one(*job)
                show.update(len(drawn))
        else:
            with ThreadPoolExecutor(threads()) as pool:
                drawn = draw(0) if P else []
                for lo in range(0, P, batch):
                    counting = [pool.submit(one, *job) for job in drawn]
                    drawn = draw(lo + batch) if lo + batch < P else []
                    for f in counting:
                        f.result()
                    show.update(len(counting))
    sizes = np.bincount(base, minlength=G).astype(float)
    N = float(len(base))
    pair = np.outer(sizes, sizes) - np.diag(sizes)
    pair = pair / (N * (N - 1)) if N > 1 else pair * np.nan
    same = float(np.trace(pair))
    ei_mean = 1 - 2 * same if len(a) else float("nan")
    W = float(w.sum())
    cell_mean = W * (pair if directed else pair + pair.T - np.diag(np.diag(pair)))
    rows = [_sig_row("ei_index", ei_obs, ei_null, ei_mean)]
    for g in range(G):
        rows.append(_sig_row(f"ei[{groups[g]}]", group_ei_obs[g], group_ei_null[:, g]))
    iu = [(i, j) for i in range(G) for j in range(G) if directed or j >= i]
    for i, j in iu:
        rows.append(_sig_row(f"matrix[{groups[i]}|{groups[j]}]", m_obs[i, j], cells[:, i, j],
                             cell_mean[i, j]))
    return pd.DataFrame(rows)


def _sig_row(name, obs, null, exact_mean=None):
    finite = null[~np.isnan(null)]
    if exact_mean is not None and np.isfinite(exact_mean):
        mean = float(exact_mean)
    else:
        mean = float(finite.mean()) if len(finite) else float("nan")
    sd = float(finite.std(ddof=1)) if len(finite) > 1 else 0.0
    low, high = (np.quantile(finite, [0.025, 0.975]) if len(finite)
                 else (float("nan"), float("nan")))
    if np.isnan(obs) or not len(finite):
        p = float("nan")
    else:
        tol = 1e-9 * max(1.0, abs(float(obs)))
        below = (1 + int((finite <= obs + tol).sum())) / (1 + len(finite))
        above = (1 + int((finite >= obs - tol).sum())) / (1 + len(finite))
        p = min(1.0, 2 * min(below, above))
    return {"measure": name, "observed": float(obs), "null_mean": mean, "null_sd": sd,
            "null_low": float(low), "null_high": float(high),
            "z": (obs - mean) / sd if sd > 0 else float("nan"), "p": p}


# ------------------------------------------------------------------------------ brokers


def _simple_graph(net, window, ties):
    """Undirected simple weighted actor graph (summed weights) as a CSR matrix."""
    t = horizontal_ties(net, window) if ties is None else ties
    n = len(actors(net).frame)
    a, b = t["a"].to_numpy(), t["b"].to_numpy()
    w = t["weight"].to_numpy(dtype=float)
    W = sparse.csr_array((np.r_[w, w], (np.r_[a, b], np.r_[b, a])), shape=(n, n))
    W.sum_duplicates()
    return W


def brokers(
    net: CoBuildingNetwork,
    *,
    window: object = None,
    nodes: list[str] | None = None,
    weighted: bool = True,
    betweenness_sample: int | None = None,
    seed: int | None = 0,
    ties: pd.DataFrame | None = None,
    top: int | None = None,
) -> pd.DataFrame:
    """Burt's constraint and effective size, and betweenness, on the actor graph.

    The actor graph is undirected and simple: parallel ties are summed into one weight.
    Constraint ``c_i = Σ_j (p_ij + Σ_q p_iq p_qj)²`` with ``p_ij = w_ij / Σ_k w_ik``;
    effective size ``Σ_j (1 − Σ_q p_iq m_jq)`` with ``m_jq = w_jq / max_k w_jk`` (Burt
    1992; unweighted it equals Borgatti's ``n − 2t/n``). Computed with sparse matrix
    products for the requested rows. Betweenness (unweighted, normalised as networkx does)
    is exact, or sampled from ``betweenness_sample`` sources when given (or when the graph
    has more than 5,000 actors with ties); :func:`betweenness` computes it (batched Brandes
    on sparse matrices, equal to networkx's ``betweenness_centrality`` for the same sources).

    Parameters
    ----------
    net : CoBuildingNetwork
        The network.
    window : tuple, optional
        The analysis window ``(start, end)``; default: the network's.
    nodes : list of str, optional
        Only these actors.
    weighted : bool
        Weight ties by their weight in the constraint measures.
    betweenness_sample : int, optional
        Sources sampled for betweenness (exact when None).
    seed : int, optional
        Seed of the sample.
    ties : DataFrame, optional
        From :func:`partygraph.horizontal_ties` for the same window, to reuse.
    top : int, optional
        Only the ``top`` actors of lowest constraint (the strongest brokers).

    Returns
    -------
    DataFrame
        ``actor_id``, ``name``, ``domain``, ``degree`` (distinct partners), ``strength``,
        ``constraint``, ``effective_size``, ``betweenness`` (NaN for an actor with no tie),
        sorted by constraint.

    >>> import partygraph as pg
    >>> b = pg.brokers(pg.load_example("demo"))
    >>> {"constraint", "effective_size", "betweenness"} <= set(b.columns)
    True
    """
    f = actors(net).frame
    W = _simple_graph(net, window, ties)
    if not weighted:
        W = (W > 0).astype(float)
    n = W.shape[0]
    cols = ["actor_id", "name", "domain", "degree", "strength", "constraint",
            "effective_size", "betweenness"]
    if n == 0:
        return pd.DataFrame(columns=cols)
    rows = np.arange(n) if nodes is None else np.flatnonzero(f["actor_id"].isin(nodes))
    s = np.asarray(W.sum(1)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        P = sparse.csr_array(sparse.diags_array(np.where(s > 0, 1 / s, 0)) @ W)
        rmax = np.asarray(W.max(axis=1).todense()).ravel()
        # m_jq = w_jq / max_k w_jk, kept as the scale 1 / max (W is symmetric)
        M = np.where(rmax > 0, 1 / rmax, 0)
    # in blocks of rows whose products stay near 2×10⁷ entries: the memory of a block, not
    # of the whole graph's two-step paths (2.3 GB at a million members before)
    deg_all = np.diff(W.indptr).astype(np.float64)
    small = np.where(deg_all ** 2 > max(W.nnz, 1), 0.0, deg_all)
    cost = (W != 0).astype(np.float64) @ small
    size = CONSTRAINT_BLOCK / threads()  # blocks run side by side: the same memory in all

    def measured(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        total = cost[rows].sum()
        k = max(threads(), int(total // size) + 1)  # every thread busy, each block small
        block = np.searchsorted(np.cumsum(cost[rows]), np.arange(1, k) * (total / k))
        parts = thread_map(lambda r: _constraint(W, P, M, r),
                           [r for r in np.split(rows, block) if len(r)])
        if not parts:
            return np.zeros(0), np.zeros(0), np.zeros(0)
        return tuple(np.concatenate(x) for x in zip(*parts, strict=True))

    if top is not None:
        rows, (constraint, eff, deg) = _lowest(W, P, rows, top, measured)
    else:
        constraint, eff, deg = measured(rows)
    active = int((np.diff(W.indptr) > 0).sum())
    k = betweenness_sample or (1000 if active > 5000 else None)
    sources = None
    if k and k < n:
        sources = np.sort(np.random.default_rng(seed).choice(n, size=k, replace=False))
    btw = betweenness(W, sources)[rows]
    btw = np.where(deg > 0, btw, np.nan)
    out = pd.DataFrame({
        "actor_id": f["actor_id"].to_numpy()[rows], "name": f["name"].to_numpy()[rows],
        "domain": f["domain"].to_numpy()[rows], "degree": deg.astype(np.int64),
        "strength": s[rows], "constraint": constraint, "effective_size": eff,
        "betweenness": btw}).sort_values("constraint", na_position="last", kind="stable")
    return (out if top is None else out.head(top)).reset_index(drop=True)


#: Entries of two-step products per block of rows in :func:`brokers` (memory, not speed).
CONSTRAINT_BLOCK = 2e7


#: Rows measured at a time while :func:`_lowest` narrows the threshold.
LOWEST_BATCH = 8_000


def _lowest(W, P, rows: np.ndarray, top: int, measured) -> tuple[np.ndarray, tuple]:
    """Rows (ascending) among which the ``top`` lowest constraints surely are, with their
    ``measured`` constraint, effective size and degree.

    An actor's constraint is at least ``Σ_j p_ij²``, its direct part (the indirect part only
    adds). Actors are measured in the order of that bound, a batch at a time; the ``top``-th
    lowest constraint so far is a threshold, and only actors whose bound is under it are
    measured next. When the next bound is above it, no actor left can be among the ``top``
    (at a million members: 53,000 of 224,000 actors are measured)."""
    live = rows[np.diff(W.indptr)[rows] > 0]
    if len(live) <= 4 * top:
        return rows, measured(rows)
    bound = np.asarray(P.multiply(P).sum(1)).ravel()[live]
    order = np.argsort(bound, kind="stable")
    done, batch, threshold = 0, 4 * top, np.inf
    got: list[tuple[np.ndarray, tuple]] = []
    while done < len(order):
        # a margin for rounding: the bound and the constraint are summed in different orders
        under = int(np.searchsorted(bound[order], threshold * (1 + 1e-9), side="right"))
        stop = min(done + batch, under) if np.isfinite(threshold) else done + batch
        if stop <= done:
            break
        part = np.sort(live[order[done:stop]])
        got.append((part, measured(part)))
        done = stop
        c = np.concatenate([g[1][0] for g in got])
        if len(c) >= top:
            threshold = np.partition(c, top - 1)[top - 1]
        batch = LOWEST_BATCH
    at = np.concatenate([g[0] for g in got])
    keep = np.argsort(at, kind="stable")
    return at[keep], tuple(np.concatenate([g[1][k] for g in got])[keep] for k in range(3))


def _constraint(W, P, M, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Burt's constraint, effective size and degree of the actors at ``rows``.

    ``W`` is the symmetric tie matrix, ``P`` its rows divided by their sums and ``M`` the
    scale ``1 / max_k w_jk`` of each actor ``j``, so that ``m_jq = w_qj · M[j]``: the
    redundancy ``Σ_q p_iq m_jq`` is ``(P W)_ij · M[j]`` (no transposed matrix is made).

    The indirect terms ``Σ_q p_iq p_qj`` (and ``Σ_q p_iq m_jq``) are needed only for the ties
    ``(i, j)``. Through an actor ``q`` with many ties, a sparse product would form every pair
    of its partners (10,000 partners: 10⁸ pairs); such an actor's share is added tie by tie
    instead (the ties whose two ends are both its partners). The rest is a sparse product.
    """
    Pn = P[rows]
    pattern = (Pn != 0).astype(float)
    deg_all = np.diff(W.indptr)
    hub = deg_all.astype(float) ** 2 > max(W.nnz, 1)
    keep = sparse.diags_array((~hub).astype(float))
    Pk = sparse.csr_array(Pn @ keep)  # the product runs through the other actors only
    indirect = sparse.csr_array((Pk @ P).multiply(pattern))
    redund_m = sparse.csr_array((Pk @ W).multiply(pattern) @ sparse.diags_array(M))
    if hub.any():
        with np.errstate(divide="ignore"):
            sums = np.asarray(W.sum(1)).ravel()
            inv_s = np.where(sums > 0, 1 / sums, 0)
        coo = pattern.tocoo()
        i_loc, j = coo.row, coo.col
        i_glob = rows[i_loc]
        extra_p = np.zeros(len(j))
        extra_m = np.zeros(len(j))
        for q in np.flatnonzero(hub):
            w_q = W[[q], :].toarray().ravel()  # w_qj = w_jq for every j
            col_p = w_q * inv_s  # p_iq for every i
            on = col_p[i_glob] > 0
            row_p = P[[q], :].toarray().ravel()  # p_qj
            row_m = w_q * M  # m_jq
            sel = on & (row_p[j] > 0)
            extra_p[sel] += col_p[i_glob[sel]] * row_p[j[sel]]
            extra_m[sel] += col_p[i_glob[sel]] * row_m[j[sel]]
        shape = pattern.shape
        indirect = indirect + sparse.csr_array((extra_p, (i_loc, j)), shape=shape)
        redund_m = redund_m + sparse.csr_array((extra_m, (i_loc, j)), shape=shape)
    constraint = np.asarray(((Pn + indirect).power(2)).sum(1)).ravel()
    deg = deg_all[rows].astype(float)
    redund = np.asarray(redund_m.sum(1)).ravel()
    eff = deg - redund
    constraint = np.where(deg > 0, constraint, np.nan)
    eff = np.where(deg > 0, eff, np.nan)
    return constraint, eff, deg


_ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")


def brokerage_roles(net: CoBuildingNetwork, attribute: object = "domain", *,
                    window: object = None, ties: pd.DataFrame | None = None,
                    directed: bool = True) -> pd.DataFrame:
    """Gould–Fernandez brokerage roles by group, with their expected counts.

    Roles are counted on directed two-paths ``a → b → c`` (``a ≠ c``) where ``a`` has no tie
    to ``c`` (Gould & Fernandez 1989; as sna's ``brokerage``). Directions come from the
    links: service (provider → receiver), council (member org → the council), registration
    (org → the community org reported to), covers (joint org → unit), cross_post (the
    member's org → where the post is held); symmetric ties (pair, agreement, a shared project
    or body) go both ways. Parallel ties collapse into one arc. The role depends on the
    groups of ``a``, ``b``, ``c``: coordinator (all alike), itinerant (a and c alike, b not),
    representative (a like b, c not: b carries its group's tie out), gatekeeper (c like b, a
    not: b lets an outsider in), liaison (all different). Expected counts: the broker's open
    two-paths times the chance of each pattern when the other actors' groups are drawn
    without replacement. With ``directed=False`` every tie goes both ways (representative
    and gatekeeper counts are then equal).

    Parameters
    ----------
    net : CoBuildingNetwork
        The network.
    attribute : str
        The actor attribute whose groups define the roles (``domain`` default).
    window : tuple, optional
        The analysis window ``(start, end)``; default: the network's.
    ties : DataFrame, optional
        From :func:`partygraph.horizontal_ties` for the same window, to reuse.
    directed : bool
        Gould–Fernandez roles over directed ties (pair and agreement links count both ways).

    Returns
    -------
    DataFrame
        Per actor with a label: ``actor_id``, ``group``, ``open_pairs`` (open two-paths
        through it), each role's count and ``<role>_expected``.

    >>> import partygraph as pg
    >>> r = pg.brokerage_roles(pg.load_example("demo"))
    >>> "liaison_expected" in r.columns
    True
    """
    f = actors(net).frame
    lab = _labels(net, attribute)
    codes, uniq = pd.factorize(lab, sort=True)
    G = len(uniq)
    t = horizontal_ties(net, window) if ties is None else ties
    n = len(f)
    a, b, _, _ = _directed_ties(t, True)
    if not directed:
        a, b = np.r_[a, b], np.r_[b, a]
    ok = codes >= 0
    sel = ok[a] & ok[b] & (a != b)
    A = sparse.csr_array((np.ones(int(sel.sum()), dtype=np.int64), (a[sel], b[sel])),
                         shape=(n, n))
    A.sum_duplicates()
    A = sparse.csr_array((A > 0).astype(np.int64))
    AT = sparse.csr_array(A.T)
    mutual = A.multiply(AT)
    member = [(codes == g).astype(np.int64) for g in range(G)]
    into = np.column_stack([AT @ m for m in member]) if G else np.zeros((n, 0))
    out_ = np.column_stack([A @ m for m in member]) if G else np.zeros((n, 0))
    both = np.column_stack([mutual @ m for m in member]) if G else np.zeros((n, 0))
    open_ = np.zeros((n, G, G))
    for g1 in range(G):
        m1 = codes == g1
        X = sparse.csr_array(AT[:, m1] @ A[m1, :])  # X[b, c]: a in g1 with a → b and a → c
        closed_all = X.multiply(A)  # ... and b → c: a closed two-path a → b → c
        for g2 in range(G):
            closed = np.asarray(closed_all.multiply(member[g2][None, :]).sum(1)).ravel()
            pairs = into[:, g1] * out_[:, g2] - (both[:, g1] if g1 == g2 else 0)
            open_[:, g1, g2] = pairs - closed
    role = np.zeros((n, 5))
    gb = np.maximum(codes, 0)
    for g1 in range(G):
        for g2 in range(G):
            v = open_[:, g1, g2]
            same_a, same_c = g1 == gb, g2 == gb
            role[:, 0] += np.where(same_a & same_c, v, 0)
            role[:, 1] += np.where(~same_a & ~same_c & (g1 == g2), v, 0)
            role[:, 2] += np.where(same_a & ~same_c, v, 0)
            role[:, 3] += np.where(~same_a & same_c, v, 0)
            role[:, 4] += np.where(~same_a & ~same_c & (g1 != g2), v, 0)
    sizes = np.bincount(codes[ok], minlength=G).astype(float)
    Np = sizes.sum() - 1
    ng = sizes[gb] - 1
    S = Np - ng
    sq = (sizes ** 2).sum() - sizes[gb] ** 2
    lin = sizes.sum() - sizes[gb]
    denom = Np * (Np - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        probs = np.column_stack([
            ng * (ng - 1) / denom, (sq - lin) / denom, ng * S / denom, S * ng / denom,
            (lin * (Np - ng) - sq) / denom])
    total = role.sum(1)
    out = pd.DataFrame({"actor_id": f["actor_id"], "group": lab,
                        "open_pairs": total.astype(np.int64)})
    for j, r in enumerate(_ROLES):
        out[r] = role[:, j].astype(np.int64)
    for j, r in enumerate(_ROLES):
        out[f"{r}_expected"] = total * probs[:, j]
    return out[ok].reset_index(drop=True)
