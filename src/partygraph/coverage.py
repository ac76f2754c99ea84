"""Coverage (两个覆盖): every gap, every rate, with rules a district can set.

The rules are the data contract's; each is switchable and its numbers settable through a
:class:`CoverageRules` object (presets ``national``, ``longyan``, ``jiangbei``). Everything is
computed with integer positions and ``numpy.bincount`` over the tables, never a loop per row.

Definitions (the contract's, with the choices it leaves open written down):

- ``unit_without_org``: a unit with ≥ ``min_formal_for_org`` (3) formal members working there
  and no standing org of its own (an org, not a ``body``, whose ``unit_id`` is the unit).
- ``unit_not_covered``: a unit with ≥ 1 member (probationary members count) but fewer formal
  members than that, no org of its own, and no ``covers`` link active in the window from a
  standing ``joint_branch`` or ``compound`` org to the unit.
- ``no_work_coverage``: a unit of a kind in ``work_coverage_kinds`` (private, social) with no
  org of its own, no member, no active ``covers`` link, no active ``instructor`` link, no
  union and no youth-league organisation (contract version 2: a unit with its own org is
  never a work-coverage gap).
- ``community_without_org``: a community or village with no standing org built over the
  community itself, no standing org built in a community or village committee unit sitting
  in it, and no active ``covers`` link to it from a standing joint or compound org. Only orgs
  of a kind in ``community_org_kinds`` count (default: every kind but ``group`` — a 党小组 is
  not a grassroots organisation — and ``body``); an org over an estate, building or grid
  inside the community does not count.
- ``member_unattached``: a member whose ``org_id`` is empty, unknown or not standing.
- ``mobile_unmanaged``: a ``mobile`` member with no ``inflow`` link active in the window.
- optional ``estate_without_org`` (Longyan): an estate with ≥ ``estate_min_formal`` formal
  members living in it (or a building in it) and no standing org over it and no active
  ``covers`` link to it from a standing joint or compound org.
- optional ``building_without_group`` (Jiangbei): a building with ≥ ``building_min_members``
  members living in it and no standing ``group`` over it.
- optional ``branch_oversize``: an org of a kind in ``branch_kinds`` with more than
  ``branch_max_members`` members (20 in Jiangbei, 50 by the national rule).
- optional ``member_not_registered``: an in-service member whose residence is known, with no
  active ``registration`` link to a standing org of the community (or village) they live in
  (an org over the community or a place inside it, or in a unit sitting there).

Member counts come from member records; for a unit that no member record names, the
``party_members`` count is used instead (taken as formal members). Orgs "stand" at the end
of the analysis window (see :meth:`CoBuildingNetwork.orgs_standing`; with an open end, an org
with a dissolution date does not stand); links count when active at some time in the window,
and a link made by an org — ``covers`` and ``instructor`` from it, ``inflow`` and
``registration`` to it — counts for no rule when that org does not stand (a dissolved org
covers, instructs and manages nothing).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import arrays, practices
from .errors import PartygraphError, UsageError, check_choice
from .labels import RATE_TEXT, RULE_TEXT, deprecated_lang
from .network import CoBuildingNetwork
from .results import record
from .schema import LEVEL_ORDER

__all__ = [
    "PRESETS",
    "CoverageRules",
    "count_discrepancies",
    "coverage_gaps",
    "coverage_rates",
    "member_view",
]


@dataclass(frozen=True)
class CoverageRules:
    """Which coverage rules apply, with their numbers.

    Build one from a preset and change fields: ``CoverageRules.preset("jiangbei")
    .replace(branch_max_members=25)``, or read a JSON/YAML file with :meth:`from_file`.

    >>> CoverageRules.preset("jiangbei").branch_max_members
    20
    >>> CoverageRules().replace(min_formal_for_org=5).min_formal_for_org
    5
    """

    name: str = "national"
    unit_without_org: bool = True
    min_formal_for_org: int = 3
    unit_not_covered: bool = True
    no_work_coverage: bool = True
    work_coverage_kinds: tuple[str, ...] = ("private", "social")
    community_without_org: bool = True
    community_org_kinds: tuple[str, ...] = ("committee", "general_branch", "branch",
                                            "working_committee", "joint_branch", "compound",
                                            "temporary")
    member_unattached: bool = True
    mobile_unmanaged: bool = True
    estate_without_org: bool = False
    estate_min_formal: int = 3
    building_without_group: bool = False
    building_min_members: int = 3
    branch_oversize: bool = False
    branch_max_members: int = 50
    branch_kinds: tuple[str, ...] = ("branch", "joint_branch")
    member_not_registered: bool = False
    member_not_in_estate: bool = False
    unit_org_not_registered: bool = False
    registering_unit_kinds: tuple[str, ...] = ("agency", "institution", "soe")
    district_unit_unpaired: bool = False
    district_unit_kinds: tuple[str, ...] = ("agency", "institution", "soe")
    estate_groups_without_branch: bool = False
    estate_min_groups: int = 3
    estate_trinity_incomplete: bool = False
    owners_committee_not_red: bool = False

    def replace(self, **changes: object) -> CoverageRules:
        """A copy with some fields changed (unknown fields raise ``TypeError``)."""
        for k in ("work_coverage_kinds", "branch_kinds", "community_org_kinds",
                  "registering_unit_kinds", "district_unit_kinds"):
            if k in changes and not isinstance(changes[k], tuple):
                changes[k] = tuple(changes[k])  # type: ignore[arg-type]
        return dataclasses.replace(self, **changes)

    @classmethod
    def preset(cls, name: str) -> CoverageRules:
        """A named rule set: ``national`` (default: the contract's rules only), or a case's
        own: ``jiangbei`` (building groups, branches of at most 20, registration, 三三制
        cluster branches, 三位一体), ``longyan`` (estates, 回小区报到, 红色业委会),
        ``chaonan`` (区直单位联建, 驻区单位党组织报到), ``yongan`` (registration) and
        ``shanghai`` (驻区单位党组织报到, registration)."""
        try:
            return PRESETS[name]
        except KeyError:
            raise UsageError(
                f"unknown rule preset {name!r}; use one of {sorted(PRESETS)} / 未知的规则预设"
            ) from None

    @classmethod
    def from_file(cls, path: str | Path) -> CoverageRules:
        """Read rules from JSON or YAML: ``{"base": "longyan", "estate_min_formal": 5}``."""
        p = Path(path)
        try:
            raw = p.read_bytes()
        except OSError as exc:
            raise UsageError(f"rules file {p}: cannot be read ({exc.strerror or exc}) / "
                             f"无法读取规则文件:{p}") from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("gb18030")  # saved by a Chinese editor as GBK
            except UnicodeDecodeError:
                raise UsageError(f"rules file {p.name}: not UTF-8 or GBK text / "
                                 "规则文件不是 UTF-8 或 GBK 文本") from None
        try:
            if p.suffix.lower() in (".yaml", ".yml"):
                import yaml

                data = yaml.safe_load(text) or {}
            else:
                data = json.loads(text)
        except Exception as exc:  # JSON or YAML syntax
            where = getattr(exc, "lineno", None) or getattr(
                getattr(exc, "problem_mark", None), "line", None)
            raise UsageError(f"rules file {p.name}: not valid "
                             f"{'YAML' if p.suffix.lower() in ('.yaml', '.yml') else 'JSON'}"
                             f"{f' (line {where})' if where else ''}: {exc} / 规则文件格式错误"
                             ) from None
        if not isinstance(data, dict):
            raise UsageError(f"{p.name}: expected a mapping of rule fields / 应为键值对")
        base = cls.preset(str(data.pop("base", data.get("name", "national"))))
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise UsageError(
                f"{p.name}: unknown rule field(s) {sorted(unknown)} / 未知的规则字段"
            )
        for f in dataclasses.fields(cls):
            if f.name not in data:
                continue
            v, want = data[f.name], type(getattr(base, f.name))
            ok = (isinstance(v, bool) if want is bool else
                  isinstance(v, int) and not isinstance(v, bool) and v >= 0 if want is int
                  else isinstance(v, str) if want is str
                  else isinstance(v, list | tuple) and all(isinstance(x, str) for x in v))
            if not ok:
                kind = {bool: "true/false", int: "a whole number ≥ 0", str: "text"}.get(
                    want, "a list of codes")
                raise UsageError(f"{p.name}: rule field {f.name!r} must be {kind}, not {v!r} "
                                 "/ 规则字段取值类型不对")
        return base.replace(**data)

    def to_dict(self) -> dict[str, object]:
        return {k: (list(v) if isinstance(v, tuple) else v)
                for k, v in dataclasses.asdict(self).items()}

    def enabled(self) -> list[str]:
        """The gap rules switched on, in the order gaps are listed."""
        return [r for r in RULE_TEXT if getattr(self, r)]


PRESETS: dict[str, CoverageRules] = {
    "national": CoverageRules(),
    "longyan": CoverageRules(name="longyan", estate_without_org=True,
                             member_not_in_estate=True, owners_committee_not_red=True),
    "jiangbei": CoverageRules(name="jiangbei", building_without_group=True,
                              branch_oversize=True, branch_max_members=20,
                              member_not_registered=True, estate_groups_without_branch=True,
                              estate_trinity_incomplete=True),
    "chaonan": CoverageRules(name="chaonan", district_unit_unpaired=True,
                             unit_org_not_registered=True),
    "yongan": CoverageRules(name="yongan", member_not_registered=True),
    "shanghai": CoverageRules(name="shanghai", unit_org_not_registered=True,
                              member_not_registered=True),
}

#: rule → (Chinese name, severity, action in English, action in Chinese)

_NOT_BODY = "body"
_JOINT_KINDS = ("joint_branch", "compound")


def _rules(rules: CoverageRules | str | Path | None) -> CoverageRules:
    """Rules from a preset's name, a rules file (.yaml, .yml, .json) or themselves."""
    if rules is None:
        return PRESETS["national"]
    if isinstance(rules, str | Path) and Path(str(rules)).suffix.lower() in (
            ".yaml", ".yml", ".json"):
        return CoverageRules.from_file(rules)
    if isinstance(rules, str):
        return CoverageRules.preset(rules)
    return rules


class _Facts:
    """Per-entity counts and flags shared by gaps and rates (integer positions throughout)."""

    def __init__(self, net: CoBuildingNetwork, rules: CoverageRules, window: object) -> None:
        self.net = net
        self.rules = rules
        self.window = net.resolve_window(window)
        t = net.tables
        u = t["units"]
        o = t["orgs"]
        self.units = u
        self.orgs = o
        nu = len(u)
        standing = net.orgs_standing(self.window)
        self.org_standing = standing
        not_body = (o["kind"] != _NOT_BODY).to_numpy(dtype=bool)
        # members per unit (records), formal members per unit
        m = t.get("members")
        self.members = m
        if m is not None and len(m):
            mu = arrays.index_of(m["unit_id"], u["id"])
            formal = (m["status"] == "formal").to_numpy(dtype=bool)
            rec_all = np.bincount(mu[mu >= 0], minlength=nu)
            rec_formal = np.bincount(mu[(mu >= 0) & formal], minlength=nu)
        else:
            rec_all = np.zeros(nu, dtype=np.int64)
            rec_formal = np.zeros(nu, dtype=np.int64)
        count = u["party_members"].to_numpy(dtype="float64", na_value=np.nan) if (
            "party_members" in u.columns) else np.full(nu, np.nan)
        use_count = (rec_all == 0) & ~np.isnan(count)
        self.unit_source = np.where(use_count, "count", np.where(rec_all > 0, "records", ""))
        self.unit_members = np.where(use_count, np.nan_to_num(count), rec_all).astype(np.int64)
        self.unit_formal = np.where(use_count, np.nan_to_num(count), rec_formal).astype(np.int64)
        self.unit_records = rec_all
        self.unit_count = count
        # own org
        ou = arrays.index_of(o["unit_id"], u["id"])
        own = (ou >= 0) & standing & not_body
        self.unit_has_org = np.bincount(ou[own], minlength=nu) > 0
        # links active in the window, by kind
        lk = t.get("links")
        self.unit_covered_joint = np.zeros(nu, dtype=bool)
        self.unit_covered_any = np.zeros(nu, dtype=bool)
        self.unit_instructor = np.zeros(nu, dtype=bool)
        self.region_covered_joint: np.ndarray | None = None
        self.links = lk
        self.link_active = np.zeros(0 if lk is None else len(lk), dtype=bool)
        if lk is not None and len(lk):
            active = net.active("links", self.window)
            kind = lk["kind"].to_numpy(dtype=object)
            src_org = arrays.index_of(lk["source"], o["id"])
            src_joint = np.zeros(len(lk), dtype=bool)
            ok = src_org >= 0
            src_joint[ok] = np.isin(o["kind"].to_numpy(dtype=object)[src_org[ok]],
                                    _JOINT_KINDS) & standing[src_org[ok]]
            # a link from an org that does not stand in the window counts for no rule
            src_fallen = np.zeros(len(lk), dtype=bool)
            src_fallen[ok] = ~standing[src_org[ok]]
            active = active & ~src_fallen
            self.link_active = active
            tu = arrays.index_of(lk["target"], u["id"])
            cov = active & (kind == "covers") & (tu >= 0)
            self.unit_covered_any = np.bincount(tu[cov], minlength=nu) > 0
            self.unit_covered_joint = np.bincount(tu[cov & src_joint], minlength=nu) > 0
            ins = active & (kind == "instructor") & (tu >= 0)
            self.unit_instructor = np.bincount(tu[ins], minlength=nu) > 0
            self.covers_region_joint = lk["target"][active & (kind == "covers") & src_joint]
        else:
            self.covers_region_joint = pd.Series([], dtype="str")
        self.unit_union = _flag(u, "union")
        self.unit_youth = _flag(u, "youth_league")

    # ----------------------------------------------------------------- places
    def place_columns(self, region_ids: pd.Series) -> pd.DataFrame:
        """street/community id and name for each region id."""
        net = self.net
        out = pd.DataFrame(index=region_ids.index)
        rf = net.regions_frame
        if not len(rf):
            out["street_id"] = pd.Series(pd.NA, index=region_ids.index, dtype="str")
            out["street"] = out["street_id"]
            out["community_id"] = out["street_id"]
            out["community"] = out["street_id"]
            return out
        names = net.region_names()
        street = net.ancestor(region_ids, "street")
        comm = net.ancestor(region_ids, "community")
        comm = comm.where(comm.notna(), net.ancestor(region_ids, "village"))
        out["street_id"] = street
        out["street"] = arrays.lookup(street, names)
        out["community_id"] = comm
        out["community"] = arrays.lookup(comm, names)
        return out


def _facts(net: CoBuildingNetwork, rules: CoverageRules, window: object) -> _Facts:
    """The facts of a network under a rule set and window, made once: a network never
    changes, so its gaps and its rates share them."""
    key = (rules, net.resolve_window(window))
    cache = net.made("coverage_facts", dict)
    if key not in cache:
        if len(cache) > 8:
            cache.clear()
        cache[key] = _Facts(net, rules, window)
    return cache[key]


def _flag(df: pd.DataFrame, col: str) -> np.ndarray:
    if col not in df.columns:
        return np.zeros(len(df), dtype=bool)
    return df[col].fillna(False).to_numpy(dtype=bool)


def _unit_gaps(f: _Facts) -> list[pd.DataFrame]:
    r = f.rules
    u = f.units
    out = []
    has_org = f.unit_has_org
    if r.unit_without_org:
        sel = (f.unit_formal >= r.min_formal_for_org) & ~has_org
        out.append(_unit_rows(f, sel, "unit_without_org",
                              lambda fm, m: f"{fm} formal members, no organisation of its own",
                              lambda fm, m: f"正式党员{fm}名,未单独建立党组织"))
    if r.unit_not_covered:
        sel = (f.unit_members >= 1) & (f.unit_formal < r.min_formal_for_org) & ~has_org
        sel &= ~f.unit_covered_joint
        out.append(_unit_rows(f, sel, "unit_not_covered",
                              lambda fm, m: f"{m} member(s), {fm} formal; no own org and no "
                                            "joint-organisation cover",
                              lambda fm, m: f"党员{m}名(正式{fm}名),未建党组织,未纳入联合党组织"))
    if r.no_work_coverage:
        kinds = u["kind"].isin(list(r.work_coverage_kinds)).to_numpy(dtype=bool)
        sel = kinds & (f.unit_members == 0) & ~f.unit_covered_any & ~has_org
        sel &= ~f.unit_instructor & ~f.unit_union & ~f.unit_youth
        out.append(_unit_rows(f, sel, "no_work_coverage",
                              lambda fm, m: "no own org, no member, no instructor or liaison, "
                                            "no cover, no union or youth league",
                              lambda fm, m: "未建党组织,无党员,无党建指导员或联络员,未被覆盖,"
                                            "无工会、团组织"))
    for rule, practice, en, zh in (
            ("unit_org_not_registered", practices.unit_org_registration,
             "its Party organisation has not registered with the community where it sits",
             "单位党组织未到所在社区(村)报到"),
            ("district_unit_unpaired", practices.district_unit_pairing,
             "district-level unit with no co-building tie to a village or community",
             "区直单位未与任何村(社区)党组织联建共建")):
        if getattr(r, rule):
            scope, done = practice(f)
            out.append(_unit_rows(f, scope & ~done, rule, lambda fm, m, t=en: t,
                                  lambda fm, m, t=zh: t))
    if r.owners_committee_not_red:
        oc, red, party = practices.red_owners_committees(f)
        sel = oc & ~red
        rows = _unit_rows(f, sel, "owners_committee_not_red", lambda fm, m: "",
                          lambda fm, m: "")
        size = (u["employees"].to_numpy(dtype="float64", na_value=np.nan)[sel]
                if "employees" in u.columns else np.full(int(sel.sum()), np.nan))
        rows["members"] = party[sel].astype(np.int64)
        rows["evidence"] = [
            f"{int(p)} Party member(s) of {'?' if np.isnan(z) else int(z)} committee members; "
            "no Party organisation of its own" for p, z in zip(party[sel], size, strict=True)]
        rows["evidence_zh"] = [
            f"业委会成员{'未填' if np.isnan(z) else f'{int(z)}名'}中党员{int(p)}名,"
            "未过半数且未建党组织" for p, z in zip(party[sel], size, strict=True)]
        out.append(rows)
    return out


def _unit_rows(f: _Facts, sel: np.ndarray, rule: str, en, zh) -> pd.DataFrame:
    u = f.units[sel]
    fm = f.unit_formal[sel]
    mm = f.unit_members[sel]
    df = pd.DataFrame({
        "rule": rule, "entity_type": "unit", "entity_id": u["id"].to_numpy(),
        "name": u["name"].to_numpy(), "region_id": u["region_id"].to_numpy(),
        "domain": u["domain"].to_numpy(), "members": mm, "formal_members": fm,
        "evidence": [en(a, b) for a, b in zip(fm, mm, strict=True)],
        "evidence_zh": [zh(a, b) for a, b in zip(fm, mm, strict=True)],
        "count_source": f.unit_source[sel],
    })
    return df


def _once(fn):
    """A function of the facts, made once per set of facts (rates are asked for overall, by
    street, by community...: the same flags each time)."""
    import functools

    @functools.wraps(fn)
    def made(f: _Facts):
        cache = f.__dict__.setdefault("_made", {})
        if fn.__name__ not in cache:
            cache[fn.__name__] = fn(f)
        return cache[fn.__name__]

    return made


@_once
def _community_has_org(f: _Facts) -> np.ndarray:
    """Over regions: a community or village has an org (the contract's rule).

    It has one when a standing org of a kind in ``rules.community_org_kinds`` is built over
    the community itself, or in a community or village committee unit sitting in it, or a
    standing joint or compound org of such a kind covers it (an active ``covers`` link to the
    community). An org over an estate, building or grid inside it, a party group (党小组) and a
    ``body`` do not count.
    """
    net, o = f.net, f.orgs
    rf = net.regions_frame
    kinds = o["kind"].isin(list(f.rules.community_org_kinds)).to_numpy(dtype=bool)
    counted = f.org_standing & kinds
    u = f.units
    over = o["unit_id"].isna().to_numpy() & counted
    places = [o["region_id"][over]]
    unit_kind = arrays.lookup(o["unit_id"], pd.Series(u["kind"].to_numpy(),
                                                     index=u["id"].to_numpy(), dtype="str"))
    in_committee = counted & unit_kind.isin(["community", "village"]).to_numpy(dtype=bool)
    if in_committee.any():
        unit_region = arrays.lookup(o["unit_id"][in_committee], pd.Series(
            u["region_id"].to_numpy(), index=u["id"].to_numpy(), dtype="str"))
        comm = net.ancestor(unit_region, "community")
        places.append(comm.where(comm.notna(), net.ancestor(unit_region, "village")))
    lk = f.links
    if lk is not None and len(lk):
        src = arrays.index_of(lk["source"], o["id"])
        cov = f.link_active & (lk["kind"] == "covers").to_numpy(dtype=bool) & (src >= 0)
        cov[cov] &= counted[src[cov]] & np.isin(o["kind"].to_numpy(dtype=object)[src[cov]],
                                                _JOINT_KINDS)
        places.append(lk["target"][cov])
    return arrays.isin(rf["id"], pd.concat(places, ignore_index=True).dropna())


@_once
def _estate_flags(f: _Facts) -> tuple[np.ndarray, np.ndarray]:
    """Over regions: formal members living in it (or a building in it); an org over it or a
    joint cover of it."""
    net, m = f.net, f.members
    rf = net.regions_frame
    n_formal = np.zeros(len(rf), dtype=np.int64)
    if m is not None and len(m):
        pos = arrays.index_of(net.ancestor(m["residence_id"], "estate"), rf["id"])
        formal = (m["status"] == "formal").to_numpy(dtype=bool)
        n_formal = np.bincount(pos[(pos >= 0) & formal], minlength=len(rf))
    over, joint = _estate_parts(f)
    return n_formal, over | joint


@_once
def _estate_parts(f: _Facts) -> tuple[np.ndarray, np.ndarray]:
    """Over regions: a standing org built over it; a standing joint or compound org covering
    it (an active ``covers`` link)."""
    net, o = f.net, f.orgs
    rf = net.regions_frame
    standing = f.org_standing & (o["kind"] != _NOT_BODY).to_numpy(dtype=bool)
    over = arrays.isin(rf["id"], net.region_of("orgs")[standing & o["unit_id"].isna()
                                                       .to_numpy()])
    return over, arrays.isin(rf["id"], f.covers_region_joint)


@_once
def _building_flags(f: _Facts) -> tuple[np.ndarray, np.ndarray]:
    """Over regions: members living in it; a standing group over it."""
    net, o, m = f.net, f.orgs, f.members
    rf = net.regions_frame
    n_res = np.zeros(len(rf), dtype=np.int64)
    if m is not None and len(m):
        pos = arrays.index_of(net.ancestor(m["residence_id"], "building"), rf["id"])
        n_res = np.bincount(pos[pos >= 0], minlength=len(rf))
    groups = f.org_standing & (o["kind"] == "group").to_numpy(dtype=bool)
    return n_res, arrays.isin(rf["id"], o["region_id"][groups])


def _region_gaps(f: _Facts) -> list[pd.DataFrame]:
    net, r = f.net, f.rules
    if not net.has("regions"):
        return []
    rf = net.regions_frame
    out = []
    if r.community_without_org:
        is_comm = rf["level"].isin(["community", "village"]).to_numpy(dtype=bool)
        sel = is_comm & ~_community_has_org(f)
        out.append(_region_rows(rf, sel, "community_without_org",
                                "no Party organisation over it or in its committee",
                                "辖区内无党组织(含社区/村委会党组织)"))
    if r.estate_without_org:
        n_formal, covered = _estate_flags(f)
        is_est = (rf["level"] == "estate").to_numpy(dtype=bool)
        sel = is_est & (n_formal >= r.estate_min_formal) & ~covered
        out.append(_region_rows(rf, sel, "estate_without_org",
                                [f"{k} formal members live here; no organisation over it"
                                 for k in n_formal[sel]],
                                [f"居住正式党员{k}名,未建立党组织" for k in n_formal[sel]],
                                formal=n_formal[sel]))
    if r.building_without_group:
        n_res, has = _building_flags(f)
        is_b = (rf["level"] == "building").to_numpy(dtype=bool)
        sel = is_b & (n_res >= r.building_min_members) & ~has
        out.append(_region_rows(rf, sel, "building_without_group",
                                [f"{k} members live here; no group" for k in n_res[sel]],
                                [f"居住党员{k}名,未建立党小组" for k in n_res[sel]],
                                members=n_res[sel]))
    if r.estate_groups_without_branch:
        scope, done, groups = practices.estate_group_branch(f)
        sel = scope & ~done
        out.append(_region_rows(rf, sel, "estate_groups_without_branch",
                                [f"{k} party groups; no building-cluster branch"
                                 for k in groups[sel]],
                                [f"有党小组{k}个,未建立楼群党支部" for k in groups[sel]]))
    if r.estate_trinity_incomplete:
        scope, done, missing = practices.estate_trinity(f, _estate_flags(f)[1])
        sel = scope & ~done
        out.append(_region_rows(rf, sel, "estate_trinity_incomplete",
                                ["missing: " + ", ".join(e for _, e in ms) for ms in missing],
                                ["缺少:" + "、".join(z for z, _ in ms) for ms in missing]))
    return out


def _region_rows(rf, sel, rule, en, zh, formal=None, members=None) -> pd.DataFrame:
    sub = rf[sel]
    return pd.DataFrame({
        "rule": rule, "entity_type": "region", "entity_id": sub["id"].to_numpy(),
        "name": sub["name"].to_numpy(), "region_id": sub["id"].to_numpy(),
        "domain": pd.NA, "members": members if members is not None else pd.NA,
        "formal_members": formal if formal is not None else pd.NA,
        "evidence": en, "evidence_zh": zh, "count_source": "records",
    })




@_once
def _member_flags(f: _Facts) -> dict[str, np.ndarray]:
    """Per member: attached, mobile managed, registration status (and its denominator)."""
    net = f.net
    m = f.members
    o = f.orgs
    n = len(m)
    mo = arrays.index_of(m["org_id"], o["id"])
    attached = (mo >= 0)
    attached[attached] = f.org_standing[mo[attached]]
    mobile = (m["category"] == "mobile").to_numpy(dtype=bool)
    in_service = (m["category"] == "in_service").to_numpy(dtype=bool)
    managed = np.zeros(n, dtype=bool)
    registered = np.zeros(n, dtype=bool)
    home = pd.Series(pd.NA, index=m.index, dtype="str")
    lk = f.links
    if net.has("regions"):
        home = net.ancestor(m["residence_id"], "community")
        home = home.where(home.notna(), net.ancestor(m["residence_id"], "village"))
    if lk is not None and len(lk):
        active = net.active("links", f.window)
        kind = lk["kind"].to_numpy(dtype=object)
        src = arrays.index_of(lk["source"], m["id"])
        inflow = active & (kind == "inflow") & (src >= 0)
        # managed by an org: only by one standing in the window
        tgt_org = arrays.index_of(lk["target"], o["id"])
        by_org = inflow & (tgt_org >= 0)
        inflow[by_org] = f.org_standing[tgt_org[by_org]]
        managed[src[inflow]] = True
        reg = active & (kind == "registration") & (src >= 0)
        if reg.any() and net.has("regions"):
            tgt = arrays.index_of(lk["target"], o["id"])
            reg &= tgt >= 0
            reg[reg] &= f.org_standing[tgt[reg]]
            org_region = net.region_of("orgs")
            org_comm = net.ancestor(org_region, "community")
            org_comm = org_comm.where(org_comm.notna(), net.ancestor(org_region, "village"))
            tc = org_comm.to_numpy(dtype=object)[tgt[reg]]
            hc = home.to_numpy(dtype=object)[src[reg]]
            same = pd.Series(tc, dtype="str").eq(pd.Series(hc, dtype="str")).fillna(False)
            registered[src[reg][same.to_numpy(dtype=bool)]] = True
    return {"attached": attached, "mobile": mobile, "managed": managed,
            "in_service": in_service, "registered": registered,
            "home_known": home.notna().to_numpy(), "home": home}


def _member_gaps(f: _Facts, flags: dict[str, np.ndarray]) -> list[pd.DataFrame]:
    r = f.rules
    m = f.members
    out = []
    place = _member_place(f)
    dom = _member_domain(f)

    def rows(sel, rule, en, zh):
        pos = np.flatnonzero(sel)  # only the members listed: a few of a million
        return pd.DataFrame({
            "rule": rule, "entity_type": "member", "entity_id": m["id"].to_numpy()[pos],
            "name": pd.NA, "region_id": place.iloc[pos].to_numpy(dtype=object),
            "domain": dom.iloc[pos].to_numpy(dtype=object), "members": pd.NA,
            "formal_members": pd.NA, "evidence": en, "evidence_zh": zh,
            "count_source": "records"})

    if r.member_unattached:
        sel = ~flags["attached"]
        org = m["org_id"][sel]
        none = org.isna().to_numpy()
        text = org.fillna("").to_numpy(dtype=str)
        en = np.where(none, "no organisation recorded",
                      np.char.add("organisation unknown or dissolved: ", text))
        zh = np.where(none, "未登记所在党组织", np.char.add("所在党组织不存在或已撤销:", text))
        out.append(rows(sel, "member_unattached", en, zh))
    if r.mobile_unmanaged:
        sel = flags["mobile"] & ~flags["managed"]
        out.append(rows(sel, "mobile_unmanaged", "mobile member with no inflow management",
                        "流动党员未落实流入地管理"))
    if r.member_not_registered:
        sel = flags["in_service"] & flags["home_known"] & ~flags["registered"]
        out.append(rows(sel, "member_not_registered",
                        "in-service member not registered with an org where they live",
                        "在职党员未到居住地社区报到"))
    if r.member_not_in_estate:
        scope, done = practices.estate_registration(f)
        out.append(rows(scope & ~done, "member_not_in_estate",
                        "in-service member not registered with the organisation of the estate "
                        "where they live", "在职党员未回居住小区报到"))
    return out




@_once
def _member_place(f: _Facts) -> pd.Series:
    """A member's place: residence, else the work unit's region, else the org's region."""
    m = f.members
    u = f.units
    place = m["residence_id"]
    by_unit = arrays.lookup(m["unit_id"], pd.Series(u["region_id"].to_numpy(),
                                                   index=u["id"].to_numpy(), dtype="str"))
    place = place.where(place.notna(), by_unit)
    org_region = pd.Series(f.net.region_of("orgs").to_numpy(), index=f.orgs["id"].to_numpy(),
                           dtype="str")
    return place.where(place.notna(), arrays.lookup(m["org_id"], org_region))




@_once
def _member_domain(f: _Facts) -> pd.Series:
    u = f.units
    return arrays.lookup(f.members["unit_id"], pd.Series(u["domain"].to_numpy(),
                                                        index=u["id"].to_numpy(), dtype="str"))


def _org_gaps(f: _Facts) -> list[pd.DataFrame]:
    r = f.rules
    if not r.branch_oversize or f.members is None:
        return []
    o = f.orgs
    mo = arrays.index_of(f.members["org_id"], o["id"])
    size = np.bincount(mo[mo >= 0], minlength=len(o))
    sel = o["kind"].isin(list(r.branch_kinds)).to_numpy(dtype=bool) & f.org_standing
    sel &= size > r.branch_max_members
    sub = o[sel]
    return [pd.DataFrame({
        "rule": "branch_oversize", "entity_type": "org", "entity_id": sub["id"].to_numpy(),
        "name": sub["name"].to_numpy(), "region_id": f.net.region_of("orgs")[sel].to_numpy(),
        "domain": sub["domain"].to_numpy(), "members": size[sel], "formal_members": pd.NA,
        "evidence": [f"{k} members, more than {r.branch_max_members}" for k in size[sel]],
        "evidence_zh": [f"党员{k}名,超过{r.branch_max_members}名" for k in size[sel]],
        "count_source": "records"})]


GAP_COLUMNS = [
    "rule", "rule_zh", "entity_type", "entity_id", "name", "street_id", "street",
    "community_id", "community", "domain", "members", "formal_members", "evidence",
    "evidence_zh", "count_source", "severity", "action", "action_zh",
]


def coverage_gaps(
    net: CoBuildingNetwork,
    rules: CoverageRules | str | None = None,
    *,
    window: object = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """Every coverage gap, one row each, with the action the rules imply.

    Parameters
    ----------
    net : CoBuildingNetwork
    rules : CoverageRules or str, optional
        A rule set or a preset name (``national``, ``longyan``, ``jiangbei``).
    window : tuple, optional
        The analysis window; defaults to the network's.
    lang : deprecated
        Analyses return codes and English column names; ``pg.localise(gaps, "zh")`` gives
        the table for people.

    Returns
    -------
    DataFrame
        Columns: ``rule`` (the contract's gap name), ``rule_zh``, ``entity_type`` (unit,
        region, member, org), ``entity_id``, ``name`` (empty for members: no personal data),
        ``street_id``, ``street``, ``community_id``, ``community``, ``domain``, ``members``
        and ``formal_members`` (the counts that triggered it, where they apply),
        ``evidence``, ``evidence_zh``, ``count_source`` (``records`` or the units table's
        ``count``), ``severity`` (high, medium, low), ``action``, ``action_zh``.

    Examples
    --------
    >>> import partygraph as pg
    >>> gaps = pg.coverage_gaps(pg.load_example("demo"))
    >>> set(gaps["rule"]) <= set(pg.CoverageRules().enabled())
    True
    """
    r = _rules(rules)
    f = _facts(net, r, window)
    parts = _unit_gaps(f) + _region_gaps(f) + _org_gaps(f)
    if f.members is not None and len(f.members):
        parts += _member_gaps(f, _member_flags(f))
    parts = [p for p in parts if len(p)]
    if parts:
        gaps = pd.concat(parts, ignore_index=True)
    else:
        gaps = pd.DataFrame(columns=[c for c in GAP_COLUMNS if c not in (
            "rule_zh", "street_id", "street", "community_id", "community", "severity",
            "action", "action_zh")] + ["region_id"])
    places = f.place_columns(gaps["region_id"].astype("str"))
    # the order (rule as listed, street, community, entity; missing last, ties as found),
    # then each column taken once in it: 800,000 gaps of 18 text columns were copied four
    # times (joined, sorted, selected)
    rule_codes = gaps["rule"].map({k: i for i, k in enumerate(RULE_TEXT)})
    keys = [_sort_codes(s) for s in (rule_codes, places["street_id"],
                                     places["community_id"], gaps["entity_id"])]
    order = np.lexsort(keys[::-1])
    text = pd.DataFrame.from_dict(RULE_TEXT, orient="index",
                                  columns=["rule_zh", "severity", "action", "action_zh"])
    at = arrays.index_of(gaps["rule"].iloc[order], pd.Series(text.index, dtype="str"))
    cols: dict[str, pd.Series] = {}
    for c in GAP_COLUMNS:
        if c in text.columns:
            cols[c] = pd.Series(arrays.take_str(text[c].astype("str"), at))
        elif c in ("members", "formal_members"):
            cols[c] = pd.to_numeric(gaps[c].iloc[order], errors="coerce").astype(
                "Int64").reset_index(drop=True)
        else:
            src = places[c] if c in places.columns else gaps[c]
            cols[c] = src.iloc[order].reset_index(drop=True).astype("str")
    gaps = pd.DataFrame(cols)
    gaps.attrs["rules"] = r.to_dict()
    gaps.attrs["window"] = f.window
    record(gaps, "coverage_gaps", rules=r.to_dict(), window=f.window)
    return deprecated_lang(gaps, lang, "coverage_gaps")




def _sort_codes(s: pd.Series) -> np.ndarray:
    """Integers that sort as ``s`` does (text by code point, numbers by value), missing
    values last."""
    codes, _ = pd.factorize(s, sort=True)
    return np.where(codes < 0, codes.max(initial=-1) + 1, codes)


# ---------------------------------------------------------------------------- rates




def _group_keys(net: CoBuildingNetwork, by: list[str], region_ids: pd.Series,
                domains: pd.Series | None) -> dict[str, pd.Series]:
    keys: dict[str, pd.Series] = {}
    for b in by:
        if b == "domain":
            keys["domain"] = (domains if domains is not None
                              else pd.Series(pd.NA, index=region_ids.index, dtype="str"))
        else:
            if not net.has("regions"):
                raise PartygraphError(
                    "rates by region level need the regions table / 按区域统计需要区域表")
            anc = net.ancestor(region_ids, b)
            if b == "community":
                anc = anc.where(anc.notna(), net.ancestor(region_ids, "village"))
            keys[f"{b}_id"] = anc
    return keys


def _grouped(keys: dict[str, pd.Series]) -> tuple[np.ndarray, pd.DataFrame]:
    """Each row's group and the groups' keys, as ``groupby(list(keys), sort=True,
    dropna=False)`` numbers and orders them (a missing key is its own group, after the
    others), from integer codes."""
    cols = list(keys)
    n = len(keys[cols[0]])
    code = np.zeros(n, dtype=np.int64)
    for k in cols:
        v = keys[k]  # text sorts as text (a categorical's own order would not be pandas')
        c, u = pd.factorize(v if v.dtype == "str" else v.to_numpy(dtype=object), sort=True)
        c = np.where(c < 0, len(u), c).astype(np.int64)  # missing: after every value
        code = arrays.dense_rank(code * (len(u) + 1) + c) if k != cols[0] else c
    first = np.zeros(int(code.max()) + 1 if n else 0, dtype=np.int64)
    first[code[::-1]] = np.arange(n)[::-1]  # the first row of each group (written last)
    # the keys as pandas gives them (dtypes included), from one row of each group
    one = pd.DataFrame({k: keys[k].iloc[first].to_numpy(dtype=object) for k in cols})
    return code, one.groupby(cols, dropna=False, sort=True).size().reset_index()[cols]


def coverage_rates(
    net: CoBuildingNetwork,
    by: str | list[str] | None = None,
    *,
    rules: CoverageRules | str | None = None,
    window: object = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """Coverage rates with their numerators and denominators, overall or by group.

    Parameters
    ----------
    net : CoBuildingNetwork
    by : str or list of str, optional
        Region levels (``district``, ``street``, ``community`` — villages count as
        communities — ``estate``...) and/or ``domain``. Region levels group units by where they
        sit, regions by their ancestor, members by where they live (else where they work,
        else their org's region); ``domain`` groups units by domain and members by their work
        unit's domain (region measures have no domain).
    rules : CoverageRules or str, optional
        The thresholds (e.g. the 3 formal members behind ``own_org_rate``).
    window : tuple, optional
    lang : deprecated
        Use ``pg.localise(rates, "zh")``.

    Returns
    -------
    DataFrame
        One row per group and measure: the group columns (``street_id`` and ``street``...,
        ``domain``), ``measure``, ``measure_zh``, ``numerator``, ``denominator``, ``rate``
        (numerator ÷ denominator, empty when the denominator is 0) and ``description``.
        Measures: ``org_coverage``, ``own_org_rate``, ``work_coverage``,
        ``nonpublic_org_coverage`` and ``nonpublic_own_org_rate`` (中办发〔2012〕11号: firms
        with their own org plus firms in a joint org, or own org only, over all non-public
        firms), the same for social organisations, ``community_coverage``,
        ``estate_coverage`` (all estates in the denominator), ``building_group_coverage``,
        ``member_attachment``, ``mobile_management``, ``registration``.

    Examples
    --------
    >>> import partygraph as pg
    >>> rates = pg.coverage_rates(pg.load_example("demo"), by="street")
    >>> {"numerator", "denominator", "rate"} <= set(rates.columns)
    True
    """
    r = _rules(rules)
    by_list = [] if by is None else ([by] if isinstance(by, str) else list(by))
    for b in by_list:
        check_choice("by", b, (*LEVEL_ORDER, "domain"))
    f = _facts(net, r, window)
    u = f.units
    frames: list[pd.DataFrame] = []
    groups: dict[int, tuple[np.ndarray, pd.DataFrame]] = {}

    def add(measure: str, keys: dict[str, pd.Series], num: np.ndarray, den: np.ndarray):
        if not keys:
            g = pd.DataFrame({"numerator": [int(num.sum())], "denominator": [int(den.sum())]})
        else:
            if id(keys) not in groups:  # each key set grouped once, then summed by bincount
                groups[id(keys)] = _grouped(keys)
            codes, uniq = groups[id(keys)]
            n = len(uniq)
            g = uniq.copy()
            g["numerator"] = np.bincount(codes, weights=num, minlength=n).astype(np.int64)
            g["denominator"] = np.bincount(codes, weights=den, minlength=n).astype(np.int64)
        g.insert(len(keys), "measure", measure)
        frames.append(g)

    ukeys = _group_keys(net, by_list, u["region_id"], u["domain"])
    covered = f.unit_has_org | f.unit_covered_joint
    has_members = f.unit_members >= 1
    add("org_coverage", ukeys, has_members & covered, has_members)
    need = f.unit_formal >= r.min_formal_for_org
    add("own_org_rate", ukeys, need & f.unit_has_org, need)
    wk = u["kind"].isin(list(r.work_coverage_kinds)).to_numpy(dtype=bool)
    work = (f.unit_has_org | f.unit_covered_any | f.unit_instructor | f.unit_union
            | f.unit_youth)
    add("work_coverage", ukeys, wk & work, wk)
    for kind, prefix in (("private", "nonpublic"), ("social", "social")):
        k = (u["kind"] == kind).to_numpy(dtype=bool)
        add(f"{prefix}_org_coverage", ukeys, k & covered, k)
        add(f"{prefix}_own_org_rate", ukeys, k & f.unit_has_org, k)

    def add_some(measure, keys, num, den, rule=None):
        """A practice's rate: when anything is in scope and its rule is in the rule set."""
        if den.any() and (rule is None or getattr(r, rule)):
            add(measure, keys, num, den)

    add_some("joint_rate", ukeys, has_members & ~f.unit_has_org & f.unit_covered_joint,
             has_members & covered)
    if r.unit_org_not_registered:
        add_some("unit_org_registration", ukeys, *practices.unit_org_registration(f)[::-1])
    if r.district_unit_unpaired:
        add_some("district_unit_pairing", ukeys, *practices.district_unit_pairing(f)[::-1])
    if r.owners_committee_not_red:
        oc, red, _ = practices.red_owners_committees(f)
        add_some("red_owners_committee", ukeys, red, oc)
    if net.has("regions"):
        rf = net.regions_frame
        rkeys = _group_keys(net, [b for b in by_list if b != "domain"], rf["id"], None)
        if "domain" in by_list:
            rkeys["domain"] = pd.Series(pd.NA, index=rf.index, dtype="str")
            rkeys = {k: rkeys[k] for k in (
                [f"{b}_id" if b != "domain" else "domain" for b in by_list])}
        is_comm = rf["level"].isin(["community", "village"]).to_numpy(dtype=bool)
        add("community_coverage", rkeys, is_comm & _community_has_org(f), is_comm)
        is_est = (rf["level"] == "estate").to_numpy(dtype=bool)
        add("estate_coverage", rkeys, is_est & _estate_flags(f)[1], is_est)
        n_res, has_group = _building_flags(f)
        need = (rf["level"] == "building").to_numpy(dtype=bool) & (
            n_res >= r.building_min_members)
        add("building_group_coverage", rkeys, need & has_group, need)
        over, joint = _estate_parts(f)
        add_some("estate_joint_rate", rkeys, is_est & joint & ~over, is_est & (over | joint))
        if r.estate_groups_without_branch:
            scope, done, _ = practices.estate_group_branch(f)
            add_some("estate_group_branch", rkeys, done, scope)
        if r.estate_trinity_incomplete:
            scope, done, _ = practices.estate_trinity(f, over | joint)
            add_some("estate_trinity", rkeys, done, scope)
    if f.members is not None and len(f.members):
        flags = _member_flags(f)
        mkeys = _group_keys(net, by_list, _member_place(f),
                            _member_domain(f) if "domain" in by_list else None)
        ones = np.ones(len(f.members), dtype=bool)
        add("member_attachment", mkeys, flags["attached"], ones)
        add("mobile_management", mkeys, flags["mobile"] & flags["managed"], flags["mobile"])
        den = flags["in_service"] & flags["home_known"]
        add("registration", mkeys, den & flags["registered"], den)
        if net.has("regions") and r.member_not_in_estate:
            scope, done = practices.estate_registration(f)
            add_some("estate_registration", mkeys, done, scope)
    out = pd.concat(frames, ignore_index=True)
    group_cols = [c for c in out.columns if c not in ("measure", "numerator", "denominator")]
    # names of places beside their ids
    if net.has("regions"):
        rf = net.regions_frame
        names = net.region_names()
        for c in [c for c in group_cols if c.endswith("_id")]:
            out.insert(out.columns.get_loc(c) + 1, c[:-3], arrays.lookup(
                out[c].astype("str"), names))
    out["measure_zh"] = out["measure"].map({k: v[1] for k, v in RATE_TEXT.items()})
    out["description_zh"] = out["measure"].map({k: v[2] for k, v in RATE_TEXT.items()})
    out["rate"] = (out["numerator"] / out["denominator"].where(out["denominator"] > 0))
    out["description"] = out["measure"].map({k: v[0] for k, v in RATE_TEXT.items()})
    lead = [c for c in out.columns if c not in (
        "measure", "measure_zh", "numerator", "denominator", "rate", "description",
        "description_zh")]
    out = out[[*lead, "measure", "measure_zh", "numerator", "denominator", "rate",
               "description", "description_zh"]]
    out.attrs["rules"] = r.to_dict()
    out.attrs["by"] = by_list
    record(out, "coverage_rates", rules=r.to_dict(), by=by_list, window=f.window)
    return deprecated_lang(out, lang, "coverage_rates")


# ---------------------------------------------------------------------------- members


def member_view(net: CoBuildingNetwork, *, window: object = None,
                lang: str | None = None) -> pd.DataFrame:
    """The member side by community: dual management, mobile members, members without posts.

    One row per community (or village; members whose residence is unknown are grouped under
    an empty community): ``in_service_resident`` (in-service members living here),
    ``registered_here`` (of them, registered with an org here), ``working_here`` (in-service
    members whose work unit sits here), ``working_here_living_elsewhere`` (dual management:
    work unit here, residence known and elsewhere), ``mobile_resident`` (mobile members living
    here), ``mobile_managed`` (of them, with an active inflow link), ``mobile_outflow``
    (mobile members whose org sits here but who live elsewhere), ``no_post`` (members without
    posts living here), ``members_resident``. Counts only: no member-level data.

    Parameters
    ----------
    net : CoBuildingNetwork
        The network.
    window : tuple, optional
        The analysis window ``(start, end)``; default: the network's.
    lang : deprecated
        Use ``pg.localise(df, lang)``.

    Returns
    -------
    DataFrame
        One row per community: the counts described above.

    >>> import partygraph as pg
    >>> v = pg.member_view(pg.load_example("demo"))
    >>> int(v["members_resident"].sum()) == len(pg.load_example("demo").tables["members"])
    True
    """
    m = net.table("members", "member_view")
    f = _facts(net, PRESETS["national"], window)
    flags = _member_flags(f)
    home = flags["home"]
    u = f.units
    unit_region = arrays.lookup(m["unit_id"], pd.Series(u["region_id"].to_numpy(),
                                                       index=u["id"].to_numpy(), dtype="str"))
    work = net.ancestor(unit_region, "community")
    work = work.where(work.notna(), net.ancestor(unit_region, "village"))
    org_region = pd.Series(net.region_of("orgs").to_numpy(), index=f.orgs["id"].to_numpy(),
                           dtype="str")
    org_place = arrays.lookup(m["org_id"], org_region)
    org_comm = net.ancestor(org_place, "community")
    org_comm = org_comm.where(org_comm.notna(), net.ancestor(org_place, "village"))
    ins, mob = flags["in_service"], flags["mobile"]
    # every member's three places as codes of one list of communities ("" unknown)
    nm = len(m)
    codes, uniq = pd.factorize(pd.concat([home.fillna(""), work.fillna(""),
                                          org_comm.fillna("")], ignore_index=True))
    hc, wc, oc = codes[:nm], codes[nm:2 * nm], codes[2 * nm:]
    blank = uniq.get_loc("") if "" in uniq else -1
    K = len(uniq)

    def count(c: np.ndarray, flag: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(c, weights=None if flag is None else flag.astype(np.float64),
                           minlength=K).astype(np.int64)

    at_work, at_org = wc != blank, oc != blank
    away_w = (hc != wc) & (hc != blank)
    away_o = (hc != oc) & (hc != blank)
    cols = {
        "members_resident": count(hc),
        "in_service_resident": count(hc, ins),
        "registered_here": count(hc, ins & flags["registered"]),
        "working_here": count(wc[at_work], ins[at_work]),
        "working_here_living_elsewhere": count(wc[at_work], (ins & away_w)[at_work]),
        "mobile_resident": count(hc, mob),
        "mobile_managed": count(hc, mob & flags["managed"]),
        "mobile_outflow": count(oc[at_org], (mob & away_o)[at_org]),
        "no_post": count(hc, (m["category"] == "no_post").to_numpy(bool)),
    }
    # the communities where someone lives, works or has an org, in the order of their ids
    seen = np.zeros(K, dtype=bool)
    seen[hc] = True
    seen[wc[at_work]] = True
    seen[oc[at_org]] = True
    ids = pd.Index(uniq, dtype="str")
    keep = np.flatnonzero(seen)
    keep = keep[np.argsort(ids[keep].to_numpy(dtype=object), kind="stable")]
    out = pd.DataFrame({k: v[keep] for k, v in cols.items()},
                       index=pd.Index(ids[keep], dtype="str"))
    out.index.name = "community_id"
    out = out.reset_index()
    out["community_id"] = out["community_id"].replace("", pd.NA).astype("str")
    if net.has("regions"):
        names = net.region_names()
        out.insert(1, "community", arrays.lookup(out["community_id"], names))
    return deprecated_lang(out, lang, "member_view")


def count_discrepancies(net: CoBuildingNetwork) -> pd.DataFrame:
    """Units where the members table and the ``party_members`` count disagree.

    Columns ``unit_id``, ``name``, ``party_members`` (the count), ``member_records`` (members
    whose work unit is the unit) and ``difference``. Coverage uses the records where a unit
    has any, and the count otherwise.

    Parameters
    ----------
    net : CoBuildingNetwork
        The network.

    Returns
    -------
    DataFrame
        ``unit_id, name, party_members, member_records, difference``.

    >>> import partygraph as pg
    >>> pg.count_discrepancies(pg.load_example("demo")).columns.tolist()[:2]
    ['unit_id', 'name']
    """
    f = _facts(net, PRESETS["national"], None)
    u = f.units
    both = (f.unit_records > 0) & ~np.isnan(f.unit_count)
    diff = both & (f.unit_records != np.nan_to_num(f.unit_count))
    return pd.DataFrame({
        "unit_id": u["id"][diff].to_numpy(), "name": u["name"][diff].to_numpy(),
        "party_members": f.unit_count[diff].astype(np.int64),
        "member_records": f.unit_records[diff],
        "difference": f.unit_records[diff] - f.unit_count[diff].astype(np.int64),
    })
