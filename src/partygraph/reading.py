"""Reading raw tables from a folder of CSV files, an Excel workbook or DataFrames.

Nothing here interprets values: it finds each table, its header row (below any title rows),
the row numbers the user sees, and hands raw cells to :mod:`partygraph.validation`.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .districts import data_sets_inside
from .errors import PartygraphError, reader_failed
from .schema import NON_TABLE_SHEETS, TABLES, TEMPLATE_SHEETS, normalize_label, table_of
from .settings import config

__all__ = ["RawTable", "detect_encoding", "read_raw"]

_EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


@dataclass
class RawTable:
    """A table as read: raw cells, the row number of each record as the user sees it.

    ``problems`` are records or cells the reader could not take as they are (a malformed
    CSV line, a line in another encoding, an Excel error value or an uncalculated formula):
    ``(row, column, value, problem, problem_zh)``; validation reports each as an error and
    sets its row aside. ``unparsed`` counts records that could not be read into cells at all
    (they are not in ``frame``), so that rows read = rows loaded + rows set aside.
    """

    name: str
    frame: pd.DataFrame
    rows: np.ndarray
    source: str
    header_row: int | None = None
    notes: list[tuple[str, str, str]] = field(default_factory=list)
    problems: list[tuple[int, str, str | None, str, str]] = field(default_factory=list)
    unparsed: int = 0


_LINE_END = re.compile(rb"\r\n|\r|\n")


def _utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le``/``-be`` when every other byte of the start is NUL (ASCII in UTF-16)."""
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def detect_encoding(path: str | Path) -> str:
    """The encoding of a CSV file: ``utf-8-sig`` (with or without BOM), ``gb18030``, or
    ``utf-16``/``utf-16-le``/``utf-16-be`` (Excel's "Unicode text").

    GB18030 is a superset of GBK and GB2312, which is what Chinese Excel writes. A file
    mixing encodings is read line by line (see :func:`read_raw`): the lines that are not in
    the file's main encoding are reported, never loaded as garbled text.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "units.csv")
    >>> _ = open(p, "wb").write("单位编码,单位名称\\n".encode("gbk"))
    >>> detect_encoding(p)
    'gb18030'
    """
    with open(path, "rb") as fh:
        data = fh.read()
    return _detect(data)[0]


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
        return True
    except UnicodeDecodeError:
        return False


def _detect(data: bytes) -> tuple[str, bool]:
    """The file's encoding, and whether every byte decodes in it (``False``: some lines are
    in another encoding, which the careful reader reports line by line)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", _decodes(data[len(codecs.BOM_UTF8):], "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", True
    u16 = _utf16_without_bom(data[:4096])
    if u16:
        return u16, True
    if _decodes(data, "utf-8"):
        return "utf-8-sig", True
    lines = _LINE_END.split(data)
    utf8_ok = utf8_bad = 0
    for line in lines:
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_ok += 1
        except UnicodeDecodeError:
            utf8_bad += 1
    if utf8_ok > utf8_bad:
        return "utf-8-sig", False
    return "gb18030", _decodes(data, "gb18030")


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


@contextlib.contextmanager
def _big_fields():
    """Let the csv module read fields of any length (its default limit is 131,072)."""
    old = csv.field_size_limit()
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _delimiter(first_line: str) -> str:
    """Comma, or tab for Excel's tab-separated "Unicode text" export."""
    return "\t" if first_line.count("\t") > first_line.count(",") else ","


