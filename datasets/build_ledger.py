"""Build datasets/jiangbei_ledger/江北台账.xlsx: the Jiangbei case written as a district's
ledgers are (台账): units and orgs with 序号 and names but no ids, every reference given by
name (a region by name, or by its path where the name alone is ambiguous), members with
their pseudonymous ids. Reading it gives the network of datasets/jiangbei (a test).

    python datasets/build_ledger.py
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import partygraph as pg

HERE = Path(__file__).resolve().parent


def main() -> Path:
    net = pg.read_dataset(HERE / "jiangbei")
    t = {k: v.copy() for k, v in net.tables.items()}
    names = {}
    for tab in ("units", "orgs"):
        df = t[tab]
        assert not df["name"].duplicated().any(), tab  # a ledger's names must be unique
        names.update(dict(zip(df["id"], df["name"], strict=True)))
    r = t["regions"]
    rnames = dict(zip(r["id"], r["name"], strict=True))

    def name(s: pd.Series, regions: bool = False) -> pd.Series:
        m = s.map(rnames if regions else names)
        return m.where(m.notna(), s)

    sheets = {}
    sheets["区域"] = r.rename(columns={"id": "区域编码", "name": "名称", "level": "层级",
                                     "parent_id": "上级编码"})[
        ["区域编码", "名称", "层级", "上级编码"]]
    u = t["units"]
    sheets["单位"] = pd.DataFrame({
        "序号": range(1, len(u) + 1), "单位名称": u["name"], "单位类型": u["kind"],
        "所在区域": name(u["region_id"], True), "行政层级": u["tier"],
        "党员数": u["party_members"]})
    o = t["orgs"]
    sheets["党组织"] = pd.DataFrame({
        "序号": range(1, len(o) + 1), "党组织名称": o["name"], "党组织类别": o["kind"],
        "所在单位": name(o["unit_id"]), "所在区域": name(o["region_id"], True)
        .where(o["unit_id"].isna()), "上级党组织": name(o["parent_id"])})
    m = t["members"]
    sheets["党员"] = pd.DataFrame({
        "党员编号": m["id"], "所在党组织": name(m["org_id"]), "党员类别": m["status"],
        "人员类别": m["category"], "工作单位": name(m["unit_id"]),
        "居住区域": name(m["residence_id"], True)})
    lk = t["links"]
    sheets["关系"] = pd.DataFrame({"源": name(lk["source"]), "目标": name(lk["target"]),
                                 "关系类型": lk["kind"], "开始日期": lk["start"]})
    p = t["projects"]
    sheets["项目"] = p.assign(lead_id=name(p["lead_id"]))[
        ["id", "name", "kind", "status", "start", "end", "lead_id"]]
    pa = t["participation"]
    sheets["参与"] = pd.DataFrame({"项目编号": pa["project_id"],
                                 "参与方": name(pa["participant_id"]), "角色": pa["role"]})
    for key, zh in (("resources", "资源清单"), ("demands", "需求清单")):
        if key in t:
            df = t[key].copy()
            who = "owner_id" if key == "resources" else "requester_id"
            df[who] = name(df[who])
            sheets[zh] = df
    out = HERE / "jiangbei_ledger" / "江北台账.xlsx"
    pg.write_xlsx(out, sheets, notes={k: f"江北区区域化党建台账(示例) · {k}" for k in sheets})
    return out


if __name__ == "__main__":
    print(main())
