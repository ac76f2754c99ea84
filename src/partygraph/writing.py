"""Writing data sets and result tables: CSV folders and Excel workbooks.

Workbooks are written so that they are safe to send on: a text cell that starts with ``=``,
``+``, ``-`` or ``@`` stays text (no formula injection), ids stay text (leading zeros kept),
headers are frozen and columns are wide enough for Chinese text.

XlsxWriter writes each workbook's frame — sheets, note and header rows, column widths and
formats, frozen panes, filters, print setup, styles — and the data rows are then laid into
each sheet's XML column by column with Arrow's string kernels. Cell by cell, XlsxWriter
spends about 5 µs on a text cell: the ten million cells of a 1,000,000-member assessment took
52 s (openpyxl takes twice as long); laid in by columns they take a few seconds. Text is
written as inline strings (never a formula, a number or a link), escaped for XML, with the
characters XML cannot hold written as Excel's ``_xHHHH_`` escapes.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .errors import OutputPathError, PartygraphError
from .progress import bar

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
    """Columns ``text`` takes in a fixed-width font: two for a wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def display_widths(values: pd.Series) -> np.ndarray:
    """:func:`_display_width` of every value (as text; missing values are skipped), the
    plain-ASCII ones by Arrow without a Python call each."""
    import pyarrow.compute as pc

    from .arrays import to_arrow

    arr = to_arrow(values.dropna().astype("str"))
    out = pc.utf8_length(arr).to_numpy(zero_copy_only=False).astype(np.int64)
    wide = np.flatnonzero(~pc.string_is_ascii(arr).to_numpy(zero_copy_only=False))
    if len(wide):  # every character's code point at once; each distinct one judged once
        points = np.frombuffer("".join(pc.take(arr, wide).to_pylist()).encode("utf-32-le"),
                               dtype=np.uint32)
        distinct, which = np.unique(points, return_inverse=True)
        each = np.array([2 if unicodedata.east_asian_width(chr(c)) in "WF" else 1
                         for c in distinct.tolist()], dtype=np.int64)[which]
        starts = np.concatenate([[0], np.cumsum(out[wide])[:-1]])
        out[wide] = np.add.reduceat(each, starts)  # a non-ASCII text has a character
    return out


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
    sheets : mapping of str to DataFrame (or a function returning one)
        Sheet name → table; column names become the header row. A function is called when
        its sheet is written (twice: once for the frame, once for the rows), so that long
        lists need not all be in memory at once.
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
    parts = _plan(sheets, notes, formats)
    # strings_to_formulas=False: text that starts with "=" is written as text, never as a
    # live formula (formula injection); likewise no text becomes a number or a link.
    wb = xlsxwriter.Workbook(str(path), {
        "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False})
    bold = wb.add_format({"bold": True})
    cell_formats = {"percent": wb.add_format({"num_format": "0.0%"}),
                    "integer": wb.add_format({"num_format": "#,##0"}),
                    "number": wb.add_format({"num_format": "0.000"}),
                    "text": wb.add_format({"num_format": "@"}),
                    "date": wb.add_format({"num_format": "yyyy-mm-dd"})}
    for part in parts:
        ws = wb.add_worksheet(part.name)
        for j, w in enumerate(part.widths):
            ws.set_column(j, j, min(max(w + 2, 8), 60), cell_formats.get(part.kinds[j]))
        if part.note is not None:
            ws.write_string(0, 0, part.note)
        ws.freeze_panes(part.top + 1, 0)
        _print_setup(ws, part.name, part.top, part.widths)
        ws.write_row(part.top, 0, part.columns, bold)
        if part.columns:
            ws.autofilter(part.top, 0, part.top + max(part.stop - part.start, 1),
                          len(part.columns) - 1)
    if not parts:
        _print_setup(wb.add_worksheet("empty"), "empty", 0, [])
    wb.close()
    _lay_rows(path, parts)
    return path


@dataclass
class _Part:
    """One sheet of a workbook: where its rows come from (a table, or a function making it,
    rows ``start:stop``) and its frame (name, note, header, widths, formats)."""

    name: str
    source: object
    start: int
    stop: int
    note: str | None
    columns: list[str]
    widths: list[int]
    kinds: list[str]

    @property
    def top(self) -> int:
        return 0 if self.note is None else 1


def _table(source: object) -> pd.DataFrame:
    return source() if callable(source) else source


def _plan(sheets: Mapping[str, object], notes: Mapping[str, str] | None,
          formats: Mapping[str, Mapping[str, str]] | None) -> list[_Part]:
    """Every sheet's frame, one table at a time (a table given as a function is made, looked
    at and let go: a province's lists are never all in memory). A list longer than an Excel
    sheet continues on the next sheets, named ``名称(续2)`` (``Name (cont. 2)`` for a name
    without Chinese), each with the header, formats and a note saying which rows it holds."""
    parts: list[_Part] = []
    taken = {str(n)[:31] for n in sheets}
    for name, source in sheets.items():
        df = _table(source)
        _check_cell_lengths(str(name), df)
        columns = [str(c) for c in df.columns]
        widths = [_display_width(c) for c in columns]
        sample = df.head(2000)
        for j, c in enumerate(df.columns):
            w = display_widths(sample[c])
            if len(w):
                widths[j] = max(widths[j], int(np.quantile(w, 0.95)))
        fmt = (formats or {}).get(name, {})
        kinds = ["date" if pd.api.types.is_datetime64_any_dtype(df.iloc[:, j].dtype)
                 else fmt.get(c, "") for j, c in enumerate(columns)]
        note = None if not notes or name not in notes else str(notes[name])
        n = len(df)
        del df, sample
        if n <= EXCEL_ROWS - 1 - (note is not None):
            parts.append(_Part(str(name)[:31], source, 0, n, note, columns, widths, kinds))
            continue
        room = EXCEL_ROWS - 2  # each part has a note (its rows) above its header
        zh = any("\u4e00" <= ch <= "\u9fff" for ch in str(name))
        for k, start in enumerate(range(0, n, room), start=1):
            stop = min(start + room, n)
            if k == 1:
                part_name = str(name)[:31]
            else:
                tail = f"(续{k})" if zh else f" (cont. {k})"
                part_name = f"{str(name)[:31 - len(tail)]}{tail}"
                while part_name in taken:
                    tail = "~" + tail
                    part_name = f"{str(name)[:31 - len(tail)]}{tail}"
                taken.add(part_name)
            rows = (f"第 {start + 1:,}–{stop:,} 行,共 {n:,} 行" if zh else
                    f"rows {start + 1:,}–{stop:,} of {n:,}")
            parts.append(_Part(part_name, source, start, stop,
                               f"{note} · {rows}" if note else rows, columns, widths, kinds))
    return parts


def _column_letters(n: int) -> list[str]:
    out = []
    for j in range(n):
        s, k = "", j + 1
        while k:
            k, r = divmod(k - 1, 26)
            s = chr(65 + r) + s
        out.append(s)
    return out


#: Characters XML 1.0 cannot hold, written as Excel's escapes (``_x0001_``).
_XML_BAD = [chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF]]
_XML_BAD_RE = "[" + "".join(f"\\x{{{ord(c):X}}}" for c in _XML_BAD) + "]"


#: An underscore that, with what follows, reads as one of Excel's escapes (``_x0041_`` is shown
#: as ``A``): written as ``_x005F_`` (an escaped underscore), so the text reads as written.
#: Only there, as Excel itself writes (some versions refuse an underscore escaped without
#: need), and also where two escapes share it (``_x0041_x0042_``): hence the lookahead. A
#: character written below as an escape begins with an underscore too (``_x0041`` then a
#: carriage return is ``_x0041_x000D_``): it counts as one.
_LITERAL_ESCAPE = re.compile(
    "_(?=x[0-9A-Fa-f]{4}[_\r" + "".join(re.escape(c) for c in _XML_BAD) + "])")
_LITERAL_ESCAPE_RE2 = "_x[0-9A-Fa-f]{4}[_\r" + _XML_BAD_RE[1:]  # the same, in Arrow's syntax


def _xml_text(arr):
    """Text for XML: ``&``, ``<``, ``>`` escaped, carriage returns and the characters XML
    cannot hold as ``_xHHHH_``, and text that already reads as such an escape (``_x0041_``,
    which Excel would show as ``A``) kept as written by escaping its underscore."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pc.any(pc.match_substring_regex(
            arr, "[&<>\r" + _XML_BAD_RE[1:] + "|" + _LITERAL_ESCAPE_RE2)).as_py():
        return arr  # most columns (ids, codes, numbers as text) need nothing
    # first, so that the escapes added below are not escaped again; few cells have one (a
    # Python pass over those only)
    hit = pc.match_substring_regex(arr, _LITERAL_ESCAPE_RE2).fill_null(False)
    if pc.any(hit).as_py():
        if isinstance(arr, pa.ChunkedArray):
            arr, hit = arr.combine_chunks(), hit.combine_chunks()
        fixed = [_LITERAL_ESCAPE.sub("_x005F_", v) for v in arr.filter(hit).to_pylist()]
        arr = pc.replace_with_mask(arr, hit, pa.array(fixed, type=arr.type))
    arr = pc.replace_substring(arr, "&", "&amp;")  # before "<", ">": they add "&"
    arr = pc.replace_substring(arr, "<", "&lt;")
    arr = pc.replace_substring(arr, ">", "&gt;")
    arr = pc.replace_substring(arr, "\r", "_x000D_")  # XML readers turn a bare CR into LF
    if pc.any(pc.match_substring_regex(arr, _XML_BAD_RE)).as_py():
        for ch in _XML_BAD:
            arr = pc.replace_substring(arr, ch, f"_x{ord(ch):04X}_")
    return arr


def _join(*parts):
    """Arrow arrays and text joined element-wise (a null part makes the result null)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    args = [pa.scalar(x, pa.large_string()) if isinstance(x, str) else x for x in parts]
    return pc.binary_join_element_wise(*args, pa.scalar("", pa.large_string()))


def _cells(s: pd.Series, letter: str, rownum, style: str):
    """One column's cells as XML text (null where the cell is empty)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ref = _join(f'<c r="{letter}', rownum, '"' + style)
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        days = (s - pd.Timestamp("1899-12-30")) / pd.Timedelta(days=1)
        v = pa.array(days.to_numpy(dtype=float, na_value=np.nan), from_pandas=True)
        return _join(ref, "><v>", pc.cast(v, pa.large_string()), "</v></c>")
    if pd.api.types.is_bool_dtype(s.dtype) or str(s.dtype) == "boolean":
        v = pa.array(s.astype("boolean").to_numpy(dtype=object, na_value=None),
                     type=pa.bool_())
        num = pc.if_else(v, pa.scalar("1", pa.large_string()), pa.scalar("0", pa.large_string()))
        return _join(ref, ' t="b"><v>', num, "</v></c>")
    if pd.api.types.is_numeric_dtype(s.dtype):
        x = s.astype("float64").to_numpy(na_value=np.nan)
        x = np.where(np.isfinite(x), x, np.nan)
        if pd.api.types.is_integer_dtype(s.dtype):
            v = pa.array(x, from_pandas=True).cast(pa.int64())
        else:
            v = pa.array(x, from_pandas=True)
        return _join(ref, "><v>", pc.cast(v, pa.large_string()), "</v></c>")
    if isinstance(s.dtype, pd.StringDtype):
        v = pa.array(s.array).cast(pa.large_string())
    else:
        txt = [None if na else (v if isinstance(v, str) else str(v)) for v, na in
               zip(s.to_numpy(dtype=object), s.isna().to_numpy(), strict=True)]
        v = pa.array(txt, type=pa.large_string())
    v = _xml_text(v)
    return _join(ref, ' t="inlineStr"><is><t xml:space="preserve">', v, "</t></is></c>")


def _row_chunks(df: pd.DataFrame, top: int, styles: list[str], chunk: int = 20_000):
    """The data rows of a sheet as XML bytes, ``chunk`` rows at a time (a chunk's cells are
    several copies of its text while they are made: 100,000 rows of long reasons held
    300 MB at once)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    letters = _column_letters(len(df.columns))
    for start in range(0, len(df), chunk):
        part = df.iloc[start:start + chunk]
        rownum = pa.array(np.arange(start + top + 2, start + top + 2 + len(part))).cast(
            pa.large_string())  # integers to text by Arrow (pyarrow 16 too)
        empty = pa.scalar("", pa.large_string())
        cells = [pc.fill_null(_cells(part.iloc[:, j], letters[j], rownum, styles[j]), empty)
                 for j in range(len(letters))]
        rows = _join('<row r="', rownum, '">', *cells, "</row>")
        rows = rows.combine_chunks() if isinstance(rows, pa.ChunkedArray) else rows
        # the rows' text is the array's data buffer, between its first and last offsets
        offsets = np.frombuffer(rows.buffers()[1], dtype=np.int64)[rows.offset:]
        yield memoryview(rows.buffers()[2])[int(offsets[0]):int(offsets[len(rows)])]


def _write_behind(out, blocks) -> None:
    """Write each block (compressed) while the next is made: deflating and Arrow's kernels
    both let go of Python's lock, so on two cores they run side by side. One block waits
    at most; the order is kept."""
    from ._threads import threads

    if threads() <= 1:
        for block in blocks:
            out.write(block)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        pending = None
        for block in blocks:
            if pending is not None:
                pending.result()
            pending = pool.submit(out.write, block)
        if pending is not None:
            pending.result()


def _lay_rows(path: Path, parts: list[_Part]) -> None:
    """Lay the data rows into each sheet of a workbook XlsxWriter wrote with its frame."""
    import re
    import shutil
    import zipfile

    if not any(p.stop > p.start for p in parts):
        return
    from .arrays import release_memory

    tmp = path.with_name(path.name + ".partial")
    show = bar(sum(1 for p in parts if p.stop > p.start), "写工作簿 workbook", "sheet")
    made: list = [None, None]  # the last table made (its continuation sheets reuse it)
    with show, zipfile.ZipFile(path) as src, zipfile.ZipFile(
            tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            m = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
            part = parts[int(m.group(1)) - 1] if m is not None else None
            if part is None or part.stop <= part.start:
                dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
                continue
            if made[0] is not part.source:
                made[:] = [None, None]  # let the previous table go first
                release_memory()
                made[:] = [part.source, _table(part.source)]
            df, top = made[1].iloc[part.start:part.stop], part.top
            xml = data.decode("utf-8")
            styles = [""] * len(df.columns)
            for c in re.finditer(r'<col min="(\d+)" max="(\d+)"[^>]*?style="(\d+)"', xml):
                for j in range(int(c.group(1)) - 1, min(int(c.group(2)), len(styles))):
                    styles[j] = f' s="{c.group(3)}"'
            last = _column_letters(len(df.columns))[-1]
            xml = re.sub(r'<dimension ref="[^"]*"/>',
                         f'<dimension ref="A1:{last}{len(df) + top + 1}"/>', xml, count=1)
            head, tail = xml.split("</sheetData>", 1) if "</sheetData>" in xml else \
                xml.replace("<sheetData/>", "<sheetData></sheetData>").split("</sheetData>", 1)
            zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi._compresslevel = 1  # fastest deflate (its name on Python 3.11–3.13)
            with dst.open(zi, "w", force_zip64=True) as out:
                out.write(head.encode("utf-8"))
                _write_behind(out, _row_chunks(df, top, styles))
                out.write(("</sheetData>" + tail).encode("utf-8"))
            show.update(1)
    shutil.move(tmp, path)


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
