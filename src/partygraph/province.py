"""A province (or a city) in one call: one data set per district, assessed in parallel on Dask
and rolled up exactly.

``assess_province(PATH, output=DIR)`` finds the districts in ``PATH`` — sub-folders that are
data sets, workbooks, or a Parquet data set partitioned by district (``units/district=500105/
*.parquet``) — and runs :func:`partygraph.assess` on each, in parallel on a Dask cluster: a
local cluster of processes by default (one thread each, so a worker holds one district at a
time and its memory is bounded by the largest district), or an existing cluster given its
scheduler's address. Each district's own report, workbook and network are written under
``DIR/districts/<district>/`` by the worker that assessed it, with its result tables as
Parquet; only small summaries travel back.

The roll-up:

- **rates** are sums of the districts' numerators and denominators, so the province's figures
  equal the sums of the districts' own runs, exactly;
- **lists** (gaps, walled-in units, unmet demands, ...) are the districts' lists one after the
  other, each row with its district; the province workbook holds every row (a list longer
  than an Excel sheet continues on a second sheet);
- **ties across districts**: a link in one district's ledger to an id of another district is
  an unknown reference to that district alone (its row is set aside there). The province
  resolves it against every district's ids: when both ends are actors it is a tie across
  districts, listed once however many ledgers record it. Such ties are not in any district's
  figures: the province reports them beside the sums — how many, how many units walled in
  within their district are tied across, and the E-I index with them counted.

Examples
--------
>>> import tempfile, partygraph as pg
>>> from partygraph import synthetic
>>> src = synthetic.province(tempfile.mkdtemp(), 2, 1200, cross_ties=2)
>>> p = pg.assess_province(src, output=tempfile.mkdtemp(), permutations=0, workers=0)
>>> list(p.districts["district"])
['990101', '990102', 'province']
>>> int(p.cross_ties["recorded"].sum()), len(p.cross_ties)
(6, 4)
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np
import pandas as pd

from . import arrays
from .districts import District, find_districts
from .errors import PartygraphError
from .results import Result

__all__ = ["District", "ProvinceAssessment", "assess_province", "find_districts"]

#: Link kinds that make a tie between two actors when their ends sit in two districts.
_TIE_KINDS = ("pair", "agreement", "council", "covers", "service", "registration",
              "cross_post")
_SYMMETRIC = ("pair", "agreement")
_PAPER = ("pair", "agreement", "council", "covers", "registration", "cross_post")


def _read(d: District, strict: bool, window: object, aliases: object):
    """The district's network (read on the worker)."""
    from .dataset import from_frames, read_dataset

    if d.partition is None:
        return read_dataset(d.source, strict=strict, window=window, aliases=aliases)
    import pyarrow.parquet as pq

    from .schema import table_of

    frames = {}
    for t in sorted(Path(d.source).iterdir()):
        part = t / f"district={d.partition}"
        if t.is_dir() and table_of(t.name) is not None and part.is_dir():
            frames[t.name] = pq.read_table(part).to_pandas()
    return from_frames(strict=strict, window=window, aliases=aliases, **frames)


# --------------------------------------------------------------------------- on a worker


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _lookup(net, walls: pd.DataFrame | None) -> pd.DataFrame:
    """Every unit, org, member and region id of a district with the actor it stands for
    (a member: the actor of its org), that actor's domain, name and wall status."""
    from .ties import actors

    act = actors(net)
    f = act.frame
    status = (walls.set_index("actor_id")["status"] if walls is not None and len(walls)
              else pd.Series(dtype="str"))
    rows = []
    for t in ("units", "orgs", "members", "regions"):
        if not net.has(t):
            continue
        ids = net.tables[t]["id"].astype("str")
        if t == "members":
            pos = act.position(net.tables[t]["org_id"], net) if net.has("orgs") else \
                np.full(len(ids), -1)
        elif t == "regions":
            pos = np.full(len(ids), -1)
        else:
            pos = act.position(ids, net)
        ok = pos >= 0
        aid = np.where(ok, f["actor_id"].to_numpy(dtype=object)[np.maximum(pos, 0)], None)
        rows.append(pd.DataFrame({
            "id": ids.to_numpy(dtype=object), "table": t, "actor_id": aid,
            "actor_name": np.where(ok, f["name"].to_numpy(dtype=object)[np.maximum(pos, 0)],
                                   None),
            "domain": np.where(ok, f["domain"].astype(object).to_numpy()[np.maximum(pos, 0)],
                               None),
            "cobuilding": np.where(ok, f["cobuilding"].to_numpy()[np.maximum(pos, 0)], False)}))
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(
        columns=["id", "table", "actor_id", "actor_name", "domain", "cobuilding"])
    out["status"] = out["actor_id"].map(status)
    return out.astype({"id": "str", "table": "str", "actor_id": "str", "actor_name": "str",
                       "domain": "str", "status": "str", "cobuilding": "bool"})


