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
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple, TextIO, TypeVar

import scenarios
from engine import History, _answer_cache, as_day
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
from events import (
    EVENT_KINDS,
    KIND_ALIASES,
    AgencyStarted,
    LegationError,
    Scenario,
    ScenarioFileError,
    parse_date,
)

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
        # A subcommand names itself ("legation at: ..."); the program's own name is already the line's prefix.
        where = f"{self.prog}: " if " " in self.prog else ""
        raise UsageError(f"{where}{message} (see {self.prog} --help)")


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


def _common(
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
    if pair:
        parser.add_argument("--pair", nargs=2, metavar=("A", "B"), help=pair_help)
    parser.add_argument("--format", choices=formats, default=formats[0], help=f"output format (default {formats[0]})")
    parser.add_argument("--lenient", action="store_true", help=lenient_help)


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


def _print_json(data: object) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def _emit(args: argparse.Namespace, data: Callable[[], Any], text: Callable[[], str]) -> None:
    """Print the JSON or the text of an answer, whichever --format asks for."""
    if args.format == "json":
        _print_json(data())
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


def _at_output(args: argparse.Namespace, scenario: Scenario, history: History, pair: tuple[str, str], when) -> str:
    a, b = pair
    answer = history.state_at(a, b, when)
    if args.format == "json":
        return json.dumps(as_of_json(answer, history), indent=2, ensure_ascii=False)
    text = as_of_text(answer, history, _names(scenario, (a, b)))
    if history.anomalies:
        text += f"\n\n{len(history.anomalies)} anomalies recorded (lenient mode); see `legation validate`."
    return text


def _history_file(name: str | None):
    return scenarios.history_path(name or scenarios.DEFAULT)


def _remember_answers(args: argparse.Namespace, scenario: Scenario, history: History, pair: tuple[str, str]) -> None:
    """Keep this question's answers for every day (see engine._answer_cache), for the next `legation at`."""
    codes = set(pair)
    breaks = [
        day.toordinal()
        for event in scenario.log
        if event.actor in codes or event.target in codes
        for day in (event.date.earliest, event.date.latest)
    ]
    _answer_cache.store(args.argv, _history_file, breaks, lambda day: _at_output(args, scenario, history, pair, day))


def _cmd_at(args: argparse.Namespace) -> int:
    scenario, history = _load(args)
    pair = _pair(args, scenario)
    print(_at_output(args, scenario, history, pair, args.date))
    if args.argv is not None:
        _remember_answers(args, scenario, history, pair)
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
    from engine import timeline

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


def _when_description() -> str:
    from engine import CONDITION_GRAMMAR  # the condition parser is loaded only for `when`

    return (
        f"The first date and every period a condition held for the pair. Conditions: {CONDITION_GRAMMAR}. The pair "
        "is --pair, else the two actors the condition names, else the scenario's main pair."
    )


def _cmd_when(args: argparse.Namespace) -> int:
    from engine import parse_condition

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
    picture.add_argument(
        "--kind", action="append", type=_kind_arg, metavar="KIND", help="mark only events of this kind (repeatable)"
    )
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

    figure = plot.timeline_figure(
        history, a, b, _names(scenario, (a, b)), start=args.start, end=args.end, kinds=args.kind
    )
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
    parser.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="scenario file, folder or built-in name; or counterfactual file or built-in SCENARIO/NAME",
    )
    _common(parser, scenario=False, pair=False, lenient_help="accepted for symmetry: validate always reports all")


_COUNTERFACTUAL_TABLE = re.compile(r"^\s*\[\s*counterfactual\s*\]", re.MULTILINE)


