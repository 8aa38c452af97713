"""The `legation` command: the one place that wires files, the reducer and the terminal together.

Each subcommand lives in its own module of this package, which defines `DESCRIPTION` (or a function
`description()` where the text needs a module `at` does not load), `EXAMPLE`, `add_arguments(parser)`
and `run(args)` returning the exit status. The table `COMMANDS` below names them; a command line that
names its subcommand imports only that module, so `legation at` does not pay for `graph` or `plot`.
Adding a subcommand is one module and one row here.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any, NamedTuple

__all__ = [
    "COMMANDS",
    "EXIT_CHECK_FAILED",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "Command",
    "MissingExtraError",
    "UsageError",
    "build_parser",
    "main",
    "track",
]


EXIT_INTERRUPTED = 130
"""Exit status after Ctrl-C (128 + SIGINT), the shell's convention."""


class Command(NamedTuple):
    """One subcommand: its name, its line in `legation --help`, and the module that implements it."""

    name: str
    summary: str
    """One line for `legation --help`."""
    module: str
    """The module (in this package) with `DESCRIPTION` or `description()`, `EXAMPLE`, `add_arguments`, `run`."""

    def load(self) -> ModuleType:
        """The subcommand's module, imported on first use."""
        return importlib.import_module(f"engine.cli.{self.module}")


COMMANDS: tuple[Command, ...] = (
    Command("at", "the state of a pair on a date", "at"),
    Command("timeline", "the events of a pair and what each changed", "timeline"),
    Command("diff", "what changed between two dates", "diff"),
    Command("when", "when a condition held", "when"),
    Command("whatif", "replay a counterfactual and compare it with its base history", "whatif"),
    Command("graph", "the third-country alignment graph on a date", "graph"),
    Command("plot", "draw pictures (needs the plot extra)", "plot"),
    Command("report", "write an HTML page to explore a pair's history (needs the report extra)", "report"),
    Command("export", "write a history as TOML, JSON or Correlates of War rows", "export"),
    Command("validate", "check scenario files, listing every problem", "validate"),
    Command("import", "read COW, GDELT, ICEWS or CSV event data into a scenario file", "importing"),
    Command("dataset", "write a history as a Parquet dataset for Dask (needs the dask extra)", "dataset"),
    Command("store", "create an event store, import a history into it, export one", "store"),
    Command("record", "append an event, correction or retraction to a store", "record"),
    Command("log", "a store's records, with when each was recorded and happened", "log"),
    Command("verify", "check a store's hash chains, naming the first bad record", "verify"),
)
"""Every subcommand, in the order `legation --help` lists them."""
_COMMAND_NAMES = frozenset(command.name for command in COMMANDS)


_FROM_COMMON = frozenset(
    {"EXIT_CHECK_FAILED", "EXIT_INTERNAL", "EXIT_OK", "EXIT_USAGE", "MissingExtraError", "UsageError", "track"}
)


def __getattr__(name: str) -> Any:
    # The shared names load the event model; `engine.cli._launch` must be importable without it (PEP 562).
    if name in _FROM_COMMON:
        from engine.cli import _common

        return getattr(_common, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def build_parser(
    only: str | None = None, parser_class: type[argparse.ArgumentParser] | None = None
) -> argparse.ArgumentParser:
    """The command-line parser with every subcommand, or with only the one named `only`.

    A command line that names its subcommand needs only that one's parser (and module); building the
    others would cost `legation at` a tenth of the interpreter's own start-up.

    Args:
        only: the one subcommand to build (None: all).
        parser_class: the class of every parser (default `_options.Parser`); the answer cache passes
            `_options.ReadingParser` to read a command line exactly as the command will.
    """
    from engine.cli._options import Parser

    parser_class = parser_class or Parser
    parser = parser_class(
        prog="legation",
        description="Diplomatic history as an event log: ask the state of a relationship on any date.",
        epilog="Example: legation at 2010-06-01 --pair BOL USA. Exit status: 0 done, 1 a check failed "
        "(validate), 2 bad input.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=parser_class)
    for command in COMMANDS:
        if only is not None and command.name != only:
            continue
        module = command.load()
        example: str = module.EXAMPLE
        description: str = module.description() if hasattr(module, "description") else module.DESCRIPTION
        # Several examples keep their line breaks; the description is then wrapped here.
        raw = "\n" in example
        if raw:
            import textwrap  # only for the subcommands with such examples: `at` does without it

            description = textwrap.fill(description, 79)
        sub = commands.add_parser(
            command.name,
            help=command.summary,
            description=description,
            epilog=f"Examples:{example}" if raw else f"Example: {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter if raw else argparse.HelpFormatter,
        )
        module.add_arguments(sub)
        if sub.get_default("handler") is None:
            sub.set_defaults(handler=module.run)
    return parser


def _quiet_broken_pipe(status: int) -> int:
    # Python flushes stdout again at exit; point it at devnull so a closed pipe stays quiet.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return status


def main(argv: Sequence[str] | None = None, *, remember: bool = False) -> int:
    """Run the command; returns the exit status (0 ok, 1 failed check, 2 bad input, 70 internal error).

    Args:
        argv: the arguments (default: the process's).
        remember: keep `at` answers in the answer cache (the `legation` program does; see `_answer_cache`).
    """
    try:
        return _main(list(argv) if argv is not None else sys.argv[1:], remember)
    except KeyboardInterrupt:  # also while the event model loads, before _main's own handlers exist
        print("legation: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _say(message: str) -> None:
    """Print an error as one line: control characters a user typed (a newline in an argument) are escaped."""
    if not message.isprintable():
        message = "".join(char if char.isprintable() else repr(char)[1:-1] for char in message)
    print(message, file=sys.stderr)


def _main(argv: list[str], remember: bool) -> int:
    from engine.cli._common import EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, UsageError
    from events import LegationError

    named = argv[0] if argv and argv[0] in _COMMAND_NAMES else None
    try:
        parser = build_parser(only=named)
        args, extra = parser.parse_known_args(argv)
        if extra:
            # argparse would blame the top-level parser; the arguments belong to the subcommand named.
            command = f"legation {named}" if named else "legation"
            where = f"{command}: " if named else ""
            raise UsageError(f"{where}unrecognized arguments: {' '.join(extra)} (see {command} --help)")
        args.argv = argv if remember else None
        handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
        if handler is None:
            names = ", ".join(command.name for command in COMMANDS)
            raise UsageError(f"expected a command: {names} (see legation --help)")
        return handler(args)
    except SystemExit as done:  # --help
        return done.code if isinstance(done.code, int) else EXIT_OK
    except LegationError as error:
        _say(f"legation: error: {error}")
        return EXIT_USAGE
    except BrokenPipeError:
        return _quiet_broken_pipe(EXIT_OK)
    except OSError as error:
        detail = error.strerror or str(error)
        if error.filename:
            detail += f": {error.filename}"
        _say(f"legation: error: {detail}")
        return EXIT_USAGE
    except Exception as error:
        if os.environ.get("LEGATION_DEBUG"):
            raise
        message = f"legation: internal error: {type(error).__name__}: {error} (LEGATION_DEBUG=1 shows the traceback)"
        _say(message)
        return EXIT_INTERNAL
