"""`legation import`: turn a Correlates of War file or CAMEO-coded event data into a scenario file or a store stream."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

import attrs

from engine.cli._common import EXIT_OK, MissingExtraError, UsageError, track

if TYPE_CHECKING:  # only named in annotations: the importers load pycountry, imported once the extra is checked
    from engine.importers.cameo import CameoImport
    from engine.importers.cow import CowImport

DESCRIPTION = (
    "Read the field's data into a scenario file or an event store: cow (Correlates of War Diplomatic "
    "Exchange v2006.1 CSV), gdelt1 / gdelt2 (GDELT 1.0 / 2.0 event exports, tab-separated, no header), "
    "icews (tab-separated with a header) or csv (columns date, actor, target, code and optionally goldstein, "
    "url, mentions, sources, articles, id). The file is read line by line; the result is written whole or "
    "not at all (-o: a scenario file; --store: a stream of an event store, in one transaction), and a report "
    "(rows read, events made, rows set aside with their lines, unmapped codes, anomalies) goes to stderr. "
    "A row that cannot be imported is an error naming its line, unless --lenient sets it aside. "
    "See docs/data.md for the CAMEO mapping table and its judgement calls."
)
EXAMPLE = "legation import gdelt2 20190101.export.CSV -o events.toml --dedup day"
FORMATS = ("cow", "gdelt1", "gdelt2", "icews", "csv")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source_format", choices=FORMATS, metavar="FORMAT", help=f"one of {', '.join(FORMATS)}")
    parser.add_argument("file", metavar="FILE", help="the data file")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("-o", "--out", metavar="OUT.toml", help="the scenario file to write")
    where.add_argument(
        "--store",
        metavar="URL",
        help="record the history into this event store instead (sqlite:///PATH, a store file, or "
        "postgresql://...), all or nothing; CAMEO data is imported onto the stream's history",
    )
    parser.add_argument("--stream", metavar="NAME", help="with --store: the stream (default: main)")
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

    result: CowImport | CameoImport
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
        if args.store is not None:
            onto = _stream_history(args, onto)
        with open_text(args.file) as stream:
            result = import_event_lines(_lines(stream, args.file), args.source_format, args.file, options, onto)
    if args.store is not None:
        _record(args, result.scenario)
    else:
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


def _stream_history(args: argparse.Namespace, onto):
    """The history CAMEO data is imported onto with --store: the stream's own, when it has one (else --onto's)."""
    from engine.cli._store import open_store, stream_of

    stream = stream_of(args)
    with open_store(args) as store:
        if stream not in store.streams():
            args.expect = 0  # a stream made meanwhile by another writer is a conflict, not a merge
            return onto
        if onto is not None:
            raise UsageError(
                f"--onto {args.onto!r}: stream {stream!r} of {store.url} holds a history already; the events "
                "are imported onto it (leave out --onto, or name a new --stream)"
            )
        view = store.view(stream)
        args.expect = view.position  # the events are folded onto this history: if the stream moves, a conflict
        return view.scenario(f"{store.url}#{stream}")


def _record(args: argparse.Namespace, scenario) -> None:
    """Record the imported history into --store's stream in one transaction: all of it, or nothing.

    Events the lenient fold found impossible are recorded as anomalies (the import report lists them);
    events the stream holds already are skipped. Any refusal leaves the stream as it was.
    """
    from engine.cli._store import open_store, progress_bar, stream_of

    stream = stream_of(args)
    with open_store(args) as store:
        advance, finish = progress_bar(len(scenario.log) + 1, f"recording into {stream}")
        try:
            expected = getattr(args, "expect", None)
            result = store.import_scenario(scenario, stream, expected=expected, anomaly=True, progress=advance)
        finally:
            finish()
    print(
        f"recorded into {store.url} stream {stream!r}: {result.written} records written, {result.skipped} already "
        f"recorded; the stream ends at position {result.head.position} (sha256 {result.head.hash})",
        file=sys.stderr,
    )
