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

__all__ = ["body_assessment", "body_meetings", "council_representation"]


def council_representation(net: CoBuildingNetwork, window: object = None) -> pd.DataFrame:
    """Seats on each council against the units resident in its region.

    Parameters
    ----------
    net : CoBuildingNetwork
        The network.
    window : tuple, optional
        The analysis window ``(start, end)``; default: the network's.

    Returns
    -------
    DataFrame
        One row per council org: ``council_id``, ``name``, ``region_id``, ``region``,
        ``seats`` (distinct actors holding an active council seat), ``resident_units`` (units
        sitting in the council's region or below), ``represented`` (seat holders that are
        resident units or orgs built in them), ``share_represented`` (represented ÷ resident
        units), ``dissimilarity`` (½ Σ_d |seats_d / seats − residents_d / residents| over
        domains: 0 when the seats mirror the residents, 1 when they share no domain),
        ``full_time`` and ``part_time`` (seats whose link gives the post 专职委员 or 兼职委员).

    Examples
    --------
    >>> import partygraph as pg
    >>> c = pg.council_representation(pg.load_example("demo"))
    >>> bool((c["share_represented"] <= 1).all())
    True
    """
    cols = ["council_id", "name", "region_id", "region", "seats", "resident_units",
            "represented", "share_represented", "dissimilarity", "full_time", "part_time"]
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
    for post in ("full_time", "part_time"):  # 专职委员 / 兼职委员 (the link's post)
        n = np.zeros(len(councils), dtype=np.int64)
        if "post" in lk.columns:
            has = (lk["post"][sel] == post).fillna(False).to_numpy(bool)[ok]
            held = pd.DataFrame({"c": cpos[ok][has], "s": seat[ok][has]}).drop_duplicates()
            n = held.groupby("c").size().reindex(councils, fill_value=0).to_numpy()
        out[post] = n
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


def _meeting_orgs(net: CoBuildingNetwork) -> np.ndarray:
    """Rows of ``orgs`` that are bodies or councils: ``body`` orgs, orgs others hold
    ``council`` seats in, and orgs leading a meeting."""
    o = net.tables["orgs"]
    keep = np.array(o["kind"] == "body", dtype=bool)
    if net.has("links"):
        lk = net.tables["links"]
        keep |= arrays.isin(o["id"], lk["target"][(lk["kind"] == "council").to_numpy(bool)])
    if net.has("projects"):
        p = net.tables["projects"]
        keep |= arrays.isin(o["id"], p["lead_id"][(p["kind"] == "meeting").fillna(False)
                                                   .to_numpy(dtype=bool)])
    return np.flatnonzero(keep)


def _last_date(net: CoBuildingNetwork) -> pd.Timestamp | None:
    """The latest date the data records (projects and links): the default 'as of' date."""
    dates = []
    for t in ("projects", "links"):
        if net.has(t):
            for c in ("start", "end"):
                s = net.tables[t][c].dropna()
                if len(s):
                    dates.append(s.max())
    return max(dates) if dates else None


