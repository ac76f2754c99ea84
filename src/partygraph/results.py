"""The one small base of partygraph's result objects, and how table results record what
made them.

Every result object (:class:`~partygraph.linkage.DomainLinkage`,
:class:`~partygraph.matching.MatchResult`, :class:`~partygraph.planning.Plan`,
:class:`~partygraph.assessment.Assessment`, :class:`~partygraph.interactive.NetworkView`)
has ``method`` (what computed it), ``params`` (the parameters of the call) and
``to_frames()`` (its tables by name). A DataFrame result records the same in
``df.attrs["method"]`` and ``df.attrs["params"]``.

Examples
--------
>>> import partygraph as pg
>>> dl = pg.domain_linkage(pg.load_example("demo"))
>>> isinstance(dl, pg.Result), sorted(dl.to_frames())[:2]
(True, ['actor_ei', 'counts'])
>>> pg.coverage_gaps(pg.load_example("demo")).attrs["method"]
'coverage_gaps'
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["Result", "record", "summary_html"]


def summary_html(title: str, rows: list[tuple[str, object]], note: str = "") -> str:
    """A small HTML summary for Jupyter (``_repr_html_``): a title and a two-column table,
    every text escaped; kilobytes, never the data."""
    import html

    body = "".join(f"<tr><th style='text-align:left;padding-right:12px'>{html.escape(str(k))}"
                   f"</th><td style='text-align:left'>{html.escape(str(v))}</td></tr>"
                   for k, v in rows)
    tail = f"<div style='color:#666;font-size:90%'>{html.escape(note)}</div>" if note else ""
    return (f"<div class='partygraph-summary'><b>{html.escape(title)}</b>"
            f"<table>{body}</table>{tail}</div>")


class Result:
    """Base of result objects: ``method``, ``params`` and ``to_frames()``."""

    method: str
    params: dict

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """Every table this result holds, by name (empty tables included)."""
        return {k: v for k, v in vars(self).items() if isinstance(v, pd.DataFrame)}


def record(df: pd.DataFrame, method: str, **params: Any) -> pd.DataFrame:
    """Write what made a table into its ``attrs`` (``method`` and ``params``), beside any
    attrs it already has, and return it."""
    df.attrs["method"] = method
    df.attrs["params"] = {**df.attrs.get("params", {}), **params}
    return df
