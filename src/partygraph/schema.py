"""The one schema of a partygraph data set.

Every table, column, Chinese alias, code and Chinese label lives here; the loader, the
validator, the template, the writer and the docs all read it.  Nothing else in the package
spells a header or a code label.

Examples
--------
>>> from partygraph.schema import TABLES, VOCABULARIES
>>> TABLES["units"].column("kind").zh
'单位类型'
>>> VOCABULARIES["unit_kind"].code_of("非公企业")
'private'
>>> VOCABULARIES["unit_kind"].label("private")
'非公企业'
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

__all__ = [
    "NODE_TABLES",
    "TABLES",
    "TABLE_ORDER",
    "VOCABULARIES",
    "Code",
    "Column",
    "Table",
    "Vocabulary",
    "normalize_label",
]


def normalize_label(text: object) -> str:
    """Fold a header or label for matching.

    NFKC (full-width to half-width), lower case, all white space (spaces, tabs, line breaks,
    the ideographic space) removed, and a leading or trailing ``*`` (a "required" marker)
    dropped.

    >>> normalize_label(" Ｕｎｉｔ\\n ID＊")
    'unitid'
    """
    s = unicodedata.normalize("NFKC", str(text)).lower()
    s = "".join(s.split())
    return s.strip("*")


@dataclass(frozen=True)
class Code:
    """One allowed value: the English code, its Chinese label and other accepted spellings."""

    code: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    """A closed set of codes with Chinese labels; every label maps back to its code."""

    name: str
    codes: tuple[Code, ...]
    _lookup: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lookup: dict[str, str] = {}
        for c in self.codes:
            for spelling in (c.code, c.zh, c.en, *c.aliases):
                key = normalize_label(spelling)
                if key in lookup and lookup[key] != c.code:
                    raise ValueError(f"{self.name}: {spelling!r} maps to two codes")
                lookup[key] = c.code
        object.__setattr__(self, "_lookup", lookup)

    @property
    def lookup(self) -> dict[str, str]:
        """Normalised spelling → code."""
        return self._lookup

    def code_list(self) -> list[str]:
        return [c.code for c in self.codes]

    def code_of(self, value: object) -> str | None:
        """The code for a code, label or alias; None if unknown."""
        return self._lookup.get(normalize_label(value))

    def label(self, code: str, lang: str = "zh") -> str:
        for c in self.codes:
            if c.code == code:
                return c.zh if lang == "zh" else c.en
        raise KeyError(code)

    def labels(self, lang: str = "zh") -> dict[str, str]:
        return {c.code: (c.zh if lang == "zh" else c.en) for c in self.codes}

    def describe(self, lang: str = "en") -> str:
        """The allowed values as text for messages and the template."""
        if lang == "zh":
            return "、".join(f"{c.zh}({c.code})" for c in self.codes)
        return ", ".join(f"{c.code} ({c.zh})" for c in self.codes)


def _v(name: str, *rows: tuple) -> Vocabulary:
    return Vocabulary(name, tuple(Code(*r[:3], tuple(r[3:])) for r in rows))


VOCABULARIES: dict[str, Vocabulary] = {
    v.name: v
    for v in [
        _v(
            "region_level",
            ("province", "省", "province", "省级", "自治区", "直辖市"),
            ("city", "市", "city", "地级市", "市级", "地区", "州", "盟"),
            ("district", "区县", "district", "区", "县", "县级市", "区/县", "县级", "旗"),
            ("street", "街道", "street", "乡镇", "镇", "乡", "街道/乡镇", "town", "township"),
            ("community", "社区", "community", "居委会"),
            ("village", "村", "village", "行政村", "村委会"),
            ("estate", "小区", "estate", "住宅小区"),
            ("building", "楼栋", "building", "楼宇", "楼"),
            ("grid", "网格", "grid"),
        ),
        _v(
            "unit_kind",
            ("agency", "机关", "government agency", "党政机关", "机关单位"),
            ("institution", "事业单位", "public institution"),
            ("soe", "国有企业", "state-owned enterprise", "国企", "国有及国有控股企业"),
            ("private", "非公企业", "private firm", "民营企业", "私营企业", "非公有制企业"),
            ("social", "社会组织", "social organisation", "social organization"),
            ("community", "社区居委会", "community committee", "居委会", "社区"),
            ("village", "村委会", "village committee", "村民委员会", "村"),
            ("owners_committee", "业委会", "owners' committee", "业主委员会", "owners committee"),
            ("property_company", "物业公司", "property company", "物业", "物业服务企业"),
        ),
        _v(
            "domain",
            ("agency", "机关", "agencies", "机关单位"),
            ("institution", "事业单位", "institutions"),
            ("soe", "国有企业", "state-owned enterprises", "国企"),
            ("private", "非公企业", "private firms", "非公"),
            ("social", "社会组织", "social organisations"),
            ("community", "社区", "communities", "城市社区"),
            ("rural", "农村", "rural", "村"),
            ("hub", "区域统筹(区委、街道党工委)", "hub", "区域统筹", "统筹"),
        ),
        _v(
            "tier",
            ("province", "省级", "province"),
            ("city", "市级", "city", "市"),
            ("district", "区级", "district", "区县级", "县级", "区"),
            ("street", "街道级", "street", "乡镇级", "街道"),
            ("community", "社区级", "community", "村级", "社区"),
        ),
        _v(
            "org_kind",
            ("committee", "党委", "committee", "大党委"),
            ("general_branch", "党总支", "general branch", "总支部", "党总支部"),
            ("branch", "党支部", "branch", "支部"),
            ("group", "党小组", "group", "楼栋党小组"),
            ("working_committee", "党工委", "working committee", "大工委", "街道党工委"),
            ("joint_branch", "联合党支部", "joint branch", "联合支部"),
            ("compound", "兼合式党组织", "compound organisation", "兼合式", "兼合式党支部"),
            ("temporary", "临时党支部", "temporary branch", "临时支部"),
            ("body", "党建共同体", "co-building body", "联盟", "党建联盟", "联席会议",
             "共同体", "联席会", "促进会"),
            ("leading_group", "党组", "leading Party group", "leading group", "党组(机关)"),
            ("functional", "功能型党组织", "functional organisation", "功能型党支部",
             "功能型党小组"),
        ),
        _v(
            "member_status",
            ("formal", "正式党员", "formal", "正式"),
            ("probationary", "预备党员", "probationary", "预备"),
        ),
        _v(
            "member_category",
            ("in_service", "在职", "in service", "在职党员"),
            ("retired", "离退休", "retired", "退休", "离休", "离退休党员"),
            ("mobile", "流动", "mobile", "流动党员"),
            ("no_post", "无职", "no post", "无职党员"),
            ("student", "学生", "student", "学生党员"),
            ("other", "其他", "other"),
        ),
        _v(
            "link_kind",
            ("pair", "结对共建", "paired co-building", "结对"),
            ("agreement", "共建协议", "co-building agreement", "协议"),
            ("council", "兼职委员", "council seat", "大党委成员", "兼职委员/大党委成员"),
            ("body", "共同体成员", "body member", "联盟成员"),
            ("registration", "报到", "registration", "双报到", "到社区报到"),
            ("instructor", "党建指导员", "instructor", "联络员", "党建指导员/联络员"),
            ("covers", "联合组建", "covers", "联合覆盖", "覆盖"),
            ("cross_post", "交叉任职", "cross-appointment", "cross post"),
            ("inflow", "流入地管理", "inflow management", "流入地"),
            ("service", "服务", "service", "服务提供"),
        ),
        _v(
            "project_kind",
            ("project", "共建项目", "co-building project", "项目"),
            ("activity", "活动", "activity"),
            ("meeting", "会议", "meeting"),
            ("service", "服务", "service"),
            ("wish", "微心愿", "micro-wish", "心愿"),
        ),
        _v(
            "project_status",
            ("planned", "计划", "planned", "计划中", "未启动"),
            ("running", "实施中", "running", "进行中"),
            ("completed", "已完成", "completed", "完成"),
            ("cancelled", "已取消", "cancelled", "取消", "canceled"),
            ("open", "待认领", "open", "提单", "已提单", "待办"),
            ("assigned", "已派单", "assigned", "下单", "已下单", "派单"),
            ("claimed", "已认领", "claimed", "接单", "已接单", "认领", "办理中"),
            ("closed", "已办结", "closed", "办结", "已评价", "评价"),
        ),
        _v(
            "need_status",
            ("open", "待认领", "open", "提单", "已提单", "待办", "未认领"),
            ("assigned", "已派单", "assigned", "下单", "已下单", "派单"),
            ("claimed", "已认领", "claimed", "接单", "已接单", "认领", "办理中"),
            ("closed", "已办结", "closed", "办结", "已评价", "评价", "已完成", "完成",
             "已解决", "solved"),
            ("cancelled", "已取消", "cancelled", "取消", "canceled"),
        ),
        _v(
            "post",
            ("secretary", "书记", "secretary", "党组织书记", "支部书记"),
            ("deputy", "副书记", "deputy secretary", "deputy"),
            ("first_secretary", "第一书记", "first secretary"),
            ("full_time", "专职委员", "full-time member", "专职"),
            ("part_time", "兼职委员", "part-time member", "兼职"),
            ("director", "主任", "director", "居委会主任", "村委会主任", "村主任"),
            ("owners_chair", "业委会主任", "owners' committee chair", "业主委员会主任"),
            ("property_manager", "物业负责人", "property manager", "物业经理", "物业项目经理"),
        ),
        _v(
            "measure",
            ("m2", "平方米", "m²", "㎡", "m^2", "sqm", "平米"),
            ("yuan", "元", "yuan", "rmb", "cny", "人民币"),
            ("person_times", "人次", "person-times", "person times"),
            ("sessions", "场次", "sessions", "场", "次"),
            ("items", "项", "items", "个", "件"),
        ),
        _v(
            "role",
            ("lead", "牵头", "lead", "牵头单位"),
            ("partner", "参与", "partner", "参与单位"),
            ("claimant", "认领", "claimant", "认领人", "认领方"),
        ),
        _v(
            "category",
            ("venue", "活动阵地", "venue", "场地阵地", "场地", "阵地"),
            ("funds", "资金", "funds", "经费"),
            ("expertise", "专业服务", "expertise", "专业"),
            ("training", "教育培训", "training", "培训"),
            ("volunteer", "志愿服务", "volunteers", "志愿者", "volunteer"),
            ("equipment", "设施设备", "equipment", "设备"),
            ("information", "信息技术", "information technology", "信息"),
            ("teaching_site", "教学基地", "teaching site", "教育基地"),
            ("other", "其他", "other"),
        ),
        _v(
            "yes_no",
            ("yes", "是", "yes", "有", "y", "true", "1", "√", "已建", "已建立"),
            ("no", "否", "no", "无", "n", "false", "0", "未建", "没有"),
        ),
    ]
}


@dataclass(frozen=True)
class Column:
    """One canonical column.

    ``type`` is one of ``id`` (unique key), ``ref`` (an id in ``refs`` tables), ``text``,
    ``code`` (from ``vocab``), ``date``, ``count`` (whole number ≥ 0), ``number`` (≥ 0),
    ``priority`` (1–5), ``score`` (1–5: satisfaction), ``bool`` (yes/no) or ``tags`` (a
    ``;``-separated list).
    """

    name: str
    zh: str
    en: str
    type: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    vocab: str | None = None
    refs: tuple[str, ...] = ()
    default: object = None
    help_zh: str = ""

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name, self.zh, self.en, *self.aliases)


@dataclass(frozen=True)
class Table:
    name: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()
    required: bool = False

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name, self.zh, *self.aliases)

    def header_lookup(self) -> dict[str, str]:
        """Normalised header → canonical column (the first column to claim a spelling wins)."""
        out: dict[str, str] = {}
        for c in self.columns:
            for s in c.spellings:
                out.setdefault(normalize_label(s), c.name)
        return out


# Tables whose ids share one namespace: they are the nodes of the multigraph.
NODE_TABLES = ("regions", "units", "orgs", "members", "projects")
_ACTORLIKE = ("units", "orgs", "members")
_ANY_NODE = ("units", "orgs", "members", "regions")

_C = Column
TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table(
            "regions", "区域", "regions",
            (
                _C("id", "区域编码", "region code", "id", True, ("编码", "代码", "区划代码")),
                _C("name", "名称", "name", "text", True, ("区域名称",)),
                _C("level", "层级", "level", "code", True, ("级别", "区域层级"),
                   vocab="region_level"),
                _C("parent_id", "上级编码", "parent code", "ref", False, ("上级区域",),
                   refs=("regions",),
                   help_zh="可省略:区域编码为12位统计用区划代码时自动推算"),
                _C("lon", "经度", "longitude", "number", False, ("longitude", "lng"),
                   help_zh="可选:WGS-84经度,用于按公里匹配"),
                _C("lat", "纬度", "latitude", "number", False, ("latitude",),
                   help_zh="可选:WGS-84纬度"),
            ),
            aliases=("区域表", "区划", "行政区划"),
        ),
        Table(
            "units", "单位", "units",
            (
                _C("id", "单位编码", "unit code", "id", True, ("统一社会信用代码",)),
                _C("name", "单位名称", "unit name", "text", True, ("名称",)),
                _C("kind", "单位类型", "unit kind", "code", True, ("单位性质",),
                   vocab="unit_kind"),
                _C("domain", "领域", "domain", "code", False, (), vocab="domain",
                   help_zh="可省略:按单位类型推定"),
                _C("region_id", "所在区域", "region", "ref", True, ("区域编码",),
                   refs=("regions",)),
                _C("industry", "行业", "industry", "text"),
                _C("tier", "行政层级", "tier", "code", False, ("层级",), vocab="tier"),
                _C("party_members", "党员数", "party members", "count", False,
                   ("党员人数",), help_zh="仅当党员表未列出本单位党员时使用"),
                _C("employees", "从业人员数", "employees", "count", False, ("职工人数",)),
                _C("union", "工会", "trade union", "bool", False, ("是否建立工会",),
                   vocab="yes_no"),
                _C("youth_league", "团组织", "youth league", "bool", False,
                   ("是否建立团组织",), vocab="yes_no"),
            ),
            aliases=("单位表", "驻区单位", "单位名册"),
            required=True,
        ),
        Table(
            "orgs", "党组织", "Party organisations",
            (
                _C("id", "党组织编码", "org code", "id", True, ("组织编码",)),
                _C("name", "党组织名称", "org name", "text", True, ("组织名称",)),
                _C("kind", "党组织类别", "org kind", "code", True, ("党组织类型", "组织类别"),
                   vocab="org_kind"),
                _C("parent_id", "上级党组织", "parent org", "ref", False, ("上级党组织编码",),
                   refs=("orgs",)),
                _C("unit_id", "所在单位", "unit", "ref", False, ("所在单位编码",),
                   refs=("units",)),
                _C("region_id", "所在区域", "region", "ref", False, ("区域编码",),
                   refs=("regions",), help_zh="未填所在单位时必填"),
                _C("domain", "领域", "domain", "code", False, (), vocab="domain"),
                _C("established", "成立日期", "established", "date", False, ("建立日期",)),
                _C("dissolved", "撤销日期", "dissolved", "date", False, ("撤消日期",)),
            ),
            aliases=("党组织表", "组织", "党组织名册"),
            required=True,
        ),
        Table(
            "members", "党员", "members",
            (
                _C("id", "党员编号", "member id", "id", True, ("编号",),
                   help_zh="化名编号,不得填写身份证号"),
                _C("org_id", "所在党组织", "org", "ref", False, ("所在党支部", "党组织编码"),
                   refs=("orgs",)),
                _C("status", "党员类别", "status", "code", False, (), vocab="member_status",
                   default="formal"),
                _C("category", "人员类别", "category", "code", False, (),
                   vocab="member_category"),
                _C("unit_id", "工作单位", "work unit", "ref", False, ("工作单位编码",),
                   refs=("units",)),
                _C("residence_id", "居住区域", "residence", "ref", False, ("现居住地",),
                   refs=("regions",)),
                _C("skills", "特长", "skills", "tags", False, ("专长",)),
            ),
            aliases=("党员表", "党员花名册", "花名册"),
        ),
        Table(
            "links", "关系", "links",
            (
                _C("source", "源", "source", "ref", True, ("源编码", "发起方"), refs=_ANY_NODE),
                _C("target", "目标", "target", "ref", True, ("目标编码", "对象"),
                   refs=_ANY_NODE),
                _C("kind", "关系类型", "link kind", "code", True, ("类型",), vocab="link_kind"),
                _C("start", "开始日期", "start", "date"),
                _C("end", "结束日期", "end", "date"),
                _C("weight", "权重", "weight", "number", default=1.0),
                _C("post", "职务", "post", "code", False, ("担任职务",), vocab="post",
                   help_zh="可选:交叉任职、兼职委员的职务(书记、主任、专职委员、兼职委员等)"),
            ),
            aliases=("关系表", "共建关系"),
        ),
        Table(
            "projects", "项目", "projects",
            (
                _C("id", "项目编号", "project id", "id", True, ("编号",)),
                _C("name", "项目名称", "project name", "text", True, ("名称",)),
                _C("kind", "类型", "kind", "code", False, ("项目类型",), vocab="project_kind",
                   default="project"),
                _C("status", "状态", "status", "code", False, ("项目状态",),
                   vocab="project_status"),
                _C("start", "开始日期", "start", "date"),
                _C("end", "结束日期", "end", "date"),
                _C("lead_id", "牵头单位", "lead", "ref", False, ("牵头方",), refs=_ACTORLIKE),
                _C("claimed_by", "认领方", "claimed by", "ref", False, ("认领人", "接单方"),
                   refs=_ACTORLIKE, help_zh="可选:认领(接单)的单位、党组织或党员"),
                _C("closed", "办结日期", "closed", "date", False, ("完成日期",)),
                _C("satisfaction", "满意度", "satisfaction", "score", False, ("评价",),
                   help_zh="可选:1(很不满意)至5(很满意)"),
            ),
            aliases=("项目表", "共建项目", "项目清单"),
        ),
        Table(
            "participation", "参与", "participation",
            (
                _C("project_id", "项目编号", "project id", "ref", True, (), refs=("projects",)),
                _C("participant_id", "参与方", "participant", "ref", True,
                   ("参与单位", "参与者", "参与方编码"), refs=_ACTORLIKE),
                _C("role", "角色", "role", "code", False, ("参与角色",), vocab="role",
                   default="partner"),
            ),
            aliases=("参与表", "项目参与"),
        ),
        Table(
            "resources", "资源清单", "resources",
            (
                _C("id", "编号", "resource id", "id", True, ("资源编号",)),
                _C("owner_id", "提供方", "owner", "ref", True, ("提供单位",), refs=_ACTORLIKE),
                _C("category", "类别", "category", "code", True, ("资源类别",),
                   vocab="category"),
                _C("name", "资源名称", "name", "text", False, ("名称",)),
                _C("quantity", "数量", "quantity", "number", default=1.0),
                _C("measure", "计量单位", "measure", "code", False, ("计量",), vocab="measure",
                   help_zh="可选:平方米、元、人次、场次、项;不同计量单位的数量不相加"),
                _C("region_id", "所在区域", "region", "ref", False, (), refs=("regions",)),
            ),
            aliases=("资源", "资源表"),
        ),
        Table(
            "demands", "需求清单", "demands",
            (
                _C("id", "编号", "demand id", "id", True, ("需求编号",)),
                _C("requester_id", "需求方", "requester", "ref", True, ("需求单位",),
                   refs=_ACTORLIKE),
                _C("category", "类别", "category", "code", True, ("需求类别",),
                   vocab="category"),
                _C("name", "需求名称", "name", "text", False, ("名称",)),
                _C("quantity", "数量", "quantity", "number", default=1.0),
                _C("region_id", "所在区域", "region", "ref", False, (), refs=("regions",)),
                _C("priority", "优先级", "priority", "priority", default=3),
                _C("skills", "所需特长", "skills needed", "tags", False, ()),
                _C("measure", "计量单位", "measure", "code", False, (), vocab="measure"),
                _C("status", "状态", "status", "code", False, ("办理状态",),
                   vocab="need_status", default="open"),
                _C("claimed_by", "认领方", "claimed by", "ref", False, ("认领人", "接单方"),
                   refs=_ACTORLIKE, help_zh="可选:认领(接单)的单位、党组织或党员"),
                _C("closed", "办结日期", "closed", "date", False, ("完成日期",)),
                _C("satisfaction", "满意度", "satisfaction", "score", False, ("评价",),
                   help_zh="可选:1(很不满意)至5(很满意)"),
            ),
            aliases=("需求", "需求表"),
        ),
    ]
}

#: The order tables are validated, written and listed in.
TABLE_ORDER = tuple(TABLES)


def table_of(name: object) -> str | None:
    """The canonical table for a file stem or sheet name (English or Chinese)."""
    key = normalize_label(name)
    for t in TABLES.values():
        if key in {normalize_label(s) for s in t.spellings}:
            return t.name
    return None


#: Sheet names that a template or an export carries and that are not tables.
#: The template's own sheets (explanation, drop-down codes): skipped also as CSV files.
TEMPLATE_SHEETS = frozenset(normalize_label(s) for s in ("填表说明", "代码"))

#: A row whose first cell starts with this is the template's example, not data.
EXAMPLE_MARK = "示例"

NON_TABLE_SHEETS = frozenset(normalize_label(s) for s in (
    "说明", "readme", "填表说明", "notes", "代码", "代码表", "codes"))

#: Which tables each link kind may go from and to (the contract's definitions).
LINK_ENDPOINTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "pair": (("units", "orgs"), ("units", "orgs")),
    "agreement": (("units", "orgs"), ("units", "orgs")),
    "council": (("orgs", "units"), ("orgs",)),
    "body": (("orgs", "units"), ("orgs",)),
    "registration": (("orgs", "members", "units"), ("orgs",)),
    "instructor": (("members", "orgs"), ("units",)),
    "covers": (("orgs",), ("units", "regions")),
    "cross_post": (("members",), ("orgs", "units")),
    "inflow": (("members",), ("orgs",)),
    "service": (("units", "orgs", "members"), ("units", "orgs", "members", "regions")),
}

#: Domain of a unit by its kind, when the units table gives none (the contract's mapping).
DOMAIN_OF_UNIT_KIND: dict[str, str] = {
    "agency": "agency",
    "institution": "institution",
    "soe": "soe",
    "private": "private",
    "social": "social",
    "community": "community",
    "owners_committee": "community",
    "property_company": "community",
    "village": "rural",
}

#: Domain of an org built over a region, by the region's level, when the org gives none.
DOMAIN_OF_REGION_LEVEL: dict[str, str] = {
    "province": "hub",
    "city": "hub",
    "district": "hub",
    "street": "hub",
    "community": "community",
    "estate": "community",
    "building": "community",
    "grid": "community",
    "village": "rural",
}

#: Region levels from coarse to fine.
LEVEL_ORDER = ("province", "city", "district", "street", "community", "village", "estate",
               "building", "grid")