def _read_csv_arrow(data: bytes, enc: str, skip: int, header: list[str],
                    delimiter: str) -> pd.DataFrame | None:
    """Read with Arrow's multithreaded parser, every column as text; None if it cannot, or
    if its records might not be one per physical line (then the careful reader runs)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if not enc.startswith(("utf-8", "gb18030")) or not header:
        return None
    if b'"' in data:
        return None  # quotes: a record may span lines; the careful reader keeps row numbers
    # every physical line is a row (blank ones too, as empty rows dropped later), so row k
    # of the result is line k after the header; the count of line ends confirms it
    lines = data.count(b"\n")
    if b"\r" in data:
        lines += data.count(b"\r") - data.count(b"\r\n")
    if not data.endswith((b"\n", b"\r")):
        lines += 1
    names = _dedupe(header)
    try:
        tbl = pacsv.read_csv(
            pa.BufferReader(data),
            # blocks of 8 MB: as fast to parse as Arrow's 1 MB, and each column comes in
            # few chunks (every later step pays a little per chunk)
            read_options=pacsv.ReadOptions(skip_rows=skip + 1, column_names=names,
                                           encoding="utf8" if enc.startswith("utf-8")
                                           else enc, block_size=1 << 23),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char=False,
                                             ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()), null_values=[""],
                strings_can_be_null=True, quoted_strings_can_be_null=True),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError, LookupError):
        return None
    if tbl.num_rows != lines - skip - 1:
        return None
    text = pd.StringDtype("pyarrow", na_value=np.nan)
    return tbl.to_pandas(types_mapper={pa.string(): text, pa.large_string(): text}.get)


def _decode_lines(data: bytes, enc: str, name: str, limit: int = 0
                  ) -> tuple[list[str], list[bool]]:
    """Physical lines of text (line ends \\r\\n, \\r or \\n) and which could not be decoded;
    the first ``limit`` lines only, when given."""
    if enc.startswith("utf-16"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as exc:
            raise PartygraphError(
                f"{name}: looks like {enc.upper()} text but cannot be decoded ({exc.reason} "
                f"at byte {exc.start}); save it again as CSV UTF-8 / 文件疑似 {enc.upper()} "
                "编码但无法解码,请另存为“CSV UTF-8”") from None
        text = text.lstrip("\ufeff")
        lines = re.split(r"\r\n|\r|\n", text, maxsplit=limit)[:limit or None]
        return lines, [False] * len(lines)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    codec = "utf-8" if enc.startswith("utf-8") else enc
    out, bad = [], []
    for raw in _LINE_END.split(data, maxsplit=limit)[:limit or None]:
        try:
            out.append(raw.decode(codec))
            bad.append(False)
        except UnicodeDecodeError:
            out.append("")
            bad.append(True)
    return out, bad


def _records(lines: list[str], bad: list[bool], delimiter: str, max_join: int = 1000):
    """CSV records with the physical line each starts on (1-based), and malformed lines.

    A quoted field may span lines. A quote left open to the end of the file (or for more
    than ``max_join`` lines) makes only its own line malformed: reading resumes on the next
    line, so one bad line never swallows or refuses the rest of the file.
    """
    records: list[tuple[int, list[str]]] = []
    problems: list[tuple[int, str, str]] = []  # (line, what, text)
    n = len(lines)
    while n and lines[n - 1] == "" and not bad[n - 1]:
        n -= 1  # the line end after the last record
    i = 0
    with _big_fields():
        while i < n:
            if bad[i]:
                problems.append((i + 1, "encoding", ""))
                i += 1
                continue
            buf, j = lines[i], i
            while buf.count('"') % 2 and j + 1 < n and j - i < max_join and not bad[j + 1]:
                j += 1
                buf += "\n" + lines[j]
            if buf.count('"') % 2:
                problems.append((i + 1, "quote", lines[i]))
                i += 1
                continue
            try:
                fields = next(csv.reader([buf], delimiter=delimiter, strict=True), [])
            except csv.Error:
                problems.append((i + 1, "quote", lines[i]))
                i += 1
                continue
            records.append((i + 1, fields))
            i = j + 1
    return records, problems


_CSV_PROBLEM = {
    "encoding": ("this line is not in the file's encoding (mixed encodings?): save the file "
                 "again as CSV UTF-8", "该行编码与文件其余部分不同(混用编码?):请另存为“CSV UTF-8”"),
    "quote": ("malformed CSV line (a quote is not closed)", "该行格式错误(引号未闭合)"),
    "fields": ("more fields than the header has columns", "该行字段数多于表头列数"),
}


def _read_csv(path: Path, table: str) -> RawTable:
    data = path.read_bytes()
    first = data[:1 << 20]
    if len(first) < len(data):
        enc, clean = _detect(first)
        if enc.startswith("utf-8") and clean:
            # the first megabyte is UTF-8: Arrow checks that the rest is as it reads it
            # (any byte that is not sends the file to the careful reader, below)
            raw = _read_csv_as(path, table, data, enc, True, careful=False)
            if raw is not None:
                return raw
    enc, clean = _detect(data)
    return _read_csv_as(path, table, data, enc, clean)


def _read_csv_as(path: Path, table: str, data: bytes, enc: str, clean: bool,
                 careful: bool = True) -> RawTable | None:
    """The table in encoding ``enc``: by Arrow where it can, else (when ``careful``) line by
    line; None when Arrow could not and ``careful`` is off."""
    # the header is among the first lines: decode those only, unless the careful reader runs
    head = data[:1 << 20]
    if enc.startswith("utf-16"):
        head = data  # two bytes a character: cut nowhere (Excel's Unicode text is small)
    elif len(head) < len(data):
        cut = max(head.rfind(b"\n"), head.rfind(b"\r"))
        head = head[:cut] if cut > 0 else head
    lines, bad = _decode_lines(head, enc, path.name, limit=config.header_scan_rows * 2)
    head_lines = [ln for ln, b in zip(lines[: config.header_scan_rows * 2], bad, strict=False)
                  if not b]
    delimiter = _delimiter(head_lines[0] if head_lines else "")
    # the header: among the first records, the one naming most known columns
    top, _ = _records(lines[: config.header_scan_rows], bad[: config.header_scan_rows],
                      delimiter)
    h_rec = _find_header([f for _, f in top], table)
    h_line = top[h_rec][0] if top else 1
    header = [c.strip() for c in top[h_rec][1]] if top else []
    frame = None
    if not any(bad) and clean:
        frame = _read_csv_arrow(data, enc, h_line - 1, header, delimiter)
    if frame is not None:
        rows = np.arange(len(frame), dtype=np.int64) + h_line + 1
        return RawTable(table, frame, rows, path.name, header_row=h_line)
    if not careful:
        return None
    lines, bad = _decode_lines(data, enc, path.name)
    records, problems = _records(lines, bad, delimiter)
    names = _dedupe(header)
    width = len(names)
    body = [(ln, f) for ln, f in records if ln > h_line]
    out: list[tuple[str, str, str | None, str, str]] = []
    for ln, what, text in problems:
        if ln > h_line:
            en, zh = _CSV_PROBLEM[what]
            out.append((ln, "", text[:200] or None, en, zh))
    good_rows, good = [], []
    for ln, f in body:
        if len(f) > width and any(x.strip() for x in f[width:]):
            en, zh = _CSV_PROBLEM["fields"]
            out.append((ln, "", (delimiter.join(f))[:200], en, zh))
            continue
        good_rows.append(ln)
        good.append((f + [""] * width)[:width])
    frame = pd.DataFrame(good, columns=names, dtype="str") if width else pd.DataFrame()
    raw = RawTable(table, frame, np.asarray(good_rows, dtype=np.int64), path.name,
                   header_row=h_line, problems=out, unparsed=len(out))
    return raw


def _excel_engine(path: Path) -> str:
    try:
        import python_calamine  # noqa: F401

        return "calamine"
    except ImportError:
        if path.suffix.lower() in (".xls", ".ods"):
            raise PartygraphError(
                f"{path.name}: reading {path.suffix} needs the python-calamine package "
                f"(pip install python-calamine) / 读取 {path.suffix} 文件需安装 python-calamine"
            ) from None
        return "openpyxl"


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _check_workbook_file(path: Path) -> None:
    """Refuse, with a message a person can act on, files that are not readable workbooks."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    suffix = path.suffix.lower()
    if not head:
        raise PartygraphError(f"{path.name}: the file is empty (0 bytes) / 文件为空(0字节)")
    if head.startswith(_OLE):
        if suffix in (".xlsx", ".xlsm"):
            raise PartygraphError(
                f"{path.name}: the workbook is password-protected (encrypted); save a copy "
                "without a password and read that / 工作簿已加密(设有打开密码),请另存一份无密码"
                "的副本再读取")
        return  # an .xls workbook
    if not head.startswith(b"PK"):
        raise PartygraphError(
            f"{path.name}: not an Excel or OpenDocument workbook (the file's content is not "
            f"a {suffix} file) / 文件内容不是有效的 {suffix} 工作簿")
    if not zipfile.is_zipfile(path):
        raise PartygraphError(
            f"{path.name}: the workbook is damaged or truncated (cannot be opened as a zip "
            "archive); save it again from Excel / 工作簿已损坏或不完整,请用 Excel 重新保存")


