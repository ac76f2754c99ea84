"""Labels (Chinese and English) and colours for the codes that outputs show.

One place for what the report, the workbook, the figures and the network view call a domain,
a tie kind or a status, and which colour they draw it in, so that all of them agree.

Examples
--------
>>> from partygraph.labels import label
>>> label("domain", "private"), label("domain", "private", "en")
('非公企业', 'private firms')
>>> label("tie_kind", "project")
'共同参与项目'
"""

from __future__ import annotations

import pandas as pd

from .errors import PartygraphError
from .schema import VOCABULARIES

__all__ = ["DOMAIN_COLOURS", "KIND_COLOURS", "STATUS_LABELS", "check_lang", "column_zh",
           "label", "labels", "localise"]

#: Colours of domains (nodes, bars, heatmap ticks). Red is kept for walled-in marks.
DOMAIN_COLOURS: dict[str, str] = {
    "agency": "#1f77b4", "institution": "#17becf", "soe": "#9467bd", "private": "#ff7f0e",
    "social": "#2ca02c", "community": "#e377c2", "rural": "#8c564b", "hub": "#7f7f7f",
}
UNKNOWN_COLOUR = "#bcbd22"

#: Colours of horizontal tie kinds (edges, stacked bars).
KIND_COLOURS: dict[str, str] = {
    "pair": "#1f77b4", "agreement": "#aec7e8", "council": "#9467bd", "body": "#c5b0d5",
    "registration": "#8c564b", "covers": "#17becf", "cross_post": "#e377c2",
    "service": "#ff7f0e", "project": "#2ca02c",
}

#: Actor status of the walls analysis.
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "walled_in": ("围墙内(无联系)", "walled in (no tie)"),
    "paper_only": ("仅纸面联系", "paper only"),
    "linked": ("有实际联系", "linked"),
    "hub": ("区域统筹(不参与评判)", "hub (not judged)"),
}

_EXTRA: dict[str, dict[str, tuple[str, str]]] = {
    "tie_kind": {
        "project": ("共同参与项目", "shared project"),
        "body": ("同一共同体", "same body"),
    },
    "crossing": {
        "cross_domain": ("跨领域", "cross-domain"),
        "cross_level": ("跨层级", "cross-level"),
        "cross_region": ("跨区域", "cross-region"),
        "cross_industry": ("跨行业", "cross-industry"),
    },
    "status": STATUS_LABELS,
}

_VOCABULARY_OF = {"tie_kind": "link_kind", "domain": "domain", "project_status":
                  "project_status", "category": "category", "unit_kind": "unit_kind",
                  "org_kind": "org_kind", "region_level": "region_level", "tier": "tier"}


def check_lang(lang: str) -> str:
    """``lang`` if it is ``"zh"`` or ``"en"``, else a clear error."""
    if lang not in ("zh", "en"):
        raise PartygraphError(f"lang must be 'zh' or 'en', not {lang!r} / 语言应为 zh 或 en")
    return lang


def label(kind: str, code: object, lang: str = "zh") -> str:
    """The label of one code (``kind``: domain, tie_kind, crossing, status, project_status,
    category, unit_kind, org_kind, region_level, tier); unknown codes come back as text."""
    check_lang(lang)
    if code is None or code is pd.NA or (isinstance(code, float) and code != code):
        return "未知" if lang == "zh" else "unknown"
    code = str(code)
    extra = _EXTRA.get(kind, {})
    if code in extra:
        return extra[code][0 if lang == "zh" else 1]
    voc = VOCABULARIES.get(_VOCABULARY_OF.get(kind, ""))
    if voc is not None:
        return voc.labels(lang).get(code, code)
    return code


def labels(kind: str, codes: pd.Series | list, lang: str = "zh") -> list[str]:
    """:func:`label` for each code."""
    return [label(kind, c, lang) for c in codes]


