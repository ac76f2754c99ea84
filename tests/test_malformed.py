"""Random malformed tables give a validation report or clean data, never a crash."""

from __future__ import annotations

import warnings

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import partygraph as pg
from conftest import small_tables

cells = st.one_of(
    st.none(),
    st.text(max_size=8),
    st.sampled_from(["", " ", "U1", "P1", "M1", "500105002001", "机关", "党支部", "pair",
                     "2020-01-01", "2020年13月1日", "-3", "1e9", "NaN", "=1+1", "是", "否",
                     "11010519491231002X", "13912345678", "91350100M000100Y43"]),
    st.integers(min_value=-5, max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(),
)


@st.composite
def malformed(draw):
    tables = small_tables()
    for _ in range(draw(st.integers(1, 12))):
        name = draw(st.sampled_from(sorted(tables)))
        df = tables[name].astype(object)
        action = draw(st.sampled_from(["cell", "drop_col", "add_col", "dup_row", "rename"]))
        if not len(df.columns):  # a rename made two columns alike and a drop took both
            action = "add_col"
        if action == "cell" and len(df):
            i = draw(st.integers(0, len(df) - 1))
            c = draw(st.sampled_from(list(df.columns)))
            df.loc[i, c] = draw(cells)
        elif action == "drop_col" and len(df.columns) > 1:
            df = df.drop(columns=draw(st.sampled_from(list(df.columns))))
        elif action == "add_col":
            df[draw(st.text(min_size=1, max_size=6))] = draw(cells)
        elif action == "dup_row" and len(df):
            df = pd.concat([df, df.iloc[[draw(st.integers(0, len(df) - 1))]]],
                           ignore_index=True)
        elif action == "rename":
            c = draw(st.sampled_from(list(df.columns)))
            df = df.rename(columns={c: draw(st.sampled_from(["id", "名称", "kind", "xx", c]))})
        tables[name] = df
    return tables


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(malformed())
def test_malformed_tables_never_crash(tables):
    report = pg.validate(tables)
    assert list(report.columns) == ["table", "row", "column", "value", "problem",
                                    "problem_zh", "severity"]
    assert report["problem"].notna().all() and report["problem_zh"].notna().all()
    try:
        net = pg.from_frames(**tables)
    except pg.DataValidationError as exc:
        assert (exc.report["severity"] == "error").any()
    else:
        assert not (net.report["severity"] == "error").any()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pg.PartygraphWarning)
            lenient = pg.from_frames(**tables, strict=False)
    except pg.PartygraphError as exc:  # a required table missing or wholly set aside
        assert "units" in str(exc) or "orgs" in str(exc)
        return
    # every row is either kept or set aside, never lost
    acc = lenient.accounting.set_index("table")
    for name in lenient.tables:
        kept = len(lenient.tables[name])
        rejected = len(lenient.rejected.get(name, []))
        assert acc.loc[name, "loaded"] == kept and acc.loc[name, "set_aside"] == rejected
        assert acc.loc[name, "read"] == kept + rejected <= len(tables[name])
