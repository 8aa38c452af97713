"""The explorer: one self-contained HTML page per history and pair, every answer computed by the engine and cited.

`report_html` builds the page (needs the `report` extra: Jinja2 and Bokeh); `write_report` writes it whole.
The page embeds, for every date where the pair's state changes, the JSON `legation at --format json`
prints; its script only picks the answer for the date chosen (see `engine.explorer._data`).
"""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from events import LegationError, write_file

if TYPE_CHECKING:
    from engine.core._counterfactual import Counterfactual
    from events import Scenario

_HERE = Path(__file__).parent
PAGE_FILES = ("page.html.j2", "page.css", "page.js")
"""The template, style and script of the page, shipped as package data beside this module."""


class ReportExtraError(LegationError, ImportError):
    """The page needs the `report` extra (Jinja2 and Bokeh), which is not installed."""


def _libraries() -> tuple[Any, Any]:
    try:
        import jinja2
        from bokeh.resources import Resources
    except ImportError as error:
        raise ReportExtraError(
            f"the HTML report needs the report extra (missing {error.name}): pip install 'legation[report]'"
        ) from None
    return jinja2, Resources


def _script_text(data: Any) -> str:
    """JSON safe inside a <script> element: every `<` escaped (the same JSON string), so none can end it."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _span(
    tables: list[Any], events: list[list[list[Any]]], graph_days: list[str]
) -> tuple[datetime.date, datetime.date]:
    days = [day for table in tables for day in table.days] + graph_days
    days += [row[2] for rows in events for row in rows] + [row[3] for rows in events for row in rows]
    if not days:
        today = datetime.date(2000, 1, 1)
        return today - datetime.timedelta(days=365), today
    first, last = datetime.date.fromisoformat(min(days)), datetime.date.fromisoformat(max(days))
    margin = datetime.timedelta(days=max(30, (last - first).days // 40))
    return max(datetime.date(1, 1, 1) + margin, first) - margin, last + margin


def report_html(
    scenario: Scenario,
    pair: tuple[str, str],
    *,
    counterfactual: Counterfactual | None = None,
    strict: bool = True,
    command: str = "",
) -> str:
    """The explorer page of a pair in a history (and, with `counterfactual`, beside its edited history).

    Args:
        scenario: the history (its log, title and actors).
        pair: the pair, first actor's side first, as `legation at --pair A B` takes it.
        counterfactual: edits of the history to show side by side with it (the comparison of `legation whatif`).
        strict: fold strictly (an impossible transition is an error) or record anomalies and go on.
        command: the command line that made the page, printed on it.

    Raises:
        ReportExtraError: Jinja2 or Bokeh is missing.
        TransitionError, ImpossibleEventError: (strict) a history breaks a rule.
    """
    jinja2, resources = _libraries()
    from engine.analysis._timeline import TimelineEntry, timeline
    from engine.cli._whatif_render import comparison_json
    from engine.core._history import History
    from engine.explorer import _charts
    from engine.explorer._data import EVENT_COLUMNS, answer_table, event_rows, table_layout
    from engine.explorer._graph import graph_data

    sources: dict[str, int] = {}
    histories: list[dict[str, Any]] = []
    runs = [("", "What happened", History(scenario.log, strict=strict), scenario.log)]
    comparison = None
    if counterfactual is not None:
        base_history = runs[0][2]
        compared = counterfactual.compare(strict=strict, history=base_history)
        comparison = comparison_json(_only_pair(compared, pair))
        edited = counterfactual.log
        runs.append((" (what if)", "What if", History(edited, strict=strict), edited))
    tables, all_events, graphs = [], [], []
    for number, (_, title, history, log) in enumerate(runs):
        entries = timeline(history, *pair)
        table = answer_table(history, pair, entries)
        rows = event_rows(entries, sources)
        graph = graph_data(log, pair)
        listed = {row[0] for row in rows}
        behind_edges = dict.fromkeys(
            i for edges in graph["snapshots"] for *_, ids in edges for i in ids if i not in listed
        )
        related = event_rows([TimelineEntry(log.get(i), ()) for i in behind_edges], sources)
        layout, texts = table_layout(table)
        tables.append(table)
        all_events.append(rows)
        graphs.append(graph)
        histories.append(
            {
                "id": "base" if number == 0 else "whatif",
                "title": title,
                "answers": table.to_json(),
                "layout": layout,
                "texts": texts,
                "events": rows,
                "related": related,
                "graph": graph,
                "anomalies": [{"event_id": a.event_id, "date": str(a.date), "rule": a.rule} for a in history.anomalies],
            }
        )
    span = _span(tables, all_events, [day for graph in graphs for day in graph["days"]])
    divergence = None
    if comparison is not None and comparison["diverges"] is not None:
        divergence = datetime.date.fromisoformat(comparison["diverges"]["date"])
    chart = _charts.timeline_chart(
        [(suffix, table, rows) for (suffix, *_), table, rows in zip(runs, tables, all_events, strict=True)],
        span,
        divergence,
    )
    graph_charts = [
        _charts.graph_chart(graph["nodes"], f"graph-{history['id']}")
        for graph, history in zip(graphs, histories, strict=True)
    ]
    names = {code: scenario.log.actors[code].name for code in pair}
    title = f"{names[pair[0]]} and {names[pair[1]]}"
    data = {
        "title": title,
        "scenario": scenario.title or scenario.name,
        "pair": list(pair),
        "names": names,
        "span": [span[0].isoformat(), span[1].isoformat()],
        "sources": list(sources),
        "event_columns": list(EVENT_COLUMNS),
        "histories": histories,
        "comparison": comparison,
    }
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_HERE), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    template = environment.get_template(PAGE_FILES[0])
    bokeh_js = "\n".join(resources(mode="inline", components=["bokeh"]).js_raw)
    page: str = template.render(  # jinja2 is loaded lazily (the report extra), so typed Any here
        title=title,
        scenario=data["scenario"],
        pair=pair,
        names=names,
        command=command,
        whatif=comparison is not None,
        comparison=comparison,
        histories=histories,
        style=(_HERE / PAGE_FILES[1]).read_text(encoding="utf-8"),
        page_script=(_HERE / PAGE_FILES[2]).read_text(encoding="utf-8"),
        bokeh_script=bokeh_js,
        data_json=_script_text(data),
        charts_json=_script_text({"timeline": chart, "graphs": graph_charts}),
    )
    return page


def _only_pair(comparison: Any, pair: tuple[str, str]) -> Any:
    """The comparison's differences of the pair and of its two actors (as `legation whatif --pair` shows)."""
    import attrs

    subjects = {"-".join(sorted(pair)), *pair}
    return attrs.evolve(
        comparison,
        timeline=tuple(d for d in comparison.timeline if d.subject in subjects),
        state=tuple(d for d in comparison.state if d.subject in subjects),
    )


def write_report(path: str | os.PathLike[str], html: str) -> None:
    """Write the page whole, keeping what is at the name until it is written (see `events.write_file`).

    Raises:
        OutputFileError: the file cannot be written (the message names it and why).
    """
    write_file(path, html.encode("utf-8"), label="--out")
