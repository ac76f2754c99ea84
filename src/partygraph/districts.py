"""What a folder of data holds: one data set, or one per district (a province).

:func:`find_districts` lists a province folder's districts — sub-folders that are data sets
(CSV or Parquet files, or one workbook), workbooks, or a Parquet data set partitioned by
district — and refuses a folder whose table files lack a required table while other data
sets sit beside them (it may be either, and the person is told what to do in each case).
:func:`partygraph.assess_province` runs the districts it finds; reading says, of a folder
with no table, which data sets sit inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import PartygraphError

__all__ = ["District", "find_districts"]

_EXCEL = (".xlsx", ".xlsm", ".xls", ".ods")
#: Workbooks partygraph writes (an assessment written into the province folder is no district).
_OUTPUTS = ("assessment.xlsx", "comparison.xlsx")


@dataclass(frozen=True)
class District:
    """One district's data set in a province folder.

    ``code`` is the 6-digit code the folder or workbook name starts with (or the partition
    value), else the name; ``source`` the folder or workbook; ``partition`` the value of
    ``district=`` in a partitioned Parquet data set (None otherwise).
    """

    code: str
    name: str
    source: str
    partition: str | None = None

    @property
    def slug(self) -> str:
        """A folder name for its outputs (no path separators)."""
        text = self.code if self.name == self.code else f"{self.code}_{self.name}"
        return re.sub(r"[\\/:*?\"<>|\x00-\x1f]", "-", text)

    def size(self) -> int:
        """Bytes of its files (the largest districts are started first)."""
        p = Path(self.source)
        if p.is_file():
            return p.stat().st_size
        if self.partition is not None:
            files = p.glob(f"*/district={self.partition}/*")
        else:
            files = p.iterdir()
        return sum(f.stat().st_size for f in files if f.is_file())


def _code_name(stem: str) -> tuple[str, str]:
    m = re.match(r"^(\d{6})(?:\d*)[_\-\s]*(.*)$", stem)
    if m:
        return m.group(1), (m.group(2) or m.group(1))
    return stem, stem


def _is_table_file(f: Path) -> bool:
    from .schema import table_of

    return f.is_file() and f.suffix.lower() in (".csv", ".parquet") and table_of(f.stem) \
        is not None


def find_districts(path: str | Path) -> list[District] | None:
    """The districts of a province folder, or None when ``path`` is one data set.

    A province folder holds no table of its own but one data set per district: sub-folders
    of CSV or Parquet files (or holding one workbook), workbooks (``.xlsx``, ``.xls``,
    ``.ods``), or one folder per table partitioned by district
    (``units/district=500105/part-0.parquet``, as ``pyarrow.dataset.write_dataset(...,
    partitioning=["district"], partitioning_flavor="hive")`` writes). A name that starts with
    a 6-digit code gives the district's code. Every other sub-folder is a district too, so
    that one without data is listed as failed with the reason, never dropped; a ``truth``
    folder and folders partygraph wrote (holding ``report.html``) are not districts.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    list of District, or None

    Examples
    --------
    >>> import partygraph as pg
    >>> find_districts(pg.example_path("demo")) is None
    True
    """
    from .schema import table_of

    p = Path(path)
    if not p.is_dir():
        return None
    entries = [f for f in sorted(p.iterdir()) if not f.name.startswith((".", "~$"))]
    own = [f for f in entries if _is_table_file(f)]
    if own:
        _no_stray_tables(p, own, entries)
        return None
    table_dirs = [d for d in entries if d.is_dir() and table_of(d.name) is not None]
    parts = sorted({c.name.split("=", 1)[1] for d in table_dirs for c in d.iterdir()
                    if c.is_dir() and c.name.startswith("district=")})
    if parts:
        return [District(*_code_name(v), str(p), partition=v) for v in parts]
    out = []
    for f in entries:
        if f.is_dir():
            inside = [x for x in f.iterdir() if not x.name.startswith((".", "~$"))]
            names = {x.name for x in inside}
            if f.name == "truth" or "report.html" in names:  # planted truth, an output
                continue
            books = [x for x in inside if x.is_file() and x.suffix.lower() in _EXCEL]
            if not any(_is_table_file(x) for x in inside) and len(books) == 1:
                out.append(District(*_code_name(f.name), str(books[0])))  # one workbook
            else:  # a data set, or a folder that is not one: it fails, with the reason
                out.append(District(*_code_name(f.name), str(f)))
        elif f.is_file() and f.suffix.lower() in _EXCEL and f.name not in _OUTPUTS:
            out.append(District(*_code_name(f.stem), str(f)))
    if not out:
        return None
    codes = [d.code for d in out]
    dup = sorted({c for c in codes if codes.count(c) > 1})
    if dup:
        raise PartygraphError(
            f"{p}: two data sets for district {dup[0]} / 同一区县({dup[0]})有两份数据")
    return out


def data_sets_inside(entries: list[Path]) -> list[str]:
    """Names of the entries that hold a data set of their own: sub-folders with table files
    or a workbook, and workbooks (not a ``truth`` folder, nor what partygraph wrote)."""
    from .schema import table_of

    out = []
    for f in entries:
        if f.is_dir() and f.name != "truth" and table_of(f.name) is None:
            try:
                inside = [x for x in f.iterdir() if not x.name.startswith((".", "~$"))]
            except OSError:  # a folder that cannot be listed is no data set to point to
                continue
            if "report.html" in {x.name for x in inside}:
                continue
            if any(_is_table_file(x) or (x.is_file() and x.suffix.lower() in _EXCEL)
                   for x in inside):
                out.append(f.name)
        elif f.is_file() and f.suffix.lower() in _EXCEL and f.name not in _OUTPUTS:
            out.append(f.name)
    return out


def _no_stray_tables(p: Path, own: list[Path], entries: list[Path]) -> None:
    """A folder with tables of its own is one data set, unless they lack a required table
    and other data sets sit beside them: then it is said which it may be, and what to do."""
    from .schema import TABLES, table_of

    have = {table_of(f.stem) for f in own}
    missing = [t for t, spec in TABLES.items() if spec.required and t not in have]
    subs = data_sets_inside(entries)
    if missing and subs:
        files = ", ".join(f.name for f in own)
        need = ", ".join(f"{t} ({TABLES[t].zh})" for t in missing)
        need_zh = "、".join(f"“{TABLES[t].zh}”" for t in missing)
        others = ", ".join(subs[:3]) + (", ..." if len(subs) > 3 else "")
        raise PartygraphError(
            f"{p}: {files} lack the required {need} table, and other data sets sit beside "
            f"them ({others}). If {p.name} is one data set, add its {need} table; if it "
            f"is a province (one data set per district), move {files} into a district's "
            f"data set or out of {p.name} / {p.name} 中的 {files} 缺少必需的{need_zh}表,且旁边"
            f"另有数据({others}):如果这是一份数据,请补上{need_zh}表;如果这是省级文件夹"
            f"(每个区县一份数据),请将 {files} 移入相应区县的数据或移出该文件夹")

