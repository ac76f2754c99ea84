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
from .network import CoBuildingNetwork
from .reading import raw_from_frames, read_raw
from .schema import TABLES
from .validation import Validated, validate_raw

__all__ = [
    "example_path", "from_frames", "list_examples", "load_example", "read_dataset", "validate",
]


def _network(v: Validated, strict: bool, window: object, source: str) -> CoBuildingNetwork:
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
        warnings.warn(f"{n} row(s) set aside because of data errors ({detail}); see "
                      f"net.report and net.rejected / {n} 行因数据错误被搁置", PartygraphWarning,
                      stacklevel=3)
    return CoBuildingNetwork(
        v.tables, report=v.report, rejected=v.rejected, personal=v.personal, rows=v.rows,
        window=window, source=source, accounting=v.accounting,
    )


def read_dataset(
    path: str | Path, *, strict: bool = True, window: object = None
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
    return _network(validate_raw(raw, notes), strict, window, str(path))


def from_frames(
    *, strict: bool = True, window: object = None, **tables: pd.DataFrame
) -> CoBuildingNetwork:
    """Build a network from DataFrames, validated like files.

    Keyword names are table names (``units``, ``orgs``, ``members``, ``links``, ...; Chinese
    names work too). In reports, ``row`` is the frame's 0-based position.

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
    return _network(validate_raw(raw), strict, window, "DataFrames")


def validate(source: str | Path | dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every problem in a data set, without raising: the validation report.

    Columns ``table``, ``row``, ``column``, ``value``, ``problem``, ``problem_zh``,
    ``severity`` (``error`` rows would be set aside; ``warning`` rows are kept).

    >>> import partygraph as pg
    >>> pg.validate(pg.example_path("demo")).query("severity == 'error'").empty
    True
    """
    if isinstance(source, dict):
        return validate_raw(raw_from_frames(source)).report
    raw, notes = read_raw(source)
    return validate_raw(raw, notes).report


def _datasets_dir() -> Path:
    here = Path(__file__).resolve().parent
    for cand in (here / "datasets", here.parents[1] / "datasets"):
        if cand.is_dir():
            return cand
    raise PartygraphError("the bundled data sets are missing from this installation / 缺少示例数据")


def list_examples() -> pd.DataFrame:
    """The bundled example data sets: ``name``, ``title`` and ``path``.

    >>> import partygraph as pg
    >>> "demo" in pg.list_examples()["name"].tolist()
    True
    """
    rows = []
    for d in sorted(_datasets_dir().iterdir()):
        if d.is_dir() and (d / "units.csv").exists():
            readme = d / "README.md"
            title = ""
            if readme.exists():
                first = readme.read_text(encoding="utf-8").splitlines()[:1]
                title = first[0].lstrip("# ").strip() if first else ""
            rows.append({"name": d.name, "title": title, "path": str(d)})
    return pd.DataFrame(rows, columns=["name", "title", "path"])


def example_path(name: str) -> Path:
    """The folder of a bundled example data set."""
    d = _datasets_dir() / name
    if not (d / "units.csv").exists():
        names = ", ".join(list_examples()["name"])
        raise PartygraphError(f"no example named {name!r}; available: {names} / 无此示例数据")
    return d


def load_example(name: str = "demo", **kwargs: object) -> CoBuildingNetwork:
    """Load a bundled example data set by name (see :func:`list_examples`)."""
    return read_dataset(example_path(name), **kwargs)



