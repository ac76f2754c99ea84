"""The co-building practices the source reports set as norms, measured as coverage rules.

Each practice gives, over the units, regions or members it concerns, who is in scope and who
meets it; :mod:`partygraph.coverage` turns these into gaps (when the rule is switched on in the
rule set) and rates (always, when anything is in scope). The rules, with the choices the
reports leave open written down:

- ``unit_org_not_registered`` (驻区单位党组织报到, the unit half of 双报到: Shanghai;
  Chaonan's 50 district units): a unit of a kind in ``registering_unit_kinds`` (default agencies,
  institutions, state firms: 机关企事业单位) with a standing org of its own, whose org (or the
  unit) has no active ``registration`` link to a standing org of the community or village
  where the unit sits (a unit sitting in no community — directly in a street or a district —
  reports to any community or village org: Chaonan's district units report to the villages
  they co-build with).
- ``district_unit_unpaired`` (区直单位联建, Chaonan: "每个区直机关企事业单位至少与
  1个村(社区)党组织联建共建"): a unit with tier ``district`` of a kind in
  ``district_unit_kinds`` with no horizontal tie in the window (any kind) to a village or
  community: a community or village committee unit, or an org built over a community or
  village.
- ``estate_groups_without_branch`` (三三制, Jiangbei: "3个以上党小组楼群建立党支部"): an estate with
  ≥ ``estate_min_groups`` standing party groups over it or its buildings and no standing
  branch-level org (``branch``, ``general_branch``, ``joint_branch``, ``compound``,
  ``committee``, ``temporary``) built over the estate or one of its buildings (a 楼群党支部).
- ``estate_trinity_incomplete`` (三位一体, Jiangbei): an estate with an owners' committee or a
  property company sitting in it that lacks any of the five parts — an org over or covering
  the estate, an owners' committee, a property company, a Party member holding a post
  (``cross_post``) in the owners' committee, one in the property company.
- ``owners_committee_not_red`` (红色业委会, Longyan; contract v2): an owners' committee without a
  standing org of its own and without a majority of Party members. Its Party members are the
  members working there or holding an active ``cross_post`` in it (its ``party_members`` count
  when no member record names it); its size is its ``employees`` count. With no size known,
  only an org of its own makes it red.
- ``member_not_in_estate`` (回小区报到, Longyan: "'在职党员回社区报到'的升级版'在职党员回
  小区报到'"): an in-service member living in an estate (residence known at estate level or
  below) with no active ``registration`` link to a standing org built over that estate (or
  a building of it) or covering it.

Joint organisation (联合组建率): of the units with members covered by an org, those covered
only through a joint or compound org; of the estates with an org, those covered only by a
joint cover (no org over the estate itself).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import arrays
from .labels import TRINITY_PARTS

if TYPE_CHECKING:
    from .coverage import _Facts

#: Org kinds that make a 楼群党支部 when built over an estate or a building.
BRANCH_LEVEL_KINDS = ("branch", "general_branch", "joint_branch", "compound", "committee",
                      "temporary")


def _community(net, region_ids: pd.Series) -> pd.Series:
    comm = net.ancestor(region_ids, "community")
    return comm.where(comm.notna(), net.ancestor(region_ids, "village"))


def _link_mask(f: _Facts, kind: str) -> np.ndarray:
    lk = f.links
    if lk is None or not len(lk):
        return np.zeros(0, dtype=bool)
    return f.link_active & (lk["kind"] == kind).to_numpy(dtype=bool)


def _target_orgs_standing(f: _Facts, sel: np.ndarray) -> np.ndarray:
    """Positions in ``orgs`` of the targets of the selected links (-1: not a standing org)."""
    tgt = arrays.index_of(f.links["target"][sel], f.orgs["id"])
    ok = tgt >= 0
    ok[ok] = f.org_standing[tgt[ok]]
    return np.where(ok, tgt, -1)


def _unit_of(f: _Facts, ids: pd.Series) -> np.ndarray:
    """Unit position of each id: a unit, or an org built in a unit (-1 otherwise)."""
    u, o = f.units, f.orgs
    pos = arrays.index_of(ids, u["id"])
    op = arrays.index_of(ids, o["id"])
    via = (pos < 0) & (op >= 0)
    pos[via] = arrays.index_of(o["unit_id"].iloc[op[via]], u["id"])
    return pos


def unit_org_registration(f: _Facts) -> tuple[np.ndarray, np.ndarray]:
    """(in scope, registered) over units: 驻区单位党组织报到."""
    net, u = f.net, f.units
    nu = len(u)
    scope = u["kind"].isin(list(f.rules.registering_unit_kinds)).to_numpy(dtype=bool)
    scope = scope & f.unit_has_org
    done = np.zeros(nu, dtype=bool)
    sel = _link_mask(f, "registration")
    if not net.has("regions") or not sel.any():
        return scope, done
    src = _unit_of(f, f.links["source"][sel])
    tgt = _target_orgs_standing(f, sel)
    ok = (src >= 0) & (tgt >= 0)
    org_region = net.region_of("orgs")
    t_comm = _community(net, org_region).to_numpy(dtype=object)[tgt[ok]]
    u_comm = _community(net, u["region_id"]).to_numpy(dtype=object)[src[ok]]
    same = pd.Series(t_comm, dtype="str").eq(pd.Series(u_comm, dtype="str")).fillna(False)
    # a unit that sits in no community reports to the community or village it co-builds with
    no_home = pd.isna(pd.Series(u_comm, dtype="str")) & pd.notna(pd.Series(t_comm, dtype="str"))
    hit = (same | no_home).to_numpy(dtype=bool)
    done[src[ok][hit]] = True
    return scope, scope & done


def district_unit_pairing(f: _Facts) -> tuple[np.ndarray, np.ndarray]:
    """(in scope, paired) over units: 区直单位与村(社区)联建共建."""
    from .ties import actors, horizontal_ties

    net, u = f.net, f.units
    nu = len(u)
    tier = u["tier"] if "tier" in u.columns else pd.Series(pd.NA, index=u.index, dtype="str")
    scope = (tier == "district").fillna(False).to_numpy(dtype=bool)
    scope = scope & u["kind"].isin(list(f.rules.district_unit_kinds)).to_numpy(dtype=bool)
    paired = np.zeros(nu, dtype=bool)
    if not scope.any():
        return scope, paired
    act = actors(net)
    fr = act.frame
    grassroots = np.zeros(len(fr), dtype=bool)
    grassroots[:nu] = u["kind"].isin(["community", "village"]).to_numpy(dtype=bool)
    if net.has("regions"):
        rf = net.regions_frame
        level = pd.Series(rf["level"].to_numpy(dtype=object), index=rf["id"].to_numpy())
        lv = fr["region_id"].map(level).to_numpy(dtype=object)
        grassroots[nu:] = np.isin(lv[nu:], ["community", "village"])
    t = horizontal_ties(net, f.window)
    a, b = t["a"].to_numpy(), t["b"].to_numpy()
    for x, y in ((a, b), (b, a)):
        hit = (x < nu) & grassroots[y]
        paired[x[hit]] = True
    return scope, scope & paired


def _estate_of(net, region_ids: pd.Series) -> pd.Series:
    return net.ancestor(region_ids, "estate")


def estate_group_branch(f: _Facts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(in scope, has a branch, groups) over regions: estates with ≥ N groups (三三制)."""
    net, o = f.net, f.orgs
    rf = net.regions_frame
    est = _estate_of(net, net.region_of("orgs"))
    pos = arrays.index_of(est, rf["id"])
    kind = o["kind"].to_numpy(dtype=object)
    over = o["unit_id"].isna().to_numpy()
    g = f.org_standing & (kind == "group") & (pos >= 0)
    groups = np.bincount(pos[g], minlength=len(rf))
    b = f.org_standing & over & np.isin(kind, BRANCH_LEVEL_KINDS) & (pos >= 0)
    branch = np.bincount(pos[b], minlength=len(rf)) > 0
    scope = groups >= f.rules.estate_min_groups
    return scope, scope & branch, groups


