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

from .schema import EXAMPLE_MARK, TABLES, VOCABULARIES, Column

__all__ = ["column_guide", "link_guide", "write_template"]

_TYPE_ZH = {
    "id": "编码,在本表内唯一(区域、单位、党组织、党员、项目之间也不得重复)",
    "text": "文字",
    "tags": "多个特长用“;”“、”或“,”分隔",
    "date": "日期,如 2024-03-01",
    "count": "非负整数",
    "number": "非负数",
    "priority": "1(低)至5(高)的整数,默认3",
    "score": "1(很不满意)至5(很满意)的整数",
}
_TYPE_EN = {
    "id": "an id, unique (also across regions, units, orgs, members and projects)",
    "text": "text",
    "tags": "tags separated by ; 、 or ,",
    "date": "a date such as 2024-03-01",
    "count": "a whole number ≥ 0",
    "number": "a number ≥ 0",
    "priority": "a whole number 1 (low) to 5 (high), default 3",
    "score": "a whole number 1 (very dissatisfied) to 5 (very satisfied)",
}


def _explain(col: Column, lang: str) -> str:
    if col.type in ("code", "bool"):
        vocab = VOCABULARIES[col.vocab]
        head = "可填:" if lang == "zh" else "one of: "
        text = head + vocab.describe(lang)
    elif col.type == "ref":
        names = "、".join(TABLES[t].zh for t in col.refs)
        path = ",区域可写路径如“观音桥街道/建北社区”" if "regions" in col.refs else ""
        path_en = ", a region also by its path (街道/社区)" if "regions" in col.refs else ""
        text = (f"填写{names}表中的编码,或唯一的名称{path}" if lang == "zh" else (
            "an id from the " + "/".join(col.refs) + " table, or a name that only one of "
            "them has" + path_en))
    else:
        text = (_TYPE_ZH if lang == "zh" else _TYPE_EN)[col.type]
    if lang == "zh" and col.help_zh:
        text += ";" + col.help_zh
    return text


#: One example row per table (greyed and marked 示例 in the template; the reader skips a
#: row whose first cell starts with 示例).
_EXAMPLES: dict[str, dict[str, str]] = {
    "regions": {"id": "500105002001", "name": "建北社区", "level": "社区",
                "parent_id": "500105002000"},
    "units": {"id": "91500105MA5U000000", "name": "某科技有限公司", "kind": "非公企业",
              "region_id": "500105002001", "industry": "软件和信息技术服务业",
              "party_members": "5", "employees": "60", "union": "是", "youth_league": "否"},
    "orgs": {"id": "P001", "name": "某科技有限公司党支部", "kind": "党支部", "unit_id":
             "91500105MA5U000000", "parent_id": "P000", "established": "2021-07-01"},
    "members": {"id": "M0001", "org_id": "P001", "status": "正式党员", "category": "在职",
                "unit_id": "91500105MA5U000000", "residence_id": "500105002001",
                "skills": "法律;理发"},
    "links": {"source": "P001", "target": "P010", "kind": "结对共建", "start": "2024-01-01",
              "end": "2024-12-31", "weight": "1"},
    "projects": {"id": "J001", "name": "社区助老服务", "kind": "共建项目", "status": "已完成",
                 "start": "2024-03-01", "end": "2024-06-30", "lead_id": "P001"},
    "participation": {"project_id": "J001", "participant_id": "91500105MA5U000000",
                      "role": "参与"},
    "resources": {"id": "R001", "owner_id": "91500105MA5U000000", "category": "场地阵地",
                  "quantity": "1", "region_id": "500105002001"},
    "demands": {"id": "D001", "requester_id": "P010", "category": "志愿服务", "quantity": "2",
                "priority": "4", "skills": "理发"},
}
_LINK_EXAMPLES = {
    "pair": ("P001", "P010"), "agreement": ("91500105MA5U000000", "P010"),
    "council": ("P001", "P100"), "body": ("P001", "B001"), "registration": ("P001", "P010"),
    "instructor": ("M0001", "91500105MA5U000001"), "covers": ("P050", "91500105MA5U000002"),
    "cross_post": ("M0001", "P010"), "inflow": ("M0002", "P010"),
    "service": ("91500105MA5U000000", "500105002001"),
}


def link_guide() -> pd.DataFrame:
    """For every link kind: which tables its source (源) and target (目标) come from, and
    one example, in Chinese."""
    from .schema import LINK_ENDPOINTS

    rows = []
    voc = VOCABULARIES["link_kind"]
    for kind, (srcs, dsts) in LINK_ENDPOINTS.items():
        src, dst = _LINK_EXAMPLES.get(kind, ("", ""))
        rows.append({"关系类型": voc.label(kind), "代码 kind": kind,
                     "源 source 来自": "、".join(f"{TABLES[t].zh}编码" for t in srcs),
                     "目标 target 来自": "、".join(f"{TABLES[t].zh}编码" for t in dsts)
                     + ("(须为党建共同体)" if kind == "body" else ""),
                     "示例:源": src, "示例:目标": dst})
    return pd.DataFrame(rows)


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
    sheet ``代码``, which partygraph's reader skips. Row 3 of every sheet is a greyed example
    marked 示例 (the reader skips a row whose first cell starts with 示例), and 填表说明 also
    says, for every link kind, which tables its 源 and 目标 come from.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file to write.

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile, os, partygraph as pg
    >>> p = pg.write_template(os.path.join(tempfile.mkdtemp(), "模板.xlsx"))
    >>> p.exists()
    True
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
    links = link_guide()
    top = len(guide) + 2
    ws.write_string(top, 0, "关系表:各关系类型的源和目标分别填写哪张表中的编码", bold)
    ws.write_row(top + 1, 0, list(links.columns), bold)
    for i, row in enumerate(links.itertuples(index=False), start=top + 2):
        ws.write_row(i, 0, [str(v) for v in row])
    grey = wb.add_format({"font_color": "#808080", "italic": True, "num_format": "@"})
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
                    "score": "count", "number": "number"}.get(c.type, "text")
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
            elif c.type in ("count", "priority", "score"):
                lo, hi = (1, 5) if c.type in ("priority", "score") else (0, 10_000_000)
                ws.data_validation(2, j, last, j, {
                    "validate": "integer", "criteria": "between", "minimum": lo,
                    "maximum": hi, "input_title": c.zh[:32], "input_message": tip,
                    "error_message": f"请输入{lo}至{hi}之间的整数"})
            else:
                ws.data_validation(2, j, last, j, {
                    "validate": "any", "input_title": c.zh[:32], "input_message": tip})
        example = _EXAMPLES.get(t.name, {})
        for j, c in enumerate(t.columns):
            v = example.get(c.name, "")
            if j == 0:
                v = f"{EXAMPLE_MARK}:{v}"
            if v:
                ws.write_string(2, j, v, grey)
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
