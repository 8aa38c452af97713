"""The explorer page's alignment graph: the pair's neighbourhood in `engine.analysis.alignment`'s graph on each day."""

from __future__ import annotations

import datetime
from bisect import bisect_right
from typing import Any

import networkx as nx

from engine.analysis.alignment import AlignmentIndex
from events import Log


def _neighbourhood(index: AlignmentIndex, pair: tuple[str, str], day: datetime.date) -> list[list[Any]]:
    """The edges among the pair and every node either has a stance with on a day, as the engine has them."""
    nodes = set(pair)
    for code in pair:
        nodes.update(index.stances(code, day))
    edges = []
    for code in sorted(nodes):
        for other, edge in index.stances(code, day).items():
            if other in nodes and code < other:
                edges.append([code, other, edge.sign, str(edge.since), list(edge.events)])
    return edges


def graph_data(log: Log, pair: tuple[str, str], *, implied: bool = True) -> dict[str, Any]:
    """The pair's alignment neighbourhood on every day it changes, with fixed node positions.

    Returns a dict: `nodes` (code -> name, kind, x, y: one layout for every node that ever appears, so nodes
    stay put as the date moves), `days` (ISO days on which the neighbourhood changes) and `snapshots`
    (`snapshots[0]` before `days[0]`, `snapshots[i]` from `days[i - 1]`): lists of edges
    `[a, b, sign, since, event ids]`, a < b.
    """
    index = AlignmentIndex(log, implied=implied)
    for code in pair:
        if code not in log.actors:
            return {"nodes": {}, "days": [], "snapshots": [[]]}
    snapshots: list[list[list[Any]]] = [[]]
    days: list[str] = []
    for day in index.change_days():
        edges = _neighbourhood(index, pair, day)
        if edges != snapshots[-1]:
            days.append(day.isoformat())
            snapshots.append(edges)
    union: nx.Graph[str] = nx.Graph()
    union.add_nodes_from(pair)
    for edges in snapshots:
        union.add_edges_from((a, b) for a, b, *_ in edges)
    # The pair sits left and right of the middle; the others are placed around them, the same on every run.
    fixed = {pair[0]: (-0.5, 0.0), pair[1]: (0.5, 0.0)}
    positions = nx.spring_layout(union, pos=fixed, fixed=list(fixed), seed=18, k=0.9) if len(union) > 2 else fixed
    nodes = {}
    for code in sorted(union):
        actor = log.actors.get(code)
        x, y = positions[code]
        nodes[code] = {
            "name": actor.name if actor is not None else code,
            "kind": "actor" if actor is not None else "bloc",
            "x": round(float(x), 4),
            "y": round(float(y), 4),
        }
    return {"nodes": nodes, "days": days, "snapshots": snapshots}


def snapshot_at(graph: dict[str, Any], day: datetime.date) -> list[list[Any]]:
    """The neighbourhood's edges on a day (the page's choice, in Python)."""
    edges: list[list[Any]] = graph["snapshots"][bisect_right(graph["days"], day.isoformat())]
    return edges
