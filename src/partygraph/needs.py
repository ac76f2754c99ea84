"""Needs followed to their close (三单制: 提单 → 下单 → 接单 → 办结 → 评价).

A *need* is a row of ``demands`` or a ``projects`` row of kind ``wish`` (微心愿). Its status
(contract version 2) is one of ``open`` 待认领 (提单: posted), ``assigned`` 已派单 (下单: the
org passed it on), ``claimed`` 已认领 (接单), ``closed`` 已办结 or ``cancelled`` 已取消;
``claimed_by`` names who claimed it, ``closed`` when it was closed, ``satisfaction`` (1–5) how
the resident rated it (评价).

Choices the contract leaves open, written down:

- A demand without a status is ``open``. A wish keeps the project statuses too: ``planned``
  reads as open, ``running`` as claimed, ``completed`` as closed.
- A need is *claimed* when its status is claimed or closed, or it names ``claimed_by``, or
  (a wish) a participant has the role ``claimant``.
- A need is *solved* when it is closed in the analysis window: its ``closed`` date lies in the
  window. A closed need with no date counts as solved only when the window is open at both
  ends (all time).
- Only *open* needs — status open (or none), nobody named in ``claimed_by``, no claimant —
  are offered to :func:`~partygraph.suggest_matches` and :func:`~partygraph.match_wishes`;
  a solved or claimed need is never listed as unmet.
- By community: the need's region, else the requester's; by body: the bodies (``body`` orgs)
  the claimer belongs to (through ``body`` links; a member claims for the actor of their
  org), or the body itself when the body claims.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import arrays
from .errors import check_choice
from .network import CoBuildingNetwork
from .results import record

__all__ = ["is_open", "need_items", "needs_progress"]

#: Project statuses of a wish read as need statuses.
_WISH_STATUS = {"planned": "open", "running": "claimed", "completed": "closed"}


def is_open(df: pd.DataFrame) -> np.ndarray:
    """Which rows of ``demands`` (or of wish projects) are open needs: status open or none
    (for a wish also ``planned`` or ``running`` without a claimant name), nobody named in
    ``claimed_by``."""
    n = len(df)
    status = df["status"] if "status" in df.columns else pd.Series(pd.NA, index=df.index)
    ok = status.isna() | status.isin(["open", "planned"])
    out = np.array(ok.fillna(True), dtype=bool)
    if "claimed_by" in df.columns:
        out &= df["claimed_by"].isna().to_numpy(dtype=bool)
    return out if n else np.zeros(0, dtype=bool)


def need_items(net: CoBuildingNetwork) -> pd.DataFrame:
    """Every need, demands and wishes alike, with its status read the same way.

    Columns ``item_id``, ``item_type`` (demand, wish), ``name``, ``requester_id``,
    ``region_id``, ``status``, ``claimed_by``, ``closed``, ``satisfaction``, ``claimant``
    (a wish's participant with role claimant, when ``claimed_by`` is empty).
    """
    return net.made("need_items", lambda: _need_items(net)).copy()


def _need_items(net: CoBuildingNetwork) -> pd.DataFrame:
    cols = {"item_id": "str", "item_type": "str", "name": "str", "requester_id": "str",
            "region_id": "str", "status": "str", "claimed_by": "str",
            "closed": "datetime64[ns]", "satisfaction": "Float64"}
    parts = []
    if net.has("demands"):
        d = net.tables["demands"]
        parts.append(pd.DataFrame({
            "item_id": d["id"], "item_type": "demand", "name": d["name"],
            "requester_id": d["requester_id"],
            "region_id": d["region_id"].where(d["region_id"].notna(),
                                              _owner_regions(net, d["requester_id"])),
            "status": d["status"].fillna("open") if "status" in d.columns else "open",
            "claimed_by": d.get("claimed_by"), "closed": d.get("closed"),
            "satisfaction": d.get("satisfaction")}))
    if net.has("projects"):
        p = net.tables["projects"]
        w = p[(p["kind"] == "wish").fillna(False).to_numpy(dtype=bool)]
        status = w["status"].replace(_WISH_STATUS).fillna("open")
        claimed_by = w["claimed_by"] if "claimed_by" in w.columns else pd.Series(
            pd.NA, index=w.index, dtype="str")
        if net.has("participation") and len(w):
            pa = net.tables["participation"]
            cl = pa[(pa["role"] == "claimant").fillna(False).to_numpy(dtype=bool)]
            first = cl.drop_duplicates("project_id").set_index("project_id")["participant_id"]
            claimed_by = claimed_by.where(claimed_by.notna(), arrays.lookup(
                w["id"], first.astype("str")).set_axis(w.index))
        parts.append(pd.DataFrame({
            "item_id": w["id"], "item_type": "wish", "name": w["name"],
            "requester_id": w["lead_id"], "region_id": _owner_regions(net, w["lead_id"]),
            "status": status, "claimed_by": claimed_by, "closed": w.get("closed"),
            "satisfaction": w.get("satisfaction")}))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in cols.items()})
    out = pd.concat([p.reset_index(drop=True) for p in parts], ignore_index=True)
    for c, t in cols.items():
        if c not in out.columns or out[c].isna().all():
            out[c] = pd.Series(pd.NA if t != "datetime64[ns]" else pd.NaT, index=out.index)
        out[c] = out[c].astype(t)
    return out


def _owner_regions(net: CoBuildingNetwork, ids: pd.Series) -> pd.Series:
    """The region of each unit, org, member (residence) or region id."""

    def made() -> tuple:  # once per network, not per call
        t = net.tables
        ids = [t["units"]["id"], t["orgs"]["id"]]
        where = [t["units"]["region_id"], net.region_of("orgs")]
        if "members" in t:
            ids.append(t["members"]["id"])
            where.append(t["members"]["residence_id"])
        if "regions" in t:
            ids.append(t["regions"]["id"])
            where.append(t["regions"]["id"])
        # an id in two tables: the first table's region (index_of finds the first)
        keys = pd.concat([s.astype("str") for s in ids], ignore_index=True)
        return arrays.to_arrow(keys), pd.concat([s.astype("str") for s in where],
                                                ignore_index=True)

    cached = net.made("owner_region_map", made)
    pos = arrays.index_of(ids, cached[0])
    return pd.Series(arrays.take_str(cached[1], pos), index=ids.index)


def _claimer_actor(net: CoBuildingNetwork, ids: pd.Series) -> np.ndarray:
    from .ties import actors

    act = actors(net)
    pos = act.position(ids, net)
    if net.has("members"):
        m = net.tables["members"]
        mp = arrays.index_of(ids, m["id"])
        use = (pos < 0) & (mp >= 0)
        pos[use] = act.position(m["org_id"].iloc[mp[use]].reset_index(drop=True), net)
    return pos


def needs_progress(net: CoBuildingNetwork, by: str | None = "community", *,
                   window: object = None) -> pd.DataFrame:
    """How far the needs got: posted, claimed, solved, and how residents rated them.

    Parameters
    ----------
    net : CoBuildingNetwork
        Reads ``demands`` and wish ``projects``.
    by : {"community", "street", "body", None}
        Group by where the need is (community or village, street), by the co-building body
        of whoever claimed it, or not at all.
    window : tuple, optional
        A need counts as solved when its ``closed`` date lies in the window.

    Returns
    -------
    DataFrame
        The group columns, then ``posted`` (needs, cancelled ones included), ``open``,
        ``assigned``, ``claimed`` (claimed or closed), ``solved`` (closed in the window),
        ``cancelled``, ``claim_rate`` (claimed ÷ posted less cancelled), ``solve_rate``
        (solved ÷ posted less cancelled), ``rated`` (needs with a satisfaction score) and
        ``satisfaction`` (their mean, 1–5).

    Examples
    --------
    >>> import partygraph as pg
    >>> p = pg.needs_progress(pg.load_example("yongan"), by=None)
    >>> int(p.loc[0, "posted"]) >= int(p.loc[0, "claimed"]) >= int(p.loc[0, "solved"])
    True
    """
    check_choice("by", by, ("community", "street", "body", None))
    w = net.resolve_window(window)
    items = need_items(net)
    st = items["status"].fillna("open")
    has_claimer = items["claimed_by"].notna().to_numpy(dtype=bool)
    claimed = st.isin(["claimed", "closed"]).to_numpy(dtype=bool) | has_claimer
    closed = (st == "closed").to_numpy(dtype=bool)
    when = items["closed"]
    if w[0] is None and w[1] is None:
        solved = closed.copy()
    else:
        ok = when.notna()
        if w[0] is not None:
            ok &= when >= pd.Timestamp(w[0])
        if w[1] is not None:
            ok &= when <= pd.Timestamp(w[1])
        solved = closed & np.array(ok, dtype=bool)
    cancelled = (st == "cancelled").to_numpy(dtype=bool)
    frame = pd.DataFrame({
        "posted": 1, "open": (st == "open").to_numpy(dtype=bool) & ~has_claimer,
        "assigned": (st == "assigned").to_numpy(dtype=bool) & ~has_claimer,
        "claimed": claimed & ~cancelled, "solved": solved, "cancelled": cancelled,
        "rated": items["satisfaction"].notna().to_numpy(dtype=bool),
        "score": items["satisfaction"].astype("float64").fillna(0.0).to_numpy()})
    keys: list[str] = []
    if by in ("community", "street"):
        if net.has("regions"):
            place = net.ancestor(items["region_id"], by)
            if by == "community":
                place = place.where(place.notna(), net.ancestor(items["region_id"], "village"))
        else:
            place = pd.Series(pd.NA, index=items.index, dtype="str")
        frame[f"{by}_id"] = place.to_numpy(dtype=object)
        keys = [f"{by}_id"]
    elif by == "body":
        frame, keys = _by_body(net, items, frame)
    if keys:
        g = frame.groupby(keys, dropna=False, sort=True).sum(numeric_only=True).reset_index()
    else:
        g = frame.sum(numeric_only=True).to_frame().T
    for c in ("posted", "open", "assigned", "claimed", "solved", "cancelled", "rated"):
        g[c] = g[c].astype(np.int64)
    live = (g["posted"] - g["cancelled"]).where(lambda s: s > 0)
    g["claim_rate"] = g["claimed"] / live
    g["solve_rate"] = g["solved"] / live
    g["satisfaction"] = (g["score"] / g["rated"].where(g["rated"] > 0)).round(2)
    g = g.drop(columns="score")
    if keys and keys[0].endswith("_id") and keys[0] != "body_id" and net.has("regions"):
        g.insert(1, keys[0][:-3], net.region_names(g[keys[0]].astype("str")))
    cols = [*[c for c in g.columns if c not in _COUNTS], *_COUNTS]
    out = g[[c for c in cols if c in g.columns]].reset_index(drop=True)
    record(out, "needs_progress", by=by, window=w)
    return out


_COUNTS = ("posted", "open", "assigned", "claimed", "solved", "cancelled", "claim_rate",
           "solve_rate", "rated", "satisfaction")


def _by_body(net: CoBuildingNetwork, items: pd.DataFrame, frame: pd.DataFrame):
    """Rows of ``frame`` repeated for each body of the claimer (claimed needs only)."""
    from .ties import actors

    o = net.tables["orgs"]
    bodies = o[(o["kind"] == "body").to_numpy(dtype=bool)]
    empty = frame.iloc[0:0].assign(body_id=pd.Series(dtype="str"), name=pd.Series(dtype="str"))
    if not len(bodies) or not net.has("links"):
        return empty, ["body_id", "name"]
    lk = net.tables["links"]
    sel = (lk["kind"] == "body").to_numpy(dtype=bool) & net.active("links")
    act = actors(net)
    mem = pd.DataFrame({"actor": act.position(lk["source"][sel], net),
                        "body_id": lk["target"][sel].to_numpy()})
    mem = mem[mem["actor"] >= 0]
    who = items["claimed_by"]
    direct = pd.DataFrame({"row": np.flatnonzero(who.isin(bodies["id"]).to_numpy(bool)),
                           "body_id": who[who.isin(bodies["id"])].to_numpy()})
    pos = _claimer_actor(net, who.fillna(""))
    via = pd.DataFrame({"row": np.arange(len(items)), "actor": pos})
    via = via[via["actor"] >= 0].merge(mem, on="actor")[["row", "body_id"]]
    rows = pd.concat([direct, via]).drop_duplicates()
    out = frame.iloc[rows["row"].to_numpy()].reset_index(drop=True)
    out["body_id"] = rows["body_id"].to_numpy()
    names = pd.Series(bodies["name"].to_numpy(), index=bodies["id"].to_numpy())
    out["name"] = out["body_id"].map(names)
    return out, ["body_id", "name"]
