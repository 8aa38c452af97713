"""The `legation` command: the one place that wires files, the reducer and the terminal together."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

import scenarios
from engine._history import History, as_day
from engine._render import as_of_json, as_of_text
from events import LegationError, Scenario, check_scenario, parse_date

EXIT_OK, EXIT_CHECK_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(LegationError, ValueError):
    """A bad command line: unknown option, missing argument, bad value."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and exiting, so every error is one line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


def _date_arg(text: str):
    try:
        return parse_date(text)
    except LegationError as error:
        raise argparse.ArgumentTypeError(f"bad date {text!r}: expected {error.expected}") from None


def _common(parser: argparse.ArgumentParser, pair: bool = True) -> None:
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


def _pair(args: argparse.Namespace, scenario: Scenario) -> tuple[str, str]:
    if args.pair:
        return args.pair[0].upper(), args.pair[1].upper()
    if scenario.pair is None:
        raise UsageError(f"scenario {scenario.name!r} names no main pair: give --pair A B")
    return scenario.pair


def _print_json(data: object) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def _cmd_at(args: argparse.Namespace) -> int:
    scenario, history = _load(args)
    a, b = _pair(args, scenario)
    answer = history.state_at(a, b, args.date)
    if args.format == "json":
        _print_json(as_of_json(answer, history))
    else:
        names = {code: scenario.log.actors[code].name for code in (a, b)}
        print(as_of_text(answer, history, names))
        if history.anomalies:
            print(f"\n{len(history.anomalies)} anomalies recorded (lenient mode); see `legation validate`.")
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    path = scenarios.history_path(args.file)
    problems = check_scenario(path)
    transitions = []
    if not problems:
        scenario = scenarios.load(path)
        transitions = list(History(scenario.log, strict=False).anomalies)
    if args.format == "json":
        _print_json(
            {
                "file": str(path),
                "ok": not problems and not transitions,
                "errors": [str(problem) for problem in problems],
                "anomalies": [{"event_id": a.event_id, "date": str(a.date), "rule": a.rule} for a in transitions],
            }
        )
    else:
        for problem in problems:
            print(problem)
        for anomaly in transitions:
            print(f"{path}: {anomaly}")
        if not problems and not transitions:
            print(f"{path}: ok")
    return EXIT_CHECK_FAILED if problems or transitions else EXIT_OK


# --- legation graph: the alignment graph -------------------------------------------------------------
# engine.alignment imports networkx, so it is imported inside the handler: `legation at` never pays for it.

