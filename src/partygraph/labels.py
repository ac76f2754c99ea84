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

import functools
import warnings

import numpy as np
import pandas as pd

from .errors import PartygraphError
from .schema import VOCABULARIES

__all__ = ["DOMAIN_COLOURS", "KIND_COLOURS", "RATE_TEXT", "RULE_EN", "RULE_TEXT",
           "STATUS_LABELS", "check_lang", "column_en", "column_zh", "label", "labels",
           "localise"]

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
    "paper_only": ("有协议无活动", "paper only (agreements, no activity)"),
    "linked": ("实质参与共建", "linked (takes part in practice)"),
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
        "cross_region": ("跨地域", "cross-region"),
        "cross_industry": ("跨行业", "cross-industry"),
    },
    "status": STATUS_LABELS,
}

_VOCABULARY_OF = {"measure": "measure", "post": "post", "need_status": "need_status",
                  "tie_kind": "link_kind", "domain": "domain", "project_status":
                  "project_status", "category": "category", "unit_kind": "unit_kind",
                  "org_kind": "org_kind", "region_level": "region_level", "tier": "tier"}


def deprecated_lang(df: pd.DataFrame, lang: str | None, where: str) -> pd.DataFrame:
    """Support for the ``lang=`` argument analyses used to take: warn, then localise."""
    if lang is None or lang == "en":
        if lang == "en":
            warnings.warn(f"{where}(lang=...) is deprecated: analyses return codes; use "
                          "pg.localise(df, lang) for people", FutureWarning, stacklevel=3)
        return df
    warnings.warn(f"{where}(lang=...) is deprecated: analyses return codes; use "
                  "pg.localise(df, lang) for people", FutureWarning, stacklevel=3)
    return localise(df, lang)


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
    return _vocabulary_labels(_VOCABULARY_OF.get(kind, ""), lang).get(code, code)


@functools.cache
def _vocabulary_labels(name: str, lang: str) -> dict[str, str]:
    voc = VOCABULARIES.get(name)
    return {} if voc is None else voc.labels(lang)


def labels(kind: str, codes: pd.Series | list, lang: str = "zh") -> list[str]:
    """:func:`label` for each code."""
    return [label(kind, c, lang) for c in codes]


# ------------------------------------------------------------------------------ the catalogue
# Every word an output shows, in Chinese and English. Analyses import what they need from
# here; this module imports no analysis.

#: rule → (Chinese name, severity, action in English, action in Chinese)
RULE_TEXT: dict[str, tuple[str, str, str, str]] = {
    "unit_without_org": ("应建未建党组织的单位", "high", "establish a Party organisation",
                         "单独组建党组织"),
    "unit_not_covered": ("未纳入联合组建的单位", "medium", "bring into a joint organisation",
                         "纳入联合党组织(联合组建)"),
    "no_work_coverage": ("未实现工作覆盖的单位", "low", "assign a Party-building instructor",
                         "选派党建指导员"),
    "unit_org_not_registered": ("未到社区报到的驻区单位党组织", "medium",
                                "register the unit's organisation with its community",
                                "驻区单位党组织到所在社区报到"),
    "district_unit_unpaired": ("未与村(社区)联建共建的区直单位", "medium",
                               "pair with at least one village or community",
                               "至少与1个村(社区)党组织联建共建"),
    "owners_committee_not_red": ("未建成红色业委会的业委会", "low",
                                 "bring Party members onto the committee (交叉任职) or set up "
                                 "an organisation", "推行交叉任职,组建红色业委会"),
    "community_without_org": ("无党组织的社区/村", "high", "establish a Party organisation",
                              "建立党组织"),
    "estate_without_org": ("无党组织的小区", "medium",
                           "establish an estate organisation, single or joint",
                           "单独或联合组建小区党组织"),
    "estate_groups_without_branch": ("三个以上党小组未建楼群党支部的小区", "low",
                                     "set up a building-cluster branch", "建立楼群党支部"),
    "estate_trinity_incomplete": ("“三位一体”不完整的小区", "low",
                                  "complete the estate organisation, owners' committee and "
                                  "property company with cross-posts",
                                  "健全小区党组织、业委会、物业公司“三位一体”,推行交叉任职"),
    "building_without_group": ("无党小组的楼栋", "low", "set up a building group",
                               "建立楼栋党小组"),
    "branch_oversize": ("党员人数超过规定的党支部", "low", "split the branch", "分设党支部"),
    "member_unattached": ("组织关系未落实的党员", "high", "transfer the organisational relation",
                          "接转组织关系"),
    "mobile_unmanaged": ("未落实流入地管理的流动党员", "medium",
                         "arrange management where the member now is", "落实流入地管理"),
    "member_not_registered": ("未到居住地报到的在职党员", "low",
                              "report to the community of residence", "到居住地社区报到"),
    "member_not_in_estate": ("未回小区报到的在职党员", "low",
                             "report to the estate organisation where one lives", "回小区报到"),
}