_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_EXCEL_ERRORS = ("#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!",
                 "#SPILL!", "#CALC!", "#GETTING_DATA")


def _column_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1


def _xlsx_cell_problems(path: Path) -> dict[str, list[tuple[int, int, str, str]]]:
    """Cells of an .xlsx whose value the readers would lose without a word: Excel error
    values (``t="e"``) and formulas saved without a calculated value (workbooks written by
    scripts). Returns sheet name → ``[(excel_row, column_index, what, text)]``."""
    out: dict[str, list[tuple[int, int, str, str]]] = {}
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return out
    try:
        with zipfile.ZipFile(path) as z:
            wb = z.read("xl/workbook.xml")
            rels = z.read("xl/_rels/workbook.xml.rels")
            targets = dict(re.findall(rb'Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
            targets.update({k: v for v, k in re.findall(
                rb'Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
            for name, rid in re.findall(rb'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"',
                                        wb):
                target = targets.get(rid, b"").decode()
                member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                try:
                    xml = z.read(member)
                except KeyError:
                    continue
                if b"<f" not in xml and b't="e"' not in xml:
                    continue
                found = []
                for col, row, attrs, inner in _CELL.findall(xml):
                    inner = inner or b""
                    if b't="e"' in attrs:
                        v = re.search(rb"<v>(.*?)</v>", inner)
                        found.append((int(row), _column_index(col), "error",
                                      v.group(1).decode(errors="replace") if v else "#?"))
                    elif b"<f" in inner and b"<v" not in inner:
                        found.append((int(row), _column_index(col), "formula", ""))
                if found:
                    import html

                    out[html.unescape(name.decode("utf-8", "replace"))] = found
    except (zipfile.BadZipFile, KeyError, OSError):
        return out
    return out


def _sheet_to_raw(name: str, table: str, sheet: pd.DataFrame, source: str,
                  cell_problems: list[tuple[int, int, str, str]] | None = None) -> RawTable:
    sheet = sheet.dropna(axis=1, how="all")
    top = sheet.head(config.header_scan_rows).to_numpy(dtype=object).tolist()
    h = _find_header(top, table) if len(sheet) else 0
    if len(sheet) == 0:
        return RawTable(table, pd.DataFrame(), np.zeros(0, np.int64), source, header_row=1)
    header = [
        "" if (v is None or (isinstance(v, float) and np.isnan(v))) else str(v).strip()
        for v in sheet.iloc[h].tolist()
    ]
    positions = list(sheet.columns)  # the sheet column (0 = A) of each kept column
    body = sheet.iloc[h + 1 :].copy()
    body.columns = _dedupe(header)
    # pandas keeps every sheet row from row 1, so position p is Excel row p + 1
    rows = np.arange(h + 1, len(sheet), dtype=np.int64) + 1
    body = body.reset_index(drop=True)
    problems = []
    for r, c, what, text in cell_problems or []:
        if r <= h + 1:
            continue
        col = body.columns[positions.index(c)] if c in positions else ""
        if what == "error":
            problems.append((r, col, text, f"Excel error value {text} in this cell",
                             f"单元格为 Excel 错误值 {text}"))
        else:
            problems.append((r, col, None, "formula not calculated: open the workbook in "
                             "Excel and save it, then read it again",
                             "公式未计算出结果:请用 Excel 打开并保存后再读取"))
    return RawTable(table, body, rows, f"{source}[{name}]", header_row=h + 1,
                    problems=problems)


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
    _check_workbook_file(path)
    engine = _excel_engine(path)
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=object,
                               engine=engine, keep_default_na=False, na_values=[])
    except PartygraphError:
        raise
    except BaseException as exc:  # every reader failure becomes one clear message
        if not reader_failed(exc):
            raise
        raise PartygraphError(
            f"{path.name}: the workbook cannot be read ({type(exc).__name__}: {exc}); open it "
            "in Excel and save it again as .xlsx / 工作簿无法读取,请用 Excel 打开后另存为 .xlsx"
        ) from None
    cells = _xlsx_cell_problems(path)
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
        sheet = sheet.replace("", np.nan)
        tables[table] = _sheet_to_raw(str(name), table, sheet, path.name,
                                      cells.get(str(name)))
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
        if p.suffix.lower() in (".csv", ".parquet"):
            table = table_of(p.stem)
            if table is None:
                raise PartygraphError(
                    f"{p.name}: a single CSV file must be named after a table "
                    f"(units.csv, 单位.csv, ...) / 单个CSV文件须以表名命名"
                )
            reader = _read_parquet if p.suffix.lower() == ".parquet" else _read_csv
            return {table: reader(p, table)}, []
        raise PartygraphError(
            f"{p.name}: expected a folder of CSV files or an .xlsx workbook / "
            "应为CSV文件夹或 .xlsx 工作簿"
        )
    tables: dict[str, RawTable] = {}
    notes: list[tuple[str, str, str]] = []
    from .progress import track

    for f in track(sorted(p.iterdir()), desc="读取文件 reading", unit="file"):
        if f.name.startswith((".", "~$")) or f.is_dir():
            continue
        if f.suffix.lower() not in (".csv", ".parquet"):
            if f.suffix.lower() not in (".md", ".txt", ".json", ".yaml", ".yml"):
                notes.append((f.name, "unknown_file", f.name))
            continue
        table = table_of(f.stem)
        if table is None and normalize_label(f.stem) in TEMPLATE_SHEETS:
            continue  # the template's explanation or code sheet, exported as CSV
        if table is None:
            notes.append((f.name, "unknown_file", f.name))
        elif table in tables:
            notes.append((f.name, "duplicate_table", table))
        else:
            reader = _read_parquet if f.suffix.lower() == ".parquet" else _read_csv
            tables[table] = reader(f, table)
    if not tables:
        raise PartygraphError(_no_table_here(p, notes))
    return tables, notes


def _no_table_here(p: Path, notes: list[tuple[str, str, str]]) -> str:
    """Why a folder is no data set, and what the person may have meant."""
    odd = [n[0] for n in notes if n[1] == "unknown_file"]
    seen = (f" (found {', '.join(odd[:3])}{', ...' if len(odd) > 3 else ''}: not table "
            "names)" if odd else "")
    seen_zh = f"(其中的 {'、'.join(odd[:3])} 不是表名)" if odd else ""
    # data sets one level down (a province's districts), by the province's own rule
    found = data_sets_inside(sorted(f for f in p.iterdir()
                                     if not f.name.startswith((".", "~$"))))
    if found:
        names = ", ".join(found[:3]) + (", ..." if len(found) > 3 else "")
        return (f"{p}: no table of its own, but data sets inside ({names}): for one district "
                "per data set, assess the folder as a province (`partygraph assess`, "
                "pg.assess_province()); else give one data set's own path / 该文件夹本身没有"
                f"数据表,其中另有数据({names}):如为每个区县一份数据,请用 partygraph assess 或 "
                "pg.assess_province() 按省级评估;否则请直接给出其中一份数据的路径")
    return (f"{p}: no table here{seen}: expected CSV or Parquet files named after tables "
            "(units.csv, 单位.csv, ...); for a workbook, give the workbook's own path / "
            f"文件夹中没有数据表{seen_zh}:应为以表名命名的 CSV 或 Parquet 文件(如 units.csv、"
            "单位.csv);工作簿请直接给出工作簿文件的路径")


def as_pandas(frame: object, key: str = "") -> pd.DataFrame:
    """A pandas DataFrame from a pandas, pyarrow or polars table, or anything that speaks
    the Arrow PyCapsule interface (``__arrow_c_stream__``)."""
    if isinstance(frame, pd.DataFrame):
        return frame
    import pyarrow as pa

    if isinstance(frame, pa.RecordBatch):
        frame = pa.Table.from_batches([frame])
    if not isinstance(frame, pa.Table) and not hasattr(frame, "__arrow_c_stream__") and (
            callable(getattr(frame, "to_arrow", None))):
        frame = frame.to_arrow()  # polars before the PyCapsule interface
    if not isinstance(frame, pa.Table):
        if not hasattr(frame, "__arrow_c_stream__"):
            raise PartygraphError(
                f"table {key!r} must be a pandas, pyarrow or polars table (or another Arrow "
                f"table), not {type(frame).__name__} / 须为 pandas、pyarrow 或 polars 表")
        frame = pa.table(frame)
    return frame.to_pandas()


def _read_parquet(path: Path, table: str) -> RawTable:
    """A Parquet file (as :func:`partygraph.write_parquet` writes): ``row`` in reports is the
    record's 0-based position, as pandas shows it."""
    import pyarrow.parquet as pq

    try:
        frame = pq.read_table(path).to_pandas()
    except Exception as exc:
        raise PartygraphError(f"{path.name}: not a readable Parquet file ({exc}) / "
                              f"无法读取Parquet文件") from None
    frame = frame.reset_index(drop=True)
    frame.columns = _dedupe([str(c).strip() for c in frame.columns])
    return RawTable(table, frame, np.arange(len(frame), dtype=np.int64), path.name)


def raw_from_frames(frames: dict[str, object]) -> dict[str, RawTable]:
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
        f = as_pandas(frame, key).reset_index(drop=True)
        f.columns = _dedupe([str(c).strip() for c in f.columns])
        out[table] = RawTable(table, f, np.arange(len(f), dtype=np.int64), "DataFrame")
    return out

