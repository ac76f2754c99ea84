"""Validation: raw tables in, canonical tables and one problem report out.

Every problem is gathered (never the first only) into a report with the columns ``table``,
``row``, ``column``, ``value``, ``problem``, ``problem_zh`` and ``severity``. Errors set
their row aside; warnings do not. Checks, in order: headers (missing required columns,
personal-data columns), values (empty required cells, unknown codes, unreadable dates,
negative or non-numeric counts, priorities outside 1–5, credit-code check characters,
ID-card numbers used as member ids), duplicate ids within and across tables, references to
ids that do not exist (or were set aside), cycles in the region and org trees, link
endpoints of the wrong type, self-links, and end dates before start dates.
"""

from __future__ import annotations

import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import arrays
from ._threads import threads
from .identifiers import (
    division_ancestors,
    looks_like_id_card,
    looks_like_mobile,
    looks_like_person_name,
    looks_like_phone,
    mask_personal,
    uscc_shaped,
    uscc_valid,
)
from .progress import track
from .reading import RawTable
from .schema import (
    DOMAIN_OF_REGION_LEVEL,
    DOMAIN_OF_UNIT_KIND,
    EXAMPLE_MARK,
    LINK_ENDPOINTS,
    NODE_TABLES,
    TABLE_ORDER,
    TABLES,
    VOCABULARIES,
    Column,
    normalize_label,
)
from .settings import config

__all__ = ["REPORT_COLUMNS", "Validated", "validate_raw"]

#: The largest count accepted (members, employees): more is taken for a typing error.
COUNT_MAX = 10_000_000
REPORT_COLUMNS = ["table", "row", "column", "value", "problem", "problem_zh", "severity"]
_USCC_HEADERS = {
    normalize_label(s) for s in ("统一社会信用代码", "社会信用代码", "信用代码", "uscc")
}


@dataclass
class Validated:
    """The outcome of validation."""

    tables: dict[str, pd.DataFrame]
    rows: dict[str, np.ndarray]
    report: pd.DataFrame
    rejected: dict[str, pd.DataFrame]
    personal: pd.DataFrame
    sources: dict[str, str] = field(default_factory=dict)
    accounting: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["table", "read", "loaded", "set_aside"]))
    names: pd.DataFrame = field(default_factory=pd.DataFrame)
    duplicates: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: the id and reference columns of ``tables`` with their codes (one per distinct text
    #: over all of them), and the number of codes
    codes: tuple[list[tuple[pd.Series, np.ndarray]], int] = ([], 0)

    @property
    def ok(self) -> bool:
        return not (self.report["severity"] == "error").any()


class _Report:
    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(self, table, rows, column, values, problem, problem_zh, severity="error"):
        rows = np.atleast_1d(np.asarray(rows, dtype=object))
        if len(rows) == 0:
            return
        if table in TABLES and column in TABLES[table].names:
            column = f"{column} ({TABLES[table].column(column).zh})"
        if values is None or np.isscalar(values):
            values = [values] * len(rows)
        vals = pd.Series(list(values), dtype=object)
        vals = vals.map(lambda v: None if v is None or v is pd.NA or v != v else str(v))
        if vals.notna().any():  # personal numbers are never shown whole
            masked, _ = mask_personal(vals.astype("str"))
            vals = masked.astype(object).where(vals.notna(), None)
        self.parts.append(
            pd.DataFrame(
                {
                    "table": table,
                    "row": pd.array(rows, dtype="Int64"),
                    "column": column,
                    "value": vals.astype("str").where(vals.notna()),
                    "problem": problem,
                    "problem_zh": problem_zh,
                    "severity": severity,
                }
            )
        )

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "row" else "str")
                                 for c in REPORT_COLUMNS})
        rep = pd.concat(self.parts, ignore_index=True)
        order = {t: i for i, t in enumerate(("dataset", *TABLE_ORDER))}
        rep["_t"] = rep["table"].map(order).fillna(len(order))
        rep = rep.sort_values(["_t", "row"], kind="stable", na_position="first")
        return rep.drop(columns="_t").reset_index(drop=True)


def _mask_personal(value: str) -> str:
    """Show only the first 4 and last 2 characters of an identifying number."""
    if len(value) <= 6:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 6) + value[-2:]


# --------------------------------------------------------------------------------------
# value coercion




def _to_text(s: pd.Series) -> pd.Series:
    """Cells as stripped strings, empty → missing. Integral floats lose their ``.0``; dates
    become ``YYYY-MM-DD``."""
    return _text_cells(s)[0]


