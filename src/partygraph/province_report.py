"""The province's report (one self-contained HTML page) and workbook.

The page leads with the districts side by side — rates, gaps, walled-in share, linkage E-I,
the province's sums last — then the ties across districts, and then one collapsible part per
district with its headline figures and a link to its own full report (written beside, under
``districts/``). The workbook holds the same tables and then every list of every district,
each row with its district, every row kept. Every word from the catalogue; every cell
escaped."""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import numpy as np
import pandas as pd

from .labels import PROVINCE_HEADERS_ZH, PROVINCE_TITLES, check_lang, localise

if TYPE_CHECKING:
    from .province import ProvinceAssessment

__all__ = ["province_sheets", "render_province"]


def _t(key: str, lang: str) -> str:
    return PROVINCE_TITLES[key][0 if lang == "zh" else 1]


def _rate_measures(p: ProvinceAssessment) -> set[str]:
    m = p.measures
    return set(m.loc[m["denominator"].notna(), "measure"]) if len(m) else set()


def side_by_side(p: ProvinceAssessment, lang: str = "zh") -> pd.DataFrame:
    """The districts side by side, for people: headers and the province row in ``lang``."""
    check_lang(lang)
    df = p.districts.copy()
    if not len(df):
        return localise(df, lang, PROVINCE_HEADERS_ZH)
    total = df["district"] == "province"
    df.loc[total, "district_name"] = _t("province", lang)
    df.loc[total, "district"] = ""
    m = p.measures.drop_duplicates("measure").set_index("measure")
    col = "measure_zh" if lang == "zh" else "measure_en"
    heads = {c: str(m[col].get(c, c)) for c in df.columns if c in m.index}
    df = df.rename(columns=heads)
    return _people(df, lang)


