"""The parser class and the options subcommands share, importable without the event model (for the answer cache).

The answer cache reads a command line with the very parser `legation at` uses (`engine.cli.build_parser`), so
that the two cannot disagree about what a command line means; it must do so before the event model is
imported, hence this module imports only the standard library and `scenarios` (which is light).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import scenarios

DATE = "date"
"""The registered argparse type name of an EDTF date: `add_argument(..., type=DATE)`."""


def date_arg(text: str):
    """An argparse type: an EDTF date."""
    from events import DateFormatError, parse_date

    try:
        return parse_date(text)
    except DateFormatError as error:
        raise argparse.ArgumentTypeError(f"bad date {text!r}: expected {error.expected}") from None


def kind_arg(text: str) -> str:
    """An argparse type: an event kind's tag (or an old alias of it)."""
    from events import EVENT_KINDS, KIND_ALIASES

    tag = KIND_ALIASES.get(text, text)
    if tag not in EVENT_KINDS:
        raise argparse.ArgumentTypeError(
            f"unknown event kind {text!r}: expected one of {', '.join(sorted(EVENT_KINDS))}"
        )
    return tag


class Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and exiting, so every error is one line."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.register("type", DATE, date_arg)

    def error(self, message: str) -> None:  # type: ignore[override]
        from engine.cli._common import UsageError

        # A subcommand names itself ("legation at: ..."); the program's own name is already the line's prefix.
        where = f"{self.prog}: " if " " in self.prog else ""
        raise UsageError(f"{where}{message} (see {self.prog} --help)")


class NotReadable(Exception):
    """Raised by `ReadingParser` where the real parser would print or fail: the full path must answer."""


class ReadingParser(Parser):
    """The same parser, reading dates as their text and raising `NotReadable` instead of printing or failing.

    Used by the answer cache to know what a command line asks without importing the event model: the date
    is converted later, by the full path, or never (a cached answer was stored for exactly this text).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.register("type", DATE, str)

    def error(self, message: str) -> None:  # type: ignore[override]
        raise NotReadable(message)

    def exit(self, status: int = 0, message: str | None = None) -> None:  # type: ignore[override]
        raise NotReadable(message or "")

    def _print_message(self, message: str, file=None) -> None:
        raise NotReadable("the command line prints help or usage")


def add_common_options(
    parser: argparse.ArgumentParser,
    *,
    scenario: bool = True,
    pair: bool = True,
    formats: Sequence[str] = ("text", "json"),
    scenario_default: str | None = scenarios.DEFAULT,
    scenario_help: str | None = None,
    pair_help: str = "the two actors (default: the scenario's main pair)",
    lenient_help: str = "record impossible transitions as anomalies instead of failing",
) -> None:
    """The options every subcommand shares: --scenario, --pair, --format, --lenient."""
    if scenario:
        parser.add_argument(
            "--scenario",
            default=scenario_default,
            metavar="NAME|PATH",
            help=scenario_help or f"built-in scenario name or scenario file/folder (default: {scenario_default})",
        )
        parser.add_argument(
            "--store",
            metavar="URL",
            help="read the history from an event store instead: sqlite:///PATH, a store file, or postgresql://...",
        )
        parser.add_argument("--stream", metavar="NAME", help="the store's stream (default: main)")
        parser.add_argument(
            "--as-recorded",
            metavar="R",
            help="with --store: the history as the record stood at R, a record position (see legation log) or a "
            "time of recording (2026-11-30, 2026-11-30T12:00:00Z)",
        )
    if pair:
        parser.add_argument("--pair", nargs=2, metavar=("A", "B"), help=pair_help)
    parser.add_argument("--format", choices=formats, default=formats[0], help=f"output format (default {formats[0]})")
    parser.add_argument("--lenient", action="store_true", help=lenient_help)
