"""What the store's subcommands share: opening the store --store names, as-recorded points, progress bars."""

from __future__ import annotations

import argparse
from collections import deque
from collections.abc import Callable
from itertools import islice

from engine.cli._common import UsageError, track
from events import Scenario


def add_store_options(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    """--store URL (required) and --stream NAME."""
    parser.add_argument(
        "--store",
        required=required,
        metavar="URL",
        help="the event store: sqlite:///PATH, a store file, or postgresql://USER@HOST/DATABASE",
    )
    parser.add_argument("--stream", metavar="NAME", help="the stream (history) in the store (default: main)")


def add_expect_option(parser: argparse.ArgumentParser) -> None:
    """--expect N: optimistic concurrency from the command line."""
    parser.add_argument(
        "--expect",
        type=int,
        metavar="POSITION",
        help="the position you read the stream at: if another writer appended since, nothing is written (a "
        "conflict naming both positions)",
    )


def stream_of(args: argparse.Namespace) -> str:
    from engine.store import DEFAULT_STREAM

    return args.stream or DEFAULT_STREAM


def open_store(args: argparse.Namespace, *, create: bool = False):
    """The `EventStore` at --store (its errors are one line each)."""
    from engine.store import EventStore

    if not args.store:
        raise UsageError("expected --store URL (sqlite:///PATH, a store file, or postgresql://...)")
    return EventStore.open(args.store, create=create)


def as_recorded(args: argparse.Namespace) -> int | str | None:
    """--as-recorded as a record position (a whole number) or a time of recording (text); None: as it stands."""
    text = getattr(args, "as_recorded", None)
    if text is None:
        return None
    text = text.strip()
    return int(text) if text.isdigit() else text


def scenario_from_store(args: argparse.Namespace) -> Scenario:
    """The history in --store's stream, as the record stands or stood; notes in `args.record` what it cites."""
    stream = stream_of(args)
    with open_store(args) as store:
        if stream not in store.streams():
            known = ", ".join(store.streams()) or "none yet: legation store import FILE --store URL"
            raise UsageError(f"{store.url}: no stream {stream!r} (streams: {known})")
        view = store.view(stream, as_recorded(args))
        args.record = {
            "store": store.url,
            "stream": stream,
            "position": view.position,
            "hash": view.hash,
            "recorded_at": view.recorded_at,
        }
        return view.scenario(f"{store.url}#{stream}")


def citation(record: dict) -> str:
    """One line naming the record an answer was computed from (a published answer can cite it)."""
    return (
        f"As recorded: {record['store']} stream {record['stream']}, position {record['position']} "
        f"(recorded {record['recorded_at'] or 'never'}, sha256 {record['hash']})"
    )


def progress_bar(total: int, description: str) -> tuple[Callable[[int], None], Callable[[], None]]:
    """A progress callback (advance by n) over `track`'s bar, and the function that closes the bar."""
    ticks = track(range(total), description, total=total)

    def advance(count: int) -> None:
        deque(islice(ticks, count), maxlen=0)

    def finish() -> None:
        deque(ticks, maxlen=0)

    return advance, finish
