"""`legation export`: write a history as a scenario file, JSON events or Correlates of War rows."""

from __future__ import annotations

import argparse
import json
import sys

from engine import History
from engine.cli._common import EXIT_OK, MissingExtraError, UsageError, add_common_options, load_scenario, pick_pair

DESCRIPTION = (
    "Write the scenario as a scenario file (toml), as JSON events, or the pair's representation levels as "
    "Correlates of War Diplomatic Exchange rows (cow: one row a year, levels on 31 December; the first actor "
    "of --pair is ccode1; the version column says `legation`, since the rows are computed from a history, not "
    "COW's own data); with --all-pairs (the default for a history with no main pair, such as an import) every "
    "pair of COW states in the data set's years, or with --like FILE the rows of a COW file. With --panel, a "
    "dyad-year (--freq month, day) panel of the state fields, events and "
    "tone for --pair or every pair, as csv or parquet (needs the data extra; columns in docs/data.md)."
)
EXAMPLE = "legation export --format cow --pair USA BOL --from 1900 --to 2005"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_common_options(parser, formats=("toml", "json", "cow", "csv", "parquet"))
    parser.add_argument("--panel", action="store_true", help="a dyad-period panel (formats csv, parquet)")
    parser.add_argument("--freq", choices=("year", "month", "day"), default="year", help="panel periods (year)")
    parser.add_argument("--from", dest="start", type=int, metavar="YEAR", help="first year of COW rows (cow only)")
    parser.add_argument("--to", dest="end", type=int, metavar="YEAR", help="last year of COW rows (cow only)")
    parser.add_argument(
        "--all-pairs",
        action="store_true",
        help="cow: every pair of the history's COW states in the data set's own years (--from/--to bound them), "
        "each year both were in the state system; the default for a history with no main pair (an import)",
    )
    parser.add_argument(
        "--like",
        metavar="COW.csv",
        help="cow: the rows (ccode1, ccode2, year) of this COW file, in its order and with its version: "
        "exporting an imported file's history --like the file gives the file back row for row",
    )
    parser.add_argument(
        "-o",
        "--out",
        metavar="FILE",
        help="write to FILE (written whole, then renamed into place; docs/output-files.md)",
    )
    from engine.cli.dataset import add_panel_arguments  # the panel of a Parquet dataset, on Dask

    add_panel_arguments(parser)


def _panel_frame(args: argparse.Namespace):
    try:
        import pandas  # noqa: F401
    except ImportError:
        raise MissingExtraError("export --panel needs the data extra: pip install 'legation[data]'") from None
    scenario = load_scenario(args)
    history = History(scenario.log, strict=not args.lenient)
    pairs = [pick_pair(args, scenario)] if args.pair else None
    start = str(args.start) if args.start is not None else None
    end = str(args.end) if args.end is not None else None
    return history.panel(pairs, freq=args.freq, start=start, end=end)


def _export_text(args: argparse.Namespace) -> str:
    from events import dump_scenario, event_to_dict

    if args.panel or args.format in ("csv", "parquet"):
        if not args.panel or args.format not in ("csv", "parquet"):
            raise UsageError("--panel goes with --format csv or parquet, and they with --panel")
        if args.format == "csv":
            return _panel_frame(args).to_csv(index=False)
    scenario = load_scenario(args)
    if args.format == "toml":
        return dump_scenario(scenario)
    if args.format == "json":
        document = {
            "scenario": {"name": scenario.name, "title": scenario.title, "pair": list(scenario.pair or ())},
            "events": [event_to_dict(event) for event in scenario.log],
        }
        return json.dumps(document, indent=2, ensure_ascii=False)
    from engine import format_cow_csv, history_cow_rows, years_covered

    history = History(scenario.log, strict=not args.lenient)
    if args.like is not None or args.all_pairs or (args.pair is None and scenario.pair is None):
        return format_cow_csv(_every_pair_rows(args, history))
    first, second = pick_pair(args, scenario)
    for code in (first, second):
        if scenario.log.actors[code].cow is None:
            raise UsageError(f"actor {code!r} has no Correlates of War code: expected a pair of COW states")
    covered = years_covered(history, first, second)
    start = args.start if args.start is not None else (covered.start if covered else None)
    end = args.end if args.end is not None else (covered.stop - 1 if covered else None)
    if start is None or end is None:
        raise UsageError(f"no event touches {first}-{second}: give --from and --to")
    for option, year in (("--from", start), ("--to", end)):
        if not 1 <= year <= 9999:
            raise UsageError(f"{option} {year}: expected a year from 1 to 9999")
    if end < start:
        raise UsageError(f"--to {end} is before --from {start}")
    return format_cow_csv(history_cow_rows(history, first, second, range(start, end + 1)))


def _every_pair_rows(args: argparse.Namespace, history: History) -> list:
    """COW rows of every pair of the history's COW states: the data set's years, or the rows of --like's file."""
    from engine.importers._common import bounded_lines, open_text
    from engine.importers.cow import COW_YEARS, EXPORT_VERSION, export_cow_rows, iter_cow_rows

    if args.pair is not None:
        raise UsageError("--pair exports one pair's rows; --all-pairs and --like export every pair's")
    if args.like is not None:
        with open_text(args.like) as stream:
            rows = [row for _, row in iter_cow_rows(bounded_lines(stream, args.like), args.like)]
        keys = [(row.ccode1, row.ccode2, row.year) for row in rows]
        return list(export_cow_rows(history, keys, version=rows[0].version if rows else EXPORT_VERSION))
    start = args.start if args.start is not None else COW_YEARS[0]
    end = args.end if args.end is not None else COW_YEARS[-1]
    if end < start:
        raise UsageError(f"--to {end} is before --from {start}")
    return list(export_cow_rows(history, years=[year for year in COW_YEARS if start <= year <= end]))


def run(args: argparse.Namespace) -> int:
    if args.panel and args.dataset:
        from engine.cli.dataset import run_panel  # the panel of a Parquet dataset, folded on Dask

        return run_panel(args)
    if args.panel and args.format == "parquet":
        if args.out is None:
            raise UsageError("--format parquet writes a binary file: give -o FILE")
        frame = _panel_frame(args)
        from engine.importers._common import write_atomically_with

        try:
            write_atomically_with(args.out, lambda path: frame.to_parquet(path, index=False))
        except OSError as error:
            raise UsageError(f"--out {args.out!r}: cannot write ({error.strerror})") from None
        return EXIT_OK
    text = _export_text(args)
    if args.out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return EXIT_OK
    from events import write_file

    write_file(args.out, text.encode("utf-8"), label="--out")
    return EXIT_OK
