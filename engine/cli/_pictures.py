"""Pictures of a history with matplotlib (the `plot` extra): a pair's timeline, the alignment graph at a date.

Imported only by `legation plot`; the caller selects a non-interactive backend first.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.dates as mdates
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.textpath import TextToPath

from engine.core._history import History
from engine.core._state import initial_pair

LEVEL_HEIGHT = {"none": 0.0, "other": 0.5, "charge": 1.0, "minister": 2.0, "ambassador": 3.0}
"""Where each head-of-mission rank is drawn (the Correlates of War order, `other` between none and chargé)."""
LEVEL_TICKS = {
    "none": 0.0,
    "other (interests section)": 0.5,
    "chargé d'affaires": 1.0,
    "minister": 2.0,
    "ambassador": 3.0,
}
RELATION_COLOURS = {"none": "#eeeeee", "established": "#d9f0d3", "severed": "#f4c7c3"}
RELATION_WORDS = {"none": "no relations", "established": "relations established", "severed": "relations severed"}
# Each event's marker is coloured by the first kind of field it changed.
FAMILY_COLOURS = {
    "relations": ("relations", "#222222"),
    "agreed_level": ("envoys", "#1f77b4"),
    "representation": ("envoys", "#1f77b4"),
    "persona_non_grata": ("envoys", "#1f77b4"),
    "recognition": ("recognition", "#2ca02c"),
    "posts": ("posts and agencies", "#9467bd"),
    "agencies": ("posts and agencies", "#9467bd"),
    "aid": ("aid, certification, visas", "#d62728"),
    "certification": ("aid, certification, visas", "#d62728"),
    "visa_required": ("aid, certification, visas", "#d62728"),
    "sanctions": ("sanctions and designations", "#8c564b"),
    "designations": ("sanctions and designations", "#8c564b"),
    "government": ("governments and protecting powers", "#17becf"),
    "protecting_power": ("governments and protecting powers", "#17becf"),
    "consular_relations": ("consular relations", "#bcbd22"),
    "mission_status": ("mission staff", "#e377c2"),
    "staff_cap": ("mission staff", "#e377c2"),
    "nominee": ("mission staff", "#e377c2"),
}
DPI = 100
WIDTH_IN = 16.0
LABEL_SIZE = 7.5
LANE_IN = 0.19
MAX_LANES = 22
MAX_SHIFT_PX = 80.0
LABEL_PAD_PX = 6.0


def _num(day: datetime.date) -> float:
    return float(mdates.date2num(day))


def _label_width_px(text: str) -> float:
    width, _, _ = TextToPath().get_text_width_height_descent(text, FontProperties(size=LABEL_SIZE), ismath=False)
    return width * DPI / 72.0 + 4.0  # the label's white box adds a little padding


def assign_lanes(
    xs: Sequence[float],
    widths: Sequence[float],
    right: float,
    max_lanes: int = MAX_LANES,
    pad: float = LABEL_PAD_PX,
    max_shift: float = MAX_SHIFT_PX,
) -> list[tuple[int, float]]:
    """Place labels in horizontal lanes so that no two overlap: (lane, left edge) for each, in pixels.

    A label wants to touch its marker at x: starting there, or else ending there. It takes the first lane
    where one of those is free. When all `max_lanes` lanes are taken there, it goes to the free room
    nearest its marker in any lane, at most `max_shift` away (a leader line joins them); only when there
    is none does it open a lane.
    Labels stay within [0, right].
    """
    lanes: list[list[tuple[float, float]]] = []
    placed: list[tuple[int, float]] = []
    for x, width in zip(xs, widths, strict=True):

        def fits(lane: list[tuple[float, float]], at: float, width: float = width) -> bool:
            inside = at >= 0.0 and at + width <= right
            return inside and all(at + width + pad <= lo or at >= hi + pad for lo, hi in lane)

        touching = [x, x - width, min(max(x, 0.0), right - width)]
        choice = next(
            ((number, at) for number, lane in enumerate(lanes) for at in touching if fits(lane, at)),
            None,
        )
        if choice is None and len(lanes) >= max_lanes:
            best = None
            for number, lane in enumerate(lanes):
                edges = [hi + pad for _, hi in lane] + [lo - pad - width for lo, _ in lane]
                for at in edges:
                    if fits(lane, at):
                        distance = max(at - x, x - (at + width), 0.0)
                        if distance <= max_shift and (best is None or distance < best[0]):
                            best = (distance, number, at)
            if best is not None:
                choice = best[1:]
        if choice is None:
            lanes.append([])
            choice = (len(lanes) - 1, touching[2])
        number, at = choice
        lanes[number].append((at, at + width))
        placed.append((number, at))
    return placed


def _legend_above(axes, handles: list) -> None:
    """One row of legend entries just above a panel, left-aligned, unframed."""
    axes.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncol=len(handles),
        fontsize=8,
        frameon=False,
        borderaxespad=0.1,
    )


def timeline_figure(
    history: History,
    a: str,
    b: str,
    names: dict[str, str],
    *,
    start: Any = None,
    end: Any = None,
    kinds: Any = None,
    tone: Sequence[Any] | None = None,
    half_life: float | None = None,
) -> Figure:
    """A pair's history as a figure: envoy rank each way, relations as bands, events as labelled markers.

    Each side's head-of-mission rank is a step line; every state-changing event is a marker (a span for
    an imprecise date) with its id as a label, no two labels overlapping. With `tone` (the months of
    `engine.analysis._tone.tone`), a panel under the levels draws the Goldstein sum of each month as a bar
    (SVG id `tone-YYYY-MM`) and the decaying index as a line (id `tone-index`), on the same time axis.

    Args:
        history: the folded log.
        a, b: the pair; `a`'s mission in `b` is the first line.
        names: actor names by code, for the title.
        start, end: ImpreciseDates bounding the picture (default: the first and last event).
        kinds: mark only events of these kinds (the lines and bands still show every change).
        tone: the pair's tone month by month (`ToneMonth`s), or None for no tone panel.
        half_life: the index's half-life in months, for the legend.
    """
    all_steps = history.steps(a, b)
    steps = [
        step
        for step in all_steps
        if step.changed and (kinds is None or step.event.KIND in kinds) and _inside(step, start, end)
    ]
    first_day = start.earliest if start is not None else (steps[0].event.date.earliest if steps else None)
    last_day = end.latest if end is not None else (max(s.event.date.latest for s in steps) if steps else None)
    if first_day is None or last_day is None:
        today = datetime.date.today()
        first_day, last_day = first_day or today.replace(year=today.year - 1), last_day or today
    span_days = max((last_day - first_day).days, 30)
    # In day numbers, not dates: a margin past 0001-01-01 or 9999-12-31 is no date (OverflowError); clamped
    # to those days, which the axis can still label.
    margin = max(span_days // 40, 10)
    x0 = max(_num(first_day) - margin, _num(datetime.date.min))
    x1 = min(_num(last_day) + margin, _num(datetime.date.max))

    plot_left_in, plot_right_in = 1.9, 0.35
    plot_width_px = (WIDTH_IN - plot_left_in - plot_right_in) * DPI

    def to_px(x: float) -> float:
        return (x - x0) / (x1 - x0) * plot_width_px

    labels = [step.event.id for step in steps]
    xs = [_num(step.event.date.earliest) for step in steps]
    widths = [_label_width_px(text) for text in labels]
    placed = assign_lanes([to_px(x) for x in xs], widths, plot_width_px)
    lanes = 1 + max((lane for lane, _ in placed), default=0)

    levels_in, events_in = 2.6, 0.45 + LANE_IN * (lanes + 0.6)
    title_in, gap_in, bottom_in, legend_in = 0.8, 0.4, 0.55, 0.3
    tone_in = 2.0 if tone is not None else 0.0
    tone_block_in = tone_in + gap_in if tone is not None else 0.0
    height_in = title_in + levels_in + gap_in + tone_block_in + events_in + bottom_in + legend_in
    figure = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI)
    left, width = plot_left_in / WIDTH_IN, (WIDTH_IN - plot_left_in - plot_right_in) / WIDTH_IN
    levels_ax = figure.add_axes(
        (left, (bottom_in + events_in + gap_in + tone_block_in) / height_in, width, levels_in / height_in),
        label="levels",
    )
    events_ax = figure.add_axes((left, bottom_in / height_in, width, events_in / height_in), label="events")
    axes = [levels_ax, events_ax]
    if tone is not None:
        tone_ax = figure.add_axes(
            (left, (bottom_in + events_in + gap_in) / height_in, width, tone_in / height_in), label="tone"
        )
        axes.append(tone_ax)
        _tone_panel(tone_ax, tone, half_life)

    title = f"{names.get(a, a)} and {names.get(b, b)}: diplomatic representation and relations"
    if kinds is None:
        marked = f"{len(steps)} state-changing events"
    else:
        shown = sum(1 for step in all_steps if step.changed and _inside(step, start, end))
        marked = f"{len(steps)} of {shown} state-changing events (kinds: {', '.join(sorted(kinds))})"
    period = f"{first_day.year}–{last_day.year}" if first_day.year != last_day.year else str(first_day.year)
    figure.suptitle(f"{title}, {period}", x=0.5, y=1 - 0.12 / height_in, fontsize=14, fontweight="bold", va="top")
    figure.text(
        0.5,
        1 - 0.5 / height_in,
        f"{marked}, labelled by event id; imprecise dates drawn as spans",
        ha="center",
        fontsize=9,
        color="#555555",
    )

    _relation_bands(levels_ax, all_steps, a, b, x0, x1)
    _relation_bands(events_ax, all_steps, a, b, x0, x1, alpha=0.45)
    _level_steps(levels_ax, all_steps, a, b, names, x0, x1)
    _event_marks(events_ax, steps, xs, labels, widths, placed, plot_width_px, x0, x1, lanes)

    for axis in axes:
        axis.set_xlim(x0, x1)
        locator = mdates.AutoDateLocator(minticks=6, maxticks=16)
        axis.xaxis.set_major_locator(locator)
        axis.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        axis.grid(axis="x", color="#bbbbbb", linewidth=0.5, alpha=0.6)
    for axis in axes[:1] + axes[2:]:
        axis.tick_params(axis="x", labelbottom=False)
    events_ax.tick_params(axis="x", labelsize=9)

    handles: list[Artist] = [
        Line2D([], [], color="#1f77b4", linewidth=2.2, label=f"{a}'s head of mission in {b}"),
        Line2D([], [], color="#ff7f0e", linewidth=2.2, linestyle="--", label=f"{b}'s head of mission in {a}"),
    ]
    handles += [
        Patch(facecolor=RELATION_COLOURS[status], edgecolor="#999999", label=RELATION_WORDS[status])
        for status in ("none", "established", "severed")
    ]
    _legend_above(levels_ax, handles)
    families: dict[str, str] = {}
    for step in steps:
        family, colour = FAMILY_COLOURS.get(step.changed[0].split(" ")[0], ("other", "#7f7f7f"))
        families.setdefault(family, colour)
    event_handles = [
        Line2D([], [], marker="o", linestyle="", color=colour, markersize=6, label=family)
        for family, colour in families.items()
    ]
    event_handles.append(Line2D([], [], color="#555555", linewidth=5, alpha=0.6, label="imprecise date (span)"))
    _legend_above(events_ax, event_handles)
    return figure


def _tone_panel(axis, months: Sequence[Any], half_life: float | None) -> None:
    """The tone of the pair: each month's Goldstein sum as a bar, the decaying index as a line over them."""
    lefts = []
    for month in months:
        year, number = (int(part) for part in month.month.split("-"))
        first = datetime.date(year, number, 1)
        following = datetime.date(year + number // 12, number % 12 + 1, 1)
        lefts.append((_num(first), (following - first).days))
        axis.bar(
            _num(first),
            month.weight,
            width=(following - first).days * 0.9,
            align="edge",
            color="#2c7bb6" if month.weight >= 0 else "#d7191c",
            linewidth=0,
            gid=f"tone-{month.month}",
            zorder=3,
        )
    # The index is the month's value once the month is over: drawn at each month's middle.
    axis.plot(
        [x + days / 2 for x, days in lefts],
        [month.index for month in months],
        color="#333333",
        linewidth=1.4,
        gid="tone-index",
        zorder=4,
    )
    axis.axhline(0, color="#444444", linewidth=0.8, zorder=2)
    axis.set_ylabel("tone (Goldstein)", fontsize=9)
    axis.tick_params(axis="y", labelsize=8)
    if not months:
        axis.text(0.5, 0.5, "no events with a Goldstein weight", transform=axis.transAxes, ha="center", fontsize=9)
    life = f", half-life {half_life:g} months" if half_life is not None else ""
    handles = [
        Patch(facecolor="#2c7bb6", label="month's sum, cooperative"),
        Patch(facecolor="#d7191c", label="month's sum, conflictual"),
        Line2D([], [], color="#333333", linewidth=1.4, label=f"decaying index{life}"),
    ]
    _legend_above(axis, handles)


def _inside(step: Any, start: Any, end: Any) -> bool:
    date = step.event.date
    return (start is None or date.latest >= start.earliest) and (end is None or date.earliest <= end.latest)


def _relation_bands(axis, steps, a: str, b: str, x0: float, x1: float, alpha: float = 1.0) -> None:
    status, since = initial_pair(a, b).relations, x0
    runs = []
    for step in steps:
        if step.state.relations != status:
            at = _num(step.event.date.earliest)
            runs.append((since, at, status))
            status, since = step.state.relations, at
    runs.append((since, x1, status))
    for lo, hi, value in runs:
        if hi > lo:
            axis.axvspan(lo, hi, color=RELATION_COLOURS[value], alpha=alpha, linewidth=0, zorder=0)


def _level_steps(axis, steps, a: str, b: str, names: dict[str, str], x0: float, x1: float) -> None:
    for (frm, to), colour, style, nudge in (((a, b), "#1f77b4", "-", 0.04), ((b, a), "#ff7f0e", "--", -0.04)):
        xs, ys = [x0], [LEVEL_HEIGHT["none"] + nudge]
        for step in steps:
            xs.append(_num(step.event.date.earliest))
            ys.append(LEVEL_HEIGHT[step.state.side(frm, to).level] + nudge)
        xs.append(x1)
        ys.append(ys[-1])
        axis.step(xs, ys, where="post", color=colour, linewidth=2.2, linestyle=style, zorder=3)
    axis.set_yticks(list(LEVEL_TICKS.values()), list(LEVEL_TICKS))
    axis.set_ylim(-0.35, 3.4)
    axis.set_ylabel("head of mission", fontsize=9)
    axis.tick_params(axis="y", labelsize=8)


def _event_marks(axis, steps, xs, labels, widths, placed, width_px: float, x0: float, x1: float, lanes: int) -> None:
    per_px = (x1 - x0) / width_px
    baseline = 0.0
    for step, x, text, width, (lane, left_px) in zip(steps, xs, labels, widths, placed, strict=True):
        family, colour = FAMILY_COLOURS.get(step.changed[0].split(" ")[0], ("other", "#7f7f7f"))
        date = step.event.date
        if date.earliest != date.latest:
            axis.plot(
                [x, _num(date.latest) + 1],
                [baseline, baseline],
                color=colour,
                linewidth=5,
                alpha=0.6,
                solid_capstyle="butt",
                zorder=4,
            )
        axis.plot([x], [baseline], marker="o", color=colour, markersize=5, zorder=5)
        y = -(lane + 1)
        label_x = x0 + left_px * per_px
        label_end = x0 + (left_px + width) * per_px
        # The leader runs down from the marker to the label's lane, then along it to the nearer edge.
        edge = label_x if label_x > x else (label_end if label_end < x else x)
        axis.plot([x, x, edge], [baseline, y, y], color="#9a9a9a", linewidth=0.6, zorder=1)
        axis.text(
            label_x,
            y,
            text,
            fontsize=LABEL_SIZE,
            ha="left",
            va="center",
            color=colour if family != "relations" else "#000000",
            gid="event-label",
            zorder=6,
            bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
        )
    axis.axhline(baseline, color="#444444", linewidth=0.8, zorder=2)
    axis.set_ylim(-(lanes + 0.7), 0.6)
    axis.set_yticks([])
    axis.set_ylabel("events", fontsize=9)


def graph_figure(graph: Any, title: str) -> Figure:
    """The alignment graph: actors as nodes, aligned edges green and solid, hostile edges red and dashed.

    Args:
        graph: a networkx graph whose edges carry `sign` (+1 aligned, -1 hostile).
        title: the title (say which date it is of).
    """
    import networkx as nx

    figure = Figure(figsize=(10, 8), dpi=DPI)
    axis = figure.add_axes((0.02, 0.08, 0.96, 0.84))
    axis.set_axis_off()
    figure.suptitle(title, fontsize=14, fontweight="bold", y=0.97)
    if graph.number_of_nodes() == 0:
        axis.text(0.5, 0.5, "no alignments recorded on this date", ha="center", va="center", fontsize=12)
        return figure
    positions = (
        nx.spring_layout(graph, seed=7, weight=None) if graph.number_of_nodes() > 2 else nx.circular_layout(graph)
    )
    signs = {(u, v): data.get("sign", 0) for u, v, data in graph.edges(data=True)}
    friendly = [edge for edge, sign in signs.items() if sign > 0]
    hostile = [edge for edge, sign in signs.items() if sign < 0]
    nx.draw_networkx_edges(graph, positions, edgelist=friendly, edge_color="#2ca02c", width=2.4, ax=axis)
    nx.draw_networkx_edges(graph, positions, edgelist=hostile, edge_color="#d62728", width=2.4, style="dashed", ax=axis)
    blocs = [node for node, data in graph.nodes(data=True) if data.get("kind") == "bloc"]
    actors = [node for node in graph.nodes if node not in blocs]
    for nodes, shape, colour in ((actors, "o", "#f7f7f7"), (blocs, "s", "#fff2b3")):
        nx.draw_networkx_nodes(
            graph,
            positions,
            nodelist=nodes,
            node_shape=shape,
            node_color=colour,
            edgecolors="#333333",
            node_size=1300,
            ax=axis,
        )
    nx.draw_networkx_labels(graph, positions, font_size=10, font_weight="bold", ax=axis)
    # Full names under the nodes, so that a reader need not know the codes.
    for node, (x, y) in positions.items():
        name = graph.nodes[node].get("name")
        if name and name != node:
            axis.annotate(
                name,
                (x, y),
                xytext=(0, -26),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=8,
                color="#444444",
                gid="node-name",
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
            )
    axis.margins(0.12)
    handles = [
        Line2D([], [], color="#2ca02c", linewidth=2.4, label=f"aligned (+1): {len(friendly)}"),
        Line2D([], [], color="#d62728", linewidth=2.4, linestyle="--", label=f"hostile (-1): {len(hostile)}"),
    ]
    if blocs:
        handles.append(
            Line2D(
                [],
                [],
                marker="s",
                linestyle="",
                markersize=10,
                markerfacecolor="#fff2b3",
                color="#333333",
                label="bloc",
            )
        )
    figure.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=10, frameon=False)
    return figure


