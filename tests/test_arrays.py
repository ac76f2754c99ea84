"""The column helpers against plain Python: lookups, distinct values."""

from __future__ import annotations

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
    assert arrays.dense_rank(x).tolist() == np.unique(x, return_inverse=True)[1].tolist()


KEY = st.one_of(st.none(), st.sampled_from(["a", "b", "B", "街道", "社区", "10", "9"]))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(KEY, KEY), max_size=30), st.integers(1, 2))
def test_rate_groups_are_pandas_groupby(rows, width):
    """coverage_rates' groups, from integer codes, number and order rows as a sorted
    groupby that keeps missing keys (each its own group, after the others)."""
    from partygraph.coverage import _grouped

    keys = {f"k{j}": pd.Series([r[j] for r in rows], dtype="str") for j in range(width)}
    codes, uniq = _grouped(keys)
    df = pd.DataFrame({k: v.to_numpy(dtype=object) for k, v in keys.items()})
    grp = df.groupby(list(keys), dropna=False, sort=True)
    assert codes.tolist() == grp.ngroup().tolist()
    pd.testing.assert_frame_equal(uniq, grp.size().reset_index()[list(keys)])