def _validate_one(name: str) -> dict[str, Any]:
    try:
        path = scenarios.history_path(name)
    except ScenarioFileError:
        try:
            path = scenarios.counterfactual_path(name)
        except ScenarioFileError:
            known = ", ".join(scenarios.names())
            raise UsageError(
                f"{name}: expected a scenario file or folder, a built-in scenario ({known}), or a counterfactual "
                "file or built-in SCENARIO/NAME; no such file"
            ) from None
    counterfactual = _is_counterfactual(path)
    if counterfactual:
        problems, log, base_path = _counterfactual_problems(path)
    else:
        # Read and parse the file once: the scenario when it is sound, else every problem in it.
        found, base_path = scenarios.load_or_problems(path), None
        problems = found if isinstance(found, list) else []
        log = None if problems else found.log
    transitions = list(History(log, strict=False).anomalies) if log is not None else []
    # An event of the edited history is found in the counterfactual file (inserted) or in its base.
    lines = {event_id: (base_path, line) for event_id, line in _id_lines(base_path).items()} if base_path else {}
    lines.update({event_id: (path, line) for event_id, line in _id_lines(path).items()})
    return {
        "file": str(path),
        "kind": "counterfactual" if counterfactual else "scenario",
        "ok": not problems and not transitions,
        "errors": [
            {"line": problem.line, "event_id": problem.event_id, "message": str(problem)} for problem in problems
        ],
        "anomalies": [
            {
                "file": str(lines.get(anomaly.event_id, (path, None))[0]),
                "line": lines.get(anomaly.event_id, (path, None))[1],
                "event_id": anomaly.event_id,
                "date": str(anomaly.date),
                "rule": anomaly.rule,
                "message": "{}:{}: {}".format(*lines[anomaly.event_id], anomaly)
                if anomaly.event_id in lines
                else f"{path}: {anomaly}",
            }
            for anomaly in transitions
        ],
    }


def _is_counterfactual(path: os.PathLike | str) -> bool:
    try:
        with open(path, encoding="utf-8") as file:
            return _COUNTERFACTUAL_TABLE.search(file.read()) is not None
    except (OSError, UnicodeDecodeError):
        return False


def _counterfactual_problems(path: os.PathLike | str) -> tuple[list[ScenarioFileError], Any, str | None]:
    """Every edit of a counterfactual file that does not fit its base (and the edited log, if all fit).

    The file's syntax and its base are checked first (the first problem there stops the check, since the
    edits cannot be read without them); then each edit is tried in turn, an edit that does not fit is
    reported and skipped, so that all of them are reported at once.
    """
    from events import EditedLog, EditError

    try:
        spec, base = scenarios.load_counterfactual(path)
    except ScenarioFileError as error:
        return [error], None, None
    edited = EditedLog.of(base.log, (), spec.cascade)
    problems: list[ScenarioFileError] = []
    for number, edit in enumerate(spec.edits, start=1):
        try:
            edited = edited.apply(edit)
        except EditError as error:
            error = error.numbered(number, edit.OP)
            problems.append(ScenarioFileError(str(path), str(error), spec.line_of(number, error.field), None))
    return problems, (edited.log if not problems else None), base.path


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
        _print_json(results[0] if len(results) == 1 else {"ok": ok, "files": results})
    else:
        for result in results:
            for problem in result["errors"] + result["anomalies"]:
                print(problem["message"])
            if result["ok"]:
                print(f"{result['file']}: ok")
    return EXIT_OK if ok else EXIT_CHECK_FAILED


# --- graph ---------------------------------------------------------------------------------
# engine.alignment imports networkx, so it is imported inside the handler: `legation at` never pays for it.

_GRAPH_FORMATS = ("text", "json", "graphml", "gexf")
_GRAPH_EXAMPLES = """
  legation graph --at 2010                          edges, blocs and balance on 2010-12-31
  legation graph --at 2010 --format json            node-link JSON, each edge with its sign
  legation graph --at 2010 --format gexf -o g.gexf  for Gephi (also graphml)
  legation graph --at 2010 --actor BOL --since 2005 allies, adversaries, and what changed since 2005
  legation graph --at 2010 --balance --pair BOL USA balanced share and the pair's triads
  legation graph --at 2020 --agreement BOL USA --from 2000   agreement about third countries, yearly"""