def _dangling(net, lookup: pd.DataFrame) -> pd.DataFrame:
    """Links set aside only because one end is an id this district does not have: the
    candidates for ties across districts, with what the district knows of the other end."""
    cols = ["row", "source", "target", "kind", "start", "end", "weight", "known",
            "unknown_id", "known_table", "known_actor", "known_name", "known_domain",
            "known_status", "known_cobuilding"]
    rej = net.rejected.get("links")
    if rej is None or not len(rej):
        return pd.DataFrame(columns=cols)
    rep = net.report
    rep = rep[(rep["table"] == "links") & (rep["severity"] == "error")]
    other = rep.loc[~rep["problem"].astype("str").str.startswith(
        "refers to an id not found"), "row"]
    rej = rej[~rej["row"].isin(other)]
    known = pd.Index(lookup["id"])
    src_in = rej["source"].astype("str").isin(known).to_numpy()
    tgt_in = rej["target"].astype("str").isin(known).to_numpy()
    one = src_in ^ tgt_in
    rej = rej[one]
    src_in = src_in[one]
    out = pd.DataFrame({
        "row": rej["row"].to_numpy(), "source": rej["source"].astype("str").to_numpy(),
        "target": rej["target"].astype("str").to_numpy(),
        "kind": rej["kind"].astype("str").to_numpy(),
        "start": pd.to_datetime(rej["start"]).to_numpy() if "start" in rej else pd.NaT,
        "end": pd.to_datetime(rej["end"]).to_numpy() if "end" in rej else pd.NaT,
        "weight": pd.to_numeric(rej.get("weight", 1.0)).to_numpy(dtype=float)
        if "weight" in rej else 1.0,
        "known": np.where(src_in, "source", "target"),
        "unknown_id": np.where(src_in, rej["target"].astype("str"),
                               rej["source"].astype("str"))})
    info = lookup.drop_duplicates("id").set_index("id")
    kid = np.where(src_in, out["source"], out["target"])
    for c, k in (("table", "known_table"), ("actor_id", "known_actor"),
                 ("actor_name", "known_name"), ("domain", "known_domain"),
                 ("status", "known_status"), ("cobuilding", "known_cobuilding")):
        out[k] = info[c].reindex(kid).to_numpy()
    return out[cols]


def _district_job(d: District, opts: dict, out: str) -> dict:
    """Assess one district on a worker: write its outputs, return its summaries."""
    from .settings import config

    t0 = time.perf_counter()
    # the caller's settings, without progress bars, for this district only
    with config.override(**{**opts.get("settings", {}), "progress": False}):
        return _assessed(d, opts, out, t0)


def _assessed(d: District, opts: dict, out: str, t0: float) -> dict:
    from .assessment import assess

    folder = Path(out) / "districts" / d.slug
    try:
        import warnings

        from .errors import PartygraphWarning

        with warnings.catch_warnings():  # rows set aside are in the district's report
            warnings.simplefilter("ignore", PartygraphWarning)
            net = _read(d, opts["strict"], opts["window"], opts["aliases"])
        a = assess(net, rules=opts["rules"], permutations=opts["permutations"],
                   seed=opts["seed"], within=opts["within"], progress=False,
                   meetings_per_year=opts["meetings_per_year"],
                   stalled_months=opts["stalled_months"],
                   venue_standard_m2=opts["venue_standard_m2"])
        a.write(folder, lang=opts["lang"])
        a.export_tables(folder / "tables", "parquet")
        lookup = _lookup(net, a.tables.get("walls_all"))
        from .export import write_parquet_table

        write_parquet_table(lookup, folder / "ids.parquet")
        dl = a.linkage
        ei = dl.ei[["group", "actors", "internal", "external"]].copy() if dl is not None \
            else pd.DataFrame(columns=["group", "actors", "internal", "external"])
        keep = ("headline", "rates", "participation_all", "pipeline_all", "needs_all",
                "gap_counts", "accounting")
        return {
            "district": d, "ok": True, "error": "",
            "tables": {k: a.tables[k] for k in keep if k in a.tables},
            "rows": {k: len(v) for k, v in a.tables.items()},
            "ei": ei, "dangling": _dangling(net, lookup),
            "unavailable": dict(a.unavailable), "timings": dict(a.timings),
            "seconds": time.perf_counter() - t0, "peak_mb": _peak_mb(),
            "worker": os.getpid()}
    except Exception as exc:  # one district's failure must not stop the rest
        why = str(exc) if isinstance(exc, PartygraphError) else f"{type(exc).__name__}: {exc}"
        return _failed(d, why, time.perf_counter() - t0)


