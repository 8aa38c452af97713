"""The explorer page's charts, drawn with Bokeh from the engine's answers: the pair's timeline and the alignment graph.

The charts are Bokeh documents serialised with `bokeh.embed.json_item`; the page inlines BokehJS (from the
installed Bokeh package) and draws them, so the file needs no network. The page's script moves the
`cursor` line and swaps the graph's data sources as the date changes; both come from the embedded answers.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from typing import Any

import numpy
from bokeh.embed import json_item
from bokeh.models import ColumnDataSource, CustomJS, FactorRange, HoverTool, Range1d, TapTool
from bokeh.models.annotations import Span
from bokeh.plotting import figure

from engine.explorer._data import EVENT_COLUMNS, NOT_IN_TABLE, AnswerTable, value_text

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
"""Okabe and Ito's palette, told apart with the common colour-vision deficiencies."""
EMPTY_COLOUR = "#DDDDDD"
"""The colour of a value that says nothing is there (none, no, an empty list)."""
ALIGNED_COLOUR, HOSTILE_COLOUR = "#0072B2", "#D55E00"
"""Alignment edges: blue and solid, vermilion and dashed (told apart by dash as well as colour)."""

_SELECT_DAY = """
const index = cb_data.source.selected.indices[0];
if (index === undefined) return;
const day = cb_data.source.data.day[index];
document.dispatchEvent(new CustomEvent('legation:select-day', {detail: day}));
"""
"""A tap on a segment or event asks the page to show that day (the page does the choosing)."""


def _ms(day: datetime.date) -> float:
    return (day - datetime.date(1970, 1, 1)).days * 86_400_000.0


def _empty(value: Any) -> bool:
    if isinstance(value, dict) and "level" in value:
        level: object = value["level"]
        return level == "none"
    return value in (None, False, "none", [], {})


def _colour_key(value: Any) -> str:
    # A head of mission is coloured by rank, not by person: the lane reads as rank steps.
    if isinstance(value, dict) and "level" in value:
        return str(value["level"])
    return json.dumps(value, sort_keys=True)


def lanes(table: AnswerTable) -> dict[str, list[tuple[datetime.date | None, Any, str]]]:
    """Each field (per side where it has sides) as its runs of equal values: (first day or None, value, text)."""
    stretches = len(table.days) + 1
    starts: list[datetime.date | None] = [None, *(datetime.date.fromisoformat(day) for day in table.days)]
    found: dict[str, list[tuple[datetime.date | None, Any, str]]] = {}
    for column in table.columns:
        if column.key in NOT_IN_TABLE:
            continue
        runs = []
        for start, pick in zip(column.starts, column.picks, strict=True):
            if start < stretches:  # the rows after the stretches are months and years asked
                value = column.values[pick] if pick >= 0 else None
                runs.append((starts[start], value, value_text(column.key, value)))
        if len(runs) > 1 or not _empty(runs[0][1]):
            found[column.key if column.sub is None else f"{column.key} {column.sub}"] = runs
    return found