_GRAPH_FORMATS = ("text", "json", "graphml", "gexf")
_GRAPH_EXAMPLES = """examples:
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


def _add_graph_command(commands) -> None:
    graph = commands.add_parser(
        "graph",
        help="the third-country alignment graph on a date",
        description=(
            "The signed graph of alignments on a date (+1 aligned, -1 hostile): its edges, blocs, structural "
            "balance, one actor's allies and adversaries, or how far two actors agree about third countries. "
            "Severances and expulsions count as hostile, a reestablishment ends hostility (--no-implied: only "
            "alignment and bloc events)."
        ),
        epilog=_GRAPH_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    graph.add_argument("--at", required=True, type=_date_arg, metavar="DATE", help="EDTF date (2010 = 2010-12-31)")
    graph.add_argument(
        "--scenario",
        default=scenarios.DEFAULT,
        metavar="NAME|PATH",
        help=f"built-in scenario name or scenario file/folder (default: {scenarios.DEFAULT})",
    )
    graph.add_argument("--format", choices=_GRAPH_FORMATS, default="text", help="output format (default text)")
    graph.add_argument("-o", "--output", metavar="FILE", help="write the graph export to FILE instead of stdout")
    graph.add_argument("--actor", metavar="X", help="allies and adversaries of X")
    graph.add_argument("--since", type=_date_arg, metavar="DATE", help="with --actor: what changed since DATE")
    graph.add_argument("--balance", action="store_true", help="balanced share of triads, and the pair's triads")
    graph.add_argument("--pair", nargs=2, metavar=("A", "B"), help="with --balance (default: the scenario's pair)")
    graph.add_argument("--agreement", nargs=2, metavar=("A", "B"), help="how far A and B agree on third parties")
    graph.add_argument("--from", dest="start", type=_date_arg, metavar="DATE", help="with --agreement: a series")
    graph.add_argument("--step", choices=("year", "month"), default="year", help="series step (default year)")
    graph.add_argument("--blocs", action="store_true", help="groups joined by aligned edges")
    graph.add_argument("--no-implied", action="store_true", help="ignore stances implied by bilateral events")
    graph.set_defaults(handler=_cmd_graph)


# --- end of legation graph ---------------------------------------------------------------------------


# --- whatif: counterfactual replay and comparison (kept in one block) ----------------------


def _add_whatif(commands: argparse._SubParsersAction) -> None:
    whatif = commands.add_parser(
        "whatif",
        help="replay a counterfactual and compare it with its base history",
        description=(
            "Apply a counterfactual file's edits to its base history, replay it from the last checkpoint "
            "before the first edit, and compare: edits, events dropped by cascade, the first divergence, "
            "the timeline of differences, and the state difference on a date (default: the end)."
        ),
        epilog=(
            "Example: legation whatif scenarios/bolivia_usa/whatif/no_goldberg_expulsion.toml --at 2010-06-01\n"
            "         legation whatif bolivia_usa/no_goldberg_expulsion --format json"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    whatif.add_argument("file", help="counterfactual file, or built-in SCENARIO/NAME")
    whatif.add_argument(
        "--at", type=_date_arg, metavar="DATE", help="compare the states on this date (answered at its end)"
    )
    whatif.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    whatif.add_argument(
        "--cascade",
        choices=("drop", "keep", "ask"),
        help="what removing or moving an event does to what it caused (default: the file's, else drop)",
    )
    whatif.add_argument(
        "--lenient", action="store_true", help="record events the edits make impossible as anomalies, and go on"
    )
    whatif.set_defaults(handler=_cmd_whatif)


def _cmd_whatif(args: argparse.Namespace) -> int:
    from engine._counterfactual import Counterfactual
    from engine._whatif_render import comparison_json, comparison_text

    spec, base = scenarios.load_counterfactual(args.file)
    counterfactual = Counterfactual.from_spec(spec, base.log, cascade=args.cascade)
    comparison = counterfactual.compare(at=args.at, strict=not args.lenient)
    if args.format == "json":
        _print_json(comparison_json(comparison))
    else:
        print(comparison_text(comparison))
    return EXIT_OK


# --- end of whatif -------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser with every subcommand."""
    parser = _Parser(
        prog="legation",
        description="Diplomatic history as an event log: ask the state of a relationship on any date.",
        epilog="Example: legation at 2010-06-01 --pair BOL USA",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    at = commands.add_parser(
        "at",
        help="the state of a pair on a date",
        description="The state of a relationship on a date: relations, envoys, posts, agencies, aid, visas.",
        epilog="Example: legation at 2008-10-01 --pair BOL USA --format json",
    )
    at.add_argument("date", type=_date_arg, help="EDTF date: 2010-06-01, 2010-06 or 2010 (answered at its end)")
    _common(at)
    at.set_defaults(handler=_cmd_at)
    validate = commands.add_parser(
        "validate",
        help="check a scenario file, listing every problem",
        description="Check a scenario file; lists every error with file, line and event id. Exit 1 if any.",
        epilog="Example: legation validate scenarios/bolivia_usa/history.toml",
    )
    validate.add_argument("file", help="scenario file, folder or built-in name")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.set_defaults(handler=_cmd_validate)
    _add_graph_command(commands)
    _add_whatif(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status (0 ok, 1 failed check, 2 bad input)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
        if handler is None:
            parser.print_help()
            return EXIT_USAGE
        return handler(args)
    except LegationError as error:
        print(f"legation: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
