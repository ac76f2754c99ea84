"""The assessment: every analysis in one run, written as an offline report and a workbook.

:func:`assess` validates the data and runs coverage, walls, linkage (with label
permutations), councils, bodies and projects, and matching, with the rules and window you
set. It returns an :class:`Assessment`, which holds every result table (English column
names, codes), the method and parameters, what could not be computed and why (a table the
data set lacks), and the time each step took. ``Assessment.write(dir)`` writes:

- ``report.html``: one self-contained file (scripts, styles and figures inline, a Content
  Security Policy that forbids loading anything), Chinese or English, tables sortable and
  searchable, every label escaped;
- ``assessment.xlsx``: one sheet per list with Chinese (or English) headers, ready to send
  to streets, text that looks like a formula kept as text;
- ``network.html``: the interactive network on its own.

Member-level rows (unattached, unmanaged or unregistered members; wish claims) carry the
members' pseudonymous ids only: no member column other than those the analyses compute
reaches a report, and columns recognised as personal data were dropped at loading.

Examples
--------
>>> import tempfile, partygraph as pg
>>> a = pg.assess(pg.load_example("demo"), permutations=20)
>>> sorted(p.name for p in a.write(tempfile.mkdtemp()).values())
['assessment.xlsx', 'network.html', 'report.html']
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ._threads import threads
from .arrays import limit_heaps, release_memory, remembering
from .errors import PartygraphError
from .labels import RULE_EN, check_lang, kept_columns, localise
from .progress import bar, logger
from .registry import ANALYSES, Output, output, outputs, run
from .results import Result

if TYPE_CHECKING:
    from .coverage import CoverageRules
    from .interactive import NetworkView
    from .linkage import DomainLinkage
    from .matching import MatchResult
    from .network import CoBuildingNetwork

__all__ = ["Assessment", "assess"]


class _Steps:
    """The assessment's steps: timed, logged, and a progress bar when progress is on."""

    def __init__(self, total: int, show: bool | None, desc: str = "partygraph") -> None:
        self.total, self.started, self.done = total, 0, 0
        self.bar = bar(total, desc, "step", show)
        self.timings: dict[str, float] = {}
        self.lock = threading.Lock()  # two steps may run side by side (registry.run)

    def run(self, key: str, zh: str, en: str, fn: Callable[[], object]) -> object:
        with self.lock:
            self.started += 1
            self.bar.set_description(f"[{self.started}/{self.total}] {zh} {en}")
        t0 = time.perf_counter()
        try:
            with remembering():  # lookups repeated within the step are made once
                return fn()
        finally:
            release_memory()  # what the step freed, back to the system
            with self.lock:
                self.timings[key] = time.perf_counter() - t0
                logger.info("%s (%s): %.1f s", en, key, self.timings[key])
                self.done += 1
                self.bar.update(1)
                if self.done == self.total:
                    self.bar.close()