def _failed(d: District, why: str, seconds: float = float("nan")) -> dict:
    """The summary of a district that could not be assessed, with the reason."""
    return {"district": d, "ok": False, "error": why, "tables": {}, "rows": {}, "ei": None,
            "dangling": None, "unavailable": {}, "timings": {}, "seconds": seconds,
            "peak_mb": _peak_mb(), "worker": os.getpid()}


# --------------------------------------------------------------------------- the result


@dataclass
class ProvinceAssessment(Result):
    """The districts of a province assessed and rolled up (see :func:`assess_province`).

    Attributes
    ----------
    districts : DataFrame
        One row per district (and a last row ``province`` with the sums): members, units,
        co-building units, each coverage rate, gaps, the walled-in share, taking part, the
        E-I index, projects completed; ``district``, ``district_name`` lead.
    measures : DataFrame
        The same figures long: ``district``, ``measure``, ``numerator``, ``denominator``,
        ``value`` (the province's rows are the districts' sums).
    rates : DataFrame
        The province's coverage rates: numerators and denominators summed over districts.
    cross_ties : DataFrame
        Every tie across districts, once: both ends (district, id, actor, name, domain),
        kind, and in how many ledgers it was recorded.
    unresolved : DataFrame
        References across districts that make no tie, with the reason (``problem``): an id
        found in no district (an error in every district's data) or in several, or a link
        resolved across districts that ties no two co-building units (inflow management of
        a mobile member, a member's registration, a body membership).
    ei_by_domain : DataFrame
        Internal and external ties per domain, summed over districts, then with the ties
        across districts counted once.
    failed : DataFrame
        Districts that could not be assessed, with the reason.
    shared_ids : DataFrame
        Unit, org and member ids used by more than one district (``districts``): they should
        not collide; a link meant to cross districts to such an id stays inside one of them.
    output : Path
        The folder holding ``districts/<district>/`` (each district's own report).
    """

    districts: pd.DataFrame
    measures: pd.DataFrame
    rates: pd.DataFrame
    cross_ties: pd.DataFrame
    unresolved: pd.DataFrame
    ei_by_domain: pd.DataFrame
    failed: pd.DataFrame
    output: Path
    shared_ids: pd.DataFrame = field(default_factory=pd.DataFrame)
    slugs: dict[str, str] = field(default_factory=dict)
    rows: dict[str, dict[str, int]] = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    runs: pd.DataFrame = field(default_factory=pd.DataFrame)
    created: str = ""
    method: str = "partygraph province assessment"

    def __repr__(self) -> str:
        return (f"ProvinceAssessment({len(self.slugs)} districts, "
                f"{len(self.cross_ties)} ties across districts, output={str(self.output)!r})")

    def _repr_html_(self) -> str:
        from .results import summary_html

        rows = [("区县 districts", len(self.slugs)),
                ("跨区县联系 ties across districts", len(self.cross_ties)),
                ("输出 output", self.output)]
        return summary_html("partygraph ProvinceAssessment", rows)

    def table(self, key: str, columns: list[str] | None = None,
              filters: list | None = None) -> pd.DataFrame:
        """One list of every district, one after the other, each row with its district
        (English columns and codes): ``gaps``, ``walls``, ``unmet``... as in
        :class:`~partygraph.Assessment` ``.tables``. Read from the districts' Parquet
        files when asked, so a province's lists are never all in memory at once
        (``columns`` and ``filters`` as for :func:`pandas.read_parquet`)."""
        parts = []
        for code, slug in self.slugs.items():
            f = self.output / "districts" / slug / "tables" / f"{key}.parquet"
            if f.exists():
                df = pd.read_parquet(f, columns=columns, filters=filters)
                if len(df):
                    name = self.districts.set_index("district")["district_name"].get(code, code)
                    df.insert(0, "district_name", name)
                    df.insert(0, "district", code)
                    parts.append(df)
        if not parts:
            return pd.DataFrame()
        return pd.concat(parts, ignore_index=True)

    def keys(self) -> list[str]:
        """The lists the districts produced (union over districts)."""
        seen: dict[str, None] = {}
        for r in self.rows.values():
            seen.update(dict.fromkeys(r))
        return list(seen)

    def to_html(self, path: str | Path | None = None, lang: str = "zh") -> str:
        """The province report: the districts side by side first, then each district."""
        from .province_report import render_province

        text = render_province(self, lang, Path(path).parent if path is not None else None)
        if path is not None:
            from .writing import output_file

            output_file(path).write_text(text, encoding="utf-8")
        return text

    def to_excel(self, path: str | Path, lang: str = "zh") -> Path:
        """The province workbook: districts side by side, the summed rates, ties across
        districts, then every list of every district with its district (every row)."""
        from .province_report import province_sheets
        from .writing import write_xlsx

        sheets, formats = province_sheets(self, lang)
        return write_xlsx(path, sheets, formats=formats)

    def write(self, directory: str | Path | None = None, lang: str = "zh") -> dict[str, Path]:
        """Write ``report.html`` and ``assessment.xlsx`` of the province (the districts'
        own are already under ``districts/``)."""
        from .writing import output_dir

        d = output_dir(Path(directory) if directory is not None else self.output)
        t = time.perf_counter()
        out = {"report": d / "report.html"}
        self.to_html(out["report"], lang)
        self.timings["write_report"] = time.perf_counter() - t
        t = time.perf_counter()
        out["workbook"] = self.to_excel(d / "assessment.xlsx", lang)
        self.timings["write_workbook"] = time.perf_counter() - t
        return out