def body_meetings(
    net: CoBuildingNetwork, window: object = None, *, per_year: float = 12.0,
    stalled_months: int = 6, as_of: object = None,
) -> pd.DataFrame:
    """Whether each body and council meets: how often, since when not, and who chairs.

    A meeting is a ``projects`` row of kind ``meeting`` whose ``lead_id`` is the body or
    council org, dated by its ``start`` (else its ``end``); cancelled and planned meetings
    do not count. Its chair (轮值主席, 轮值召集人) is a participant with role ``lead`` other than
    the body itself.

    Parameters
    ----------
    per_year : float
        The norm: meetings a body should hold per year (联席会议 monthly: 12, Jiangbei's
        "每月召开1次街道城市党建联席会"; settable).
    stalled_months : int
        A body with no meeting in this many months before ``as_of`` has stalled (停摆,
        the Shanghai article's word).
    as_of : date, optional
        The date the assessment speaks for: the window's end, else the latest date in the
        projects and links tables.

    Returns
    -------
    DataFrame
        One row per body or council (``body`` orgs, orgs others hold ``council`` seats in,
        orgs that lead a meeting): ``body_id``, ``name``, ``kind``, ``members`` (actors with
        an active body link or council seat), ``meetings`` (in the window, up to ``as_of``),
        ``first_meeting``, ``last_meeting``, ``months_since_last``, ``per_year`` (meetings ÷
        years from the window's start — else the first meeting or the org's establishment —
        to ``as_of``), ``norm``, ``meets_norm``, ``stalled``, ``chairs`` (distinct chairs) and
        ``rotates`` (each of the last meetings had a different chair until every member had
        chaired: no chair repeats within ``min(members, chaired meetings)`` consecutive
        meetings; empty with fewer than two chaired meetings). When the data records no
        meeting at all, ``meets_norm`` and ``stalled`` are empty (not known, not false); so
        are they for a council (not a ``body``) with no meeting recorded.

    Examples
    --------
    >>> import partygraph as pg
    >>> m = pg.body_meetings(pg.load_example("shanghai"))
    >>> m[["name", "meetings", "stalled"]].to_dict("records")[0]["stalled"]
    True
    """
    cols = ["body_id", "name", "kind", "members", "meetings", "first_meeting", "last_meeting",
            "months_since_last", "per_year", "norm", "meets_norm", "stalled", "chairs",
            "rotates"]
    o = net.tables["orgs"]
    rows = _meeting_orgs(net)
    if not len(rows):
        return pd.DataFrame(columns=cols)
    w = net.resolve_window(window)
    end = pd.Timestamp(as_of) if as_of is not None else (
        pd.Timestamp(w[1]) if w[1] is not None else _last_date(net))
    act = actors(net)
    # members: body links and council seats
    n_members = np.zeros(len(o), dtype=np.int64)
    if net.has("links"):
        lk = net.tables["links"]
        sel = net.active("links", window) & lk["kind"].isin(["body", "council"]).to_numpy(bool)
        mem = pd.DataFrame({"b": arrays.index_of(lk["target"][sel], o["id"]),
                            "a": act.position(lk["source"][sel], net)})
        mem = mem[(mem["b"] >= 0) & (mem["a"] >= 0)].drop_duplicates()
        n_members = np.bincount(mem["b"].to_numpy(dtype=np.int64), minlength=len(o))
    meet = pd.DataFrame({"b": np.zeros(0, np.int64), "date": pd.Series([], dtype="M8[ns]"),
                         "pid": pd.Series([], dtype="str")})
    if net.has("projects"):
        p = net.tables["projects"]
        ok = ((p["kind"] == "meeting").fillna(False).to_numpy(bool)
              & ~p["status"].isin(["planned", "cancelled"]).to_numpy(bool)
              & net.active("projects", window))
        date = p["start"].where(p["start"].notna(), p["end"])
        meet = pd.DataFrame({"b": arrays.index_of(p["lead_id"][ok], o["id"]),
                             "date": date[ok].to_numpy(), "pid": p["id"][ok].to_numpy()})
        meet = meet[(meet["b"] >= 0) & meet["date"].notna()]
        if end is not None:
            meet = meet[meet["date"] <= end]
    g = meet.groupby("b")["date"]
    first = g.min().reindex(rows)
    last = g.max().reindex(rows)
    count = g.size().reindex(rows, fill_value=0).to_numpy()
    est = o["established"].to_numpy(dtype="M8[ns]")[rows] if "established" in o.columns else (
        np.full(len(rows), np.datetime64("NaT"), dtype="M8[ns]"))
    start = pd.Series(pd.Timestamp(w[0]) if w[0] is not None else pd.NaT, index=rows)
    start = start.fillna(pd.Series(first.to_numpy(), index=rows)).fillna(
        pd.Series(est, index=rows))
    years = ((end - start).dt.days / 365.25).to_numpy(dtype=float) if end is not None else (
        np.full(len(rows), np.nan))
    years = np.where(years > 0, np.maximum(years, 1 / 12), np.nan)
    since = ((end - last).dt.days / (365.25 / 12)).to_numpy(dtype=float) if end is not None else (
        np.full(len(rows), np.nan))
    rate = np.where(count > 0, count / years, 0.0)
    stalled = (count == 0) | (np.nan_to_num(since, nan=np.inf) > stalled_months)
    chairs, rotates = _rotation(net, meet, n_members, rows)
    # with no meeting recorded at all nothing can be said; a council (not a body) with none
    # recorded is not judged either: its meetings may be kept elsewhere
    is_body = o["kind"].to_numpy(dtype=object)[rows] == "body"
    unknown = ~is_body & (count == 0) if len(meet) else np.ones(len(rows), dtype=bool)
    meets = pd.array(rate >= per_year, dtype="boolean")
    stalled = pd.array(stalled, dtype="boolean")
    meets[unknown] = pd.NA
    stalled[unknown] = pd.NA
    kind = np.where(o["kind"].to_numpy(dtype=object)[rows] == "body", "body", "council")
    out = pd.DataFrame({
        "body_id": o["id"].to_numpy()[rows], "name": o["name"].to_numpy()[rows], "kind": kind,
        "members": n_members[rows], "meetings": count, "first_meeting": first.to_numpy(),
        "last_meeting": last.to_numpy(), "months_since_last": np.round(since, 1),
        "per_year": np.round(rate, 2), "norm": float(per_year),
        "meets_norm": meets, "stalled": stalled, "chairs": chairs,
        "rotates": rotates})
    out.attrs.update(per_year=per_year, stalled_months=stalled_months, as_of=end)
    return out[cols].sort_values(["stalled", "meetings"], ascending=[False, True],
                                 kind="stable").reset_index(drop=True)


