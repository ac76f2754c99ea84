"""Reading raw tables from a folder of CSV files, an Excel workbook or DataFrames.

Nothing here interprets values: it finds each table, its header row (below any title rows),
the row numbers the user sees, and hands raw cells to :mod:`partygraph.validation`.
"""

from __future__ import annotations

import codecs
import csv
import itertools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import PartygraphError
from .schema import NON_TABLE_SHEETS, TABLES, normalize_label, table_of
from .settings import config

__all__ = ["RawTable", "detect_encoding", "read_raw"]

_EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


@dataclass
class RawTable:
    """A table as read: raw cells, the row number of each record as the user sees it."""

    name: str
    frame: pd.DataFrame
    rows: np.ndarray
    source: str
    header_row: int | None = None
    notes: list[tuple[str, str, str]] = field(default_factory=list)


def detect_encoding(path: str | Path) -> str:
    """The encoding of a CSV file: ``utf-8-sig`` (with or without BOM) or ``gb18030``.

    GB18030 is a superset of GBK and GB2312, which is what Chinese Excel writes. A file that is
    neither is read as GB18030 and its odd characters show in the validation report.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "units.csv")
    >>> _ = open(p, "wb").write("单位编码,单位名称\\n".encode("gbk"))
    >>> detect_encoding(p)
    'gb18030'
    """
    with open(path, "rb") as fh:
        head = fh.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := fh.read(1 << 22):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8-sig"


def _header_score(cells: list[object], lookup: dict[str, str]) -> int:
    seen = set()
    for c in cells:
        if c is None or (isinstance(c, float) and np.isnan(c)):
            continue
        key = normalize_label(c)
        if key in lookup:
            seen.add(lookup[key])
    return len(seen)


def _find_header(rows: list[list[object]], table: str) -> int:
    """Index of the header among the first rows: the first row naming most known columns."""
    lookup = TABLES[table].header_lookup()
    best, best_i = 0, 0
    for i, r in enumerate(rows[: config.header_scan_rows]):
        score = _header_score(r, lookup)
        if score > best:
            best, best_i = score, i
    return best_i