# --------------------------------------------------------------------------- roll-up


def _sum_measures(heads: dict[str, pd.DataFrame]) -> pd.DataFrame:
    rows = [h.assign(district=code) for code, h in heads.items() if h is not None]
    if not rows:
        return pd.DataFrame(columns=["district", "measure", "measure_zh", "measure_en",
                                     "numerator", "denominator", "value"])
    long = pd.concat(rows, ignore_index=True)
    long = long[["district", "measure", "measure_zh", "measure_en", "numerator",
                 "denominator", "value"]]
    return long


def _province_rows(long: pd.DataFrame, needs: list[pd.DataFrame], ei_value: float
                   ) -> pd.DataFrame:
    """The province's figure of each measure: numerators and denominators summed (counts
    summed); the E-I index from summed internal and external ties; satisfaction weighted by
    the needs rated."""
    g = long.groupby(["measure", "measure_zh", "measure_en"], sort=False, dropna=False)
    num = g["numerator"].sum(min_count=1)
    den = g["denominator"].sum(min_count=1)
    prov = pd.DataFrame({"numerator": num, "denominator": den}).reset_index()
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(prov["denominator"].notna(),
                         prov["numerator"] / prov["denominator"].where(prov["denominator"] > 0),
                         prov["numerator"])
    prov["value"] = value
    prov.loc[prov["measure"] == "ei_index", "value"] = ei_value
    if needs:
        nd = pd.concat(needs, ignore_index=True)
        rated = nd["rated"].sum()
        sat = (nd["satisfaction"].fillna(0) * nd["rated"]).sum() / rated if rated else np.nan
        prov.loc[prov["measure"] == "satisfaction", "value"] = sat
    prov.insert(0, "district", "province")
    return prov[long.columns]


def _ei(ext: float, internal: float) -> float:
    tot = ext + internal
    return (ext - internal) / tot if tot else float("nan")


