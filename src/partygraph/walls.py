"""Walls (围墙内): walled-in and paper-only actors, participation, hub dependence, reciprocity.

Status (the data contract's), for co-building units only (every unit and every org built over
a community, village, estate, building or grid; hubs — orgs over a street or above — link the
network but are not judged; an org over a region that does not stand in the window is not an
actor then): a co-building unit with no active horizontal tie in the window is
``walled_in``; one whose only ties come from pair, agreement, council, body, registration,
covers or cross_post links — none from a project or a service link — is ``paper_only``
(形式主义, "两张皮"); all others are ``linked``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from . import arrays
from .errors import check_choice
from .labels import STATUS_LABELS, deprecated_lang
from .network import CoBuildingNetwork
from .results import record
from .ties import PAPER_KINDS, TIE_KINDS, actors, horizontal_ties

__all__ = ["actor_statuses", "hub_dependence", "participation_rates", "service_reciprocity",
           "walled_in_units"]

STATUS_ZH = {k: zh for k, (zh, _) in STATUS_LABELS.items()}


def _ties(net, window, ties):
    return horizontal_ties(net, window) if ties is None else ties


def _place_names(net: CoBuildingNetwork, frame: pd.DataFrame) -> pd.DataFrame:
    if not net.has("regions"):
        return frame
    names = net.region_names()
    for c in ("street_id", "community_id"):
        if c in frame.columns and c[:-3] not in frame.columns:
            frame.insert(frame.columns.get_loc(c) + 1, c[:-3],
                         arrays.lookup(frame[c].astype("str"), names))
    return frame


def walled_in_units(
    net: CoBuildingNetwork, window: object = None, *, ties: pd.DataFrame | None = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """Every co-building unit with its wall status and its ties by kind.

    Hubs (orgs over a street or above) are not judged and not listed; nor is an org over a
    region that does not stand in the window. :func:`actor_statuses` lists every actor.

    Parameters
    ----------
    net : CoBuildingNetwork
    window : tuple, optional
    ties : DataFrame, optional
        A tie table from :func:`horizontal_ties` (computed when omitted).
    lang : deprecated
        Use ``pg.localise(table, "zh")``.

    Returns
    -------
    DataFrame
        ``actor_id``, ``actor_type``, ``name``, ``domain``, ``street_id``, ``street``,
        ``community_id``, ``community``, ``status`` (walled_in, paper_only, linked),
        ``status_zh``, ``ties`` (count), ``strength`` (summed weight), ``partners``
        (distinct actors), and ``ties_<kind>`` for each tie kind.

    Examples
    --------
    >>> import partygraph as pg
    >>> w = pg.walled_in_units(pg.load_example("demo"))
    >>> sorted(w["status"].unique())
    ['linked', 'paper_only', 'walled_in']
    """
    out = actor_statuses(net, window, ties=ties)
    judged = out["cobuilding"].to_numpy(dtype=bool) & out["in_window"].to_numpy(dtype=bool)
    out = out[judged].drop(columns=["cobuilding", "in_window"]).reset_index(drop=True)
    out.attrs["window"] = net.resolve_window(window)
    record(out, "walled_in_units", window=net.resolve_window(window))
    return deprecated_lang(out, lang, "walled_in_units")
    return out


def actor_statuses(net: CoBuildingNetwork, window: object = None, *,
                   ties: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every actor (hubs and actors outside the window included), aligned with the actor
    positions of :func:`horizontal_ties`, with the columns of :func:`walled_in_units` and
    ``cobuilding`` and ``in_window``; a hub's status is ``hub`` (it is not judged).

    Parameters
    ----------
    net : CoBuildingNetwork
        The network.
    window : tuple, optional
        The analysis window ``(start, end)``; default: the network's.
    ties : DataFrame, optional
        From :func:`partygraph.horizontal_ties` for the same window, to reuse.

    Returns
    -------
    DataFrame
        One row per actor, hubs included (status ``hub``): the columns of
        :func:`walled_in_units`.

    Examples
    --------
    >>> import partygraph as pg
    >>> s = pg.actor_statuses(pg.load_example("jiangbei"))
    >>> "hub" in set(s["status"])
    True
    """
    from .ties import ties_key

    t = _ties(net, window, ties)
    cache = net.made("actor_statuses", dict)
    tk, held = ties_key(t)
    key = (net.resolve_window(window), tk)
    if key in cache:  # the same ties: asked by walls, linkage, matching, the picture
        return cache[key][1].copy()
    f = actors(net).frame
    n = len(f)
    a, b = t["a"].to_numpy(), t["b"].to_numpy()
    ends = np.r_[a, b]
    kind_codes = pd.Categorical(t["kind"], categories=list(TIE_KINDS)).codes
    kk = np.r_[kind_codes, kind_codes]
    K = len(TIE_KINDS)
    ok = kk >= 0
    counts = np.bincount(ends[ok] * K + kk[ok], minlength=n * K).reshape(n, K)
    total = np.bincount(ends, minlength=n)
    strength = np.bincount(ends, weights=np.r_[t["weight"], t["weight"]], minlength=n)
    paper = [TIE_KINDS.index(k) for k in PAPER_KINDS]
    real = counts.sum(axis=1) - counts[:, paper].sum(axis=1)
    status = np.where(total == 0, "walled_in", np.where(real == 0, "paper_only", "linked"))
    status = np.where(f["cobuilding"].to_numpy(dtype=bool), status, "hub")
    pair_keys = arrays.unique(np.minimum(a, b).astype(np.int64) * max(n, 1) + np.maximum(a, b))
    partners = np.bincount(np.r_[pair_keys // max(n, 1), pair_keys % max(n, 1)], minlength=n)
    cols = ["actor_id", "actor_type", "name", "domain"]
    cols += [c for c in ("street_id", "community_id") if c in f.columns]
    out = f[cols].copy()
    out["status"] = pd.Series(status, dtype="str")
    out["status_zh"] = out["status"].map(STATUS_ZH)
    out["ties"] = total
    out["strength"] = strength
    out["partners"] = partners
    for j, k in enumerate(TIE_KINDS):
        out[f"ties_{k}"] = counts[:, j]
    out["cobuilding"] = f["cobuilding"].to_numpy(dtype=bool)
    out["in_window"] = actors(net).in_window(net, net.resolve_window(window))
    out = _place_names(net, out)
    cache[key] = (held, out)
    return out.copy()


def aligned_statuses(net: CoBuildingNetwork, window: object, ties: pd.DataFrame,
                     walls: pd.DataFrame | None) -> pd.DataFrame:
    """``walls`` if it lists every actor in position order, else :func:`actor_statuses`."""
    n = len(actors(net).frame)
    if walls is not None and len(walls) == n and (
            walls["actor_id"].to_numpy() == actors(net).frame["actor_id"].to_numpy()).all():
        return walls
    return actor_statuses(net, window, ties=ties)


def participation_rates(
    net: CoBuildingNetwork, by: str | list[str] | None = "street", window: object = None, *,
    ties: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Share of actors taking part in co-building, by street, community and/or domain.

    ``taking_part`` counts actors with any horizontal tie (Jiangbei's "80% of resident
    organisations take part"); ``linked`` those with a project or service tie.

    Parameters
    ----------
    net : CoBuildingNetwork
        The network.
    by : str or list of str, optional
        Region levels and/or ``domain`` (``street`` default; None: one row).
    window : tuple, optional
        The analysis window ``(start, end)``; default: the network's.
    ties : DataFrame, optional
        From :func:`partygraph.horizontal_ties` for the same window, to reuse.

    Returns
    -------
    DataFrame
        ``actors``, ``taking_part``, ``linked``, ``paper_only``, ``rate_taking_part``,
        ``rate_linked`` per group (co-building units only).

    >>> import partygraph as pg
    >>> r = pg.participation_rates(pg.load_example("demo"), by="domain")
    >>> {"actors", "taking_part", "rate_taking_part"} <= set(r.columns)
    True
    """
    by_list = [] if by is None else ([by] if isinstance(by, str) else list(by))
    for b in by_list:
        check_choice("by", b, ("street", "community", "domain"))
    w = walled_in_units(net, window, ties=ties)
    keys = [("domain" if b == "domain" else f"{b}_id") for b in by_list]
    w = w.assign(taking_part=(w["status"] != "walled_in"), linked=(w["status"] == "linked"),
                 paper_only=(w["status"] == "paper_only"), actors=1)
    cols = ["actors", "taking_part", "linked", "paper_only"]
    if keys:
        g = w.groupby(keys, dropna=False)[cols].sum().reset_index()
    else:
        g = w[cols].sum().to_frame().T
    g["rate_taking_part"] = g["taking_part"] / g["actors"]
    g["rate_linked"] = g["linked"] / g["actors"]
    if "street_id" in keys or "community_id" in keys:
        g = _place_names(net, g)
    return g


def hub_dependence(
    net: CoBuildingNetwork, k: tuple[int, ...] = (1, 2, 3), window: object = None, *,
    ties: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """How much the network hangs on its top hubs (the Shanghai report's "停摆").

    Hubs are the actors with the most ties. For each ``k``: ``hubs`` (their ids),
    ``share_of_ties`` (ties with a top-k hub at one end ÷ all ties), ``cut_off`` (actors other
    than the hubs that have ties now and would have none if the hubs stopped),
    ``cut_off_share`` (÷ actors with ties), ``largest_component_share`` before and after
    (share of actors with ties that sit in the largest connected component).

    Parameters
    ----------
    net : CoBuildingNetwork
        The network.
    k : tuple of int
        How many of the largest hubs to remove, one row each.
    window : tuple, optional
        The analysis window ``(start, end)``; default: the network's.
    ties : DataFrame, optional
        From :func:`partygraph.horizontal_ties` for the same window, to reuse.

    Returns
    -------
    DataFrame
        One row per k: the hubs, their share of ties, and the co-building units cut off
        when they are removed (脱离网络单位占比).

    >>> import partygraph as pg
    >>> pg.hub_dependence(pg.load_example("demo"))["k"].tolist()
    [1, 2, 3]
    """
    t = _ties(net, window, ties)
    f = actors(net).frame
    n = len(f)
    a, b = t["a"].to_numpy(), t["b"].to_numpy()
    deg = np.bincount(np.r_[a, b], minlength=n)
    order = np.lexsort((np.arange(n), -deg))
    with_ties = deg > 0
    base_lcc = _lcc_share(a, b, n, with_ties)
    rows = []
    for kk in k:
        hubs = order[:kk]
        hub_mask = np.zeros(n, dtype=bool)
        hub_mask[hubs] = True
        touch = hub_mask[a] | hub_mask[b]
        rest = ~touch
        deg2 = np.bincount(np.r_[a[rest], b[rest]], minlength=n)
        cut = with_ties & ~hub_mask & (deg2 == 0)
        denom = int((with_ties & ~hub_mask).sum())
        rows.append({
            "k": kk, "hubs": ", ".join(f["actor_id"].to_numpy()[hubs].astype(str)),
            "hub_names": "、".join(f["name"].to_numpy()[hubs].astype(str)),
            "share_of_ties": float(touch.mean()) if len(t) else np.nan,
            "cut_off": int(cut.sum()),
            "cut_off_share": cut.sum() / denom if denom else np.nan,
            "largest_component_share_before": base_lcc,
            "largest_component_share_after": _lcc_share(a[rest], b[rest], n,
                                                        with_ties & ~hub_mask),
        })
    return pd.DataFrame(rows)


def _lcc_share(a: np.ndarray, b: np.ndarray, n: int, nodes: np.ndarray) -> float:
    if not nodes.any():
        return np.nan
    g = sparse.csr_array((np.ones(len(a)), (a, b)), shape=(n, n))
    _, labels = connected_components(g, directed=False)
    sizes = np.bincount(labels[nodes])
    return float(sizes.max() / nodes.sum())


def service_reciprocity(net: CoBuildingNetwork, window: object = None, *,
                        ties: pd.DataFrame | None = None) -> pd.DataFrame:
    """Service links between actor pairs: one-way or two-way (the Shanghai report's
    one-way service that kills motivation).

    One row per unordered pair of actors joined by service ties: ``actor_a``, ``actor_b``,
    ``a_to_b``, ``b_to_a`` (service ties each way), ``two_way``. ``.attrs["reciprocity"]``
    is the share of pairs served both ways.

    Parameters
    ----------
    net : CoBuildingNetwork
        The network.
    window : tuple, optional
        The analysis window ``(start, end)``; default: the network's.
    ties : DataFrame, optional
        From :func:`partygraph.horizontal_ties` for the same window, to reuse.

    Returns
    -------
    DataFrame
        One row per pair of actors with a service tie: services each way and ``two_way``;
        ``attrs["reciprocity"]`` the share of pairs served both ways.

    >>> import partygraph as pg
    >>> r = pg.service_reciprocity(pg.load_example("demo"))
    >>> 0 <= r.attrs["reciprocity"] <= 1
    True
    """
    t = _ties(net, window, ties)
    s = t[t["kind"] == "service"]
    a, b = s["a"].to_numpy(), s["b"].to_numpy()
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    d = pd.DataFrame({"x": lo, "y": hi, "fwd": (a == lo).astype(int), "bwd": (a != lo)
                      .astype(int)})
    g = d.groupby(["x", "y"], sort=True)[["fwd", "bwd"]].sum().reset_index()
    ids = actors(net).frame["actor_id"]
    out = pd.DataFrame({
        "actor_a": arrays.take_str(ids, g["x"].to_numpy()),
        "actor_b": arrays.take_str(ids, g["y"].to_numpy()),
        "a_to_b": g["fwd"].to_numpy(), "b_to_a": g["bwd"].to_numpy()})
    out["two_way"] = (out["a_to_b"] > 0) & (out["b_to_a"] > 0)
    out.attrs["reciprocity"] = float(out["two_way"].mean()) if len(out) else float("nan")
    return out
