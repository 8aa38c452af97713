"""`legation report`: one self-contained HTML page of a pair in a history (and a counterfactual beside it)."""

from __future__ import annotations

import argparse
import shlex

import scenarios
from engine.cli._common import EXIT_OK, UsageError, add_common_options, emit, load_scenario, pick_pair

DESCRIPTION = (
    "Write one HTML page that opens from disk in any current browser, with no server and no network: the pair's "
    "timeline, the full state on any date (slider or typed EDTF date) with each value linked to the event behind "
    "it and its sources, the alignment graph on that date, and the events filterable by kind. With --whatif, the "
    "counterfactual beside its base history, the first divergence marked. Every answer on the page is the "
    "engine's (the JSON of `legation at`). Needs the report extra: pip install 'legation[report]'."
)
EXAMPLE = "legation report --pair BOL USA --whatif bolivia_usa/no_goldberg_expulsion --out bolivia-usa.html"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, metavar="FILE.html", help="the page to write (written whole)")
    parser.add_argument(
        "--whatif",
        metavar="FILE",
        help="a counterfactual file (or built-in SCENARIO/NAME) to show beside its base history",
    )
    add_common_options(
        parser,
        formats=("text", "json"),
        scenario_help=f"built-in scenario name or scenario file/folder (default: {scenarios.DEFAULT}; with "
        "--whatif: the history the counterfactual file names)",
    )
    parser.set_defaults(scenario=None)


def run(args: argparse.Namespace) -> int:
    from engine.explorer import report_html, write_report

    if not args.out.lower().endswith((".html", ".htm")):
        raise UsageError(f"--out {args.out!r}: expected a file name ending in .html")
    counterfactual = None
    if args.whatif is not None:
        from engine.core._counterfactual import Counterfactual

        spec, scenario = scenarios.load_counterfactual(args.whatif)
        if args.scenario is not None or args.store is not None:
            scenario = load_scenario(args)
        counterfactual = Counterfactual.from_spec(spec, scenario.log)
    elif args.store is not None:
        scenario = load_scenario(args)  # the history as the store holds it (as recorded at --as-recorded)
    else:
        scenario = scenarios.load(args.scenario or scenarios.DEFAULT)
    pair = pick_pair(args, scenario)
    parts = ["legation", "report", "--pair", *pair]
    if args.scenario is not None:
        parts += ["--scenario", args.scenario]
    if args.whatif is not None:
        parts += ["--whatif", args.whatif]
    if args.lenient:
        parts.append("--lenient")
    command = " ".join(shlex.quote(part) for part in [*parts, "--out", args.out])
    html = report_html(scenario, pair, counterfactual=counterfactual, strict=not args.lenient, command=command)
    write_report(args.out, html)
    size = len(html.encode("utf-8"))
    emit(
        args,
        lambda: {"file": args.out, "pair": list(pair), "bytes": size, "whatif": args.whatif},
        lambda: f"wrote {args.out} ({size / 1e6:.1f} MB)",
    )
    return EXIT_OK