#: Why a result is absent or empty, for the report's "未计算:原因" (Chinese, English).
NOT_COMPUTED: dict[str, tuple[str, str]] = {
    "meetings": ("数据中没有党建共同体、大党委或其会议记录",
                 "no body, council or meeting in the data"),
    "posts": ("关系表中没有填写职务(职务列)", "no link gives a post (the post column)"),
    "needs_by_community": ("没有需求清单或微心愿,或未记录办理状态(状态、认领方、办结日期)",
                           "no demand or wish, or no progress recorded (status, claimed by, "
                           "closed)"),
    "needs_by_body": ("没有由党建共同体成员认领的需求", "no need claimed by a body's member"),
    "resource_totals": ("没有资源清单", "no resource list"),
    "venue_area": ("资源清单中没有以平方米计量的活动阵地(类别为活动阵地、计量单位为平方米)",
                   "no venue measured in m² in the resource list"),
    "councils": ("关系表中没有兼职委员(大党委成员)关系", "no council seat in the links"),
    "bodies": ("数据中没有党建共同体", "no co-building body in the data"),
    "pipeline": ("没有项目表", "no projects table"),
    "matches": ("没有需求清单或资源清单,或没有待认领的需求", "no open demand or no resource"),
    "unmet": ("没有待认领的需求", "no open demand"),
    "partners": ("没有围墙内或有协议无活动的共建单位", "no walled-in or paper-only unit"),
    "wishes": ("没有注明所需特长的需求或微心愿", "no need naming a skill"),
    "member_view": ("没有党员表", "no members table"),
    "hub_dependence": ("没有区域统筹党组织", "no hub organisation"),
    "brokers": ("没有横向联系", "no horizontal tie"),
    "participation": ("没有区域表", "no regions table"),
}
_EMPTY = ("没有符合条件的记录", "no record qualifies")

