"""The ``partygraph`` command.

``partygraph validate PATH`` prints every problem (exit 0: no errors, 1: errors);
``partygraph summary PATH`` validates and summarises (``--example demo`` for the bundled
data); ``partygraph template -o FILE.xlsx`` writes the blank workbook for streets;
``partygraph examples`` lists the bundled data sets; ``partygraph synth -n 100000 -o DIR``
writes a synthetic district with its planted truth under ``DIR/truth/``;
``partygraph assess [PATH] -o DIR`` runs the whole assessment (the bundled demo data when no
PATH is given) and writes ``report.html``, ``assessment.xlsx`` and ``network.html``;
``partygraph export PATH -o DIR -f graphml -f parquet`` writes graphs and tables for other
tools.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported when a command needs it: --help stays fast
    import pandas as pd

__all__ = ["main"]


def _source(args: argparse.Namespace):
    from .dataset import example_path

    if args.path:
        return args.path
    return example_path(args.example or "demo")


def _print_frame(df: pd.DataFrame) -> None:
    import pandas as pd

    with pd.option_context("display.max_rows", None, "display.max_columns", None,
                           "display.width", 200, "display.max_colwidth", 80,
                           "display.unicode.east_asian_width", True):
        print(visible(df.to_string(index=False)))


def _cmd_validate(args: argparse.Namespace) -> int:
    from .dataset import validate

    report = validate(_source(args), aliases=args.aliases)
    if args.output:
        from .writing import write_xlsx

        if args.output.lower().endswith(".xlsx"):
            write_xlsx(args.output, problem_sheets(report, args.lang))
        else:
            from .writing import neutralise_csv, output_file

            neutralise_csv(report).to_csv(output_file(args.output), index=False,
                                          encoding="utf-8-sig")
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


def problem_sheets(report: pd.DataFrame, lang: str = "zh") -> dict[str, pd.DataFrame]:
    """A validation report as workbook sheets for people: one sheet per table (named in
    ``lang``: 单位, 党组织...), the problem first, headers and codes in ``lang``."""
    from .labels import localise
    from .schema import TABLES

    order = ["problem_zh", "problem", "row", "column", "value", "severity"]
    if lang == "en":
        order = ["problem", "row", "column", "value", "severity"]
    sheets = {"问题汇总" if lang == "zh" else "summary": localise(
        report.groupby(["table", "severity", "problem", "problem_zh"], dropna=False)
        .size().rename("count").reset_index(), lang)}
    for table, part in report.groupby("table", sort=False):
        name = (TABLES[table].zh if lang == "zh" else table) if table in TABLES else (
            "数据集" if lang == "zh" else str(table))
        cols = [c for c in order if c in part.columns]
        sheets[name] = localise(part[cols].reset_index(drop=True), lang)
    return sheets


def _cmd_reconcile(args: argparse.Namespace) -> int:
    from .dataset import reconcile, write_reconcile

    parts = reconcile(_source(args), aliases=args.aliases)
    path = write_reconcile(_source(args), args.output, aliases=args.aliases)
    print(visible(f"{path}: {len(parts['unresolved'])} 待确认 / to decide, "
                  f"{len(parts['resolved'])} 已按名称匹配 / resolved by name, "
                  f"{len(parts['duplicates'])} 疑似重复 / probable duplicates"))
    return 1 if len(parts["unresolved"]) else 0


def _cmd_summary(args: argparse.Namespace) -> int:
    from .dataset import read_dataset

    net = read_dataset(_source(args), strict=not args.lenient, aliases=args.aliases)
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


def _synth_province(args: argparse.Namespace) -> int:
    import pandas as pd

    from . import synthetic
    from .errors import UsageError

    districts = streets = None
    if args.province:
        if not args.areas_csv:
            raise UsageError("--province needs --areas-csv (the districts' codes and names) / "
                             "--province 需同时给出 --areas-csv")
        areas = pd.read_csv(args.areas_csv, dtype=str, encoding="utf-8-sig")
        districts = areas[areas["code"].str[:2] == args.province][["code", "name"]]
        if args.streets_csv:
            streets = pd.read_csv(args.streets_csv, dtype=str, encoding="utf-8-sig")
            have = set(streets["code"].str[:6])
            districts = districts[districts["code"].isin(have)]
        if len(districts) < args.districts:
            raise UsageError(f"province {args.province} has {len(districts)} districts in "
                             f"{args.areas_csv}, fewer than {args.districts} / 该省区县数不足")
    out = synthetic.province(args.output, args.districts, args.members, seed=args.seed,
                             districts=districts, streets=streets,
                             cross_ties=args.cross_ties, encoding=args.encoding)
    print(f"{out}: {args.districts} districts, {args.members:,} members")
    return 0


def _cmd_synth(args: argparse.Namespace) -> int:
    from pathlib import Path

    from . import synthetic

    if args.districts:
        return _synth_province(args)
    streets = None
    if args.streets_csv:
        import pandas as pd

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


def _cmd_assess(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .assessment import assess
    from .settings import config

    if args.path:
        from .districts import find_districts

        if find_districts(args.path):
            return _assess_province(args)
        if args.scheduler or args.workers is not None:  # one district: one process
            print(("只有一个区县的数据:--scheduler 与 --workers 不起作用" if args.lang == "zh"
                   else "one district's data: --scheduler and --workers do not apply"),
                  file=sys.stderr)
    window = tuple(args.window) if args.window else None
    with config.override(network_max_nodes=args.max_nodes or config.network_max_nodes):
        a = assess(_source(args), rules=_rules_of(args), window=window,
                   permutations=args.permutations, seed=args.seed, within=args.within,
                   strict=args.strict, progress=not args.quiet, aliases=args.aliases)
        out = a.write(args.output, lang=args.lang)
    extra = _export(a.net, Path(args.output), args.export or [], progress=not args.quiet,
                    assessment=a)
    errors = int((a.tables["validation"]["severity"] == "error").sum())
    zh = args.lang == "zh"
    if errors:
        print((f"数据中有 {errors} 处错误,相应行已搁置,详见报告“数据检查”。" if zh else
               f"{errors} data error(s): those rows were set aside; see the report's data "
               f"section."), file=sys.stderr)
    for k, why in a.unavailable.items():
        print(visible(f"{'未能计算' if zh else 'not computed'} {k}: {why}"), file=sys.stderr)
    for p in [*out.values(), *extra]:
        print(p)
    return 0


def _assess_province(args: argparse.Namespace) -> int:
    """``partygraph assess PROVINCE``: the districts in parallel on Dask, rolled up."""
    from .province import assess_province
    from .settings import config

    zh = args.lang == "zh"
    if args.export:
        print(("全省评估不另行导出:各区县的结果表(Parquet)已在 districts/<区县>/tables/ 中"
               if zh else "--export is not needed for a province: each district's result "
               "tables (Parquet) are in districts/<district>/tables/"), file=sys.stderr)
    with config.override(network_max_nodes=args.max_nodes or config.network_max_nodes):
        p = assess_province(args.path, output=args.output, scheduler=args.scheduler,
                            workers=args.workers, rules=_rules_of(args),
                            window=tuple(args.window) if args.window else None,
                            permutations=args.permutations, seed=args.seed,
                            within=args.within, strict=args.strict, progress=not args.quiet,
                            lang=args.lang, aliases=args.aliases)
    out = p.write(args.output, lang=args.lang)
    for r in p.failed.itertuples(index=False):
        print(visible(f"{'未能评估' if zh else 'not assessed'} {r.district}: {r.error}"),
              file=sys.stderr)
    for path in out.values():
        print(path)
    return 0 if not len(p.failed) else EXIT_DATA


def _cmd_compare(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .change import compare
    from .dataset import example_path

    def where(x: str) -> object:
        p = Path(x)
        return p if p.exists() else example_path(x)  # a bundled example by name

    before = where(args.before)
    after = where(args.after) if args.after else None
    rules = args.rules
    if rules is None:  # a bundled example (or a folder) carries its own rules.json
        own = (before if before.is_dir() else before.parent) / "rules.json"
        rules = str(own) if own.exists() else "national"
    c = compare(before, after, rules=rules,
                window_before=tuple(args.window_before) if args.window_before else None,
                window_after=tuple(args.window_after) if args.window_after else None,
                progress=not args.quiet)
    out = c.write(args.output, lang=args.lang)
    for p in out.values():
        print(p)
    return 0


def _rules_of(args: argparse.Namespace) -> str:
    """``--rules``, or for a bundled example without it the example's own rules file."""
    if args.rules:
        return args.rules
    if args.example and not args.path:
        from .dataset import example_path

        own = example_path(args.example)
        own = (own if own.is_dir() else own.parent) / "rules.json"
        if own.exists():
            return str(own)
    return "national"


