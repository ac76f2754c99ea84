"""Writing data sets and result tables: CSV folders and Excel workbooks.

Workbooks are written so that they are safe to send on: a text cell that starts with ``=``,
``+``, ``-`` or ``@`` stays text (no formula injection), ids stay text (leading zeros kept),
headers are frozen and columns are wide enough for Chinese text. They are written with
XlsxWriter (row by row, constant memory): openpyxl took 10 s for the million cells of a
100,000-member assessment, XlsxWriter about 4 s.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .errors import OutputPathError, PartygraphError
from .progress import track

if TYPE_CHECKING:
    from .network import CoBuildingNetwork

__all__ = ["neutralise_csv", "output_dir", "output_file", "write_dataset", "write_xlsx"]

#: The most characters Excel keeps in one cell.
EXCEL_CELL_MAX = 32_767
#: Rows of an Excel sheet; a longer list continues on the next sheet, named so.
EXCEL_ROWS = 1_048_576


def _path_problem(path: Path, want: str, exc: OSError | None = None) -> OutputPathError:
    if exc is not None and isinstance(exc, PermissionError):
        return OutputPathError(f"{path}: no permission to write here / 没有写入权限:{path}")
    if (exc is not None and isinstance(exc, NotADirectoryError)) or any(
            p.is_file() for p in path.parents):
        return OutputPathError(f"{path}: a part of this path is a file, not a folder / "
                               f"路径中的上级是文件而非文件夹:{path}")
    if want == "folder" and path.is_file():
        return OutputPathError(f"{path}: is a file; give a folder to write to / "
                               f"这是一个文件,请给出文件夹:{path}")
    if want == "file" and path.is_dir():
        return OutputPathError(f"{path}: is a folder; give a file name / "
                               f"这是一个文件夹,请给出文件名:{path}")
    return OutputPathError(f"{path}: cannot be written ({exc}) / 无法写入:{path}")


def output_dir(path: str | Path) -> Path:
    """A folder ready to write into (made, with missing parents), or one clear
    :class:`OutputPathError`: a file in its place, a file among its parents, no permission."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise _path_problem(path, "folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _path_problem(path, "folder", exc) from None
    if not os.access(path, os.W_OK):
        raise _path_problem(path, "folder", PermissionError())
    return path


def output_file(path: str | Path) -> Path:
    """A file path ready to write (its folder made), or one clear :class:`OutputPathError`."""
    path = Path(path)
    if path.is_dir():
        raise _path_problem(path, "file")
    output_dir(path.parent if str(path.parent) else Path("."))
    if path.exists() and not os.access(path, os.W_OK):
        raise _path_problem(path, "file", PermissionError())
    return path


_CSV_RISKY = ("=", "+", "-", "@", "\t", "\r")