def _cross(payloads: list[dict], out: Path, slugs: dict[str, str], window: tuple
           ) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Resolve every district's dangling links against the other districts' ids: the ties
    across districts, the references that make none, and per district the number of its
    link rows whose unknown end is an id of another district (of one or of several; each was
    one of its data errors)."""
    import pyarrow.parquet as pq

    dang = [p["dangling"].assign(district=p["district"].code) for p in payloads
            if p["ok"] and p["dangling"] is not None and len(p["dangling"])]
    cols_t = ["source_district", "source", "source_actor", "source_name", "source_domain",
              "target_district", "target", "target_actor", "target_name", "target_domain",
              "kind", "recorded", "ledgers"]
    cols_u = ["district", "row", "source", "target", "kind", "unknown_id", "problem",
              "problem_zh"]
    if not dang:
        return (pd.DataFrame(columns=cols_t), pd.DataFrame(columns=cols_u),
                pd.Series(dtype="int64"))
    d = pd.concat(dang, ignore_index=True)
    wanted = sorted(set(d["unknown_id"]))
    found = []
    for code, slug in slugs.items():
        f = out / "districts" / slug / "ids.parquet"
        if f.exists():
            hit = pq.read_table(f, filters=[("id", "in", wanted)]).to_pandas()
            found.append(hit.assign(other_district=code))
    found = pd.concat(found, ignore_index=True) if found else pd.DataFrame(
        columns=["id", "other_district"])
    found = found[found["other_district"].notna()]
    n_found = found.groupby("id")["other_district"].nunique()
    d = d.merge(found.rename(columns={"id": "unknown_id"}), on="unknown_id", how="left")
    d = d[d["other_district"].isna() | (d["other_district"] != d["district"])]
    many = d["unknown_id"].map(n_found).fillna(0).to_numpy()
    d = d.assign(many=many)
    lost = d[(many == 0) | (many > 1)].drop_duplicates(["district", "row"])
    nowhere = (lost["many"] == 0).to_numpy()
    unresolved = pd.DataFrame({
        "district": lost["district"], "row": lost["row"], "source": lost["source"],
        "target": lost["target"], "kind": lost["kind"], "unknown_id": lost["unknown_id"],
        "problem": np.where(nowhere, "id found in no district", "id found in several districts"),
        "problem_zh": np.where(nowhere, "任何区县都没有该编码", "多个区县都有该编码,无法确定")},
        columns=cols_u).reset_index(drop=True)
    # a district's link rows whose unknown end is another district's id (in one district or
    # in several): each was one of its data errors
    refs = d[many >= 1].drop_duplicates(["district", "row"]).groupby("district").size()
    d = d[many == 1]
    if window is not None and len(d):
        s, e = window
        act = np.ones(len(d), dtype=bool)
        if e is not None:
            act &= ~(d["start"] > e).to_numpy()
        if s is not None:
            act &= ~(d["end"] < s).to_numpy()
        d = d[act]
    # a tie needs an actor at both ends; a member end counts only for a cross_post
    kind = d["kind"].to_numpy()
    src_known = (d["known"] == "source").to_numpy()
    src_table = np.where(src_known, d["known_table"], d["table"])
    tgt_table = np.where(src_known, d["table"], d["known_table"])
    ok = np.isin(kind, _TIE_KINDS) & d["known_actor"].notna().to_numpy() & \
        d["actor_id"].notna().to_numpy() & (d["known_actor"] != "nan").to_numpy() & \
        (d["actor_id"].astype("str") != "nan").to_numpy()
    ok &= (tgt_table != "members") & ((src_table != "members") | (kind == "cross_post"))
    ok &= (src_table != "regions") & (tgt_table != "regions")
    other = d[~ok]  # resolved across districts, but no tie between actors (inflow, a member)
    other = pd.DataFrame({
        "district": other["district"], "row": other["row"], "source": other["source"],
        "target": other["target"], "kind": other["kind"], "unknown_id": other["unknown_id"],
        "problem": "links districts; not a tie between co-building units",
        "problem_zh": "跨区县的关系,但不是共建单位之间的联系(如流入地管理、党员报到)"},
        columns=cols_u)
    unresolved = pd.concat([unresolved, other], ignore_index=True)
    d = d[ok]
    src_known = src_known[ok]
    cols: dict[str, np.ndarray] = {}
    fields = {"actor": ("known_actor", "actor_id"), "name": ("known_name", "actor_name"),
              "domain": ("known_domain", "domain"), "status": ("known_status", "status"),
              "cobuilding": ("known_cobuilding", "cobuilding")}
    for side, mine in (("source", src_known), ("target", ~src_known)):
        cols[f"{side}_district"] = np.where(mine, d["district"], d["other_district"])
        cols[side] = d[side].to_numpy()
        for name, (known, other) in fields.items():
            cols[f"{side}_{name}"] = np.where(mine, d[known], d[other])
    e = pd.DataFrame({**cols, "kind": d["kind"].to_numpy(), "ledger": d["district"].to_numpy()})
    e = e[(e["source_district"] + "|" + e["source_actor"]) !=
          (e["target_district"] + "|" + e["target_actor"])]
    a = e["source_district"] + "|" + e["source_actor"]
    b = e["target_district"] + "|" + e["target_actor"]
    sym = e["kind"].isin(_SYMMETRIC).to_numpy()
    lo = np.where(sym & (b < a).to_numpy(), b, a)
    hi = np.where(sym & (b < a).to_numpy(), a, b)
    e = e.assign(key=pd.Series(lo, index=e.index) + "→" + hi + "#" + e["kind"])
    g = e.groupby("key", sort=False)
    ties = g.head(1).set_index("key")
    ties["recorded"] = g.size()
    ties["ledgers"] = g["ledger"].agg(lambda s: ";".join(sorted(set(s))))
    ties = ties.reset_index(drop=True)
    extra = ["source_status", "target_status", "source_cobuilding", "target_cobuilding"]
    return ties[cols_t + extra], unresolved, refs


def _shared_ids(out: Path, slugs: dict[str, str]) -> pd.DataFrame:
    """Unit, org and member ids that more than one district uses: districts' ids must not
    collide, or a link meant to cross districts stays inside one of them unseen."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    parts = []
    for code, slug in slugs.items():
        f = out / "districts" / slug / "ids.parquet"
        if f.exists():
            t = pq.read_table(f, columns=["id", "table"],
                              filters=[("table", "in", ["units", "orgs", "members"])])
            parts.append(t.append_column("district", pa.array([code] * len(t),
                                                               pa.large_string())))
    cols = ["id", "table", "districts", "n_districts"]
    if len(parts) < 2:
        return pd.DataFrame(columns=cols)
    t = pa.concat_tables([p.cast(pa.schema([("id", pa.large_string()),
                                             ("table", pa.large_string()),
                                             ("district", pa.large_string())]))
                          for p in parts])
    # ids as codes, and the districts each is in counted by a bincount over the distinct
    # (id, district) pairs (a group-by over five million ids took 2.6 GB)
    def codes_of(col: str) -> np.ndarray:
        enc = pc.dictionary_encode(t[col])
        got = [c.indices.fill_null(-1).to_numpy(zero_copy_only=False) for c in enc.chunks]
        return np.concatenate(got).astype(np.int64) if got else np.zeros(0, np.int64)

    ids, dist = codes_of("id"), codes_of("district")
    ok = ids >= 0
    pairs = arrays.unique(ids[ok] * (int(dist.max(initial=0)) + 1) + dist[ok])
    many = np.bincount(pairs // (int(dist.max(initial=0)) + 1),
                       minlength=int(ids.max(initial=-1)) + 1) > 1
    hit_rows = np.flatnonzero(ok & many[np.where(ok, ids, 0)]) if len(many) else []
    if not len(hit_rows):
        return pd.DataFrame(columns=cols)
    hit = t.take(pa.array(hit_rows)).to_pandas()
    res = hit.groupby("id", sort=True).agg(
        table=("table", "first"), districts=("district", lambda s: ";".join(sorted(set(s)))),
        n_districts=("district", "nunique")).reset_index()
    return res[cols]