def _graph_dates(start, end, step: str) -> list:
    """The last day of each year (or month) from `start` up to `end`, then `end` itself."""
    import datetime

    days = []
    year, month = start.year, start.month
    while True:
        if step == "year":
            day = datetime.date(year, 12, 31)
            year += 1
        else:
            day = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
            year, month = year + month // 12, month % 12 + 1
        if day >= end:
            break
        if day >= start:
            days.append(day)
    return [*days, end]


def _cmd_graph(args: argparse.Namespace) -> int:
    from engine.alignment import AlignmentIndex

    views = {"actor": args.actor, "balance": args.balance, "agreement": args.agreement, "blocs": args.blocs}
    chosen = [view for view, given in views.items() if given]
    if len(chosen) > 1:
        raise UsageError("legation graph: give at most one of --actor, --balance, --agreement, --blocs")
    if chosen and args.format in ("graphml", "gexf"):
        raise UsageError(f"legation graph: --format {args.format} exports the whole graph; drop --{chosen[0]}")
    if args.since and not args.actor:
        raise UsageError("legation graph: --since goes with --actor")
    if args.start and not args.agreement:
        raise UsageError("legation graph: --from goes with --agreement")
    scenario = scenarios.load(args.scenario)
    index = AlignmentIndex(scenario.log, implied=not args.no_implied)
    names = scenario.log.actors

    def name(code: str) -> str:
        return f"{names[code].name} ({code})" if code in names else code

    show = {
        "actor": _graph_actor,
        "balance": _graph_balance,
        "agreement": _graph_agreement,
        "blocs": _graph_blocs,
    }.get(chosen[0] if chosen else "", _graph_whole)
    show(args, scenario, index, name)
    return EXIT_OK


def _graph_actor(args, scenario, index, name) -> None:
    actor = args.actor.upper()
    stances = index.stances(actor, args.at)
    changes = index.neighbourhood_change(actor, args.since, args.at) if args.since else None
    if args.format == "json":

        def edge_json(code, edge):
            return {"actor": code, "sign": edge.sign, "since": str(edge.since), "events": list(edge.events)}

        data = {
            "actor": actor,
            "at": as_day(args.at)[0].isoformat(),
            "allies": [edge_json(c, e) for c, e in stances.items() if e.sign > 0],
            "adversaries": [edge_json(c, e) for c, e in stances.items() if e.sign < 0],
        }
        if changes is not None:
            data["since"] = str(args.since)
            data["changes"] = [
                {"actor": c.other, "before": c.sign_before, "after": c.sign_after, "events": list(c.event_ids)}
                for c in changes
            ]
        _print_json(data)
        return
    print(f"{name(actor)} on {as_day(args.at)[0]}")
    for label, wanted in (("allies", 1), ("adversaries", -1)):
        found = [(code, edge) for code, edge in stances.items() if edge.sign == wanted]
        print(f"  {label}:" + ("" if found else " none"))
        for code, edge in found:
            print(f"    {name(code)}, since {edge.since} ({', '.join(edge.events)})")
    if changes is not None:
        print(f"  changes since {args.since}:" + ("" if changes else " none"))
        words = {1: "aligned", 0: "no stance", -1: "hostile"}
        for change in changes:
            before, after = words[change.sign_before], words[change.sign_after]
            print(f"    {name(change.other)}: {before} -> {after} ({', '.join(change.event_ids)})")


def _graph_agreement(args, scenario, index, name) -> None:
    first, second = (code.upper() for code in args.agreement)
    if args.start:
        start, _ = as_day(args.start)
        end, _ = as_day(args.at)
        if end < start:
            raise UsageError(f"legation graph: --from {args.start} comes after --at {args.at}")
        answers = index.agreement_series(first, second, _graph_dates(start, end, args.step))
    else:
        answers = [index.agreement(first, second, args.at)]
    if args.format == "json":
        _print_json(
            [
                {
                    "pair": [first, second],
                    "date": answer.day.isoformat(),
                    "share": answer.share,
                    "agreeing": list(answer.agreeing),
                    "disagreeing": list(answer.disagreeing),
                }
                for answer in answers
            ]
        )
        return
    print(f"Agreement of {name(first)} and {name(second)} about the third parties both have a stance on")
    for answer in answers:
        share = "   n/a" if answer.share is None else f"{answer.share:6.0%}"
        detail = f"agree: {', '.join(answer.agreeing) or '-'}; disagree: {', '.join(answer.disagreeing) or '-'}"
        print(f"  {answer.day}  {share}  {detail}")