def neutralise_csv(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``,
    ``-``, ``@``, tab or carriage return) get a leading apostrophe, as OWASP's CSV-injection
    guidance recommends; partygraph's reader removes that apostrophe again.

    >>> neutralise_csv(pd.DataFrame({"a": ["=1+1", "ok", None]}))["a"].tolist()
    ["'=1+1", 'ok', nan]
    """
    out = df.copy()
    for c in out.columns:
        s = out[c]
        if pd.api.types.is_string_dtype(s.dtype) or s.dtype == object:
            txt = s.astype("str")
            risky = txt.str.startswith(_CSV_RISKY).fillna(False).to_numpy(dtype=bool)
            if risky.any():
                out[c] = txt.where(~risky, "'" + txt).where(s.notna())
    return out


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def write_xlsx(
    path: str | Path,
    sheets: Mapping[str, pd.DataFrame],
    *,
    notes: Mapping[str, str] | None = None,
    formats: Mapping[str, Mapping[str, str]] | None = None,
) -> Path:
    """Write DataFrames to one workbook, one sheet each, safely and ready to use in Excel:
    the header row frozen and bold, a filter on every list, columns wide enough for
    Chinese, text never a formula.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file to write.
    sheets : mapping of str to DataFrame
        Sheet name → table; column names become the header row.
    notes : mapping, optional
        Sheet name → a line of text written above the header (the header then starts on
        row 2; partygraph's reader skips such title rows).
    formats : mapping, optional
        Sheet name → {column: ``percent`` | ``integer`` | ``number`` | ``text``}: the cell
        format of a column (rates show as ``85.1%`` while keeping their value).

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile, os, pandas as pd
    >>> p = write_xlsx(os.path.join(tempfile.mkdtemp(), "x.xlsx"),
    ...                {"表": pd.DataFrame({"a": ["=1+1", "001"]})})
    >>> import openpyxl
    >>> openpyxl.load_workbook(p)["表"]["A2"].data_type
    's'
    """
    import xlsxwriter

    path = output_file(path)
    for name, df in sheets.items():
        _check_cell_lengths(name, df)
    sheets, notes, formats = _continued(sheets, notes, formats)
    # strings_to_formulas=False: text that starts with "=" is written as text, never as a
    # live formula (formula injection); likewise no text becomes a number or a link.
    wb = xlsxwriter.Workbook(str(path), {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
        "strings_to_urls": False})
    bold = wb.add_format({"bold": True})
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    cell_formats = {"percent": wb.add_format({"num_format": "0.0%"}),
                    "integer": wb.add_format({"num_format": "#,##0"}),
                    "number": wb.add_format({"num_format": "0.000"}),
                    "text": wb.add_format({"num_format": "@"})}
    for name, df in track(sheets.items(), total=len(sheets), desc="写工作簿 workbook",
                          unit="sheet"):
        ws = wb.add_worksheet(str(name)[:31])
        widths = [_display_width(str(c)) for c in df.columns]
        sample = df.head(2000)
        for j, c in enumerate(df.columns):
            vals = sample[c].dropna().astype(str)
            if len(vals):
                widths[j] = max(widths[j], int(vals.map(_display_width).quantile(0.95)))
        fmt = (formats or {}).get(name, {})
        for j, w in enumerate(widths):
            ws.set_column(j, j, min(max(w + 2, 8), 60),
                          cell_formats.get(fmt.get(str(df.columns[j]), "")))
        top = 0
        if notes and name in notes:
            ws.write_string(0, 0, str(notes[name]))
            top = 1
        ws.freeze_panes(top + 1, 0)
        _print_setup(ws, str(name), top, widths)
        ws.write_row(top, 0, [str(c) for c in df.columns], bold)
        if len(df.columns):
            ws.autofilter(top, 0, top + max(len(df), 1), len(df.columns) - 1)
        cols, writers = [], []
        for c in df.columns:
            s = df[c]
            if pd.api.types.is_datetime64_any_dtype(s.dtype):
                cols.append(s.astype(object).where(s.notna(), None).tolist())
                writers.append(lambda r, j, v, ws=ws: ws.write_datetime(
                    r, j, pd.Timestamp(v).to_pydatetime(), date_format))
            elif pd.api.types.is_bool_dtype(s.dtype) or str(s.dtype) == "boolean":
                cols.append(s.astype(object).where(s.notna(), None).tolist())
                writers.append(ws.write_boolean)
            elif pd.api.types.is_numeric_dtype(s.dtype):
                arr = s.astype("float64").to_numpy(na_value=np.nan)
                ints = pd.api.types.is_integer_dtype(s.dtype)
                cols.append([(int(v) if ints else float(v)) if np.isfinite(v) else None
                             for v in arr])
                cf = cell_formats.get(fmt.get(str(c), ""))
                writers.append(ws.write_number if cf is None else (
                    lambda r, j, v, ws=ws, cf=cf: ws.write_number(r, j, v, cf)))
            else:
                cols.append([str(v) if ok else None for v, ok in
                             zip(s.astype(object).tolist(), s.notna().tolist(), strict=True)])
                writers.append(ws.write_string)
        for i, row in enumerate(zip(*cols, strict=True), start=top + 1):
            for j, v in enumerate(row):
                if v is not None:
                    writers[j](i, j, v)
    if not sheets:
        _print_setup(wb.add_worksheet("empty"), "empty", 0, [])
    wb.close()
    return path


def _continued(sheets: Mapping[str, pd.DataFrame], notes: Mapping[str, str] | None,
               formats: Mapping[str, Mapping[str, str]] | None) -> tuple[dict, dict, dict]:
    """Sheets longer than an Excel sheet split in parts: the first keeps its name, the next
    are named ``名称(续2)`` (``Name (cont. 2)`` for a name without Chinese), each with the
    header, the note (saying which rows it holds) and the formats of the first."""
    out: dict[str, pd.DataFrame] = {}
    notes_out = dict(notes or {})
    formats_out = dict(formats or {})
    taken = {str(n)[:31] for n in sheets}
    for name, df in sheets.items():
        if len(df) <= EXCEL_ROWS - 1 - (1 if name in notes_out else 0):
            out[name] = df
            continue
        room = EXCEL_ROWS - 2  # each part has a note (its rows) above its header
        zh = any("\u4e00" <= ch <= "\u9fff" for ch in str(name))
        for k, start in enumerate(range(0, len(df), room), start=1):
            part = df.iloc[start:start + room]
            if k == 1:
                part_name = name
            else:
                tail = f"(续{k})" if zh else f" (cont. {k})"
                part_name = f"{str(name)[:31 - len(tail)]}{tail}"
                while part_name in taken:
                    tail = "~" + tail
                    part_name = f"{str(name)[:31 - len(tail)]}{tail}"
                taken.add(part_name)
            out[part_name] = part
            rows = (f"第 {start + 1:,}–{start + len(part):,} 行,共 {len(df):,} 行" if zh else
                    f"rows {start + 1:,}–{start + len(part):,} of {len(df):,}")
            base = notes_out.get(name)
            notes_out[part_name] = f"{base} · {rows}" if base else rows
            if name in formats_out:
                formats_out[part_name] = formats_out[name]
    return out, notes_out, formats_out


def _print_setup(ws, name: str, top: int, widths: list[int]) -> None:
    """Every sheet prints one page wide (landscape when wider than an A4 page is high),
    repeats its header row on each page, with its title in the page header and page numbers
    in the footer."""
    ws.set_paper(9)  # A4
    if sum(min(max(w + 2, 8), 60) for w in widths) > 100:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0, top)
    ws.set_header("&C&12" + name.replace("&", "&&"))
    ws.set_footer("&C第 &P 页,共 &N 页")
    ws.hide_gridlines(0)


def _dates_as_text(df: pd.DataFrame) -> pd.DataFrame:
    """Date columns as ``YYYY-MM-DD`` text, with the time of day where any cell has one."""
    out = df.copy()
    for c in out.columns:
        s = out[c]
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            timed = (s.dropna() != s.dropna().dt.normalize()).any()
            out[c] = s.dt.strftime("%Y-%m-%d %H:%M:%S" if timed else "%Y-%m-%d")
    return out


def _check_cell_lengths(sheet: str, df: pd.DataFrame) -> None:
    """Excel keeps at most 32,767 characters in a cell: refuse rather than cut."""
    for c in df.columns:
        s = df[c]
        if not (pd.api.types.is_string_dtype(s.dtype) or s.dtype == object):
            continue
        lens = s.astype("str").str.len()
        long = (lens > EXCEL_CELL_MAX).fillna(False).to_numpy(dtype=bool)
        if long.any():
            i = int(np.flatnonzero(long)[0])
            raise PartygraphError(
                f"sheet {sheet!r}, column {c!r}, row {i + 2}: a text of {int(lens.iloc[i]):,} "
                f"characters, more than the {EXCEL_CELL_MAX:,} an Excel cell holds; write a "
                f"CSV folder instead (nothing is cut) / “{sheet}”表“{c}”列第 {i + 2} 行的文本超过 "
                f"Excel 单元格上限({EXCEL_CELL_MAX:,} 字),请改写为 CSV 文件夹(不截断)")


def write_dataset(net: CoBuildingNetwork, path: str | Path) -> Path:
    """Write a network's tables to a CSV folder (UTF-8 with BOM, which Excel opens) or, for a
    path ending in ``.xlsx``, one workbook with a sheet per table.

    Headers are the canonical English names; reading back gives equal tables. In CSV, text
    cells starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return get a leading
    apostrophe (no spreadsheet runs them as formulas; the reader removes it). A workbook
    refuses text longer than an Excel cell holds (32,767 characters) instead of cutting it.

    Parameters
    ----------
    net : CoBuildingNetwork
        The network.
    path : str or Path
        A folder (CSV files) or a path ending in ``.xlsx``.

    Returns
    -------
    Path
        What was written.

    >>> import tempfile, partygraph as pg
    >>> net = pg.load_example("demo")
    >>> out = net.write(tempfile.mkdtemp())
    >>> back = pg.read_dataset(out)
    >>> back.tables["units"].equals(net.tables["units"])
    True
    """
    path = Path(path)
    tables = net.tables
    if path.suffix.lower() == ".xlsx":
        return write_xlsx(path, tables)
    if path.suffix:
        raise PartygraphError(
            f"{path}: write to a folder (CSV files) or an .xlsx file / 请写入文件夹或 .xlsx 文件"
        )
    path = output_dir(path)
    for name, df in tables.items():
        neutralise_csv(_dates_as_text(df)).to_csv(path / f"{name}.csv", index=False,
                                                  encoding="utf-8-sig")
    return path
