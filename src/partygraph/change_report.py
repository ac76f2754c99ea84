"""The comparison's report (one self-contained HTML page) and workbook: headline changes first
— gaps closed and opened, units out from behind the wall, rates up or down beyond chance —
then the lists. Every word from the catalogue; every cell escaped."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pandas as pd

from .labels import CHANGE_HEADERS_ZH as HEADERS_ZH
from .labels import CHANGE_LISTS as LISTS
from .labels import CHANGE_VALUES_ZH as VALUES_ZH
from .labels import STATUS_LABELS, localise

_STATUS_WORDS = {k: v[0] for k, v in STATUS_LABELS.items()}

if TYPE_CHECKING:
    from .change import Comparison

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
        for c in ("stalled_before", "stalled_after"):
            if c in out.columns:  # not known (no meeting recorded), not "no"
                out[c] = out[c].astype(object).where(out[c].notna(), "未知")
    return localise(out, lang, HEADERS_ZH if lang == "zh" else None)


def params_table(c: Comparison, lang: str = "zh") -> pd.DataFrame:
    """What was compared, with which rules and windows, as words."""
    from .labels import CHANGE_PARAMS, PRESET_TEXT

    zh = lang == "zh"
    rows = []
    for key, (pzh, pen) in CHANGE_PARAMS.items():
        v = c.params.get(key)
        if key == "rules":
            name = (v or {}).get("name", "")
            v = PRESET_TEXT.get(name, (name, name))[0 if zh else 1]
        elif key.startswith("window"):
            w = v or (None, None)
            v = ("全部时段" if zh else "all time") if w == (None, None) else " – ".join(
                x.date().isoformat() if x is not None else "…" for x in w)
        elif key == "units_matched_share":
            v = f"{float(v):.1%}"
        rows.append((pzh if zh else pen, v))
    return pd.DataFrame(rows, columns=["参数", "值"] if zh else ["Parameter", "Value"])


def sheets(c: Comparison, lang: str = "zh") -> tuple[dict[str, pd.DataFrame], dict]:
    """The workbook's sheets (every row) and their number formats."""
    zh = lang == "zh"
    out: dict[str, pd.DataFrame] = {"概况" if zh else "Summary": _people(
        "headline", c.headline, lang), "参数" if zh else "Parameters": params_table(c, lang)}
    from .assessment import _sheet_name

    for key, tzh, ten, _ in LISTS:
        df = getattr(c, key)
        if len(df):
            out[_sheet_name(tzh if zh else ten, out)] = _people(key, df, lang)
    pct = {HEADERS_ZH.get(x, x) if zh else x for x in ("rate_before", "rate_after")}
    pct = {x if zh else x.replace("_", " ").capitalize() for x in pct}
    return out, {name: {h: "percent" for h in pct if h in df.columns}
                 for name, df in out.items()}


def _number(v: float) -> str:
    """A number for people: whole numbers as such (1,300, never 1.3e+03), else 3 decimals."""
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:.3f}"


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
             + " · ".join(f"{e(str(k))}:{e(str(v))}" for k, v in params_table(
                 c, lang).itertuples(index=False, name=None))
             + "</div></header><main>"]
    parts.append(f"<section id=\"overview\"><h2>{'概览' if zh else 'Overview'}</h2>"
                 "<div class=\"pg-cards\">")
    for r in c.headline.itertuples(index=False):
        parts.append(f"<div class=\"pg-card\"><div class=\"pg-card-label\">"
                     f"{e(r.measure_zh if zh else r.measure_en)}</div>"
                     f"<div class=\"pg-card-value\">{int(r.value):,}</div></div>")
    parts.append("</div>")
    note = ("覆盖率的变化用 Fisher 精确检验判断是否超出随机波动(p<0.05 为显著;前后分母均超过"
            "1000且各格不少于10时用两比例 z 检验,“检验”列注明):小街道、小社区的分子分母很小,"
            "一两个单位的变化往往并不显著。" if zh else
            "Each rate's change is tested with Fisher's exact test (p < 0.05: beyond chance; "
            "the two-proportion z-test where both denominators exceed 1,000 and every cell "
            "holds 10, as the test column says); small streets and communities move by chance "
            "alone.")
    parts.append(f"<p class=\"pg-lead\">{e(note)}</p></section>")
    for key, tzh, ten, cap in LISTS:
        df = getattr(c, key)
        parts.append(f"<section id=\"{e(key)}\"><h2>{e(tzh if zh else ten)}</h2>")
        if not len(df):
            parts.append(f"<p class=\"pg-missing\">{'无记录' if zh else 'nothing'}</p>")
        else:
            shown = _people(key, df.head(cap), lang)
            parts.append("<div class=\"pg-scroll\">" + shown.to_html(
                index=False, escape=True, na_rep="", float_format=_number,
                border=0) + "</div>")
            if len(df) > cap:
                parts.append("<p class=\"pg-cut\">" + e(
                    f"显示前 {cap} 行(共 {len(df):,} 行),完整清单见工作簿。" if zh else
                    f"The first {cap} of {len(df):,} rows; the workbook has them all.") + "</p>")
        parts.append("</section>")
    parts.append("</main></body></html>")
    return "".join(parts)
