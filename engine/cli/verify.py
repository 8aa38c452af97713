"""`legation verify`: check a store's hash chains and name the first record that is not as recorded."""

from __future__ import annotations

import argparse
import json

from engine.cli._common import EXIT_CHECK_FAILED, EXIT_OK
from engine.cli._store import add_store_options, open_store

DESCRIPTION = (
    "Recompute every stream's hash chain (or one --stream's): each record must follow the one before it and "
    "match its own hash, so any altered, removed, inserted or reordered record is found; the first bad position "
    "is named. Exit status 1 if a stream fails. The head hash it prints is what to publish beside an answer."
)
EXAMPLE = "legation verify --store history.db"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_store_options(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")


def run(args: argparse.Namespace) -> int:
    from engine.store import verify

    with open_store(args) as store:
        verdicts = verify(store.recorder, args.stream)
    if args.format == "json":
        rows = [
            {
                "stream": verdict.stream,
                "ok": verdict.ok,
                "records": verdict.records,
                "head_position": verdict.head_position,
                "head_hash": verdict.head_hash,
                "bad_position": verdict.bad_position,
                "problem": verdict.problem or None,
            }
            for verdict in verdicts
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for verdict in verdicts:
            print(("ok   " if verdict.ok else "BAD  ") + str(verdict))
        if not verdicts:
            print("the store holds no stream yet")
    return EXIT_OK if all(verdict.ok for verdict in verdicts) else EXIT_CHECK_FAILED
