"""Checks of Chinese identifiers, vectorised over arrays of strings.

- unified social credit codes (统一社会信用代码, GB 32100-2015): shape and check character;
- resident ID-card numbers (公民身份号码, GB 11643-1999) and phone numbers: recognised so that
  personal data is kept out of every output;
- statistical division codes (统计用区划代码): level and parent read off the code.

Examples
--------
>>> uscc_valid(["91350100M000100Y43", "91350100M000100Y44"]).tolist()
[True, False]
>>> division_level(["500105000000", "500105002000", "500105002003"]).tolist()
['district', 'street', 'community']
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = [
    "USCC_CHARSET",
    "division_ancestors",
    "division_level",
    "looks_like_id_card",
    "looks_like_mobile",
    "looks_like_person_name",
    "looks_like_phone",
    "mask_personal",
    "uscc_check_char",
    "uscc_shaped",
    "uscc_valid",
]

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])
_USCC_VALUE = np.full(256, -1, dtype=np.int64)
for _i, _ch in enumerate(USCC_CHARSET):
    _USCC_VALUE[ord(_ch)] = _i

_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
_ID_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)


def _as_str_series(values: Sequence[object] | pd.Series) -> pd.Series:
    s = pd.Series(values, dtype="str") if not isinstance(values, pd.Series) else values
    return s.astype("str")


def _char_matrix(s: pd.Series, width: int) -> tuple[np.ndarray, np.ndarray]:
    """(rows of exactly `width` ASCII chars as a uint8 matrix, boolean mask of those rows)."""
    s = s.fillna("")
    mask = np.array(s.str.len().eq(width).fillna(False), dtype=bool)
    sub = s[mask]
    ascii_ok = np.array(sub.str.isascii(), dtype=bool)
    idx = np.flatnonzero(mask)
    mask[idx[~ascii_ok]] = False
    raw = np.array(s[mask].tolist(), dtype=f"S{width}")
    mat = raw.view(np.uint8).reshape(-1, width) if len(raw) else np.zeros((0, width), np.uint8)
    return mat, mask


def uscc_check_char(first17: str) -> str:
    """The check character for the first 17 characters of a unified social credit code.

    >>> uscc_check_char("91350100M000100Y4")
    '3'
    """
    vals = _USCC_VALUE[np.frombuffer(first17.upper().encode("ascii"), dtype=np.uint8)]
    if (vals < 0).any() or len(vals) != 17:
        raise ValueError(f"not the first 17 characters of a credit code: {first17!r}")
    return USCC_CHARSET[(31 - int((vals * _USCC_WEIGHTS).sum()) % 31) % 31]


def uscc_shaped(values: Sequence[object] | pd.Series) -> np.ndarray:
    """True where a value has the shape of a credit code: 18 characters of its alphabet."""
    s = _as_str_series(values).str.upper()
    mat, mask = _char_matrix(s, 18)
    ok = (_USCC_VALUE[mat] >= 0).all(axis=1) if len(mat) else np.zeros(0, bool)
    out = np.zeros(len(s), dtype=bool)
    out[np.flatnonzero(mask)] = ok
    return out


def uscc_valid(values: Sequence[object] | pd.Series) -> np.ndarray:
    """True where a value is a credit code whose check character is right."""
    s = _as_str_series(values).str.upper()
    mat, mask = _char_matrix(s, 18)
    out = np.zeros(len(s), dtype=bool)
    if not len(mat):
        return out
    v = _USCC_VALUE[mat]
    shaped = (v >= 0).all(axis=1)
    check = (31 - (v[:, :17] * _USCC_WEIGHTS).sum(axis=1) % 31) % 31
    out[np.flatnonzero(mask)] = shaped & (check == v[:, 17])
    return out


def looks_like_id_card(values: Sequence[object] | pd.Series, fifteen: bool = True
                       ) -> np.ndarray:
    """True where a value is an 18-digit resident ID number with a valid check digit and a
    plausible birth date (15-digit first-generation numbers: plausible date only, unless
    ``fifteen=False``)."""
    from .arrays import lengths

    s = _as_str_series(values)
    out = np.zeros(len(s), dtype=bool)
    near = lengths(s) >= 15  # shorter values cannot be one (spaces only make them longer)
    if not near.all():
        if near.any():
            out[near] = looks_like_id_card(s[near], fifteen)
        return out
    s = s.str.strip().str.upper()
    mat, mask = _char_matrix(s, 18)
    if len(mat):
        digits = mat[:, :17] - ord("0")
        is_digit = ((digits >= 0) & (digits <= 9)).all(axis=1)
        last_ok = ((mat[:, 17] >= ord("0")) & (mat[:, 17] <= ord("9"))) | (mat[:, 17] == ord("X"))
        check = _ID_CHECK[(digits.astype(np.int64) * _ID_WEIGHTS).sum(axis=1) % 11]
        year = digits[:, 6:10].astype(np.int64) @ np.array([1000, 100, 10, 1])
        month = digits[:, 10:12].astype(np.int64) @ np.array([10, 1])
        day = digits[:, 12:14].astype(np.int64) @ np.array([10, 1])
        plausible = (year >= 1900) & (year <= 2030) & (month >= 1) & (month <= 12)
        plausible &= (day >= 1) & (day <= 31)
        out[np.flatnonzero(mask)] = is_digit & last_ok & (check == mat[:, 17]) & plausible
    if fifteen:
        first = s.str.fullmatch(r"\d{6}\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}")
        out |= first.fillna(False).to_numpy(dtype=bool)
    return out


def looks_like_phone(values: Sequence[object] | pd.Series) -> np.ndarray:
    """True where a value is a mainland mobile number (optionally +86) or a landline with an
    area code (``0591-12345678``)."""
    s = _as_str_series(values).str.replace(r"[\s-]", "", regex=True)
    pat = r"(\+?86)?1[3-9]\d{9}|0\d{2,3}\d{7,8}"
    return s.str.fullmatch(pat).fillna(False).to_numpy(dtype=bool)


def looks_like_mobile(values: Sequence[object] | pd.Series) -> np.ndarray:
    """True where a value is a mainland mobile number (11 digits from 13–19, optionally +86).

    >>> looks_like_mobile(["13812345678", "12345678901", "+86 139 1234 5678"]).tolist()
    [True, False, True]
    """
    s = _as_str_series(values).str.replace(r"[\s-]", "", regex=True)
    return s.str.fullmatch(r"(\+?86)?1[3-9]\d{9}").fillna(False).to_numpy(dtype=bool)


_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


def _mask_match_id(m: re.Match) -> str:
    return (m.group(1) + "*" * 8 + m.group(3)) if looks_like_id_card([m.group(0)])[0] \
        else m.group(0)


def mask_personal(values: Sequence[object] | pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Mask ID-card and mobile numbers wherever they occur inside text.

    An ID-card number keeps its first 6 and last 4 characters (``110105********1111``), a
    mobile number its first 3 and last 4 (``138****5678``). Returns the masked text and where
    something was masked.

    >>> mask_personal(["联系人 13812345678", "no number"])[0].tolist()
    ['联系人 138****5678', 'no number']
    """
    import pyarrow.compute as pc

    from .arrays import to_arrow

    s = _as_str_series(values)
    # eleven digits in a row (any script's decimal digits, as Python's \d), found by Arrow
    has = pc.match_substring_regex(to_arrow(s), r"\p{Nd}{11}").fill_null(False).to_numpy(
        zero_copy_only=False) if len(s) else np.zeros(0, dtype=bool)
    has = np.asarray(has, dtype=bool)
    if not has.any():
        return s, np.zeros(len(s), dtype=bool)
    sub = s[has]
    # Python's re (look-arounds), on the few values holding 11 or more digits in a row
    masked = pd.Series([_MOBILE_IN_TEXT.sub(lambda m: m.group(1) + "****" + m.group(3),
                                            _ID_IN_TEXT.sub(_mask_match_id, v))
                        for v in sub.tolist()], index=sub.index, dtype="str")
    out = s.copy()
    out[has] = masked
    changed = np.zeros(len(s), dtype=bool)
    changed[has] = (masked != sub).fillna(False).to_numpy(dtype=bool)
    return out, changed


