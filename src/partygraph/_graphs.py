"""Internal: graph algorithms on integer arrays and sparse matrices, shared by the analyses
and the pictures (no DataFrames here).

- :func:`betweenness`: Brandes' algorithm for many sources at once on a sparse adjacency;
- :func:`layout` (``_layout``): a vectorised Fruchterman–Reingold spring layout.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

__all__ = ["betweenness", "layout"]


def betweenness(W: sparse.csr_array, sources: np.ndarray | None = None, *,
                cells: int = 4_000_000) -> np.ndarray:
    """Normalised betweenness of an undirected graph (unweighted shortest paths).

    Brandes' algorithm run for many sources at once: each breadth-first level is one sparse
    × dense product over a batch of sources (``cells`` bounds the batch's dense size), and
    the dependencies are accumulated back level by level the same way. The scaling is
    networkx's ``betweenness_centrality(normalized=True)``, including its correction when
    only ``sources`` are sampled (estimate × n / k, sources and others scaled apart), so the
    values equal networkx's for the same sources. For 1,000 sampled sources on 22,000
    actors and 176,000 edges, networkx took 112 s here, this 7 s.

    Parameters
    ----------
    W : scipy sparse array, n × n
        Symmetric adjacency (any non-zero entry is an edge; the diagonal is ignored).
    sources : array of int, optional
        Sampled source nodes; all nodes when omitted (exact).
    cells : int
        Most entries of one dense batch matrix (memory: about 6 × 8 × cells bytes).

    Returns
    -------
    ndarray of float, length n
    """
    A = sparse.csr_array((W != 0).astype(np.float64))
    A.setdiag(0)
    A.eliminate_zeros()
    n = A.shape[0]
    bc = np.zeros(n)
    if n < 3:
        return bc
    src = np.arange(n) if sources is None else np.asarray(sources, dtype=np.int64)
    step = max(1, cells // n)
    for lo in range(0, len(src), step):
        chunk = src[lo:lo + step]
        b = len(chunk)
        rows = np.arange(b)
        sigma = np.zeros((n, b))
        sigma[chunk, rows] = 1.0
        dist = np.full((n, b), -1, dtype=np.int16)
        dist[chunk, rows] = 0
        levels = [dist == 0]
        frontier = sigma.copy()
        while True:
            reach = A @ frontier
            hit = (reach > 0) & (dist < 0)
            if not hit.any():
                break
            dist[hit] = len(levels)
            np.multiply(reach, hit, out=frontier)
            sigma += frontier
            levels.append(hit)
        delta = np.zeros((n, b))
        inv = np.divide(1.0, sigma, out=np.zeros_like(sigma), where=sigma > 0)
        for depth in range(len(levels) - 1, 0, -1):
            coef = (1.0 + delta) * inv
            coef *= levels[depth]
            back = A @ coef
            back *= sigma
            back *= levels[depth - 1]
            delta += back
        delta[chunk, rows] = 0.0
        bc += delta.sum(axis=1)
    N = n - 1  # endpoints excluded, as networkx's default
    if sources is None or len(src) >= n:
        return bc / (N * (N - 1))
    k = len(src)
    scale = np.full(n, 1.0 / (k * (N - 1)))
    scale[src] = 1.0 / ((k - 1) * (N - 1)) if k > 1 else np.nan
    return bc * scale



def _spring(n: int, a: np.ndarray, b: np.ndarray, w: np.ndarray, seed: int,
            iterations: int = 80) -> np.ndarray:
    """Fruchterman–Reingold with gravity, vectorised (float32 n × n per step).

    networkx's ``spring_layout`` loops over nodes in Python above 500 nodes and took 6–7 s
    for 1,500 nodes here; this takes well under a second for the same graph.
    """
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2)).astype(np.float32)
    if n == 1:
        return pos.astype(float)
    k = np.float32(1.0 / np.sqrt(n))
    w = (w / w.max()).astype(np.float32) if len(w) else w.astype(np.float32)
    temp = 0.1
    cool = temp / (iterations + 1)
    for _ in range(iterations):
        dx = pos[:, 0, None] - pos[None, :, 0]
        dy = pos[:, 1, None] - pos[None, :, 1]
        d2 = dx * dx + dy * dy
        np.maximum(d2, np.float32(1e-6), out=d2)
        inv = (k * k) / d2
        np.fill_diagonal(inv, 0)
        disp = np.stack([(dx * inv).sum(1), (dy * inv).sum(1)], axis=1)
        e = pos[a] - pos[b]
        dist = np.sqrt((e * e).sum(1))
        f = e * (dist * w / k)[:, None]
        for c in (0, 1):
            disp[:, c] += np.bincount(b, f[:, c], minlength=n) - np.bincount(a, f[:, c],
                                                                              minlength=n)
        disp -= (pos - pos.mean(0)) * np.float32(2.0 * k)  # gravity keeps components near
        length = np.sqrt((disp * disp).sum(1))
        np.maximum(length, np.float32(1e-9), out=length)
        pos += disp * (np.minimum(length, temp) / length)[:, None]
        temp -= cool
    return pos.astype(float)


def _layout(n: int, a: np.ndarray, b: np.ndarray, w: np.ndarray, seed: int) -> np.ndarray:
    """Positions for n nodes: the tied ones by spring layout, the isolated on a grid below."""
    pos = np.zeros((n, 2))
    tied = np.zeros(n, dtype=bool)
    tied[a] = True
    tied[b] = True
    idx = np.flatnonzero(tied)
    side = 60.0 * np.sqrt(max(len(idx), 1)) + 200
    if len(idx):
        local = np.full(n, -1, dtype=np.int64)
        local[idx] = np.arange(len(idx))
        key = pd.DataFrame({"a": local[np.minimum(a, b)], "b": local[np.maximum(a, b)],
                            "w": w})
        key = key[key["a"] != key["b"]].groupby(["a", "b"], as_index=False)["w"].sum()
        xy = _spring(len(idx), key["a"].to_numpy(), key["b"].to_numpy(),
                     np.log1p(key["w"].to_numpy(dtype=float)), seed)
        xy -= xy.min(0)
        span = xy.max(0)
        span[span == 0] = 1
        pos[idx] = xy / span * side
    iso = np.flatnonzero(~tied)
    if len(iso):
        cols = max(1, int(np.ceil(np.sqrt(len(iso) * 4))))
        step = max(30.0, side / cols)
        pos[iso, 0] = (np.arange(len(iso)) % cols) * step
        pos[iso, 1] = (side if len(idx) else 0) + 80 + (np.arange(len(iso)) // cols) * step
    return pos



layout = _layout
