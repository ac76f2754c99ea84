"""Typed, package-wide settings (one object, not module globals).

Examples
--------
>>> import partygraph as pg
>>> pg.config.progress is None  # on in Jupyter, off in plain scripts
True
>>> with pg.config.override(progress=True):
...     pg.config.progress
True
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

__all__ = ["Settings", "config"]


@dataclass
class Settings:
    """Settings read by partygraph at run time.

    Attributes
    ----------
    progress : bool or None
        Show progress bars (``tqdm.auto``) for long work: ``True``, ``False``, or ``None``
        (default) for on in Jupyter and off in plain scripts (a library never prints
        unless asked).
    personal_headers : tuple of str
        Extra-column headers treated as personal data (kept out of every table and output).
    personal_share : float
        Share of non-empty values that must look like ID-card or phone numbers, or like
        personal names, for an extra column to be treated as personal data and left out.
        Below that share, ID-card and mobile numbers found inside any text are masked.
    header_scan_rows : int
        How many rows at the top of a sheet or CSV file are searched for the header row.
    cjk_font : str or None
        The font that figures use for Chinese text: a family name or a font file's path.
        ``None`` (default) finds an installed one (see :func:`partygraph.figures.cjk_font`).
    network_max_nodes : int
        Above this many actors the interactive network shows an aggregated view instead
        (a browser draws about 1,500 nodes without freezing).
    report_max_rows : int
        Rows of one list embedded in the HTML report; longer lists are cut there with a
        notice, and are complete in the workbook.
    threads : int or None
        Threads for the heavy numeric work (brokers' constraint, betweenness, permutation
        tests), for encoding ids while a data set's tables are checked, for two independent
        analyses of an assessment side by side and for the workbook written while the report
        is made: ``None`` (default) for every core, ``1`` for none. Results do not depend on
        it. A province's workers run with 1 (each is one process).
    """

    progress: bool | None = None
    personal_headers: tuple[str, ...] = field(
        default=(
            "姓名", "党员姓名", "名字", "name_of_member", "联系人", "联系人姓名", "负责人",
            "负责人姓名", "书记", "书记姓名", "法定代表人", "法人代表", "person_name",
            "身份证", "身份证号", "身份证号码", "公民身份号码", "id_card", "idcard",
            "手机", "手机号", "手机号码", "电话", "联系电话", "联系方式", "phone", "mobile",
            "telephone", "家庭住址", "住址", "详细住址", "出生日期",
        )
    )
    personal_share: float = 0.5
    header_scan_rows: int = 30
    cjk_font: str | None = None
    network_max_nodes: int = 1500
    report_max_rows: int = 50_000
    threads: int | None = None

    @contextmanager
    def override(self, **changes: object) -> Iterator[Settings]:
        """Temporarily change settings inside a ``with`` block."""
        names = {f.name for f in dataclasses.fields(self)}
        unknown = set(changes) - names
        if unknown:
            raise TypeError(f"unknown setting(s): {sorted(unknown)}")
        old = {k: getattr(self, k) for k in changes}
        for k, v in changes.items():
            setattr(self, k, v)
        try:
            yield self
        finally:
            for k, v in old.items():
                setattr(self, k, v)


config = Settings()