def _graph_balance(args, scenario, index, name) -> None:
    first, second = _pair(args, scenario)
    balance = index.balance(args.at)
    triads = index.triads(first, second, args.at)
    if args.format == "json":
        _print_json(
            {
                "at": as_day(args.at)[0].isoformat(),
                "triads": balance.triads,
                "balanced": balance.balanced,
                "share": balance.share,
                "pair": [first, second],
                "pair_triads": [{"third": t.nodes[2], "signs": list(t.signs), "balanced": t.balanced} for t in triads],
            }
        )
        return
    share = "n/a" if balance.share is None else f"{balance.share:.0%}"
    print(
        f"Structural balance on {as_day(args.at)[0]}: {balance.balanced} of {balance.triads} triads balanced ({share})"
    )
    print(f"  triads of {first} and {second} (signs {first}-{second}, {first}-third, {second}-third):")
    if not triads:
        print("    none")
    for triad in triads:
        marks = " ".join("+" if sign > 0 else "-" for sign in triad.signs)
        print(f"    {name(triad.nodes[2])}: {marks}  {'balanced' if triad.balanced else 'UNBALANCED'}")


def _graph_blocs(args, scenario, index, name) -> None:
    groups = index.blocs(args.at)
    if args.format == "json":
        _print_json({"at": as_day(args.at)[0].isoformat(), "blocs": [list(group) for group in groups]})
        return
    print(f"Blocs (groups joined by aligned edges) on {as_day(args.at)[0]}:" + ("" if groups else " none"))
    for group in groups:
        print(f"  {' '.join(group)}")


def _graph_whole(args, scenario, index, name) -> None:
    from engine.alignment import export

    graph = index.graph_at(args.at)
    text = _graph_text(graph, args.at, index, name) if args.format == "text" else export(graph, args.format)
    if not args.output:
        print(text)
        return
    try:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(text if text.endswith("\n") else text + "\n")
    except OSError as error:
        raise UsageError(f"legation graph: cannot write {args.output}: {error.strerror}") from None


def _graph_text(graph, at, index, name) -> str:
    lines = [f"Alignment graph on {as_day(at)[0]}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges"]
    for first, second, data in sorted(graph.edges(data=True), key=lambda e: (e[2]["since"], *sorted(e[:2]))):
        first, second = sorted((first, second))
        stance = "aligned" if data["sign"] > 0 else "hostile"
        events = ", ".join(data["events"].split())
        lines.append(f"  {stance}  {name(first)} with {name(second)}, since {data['since']} ({events})")
    groups = index.blocs(at)
    lines.append(f"Blocs: {'; '.join(' '.join(group) for group in groups) or 'none'}")
    balance = index.balance(at)
    share = "n/a" if balance.share is None else f"{balance.share:.0%}"
    lines.append(f"Balance: {balance.balanced} of {balance.triads} triads balanced ({share})")
    return "\n".join(lines)


