"""`legation store`: create an event store, import a history into it, export one from it."""

from __future__ import annotations

import argparse
import sys

from engine.cli._common import EXIT_OK, Parser, UsageError
from engine.cli._store import add_expect_option, add_store_options, as_recorded, open_store, progress_bar, stream_of

DESCRIPTION = (
    "An event store keeps histories as append-only, hash-chained records: SQLite in one file (the default) or "
    "PostgreSQL for a team. `init` creates one; `import` records a scenario file or JSON Lines history into a "
    "stream, whole or not at all (events already recorded with the same fields are skipped); `export` writes a "
    "stream's history, as it stands or as recorded at a position or time, as a scenario file or JSON Lines."
)
EXAMPLE = """
  legation store init history.db
  legation store import scenarios/bolivia_usa/history.toml --store history.db
  legation store export --store history.db --format jsonl -o history.jsonl"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=Parser)
    init = actions.add_parser("init", help="create a store (a file, or the tables in a PostgreSQL database)")
    init.add_argument("url", metavar="URL", help="a store file (history.db), sqlite:///PATH or postgresql://...")
    init.set_defaults(handler=_init)

    imported = actions.add_parser("import", help="record a scenario file or JSON Lines history into a stream")
    imported.add_argument("file", metavar="FILE", help="scenario file or folder, built-in scenario name, or .jsonl")
    add_store_options(imported)
    add_expect_option(imported)
    imported.add_argument(
        "--anomaly", action="store_true", help="keep events the reducer finds impossible, as anomalies"
    )
    imported.set_defaults(handler=_import)

    exported = actions.add_parser("export", help="write a stream's history as a scenario file or JSON Lines")
    add_store_options(exported)
    exported.add_argument("--format", choices=("toml", "jsonl"), default="toml", help="output format (default toml)")
    exported.add_argument("--as-recorded", metavar="R", help="as the record stood at a position or time")
    exported.add_argument("-o", "--out", metavar="FILE", help="write to FILE (written whole, then moved into place)")
    exported.set_defaults(handler=_export)


def run(args: argparse.Namespace) -> int:
    raise UsageError("legation store: expected an action: init, import, export (see legation store --help)")


def _init(args: argparse.Namespace) -> int:
    from engine.store import EventStore

    with EventStore.open(args.url, create=True) as store:
        streams = store.streams()
        held = f"; it holds {len(streams)} streams" if streams else " (empty)"
        print(f"store ready: {store.url}{held}")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    import scenarios
    from engine.store import read_history_file

    path = args.file
    if not str(path).endswith((".jsonl", ".ndjson")):
        path = scenarios.history_path(path)
    scenario = read_history_file(path)
    stream = stream_of(args)
    with open_store(args) as store:
        advance, finish = progress_bar(len(scenario.log) + 1, f"importing into {stream}")
        try:
            result = store.import_scenario(
                scenario, stream, expected=args.expect, anomaly=args.anomaly, progress=advance
            )
        finally:
            finish()
    print(
        f"imported {path} into stream {stream!r}: {result.written} records written, {result.skipped} already "
        f"recorded; the stream ends at position {result.head.position} (sha256 {result.head.hash})"
    )
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from engine.store import dump_jsonl, write_text_atomically
    from events import dump_scenario

    stream = stream_of(args)
    with open_store(args) as store:
        if stream not in store.streams():
            raise UsageError(f"{store.url}: no stream {stream!r} (streams: {', '.join(store.streams()) or 'none'})")
        total = store.position_of(stream, as_recorded(args))
        advance, finish = progress_bar(total, f"reading {stream}")
        try:
            scenario = store.view(stream, as_recorded(args), progress=advance).scenario()
        finally:
            finish()
    text = dump_jsonl(scenario) if args.format == "jsonl" else dump_scenario(scenario)
    if args.out is None:
        sys.stdout.write(text)
    else:
        write_text_atomically(args.out, text)
    return EXIT_OK
