"""Build the five case data sets from what the source reports state.

Run from the repository root: ``python datasets/build_cases.py``. Every figure the reports
give is used as stated; everything else (names marked 示例, dates, which unit takes part in
which project) is made up and says so in each data set's README. District and street codes
are the real statistical division codes (../shared/reference); community, estate and
building codes below a street are made up (the last digits).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent


def _write(name: str, tables: dict[str, list[dict]]) -> None:
    folder = HERE / name
    folder.mkdir(exist_ok=True)
    for t, rows in tables.items():
        pd.DataFrame(rows).to_csv(folder / f"{t}.csv", index=False, encoding="utf-8-sig")


def _region(rid, name, level, parent=None):
    return {"id": rid, "name": name, "level": level, "parent_id": parent}


def _unit(uid, name, kind, region, **kw):
    return {"id": uid, "name": name, "kind": kind, "region_id": region, **kw}


def _org(oid, name, kind, parent=None, unit=None, region=None):
    return {"id": oid, "name": name, "kind": kind, "parent_id": parent, "unit_id": unit,
            "region_id": region}


def _link(s, t, kind, start=None, post=None):
    row = {"source": s, "target": t, "kind": kind, "start": start}
    if post:
        row["post"] = post
    return row


# ----------------------------------------------------------------------------- Jiangbei
def jiangbei() -> dict[str, list[dict]]:
    """建北社区 大党委 (16 resident units, 21 non-public organisations), 三位一体 estate,
    三三制 building groups, 联合制 joint branch; 80% of resident organisations take part."""
    D, S, C = "500105000000", "500105006000", "500105006001"
    E = C + "01"
    regions = [_region(D, "江北区", "district"), _region(S, "观音桥街道", "street", D),
               _region(C, "建北社区", "community", S),
               _region("500105006002", "鲤鱼池社区", "community", S),
               _region(E, "建北小区(示例)", "estate", C)]
    blds = [f"{E}{i:02d}" for i in range(1, 8)]
    regions += [_region(b, f"建北小区{i}栋", "building", E) for i, b in enumerate(blds, 1)]
    units = [_unit("JB-C", "建北社区居民委员会", "community", C, tier="community"),
             _unit("JB-R01", "市外经委", "agency", C, tier="city", party_members=166),
             _unit("JB-R02", "中保财产", "soe", C, tier="city", party_members=120)]
    kinds = ["agency", "institution", "soe", "institution", "agency", "institution", "soe"]
    units += [_unit(f"JB-R{i:02d}", f"驻区单位{i}(示例)", kinds[i % 7], C, tier="district",
                    party_members=73) for i in range(3, 17)]
    units += [_unit(f"JB-F{i:02d}", f"非公组织{i}(示例)", "private" if i <= 15 else "social",
                    C if i <= 10 else blds[i % 7], party_members=(12 if i <= 10 else 2))
              for i in range(1, 22)]
    units += [_unit(f"JB-X{i}", f"未参与共建单位{i}(示例)", "private", C, party_members=4)
              for i in range(1, 10)]
    units += [_unit("JB-OC", "建北小区业主委员会", "owners_committee", E),
              _unit("JB-PM", "建北小区物业服务公司(示例)", "property_company", E)]
    orgs = [_org("JB-P0", "中共江北区委", "committee", region=D),
            _org("JB-PS", "观音桥街道党工委", "working_committee", "JB-P0", region=S),
            _org("JB-PC", "建北社区大党委", "committee", "JB-PS", unit="JB-C"),
            _org("JB-PL", "鲤鱼池社区党委", "committee", "JB-PS", region="500105006002")]
    for u in units:
        if u["id"].startswith(("JB-R", "JB-X")) or u["id"] in [f"JB-F{i:02d}" for i in
                                                                range(1, 11)]:
            orgs.append(_org("P" + u["id"], u["name"] + "党组织", "branch", unit=u["id"]))
    # 联合制: the non-public firms with 1-2 members in buildings share one joint branch
    orgs.append(_org("JB-PJ", "建北小区楼栋非公联合党支部", "joint_branch", "JB-PC", region=E))
    # 三位一体 estate org, 三三制 building groups and building-group branches
    orgs.append(_org("JB-PE", "建北小区党总支(三位一体)", "general_branch", "JB-PC", region=E))
    orgs += [_org("JB-PB1", "建北小区第一楼群党支部", "branch", "JB-PE", region=E),
             _org("JB-PB2", "建北小区第二楼群党支部", "branch", "JB-PE", region=E)]
    groups = {1: "JB-PB1", 2: "JB-PB1", 3: "JB-PB1", 4: "JB-PB2", 5: "JB-PB2", 6: "JB-PB2"}
    orgs += [_org(f"JB-G{i}", f"建北小区{i}栋党小组", "group", groups[i], region=blds[i - 1])
             for i in range(1, 7)]
    links = []
    # 大党委: the 16 resident units and 21 non-public organisations sit on the council
    for u in units:
        if u["id"].startswith(("JB-R", "JB-F")):
            src = "P" + u["id"] if any(o["id"] == "P" + u["id"] for o in orgs) else u["id"]
            links.append(_link(src, "JB-PC", "council", "2019-01-01"))
    links += [_link("JB-PJ", f"JB-F{i:02d}", "covers", "2019-03-01") for i in range(11, 22)]
    # members living in the estate: 三三制 groups (≥3 each); building 7 has 3 and no group
    members, n = [], 0
    sizes = {1: 4, 2: 3, 3: 5, 4: 8, 5: 9, 6: 6, 7: 3}
    cats = ["retired", "in_service", "retired", "no_post", "in_service"]
    for b, k in sizes.items():
        for j in range(k):
            n += 1
            cat = cats[(n + j) % 5]
            org = "JB-PB1" if b <= 3 else ("JB-PB2" if b <= 6 else "JB-PC")
            members.append({"id": f"JBM{n:03d}", "org_id": org, "status": "formal",
                            "category": cat, "residence_id": blds[b - 1],
                            "unit_id": "JB-R03" if cat == "in_service" else None,
                            "skills": ["法律", "医疗", "文艺", None][n % 4]})
    for m in members:  # in-service members report to the community where they live
        if m["category"] == "in_service":
            links.append(_link(m["id"], "JB-PC", "registration", "2019-05-01"))
    # 三位一体: cross-posts between the estate org, owners' committee and property company
    links += [_link("JBM001", "JB-OC", "cross_post", "2019-06-01", "owners_chair"),
              _link("JBM002", "JB-PM", "cross_post", "2019-06-01", "property_manager")]
    # 五联 activities: every resident unit and non-public organisation but the 9 outside
    # ones (示例) takes part in a joint activity: 37 of 46 = 80%
    projects = [
        {"id": "JB-J1", "name": "鲤鱼池社区居民停车自治公约", "kind": "service",
         "status": "completed", "start": "2019-04-01", "end": "2019-09-30",
         "lead_id": "JB-C"},
        {"id": "JB-J2", "name": "区域大讲堂", "kind": "activity", "status": "completed",
         "start": "2019-05-01", "end": "2019-12-31", "lead_id": "JB-C"},
        {"id": "JB-J3", "name": "助老助困助学助业四助服务", "kind": "service",
         "status": "running", "start": "2019-03-01", "end": None, "lead_id": "JB-C"}]
    part = [{"project_id": "JB-J1", "participant_id": "JB-C", "role": "lead"},
            {"project_id": "JB-J2", "participant_id": "JB-C", "role": "lead"},
            {"project_id": "JB-J3", "participant_id": "JB-C", "role": "lead"}]
    ids = [u["id"] for u in units if u["id"].startswith(("JB-R", "JB-F"))]
    for i, uid in enumerate(ids):
        part.append({"project_id": f"JB-J{1 + i % 3}", "participant_id": uid,
                     "role": "partner"})
    resources = [{"id": "JB-S1", "owner_id": "JB-R01", "category": "venue",
                  "name": "会议室(示例)", "quantity": 1},
                 {"id": "JB-S2", "owner_id": "JB-R02", "category": "funds",
                  "name": "共建经费(示例)", "quantity": 2}]
    demands = [{"id": "JB-D1", "requester_id": "JB-C", "category": "venue",
                "name": "居民议事场地", "priority": 4},
               {"id": "JB-D2", "requester_id": "JB-C", "category": "training",
                "name": "就业再就业技能培训", "priority": 3}]
    return {"regions": regions, "units": units, "orgs": orgs, "members": members,
            "links": links, "projects": projects, "participation": part,
            "resources": resources, "demands": demands}


# ----------------------------------------------------------------------------- Yong'an
def yongan() -> dict[str, list[dict]]:
    """大工委 in 4 streets with 23 part-time members, 13 大党委 with 46 part-time members, 26
    grid groups, 三单制 wishes claimed by members by skill."""
    D = "350481000000"
    streets = [("350481001", "燕东街道"), ("350481002", "燕西街道"), ("350481003", "燕南街道"),
               ("350481004", "燕北街道")]
    regions = [_region(D, "永安市", "district")]
    regions += [_region(c + "000", n, "street", D) for c, n in streets]
    comms = []
    for k in range(13):  # 13 communities with a 大党委 (names made up except 忠义, 中山, 东门)
        named = ["忠义社区", "中山社区", "东门社区"]
        name = named[k] if k < 3 else f"示例社区{k + 1}"
        cid = f"{streets[k % 4][0]}{k // 4 + 1:03d}"
        comms.append((cid, name))
        regions.append(_region(cid, name, "community", streets[k % 4][0] + "000"))
    grids = []
    for g in range(26):  # 26 grid groups over estates, two per community
        cid = comms[g % 13][0]
        gid = f"{cid}{g // 13 + 1:02d}"
        grids.append(gid)
        regions.append(_region(gid, f"{comms[g % 13][1]}第{g // 13 + 1}网格", "grid", cid))
    units = [_unit(f"YA-C{k}", f"{n}居民委员会", "community", c, tier="community")
             for k, (c, n) in enumerate(comms)]
    resident = [("市党史办", "agency"), ("市科协", "social"), ("市关工委", "agency"),
                ("市法院", "agency"), ("永安苏区革命历史陈列馆", "institution"),
                ("永安市安然管道燃气有限公司", "private"), ("永安市供销物流园", "soe"),
                ("国网永安供电公司", "soe")]
    units += [_unit(f"YA-U{i}", n, k, comms[i % 13][0], tier="city")
              for i, (n, k) in enumerate(resident)]
    units += [_unit(f"YA-U{i}", f"驻区单位{i}(示例)", ["agency", "institution", "soe"][i % 3],
                    comms[i % 13][0], tier="city") for i in range(8, 69)]
    orgs = [_org("YA-P0", "中共永安市委", "committee", region=D)]
    orgs += [_org(f"YA-PS{i}", f"{n}大工委", "working_committee", "YA-P0", region=c + "000")
             for i, (c, n) in enumerate(streets)]
    orgs += [_org(f"YA-PC{k}", f"{n}大党委", "committee", f"YA-PS{k % 4}", unit=f"YA-C{k}")
             for k, (c, n) in enumerate(comms)]
    orgs += [_org("YA-P" + u["id"][3:], u["name"] + "党组织", "branch", unit=u["id"])
             for u in units if u["id"].startswith("YA-U")]
    orgs += [_org(f"YA-G{g}", f"网格党小组{g + 1}", "group", f"YA-PC{g % 13}", region=gid)
             for g, gid in enumerate(grids)]
    links = []
    # 23 part-time members of the 4 大工委, 46 of the 13 大党委 (from resident unit orgs)
    # a unit sits on the council of its own street or community (unit i sits in community
    # i % 13, which lies in street (i % 13) % 4): 兼职委员
    for i in range(23):
        links.append(_link(f"YA-PU{i}", f"YA-PS{(i % 13) % 4}", "council", "2018-01-01",
                           "part_time"))
    for i in range(23, 69):
        links.append(_link(f"YA-PU{i}", f"YA-PC{i % 13}", "council", "2018-01-01",
                           "part_time"))
    # members: in-service members registered with the community where they live, by skill
    skills = ["器乐", "舞蹈", "编织", "法律咨询", "供电抢修", "科普", None]
    members = []
    for n in range(1, 131):
        k = n % 13
        cat = "in_service" if n % 3 else "retired"
        members.append({"id": f"YAM{n:03d}", "org_id": f"YA-PU{n % 69}" if cat == "in_service"
                        else f"YA-PC{k}", "status": "formal", "category": cat,
                        "unit_id": f"YA-U{n % 69}" if cat == "in_service" else None,
                        "residence_id": grids[n % 26], "skills": skills[n % 7]})
        if cat == "in_service" and n % 4:
            # the grid n % 26 lies in community (n % 26) % 13
            links.append(_link(f"YAM{n:03d}", f"YA-PC{(n % 26) % 13}", "registration",
                               "2018-03-01"))
    # 第一书记: 4 city standing-committee members over the street working committees, 13
    # street committee members over the community 大党委 ("安排4名市委常委兼任街道党工委第一书记",
    # "13名街道党工委委员兼任社区'大党委'第一书记")
    for i in range(4):
        members.append({"id": f"YAF{i + 1:02d}", "org_id": "YA-P0", "status": "formal",
                        "category": "in_service"})
        links.append(_link(f"YAF{i + 1:02d}", f"YA-PS{i}", "cross_post", "2018-01-01",
                           "first_secretary"))
    for k in range(13):
        members.append({"id": f"YAF{k + 5:02d}", "org_id": f"YA-PS{k % 4}", "status": "formal",
                        "category": "in_service"})
        links.append(_link(f"YAF{k + 5:02d}", f"YA-PC{k}", "cross_post", "2018-01-01",
                           "first_secretary"))
    # 三单制: residents' wishes (居民提单), passed on by the community org (下单) and claimed by
    # members (接单); "共解决居民各类需求360余件" → 6 closed here, 3 claimed, the rest open
    wishes = [("学习器乐", "器乐"), ("学习舞蹈", "舞蹈"), ("学习编织", "编织"),
              ("法律咨询", "法律咨询"), ("线路检修", "供电抢修"), ("科普讲座", "科普"),
              ("学习书法", "书法")]
    demands = []
    for i, (w, s) in enumerate(wishes * 3):
        row = {"id": f"YA-W{i}", "requester_id": f"YA-C{i % 13}", "category": "volunteer",
               "name": w, "skills": s, "priority": 3 + i % 3, "region_id": grids[i % 26],
               "status": "open"}
        if i < 6:  # closed and rated (办结, 评价)
            row.update(status="closed", claimed_by=f"YAM{i + 3:03d}",
                       closed=f"2018-{i + 4:02d}-20", satisfaction=5 - i % 2)
        elif 7 <= i < 10:  # claimed (接单), not yet closed
            row.update(status="claimed", claimed_by=f"YAM{i + 3:03d}")
        elif i == 10:  # passed on by the org (下单), waiting for a member
            row.update(status="assigned")
        demands.append(row)
    # 资源清单 / 需求清单 between communities and resident units: "已整合社区及共建单位活动阵地
    # 30余处、面积7600多平方米" → 31 shared venues, 7,600 m² in all
    resources = [{"id": f"YA-S{i}", "owner_id": f"YA-U{i}", "category": "venue",
                  "name": f"活动阵地{i}(示例)", "quantity": 245 if i < 30 else 250,
                  "measure": "m2"} for i in range(31)]
    resources += [{"id": "YA-T1", "owner_id": "YA-U4", "category": "teaching_site",
                   "name": "永安苏区革命历史陈列馆现场教学", "quantity": 5}]
    demands += [{"id": f"YA-N{k}", "requester_id": f"YA-C{k}", "category": "venue",
                 "name": "社区活动场地", "priority": 4, "quantity": 100, "measure": "m2"}
                for k in range(13)]
    demands += [{"id": f"YA-E{k}", "requester_id": f"YA-C{k}", "category": "teaching_site",
                 "name": "党员现场教学", "priority": 3} for k in range(0, 13, 2)]
    # 轮值主席: each month a resident unit chairs the service group of the community
    projects = [{"id": f"YA-J{m}", "name": f"轮值主席组团服务{m}月", "kind": "service",
                 "status": "completed", "start": f"2018-{m:02d}-01", "end": f"2018-{m:02d}-28",
                 "lead_id": f"YA-U{m}"} for m in range(1, 13)]
    part = []
    for m in range(1, 13):
        part += [{"project_id": f"YA-J{m}", "participant_id": f"YA-U{m}", "role": "lead"},
                 {"project_id": f"YA-J{m}", "participant_id": f"YA-C{m % 13}",
                  "role": "partner"}]
    # 轮值主席: "每月安排一个驻区单位担任'轮值主席'" — 忠义社区大党委 meets monthly, chaired in turn
    # by the resident units that hold its seats (units 26, 39, 52, 65)
    chairs = [f"YA-PU{i}" for i in range(23, 69) if i % 13 == 0]
    for m in range(1, 13):
        projects.append({"id": f"YA-M{m}", "name": f"忠义社区大党委联席会议{m}月",
                         "kind": "meeting", "status": "completed", "start": f"2018-{m:02d}-10",
                         "end": f"2018-{m:02d}-10", "lead_id": "YA-PC0"})
        part.append({"project_id": f"YA-M{m}", "participant_id": chairs[(m - 1) % len(chairs)],
                     "role": "lead"})
    return {"regions": regions, "units": units, "orgs": orgs, "members": members,
            "links": links, "projects": projects, "participation": part,
            "resources": resources, "demands": demands}


# ----------------------------------------------------------------------------- Longyan
def longyan() -> dict[str, list[dict]]:
    """Community → estate 兼合式 org → building group → neighbour members; in-service members
    report to their estate; 红色业委会 cross-posts; agreements and projects in the ratios the
    report gives, scaled down to one street (曹溪街道): 1,250 estate orgs formed singly or
    jointly cover all 1,469 estates ("实现小区党建全覆盖"); 2,533 of 2,770 projects completed."""
    D, S = "350802000000", "350802006000"
    regions = [_region(D, "新罗区", "district"), _region(S, "曹溪街道", "street", D)]
    comms = [f"350802006{k:03d}" for k in range(1, 5)]
    regions += [_region(c, f"曹溪示例社区{k}", "community", S) for k, c in enumerate(comms, 1)]
    # 1,469 estates scaled to 47, and 1,250 estate orgs to 40 (the same 0.851 orgs per estate):
    # 33 orgs of one estate each, 7 joint orgs of two estates each — every estate covered
    estates = [f"{comms[e % 4]}{e // 4 + 1:02d}" for e in range(47)]
    regions += [_region(e, f"示例小区{i + 1}", "estate", e[:12]) for i, e in enumerate(estates)]
    blds = [f"{e}{b:02d}" for e in estates[:10] for b in (1, 2)]
    regions += [_region(b, f"示例小区{i // 2 + 1}-{i % 2 + 1}栋", "building", b[:14])
                for i, b in enumerate(blds)]
    units = [_unit(f"LY-C{k}", f"曹溪示例社区{k + 1}居委会", "community", c, tier="community")
             for k, c in enumerate(comms)]
    units += [_unit(f"LY-U{i}", f"机关事业单位{i}(示例)", ["agency", "institution"][i % 2],
                    comms[i % 4], tier="district") for i in range(12)]
    units += [_unit(f"LY-OC{i}", f"示例小区{i + 1}业委会", "owners_committee", estates[i],
                    employees=5) for i in range(10)]
    orgs = [_org("LY-PS", "曹溪街道党工委", "working_committee", region=S)]
    orgs += [_org(f"LY-PC{k}", f"曹溪示例社区{k + 1}党委", "committee", "LY-PS", unit=f"LY-C{k}")
             for k in range(4)]
    orgs += [_org(f"LY-PU{i}", f"机关事业单位{i}党支部", "branch", unit=f"LY-U{i}")
             for i in range(12)]
    org_of = {e: f"LY-PE{i}" for i, e in enumerate(estates[:33])}
    org_of.update({e: f"LY-PE{33 + (i // 2)}" for i, e in enumerate(estates[33:])})
    orgs += [_org(f"LY-PE{i}", f"示例小区{i + 1}兼合式党支部", "compound",
                  f"LY-PC{comms.index(e[:12])}", region=e) for i, e in enumerate(estates[:33])]
    orgs += [_org(f"LY-PE{33 + j}", f"示例小区{34 + 2 * j}、{35 + 2 * j}联合兼合式党支部",
                  "compound", f"LY-PC{comms.index(estates[33 + 2 * j][:12])}",
                  region=estates[33 + 2 * j]) for j in range(7)]
    orgs += [_org(f"LY-G{i}", f"示例小区{i // 2 + 1}-{i % 2 + 1}栋党小组", "group",
                  f"LY-PE{i // 2}", region=b) for i, b in enumerate(blds)]
    members, links = [], []
    n = 0
    for i, e in enumerate(estates):
        k = 4 if i < 10 else 3
        for j in range(k):
            n += 1
            home = blds[2 * i + j % 2] if i < 10 else e
            cat = "in_service" if j % 2 == 0 else "retired"
            members.append({"id": f"LYM{n:04d}", "org_id": f"LY-PU{n % 12}" if cat ==
                            "in_service" else f"LY-PC{comms.index(e[:12])}", "status": "formal",
                            "category": cat, "unit_id": f"LY-U{n % 12}" if cat == "in_service"
                            else None, "residence_id": home})
            if cat == "in_service":  # 在职党员回小区报到 (to the joint org for a joint estate)
                links.append(_link(f"LYM{n:04d}", org_of[e], "registration", "2018-06-01"))
    # the second estate of each joint org is covered by it (联合组建)
    links += [_link(f"LY-PE{33 + j}", estates[34 + 2 * j], "covers", "2018-05-01")
              for j in range(7)]
    # 红色业委会 ("489个小区已组建'红色业委会'"): owners' committees of 5 members; estate org
    # members take posts on them ("党支部委员与业委会成员'交叉任职'"): three on 7 committees
    # (a Party majority: red), one on the other 3; the estate secretary chairs 2 of them
    # ("91名小区党组织书记兼任了业委会主任": 一肩挑)
    for i in range(10):
        first = f"LYM{4 * i + 1:04d}"
        links.append(_link(first, f"LY-PE{i}", "cross_post", "2018-05-01", "secretary"))
        links.append(_link(first, f"LY-OC{i}", "cross_post", "2018-09-01",
                           "owners_chair" if i < 2 else None))
        if i < 7:
            links += [_link(f"LYM{4 * i + j:04d}", f"LY-OC{i}", "cross_post", "2018-09-01")
                      for j in (2, 3)]
    # 890 agreements → 12 here (resident units with communities); 2,770 projects → 35
    links += [_link(f"LY-PU{i}", f"LY-PC{i % 4}", "agreement", "2018-03-01") for i in range(12)]
    projects, part = [], []
    for p in range(35):
        done = p < 32  # 2,533 / 2,770 = 91.4% completed; 32 / 35 = 91.4%
        projects.append({"id": f"LY-J{p}", "name": f"小区共建项目{p + 1}(示例)",
                         "kind": "project", "status": "completed" if done else "running",
                         "start": "2018-07-01", "end": "2019-06-30" if done else None,
                         "lead_id": f"LY-U{p % 12}"})
        part += [{"project_id": f"LY-J{p}", "participant_id": f"LY-U{p % 12}", "role": "lead"},
                 {"project_id": f"LY-J{p}", "participant_id": f"LY-PE{p % 40}",
                  "role": "partner"}]
    return {"regions": regions, "units": units, "orgs": orgs, "members": members,
            "links": links, "projects": projects, "participation": part}


# ----------------------------------------------------------------------------- Chaonan
def chaonan() -> dict[str, list[dict]]:
    """党建共同体 across domains, levels, regions and industries, with the bodies and members
    the report names; need / resource / project lists claimed singly or by groups."""
    D = "440514000000"
    towns = {"440514103": "成田镇", "440514104": "司马浦镇", "440514109": "红场镇",
             "440514112": "陇田镇", "440514001": "峡山街道"}
    regions = [_region(D, "潮南区", "district")]
    regions += [_region(c + "000", n, "street", D) for c, n in towns.items()]
    places = {"简朴村": ("440514103", "village"), "田中央社区": ("440514103", "community"),
              "华西村": ("440514103", "village"), "华瑶社区": ("440514112", "community"),
              "东仙社区": ("440514112", "community"), "上底村": ("440514104", "village"),
              "大溪坝村": ("440514109", "village"), "大陂村": ("440514109", "village"),
              "虎白坟村": ("440514109", "village"), "审者村": ("440514109", "village")}
    pid = {}
    for i, (n, (t, lv)) in enumerate(places.items(), 1):
        pid[n] = f"{t}{200 + i:03d}"
        regions.append(_region(pid[n], n, lv, t + "000"))
    units = [_unit("CN-U1", "区交通运输局", "agency", "440514001000", tier="district"),
             _unit("CN-U2", "广东中人集团建设有限公司陈沙大道改建工程项目部", "private",
                   "440514001000", industry="建筑业"),
             _unit("CN-U3", "区教育局", "agency", "440514001000", tier="district"),
             _unit("CN-U4", "司马浦镇小学教育系统(示例:镇小教系统)", "institution",
                   "440514104000", tier="street", industry="教育"),
             _unit("CN-U5", "成田镇商会", "social", "440514103000", industry="商会"),
             _unit("CN-U6", "成田镇袜业协会", "social", "440514103000", industry="袜业"),
             _unit("CN-U7", "成田镇示例袜业有限公司", "private", "440514103000",
                   industry="袜业"),
             _unit("CN-U8", "上底村小学", "institution", pid["上底村"], tier="community",
                   industry="教育")]
    units += [_unit(f"CN-V{i}", f"{n}{'村民委员会' if lv == 'village' else '居民委员会'}",
                    lv, pid[n], tier="community") for i, (n, (_, lv)) in
              enumerate(places.items())]
    orgs = [_org("CN-P0", "中共潮南区委", "committee", region=D),
            _org("CN-P1", "区交通运输局机关第一党支部", "branch", unit="CN-U1"),
            _org("CN-P2", "陈沙大道改建工程项目部党支部", "branch", unit="CN-U2"),
            _org("CN-P3", "区教育局机关党支部", "branch", unit="CN-U3"),
            _org("CN-P4", "司马浦镇党委", "committee", "CN-P0", region="440514104000"),
            _org("CN-P5", "成田镇社会组织联合会党总支部", "general_branch", region="440514103000"),
            _org("CN-P6", "成田镇示例袜业有限公司党支部", "branch", unit="CN-U7"),
            _org("CN-P7", "司马浦镇小教系统党支部(示例)", "branch", "CN-P4", unit="CN-U4")]
    vorg = {}
    for i, n in enumerate(places):
        vorg[n] = f"CN-PV{i}"
        kind = "general_branch" if n == "上底村" else "committee"
        name = "上底村党总支" if n == "上底村" else f"{n}党委(示例类别)"
        orgs.append(_org(vorg[n], name, kind, unit=f"CN-V{i}"))
    bodies = [("CN-B1", "交通运输党建共同体", "440514001000",
               ["CN-P1", "CN-P2"]),                                # 跨领域
              ("CN-B2", "司马浦教育党建共同体", "440514104000",
               ["CN-P4", "CN-P3", "CN-P7", vorg["上底村"]]),          # 跨层级
              ("CN-B3", "成田陇田新农村连片示范党建共同体", "440514103000",
               [vorg[n] for n in ("简朴村", "田中央社区", "华西村", "华瑶社区", "东仙社区")]),
              ("CN-B4", "大溪坝村红色美丽乡村党建共同体", "440514109000",
               [vorg[n] for n in ("大溪坝村", "大陂村", "虎白坟村", "审者村")]),
              ("CN-B5", "成田镇民营经济党建联盟", "440514103000",
               ["CN-P5", "CN-U5", "CN-U6", "CN-P6"])]               # 跨行业
    links = []
    for bid, name, reg, mem in bodies:
        orgs.append(_org(bid, name, "body", "CN-P0", region=reg))
        links += [_link(m, bid, "body", "2021-03-01") for m in mem]
    # "每个区直机关企事业单位至少与1个村(社区)党组织联建共建": the transport bureau pairs
    # with 华西村
    # (the education bureau co-builds with 上底村 in its body)
    links.append(_link("CN-P1", vorg["华西村"], "pair", "2021-03-01"))
    # 双报到 of the district units' orgs with the villages they co-build with ("全区共有50多个区直
    # 机关单位到基层开展'双报到'活动"); the town school system's branch has not registered
    links += [_link("CN-P1", vorg["华西村"], "registration", "2021-04-01"),
              _link("CN-P3", vorg["上底村"], "registration", "2021-04-01")]
    # 双报到: district agencies' members register with the co-building orgs
    members = [{"id": f"CNM{i:02d}", "org_id": ["CN-P1", "CN-P3"][i % 2], "status": "formal",
                "category": "in_service", "unit_id": ["CN-U1", "CN-U3"][i % 2],
                "residence_id": pid["上底村"] if i % 2 else "440514001000"}
               for i in range(1, 13)]
    links += [_link(m["id"], vorg["上底村"] if i % 2 else "CN-P2", "registration",
                    "2021-04-01") for i, m in enumerate(members, 1)]
    # 三清单: needs, resources and projects claimed singly (认领) or by groups (组团认领)
    # "认领服务项目566个,解决问题653个": needs claimed by the bodies and closed (办结), scaled:
    # 6 solved, 1 claimed and in hand, 1 open
    def need(i, req, cat, name, prio, body=None, closed=None, score=None):
        row = {"id": f"CN-D{i}", "requester_id": req, "category": cat, "name": name,
               "priority": prio, "status": "open"}
        if body:
            row.update(status="closed" if closed else "claimed", claimed_by=body)
        if closed:
            row.update(closed=closed, satisfaction=score)
        return row

    demands = [need(1, "CN-U8", "funds", "上底村小学提档升级", 5, "CN-B2", "2021-12-31", 5),
               need(2, "CN-V6", "expertise", "红色美丽乡村规划(示例)", 4, "CN-B4"),
               need(3, "CN-U7", "training", "企业党员培训(示例)", 3, "CN-B5", "2021-10-01", 4),
               need(4, "CN-V0", "funds", "村道硬化(示例)", 4, "CN-B3", "2021-09-30", 4),
               need(5, "CN-V3", "expertise", "农产品销售对接(示例)", 3, "CN-B3", "2021-11-15", 5),
               need(6, "CN-U2", "expertise", "交通安全宣传(示例)", 3, "CN-B1", "2021-08-01", 4),
               need(7, "CN-V7", "volunteer", "困难户帮扶(示例)", 4, "CN-B4", "2021-12-20", 5),
               need(8, "CN-U8", "training", "校园安全培训(示例)", 3)]
    resources = [{"id": "CN-S1", "owner_id": "CN-U3", "category": "funds",
                  "name": "教育资源统筹(示例)", "quantity": 1},
                 {"id": "CN-S2", "owner_id": "CN-U1", "category": "expertise",
                  "name": "交通规划专业力量(示例)", "quantity": 1},
                 {"id": "CN-S3", "owner_id": "CN-U5", "category": "training",
                  "name": "商会培训(示例)", "quantity": 2}]
    projects = [{"id": "CN-J1", "name": "上底村小学提档升级", "kind": "project",
                 "status": "completed", "start": "2021-03-01", "end": "2021-12-31",
                 "lead_id": "CN-U3"},
                {"id": "CN-J2", "name": "陈沙大道改建工程联建(示例)", "kind": "project",
                 "status": "running", "start": "2021-03-01", "end": None, "lead_id": "CN-U1"},
                {"id": "CN-J3", "name": "扶贫车间(示例)", "kind": "service",
                 "status": "completed", "start": "2021-05-01", "end": "2021-11-30",
                 "lead_id": "CN-U5"},
                {"id": "CN-J4", "name": "爱心驿站(示例)", "kind": "service",
                 "status": "planned", "start": "2022-01-01", "end": None, "lead_id": "CN-U7"}]
    # service projects claimed singly (单个认领): with J1 and J3 (组团认领), 5 claimed projects
    projects += [{"id": f"CN-J{k}", "name": n, "kind": "service", "status": "completed",
                  "start": "2021-06-01", "end": "2021-12-31", "lead_id": None}
                 for k, n in ((5, "交通安全进村(示例)"), (6, "送教下乡(示例)"),
                              (7, "商会助学(示例)"))]
    # 轮值召集人: "设置轮值召集人,定期召集" — the 成田陇田 body meets quarterly, convened in turn by
    # its villages and communities; the other bodies meet twice a year
    for q, mon in enumerate((3, 6, 9, 12), 1):
        projects.append({"id": f"CN-M3{q}", "name": f"成田陇田连片示范党建共同体联席会议{q}",
                         "kind": "meeting", "status": "completed", "start": f"2021-{mon:02d}-15",
                         "end": f"2021-{mon:02d}-15", "lead_id": "CN-B3"})
    for b in ("CN-B1", "CN-B2", "CN-B4", "CN-B5"):
        projects += [{"id": f"CN-M{b[-1]}{h}", "name": f"党建共同体联席会议(示例){h}",
                      "kind": "meeting", "status": "completed", "start": f"2021-{mon:02d}-20",
                      "end": f"2021-{mon:02d}-20", "lead_id": b}
                     for h, mon in ((1, 6), (2, 12))]
    part = [{"project_id": "CN-J1", "participant_id": "CN-U3", "role": "claimant"},
            {"project_id": "CN-J1", "participant_id": "CN-P4", "role": "claimant"},
            {"project_id": "CN-J1", "participant_id": "CN-U8", "role": "partner"},
            {"project_id": "CN-J2", "participant_id": "CN-U1", "role": "lead"},
            {"project_id": "CN-J2", "participant_id": "CN-U2", "role": "partner"},
            {"project_id": "CN-J3", "participant_id": "CN-U5", "role": "claimant"},
            {"project_id": "CN-J3", "participant_id": "CN-U6", "role": "claimant"},
            {"project_id": "CN-J3", "participant_id": "CN-U7", "role": "claimant"},
            {"project_id": "CN-J4", "participant_id": "CN-U7", "role": "lead"},
            {"project_id": "CN-J5", "participant_id": "CN-U1", "role": "claimant"},
            {"project_id": "CN-J6", "participant_id": "CN-U3", "role": "claimant"},
            {"project_id": "CN-J7", "participant_id": "CN-U5", "role": "claimant"}]
    part += [{"project_id": f"CN-M3{q}", "participant_id": vorg[who], "role": "lead"}
             for q, who in enumerate(("简朴村", "田中央社区", "华西村", "华瑶社区"), 1)]
    return {"regions": regions, "units": units, "orgs": orgs, "members": members,
            "links": links, "projects": projects, "participation": part,
            "resources": resources, "demands": demands}


# ----------------------------------------------------------------------------- Shanghai
def shanghai() -> dict[str, list[dict]]:
    """The "1+3" street structure: 社区(街道)党工委 over 行政党组, 综合党委 and 居民区党委; a
    street with many resident units of which about 3 sit on the working committee; one-way
    service and alliances without projects (the report's criticisms)."""
    D, S = "310104000000", "310104003000"
    regions = [_region(D, "徐汇区", "district"), _region(S, "天平路街道", "street", D)]
    comms = [f"310104003{k:03d}" for k in range(1, 6)]
    regions += [_region(c, f"示例居民区{k}", "community", S) for k, c in enumerate(comms, 1)]
    units = [_unit("SH-S", "天平路街道办事处", "agency", S, tier="street")]
    units += [_unit(f"SH-C{k}", f"示例居民区{k + 1}居委会", "community", c, tier="community")
              for k, c in enumerate(comms)]
    kinds = ["soe", "institution", "private", "private", "social", "agency", "private"]
    units += [_unit(f"SH-U{i}", f"驻区单位{i}(示例)", kinds[i % 7], comms[i % 5],
                    tier="city" if kinds[i % 7] in ("soe", "agency") else None)
              for i in range(60)]
    orgs = [_org("SH-P0", "中共徐汇区委", "committee", region=D),
            _org("SH-PW", "天平路街道党工委", "working_committee", "SH-P0", region=S),
            _org("SH-PA", "天平路街道行政党组", "committee", "SH-PW", unit="SH-S"),
            _org("SH-PZ", "天平路街道综合党委", "committee", "SH-PW", region=S),
            _org("SH-PJ", "天平路街道居民区党委", "committee", "SH-PW", region=S)]
    orgs += [_org(f"SH-PC{k}", f"示例居民区{k + 1}党总支", "general_branch", "SH-PJ",
                  unit=f"SH-C{k}") for k in range(5)]
    orgs += [_org(f"SH-PU{i}", f"驻区单位{i}党组织", "branch", "SH-PZ", unit=f"SH-U{i}")
             for i in range(60) if i % 3]
    orgs.append(_org("SH-B1", "天平路街道区域化党建联席会议", "body", "SH-PW", region=S))
    # "党工委仅吸纳3名左右的驻区单位党组织负责人进入党工委班子" against "成百上千" resident units:
    # 3 part-time seats (兼职委员) for the 66 units of the street
    links = [_link(f"SH-PU{i}", "SH-PW", "council", "2010-01-01", "part_time")
             for i in (1, 2, 4)]
    links += [_link(f"SH-PU{i}", "SH-B1", "body", "2010-05-01") for i in (1, 2, 4, 5, 7)]
    # the street and district push: services flow one way, from resident units to residents
    links += [_link(f"SH-U{i}", f"SH-C{i % 5}", "service", "2010-06-01") for i in range(0, 12)]
    links += [_link("SH-PW", f"SH-PU{i}", "service", "2010-06-01") for i in range(1, 40)
              if i % 3]
    # 世博: "要求驻区单位党组织在世博期间主动到所在社区(街道)…党组织联系" — 4 unit orgs register
    links += [_link(f"SH-PU{i}", f"SH-PC{i % 5}", "registration", "2010-04-01")
              for i in (1, 2, 4, 5)]
    projects = [{"id": "SH-J1", "name": "迎世博在职党员报到", "kind": "activity",
                 "status": "completed", "start": "2010-03-01", "end": "2010-10-31",
                 "lead_id": "SH-S"}]
    # 停摆: "区域化党建组织就有可能'停摆'" — the joint meeting met in the first quarter, then not
    projects += [{"id": f"SH-M{m}", "name": f"区域化党建联席会议{m}月", "kind": "meeting",
                  "status": "completed", "start": f"2010-{m:02d}-15", "end": f"2010-{m:02d}-15",
                  "lead_id": "SH-B1"} for m in (1, 2, 3)]
    part = [{"project_id": "SH-J1", "participant_id": p, "role": "lead" if p == "SH-S"
             else "partner"} for p in ("SH-S", "SH-C0", "SH-C1")]
    members = [{"id": f"SHM{i:02d}", "org_id": f"SH-PU{[1, 2, 4, 5][i % 4]}",
                "status": "formal", "category": "in_service",
                "unit_id": f"SH-U{[1, 2, 4, 5][i % 4]}", "residence_id": comms[i % 5]}
               for i in range(20)]
    links += [_link(m["id"], f"SH-PC{i % 5}", "registration", "2010-04-01")
              for i, m in enumerate(members) if i % 2]
    return {"regions": regions, "units": units, "orgs": orgs, "members": members,
            "links": links, "projects": projects, "participation": part}


CASES = {"jiangbei": jiangbei, "yongan": yongan, "longyan": longyan, "chaonan": chaonan,
         "shanghai": shanghai}

if __name__ == "__main__":
    for name, build in CASES.items():
        _write(name, build())
        print(name)