def _rotation(net: CoBuildingNetwork, meet: pd.DataFrame, n_members: np.ndarray,
              rows: np.ndarray) -> tuple[np.ndarray, pd.Series]:
    """Distinct chairs per body, and whether the chair rotates (see :func:`body_meetings`)."""
    chairs = np.zeros(len(rows), dtype=np.int64)
    rotates = pd.Series(pd.NA, index=rows, dtype="boolean")
    if not len(meet) or not net.has("participation"):
        return chairs, rotates
    pa = net.tables["participation"]
    lead = pa[(pa["role"] == "lead").fillna(False).to_numpy(bool)]
    o = net.tables["orgs"]
    c = meet.merge(pd.DataFrame({"pid": lead["project_id"].to_numpy(),
                                 "chair": lead["participant_id"].to_numpy()}), on="pid")
    c = c[c["chair"].to_numpy(dtype=object) != o["id"].to_numpy(dtype=object)[c["b"]]]
    c = c.sort_values(["b", "date", "pid"], kind="stable").drop_duplicates("pid")
    if not len(c):
        return chairs, rotates
    c["seq"] = c.groupby("b").cumcount()
    c["prev"] = c.groupby(["b", "chair"])["seq"].shift()
    n_chaired = c.groupby("b").size()
    distinct = c.groupby("b")["chair"].nunique()
    k = np.minimum(n_members[n_chaired.index.to_numpy()], n_chaired.to_numpy())
    k = pd.Series(np.maximum(k, 1), index=n_chaired.index)
    gap = (c["seq"] - c["prev"])
    repeat_too_soon = (gap < c["b"].map(k)).fillna(False)
    bad = repeat_too_soon.groupby(c["b"]).any()
    chairs = distinct.reindex(rows, fill_value=0).to_numpy()
    ok = ~bad.reindex(rows).astype("boolean")
    ok[n_chaired.reindex(rows, fill_value=0).to_numpy() < 2] = pd.NA
    return chairs, ok
