"""Quantities with their units (计量单位): what the resource list adds up to, and the venues
(活动阵地) of each community against a standard.

A resource's ``quantity`` is in its ``measure`` (contract version 2: ``m2`` 平方米, ``yuan`` 元,
``person_times`` 人次, ``sessions`` 场次, ``items`` 项); quantities add up only with their own
measure, and a resource without one is counted, not summed with the others.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .network import CoBuildingNetwork
from .results import record

__all__ = ["resource_totals", "venue_area"]

#: The default 活动阵地 standard per community, in m²: Yong'an's "全市25个城市社区平均办公场所面积
#: 全部达300平方米以上" (settable).
VENUE_STANDARD_M2 = 300.0


def _place(net: CoBuildingNetwork, df: pd.DataFrame, owner: str) -> pd.Series:
    from .needs import _owner_regions

    return df["region_id"].where(df["region_id"].notna(), _owner_regions(net, df[owner]))


def resource_totals(net: CoBuildingNetwork) -> pd.DataFrame:
    """The resource list added up by category and measure.

    Parameters
    ----------
    net : CoBuildingNetwork
        The network.

    Returns
    -------
    DataFrame
        ``category``, ``measure`` (empty: no measure given), ``resources`` (rows) and
        ``quantity`` (their summed quantity; for rows without a measure, their count of
        items: quantities of unknown units are not added up).

    Examples
    --------
    >>> import partygraph as pg
    >>> t = pg.resource_totals(pg.load_example("yongan"))
    >>> float(t.loc[t["measure"] == "m2", "quantity"].sum())
    7600.0
    """
    r = net.table("resources", "resource_totals")
    measure = r["measure"] if "measure" in r.columns else pd.Series(pd.NA, index=r.index,
                                                                      dtype="str")
    d = pd.DataFrame({"category": r["category"], "measure": measure,
                      "quantity": np.where(measure.notna(), r["quantity"], 1.0)})
    out = d.groupby(["category", "measure"], dropna=False, sort=True).agg(
        resources=("quantity", "size"), quantity=("quantity", "sum")).reset_index()
    out["resources"] = out["resources"].astype(np.int64)
    return out


def venue_area(net: CoBuildingNetwork, standard: float = VENUE_STANDARD_M2) -> pd.DataFrame:
    """活动阵地 area per community (or village) against a standard.

    Venues are resources of category ``venue`` measured in ``m2``, placed at their
    ``region_id`` or else where their owner sits; an owner's venue in the community counts
    for it (shared venues, 阵地共享).

    Parameters
    ----------
    standard : float
        Square metres a community should have (default 300, after Yong'an's report).

    Returns
    -------
    DataFrame
        ``community_id``, ``community``, ``venues``, ``area_m2``, ``standard_m2``,
        ``meets_standard``; every community and village appears, with 0 where none.

    Examples
    --------
    >>> import partygraph as pg
    >>> v = pg.venue_area(pg.load_example("yongan"))
    >>> float(v["area_m2"].sum())
    7600.0
    """
    r = net.table("resources", "venue_area")
    net.table("regions", "venue_area")
    measure = r["measure"] if "measure" in r.columns else pd.Series(pd.NA, index=r.index,
                                                                      dtype="str")
    sel = ((r["category"] == "venue") & (measure == "m2")).fillna(False).to_numpy(bool)
    place = _place(net, r, "owner_id")[sel]
    comm = net.ancestor(place, "community")
    comm = comm.where(comm.notna(), net.ancestor(place, "village"))
    v = pd.DataFrame({"community_id": comm.to_numpy(dtype=object),
                      "area": r["quantity"][sel].to_numpy(dtype=float)})
    g = v.groupby("community_id").agg(venues=("area", "size"), area_m2=("area", "sum"))
    rf = net.regions_frame
    comms = rf.loc[rf["level"].isin(["community", "village"]).to_numpy(bool), "id"]
    out = g.reindex(pd.Index(comms.to_numpy(), name="community_id"), fill_value=0)
    out = out.reset_index()
    out["venues"] = out["venues"].astype(np.int64)
    out.insert(1, "community", net.region_names(out["community_id"].astype("str")))
    out["standard_m2"] = float(standard)
    out["meets_standard"] = out["area_m2"] >= standard
    record(out, "venue_area", standard=standard)
    return out
