"""The network picture's layout: places as clusters, no node on another, labels that do not
pile up.

:func:`cluster_layout` places actors grouped by their place (community, else street): each
group is a disc of hexagonal rings with its hubs (统筹 orgs, community committees) and largest
actors in the middle; the groups are placed by a spring layout of the group graph (the more
ties between two groups, the closer; groups of one street pulled together), then pushed apart
until no two discs overlap. Actors without a tie (walled in) sit on an arc just outside their
own group's disc, on its outer side: beside their community, visibly outside its ties. Nodes
are at least one node-width apart, so no two overlap.

:func:`label_levels` decides which labels are shown at which zoom: largest first, a label is
shown from the smallest zoom at which its box (text width × line height, below its node, in
layout coordinates at a constant screen size) overlaps no label already shown there; the ten
largest are always shown. :func:`overlaps` measures node and label overlap in layout
coordinates (the figures a test holds under 5%).

Everything is numpy over arrays; the only graph algorithm, the spring layout of the groups,
runs on the reduced group graph.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["cluster_layout", "fit_zoom", "label_levels", "overlaps", "text_width"]

#: Zoom levels at which more labels appear, relative to the fitted first view (below 1: the
#: browser's fit may show a little more than the nominal canvas).
ZOOMS = (0.6, 0.8, 1.0, 1.3, 1.7, 2.5, 4.0, 6.5)
#: Font size of labels on screen, in pixels (= layout units at zoom 1).
FONT = 12.0
#: The canvas the first view is fitted to, in pixels (the report's network box).
CANVAS = (1000.0, 640.0)


def _rings(sizes: np.ndarray, gap: float) -> tuple[np.ndarray, float]:
    """Positions of nodes (first at the centre) on rings around it, no two closer than
    their radii and ``gap``; and the radius the rings take."""
    k = len(sizes)
    out = np.zeros((k, 2))
    if k == 0:
        return out, 0.0
    r0 = float(sizes[0])
    if k == 1:
        return out, r0
    s = 2 * float(sizes[1:].max()) + gap  # spacing of the nodes around the centre
    i, R, ring = 1, r0 + gap + s / 2, 0
    while i < k:
        m = max(int(np.pi / np.arcsin(min(1.0, s / (2 * R)))), 1)
        take = min(m, k - i)
        ang = 2 * np.pi * np.arange(take) / m + (ring % 2) * np.pi / m
        out[i:i + take, 0] = R * np.cos(ang)
        out[i:i + take, 1] = R * np.sin(ang)
        i += take
        R += s
        ring += 1
    return out, R - s + s / 2


def _group_positions(radius: np.ndarray, ga: np.ndarray, gb: np.ndarray, gw: np.ndarray,
                     seed: int, margin: float) -> np.ndarray:
    """Centres of group discs: a spring layout of the group graph, then overlap removal."""
    import networkx as nx

    g = len(radius)
    if g == 1:
        return np.zeros((1, 2))
    graph = nx.Graph()
    graph.add_nodes_from(range(g))
    for x, y, w in zip(ga.tolist(), gb.tolist(), gw.tolist(), strict=True):
        if x != y:
            graph.add_edge(x, y, weight=w + graph.get_edge_data(x, y, {"weight": 0})["weight"])
    start = nx.circular_layout(graph)
    init = np.array([start[i] for i in range(g)])
    pos = nx.spring_layout(graph, pos={i: init[i] for i in range(g)}, seed=seed,
                           weight="weight", iterations=100)
    xy = np.array([pos[i] for i in range(g)], dtype=float)
    xy -= xy.mean(0)
    span = np.abs(xy).max() or 1.0
    total = float(np.sqrt((radius ** 2).sum()))
    xy = xy / span * total * 1.2
    r = radius + margin / 2
    _separate(xy, r, 300)
    # pull the groups together, keeping them apart: the picture is as compact as the discs
    # allow, and groups with many ties stay next to each other
    rounds = 40 if g <= 300 else 8
    for _ in range(rounds):
        xy -= (xy - np.average(xy, axis=0, weights=r ** 2)) * 0.15
        _separate(xy, r, 30)
    return xy


def _separate(xy: np.ndarray, r: np.ndarray, iterations: int) -> None:
    """Push overlapping discs (centres ``xy``, radii ``r``) apart, in place."""
    for _ in range(iterations):
        d = xy[:, None, :] - xy[None, :, :]
        dist = np.sqrt((d ** 2).sum(-1))
        np.fill_diagonal(dist, np.inf)
        over = r[:, None] + r[None, :] - dist
        if (over <= 1e-6).all():
            return
        over = np.where(over > 0, over, 0.0)
        unit = d / np.maximum(dist, 1e-9)[..., None]
        unit[~np.isfinite(unit)] = 0.0
        same = dist < 1e-9  # coincident centres: split them along a fixed direction
        if same.any():
            unit[same] = np.array([1.0, 0.0])
        xy += (unit * (over / 2 + 0.5)[..., None]).sum(1)


def cluster_layout(group: np.ndarray, a: np.ndarray, b: np.ndarray, w: np.ndarray,
                   size: np.ndarray, *, priority: np.ndarray | None = None,
                   super_group: np.ndarray | None = None, seed: int = 1) -> np.ndarray:
    """Positions of n nodes grouped into clusters (see the module's description).

    Parameters
    ----------
    group : ndarray of int
        The cluster of each node (0..G-1).
    a, b, w : ndarray
        Edges (node positions) and their weights.
    size : ndarray
        Node radius, in layout units (pixels at zoom 1).
    priority : ndarray, optional
        Higher sits nearer its cluster's centre (hubs first, then the largest).
    super_group : ndarray of int, optional
        Per cluster, the larger place it belongs to (its street): clusters of one street are
        pulled together.
    seed : int

    Returns
    -------
    ndarray of shape (n, 2)

    Examples
    --------
    >>> import numpy as np
    >>> pos = cluster_layout(np.array([0, 0, 1]), np.array([0]), np.array([2]),
    ...                      np.ones(1), np.full(3, 10.0))
    >>> bool(overlaps(pos, np.full(3, 10.0))["node_overlap"] == 0)
    True
    """
    n = len(group)
    pos = np.zeros((n, 2))
    if n == 0:
        return pos
    codes, uniq = pd.factorize(group)
    G = len(uniq)
    deg = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
    tied = deg > 0
    prio = np.zeros(n) if priority is None else np.asarray(priority, dtype=float)
    gap = 6.0
    lone_size = size[~tied]
    step = 2 * float(lone_size.max() if len(lone_size) else size.min()) + gap
    order = np.lexsort((-size, -prio, ~tied, codes))  # by group: tied, hubs, largest first
    local = np.zeros((n, 2))
    radius = np.zeros(G)
    outer = []  # per group: the walled-in members to put on the outer arc
    for idx in np.split(order, np.flatnonzero(np.diff(codes[order])) + 1):
        gcode = codes[idx[0]]
        t = idx[tied[idx]]
        local[t], r_in = _rings(size[t], gap)
        lone = idx[~tied[idx]]
        outer.append((gcode, lone, r_in))
        extra = 0.0
        if len(lone):
            per_ring = max(int(np.pi * (r_in + 1.5 * step) / step), 6)  # half a circle
            extra = 1.5 * step + step * (len(lone) // per_ring + 1)
        radius[gcode] = max(r_in + extra, step / 2)
    # group graph: ties between groups, and a light pull within a street
    ga, gb, gw = codes[a], codes[b], np.log1p(np.asarray(w, dtype=float))
    if super_group is not None and G > 1:
        sg = pd.Series(np.asarray(super_group)[:G])
        pairs = [(x, y) for _, grp in sg.groupby(sg) for x, y in
                 zip(grp.index[:-1], grp.index[1:], strict=True)]
        if pairs:
            sa, sb = np.array(pairs).T
            ga, gb = np.concatenate([ga, sa]), np.concatenate([gb, sb])
            gw = np.concatenate([gw, np.full(len(sa), 0.5)])
    centre = _group_positions(radius, ga, gb, gw, seed, margin=2 * step)
    pos = local + centre[codes]
    # walled-in members: an arc outside their group's disc, facing away from the middle
    mid = centre.mean(0)
    for gcode, lone, r_in in outer:
        if not len(lone):
            continue
        away = centre[gcode] - mid
        base = np.arctan2(away[1], away[0]) if np.hypot(*away) > 1e-9 else -np.pi / 2
        r0 = r_in + 1.5 * step
        k, ring = 0, 0
        while k < len(lone):
            rr = r0 + ring * step
            per = max(int(np.pi * rr / step), 1)
            take = min(per, len(lone) - k)
            ang = base + (np.arange(take) - (take - 1) / 2) * (step / rr)
            pos[lone[k:k + take], 0] = centre[gcode, 0] + rr * np.cos(ang)
            pos[lone[k:k + take], 1] = centre[gcode, 1] + rr * np.sin(ang)
            k += take
            ring += 1
    return pos


_WIDE = np.vectorize(lambda ch: 1.0 if ord(ch) > 0x2E80 else 0.6, otypes=[float])


def text_width(labels: pd.Series | list) -> np.ndarray:
    """Width of each label in ems (a CJK character 1 em, others 0.6)."""
    out = np.zeros(len(labels))
    for i, s in enumerate(labels):  # per label: the labels drawn, not the data
        s = "" if s is None or (isinstance(s, float) and s != s) else str(s)
        out[i] = _WIDE(np.array(list(s))).sum() if s else 0.0
    return out


#: Where a label may go when it is placed: (side, offset in label heights); side 1 is below
#: its node, -1 above it.
SLOTS = ((1, 0), (1, 1), (-1, 0), (1, 2))
#: Further places for the labels that are always shown.
_MORE = ((1, 3), (-1, 1), (1, 4), (-1, 2), (1, 5), (1, 6))


def _boxes(pos: np.ndarray, size: np.ndarray, width: np.ndarray, font: float,
           side: np.ndarray | float = 1, offset: np.ndarray | float = 0) -> np.ndarray:
    """Label boxes (x0, y0, x1, y1), centred on each node: below it (side 1: the top edge
    ``offset`` below the node's bottom) or above it (side -1: the bottom edge ``offset`` above
    its top). The offset is in layout units, so a label keeps its anchor when it shrinks."""
    n = len(pos)
    w = width * font
    h = font * 1.25
    side = np.broadcast_to(np.asarray(side, dtype=float), (n,))
    offset = np.broadcast_to(np.asarray(offset, dtype=float), (n,))
    top = np.where(side > 0, pos[:, 1] + size + 2 + offset, pos[:, 1] - size - 2 - offset - h)
    return np.column_stack([pos[:, 0] - w / 2, top, pos[:, 0] + w / 2, top + h])


def _free(taken: np.ndarray, bx: np.ndarray) -> bool:
    return not len(taken) or not (
        (taken[:, 0] < bx[2]) & (taken[:, 2] > bx[0]) & (taken[:, 1] < bx[3])
        & (taken[:, 3] > bx[1])).any()


def fit_zoom(pos: np.ndarray, size: np.ndarray, canvas: tuple[float, float] = CANVAS) -> float:
    """The zoom at which the whole layout fills a canvas of ``canvas`` pixels (what the
    browser's fit shows first)."""
    if not len(pos):
        return 1.0
    lo = (pos - size[:, None]).min(0)
    hi = (pos + size[:, None]).max(0) + np.array([0.0, 2 * FONT])
    ext = np.maximum(hi - lo, 1.0)
    return float(min(canvas[0] / ext[0], canvas[1] / ext[1]))


def label_levels(pos: np.ndarray, size: np.ndarray, labels: pd.Series | list,
                 weight: np.ndarray, *, always: int = 10, zooms=ZOOMS, base: float = 1.0,
                 font: float = FONT) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """From which zoom each node's label is shown, and where.

    Largest ``weight`` first; at each zoom z (relative to ``base``, the zoom of the first,
    fitted view: see :func:`fit_zoom`) labels are ``font / (z × base)`` layout units high (a
    constant size on screen) and a label is taken in the first of its places (:data:`SLOTS`:
    below its node, lower, above) where its box overlaps none taken at that zoom; once shown
    it stays, anchored where it was placed (as it shrinks with the zoom, its box stays inside
    the box it had, so labels that did not overlap never come to). The ``always`` largest
    are shown at every zoom.

    Returns
    -------
    level : ndarray
        The zoom, relative to ``base``, from which the label is shown (0: always; ``inf``:
        only on hover or select).
    side, offset : ndarray
        Where: below (1) or above (-1) its node, and how far from it in layout units.
    """
    n = len(pos)
    level = np.full(n, np.inf)
    side = np.ones(n)
    offset = np.zeros(n)
    if n == 0:
        return level, side, offset
    width = text_width(labels)
    order = np.argsort(-np.asarray(weight, dtype=float), kind="stable")
    for z in zooms:
        f = font / (z * base)
        h = f * 1.25
        kept = np.isfinite(level) & (width > 0)
        taken = _boxes(pos[kept], size[kept], width[kept], f, side[kept], offset[kept])
        for rank, i in enumerate(order):
            if width[i] == 0 or kept[i]:
                continue
            places = SLOTS + (_MORE if rank < always else ())
            for sd, k in places:
                bx = _boxes(pos[i:i + 1], size[i:i + 1], width[i:i + 1], f, sd, k * h)[0]
                if _free(taken, bx):
                    break
            else:
                if rank >= always:
                    continue
                sd, k = 1, 0  # one of the largest: shown even where it overlaps
                bx = _boxes(pos[i:i + 1], size[i:i + 1], width[i:i + 1], f)[0]
            taken = np.vstack([taken, bx])
            level[i] = 0.0 if rank < always else z
            side[i], offset[i] = sd, k * h
    return level, side, offset


def overlaps(pos: np.ndarray, size: np.ndarray, labels: pd.Series | list | None = None,
             shown: np.ndarray | None = None, side: np.ndarray | float = 1,
             offset: np.ndarray | float = 0, font: float = FONT) -> dict[str, float]:
    """Node and label overlap in layout coordinates.

    Returns ``node_overlap`` (pairs of node discs that overlap), and with labels
    ``labels_shown`` and ``label_overlap`` (the share of shown labels whose box overlaps
    another shown label's box).
    """
    n = len(pos)
    out: dict[str, float] = {"nodes": float(n), "node_overlap": 0.0}
    if n > 1:
        d = np.sqrt(((pos[:, None, :] - pos[None, :, :]) ** 2).sum(-1))
        need = size[:, None] + size[None, :]
        hit = d < need - 1e-6
        np.fill_diagonal(hit, False)
        out["node_overlap"] = float(hit.sum() // 2)
    if labels is not None:
        show = np.ones(n, dtype=bool) if shown is None else np.asarray(shown, dtype=bool)
        bx = _boxes(pos, size, text_width(labels), font, side, offset)[show]
        m = len(bx)
        out["labels_shown"] = float(m)
        if m > 1:
            o = ((bx[:, None, 0] < bx[None, :, 2]) & (bx[:, None, 2] > bx[None, :, 0])
                 & (bx[:, None, 1] < bx[None, :, 3]) & (bx[:, None, 3] > bx[None, :, 1]))
            np.fill_diagonal(o, False)
            out["label_overlap"] = float(o.any(1).mean())
        else:
            out["label_overlap"] = 0.0
    return out
