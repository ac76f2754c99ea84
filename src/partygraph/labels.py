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

__all__ = ["DOMAIN_COLOURS", "KIND_COLOURS", "STATUS_LABELS", "check_lang", "label",
           "labels"]

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