def _people(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A province table for people: codes in words, the district's name first, headers in
    ``lang``."""
    from .labels import PROVINCE_CODES, PROVINCE_HEADERS_EN, label

    out = df.copy()
    for col, kind in PROVINCE_CODES.items():
        if col in out.columns and not pd.api.types.is_numeric_dtype(out[col].dtype):
            words = {v: label(kind, v, lang) for v in pd.unique(out[col].dropna())}
            out[col] = out[col].map(lambda v, w=words: w.get(v, v))
    if "district" in out.columns:
        out["district"] = out["district"].replace({"province": _t("province", lang)})
        if "district_name" in out.columns:
            out = out[["district_name", "district",
                       *[c for c in out.columns if c not in ("district_name", "district")]]]
    shown = localise(out, lang, PROVINCE_HEADERS_ZH)
    if lang == "en":
        shown = shown.rename(columns={localise(pd.DataFrame(columns=[k]), "en").columns[0]: v
                                      for k, v in PROVINCE_HEADERS_EN.items()})
    return shown


def province_sheets(p: ProvinceAssessment, lang: str = "zh"
                    ) -> tuple[dict[str, pd.DataFrame], dict[str, dict[str, str]]]:
    """The province workbook's sheets (every row) and their number formats."""
    from .assessment import _sheet_name

    check_lang(lang)
    sheets: dict[str, pd.DataFrame] = {}
    formats: dict[str, dict[str, str]] = {}
    side = side_by_side(p, lang)
    name = _t("side_by_side", lang)
    sheets[name] = side
    m = p.measures.drop_duplicates("measure").set_index("measure") if len(p.measures) else None
    rates = _rate_measures(p)
    if m is not None:
        col = "measure_zh" if lang == "zh" else "measure_en"
        formats[name] = {str(m[col][r]): "percent" for r in rates if r in m.index}
    for key, df, pct in (("measures", p.measures, ()), ("rates", p.rates, ("rate",)),
                         ("cross", p.cross_ties, ()),
                         ("moved", p.params.get("status_changed_by_cross"), ()),
                         ("unresolved", p.unresolved, ()), ("shared", p.shared_ids, ()),
                         ("ei", p.ei_by_domain, ()),
                         ("runs", p.runs, ()), ("failed", p.failed, ())):
        if df is None or (key in ("unresolved", "failed", "moved", "shared") and not len(df)):
            continue
        shown = _people(df, lang)
        n = _sheet_name(_t(key, lang), sheets)
        sheets[n] = shown
        if pct:
            formats[n] = {c: "percent" for c in shown.columns
                          if c in ("比率", "Rate", "rate")}
    # every list of every district: each made when its sheet is written, then let go
    from .labels import RULE_EN
    from .registry import outputs

    have = {k for k in p.keys() if any(r.get(k, 0) for r in p.rows.values())}
    for o in outputs():
        if not o.sheet or o.key not in have:
            continue
        if o.split_by:
            split = [o.split_by, f"{o.split_by}_zh"]
            codes = p.table(o.key, columns=split).drop_duplicates(o.split_by)
            for code, title_zh in zip(codes[o.split_by], codes[split[1]], strict=True):
                title = title_zh if lang == "zh" else RULE_EN.get(str(code), str(code))
                n = _sheet_name(f"{'缺口' if lang == 'zh' else 'Gap'}-{title}", sheets)
                sheets[n] = _lazy(p, o, lang, n, formats, (o.split_by, code))
            continue
        n = _sheet_name(o.zh if lang == "zh" else o.en, sheets)
        sheets[n] = _lazy(p, o, lang, n, formats)
    return sheets, formats


def _lazy(p: ProvinceAssessment, o, lang: str, name: str, formats: dict,
          where: tuple[str, object] | None = None):
    """A sheet of one list of every district, made when written (its formats recorded)."""

    def make() -> pd.DataFrame:
        from .assessment import _for_people

        if where is None:
            df = p.table(o.key)
        else:
            df = p.table(o.key, filters=[(where[0], "==", where[1])])
            df = df.drop(columns=[c for c in (where[0], f"{where[0]}_zh") if c in df.columns])
        shown, fmt = _for_people(df.reset_index(drop=True), o, lang)
        formats[name] = fmt
        return shown

    return make


def _number(v: object) -> str:
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return ""
    if isinstance(v, int | np.integer) or (isinstance(v, float) and float(v).is_integer()):
        return f"{v:,.0f}"
    return f"{float(v):.3f}"


def _table(df: pd.DataFrame, percent: set[str] = frozenset()) -> str:
    """An escaped HTML table; ``percent`` columns as 85.1%."""
    out = df.copy()
    for c in out.columns:
        if c in percent:
            out[c] = [("" if not np.isfinite(v) else f"{v:.1%}") if isinstance(
                v, float | np.floating) else v for v in out[c]]
        elif pd.api.types.is_numeric_dtype(out[c].dtype) and not pd.api.types.is_bool_dtype(
                out[c].dtype):
            out[c] = [_number(v) for v in out[c]]
    return "<div class=\"pg-scroll\">" + out.to_html(index=False, escape=True, na_rep="",
                                                     border=0) + "</div>"


def render_province(p: ProvinceAssessment, lang: str = "zh", where: object = None) -> str:
    """The province's page: districts side by side first, then ties across districts, then
    each district (collapsible, with a link to its own report, relative to the folder
    ``where`` the page is written: the province's output folder by default)."""
    from .report import REPORT_CSS as CSS

    check_lang(lang)
    zh = lang == "zh"
    e = html.escape
    title = _t("title", lang)
    parts = [f"<!DOCTYPE html><html lang=\"{'zh-CN' if zh else 'en'}\"><head>"
             "<meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" "
             "content=\"default-src 'none'; style-src 'unsafe-inline'\">"
             f"<title>{e(title)}</title><style>{CSS}</style></head><body>"
             f"<header><h1>{e(title)}</h1><div class=\"pg-meta\">"
             f"{e(str(p.params.get('source', '')))} · {len(p.slugs)} "
             f"{'个区县' if zh else 'districts'} · {e(p.created)}</div></header><main>"]
    cap = 400
    # the districts side by side
    side = side_by_side(p, lang)
    m = p.measures.drop_duplicates("measure").set_index("measure") if len(p.measures) else None
    pct = set()
    if m is not None:
        col = "measure_zh" if zh else "measure_en"
        pct = {str(m[col][r]) for r in _rate_measures(p) if r in m.index}
    parts.append(f"<section id=\"districts\"><h2>{e(_t('side_by_side', lang))}</h2>"
                 f"<p class=\"pg-lead\">{e(_t('side_note', lang))}</p>{_table(side, pct)}")
    if len(p.failed):
        parts.append(f"<h3>{e(_t('failed', lang))}</h3>{_table(_people(p.failed, lang))}")
    if len(p.shared_ids):
        parts.append(f"<h3>{e(_t('shared', lang))}</h3><p class=\"pg-lead\">"
                     f"{e(_t('shared_note', lang))}</p>"
                     f"{_table(_people(p.shared_ids.head(cap), lang))}")
    parts.append("</section>")
    # rates summed
    parts.append(f"<section id=\"rates\"><h2>{e(_t('rates', lang))}</h2>")
    r = p.rates.copy()
    parts.append(_table(_people(r, lang), {"比率" if zh else "Rate"}) + "</section>")
    # ties across districts
    parts.append(f"<section id=\"cross\"><h2>{e(_t('cross', lang))}</h2>"
                 f"<p class=\"pg-lead\">{e(_t('cross_note', lang))}</p><div class=\"pg-cards\">")
    moved = p.params.get("status_changed_by_cross")
    cards = [(_t("cross_count", lang), _number(len(p.cross_ties))),
             (_t("cross_recorded", lang), _number(p.params.get("cross_ties_recorded", 0))),
             (_t("moved_count", lang), _number(0 if moved is None else int(
                 (moved["status"] == "walled_in").sum()))),
             (_t("ei_cross", lang), _number(p.params.get("ei_index_with_cross")))]
    for label, value in cards:
        parts.append(f"<div class=\"pg-card\"><div class=\"pg-card-label\">{e(label)}</div>"
                     f"<div class=\"pg-card-value\">{e(value)}</div></div>")
    parts.append("</div>")
    if len(p.cross_ties):
        parts.append(_table(_people(p.cross_ties.head(cap), lang)))
        if len(p.cross_ties) > cap:
            parts.append("<p class=\"pg-cut\">" + e(
                f"显示前 {cap} 行(共 {len(p.cross_ties):,} 行),完整清单见工作簿。" if zh else
                f"The first {cap} of {len(p.cross_ties):,} rows; the workbook has them all.")
                + "</p>")
    if moved is not None and len(moved):
        parts.append(f"<h3>{e(_t('moved', lang))}</h3>{_table(_people(moved.head(cap), lang))}")
    if len(p.unresolved):
        parts.append(f"<h3>{e(_t('unresolved', lang))}</h3>"
                     f"{_table(_people(p.unresolved.head(cap), lang))}")
    parts.append(f"<h3>{e(_t('ei', lang))}</h3>{_table(_people(p.ei_by_domain, lang))}"
                 "</section>")
    # each district
    parts.append(f"<section id=\"each\"><h2>{e(_t('districts', lang))}</h2>"
                 f"<p class=\"pg-lead\">{e(_t('list_note', lang))}</p>")
    long = p.measures
    for code, slug in p.slugs.items():
        name = str(p.districts.set_index("district")["district_name"].get(code, code))
        target = p.output / "districts" / slug / "report.html"
        rel = os.path.relpath(target, where if where is not None else p.output)
        href = e(quote(Path(rel).as_posix()), quote=True)
        rows = long[long["district"] == code]
        is_rate = rows["denominator"].notna().to_numpy()
        value = [f"{v:.1%}" if r and np.isfinite(v) else _number(v)
                 for v, r in zip(rows["value"], is_rate, strict=True)]
        shown = localise(pd.DataFrame({
            "measure": rows["measure_zh" if zh else "measure_en"].to_numpy(), "value": value,
            "numerator": rows["numerator"].to_numpy(),
            "denominator": rows["denominator"].to_numpy()}), lang,
            {"measure": "指标"})
        parts.append(f"<details><summary>{e(name)}({e(code)})</summary>"
                     f"<p><a href=\"{href}\">{e(_t('open', lang))}</a></p>"
                     f"{_table(shown)}</details>")
    parts.append("</section></main></body></html>")
    return "".join(parts)
