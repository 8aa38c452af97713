"""`legation log`: a store's record, each record with when it was recorded and when its event happened."""

from __future__ import annotations

import argparse
import json

from engine.cli._common import EXIT_OK, UsageError
from engine.cli._store import add_store_options, open_store, stream_of

DESCRIPTION = (
    "List a stream's records in the order they were recorded: position, time of recording (UTC), what the "
    "record does (event, correct, retract, meta), the event's id and the date it happened, whether it was kept "
    "as an anomaly, and the start of its hash. Cite a position (and its hash) to say which record an answer "
    "was computed from; `legation at DATE --store URL --as-recorded POSITION` gives it again."
)
EXAMPLE = "legation log --store history.db --from 230"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_store_options(parser)
    parser.add_argument("--from", dest="start", type=int, default=1, metavar="POSITION", help="first position")
    parser.add_argument("--to", dest="end", type=int, metavar="POSITION", help="last position")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")


def _happened(record) -> str:
    if record.operation not in ("event", "correct"):
        return ""
    try:
        return str(json.loads(record.payload).get("date", ""))
    except (json.JSONDecodeError, AttributeError):
        return "?"


def run(args: argparse.Namespace) -> int:
    stream = stream_of(args)
    with open_store(args) as store:
        if stream not in store.streams():
            raise UsageError(f"{store.url}: no stream {stream!r} (streams: {', '.join(store.streams()) or 'none'})")
        records = store.records(stream, after=max(args.start, 1) - 1, upto=args.end)
        if args.format == "json":
            for record in records:
                row = {
                    "position": record.position,
                    "recorded_at": record.recorded_at,
                    "operation": record.operation,
                    "event_id": record.event_id,
                    "happened": _happened(record) or None,
                    "anomaly": record.anomaly,
                    "payload": json.loads(record.payload),
                    "hash": record.hash,
                }
                print(json.dumps(row, ensure_ascii=False))
            return EXIT_OK
        print(f"{'position':>8}  {'recorded (UTC)':<27}  {'record':<7}  {'happened':<10}  {'hash':<12}  event")
        for record in records:
            flag = "  (anomaly)" if record.anomaly else ""
            print(
                f"{record.position:>8}  {record.recorded_at:<27}  {record.operation:<7}  {_happened(record):<10}  "
                f"{record.hash[:12]}  {record.event_id or ''}{flag}"
            )
    return EXIT_OK