def _posts_in(f: _Facts, unit_mask: np.ndarray) -> np.ndarray:
    """Over units: distinct members holding an active cross_post in the unit (or an org
    built in it), or working there."""
    u = f.units
    pairs = [pd.DataFrame({"u": np.zeros(0, np.int64), "m": pd.Series([], dtype="str")})]
    sel = _link_mask(f, "cross_post")
    if sel.any():
        tu = _unit_of(f, f.links["target"][sel])
        ok = tu >= 0
        pairs.append(pd.DataFrame({"u": tu[ok], "m": f.links["source"][sel][ok].to_numpy()}))
    m = f.members
    if m is not None and len(m):
        mu = arrays.index_of(m["unit_id"], u["id"])
        ok = mu >= 0
        pairs.append(pd.DataFrame({"u": mu[ok], "m": m["id"][ok].to_numpy()}))
    d = pd.concat(pairs, ignore_index=True)
    d = d[unit_mask[d["u"].to_numpy()]].drop_duplicates()
    return np.bincount(d["u"].to_numpy(dtype=np.int64), minlength=len(u))


def red_owners_committees(f: _Facts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(owners' committees, red, Party members in each) over units: 红色业委会."""
    u = f.units
    oc = (u["kind"] == "owners_committee").to_numpy(dtype=bool)
    party = _posts_in(f, oc).astype(float)
    named = party > 0
    count = f.unit_count
    party = np.where(~named & ~np.isnan(count), np.nan_to_num(count), party)
    size = (u["employees"].to_numpy(dtype="float64", na_value=np.nan)
            if "employees" in u.columns else np.full(len(u), np.nan))
    majority = ~np.isnan(size) & (size > 0) & (party > size / 2)
    return oc, oc & (f.unit_has_org | majority), party


def estate_trinity(f: _Facts, covered: np.ndarray) -> tuple[np.ndarray, np.ndarray, list]:
    """(in scope, complete, missing parts) over regions: 三位一体 per estate.

    ``covered``: over regions, an org over the estate or covering it.
    """
    net, u = f.net, f.units
    rf = net.regions_frame
    n = len(rf)
    upos = arrays.index_of(_estate_of(net, u["region_id"]), rf["id"])
    kind = u["kind"].to_numpy(dtype=object)
    parts = {}
    for k in ("owners_committee", "property_company"):
        mask = (kind == k) & (upos >= 0)
        parts[k] = np.bincount(upos[mask], minlength=n) > 0
        posts = _posts_in(f, kind == k) > 0
        # a post counts when it is a Party member's: posts held, not workers (the members
        # table's work unit is a post there too)
        parts[k + "_post"] = np.bincount(upos[mask & posts], minlength=n) > 0
    is_est = (rf["level"] == "estate").to_numpy(dtype=bool)
    scope = is_est & (parts["owners_committee"] | parts["property_company"])
    have = [covered, parts["owners_committee"], parts["property_company"],
            parts["owners_committee_post"], parts["property_company_post"]]
    names = list(TRINITY_PARTS.values())
    complete = scope.copy()
    for h in have:
        complete &= h
    missing = [[names[j] for j, h in enumerate(have) if not h[i]] for i in np.flatnonzero(
        scope & ~complete)]
    return scope, complete, missing


def estate_registration(f: _Facts) -> tuple[np.ndarray, np.ndarray]:
    """(in scope, registered) over members: 在职党员回小区报到."""
    net, m = f.net, f.members
    n = len(m)
    est = _estate_of(net, m["residence_id"])
    scope = (m["category"] == "in_service").to_numpy(dtype=bool) & est.notna().to_numpy()
    done = np.zeros(n, dtype=bool)
    sel = _link_mask(f, "registration")
    if not sel.any():
        return scope, done
    src = arrays.index_of(f.links["source"][sel], m["id"])
    tgt = _target_orgs_standing(f, sel)
    ok = (src >= 0) & (tgt >= 0)
    org_est = _estate_of(net, net.region_of("orgs")).to_numpy(dtype=object)[tgt[ok]]
    home = est.to_numpy(dtype=object)[src[ok]]
    hit = np.array(pd.Series(org_est, dtype="str").eq(pd.Series(home, dtype="str")).fillna(
        False), dtype=bool)
    # or the org covers the member's estate (a joint estate org)
    cov = _link_mask(f, "covers")
    if cov.any():
        pairs = pd.DataFrame({"org": f.links["source"][cov].to_numpy(),
                              "est": f.links["target"][cov].to_numpy()})
        tid = f.orgs["id"].to_numpy(dtype=object)[tgt[ok]]
        reg = pd.DataFrame({"i": np.flatnonzero(~hit), "org": tid[~hit], "est": home[~hit]})
        both = reg.merge(pairs.drop_duplicates(), on=["org", "est"])
        hit[both["i"].to_numpy(dtype=np.int64)] = True
    done[src[ok][hit]] = True
    return scope, scope & done
