"""The column helpers against plain Python: lookups, distinct values."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from partygraph import arrays

VALUES = st.lists(st.sampled_from(["a", "b", "c", "某", "Ｘ", None]), max_size=25)


def _first(keys: list, values: list) -> list[int]:
    return [next((i for i, k in enumerate(keys) if v is not None and k == v), -1)
            for v in values]


@settings(max_examples=200, deadline=None)
@given(keys=VALUES, values=VALUES)
def test_index_of_is_the_first_position_and_missing_matches_nothing(keys, values):
    # both ways of hashing (the keys, or the values' distinct entries when keys are more)
    # give the first position; inside `remembering` a repeated question gets the same
    # answer, and nothing is kept outside it
    k = pd.Series(keys, dtype="str")
    v = pd.Series(values, dtype="str")
    want = _first(keys, values)
    assert arrays.index_of(v, k).tolist() == want
    assert arrays.index_of(values, keys).tolist() == want
    with arrays.remembering():
        for _ in range(2):
            got = arrays.index_of(v, k)
            assert got.tolist() == want
            got[:] = 7  # a caller writing into its answer changes no later answer
        assert arrays.index_of(v.iloc[1:], k).tolist() == want[1:]
    assert not arrays._RECENT


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(-5, 5), max_size=40))
def test_unique_is_numpys(xs):
    x = np.array(xs, dtype=np.int64)
    assert arrays.unique(x).tolist() == np.unique(x).tolist()
    for y in (x, x * 10**12, x.astype(float) / 3):  # by counting, and by sorting
        assert arrays.dense_rank(y).tolist() == np.unique(y, return_inverse=True)[1].tolist()


KEY = st.one_of(st.none(), st.sampled_from(["a", "b", "B", "街道", "社区", "10", "9"]))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(KEY, KEY), max_size=30), st.integers(1, 2))
def test_rate_groups_are_pandas_groupby(rows, width):
    """coverage_rates' groups, from integer codes, number and order rows as a sorted
    groupby that keeps missing keys (each its own group, after the others)."""
    from partygraph.coverage import _grouped

    keys = {f"k{j}": pd.Series([r[j] for r in rows], dtype="str") for j in range(width)}
    if width == 2:  # a categorical in its own (reversed) order groups as text too
        keys["k1"] = pd.Series(pd.Categorical(keys["k1"], categories=sorted(
            keys["k1"].dropna().unique(), reverse=True)))
    codes, uniq = _grouped(keys)
    df = pd.DataFrame({k: v.to_numpy(dtype=object) for k, v in keys.items()})
    grp = df.groupby(list(keys), dropna=False, sort=True)
    assert codes.tolist() == grp.ngroup().tolist()
    pd.testing.assert_frame_equal(uniq, grp.size().reset_index()[list(keys)])


def _all_lookups(net):
    """Every (values, keys) pair of a network's id and reference columns."""
    from partygraph.schema import TABLES

    cols = [net.tables[t][c.name] for t in net.tables for c in TABLES[t].columns
            if c.type in ("id", "ref") and c.name in net.tables[t]]
    return [(s, k) for s in cols for k in cols]


def _messy():
    """Duplicate ids, a name for an id, unknown and missing references, a row set aside."""
    import partygraph as pg

    units = pd.DataFrame({"id": ["U1", "U2", "U2", "U3", "U4"],
                          "name": ["甲公司", "乙公司", "乙公司二", "丙社", "丁厂"],
                          "kind": ["state", "private", "private", "social", "private"],
                          "region_id": ["C1", "C1", "C2", None, "C9"]})
    orgs = pd.DataFrame({"id": ["O1", "O2", "O3", "U1"],
                         "name": ["甲支部", "乙支部", "社区党委", "x"],
                         "kind": ["branch", "branch", "committee", "branch"],
                         "unit_id": ["U1", "乙公司", None, "U4"],
                         "parent_id": [None, "O3", None, "O3"],
                         "region_id": [None, None, "C1", None]})
    regions = pd.DataFrame({"id": ["D", "C1", "C2"], "name": ["区", "一社区", "二社区"],
                            "level": ["district", "community", "community"],
                            "parent_id": [None, "D", "D"]})
    members = pd.DataFrame({"id": ["M1", "M2", "M3"], "org_id": ["O1", "O9", None],
                            "unit_id": ["U2", None, "U1"], "residence_id": ["C2", "C1", "C1"]})
    links = pd.DataFrame({"source": ["U1", "O2", "M1", "X"], "target": ["U3", "U2", "O3", "U1"],
                          "kind": ["pair", "agreement", "registration", "pair"]})
    return pg.from_frames(units=units, orgs=orgs, regions=regions, members=members,
                          links=links, strict=False)


