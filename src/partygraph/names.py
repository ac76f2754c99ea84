"""References by name: ledgers (台账) name things instead of giving ids.

In every reference column, a value that is not an id of the tables it may point to is looked
up by name, after this normalisation (:func:`normalize_name`): Unicode NFKC (full-width
letters, digits, brackets and spaces become their half-width forms: ``（ＸＸ）`` is ``(XX)``),
every space removed (surrounding and inner), Latin letters lower-cased. Nothing else is
changed: ``有限公司`` and ``有限责任公司`` stay different names, and so do names whose words are
in another order.

- An exact id always wins over a name.
- A name that one entity has (among the tables the column may point to) is replaced by its
  id; the report says how many references were resolved so (severity ``info``).
- A name shared by two or more entities is an error for the rows using it, listing the
  candidate ids: never a guess.
- A name found nowhere is an error naming the three closest known names (Levenshtein distance
  on the normalised form; rapidfuzz computes it).
- A region may be named by its path, ``观音桥街道/建北社区``, where its name alone is ambiguous.
- An alias table (``aliases=`` when reading; what ``partygraph reconcile`` writes and a person
  completes) maps values as typed to the chosen ids, before anything else.

Two units (or orgs) with the same unified social credit code, or the same normalised name in
the same region (orgs: in the same unit or region), are flagged as probable duplicates
(warning). A ``units`` or ``orgs`` table without ids gets stable ids made from the credit code
where there is one, or else from the normalised name and region (:func:`made_ids`).

Examples
--------
>>> normalize_name(pd.Series(["重庆ＸＸ科技有限公司 ", "重庆 xx 科技有限公司"])).tolist()
['重庆xx科技有限公司', '重庆xx科技有限公司']
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from . import arrays
from .schema import TABLES

__all__ = ["made_ids", "normalize_name", "read_aliases", "resolve_names"]

#: Tables whose rows can be named in a reference (members are pseudonymous: ids only).
NAMED_TABLES = ("regions", "units", "orgs", "projects")


#: What Python's ``\s`` matches in text, written for Arrow's regex engine (RE2), whose own
#: ``\s`` misses the vertical tab, the separators U+001C–U+001F and U+0085, and Unicode
#: spaces such as U+3000.
SPACE_RE2 = r"[\t\n\x0b\x0c\r\x1c-\x1f\x{85}\p{Z}]+"


def normalize_name(s: pd.Series) -> pd.Series:
    """The form names are compared in: NFKC, no spaces, Latin letters lower-cased.

    Computed by Arrow (utf8proc's Unicode tables), which equals Python's ``unicodedata`` and
    ``str.lower`` on every character both know; characters added to Unicode after the
    running Python's version are normalised as Arrow's newer tables say."""
    import pyarrow.compute as pc

    s = s.astype("str")
    if not len(s):
        return s
    a = pc.utf8_normalize(arrays.to_arrow(s), "NFKC")
    a = pc.utf8_lower(pc.replace_substring_regex(a, SPACE_RE2, ""))
    return pd.Series(arrays.text_array(a), index=s.index)


def made_ids(prefix: str, names: pd.Series, places: pd.Series,
             codes: pd.Series | None = None) -> pd.Series:
    """Stable ids for a table without ids: the credit code where given, else ``prefix`` and a
    short hash of the normalised name and place (the same rows give the same ids each load).

    >>> made_ids("U", pd.Series(["某公司"]), pd.Series(["500105002001"])).iloc[0]
    'U-31ffdc227e'
    """
    key = (normalize_name(names).fillna("") + "|" + places.astype("str").fillna("")).tolist()
    out = pd.Series([f"{prefix}-{hashlib.blake2b(k.encode(), digest_size=5).hexdigest()}"
                     for k in key], index=names.index, dtype="str")
    if codes is not None:
        out = codes.astype("str").where(codes.notna(), out)
    return out


def read_aliases(aliases: object) -> pd.DataFrame:
    """An alias table as ``value`` → ``id`` (a DataFrame or the workbook/CSV that
    :func:`partygraph.reconcile` writes, with its 选定编码 column filled in)."""
    from .errors import UsageError, reader_failed

    if aliases is None:
        return pd.DataFrame(columns=["value", "id"])
    if isinstance(aliases, str | Path):
        p = Path(aliases)
        if not p.exists():
            raise UsageError(f"alias table {p}: not found / 找不到对照表")
        try:
            frames = (pd.read_excel(p, sheet_name=None, dtype=str, engine="calamine")
                      if p.suffix.lower() in
                      (".xlsx", ".xls", ".xlsm") else {"": pd.read_csv(p, dtype=str,
                                                                       encoding="utf-8-sig")})
        except BaseException as exc:  # a damaged file: one clear message
            if not reader_failed(exc):
                raise
            raise UsageError(f"alias table {p.name}: cannot be read ({type(exc).__name__}: "
                             f"{exc}); save it again as .xlsx or CSV UTF-8 / 对照表无法读取,"
                             "请另存为 .xlsx 或 CSV UTF-8") from None
        df = pd.concat(frames.values(), ignore_index=True) if frames else pd.DataFrame()
    else:
        df = pd.DataFrame(aliases)
    heads = {"value": ("value", "名称或编码", "原值"), "id": ("id", "chosen_id", "选定编码")}
    out = {}
    for k, names in heads.items():
        col = next((c for c in df.columns if str(c).strip() in names), None)
        if col is None:
            raise UsageError(f"alias table: no column {names[0]!r} ({names[-1]}) / "
                             f"对照表缺少“{names[-1]}”列")
        out[k] = df[col].astype("str").str.strip()
    res = pd.DataFrame(out).dropna()
    return res[(res["value"] != "") & (res["id"] != "")].drop_duplicates("value", keep="last")


def _index(tables: dict[str, pd.DataFrame], bad: dict[str, np.ndarray],
           targets: tuple[str, ...], cache: dict | None = None) -> pd.DataFrame:
    """Normalised name → id over the rows (not set aside) of the named target tables (each
    table's names normalised once, in ``cache``)."""
    parts = []
    cache = {} if cache is None else cache
    for t in targets:
        if t in NAMED_TABLES and t in tables and "name" in tables[t].columns:
            if t not in cache:
                df = tables[t][~bad[t]]
                cache[t] = pd.DataFrame({"key": normalize_name(df["name"]).to_numpy(),
                                         "id": df["id"].to_numpy(), "table": t,
                                         "name": df["name"].to_numpy()})
            parts.append(cache[t])
    if not parts:
        return pd.DataFrame(columns=["key", "id", "table", "name"])
    return pd.concat(parts, ignore_index=True).dropna(subset=["key", "id"])


def _region_paths(tables, bad) -> dict[str, list[str]]:
    """``name/name/...`` (normalised, every suffix of each region's ancestry) → region ids."""
    if "regions" not in tables:
        return {}
    r = tables["regions"][~bad["regions"]]
    ids = r["id"].tolist()
    key = dict(zip(ids, normalize_name(r["name"]).tolist(), strict=True))
    parent = dict(zip(ids, r["parent_id"].tolist(), strict=True))
    out: dict[str, list[str]] = {}
    for rid in ids:  # once per region (not per row): the tree is small beside the rows
        chain, cur, seen = [], rid, set()
        while isinstance(cur, str) and cur in key and cur not in seen and len(chain) < 12:
            seen.add(cur)
            chain.append(key[cur])
            cur = parent.get(cur)
        for k in range(2, len(chain) + 1):
            out.setdefault("/".join(reversed(chain[:k])), []).append(rid)
    return out


def _closest(unknown: list[str], index: pd.DataFrame, k: int = 3) -> dict[str, str]:
    """For each unknown normalised name, the ``k`` nearest known names (Levenshtein)."""
    if not unknown or not len(index):
        return {}
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    keys = index["key"].tolist()
    shown = [f"{n}({i})" for n, i in zip(index["name"], index["id"], strict=True)]
    out = {}
    for u in unknown:
        hits = process.extract(u, keys, scorer=Levenshtein.distance, limit=k)
        out[u] = "、".join(shown[j] for _, _, j in hits)
    return out


def resolve_names(tables: dict[str, pd.DataFrame], rows: dict[str, np.ndarray],
                  bad: dict[str, np.ndarray], add: Callable, present: set[str],
                  aliases: pd.DataFrame | None = None,
                  known_ids: Callable | None = None) -> pd.DataFrame:
    """Replace names by ids in every reference column, in place; report as the module says.

    ``add(table, rows, column, values, problem, problem_zh, severity)`` records a problem;
    rows of ambiguous or unknown names are set aside in ``bad``. ``known_ids(table, column,
    targets)``, when given, says which cells already hold an id of the targets (validation
    passes its dictionary encoding of every id, made once).
    """
    alias = ({} if aliases is None or not len(aliases) else
             dict(zip(normalize_name(aliases["value"]), aliases["id"], strict=True)))
    ids_of: dict[str, pd.Series] = {t: tables[t]["id"] for t in tables
                                    if "id" in TABLES[t].names}
    indexes: dict[tuple, tuple] = {}
    normalised: dict[str, pd.DataFrame] = {}
    paths = None
    log: list[pd.DataFrame] = []
    for t in list(tables):
        for col in TABLES[t].columns:
            if col.type != "ref" or col.name not in tables[t].columns:
                continue
            targets = col.refs
            if targets == ("regions",) and "regions" not in present:
                continue
            s = tables[t][col.name]
            if known_ids is not None:
                known = known_ids(t, col.name, targets)
            else:
                pool = [ids_of[tt] for tt in targets if tt in ids_of]
                known = (arrays.isin(s, pd.concat(pool, ignore_index=True).dropna()) if pool
                         else np.zeros(len(s), dtype=bool))
            todo = s.notna().to_numpy(dtype=bool) & ~known & ~bad[t]
            if not todo.any():
                continue
            codes, uniq = pd.factorize(s[todo])
            values = pd.Series(uniq, dtype="str")
            keys = normalize_name(values)
            if targets not in indexes:
                index = _index(tables, bad, targets, normalised)
                stats = index.groupby("key")["id"].agg(["size", "first"])
                indexes[targets] = (index, stats)
            index, stats = indexes[targets]
            # vectorised over the distinct values: alias, then a unique name, then a path
            hit = stats.reindex(keys.to_numpy())
            size = hit["size"].fillna(0).to_numpy(dtype=np.int64)
            chosen = np.array(hit["first"].tolist(), dtype=object)
            why = np.where(size == 1, 1, np.where(size > 1, 2, 3)).astype(np.int8)
            if alias:
                al = keys.map(alias)
                use = al.notna().to_numpy(dtype=bool)
                chosen[use], why[use] = al[use].to_numpy(dtype=object), 4
            cands: list[str] = [""] * len(values)
            for i in np.flatnonzero(why == 2):  # the few ambiguous names: their candidates
                cands[i] = "、".join(index.loc[index["key"] == keys.iloc[i], "id"].astype(
                    "str").tolist()[:10])
            if "regions" in targets:
                for i in np.flatnonzero((why == 3) & keys.str.contains("/", regex=False)
                                        .to_numpy(dtype=bool)):
                    if paths is None:
                        paths = _region_paths(tables, bad)
                    found = paths.get(keys.iloc[i])
                    if found is not None and len(found) == 1:
                        chosen[i], why[i] = found[0], 1
                    elif found:
                        why[i], cands[i] = 2, "、".join(found[:10])
            chosen[(why == 2) | (why == 3)] = None
            if t == "members" and col.name == "org_id":
                why[why == 3] = 0  # an unknown org: an unattached member, a coverage gap
            unknown = keys[why == 3].tolist()
            near = _closest(sorted(set(unknown)), index) if unknown else {}
            rowpos = np.flatnonzero(todo)
            w = why[codes]
            n_rows = np.bincount(codes, minlength=len(values))
            kinds = {1: "by_name", 2: "ambiguous", 3: "unknown", 4: "alias"}
            sel = np.flatnonzero(why > 0)
            if len(sel):
                log.append(pd.DataFrame({
                    "table": t, "column": col.name, "value": values.to_numpy()[sel],
                    "outcome": [kinds[int(k)] for k in why[sel]], "id": chosen[sel],
                    "candidates": [cands[i] or near.get(keys.iloc[i], "") for i in sel],
                    "rows": n_rows[sel]}))
            resolved = (w == 1) | (w == 4)
            if resolved.any():
                new = s.copy()
                new.iloc[rowpos[resolved]] = chosen[codes[resolved]]
                tables[t][col.name] = new
                n_alias = int((w == 4).sum())
                add(t, [None], col.name, None,
                    f"{int(resolved.sum())} reference(s) given by name resolved to ids"
                    + (f" ({n_alias} by the alias table)" if n_alias else ""),
                    f"{int(resolved.sum())} 处引用按名称匹配到编码"
                    + (f"(其中 {n_alias} 处按对照表)" if n_alias else ""), "info")
            amb = w == 2
            if amb.any():
                where = rowpos[amb]
                c = [cands[j] for j in codes[amb]]
                add(t, rows[t][where], col.name, s.iloc[where].tolist(),
                    [f"ambiguous: {x.count('、') + 1} entities are named so ({x}); give the id"
                     for x in c],
                    [f"名称不唯一:有 {x.count('、') + 1} 个同名对象({x}),请填写编码" for x in c])
                bad[t][where] = True
            unk = w == 3
            if unk.any():
                where = rowpos[unk]
                names = "/".join(targets)
                hint = [near.get(keys.iloc[j], "") for j in codes[unk]]
                add(t, rows[t][where], col.name, s.iloc[where].tolist(),
                    [f"refers to an id not found in '{names}', nor to a name"
                     + (f"; closest names: {h}" if h else "") for h in hint],
                    [f"引用的编码或名称在“{'/'.join(TABLES[x].zh for x in targets)}”表中不存在"
                     + (f";最接近的名称:{h}" if h else "") for h in hint])
                bad[t][where] = True
    cols = ["table", "column", "value", "outcome", "id", "candidates", "rows"]
    return pd.concat(log, ignore_index=True)[cols] if log else pd.DataFrame(columns=cols)


def _uscc_ids(df: pd.DataFrame) -> bool:
    from .identifiers import uscc_shaped

    ids = df["id"].dropna()
    return bool(len(ids)) and bool(uscc_shaped(ids.astype("str")).mean() > 0.5)


def probable_duplicates(tables: dict[str, pd.DataFrame], rows: dict[str, np.ndarray],
                        bad: dict[str, np.ndarray], add: Callable) -> pd.DataFrame:
    """Units or orgs that are probably one entity entered twice (warning each)."""
    found = []
    for t, place in (("units", ["region_id"]), ("orgs", ["unit_id", "region_id"])):
        if t not in tables or not len(tables[t]):
            continue
        df = tables[t]
        ok = ~bad[t]
        keys = {"name": normalize_name(df["name"]).where(ok)}
        for p in place:
            keys[p] = df[p].astype("str").fillna("")
        k = pd.DataFrame(keys)
        groups = [("same name and place", "同一地点同名", k.duplicated(keep=False)
                   & k["name"].notna())]
        codes = [c for c in df.columns
                 if str(c).startswith(("统一社会信用代码", "信用代码", "uscc"))]
        if t == "units" and _uscc_ids(df):
            codes = ["id", *codes]
        for c in codes:
            v = df[c].where(ok & df[c].notna())
            groups.append(("same credit code", "统一社会信用代码相同",
                           v.duplicated(keep=False) & v.notna()))
        for reason, reason_zh, dup in groups:
            dup = dup.to_numpy(dtype=bool)
            if not dup.any():
                continue
            key = k["name"] if reason.startswith("same name") else df[codes[0]]
            for _, grp in df[dup].groupby(key[dup].astype("str")):
                ids = grp["id"].astype("str").tolist()
                rr = rows[t][grp.index.to_numpy()].tolist()
                add(t, rr, "id", ids,
                    f"probable duplicate ({reason}): ids {', '.join(ids)} at rows "
                    f"{', '.join(map(str, rr))}",
                    f"疑似重复({reason_zh}):编码 {'、'.join(ids)},第 "
                    f"{'、'.join(map(str, rr))} 行", "warning")
                found.append({"table": t, "ids": "、".join(ids),
                              "rows": "、".join(map(str, rr)), "reason": reason,
                              "reason_zh": reason_zh, "name": str(grp["name"].iloc[0])})
    return pd.DataFrame(found, columns=["table", "ids", "rows", "reason", "reason_zh", "name"])