#: Common surnames (about nine in ten people in mainland China carry one of them).
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏"
    "吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱"
    "严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁"
    "尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时"
    "穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾"
    "隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝")


def looks_like_person_name(values: Sequence[object] | pd.Series) -> np.ndarray:
    """True where a value looks like a Chinese personal name: 2–3 Chinese characters
    starting with a common surname.

    >>> looks_like_person_name(["张伟", "制造业", "王小明", "社区"]).tolist()
    [True, False, True, False]
    """
    s = _as_str_series(values).str.strip()
    # the CJK range written as the characters themselves: pyarrow's regex engine (pandas
    # 3.0 string columns) reads no \\u escapes
    shaped = s.str.fullmatch("[\u4e00-\u9fff]{2,3}").fillna(False).to_numpy(dtype=bool)
    first = s.str[:1].fillna("")
    return shaped & first.isin(_SURNAMES).to_numpy(dtype=bool)


_SEGMENTS = ((0, 2, "province"), (2, 4, "city"), (4, 6, "district"), (6, 9, "street"))


def division_level(codes: Sequence[object] | pd.Series) -> np.ndarray:
    """The level a 12-digit statistical division code stands for (``None`` if not one).

    The last three digits distinguish community from village only by the urban-rural code,
    which the code does not carry: both come back as ``community``.
    """
    s = _as_str_series(codes)
    is12 = s.str.fullmatch(r"\d{12}").fillna(False).to_numpy(dtype=bool)
    out = np.full(len(s), None, dtype=object)
    level = np.where(s.str[9:].eq("000").fillna(False), "street", "community")
    level = np.where(s.str[6:].eq("0" * 6).fillna(False), "district", level)
    level = np.where(s.str[4:].eq("0" * 8).fillna(False), "city", level)
    level = np.where(s.str[2:].eq("0" * 10).fillna(False), "province", level)
    out[is12] = level[is12]
    return out


def division_ancestors(codes: Sequence[object] | pd.Series) -> list[pd.Series]:
    """Candidate parent codes, nearest first, for ids that are 12-digit division codes or
    longer all-digit ids starting with one (an estate or building numbered under its
    community). Entries are missing where there is no such candidate.

    >>> [c.iloc[0] for c in division_ancestors(["500105002003"])]
    [nan, '500105002000', '500105000000', '500100000000', '500000000000']
    """
    s = _as_str_series(codes)
    digits = s.str.fullmatch(r"\d{12,}").fillna(False)
    base = s.where(digits).str[:12]
    out = [base.where(digits & s.str.len().gt(12))]
    for k in (9, 6, 4, 2):
        parent = base.str[:k] + "0" * (12 - k)
        out.append(parent.where(parent.ne(s).fillna(False)))
    return out
