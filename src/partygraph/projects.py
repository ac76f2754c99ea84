"""Joint projects (共建项目): the pipeline from launch to completion, and who claims them.

A project belongs where its lead sits; counts by status, completion rate (completed ÷
launched) and the items claimed by one member or by a group (Chaonan's 认领), by street or
community.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import arrays
from .errors import check_choice
from .network import CoBuildingNetwork
from .schema import LEVEL_ORDER
from .ties import actors

__all__ = ["project_pipeline"]


def project_pipeline(net: CoBuildingNetwork, by: str | None = "street",
                     window: object = None) -> pd.DataFrame:
    """Projects by status, completion and claiming, by street or community.

    A project belongs where its lead sits (``lead_id``, else a participant with role
    ``lead``, else its first participant). ``launched`` counts every project not
    ``planned``; ``completion_rate`` = completed ÷ launched. ``claimed_singly`` and
    ``claimed_by_group``: projects with exactly one, or two or more, ``claimant``
    participants (Chaonan's items claimed by one member or a group).

    Parameters
    ----------
    net : CoBuildingNetwork
        The network.
    by : str, optional
        A region level (``street`` default, ``community``...) or None for one row.
    window : tuple, optional
        The analysis window ``(start, end)``; default: the network's.

    Returns
    -------
    DataFrame
        Per group: ``projects``, ``launched``, ``planned``, ``running``, ``completed``,
        ``cancelled``, ``completion_rate``, ``claimed_singly``, ``claimed_by_group``.

    >>> import partygraph as pg
    >>> p = pg.project_pipeline(pg.load_example("demo"), by=None)
    >>> int(p["launched"].iloc[0]) <= int(p["projects"].iloc[0])
    True
    """
    if by is not None:
        check_choice("by", by, LEVEL_ORDER)
    p = net.table("projects", "project_pipeline")
    p = p[net.active("projects", window)].reset_index(drop=True)
    lead = p["lead_id"]
    if net.has("participation"):
        pa = net.tables["participation"]
        leads = pa[pa["role"] == "lead"].drop_duplicates("project_id")
        first = pa.drop_duplicates("project_id")
        for src in (leads, first):
            lead = lead.where(lead.notna(), arrays.lookup(p["id"], pd.Series(
                src["participant_id"].to_numpy(), index=src["project_id"].to_numpy(),
                dtype="str")))
        claims = pa[pa["role"] == "claimant"].groupby("project_id").size()
        n_claim = arrays.lookup(p["id"], claims.astype(float)).fillna(0).to_numpy()
    else:
        n_claim = np.zeros(len(p))
    act = actors(net)
    apos = act.position(lead, net)
    region = pd.Series(np.where(apos >= 0, act.frame["region_id"].to_numpy(dtype=object)[
        np.maximum(apos, 0)], None), dtype="str")
    # a wish's need statuses read as project statuses (提单/下单 planned, 接单 running, 办结)
    status = p["status"].fillna("unknown").replace(
        {"open": "planned", "assigned": "planned", "claimed": "running", "closed": "completed"})
    d = pd.DataFrame({"projects": 1,
                      **{s: (status == s).to_numpy(dtype=int) for s in
                         ("planned", "running", "completed", "cancelled")},
                      "claimed_singly": (n_claim == 1).astype(int),
                      "claimed_by_group": (n_claim >= 2).astype(int)})
    d["launched"] = d["projects"] - d["planned"]
    if by is not None:
        key = net.ancestor(region, by)
        if by == "community":
            key = key.where(key.notna(), net.ancestor(region, "village"))
        d[f"{by}_id"] = key.to_numpy(dtype=object)
        g = d.groupby(f"{by}_id", dropna=False).sum().reset_index()
        g.insert(1, by, net.region_names(g[f"{by}_id"].astype("str")))
    else:
        g = d.sum().to_frame().T
    g["completion_rate"] = g["completed"] / g["launched"].where(g["launched"] > 0)
    order = [c for c in g.columns if c not in (
        "projects", "launched", "planned", "running", "completed", "cancelled",
        "completion_rate", "claimed_singly", "claimed_by_group")]
    return g[[*order, "projects", "launched", "planned", "running", "completed", "cancelled",
              "completion_rate", "claimed_singly", "claimed_by_group"]]
