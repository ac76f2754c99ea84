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