def _read_csv_arrow(path: Path, enc: str, skip: int, header: list[str]) -> pd.DataFrame | None:
    """Read with Arrow's multithreaded parser, every column as text; None if it cannot."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if enc == "utf-16" or not header:
        return None
    with open(path, "rb") as fh:
        data = fh.read()
    body = data.rstrip(b"\r\n")
    if b"\n\n" in body or b"\n\r\n" in body:
        return None  # blank lines inside: Arrow would skip them and shift the row numbers
    names = _dedupe(header)
    try:
        tbl = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(skip_rows=skip + 1, column_names=names,
                                           encoding="utf8" if enc == "utf-8-sig" else enc),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), null_values=[""],
                strings_can_be_null=True, quoted_strings_can_be_null=True),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError, LookupError):
        return None
    text = pd.StringDtype("pyarrow", na_value=np.nan)
    return tbl.to_pandas(types_mapper={pa.string(): text, pa.large_string(): text}.get)


def _read_csv(path: Path, table: str) -> RawTable:
    enc = detect_encoding(path)
    with open(path, encoding=enc, errors="replace", newline="") as fh:
        top = list(itertools.islice(csv.reader(fh), config.header_scan_rows))
    h = _find_header(top, table)
    header = [c.strip() for c in top[h]] if h < len(top) else []
    frame = _read_csv_arrow(path, enc, h, header)
    if frame is None:
        try:
            frame = pd.read_csv(
                path,
                encoding=enc,
                encoding_errors="replace",
                dtype=str,
                keep_default_na=False,
                na_values=[""],
                skiprows=h,
                header=0,
                skip_blank_lines=False,
            )
        except pd.errors.EmptyDataError:
            frame = pd.DataFrame()
        except pd.errors.ParserError as exc:
            raise PartygraphError(
                f"{path.name}: cannot be read as CSV ({exc}) / 无法按CSV读取:{exc}"
            ) from exc
        frame.columns = _dedupe([str(c).strip() for c in frame.columns])
    # the header is line h+1; record i is on line h+2+i
    rows = np.arange(len(frame), dtype=np.int64) + h + 2
    return RawTable(table, frame, rows, path.name, header_row=h + 1)


def _excel_engine(path: Path) -> str | None:
    try:
        import python_calamine  # noqa: F401

        return "calamine"
    except ImportError:
        if path.suffix.lower() == ".xls":
            raise PartygraphError(
                f"{path.name}: reading .xls needs the python-calamine package "
                "(pip install python-calamine) / 读取 .xls 文件需安装 python-calamine"
            ) from None
        return "openpyxl"


def _sheet_to_raw(name: str, table: str, sheet: pd.DataFrame, source: str) -> RawTable:
    sheet = sheet.dropna(axis=1, how="all")
    top = sheet.head(config.header_scan_rows).to_numpy(dtype=object).tolist()
    h = _find_header(top, table) if len(sheet) else 0
    if len(sheet) == 0:
        return RawTable(table, pd.DataFrame(), np.zeros(0, np.int64), source, header_row=1)
    header = [
        "" if (v is None or (isinstance(v, float) and np.isnan(v))) else str(v).strip()
        for v in sheet.iloc[h].tolist()
    ]
    body = sheet.iloc[h + 1 :].copy()
    body.columns = _dedupe(header)
    # pandas keeps every sheet row from row 1, so position p is Excel row p + 1
    rows = np.arange(h + 1, len(sheet), dtype=np.int64) + 1
    body = body.reset_index(drop=True)
    return RawTable(table, body, rows, f"{source}[{name}]", header_row=h + 1)


def _dedupe(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, h in enumerate(header):
        h = h or f"column_{i + 1}"
        if h in seen:
            seen[h] += 1
            h = f"{h}.{seen[h]}"
        else:
            seen[h] = 0
        out.append(h)
    return out


def _read_workbook(path: Path) -> tuple[dict[str, RawTable], list[tuple[str, str, str]]]:
    engine = _excel_engine(path)
    sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine=engine)
    tables: dict[str, RawTable] = {}
    notes: list[tuple[str, str, str]] = []
    for name, sheet in sheets.items():
        table = table_of(name)
        if table is None:
            if normalize_label(name) not in NON_TABLE_SHEETS:
                notes.append((str(name), "unknown_sheet", str(name)))
            continue
        if table in tables:
            notes.append((str(name), "duplicate_table", table))
            continue
        tables[table] = _sheet_to_raw(str(name), table, sheet, path.name)
    return tables, notes


def read_raw(path: str | Path) -> tuple[dict[str, RawTable], list[tuple[str, str, str]]]:
    """Read every table of a data set at ``path`` (a folder of CSVs or a workbook).

    Returns the raw tables and notes ``(where, what, detail)`` about files or sheets that are
    not tables, which validation turns into warnings (nothing is dropped silently).
    """
    p = Path(path)
    if not p.exists():
        raise PartygraphError(f"no such file or folder: {p} / 找不到文件或文件夹:{p}")
    if p.is_file():
        if p.suffix.lower() in _EXCEL_SUFFIXES:
            return _read_workbook(p)
        if p.suffix.lower() == ".csv":
            table = table_of(p.stem)
            if table is None:
                raise PartygraphError(
                    f"{p.name}: a single CSV file must be named after a table "
                    f"(units.csv, 单位.csv, ...) / 单个CSV文件须以表名命名"
                )
            return {table: _read_csv(p, table)}, []
        raise PartygraphError(
            f"{p.name}: expected a folder of CSV files or an .xlsx workbook / "
            "应为CSV文件夹或 .xlsx 工作簿"
        )
    tables: dict[str, RawTable] = {}
    notes: list[tuple[str, str, str]] = []
    for f in sorted(p.iterdir()):
        if f.name.startswith((".", "~$")) or f.is_dir():
            continue
        if f.suffix.lower() != ".csv":
            if f.suffix.lower() not in (".md", ".txt", ".json", ".yaml", ".yml"):
                notes.append((f.name, "unknown_file", f.name))
            continue
        table = table_of(f.stem)
        if table is None:
            notes.append((f.name, "unknown_file", f.name))
        elif table in tables:
            notes.append((f.name, "duplicate_table", table))
        else:
            tables[table] = _read_csv(f, table)
    return tables, notes


def raw_from_frames(frames: dict[str, pd.DataFrame]) -> dict[str, RawTable]:
    """Wrap user DataFrames; ``row`` in reports is then the frame's 0-based position."""
    out: dict[str, RawTable] = {}
    for key, frame in frames.items():
        if frame is None:
            continue
        table = table_of(key)
        if table is None:
            raise PartygraphError(
                f"unknown table {key!r}; expected one of {', '.join(TABLES)} / 未知的表:{key}"
            )
        if not isinstance(frame, pd.DataFrame):
            raise PartygraphError(f"table {key!r} must be a pandas DataFrame / 须为DataFrame")
        f = frame.reset_index(drop=True)
        f.columns = _dedupe([str(c).strip() for c in f.columns])
        out[table] = RawTable(table, f, np.arange(len(f), dtype=np.int64), "DataFrame")
    return out

