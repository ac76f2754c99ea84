"""Wishes and demands to members (三单制: 群众点单, 党员接单): who could take each.

An open wish (a project of kind ``wish``) or a demand with the skills it needs goes to
members who live in, or are registered with, its community and have one of those skills, at
most ``capacity`` each, so that the total score is the greatest (the exact solver of
:mod:`partygraph._assignment`). Results carry pseudonymous member ids only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import arrays
from ._assignment import _assign
from .labels import CLOSENESS_EN, CLOSENESS_ZH
from .matching import (
    CLOSENESS,
    MatchResult,
    MatchWeights,
    _check_within,
    _closeness,
    _join_reasons,
    _level_codes,
    _names,
    _round,
)
from .needs import _owner_regions, is_open
from .network import CoBuildingNetwork

__all__ = ["match_wishes"]


def _split_tags(s: pd.Series) -> pd.DataFrame:
    """(row, tag) for every tag of a ``;``/``；``/``,``/``、`` separated column."""
    import pyarrow as pa
    import pyarrow.compute as pc

    lists = pc.split_pattern(pc.replace_substring_regex(
        arrays.to_arrow(s), r"[；;,，、]", ";"), ";")  # by Arrow: a million members' skills
    tags = pc.utf8_trim_whitespace(pc.list_flatten(lists))
    row = np.asarray(pc.list_parent_indices(lists).to_numpy(zero_copy_only=False),
                     dtype=np.int64)
    ok = np.asarray(pc.fill_null(pc.greater(pc.utf8_length(tags), 0), False).to_numpy(
        zero_copy_only=False), dtype=bool)
    return pd.DataFrame({"row": s.index.to_numpy()[row[ok]].astype(np.int64),
                         "tag": tags.filter(pa.array(ok)).to_numpy(zero_copy_only=False)})


def _open_items(net: CoBuildingNetwork) -> pd.DataFrame:
    """Demands naming skills, and wish projects not yet claimed, as one item table."""
    parts = []
    if net.has("demands"):
        d = net.tables["demands"]
        has = d["skills"].notna().to_numpy(dtype=bool) & is_open(d)
        parts.append(pd.DataFrame({
            "item_id": d["id"][has].to_numpy(), "item_type": "demand",
            "requester_id": d["requester_id"][has].to_numpy(),
            "region_id": d["region_id"][has].to_numpy(),
            "priority": d["priority"][has].to_numpy(dtype=float),
            "quantity": d["quantity"][has].to_numpy(dtype=float),
            "skills": d["skills"][has].to_numpy()}))
    if net.has("projects"):
        p = net.tables["projects"]
        wish = ((p["kind"] == "wish").fillna(False).to_numpy(dtype=bool)
                & (p["status"].isin(["planned", "running"]).to_numpy(dtype=bool)
                   | is_open(p)))
        if "claimed_by" in p.columns:
            wish &= p["claimed_by"].isna().to_numpy(dtype=bool)
        if net.has("participation"):
            pa = net.tables["participation"]
            claimed = pa["project_id"][(pa["role"] == "claimant").fillna(False)]
            wish = wish & ~arrays.isin(p["id"], claimed)
        lead = p["lead_id"][wish].reset_index(drop=True)
        reg = _owner_regions(net, lead)
        skills = (p["skills"][wish].to_numpy() if "skills" in p.columns
                  else np.full(int(wish.sum()), None))
        prio = (p["priority"][wish].to_numpy(dtype=float) if "priority" in p.columns
                else np.full(int(wish.sum()), 3.0))
        parts.append(pd.DataFrame({
            "item_id": p["id"][wish].to_numpy(), "item_type": "wish",
            "requester_id": lead.to_numpy(), "region_id": reg.to_numpy(), "priority": prio,
            "quantity": 1.0, "skills": skills}))
    cols = {"item_id": "str", "item_type": "str", "requester_id": "str", "region_id": "str",
            "priority": "float64", "quantity": "float64", "skills": "str"}
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in cols.items()})
    out = pd.concat(parts, ignore_index=True)
    return out.astype(cols)


def match_wishes(
    net: CoBuildingNetwork,
    *,
    within: str = "community",
    capacity: int = 1,
    skill_weight: float = 2.0,
    weights: MatchWeights | None = None,
    window: object = None,
) -> MatchResult:
    """Match residents' wishes and skilled needs to members (三单制: 居民提单、党组织下单、
    党员接单).

    Items are demands with a ``skills`` column value and ``wish`` projects that are planned or
    running and not yet claimed (a ``claimant`` participation); a wish's skills come from an
    optional ``skills`` column on projects (without one, any member nearby may claim it). A
    member can take an item when they live in, or are registered with (an active
    ``registration`` link from the member to an org of), the item's region at the ``within``
    level, and — when the item names skills — has at least one of them.

    Parameters
    ----------
    net : CoBuildingNetwork
    within : str
        ``community`` (default; or village), ``grid``, ``estate``, ``street``, …
    capacity : int
        Most items one member is suggested for.
    skill_weight : float
        Points per matching skill tag.
    weights : MatchWeights, optional
        ``base``, ``priority`` and ``distance`` (between the member's home and the item) are
        used.
    window : tuple, optional
        Window for registration links.

    Returns
    -------
    MatchResult
        ``suggestions`` with ``item_id``, ``item_type``, ``member_id`` (the pseudonymous id
        only), ``score`` (= ``score_base + score_priority + score_skill + score_distance``),
        ``skills_matched``, ``via`` (lives/registered) and reasons; ``unmet`` items and why.

    Examples
    --------
    >>> import partygraph as pg
    >>> w = pg.match_wishes(pg.load_example("demo"))
    >>> set(w.suggestions.columns) >= {"item_id", "member_id", "score"}
    True
    """
    _check_within(within)
    wts = weights or MatchWeights()
    items = _open_items(net)
    m = net.table("members", "wish matching")
    wl = CLOSENESS.index(within) if within != "all" else None
    lc_i = _level_codes(net, items["region_id"])
    lc_m = _level_codes(net, m["residence_id"])
    key_i = lc_i[wl] if wl is not None else np.zeros(len(items), np.int64)
    key_m = lc_m[wl] if wl is not None else np.zeros(len(m), np.int64)
    # member places: residence, plus communities of orgs registered with
    places = [pd.DataFrame({"member": np.arange(len(m)), "key": key_m, "reg": False})]
    if net.has("links") and wl is not None:
        lk = net.tables["links"]
        act = net.active("links", net.resolve_window(window))
        sel = act & (lk["kind"] == "registration").fillna(False).to_numpy(dtype=bool)
        mpos = arrays.index_of(lk["source"][sel], m["id"])
        tgt = lk["target"][sel].reset_index(drop=True)
        treg = _owner_regions(net, tgt)
        tkey = _level_codes(net, treg)[wl]
        ok = (mpos >= 0) & (tkey >= 0)
        places.append(pd.DataFrame({"member": mpos[ok], "key": tkey[ok], "reg": True}))
    mp = pd.concat(places, ignore_index=True)
    mp = mp[mp["key"] >= 0].sort_values(["member", "key", "reg"]).drop_duplicates(
        ["member", "key"])
    it = _split_tags(items["skills"].reset_index(drop=True))
    ms = _split_tags(m["skills"].reset_index(drop=True))
    n_tags = np.bincount(it["row"], minlength=len(items))
    # items with skills: join on (key, tag); items without: join on key
    a = it.assign(key=key_i[it["row"].to_numpy()]).rename(columns={"row": "item"})
    b = ms.rename(columns={"row": "member"}).merge(mp, on="member")
    j1 = a[a["key"] >= 0].merge(b, on=["key", "tag"])
    grp = j1.groupby(["item", "member"], sort=False)
    g1 = grp.agg(overlap=("tag", "size"), reg=("reg", "min")).reset_index()
    # the shared skills of each pair, joined in row order (by Arrow, not a join per pair)
    g1.insert(3, "tags", arrays.join_groups(grp.ngroup().to_numpy(), j1["tag"], len(g1),
                                            "、"))
    free = np.flatnonzero((n_tags == 0) & (key_i >= 0))
    j2 = pd.DataFrame({"item": free, "key": key_i[free]}).merge(mp, on="key")
    g2 = pd.DataFrame({"item": j2["item"], "member": j2["member"], "overlap": 0,
                       "tags": pd.Series(pd.NA, index=j2.index, dtype="str"),
                       "reg": j2["reg"]})
    pairs = pd.concat([g1, g2], ignore_index=True)
    # a member does not claim an item they asked for themselves
    req = items["requester_id"].to_numpy(dtype=object)
    mid = m["id"].to_numpy(dtype=object)
    pairs = pairs[req[pairs["item"].to_numpy(dtype=np.int64)]
                  != mid[pairs["member"].to_numpy(dtype=np.int64)]]
    pairs = pairs.sort_values(["item", "member"], kind="stable").reset_index(drop=True)
    ii = pairs["item"].to_numpy(dtype=np.int64)
    mm = pairs["member"].to_numpy(dtype=np.int64)
    close = _closeness(lc_i[:, ii], lc_m[:, mm])
    comps = {
        "score_base": _round(np.full(len(pairs), wts.base)),
        "score_priority": _round(wts.priority * items["priority"].to_numpy()[ii]),
        "score_skill": _round(skill_weight * pairs["overlap"].to_numpy(dtype=float)),
        "score_distance": _round(-wts.distance_array()[close]),
    }
    milli = sum(np.rint(v * 1000).astype(np.int64) for v in comps.values())
    qd = items["quantity"].to_numpy(dtype=float)
    qr = np.full(len(m), float(capacity))
    x, method, _ = _assign(ii, mm, milli, qd, qr, np.ones(len(pairs)))
    cand = pd.DataFrame({
        "item_id": arrays.take_str(items["item_id"], ii),
        "member_id": arrays.take_str(m["id"], mm), "score": milli / 1000,
        "closeness": pd.Series(np.array(CLOSENESS, dtype=object)[close], dtype="str"),
        **comps, "skills_matched": pairs["tags"].astype("str").to_numpy(),
        "via": np.where(pairs["reg"].to_numpy(dtype=bool), "registered", "lives")})
    ch = np.flatnonzero(x > 0)
    s = cand.iloc[ch].reset_index(drop=True)
    s.insert(1, "item_type", arrays.take_str(items["item_type"], ii[ch]))
    s.insert(3, "quantity", x[ch])
    reqs = pd.Series(arrays.take_str(items["requester_id"], ii[ch]), dtype="str")
    s.insert(2, "requester", _names(net, reqs))
    via_zh = np.where(s["via"] == "registered", "已到社区报到", "居住在本社区")
    skill_zh = pd.Series(np.where(s["skills_matched"].notna(), "特长相符:"
                                  + s["skills_matched"].fillna(""), None), dtype="str")
    s["reason_zh"] = _join_reasons([skill_zh, pd.Series(via_zh, dtype="str"),
                                    s["closeness"].map(CLOSENESS_ZH).astype("str")])
    skill_en = pd.Series(np.where(s["skills_matched"].notna(), "skills fit: "
                                  + s["skills_matched"].fillna(""), None), dtype="str")
    s["reason"] = _join_reasons([skill_en, pd.Series(np.where(
        s["via"] == "registered", "registered with the community", "lives in the community"),
        dtype="str"), s["closeness"].map(CLOSENESS_EN).astype("str")])
    s = s.sort_values(["score", "item_id", "member_id"], ascending=[False, True, True],
                      kind="stable").reset_index(drop=True)
    got = np.bincount(ii, weights=x, minlength=len(items))
    n_c = np.bincount(ii, minlength=len(items))
    left = qd - got
    u = np.flatnonzero(left > 1e-9)
    why = np.where(key_i[u] < 0, "no_place", np.where(n_c[u] == 0, "not_near", "taken"))
    why_zh = {"no_place": "所在区域不明", "taken": "合适党员的认领名额已满",
              "not_near": "本社区(网格)内无特长相符的党员"}
    why_en = {"no_place": "the item's place is unknown",
              "taken": "every fitting member is at capacity",
              "not_near": "no member with a fitting skill lives or is registered nearby"}
    unmet = pd.DataFrame({
        "item_id": items["item_id"].to_numpy()[u], "item_type": items["item_type"].to_numpy()[u],
        "skills": items["skills"].to_numpy()[u], "quantity": qd[u],
        "quantity_unmet": _round(left[u]), "candidates": n_c[u], "why": why})
    unmet = unmet.astype({"item_id": "str", "item_type": "str", "skills": "str",
                          "why": "str"})
    unmet["why_zh"] = unmet["why"].map(why_zh).astype("str")
    unmet["why_en"] = unmet["why"].map(why_en).astype("str")
    params = {"kind": "wishes", "within": within, "capacity": capacity,
              "skill_weight": skill_weight, "weights": wts,
              "window": net.resolve_window(window)}
    objective = float(np.round((milli * x).sum() / 1000, 3))
    return MatchResult(s, unmet, cand, method, params, objective)


# ----------------------------------------------------------------------------- partners

