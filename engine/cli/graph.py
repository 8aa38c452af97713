"""`legation graph`: the signed third-country alignment graph on a date, its blocs, balance and exports."""

from __future__ import annotations

import argparse

from engine import as_day
from engine.cli._common import EXIT_OK, UsageError, add_common_options, date_arg, load_scenario, pick_pair, print_json

DESCRIPTION = (
    "The signed graph of alignments on a date (+1 aligned, -1 hostile): its edges, blocs, structural "
    "balance, one actor's allies and adversaries, or how far two actors agree about third countries. "
    "Severances and expulsions count as hostile, a reestablishment ends hostility (--no-implied: only "
    "alignment and bloc events). --format graphml or gexf exports the whole graph."
)


_GRAPH_FORMATS = ("text", "json", "graphml", "gexf")
EXAMPLE = """
  legation graph --at 2010                          edges, blocs and balance on 2010-12-31
  legation graph --at 2010 --format json            node-link JSON, each edge with its sign
  legation graph --at 2010 --format gexf -o g.gexf  for Gephi (also graphml)
  legation graph --at 2010 --actor BOL --since 2005 allies, adversaries, and what changed since 2005
  legation graph --at 2010 --balance --pair BOL USA balanced share and the pair's triads
  legation graph --at 2020 --agreement BOL USA --from 2000   agreement about third countries, yearly"""


def _graph_dates(start, end, step: str) -> list:
    """The last day of each year (or month) from `start` up to `end`, then `end` itself."""
    import calendar
    import datetime

    days = []
    year, month = start.year, start.month
    while True:
        # Built from the period's own last day, never the next period's first: 9999-12 has no successor.
        if step == "year":
            day = datetime.date(year, 12, 31)
        else:
            day = datetime.date(year, month, calendar.monthrange(year, month)[1])
        if day >= end:
            break
        if day >= start:
            days.append(day)
        if step == "year":
            year += 1
        else:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return [*days, end]


def run(args: argparse.Namespace) -> int:
    from engine.analysis.alignment import AlignmentIndex

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
    scenario = load_scenario(args)
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
        print_json(data)
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
        print_json(
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
    first, second = pick_pair(args, scenario)
    balance = index.balance(args.at)
    triads = index.triads(first, second, args.at)
    if args.format == "json":
        print_json(
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
        print_json({"at": as_day(args.at)[0].isoformat(), "blocs": [list(group) for group in groups]})
        return
    print(f"Blocs (groups joined by aligned edges) on {as_day(args.at)[0]}:" + ("" if groups else " none"))
    for group in groups:
        print(f"  {' '.join(group)}")


def _graph_whole(args, scenario, index, name) -> None:
    from engine.analysis.alignment import export

    graph = index.graph_at(args.at)
    text = _graph_text(graph, args.at, index, name) if args.format == "text" else export(graph, args.format)
    if args.output is None:
        print(text)
        return
    from events import write_file

    text = text if text.endswith("\n") else text + "\n"
    write_file(args.output, text.encode("utf-8"), label="legation graph: -o")


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


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--at", required=True, type=date_arg, metavar="DATE", help="EDTF date (2010 = 2010-12-31)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the graph export to FILE instead of stdout")
    parser.add_argument("--actor", metavar="X", help="allies and adversaries of X")
    parser.add_argument("--since", type=date_arg, metavar="DATE", help="with --actor: what changed since DATE")
    parser.add_argument("--balance", action="store_true", help="balanced share of triads, and the pair's triads")
    parser.add_argument("--agreement", nargs=2, metavar=("A", "B"), help="how far A and B agree on third parties")
    parser.add_argument("--from", dest="start", type=date_arg, metavar="DATE", help="with --agreement: a series")
    parser.add_argument("--step", choices=("year", "month"), default="year", help="series step (default year)")
    parser.add_argument("--blocs", action="store_true", help="groups joined by aligned edges")
    parser.add_argument("--no-implied", action="store_true", help="ignore stances implied by bilateral events")
    add_common_options(
        parser,
        formats=_GRAPH_FORMATS,
        lenient_help="accepted for symmetry: the alignment graph applies no transition rules, so nothing fails",
    )