@dataclass
class Assessment(Result):
    """Every result of :func:`assess`, with the method and parameters that made it.

    Attributes
    ----------
    tables : dict of str to DataFrame
        Result tables by key (English columns and codes): ``headline``, ``rates``,
        ``rates_by_street_domain``, ``rates_by_community``, ``gaps``, ``gap_counts``,
        ``member_view``, ``count_discrepancies``, ``walls``, ``participation``,
        ``hub_dependence``, ``reciprocity``, ``ei_by_domain``, ``linkage_significance``,
        ``segregation``, ``brokers``, ``councils``, ``bodies``, ``pipeline``, ``matches``,
        ``unmet``, ``partners``, ``wishes``, ``validation``, ``personal``, ``rejected``.
    linkage : DomainLinkage or None
    matches, wishes, partners : MatchResult or None
        The matchers' results; ``partners.candidates`` is left empty (1.5 million scored
        pairs at a million members): ``pg.suggest_partners(a.net)`` gives them.
    ties : DataFrame or None
        The horizontal ties (with crossings) the walls and linkage used.
    unavailable : dict of str to str
        Analyses that could not run, with the reason (Chinese / English).
    params : dict
        Rules (preset and every threshold), window, permutations, seed, matching level.
    timings : dict of str to float
        Seconds per step.
    source : str
    created : str
    """

    net: CoBuildingNetwork = field(repr=False)
    tables: dict[str, pd.DataFrame]
    linkage: DomainLinkage | None = None
    matches: MatchResult | None = None
    wishes: MatchResult | None = None
    partners: MatchResult | None = None
    ties: pd.DataFrame | None = field(default=None, repr=False)
    unavailable: dict[str, str] = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    source: str = ""
    created: str = ""
    method: str = "partygraph assessment"

    def _repr_html_(self) -> str:
        from .results import summary_html

        rows = []
        h = self.tables.get("headline")
        if h is not None:
            for r in h.head(14).itertuples(index=False):
                v = r.value
                shown = (f"{v:.1%}" if isinstance(v, float) and r.denominator == r.denominator
                         and r.denominator > 0 else f"{v:,.3g}" if isinstance(v, float) else v)
                rows.append((r.measure_zh, shown))
        if self.unavailable:
            rows.append(("未能计算 not computed", ", ".join(self.unavailable)))
        return summary_html(f"Assessment 评估 · {self.source or 'network'}", rows,
                            ".table(key, 'zh'), .write(folder), .network_view()")

    def __repr__(self) -> str:
        gaps = len(self.tables.get("gaps", ()))
        rules = self.params.get("rules", {}).get("name", "")
        return (f"<Assessment of {self.source or 'a network'}: {gaps:,} gaps, "
                f"{len(self.unavailable)} analyses unavailable, rules {rules}, "
                f"{self.params.get('permutations')} permutations>")

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """Every result table, by key (English columns and codes)."""
        return dict(self.tables)

    # ------------------------------------------------------------------ views
    def table(self, key: str, lang: str = "zh") -> pd.DataFrame:
        """One result table for people: headers and codes in ``lang``."""
        df = self.tables[key]
        return localise(df, lang, dict(output(key).headers))

    def network_view(self, lang: str = "zh", **kwargs: object) -> NetworkView:
        """The interactive network of the assessed data (see
        :func:`partygraph.network_view`), reusing its ties; made once per language."""
        from .interactive import network_view
        from .walls import actor_statuses

        cache = self.__dict__.setdefault("_views", {})
        key = (lang, tuple(sorted((k, repr(v)) for k, v in kwargs.items())))
        if key in cache:
            return cache[key]

        walls = None
        if self.ties is not None:
            walls = actor_statuses(self.net, self.params["window"], ties=self.ties)
        kwargs.setdefault("window", self.params["window"])
        if self.ties is not None and "region" not in kwargs:
            kwargs.setdefault("ties", self.ties)
            kwargs.setdefault("walls", walls)
        cache[key] = network_view(self.net, lang=lang, seed=self.params.get("seed", 1),
                                  **kwargs)
        return cache[key]

    def sheets(self, lang: str = "zh") -> dict[str, pd.DataFrame]:
        """The workbook's sheets, in the registry's order: name → localised table."""
        return {name: df for name, (df, _) in self._sheets(lang).items()}

    def _sheets(self, lang: str) -> dict[str, tuple[pd.DataFrame, dict[str, str]]]:
        """name → (localised table, header → "percent"/"integer"/"number" format)."""
        return sheets_of(self.tables, lang)

    # ------------------------------------------------------------------ writing
    def export_tables(self, path: str | Path, format: str = "parquet") -> Path:
        """Every result table, as the analyses return it (English columns, codes), to
        ``path/<key>.parquet`` or ``path/<key>.csv`` (UTF-8 with BOM; formula-like text
        neutralised), for other tools.

        Examples
        --------
        >>> import tempfile, pandas as pd, partygraph as pg
        >>> a = pg.assess(pg.load_example("jiangbei"), permutations=0, progress=False)
        >>> out = a.export_tables(tempfile.mkdtemp(), "parquet")
        >>> len(pd.read_parquet(out / "gaps.parquet")) == len(a.tables["gaps"])
        True
        """
        from .errors import check_choice
        from .export import write_parquet_table
        from .writing import neutralise_csv, output_dir

        check_choice("format", format, ("parquet", "csv"))
        d = output_dir(Path(path))
        for key, df in self.tables.items():
            plain = df.copy()
            plain.attrs = {}
            for c in plain.columns:  # mixed objects (lists, tuples) as text
                if plain[c].dtype == object:
                    plain[c] = plain[c].map(lambda v: v if v is None or isinstance(
                        v, str | int | float | bool) else str(v))
            if format == "parquet":
                write_parquet_table(plain, d / f"{key}.parquet")
            else:
                neutralise_csv(plain).to_csv(d / f"{key}.csv", index=False,
                                             encoding="utf-8-sig")
        return d

    def to_excel(self, path: str | Path, lang: str = "zh") -> Path:
        """Write the workbook: one sheet per list, each with a filter, the header frozen,
        rates as percentages and counts as whole numbers; safe to send on (formula-like
        text stays text, ids keep their leading zeros, columns wide enough for Chinese)."""
        from .writing import write_xlsx

        formats: dict[str, dict[str, str]] = {}
        makers = sheet_makers(self.tables, lang, formats)
        title = ("区域化党建评估" if lang == "zh" else "Co-building assessment")
        notes = {name: f"{title} · {name} · {n:,} {'行' if lang == 'zh' else 'rows'}"
                 for name, (_, n) in makers.items()}
        return write_xlsx(path, {k: v[0] for k, v in makers.items()}, notes=notes,
                          formats=formats)

    def to_html(self, path: str | Path | None = None, lang: str = "zh") -> str:
        """The self-contained HTML report (written to ``path`` when given, in UTF-8)."""
        from .report import render

        text = render(self, lang)
        if path is not None:
            from .writing import output_file

            output_file(path).write_text(text, encoding="utf-8")
        return text

    def _write_report(self, path: Path, lang: str) -> Path:
        """The report written piece by piece (as :meth:`to_html` writes it, never whole)."""
        from .report import render_pieces
        from .writing import output_file

        pieces = render_pieces(self, lang)[::-1]
        with output_file(path).open("w", encoding="utf-8") as f:  # as to_html writes it
            while pieces:
                f.write(pieces.pop())  # each piece let go once written
        return path

    def write(self, directory: str | Path, lang: str = "zh") -> dict[str, Path]:
        """Write ``report.html``, ``assessment.xlsx`` and ``network.html`` to a folder."""
        from .writing import output_dir

        d = Path(directory)
        if d.suffix.lower() in (".html", ".xlsx"):
            raise PartygraphError(f"{d}: give a folder / 请给出文件夹路径")
        d = output_dir(d)
        steps = _Steps(3, self.params.get("progress"), "partygraph write")

        def workbook() -> Path:
            return steps.run("write_workbook", "写工作簿", "assessment.xlsx",
                             lambda: self.to_excel(d / "assessment.xlsx", lang))

        # the workbook (Arrow and zlib, which let go of Python's lock) is written on a
        # second thread while the report is put together
        side = ThreadPoolExecutor(1) if threads() > 1 else None
        book = side.submit(workbook) if side is not None else None
        try:
            report = steps.run("write_report", "写报告", "report.html",
                               lambda: self._write_report(d / "report.html", lang))
        finally:
            if side is not None:
                side.shutdown()
        out = {"report": report, "workbook": book.result() if book is not None else workbook()}
        if "network" not in self.unavailable:
            out["network"] = steps.run("write_network", "写网络图", "network.html",
                                       lambda: self.network_view(lang).write(
                                           d / "network.html"))
        self.timings.update(steps.timings)
        return out


