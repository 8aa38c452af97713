"""The `legation` command: the one place that wires files, the reducer and the terminal together.

Each subcommand is a pair of functions, `_add_NAME(parser)` (its arguments) and `_cmd_NAME(args)` (what
it does, returning the exit status), registered by one row of `COMMANDS` at the end of this module.
Slow imports (matplotlib, networkx, rich) happen inside the subcommands that need them, so that
`legation at` starts fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple, TextIO, TypeVar

import scenarios
from engine import CONDITION_GRAMMAR, History, parse_condition, timeline
from engine._render import (
    as_of_json,
    as_of_text,
    diff_json,
    diff_text,
    periods_json,
    periods_text,
    timeline_json,
    timeline_text,
)
from events import EVENT_KINDS, KIND_ALIASES, AgencyStarted, LegationError, Scenario, check_scenario, parse_date

EXIT_OK, EXIT_CHECK_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70
"""0 done; 1 a check (`validate`) found problems; 2 bad input (date, actor, file, option); 70 a bug."""

T = TypeVar("T")


class UsageError(LegationError, ValueError):
    """A bad command line: unknown option, missing argument, bad value."""


class MissingExtraError(LegationError, ImportError):
    """A subcommand needs an optional dependency that is not installed."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and exiting, so every error is one line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


# --- argument types and common options -----------------------------------------------------


def _date_arg(text: str):
    try:
        return parse_date(text)
    except LegationError as error:
        raise argparse.ArgumentTypeError(f"bad date {text!r}: expected {error.expected}") from None


def _kind_arg(text: str) -> str:
    tag = KIND_ALIASES.get(text, text)
    if tag not in EVENT_KINDS:
        raise argparse.ArgumentTypeError(
            f"unknown event kind {text!r}: expected one of {', '.join(sorted(EVENT_KINDS))}"
        )
    return tag


def _common(parser: argparse.ArgumentParser, *, scenario: bool = True, pair: bool = True) -> None:
    """The options every subcommand shares: --scenario, --pair, --format, --lenient."""
    if scenario:
        parser.add_argument(
            "--scenario",
            default=scenarios.DEFAULT,
            metavar="NAME|PATH",
            help=f"built-in scenario name or scenario file/folder (default: {scenarios.DEFAULT})",
        )
    if pair:
        parser.add_argument(
            "--pair", nargs=2, metavar=("A", "B"), help="the two actors (default: the scenario's main pair)"
        )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    parser.add_argument(
        "--lenient", action="store_true", help="record impossible transitions as anomalies instead of failing"
    )


def _load(args: argparse.Namespace) -> tuple[Scenario, History]:
    scenario = scenarios.load(args.scenario)
    return scenario, History(scenario.log, strict=not args.lenient)


def _pair(args: argparse.Namespace, scenario: Scenario, named: Sequence[str] = ()) -> tuple[str, str]:
    """The pair asked about: --pair, else the two actors a condition names, else the scenario's main pair."""
    if args.pair:
        pair = (args.pair[0].upper(), args.pair[1].upper())
    elif len(named) == 2 and set(named) != set(scenario.pair or ()):
        pair = (named[0], named[1])
    elif scenario.pair is not None:
        pair = scenario.pair
    else:
        raise UsageError(f"scenario {scenario.name!r} names no main pair: give --pair A B")
    for code in pair:
        if code not in scenario.log.actors:
            raise UsageError(f"unknown actor {code!r}: expected an actor code of this scenario, such as BOL or USA")
    if pair[0] == pair[1]:
        raise UsageError(f"--pair needs two different actors, found {pair[0]!r} twice")
    return pair


def _names(scenario: Scenario, pair: Sequence[str]) -> dict[str, str]:
    return {code: scenario.log.actors[code].name for code in pair}


def _emit(args: argparse.Namespace, data: Callable[[], Any], text: Callable[[], str]) -> None:
    """Print the JSON or the text of an answer, whichever --format asks for."""
    if args.format == "json":
        print(json.dumps(data(), indent=2, ensure_ascii=False))
    else:
        print(text())


def _note_anomalies(args: argparse.Namespace, history: History) -> None:
    if args.format == "text" and history.anomalies:
        print(f"\n{len(history.anomalies)} anomalies recorded (lenient mode); see `legation validate`.")


def track(items: Iterable[T], description: str, total: int | None = None, stream: TextIO | None = None) -> Iterator[T]:
    """Iterate, showing a progress bar on a terminal (stderr) and nothing when output is piped.

    For long operations (imports, benchmarks, deep property runs); rich is imported only when a bar is shown.
    """
    stream = sys.stderr if stream is None else stream
    if not (hasattr(stream, "isatty") and stream.isatty()):
        yield from items
        return
    from rich.console import Console
    from rich.progress import track as rich_track

    yield from rich_track(items, description=description, total=total, console=Console(file=stream), transient=True)


