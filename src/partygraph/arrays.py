"""Fast operations on columns of ids and codes (Arrow-backed pandas strings).

pandas 3 stores text as Arrow strings when pyarrow is installed (a dependency of
partygraph). Some pandas operations on them still take a slow path through Python objects
(``Series.isin`` with a Series, ``Series.map`` with a Series: seconds per million rows);
these helpers call Arrow's compute kernels instead (milliseconds).

Examples
--------
>>> import pandas as pd
>>> s = pd.Series(["a", "b", None], dtype="str")
>>> isin(s, ["b", "c"]).tolist()
[False, True, False]
>>> lookup(s, pd.Series([1, 2]), index=["a", "b"]).tolist()
[1.0, 2.0, nan]
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["dense_rank", "edge_bytes", "factorize_map", "has_byte", "identity", "index_of",
           "isin", "join_groups", "length_in", "lengths", "limit_heaps", "lookup",
           "release_memory", "remembering", "text_array", "to_arrow", "unique"]


def to_arrow(values: object) -> pa.Array | pa.ChunkedArray:
    """A string Arrow array for a Series, Index, array, list or set of ids."""
    if isinstance(values, set | frozenset):
        values = list(values)
    if isinstance(values, pa.Array | pa.ChunkedArray):
        arr = values
    elif isinstance(values, pd.Series | pd.Index):
        if values.dtype != "str":
            values = values.astype("str")
        # the values' array, never the Series itself: pyarrow probes a Series for
        # attributes, and each probe hashes a text index (seconds at a million rows)
        arr = pa.array(values.array)
    else:
        arr = pa.array(pd.array(list(values) if not isinstance(values, np.ndarray) else values,
                                dtype="str"))
    if arr.type != pa.large_string():
        arr = arr.cast(pa.large_string())
    return arr


def chunks(arr: pa.Array | pa.ChunkedArray) -> list[pa.Array]:
    """The chunks of an Arrow array (the array itself if it has none)."""
    return list(arr.chunks) if isinstance(arr, pa.ChunkedArray) else [arr]


def _string_chunks(values: object) -> list[pa.Array]:
    return chunks(values if isinstance(values, pa.Array | pa.ChunkedArray) else to_arrow(values))


def _text_buffers(c: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A text chunk's value offsets (one more than its values) and its data bytes, as NumPy
    views of Arrow's buffers, and whether each value is there (not missing)."""
    n = len(c)
    wide = c.type in (pa.large_string(), pa.large_binary())
    bufs = c.buffers()
    off = np.frombuffer(bufs[1], dtype=np.int64 if wide else np.int32)[
        c.offset:c.offset + n + 1] if n else np.zeros(1, dtype=np.int64)
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None and n \
        else np.zeros(0, dtype=np.uint8)
    valid = np.asarray(c.is_valid().to_numpy(zero_copy_only=False), dtype=bool) \
        if c.null_count else np.ones(n, dtype=bool)
    return off, data, valid