def sheets_of(tables: Mapping[str, pd.DataFrame], lang: str
              ) -> dict[str, tuple[pd.DataFrame, dict[str, str]]]:
    """The workbook's sheets of result tables, in the registry's order: name → (localised
    table, header → "percent"/"integer"/"number" format). Gaps get one sheet per rule."""
    formats: dict[str, dict[str, str]] = {}
    return {name: (make(), formats[name])
            for name, (make, _) in sheet_makers(tables, lang, formats).items()}


def sheet_makers(tables: Mapping[str, pd.DataFrame], lang: str,
                 formats: dict[str, dict[str, str]]) -> dict[str, tuple[Callable, int]]:
    """The workbook's sheets as functions that make each localised table when it is written
    (so the localised copies are never all in memory), with their row counts; each records
    its column formats in ``formats`` when called."""
    check_lang(lang)
    out: dict[str, tuple[Callable, int]] = {}

    def maker(df: pd.DataFrame, o: Output, name: str, rows: np.ndarray | None = None,
              drop: tuple[str, ...] = ()) -> Callable[[], pd.DataFrame]:
        def make() -> pd.DataFrame:
            body = df if rows is None else df.iloc[rows]
            body = body.drop(columns=[c for c in drop if c in body.columns])
            shown, fmt = _for_people(body.reset_index(drop=True), o, lang)
            formats[name] = fmt
            return shown
        return make

    for o in outputs():
        if not o.sheet or o.key not in tables:
            continue
        df = tables[o.key]
        if o.split_by and o.split_by in df.columns:
            codes, uniq = pd.factorize(df[o.split_by])
            zh_col = f"{o.split_by}_zh"
            for k, code in enumerate(uniq):
                rows = np.flatnonzero(codes == k)
                title = (df[zh_col].iloc[rows[0]] if lang == "zh" and zh_col in df.columns
                         else RULE_EN.get(str(code), str(code)))
                name = _sheet_name(f"{'缺口' if lang == 'zh' else 'Gap'}-{title}", out)
                out[name] = (maker(df, o, name, rows, (o.split_by, zh_col)), len(rows))
            continue
        name = _sheet_name(o.zh if lang == "zh" else o.en, out)
        out[name] = (maker(df, o, name), len(df))
    return out


