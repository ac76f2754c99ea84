"""The blank workbook a district hands to its streets to fill in.

Examples
--------
>>> import tempfile, os, partygraph as pg
>>> p = pg.write_template(os.path.join(tempfile.mkdtemp(), "模板.xlsx"))
>>> import openpyxl
>>> openpyxl.load_workbook(p).sheetnames[:3]
['填表说明', '区域', '单位']
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .schema import TABLES, VOCABULARIES, Column

__all__ = ["column_guide", "write_template"]

_TYPE_ZH = {
    "id": "编码,在本表内唯一(区域、单位、党组织、党员、项目之间也不得重复)",
    "text": "文字",
    "tags": "多个特长用“;”“、”或“,”分隔",
    "date": "日期,如 2024-03-01",
    "count": "非负整数",
    "number": "非负数",
    "priority": "1(低)至5(高)的整数,默认3",
}
_TYPE_EN = {
    "id": "an id, unique (also across regions, units, orgs, members and projects)",
    "text": "text",
    "tags": "tags separated by ; 、 or ,",
    "date": "a date such as 2024-03-01",
    "count": "a whole number ≥ 0",
    "number": "a number ≥ 0",
    "priority": "a whole number 1 (low) to 5 (high), default 3",
}


def _explain(col: Column, lang: str) -> str:
    if col.type in ("code", "bool"):
        vocab = VOCABULARIES[col.vocab]
        head = "可填:" if lang == "zh" else "one of: "
        text = head + vocab.describe(lang)
    elif col.type == "ref":
        names = "、".join(TABLES[t].zh for t in col.refs)
        text = f"填写{names}表中的编码" if lang == "zh" else (
            "an id from the " + "/".join(col.refs) + " table")
    else:
        text = (_TYPE_ZH if lang == "zh" else _TYPE_EN)[col.type]
    if lang == "zh" and col.help_zh:
        text += ";" + col.help_zh
    return text


def column_guide() -> pd.DataFrame:
    """Every table and column with its Chinese header, aliases, whether it is required, and
    what it may hold (in Chinese and English): the data format, from the one schema."""
    rows = []
    for t in TABLES.values():
        for c in t.columns:
            rows.append({
                "表 table": f"{t.zh} {t.name}",
                "列名 header": c.zh,
                "英文列名 column": c.name,
                "必填 required": "是 yes" if c.required else "否 no",
                "别名 aliases": "、".join(c.aliases),
                "填写说明": _explain(c, "zh"),
                "meaning": _explain(c, "en"),
            })
    return pd.DataFrame(rows)


#: Rows of each sheet prepared with formats and drop-down lists.
TEMPLATE_ROWS = 5000


def write_template(path: str | Path) -> Path:
    """Write an empty workbook that guides the hand: Chinese headers, one sheet per table,
    and a first sheet (填表说明) explaining each column and its allowed values.

    In each table's sheet, id, reference, code and text columns are formatted as text (an
    18-digit credit code stays as typed instead of turning into ``9.15E+17``), date columns
    as dates (a typed date outside 1900–2100 is refused), numbers as numbers (whole numbers
    ≥ 0 where a count is meant), and every coded column (kinds, levels, categories, yes/no,
    statuses) offers a drop-down list of its Chinese labels. The lists live on a hidden
    sheet ``代码``, which partygraph's reader skips.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file to write.

    Returns
    -------
    Path
    """
    import datetime as dt

    import xlsxwriter

    from .writing import _display_width, output_file

    path = output_file(path)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                         "strings_to_numbers": False,
                                         "strings_to_urls": False})
    bold = wb.add_format({"bold": True, "bg_color": "#f2f2f2"})
    req_bold = wb.add_format({"bold": True, "bg_color": "#fde9d9"})
    fmt = {"text": wb.add_format({"num_format": "@"}),
           "date": wb.add_format({"num_format": "yyyy-mm-dd"}),
           "count": wb.add_format({"num_format": "0"}),
           "number": wb.add_format({"num_format": "General"})}
    guide = column_guide()
    ws = wb.add_worksheet("填表说明")
    ws.write_row(0, 0, list(guide.columns), bold)
    for i, row in enumerate(guide.itertuples(index=False), start=1):
        ws.write_row(i, 0, [str(v) for v in row])
    for j, c in enumerate(guide.columns):
        w = max(_display_width(str(c)), int(guide[c].astype(str).map(_display_width)
                                             .quantile(0.9)))
        ws.set_column(j, j, min(w + 2, 60))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(guide), len(guide.columns) - 1)
    lists: dict[str, str] = {}
    for j, (name, vocab) in enumerate(VOCABULARIES.items()):
        col = xlsxwriter.utility.xl_col_to_name(j)
        lists[name] = f"=代码!${col}$2:${col}${len(vocab.codes) + 1}"
    last = TEMPLATE_ROWS + 1
    for t in TABLES.values():
        ws = wb.add_worksheet(t.zh)
        req = "、".join(c.zh for c in t.columns if c.required)
        ws.write_string(0, 0, f"{t.zh}表({'必填表' if t.required else '选填表'});必填列(红底):"
                              f"{req}。本行为标题,可保留或删除。")
        for j, c in enumerate(t.columns):
            ws.write_string(1, j, c.zh, req_bold if c.required else bold)
            kind = {"date": "date", "count": "count", "priority": "count",
                    "number": "number"}.get(c.type, "text")
            ws.set_column(j, j, max(_display_width(c.zh) + 4, 12), fmt[kind])
            tip = _explain(c, "zh")[:255]
            if c.type in ("code", "bool"):
                ws.data_validation(2, j, last, j, {
                    "validate": "list", "source": lists[c.vocab], "input_title": c.zh[:32],
                    "input_message": tip, "error_title": "取值无效",
                    "error_message": "请从下拉列表中选择"[:255]})
            elif c.type == "date":
                ws.data_validation(2, j, last, j, {
                    "validate": "date", "criteria": "between",
                    "minimum": dt.date(1900, 1, 1), "maximum": dt.date(2100, 12, 31),
                    "input_title": c.zh[:32], "input_message": "日期,如 2024-03-01",
                    "error_message": "请输入1900—2100年之间的日期"})
            elif c.type in ("count", "priority"):
                lo, hi = (1, 5) if c.type == "priority" else (0, 10_000_000)
                ws.data_validation(2, j, last, j, {
                    "validate": "integer", "criteria": "between", "minimum": lo,
                    "maximum": hi, "input_title": c.zh[:32], "input_message": tip,
                    "error_message": f"请输入{lo}至{hi}之间的整数"})
            else:
                ws.data_validation(2, j, last, j, {
                    "validate": "any", "input_title": c.zh[:32], "input_message": tip})
        ws.freeze_panes(2, 0)
    codes = wb.add_worksheet("代码")  # the drop-down lists, last and hidden
    for j, (name, vocab) in enumerate(VOCABULARIES.items()):
        codes.write(0, j, name, bold)
        codes.write_column(1, j, [c.zh for c in vocab.codes])
    codes.hide()
    wb.close()
    return path


def data_format_markdown() -> str:
    """The data format for users, as Markdown, generated from the one schema
    (``docs/data-format.md`` is this text; a test keeps them equal)."""
    from .schema import VOCABULARIES as V

    out = ["# Data format / 数据格式", "",
           "Generated from `partygraph.schema` (do not edit by hand: run "
           "`python -m partygraph.template > docs/data-format.md`).", "",
           "A data set is a folder of CSV files named after the tables (`units.csv` or "
           "`单位.csv`, UTF-8, UTF-8 with BOM or GBK/GB18030), one Excel workbook with one sheet "
           "per table (sheet names English or Chinese), or DataFrames (`from_frames`). Only "
           "`units` and `orgs` are required. Headers may be the English name or any Chinese "
           "alias; matching ignores case, spaces, line breaks, full-width forms and a `*` "
           "marker. Title rows above the header and empty rows are ignored. Extra columns are "
           "kept as attributes, except columns that hold personal data (names, ID-card or "
           "phone numbers), which are warned about and kept out of every table and output.",
           ""]
    for t in TABLES.values():
        names = "、".join((t.zh, *t.aliases))
        out += [f"## {t.name} — {t.zh}" + (" (required 必需)" if t.required else ""), "",
                f"Sheet or file names: `{t.name}`, {names}", "",
                "| column | 中文列名 | aliases | required | meaning / 说明 |",
                "| --- | --- | --- | --- | --- |"]
        for c in t.columns:
            out.append(f"| `{c.name}` | {c.zh} | {'、'.join(c.aliases)} | "
                       f"{'yes' if c.required else ''} | {_explain(c, 'en')}; "
                       f"{_explain(c, 'zh')} |")
        out.append("")
    out += ["## Codes / 代码", "",
            "Every code column accepts the English code, its Chinese label or an alias.", ""]
    for v in V.values():
        out += [f"### {v.name}", "", "| code | 中文 | English | also accepted |",
                "| --- | --- | --- | --- |"]
        out += [f"| `{c.code}` | {c.zh} | {c.en} | {'、'.join(c.aliases)} |" for c in v.codes]
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover
    print(data_format_markdown())
