"""Posts (职务): who holds which post where, from the ``post`` of ``cross_post`` and
``council`` links (contract version 2).

- 一肩挑: a community's (or village's) Party secretary is also the director of its committee —
  one member holds ``secretary`` in an org of the community (built over it or in its committee
  unit) and ``director`` in its committee unit (Longyan also uses 一肩挑 for an estate
  secretary who chairs the owners' committee: ``secretary_chairs_owners``);
- 交叉任职 in 业委会/物业: members holding a post in an owners' committee or a property company
  of the community (Longyan's 387, Jiangbei's 三位一体);
- 第一书记: ``first_secretary`` posts in the community's orgs (Yong'an's street committee
  members as first secretaries of community 大党委);
- full-time and part-time council seats (专职委员/兼职委员, the Shanghai article's proposal) are
  counted per council by :func:`partygraph.council_representation`.

A post is held while its link is active in the window. The community of a post is the
community (or village) where the org or unit holding it sits.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import arrays
from .network import CoBuildingNetwork
from .results import record

__all__ = ["post_summary", "posts"]


def posts(net: CoBuildingNetwork, window: object = None) -> pd.DataFrame:
    """Every post held in the window: ``member_id``, ``post``, ``kind`` (cross_post or
    council), ``target_id``, ``target_type`` (org or unit), ``unit_kind`` (of the unit, or the
    unit the org is built in), ``org_level`` (the level of the region an org is built over),
    ``community_id``.

    Parameters
    ----------
    net : CoBuildingNetwork
        The network.
    window : tuple, optional
        The analysis window ``(start, end)``; default: the network's.

    Returns
    -------
    DataFrame
        One row per post held (the columns above).

    Examples
    --------
    >>> import partygraph as pg
    >>> p = pg.posts(pg.load_example("longyan"))
    >>> sorted(p["post"].unique())
    ['owners_chair', 'secretary']
    """
    cols = ["member_id", "post", "kind", "target_id", "target_type", "unit_kind",
            "org_level", "community_id"]
    if not net.has("links") or "post" not in net.tables["links"].columns:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in cols})
    lk = net.tables["links"]
    sel = (net.active("links", window) & lk["kind"].isin(["cross_post", "council"])
           .to_numpy(bool) & lk["post"].notna().to_numpy(bool))
    t = lk[sel]
    u, o = net.tables["units"], net.tables["orgs"]
    up = arrays.index_of(t["target"], u["id"])
    op = arrays.index_of(t["target"], o["id"])
    unit_of_org = arrays.index_of(o["unit_id"], u["id"])
    unit = np.where(up >= 0, up, np.where(op >= 0, unit_of_org[np.maximum(op, 0)], -1))
    ukind = np.where(unit >= 0, u["kind"].to_numpy(dtype=object)[np.maximum(unit, 0)], None)
    region = np.where(op >= 0, net.region_of("orgs").to_numpy(dtype=object)[np.maximum(op, 0)],
                      np.where(up >= 0, u["region_id"].to_numpy(dtype=object)[
                          np.maximum(up, 0)], None))
    region = pd.Series(region, dtype="str")
    level = pd.Series(pd.NA, index=region.index, dtype="str")
    comm = level.copy()
    if net.has("regions"):
        rf = net.regions_frame
        lv = pd.Series(rf["level"].to_numpy(dtype=object), index=rf["id"].to_numpy())
        over = (op >= 0) & o["unit_id"].isna().to_numpy()[np.maximum(op, 0)]
        level = region.map(lv).where(pd.Series(over), pd.NA).astype("str")
        comm = net.ancestor(region, "community")
        comm = comm.where(comm.notna(), net.ancestor(region, "village"))
    out = pd.DataFrame({
        "member_id": t["source"].to_numpy(), "post": t["post"].to_numpy(),
        "kind": t["kind"].to_numpy(), "target_id": t["target"].to_numpy(),
        "target_type": np.where(up >= 0, "unit", np.where(op >= 0, "org", None)),
        "unit_kind": ukind, "org_level": level.to_numpy(dtype=object),
        "community_id": comm.to_numpy(dtype=object)})
    return out.astype({c: "str" for c in cols})


def post_summary(net: CoBuildingNetwork, window: object = None) -> pd.DataFrame:
    """Posts by community or village: 一肩挑, 交叉任职 in 业委会/物业, 第一书记.

    Parameters
    ----------
    net : CoBuildingNetwork
        The network.
    window : tuple, optional
        The analysis window ``(start, end)``; default: the network's.

    Returns
    -------
    DataFrame
        One row per community or village where any post is held: ``community_id``,
        ``community``, ``secretaries`` and ``directors`` (members holding the post in the
        community's org or committee), ``one_shoulder`` (one member holds both: 一肩挑; empty
        when either is not recorded), ``first_secretaries``, ``owners_posts`` and
        ``property_posts`` (members with a post in an owners' committee or a property company
        of the community: 交叉任职), ``secretary_chairs_owners`` (members who are secretary of
        an estate org and chair an owners' committee of the community).

    Examples
    --------
    >>> import partygraph as pg
    >>> s = pg.post_summary(pg.load_example("longyan"))
    >>> int(s["secretary_chairs_owners"].sum()) > 0
    True
    """
    p = posts(net, window)
    cols = ["community_id", "community", "secretaries", "directors", "one_shoulder",
            "first_secretaries", "owners_posts", "property_posts", "secretary_chairs_owners"]
    p = p[p["community_id"].notna()]
    if not len(p):
        return pd.DataFrame(columns=cols)
    sec_comm = (p["post"] == "secretary") & (
        p["org_level"].isin(["community", "village"]) | p["unit_kind"].isin(
            ["community", "village"]))
    director = (p["post"] == "director") & p["unit_kind"].isin(["community", "village"])
    sec_estate = (p["post"] == "secretary") & p["org_level"].isin(["estate", "building"])
    chair = (p["post"] == "owners_chair") & (p["unit_kind"] == "owners_committee")

    def members(mask: pd.Series) -> pd.DataFrame:
        return p.loc[mask, ["community_id", "member_id"]].drop_duplicates()

    def count(mask: pd.Series) -> pd.Series:
        return members(mask).groupby("community_id").size()

    both = members(sec_comm).merge(members(director), on=["community_id", "member_id"])
    chairs = members(sec_estate).merge(members(chair), on=["community_id", "member_id"])
    comms = pd.Index(sorted(p["community_id"].unique()), name="community_id")
    out = pd.DataFrame(index=comms)
    out["secretaries"] = count(sec_comm)
    out["directors"] = count(director)
    out["one_shoulder"] = both.groupby("community_id").size() > 0
    out["first_secretaries"] = count(p["post"] == "first_secretary")
    out["owners_posts"] = count(p["unit_kind"] == "owners_committee")
    out["property_posts"] = count(p["unit_kind"] == "property_company")
    out["secretary_chairs_owners"] = chairs.groupby("community_id").size()
    for c in ("secretaries", "directors", "first_secretaries", "owners_posts",
              "property_posts", "secretary_chairs_owners"):
        out[c] = out[c].fillna(0).astype(np.int64)
    known = (out["secretaries"] > 0) & (out["directors"] > 0)
    out["one_shoulder"] = out["one_shoulder"].astype("boolean").fillna(False).where(
        known, pd.NA)
    out = out.reset_index()
    out.insert(1, "community", net.region_names(out["community_id"].astype("str"))
               if net.has("regions") else pd.NA)
    record(out, "post_summary", window=net.resolve_window(window))
    return out[cols]
