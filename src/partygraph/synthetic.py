"""Synthetic co-building networks of any size, vectorised with numpy.

``district(n_members, seed=...)`` makes a contract-conformant data set: a district with
streets, communities (and some villages), estates and buildings; units of every kind with
heavy-tailed sizes (many small private firms with 0–2 members); orgs in units and over
regions (street working committees, community committees, estate compound orgs, joint
branches); members of every category; links of every kind; projects with statuses and
participants; resources and demands. Same seed, same data.

Examples
--------
>>> from partygraph import synthetic
>>> d = synthetic.district(500, seed=1)
>>> sorted(d)[:3]
['demands', 'links', 'members']
>>> net = synthetic.to_network(d)
>>> len(net.tables["members"])
500
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .progress import bar

__all__ = ["Generated", "district", "province", "to_network", "write"]

_FIRM_WORDS = np.array(list("华新恒达兴盛鑫源泰和丰信瑞祥宏安康嘉诚"))
_FIRM_TRADES = np.array(
    ["科技", "商贸", "物流", "建设", "餐饮", "文化", "咨询", "电子", "医药", "环保"]
)
_COMMUNITY_WORDS = np.array(list("东西南北中前后新和平安康乐兴富民春光明阳"))
_SOCIAL = np.array(["志愿者协会", "商会", "社工服务中心", "养老服务中心", "书画协会", "律师事务所"])
_AGENCY = np.array(["区司法局", "区民政局", "区教育局", "区卫健委", "区税务局", "区交通运输局",
                    "区城管局", "区人社局", "区住建委", "区市场监管局"])
_INST = np.array(["小学", "中学", "医院", "卫生服务中心", "图书馆", "职业技术学校"])
_SOE = np.array(["供电公司", "燃气公司", "水务公司", "城投集团", "公交公司", "银行支行"])
_SKILLS = np.array(
    ["法律", "医疗", "教育", "文艺", "维修", "电脑", "心理咨询", "理发", "摄影", "财会"]
)


_NTH = np.array(["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三",
                 "十四", "十五", "十六", "十七", "十八", "十九", "二十", "多"])


def _names(rng: np.random.Generator, n: int, words: np.ndarray, k: int = 2) -> np.ndarray:
    idx = rng.integers(0, len(words), size=(n, k))
    return np.array(["".join(r) for r in words[idx]], dtype=object)


def district(
    n_members: int = 2000,
    *,
    seed: int = 0,
    district_code: str = "990101",
    district_name: str = "示范区",
    streets: pd.DataFrame | None = None,
    members_per_unit: float = 5.0,
    links_per_member: float = 1.0,
    walled_in_share: float = 0.2,
    paper_only_share: float = 0.1,
    community_gap_share: float = 0.03,
    unit_org_share: float = 0.9,
    estate_org_share: float = 1250 / 1469,
    completed_share: float = 2533 / 2770,
    union_share: float = 0.15,
) -> Generated:
    """Generate one district's tables.

    Parameters
    ----------
    n_members : int
        Number of Party members (a few hundred to several million).
    seed : int
        Random seed; the same seed gives the same data.
    district_code, district_name : str
        The district's 6-digit code and name (``990101`` is not a real code).
    streets : DataFrame, optional
        A real skeleton: columns ``code`` (9-digit township code) and ``name``, e.g. one
        district's rows of the statistical division codes. Made up when omitted.
    members_per_unit : float
        Members per unit on average (about 5 gives 200,000 units for 1,000,000 members).
    links_per_member : float
        Links per member on average.
    walled_in_share : float
        Share of resident units planted walled in (no horizontal tie). Default 0.2: Jiangbei
        reports 80% of resident organisations taking part in co-building.
    paper_only_share : float
        Share of resident units planted paper-only (ties from agreements, councils, bodies
        and registrations only). Default 0.1, an assumption (Shanghai's report describes
        councils and alliances without projects but gives no share).
    community_gap_share : float
        Share of communities and villages planted without any standing org (an assumption).
    unit_org_share : float
        Share of units with three or more members that have their own org (an assumption;
        the rest are planted ``unit_without_org`` or ``unit_not_covered`` gaps).
    estate_org_share : float
        Estate orgs per estate: 1,250 orgs for 1,469 estates in Longyan. An estate without
        an org of its own is covered jointly by the org of another estate of its community
        (a ``covers`` link; with none in the community, by its joint branch), so every
        estate is covered but for the few whose org was dissolved.
    completed_share : float
        Completed among launched projects: 2,533 of 2,770 in Longyan.
    union_share : float
        Share of private and social units with a trade union (an assumption).

    Returns
    -------
    Generated
        A dict of tables named as in the data contract, with ``.truth``: the planted
        truth, ``truth["gaps"]`` (``rule``, ``entity_id``: every gap under the national
        coverage rules, in the default all-time window) and ``truth["status"]``
        (``actor_id``, ``status``: the wall status of every unit).
    """
    steps = bar(5, "生成数据 generating", "step")
    rng = np.random.default_rng(seed)
    n_units = max(int(n_members / members_per_unit), 20)
    n_comm = max(n_units // 30, 4)
    if streets is None:
        n_streets = max(n_comm // 5, 2)
        street_codes = np.array([f"{district_code}{i + 1:03d}" for i in range(n_streets)])
        street_names = np.array([f"{w}街道" for w in _names(rng, n_streets, _COMMUNITY_WORDS)])
    else:
        street_codes = streets["code"].astype(str).str[:9].to_numpy()
        street_names = streets["name"].astype(str).to_numpy()
        n_streets = len(street_codes)
    dcode = f"{district_code}000000"
    # communities (and villages at the rural edge), estates, buildings
    comm_street = np.sort(rng.integers(0, n_streets, n_comm))
    seq = pd.Series(comm_street).groupby(comm_street).cumcount().to_numpy() + 1
    comm_ids = np.char.add(street_codes[comm_street].astype(str),
                           np.char.zfill(seq.astype(str), 3))
    is_village = rng.random(n_comm) < 0.15
    comm_names = np.char.add(_names(rng, n_comm, _COMMUNITY_WORDS).astype(str),
                             np.where(is_village, "村", "社区"))
    est_per = rng.integers(2, 6, n_comm) * ~is_village
    est_comm = np.repeat(np.arange(n_comm), est_per)
    est_seq = pd.Series(est_comm).groupby(est_comm).cumcount().to_numpy() + 1
    est_ids = np.char.add(comm_ids[est_comm], np.char.zfill(est_seq.astype(str), 2))
    est_names = np.char.add(_names(rng, len(est_ids), _COMMUNITY_WORDS).astype(str), "小区")
    bld_per = rng.integers(2, 7, len(est_ids))
    bld_est = np.repeat(np.arange(len(est_ids)), bld_per)
    bld_seq = pd.Series(bld_est).groupby(bld_est).cumcount().to_numpy() + 1
    bld_ids = np.char.add(est_ids[bld_est], np.char.zfill(bld_seq.astype(str), 2))
    bld_names = np.char.add(np.char.add(est_names[bld_est], bld_seq.astype(str)), "栋")
    regions = pd.DataFrame({
        "id": np.concatenate([[dcode], np.char.add(street_codes.astype(str), "000"), comm_ids,
                              est_ids, bld_ids]),
        "name": np.concatenate([[district_name], street_names, comm_names, est_names,
                                bld_names]),
        "level": np.concatenate([["district"], ["street"] * n_streets,
                                 np.where(is_village, "village", "community"),
                                 ["estate"] * len(est_ids), ["building"] * len(bld_ids)]),
        "parent_id": np.concatenate([[None], [dcode] * n_streets,
                                     np.char.add(street_codes[comm_street].astype(str), "000"),
                                     comm_ids[est_comm], est_ids[bld_est]]),
    })

    # units: one committee per community/village, then the resident units
    n_rest = n_units - n_comm
    kinds = rng.choice(
        ["private", "social", "agency", "institution", "soe", "owners_committee",
         "property_company"], size=n_rest, p=[0.62, 0.10, 0.06, 0.09, 0.04, 0.05, 0.04])
    unit_kind = np.concatenate([np.where(is_village, "village", "community"), kinds])
    # resident units sit in a community, an estate or a building
    place = rng.integers(0, n_comm, n_rest)
    in_estate = (rng.random(n_rest) < 0.3) & (est_per[place] > 0)
    est_pick = np.minimum((rng.random(n_rest) * est_per[place]).astype(int),
                          np.maximum(est_per[place] - 1, 0))
    est_start = np.concatenate([[0], np.cumsum(est_per)[:-1]])
    unit_region = np.where(in_estate, est_ids[np.minimum(est_start[place] + est_pick,
                                                         max(len(est_ids) - 1, 0))]
                           if len(est_ids) else comm_ids[place], comm_ids[place])
    unit_region = np.concatenate([comm_ids, unit_region])
    unit_comm = np.concatenate([np.arange(n_comm), place])
    unit_ids = np.char.add("U", np.char.zfill(np.arange(1, n_units + 1).astype(str), 7))
    base = np.where(
        np.isin(unit_kind, ["private"]), np.char.add(np.char.add(
            _names(rng, n_units, _FIRM_WORDS).astype(str), _FIRM_TRADES[rng.integers(
                0, len(_FIRM_TRADES), n_units)]), "有限公司"),
        "")
    names = np.where(unit_kind == "social", np.char.add(
        _names(rng, n_units, _COMMUNITY_WORDS).astype(str), _SOCIAL[rng.integers(
            0, len(_SOCIAL), n_units)]), base)
    names = np.where(unit_kind == "agency", _AGENCY[rng.integers(0, len(_AGENCY), n_units)],
                     names)
    names = np.where(unit_kind == "institution", np.char.add(
        _names(rng, n_units, _COMMUNITY_WORDS).astype(str), _INST[rng.integers(
            0, len(_INST), n_units)]), names)
    names = np.where(unit_kind == "soe", np.char.add(
        np.char.add(district_name, _names(rng, n_units, _FIRM_WORDS, 1).astype(str)),
        _SOE[rng.integers(0, len(_SOE), n_units)]), names)
    comm_of_unit = comm_names[unit_comm]
    names = np.where(np.isin(unit_kind, ["community", "village"]),
                     np.char.add(comm_of_unit, np.where(unit_kind == "village", "村民委员会",
                                                        "居民委员会")), names)
    names = np.where(unit_kind == "owners_committee", np.char.add(comm_of_unit, "业主委员会"),
                     names)
    names = np.where(unit_kind == "property_company", np.char.add(
        _names(rng, n_units, _FIRM_WORDS).astype(str), "物业服务有限公司"), names)
    names = np.char.add(names.astype(str), np.where(
        np.isin(unit_kind, ["agency", "soe"]), np.char.add("(", np.char.add(
            unit_ids.astype(str), ")")), ""))
    # one name once in a place (a second shop of one name is "(二)"), as a ledger would write
    # it: two same-named units in one community read as one unit entered twice
    nth = pd.DataFrame({"n": names.astype(str), "p": unit_comm}).groupby(
        ["n", "p"]).cumcount().to_numpy()
    names = np.where(nth > 0, np.char.add(names.astype(str), np.char.add(
        "(", np.char.add(_NTH[np.minimum(nth, len(_NTH) - 1)], ")"))), names)
    tier = np.where(unit_kind == "agency", "district",
                    np.where(np.isin(unit_kind, ["community", "village"]), "community", None))
    units = pd.DataFrame({
        "id": unit_ids, "name": names, "kind": unit_kind, "region_id": unit_region,
        "industry": np.where(unit_kind == "private",
                             _FIRM_TRADES[rng.integers(0, len(_FIRM_TRADES), n_units)], None),
        "tier": tier,
        "employees": np.maximum(1, (rng.pareto(1.3, n_units) * 8).astype(int)),
    })

    steps.update(1)
    # members: heavy-tailed attachment to units
    weight = np.where(unit_kind == "private", 0.4, 3.0) * (rng.pareto(1.2, n_units) + 0.2)
    weight = weight / weight.sum()
    m_unit = rng.choice(n_units, size=n_members, p=weight)
    per_unit = np.bincount(m_unit, minlength=n_units)
    category = rng.choice(["in_service", "retired", "mobile", "no_post", "student"],
                          size=n_members, p=[0.55, 0.28, 0.08, 0.06, 0.03])
    status = np.where(rng.random(n_members) < 0.05, "probationary", "formal")

    steps.update(1)
    # orgs: district committee, street working committees, community committees,
    # unit orgs for most units with >= 3 members, joint branches per community, estate orgs
    org_rows: list[pd.DataFrame] = []
    d_org = "P0000000"
    street_org = np.char.add("PS", np.char.zfill(np.arange(n_streets).astype(str), 6))
    comm_org = np.char.add("PC", np.char.zfill(np.arange(n_comm).astype(str), 6))
    org_rows.append(pd.DataFrame({"id": [d_org], "name": [f"中共{district_name}委员会"],
                                  "kind": ["committee"], "parent_id": [None],
                                  "unit_id": [None], "region_id": [dcode]}))
    org_rows.append(pd.DataFrame({
        "id": street_org, "name": np.char.add(street_names.astype(str), "党工委"),
        "kind": "working_committee", "parent_id": d_org, "unit_id": None,
        "region_id": np.char.add(street_codes.astype(str), "000")}))
    org_rows.append(pd.DataFrame({
        "id": comm_org, "name": np.char.add(comm_names, "党委"), "kind": "committee",
        "parent_id": street_org[comm_street], "unit_id": unit_ids[:n_comm], "region_id": None}))
    has_org = (per_unit >= 3) & (rng.random(n_units) < unit_org_share)
    has_org[:n_comm] = False  # the community committee is their org
    u_org_idx = np.flatnonzero(has_org)
    u_org = np.char.add("PU", np.char.zfill(u_org_idx.astype(str), 7))
    org_rows.append(pd.DataFrame({
        "id": u_org, "name": np.char.add(units["name"].to_numpy()[u_org_idx].astype(str),
                                         "党支部"),
        "kind": np.where(per_unit[u_org_idx] > 50, "committee", "branch"),
        "parent_id": comm_org[unit_comm[u_org_idx]], "unit_id": unit_ids[u_org_idx],
        "region_id": None}))
    joint = np.char.add("PJ", np.char.zfill(np.arange(n_comm).astype(str), 6))
    org_rows.append(pd.DataFrame({
        "id": joint, "name": np.char.add(comm_names, "非公企业联合党支部"),
        "kind": "joint_branch", "parent_id": comm_org, "unit_id": None, "region_id": comm_ids}))
    est_org_mask = rng.random(len(est_ids)) < estate_org_share
    est_org = np.char.add("PE", np.char.zfill(np.flatnonzero(est_org_mask).astype(str), 7))
    org_rows.append(pd.DataFrame({
        "id": est_org, "name": np.char.add(est_names[est_org_mask].astype(str), "兼合式党支部"),
        "kind": "compound", "parent_id": comm_org[est_comm[est_org_mask]], "unit_id": None,
        "region_id": est_ids[est_org_mask]}))
    # co-building bodies: one per two communities (with the street's working committee)
    n_bodies = max(n_comm // 2, 1)
    body_comm = np.arange(n_bodies) * 2 % n_comm
    bodies = np.char.add("PB", np.char.zfill(np.arange(n_bodies).astype(str), 5))
    org_rows.append(pd.DataFrame({
        "id": bodies, "name": np.char.add(comm_names[body_comm].astype(str), "党建联盟"),
        "kind": "body", "parent_id": street_org[comm_street[body_comm]], "unit_id": None,
        "region_id": comm_ids[body_comm]}))
    orgs = pd.concat(org_rows, ignore_index=True)
    orgs["established"] = pd.to_datetime("2015-01-01") + pd.to_timedelta(
        rng.integers(0, 3000, len(orgs)), unit="D")
    orgs["dissolved"] = pd.NaT
    diss = rng.random(len(orgs)) < 0.01
    diss[: 1 + n_streets + n_comm] = False
    orgs.loc[diss, "dissolved"] = orgs.loc[diss, "established"] + pd.Timedelta(days=900)

    # members' org: own unit's org, else the community's joint branch or committee
    unit_org = np.full(n_units, None, dtype=object)
    unit_org[u_org_idx] = u_org
    unit_org[:n_comm] = comm_org
    m_org = unit_org[m_unit]
    small = m_org == None  # noqa: E711
    m_org[small] = np.where(rng.random(int(small.sum())) < 0.6,
                            joint[unit_comm[m_unit[small]]], comm_org[unit_comm[m_unit[small]]])
    lost = rng.random(n_members) < 0.01
    m_org[lost] = None
    # residence: an estate/building of a random community (retired: near their unit)
    res_comm = np.where(category == "retired", unit_comm[m_unit],
                        rng.integers(0, n_comm, n_members))
    has_est = est_per[res_comm] > 0
    res_bld = np.full(n_members, None, dtype=object)
    if len(bld_ids):
        first_bld = np.searchsorted(bld_est, est_start[res_comm])
        n_bld_in = np.searchsorted(bld_est, est_start[res_comm] + est_per[res_comm]) - first_bld
        pick = first_bld + (rng.random(n_members) * np.maximum(n_bld_in, 1)).astype(int)
        res_bld[has_est] = bld_ids[np.minimum(pick[has_est], len(bld_ids) - 1)]
    res = np.where(has_est, res_bld, comm_ids[res_comm])
    skills = np.where(rng.random(n_members) < 0.3,
                      _SKILLS[rng.integers(0, len(_SKILLS), n_members)], None)
    members = pd.DataFrame({
        "id": np.char.add("M", np.char.zfill(np.arange(1, n_members + 1).astype(str), 8)),
        "org_id": m_org, "status": status, "category": category,
        "unit_id": np.where(np.isin(category, ["in_service", "mobile"]), unit_ids[m_unit], None),
        "residence_id": res, "skills": skills,
    })

    steps.update(1)
    # links between actors
    n_links = int(n_members * links_per_member)
    all_org_ids = orgs["id"].to_numpy()
    lk_kind = rng.choice(
        ["pair", "agreement", "council", "registration", "instructor", "covers", "service",
         "cross_post", "inflow", "body"],
        size=n_links, p=[0.12, 0.08, 0.08, 0.2, 0.05, 0.1, 0.15, 0.05, 0.05, 0.12])
    src = np.empty(n_links, dtype=object)
    dst = np.empty(n_links, dtype=object)
    a = rng.integers(0, n_units, n_links)
    b = rng.integers(0, n_units, n_links)
    b = np.where(a == b, (b + 1) % n_units, b)
    mem = rng.integers(0, n_members, n_links)
    c = unit_comm[a]
    for kind in ("pair", "agreement", "service"):
        sel = lk_kind == kind
        src[sel], dst[sel] = unit_ids[a[sel]], unit_ids[b[sel]]
    unit_org_or_a = np.where(unit_org[a] == None, None, unit_org[a])  # noqa: E711
    sel = (lk_kind == "council") | (lk_kind == "registration")
    ok_org = unit_org_or_a != None  # noqa: E711
    src[sel & ok_org] = unit_org_or_a[sel & ok_org]
    src[sel & ~ok_org] = unit_ids[a[sel & ~ok_org]]
    dst[sel] = comm_org[c[sel]]
    lk_kind[(lk_kind == "registration") & ~ok_org] = "council"
    sel = lk_kind == "body"
    src[sel & ok_org] = unit_org_or_a[sel & ok_org]
    src[sel & ~ok_org] = unit_ids[a[sel & ~ok_org]]
    dst[sel] = bodies[(c[sel] // 2) % n_bodies]
    sel = lk_kind == "instructor"
    src[sel], dst[sel] = members["id"].to_numpy()[mem[sel]], unit_ids[a[sel]]
    sel = lk_kind == "covers"
    src[sel], dst[sel] = joint[c[sel]], unit_ids[a[sel]]
    sel = lk_kind == "cross_post"
    src[sel] = members["id"].to_numpy()[mem[sel]]
    dst[sel] = all_org_ids[rng.integers(1, len(all_org_ids), int(sel.sum()))]
    sel = lk_kind == "inflow"
    src[sel] = members["id"].to_numpy()[mem[sel]]
    dst[sel] = comm_org[rng.integers(0, n_comm, int(sel.sum()))]
    start = pd.to_datetime("2018-01-01") + pd.to_timedelta(rng.integers(0, 2000, n_links),
                                                           unit="D")
    end = start + pd.to_timedelta(rng.integers(200, 1500, n_links), unit="D")
    end = end.where(rng.random(n_links) < 0.3)
    links = pd.DataFrame({"source": src, "target": dst, "kind": lk_kind, "start": start,
                          "end": end, "weight": 1.0})
    links = links[links["source"] != links["target"]].reset_index(drop=True)
    links = links.drop_duplicates(["source", "target", "kind"]).reset_index(drop=True)
    # 联合组建: an estate without an org of its own is covered by the org of another estate
    # of its community, or by the community's joint branch ("单独或联合组建小区党组织1250个,
    # 实现小区党建全覆盖"); only dissolved orgs leave an estate uncovered
    if len(est_ids):
        own = pd.DataFrame({"comm": est_comm[est_org_mask], "org": est_org})
        first = own.drop_duplicates("comm").set_index("comm")["org"]
        rest = np.flatnonzero(~est_org_mask)
        by = first.reindex(est_comm[rest]).to_numpy(dtype=object)
        by = np.where(pd.notna(by), by, joint[est_comm[rest]])  # else the joint branch
        links = pd.concat([links, pd.DataFrame({
            "source": by, "target": est_ids[rest], "kind": "covers",
            "start": pd.Timestamp("2018-01-01"), "end": pd.NaT, "weight": 1.0})],
            ignore_index=True)

    steps.update(1)
    # projects and participation
    n_proj = max(n_members // 20, 5)
    pid = np.char.add("J", np.char.zfill(np.arange(1, n_proj + 1).astype(str), 7))
    launched = 0.92  # the rest planned (5%) or cancelled (3%)
    pstatus = rng.choice(["planned", "running", "completed", "cancelled"], size=n_proj,
                         p=[0.05, launched * (1 - completed_share), launched * completed_share,
                            0.03])
    pkind = rng.choice(["project", "activity", "meeting", "service", "wish"], size=n_proj,
                       p=[0.35, 0.3, 0.1, 0.15, 0.1])
    pstart = pd.to_datetime("2019-01-01") + pd.to_timedelta(rng.integers(0, 1800, n_proj),
                                                            unit="D")
    k = rng.integers(2, 6, n_proj)
    part_proj = np.repeat(np.arange(n_proj), k)
    lead_comm = rng.integers(0, n_comm, n_proj)
    comm_units = pd.Series(np.arange(n_units)).groupby(unit_comm).apply(np.array)
    # participants: units mostly from the lead's community
    local = rng.random(len(part_proj)) < 0.7
    cu = comm_units.reindex(range(n_comm)).to_numpy()
    sizes = np.array([len(x) if isinstance(x, np.ndarray) else 0 for x in cu])
    offs = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    flat = np.concatenate([x for x in cu if isinstance(x, np.ndarray)])
    lc = lead_comm[part_proj]
    pick_local = flat[offs[lc] + (rng.random(len(part_proj)) * sizes[lc]).astype(int)]
    part_unit = np.where(local, pick_local, rng.integers(0, n_units, len(part_proj)))
    first = np.r_[True, part_proj[1:] != part_proj[:-1]]
    participation = pd.DataFrame({
        "project_id": pid[part_proj], "participant_id": unit_ids[part_unit],
        "role": np.where(first, "lead", "partner")})
    participation = participation.drop_duplicates(["project_id", "participant_id"])
    projects = pd.DataFrame({
        "id": pid, "name": np.char.add(np.char.add(comm_names[lead_comm], "共建项目"),
                                       np.arange(1, n_proj + 1).astype(str)),
        "kind": pkind, "status": pstatus, "start": pstart,
        "end": (pstart + pd.Timedelta(days=180)).where(pstatus == "completed"),
        "lead_id": unit_ids[part_unit[first]]})

    # resources and demands
    cats = np.array(["venue", "funds", "expertise", "training", "volunteer", "equipment",
                     "information", "teaching_site"])
    n_res = max(n_members // 40, 5)
    owner = rng.integers(n_comm, n_units, n_res)
    resources = pd.DataFrame({
        "id": np.char.add("R", np.char.zfill(np.arange(1, n_res + 1).astype(str), 7)),
        "owner_id": unit_ids[owner], "category": cats[rng.integers(0, len(cats), n_res)],
        "quantity": rng.integers(1, 4, n_res).astype(float)})
    resources["name"] = resources["category"]
    n_dem = max(n_members // 40, 5)
    req = rng.integers(0, n_units, n_dem)
    demands = pd.DataFrame({
        "id": np.char.add("D", np.char.zfill(np.arange(1, n_dem + 1).astype(str), 7)),
        "requester_id": unit_ids[req], "category": cats[rng.integers(0, len(cats), n_dem)],
        "quantity": 1.0, "priority": rng.integers(1, 6, n_dem),
        "skills": np.where(rng.random(n_dem) < 0.2,
                           _SKILLS[rng.integers(0, len(_SKILLS), n_dem)], None)})
    units["union"] = np.where(np.isin(unit_kind, ["private", "social"])
                              & (rng.random(n_units) < union_share), "yes", "no")
    orgs, members, links, participation, truth = _plant(
        rng, units, orgs, members, links, participation, comm_ids, unit_comm, n_comm,
        walled_in_share, paper_only_share, community_gap_share)
    out = {"regions": regions, "units": units, "orgs": orgs, "members": members,
           "links": links, "projects": projects, "participation": participation,
           "resources": resources, "demands": demands}
    steps.update(1)
    steps.close()
    return Generated({k: v.reset_index(drop=True) for k, v in sorted(out.items())}, truth)


class Generated(dict):
    """The generated tables (a dict, name → DataFrame) with the planted truth.

    Attributes
    ----------
    truth : dict of str to DataFrame
        ``gaps`` (``rule``, ``entity_id``) under the national coverage rules and ``status``
        (``actor_id``, ``status``) of every unit, both for the default all-time window.
    """

    def __init__(self, tables: dict[str, pd.DataFrame], truth: dict[str, pd.DataFrame]):
        super().__init__(tables)
        self.truth = truth


_TIE_LINKS = ("pair", "agreement", "council", "registration", "covers", "cross_post",
              "service", "body")
_PAPER_LINKS = ("pair", "agreement", "council", "registration", "covers", "cross_post", "body")


def _plant(rng, units, orgs, members, links, participation, comm_ids, unit_comm, n_comm,
           walled_share, paper_share, gap_share):
    """Plant community gaps, walled-in and paper-only units, and return the truth.

    The truth is worked out here from the generator's own arrays (not by the library's
    analyses), so a test comparing the two is a real check.
    """
    from .arrays import isin

    n_units = len(units)
    unit_ids = units["id"].to_numpy(dtype=object)
    comm_unit_kind = units["kind"].to_numpy(dtype=object)
    # --- communities without any org: no joint branch, no estate org, committee dissolved
    gap_comm = rng.random(n_comm) < gap_share
    oid = orgs["id"].to_numpy(dtype=object)
    okind = orgs["kind"].to_numpy(dtype=object)
    over_gap = isin(orgs["region_id"].astype("str").str[:12], comm_ids[gap_comm])
    drop = over_gap & np.isin(okind, ["joint_branch", "compound"])
    dropped = set(oid[drop].tolist())
    orgs = orgs[~drop].reset_index(drop=True)
    gap_pc = [f"PC{i:06d}" for i in np.flatnonzero(gap_comm)]
    is_gap_pc = isin(orgs["id"], gap_pc)
    orgs.loc[is_gap_pc, "dissolved"] = orgs.loc[is_gap_pc, "established"] + pd.Timedelta(
        days=400)
    m_org = members["org_id"].to_numpy(dtype=object).copy()
    m_comm_pc = ("PC" + pd.Series(m_org, dtype=object).str[2:]).to_numpy(dtype=object)
    lost_to_gap = isin(pd.Series(m_org, dtype="str"), dropped)
    m_org[lost_to_gap] = m_comm_pc[lost_to_gap]  # PJ<c> → PC<c>, dissolved
    members = members.assign(org_id=m_org)
    links = links[~isin(links["source"].astype("str"), dropped)
                  & ~isin(links["target"].astype("str"), dropped)]

    # --- walled-in and paper-only units (resident units only; committees stay linked)
    status = np.full(n_units, "linked", dtype=object)
    r = rng.random(n_units)
    r[:n_comm] = 1.0
    status[r < walled_share] = "walled_in"
    status[(r >= walled_share) & (r < walled_share + paper_share)] = "paper_only"
    # the actor (unit) of every unit and org id; members stand for their org's unit
    o_unit = pd.Index(unit_ids).get_indexer(orgs["unit_id"].astype(object))
    key = pd.Index(np.r_[unit_ids, orgs["id"].to_numpy(dtype=object)])
    val = np.r_[np.arange(n_units), o_unit]
    m_actor = val[key.get_indexer(pd.Series(m_org).fillna("").to_numpy(dtype=object))
                  .clip(-1)] if len(m_org) else np.zeros(0, np.int64)
    m_actor = np.where(key.get_indexer(pd.Series(m_org).fillna("").to_numpy(dtype=object))
                       >= 0, m_actor, -1)

    def actor(ids: pd.Series, member_side: bool) -> np.ndarray:
        pos = key.get_indexer(ids.to_numpy(dtype=object))
        out = np.where(pos >= 0, val[np.maximum(pos, 0)], -1)
        if member_side:
            mp = pd.Index(members["id"].to_numpy(dtype=object)).get_indexer(
                ids.to_numpy(dtype=object))
            out = np.where(mp >= 0, m_actor[np.maximum(mp, 0)], out)
        return out

    st = np.append(status, "none")
    kind = links["kind"].to_numpy(dtype=object)
    sa = st[actor(links["source"], True)]
    ta = st[actor(links["target"], False)]
    member_src = isin(links["source"].astype("str"), members["id"].astype("str"))
    tie_like = np.isin(kind, _TIE_LINKS) & ~(member_src & (kind != "cross_post"))
    walled = tie_like & ((sa == "walled_in") | (ta == "walled_in"))
    paper = (kind == "service") & ((sa == "paper_only") | (ta == "paper_only"))
    links = links[~walled & ~paper]
    pa_status = st[actor(participation["participant_id"], False)]
    participation = participation[~np.isin(pa_status, ["walled_in", "paper_only"])]
    # every linked resident unit gets a service tie with the next linked resident unit (in
    # community order), every committee one with the next community's committee, and every
    # paper-only unit a pair link with a linked unit of another community: none of these is
    # between an org and its direct parent or child
    resident_linked = np.flatnonzero((status == "linked") & (np.arange(n_units) >= n_comm))
    resident_linked = resident_linked[np.argsort(unit_comm[resident_linked], kind="stable")]
    extra = []
    if len(resident_linked) >= 2:
        extra.append((resident_linked, np.roll(resident_linked, -1), "service"))
    committees = np.arange(n_comm)
    extra.append((committees, np.roll(committees, -1), "service"))
    paper_u = np.flatnonzero(status == "paper_only")
    if len(paper_u) and len(resident_linked):
        pick = resident_linked[rng.integers(0, len(resident_linked), len(paper_u))]
        same = unit_comm[pick] == unit_comm[paper_u]
        pick[same] = np.arange(n_comm)[(unit_comm[paper_u[same]] + 1) % n_comm]
        extra.append((paper_u, pick, "pair"))
    add = pd.DataFrame({
        "source": np.concatenate([unit_ids[a] for a, _, _ in extra]),
        "target": np.concatenate([unit_ids[b] for _, b, _ in extra]),
        "kind": np.concatenate([np.full(len(a), k, dtype=object) for a, _, k in extra]),
        "start": pd.Timestamp("2021-01-01"), "end": pd.NaT, "weight": 1.0})
    add = add[add["source"] != add["target"]]
    links = pd.concat([links, add], ignore_index=True).drop_duplicates(
        ["source", "target", "kind"]).reset_index(drop=True)
    # a paper-only unit paired with a committee in another community: its org's parent is
    # its own community's committee, so the pair is horizontal

    # --- the coverage truth under the national rules (all-time window)
    standing = orgs["dissolved"].isna().to_numpy()
    ok = orgs["kind"].to_numpy(dtype=object)
    o_unit = pd.Index(unit_ids).get_indexer(orgs["unit_id"].astype(object))
    own = np.zeros(n_units, dtype=bool)
    own[o_unit[(o_unit >= 0) & standing & (ok != "body")]] = True
    cat = members["category"].to_numpy(dtype=object)
    formal = members["status"].to_numpy(dtype=object) == "formal"
    mu = pd.Index(unit_ids).get_indexer(members["unit_id"].astype(object))
    works = mu >= 0
    n_work = np.bincount(mu[works], minlength=n_units)
    n_formal = np.bincount(mu[works & formal], minlength=n_units)
    lk_kind = links["kind"].to_numpy(dtype=object)
    src_org = pd.Index(orgs["id"]).get_indexer(links["source"].astype(object))
    joint_ok = np.zeros(len(links), dtype=bool)
    has = src_org >= 0
    joint_ok[has] = np.isin(ok[src_org[has]], ["joint_branch", "compound"]) & standing[
        src_org[has]]
    tgt_unit = pd.Index(unit_ids).get_indexer(links["target"].astype(object))
    covered = np.zeros(n_units, dtype=bool)  # by a standing joint or compound org
    sel = (lk_kind == "covers") & joint_ok & (tgt_unit >= 0)
    covered[tgt_unit[sel]] = True
    # a link from an org that does not stand counts for no rule
    src_stands = np.ones(len(links), dtype=bool)
    src_stands[has] = standing[src_org[has]]
    covered_any = np.zeros(n_units, dtype=bool)  # by any covers link
    sel = (lk_kind == "covers") & (tgt_unit >= 0) & src_stands
    covered_any[tgt_unit[sel]] = True
    instructed = np.zeros(n_units, dtype=bool)
    sel = (lk_kind == "instructor") & (tgt_unit >= 0) & src_stands
    instructed[tgt_unit[sel]] = True
    union = units["union"].to_numpy(dtype=object) == "yes"
    gaps = []
    gaps.append(("unit_without_org", unit_ids[(n_formal >= 3) & ~own]))
    gaps.append(("unit_not_covered", unit_ids[(n_work >= 1) & (n_formal < 3) & ~own
                                              & ~covered]))
    gaps.append(("no_work_coverage", unit_ids[np.isin(comm_unit_kind, ["private", "social"])
                                              & (n_work == 0) & ~covered_any & ~instructed
                                              & ~union & ~own]))
    # communities: a standing org (not a body or a party group) over the community itself,
    # or in its committee
    over = orgs["region_id"].astype(object).fillna("").to_numpy(dtype=object)
    with_org = set(over[standing & (ok != "body") & (ok != "group")
                        & orgs["unit_id"].isna().to_numpy()])
    with_org |= set(comm_ids[(own & (np.arange(n_units) < n_comm))[:n_comm]].tolist())
    gaps.append(("community_without_org", np.array(
        [c for c in comm_ids if c not in with_org], dtype=object)))
    mo = pd.Index(orgs["id"]).get_indexer(members["org_id"].astype(object))
    attached = np.zeros(len(members), dtype=bool)
    attached[mo >= 0] = standing[mo[mo >= 0]]
    mids = members["id"].to_numpy(dtype=object)
    gaps.append(("member_unattached", mids[~attached]))
    tgt_org = pd.Index(orgs["id"]).get_indexer(links["target"].astype(object))
    tgt_stands = np.ones(len(links), dtype=bool)
    tgt_stands[tgt_org >= 0] = standing[tgt_org[tgt_org >= 0]]
    inflow = set(links["source"][(lk_kind == "inflow") & tgt_stands])
    gaps.append(("mobile_unmanaged", mids[(cat == "mobile") & ~isin(
        pd.Series(mids, dtype="str"), inflow)]))
    truth = {
        "gaps": pd.DataFrame({
            "rule": np.concatenate([np.full(len(v), k, dtype=object) for k, v in gaps]),
            "entity_id": np.concatenate([v for _, v in gaps])}).astype("str"),
        "status": pd.DataFrame({"actor_id": unit_ids, "status": status}).astype("str"),
    }
    return orgs, members, links, participation, truth


def to_network(tables: dict[str, pd.DataFrame], **kwargs: object):
    """Validate generated tables into a :class:`~partygraph.CoBuildingNetwork`."""
    from .dataset import from_frames

    return from_frames(**tables, **kwargs)


def write(tables: dict[str, pd.DataFrame], path: str | Path, encoding: str = "utf-8") -> Path:
    """Write generated tables as a CSV folder (``encoding="gb18030"`` for a GBK export)."""
    path = Path(path)
    from .writing import output_dir

    path = output_dir(path)
    for name, df in tables.items():
        df.to_csv(path / f"{name}.csv", index=False, encoding=encoding, date_format="%Y-%m-%d")
    return path


def next_year(
    tables: Generated,
    *,
    seed: int = 1,
    closed: int = 20,
    new: int = 10,
    out_of_walls: int = 15,
    into_walls: int = 5,
    renamed: int = 10,
    year: int | None = None,
) -> Generated:
    """The same district a year later, with changes planted and their truth.

    From a generated district (:func:`district`, with its truth) it makes the next year's
    tables:

    - ``closed`` gaps closed: half of them units without an org that set one up (a branch in
      the unit), half mobile members now managed where they live (an ``inflow`` link);
    - ``new`` gaps opened: new units with three formal members and no org (each also a new,
      walled-in unit), and new mobile members without inflow management;
    - ``out_of_walls`` walled-in units that join a completed project with a linked unit;
    - ``into_walls`` linked units that drop every tie (their links and project places), chosen
      so that no partner's status changes with them;
    - ``renamed`` units whose id changes (a ledger renumbered them) while their name and place
      stay: a comparison must match them by name.

    Returns
    -------
    Generated
        The next year's tables; ``.truth`` holds ``gaps`` and ``status`` (as for
        :func:`district`, in the new ids) and ``changes``: ``gaps`` (``rule``, ``entity_id``,
        ``change`` closed/new), ``status`` (``actor_id``, ``before``, ``after``) and
        ``renamed`` (``id_before``, ``id_after``).

    Examples
    --------
    >>> from partygraph import synthetic
    >>> g = synthetic.district(2000, seed=3)
    >>> h = synthetic.next_year(g, seed=1)
    >>> sorted(h.truth["changes"])
    ['gaps', 'renamed', 'status']
    """
    from .coverage import coverage_gaps  # selection only: the truth is what is planted
    from .dataset import from_frames
    from .ties import actors, horizontal_ties
    from .walls import walled_in_units

    rng = np.random.default_rng(seed)
    t = {k: v.copy() for k, v in tables.items()}
    truth_gaps = tables.truth["gaps"]
    status = tables.truth["status"].set_index("actor_id")["status"]
    u, o, m, lk = t["units"], t["orgs"], t["members"], t["links"]
    stamp = pd.Timestamp(f"{year}-03-01") if year else (
        pd.to_datetime(lk["start"]).max() + pd.Timedelta(days=30))
    gap_rows: list[tuple[str, str, str]] = []
    # --- closed: units set up an org; mobile members managed
    net = from_frames(**tables, strict=False)
    gaps = coverage_gaps(net)
    own = gaps[gaps["rule"] == "unit_without_org"]["entity_id"]
    committees = u.loc[u["kind"].isin(["community", "village"]), "id"]
    own = own[own.isin(truth_gaps["entity_id"]) & ~own.isin(committees)].to_numpy()
    pick = rng.choice(own, size=min(closed - closed // 2, len(own)), replace=False)
    comm_org = o.set_index("id")
    new_orgs = pd.DataFrame({
        "id": [f"PN{i:06d}" for i in range(len(pick))],
        "name": u.set_index("id").loc[pick, "name"].to_numpy() + "党支部(新建)",
        "kind": "branch", "parent_id": None, "unit_id": pick, "region_id": None,
        "established": stamp, "dissolved": pd.NaT})
    gap_rows += [("unit_without_org", x, "closed") for x in pick]
    mob = gaps[gaps["rule"] == "mobile_unmanaged"]["entity_id"].to_numpy()
    mpick = rng.choice(mob, size=min(closed // 2, len(mob)), replace=False)
    standing_comm = o[(o["kind"] == "committee") & o["dissolved"].isna()]["id"].to_numpy()
    inflow = pd.DataFrame({"source": mpick, "target": rng.choice(standing_comm, len(mpick)),
                           "kind": "inflow", "start": stamp, "end": pd.NaT, "weight": 1.0})
    gap_rows += [("mobile_unmanaged", x, "closed") for x in mpick]
    del comm_org
    # --- out of walls: a completed project with a linked unit
    walls = walled_in_units(net)
    w_units = walls[(walls["status"] == "walled_in") & (walls["actor_type"] == "unit")]
    linked = walls[(walls["status"] == "linked") & (walls["actor_type"] == "unit")]
    outs = rng.choice(w_units["actor_id"].to_numpy(), size=min(out_of_walls, len(w_units)),
                      replace=False)
    partners = rng.choice(linked["actor_id"].to_numpy(), size=len(outs))
    proj = pd.DataFrame({"id": [f"JN{i:06d}" for i in range(len(outs))],
                         "name": [f"新建共建项目{i + 1}" for i in range(len(outs))],
                         "kind": "project", "status": "completed", "start": stamp,
                         "end": stamp + pd.Timedelta(days=90), "lead_id": partners})
    part = pd.DataFrame({"project_id": np.repeat(proj["id"].to_numpy(), 2),
                         "participant_id": np.ravel(np.column_stack([partners, outs])),
                         "role": np.tile(["lead", "partner"], len(outs))})
    status_rows = [(x, "walled_in", "linked") for x in outs]
    # --- into walls: linked units that drop every tie, no partner affected: each partner
    # keeps a tie without it, and a project or service tie if it had one
    ties = horizontal_ties(net)
    pos_of = pd.Series(np.arange(len(actors(net).frame)), index=actors(net).frame["actor_id"])
    n_act = len(pos_of)
    ta, tb = ties["a"].to_numpy(), ties["b"].to_numpy()
    real = ties["kind"].isin(["project", "service"]).to_numpy()
    deg = np.bincount(ta, minlength=n_act) + np.bincount(tb, minlength=n_act)
    rdeg = (np.bincount(ta[real], minlength=n_act) + np.bincount(tb[real], minlength=n_act))
    pairs = pd.DataFrame({"x": np.r_[ta, tb], "p": np.r_[tb, ta], "real": np.r_[real, real]})
    pc = pairs.groupby(["x", "p"]).agg(cnt=("real", "size"), rcnt=("real", "sum"))
    pc = pc.reset_index()
    pv = pc["p"].to_numpy()
    pc["ok"] = (deg[pv] - pc["cnt"] > 0) & ((rdeg[pv] == 0) | (rdeg[pv] - pc["rcnt"] > 0))
    bad = set(pc.loc[~pc["ok"], "x"])
    partners_of = pc.groupby("x")["p"].agg(set)
    covered = set(lk.loc[lk["kind"] == "covers", "target"])
    chosen: list[str] = []
    taken: set[int] = set()
    for x in rng.permutation(linked["actor_id"].to_numpy()):  # stops after a few
        if len(chosen) >= into_walls:
            break
        i = int(pos_of[x])
        if x in covered or x in set(partners) or i in bad or i in taken:
            continue
        near = partners_of.get(i, set())
        if near & {int(pos_of[c]) for c in chosen}:
            continue
        chosen.append(x)
        taken |= near
    unit_orgs = set(o.loc[o["unit_id"].isin(chosen), "id"])
    ids = set(chosen) | unit_orgs
    mem_of = set(m.loc[m["org_id"].isin(unit_orgs), "id"])
    tie_kinds = ["pair", "agreement", "council", "body", "registration", "service",
                 "cross_post"]
    drop = lk["kind"].isin(tie_kinds) & (lk["source"].isin(ids) | lk["target"].isin(ids) | (
        (lk["kind"] == "cross_post") & lk["source"].isin(mem_of)))
    lk = lk[~drop]
    t["participation"] = t["participation"][~t["participation"]["participant_id"].isin(ids)]
    status_rows += [(x, "linked", "walled_in") for x in chosen]
    # --- new gaps: new units with three formal members and no org; new mobile members
    k_units = new - new // 2
    standing_unit_org = o[o["unit_id"].notna() & o["dissolved"].isna()
                          & (o["kind"] != "body")].drop_duplicates("unit_id")
    comm_units = u[(u["kind"] == "community") & u["id"].isin(standing_unit_org["unit_id"])]
    homes = comm_units.sample(n=k_units, random_state=seed, replace=True)
    nu = pd.DataFrame({"id": [f"UN{i:06d}" for i in range(k_units)],
                       "name": [f"新设企业{i + 1}(示例)" for i in range(k_units)],
                       "kind": "private", "domain": "private",
                       "region_id": homes["region_id"].to_numpy()})
    org_of_comm = standing_unit_org.set_index("unit_id")["id"]
    home_org = homes["id"].map(org_of_comm).to_numpy()
    nm = pd.DataFrame({"id": [f"MN{i:07d}" for i in range(3 * k_units)],
                       "org_id": np.repeat(home_org, 3), "status": "formal",
                       "category": "in_service", "unit_id": np.repeat(nu["id"].to_numpy(), 3)})
    gap_rows += [("unit_without_org", x, "new") for x in nu["id"]]
    status_rows += [(x, "", "walled_in") for x in nu["id"]]
    k_mob = new // 2
    nmob = pd.DataFrame({"id": [f"MM{i:07d}" for i in range(k_mob)],
                         "org_id": rng.choice(standing_comm, k_mob), "status": "formal",
                         "category": "mobile"})
    gap_rows += [("mobile_unmanaged", x, "new") for x in nmob["id"]]
    t["units"] = pd.concat([u, nu], ignore_index=True)
    t["orgs"] = pd.concat([o, new_orgs], ignore_index=True)
    t["members"] = pd.concat([m, nm, nmob], ignore_index=True)
    t["links"] = pd.concat([lk, inflow], ignore_index=True)
    t["projects"] = pd.concat([t["projects"], proj], ignore_index=True)
    t["participation"] = pd.concat([t["participation"], part], ignore_index=True)
    # --- renamed: new ids for some units whose name and place stay
    keep = set(pick) | set(outs) | set(chosen) | set(partners)
    pool = u.loc[~u["id"].isin(keep) & (u["kind"] != "community") & (u["kind"] != "village"),
                 "id"].to_numpy()
    ren = rng.choice(pool, size=min(renamed, len(pool)), replace=False)
    new_id = {x: f"UR{i:06d}" for i, x in enumerate(ren)}
    for name, cols in (("units", ["id"]), ("orgs", ["unit_id"]),
                       ("members", ["unit_id"]), ("links", ["source", "target"]),
                       ("projects", ["lead_id"]), ("participation", ["participant_id"]),
                       ("resources", ["owner_id"]), ("demands", ["requester_id"])):
        if name in t:
            for c in cols:
                if c in t[name].columns:
                    t[name][c] = t[name][c].replace(new_id)
    changes = {
        "gaps": pd.DataFrame(gap_rows, columns=["rule", "entity_id", "change"]).astype("str"),
        "status": pd.DataFrame(status_rows, columns=["actor_id", "before", "after"]).astype(
            "str"),
        "renamed": pd.DataFrame({"id_before": list(new_id), "id_after": list(
            new_id.values())}).astype("str"),
    }
    before_gaps = truth_gaps.copy()
    closed_keys = set(zip(changes["gaps"].query("change == 'closed'")["rule"],
                          changes["gaps"].query("change == 'closed'")["entity_id"],
                          strict=True))
    keep_gaps = before_gaps[[(r, e) not in closed_keys for r, e in zip(
        before_gaps["rule"], before_gaps["entity_id"], strict=True)]]
    after_gaps = pd.concat([keep_gaps, changes["gaps"].query("change == 'new'")[
        ["rule", "entity_id"]]], ignore_index=True)
    after_gaps["entity_id"] = after_gaps["entity_id"].replace(new_id)
    st = status.copy()
    for a, _, after in status_rows:
        st[a] = after
    st.index = pd.Index(st.index).map(lambda x: new_id.get(x, x))
    truth = {"gaps": after_gaps.astype("str"),
             "status": st.rename("status").rename_axis("actor_id").reset_index().astype("str"),
             "changes": changes}
    return Generated({k: v.reset_index(drop=True) for k, v in sorted(t.items())}, truth)


def _prefix_ids(tables: Generated, prefix: str) -> Generated:
    """The same district with every id but the regions' (division codes, already unique
    across districts) led by ``prefix``: districts of one province then share no id."""
    from .schema import TABLES

    own = pd.Index(np.concatenate([
        tables[t][c.name].dropna().astype(str).to_numpy()
        for t, spec in TABLES.items() if t in tables and t != "regions"
        for c in spec.columns if c.type == "id" and c.name in tables[t].columns]))

    from . import arrays

    def led(s: pd.Series, every: bool) -> pd.Series:
        text = s.astype("str")
        hit = s.notna().to_numpy() & (True if every else arrays.isin(text, own))
        return text.where(~hit, prefix + text)

    out = {}
    for t, df in tables.items():
        spec = TABLES.get(t)
        df = df.copy()
        if spec is not None:
            for c in spec.columns:
                if c.name not in df.columns or c.type not in ("id", "ref"):
                    continue
                if c.type == "id" and t != "regions":
                    df[c.name] = led(df[c.name], True)
                elif c.type == "ref" and c.refs != ("regions",):
                    df[c.name] = led(df[c.name], False)
        out[t] = df
    truth = {k: v.assign(**{c: led(v[c], False) for c in ("entity_id", "actor_id")
                            if c in v.columns}) for k, v in tables.truth.items()}
    return Generated(out, truth)


def province(
    path: str | Path,
    n_districts: int,
    n_members: int,
    *,
    seed: int = 0,
    districts: pd.DataFrame | None = None,
    streets: pd.DataFrame | None = None,
    cross_ties: int = 10,
    encoding: str = "utf-8",
) -> Path:
    """Write a synthetic province: one CSV folder per district, with ties across districts.

    Each district is a :func:`district` of ``n_members // n_districts`` members (its own
    seed), written to ``path/<code>_<name>/`` with its truth under ``truth/``. Its ids but
    the regions' are led by its code (``500105-U0000001``), so districts share no id. Then
    ``cross_ties`` pair links per district tie one of its units to a unit of the next
    district (the last to the first); every second one is recorded by both districts (the
    same tie in two ledgers, to be counted once). ``path/truth/cross_ties.csv`` lists the
    distinct ties (``source``, ``target``, ``kind``, ``recorded``: in one ledger or both).

    Parameters
    ----------
    path : str or Path
        The province folder to write.
    n_districts : int
        Number of districts.
    n_members : int
        Members in the whole province, shared evenly.
    seed : int
        Random seed (district ``i`` uses ``seed + i``).
    districts : DataFrame, optional
        Real districts: columns ``code`` (6 digits) and ``name`` (e.g. rows of the
        statistical division codes); made up when omitted (codes ``9901xx``).
    streets : DataFrame, optional
        Real streets (``code``, 9 digits, and ``name``); each district takes its own.
    cross_ties : int
        Pair links from each district to the next.
    encoding : str
        CSV encoding (``gb18030`` for a GBK export).

    Returns
    -------
    Path
        The province folder.

    Examples
    --------
    >>> import tempfile
    >>> from partygraph import synthetic
    >>> p = synthetic.province(tempfile.mkdtemp(), 2, 1000, cross_ties=2)
    >>> sorted(x.name for x in p.iterdir())
    ['990101_示范一区', '990102_示范二区', 'truth']
    """
    from .writing import output_dir

    if n_districts < 1:
        raise ValueError("n_districts must be at least 1")
    root = output_dir(Path(path))
    if districts is None:
        districts = pd.DataFrame({
            "code": [f"9901{i + 1:02d}" for i in range(n_districts)],
            "name": [f"示范{_NTH[min(i, len(_NTH) - 1)]}区" for i in range(n_districts)]})
    districts = districts.head(n_districts).astype({"code": str, "name": str})
    if len(districts) < n_districts:
        raise ValueError(f"only {len(districts)} districts given for {n_districts}")
    each = max(n_members // n_districts, 1)
    rng = np.random.default_rng(seed)
    folders, picks = [], []
    for i, (code, name) in enumerate(districts[["code", "name"]].itertuples(index=False)):
        own = None
        if streets is not None:
            own = streets[streets["code"].astype(str).str[:6] == code][["code", "name"]]
            own = own if len(own) else None
        d = _prefix_ids(district(each, seed=seed + i, district_code=code, district_name=name,
                                 streets=own), f"{code}-")
        folder = write(d, root / f"{code}_{name}", encoding=encoding)
        (folder / "truth").mkdir(exist_ok=True)
        for k, v in d.truth.items():
            v.to_csv(folder / "truth" / f"{k}.csv", index=False, encoding="utf-8-sig")
        u = d["units"]
        resident = u["id"][~u["kind"].isin(["community", "village"])].to_numpy(dtype=object)
        picks.append(rng.choice(resident, size=min(2 * cross_ties, len(resident)),
                                replace=False))
        folders.append(folder)
        del d, u
    ties = []
    n = len(folders)
    for i in range(n if n > 1 else 0):
        j = (i + 1) % n
        k = min(cross_ties, len(picks[i]) // 2, len(picks[j]) // 2)
        for t in range(k):
            a, b = picks[i][t], picks[j][k + t] if n == 2 and i == 1 else picks[j][t]
            ties.append((i, j, a, b, "both" if t % 2 == 0 else "one"))
    cols = pd.read_csv(folders[0] / "links.csv", nrows=0, encoding=encoding).columns
    rows: dict[int, list[dict]] = {}
    for i, j, a, b, rec in ties:
        rows.setdefault(i, []).append({"source": a, "target": b, "kind": "pair",
                                       "start": "2023-03-01", "weight": 1.0})
        if rec == "both":  # the other district's ledger records the same tie
            rows.setdefault(j, []).append({"source": b, "target": a, "kind": "pair",
                                           "start": "2023-03-01", "weight": 1.0})
    for i, r in rows.items():
        pd.DataFrame(r).reindex(columns=cols).to_csv(
            folders[i] / "links.csv", mode="a", header=False, index=False, encoding=encoding)
    truth = output_dir(root / "truth")
    pd.DataFrame([(a, b, "pair", rec) for _, _, a, b, rec in ties],
                 columns=["source", "target", "kind", "recorded"]).to_csv(
        truth / "cross_ties.csv", index=False, encoding="utf-8-sig")
    return root