def _export(net, directory, formats, progress: bool = False, assessment=None) -> list:
    from .export import write_graph, write_parquet

    done = []
    for f in formats:
        if progress:
            print(f"export {f} …", file=sys.stderr, flush=True)
        if f.startswith("results-"):
            done.append(assessment.export_tables(directory / f, f.split("-")[1]))
        elif f == "parquet":
            done.append(write_parquet(net, directory / "tables"))
        else:
            done.append(write_graph(net, directory / f"actors.{f}", graph="actors"))
            done.append(write_graph(net, directory / f"network.{f}", graph="full"))
    return done


def _cmd_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .dataset import read_dataset

    net = read_dataset(_source(args), strict=not args.lenient, aliases=args.aliases)
    for p in _export(net, Path(args.output), args.format):
        print(p)
    return 0


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="partygraph",
        description="Co-building network analytics for grassroots Party organisations "
        "(区域化党建网络分析)",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"partygraph {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def add_source(p: argparse.ArgumentParser) -> None:
        p.add_argument("path", nargs="?", help="folder of CSV files or .xlsx workbook")
        p.add_argument("--example", help="a bundled example data set instead (e.g. demo)")
        p.add_argument("--lang", choices=["zh", "en"], default="zh")
        p.add_argument("--aliases", help="an alias table (对照表) mapping names to ids, as "
                       "written by `partygraph reconcile` and completed by hand")

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
    p.add_argument("-n", "--members", type=_non_negative, default=10_000,
                   help="number of members")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("-o", "--output", required=True, help="folder to write the CSV files to")
    p.add_argument("--district", default="990101", help="6-digit district code")
    p.add_argument("--district-name", help="the district's name")
    p.add_argument("--streets-csv", help="statistical division codes of streets (columns "
                   "code, name) to use the district's real streets")
    p.add_argument("--encoding", default="utf-8-sig", help="e.g. gb18030 for a GBK export")
    p.add_argument("--districts", type=_non_negative, help="a province of this many districts "
                   "(one folder each, -n members in all, with ties across districts)")
    p.add_argument("--province", help="with --districts: a 2-digit province code whose real "
                   "districts to use (needs --areas-csv; --streets-csv gives their streets)")
    p.add_argument("--areas-csv", help="statistical division codes of districts (code, name, "
                   "provinceCode)")
    p.add_argument("--cross-ties", type=_non_negative, default=10,
                   help="with --districts: pair links from each district to the next")
    p.set_defaults(func=_cmd_synth)

    p = sub.add_parser("compare", help="what changed between two years (前后对比): "
                       "report.html, comparison.xlsx")
    p.add_argument("before", help="the earlier data set (folder, workbook, or a bundled "
                   "example's name)")
    p.add_argument("after", nargs="?", help="the later one (omit to compare one data set in "
                   "two windows)")
    p.add_argument("-o", "--output", default="comparison", help="folder to write to")
    p.add_argument("--rules", default=None, help="coverage rules: a preset or a rules file")
    p.add_argument("--window-before", nargs=2, metavar=("START", "END"))
    p.add_argument("--window-after", nargs=2, metavar=("START", "END"))
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=_cmd_compare)

    p = sub.add_parser("assess", help="the whole assessment: report.html, assessment.xlsx, "
                       "network.html (综合评估)")
    add_source(p)
    p.add_argument("-o", "--output", default="assessment", help="folder to write to "
                   "(default: ./assessment)")
    p.add_argument("--rules", default=None, help="national (default; a bundled example "
                   "uses its own rules.json), jiangbei, longyan, chaonan, yongan, shanghai, "
                   "or a rules file (.yaml/.json)")
    p.add_argument("--window", nargs=2, metavar=("START", "END"),
                   help="analysis window, e.g. 2024-01-01 2024-12-31")
    p.add_argument("--permutations", type=_non_negative, default=200,
                   help="label permutations for the linkage significance (default 200)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--within", default="street",
                   help="region level within which needs meet resources (default street)")
    p.add_argument("--max-nodes", type=_non_negative, help="most actors drawn one by one in the "
                   "network (default 1500)")
    p.add_argument("--export", action="append",
                   choices=["graphml", "gexf", "parquet", "results-parquet", "results-csv"],
                   help="also export the graphs, the data tables (parquet) or every result "
                   "table (results-parquet, results-csv); repeatable")
    p.add_argument("--scheduler", help="a province: run the districts on this Dask scheduler "
                   "(tcp://host:8786) instead of a local cluster")
    p.add_argument("--workers", type=_non_negative, help="a province: processes of the local "
                   "cluster (default: the cores; 0: one district after another, no Dask)")
    p.add_argument("--strict", action="store_true", help="stop on any data error instead "
                   "of setting bad rows aside")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=_cmd_assess)

    p = sub.add_parser("export", help="export graphs (GraphML/GEXF) and tables (Parquet) "
                       "(导出)")
    add_source(p)
    p.add_argument("-o", "--output", required=True, help="folder to write to")
    p.add_argument("-f", "--format", action="append", required=True,
                   choices=["graphml", "gexf", "parquet"], help="repeatable")
    p.add_argument("--lenient", action="store_true", help="set bad rows aside instead of failing")
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("reconcile", help="write the table to match a ledger's names to ids "
                       "(名称对照表)")
    add_source(p)
    p.add_argument("-o", "--output", required=True, help="the .xlsx file to write")
    p.set_defaults(func=_cmd_reconcile)

    p = sub.add_parser("examples", help="list the bundled data sets (示例数据)")
    p.set_defaults(func=_cmd_examples)

    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    return _run(args)


