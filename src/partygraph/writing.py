"""Writing data sets and result tables: CSV folders and Excel workbooks.

Workbooks are written so that they are safe to send on: a text cell that starts with ``=``,
``+``, ``-`` or ``@`` stays text (no formula injection), ids stay text (leading zeros kept),
headers are frozen and columns are wide enough for Chinese text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .errors import PartygraphError

if TYPE_CHECKING:
    from .network import CoBuildingNetwork

__all__ = ["write_dataset", "write_xlsx"]

_FORMULA_START = ("=", "+", "-", "@")


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def write_xlsx(
    path: str | Path,
    sheets: Mapping[str, pd.DataFrame],
    *,
    notes: Mapping[str, str] | None = None,
) -> Path:
    """Write DataFrames to one workbook, one sheet each, safely.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file to write.
    sheets : mapping of str to DataFrame
        Sheet name → table; column names become the header row.
    notes : mapping, optional
        Sheet name → a line of text written above the header (the header then starts on
        row 2; partygraph's reader skips such title rows).

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
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    path = Path(path)
    wb = Workbook(write_only=True)
    for name, df in sheets.items():
        ws = wb.create_sheet(title=str(name)[:31])
        widths = [_display_width(str(c)) for c in df.columns]
        sample = df.head(2000)
        for j, c in enumerate(df.columns):
            vals = sample[c].dropna().astype(str)
            if len(vals):
                widths[j] = max(widths[j], int(vals.map(_display_width).quantile(0.95)))
        for j, w in enumerate(widths):
            ws.column_dimensions[get_column_letter(j + 1)].width = min(max(w + 2, 8), 60)
        ws.freeze_panes = "A3" if notes and name in notes else "A2"
        if notes and name in notes:
            ws.append([notes[name]])
        bold = Font(bold=True)
        header = []
        for c in df.columns:
            cell = WriteOnlyCell(ws, value=str(c))
            cell.font = bold
            header.append(cell)
        ws.append(header)
        cols = []
        for c in df.columns:
            s = df[c]
            if pd.api.types.is_datetime64_any_dtype(s.dtype):
                cols.append(("date", s.astype(object).where(s.notna(), None).tolist()))
            elif pd.api.types.is_bool_dtype(s.dtype) or str(s.dtype) == "boolean":
                cols.append(("val", s.astype(object).where(s.notna(), None).tolist()))
            elif pd.api.types.is_integer_dtype(s.dtype):
                cols.append(("val", [None if v is pd.NA else int(v) for v in s.astype(object)]))
            elif pd.api.types.is_numeric_dtype(s.dtype):
                arr = s.astype("float64").to_numpy(na_value=np.nan)
                cols.append(("val", [float(v) if np.isfinite(v) else None for v in arr]))
            else:
                cols.append(("text", s.astype(object).where(s.notna(), None).tolist()))
        for i in range(len(df)):
            row = []
            for kind, vals in cols:
                v = vals[i]
                if v is None:
                    row.append(None)
                elif kind == "text":
                    v = str(v)
                    cell = WriteOnlyCell(ws, value=v)
                    if v.startswith(_FORMULA_START):
                        cell.data_type = "s"
                    row.append(cell)
                elif kind == "date":
                    cell = WriteOnlyCell(ws, value=pd.Timestamp(v).to_pydatetime())
                    cell.number_format = "yyyy-mm-dd"
                    row.append(cell)
                else:
                    row.append(v)
            ws.append(row)
    if not sheets:
        wb.create_sheet(title="empty")
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_dataset(net: CoBuildingNetwork, path: str | Path) -> Path:
    """Write a network's tables to a CSV folder (UTF-8 with BOM, which Excel opens) or, for a
    path ending in ``.xlsx``, one workbook with a sheet per table.

    Headers are the canonical English names; reading back gives equal tables.

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
    path.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.to_csv(path / f"{name}.csv", index=False, encoding="utf-8-sig",
                  date_format="%Y-%m-%d")
    return path
