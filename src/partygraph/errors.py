"""The one exception hierarchy of partygraph.

Examples
--------
>>> import partygraph as pg
>>> issubclass(pg.DataValidationError, pg.PartygraphError)
True
"""

from __future__ import annotations

import pandas as pd

__all__ = ["DataValidationError", "InvalidArgumentError", "MissingTableError",
           "OutputPathError", "PartygraphError", "PartygraphWarning", "UsageError",
           "check_choice"]


class PartygraphError(Exception):
    """Base class of every error partygraph raises on purpose."""


class UsageError(PartygraphError, ValueError):
    """The call or command was given something it cannot use (an option, a rules file)."""


class InvalidArgumentError(UsageError):
    """An argument has a value the function does not know (``within="stret"``): said at
    once, instead of silently returning nothing."""


def check_choice(name: str, value: object, allowed: tuple | list | set) -> None:
    """Raise :class:`InvalidArgumentError` unless ``value`` is one of ``allowed``."""
    if value not in allowed:
        raise InvalidArgumentError(
            f"{name}={value!r} is not one of {', '.join(map(repr, allowed))} / "
            f"参数 {name} 的取值无效")


class OutputPathError(UsageError, OSError):
    """An output path cannot be written (a file where a folder is wanted, no permission...)."""


class DataValidationError(PartygraphError, ValueError):
    """The input data has problems; ``.report`` lists every one.

    The report is a DataFrame with columns ``table``, ``row`` (the row number the user sees:
    the Excel row, or the CSV line with the header on line 1), ``column``, ``value``,
    ``problem``, ``problem_zh`` and ``severity``.
    """

    def __init__(self, report: pd.DataFrame):
        self.report = report
        errors = report[report["severity"] == "error"] if len(report) else report
        head = errors.head(20)
        lines = [
            f"{len(errors)} problem(s) in the data / 数据中有 {len(errors)} 处问题:",
        ]
        for r in head.itertuples(index=False):
            row = "" if pd.isna(r.row) else f" row {int(r.row)}"
            col = "" if pd.isna(r.column) or r.column == "" else f" column {r.column!s}"
            val = "" if pd.isna(r.value) else f" value {r.value!r}"
            lines.append(f"  [{r.table}]{row}{col}{val}: {r.problem} / {r.problem_zh}")
        if len(errors) > len(head):
            lines.append(f"  ... and {len(errors) - len(head)} more (see .report) / 其余见 .report")
        super().__init__("\n".join(lines))


class MissingTableError(PartygraphError, LookupError):
    """An analysis needs a table the data set does not have."""

    def __init__(self, table: str, analysis: str):
        self.table = table
        self.analysis = analysis
        from .schema import TABLES

        zh = TABLES[table].zh if table in TABLES else table
        super().__init__(
            f"{analysis} needs the '{table}' table, which this data set does not have / "
            f"缺少“{zh}”表,无法计算"
        )


def reader_failed(exc: BaseException) -> bool:
    """Whether ``exc`` is a file reader's failure, to be said as one clear message: any
    ``Exception``, or the panic of a reader written in Rust (python-calamine's on a damaged
    workbook, which is a ``BaseException``); never an interrupt or an exit."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


class PartygraphWarning(UserWarning):
    """A warning partygraph gives on purpose (for example: no font with Chinese glyphs)."""