#: Exit statuses: data problems, usage problems, an internal error, interrupted.
EXIT_DATA, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 1, 2, 3, 130


def _run(args: argparse.Namespace) -> int:
    """Run a command; every failure becomes one message and an exit status, never a
    traceback (set ``PARTYGRAPH_DEBUG=1`` to see one)."""
    import os

    from .errors import PartygraphError, UsageError
    from .settings import config

    debug = bool(os.environ.get("PARTYGRAPH_DEBUG"))
    # progress bars on the command line (stderr), off with -q
    old = config.progress
    config.progress = not getattr(args, "quiet", False)
    try:
        return args.func(args)
    except BrokenPipeError:  # e.g. `partygraph examples | head`
        _quiet_stdout()
        return 0
    except KeyboardInterrupt:
        _say("interrupted / 已中断")
        return EXIT_INTERRUPTED
    except UsageError as exc:
        _say(f"partygraph: {exc}")
        return EXIT_USAGE
    except PartygraphError as exc:
        _say(f"partygraph: {exc}")
        return EXIT_DATA
    except OSError as exc:  # a path the user gave that cannot be used
        _say(f"partygraph: {exc.filename or ''}: {exc.strerror or exc} / 文件或路径无法使用")
        return EXIT_USAGE
    except Exception as exc:
        if debug:
            raise
        _say(f"partygraph: internal error ({type(exc).__name__}: {exc}). This is a bug in "
             "partygraph; please report it with the command you ran (PARTYGRAPH_DEBUG=1 "
             "shows the details) / 程序内部错误,请将所运行的命令反馈给开发者")
        return EXIT_INTERNAL
    finally:
        config.progress = old


def _quiet_stdout() -> None:
    """After a closed pipe, send what is left of stdout nowhere (no second error at exit)."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _say(text: str) -> None:
    try:
        print(visible(text), file=sys.stderr)
    except (BrokenPipeError, OSError):
        pass


_CONTROL = {c: f"\\x{c:02x}" for c in [*range(0, 9), *range(11, 32), *range(0x7F, 0xA0)]}
_CONTROL.update({c: f"\\u{c:04x}" for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]})


def visible(text: str) -> str:
    """Text safe for a terminal: control and escape characters shown as ``\\x1b`` etc.
    (newlines and tabs kept), so that no data can move the cursor or recolour the screen.

    >>> visible("单位\\x1b[31m")
    '单位\\\\x1b[31m'
    """
    return str(text).translate(_CONTROL)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