def timeline_chart(
    histories: Sequence[tuple[str, AnswerTable, list[list[Any]]]],
    span: tuple[datetime.date, datetime.date],
    divergence: datetime.date | None = None,
) -> dict[str, Any]:
    """The pair's timeline: one lane per field (and side), coloured runs of values, and the events; as json_item.

    Args:
        histories: (label suffix, answers, event rows) for each history; a second history's lanes are
            drawn only where they differ from the first's.
        span: the first and last day the chart shows.
        divergence: the first day a counterfactual differs from its base, marked with a dashed line.
    """
    start, end = span
    found: list[tuple[str, int, list[tuple[datetime.date | None, Any, str]]]] = []
    first_lanes: dict[str, list[tuple[datetime.date | None, Any, str]]] = {}
    for number, (_, table, _) in enumerate(histories):
        for name, runs in lanes(table).items():
            if number == 0:
                first_lanes[name] = runs
            elif first_lanes.get(name) == runs:
                continue
            found.append((name, number, runs))
    # Lanes of one field sit together: the counterfactual's right under the base's.
    order = {name: position for position, (name, number, _) in enumerate(found) if number == 0}
    found.sort(key=lambda lane: (order.get(lane[0], len(order)), lane[0], lane[1]))
    all_lanes = [(f"{name}{histories[number][0]}", runs) for name, number, runs in found]
    event_lanes = [f"events{suffix}" for suffix, _, _ in histories]
    factors = [name for name, _ in all_lanes] + event_lanes
    columns: dict[str, Any] = {k: [] for k in ("lane", "left", "right", "colour", "text", "day", "until")}
    for name, runs in all_lanes:
        palette: dict[str, str] = {}
        for position, (first, value, text) in enumerate(runs):
            following = runs[position + 1][0] if position + 1 < len(runs) else None
            left = max(first or start, start)
            right = following or end
            if _empty(value):
                colour = EMPTY_COLOUR
            else:
                colour = palette.setdefault(_colour_key(value), OKABE_ITO[len(palette) % len(OKABE_ITO)])
            columns["lane"].append(name)
            columns["left"].append(_ms(left))
            columns["right"].append(_ms(max(right, left)))
            columns["colour"].append(colour)
            columns["text"].append(text)
            columns["day"].append((first or start).isoformat())
            columns["until"].append(following.isoformat() if following else "the end")
    height = 60 + 26 * len(factors)
    chart = figure(
        name="timeline",
        title=None,
        x_axis_type="datetime",
        y_range=FactorRange(factors=list(reversed(factors))),
        x_range=Range1d(start=_ms(start), end=_ms(end)),
        height=height,
        sizing_mode="stretch_width",
        tools="xpan,xwheel_zoom,reset",
        toolbar_location="above",
    )
    # Numbers as arrays: Bokeh sends them as binary, which the browser decodes faster than JSON lists.
    columns["left"], columns["right"] = numpy.array(columns["left"]), numpy.array(columns["right"])
    runs_source = ColumnDataSource(columns, name="timeline-runs")
    bars = chart.hbar(
        y="lane", left="left", right="right", height=0.7, fill_color="colour", line_color="white", source=runs_source
    )
    chart.add_tools(
        HoverTool(renderers=[bars], tooltips=[("", "@lane"), ("value", "@text"), ("from", "@day"), ("until", "@until")])
    )
    # Events that changed the state only: the others (statements, visits) are in the events list.
    marks: dict[str, list[Any]] = {k: [] for k in ("lane", "x", "day", "id")}
    for (_, _, rows), lane in zip(histories, event_lanes, strict=True):
        for row in rows:
            if row[EVENT_COLUMNS.index("changes")]:
                marks["lane"].append(lane)
                marks["x"].append(_ms(datetime.date.fromisoformat(row[2])))
                marks["day"].append(row[1])
                marks["id"].append(row[0])
    marks_source = ColumnDataSource({**marks, "x": numpy.array(marks["x"])}, name="timeline-events")
    dots = chart.scatter(x="x", y="lane", size=9, marker="diamond", color="#000000", alpha=0.7, source=marks_source)
    chart.add_tools(HoverTool(renderers=[dots], tooltips=[("event", "@id"), ("date", "@day")]))
    chart.add_tools(TapTool(renderers=[bars, dots], callback=CustomJS(code=_SELECT_DAY)))
    chart.add_layout(Span(name="cursor", location=_ms(end), dimension="height", line_color="#000000", line_width=2))
    if divergence is not None:
        chart.add_layout(
            Span(
                name="divergence",
                location=_ms(divergence),
                dimension="height",
                line_color=HOSTILE_COLOUR,
                line_dash="dashed",
                line_width=3,
            )
        )
    chart.yaxis.major_label_text_font_size = "11px"
    chart.ygrid.grid_line_color = None
    chart.outline_line_color = None
    return dict(json_item(chart))


def graph_chart(nodes: dict[str, dict[str, Any]], name: str) -> dict[str, Any]:
    """An empty alignment-graph plot with fixed ranges; the page fills its sources for the chosen day."""
    xs = [node["x"] for node in nodes.values()] or [-1.0, 1.0]
    ys = [node["y"] for node in nodes.values()] or [-1.0, 1.0]
    pad = 0.35
    chart = figure(
        name=name,
        x_range=Range1d(start=min(xs) - pad, end=max(xs) + pad),
        y_range=Range1d(start=min(ys) - pad, end=max(ys) + pad),
        height=360,
        sizing_mode="stretch_width",
        tools="",
        toolbar_location=None,
    )
    empty_edges: dict[str, list[Any]] = {"xs": [], "ys": [], "label": []}
    aligned = ColumnDataSource(dict(empty_edges), name=f"{name}-aligned")
    hostile = ColumnDataSource(dict(empty_edges), name=f"{name}-hostile")
    chart.multi_line(xs="xs", ys="ys", line_color=ALIGNED_COLOUR, line_width=3, source=aligned)
    chart.multi_line(xs="xs", ys="ys", line_color=HOSTILE_COLOUR, line_width=3, line_dash="dashed", source=hostile)
    points = ColumnDataSource({"x": [], "y": [], "code": [], "colour": []}, name=f"{name}-nodes")
    chart.scatter(x="x", y="y", size=34, fill_color="colour", line_color="#000000", source=points)
    chart.text(
        x="x", y="y", text="code", text_align="center", text_baseline="middle", text_font_size="11px", source=points
    )
    chart.axis.visible = False
    chart.grid.visible = False
    chart.outline_line_color = None
    return dict(json_item(chart))
