"""`legation plot`: pictures of a history (a pair's timeline, the alignment graph) as PNG or SVG."""

from __future__ import annotations

import argparse

from engine.cli._common import (
    EXIT_OK,
    MissingExtraError,
    Parser,
    UsageError,
    actor_names,
    add_common_options,
    check_range,
    date_arg,
    emit,
    kind_arg,
    load,
    load_scenario,
    pick_pair,
)

DESCRIPTION = (
    "Draw a picture as PNG or SVG: `timeline` (a pair's history). Needs matplotlib: pip install 'legation[plot]'."
)
EXAMPLE = "legation plot timeline --out bolivia-usa.png"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pictures = parser.add_subparsers(dest="picture", metavar="PICTURE", parser_class=Parser)
    picture = pictures.add_parser(
        "timeline",
        help="a pair's history: envoy rank each way, relations, events",
        description="Draw a pair's history as a PNG or SVG: the rank of each side's head of mission as "
        "steps, diplomatic relations as bands, and every state-changing event as a labelled marker "
        "(imprecise dates as spans).",
        epilog="Example: legation plot timeline --pair BOL USA --out bolivia-usa.png",
    )
    picture.add_argument("--out", metavar="FILE", help="FILE.png or FILE.svg (default: A-B-timeline.png)")
    picture.add_argument("--from", dest="start", type=date_arg, metavar="DATE", help="start the picture here")
    picture.add_argument("--to", dest="end", type=date_arg, metavar="DATE", help="end the picture here")
    picture.add_argument(
        "--kind", action="append", type=kind_arg, metavar="KIND", help="mark only events of this kind (repeatable)"
    )
    picture.add_argument(
        "--tone",
        action="store_true",
        help="add a panel of the pair's Goldstein tone: each month's sum and the decaying index (timeline --tone)",
    )
    picture.add_argument("--half-life", type=float, default=6.0, metavar="MONTHS", help="of the tone index (6)")
    add_common_options(picture)
    picture.set_defaults(handler=_cmd_plot_timeline)
    picture = pictures.add_parser(
        "graph",
        help="the alignment graph on a date",
        description="Draw the signed alignment graph on a date as a PNG or SVG: actors and blocs as nodes, "
        "aligned edges green and solid, hostile edges red and dashed.",
        epilog="Example: legation plot graph --at 2009-01-01 --out alignments-2009.svg",
    )
    picture.add_argument("--at", required=True, type=date_arg, metavar="DATE", help="EDTF date (2010 = 2010-12-31)")
    picture.add_argument("--out", metavar="FILE", help="FILE.png or FILE.svg (default: alignment-DATE.png)")
    picture.add_argument(
        "--no-implied", action="store_true", help="ignore stances implied by severances, expulsions, reestablishments"
    )
    add_common_options(picture, pair=False)
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
    path = default if args.out is None else args.out
    base = path.replace("\\", "/").rsplit("/", 1)[-1]
    if not base.lower().endswith((".png", ".svg")):
        raise UsageError(f"--out {path!r}: expected a file name ending in .png or .svg")
    if len(base) == len(".png"):
        raise UsageError(f"--out {path!r}: expected a name before .png or .svg, such as timeline{base}")
    return path


def _cmd_plot_timeline(args: argparse.Namespace) -> int:
    check_range("plot timeline", args.start, args.end)
    scenario, history = load(args)
    a, b = pick_pair(args, scenario)
    path = _out_path(args, f"{a}-{b}-timeline.png")
    months = None
    if args.tone:
        from engine.analysis._tone import tone

        if not args.half_life > 0:
            raise UsageError(f"--half-life: expected a number of months above 0, found {args.half_life}")
        start = args.start.earliest.strftime("%Y-%m") if args.start is not None else None
        end = args.end.latest.strftime("%Y-%m") if args.end is not None else None
        months = tone(history, a, b, half_life=args.half_life, start=start, end=end)
    _matplotlib()
    from engine.cli import _pictures as plot

    figure = plot.timeline_figure(
        history,
        a,
        b,
        actor_names(scenario, (a, b)),
        start=args.start,
        end=args.end,
        kinds=args.kind,
        tone=months,
        half_life=args.half_life if args.tone else None,
    )
    info = plot.save(figure, path)
    shown = {"tone_months": len(months)} if months is not None else {}
    emit(
        args,
        lambda: {"file": path, "picture": "timeline", "pair": [a, b], **shown, **info},
        lambda: f"wrote {path}",
    )
    return EXIT_OK


def _cmd_plot_graph(args: argparse.Namespace) -> int:
    scenario = load_scenario(args)
    day = args.at.latest
    path = _out_path(args, f"alignment-{day.isoformat()}.png")
    _matplotlib()
    from engine.analysis.alignment import AlignmentIndex
    from engine.cli import _pictures as plot

    graph = AlignmentIndex(scenario.log, implied=not args.no_implied).graph_at(args.at)
    title = f"{scenario.title or scenario.name}: alignments on {day.isoformat()}"
    info = plot.save(plot.graph_figure(graph, title), path)
    edges = {"aligned": 0, "hostile": 0}
    for _, _, data in graph.edges(data=True):
        edges["aligned" if data["sign"] > 0 else "hostile"] += 1
    emit(
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


def run(args: argparse.Namespace) -> int:
    raise UsageError("legation plot: expected a picture: timeline or graph (see legation plot --help)")