def _status_after(ties: pd.DataFrame) -> pd.DataFrame:
    """Co-building units walled in (or paper-only) within their district whose ties across
    districts change that at the province's level."""
    ends = pd.concat([
        pd.DataFrame({"district": ties[f"{s}_district"], "actor_id": ties[f"{s}_actor"],
                      "name": ties[f"{s}_name"], "status": ties[f"{s}_status"],
                      "cobuilding": ties[f"{s}_cobuilding"], "kind": ties["kind"]})
        for s in ("source", "target")], ignore_index=True)
    ends = ends[ends["cobuilding"].astype(bool) & ends["status"].isin(
        ["walled_in", "paper_only"])]
    if not len(ends):
        return pd.DataFrame(columns=["district", "actor_id", "name", "status",
                                     "status_province"])
    real = ends.assign(real=~ends["kind"].isin(_PAPER)).groupby(
        ["district", "actor_id", "name", "status"], sort=False)["real"].any().reset_index()
    real["status_province"] = np.where(real["real"], "linked", "paper_only")
    real = real[real["status_province"] != real["status"]]
    return real.drop(columns="real").reset_index(drop=True)


_SIDE = ("n_members", "n_units", "n_orgs", "n_actors", "org_coverage", "own_org_rate",
         "work_coverage", "community_coverage", "member_attachment", "gaps", "walled_in",
         "paper_only", "taking_part", "ei_index", "completion", "needs_solved", "data_errors",
         "cross_refs")


