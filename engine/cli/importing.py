"""`legation import`: turn a Correlates of War file or CAMEO-coded event data into a scenario file."""

from __future__ import annotations

import argparse
import sys

import attrs

from engine.cli._common import EXIT_OK, MissingExtraError, UsageError, track

DESCRIPTION = (
    "Read the field's data into a scenario file: cow (Correlates of War Diplomatic Exchange v2006.1 CSV), "
    "gdelt1 / gdelt2 (GDELT 1.0 / 2.0 event exports, tab-separated, no header), icews (tab-separated with a "
    "header) or csv (columns date, actor, target, code and optionally goldstein, url, mentions, sources, "
    "articles, id). The file is read line by line; the result is written whole or not at all, and a report "
    "(rows read, events made, rows set aside with their lines, unmapped codes, anomalies) goes to stderr. "
    "A row that cannot be imported is an error naming its line, unless --lenient sets it aside. "
    "See docs/data.md for the CAMEO mapping table and its judgement calls."
)
EXAMPLE = "legation import gdelt2 20190101.export.CSV -o events.toml --dedup day"
FORMATS = ("cow", "gdelt1", "gdelt2", "icews", "csv")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source_format", choices=FORMATS, metavar="FORMAT", help=f"one of {', '.join(FORMATS)}")
    parser.add_argument("file", metavar="FILE", help="the data file")
    parser.add_argument("-o", "--out", required=True, metavar="OUT.toml", help="the scenario file to write")
    parser.add_argument(
        "--dedup", choices=("none", "day", "month"), default="day", help="CAMEO: merge reports of one event (day)"
    )
    parser.add_argument(
        "--impossible",
        choices=("keep", "record", "error"),
        default="keep",
        help="CAMEO: an event the state makes impossible is kept (anomaly reported), recorded only, or an error",
    )
    parser.add_argument(
        "--cameo-161", choices=("reduce", "break"), default="reduce", help="CAMEO 161: prefer a recall or a break"
    )
    parser.add_argument(
        "--map", action="append", default=[], metavar="CODE=KIND[,KIND]", help="CAMEO: override the table's kinds"
    )
    parser.add_argument("--column", action="append", default=[], metavar="ROLE=NAME", help="csv: rename a column")
    parser.add_argument("--delimiter", default=",", help="csv: the field separator (default ,)")
    parser.add_argument(
        "--onto",
        metavar="NAME|PATH",
        help="CAMEO: add the events to this scenario (its state decides 161 and the like; written to OUT)",
    )
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="set aside rows that cannot be imported (COW: contradictions, repeated dyad-years, unknown codes; "
        "event data: unknown countries) and report them, instead of failing at the first",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="of the report (stderr)")


def _pairs(items: list[str], option: str) -> dict[str, str]:
    found = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"{option} {item!r}: expected KEY=VALUE")
        found[key.strip()] = value.strip()
    return found


def _lines(stream, path: str):
    from engine.importers._common import bounded_lines

    return track(bounded_lines(stream, path), f"reading {path}")


def run(args: argparse.Namespace) -> int:
    try:
        import pycountry  # noqa: F401 - the importers resolve countries with it
    except ImportError:
        raise MissingExtraError("legation import needs the data extra: pip install 'legation[data]'") from None
    from engine.importers._common import open_text, write_atomically
    from events import dump_scenario

    if args.source_format == "cow":
        from engine.importers.cow import import_cow_lines

        with open_text(args.file) as stream:
            result = import_cow_lines(_lines(stream, args.file), args.file, strict=not args.lenient)
    else:
        from engine.importers.cameo import CameoOptions, import_event_lines

        overrides = {code: tuple(k for k in kinds.split(",") if k) for code, kinds in _pairs(args.map, "--map").items()}
        try:
            options = CameoOptions(
                dedup=args.dedup,
                impossible=args.impossible,
                prefer_break=args.cameo_161 == "break",
                unknown_actors="skip" if args.lenient else "error",
                overrides=overrides,
                columns=_pairs(args.column, "--column"),
                delimiter=args.delimiter,
            )
        except (TypeError, ValueError) as error:
            raise UsageError(str(error)) from None
        onto = None
        if args.onto is not None:
            import scenarios

            onto = scenarios.load(args.onto)
        with open_text(args.file) as stream:
            result = import_event_lines(_lines(stream, args.file), args.source_format, args.file, options, onto)
    try:
        write_atomically(args.out, dump_scenario(result.scenario))
    except OSError as error:
        raise UsageError(f"--out {args.out!r}: cannot write ({error.strerror})") from None
    if args.format == "json":
        import json

        print(json.dumps(attrs.asdict(result.report), indent=2, ensure_ascii=False), file=sys.stderr)
    else:
        for line in result.report.lines():
            print(line, file=sys.stderr)
    return EXIT_OK
