"""The co-building network: validated tables in columnar form, and views of them.

A :class:`CoBuildingNetwork` never changes once made; methods that select (``subset``,
``with_window``) return a new network that shares unchanged tables (pandas copy-on-write).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import MissingTableError, PartygraphError
from .schema import LEVEL_ORDER, TABLE_ORDER, TABLES, VOCABULARIES

__all__ = ["CoBuildingNetwork", "Window"]

Window = tuple[pd.Timestamp | None, pd.Timestamp | None]


def _as_window(window: object) -> Window:
    if window is None:
        return (None, None)
    if not isinstance(window, tuple | list) or len(window) != 2:
        raise PartygraphError(
            "window must be (start, end); either may be None / 分析时段应为(开始, 结束)"
        )
    out = []
    for w in window:
        if w is None or (isinstance(w, float) and np.isnan(w)):
            out.append(None)
        else:
            try:
                out.append(pd.Timestamp(w))
            except (ValueError, TypeError) as exc:
                raise PartygraphError(f"unreadable window date {w!r} / 无法识别的日期") from exc
    start, end = out
    if start is not None and end is not None and end < start:
        raise PartygraphError("window end is before its start / 分析时段的结束早于开始")
    return (start, end)


class CoBuildingNetwork:
    """A co-building network: the validated tables of one data set.

    Build it with :func:`partygraph.read_dataset` or :func:`partygraph.from_frames`.

    Attributes
    ----------
    tables : dict of str to DataFrame
        Every table present, canonical column names and codes, extra columns kept.
    report : DataFrame
        Problems found while loading (warnings; in lenient mode also the errors whose rows
        were set aside). Columns ``table, row, column, value, problem, problem_zh, severity``.
    rejected : dict of str to DataFrame
        Rows set aside in lenient mode, with their ``row`` number.
    personal : DataFrame
        Columns recognised as personal data and kept out (``table, column, reason``).
    window : tuple
        The analysis window ``(start, end)``; ``None`` ends are open.
    accounting : DataFrame
        Per table: ``read`` (records in the file, empty rows not counted), ``loaded`` and
        ``set_aside``; always ``read == loaded + set_aside``.

    Examples
    --------
    >>> import partygraph as pg
    >>> net = pg.load_example("demo")
    >>> net.tables["units"].columns[:3].tolist()
    ['id', 'name', 'kind']
    """

    def __init__(
        self,
        tables: dict[str, pd.DataFrame],
        *,
        report: pd.DataFrame | None = None,
        rejected: dict[str, pd.DataFrame] | None = None,
        personal: pd.DataFrame | None = None,
        rows: dict[str, np.ndarray] | None = None,
        window: object = None,
        source: str | None = None,
        accounting: pd.DataFrame | None = None,
    ) -> None:
        from .validation import REPORT_COLUMNS

        self._tables = {t: tables[t] for t in TABLE_ORDER if t in tables}
        self.report = (
            report if report is not None else pd.DataFrame(columns=REPORT_COLUMNS)
        )
        self.rejected = rejected or {}
        self.personal = (
            personal
            if personal is not None
            else pd.DataFrame(columns=["table", "column", "reason"])
        )
        self.rows = rows or {t: np.arange(len(df)) for t, df in self._tables.items()}
        self.window: Window = _as_window(window)
        self.source = source
        self.accounting = accounting if accounting is not None else pd.DataFrame({
            "table": list(self._tables), "read": [len(d) for d in self._tables.values()],
            "loaded": [len(d) for d in self._tables.values()],
            "set_aside": [0] * len(self._tables)})

    # ------------------------------------------------------------------ access
    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables (a new dict; the frames themselves are shared, copy-on-write)."""
        return dict(self._tables)

    def made(self, key: object, make: Callable[[], Any]) -> Any:
        """What the analyses make of this network once and share (coverage facts, wall
        statuses, the region of each id, the need list): ``make()`` the first time, kept
        under ``key`` after that. A network never changes, so nothing kept goes stale;
        :meth:`forget_made` lets it all go."""
        kept = self.__dict__.setdefault("_made", {})
        if key not in kept:
            kept[key] = make()
        return kept[key]

    def forget_made(self, key: object = None, *, keep: tuple = ()) -> None:
        """Let go of what :meth:`made` kept under ``key``, or of all of it but the keys in
        ``keep`` (it is made again when asked)."""
        kept = self.__dict__.get("_made", {})
        if key is None:
            self.__dict__["_made"] = {k: kept[k] for k in keep if k in kept}
        else:
            kept.pop(key, None)

    def has(self, table: str) -> bool:
        return table in self._tables

    def table(self, name: str, analysis: str = "this analysis") -> pd.DataFrame:
        """One table, or :class:`MissingTableError` naming the analysis that needs it."""
        if name not in self._tables:
            raise MissingTableError(name, analysis)
        return self._tables[name]

    def __repr__(self) -> str:
        parts = ", ".join(f"{len(df):,} {t}" for t, df in self._tables.items())
        w = ""
        if self.window != (None, None):
            a, b = (x.date().isoformat() if x is not None else "…" for x in self.window)
            w = f", window {a} – {b}"
        return f"<CoBuildingNetwork: {parts}{w}>"

    def _repr_html_(self) -> str:
        from .results import summary_html
        from .schema import TABLES

        rows = [(f"{TABLES[t].zh} {t}", f"{len(df):,} 行 rows") for t, df in self._tables.items()]
        errors = int((self.report["severity"] == "error").sum()) if len(self.report) else 0
        rows.append(("数据问题 problems", f"{len(self.report):,} ({errors:,} errors)"))
        if self.window != (None, None):
            rows.append(("分析时段 window", " – ".join(
                x.date().isoformat() if x is not None else "…" for x in self.window)))
        return summary_html("CoBuildingNetwork 区域化党建网络", rows,
                            "net.tables, net.report, pg.assess(net)")

    def _replace(self, tables: dict[str, pd.DataFrame] | None = None, **kw) -> CoBuildingNetwork:
        return CoBuildingNetwork(
            tables if tables is not None else self._tables,
            report=self.report,
            rejected=self.rejected,
            personal=self.personal,
            rows=kw.pop("rows", self.rows),
            window=kw.pop("window", self.window),
            source=self.source,
            accounting=self.accounting if tables is None else None,
        )

    # ------------------------------------------------------------------ time
    def with_window(self, start: object = None, end: object = None) -> CoBuildingNetwork:
        """The same network with another analysis window.

        >>> import partygraph as pg
        >>> pg.load_example("demo").with_window("2023-01-01", "2023-12-31").window[0].year
        2023
        """
        return self._replace(window=(start, end))

    def resolve_window(self, window: object = None) -> Window:
        """``window`` if given, else the network's own."""
        return self.window if window is None else _as_window(window)

    def active(self, table: str, window: object = None) -> np.ndarray:
        """Rows of ``table`` active at some time in the window (links, projects: start/end;
        orgs: established/dissolved)."""
        df = self.table(table)
        a, b = ("established", "dissolved") if table == "orgs" else ("start", "end")
        start, end = self.resolve_window(window)
        ok = np.ones(len(df), dtype=bool)
        if end is not None:
            ok &= ~(df[a] > end).fillna(False).to_numpy(dtype=bool)
        if start is not None:
            ok &= ~(df[b] < start).fillna(False).to_numpy(dtype=bool)
        return ok

    def orgs_standing(self, window: object = None) -> np.ndarray:
        """Orgs that stand at the end of the window: established by then (or undated) and not
        dissolved by then. With an open end, any org with a dissolved date is dissolved."""
        o = self.table("orgs")
        _, end = self.resolve_window(window)
        if end is None:
            return o["dissolved"].isna().to_numpy()
        est_ok = ~(o["established"] > end).fillna(False).to_numpy(dtype=bool)
        not_diss = ~(o["dissolved"] <= end).fillna(False).to_numpy(dtype=bool)
        return est_ok & not_diss

    # ------------------------------------------------------------------ regions
    @cached_property
    def regions_frame(self) -> pd.DataFrame:
        """Every region with its depth and its ancestors at each level (itself included).

        Columns ``id, name, level, parent_id, depth`` and one ``<level>_id`` column per level
        in :data:`partygraph.schema.LEVEL_ORDER`. Computed with integer arrays (pointer
        jumping), not a loop per region.
        """
        if "regions" not in self._tables:
            return pd.DataFrame(columns=["id", "name", "level", "parent_id", "depth"])
        r = self._tables["regions"][["id", "name", "level", "parent_id"]].copy()
        n = len(r)
        pos = pd.Series(np.arange(n), index=r["id"].to_numpy())
        parent = r["parent_id"].map(pos).fillna(-1).to_numpy(dtype=np.int64)
        levels = r["level"].to_numpy(dtype=object)
        depth = np.zeros(n, dtype=np.int64)
        anc = {lv: np.where(levels == lv, np.arange(n), -1) for lv in LEVEL_ORDER}
        cur = parent.copy()
        while (cur >= 0).any():
            has = cur >= 0
            depth[has] += 1
            for lv in LEVEL_ORDER:
                a = anc[lv]
                take = has & (a < 0)
                take[take] = levels[cur[take]] == lv
                a[take] = cur[take]
            nxt = np.full(n, -1, dtype=np.int64)
            nxt[has] = parent[cur[has]]
            cur = nxt
        ids = r["id"].to_numpy(dtype=object)
        r["depth"] = depth
        for lv in LEVEL_ORDER:
            a = anc[lv]
            col = np.full(n, None, dtype=object)
            col[a >= 0] = ids[a[a >= 0]]
            r[f"{lv}_id"] = pd.Series(col, dtype="str")
        return r

    def region_of(self, table: str) -> pd.Series:
        """Region id of each row of ``units``, ``orgs`` (own or unit's region), ``members``
        (residence), ``resources`` or ``demands``, aligned with the table."""
        df = self.table(table)
        if table == "orgs":
            reg = df["region_id"]
            if "units" in self._tables:
                from .arrays import index_of, take_str

                u = self._tables["units"]
                pos = index_of(df["unit_id"], u["id"])
                by_unit = pd.Series(take_str(u["region_id"], pos), index=df.index)
                reg = reg.where(reg.notna(), by_unit)
            return reg
        if table == "members":
            return df["residence_id"]
        return df["region_id"]

    def region_names(self, region_ids: pd.Series | None = None) -> pd.Series:
        """The name of each region id (aligned with ``region_ids``), or, with no argument,
        every region's name indexed by its id. Unknown ids give a missing name."""
        from .arrays import index_of, take_str

        rf = self.regions_frame
        if region_ids is None:
            return pd.Series(rf["name"].to_numpy(), index=rf["id"].to_numpy(), dtype="str")
        pos = index_of(pd.Series(region_ids, dtype="str"), rf["id"])
        return pd.Series(take_str(rf["name"], pos), index=region_ids.index)

    def ancestor(self, region_ids: pd.Series, level: str) -> pd.Series:
        """The ancestor at ``level`` of each region id (the region itself if at that level)."""
        from .arrays import index_of, take_str

        rf = self.regions_frame
        if f"{level}_id" not in rf.columns:
            return pd.Series(pd.NA, index=region_ids.index, dtype="str")
        pos = index_of(region_ids, rf["id"])
        return pd.Series(take_str(rf[f"{level}_id"], pos), index=region_ids.index)

    def descendants(self, region: str | Iterable[str]) -> set[str]:
        """Ids of the given regions and every region below them."""
        roots = {region} if isinstance(region, str) else set(region)
        rf = self.regions_frame
        if not len(rf):
            return roots
        known = set(rf["id"])
        missing = roots - known
        if missing:
            by_name = rf[rf["name"].isin(missing)]
            roots = (roots - missing) | set(by_name["id"])
            still = missing - set(by_name["name"])
            if still:
                raise PartygraphError(f"unknown region(s): {sorted(still)} / 未知区域")
        mask = np.array(rf["id"].isin(roots), dtype=bool)
        for lv in LEVEL_ORDER:
            mask |= rf[f"{lv}_id"].isin(roots).fillna(False).to_numpy(dtype=bool)
        # regions whose chain passes through a root that is at no standard level
        parent = rf["parent_id"]
        grow = True
        while grow:
            inside = set(rf["id"][mask])
            new = ~mask & parent.isin(inside).to_numpy(dtype=bool)
            grow = bool(new.any())
            mask |= new
        return set(rf["id"][mask])

    # ------------------------------------------------------------------ selection
    def subset(self, region: str | Iterable[str]) -> CoBuildingNetwork:
        """The network of one street or community (by id or name) and all that belongs to it.

        Kept: the region's subtree and its ancestors; units sitting in it; orgs built in those
        units or over those regions; members attached to, working in or living in any of
        those; links with both ends kept; projects with a participant kept (and those
        participations); resources and demands of kept owners.

        >>> import partygraph as pg
        >>> net = pg.load_example("demo")
        >>> street = net.tables["regions"].query("level == 'street'")["id"].iloc[0]
        >>> len(net.subset(street).tables["units"]) < len(net.tables["units"])
        True
        """
        inside = self.descendants(region)
        t = self._tables
        out: dict[str, pd.DataFrame] = {}
        keep_rows: dict[str, np.ndarray] = {}

        def put(name: str, mask: np.ndarray) -> None:
            out[name] = t[name][mask].reset_index(drop=True)
            keep_rows[name] = self.rows.get(name, np.arange(len(t[name])))[mask]

        if "regions" in t:
            rf = self.regions_frame
            anc: set[str] = set()
            sel = rf[rf["id"].isin(inside)]
            for lv in LEVEL_ORDER:
                anc.update(sel[f"{lv}_id"].dropna().tolist())
            # ancestors through parent links (covers non-standard levels)
            parent = dict(zip(rf["id"], rf["parent_id"], strict=True))
            frontier = set(sel["parent_id"].dropna())
            while frontier:
                anc |= frontier
                frontier = {parent.get(p) for p in frontier} - anc - {None, np.nan}
                frontier = {p for p in frontier if isinstance(p, str)}
            put("regions", t["regions"]["id"].isin(inside | anc).to_numpy(dtype=bool))
        units = t["units"]
        put("units", units["region_id"].isin(inside).to_numpy(dtype=bool))
        unit_ids = set(out["units"]["id"])
        o = t["orgs"]
        put("orgs", (o["unit_id"].isin(unit_ids) | o["region_id"].isin(inside))
            .to_numpy(dtype=bool))
        org_ids = set(out["orgs"]["id"])
        member_ids: set[str] = set()
        if "members" in t:
            m = t["members"]
            put("members", (m["org_id"].isin(org_ids) | m["unit_id"].isin(unit_ids)
                            | m["residence_id"].isin(inside)).to_numpy(dtype=bool))
            member_ids = set(out["members"]["id"])
        nodes = inside | unit_ids | org_ids | member_ids
        if "links" in t:
            lk = t["links"]
            put("links", (lk["source"].isin(nodes) & lk["target"].isin(nodes))
                .to_numpy(dtype=bool))
        if "participation" in t:
            pa = t["participation"]
            put("participation", pa["participant_id"].isin(nodes).to_numpy(dtype=bool))
            if "projects" in t:
                pids = set(out["participation"]["project_id"])
                put("projects", t["projects"]["id"].isin(pids).to_numpy(dtype=bool))
        elif "projects" in t:
            put("projects", np.zeros(len(t["projects"]), dtype=bool))
        for name, owner in (("resources", "owner_id"), ("demands", "requester_id")):
            if name in t:
                put(name, t[name][owner].isin(nodes).to_numpy(dtype=bool))
        return self._replace(out, rows=keep_rows)

    # ------------------------------------------------------------------ summaries
    def summary(self, lang: str = "en") -> pd.DataFrame:
        """Counts per table and per code, as a tidy DataFrame.

        Columns ``table``, ``column``, ``value``, ``label`` (Chinese or English, by ``lang``)
        and ``count``. Rows with ``column == ""`` are whole-table counts.

        >>> import partygraph as pg
        >>> s = pg.load_example("demo").summary()
        >>> int(s.query("table == 'units' and column == ''")["count"].iloc[0]) > 0
        True
        """
        rows = []
        by = {
            "regions": ["level"],
            "units": ["domain", "kind"],
            "orgs": ["kind"],
            "members": ["status", "category"],
            "links": ["kind"],
            "projects": ["status", "kind"],
            "participation": ["role"],
            "resources": ["category"],
            "demands": ["category"],
        }
        for t, df in self._tables.items():
            tab = TABLES[t]
            rows.append((t, "", "", tab.zh if lang == "zh" else tab.en, len(df)))
            for col in by.get(t, []):
                vocab = VOCABULARIES[tab.column(col).vocab]
                counts = df[col].value_counts(dropna=False)
                for code in [*vocab.code_list(), None]:
                    c = int(counts.get(code, 0)) if code is not None else int(
                        df[col].isna().sum())
                    if c == 0:
                        continue
                    label = vocab.label(code, lang) if code else ("未填" if lang == "zh"
                                                                   else "(empty)")
                    rows.append((t, col, code or "", label, c))
        if len(self.report):
            for sev, grp in self.report.groupby("severity"):
                rows.append(("report", "severity", sev,
                             {"error": "已搁置问题", "warning": "提示"}.get(sev, sev)
                             if lang == "zh" else sev, len(grp)))
        return pd.DataFrame(rows, columns=["table", "column", "value", "label", "count"])

    # ------------------------------------------------------------------ export
    def to_networkx(self):
        """The full multigraph as a ``networkx.MultiDiGraph``.

        Nodes carry ``type`` (``region``, ``unit``, ``org``, ``member``, ``project``) and their
        table's columns. Edges carry ``kind``: a link kind (links active in the window only),
        or ``subordinate`` (org → parent org), ``located_in`` (unit → region, org → unit or
        region, region → parent region), ``member_of`` (member → org), ``works_at``
        (member → unit), ``lives_in`` (member → region), ``participates`` (participant →
        project, with ``role``). Built for interoperability and small networks: analyses in
        partygraph never build it.

        Returns
        -------
        networkx.MultiDiGraph

        Examples
        --------
        >>> import partygraph as pg
        >>> g = pg.load_example("demo").to_networkx()
        >>> sorted({d["type"] for _, d in g.nodes(data=True)})[:3]
        ['member', 'org', 'project']
        """
        import networkx as nx

        g = nx.MultiDiGraph()
        type_names = {"regions": "region", "units": "unit", "orgs": "org",
                      "members": "member", "projects": "project"}
        for t, typ in type_names.items():
            if t not in self._tables:
                continue
            df = self._tables[t]
            cols = [c for c in df.columns if c != "id"]
            recs = df[cols].astype(object).where(df[cols].notna(), None).to_dict("records")
            g.add_nodes_from(
                (i, {"type": typ, **{k: v for k, v in r.items() if v is not None}})
                for i, r in zip(df["id"].tolist(), recs, strict=True)
            )

        def edges(src: pd.Series, dst: pd.Series, kind: str, attrs: pd.DataFrame | None = None,
                  dst_type: str | None = None) -> None:
            ok = src.notna() & dst.notna()
            s, d = src[ok].tolist(), dst[ok].tolist()
            if dst_type is not None:
                for x in set(d) - set(g.nodes):
                    g.add_node(x, type=dst_type)
            if attrs is None:
                g.add_edges_from((a, b, {"kind": kind}) for a, b in zip(s, d, strict=True))
            else:
                a2 = attrs[ok.to_numpy()]
                recs = a2.astype(object).where(a2.notna(), None).to_dict("records")
                g.add_edges_from(
                    (a, b, {"kind": kind, **{k: v for k, v in r.items() if v is not None}})
                    for a, b, r in zip(s, d, recs, strict=True)
                )

        t = self._tables
        if "regions" in t:
            edges(t["regions"]["id"], t["regions"]["parent_id"], "located_in")
        edges(t["units"]["id"], t["units"]["region_id"], "located_in", dst_type="region")
        o = t["orgs"]
        edges(o["id"], o["parent_id"], "subordinate")
        edges(o["id"], o["unit_id"], "located_in")
        edges(o["id"], o["region_id"].where(o["unit_id"].isna()), "located_in",
              dst_type="region")
        if "members" in t:
            m = t["members"]
            known_org = m["org_id"].where(m["org_id"].isin(set(o["id"])))
            edges(m["id"], known_org, "member_of")
            edges(m["id"], m["unit_id"], "works_at")
            edges(m["id"], m["residence_id"], "lives_in", dst_type="region")
        if "participation" in t and "projects" in t:
            p = t["participation"]
            edges(p["participant_id"], p["project_id"], "participates", p[["role"]])
        if "links" in t:
            lk = t["links"][self.active("links")]
            extra = [c for c in lk.columns if c not in ("source", "target", "kind")]
            for kind, grp in lk.groupby("kind", sort=False):
                edges(grp["source"], grp["target"], str(kind), grp[extra])
        return g

    def write(self, path: str | Path) -> Path:
        """Write the tables to a folder of CSV files or an ``.xlsx`` workbook.

        Reading the result back with :func:`partygraph.read_dataset` gives equal tables
        (extra columns included). See :func:`partygraph.write_dataset`.
        """
        from .writing import write_dataset

        return write_dataset(self, path)