def _side_by_side(long: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Districts as rows, the main figures as columns (values; shares for rates)."""
    keep = long[long["measure"].isin(_SIDE)]
    wide = keep.pivot_table(index="district", columns="measure", values="value",
                            aggfunc="first", sort=False)
    order = [m for m in _SIDE if m in wide.columns]
    wide = wide[order].reindex([*names, "province"]).reset_index()
    from .labels import PROVINCE_TITLES

    wide.insert(1, "district_name", wide["district"].map(
        {**names, "province": PROVINCE_TITLES["province"][0]}))
    wide.columns.name = None
    return wide


def assess_province(
    path: str | Path,
    *,
    output: str | Path = "assessment",
    scheduler: str | None = None,
    workers: int | None = None,
    rules: object = None,
    window: object = None,
    permutations: int = 200,
    seed: int = 1,
    within: str = "street",
    strict: bool = False,
    progress: bool | None = None,
    lang: str = "zh",
    aliases: object = None,
    meetings_per_year: float = 12.0,
    stalled_months: int = 6,
    venue_standard_m2: float = 300.0,
) -> ProvinceAssessment:
    """Assess every district of a province in parallel on Dask and roll the results up.

    Parameters
    ----------
    path : str or Path
        A province folder (see :func:`find_districts`).
    output : str or Path
        Folder to write to: ``districts/<district>/`` gets each district's report, workbook,
        network and result tables (Parquet). Call ``.write()`` for the province's own
        report and workbook. On an existing cluster it must be a folder every worker can
        write (a shared file system), as must ``path`` be readable.
    scheduler : str, optional
        Address of an existing Dask scheduler (``tcp://host:8786``). Default: a local
        cluster of processes on this machine, started and stopped by the call.
    workers : int, optional
        Processes of the local cluster (default: the cores, at most one per district); each
        has one thread, so it holds one district at a time. ``0`` runs the districts one
        after the other in this process, without Dask.
    rules, window, permutations, seed, within, strict, aliases, meetings_per_year,
    stalled_months, venue_standard_m2
        As for :func:`partygraph.assess`, the same for every district.
    progress : bool, optional
        A progress bar of districts done (default ``pg.config.progress``).
    lang : {"zh", "en"}
        Language of the districts' reports.

    Returns
    -------
    ProvinceAssessment

    Examples
    --------
    >>> import tempfile, partygraph as pg
    >>> from partygraph import synthetic
    >>> src = synthetic.province(tempfile.mkdtemp(), 2, 1000, cross_ties=1)
    >>> p = pg.assess_province(src, output=tempfile.mkdtemp(), permutations=0, workers=0)
    >>> p.districts["district"].tolist()[-1]
    'province'
    """
    from .coverage import _rules
    from .labels import check_lang
    from .progress import bar
    from .settings import config
    from .writing import output_dir

    check_lang(lang)
    t_all = time.perf_counter()
    found = find_districts(path)
    if not found:
        raise PartygraphError(
            f"{path}: not a province folder (one data set per district: sub-folders, "
            "workbooks, or Parquet partitioned by district=) / "
            "不是省级数据文件夹(每个区县一份数据)")
    rules = _rules(rules)
    out = output_dir(Path(output))
    opts = {"strict": strict, "window": window, "aliases": aliases, "rules": rules,
            "permutations": permutations, "seed": seed, "within": within, "lang": lang,
            "meetings_per_year": meetings_per_year, "stalled_months": stalled_months,
            "venue_standard_m2": venue_standard_m2,
            "settings": {f.name: getattr(config, f.name) for f in fields(config)}}
    order = sorted(found, key=lambda d: -d.size())  # the largest first: shortest makespan
    show = bar(len(order), "区县 districts", "district", progress)
    payloads: list[dict] = []
    t = time.perf_counter()
    n_workers = 0
    if workers == 0 and scheduler is None:
        for d in order:
            payloads.append(_district_job(d, opts, str(out)))
            show.update(1)
    else:
        from distributed import Client, LocalCluster, as_completed

        cluster = None
        if scheduler is None:
            n = workers or min(os.cpu_count() or 1, len(order))
            # on this machine only (127.0.0.1), the diagnostics page on a free port
            cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                   host="127.0.0.1", dashboard_address="127.0.0.1:0",
                                   memory_limit=0)
        try:
            try:
                client = Client(scheduler if scheduler is not None else cluster)
            except OSError as exc:  # includes timeouts: nothing answers at that address
                raise PartygraphError(
                    f"cannot reach the Dask scheduler at {scheduler or 'the local cluster'} "
                    f"({exc}) / 无法连接 Dask 调度器 {scheduler or ''}") from None
            with client:
                n_workers = len(client.scheduler_info().get("workers", {}))
                run_id = os.urandom(4).hex()  # two runs on one scheduler never share keys
                # each worker is one process with one thread: no threads within it
                opts = {**opts, "settings": {**opts["settings"], "threads": 1}}
                futures = client.map(_district_job, order, opts=opts, out=str(out),
                                     key=[f"district-{d.slug}-{run_id}" for d in order],
                                     pure=False)
                which = {f.key: d for f, d in zip(futures, order, strict=True)}
                for fut in as_completed(futures):
                    try:
                        payloads.append(fut.result())
                    except Exception as exc:  # e.g. a worker killed (memory)
                        payloads.append(_failed(which[fut.key],
                                                f"{type(exc).__name__}: {exc}"))
                    show.update(1)
                    fut.release()
        finally:
            if cluster is not None:
                cluster.close()
    show.close()
    t_run = time.perf_counter() - t
    rank = {d.code: i for i, d in enumerate(found)}
    payloads.sort(key=lambda p: rank[p["district"].code])
    ok = [p for p in payloads if p["ok"]]
    names = {p["district"].code: p["district"].name for p in ok}
    slugs = {p["district"].code: p["district"].slug for p in ok}
    failed = pd.DataFrame([(p["district"].code, p["district"].name, p["error"])
                           for p in payloads if not p["ok"]],
                          columns=["district", "district_name", "error"])
    long = _sum_measures({p["district"].code: p["tables"].get("headline") for p in ok})
    from .network import _as_window

    win = None if window is None else _as_window(window)
    ties, unresolved, refs = _cross(ok, out, slugs, win)
    if len(long):  # beside each district's data errors: how many are links to another's ids
        from .labels import PROVINCE_TITLES

        zh, en = PROVINCE_TITLES["cross_refs"]
        long = pd.concat([long, pd.DataFrame({
            "district": list(names), "measure": "cross_refs", "measure_zh": zh,
            "measure_en": en, "numerator": [float(refs.get(c, 0)) for c in names],
            "denominator": np.nan, "value": [float(refs.get(c, 0)) for c in names]})],
            ignore_index=True)
    shared = _shared_ids(out, slugs)
    # E-I: internal and external ties per domain summed, then ties across districts once
    eis = [p["ei"] for p in ok if p["ei"] is not None and len(p["ei"])]
    if eis:
        ei = pd.concat(eis).groupby("group", sort=True)[["actors", "internal",
                                                          "external"]].sum()
    else:
        ei = pd.DataFrame(columns=["actors", "internal", "external"], dtype="int64")
    E, I_ = float(ei["external"].sum()) / 2, float(ei["internal"].sum())
    ei_sum = _ei(E, I_)
    ei = ei.assign(internal_with_cross=ei["internal"], external_with_cross=ei["external"])
    if len(ties):
        sd, td = ties["source_domain"].astype("str"), ties["target_domain"].astype("str")
        same = (sd == td).to_numpy()
        for grp, n in pd.Series(sd[same]).value_counts().items():
            if grp not in ei.index:
                ei.loc[grp] = 0
            ei.loc[grp, "internal_with_cross"] += n
        for grp, n in pd.concat([sd[~same], td[~same]]).value_counts().items():
            if grp not in ei.index:
                ei.loc[grp] = 0
            ei.loc[grp, "external_with_cross"] += n
    ei_cross = _ei(float(ei["external_with_cross"].sum()) / 2,
                   float(ei["internal_with_cross"].sum()))
    ei["ei"] = [_ei(x, i) for x, i in zip(ei["external"], ei["internal"], strict=True)]
    ei["ei_with_cross"] = [_ei(x, i) for x, i in zip(ei["external_with_cross"],
                                                     ei["internal_with_cross"], strict=True)]
    ei = ei.reset_index().rename(columns={"index": "group"})
    needs = [p["tables"]["needs_all"] for p in ok if "needs_all" in p["tables"]]
    if len(long):
        long = pd.concat([long, _province_rows(long, needs, ei_sum)], ignore_index=True)
    moved = _status_after(ties) if len(ties) else _status_after(pd.DataFrame(
        columns=[f"{s}_{c}" for s in ("source", "target") for c in (
            "district", "actor", "name", "status", "cobuilding")] + ["kind"]))
    rates = [p["tables"]["rates"].assign(district=p["district"].code) for p in ok
             if "rates" in p["tables"]]
    if rates:
        r = pd.concat(rates, ignore_index=True)
        gcols = [c for c in r.columns if c not in ("numerator", "denominator", "rate",
                                                   "district") and r[c].dtype != float]
        prov_rates = r.groupby(gcols, sort=False, dropna=False)[
            ["numerator", "denominator"]].sum().reset_index()
        with np.errstate(divide="ignore", invalid="ignore"):
            prov_rates["rate"] = prov_rates["numerator"] / prov_rates["denominator"].where(
                prov_rates["denominator"] > 0)
    else:
        prov_rates = pd.DataFrame(columns=["measure", "numerator", "denominator", "rate"])
    runs = pd.DataFrame([(p["district"].code, p["district"].name, p["ok"], p["seconds"],
                          p["peak_mb"], p["worker"], sum(p["rows"].values()))
                         for p in payloads],
                        columns=["district", "district_name", "ok", "seconds", "peak_mb",
                                 "worker", "result_rows"])
    params = {"rules": rules.to_dict(), "window": window, "permutations": permutations,
              "seed": seed, "within": within, "strict": strict, "lang": lang,
              "scheduler": scheduler or ("local" if workers != 0 else "none"),
              "workers": n_workers, "source": str(path),
              "cross_ties": len(ties), "cross_ties_recorded": int(ties["recorded"].sum())
              if len(ties) else 0, "ei_index_sum": ei_sum, "ei_index_with_cross": ei_cross,
              "status_changed_by_cross": moved}
    return ProvinceAssessment(
        districts=_side_by_side(long, names) if len(long) else pd.DataFrame(
            columns=["district", "district_name"]),
        measures=long, rates=prov_rates, cross_ties=ties, unresolved=unresolved,
        ei_by_domain=ei, failed=failed, output=out, shared_ids=shared, slugs=slugs,
        rows={p["district"].code: p["rows"] for p in ok}, params=params,
        timings={"districts": t_run, "total": time.perf_counter() - t_all}, runs=runs,
        created=dt.datetime.now().strftime("%Y-%m-%d %H:%M"))