def test_lookups_by_codes_equal_hashed_ones():
    """Lookups between a network's id and reference columns answered from validation's codes
    equal the hashed answers (first occurrence, missing matches nothing), on data sets with
    names for ids, duplicates and unknown references; the codes go with the network."""
    import gc
    import warnings

    import partygraph as pg

    before = set(arrays._CODED)  # other tests' networks may be alive
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nets = [_messy(), pg.load_example("demo"),
                pg.read_dataset(pg.example_path("jiangbei_ledger"), strict=False)]
    for net in nets:
        pairs = _all_lookups(net)
        used = 0
        for s, k in pairs:
            sa, ka = arrays.to_arrow(s), arrays.to_arrow(k)
            coded = arrays._coded_index_of(sa, ka)
            if coded is None:
                continue
            used += 1
            assert coded.tolist() == arrays._index_of(s, sa, ka).tolist()
            assert coded.tolist() == _first(k.tolist(), [None if pd.isna(v) else v
                                                         for v in s.tolist()])
        assert used >= len(pairs) // 2
    del nets, net, pairs, s, k, sa, ka
    gc.collect()
    assert set(arrays._CODED) <= before


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=6)), max_size=20))
def test_lengths_in_characters(values):
    v = pd.Series(values, dtype="str")
    assert arrays.lengths(v).tolist() == [0 if x is None else len(x) for x in values]
    assert arrays.length_in(v, (1, 3)).tolist() == [x is not None and len(x) in (1, 3)
                                                     for x in values]


TEXTS = st.lists(st.one_of(st.none(), st.text(
    alphabet=st.sampled_from([*"ab(#'+ \t\n\r\x1c\x7f\u3000\xa0\u2028某Ｘ", "\U0001f600"]),
    max_size=5)), max_size=30)


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.integers(0, 3))
def test_edge_bytes_and_byte_scan_equal_python(values, cut):
    """First and last UTF-8 bytes from Arrow's buffers (sliced and chunked arrays too), and
    the byte scan's no, equal what Python reads from each value."""
    import pyarrow as pa

    want = [None if v is None else v.encode() for v in values]
    for arr in (pa.chunked_array([pa.array(values[:cut], pa.string()),
                                  pa.array(values, pa.string()).slice(cut)]),
                pa.array([None, *values], pa.large_string()).slice(1)):
        first, last, some = arrays.edge_bytes(arr)
        assert some.tolist() == [bool(b) for b in want]
        assert [f if s else None for f, s in zip(first.tolist(), some, strict=True)] == \
            [b[0] if b else None for b in want]
        assert [x if s else None for x, s in zip(last.tolist(), some, strict=True)] == \
            [b[-1] if b else None for b in want]
    for byte in b"+(a":
        if any(b and byte in b for b in want):
            assert arrays.has_byte(arr, byte)
    assert not arrays.has_byte(pd.Series(["ab", None], dtype="str"), ord("+"))


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_text_cells_and_their_least_equal_the_plain_rules(values):
    """Validation's text cells (stripped, empty → missing; a column needing neither kept as
    it is) and its "some value sorts before '('" equal pandas' strip and Python's min."""
    from partygraph.validation import _may_start_below, _text_cells, _to_text

    s = pd.Series(values, dtype="str")
    got = _to_text(s)
    want = s.str.strip()
    want = want.where(want.ne(""))
    pd.testing.assert_series_equal(got, want)
    left = [v for v in got.tolist() if isinstance(v, str)]
    assert _may_start_below(got, "(") == (bool(left) and min(left) < "(")
    assert _text_cells(s)[1] == _may_start_below(got, "(")