# --- at ------------------------------------------------------------------------------------


def _add_at(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("date", type=_date_arg, help="EDTF date: 2010-06-01, 2010-06 or 2010 (answered at its end)")
    _common(parser)


def _cmd_at(args: argparse.Namespace) -> int:
    scenario, history = _load(args)
    a, b = _pair(args, scenario)
    answer = history.state_at(a, b, args.date)
    _emit(args, lambda: as_of_json(answer, history), lambda: as_of_text(answer, history, _names(scenario, (a, b))))
    _note_anomalies(args, history)
    return EXIT_OK


# --- timeline ------------------------------------------------------------------------------


def _add_timeline(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="start", type=_date_arg, metavar="DATE", help="only events from this date on")
    parser.add_argument("--to", dest="end", type=_date_arg, metavar="DATE", help="only events up to this date")
    parser.add_argument(
        "--kind",
        action="append",
        type=_kind_arg,
        metavar="KIND",
        help="only events of this kind (repeatable), e.g. envoy_expelled",
    )
    parser.add_argument("--changes-only", action="store_true", help="only events that changed the state")
    _common(parser)


def _cmd_timeline(args: argparse.Namespace) -> int:
    scenario, history = _load(args)
    a, b = _pair(args, scenario)
    entries = timeline(history, a, b, start=args.start, end=args.end, kinds=args.kind, changes_only=args.changes_only)
    _emit(
        args, lambda: timeline_json(entries, (a, b)), lambda: timeline_text(entries, (a, b), _names(scenario, (a, b)))
    )
    _note_anomalies(args, history)
    return EXIT_OK


# --- diff ----------------------------------------------------------------------------------


def _add_diff(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("date1", type=_date_arg, metavar="DATE1", help="the earlier date (EDTF)")
    parser.add_argument("date2", type=_date_arg, metavar="DATE2", help="the later date (EDTF)")
    _common(parser)


def _cmd_diff(args: argparse.Namespace) -> int:
    scenario, history = _load(args)
    a, b = _pair(args, scenario)
    first, second = sorted((args.date1, args.date2), key=lambda date: date.latest)
    changes = history.changes_between(a, b, first, second)
    _emit(
        args,
        lambda: diff_json(changes, (a, b), first, second),
        lambda: diff_text(changes, (a, b), first, second, _names(scenario, (a, b))),
    )
    _note_anomalies(args, history)
    return EXIT_OK


# --- when ----------------------------------------------------------------------------------


def _add_when(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("condition", metavar="CONDITION", help="a condition over the pair's state (see above)")
    _common(parser)


def _cmd_when(args: argparse.Namespace) -> int:
    scenario, history = _load(args)
    agencies = {event.agency for event in scenario.log if isinstance(event, AgencyStarted)}
    condition = parse_condition(args.condition, actors=scenario.log.actors, agencies=agencies)
    a, b = _pair(args, scenario, condition.actors)
    strangers = [code for code in condition.actors if code not in (a, b)]
    if strangers:
        raise UsageError(
            f"condition {args.condition!r} names {', '.join(strangers)}, but the pair is {a}-{b}: "
            "give --pair with the actors the condition names"
        )
    periods = history.periods(a, b, condition)
    _emit(
        args,
        lambda: periods_json(args.condition, (a, b), periods),
        lambda: periods_text(args.condition, (a, b), periods, _names(scenario, (a, b))),
    )
    _note_anomalies(args, history)
    return EXIT_OK


# --- plot ----------------------------------------------------------------------------------


def _add_plot(parser: argparse.ArgumentParser) -> None:
    pictures = parser.add_subparsers(dest="picture", metavar="PICTURE", parser_class=_Parser)
    picture = pictures.add_parser(
        "timeline",
        help="a pair's history: envoy rank each way, relations, events",
        description="Draw a pair's history as a PNG or SVG: the rank of each side's head of mission as "
        "steps, diplomatic relations as bands, and every state-changing event as a labelled marker "
        "(imprecise dates as spans).",
        epilog="Example: legation plot timeline --pair BOL USA --out bolivia-usa.png",
    )
    picture.add_argument("--out", metavar="FILE", help="FILE.png or FILE.svg (default: A-B-timeline.png)")
    picture.add_argument("--from", dest="start", type=_date_arg, metavar="DATE", help="start the picture here")
    picture.add_argument("--to", dest="end", type=_date_arg, metavar="DATE", help="end the picture here")
    _common(picture)
    picture.set_defaults(handler=_cmd_plot_timeline)
    picture = pictures.add_parser(
        "graph",
        help="the alignment graph on a date",
        description="Draw the signed alignment graph on a date as a PNG or SVG: actors and blocs as nodes, "
        "aligned edges green and solid, hostile edges red and dashed.",
        epilog="Example: legation plot graph --at 2009-01-01 --out alignments-2009.svg",
    )
    picture.add_argument("--at", required=True, type=_date_arg, metavar="DATE", help="EDTF date (2010 = 2010-12-31)")
    picture.add_argument("--out", metavar="FILE", help="FILE.png or FILE.svg (default: alignment-DATE.png)")
    picture.add_argument(
        "--no-implied", action="store_true", help="ignore stances implied by severances, expulsions, reestablishments"
    )
    _common(picture, pair=False)
    picture.set_defaults(handler=_cmd_plot_graph)


def _matplotlib() -> None:
    try:
        import matplotlib
    except ImportError:
        raise MissingExtraError(
            "pictures need matplotlib: install the plot extra (pip install 'legation[plot]')"
        ) from None
    matplotlib.use("Agg")


def _out_path(args: argparse.Namespace, default: str) -> str:
    path = args.out or default
    if not path.lower().endswith((".png", ".svg")):
        raise UsageError(f"--out {path!r}: expected a file name ending in .png or .svg")
    return path


def _cmd_plot_timeline(args: argparse.Namespace) -> int:
    scenario, history = _load(args)
    a, b = _pair(args, scenario)
    path = _out_path(args, f"{a}-{b}-timeline.png")
    _matplotlib()
    from engine import plot

    figure = plot.timeline_figure(history, a, b, _names(scenario, (a, b)), start=args.start, end=args.end)
    info = plot.save(figure, path)
    _emit(args, lambda: {"file": path, "picture": "timeline", "pair": [a, b], **info}, lambda: f"wrote {path}")
    return EXIT_OK


def _cmd_plot_graph(args: argparse.Namespace) -> int:
    scenario = scenarios.load(args.scenario)
    day = args.at.latest
    path = _out_path(args, f"alignment-{day.isoformat()}.png")
    _matplotlib()
    from engine import plot
    from engine.alignment import AlignmentIndex

    graph = AlignmentIndex(scenario.log, implied=not args.no_implied).graph_at(args.at)
    title = f"{scenario.title or scenario.name}: alignments on {day.isoformat()}"
    info = plot.save(plot.graph_figure(graph, title), path)
    edges = {"aligned": 0, "hostile": 0}
    for _, _, data in graph.edges(data=True):
        edges["aligned" if data["sign"] > 0 else "hostile"] += 1
    _emit(
        args,
        lambda: {
            "file": path,
            "picture": "graph",
            "at": day.isoformat(),
            "nodes": graph.number_of_nodes(),
            **edges,
            **info,
        },
        lambda: f"wrote {path}",
    )
    return EXIT_OK


def _cmd_plot_missing(args: argparse.Namespace) -> int:
    raise UsageError("legation plot: expected a picture: timeline or graph (see legation plot --help)")


# --- validate ------------------------------------------------------------------------------


def _add_validate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="scenario file, folder or built-in name")
    _common(parser, scenario=False, pair=False)


def _validate_one(name: str) -> dict[str, Any]:
    path = scenarios.history_path(name)
    problems = check_scenario(path)
    transitions = []
    if not problems:
        scenario = scenarios.load(path)
        transitions = list(History(scenario.log, strict=False).anomalies)
    lines = _id_lines(path)
    return {
        "file": str(path),
        "ok": not problems and not transitions,
        "errors": [
            {"line": problem.line, "event_id": problem.event_id, "message": str(problem)} for problem in problems
        ],
        "anomalies": [
            {
                "line": lines.get(anomaly.event_id),
                "event_id": anomaly.event_id,
                "date": str(anomaly.date),
                "rule": anomaly.rule,
                "message": f"{path}:{lines[anomaly.event_id]}: {anomaly}"
                if anomaly.event_id in lines
                else f"{path}: {anomaly}",
            }
            for anomaly in transitions
        ],
    }


def _id_lines(path: os.PathLike | str) -> dict[str, int]:
    """The line of each `id = "..."` in a file, so that problems found after reading can name a line."""
    found: dict[str, int] = {}
    try:
        with open(path, encoding="utf-8") as file:
            for number, line in enumerate(file, start=1):
                stripped = line.strip()
                if stripped.startswith("id") and "=" in stripped:
                    key, _, value = stripped.partition("=")
                    if key.strip() == "id":
                        found.setdefault(value.strip().strip("\"'"), number)
    except (OSError, UnicodeDecodeError):
        pass
    return found


def _cmd_validate(args: argparse.Namespace) -> int:
    files = args.files
    results = [_validate_one(name) for name in track(files, "validating", total=len(files))]
    ok = all(result["ok"] for result in results)
    if args.format == "json":
        data: Any = results[0] if len(results) == 1 else {"ok": ok, "files": results}
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        for result in results:
            for problem in result["errors"] + result["anomalies"]:
                print(problem["message"])
            if result["ok"]:
                print(f"{result['file']}: ok")
    return EXIT_OK if ok else EXIT_CHECK_FAILED


# --- the table of subcommands --------------------------------------------------------------


class Command(NamedTuple):
    """One subcommand: its name, help, example, and the two functions behind it."""

    name: str
    summary: str
    """One line for `legation --help`."""
    description: str
    """A paragraph for `legation NAME --help`."""
    example: str
    """A command line that works on the built-in history."""
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int] | None


COMMANDS: tuple[Command, ...] = (
    Command(
        "at",
        "the state of a pair on a date",
        "The state of a relationship on a date: relations, envoys, posts, agencies, aid, certification, visas, "
        "each value citing the event behind it and marked ? where an imprecise date leaves it uncertain.",
        "legation at 2008-10-01 --pair BOL USA --format json",
        _add_at,
        _cmd_at,
    ),
    Command(
        "timeline",
        "the events of a pair and what each changed",
        "The events of a pair, and its two actors' own events (changes of government), in history order: date "
        "with its precision, kind, id, what happened, the fields it changed and what caused it. Events marked "
        "· belong to the record but change no state.",
        "legation timeline --from 2006 --to 2009 --kind envoy_expelled --kind agency_expelled",
        _add_timeline,
        _cmd_timeline,
    ),
    Command(
        "diff",
        "what changed between two dates",
        "Every field of a pair's state that differs between two dates, with its value on each and the events "
        "that changed it in between.",
        "legation diff 2008-01-01 2009-12-31",
        _add_diff,
        _cmd_diff,
    ),
    Command(
        "when",
        "when a condition held",
        f"The first date and every period a condition held for the pair. Conditions: {CONDITION_GRAMMAR}. The pair is "
        "--pair, else the two actors the condition names, else the scenario's main pair.",
        'legation when "no ambassador of USA in BOL and relations established"',
        _add_when,
        _cmd_when,
    ),
    Command(
        "plot",
        "draw pictures (needs the plot extra)",
        "Draw a picture as PNG or SVG: `timeline` (a pair's history). Needs matplotlib: pip install 'legation[plot]'.",
        "legation plot timeline --out bolivia-usa.png",
        _add_plot,
        _cmd_plot_missing,
    ),
    Command(
        "validate",
        "check scenario files, listing every problem",
        "Check scenario files: every error at once, each with file, line and event id, then every impossible "
        "transition. Exit status 1 if any file has a problem.",
        "legation validate scenarios/bolivia_usa/history.toml",
        _add_validate,
        _cmd_validate,
    ),
)
"""Every subcommand, in the order `legation --help` lists them."""


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser with every subcommand."""
    parser = _Parser(
        prog="legation",
        description="Diplomatic history as an event log: ask the state of a relationship on any date.",
        epilog="Example: legation at 2010-06-01 --pair BOL USA. Exit status: 0 done, 1 a check failed "
        "(validate), 2 bad input.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for command in COMMANDS:
        sub = commands.add_parser(
            command.name,
            help=command.summary,
            description=command.description,
            epilog=f"Example: {command.example}",
        )
        command.add_arguments(sub)
        if command.run is not None and sub.get_default("handler") is None:
            sub.set_defaults(handler=command.run)
    return parser


def _quiet_broken_pipe() -> int:
    # Python flushes stdout again at exit; point it at devnull so a closed pipe stays quiet.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status (0 ok, 1 failed check, 2 bad input, 70 internal error)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
        if handler is None:
            names = ", ".join(command.name for command in COMMANDS)
            raise UsageError(f"legation: expected a command: {names} (see legation --help)")
        return handler(args)
    except SystemExit as done:  # --help
        return done.code if isinstance(done.code, int) else EXIT_OK
    except LegationError as error:
        print(f"legation: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except OSError as error:
        detail = error.strerror or str(error)
        if error.filename:
            detail += f": {error.filename}"
        print(f"legation: error: {detail}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("legation: interrupted", file=sys.stderr)
        return 130
    except Exception as error:
        if os.environ.get("LEGATION_DEBUG"):
            raise
        message = f"legation: internal error: {type(error).__name__}: {error} (LEGATION_DEBUG=1 shows the traceback)"
        print(message, file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