def edge_bytes(values: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The first and the last byte (UTF-8) of each text value, and whether it has any (a
    missing or empty value has none: its bytes read 0), from Arrow's buffers: no text is
    copied or decoded.

    >>> first, last, some = edge_bytes(pd.Series(["ab", "", None, " c"], dtype="str"))
    >>> bytes(first[some]), bytes(last[some])
    (b'a ', b'bc')
    """
    firsts, lasts, somes = [], [], []
    for c in _string_chunks(values):
        off, data, valid = _text_buffers(c)
        start, end = off[:-1], off[1:]
        some = (end > start) & valid  # a missing value's slot may still span bytes
        if len(data):  # gathered everywhere (clipped), then 0 where there is no byte
            first = data.take(start, mode="clip") * some
            last = data.take(end - 1, mode="clip") * some
        else:
            first = last = np.zeros(len(c), dtype=np.uint8)
        firsts.append(first)
        lasts.append(last)
        somes.append(some)
    if not firsts:
        return np.zeros(0, np.uint8), np.zeros(0, np.uint8), np.zeros(0, bool)
    return np.concatenate(firsts), np.concatenate(lasts), np.concatenate(somes)


def hash_part(values: object, k: int) -> np.ndarray:
    """A part in ``0 … k-1`` for each text value, the same for equal texts: a mix of its
    last two bytes (UTF-8) and its length, read from Arrow's buffers (nothing copied). A
    missing value is in part 0.

    >>> hash_part(pd.Series(["U01", "U02", "U01", None], dtype="str"), 4).tolist()
    [2, 1, 2, 0]
    """
    parts = []
    for c in _string_chunks(values):
        off, data, valid = _text_buffers(c)
        end = off[1:]
        size = (end - off[:-1]).astype(np.uint16)
        if len(data):  # a byte before the value's start is another value's: length tells
            last = data.take(end - 1, mode="clip").astype(np.uint16)
            prev = data.take(end - 2, mode="clip").astype(np.uint16)
            mix = last * 7 * (size > 0) + prev * 3 * (size > 1) + size
        else:
            mix = size
        parts.append(((mix % k) * valid).astype(np.uint8))
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint8)


def has_byte(values: object, byte: int) -> bool:
    """Whether ``byte`` may occur in the text values: False means it occurs in none (a
    scan of Arrow's data buffers, which may also hold bytes of no value)."""
    for c in _string_chunks(values):
        data = c.buffers()[2]
        if data is not None and len(c) and (np.frombuffer(data, dtype=np.uint8) == byte).any():
            return True
    return False


def isin(s: pd.Series, values: object) -> np.ndarray:
    """Boolean numpy array: is each value of ``s`` among ``values``? Missing → False."""
    if len(s) == 0:
        return np.zeros(0, dtype=bool)
    vs = to_arrow(values)
    if isinstance(vs, pa.ChunkedArray):
        vs = vs.combine_chunks()
    res = pc.is_in(to_arrow(s), value_set=pc.unique(vs.drop_null()))
    return np.asarray(res.to_numpy(zero_copy_only=False), dtype=bool)


def identity(arr: pa.Array | pa.ChunkedArray) -> tuple:
    """What identifies an Arrow array's data while it is alive: each chunk's buffer
    addresses, offset and length (Arrow's arrays never change; pandas writes new ones).
    Whoever keeps something under it holds the array, so that no address is reused."""
    return (str(arr.type), *((c.offset, len(c), *(b.address if b is not None else 0
                                                   for b in c.buffers())) for c in chunks(arr)))


#: index_of's recent answers inside :func:`remembering` (an assessment's steps), by the
#: identity of both arrays (held, so that no address is reused while an answer is kept): a
#: street, a community and a name asked for the same million region ids hash them once.
_RECENT: dict[tuple, tuple[object, object, np.ndarray]] = {}
_RECENT_MAX = 16
_REMEMBER = [0]
_LOCK = threading.Lock()


@contextlib.contextmanager
def remembering() -> Iterator[None]:
    """Within this block :func:`index_of` keeps its recent answers; they are let go when the
    outermost block ends (outside one, nothing is kept)."""
    with _LOCK:
        _REMEMBER[0] += 1
    try:
        yield
    finally:
        with _LOCK:
            _REMEMBER[0] -= 1
            if not _REMEMBER[0]:
                _RECENT.clear()


#: Codes of a network's id and reference columns, by the identity of each column's data:
#: identity → (the array, held; its codes; the network's token; the number of codes). Two
#: columns of one network share one code per distinct text (validation encodes them once),
#: so a lookup between them is integer indexing. Let go when the network is.
_CODED: dict[tuple, tuple[object, np.ndarray, object, int]] = {}


def register_codes(owner: object, columns: list[tuple[pd.Series, np.ndarray]],
                   n: int) -> None:
    """Keep the codes of ``owner``'s columns (``-1``: missing; ``n`` codes in all) for
    :func:`index_of`, until ``owner`` is let go."""
    import weakref

    token = object()
    with _LOCK:
        for s, code in columns:
            a = to_arrow(s)
            if len(code) == len(a):
                _CODED[identity(a)] = (a, code, token, n)
    weakref.finalize(owner, _forget_codes, token)


def _forget_codes(token: object) -> None:
    with _LOCK:
        for k in [k for k, v in _CODED.items() if v[2] is token]:
            del _CODED[k]


def _coded_index_of(sa: pa.Array | pa.ChunkedArray, ka: pa.Array | pa.ChunkedArray
                    ) -> np.ndarray | None:
    """:func:`index_of` by the codes of two columns of one network, or None."""
    if not _CODED:
        return None
    hs, hk = _CODED.get(identity(sa)), _CODED.get(identity(ka))
    if hs is None or hk is None or hs[2] is not hk[2]:
        return None
    kc = hk[1]
    first = np.full(hk[3] + 1, -1, dtype=np.int64)  # the last slot: code -1 (missing)
    at = np.flatnonzero(kc >= 0)[::-1]
    first[kc[at]] = at  # the first key of each code wins (written last)
    return first[hs[1]]


def index_of(s: pd.Series, keys: object) -> np.ndarray:
    """Position of each value of ``s`` in ``keys`` (first occurrence), -1 where absent or
    missing (a missing value matches nothing)."""
    if len(s) == 0:
        return np.zeros(0, dtype=np.int64)
    sa, ka = to_arrow(s), to_arrow(keys)
    coded = _coded_index_of(sa, ka)
    if coded is not None:
        return coded
    if not _REMEMBER[0]:
        return _index_of(s, sa, ka)
    memo = (identity(sa), identity(ka))
    with _LOCK:
        hit = _RECENT.get(memo)
    if hit is not None:
        return hit[2].copy()
    out = _index_of(s, sa, ka)
    with _LOCK:
        if _REMEMBER[0]:
            while len(_RECENT) >= _RECENT_MAX:
                _RECENT.pop(next(iter(_RECENT)))
            _RECENT[memo] = (sa, ka, out)
    return out.copy()


def _index_of(s: object, sa: pa.Array | pa.ChunkedArray,
              ks: pa.Array | pa.ChunkedArray) -> np.ndarray:
    if isinstance(ks, pa.ChunkedArray):
        ks = ks.combine_chunks()
    if len(ks) > len(s):
        # many keys, fewer values: hash the values' distinct entries and run the keys past
        # them (a small table probed, not a large one built: ids of a million members)
        codes, uniq = pd.factorize(s if isinstance(s, pd.Series | pd.Index)
                                   else pd.Series(text_array(sa)))
        rev = pc.index_in(ks, value_set=to_arrow(pd.Series(uniq, dtype="str")))
        rev = np.asarray(rev.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)
        first = np.full(len(uniq) + 1, -1, dtype=np.int64)
        hit = np.flatnonzero(rev >= 0)[::-1]
        first[rev[hit]] = hit  # the first key of each value wins (written last)
        return first[codes]
    res = pc.index_in(sa, value_set=ks, skip_nulls=True)
    return np.asarray(res.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)


def lookup(s: pd.Series, values: pd.Series | np.ndarray, index: object = None) -> pd.Series:
    """``s.map(dict(zip(index, values)))``, vectorised; ``index`` defaults to
    ``values.index`` (first occurrence wins). The result keeps ``values``' dtype where it
    can (integers become floats to hold missing values)."""
    if index is None:
        index = values.index
    vals = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
    pos = index_of(s, index)
    hit = pos >= 0
    dtype = values.dtype if isinstance(values, pd.Series) else vals.dtype
    if dtype == "str" or dtype == np.dtype(object):
        return pd.Series(take_str(values, pos), index=s.index)
    if np.issubdtype(vals.dtype, np.datetime64):
        out = np.full(len(s), np.datetime64("NaT"), dtype=vals.dtype)
    else:
        out = np.full(len(s), np.nan, dtype=np.float64 if vals.dtype.kind in "iub"
                      else vals.dtype)
    out[hit] = vals[pos[hit]]
    return pd.Series(out, index=s.index)


_TEXT = pd.StringDtype("pyarrow", na_value=np.nan)


def take_str(values: object, pos: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Text values at positions ``pos`` (-1 → missing), gathered by Arrow without building
    Python strings."""
    arr = to_arrow(values if isinstance(values, pd.Series | pd.Index) else pd.Series(
        np.asarray(values, dtype=object), dtype="str"))
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    idx = pa.array(np.where(pos < 0, 0, pos), mask=pos < 0, type=pa.int64())
    out = pc.take(arr, idx) if len(arr) else pa.nulls(len(pos), pa.large_string())
    return text_array(out)


def text_array(arr: pa.Array | pa.ChunkedArray) -> pd.api.extensions.ExtensionArray:
    """An Arrow string array as pandas text (``str`` dtype), without copying to Python."""
    return arr.to_pandas(types_mapper={pa.string(): _TEXT, pa.large_string(): _TEXT}.get).array


def join_groups(codes: np.ndarray, values: object, n: int, sep: str
                ) -> pd.api.extensions.ExtensionArray:
    """The text values of each group ``0 … n-1`` (``codes``: each row's group) joined by
    ``sep`` in row order, as ``groupby(...).agg(sep.join)`` gives them, by Arrow (no Python
    string per row); a group without rows gets the empty text.

    >>> join_groups(np.array([1, 0, 1]), ["a", "b", "c"], 2, "、").tolist()
    ['b', 'a、c']
    """
    codes = np.asarray(codes, dtype=np.int64)
    vals = to_arrow(values if isinstance(values, pd.Series | pd.Index | pa.Array
                                        | pa.ChunkedArray) else list(values))
    if isinstance(vals, pa.ChunkedArray):
        vals = vals.combine_chunks()
    vals = vals.take(pa.array(np.argsort(codes, kind="stable")))
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(codes, minlength=n), out=offsets[1:])
    lists = pa.LargeListArray.from_arrays(pa.array(offsets), vals)
    return text_array(pc.binary_join(lists, pa.scalar(sep, pa.large_string())))


def release_memory() -> None:
    """Give back to the system the memory kept after it was freed: by Arrow's pool, and by
    the C library's heap where it is glibc's (Linux). At a million members each keeps about
    450 MB; the steps of an assessment call this between them."""
    with _LOCK:
        _RECENT.clear()
    pa.default_memory_pool().release_unused()
    trim = _glibc("malloc_trim")
    if trim:
        trim(0)


def limit_heaps(n: int) -> None:
    """Let the C library keep at most ``n`` heaps (glibc's arenas; by default it makes up
    to eight per core, one for each new thread). Memory a thread frees goes back to that
    thread's heap, not to the system: with two steps of an assessment side by side, the
    heaps of their threads held 300 MB more at a million members. Nothing elsewhere."""
    opt = _glibc("mallopt")
    if opt:
        opt(-8, max(1, int(n)))  # M_ARENA_MAX


_GLIBC: dict[str, object] = {}


def _glibc(name: str) -> object:
    """A function of the C library (glibc's), or False where it has none by that name."""
    if name not in _GLIBC:
        import ctypes

        try:  # the process's own symbols: no search for the library (ctypes.util's runs
            # ldconfig in a subprocess, a fork of a process of a gigabyte or more)
            _GLIBC[name] = getattr(ctypes.CDLL(None), name)
        except (OSError, AttributeError, TypeError):
            _GLIBC[name] = False
    return _GLIBC[name]


def unique(x: np.ndarray) -> np.ndarray:
    """The sorted distinct values of a numeric array, by sorting: NumPy 2.3+ finds them with
    a hash table, 18 times slower on 1.8 million integer keys (1.9 s against 0.1 s)."""
    x = np.sort(np.asarray(x).ravel())
    if len(x) < 2:
        return x
    keep = np.empty(len(x), dtype=bool)
    keep[0] = True
    np.not_equal(x[1:], x[:-1], out=keep[1:])
    return x[keep]


def dense_rank(x: np.ndarray) -> np.ndarray:
    """Each value's position among the sorted distinct values (``np.unique``'s inverse):
    by counting when the integers span a small range, else by one sort."""
    x = np.asarray(x).ravel()
    if len(x) and x.dtype.kind in "iu":
        lo, hi = int(x.min()), int(x.max())
        if hi - lo <= 4 * len(x) + 1024:  # a small range: by counting, without sorting
            seen = np.zeros(hi - lo + 1, dtype=bool)
            seen[x - lo] = True
            return (np.cumsum(seen) - 1)[x - lo]
    order = np.argsort(x, kind="stable")
    xs = x[order]
    step = np.empty(len(x), dtype=np.int64)
    if len(x):
        step[0] = 0
        np.not_equal(xs[1:], xs[:-1], out=step[1:], casting="unsafe")
    out = np.empty(len(x), dtype=np.int64)
    out[order] = np.cumsum(step)
    return out


def lengths(s: pd.Series) -> np.ndarray:
    """The length of each text value in characters (0 where missing), by Arrow."""
    if not len(s):
        return np.zeros(0, dtype=np.int64)
    n = pc.utf8_length(to_arrow(s)).fill_null(0)
    return np.asarray(n.to_numpy(zero_copy_only=False), dtype=np.int64)


def length_in(s: pd.Series, sizes: tuple[int, ...]) -> np.ndarray:
    """Boolean numpy array: is each text value's length in characters one of ``sizes``?
    (Missing → False.) By Arrow, without a length array in numpy."""
    if not len(s):
        return np.zeros(0, dtype=bool)
    hit = pc.is_in(pc.utf8_length(to_arrow(s)), value_set=pa.array(sizes, pa.int64()))
    return np.asarray(hit.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)


def factorize_map(s: pd.Series, fn, dtype: str = "str") -> pd.Series:
    """Apply ``fn`` to each distinct value of ``s`` once and spread the results (missing
    values stay missing)."""
    codes, uniq = pd.factorize(s)
    mapped = [fn(u) for u in uniq] + [None]
    if dtype == "str":  # spread by Arrow: no Python string per row
        out = pa.array(mapped, type=pa.large_string()).take(
            pa.array(np.where(codes < 0, len(uniq), codes)))
        return pd.Series(text_array(out), index=s.index)
    return pd.Series(np.array(mapped, dtype=object)[codes], index=s.index, dtype=dtype)