def _text_cells(s: pd.Series) -> tuple[pd.Series, bool]:
    """:func:`_to_text`, and whether a cell may begin with an apostrophe, "#" or another
    character before "(" (:func:`_may_start_below`, from the bytes already read when the
    column is kept as it is)."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        fmt = "%Y-%m-%d" if (s.dropna() == s.dropna().dt.normalize()).all() else None
        out = (s.dt.strftime(fmt) if fmt else s.astype("str")).astype("str")
    elif pd.api.types.is_string_dtype(s.dtype) and s.dtype != object:
        out = s.astype("str")
        # a value can change below only where it is empty, or begins or ends with a byte
        # that may be white space (ASCII up to the space, or any byte of a non-ASCII
        # character): a column with none is returned as it is
        first, last, some = arrays.edge_bytes(out)
        if not (out.notna().to_numpy(dtype=bool) & ~some).any() and not (
                (first[some] - 0x21 >= 0x5F) | (last[some] - 0x21 >= 0x5F)).any():
            return out, bool((first[some] < ord("(")).any())
    elif pd.api.types.is_float_dtype(s.dtype):
        arr = s.to_numpy(dtype="float64", na_value=np.nan)
        integral = np.isfinite(arr) & (arr == np.round(arr)) & (np.abs(arr) < 2**62)
        txt = np.where(integral, np.where(integral, arr, 0).astype(np.int64).astype(str),
                       arr.astype(str))
        out = pd.Series(txt, index=s.index, dtype="str").where(~np.isnan(arr))
    elif pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
        out = s.astype("str").where(s.notna())
    else:
        def conv(v: object) -> object:
            if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
                return None
            if isinstance(v, float) and v.is_integer():
                return str(int(v))
            if isinstance(v, dt.time):  # a time of day (a workbook's time cell)
                return v.isoformat()
            if isinstance(v, dt.timedelta):
                return str(v)
            if isinstance(v, pd.Timestamp | np.datetime64) or hasattr(v, "isoformat"):
                ts = pd.Timestamp(v)
                return ts.strftime("%Y-%m-%d") if ts == ts.normalize() else ts.isoformat()
            return str(v)

        out = pd.Series([conv(v) for v in s.tolist()], index=s.index, dtype="str")
    out = out.str.strip()
    out = out.where(out.ne(""))
    return out, _may_start_below(out, "(")


_DATE_FORMS = [
    # 2024-03-05, 2024/3/5, 2024.3.5, with an optional time of day
    re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
               r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?)?$"),
    # 2024年3月5日 (or 号)
    re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?$"),
    # 20240305
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
    # two-digit years, year first as Chinese software writes them: 24年3月5日, 24-3-5, 24/3/5
    re.compile(r"^(?P<y>\d{2})(?:年(?P<m2>\d{1,2})月(?P<d2>\d{1,2})[日号]?|[-/.](?P<m>\d{1,2})"
               r"[-/.](?P<d>\d{1,2}))$"),
]


def _century(yy: int) -> int:
    """A two-digit year: 20YY up to next year, else 19YY (``98年`` is 1998)."""
    y = 2000 + yy
    return y if y <= pd.Timestamp.today().year + 1 else 1900 + yy
DATE_MIN, DATE_MAX = pd.Timestamp("1900-01-01"), pd.Timestamp("2100-12-31 23:59:59")


def _parse_dates(s: pd.Series) -> tuple[pd.Series, dict[str, np.ndarray]]:
    """Parse dates: the year first, in four digits, then month and day.

    Read: ``2024-03-05``, ``2024/3/5``, ``2024.3.5``, ``2024年3月5日`` (or 号), ``20240305``,
    each with an optional time of day after the date, and the date cells of a workbook.
    Two-digit years are read year first, as Chinese software writes them (``24年3月5日``,
    ``24-3-5``, ``24/3/5`` are 2024-03-05; a year above next year's two digits is 19YY,
    ``98年1月2日`` is 1998-01-02), each with an ``info`` line saying so. Reported, never
    guessed: day-first or month-first forms (``3/1/2024``), bare numbers (``1``, ``45292``:
    an Excel serial number in a text cell), impossible dates (``2024-02-30``) and dates
    outside 1900–2100.

    Returns the parsed series (datetime64[ns]) and masks of the cells reported, by reason
    (``unreadable``, ``number``, ``range``).
    """
    codes, uniq_idx = pd.factorize(s)
    uniq = [str(v).strip() for v in uniq_idx]
    parsed = np.full(len(uniq), np.datetime64("NaT"), dtype="datetime64[ns]")
    why = np.zeros(len(uniq), dtype=np.int8)  # 0 ok, 1 unreadable, 2 number, 3 range
    for k, text in enumerate(uniq):
        m = next((p.match(text) for p in _DATE_FORMS if p.match(text)), None)
        if m is None:
            why[k] = 2 if re.fullmatch(r"[+-]?\d+(\.\d+)?", text) else 1
            continue
        g = m.groupdict()
        y, mo, d = int(g["y"]), int(g["m"] or g.get("m2")), int(g["d"] or g.get("d2"))
        if len(g["y"]) == 2:
            y = _century(y)
            why[k] = 4  # read, and said so
        if not 1900 <= y <= 2100:
            why[k] = 3
            continue
        try:
            ts = pd.Timestamp(year=y, month=mo, day=d, hour=int(g.get("H") or 0),
                              minute=int(g.get("M") or 0), second=int(g.get("S") or 0))
        except ValueError:
            why[k] = 1
            continue
        parsed[k] = ts.to_datetime64()
    values = np.append(parsed, np.datetime64("NaT"))
    out = pd.Series(values[codes], index=s.index, dtype="datetime64[ns]")
    w = np.append(why, 0)[codes]
    return out, {"unreadable": w == 1, "number": w == 2, "range": w == 3, "two_digit": w == 4}


def _to_number(text: pd.Series) -> pd.Series:
    """Numbers from text (thousands separators allowed); unreadable → NaN."""
    import pyarrow.compute as pc

    try:
        arr = pc.cast(arrays.to_arrow(text), "float64")
        return pd.Series(arr.to_numpy(zero_copy_only=False), index=text.index)
    except Exception:
        return pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce")


def _coerce_column(
    col: Column, s: pd.Series, table: str, rows: np.ndarray, rep: _Report
) -> tuple[pd.Series, np.ndarray]:
    """Coerce one column of text (see `_to_text`); report problems; return (values, bad)."""
    n = len(s)
    bad = np.zeros(n, dtype=bool)
    label = f"{col.name} ({col.zh})"
    if col.type in ("id", "ref", "text", "tags"):
        return s, bad
    if col.type == "date":
        out, why = _parse_dates(s)
        texts = {
            "unreadable": ("unreadable date: write the year first, in four digits "
                           "(YYYY-MM-DD, 2024/3/5, 2024年3月5日)",
                           "日期无法识别:请先写四位年份(如 2024-03-05、2024/3/5、2024年3月5日)"),
            "number": ("a number where a date is expected (an Excel serial number in a text "
                       "cell?): format the cell as a date", "此处应为日期而非数字(疑为 Excel "
                       "日期序号):请将单元格设为日期格式"),
            "range": ("date outside 1900–2100", "日期超出1900—2100年范围"),
        }
        for k, (en, zh) in texts.items():
            rep.add(table, rows[why[k]], label, s[why[k]].tolist(), en, zh)
            bad |= why[k]
        two = why["two_digit"]
        if two.any():
            read = out[two].dt.strftime("%Y-%m-%d").tolist()
            rep.add(table, rows[two], label, s[two].tolist(),
                    [f"two-digit year, read as {d}" for d in read],
                    [f"两位年份,按 {d} 读取" for d in read], "info")
        return out, bad
    if col.type in ("code", "bool"):
        vocab = VOCABULARIES[col.vocab]
        text = s
        codes = arrays.factorize_map(text, vocab.code_of)
        bad = text.notna().to_numpy() & codes.isna().to_numpy()
        rep.add(table, rows[bad], label, text[bad].tolist(),
                f"unknown value; expected one of: {vocab.describe('en')}",
                f"无法识别的取值;应为:{vocab.describe('zh')}")
        if col.type == "bool":
            out = codes.map({"yes": True, "no": False}).astype("boolean")
        else:
            out = codes.astype("str")
        return out, bad
    # numbers: count, number, priority
    text = s
    num = _to_number(text)
    nonnum = (text.notna() & num.isna()).to_numpy(dtype=bool)
    rep.add(table, rows[nonnum], label, text[nonnum].tolist(), "not a number", "不是数字")
    bad |= nonnum
    vals = num.to_numpy(dtype="float64", na_value=np.nan)
    inf = np.isinf(vals)
    rep.add(table, rows[inf], label, text[inf].tolist(), "not a finite number",
            "不是有限的数值")
    bad |= inf
    if col.type == "count":
        huge = ~inf & (np.abs(np.nan_to_num(vals)) > COUNT_MAX)
        rep.add(table, rows[huge], label, text[huge].tolist(),
                f"implausibly large count (more than {COUNT_MAX:,})",
                f"数量过大(超过{COUNT_MAX:,}),不可信")
        bad |= huge
    vals = np.where(bad, np.nan, vals)
    neg = vals < 0
    rep.add(table, rows[neg], label, text[neg].tolist(), "negative number", "数值不能为负")
    bad |= neg
    if col.type in ("count", "priority", "score"):
        frac = ~np.isnan(vals) & (np.floor(vals) != vals) & ~neg
        rep.add(table, rows[frac], label, text[frac].tolist(), "not a whole number", "应为整数")
        bad |= frac
    if col.type == "priority":
        rng = ~np.isnan(vals) & ((vals < 1) | (vals > 5)) & ~bad
        rep.add(table, rows[rng], label, text[rng].tolist(),
                "priority must be 1 (low) to 5 (high)", "优先级应为1(低)至5(高)")
        bad |= rng
    if col.type == "score":
        rng = ~np.isnan(vals) & ((vals < 1) | (vals > 5)) & ~bad
        rep.add(table, rows[rng], label, text[rng].tolist(),
                "satisfaction must be 1 (very dissatisfied) to 5 (very satisfied)",
                "满意度应为1(很不满意)至5(很满意)")
        bad |= rng
    vals = np.where(bad, np.nan, vals)
    if col.type == "number":
        out = pd.Series(vals, index=s.index, dtype="float64")
        return out, bad
    out = pd.Series(pd.array(np.where(np.isnan(vals), 0, vals).astype(np.int64), dtype="Int64"),
                    index=s.index)
    out[np.isnan(vals)] = pd.NA
    return out, bad


# --------------------------------------------------------------------------------------
# per-table checks


def _personal_reason(header: str, s: pd.Series, table: str) -> str | None:
    key = normalize_label(header)
    personal = {normalize_label(h) for h in config.personal_headers}
    if key in personal or (table == "members" and key in ("name", "名称", "姓名")):
        return "header"
    text = s.dropna()
    if len(text) == 0:
        return None
    sample = text if len(text) <= 20000 else text.sample(20000, random_state=0)
    if looks_like_id_card(sample).mean() >= config.personal_share:
        return "id_card"
    if looks_like_phone(sample).mean() >= config.personal_share:
        return "phone"
    if looks_like_person_name(sample).mean() >= config.personal_share:
        return "names"
    return None


_REASON_TEXT = {
    "header": ("a personal-data column (by its header)", "个人信息列(按列名判断)"),
    "id_card": ("a column of ID-card numbers", "身份证号码列"),
    "phone": ("a column of phone numbers", "电话号码列"),
    "names": ("a column of personal names", "人名列"),
}


def _header_map(headers: object, table: str) -> tuple[dict[str, str], list[str]]:
    """Which header names each column of ``table`` (the first header naming a column wins),
    and the headers left over (extra columns)."""
    lookup = TABLES[table].header_lookup()
    by_canon: dict[str, str] = {}
    extras: list[str] = []
    for h in headers:
        canon = lookup.get(normalize_label(h))
        if canon is not None and canon not in by_canon:
            by_canon[canon] = h
        else:
            extras.append(h)
    return by_canon, extras


def _coerce_table(raw: RawTable, rep: _Report, personal: list[dict]) -> tuple[
    pd.DataFrame, np.ndarray, np.ndarray, np.ndarray
]:
    """The table's columns coerced, its row numbers, the rows set aside, and the position
    in ``raw.frame`` of each row kept (records with no value at all are dropped)."""
    t = TABLES[raw.name]
    frame = raw.frame
    rows = raw.rows
    header_row = raw.header_row
    lookup = t.header_lookup()
    by_canon, extras = _header_map(frame.columns, raw.name)
    # every cell as stripped text once; records with no value at all are dropped (unless
    # the reader found a problem on them: those are reported and set aside)
    digits_lost = _digits_lost(frame, by_canon, t)
    cells = {h: _text_cells(frame[h]) for h in frame.columns}
    texts = {h: v for h, (v, _) in cells.items()}
    # columns where a cell may begin with an apostrophe or "#" (the least value sorts
    # before "("): the others need neither check below
    marked = {h for h, (_, below) in cells.items() if below}
    del cells
    for h, v in texts.items():
        if h not in marked:
            continue
        # a leading apostrophe typed to force text (or put by a CSV writer before "=", "+",
        # "-", "@"): not part of the value; removed, and said so once per column
        quoted = v.str.startswith("'").fillna(False).to_numpy(dtype=bool)
        if quoted.any():
            texts[h] = v.where(~quoted, v.str[1:].str.strip()).replace("", np.nan)
            first = ", ".join(str(r) for r in rows[quoted][:5]) + (
                " …" if quoted.sum() > 5 else "")
            rep.add(raw.name, [header_row], h, None,
                    f"{int(quoted.sum())} cell(s) began with an apostrophe (Excel's mark for "
                    f"text), which was removed (rows {first})",
                    f"{int(quoted.sum())} 个单元格以撇号开头(Excel 的文本标记),已去除撇号"
                    f"(第 {first} 行)", "info")
    flagged_rows = {p[0] for p in raw.problems}
    kept = np.arange(len(frame))
    if texts:
        keep = np.zeros(len(frame), dtype=bool)
        for v in texts.values():
            keep |= v.notna().to_numpy()
        example = texts[frame.columns[0]].str.startswith(EXAMPLE_MARK).fillna(False).to_numpy(
            dtype=bool)
        if example.any():  # the template's example row: not data
            keep &= ~example
            rep.add(raw.name, rows[example], frame.columns[0], None,
                    "the template's example row (marked 示例): skipped",
                    "模板示例行(标有“示例”):已跳过", "info")
        if flagged_rows:
            keep |= np.isin(rows, list(flagged_rows))
        if not keep.all():
            frame = frame[keep].reset_index(drop=True)
            texts = {h: v[keep].reset_index(drop=True) for h, v in texts.items()}
            digits_lost = {h: v[keep] for h, v in digits_lost.items()}
            rows = rows[keep]
            kept = np.flatnonzero(keep)
    n = len(frame)
    out: dict[str, pd.Series] = {}
    bad = np.zeros(n, dtype=bool)
    # problems the reader found (malformed cells of a workbook): reported, row set aside;
    # the cell is not reported a second time as empty
    flagged = {h: np.zeros(n, dtype=bool) for h in frame.columns}
    for r, column, value, en, zh in raw.problems:
        hit = rows == r
        if hit.any():
            rep.add(raw.name, [r], column, [value], en, zh)
            bad |= hit
            if column in flagged:
                flagged[column] |= hit
    # Excel error values that reached a text export (#N/A, #REF!, ...)
    for h, v in texts.items():
        if h not in marked:
            continue
        err = v.isin(_EXCEL_ERRORS).to_numpy(dtype=bool)
        if err.any():
            rep.add(raw.name, rows[err], h, v[err].tolist(),
                    "an Excel error value in this cell", "单元格为 Excel 错误值")
            bad |= err
    for h, lost in digits_lost.items():
        flagged[h] |= lost
        if lost.any():
            rep.add(raw.name, rows[lost], h, texts[h][lost].tolist(),
                    "an id stored as a number: its last digits are lost; format the column "
                    "as text and type the ids again",
                    "编码被存为数字,末尾数位已丢失:请将该列设为文本格式后重新输入")
            bad |= lost
    # extra columns: personal data out, the rest kept as text
    extra_out: dict[str, pd.Series] = {}
    for h in extras:
        s = texts[h]
        if s.isna().all() and (h.startswith("column_") or h.startswith("Unnamed:")):
            continue
        reason = _personal_reason(h, s, raw.name)
        if reason is not None:
            en, zh = _REASON_TEXT[reason]
            rep.add(raw.name, [header_row], h, None,
                    f"{en}: warned and kept out of every table and output",
                    f"{zh}:已提示并从所有表格和输出中排除", "warning")
            personal.append({"table": raw.name, "column": h, "reason": reason})
            continue
        name = h
        if h.startswith("Unnamed:"):
            name = f"column_{frame.columns.get_loc(h) + 1}"
            rep.add(raw.name, [header_row], name, None,
                    "a column without a header; kept as an extra column",
                    "该列无列名,作为附加列保留", "warning")
        canon = lookup.get(normalize_label(h))
        if canon is not None:
            name = _free_name(f"{h} (2)", {*t.names, *extra_out, *frame.columns})
            rep.add(raw.name, [header_row], h, None,
                    f"a second header for column '{canon}' (the first, "
                    f"'{by_canon[canon]}', is used); this one is kept as extra column "
                    f"'{name}'", f"“{canon}”列有两个列名(使用第一个“{by_canon[canon]}”);"
                    f"此列作为附加列“{name}”保留", "warning")
        elif name in t.names or name in _RESERVED_NAMES:
            new = _free_name(f"{name}_extra", {*t.names, *extra_out, *frame.columns})
            rep.add(raw.name, [header_row], h, None,
                    f"an extra column named '{name}', a name partygraph uses itself; kept as "
                    f"'{new}'", f"附加列名“{name}”与系统使用的名称相同,已改名为“{new}”保留",
                    "warning")
            name = new
        extra_out[name] = _scrub(raw.name, name, s, rows, header_row, rep, personal)
    make_ids = raw.name in ("units", "orgs") and "id" not in by_canon and n > 0
    for col in t.columns:
        if col.name not in by_canon:
            if col.required and not (make_ids and col.name == "id"):
                rep.add(raw.name, [header_row], f"{col.name} ({col.zh})", None,
                        f"required column is missing (header '{col.zh}' or '{col.name}')",
                        f"缺少必填列(列名“{col.zh}”或“{col.name}”)")
                bad[:] = True
            out[col.name] = _empty(col, n)
            continue
        values, colbad = _coerce_column(col, texts[by_canon[col.name]], raw.name, rows, rep)
        if col.type in ("text", "tags"):
            values = _scrub(raw.name, col.name, values, rows, header_row, rep, personal)
        elif col.type in ("id", "ref") and not (raw.name == "members" and col.name == "id") \
                and not (raw.name == "regions" or col.refs == ("regions",)):
            # region ids are statistical codes (15-digit building codes look like first-
            # generation ID numbers): only the other ids are checked, and only in the two
            # lengths a person's number has
            maybe = arrays.length_in(values, (11, 13, 14, 18)) & ~colbad
            pers = np.zeros(len(values), dtype=bool)
            if maybe.any():
                sub = values[maybe]
                pers[maybe] = (looks_like_id_card(sub, fifteen=False)
                               | looks_like_mobile(sub))
            rep.add(raw.name, rows[pers], f"{col.name} ({col.zh})", values[pers].tolist(),
                    "looks like an ID-card or mobile number: use a code that does not "
                    "identify a person", "疑似身份证号或手机号:请改用不指向个人的编码")
            colbad = colbad | pers
        out[col.name] = values.reset_index(drop=True)
        bad |= colbad
        if col.required:
            empty = values.isna().to_numpy(dtype=bool) & ~colbad & ~flagged[by_canon[col.name]]
            if col.name == "id" and raw.name == "units" and normalize_label(
                    by_canon["id"]) in _USCC_HEADERS:
                empty[:] = False  # blank credit codes: ids are made below
            rep.add(raw.name, rows[empty], f"{col.name} ({col.zh})", None,
                    "required value is empty", "必填项为空")
            bad |= empty
        if col.default is not None:
            out[col.name] = out[col.name].fillna(col.default)
            if col.type == "priority":
                out[col.name] = out[col.name].astype("int64")
    df = pd.DataFrame(out)
    for name, s in extra_out.items():
        df[name] = s.reset_index(drop=True)
    # a ledger without ids, or whose id column is the credit code with some left blank:
    # stable ids from the credit code where there is one, else from the name and place
    blank_codes = (raw.name == "units" and "id" in by_canon and normalize_label(
        by_canon["id"]) in _USCC_HEADERS and df["id"].isna().any())
    if make_ids or blank_codes:
        from .names import made_ids

        code_col = next((h for h in df.columns if normalize_label(h) in _USCC_HEADERS), None)
        codes = df[code_col].where(uscc_shaped(df[code_col].fillna(""))) if code_col else None
        place = df["unit_id"].fillna(df["region_id"]) if raw.name == "orgs" else df["region_id"]
        made = made_ids("U" if raw.name == "units" else "P", df["name"], place, codes)
        was_made = df["id"].isna().to_numpy(dtype=bool) if blank_codes else np.ones(n, bool)
        df["id"] = df["id"].where(df["id"].notna(), made) if blank_codes else made
        if "id" in by_canon:
            flagged[by_canon["id"]] |= was_made & ~uscc_shaped(df["id"].fillna(""))
        rep.add(raw.name, [header_row], "id", None,
                "ids were made where none was given: from the credit code where there is one, "
                "else from the name and place (the same each load)",
                "未填编码处已生成编码:有统一社会信用代码的用代码,否则按名称和所在地生成,每次读取相同",
                "info")
    _check_identifiers(raw.name, df, by_canon, extras, rows, rep, personal,
                       flagged.get(by_canon.get("id", ""), np.zeros(n, dtype=bool)))
    bad |= df.attrs.pop("_bad", np.zeros(n, bool))
    return df, rows, bad, kept


_EXCEL_ERRORS = ["#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!",
                 "#SPILL!", "#CALC!", "#GETTING_DATA", "#N/A!"]
#: Names partygraph gives columns itself (the row number of set-aside rows, node types).
_RESERVED_NAMES = {"row", "type", "table", "problem", "problem_zh", "severity"}
_SCI_NUMBER = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")


def _may_start_below(s: pd.Series, bound: str) -> bool:
    """Whether some value of ``s`` (stripped, none empty) sorts before the one ASCII
    character ``bound``: whether one begins with a byte below it."""
    if not len(s):
        return False
    first, _, some = arrays.edge_bytes(s)
    return bool((first[some] < ord(bound)).any())


def _duplicate_ids(tables, rows, bad, rep, codes: _Codes) -> None:
    """Ids given twice within a table: the later rows are set aside."""
    for t, df in tables.items():
        c = codes.code.get((t, "id"))
        if c is None or not len(c):
            continue
        at = np.arange(len(c))
        first = np.full(codes.n + 1, -1, dtype=np.int64)
        first[c[::-1]] = at[::-1]
        dup = (c >= 0) & (first[c] != at)
        if dup.any():
            firsts = rows[t][first[c[dup]]]
            rep.add(t, rows[t][dup], "id", df["id"][dup].tolist(),
                    [f"duplicate id (first at row {f})" for f in firsts],
                    [f"编码重复(首次出现在第 {f} 行)" for f in firsts])
            bad[t] |= dup


def _free_name(name: str, taken: set) -> str:
    out, k = name, 2
    while out in taken:
        out, k = f"{name}{k}", k + 1
    return out


def _digits_lost(frame: pd.DataFrame, by_canon: dict[str, str], t) -> dict[str, np.ndarray]:
    """Id and reference cells that Excel turned into numbers too long to be exact (≥ 2^53,
    or written as ``9.13501E+17``): their last digits are gone."""
    out = {}
    for col in t.columns:
        if col.type not in ("id", "ref") or col.name not in by_canon:
            continue
        h = by_canon[col.name]
        s = frame[h]
        if s.dtype == object:
            vals = s.to_numpy(dtype=object)
            num = np.array([isinstance(v, int | float | np.integer | np.floating)
                            and not isinstance(v, bool) and np.isfinite(float(v))
                            and abs(float(v)) >= 2**53 for v in vals], dtype=bool) \
                if len(vals) else np.zeros(0, bool)
        elif pd.api.types.is_numeric_dtype(s.dtype):
            num = (s.abs() >= 2**53).fillna(False).to_numpy(dtype=bool)
        else:
            num = np.zeros(len(s), dtype=bool)
        sci = np.zeros(len(s), dtype=bool)
        txt = s.astype("str")
        plus = txt.str.contains("+", regex=False).fillna(False).to_numpy(dtype=bool) \
            if arrays.has_byte(txt, ord("+")) else np.zeros(len(s), dtype=bool)
        if plus.any():  # "9.13501E+17": only cells with a plus sign can be one
            sci[plus] = txt[plus].str.strip().str.fullmatch(_SCI_NUMBER).fillna(
                False).to_numpy(dtype=bool)
        out[h] = num | sci
    return out


def _scrub(table, column, s, rows, header_row, rep, personal) -> pd.Series:
    """Mask ID-card and mobile numbers inside a text column (the rest of the text is kept),
    with one warning naming the column and the rows."""
    if not len(s) or s.isna().all():
        return s
    masked, changed = mask_personal(s)
    if changed.any():
        rows_txt = ", ".join(str(r) for r in rows[changed][:10]) + (
            " …" if changed.sum() > 10 else "")
        rep.add(table, [header_row], column, None,
                f"{int(changed.sum())} value(s) hold ID-card or mobile numbers (rows "
                f"{rows_txt}): masked in every table and output",
                f"{int(changed.sum())} 个值含身份证号或手机号(第 {rows_txt} 行):已在所有表格和"
                "输出中打码", "warning")
        personal.append({"table": table, "column": column, "reason": "masked"})
        return masked.where(s.notna())
    return s


def _empty(col: Column, n: int) -> pd.Series:
    if col.type == "date":
        return pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
    if col.type in ("count", "priority", "score"):
        return pd.Series(pd.NA if col.default is None else col.default, index=range(n),
                         dtype="Int64" if col.default is None else "int64")
    if col.type == "number":
        return pd.Series(np.nan if col.default is None else col.default, index=range(n),
                         dtype="float64")
    if col.type == "bool":
        return pd.Series(pd.NA, index=range(n), dtype="boolean")
    return pd.Series(col.default, index=range(n), dtype="str")


def _check_identifiers(table, df, by_canon, extras, rows, rep, personal, skip) -> None:
    bad = np.zeros(len(df), dtype=bool)
    if table == "units":
        id_is_uscc = normalize_label(by_canon.get("id", "")) in _USCC_HEADERS
        cols = [("id", df["id"], id_is_uscc)]
        cols += [(h, df[h], True) for h in extras
                 if normalize_label(h) in _USCC_HEADERS and h in df.columns]
        for name, s, declared in cols:
            present = s.notna().to_numpy(dtype=bool) & ~(
                skip if name == "id" else np.zeros(len(s), dtype=bool))
            up = s.fillna("").str.upper()
            shaped = uscc_shaped(up) & up.str[2:8].str.isdigit().fillna(False).to_numpy(bool)
            valid = uscc_valid(up)
            wrong = shaped & ~valid & present
            rep.add(table, rows[wrong], name, s[wrong].tolist(),
                    "unified social credit code: the check character is wrong",
                    "统一社会信用代码校验位错误")
            notcode = present & ~shaped if declared else np.zeros(len(s), bool)
            rep.add(table, rows[notcode], name, s[notcode].tolist(),
                    "not a unified social credit code (18 characters)",
                    "不是统一社会信用代码(应为18位)")
            if name == "id":
                bad |= wrong | notcode
    if table == "members" and len(df):
        idcard = looks_like_id_card(df["id"])
        if idcard.any():
            rep.add(table, rows[idcard], "id (党员编号)",
                    [_mask_personal(v) for v in df["id"][idcard]],
                    "member id looks like an ID-card number: use a pseudonymous id",
                    "党员编号疑似身份证号码:请改用化名编号")
            bad |= idcard
            personal.append({"table": table, "column": "id", "reason": "id_card"})
    df.attrs["_bad"] = bad


# --------------------------------------------------------------------------------------
# cross-table checks


# the one dictionary of ids is built in parts of about this many cells, at most this many
_CELLS_A_PART = 500_000
_PARTS = 8


class _Codes:
    """Every id and reference of every table, dictionary-encoded into dense integers.

    One hash pass over all id-like cells replaces a hash table per reference check: each
    check is then integer indexing with numpy. The codes can follow the tables as they
    change (:meth:`follow`): a cell whose text is unchanged keeps its code, so the pass can
    run on the tables as read, on a second thread, while their values are coerced.
    """

    def __init__(self, columns: dict[tuple[str, str], object], dictionary: object,
                 code: dict[tuple[str, str], np.ndarray]) -> None:
        self.columns = columns  # the text each column had when it got its codes
        self.dictionary = dictionary  # the text of each code
        self.n = len(dictionary)
        self.code = code

    @staticmethod
    def id_columns(tables: dict[str, pd.DataFrame]) -> dict[tuple[str, str], object]:
        """The id and reference columns of ``tables`` as Arrow text, in table order."""
        return {(t, c.name): arrays.to_arrow(tables[t][c.name]) for t in TABLE_ORDER
                if t in tables for c in TABLES[t].columns if c.type in ("id", "ref")}

    @classmethod
    def encode(cls, columns: dict[tuple[str, str], object]) -> _Codes:
        """One dictionary over every cell of ``columns`` (Arrow text).

        A reference column far longer than the tables it may name (a million members'
        organisations) repeats its values: it is encoded on its own first, in a small hash
        table that stays in the processor's cache, and only its distinct values join the
        one dictionary. That dictionary is built in parts: each cell goes to the part its
        last bytes and length give (:func:`arrays.hash_part`), so equal texts meet in one
        part, and each part's hash table is a fraction of one over every text. The tables
        stay in the cache longer, and the memory of one is used again by the next: fresh
        memory from the system costs more here than the hashing (issue 18)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        def indices(enc) -> np.ndarray:
            got = [ch.indices.fill_null(-1).to_numpy(zero_copy_only=False)
                   for ch in arrays.chunks(enc)]
            return np.concatenate(got).astype(np.int32, copy=False) if got else np.zeros(
                0, dtype=np.int32)

        lengths = {t: len(a) for (t, c), a in columns.items() if c == "id"}
        local: dict[tuple[str, str], np.ndarray] = {}
        items = []  # what joins the one dictionary, by column: its cells or its distinct ones
        for (t, c), a in columns.items():
            refs = TABLES[t].column(c).refs if t in TABLES else ()
            if refs and len(a) > 4 * sum(lengths.get(r, 0) for r in refs):
                own = pc.dictionary_encode(a)
                if len(arrays.chunks(own)):
                    local[(t, c)] = indices(own)
                    items.append(arrays.chunks(own)[-1].dictionary)
                    continue
            items.append(a)
        pieces = [(i, ch) for i, a in enumerate(items) for ch in arrays.chunks(a)]
        starts = {}  # each chunk's first cell within its column
        done: dict[int, int] = {}
        for j, (i, ch) in enumerate(pieces):
            starts[j] = done.get(i, 0)
            done[i] = starts[j] + len(ch)
        k = int(np.clip(sum(len(ch) for _, ch in pieces) // _CELLS_A_PART, 1, _PARTS))
        parts = [arrays.hash_part(ch, k) for _, ch in pieces] if k > 1 else None
        got = [np.full(len(a), -1, dtype=np.int32) for a in items]
        dictionary: list = []
        n = 0
        for p in range(k):
            sel = [np.flatnonzero(part == p) for part in parts] if parts is not None else \
                [None] * len(pieces)
            taken = [ch if s is None else ch.take(pa.array(s))
                     for (_, ch), s in zip(pieces, sel, strict=True)]
            enc = pc.dictionary_encode(pa.chunked_array(taken, type=pa.large_string()))
            if not enc.num_chunks:
                continue
            idx = indices(enc)
            idx[idx >= 0] += n
            at = 0
            for j, ((i, ch), s, t) in enumerate(zip(pieces, sel, taken, strict=True)):
                if s is None:
                    got[i][starts[j]:starts[j] + len(ch)] = idx[at:at + len(t)]
                else:
                    got[i][starts[j] + s] = idx[at:at + len(t)]
                at += len(t)
            dictionary.append(enc.chunk(enc.num_chunks - 1).dictionary)
            n += len(dictionary[-1])
        code: dict[tuple[str, str], np.ndarray] = {}
        for key, c in zip(columns, got, strict=True):
            # a column encoded on its own: the codes of its distinct values, over its cells
            code[key] = np.append(c, -1)[local[key]] if key in local else c
        return cls(dict(columns), pa.chunked_array(dictionary, type=pa.large_string()),
                   code)

    @classmethod
    def of(cls, tables: dict[str, pd.DataFrame]) -> _Codes:
        """The codes of the tables' id and reference columns."""
        return cls.encode(cls.id_columns(tables))

    def follow(self, columns: dict[tuple[str, str], object],
               kept: dict[str, np.ndarray] | None = None) -> _Codes:
        """The codes of ``columns`` (Arrow text by table and column: the id and reference
        columns as they are now, :meth:`id_columns`).

        ``kept`` gives, per table, the position among the rows encoded of each row the
        table has now (all rows, in order, where not given). A cell whose text is what was
        encoded at its position keeps its code; the other cells are looked up in the
        dictionary (its distinct entries run past their few distinct texts), and a text
        met nowhere before gets a new code."""
        import pyarrow as pa
        import pyarrow.compute as pc

        code: dict[tuple[str, str], np.ndarray] = {}
        todo: list[tuple[tuple[str, str], np.ndarray, object]] = []
        for key, now in columns.items():
            before = self.columns.get(key)
            pos = None if kept is None else kept.get(key[0])
            c = np.full(len(now), -1, dtype=np.int32)
            look = np.asarray(now.is_valid().to_numpy(zero_copy_only=False), dtype=bool) \
                if now.null_count else np.ones(len(now), dtype=bool)
            aligned = before is not None and (
                len(before) == len(now) if pos is None
                else len(pos) == len(now) and (not len(pos) or pos[-1] < len(before)))
            if aligned and len(now):
                was, old = before, self.code[key]
                if pos is not None and len(pos) != len(before):
                    was, old = before.take(pa.array(pos)), old[pos]
                same = np.asarray(pc.equal(now, was).fill_null(False).to_numpy(
                    zero_copy_only=False), dtype=bool)
                c[same] = old[same]
                look &= ~same
            if look.any():
                at = np.flatnonzero(look)
                todo.append((key, at, now.take(pa.array(at))))
            code[key] = c
        dictionary = self.dictionary
        if todo:
            enc = pc.dictionary_encode(pa.chunked_array([v for *_, v in todo],
                                                        type=pa.large_string()))
            uniq = enc.chunk(enc.num_chunks - 1).dictionary
            idx = np.concatenate([ch.indices.to_numpy(zero_copy_only=False)
                                  for ch in enc.chunks])
            where = np.full(len(uniq), -1, dtype=np.int32)
            if self.n:
                at = pc.index_in(self.dictionary, value_set=uniq)
                hit = np.flatnonzero(np.asarray(at.is_valid().to_numpy(zero_copy_only=False),
                                                dtype=bool))
                where[np.asarray(at.fill_null(0).to_numpy(zero_copy_only=False))[hit]] = hit
            new = np.flatnonzero(where < 0)
            where[new] = self.n + np.arange(len(new))
            if len(new):
                dictionary = pa.chunked_array([*arrays.chunks(self.dictionary),
                                               uniq.take(pa.array(new))])
            start = 0
            for key, at, values in todo:
                code[key][at] = where[idx[start:start + len(values)]]
                start += len(values)
        return _Codes(columns, dictionary, code)

    @classmethod
    def of_raw(cls, raw: dict[str, RawTable]) -> _Codes:
        """The codes of the id and reference columns of tables as read (those read as text;
        :meth:`follow` takes them to the coerced tables)."""
        columns = {}
        for t in TABLE_ORDER:
            if t not in raw:
                continue
            frame = raw[t].frame
            by_canon, _ = _header_map(frame.columns, t)
            for c in TABLES[t].columns:
                h = by_canon.get(c.name)
                if c.type in ("id", "ref") and h is not None and \
                        pd.api.types.is_string_dtype(frame[h].dtype) and frame[h].dtype != object:
                    columns[(t, c.name)] = arrays.to_arrow(frame[h])
        return cls.encode(columns)

    def defined(self, names: tuple[str, ...], bad: dict[str, np.ndarray] | None) -> np.ndarray:
        """Boolean over codes: the id of a row (not set aside) of one of ``names``."""
        out = np.zeros(self.n + 1, dtype=bool)  # the extra slot is code -1 (missing)
        for t in names:
            c = self.code.get((t, "id"))
            if c is not None:
                out[c[~bad[t]] if bad is not None else c] = True
        out[-1] = False
        return out

    def owner(self, names: tuple[str, ...]) -> np.ndarray:
        """Index into ``names`` of the table whose id each code is (first wins), -1 if none."""
        out = np.full(self.n + 1, -1, dtype=np.int64)
        for i, t in reversed(list(enumerate(names))):
            c = self.code.get((t, "id"))
            if c is not None:
                out[c[c >= 0]] = i
        out[-1] = -1
        return out


def _cycle_members(id_codes: np.ndarray, parent_codes: np.ndarray, n_codes: int) -> np.ndarray:
    """Rows whose parent chain never reaches a root (on a cycle or under one)."""
    n = len(id_codes)
    if n == 0:
        return np.zeros(0, bool)
    pos = np.full(n_codes + 1, n, dtype=np.int64)
    pos[id_codes[::-1]] = np.arange(n)[::-1]
    pos[-1] = n
    jump = np.append(pos[parent_codes], n)
    for _ in range(int(np.ceil(np.log2(n + 1))) + 1):
        jump = jump[jump]
    return jump[:n] != n


def _cross_checks(tables, rows, bad, rep, present_tables, codes=None) -> _Codes:
    """Ids across tables, references, trees and table rules (region parents were derived
    first, by :func:`validate_raw`); returns the codes it used."""
    codes = _Codes.of(tables) if codes is None else codes
    # ids shared across tables of one namespace: the later table's rows are set aside
    for group in (NODE_TABLES, ("resources", "demands")):
        owner = np.full(codes.n + 1, -1, dtype=np.int64)
        for i, t in enumerate(group):
            if t not in tables:
                continue
            c = codes.code[(t, "id")]
            ok = ~bad[t] & (c >= 0)
            clash = ok & (owner[c] >= 0)
            if clash.any():
                other = [group[j] for j in owner[c[clash]]]
                ids = tables[t]["id"]
                rep.add(t, rows[t][clash], "id", ids[clash].tolist(),
                        [f"id already used in table '{o}'" for o in other],
                        [f"编码已在“{TABLES[o].zh}”表中使用" for o in other])
                bad[t] |= clash
            owner[c[ok & ~clash]] = i
    # self-referencing trees first, then every reference in table order
    for t in ("regions", "orgs"):
        if t not in tables:
            continue
        par_c = codes.code[(t, "parent_id")]
        while True:
            new = (par_c >= 0) & ~codes.defined((t,), bad)[par_c] & ~bad[t]
            if not new.any():
                break
            _report_refs(t, "parent_id", tables[t]["parent_id"], new, rows[t], codes,
                         (t,), rep)
            bad[t] |= new
        ok = ~bad[t]
        cyc = np.zeros(len(ok), bool)
        cyc[ok] = _cycle_members(codes.code[(t, "id")][ok], par_c[ok], codes.n)
        rep.add(t, rows[t][cyc], "parent_id", tables[t]["parent_id"][cyc].tolist(),
                "cycle in the parent chain (an ancestor of itself)", "上下级关系形成循环")
        bad[t] |= cyc
    for t in TABLE_ORDER:
        if t not in tables:
            continue
        for col in TABLES[t].columns:
            if col.type != "ref" or (t in ("regions", "orgs") and col.name == "parent_id"):
                continue
            if t == "members" and col.name == "org_id":
                continue  # unknown org = unattached member: a coverage gap, not an error
            targets = col.refs
            if targets == ("regions",) and "regions" not in present_tables:
                continue
            c = codes.code[(t, col.name)]
            missing = (c >= 0) & ~codes.defined(targets, bad)[c] & ~bad[t]
            if missing.any():
                s = tables[t][col.name]
                if "regions" not in present_tables and "regions" in targets:
                    # region ids cannot be checked without the regions table
                    missing &= ~_looks_like_region(s, tables)
                _report_refs(t, col.name, s, missing, rows[t], codes, targets, rep,
                             c[missing])
                bad[t] |= missing
        _table_rules(t, tables, rows, bad, rep, codes)
    return codes


def _looks_like_region(s: pd.Series, tables) -> np.ndarray:
    known = [tables[t]["region_id"] for t in ("units", "orgs") if t in tables]
    if not known:
        return np.zeros(len(s), dtype=bool)
    return arrays.isin(s, pd.concat(known, ignore_index=True).dropna())


def _report_refs(t, column, s, mask, rows, codes, targets, rep, c=None) -> None:
    vals = s[mask]
    c = codes.code[(t, column)][mask] if c is None else c
    exists = codes.defined(targets, None)[c]
    names = "/".join(targets)
    names_zh = "/".join(TABLES[x].zh for x in targets)
    en = np.where(exists, f"refers to a row of '{names}' that was set aside",
                  f"refers to an id not found in '{names}'")
    zh = np.where(exists, f"引用的“{names_zh}”行因其他问题被搁置",
                  f"引用的编码在“{names_zh}”表中不存在")
    rep.add(t, rows[mask], column, vals.tolist(), en, zh)


def _table_rules(t, tables, rows, bad, rep, codes) -> None:
    df = tables[t]
    if t == "orgs":
        nowhere = df["unit_id"].isna().to_numpy() & df["region_id"].isna().to_numpy() & ~bad[t]
        rep.add(t, rows[t][nowhere], "region_id", None,
                "an org built over a region needs region_id (or unit_id)",
                "未填所在单位的党组织须填写所在区域")
        bad[t] |= nowhere
    if t == "links":
        loop = (df["source"] == df["target"]).fillna(False).to_numpy(dtype=bool) & ~bad[t]
        rep.add(t, rows[t][loop], "target", df["target"][loop].tolist(),
                "a link from an id to itself", "关系的源与目标相同")
        bad[t] |= loop
        _check_endpoints(tables, rows, bad, rep, codes)
    for a, b in (("start", "end"), ("established", "dissolved")):
        if a in df.columns and b in df.columns:
            rev = (df[b] < df[a]).fillna(False).to_numpy(dtype=bool) & ~bad[t]
            rep.add(t, rows[t][rev], b, df[b][rev].dt.strftime("%Y-%m-%d").tolist(),
                    f"{b} is before {a}", "结束(撤销)日期早于开始(成立)日期")
            bad[t] |= rev


_NODE_KINDS = ("regions", "units", "orgs", "members")


def _check_endpoints(tables, rows, bad, rep, codes) -> None:
    df = tables["links"]
    owner = codes.owner(_NODE_KINDS)
    src_t = owner[codes.code[("links", "source")]]  # index into _NODE_KINDS, -1 unknown
    dst_t = owner[codes.code[("links", "target")]]
    kind_codes, kind_uniq = pd.factorize(df["kind"])
    is_body = np.zeros(len(df), dtype=bool)
    if "orgs" in tables:
        body = np.zeros(codes.n + 1, dtype=bool)
        oc = codes.code[("orgs", "id")]
        body[oc[(tables["orgs"]["kind"] == "body").to_numpy(dtype=bool)]] = True
        body[-1] = False
        is_body = body[codes.code[("links", "target")]]
    org_k = _NODE_KINDS.index("orgs")
    for kind, (srcs, dsts) in LINK_ENDPOINTS.items():
        if kind not in kind_uniq:
            continue
        at = np.flatnonzero((kind_codes == kind_uniq.get_loc(kind)) & ~bad["links"])
        # the tables allowed at each end, by table index (the last slot, -1: unknown, is
        # reported as a reference, not here)
        ok_src = np.zeros(len(_NODE_KINDS) + 1, dtype=bool)
        ok_src[[-1, *(_NODE_KINDS.index(x) for x in srcs)]] = True
        ok_dst = np.zeros(len(_NODE_KINDS) + 1, dtype=bool)
        ok_dst[[-1, *(_NODE_KINDS.index(x) for x in dsts)]] = True
        no = ~(ok_src[src_t[at]] & ok_dst[dst_t[at]])
        if kind == "body":
            no |= (dst_t[at] == org_k) & ~is_body[at]
        wrong = np.zeros(len(df), dtype=bool)
        wrong[at[no]] = True
        zh_kind = VOCABULARIES["link_kind"].label(kind)
        src_zh = "、".join(f"{TABLES[x].zh}表" for x in srcs)
        dst_zh = "、".join(f"{TABLES[x].zh}表" for x in dsts)
        rep.add("links", rows["links"][wrong], "kind", [kind] * int(wrong.sum()),
                f"a '{kind}' link must go from {'/'.join(srcs)} to {'/'.join(dsts)}"
                + (" (a body org)" if kind == "body" else ""),
                f"“{zh_kind}”关系的源应为{src_zh}中的编码,目标应为{dst_zh}中的编码"
                + ("(须为党建共同体)" if kind == "body" else ""), "error")
        bad["links"] |= wrong


def _derive_region_parents(tables) -> None:
    """Fill regions.parent_id from 12-digit division codes where it is empty."""
    if "regions" not in tables:
        return
    df = tables["regions"]
    if not df["parent_id"].isna().any():
        return
    ids = df["id"]
    gaps = df["parent_id"].isna().to_numpy(dtype=bool)  # only these are filled
    parent = pd.Series(pd.NA, index=df.index[gaps], dtype="str")
    for cand in division_ancestors(ids[gaps]):
        fill = parent.isna().to_numpy() & (arrays.index_of(cand, ids) >= 0)
        parent[fill] = cand[fill]
    df["parent_id"] = df["parent_id"].fillna(parent)


def _fill(a: pd.Series, b: pd.Series) -> pd.Series:
    """``a`` with its gaps filled from ``b`` (aligned), as text."""
    return a.where(a.notna(), b.astype("str")).astype("str")


class _Rows:
    """Rows of the kept tables found by the codes of their ids (no hashing of text)."""

    def __init__(self, codes: _Codes, kept: dict[str, np.ndarray]) -> None:
        self.n = codes.n
        self.code = {k: v if kept[k[0]].all() else v[kept[k[0]]] for k, v in codes.code.items()}
        self._pos: dict[tuple, np.ndarray] = {}  # row of each code, by the tables asked
        self._whole: dict[tuple, tuple] = {}  # the values asked for, end to end

    def take(self, values: dict[str, pd.Series], ref: tuple[str, str]) -> pd.Series:
        """For each cell of reference column ``ref``, the value of the row whose id it names
        (missing where none): ``values`` gives, per table, the column to take from; the
        first table listed wins."""
        pos = self._pos.get(tuple(values))
        if pos is None:
            pos = np.full(self.n + 1, -1, dtype=np.int32)  # the last slot: code -1 (missing)
            start = 0
            for t, v in values.items():
                c = self.code[(t, "id")]
                ok = np.flatnonzero(c >= 0)
                free = pos[c[ok]] < 0
                pos[c[ok[free]]] = start + ok[free]
                start += len(v)
            self._pos[tuple(values)] = pos
        key = tuple(id(v) for v in values.values())
        if key not in self._whole:  # the columns are held with it: no id is reused
            parts = [v.astype("str").array for v in values.values()]
            self._whole[key] = (list(values.values()), parts[0] if len(parts) == 1 else
                                pd.concat([pd.Series(p) for p in parts],
                                          ignore_index=True).array)
        return pd.Series(self._whole[key][1].take(pos[self.code[ref]], allow_fill=True))


def _fill_derived(tables: dict[str, pd.DataFrame], rows: _Rows) -> None:
    """Domains derived from kinds and levels; item regions from their owners."""
    if "units" in tables:
        u = tables["units"]
        u["domain"] = _fill(u["domain"], u["kind"].map(DOMAIN_OF_UNIT_KIND))
    if "orgs" in tables:
        o = tables["orgs"]
        dom = o["domain"]
        if "units" in tables:
            dom = _fill(dom, rows.take({"units": tables["units"]["domain"]}, ("orgs", "unit_id")))
        if "regions" in tables:
            lvl = rows.take({"regions": tables["regions"]["level"]}, ("orgs", "region_id"))
            dom = _fill(dom, lvl.map(DOMAIN_OF_REGION_LEVEL).where(o["unit_id"].isna()))
        o["domain"] = dom
    where: dict[str, pd.Series] = {}
    if "units" in tables:
        where["units"] = tables["units"]["region_id"]
    if "orgs" in tables:
        reg = tables["orgs"]["region_id"]
        if "units" in tables:
            reg = _fill(reg, rows.take({"units": where["units"]}, ("orgs", "unit_id")))
        where["orgs"] = reg
    if "members" in tables:
        where["members"] = tables["members"]["residence_id"]
    if where:
        for t, owner in (("resources", "owner_id"), ("demands", "requester_id")):
            if t in tables:
                d = tables[t]
                d["region_id"] = _fill(d["region_id"], rows.take(where, (t, owner)))


def validate_raw(raw: dict[str, RawTable], notes=(), aliases: pd.DataFrame | None = None
                 ) -> Validated:
    """Validate raw tables; never raises on bad data (the caller decides strictness)."""
    rep = _Report()
    personal: list[dict] = []
    for where, what, detail in notes:
        if what == "unknown_sheet" or what == "unknown_file":
            rep.add("dataset", [None], "", where,
                    "not a partygraph table (name not recognised); ignored",
                    "无法识别的表名,已忽略", "warning")
        elif what == "duplicate_table":
            rep.add("dataset", [None], "", where,
                    f"a second '{detail}' table; only the first is read",
                    f"重复的“{detail}”表,只读取第一个", "warning")
    for t in ("units", "orgs"):
        if t not in raw:
            rep.add("dataset", [None], "", t,
                    f"required table '{t}' ({TABLES[t].zh}) is missing",
                    f"缺少必需的“{TABLES[t].zh}”表")
    if "regions" not in raw and raw:
        rep.add("dataset", [None], "", "regions",
                "no regions table: region ids are not checked and analyses by region level "
                "are not available", "无区域表:不核对区域编码,无法按区域层级统计", "warning")
    tables: dict[str, pd.DataFrame] = {}
    rows: dict[str, np.ndarray] = {}
    bad: dict[str, np.ndarray] = {}
    sources: dict[str, str] = {}
    unparsed: dict[str, list] = {}
    kept: dict[str, np.ndarray] = {}
    # the ids and references as read are encoded on a second thread while the tables are
    # coerced; the codes then follow the few cells coercion changed (one thread: after)
    side = ThreadPoolExecutor(1) if threads() > 1 and raw else None  # a second thread
    early = side.submit(_Codes.of_raw, raw) if side is not None else None
    for t in track([t for t in TABLE_ORDER if t in raw], desc="检查数据 validating",
                   unit="table"):
        df, r, b, kept[t] = _coerce_table(raw[t], rep, personal)
        tables[t], rows[t], bad[t] = df, r, b
        sources[t] = raw[t].source
        # records the reader could not split into cells: reported, counted as set aside
        lost = [p for p in raw[t].problems if p[0] not in set(r.tolist())]
        for row, column, value, en, zh in lost:
            rep.add(t, [row], column, [value], en, zh)
        unparsed[t] = lost
    _derive_region_parents(tables)
    from .names import probable_duplicates, resolve_names

    # every id and reference encoded once
    codes = None
    if early is not None:
        try:
            codes = early.result().follow(_Codes.id_columns(tables), kept)
        except Exception:  # a column as read that Arrow cannot encode: encoded after
            codes = None
    codes = _Codes.of(tables) if codes is None else codes
    _duplicate_ids(tables, rows, bad, rep, codes)

    def known_ids(t, column, targets):
        return codes.defined(targets, None)[codes.code[(t, column)]]

    names = resolve_names(tables, rows, bad, rep.add, set(raw), aliases, known_ids)
    # probable duplicates are looked for beside the cross-table checks (on a second thread,
    # with the rows set aside so far); their lines come first in the report
    dup_rep, seen = _Report(), {t: b.copy() for t, b in bad.items()}
    dups = side.submit(probable_duplicates, tables, rows, seen, dup_rep.add) \
        if side is not None else None
    changed = bool(len(names)) and names["outcome"].isin(["by_name", "alias"]).any()
    if changed:  # names replaced by ids: the codes follow the cells resolved
        codes = codes.follow(_Codes.id_columns(tables))
    cross = _Report()
    codes = _cross_checks(tables, rows, bad, cross, set(raw), codes)
    duplicates = dups.result() if dups is not None else probable_duplicates(
        tables, rows, seen, dup_rep.add)
    if side is not None:
        side.shutdown()
    rep.parts += dup_rep.parts + cross.parts
    rejected: dict[str, pd.DataFrame] = {}
    clean: dict[str, pd.DataFrame] = {}
    clean_rows: dict[str, np.ndarray] = {}
    counts = []
    for t, df in tables.items():
        lost = unparsed.get(t, [])
        if bad[t].any() or lost:
            rej = df[bad[t]].copy()
            rej.insert(0, "row", rows[t][bad[t]])
            if lost:
                masked, _ = mask_personal(pd.Series([p[2] for p in lost], dtype="str"))
                rej = pd.concat([rej, pd.DataFrame({
                    "row": [p[0] for p in lost], "raw_line": masked.to_numpy()})],
                    ignore_index=True).sort_values("row", kind="stable")
            rejected[t] = rej.reset_index(drop=True)
        # a table with no row set aside is kept as it is (no copy of a million rows)
        clean[t] = df[~bad[t]].reset_index(drop=True) if bad[t].any() else df
        clean_rows[t] = rows[t][~bad[t]]
        counts.append((t, len(df) + len(lost), int((~bad[t]).sum()),
                       int(bad[t].sum()) + len(lost)))
    kept_codes = _Rows(codes, {t: ~b for t, b in bad.items()})
    # the arrays encoded, held while derived values are filled (no address is reused)
    encoded = {k: arrays.to_arrow(clean[k[0]][k[1]]) for k in kept_codes.code
               if k[1] in clean[k[0]]}
    _fill_derived(clean, kept_codes)
    # the columns' codes, for lookups between them; a column filled since is left out
    coded = [(clean[t][c], kept_codes.code[(t, c)]) for (t, c), a in encoded.items()
             if arrays.identity(arrays.to_arrow(clean[t][c])) == arrays.identity(a)]
    del encoded
    personal_df = pd.DataFrame(personal, columns=["table", "column", "reason"])
    accounting = pd.DataFrame(counts, columns=["table", "read", "loaded", "set_aside"])
    return Validated(clean, clean_rows, rep.frame(), rejected, personal_df, sources,
                     accounting, names, duplicates, (coded, kept_codes.n))