#: Columns that lead every sheet they are in (a province's lists: the district first).
_FIRST = ("district_name", "district")


def _for_people(df: pd.DataFrame, o: Output, lang: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """A result for a sheet: key columns first, localised, with the format of each column."""
    df = o.lead_first(df, lang)[0]
    first = [c for c in _FIRST if c in df.columns]
    if first:
        df = df[first + [c for c in df.columns if c not in first]]
    from .labels import PROVINCE_HEADERS_ZH

    extra = {k: v for k, v in PROVINCE_HEADERS_ZH.items() if k in first}
    shown = localise(df, lang, {**extra, **dict(o.headers)})
    fmts: dict[str, str] = {}
    for raw, header in zip(kept_columns(df.columns), shown.columns, strict=True):
        if raw in o.percent or raw.startswith("rate_") or raw == "rate":
            fmts[header] = "percent"
        elif pd.api.types.is_integer_dtype(df[raw].dtype):
            fmts[header] = "integer"
    return shown, fmts


def _sheet_name(name: str, taken: dict) -> str:
    for ch in "[]:*?/\\":
        name = name.replace(ch, "-")
    name = name[:31]
    base, i = name, 2
    while name in taken:
        name = f"{base[:28]}~{i}"
        i += 1
    return name


# ------------------------------------------------------------------------------ assess


def _load(source: object, strict: bool, window: object, aliases: object = None
          ) -> CoBuildingNetwork:
    from .dataset import read_dataset
    from .network import CoBuildingNetwork

    if isinstance(source, CoBuildingNetwork):
        return source if window is None else source.with_window(*source.resolve_window(window))
    return read_dataset(source, strict=strict, window=window, aliases=aliases)


def assess(
    source: CoBuildingNetwork | str | Path,
    *,
    rules: CoverageRules | str | None = None,
    window: object = None,
    permutations: int = 200,
    seed: int = 1,
    within: str = "street",
    strict: bool = False,
    progress: bool | None = None,
    aliases: object = None,
    meetings_per_year: float = 12.0,
    stalled_months: int = 6,
    venue_standard_m2: float = 300.0,
) -> Assessment:
    """Run every analysis of a co-building network and gather the results.

    Parameters
    ----------
    source : CoBuildingNetwork, or a path (CSV folder or workbook)
        A path is read with :func:`read_dataset`; bad rows are set aside and listed in the
        report (``strict=True`` raises :class:`DataValidationError` instead).
    rules : CoverageRules or str, optional
        Coverage rules: a preset (``national`` default, or a case's: ``jiangbei``,
        ``longyan``, ``chaonan``, ``yongan``, ``shanghai``), a :class:`CoverageRules`, or a
        YAML/JSON rules file's path.
    window : tuple, optional
        ``(start, end)`` of the analysis; links, projects and orgs count when active in it.
    permutations : int
        Label permutations behind the linkage significance (0 skips them).
    seed : int
        Seed of the permutations and the network layout (same seed, same report).
    within : str
        Region level within which needs are matched to resources (``street`` default).
    strict : bool
        Raise on any data error instead of setting bad rows aside.
    progress : bool, optional
        Show a progress bar of the steps (default ``pg.config.progress``: on in Jupyter,
        off in plain scripts).
    aliases : path or DataFrame, optional
        An alias table mapping a ledger's names to ids (see :func:`partygraph.reconcile`).
    meetings_per_year : float
        The meeting norm of bodies and councils (联席会议 monthly: 12).
    stalled_months : int
        A body with no meeting in this many months has stalled (停摆).
    venue_standard_m2 : float
        活动阵地 area a community should have, in m² (300).

    Returns
    -------
    Assessment

    Notes
    -----
    With more than one thread (``pg.config.threads``), two analyses that do not depend on
    each other run side by side; the results are the same as one after another. So that
    what each frees goes back to the system, the process's C library (glibc) is then asked
    to keep one heap per thread (``M_ARENA_MAX``; by default it keeps up to eight per core).

    Examples
    --------
    >>> import partygraph as pg
    >>> a = pg.assess(pg.load_example("jiangbei"), rules="jiangbei", permutations=0)
    >>> "building_without_group" in set(a.tables["gaps"]["rule"])
    True
    """
    from .coverage import _rules

    show = progress
    # one C heap per thread the assessment runs (steps side by side, kernels on threads):
    # what a step frees then goes back to the system between steps
    limit_heaps(threads())
    steps = _Steps(len(ANALYSES) + 1, show, "partygraph assess")
    net = steps.run("load", "读取与检查数据", "reading and validating",
                    lambda: _load(source, strict, window, aliases))
    rules = _rules(rules)
    win = net.window
    params = {"rules": rules.to_dict(), "window": win, "permutations": permutations,
              "seed": seed, "within": within, "strict": strict, "progress": show,
              "meetings_per_year": meetings_per_year, "stalled_months": stalled_months,
              "venue_standard_m2": venue_standard_m2}
    params["rules_object"] = rules
    ctx = run(net, params, steps.run)
    params.pop("rules_object")
    # what the analyses shared, let go (300 MB at 1M members); the actors' wall statuses
    # (20 MB there) stay for the picture of the network
    net.forget_made(keep=("actor_statuses",))
    a = Assessment(net, ctx.tables, linkage=ctx.res.get("linkage"),
                   matches=ctx.res.get("matches"), wishes=ctx.res.get("wishes"),
                   partners=ctx.res.get("partners"), ties=ctx.res.get("ties"),
                   unavailable=ctx.unavailable, params=params,
                   source=str(getattr(net, "source", "") or ""),
                   created=dt.datetime.now().strftime("%Y-%m-%d %H:%M"))
    order = ["load", *(x.key for x in ANALYSES)]  # in the declared order, however run
    a.timings = dict(sorted(steps.timings.items(),
                            key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))
    return a
