"""Loading data sets: files, DataFrames and the bundled examples.

Examples
--------
>>> import partygraph as pg
>>> net = pg.load_example("demo")
>>> net.tables["orgs"]["kind"].isin(["committee", "branch", "working_committee",
...     "general_branch", "group", "joint_branch", "compound", "temporary", "body"]).all()
np.True_
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from .errors import DataValidationError, PartygraphError, PartygraphWarning
from .names import read_aliases
from .network import CoBuildingNetwork
from .progress import logger
from .reading import raw_from_frames, read_raw
from .schema import TABLES
from .validation import Validated, validate_raw

__all__ = [
    "example_path", "from_frames", "list_examples", "load_example", "read_dataset", "reconcile",
    "validate", "write_reconcile",
]


def _network(v: Validated, strict: bool, window: object, source: str) -> CoBuildingNetwork:
    from .arrays import release_memory

    release_memory()  # what reading and checking freed (450 MB at a million members)
    if strict and not v.ok:
        raise DataValidationError(v.report)
    acc = v.accounting.set_index("table") if len(v.accounting) else None
    for t in ("units", "orgs"):
        if t not in v.tables:
            raise DataValidationError(v.report) if not v.ok else PartygraphError(
                f"the required table '{t}' ({TABLES[t].zh}) is missing / "
                f"缺少必需的“{TABLES[t].zh}”表")
        if acc is not None and acc.loc[t, "read"] > 0 and acc.loc[t, "loaded"] == 0:
            raise PartygraphError(
                f"every row of the required table '{t}' ({TABLES[t].zh}) was set aside "
                f"({acc.loc[t, 'set_aside']} rows): nothing can be assessed; see the "
                f"validation report / 必需的“{TABLES[t].zh}”表的所有行均因问题被搁置"
                f"({acc.loc[t, 'set_aside']} 行),无法评估,请查看数据检查报告")
    if acc is not None and acc["set_aside"].sum():
        n = int(acc["set_aside"].sum())
        detail = ", ".join(f"{t} {int(r.set_aside)}" for t, r in acc.iterrows() if r.set_aside)
        message = (f"{n} row(s) set aside because of data errors ({detail}); see "
                   f"net.report and net.rejected / {n} 行因数据错误被搁置")
        logger.warning(message)
        warnings.warn(message, PartygraphWarning, stacklevel=3)
    net = CoBuildingNetwork(
        v.tables, report=v.report, rejected=v.rejected, personal=v.personal, rows=v.rows,
        window=window, source=source, accounting=v.accounting,
    )
    from .arrays import register_codes

    register_codes(net, *v.codes)  # lookups between its id columns by integer codes
    return net


def read_dataset(
    path: str | Path, *, strict: bool = True, window: object = None, aliases: object = None
) -> CoBuildingNetwork:
    """Read and validate a data set from a folder of CSV files or an Excel workbook.

    Parameters
    ----------
    path : str or Path
        A folder of CSV files named after the tables (``units.csv`` or ``单位.csv`` ...) in
        UTF-8, UTF-8 with BOM or GB18030/GBK (detected), or one ``.xlsx``/``.xls`` workbook
        with a sheet per table (sheet names English or Chinese). Title rows above the header
        and empty trailing rows are ignored; headers may be English or Chinese aliases.
    strict : bool, default True
        Raise :class:`DataValidationError` carrying every problem if there is any error;
        with ``False``, set the bad rows aside (``net.rejected``) and list them in
        ``net.report``.
    window : tuple, optional
        The analysis window ``(start, end)``.
    aliases : path or DataFrame, optional
        An alias table (``value`` → ``id``, or the 对照表 that :func:`reconcile` writes,
        completed by hand): values as typed in the ledger mapped to the chosen ids before
        references are resolved by name (see :mod:`partygraph.names`).

    Returns
    -------
    CoBuildingNetwork

    Examples
    --------
    >>> import partygraph as pg
    >>> net = pg.read_dataset(pg.example_path("demo"))
    >>> net.report.query("severity == 'error'").empty
    True
    """
    raw, notes = read_raw(path)
    return _network(validate_raw(raw, notes, read_aliases(aliases)), strict, window, str(path))


def from_frames(
    *, strict: bool = True, window: object = None, aliases: object = None,
    **tables: pd.DataFrame
) -> CoBuildingNetwork:
    """Build a network from DataFrames, validated like files.

    Keyword names are table names (``units``, ``orgs``, ``members``, ``links``, ...; Chinese
    names work too). In reports, ``row`` is the frame's 0-based position.

    Parameters
    ----------
    strict : bool
        Raise on any data error (default) instead of setting bad rows aside.
    window : tuple, optional
        The analysis window ``(start, end)``; default: the network's.
    aliases : path or DataFrame, optional
        An alias table mapping a ledger's names to ids (:func:`partygraph.reconcile`).
    **tables : DataFrame or Arrow table
        Tables by name (English or Chinese): pandas, pyarrow, polars, or any table with the
        Arrow PyCapsule interface.

    Returns
    -------
    CoBuildingNetwork
        The validated network (``.report`` lists every problem).

    Examples
    --------
    >>> import pandas as pd, partygraph as pg
    >>> units = pd.DataFrame({"单位编码": ["U1"], "单位名称": ["某公司"], "单位类型": ["非公企业"],
    ...                       "所在区域": ["R1"]})
    >>> orgs = pd.DataFrame({"id": ["O1"], "name": ["某公司党支部"], "kind": ["branch"],
    ...                      "unit_id": ["U1"]})
    >>> net = pg.from_frames(units=units, orgs=orgs)
    >>> net.tables["units"].loc[0, "domain"]
    'private'
    """
    raw = raw_from_frames(tables)
    return _network(validate_raw(raw, (), read_aliases(aliases)), strict, window, "DataFrames")


def _validated(source: object, aliases: object = None) -> Validated:
    if isinstance(source, dict):
        return validate_raw(raw_from_frames(source), (), read_aliases(aliases))
    raw, notes = read_raw(source)
    return validate_raw(raw, notes, read_aliases(aliases))


def reconcile(source: str | Path | dict[str, pd.DataFrame], *,
              aliases: object = None) -> dict[str, pd.DataFrame]:
    """What a person fixes by hand so that a ledger's names meet their ids (对照表).

    Returns DataFrames: ``resolved`` (every value resolved by name, with its id, to check),
    ``unresolved`` (every ambiguous or unknown name, with the candidates or the closest
    names, and an empty ``chosen_id`` 选定编码 column to fill in) and ``duplicates`` (probable
    duplicate units and orgs). :func:`write_reconcile` writes them as a workbook; reading the
    data again with ``aliases=`` that workbook applies the chosen ids.

    Parameters
    ----------
    source : str, Path or dict of DataFrames
        A CSV folder, a workbook, a Parquet folder, or tables by name.
    aliases : path or DataFrame, optional
        An alias table mapping a ledger's names to ids (:func:`partygraph.reconcile`).

    Returns
    -------
    dict of str to DataFrame
        ``names`` (every name: resolved, ambiguous or unknown, with candidates) and
        ``duplicates`` (probable duplicates).

    Examples
    --------
    >>> import partygraph as pg
    >>> sorted(pg.reconcile(pg.example_path("demo")))
    ['duplicates', 'resolved', 'unresolved']
    """
    v = _validated(source, aliases)
    log = v.names
    cols = ["table", "column", "value", "outcome", "id", "candidates", "rows"]
    log = log if len(log) else pd.DataFrame(columns=cols)
    resolved = log[log["outcome"].isin(["by_name", "alias"])].reset_index(drop=True)
    unresolved = log[log["outcome"].isin(["ambiguous", "unknown"])].drop(
        columns=["id"]).reset_index(drop=True)
    unresolved["chosen_id"] = pd.Series(pd.NA, index=unresolved.index, dtype="str")
    return {"resolved": resolved, "unresolved": unresolved, "duplicates": v.duplicates}


def write_reconcile(source: str | Path | dict[str, pd.DataFrame], path: str | Path, *,
                    aliases: object = None) -> Path:
    """Write :func:`reconcile` as a workbook (对照表) with Chinese headers; fill in 选定编码
    and read the data with ``aliases=`` this file.

    Parameters
    ----------
    source : str, Path or dict of DataFrames
        A CSV folder, a workbook, a Parquet folder, or tables by name.
    path : str or Path
        The ``.xlsx`` workbook to write.
    aliases : path or DataFrame, optional
        An alias table mapping a ledger's names to ids (:func:`partygraph.reconcile`).

    Returns
    -------
    Path
        The workbook: one sheet of names to complete by hand, one of probable duplicates.

    Examples
    --------
    >>> import tempfile, os, partygraph as pg
    >>> p = pg.write_reconcile(pg.example_path("jiangbei_ledger"),
    ...                        os.path.join(tempfile.mkdtemp(), "对照表.xlsx"))
    >>> p.suffix
    '.xlsx'
    """
    from .writing import write_xlsx

    parts = reconcile(source, aliases=aliases)
    heads = {"table": "表", "column": "列", "value": "名称或编码", "outcome": "结果",
             "id": "匹配编码", "candidates": "候选或最接近的名称", "rows": "行数",
             "chosen_id": "选定编码", "ids": "编码", "reason_zh": "原因", "name": "名称"}
    outcome = {"by_name": "按名称匹配", "alias": "按对照表", "ambiguous": "名称不唯一",
               "unknown": "未找到"}
    sheets = {}
    for key, title in (("unresolved", "待确认"), ("resolved", "已按名称匹配"),
                       ("duplicates", "疑似重复")):
        df = parts[key].copy()
        if "outcome" in df.columns:
            df["outcome"] = df["outcome"].map(outcome)
        if "reason" in df.columns:
            df = df.drop(columns=["reason"])
        sheets[title] = df.rename(columns=heads)
    return write_xlsx(path, sheets, formats={"待确认": {"选定编码": "text"}})


def validate(source: str | Path | dict[str, pd.DataFrame], *,
             aliases: object = None) -> pd.DataFrame:
    """Every problem in a data set, without raising: the validation report.

    Columns ``table``, ``row``, ``column``, ``value``, ``problem``, ``problem_zh``,
    ``severity`` (``error`` rows would be set aside; ``warning`` rows are kept).

    Parameters
    ----------
    source : str, Path or dict of DataFrames
        A CSV folder, a workbook, a Parquet folder, or tables by name.
    aliases : path or DataFrame, optional
        An alias table mapping a ledger's names to ids (:func:`partygraph.reconcile`).

    Returns
    -------
    DataFrame
        Every problem: ``table, row, column, value, problem, problem_zh, severity``
        (empty: no problem).

    >>> import partygraph as pg
    >>> pg.validate(pg.example_path("demo")).query("severity == 'error'").empty
    True
    """
    return _validated(source, aliases).report


def _datasets_dir() -> Path:
    here = Path(__file__).resolve().parent
    for cand in (here / "datasets", here.parents[1] / "datasets"):
        if cand.is_dir():
            return cand
    raise PartygraphError("the bundled data sets are missing from this installation / 缺少示例数据")


def list_examples() -> pd.DataFrame:
    """The bundled example data sets: ``name``, ``title`` and ``path``.

    Returns
    -------
    DataFrame
        ``name``, ``description`` and ``path`` of every bundled data set.

    >>> import partygraph as pg
    >>> "demo" in pg.list_examples()["name"].tolist()
    True
    """
    rows = []
    for d in sorted(_datasets_dir().iterdir()):
        if d.is_dir() and ((d / "units.csv").exists() or _workbook_of(d) is not None):
            readme = d / "README.md"
            title = ""
            if readme.exists():
                first = readme.read_text(encoding="utf-8").splitlines()[:1]
                title = first[0].lstrip("# ").strip() if first else ""
            rows.append({"name": d.name, "title": title, "path": str(d)})
    return pd.DataFrame(rows, columns=["name", "title", "path"])


def _workbook_of(folder: Path) -> Path | None:
    """The one workbook of a bundled example kept as a ledger workbook, if that is its form."""
    books = sorted(folder.glob("*.xlsx"))
    return books[0] if len(books) == 1 and not (folder / "units.csv").exists() else None


def example_path(name: str) -> Path:
    """The folder (or, for a ledger-style example, the workbook) of a bundled data set.

    Parameters
    ----------
    name : str
        A bundled example (:func:`list_examples`).

    Returns
    -------
    Path
        Its folder (or workbook).

    Examples
    --------
    >>> import partygraph as pg
    >>> pg.example_path("jiangbei").name
    'jiangbei'
    """
    d = _datasets_dir() / name
    book = _workbook_of(d) if d.is_dir() else None
    if book is not None:
        return book
    if not (d / "units.csv").exists():
        names = ", ".join(list_examples()["name"])
        raise PartygraphError(f"no example named {name!r}; available: {names} / 无此示例数据")
    return d


def load_example(name: str = "demo", **kwargs: object) -> CoBuildingNetwork:
    """Load a bundled example data set by name (see :func:`list_examples`).

    Parameters
    ----------
    name : str
        A bundled example: ``demo`` (default), ``jiangbei``, ``yongan``, ``longyan``,
        ``chaonan``, ``shanghai``, ``jiangbei_ledger``.
    **kwargs
        Passed to :func:`read_dataset` (``window``, ``strict``...).

    Returns
    -------
    CoBuildingNetwork

    Examples
    --------
    >>> import partygraph as pg
    >>> len(pg.load_example("chaonan").tables["units"]) > 0
    True
    """
    return read_dataset(example_path(name), **kwargs)



