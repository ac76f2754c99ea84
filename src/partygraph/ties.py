"""Actors and horizontal ties, exactly as the data contract defines them.

**Actor.** A unit, or an org built over a region (no unit) that is neither a ``body`` nor a
party group (``group``, 党小组). An org built in a unit acts for that unit; a party group acts
for the actor of its parent org (it is part of that branch). Members, regions, bodies and
groups are not actors. An org built over a region that does not stand in the analysis window
(dissolved before it starts, or established after it ends) is not an actor in that window, and
links, project places and body memberships of an org that does not stand in the window make no
tie.

**Co-building unit (共建单位).** An actor that is not a hub: every unit, and every org built over
a community, village, estate, building or grid. Hubs — orgs built over a province, city,
district or street (区委, 街道党工委; domain ``hub``) — take part in linkage but are not judged
(walled-in status and participation are about co-building units only).

**Horizontal tie.** A tie between two different actors, made by

- a ``pair``, ``agreement``, ``council``, ``covers`` or ``service`` link between them (an org
  stands for its actor; a link with a member or region at either end ties no actors);
- a ``registration`` link from an org (or a unit) — a member's registration is member
  management, not a tie;
- a ``cross_post`` link: it ties the actor of the member's own org to the actor where the post
  is held;
- taking part in the same project whose status is not ``planned`` or ``cancelled`` (a missing
  status counts), or being members (through ``body`` links) of the same body: every pair of
  actors in a project, or in a body, is tied once by it.

A link between an org and its own direct parent or child in the subordination tree is
vertical, not horizontal (for a unit end, the orgs built in the unit are its orgs). Links,
projects and body memberships count only if active at some time in the analysis window.
Each tie has weight 1 unless its link gives one (project and body ties weigh 1).

Every tie is kept, parallel ones included (two projects between the same two actors are two
ties), in a table with integer actor positions for the analyses and readable ids for people.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import arrays
from .network import CoBuildingNetwork
from .results import record

__all__ = ["TIE_KINDS", "Actors", "actors", "horizontal_ties"]

#: Where a tie can come from: link kinds, then ``project`` and ``body``.
TIE_KINDS = ("pair", "agreement", "council", "body", "registration", "covers", "cross_post",
             "service", "project")
_LINK_TIE_KINDS = ("pair", "agreement", "council", "registration", "covers", "cross_post",
                   "service")
#: Ties that exist on paper only (the walls analysis): no project and no service.
PAPER_KINDS = ("pair", "agreement", "council", "body", "registration", "covers", "cross_post")

_TIER_OF_LEVEL = {"province": "province", "city": "city", "district": "district",
                  "street": "street", "community": "community", "village": "community",
                  "estate": "community", "building": "community", "grid": "community"}


@dataclass
class Actors:
    """The actors of a network and how every unit/org id maps onto them.

    Attributes
    ----------
    frame : DataFrame
        One row per actor: ``actor_id``, ``actor_type`` (unit or org), ``name``, ``domain``,
        ``region_id``, ``street_id``, ``community_id``, ``tier``, ``depth`` (subordination
        depth of its main org), ``industry``, ``cobuilding`` (a co-building unit, not a hub).
    org_actor : ndarray
        For each row of ``orgs``, the position of its actor (-1 for bodies, orgs whose unit
        is unknown and party groups without a parent that has an actor).
    actor_org : ndarray
        For each actor, the row of ``orgs`` it is (-1 for units).
    """

    frame: pd.DataFrame
    org_actor: np.ndarray
    unit_primary_org: np.ndarray = field(repr=False)
    actor_org: np.ndarray = field(default=None, repr=False)  # type: ignore[assignment]

    def position(self, ids: pd.Series, net: CoBuildingNetwork,
                 org_ok: np.ndarray | None = None) -> np.ndarray:
        """Actor position for each id that is a unit or an org (-1 otherwise).

        ``org_ok`` (one flag per row of ``orgs``) maps the ids of orgs not flagged to -1:
        an org that does not stand in the window acts for nobody.
        """
        pos = arrays.index_of(ids, net.tables["units"]["id"])
        out = np.where(pos >= 0, pos, -1)
        opos = arrays.index_of(ids, net.tables["orgs"]["id"])
        use = (out < 0) & (opos >= 0)
        if org_ok is not None:
            use[use] = org_ok[opos[use]]
        out[use] = self.org_actor[opos[use]]
        return out

    def in_window(self, net: CoBuildingNetwork, window: object = None) -> np.ndarray:
        """Which actors are actors in the window: every unit, and each org built over a
        region that stands in the window (not dissolved before it starts nor established
        after it ends)."""
        ok = np.ones(len(self.frame), dtype=bool)
        is_org = self.actor_org >= 0
        ok[is_org] = net.active("orgs", window)[self.actor_org[is_org]]
        return ok


#: Region levels whose orgs are hubs (统筹), not co-building units.
HUB_LEVELS = ("province", "city", "district", "street")


def actors(net: CoBuildingNetwork) -> Actors:
    """The actors of a network (units first, then orgs built over a region).

    Parameters
    ----------
    net : CoBuildingNetwork
        The network.

    Returns
    -------
    Actors
        ``frame`` (one row per actor) and how unit and org ids map onto actors.

    >>> import partygraph as pg
    >>> a = pg.actors(pg.load_example("demo"))
    >>> a.frame.columns.tolist()[:4]
    ['actor_id', 'actor_type', 'name', 'domain']
    """
    cached = net.__dict__.get("_actors")
    if cached is not None:
        return cached
    u = net.tables["units"]
    o = net.tables["orgs"]
    nu = len(u)
    kind = o["kind"].to_numpy(dtype=object)
    is_body = kind == "body"
    is_group = kind == "group"
    in_unit = o["unit_id"].notna().to_numpy()
    region_org = ~in_unit & ~is_body & ~is_group
    org_actor = np.full(len(o), -1, dtype=np.int64)
    upos = arrays.index_of(o["unit_id"], u["id"])
    ok = in_unit & ~is_body & (upos >= 0)
    org_actor[ok] = upos[ok]
    org_actor[region_org] = nu + np.arange(int(region_org.sum()))
    parent = arrays.index_of(o["parent_id"], o["id"])
    # a party group over a region acts for its parent's actor (through chains of groups)
    free_group = is_group & ~in_unit
    for _ in range(64):
        sel = free_group & (org_actor < 0) & (parent >= 0)
        sel[sel] = org_actor[parent[sel]] >= 0
        if not sel.any():
            break
        org_actor[sel] = org_actor[parent[sel]]
    # subordination depth of each org (pointer jumping over integer parents)
    depth = np.zeros(len(o), dtype=np.int64)
    cur = parent.copy()
    for _ in range(64):
        has = cur >= 0
        if not has.any():
            break
        depth[has] += 1
        cur = np.append(parent, -1)[cur]
    # a unit's main org: the shallowest standing non-body org built in it
    order = np.lexsort((depth, upos))
    first = np.full(nu, -1, dtype=np.int64)
    cand = order[ok[order]]
    cand_u = upos[cand]
    keep = np.r_[True, cand_u[1:] != cand_u[:-1]] if len(cand) else np.zeros(0, bool)
    first[cand_u[keep]] = cand[keep]
    unit_depth = np.append(depth, -1)[first]  # -1 (no org) picks the appended -1
    ro = o[region_org]
    region_ids = pd.concat([u["region_id"], ro["region_id"]], ignore_index=True)
    frame = pd.DataFrame({
        "actor_id": pd.concat([u["id"], ro["id"]], ignore_index=True),
        "actor_type": np.r_[np.full(nu, "unit", dtype=object),
                            np.full(len(ro), "org", dtype=object)],
        "name": pd.concat([u["name"], ro["name"]], ignore_index=True),
        "domain": pd.concat([u["domain"], ro["domain"]], ignore_index=True),
        "region_id": region_ids,
    })
    frame["actor_type"] = frame["actor_type"].astype("str")
    if net.has("regions"):
        frame["street_id"] = net.ancestor(region_ids, "street")
        comm = net.ancestor(region_ids, "community")
        frame["community_id"] = comm.where(comm.notna(), net.ancestor(region_ids, "village"))
        level = arrays.lookup(region_ids, pd.Series(
            net.tables["regions"]["level"].to_numpy(),
            index=net.tables["regions"]["id"].to_numpy(), dtype="str"))
        org_tier = level[nu:].map(_TIER_OF_LEVEL)
        org_level = level[nu:].to_numpy(dtype=object)
    else:
        frame["street_id"] = pd.Series(pd.NA, index=frame.index, dtype="str")
        frame["community_id"] = frame["street_id"]
        org_tier = pd.Series(pd.NA, index=range(len(ro)), dtype="str")
        org_level = np.full(len(ro), None, dtype=object)
    unit_tier = u["tier"] if "tier" in u.columns else pd.Series(pd.NA, index=u.index)
    frame["tier"] = pd.concat([unit_tier.astype("str"), org_tier.astype("str")],
                              ignore_index=True)
    frame["depth"] = np.r_[unit_depth, depth[region_org]]
    industry = u["industry"] if "industry" in u.columns else pd.Series(pd.NA, index=u.index)
    frame["industry"] = pd.concat([industry.astype("str"), pd.Series(
        pd.NA, index=range(len(ro)), dtype="str")], ignore_index=True)
    hub = np.isin(org_level, HUB_LEVELS) | (ro["domain"] == "hub").fillna(False).to_numpy(
        dtype=bool)
    frame["cobuilding"] = np.r_[np.ones(nu, dtype=bool), ~hub]
    actor_org = np.r_[np.full(nu, -1, dtype=np.int64), np.flatnonzero(region_org)]
    result = Actors(frame, org_actor, first, actor_org)
    net.__dict__["_actors"] = result
    return result


def _pairs_within_groups(group: np.ndarray, member: np.ndarray) -> tuple[np.ndarray, ...]:
    """Every unordered pair of distinct members within each group, vectorised.

    ``group`` and ``member`` are integer arrays (one row per membership). Duplicate
    memberships are dropped first. Returns (group, member_a, member_b) with a < b.
    """
    if len(group) == 0:
        e = np.zeros(0, dtype=np.int64)
        return e, e, e
    key = np.unique(np.stack([group, member], axis=1), axis=0)
    g, m = key[:, 0], key[:, 1]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    sizes = np.diff(np.r_[starts, len(g)])
    out_g, out_a, out_b = [], [], []
    for k in np.unique(sizes[sizes >= 2]):
        sel = starts[sizes == k]
        ia, ib = np.triu_indices(k, 1)
        out_g.append(np.repeat(g[sel], len(ia)))
        out_a.append(m[(sel[:, None] + ia[None, :]).ravel()])
        out_b.append(m[(sel[:, None] + ib[None, :]).ravel()])
    if not out_g:
        e = np.zeros(0, dtype=np.int64)
        return e, e, e
    return np.concatenate(out_g), np.concatenate(out_a), np.concatenate(out_b)


TIE_COLUMNS = ["a", "b", "actor_a", "actor_b", "kind", "via", "weight", "start", "end",
               "cross_domain", "cross_level", "cross_region", "cross_industry"]


def horizontal_ties(net: CoBuildingNetwork, window: object = None) -> pd.DataFrame:
    """Every horizontal tie between actors in the window, with its source and crossings.

    Parameters
    ----------
    net : CoBuildingNetwork
    window : tuple, optional
        Defaults to the network's window.

    Returns
    -------
    DataFrame
        One row per tie: ``a``, ``b`` (actor positions in :func:`actors`), ``actor_a``,
        ``actor_b`` (ids; for links the source's and target's actors, in that order),
        ``kind`` (the link kind, ``project`` or ``body``), ``via`` (the link's row number in
        the links table, the project id or the body id), ``weight``, ``start``, ``end``, and
        the four crossings (Chaonan's 跨领域, 跨层级, 跨地域, 跨行业): ``cross_domain`` (the
        actors' domains differ), ``cross_level`` (their tiers differ, or with a tier missing
        their subordination depths differ), ``cross_region`` (different streets/towns),
        ``cross_industry`` (both industries known and different).

    Examples
    --------
    >>> import partygraph as pg
    >>> ties = pg.horizontal_ties(pg.load_example("demo"))
    >>> bool((ties["a"] != ties["b"]).all())
    True
    """
    w = net.resolve_window(window)
    cache = net.__dict__.setdefault("_ties", {})
    if w in cache:  # a network never changes: the ties of a window are made once
        return cache[w].copy(deep=False)
    ties = _horizontal_ties(net, w)
    cache[w] = ties
    return ties.copy(deep=False)


def ties_key(ties: pd.DataFrame) -> tuple:
    """What identifies a tie table's data: the addresses of its ``a``, ``b``, ``kind`` and
    ``weight`` buffers and its length. :func:`horizontal_ties` hands out shallow copies of
    one cached table; they share these buffers (and a copy that was written to does not), so
    results made from the ties can be kept under this key, with the arrays held beside them
    so that no address is reused while they are kept."""
    import pyarrow as pa

    from .arrays import identity

    def address(s: pd.Series) -> tuple[object, object]:
        if isinstance(s.dtype, pd.StringDtype | pd.ArrowDtype):
            arr = pa.array(s.array)
            return (identity(arr), arr)
        x = s.to_numpy()
        return ((x.__array_interface__["data"][0], x.strides), x)

    parts = [address(ties[c]) for c in ("a", "b", "kind", "weight") if c in ties.columns]
    return (len(ties), *(p[0] for p in parts)), [p[1] for p in parts]


def _horizontal_ties(net: CoBuildingNetwork, w: tuple) -> pd.DataFrame:
    act = actors(net)
    t = net.tables
    o = t["orgs"]
    org_ok = net.active("orgs", w)
    parts: list[pd.DataFrame] = []
    if "links" in t and len(t["links"]):
        lk = t["links"]
        active = net.active("links", w)
        kind = lk["kind"].to_numpy(dtype=object)
        src = act.position(lk["source"], net, org_ok)
        dst = act.position(lk["target"], net, org_ok)
        # registration from a member and cross_post need their own mapping
        if "members" in t:
            m = t["members"]
            mpos = arrays.index_of(lk["source"], m["id"])
            morg = arrays.index_of(m["org_id"], o["id"])
            member_actor = np.append(np.where(org_ok, act.org_actor, -1), -1)[morg]
            cp = (kind == "cross_post") & (mpos >= 0)
            src[cp] = member_actor[mpos[cp]]
            src[(kind == "registration") & (mpos >= 0)] = -1
        ok = active & np.isin(kind, _LINK_TIE_KINDS) & (src >= 0) & (dst >= 0) & (src != dst)
        ok &= ~_vertical(net, act, lk, kind, ok)
        idx = np.flatnonzero(ok)
        parts.append(pd.DataFrame({
            "a": src[idx], "b": dst[idx], "kind": kind[idx],
            "via": (net.rows["links"][idx] if "links" in net.rows else idx).astype(str),
            "weight": lk["weight"].to_numpy(dtype=float)[idx],
            "start": lk["start"].to_numpy()[idx], "end": lk["end"].to_numpy()[idx]}))
        # body membership: every pair of member actors of a body
        bpos_all = arrays.index_of(lk["target"], o["id"])
        body = active & (kind == "body") & (src >= 0) & (bpos_all >= 0)
        body[body] &= org_ok[bpos_all[body]]
        if body.any():
            bpos = bpos_all[body]
            g, a, b = _pairs_within_groups(bpos, src[body])
            keep = a != b
            parts.append(pd.DataFrame({
                "a": a[keep], "b": b[keep], "kind": "body",
                "via": o["id"].to_numpy(dtype=object)[g[keep]], "weight": 1.0,
                "start": pd.NaT, "end": pd.NaT}))
    if "projects" in t and "participation" in t:
        p = t["projects"]
        ok_p = net.active("projects", w) & ~p["status"].isin(
            ["planned", "cancelled"]).to_numpy(dtype=bool)
        pa = t["participation"]
        ppos = arrays.index_of(pa["project_id"], p["id"])
        apos = act.position(pa["participant_id"], net, org_ok)
        sel = (ppos >= 0) & (apos >= 0)
        sel[sel] &= ok_p[ppos[sel]]
        g, a, b = _pairs_within_groups(ppos[sel], apos[sel])
        keep = a != b
        parts.append(pd.DataFrame({
            "a": a[keep], "b": b[keep], "kind": "project",
            "via": p["id"].to_numpy(dtype=object)[g[keep]], "weight": 1.0,
            "start": p["start"].to_numpy()[g[keep]], "end": p["end"].to_numpy()[g[keep]]}))
    parts = [x for x in parts if len(x)]
    if parts:
        ties = pd.concat(parts, ignore_index=True)
    else:
        ties = pd.DataFrame({"a": np.zeros(0, np.int64), "b": np.zeros(0, np.int64),
                             "kind": [], "via": [], "weight": np.zeros(0),
                             "start": pd.Series([], dtype="datetime64[ns]"),
                             "end": pd.Series([], dtype="datetime64[ns]")})
    ties["a"] = ties["a"].astype(np.int64)
    ties["b"] = ties["b"].astype(np.int64)
    ties["kind"] = ties["kind"].astype("str")
    ties["via"] = ties["via"].astype("str")
    ties["start"] = pd.to_datetime(ties["start"])
    ties["end"] = pd.to_datetime(ties["end"])
    f = act.frame
    ids = f["actor_id"]
    ties.insert(2, "actor_a", arrays.take_str(ids, ties["a"].to_numpy()))
    ties.insert(3, "actor_b", arrays.take_str(ids, ties["b"].to_numpy()))
    a, b = ties["a"].to_numpy(), ties["b"].to_numpy()
    ties["cross_domain"] = _differs(f["domain"], a, b)
    tier_diff = _differs(f["tier"], a, b)
    tier_known = _known(f["tier"], a, b)
    depth = f["depth"].to_numpy()
    depth_diff = (depth[a] != depth[b]) & (depth[a] >= 0) & (depth[b] >= 0)
    ties["cross_level"] = np.where(tier_known, tier_diff, depth_diff)
    ties["cross_region"] = _differs(f["street_id"], a, b)
    ties["cross_industry"] = _differs(f["industry"], a, b)
    ties.attrs["window"] = w
    record(ties, "horizontal_ties", window=w)
    return ties[TIE_COLUMNS]


def _codes(s: pd.Series) -> np.ndarray:
    codes, _ = pd.factorize(s)
    return codes


def _known(s: pd.Series, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    c = _codes(s)
    return (c[a] >= 0) & (c[b] >= 0)


def _differs(s: pd.Series, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    c = _codes(s)
    return (c[a] != c[b]) & (c[a] >= 0) & (c[b] >= 0)


def _vertical(net, act, lk, kind, ok) -> np.ndarray:
    """Links between an org and its own direct parent or child."""
    o = net.tables["orgs"]
    parent = arrays.index_of(o["parent_id"], o["id"])

    def org_of(ids: pd.Series) -> np.ndarray:
        pos = arrays.index_of(ids, o["id"])
        upos = arrays.index_of(ids, net.tables["units"]["id"])
        use = (pos < 0) & (upos >= 0)
        pos[use] = act.unit_primary_org[upos[use]]
        return pos

    if "members" in net.tables:
        m = net.tables["members"]
        mpos = arrays.index_of(lk["source"], m["id"])
        morg = arrays.index_of(m["org_id"], o["id"])
        src_org = org_of(lk["source"])
        cp = (kind == "cross_post") & (mpos >= 0)
        src_org[cp] = morg[mpos[cp]]
    else:
        src_org = org_of(lk["source"])
    dst_org = org_of(lk["target"])
    both = ok & (src_org >= 0) & (dst_org >= 0)
    out = np.zeros(len(lk), dtype=bool)
    s, d = src_org[both], dst_org[both]
    out[both] = (parent[s] == d) | (parent[d] == s)
    # a unit end with several orgs: any of them parent/child of the other end
    units = net.tables["units"]
    for end, other in ((lk["source"], dst_org), (lk["target"], src_org)):
        upos = arrays.index_of(end, units["id"])
        sel = both & (upos >= 0) & ~out
        if not sel.any():
            continue
        ou = arrays.index_of(o["unit_id"], units["id"])
        multi = np.bincount(ou[ou >= 0], minlength=len(units)) > 1
        sel &= multi[np.where(upos >= 0, upos, 0)]
        for i in np.flatnonzero(sel):
            mine = np.flatnonzero(ou == upos[i])
            j = other[i]
            out[i] = bool(np.any(parent[mine] == j) or np.any(parent[j] == mine))
    return out
