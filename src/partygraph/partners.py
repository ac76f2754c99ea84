"""Partners for walled-in and paper-only co-building units (结对建议).

For each walled-in or paper-only unit, the ``k`` best ``linked`` partners nearby that are not
yet tied to it, each partner taking at most ``cap`` (a b-matching solved exactly by the
solver of :mod:`partygraph._assignment`). The score counts complementary needs and
resources, another domain, the partner's activity and the distance.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import arrays
from ._assignment import _assign
from .labels import CLOSENESS_EN, CLOSENESS_ZH
from .matching import (
    CLOSENESS,
    MatchResult,
    MatchWeights,
    _actor_of,
    _check_within,
    _closeness,
    _in_sorted,
    _join_reasons,
    _level_codes,
    _pair_keys,
    _round,
    _tie_keys,
)
from .network import CoBuildingNetwork
from .schema import VOCABULARIES
from .ties import actors, horizontal_ties

__all__ = ["suggest_partners"]


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
    candidates: bool = True,
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
    candidates : bool
        Keep every scored pair in ``candidates`` (``False``: an empty table, which saves
        memory; :func:`partygraph.assess` keeps none).

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
    del a, b, j  # at a million members the pairs are 1.5 million: nothing held twice
    keep = (ti != pi) & ~_in_sorted(_pair_keys(ti, pi, max(n, 1)), _tie_keys(ties, max(n, 1)))
    ti, pi = ti[keep], pi[keep]
    del keep
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

    def pairs(at: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame({
            "target_id": arrays.take_str(ids, ti[at]),
            "partner_id": arrays.take_str(ids, pi[at]),
            "score": milli[at] / 1000,
            "closeness": pd.Series(arrays.take_str(pd.Series(CLOSENESS, dtype="str"),
                                                   close[at])),
            **{c: v[at] for c, v in comps.items()}, "complement": (t_gets + p_gets)[at]})

    ch = np.flatnonzero(x > 0)
    # every scored pair only when asked for (1.5 million at a million members)
    cand = pairs(np.arange(len(ti)) if candidates else np.zeros(0, dtype=np.int64))
    s = pairs(ch)
    objective = float(np.round((milli * x).sum() / 1000, 3))
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
              "candidates": candidates,
              "weights": wts, "window": net.resolve_window(window)}
    return MatchResult(s, unmet, cand, method, params, objective)

