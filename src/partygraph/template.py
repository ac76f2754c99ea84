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
from .writing import write_xlsx

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


def write_template(path: str | Path) -> Path:
    """Write an empty workbook with Chinese headers, one sheet per table, and a first sheet
    (填表说明) explaining each column and its allowed values.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file to write.

    Returns
    -------
    Path
    """
    sheets = {"填表说明": column_guide()}
    notes = {}
    for t in TABLES.values():
        sheets[t.zh] = pd.DataFrame(columns=[c.zh for c in t.columns])
        req = "、".join(c.zh for c in t.columns if c.required)
        notes[t.zh] = (f"{t.zh}表({'必填表' if t.required else '选填表'});必填列:{req}。"
                       "本行为标题,可保留或删除。")
    return write_xlsx(path, sheets, notes=notes)


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