def _add_graph(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--at", required=True, type=_date_arg, metavar="DATE", help="EDTF date (2010 = 2010-12-31)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the graph export to FILE instead of stdout")
    parser.add_argument("--actor", metavar="X", help="allies and adversaries of X")
    parser.add_argument("--since", type=_date_arg, metavar="DATE", help="with --actor: what changed since DATE")
    parser.add_argument("--balance", action="store_true", help="balanced share of triads, and the pair's triads")
    parser.add_argument("--agreement", nargs=2, metavar=("A", "B"), help="how far A and B agree on third parties")
    parser.add_argument("--from", dest="start", type=_date_arg, metavar="DATE", help="with --agreement: a series")
    parser.add_argument("--step", choices=("year", "month"), default="year", help="series step (default year)")
    parser.add_argument("--blocs", action="store_true", help="groups joined by aligned edges")
    parser.add_argument("--no-implied", action="store_true", help="ignore stances implied by bilateral events")
    _common(
        parser,
        formats=_GRAPH_FORMATS,
        lenient_help="accepted for symmetry: the alignment graph applies no transition rules, so nothing fails",
    )


# --- whatif --------------------------------------------------------------------------------


def _add_whatif(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="counterfactual file, or built-in SCENARIO/NAME")
    parser.add_argument(
        "--at", type=_date_arg, metavar="DATE", help="compare the states on this date (answered at its end)"
    )
    parser.add_argument(
        "--cascade",
        choices=("drop", "keep", "ask"),
        help="what removing or moving an event does to what it caused (default: the file's, else drop)",
    )
    _common(
        parser,
        scenario_default=None,
        scenario_help="the base history to edit (default: the one the file names)",
        pair_help="show only the differences of this pair and of its two actors (default: all)",
    )


def _cmd_whatif(args: argparse.Namespace) -> int:
    import attrs

    from engine._counterfactual import Counterfactual
    from engine._whatif_render import comparison_json, comparison_text

    spec, base = scenarios.load_counterfactual(args.file)
    if args.scenario is not None:
        base = scenarios.load(args.scenario)
    counterfactual = Counterfactual.from_spec(spec, base.log, cascade=args.cascade)
    comparison = counterfactual.compare(at=args.at, strict=not args.lenient)
    if args.pair:
        a, b = _pair(args, base)
        subjects = {"-".join(sorted((a, b))), a, b}
        comparison = attrs.evolve(
            comparison,
            timeline=tuple(d for d in comparison.timeline if d.subject in subjects),
            state=tuple(d for d in comparison.state if d.subject in subjects),
        )
    _emit(args, lambda: comparison_json(comparison), lambda: comparison_text(comparison))
    return EXIT_OK


# --- legation export ---------------------------------------------------------------------------------


def _add_export(parser: argparse.ArgumentParser) -> None:
    _common(parser, formats=("toml", "json", "cow"))
    parser.add_argument("--from", dest="start", type=int, metavar="YEAR", help="first year of COW rows (cow only)")
    parser.add_argument("--to", dest="end", type=int, metavar="YEAR", help="last year of COW rows (cow only)")
    parser.add_argument("-o", "--out", metavar="FILE", help="write to FILE (written whole, then moved into place)")


def _export_text(args: argparse.Namespace) -> str:
    from events import dump_scenario, event_to_dict

    scenario = scenarios.load(args.scenario)
    if args.format == "toml":
        return dump_scenario(scenario)
    if args.format == "json":
        document = {
            "scenario": {"name": scenario.name, "title": scenario.title, "pair": list(scenario.pair or ())},
            "events": [event_to_dict(event) for event in scenario.log],
        }
        return json.dumps(document, indent=2, ensure_ascii=False)
    from engine import format_cow_csv, history_cow_rows, years_covered

    history = History(scenario.log, strict=not args.lenient)
    first, second = _pair(args, scenario)
    for code in (first, second):
        if scenario.log.actors[code].cow is None:
            raise UsageError(f"actor {code!r} has no Correlates of War code: expected a pair of COW states")
    covered = years_covered(history, first, second)
    start = args.start if args.start is not None else (covered.start if covered else None)
    end = args.end if args.end is not None else (covered.stop - 1 if covered else None)
    if start is None or end is None:
        raise UsageError(f"no event touches {first}-{second}: give --from and --to")
    if end < start:
        raise UsageError(f"--to {end} is before --from {start}")
    return format_cow_csv(history_cow_rows(history, first, second, range(start, end + 1)))


def _cmd_export(args: argparse.Namespace) -> int:
    text = _export_text(args)
    if args.out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return EXIT_OK
    target = os.path.abspath(args.out)
    temporary = target + ".tmp"
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, target)
    except OSError as error:
        raise UsageError(f"--out {args.out!r}: cannot write ({error.strerror})") from None
    return EXIT_OK


# --- the table of subcommands --------------------------------------------------------------


