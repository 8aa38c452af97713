"""`legation record`: append one event (or a correction or retraction) to a store, checked by the reducer."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from engine.cli._common import EXIT_OK, UsageError, kind_arg
from engine.cli._store import add_expect_option, add_store_options, open_store, stream_of

DESCRIPTION = (
    "Record one event in a store's stream, as a user keeping a history would: its fields as options, or a TOML "
    "snippet (the fields of an [[events]] table). It is checked against the history first: an event the "
    "reducer finds impossible is refused with the rule it breaks, unless recorded --anomaly. --correct records "
    "new fields for a recorded event (same id); --retract ID withdraws one. Earlier records never change."
)
EXAMPLE = """
  legation record --store history.db --kind statement --id s1 --date 2025-12-01 --actor BOL --target USA \\
      --source "press release" --field statement=announcement
  legation record --store history.db --retract s1 --reason "misdated\""""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_store_options(parser)
    add_expect_option(parser)
    parser.add_argument("--kind", type=kind_arg, help="the event's kind (relations_severed, statement, ...)")
    parser.add_argument("--id", help="the event's id (unique in the history)")
    parser.add_argument("--date", help="when it happened (EDTF: 2008-09-10, 2008-09, 2008)")
    parser.add_argument("--actor", help="who acted (an actor code such as BOL)")
    parser.add_argument("--target", help="who it was done to (an actor code)")
    parser.add_argument("--source", action="append", default=[], help="a citation (repeat for more)")
    parser.add_argument("--note", help="free text")
    parser.add_argument("--caused-by", action="append", default=[], metavar="ID", help="an earlier event it caused")
    parser.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="another field of the kind (a TOML value, or plain text): --field rank=ambassador",
    )
    parser.add_argument("--toml", metavar="TEXT|@FILE", help="the event as TOML (kind = ..., id = ..., ...)")
    parser.add_argument("--correct", action="store_true", help="record new fields for the recorded event with --id")
    parser.add_argument("--retract", metavar="ID", help="withdraw the recorded event ID")
    parser.add_argument("--reason", default="", help="why (kept with a retraction)")
    parser.add_argument("--anomaly", action="store_true", help="keep the event even if the reducer finds it impossible")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")


def _event(args: argparse.Namespace):
    from engine.store import event_from_toml
    from events import event_from_dict

    if args.toml is not None:
        text = args.toml
        if text.startswith("@"):
            try:
                text = Path(text[1:]).read_text(encoding="utf-8")
            except OSError as error:
                raise UsageError(f"--toml {args.toml}: cannot read ({error.strerror})") from None
        return event_from_toml(text)
    data: dict[str, Any] = {}
    for name in ("kind", "id", "date", "actor", "target", "note"):
        value = getattr(args, name)
        if value is not None:
            data[name] = value
    if args.source:
        data["sources"] = args.source
    if args.caused_by:
        data["caused_by"] = args.caused_by
    for item in args.field:
        name, equals, value = item.partition("=")
        if not equals or not name.strip():
            raise UsageError(f"--field {item!r}: expected NAME=VALUE")
        data[name.strip()] = _value(value)
    if "kind" not in data:
        raise UsageError("legation record: expected --kind (or --toml, or --retract ID)")
    return event_from_dict(data)


def _value(text: str) -> Any:
    """A --field value: a TOML value where it reads as one (numbers, booleans, ["lists"]), else the text."""
    import tomli

    try:
        return tomli.loads(f"value = {text}")["value"]
    except tomli.TOMLDecodeError:
        return text


def run(args: argparse.Namespace) -> int:
    import json

    stream = stream_of(args)
    with open_store(args) as store:
        if args.retract is not None:
            result = store.retract([args.retract], stream, reason=args.reason, expected=args.expect)
        else:
            event = _event(args)
            write = store.correct if args.correct else store.append
            result = write([event], stream, expected=args.expect, anomaly=args.anomaly)
    if args.format == "json":
        fields = ("written", "skipped")
        print(
            json.dumps(
                {"stream": stream, "position": result.head.position, "hash": result.head.hash}
                | {name: getattr(result, name) for name in fields}
            )
        )
    elif result.written:
        print(f"recorded at position {result.head.position} of stream {stream!r} (sha256 {result.head.hash})")
    else:
        print(f"already recorded: nothing written (stream {stream!r} ends at position {result.head.position})")
    return EXIT_OK