#: Each list of a comparison (前后对比): (key, Chinese title, English title, rows to show).
CHANGE_LISTS = (
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
CHANGE_HEADERS_ZH = {
    "change": "变化", "matched_by": "对应方式", "status_before": "前期状态",
    "status_after": "后期状态", "direction": "方向", "level": "范围", "place_id": "区域编码",
    "place": "区域", "numerator_before": "前期分子", "denominator_before": "前期分母",
    "rate_before": "前期比率", "numerator_after": "后期分子", "denominator_after": "后期分母",
    "rate_after": "后期比率", "p": "p 值", "test": "检验方法", "significant": "变化显著",
    "ei_before": "前期 E-I", "ei_after": "后期 E-I", "other": "对方领域",
    "weight_before": "前期联系", "weight_after": "后期联系", "name_before": "前期名称",
    "name_after": "后期名称", "members_before": "前期成员数", "members_after": "后期成员数",
    "meetings_before": "前期会议", "meetings_after": "后期会议", "stalled_before": "前期停摆",
    "stalled_after": "后期停摆", "stopped_meeting": "新近停摆", "lost_members": "成员减少",
    "id_before": "前期编码", "id_after": "后期编码", "side": "时期", "value": "数值",
}
CHANGE_VALUES_ZH = {
    "measure": {"ei": "E-I 指数", "matrix": "领域间联系"},
    "test": {"fisher": "Fisher 精确检验", "z": "两比例 z 检验", "": ""},
    "group": {"(whole network)": "全网"},
    "change": {"closed": "已整改", "new": "新出现", "persisting": "仍存在",
               "appeared": "新增单位", "disappeared": "不再出现", "unchanged": "未变"},
    "matched_by": {"id": "按编码", "name": "按名称", "none": "未对应", "": ""},
    "direction": {"out": "走出围墙", "in": "退回围墙", "": ""},
    "level": {"overall": "全部", "street": "街道", "community": "社区/村"},
    "side": {"before": "前期", "after": "后期"},
}

#: The headline of a comparison: code → (Chinese, English).
CHANGE_HEADLINE: dict[str, tuple[str, str]] = {
    "gaps_closed": ("已整改(关闭)的缺口", "gaps closed"),
    "gaps_new": ("新出现的缺口", "new gaps"),
    "gaps_persisting": ("仍未整改的缺口", "gaps persisting"),
    "out_of_walls": ("走出围墙的共建单位", "units out from behind the wall"),
    "into_walls": ("退回围墙内(或联系减弱)的共建单位", "units back behind the wall"),
    "rates_up": ("显著上升的覆盖率(p<0.05)", "rates up beyond chance"),
    "rates_down": ("显著下降的覆盖率(p<0.05)", "rates down beyond chance"),
    "rates_moved_within_chance": ("有变化但未超出随机波动的覆盖率",
                                  "rates that moved within chance"),
}

#: The parameters of a comparison, as people read them (Chinese, English).
CHANGE_PARAMS: dict[str, tuple[str, str]] = {
    "rules": ("覆盖规则", "coverage rules"), "before": ("前期数据", "earlier data"),
    "after": ("后期数据", "later data"), "window_before": ("前期分析时段", "earlier window"),
    "window_after": ("后期分析时段", "later window"),
    "units_matched_share": ("前期单位在后期数据中找到的比例", "share of earlier units found"),
    "rows_set_aside_before": ("前期数据因错误搁置的行数", "rows set aside, earlier"),
    "rows_set_aside_after": ("后期数据因错误搁置的行数", "rows set aside, later"),
}

#: The five parts of 三位一体 in an estate (Jiangbei): (Chinese, English).
TRINITY_PARTS: dict[str, tuple[str, str]] = {
    "org": ("小区党组织", "estate Party organisation"),
    "owners_committee": ("业委会", "owners' committee"),
    "property_company": ("物业公司", "property company"),
    "owners_committee_post": ("党员在业委会任职", "a Party member on the owners' committee"),
    "property_company_post": ("党员在物业任职", "a Party member in the property company"),
}

#: rule → English name
RULE_EN: dict[str, str] = {
    "unit_without_org": "units that should have an organisation of their own",
    "unit_not_covered": "units not in any joint organisation",
    "no_work_coverage": "units without work coverage",
    "unit_org_not_registered": "resident units whose organisation has not registered",
    "district_unit_unpaired": "district-level units not paired with a village or community",
    "owners_committee_not_red": "owners' committees that are not 'red'",
    "community_without_org": "communities and villages without an organisation",
    "estate_without_org": "estates without an organisation",
    "estate_groups_without_branch": "estates with 3+ party groups and no cluster branch",
    "estate_trinity_incomplete": "estates where the three-in-one is incomplete",
    "building_without_group": "buildings without a party group",
    "branch_oversize": "branches with more members than the norm",
    "member_unattached": "members whose organisational relation is not in place",
    "mobile_unmanaged": "mobile members without inflow management",
    "member_not_registered": "in-service members not registered where they live",
    "member_not_in_estate": "in-service members not registered with their estate",
}

GAP_HEADERS_ZH = {
    "rule": "问题类型", "rule_zh": "问题", "entity_type": "对象类型", "entity_id": "对象编码",
    "name": "名称", "street_id": "街道编码", "street": "街道", "community_id": "社区编码",
    "community": "社区/村", "domain": "领域", "members": "党员数", "formal_members": "正式党员数",
    "evidence": "依据(英文)", "evidence_zh": "依据", "count_source": "数据来源",
    "severity": "严重程度", "action": "措施(英文)", "action_zh": "整改措施",
}

#: measure → (English description, Chinese name, Chinese description)
RATE_TEXT: dict[str, tuple[str, str, str]] = {
    "org_coverage": ("units with members covered by an organisation (own or joint)",
                     "有党员单位党组织覆盖率", "有党员的单位中,单独或联合组建党组织的比例"),
    "own_org_rate": ("units with 3+ formal members that have their own organisation",
                     "应建已建率", "正式党员3名以上的单位中,单独组建党组织的比例"),
    "work_coverage": ("private and social units with work coverage", "党的工作覆盖率",
                      "非公企业和社会组织中,有党组织、党员、联合组建、党建指导员或工青组织的比例"),
    "nonpublic_org_coverage": (
        "non-public firms with own or joint organisation (中办发〔2012〕11号)",
        "非公企业党的组织覆盖率", "非公企业中单独或联合组建党组织的比例(中办发〔2012〕11号口径)"),
    "nonpublic_own_org_rate": ("non-public firms with their own organisation",
                               "非公企业单独组建率", "非公企业中单独组建党组织的比例"),
    "social_org_coverage": ("social organisations with own or joint organisation",
                            "社会组织党的组织覆盖率", "社会组织中单独或联合组建党组织的比例"),
    "social_own_org_rate": ("social organisations with their own organisation",
                            "社会组织单独组建率", "社会组织中单独组建党组织的比例"),
    "joint_rate": ("units with an organisation through a joint one only",
                   "联合组建率", "党组织覆盖的有党员单位中,通过联合组建覆盖(未单独组建)的比例"),
    "unit_org_registration": ("resident units whose organisation registered with its community",
                              "驻区单位党组织报到率",
                              "建有党组织的机关企事业单位中,党组织已到所在社区(村)报到的比例"),
    "district_unit_pairing": ("district-level units co-building with a village or community",
                              "区直单位联建共建率",
                              "区直机关企事业单位中,至少与1个村(社区)党组织联建共建的比例"),
    "red_owners_committee": ("owners' committees that are 'red'", "红色业委会占比",
                             "业委会中建有党组织或党员过半数的比例"),
    "community_coverage": ("communities and villages with an organisation",
                           "社区/村党组织覆盖率", "社区和村中建有党组织的比例"),
    "estate_coverage": ("estates with an organisation over or covering them",
                        "小区党组织覆盖率", "小区中单独或联合组建党组织的比例"),
    "estate_joint_rate": ("estates with an organisation through a joint one only",
                          "小区联合组建率", "建有党组织的小区中,由联合组建的党组织覆盖的比例"),
    "estate_group_branch": ("estates with 3+ party groups that have a cluster branch",
                            "楼群党支部建立率", "有3个以上党小组的小区中,建有楼群党支部的比例"),
    "estate_trinity": ("estates with the three-in-one complete", "“三位一体”完整率",
                       "有业委会或物业的小区中,党组织、业委会、物业及交叉任职齐全的比例"),
    "building_group_coverage": ("buildings with 3+ resident members that have a group",
                                "楼栋党小组覆盖率", "居住党员3名以上的楼栋中建有党小组的比例"),
    "member_attachment": ("members attached to a standing organisation", "党员组织关系落实率",
                          "组织关系在现存党组织的党员比例"),
    "mobile_management": ("mobile members under inflow management", "流动党员流入地管理率",
                          "流动党员中已落实流入地管理的比例"),
    "registration": ("in-service members registered where they live",
                     "在职党员到居住地报到率", "有居住地信息的在职党员中已到居住地社区报到的比例"),
    "estate_registration": ("in-service members registered with their estate",
                            "在职党员回小区报到率",
                            "居住在小区的在职党员中已到本小区党组织报到的比例"),
}

RATE_HEADERS_ZH = {"measure": "指标代码", "measure_zh": "指标", "numerator": "分子",
                   "denominator": "分母", "rate": "比率", "description": "说明"}

CLOSENESS_ZH = {"place": "同一地点", "building": "同楼栋", "estate": "同小区", "grid": "同网格",
                "community": "同社区", "street": "同街道", "district": "同区县",
                "city": "同城市", "province": "同省", "none": "无共同上级区域"}
CLOSENESS_EN = {"place": "same place", "building": "same building", "estate": "same estate",
                "grid": "same grid", "community": "same community", "street": "same street",
                "district": "same district", "city": "same city", "province": "same province",
                "none": "no common region"}
UNMET_ZH = {
    "no_category": "无其他单位提供同类别(或相容类别)资源",
    "not_near": "同类资源均超出距离范围",
    "no_place": "需求不在该范围层级的任何区域内(或区域不明)",
    "taken": "资源已被得分更高的需求占用",
    "owner_cap": "可用资源的提供方已达推荐上限",
    "not_positive": "候选配对得分不为正",
}
UNMET_EN = {
    "no_category": "no other actor offers a resource of a compatible category",
    "not_near": "no resource of its category near enough",
    "no_place": "the demand lies in no region at the chosen level (or its place is unknown)",
    "taken": "all nearby resources taken by higher-scoring demands",
    "owner_cap": "the owners of the resources left are at their cap",
    "not_positive": "no candidate pair has a positive score",
}
MATCH_HEADERS_ZH = {
    "demand_id": "需求编号", "resource_id": "资源编号", "quantity": "数量", "score": "得分",
    "stage": "阶段", "requester_id": "需求方编码", "requester": "需求方",
    "owner_id": "提供方编码", "owner": "提供方", "demand_category": "需求类别",
    "resource_category": "资源类别", "closeness": "距离层级", "km": "距离(公里)",
    "community": "社区/村", "street": "街道", "score_base": "基础分",
    "score_priority": "优先级分", "score_distance": "距离扣分", "score_category": "类别分",
    "score_cross_domain": "跨领域加分", "score_walled_in": "围墙内加分", "reason": "理由(英文)",
    "reason_zh": "理由", "quantity_met": "已满足数量", "quantity_unmet": "未满足数量",
    "why": "原因代码", "why_zh": "原因", "candidates": "候选数", "priority": "优先级",
    "name": "名称", "category": "类别", "category_zh": "类别名称", "region_id": "区域编码",
    "quantity_used": "已推荐数量", "quantity_left": "剩余数量", "status": "状态",
    "matched_with": "推荐对象", "item_id": "事项编号", "item_type": "事项类型",
    "member_id": "党员编号", "skills": "所需特长", "skills_matched": "匹配特长",
    "score_skill": "特长分", "via": "联系方式", "target_id": "单位编码", "target": "单位",
    "target_status": "现状", "target_domain": "领域", "rank": "推荐顺序",
    "partner_id": "推荐结对单位编码", "partner": "推荐结对单位", "partner_domain": "对方领域",
    "complement": "互补项数", "score_complement": "互补分", "score_activity": "活跃度分",
    "partners_found": "已推荐数", "wanted": "应推荐数",
}


#: Chinese headers of result columns not named by an analysis's own map.
_COLUMN_ZH: dict[str, str] = {
    "measure": "指标代码", "measure_zh": "指标", "label": "指标", "value": "数值",
    "numerator": "分子", "denominator": "分母", "rate": "比率", "count": "数量",
    "table": "表", "row": "行号", "column": "列", "problem": "问题(英文)",
    "problem_zh": "问题", "severity": "严重程度", "reason": "原因",
    "actor_id": "共建单位编码", "actor_type": "共建单位类型", "status_zh": "状态", "ties": "联系数",
    "strength": "联系强度", "partners": "联系对象数",
    "ties_pair": "结对共建", "ties_agreement": "共建协议", "ties_council": "兼职委员",
    "ties_body": "同一共同体", "ties_registration": "报到", "ties_covers": "联合组建",
    "ties_cross_post": "交叉任职", "ties_service": "服务", "ties_project": "共同参与项目",
    "actors": "共建单位数", "taking_part": "参与共建单位数", "linked": "实质参与共建",
    "paper_only": "有协议无活动", "rate_taking_part": "参与率", "rate_linked": "实际联系率",
    "k": "枢纽数", "hubs": "枢纽编码", "hub_names": "枢纽", "share_of_ties": "经由枢纽的联系占比",
    "cut_off": "脱离网络单位数", "cut_off_share": "脱离网络单位占比",
    "largest_component_share_before": "最大连通片占比(原)",
    "largest_component_share_after": "最大连通片占比(去除枢纽后)",
    "group": "领域", "internal": "内部联系", "external": "外部联系", "ei": "E-I 指数",
    "internal_weight": "内部联系权重", "external_weight": "外部联系权重",
    "ei_weighted": "加权 E-I 指数", "observed": "实际值", "null_mean": "随机均值",
    "null_sd": "随机标准差", "null_low": "随机下限(2.5%)", "null_high": "随机上限(97.5%)",
    "z": "z 值", "p": "p 值", "degree": "联系对象数", "constraint": "约束度",
    "effective_size": "有效规模", "betweenness": "中介中心度",
    "council_id": "大党委编码", "seats": "委员席位数", "resident_units": "驻区单位数",
    "represented": "驻区单位席位", "share_represented": "驻区单位吸纳比例",
    "dissimilarity": "领域构成差异度", "body_id": "共同体编码", "members": "成员数",
    "domains": "领域数", "tiers": "层级数", "streets": "街道数", "industries": "行业数",
    "crossings": "跨越数", "projects": "项目数", "services": "服务数", "score": "得分",
    "rank": "排名", "talk_without_work": "作用发挥不明显", "launched": "已启动", "planned": "计划",
    "running": "实施中", "completed": "已完成", "cancelled": "已取消",
    "completion_rate": "完成率", "claimed_singly": "个人认领", "claimed_by_group": "集体认领",
    "members_resident": "居住党员", "in_service_resident": "居住在职党员",
    "registered_here": "已报到", "working_here": "在此工作", "working_here_living_elsewhere":
    "在此工作、居住在别处", "mobile_resident": "流动党员", "mobile_managed": "已纳入流入地管理",
    "mobile_outflow": "流出", "no_post": "无职党员", "unit_id": "单位编码",
    "party_members": "党员数(填报)", "member_records": "党员名册人数", "difference": "差额",
    "region": "区域", "entity_type": "对象类型", "entity_id": "对象编码",
    "community_id": "社区编码", "community": "社区/村", "street_id": "街道编码", "street": "街道",
    "description": "说明(英文)", "description_zh": "说明", "name": "名称", "domain": "领域",
    "status": "状态代码", "read": "读取行数", "loaded": "载入行数", "set_aside": "搁置行数",
    "parameter": "参数", "rows": "行数",
    "posted": "提单数", "open": "待认领", "assigned": "已派单(下单)", "claimed": "已认领(接单)",
    "solved": "已办结", "claim_rate": "认领率", "solve_rate": "办结率", "rated": "已评价",
    "satisfaction": "满意度(1–5)", "meetings": "会议次数",
    "first_meeting": "首次会议", "last_meeting": "最近一次会议", "months_since_last":
    "距最近会议(月)", "per_year": "年均会议次数", "norm": "每年应开次数", "meets_norm": "达到要求",
    "stalled": "停摆", "chairs": "轮值主席/召集人数", "rotates": "轮值", "secretaries": "书记数",
    "directors": "居(村)委会主任数", "one_shoulder": "一肩挑", "first_secretaries": "第一书记数",
    "owners_posts": "业委会交叉任职", "property_posts": "物业交叉任职",
    "secretary_chairs_owners": "小区书记兼任业委会主任", "venues": "活动阵地数",
    "area_m2": "活动阵地面积(平方米)", "standard_m2": "标准(平方米)", "meets_standard": "达标",
    "full_time": "专职委员数", "part_time": "兼职委员数", "resources": "资源条数",
    "quantity": "数量",
}


def column_zh() -> dict[str, str]:
    """English column name → Chinese header, over every analysis's output."""
    return {**_COLUMN_ZH, **MATCH_HEADERS_ZH, **RATE_HEADERS_ZH, **GAP_HEADERS_ZH}


_VALUE_ZH: dict[str, dict[str, str]] = {
    "entity_type": {"unit": "单位", "region": "区域", "org": "党组织", "member": "党员"},
    "actor_type": {"unit": "单位", "org": "党组织"},
    "severity": {"high": "高", "medium": "中", "low": "低", "error": "错误",
                 "warning": "提示", "info": "说明"},
    "count_source": {"records": "党员名册", "count": "填报党员数"},
    "item_type": {"demand": "需求", "wish": "微心愿"},
    "reason": {"header": "个人信息列(按列名判断)", "id_card": "身份证号码列", "phone": "电话号码列",
               "names": "人名列", "masked": "文本中的身份证号、手机号已遮盖"},
    "via": {"registered": "已到社区报到", "resident": "居住在本社区", "lives": "居住在本社区"},
    "table": {"dataset": "数据集", "regions": "区域", "units": "单位", "orgs": "党组织",
              "members": "党员", "links": "关系", "projects": "项目", "participation": "参与",
              "resources": "资源清单", "demands": "需求清单"},
    "kind": {"body": "党建共同体", "council": "大党委/大工委"},
}
_CODE_COLUMNS = {"domain": "domain", "group": "domain", "target_domain": "domain",
                 "other": "domain",
                 "partner_domain": "domain", "category": "category",
                 "demand_category": "category", "resource_category": "category",
                 "status": "status", "target_status": "status"}


def _values(name: str, s: pd.Series, lang: str) -> pd.Series:
    """Codes of a known column as labels in ``lang``; booleans 是/否 or yes/no (each distinct
    value looked up once: a long list costs its distinct values, not its rows)."""
    mapped = (name in ("closeness", "rule", "measure") or name in _VALUE_ZH
              or name in _CODE_COLUMNS)
    if mapped and len(s) > 64 and not pd.api.types.is_numeric_dtype(s.dtype):
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        if len(uniques) < len(s) // 2:
            done = _values(name, pd.Series(uniques, dtype=object), lang).to_numpy(
                dtype=object)
            out = np.empty(len(s), dtype=object)
            out[codes >= 0] = done[codes[codes >= 0]]
            if (codes < 0).any():
                blank = _values(name, pd.Series([None], dtype=object), lang).iloc[0]
                out[codes < 0] = blank
            return pd.Series(out, index=s.index, name=s.name)
    zh = lang == "zh"
    if name in _BLANK_PLACE and s.isna().any():
        s = s.astype(object).where(s.notna(), _BLANK_PLACE[name][0 if zh else 1])
    if name == "closeness":
        m = CLOSENESS_ZH if zh else CLOSENESS_EN
        return s.map(lambda v: m.get(v, v) if isinstance(v, str) else v)
    if name == "rule" and not zh:
        return s.map(lambda v: RULE_EN.get(v, v) if isinstance(v, str) else v)
    if name == "measure" and not zh:
        return s.map(lambda v: RATE_TEXT[v][0] if isinstance(v, str) and v in RATE_TEXT
                     else v)
    if name in _VALUE_ZH:
        m = _VALUE_ZH[name] if zh else _VALUE_EN.get(name, {})
        return s.map(lambda v: m.get(v, v) if isinstance(v, str) else v)
    if name in _CODE_COLUMNS:
        kind = _CODE_COLUMNS[name]
        blank = _BLANK_PLACE.get(name, ("", ""))[0 if zh else 1]
        return s.map(lambda v: label(kind, v, lang) if isinstance(v, str) and v and v != blank
                     else v)
    if s.dtype == bool or str(s.dtype) == "boolean":
        return s.map({True: "是", False: "否"} if zh else {True: "yes", False: "no"})
    return s


#: What a blank place or domain in a result is called (rows with no street, no domain).
_BLANK_PLACE: dict[str, tuple[str, str]] = {
    "street": ("未归属街道", "(no street)"), "community": ("未归属社区/村", "(no community)"),
    "domain": ("未填领域", "(no domain)"), "group": ("未填领域", "(no domain)"),
    "region": ("未归属区域", "(no region)"),
}

_VALUE_EN: dict[str, dict[str, str]] = {
    "reason": {"header": "a personal-data column (by its header)", "id_card":
               "a column of ID-card numbers", "phone": "a column of phone numbers",
               "names": "a column of personal names", "masked":
               "ID-card and phone numbers in text masked"},
    "count_source": {"records": "member records", "count": "reported count"},
    "via": {"registered": "registered with the community", "resident": "lives here",
            "lives": "lives here"},
    "table": {},
}
_DOMAIN_CODES = set(VOCABULARIES["domain"].code_list())
#: English headers where the column name alone reads badly.
_COLUMN_EN: dict[str, str] = {
    "measure_zh": "measure", "rule_zh": "gap", "evidence_zh": "evidence",
    "action_zh": "action", "ei": "E-I index", "ei_weighted": "E-I index, weighted",
    "orwg": "ORWG", "z": "z", "p": "p", "km": "km", "id": "id",
}


#: Parameters of an assessment and fields of a rule set: (Chinese, English).
PARAM_TEXT: dict[str, tuple[str, str]] = {
    "rules": ("覆盖规则", "coverage rules"), "window": ("分析时段", "analysis window"),
    "permutations": ("置换检验次数", "label permutations"), "seed": ("随机种子", "seed"),
    "within": ("需求对接范围", "matching within"), "strict": ("严格模式(有错即停)", "strict"),
    "progress": ("显示进度", "show progress"),
    "brokers_betweenness_sample": ("中介中心度抽样源点数", "betweenness sources sampled"),
    "name": ("规则名称", "rule set"), "unit_without_org": ("应建未建党组织的单位", "rule on"),
    "min_formal_for_org": ("应单独建立党组织的正式党员数", "formal members that need an org"),
    "unit_not_covered": ("未纳入联合党组织的单位", "rule on"),
    "no_work_coverage": ("未实现工作覆盖的单位", "rule on"),
    "work_coverage_kinds": ("工作覆盖适用的单位类型", "unit kinds for work coverage"),
    "community_without_org": ("无党组织的社区/村", "rule on"),
    "community_org_kinds": ("计入社区党组织的党组织类别", "org kinds that give a community an org"),
    "member_unattached": ("组织关系未落实的党员", "rule on"),
    "mobile_unmanaged": ("未落实流入地管理的流动党员", "rule on"),
    "estate_without_org": ("无党组织的小区", "rule on"),
    "estate_min_formal": ("小区应建党组织的居住正式党员数", "resident formal members of an estate"),
    "building_without_group": ("无党小组的楼栋", "rule on"),
    "building_min_members": ("楼栋应建党小组的居住党员数", "resident members of a building"),
    "branch_oversize": ("党员人数超标的支部", "rule on"),
    "branch_max_members": ("支部党员人数上限", "most members of a branch"),
    "branch_kinds": ("适用人数上限的党组织类别", "org kinds with a size limit"),
    "member_not_registered": ("未到居住地报到的在职党员", "rule on"),
    "member_not_in_estate": ("未回小区报到的在职党员", "rule on"),
    "unit_org_not_registered": ("未到社区报到的驻区单位党组织", "rule on"),
    "registering_unit_kinds": ("应到社区报到的单位类型", "unit kinds whose orgs register"),
    "district_unit_unpaired": ("未与村(社区)联建共建的区直单位", "rule on"),
    "district_unit_kinds": ("区直单位的单位类型", "unit kinds of district-level units"),
    "estate_groups_without_branch": ("三个以上党小组未建楼群党支部的小区", "rule on"),
    "estate_min_groups": ("应建楼群党支部的党小组数", "party groups that need a cluster branch"),
    "estate_trinity_incomplete": ("“三位一体”不完整的小区", "rule on"),
    "owners_committee_not_red": ("未建成红色业委会的业委会", "rule on"),
    "seconds": ("用时(秒)", "seconds"),
    "meetings_per_year": ("联席会议每年应开次数", "meetings a body should hold per year"),
    "stalled_months": ("停摆判定(无会议月数)", "months without a meeting: stalled"),
    "venue_standard_m2": ("社区活动阵地面积标准(平方米)", "venue standard per community (m²)"),
}
PRESET_TEXT: dict[str, tuple[str, str]] = {
    "national": ("全国通用规则", "national rules"), "longyan": ("龙岩规则", "Longyan's rules"),
    "jiangbei": ("江北规则", "Jiangbei's rules"), "chaonan": ("潮南规则", "Chaonan's rules"),
    "yongan": ("永安规则", "Yong'an's rules"), "shanghai": ("上海规则", "Shanghai's rules"),
}
_PARAM_VOCAB = {"work_coverage_kinds": "unit_kind", "community_org_kinds": "org_kind",
                "registering_unit_kinds": "unit_kind", "district_unit_kinds": "unit_kind",
                "branch_kinds": "org_kind", "within": "region_level"}


def param_text(key: str, value: object, lang: str = "zh") -> tuple[str, str]:
    """A parameter of an assessment (``rules.min_formal_for_org``, ``seconds.coverage``...)
    and its value, as words in ``lang``."""
    zh = lang == "zh"
    head, _, tail = key.partition(".")
    name = tail or head
    label_ = PARAM_TEXT.get(name, (name, name))[0 if zh else 1]
    if head == "rules" and isinstance(value, bool):  # a rule switched on or off
        label_ = (f"规则:{label_}" if zh else f"rule: {RULE_EN.get(name, name)}")
    if head == "seconds":
        label_ = f"{PARAM_TEXT['seconds'][0 if zh else 1]}·{tail}"
    if isinstance(value, bool):
        text = ("是" if value else "否") if zh else ("yes" if value else "no")
    elif value is None:
        text = "—"
    elif isinstance(value, list | tuple):
        kind = _PARAM_VOCAB.get(name)
        voc = VOCABULARIES.get(kind) if kind else None
        text = "、".join(voc.label(str(v), lang) if voc else str(v) for v in value)
    elif name == "name" and str(value) in PRESET_TEXT:
        text = PRESET_TEXT[str(value)][0 if zh else 1]
    elif name == "within" and zh:
        text = label("region_level", value, lang) if value != "all" else "不限"
    else:
        text = str(value)
    return label_, text


def linkage_measure(code: str, lang: str = "zh") -> str:
    """A measure of the permutation tests as words: ``ei_index``, ``ei[domain]``,
    ``matrix[a|b]``, ``orwg``, ``freeman``...

    >>> linkage_measure("matrix[agency|community]")
    '领域间联系:机关—社区'
    """
    import re

    zh = lang == "zh"
    m = re.fullmatch(r"(\w+)\[(.*)\]", str(code))
    whole = {"ei_index": ("E-I 指数(全网)", "E-I index (whole network)"),
             "ei_index_weighted": ("加权 E-I 指数(全网)", "E-I index, weighted"),
             "orwg": ("ORWG 同质性比", "ORWG (odds ratio of within-group ties)"),
             "freeman": ("Freeman 隔离指数", "Freeman segregation index")}
    if m is None:
        return whole.get(str(code), (str(code), str(code)))[0 if zh else 1]
    what, inside = m.groups()
    parts = [label("domain", p, lang) for p in inside.split("|")]
    if what == "matrix":
        return ("领域间联系:" if zh else "ties: ") + "—".join(parts)
    if what == "ei":
        return ("E-I 指数:" if zh else "E-I index: ") + parts[0]
    return f"{what}: {'—'.join(parts)}"


def column_en(name: str) -> str:
    """A readable English header for a result column (``actor_id`` → ``Actor id``)."""
    if name in _COLUMN_EN:
        return _COLUMN_EN[name]
    text = str(name).replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else text


def kept_columns(columns: list) -> list[str]:
    """The columns :func:`localise` keeps (a ``_zh``/``_en`` twin folds into its column)."""
    cols = [str(c) for c in columns]
    return [c for c in cols if not (c.endswith(("_zh", "_en")) and c[:-3] in cols)]


def localise(df: pd.DataFrame, lang: str = "zh",
             headers: dict[str, str] | None = None) -> pd.DataFrame:
    """A result table for people: one language only, headers in that language.

    A column ``x`` with a ``x_zh`` twin shows the Chinese text under ``x``'s Chinese header
    (``zh``), or the English one (``en``: ``x_en`` where there is one); the other twins are
    dropped. In Chinese, codes in known columns (domain, category, status, severity...)
    become their Chinese labels and booleans 是/否. Chinese headers come from ``headers``,
    then :func:`column_zh`; other headers are kept.

    Parameters
    ----------
    df : DataFrame
        A result table (English columns and codes).
    lang : {"zh", "en"}
    headers : dict, optional
        Header overrides.

    Returns
    -------
    DataFrame
        The same rows for people, in one language.

    Examples
    --------
    >>> import pandas as pd
    >>> from partygraph.labels import localise
    >>> df = pd.DataFrame({"rule": ["unit_without_org"], "rule_zh": ["应建未建党组织的单位"]})
    >>> localise(df).columns.tolist(), localise(df).iloc[0, 0]
    (['问题'], '应建未建党组织的单位')
    >>> localise(df, "en").columns.tolist(), localise(df, "en").iloc[0, 0]
    (['Rule'], 'units that should have an organisation of their own')
    """
    check_lang(lang)
    cols = [str(c) for c in df.columns]
    df = df.set_axis(cols, axis=1)
    out = {}
    for c in cols:
        if c.endswith(("_zh", "_en")) and c[:-3] in cols:
            continue
        if lang == "zh" and f"{c}_zh" in cols:
            out[c] = df[f"{c}_zh"]
        elif lang == "en" and f"{c}_en" in cols:
            out[c] = df[f"{c}_en"]
        else:
            out[c] = _values(c, df[c], lang)
    res = pd.DataFrame(out, index=df.index)
    if lang == "zh":
        heads = column_zh()
        heads.update({c: heads.get(f"{c}_zh", heads.get(c, c)) for c in res.columns
                      if f"{c}_zh" in cols})
        heads.update(headers or {})
        res.columns = [heads.get(c, label("domain", c, "zh") if c in _DOMAIN_CODES else c)
                       for c in res.columns]
    else:
        res.columns = [label("domain", c, "en") if c in _DOMAIN_CODES else column_en(c)
                       for c in res.columns]
    return res


# ----------------------------------------------------------------------------- province

#: The province's headers (beside :func:`column_zh`): districts, ties across districts, runs.
PROVINCE_HEADERS_ZH: dict[str, str] = {
    "district": "区县编码", "district_name": "区县",
    "source_district": "源区县", "source": "源编码", "source_actor": "源共建单位编码",
    "source_name": "源名称", "source_domain": "源领域", "source_status": "源在本区县的状态",
    "target_district": "目标区县", "target": "目标编码", "target_actor": "目标共建单位编码",
    "target_name": "目标名称", "target_domain": "目标领域", "target_status": "目标在本区县的状态",
    "kind": "关系类型", "recorded": "记录次数", "ledgers": "记录于(区县)",
    "unknown_id": "未找到的编码", "internal_with_cross": "内部联系(含跨区县)",
    "external_with_cross": "外部联系(含跨区县)", "ei_with_cross": "E-I 指数(含跨区县)",
    "status_province": "计入跨区县联系后的状态", "seconds": "用时(秒)", "peak_mb": "内存峰值(MB)",
    "worker": "工作进程", "result_rows": "结果行数", "ok": "完成", "error": "原因",
    "source_cobuilding": "源为共建单位", "target_cobuilding": "目标为共建单位",
}

#: The province's English headers (its Chinese ones are above).
PROVINCE_HEADERS_EN: dict[str, str] = {
    "district": "District code", "district_name": "District",
    "source_district": "Source district", "source": "Source id", "source_actor": "Source actor",
    "source_name": "Source", "source_domain": "Source domain",
    "source_status": "Source status in its district", "target_district": "Target district",
    "target": "Target id", "target_actor": "Target actor", "target_name": "Target",
    "target_domain": "Target domain", "target_status": "Target status in its district",
    "kind": "Kind", "recorded": "Times recorded", "ledgers": "Recorded by (districts)",
    "unknown_id": "Id not found", "internal_with_cross": "Internal ties with cross-district",
    "external_with_cross": "External ties with cross-district",
    "ei_with_cross": "E-I with ties across districts",
    "status_province": "Status with ties across districts", "seconds": "Seconds",
    "peak_mb": "Peak memory (MB)", "worker": "Worker process", "result_rows": "Result rows",
    "ok": "Done", "error": "Reason", "districts": "Districts", "n_districts":
    "Number of districts", "source_cobuilding": "Source is a co-building unit",
    "target_cobuilding": "Target is a co-building unit",
}
#: Code columns of the province's tables → the vocabulary that puts them in words.
PROVINCE_CODES: dict[str, str] = {
    "source_domain": "domain", "target_domain": "domain", "source_status": "status",
    "target_status": "status", "status": "status", "status_province": "status",
    "kind": "tie_kind", "group": "domain"}

#: Province report and workbook titles: key → (Chinese, English).
PROVINCE_TITLES: dict[str, tuple[str, str]] = {
    "title": ("全省区域化党建评估", "Co-building assessment of a province"),
    "province": ("全省合计", "Province"),
    "side_by_side": ("各区县对比", "Districts side by side"),
    "side_note": ("每行一个区县,末行为全省合计:覆盖率等比率由各区县的分子、分母相加后计算,"
                  "与各区县自身评估结果之和完全一致;E-I 指数由各区县的内部、外部联系数相加后计算。"
                  "区县的数据错误包括一端为其他区县编码的联系(单个区县内找不到该编码),其条数见末列;"
                  "全省汇总时按所有区县的编码核对。",
                  "One row per district, the last the province: every rate is the districts' "
                  "numerators and denominators summed, exactly the sums of their own runs; "
                  "the E-I index comes from their internal and external ties summed. A "
                  "district's data errors include its links with one end an id of another "
                  "district (unknown within the district): the last column counts them; the "
                  "province checks them against every district's ids."),
    "cross_refs": ("其中指向其他区县编码的联系", "of which links to another district's ids"),
    "measures": ("各区县指标(分子分母)", "Every figure by district"),
    "rates": ("全省覆盖率", "Province coverage rates"),
    "cross": ("跨区县联系", "Ties across districts"),
    "cross_note": ("一个区县台账中指向另一区县编码的联系,在单个区县的评估中因找不到编码而被搁置;"
                   "全省汇总时按所有区县的编码核对,两端都是共建单位或党组织的计为跨区县联系,多个台账重复记录的只计一次。这些联系"
                   "不计入任何区县的指标,单列如下。",
                   "A link in one district's ledger to an id of another district is set aside "
                   "by that district alone (unknown id). The province resolves it against "
                   "every district's ids: with an actor at both ends it is a tie across "
                   "districts, counted once however many ledgers record it. No district's "
                   "figures include these ties; they are shown here."),
    "moved": ("计入跨区县联系后状态改变的共建单位", "Units whose status changes with ties across "
              "districts"),
    "unresolved": ("未计为联系的跨区县引用", "References across districts that make no tie"),
    "ei": ("领域开放度(全省)", "E-I by domain (province)"),
    "failed": ("未能评估的区县", "Districts that could not be assessed"),
    "shared": ("多个区县共用的编码", "Ids used by more than one district"),
    "shared_note": ("各区县的单位、党组织、党员编码不应重复:指向这些编码的跨区县关系"
                    "会被当作区县内部关系,请统一编码(如以区县代码开头)。",
                    "Districts' unit, org and member ids should not collide: a link meant to "
                    "cross districts to one of these stays inside a district unseen. Give "
                    "each district's ids its code as a prefix."),
    "runs": ("各区县运行情况", "Runs by district"),
    "districts": ("各区县详细报告", "Each district's own report"),
    "open": ("打开本区县完整报告", "open this district's full report"),
    "cross_count": ("跨区县联系(条,去重)", "ties across districts (once each)"),
    "cross_recorded": ("跨区县联系记录(条)", "ties across districts as recorded"),
    "ei_cross": ("领域 E-I 指数(含跨区县联系)", "E-I index with ties across districts"),
    "moved_count": ("区县内围墙内、跨区县有联系的共建单位", "units walled in within their district "
                    "but tied across"),
    "list_note": ("各区县清单依次排列,每行注明区县;工作簿包含全部行。",
                  "Each list holds every district's rows, each with its district; the "
                  "workbook has every row."),
}
