"""The comparison's report (one self-contained HTML page) and workbook: headline changes first
— gaps closed and opened, units out from behind the wall, rates up or down beyond chance —
then the lists. Every word from the catalogue; every cell escaped."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pandas as pd

from .labels import localise

if TYPE_CHECKING:
    from .change import Comparison

#: Each list of a comparison: (key, Chinese title, English title, rows to show).
LISTS = (
    ("gaps", "缺口的变化(新出现、仍存在、已整改)", "Gaps: new, persisting, closed", 400),
    ("statuses", "共建单位围墙内状态的变化", "Co-building units: wall status before and after",
     400),
    ("rates", "覆盖率的变化(含显著性检验)", "Rates before and after, with a test of the change",
     400),
    ("linkage", "领域联系的变化", "Domain linkage before and after", 200),
    ("bodies", "共同体与大党委:停摆与成员", "Bodies and councils: stalled, members", 200),
    ("projects", "项目完成情况", "Projects", 20),
    ("matches", "前后两期数据的对应(按编码或名称)", "How entities were matched (by id or name)",
     200),
)

#: Chinese headers of a comparison's columns.
HEADERS_ZH = {
    "change": "变化", "matched_by": "对应方式", "status_before": "前期状态",
    "status_after": "后期状态", "direction": "方向", "level": "范围", "place_id": "区域编码",
    "place": "区域", "numerator_before": "前期分子", "denominator_before": "前期分母",
    "rate_before": "前期比率", "numerator_after": "后期分子", "denominator_after": "后期分母",
    "rate_after": "后期比率", "p": "p 值(Fisher 精确检验)", "significant": "变化显著",
    "ei_before": "前期 E-I", "ei_after": "后期 E-I", "other": "对方领域",
    "weight_before": "前期联系", "weight_after": "后期联系", "name_before": "前期名称",
    "name_after": "后期名称", "members_before": "前期成员数", "members_after": "后期成员数",
    "meetings_before": "前期会议", "meetings_after": "后期会议", "stalled_before": "前期停摆",
    "stalled_after": "后期停摆", "stopped_meeting": "新近停摆", "lost_members": "成员减少",
    "id_before": "前期编码", "id_after": "后期编码", "side": "时期", "value": "数值",
}
VALUES_ZH = {
    "change": {"closed": "已整改", "new": "新出现", "persisting": "仍存在",
               "appeared": "新增单位", "disappeared": "不再出现", "unchanged": "未变"},
    "matched_by": {"id": "按编码", "name": "按名称", "none": "未对应", "": ""},
    "direction": {"out": "走出围墙", "in": "退回围墙", "": ""},
    "level": {"overall": "全部", "street": "街道", "community": "社区/村"},
    "side": {"before": "前期", "after": "后期"},
}
_STATUS_WORDS = {"walled_in": "围墙内", "paper_only": "有协议无活动", "linked": "实质参与共建"}


def _people(key: str, df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A comparison's table for people: Chinese (or English) headers and words."""
    out = df.copy()
    if lang == "zh":
        for col, words in VALUES_ZH.items():
            if col in out.columns:
                out[col] = out[col].map(lambda v, w=words: w.get(v, v) if isinstance(v, str)
                                        else v)
        if "change" in out.columns and key == "statuses":
            out["change"] = out["change"].astype("str").str.replace(
                "|".join(_STATUS_WORDS), lambda m: _STATUS_WORDS[m.group(0)], regex=True)
        for c in ("status_before", "status_after"):
            if c in out.columns:
                out[c] = out[c].map(lambda v: _STATUS_WORDS.get(v, v))
    return localise(out, lang, HEADERS_ZH if lang == "zh" else None)


def sheets(c: Comparison, lang: str = "zh") -> tuple[dict[str, pd.DataFrame], dict]:
    """The workbook's sheets (every row) and their number formats."""
    zh = lang == "zh"
    out: dict[str, pd.DataFrame] = {"概况" if zh else "Summary": _people(
        "headline", c.headline, lang)}
    from .assessment import _sheet_name

    for key, tzh, ten, _ in LISTS:
        df = getattr(c, key)
        if len(df):
            out[_sheet_name(tzh if zh else ten, out)] = _people(key, df, lang)
    pct = {HEADERS_ZH.get(x, x) if zh else x for x in ("rate_before", "rate_after")}
    pct = {x if zh else x.replace("_", " ").capitalize() for x in pct}
    return out, {name: {h: "percent" for h in pct if h in df.columns}
                 for name, df in out.items()}


def render_comparison(c: Comparison, lang: str = "zh") -> str:
    """The report: one page, headline changes first, then the lists (escaped)."""
    from .report import REPORT_CSS as CSS

    zh = lang == "zh"
    e = html.escape
    title = "区域化党建前后对比" if zh else "Co-building: what changed"
    parts = [f"<!DOCTYPE html><html lang=\"{'zh-CN' if zh else 'en'}\"><head>"
             "<meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" "
             "content=\"default-src 'none'; style-src 'unsafe-inline'\">"
             f"<title>{e(title)}</title><style>{CSS}</style></head><body>"
             f"<header><h1>{e(title)}</h1><div>"
             f"{e(str(c.params.get('before', '')))} → {e(str(c.params.get('after', '')))}"
             "</div></header><main>"]
    parts.append(f"<section id=\"overview\"><h2>{'概览' if zh else 'Overview'}</h2>"
                 "<div class=\"pg-cards\">")
    for r in c.headline.itertuples(index=False):
        parts.append(f"<div class=\"pg-card\"><div class=\"pg-card-label\">"
                     f"{e(r.measure_zh if zh else r.measure_en)}</div>"
                     f"<div class=\"pg-card-value\">{int(r.value):,}</div></div>")
    parts.append("</div>")
    note = ("覆盖率的变化用 Fisher 精确检验判断是否超出随机波动(p<0.05 为显著):小街道、小社区"
            "的分子分母很小,一两个单位的变化往往并不显著。" if zh else
            "Each rate's change is tested with Fisher's exact test (p < 0.05: beyond chance); "
            "small streets and communities move by chance alone.")
    parts.append(f"<p class=\"pg-lead\">{e(note)}</p></section>")
    for key, tzh, ten, cap in LISTS:
        df = getattr(c, key)
        parts.append(f"<section id=\"{e(key)}\"><h2>{e(tzh if zh else ten)}</h2>")
        if not len(df):
            parts.append(f"<p class=\"pg-missing\">{'无记录' if zh else 'nothing'}</p>")
        else:
            shown = _people(key, df.head(cap), lang)
            parts.append("<div class=\"pg-scroll\">" + shown.to_html(
                index=False, escape=True, na_rep="", float_format=lambda v: f"{v:.3g}",
                border=0) + "</div>")
            if len(df) > cap:
                parts.append("<p class=\"pg-cut\">" + e(
                    f"显示前 {cap} 行(共 {len(df):,} 行),完整清单见工作簿。" if zh else
                    f"The first {cap} of {len(df):,} rows; the workbook has them all.") + "</p>")
        parts.append("</section>")
    parts.append("</main></body></html>")
    return "".join(parts)
