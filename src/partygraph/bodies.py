"""Councils (大党委/大工委), co-building bodies (党建共同体) and the project pipeline.

- :func:`council_representation` — for each org that others hold ``council`` seats in: the
  seats, the resident units of its region, the share represented and how far the seats'
  domain mix is from the residents' (the Shanghai report's "three seats for hundreds of
  units");
- :func:`body_assessment` — each body's members, the crossings they span, the projects and
  services among them in the window, scored and ranked (Chaonan's yearly assessment);
- :func:`project_pipeline` — projects launched, running, completed, cancelled and claimed,
  by street or community (Longyan: 2,533 of 2,770 completed).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from . import arrays
from .network import CoBuildingNetwork
from .ties import actors, horizontal_ties

__all__ = ["body_assessment", "council_representation"]


def council_representation(net: CoBuildingNetwork, window: object = None) -> pd.DataFrame:
    """Seats on each council against the units resident in its region.

    Returns
    -------
    DataFrame
        One row per council org: ``council_id``, ``name``, ``region_id``, ``region``,
        ``seats`` (distinct actors holding an active council seat), ``resident_units`` (units
        sitting in the council's region or below), ``represented`` (seat holders that are
        resident units or orgs built in them), ``share_represented`` (represented ÷ resident
        units), ``dissimilarity`` (½ Σ_d |seats_d / seats − residents_d / residents| over
        domains: 0 when the seats mirror the residents, 1 when they share no domain).

    Examples
    --------
    >>> import partygraph as pg
    >>> c = pg.council_representation(pg.load_example("demo"))
    >>> bool((c["share_represented"] <= 1).all())
    True
    """
    cols = ["council_id", "name", "region_id", "region", "seats", "resident_units",
            "represented", "share_represented", "dissimilarity"]
    if not net.has("links"):
        return pd.DataFrame(columns=cols)
    lk, o, u = net.tables["links"], net.tables["orgs"], net.tables["units"]
    act = actors(net)
    sel = net.active("links", window) & (lk["kind"] == "council").to_numpy(dtype=bool)
    cpos = arrays.index_of(lk["target"][sel], o["id"])
    seat = act.position(lk["source"][sel], net)
    ok = (cpos >= 0) & (seat >= 0)
    seats = pd.DataFrame({"c": cpos[ok], "s": seat[ok]}).drop_duplicates()
    if not len(seats):
        return pd.DataFrame(columns=cols)
    councils = np.unique(seats["c"].to_numpy())
    creg = net.region_of("orgs").to_numpy(dtype=object)[councils]
    f = act.frame
    nu = len(u)
    dom = pd.Series(f["domain"].to_numpy(dtype=object)[:nu])
    # resident units of every council at once: a unit is resident when its region's
    # ancestor at the level of the council's region is that region
    pairs = [pd.DataFrame({"c": np.zeros(0, np.int64), "unit": np.zeros(0, np.int64)})]
    if net.has("regions"):
        rf = net.regions_frame
        level = pd.Series(rf["level"].to_numpy(dtype=object), index=rf["id"].to_numpy())
        known = np.array([isinstance(r, str) for r in creg], dtype=bool)
        clev = pd.Series(creg[known]).map(level).to_numpy(dtype=object)
        for lv in pd.unique(clev[pd.notna(clev)]):
            at = clev == lv
            cl = pd.DataFrame({"c": councils[known][at], "key": creg[known][at]})
            anc = net.ancestor(u["region_id"], lv)
            ul = pd.DataFrame({"unit": np.arange(nu), "key": anc.to_numpy(dtype=object)})
            ul = ul[anc.notna().to_numpy()]
            pairs.append(cl.merge(ul, on="key")[["c", "unit"]])
    pairs = pd.concat(pairs, ignore_index=True)
    n_seats = seats.groupby("c").size().reindex(councils, fill_value=0)
    resident = pairs.groupby("c").size().reindex(councils, fill_value=0)
    rep = seats.merge(pairs, left_on=["c", "s"], right_on=["c", "unit"])
    represented = rep.groupby("c").size().reindex(councils, fill_value=0)

    def shares(c: pd.Series, actor: pd.Series, domains: np.ndarray) -> pd.Series:
        d = pd.DataFrame({"c": c.to_numpy(), "d": domains[actor.to_numpy()]}).dropna()
        n = d.groupby(["c", "d"]).size()
        return n / n.groupby(level="c").transform("sum")

    all_dom = f["domain"].to_numpy(dtype=object)
    sd = shares(seats["c"], seats["s"], all_dom)
    rd = shares(pairs["c"], pairs["unit"], dom.to_numpy(dtype=object))
    diff = sd.sub(rd, fill_value=0).abs().groupby(level="c").sum().reindex(councils)
    R = resident.to_numpy()
    diss = np.where((R > 0) & (n_seats.to_numpy() > 0), 0.5 * diff.to_numpy(dtype=float),
                    np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(R > 0, represented.to_numpy() / R, np.nan)
    rows = {"council_id": o["id"].to_numpy(dtype=object)[councils],
            "name": o["name"].to_numpy(dtype=object)[councils], "region_id": creg,
            "seats": n_seats.to_numpy(), "resident_units": R,
            "represented": represented.to_numpy(), "share_represented": share,
            "dissimilarity": diss}
    out = pd.DataFrame(rows)
    out.insert(3, "region", net.region_names(out["region_id"].astype("str"))
               if net.has("regions") else pd.NA)
    return out[cols].sort_values("share_represented", kind="stable").reset_index(drop=True)


DEFAULT_BODY_WEIGHTS = {"members": 1.0, "crossings": 2.0, "projects": 3.0, "services": 1.0}


def body_assessment(
    net: CoBuildingNetwork, window: object = None, *,
    weights: Mapping[str, float] | None = None, ties: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each co-building body ranked by a settable score (Chaonan's yearly assessment).

    Parameters
    ----------
    weights : mapping, optional
        Score weights for ``members``, ``crossings`` (the number of the four crossings its
        members span: domain, level, region, industry), ``projects`` and ``services``;
        default ``{"members": 1, "crossings": 2, "projects": 3, "services": 1}``.

    Returns
    -------
    DataFrame
        ``body_id``, ``name``, ``members`` (actors with an active body link to it),
        ``domains``, ``tiers``, ``streets``, ``industries`` (distinct values among members),
        ``crossings`` (how many of the four are spanned), ``projects`` (active projects,
        not planned or cancelled, with the body or two of its members taking part),
        ``services`` (service ties between its members), ``score``, ``rank`` and
        ``talk_without_work`` (no project and no service: a candidate for rectification).

    >>> import partygraph as pg
    >>> b = pg.body_assessment(pg.load_example("demo"))
    >>> int(b["rank"].min())
    1
    """
    wts = {**DEFAULT_BODY_WEIGHTS, **(weights or {})}
    o = net.tables["orgs"]
    body_rows = np.flatnonzero((o["kind"] == "body").to_numpy(dtype=bool))
    cols = ["body_id", "name", "members", "domains", "tiers", "streets", "industries",
            "crossings", "projects", "services", "score", "rank", "talk_without_work"]
    if not len(body_rows) or not net.has("links"):
        return pd.DataFrame(columns=cols)
    act = actors(net)
    f = act.frame
    lk = net.tables["links"]
    sel = net.active("links", window) & (lk["kind"] == "body").to_numpy(dtype=bool)
    bpos = arrays.index_of(lk["target"][sel], o["id"])
    mem = act.position(lk["source"][sel], net)
    ok = (bpos >= 0) & (mem >= 0)
    ms = pd.DataFrame({"body": bpos[ok], "actor": mem[ok]}).drop_duplicates()
    for c in ("domain", "tier", "street_id", "industry"):
        ms[c] = f[c].to_numpy(dtype=object)[ms["actor"].to_numpy()]
    g = ms.groupby("body")
    stats = pd.DataFrame({"members": g["actor"].nunique(), "domains": g["domain"].nunique(),
                          "tiers": g["tier"].nunique(), "streets": g["street_id"].nunique(),
                          "industries": g["industry"].nunique()})
    stats = stats.reindex(body_rows, fill_value=0)
    # projects with the body, or two of its members, taking part
    projects = np.zeros(len(o), dtype=np.int64)
    if net.has("projects") and net.has("participation"):
        p, pa = net.tables["projects"], net.tables["participation"]
        okp = net.active("projects", window) & ~p["status"].isin(
            ["planned", "cancelled"]).to_numpy(dtype=bool)
        ppos = arrays.index_of(pa["project_id"], p["id"])
        keep = (ppos >= 0)
        keep[keep] &= okp[ppos[keep]]
        direct = arrays.index_of(pa["participant_id"], o["id"])
        d = pd.DataFrame({"proj": ppos[keep & (direct >= 0)],
                          "body": direct[keep & (direct >= 0)]})
        d = d[d["body"].isin(body_rows)]
        part = pd.DataFrame({"proj": ppos[keep], "actor": act.position(
            pa["participant_id"][keep], net)})
        part = part[part["actor"] >= 0].drop_duplicates()
        via = part.merge(ms[["body", "actor"]], on="actor").groupby(["body", "proj"]).size()
        via = via[via >= 2].reset_index()[["body", "proj"]]
        both = pd.concat([d, via[["proj", "body"]]]).drop_duplicates()
        projects = both.groupby("body").size().reindex(range(len(o)), fill_value=0).to_numpy()
    t = horizontal_ties(net, window) if ties is None else ties
    sv = t[t["kind"] == "service"][["a", "b"]]
    services = np.zeros(len(o), dtype=np.int64)
    if len(sv):
        x = sv.reset_index().merge(ms[["body", "actor"]], left_on="a", right_on="actor")
        y = x.merge(ms[["body", "actor"]], left_on=["b", "body"], right_on=["actor", "body"])
        services = y.groupby("body")["index"].nunique().reindex(
            range(len(o)), fill_value=0).to_numpy()
    out = pd.DataFrame({"body_id": o["id"].to_numpy()[body_rows],
                        "name": o["name"].to_numpy()[body_rows]})
    for c in ("members", "domains", "tiers", "streets", "industries"):
        out[c] = stats[c].to_numpy()
    out["crossings"] = sum((out[c] >= 2).astype(int) for c in ("domains", "tiers", "streets",
                                                                "industries"))
    out["projects"] = projects[body_rows]
    out["services"] = services[body_rows]
    out["score"] = sum(wts[k] * out[k] for k in ("members", "crossings", "projects",
                                                 "services"))
    out["rank"] = out["score"].rank(ascending=False, method="min").astype(np.int64)
    out["talk_without_work"] = (out["projects"] == 0) & (out["services"] == 0)
    out.attrs["weights"] = wts
    return out.sort_values(["rank", "body_id"]).reset_index(drop=True)[cols]