#: Chinese headers of result columns not named by an analysis's own map.
_COLUMN_ZH: dict[str, str] = {
    "measure": "指标代码", "measure_zh": "指标", "label": "指标", "value": "数值",
    "numerator": "分子", "denominator": "分母", "rate": "比率", "count": "数量",
    "table": "表", "row": "行号", "column": "列", "problem": "问题(英文)",
    "problem_zh": "问题", "severity": "严重程度", "reason": "原因",
    "actor_id": "主体编码", "actor_type": "主体类型", "status_zh": "状态", "ties": "联系数",
    "strength": "联系强度", "partners": "联系对象数",
    "ties_pair": "结对共建", "ties_agreement": "共建协议", "ties_council": "兼职委员",
    "ties_body": "同一共同体", "ties_registration": "报到", "ties_covers": "联合覆盖",
    "ties_cross_post": "交叉任职", "ties_service": "服务", "ties_project": "共同参与项目",
    "actors": "主体数", "taking_part": "参与主体数", "linked": "有实际联系",
    "paper_only": "仅纸面联系", "rate_taking_part": "参与率", "rate_linked": "实际联系率",
    "k": "枢纽数", "hubs": "枢纽编码", "hub_names": "枢纽", "share_of_ties": "经由枢纽的联系占比",
    "cut_off": "失去联系的主体数", "cut_off_share": "失联占比",
    "largest_component_share_before": "最大连通片占比(原)",
    "largest_component_share_after": "最大连通片占比(去除枢纽后)",
    "group": "领域", "internal": "内部联系", "external": "外部联系", "ei": "E-I 指数",
    "internal_weight": "内部联系权重", "external_weight": "外部联系权重",
    "ei_weighted": "加权 E-I 指数", "observed": "实际值", "null_mean": "随机均值",
    "null_sd": "随机标准差", "null_low": "随机下限(2.5%)", "null_high": "随机上限(97.5%)",
    "z": "z 值", "p": "p 值", "degree": "联系对象数", "constraint": "约束度",
    "effective_size": "有效规模", "betweenness": "中介中心度",
    "council_id": "大党委编码", "seats": "席位数", "resident_units": "驻区单位数",
    "represented": "驻区单位席位", "share_represented": "驻区单位覆盖率",
    "dissimilarity": "领域构成差异度", "body_id": "共同体编码", "members": "成员数",
    "domains": "领域数", "tiers": "层级数", "streets": "街道数", "industries": "行业数",
    "crossings": "跨越数", "projects": "项目数", "services": "服务数", "score": "得分",
    "rank": "排名", "talk_without_work": "有名无实", "launched": "已启动", "planned": "计划",
    "running": "实施中", "completed": "已完成", "cancelled": "已取消",
    "completion_rate": "完成率", "claimed_singly": "个人认领", "claimed_by_group": "集体认领",
    "members_resident": "居住党员", "in_service_resident": "居住在职党员",
    "registered_here": "已报到", "working_here": "在此工作", "working_here_living_elsewhere":
    "在此工作、居住在别处", "mobile_resident": "流动党员", "mobile_managed": "已纳入流入地管理",
    "mobile_outflow": "流出", "no_post": "无职党员", "unit_id": "单位编码",
    "party_members": "党员数(填报)", "member_records": "党员名册人数", "difference": "差额",
    "region": "区域", "entity_type": "对象类型", "entity_id": "对象编码",
}


def column_zh() -> dict[str, str]:
    """English column name → Chinese header, over every analysis's output."""
    from .coverage import GAP_HEADERS_ZH, RATE_HEADERS_ZH
    from .matching import _ZH_HEADERS

    return {**_COLUMN_ZH, **_ZH_HEADERS, **RATE_HEADERS_ZH, **GAP_HEADERS_ZH}


_VALUE_ZH: dict[str, dict[str, str]] = {
    "entity_type": {"unit": "单位", "region": "区域", "org": "党组织", "member": "党员"},
    "actor_type": {"unit": "单位", "org": "党组织"},
    "severity": {"high": "高", "medium": "中", "low": "低", "error": "错误",
                 "warning": "提示"},
    "count_source": {"records": "党员名册", "count": "填报党员数"},
    "item_type": {"demand": "需求", "wish": "微心愿"},
    "via": {"registered": "已到社区报到", "resident": "居住在本社区"},
}
_CODE_COLUMNS = {"domain": "domain", "group": "domain", "target_domain": "domain",
                 "partner_domain": "domain", "category": "category",
                 "demand_category": "category", "resource_category": "category",
                 "status": "status", "target_status": "status"}


def _values_zh(name: str, s: pd.Series) -> pd.Series:
    if name == "closeness":
        from .matching import CLOSENESS_ZH

        return s.map(lambda v: CLOSENESS_ZH.get(v, v) if isinstance(v, str) else v)
    if name in _VALUE_ZH:
        return s.map(lambda v: _VALUE_ZH[name].get(v, v) if isinstance(v, str) else v)
    if name in _CODE_COLUMNS:
        kind = _CODE_COLUMNS[name]
        return s.map(lambda v: label(kind, v, "zh") if isinstance(v, str) and v else v)
    if s.dtype == bool or str(s.dtype) == "boolean":
        return s.map({True: "是", False: "否"})
    return s


def localise(df: pd.DataFrame, lang: str = "zh",
             headers: dict[str, str] | None = None) -> pd.DataFrame:
    """A result table for people: one language only, headers in that language.

    A column ``x`` with a ``x_zh`` twin shows the Chinese text under ``x``'s Chinese header
    (``zh``), or the English one (``en``: ``x_en`` where there is one); the other twins are
    dropped. In Chinese, codes in known columns (domain, category, status, severity...)
    become their Chinese labels and booleans 是/否. Chinese headers come from ``headers``,
    then :func:`column_zh`; other headers are kept.

    Examples
    --------
    >>> import pandas as pd
    >>> from partygraph.labels import localise
    >>> df = pd.DataFrame({"rule": ["unit_without_org"], "rule_zh": ["应建未建党组织的单位"]})
    >>> localise(df).columns.tolist(), localise(df).iloc[0, 0]
    (['问题'], '应建未建党组织的单位')
    >>> localise(df, "en").columns.tolist()
    ['rule']
    """
    check_lang(lang)
    cols = list(df.columns)
    out = {}
    for c in cols:
        if c.endswith(("_zh", "_en")) and c[:-3] in cols:
            continue
        if lang == "zh" and f"{c}_zh" in cols:
            out[c] = df[f"{c}_zh"]
        elif lang == "en" and f"{c}_en" in cols:
            out[c] = df[f"{c}_en"]
        elif lang == "zh":
            out[c] = _values_zh(c, df[c])
        else:
            out[c] = df[c]
    res = pd.DataFrame(out, index=df.index)
    if lang == "zh":
        heads = column_zh()
        heads.update({c: heads.get(f"{c}_zh", heads.get(c, c)) for c in res.columns
                      if f"{c}_zh" in cols})
        heads.update(headers or {})
        res.columns = [heads.get(c, c) for c in res.columns]
    return res