class Command(NamedTuple):
    """One subcommand: its name, help, example, and the two functions behind it."""

    name: str
    summary: str
    """One line for `legation --help`."""
    description: str | Callable[[], str]
    """A paragraph for `legation NAME --help` (or what makes it, where that needs a module `at` does not)."""
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
        _when_description,
        'legation when "no ambassador of USA in BOL and relations established"',
        _add_when,
        _cmd_when,
    ),
    Command(
        "whatif",
        "replay a counterfactual and compare it with its base history",
        "Apply a counterfactual file's edits to its base history, replay it from the last checkpoint before the "
        "first edit, and compare: edits, events dropped by cascade, the first divergence, the timeline of "
        "differences, and the state difference on a date (default: the end).",
        "legation whatif bolivia_usa/no_goldberg_expulsion --at 2010-06-01 --format json",
        _add_whatif,
        _cmd_whatif,
    ),
    Command(
        "graph",
        "the third-country alignment graph on a date",
        "The signed graph of alignments on a date (+1 aligned, -1 hostile): its edges, blocs, structural "
        "balance, one actor's allies and adversaries, or how far two actors agree about third countries. "
        "Severances and expulsions count as hostile, a reestablishment ends hostility (--no-implied: only "
        "alignment and bloc events). --format graphml or gexf exports the whole graph.",
        _GRAPH_EXAMPLES,
        _add_graph,
        _cmd_graph,
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
        "export",
        "write a history as TOML, JSON or Correlates of War rows",
        "Write the scenario as a scenario file (toml), as JSON events, or the pair's representation levels as "
        "Correlates of War Diplomatic Exchange rows (cow: one row a year, levels on 31 December; the first actor "
        "of --pair is ccode1).",
        "legation export --format cow --pair USA BOL --from 1900 --to 2005",
        _add_export,
        _cmd_export,
    ),
    Command(
        "validate",
        "check scenario files, listing every problem",
        "Check scenario and counterfactual files: every error at once, each with file, line and event id (for a "
        "counterfactual, every edit that does not fit its base), then every impossible transition of the "
        "(edited) history. Exit status 1 if any file has a problem.",
        "legation validate scenarios/bolivia_usa/history.toml",
        _add_validate,
        _cmd_validate,
    ),
)
"""Every subcommand, in the order `legation --help` lists them."""
_COMMAND_NAMES = frozenset(command.name for command in COMMANDS)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command-line parser with every subcommand, or with only the one named `only`.

    A command line that names its subcommand needs only that one's parser; building the others (about
    4 ms) would cost `legation at` a tenth of the interpreter's own start-up.
    """
    parser = _Parser(
        prog="legation",
        description="Diplomatic history as an event log: ask the state of a relationship on any date.",
        epilog="Example: legation at 2010-06-01 --pair BOL USA. Exit status: 0 done, 1 a check failed "
        "(validate), 2 bad input.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for command in COMMANDS:
        if only is not None and command.name != only:
            continue
        # Several examples keep their line breaks; the description is then wrapped here.
        raw = "\n" in command.example
        description = command.description() if callable(command.description) else command.description
        if raw:
            import textwrap  # only for the subcommands with such examples: `at` does without it

            description = textwrap.fill(description, 79)
        sub = commands.add_parser(
            command.name,
            help=command.summary,
            description=description,
            epilog=f"Examples:{command.example}" if raw else f"Example: {command.example}",
            formatter_class=argparse.RawDescriptionHelpFormatter if raw else argparse.HelpFormatter,
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


def main(argv: Sequence[str] | None = None, *, remember: bool = False) -> int:
    """Run the command; returns the exit status (0 ok, 1 failed check, 2 bad input, 70 internal error).

    Args:
        argv: the arguments (default: the process's).
        remember: keep `at` answers in the answer cache (the `legation` program does; see engine._launch).
    """
    argv = list(argv) if argv is not None else sys.argv[1:]
    named = argv[0] if argv and argv[0] in _COMMAND_NAMES else None
    parser = build_parser(only=named)
    try:
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
