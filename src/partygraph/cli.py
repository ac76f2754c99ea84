"""The ``partygraph`` command.

``partygraph validate PATH`` prints every problem (exit 0: no errors, 1: errors);
``partygraph summary PATH`` validates and summarises (``--example demo`` for the bundled
data); ``partygraph template -o FILE.xlsx`` writes the blank workbook for streets;
``partygraph examples`` lists the bundled data sets; ``partygraph synth -n 100000 -o DIR``
writes a synthetic district with its planted truth under ``DIR/truth/``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import pandas as pd

__all__ = ["main"]


def _source(args: argparse.Namespace):
    from .dataset import example_path

    if args.path:
        return args.path
    return example_path(args.example or "demo")


def _print_frame(df: pd.DataFrame) -> None:
    with pd.option_context("display.max_rows", None, "display.max_columns", None,
                           "display.width", 200, "display.max_colwidth", 80,
                           "display.unicode.east_asian_width", True):
        print(df.to_string(index=False))


def _cmd_validate(args: argparse.Namespace) -> int:
    from .dataset import validate

    report = validate(_source(args))
    if args.output:
        from .writing import write_xlsx

        if args.output.lower().endswith(".xlsx"):
            write_xlsx(args.output, {"问题清单": report})
        else:
            report.to_csv(args.output, index=False, encoding="utf-8-sig")
    errors = int((report["severity"] == "error").sum())
    warnings = int((report["severity"] == "warning").sum())
    if len(report):
        cols = ["table", "row", "column", "value",
                "problem_zh" if args.lang == "zh" else "problem", "severity"]
        _print_frame(report[cols])
    if args.lang == "zh":
        print(f"错误 {errors} 处,提示 {warnings} 处。" if len(report) else "数据无问题。")
    else:
        print(f"{errors} error(s), {warnings} warning(s)." if len(report) else "No problems.")
    return 1 if errors else 0


def _cmd_summary(args: argparse.Namespace) -> int:
    from .dataset import read_dataset

    net = read_dataset(_source(args), strict=not args.lenient)
    print(repr(net))
    _print_frame(net.summary(lang=args.lang))
    return 0


def _cmd_template(args: argparse.Namespace) -> int:
    from .template import write_template

    path = write_template(args.output)
    print(path)
    return 0


def _cmd_examples(args: argparse.Namespace) -> int:
    from .dataset import list_examples

    _print_frame(list_examples()[["name", "title"]])
    return 0


def _cmd_synth(args: argparse.Namespace) -> int:
    from pathlib import Path

    from . import synthetic

    streets = None
    if args.streets_csv:
        codes = pd.read_csv(args.streets_csv, dtype=str, encoding="utf-8-sig")
        streets = codes[codes["code"].str[:6] == args.district][["code", "name"]]
        if not len(streets):
            from .errors import PartygraphError

            raise PartygraphError(f"no street of district {args.district} in "
                                  f"{args.streets_csv} / 区划代码表中没有该区县的街道")
    kw = {"district_code": args.district}
    if args.district_name:
        kw["district_name"] = args.district_name
    tables = synthetic.district(args.members, seed=args.seed, streets=streets, **kw)
    out = synthetic.write(tables, args.output, encoding=args.encoding)
    truth = Path(out) / "truth"
    truth.mkdir(exist_ok=True)
    for name, df in tables.truth.items():
        df.to_csv(truth / f"{name}.csv", index=False, encoding="utf-8-sig")
    print(f"{out}: " + ", ".join(f"{len(v):,} {k}" for k, v in tables.items()))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="partygraph",
        description="Co-building network analytics for grassroots Party organisations "
        "(区域化党建网络分析)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def add_source(p: argparse.ArgumentParser) -> None:
        p.add_argument("path", nargs="?", help="folder of CSV files or .xlsx workbook")
        p.add_argument("--example", help="a bundled example data set instead (e.g. demo)")
        p.add_argument("--lang", choices=["zh", "en"], default="zh")

    p = sub.add_parser("validate", help="list every problem in a data set (检查数据)")
    add_source(p)
    p.add_argument("-o", "--output", help="also write the report (.csv or .xlsx)")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("summary", help="validate and summarise a data set (数据概况)")
    add_source(p)
    p.add_argument("--lenient", action="store_true", help="set bad rows aside instead of failing")
    p.set_defaults(func=_cmd_summary)

    p = sub.add_parser("template", help="write the blank Excel template (生成填报模板)")
    p.add_argument("-o", "--output", required=True, help="the .xlsx file to write")
    p.set_defaults(func=_cmd_template)

    p = sub.add_parser("synth", help="generate a synthetic district with planted truth "
                       "(生成模拟数据)")
    p.add_argument("-n", "--members", type=int, default=10_000, help="number of members")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("-o", "--output", required=True, help="folder to write the CSV files to")
    p.add_argument("--district", default="990101", help="6-digit district code")
    p.add_argument("--district-name", help="the district's name")
    p.add_argument("--streets-csv", help="statistical division codes of streets (columns "
                   "code, name) to use the district's real streets")
    p.add_argument("--encoding", default="utf-8-sig", help="e.g. gb18030 for a GBK export")
    p.set_defaults(func=_cmd_synth)

    p = sub.add_parser("examples", help="list the bundled data sets (示例数据)")
    p.set_defaults(func=_cmd_examples)

    args = parser.parse_args(argv)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    from .errors import DataValidationError, PartygraphError

    try:
        return args.func(args)
    except DataValidationError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except PartygraphError as exc:
        print(f"partygraph: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