def render(figure: Figure, fmt: str) -> bytes:
    """A figure as PNG or SVG bytes, the same on every run (no date, fixed SVG ids)."""
    import io

    buffer = io.BytesIO()
    # SVG keeps its text as text (searchable, selectable, smaller) rather than as outlines. The hash salt
    # fixes the ids of clip paths (random otherwise); with no Date, the file does not record when it was drawn.
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "legation"}):
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        figure.savefig(buffer, format=fmt, dpi=DPI, facecolor="white", metadata=metadata)
    return buffer.getvalue()


def picture_format(path: str | Path) -> str | None:
    """png or svg by the file name's ending (case aside), or None."""
    name = str(path).lower()
    return next((fmt for fmt in ("png", "svg") if name.endswith(f".{fmt}")), None)


def save(figure: Figure, path: str | Path) -> dict[str, Any]:
    """Write a figure as PNG or SVG (by the file's ending) with the safe writer; returns its format and size."""
    from events import write_file

    fmt = picture_format(path)
    if fmt is None:
        raise ValueError(f"expected a .png or .svg file name, found {str(path)!r}")
    data = render(figure, fmt)
    write_file(str(path), data, label="--out")
    width, height = figure.get_size_inches() * DPI
    return {"format": fmt, "width_px": round(width), "height_px": round(height), "bytes": len(data)}