@settings(max_examples=300, deadline=None)
@given(before=st.lists(VALUES, min_size=1, max_size=3), data=st.data())
def test_codes_follow_changed_columns(before, data):
    """Codes carried over to columns whose rows were dropped and cells changed (to new text,
    to text met elsewhere, to missing) give each text one code, its own in the dictionary,
    and missing -1, as a fresh encoding does; the codes encoded keep their texts."""
    from partygraph import validation
    from partygraph.validation import _Codes

    cols = {(f"t{i}", "id"): arrays.to_arrow(pd.Series(v, dtype="str"))
            for i, v in enumerate(before)}
    # in one part, or in as many as there may be (as a million cells are)
    with mock.patch.object(validation, "_CELLS_A_PART", 1 if data.draw(st.booleans()) else
                           validation._CELLS_A_PART):
        codes = _Codes.encode(cols)
    kept, now = {}, {}
    for (t, c), a in cols.items():
        pos = np.flatnonzero(data.draw(st.lists(st.booleans(), min_size=len(a),
                                                max_size=len(a))))
        if data.draw(st.booleans()):
            pos = np.arange(len(a))  # every row kept
        kept[t] = pos
        vals = [a[int(i)].as_py() for i in pos]
        for i in data.draw(st.sets(st.integers(0, 30))):
            if i < len(vals):
                vals[i] = data.draw(st.sampled_from(["a", "b", "new", "新", None]))
        now[(t, c)] = vals
    if data.draw(st.booleans()):
        now[("other", "id")] = data.draw(VALUES)  # a column not encoded before
    out = codes.follow({k: arrays.to_arrow(pd.Series(v, dtype="str")) for k, v in now.items()},
                       kept)
    text_of = out.dictionary.to_pylist()
    assert len(set(text_of)) == len(text_of) == out.n
    assert text_of[:codes.n] == codes.dictionary.to_pylist()
    for key, vals in now.items():
        got = out.code[key].tolist()
        assert got == [-1 if v is None else text_of.index(v) for v in vals]


@settings(max_examples=150, deadline=None)
@given(ids=st.lists(st.sampled_from(["O1", "O2", "某", "x"]), max_size=3),
       refs=st.lists(st.sampled_from(["O1", "O2", "某", "O9", "y", None]), max_size=40),
       chunk=st.integers(1, 7), more=st.lists(st.text(max_size=3) | st.none(), max_size=30),
       cut=st.integers(0, 3), split=st.booleans())
def test_codes_of_repeating_references(ids, refs, chunk, more, cut, split):
    """A reference column far longer than the table it names is encoded on its own first
    (chunked too), and the rest in parts (as a million cells are) or in one: each text
    still has one code, its own in the dictionary, across columns (sliced chunks, empty
    and missing texts too); missing is -1."""
    import pyarrow as pa

    from partygraph import validation
    from partygraph.validation import _Codes

    ref = pa.chunked_array([pa.array(refs[i:i + chunk], pa.large_string())
                            for i in range(0, len(refs), chunk)], type=pa.large_string())
    other = pa.chunked_array([pa.array([None] * cut + more, pa.large_string()).slice(cut)],
                             type=pa.large_string())
    cols = {("orgs", "id"): arrays.to_arrow(pd.Series(ids, dtype="str")),
            ("members", "org_id"): ref, ("links", "source"): other}
    with mock.patch.object(validation, "_CELLS_A_PART", 1 if split else
                           validation._CELLS_A_PART):
        codes = _Codes.encode(cols)
    text_of = codes.dictionary.to_pylist()
    assert len(set(text_of)) == len(text_of) == codes.n
    for key, vals in (("orgs", "id"), ids), (("members", "org_id"), refs), (
            ("links", "source"), more):
        assert codes.code[key].tolist() == [-1 if v is None else text_of.index(v) for v in vals]


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.text(max_size=4) | st.none(), max_size=40), k=st.integers(1, 9),
       cut=st.integers(0, 5))
def test_hash_parts_of_equal_texts_are_equal(values, k, cut):
    """Equal texts fall in one part whatever array holds them (narrow or wide offsets, a
    slice of a longer array); every part is in 0 … k-1 and missing is in part 0."""
    import pyarrow as pa

    wide = arrays.hash_part(pa.array(values, pa.large_string()), k)
    narrow = arrays.hash_part(pa.array(["zz"] * cut + values, pa.string()).slice(cut), k)
    assert wide.tolist() == narrow.tolist()
    assert ((wide >= 0) & (wide < k)).all() and len(wide) == len(values)
    part_of: dict = {}
    for v, p in zip(values, wide.tolist(), strict=True):
        assert part_of.setdefault(v, p) == p
    assert all(p == 0 for v, p in zip(values, wide.tolist(), strict=True) if v is None)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["k1", "k2", "某", "x"]),
                          st.text(alphabet="ab、某 ", max_size=3)), max_size=30))
def test_joined_groups_equal_pandas_groupby_join(rows):
    """Each group's texts joined in row order by Arrow equal pandas' groupby(sort=False)
    agg("、".join), groups in order of first appearance."""
    keys = pd.Series([k for k, _ in rows], dtype="str")
    vals = pd.Series([v for _, v in rows], dtype="str")
    codes, uniq = pd.factorize(keys)
    got = arrays.join_groups(codes, vals, len(uniq), "、")
    want = vals.groupby(keys, sort=False).agg("、".join)
    assert list(got) == want.tolist() and list(uniq) == want.index.tolist()
