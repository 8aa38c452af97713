"""The alignment graph: third-country stances folded into a signed networkx graph you can ask at any date.

Import this module where it is needed: it imports networkx, which `import engine` must not pay for.

The fold (what enters the graph, and how):

- Nodes are actors (`kind="actor"`) and blocs (`kind="bloc"`), added when an event that shapes the
  graph first names them. A state that dissolves (`state_dissolved`) leaves the graph with its edges.
- Edges are undirected and signed: +1 aligned, -1 hostile. `alignment` events set the sign from their
  stance; `neutral` removes the edge. A's stance toward C and C's toward A share one edge: the most
  recent stance of either side (history order: date, then sequence) sets it.
- Blocs are nodes; `bloc_joined` is an aligned edge between the member and the bloc node, `bloc_left`
  removes it. Co-members are therefore in one positive component (one of `blocs()`), and a co-member
  hostile to another makes an unbalanced triad with their bloc.
- Each edge keeps the date its current sign began (`since`) and the ids of the events behind that sign:
  the one that set it and any later ones that confirmed it. A change of sign starts a new list.
- With `implied=True` (the default) bilateral events that plainly imply a stance count too, and no
  others: a severance of relations, the expulsion of an envoy and the expulsion of an agency (CAMEO 161,
  174, 1663) make the edge hostile; a reestablishment of relations ends a hostile edge (the pair is
  neutral again) but does not make it aligned. A hostility that was only derived (never stated by an
  `alignment` event) also ends when the pair is normalised: a head of mission accredited at minister or
  ambassador rank, an agreement to exchange envoys, or an agency admitted again. Establishing relations,
  recalls, aid, certification and visas imply nothing here: a downgrade or a sanction is not, by itself, a break.
- Events count from their first possible day, as in the as-of queries of `engine.History`; a date asked
  at month or year precision is answered as of its last day.

Indexing: the fold runs once, recording each change (node or edge, old and new value) with its day, and
keeping a snapshot every so many changes (at least as many as the graph then has nodes and edges, so
snapshots cost no more memory than the changes themselves). A query moves a cursor from wherever it
stands, or from the nearest snapshot, whichever is fewer steps: dates asked in order cost O(changes
between them). The cursor is a cache; an index is not safe to share between threads.
"""

from __future__ import annotations

import datetime
import functools
import io
import json
from bisect import bisect_right
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import attrs
import networkx as nx

from engine.core._history import UnknownPairError, as_day
from events import (
    ActorTable,
    AgencyExpelled,
    AgencyStarted,
    AlignmentChanged,
    BlocJoined,
    BlocLeft,
    EnvoyAccredited,
    EnvoyExchangeAgreed,
    EnvoyExpelled,
    Event,
    EventDate,
    ImpreciseDate,
    LegationError,
    Log,
    RelationsReestablished,
    RelationsSevered,
    StateDissolved,
    builtin_actors,
    pair_of,
    target_of,
)

ALIGNED, HOSTILE = 1, -1
"""The two signs an edge can carry."""
SIGN_OF_STANCE: dict[str, int | None] = {"aligned": ALIGNED, "hostile": HOSTILE, "neutral": None}
"""The edge sign an `alignment` stance sets; None removes the edge."""
IMPLIED_HOSTILE: tuple[type[Event], ...] = (RelationsSevered, EnvoyExpelled, AgencyExpelled)
"""Bilateral kinds that make the pair hostile when `implied` is on (agencies: only a nationwide expulsion)."""
ENDS_HOSTILITY: tuple[type[Event], ...] = (RelationsReestablished,)
"""Bilateral kinds that remove a hostile edge (and leave an aligned one alone) when `implied` is on."""
ENDS_DERIVED_HOSTILITY: tuple[type[Event], ...] = (EnvoyAccredited, EnvoyExchangeAgreed, AgencyStarted)
"""Bilateral kinds that normalise a pair and so end a hostility that was only derived (implied) when
`implied` is on: a head of mission accredited at minister or ambassador rank, an agreement to exchange
envoys, an agency admitted again. A stance an `alignment` event stated is left alone: only an event that
states otherwise (or a reestablishment of relations) ends it."""
NORMALISING_RANKS = frozenset({"minister", "ambassador"})
"""The ranks whose accreditation normalises a pair (a chargé d'affaires is what an expulsion leaves)."""
EVENT_SEPARATOR = " "
"""Joins an edge's event ids in the `events` attribute (GraphML and GEXF take no lists)."""
FORMATS = ("json", "graphml", "gexf")
"""The export formats."""
_GEXF_NAME = "legation alignments at "

Day = datetime.date | ImpreciseDate | str


class AlignmentQueryError(LegationError, ValueError):
    """A question the alignment graph cannot answer as asked (e.g. an unknown export format)."""


@attrs.frozen
class Node:
    """An actor or bloc in the graph."""

    kind: str
    """`actor` or `bloc`."""
    name: str
    """The actor's name from the actor table; a bloc the table lacks is named by its code."""


@attrs.frozen
class Edge:
    """The stance between two nodes."""

    sign: int
    """+1 aligned, -1 hostile."""
    since: EventDate
    """The date of the event that set the current sign, at the precision its source gives (a day, month,
    year or interval)."""
    events: tuple[str, ...]
    """Ids of the events behind the current sign, in history order."""
    derived: bool = False
    """Whether the sign is only implied by bilateral events (a severance, an expulsion), not stated by an
    `alignment` or bloc event; a derived hostility ends when the pair's relations are normalised."""

    @functools.cached_property
    def attributes(self) -> dict[str, Any]:
        """The edge's attributes as the graph and its exports carry them (copy before changing).

        Cached: an edge lives across many dates, and formatting its date is the dearest part of a graph.
        """
        return {"sign": self.sign, "since": str(self.since), "events": EVENT_SEPARATOR.join(self.events)}


@attrs.frozen
class NeighbourChange:
    """How an actor's stance with one neighbour differs between two dates."""

    other: str
    """The neighbour."""
    before: Edge | None
    """The edge at the first date (None: no stance)."""
    after: Edge | None
    """The edge at the second date (None: no stance)."""
    event_ids: tuple[str, ...]
    """Events between the two dates that changed the edge, in history order."""

    @property
    def sign_before(self) -> int:
        """The sign at the first date; 0 for no stance."""
        return self.before.sign if self.before else 0

    @property
    def sign_after(self) -> int:
        """The sign at the second date; 0 for no stance."""
        return self.after.sign if self.after else 0


@attrs.frozen
class Triad:
    """Three nodes joined pairwise by signed edges; balanced (Heider) when the product of signs is positive."""

    nodes: tuple[str, str, str]
    """The three nodes; for a pair's triads, the pair first, then the third node."""
    signs: tuple[int, int, int]
    """Signs of the edges (first, second), (first, third), (second, third)."""

    @property
    def balanced(self) -> bool:
        """True when the friend of a friend is a friend and the enemy of an enemy is a friend."""
        first, second, third = self.signs
        return first * second * third > 0


@attrs.frozen
class Balance:
    """Structural balance of the whole graph on a day."""

    day: datetime.date
    """The day asked."""
    triads: int
    """Triangles of the graph (three nodes pairwise joined)."""
    balanced: int
    """How many of them are balanced."""

    @property
    def unbalanced(self) -> int:
        """How many are unbalanced."""
        return self.triads - self.balanced

    @property
    def share(self) -> float | None:
        """The balanced share of triads; None when there are no triads."""
        return self.balanced / self.triads if self.triads else None


@attrs.frozen
class Agreement:
    """How far two actors agree about the third parties both have a stance on, on a day."""

    pair: tuple[str, str]
    """The two actors, as asked."""
    day: datetime.date
    """The day asked."""
    agreeing: tuple[str, ...]
    """Third parties both see with the same sign."""
    disagreeing: tuple[str, ...]
    """Third parties they see with opposite signs."""

    @property
    def third_parties(self) -> tuple[str, ...]:
        """Every third party both have a stance on, sorted."""
        return tuple(sorted(self.agreeing + self.disagreeing))

    @property
    def share(self) -> float | None:
        """The agreeing share of shared third parties; None when they share none."""
        shared = len(self.agreeing) + len(self.disagreeing)
        return len(self.agreeing) / shared if shared else None


# --- The fold ------------------------------------------------------------------------------------

# A change names a node (its code) or an edge (a sorted pair) and gives its new value (None: removed).
Key = str | tuple[str, str]
Value = Node | Edge | None


class _State:
    """The graph as plain dicts: nodes by code and a symmetric adjacency of edges. Mutable; kept private."""

    __slots__ = ("adj", "nodes")

    def __init__(self, nodes: dict[str, Node] | None = None, adj: dict[str, dict[str, Edge]] | None = None) -> None:
        self.nodes: dict[str, Node] = {} if nodes is None else nodes
        self.adj: dict[str, dict[str, Edge]] = {} if adj is None else adj

    def copy(self) -> _State:
        return _State(dict(self.nodes), {code: dict(neighbours) for code, neighbours in self.adj.items()})

    @property
    def size(self) -> int:
        return len(self.nodes) + sum(map(len, self.adj.values())) // 2

    def get(self, key: Key) -> Value:
        if isinstance(key, tuple):
            return self.adj.get(key[0], {}).get(key[1])
        return self.nodes.get(key)

    def put(self, key: Key, value: Value) -> None:
        if isinstance(key, tuple):
            first, second = key
            if value is None:
                del self.adj[first][second], self.adj[second][first]
            else:
                assert isinstance(value, Edge)  # a pair's value is an edge: every change is made by _changes
                self.adj[first][second] = self.adj[second][first] = value
        elif value is None:
            # A node leaves only after its edges (see _dissolved), so its adjacency is empty here.
            del self.nodes[key], self.adj[key]
        else:
            assert isinstance(value, Node)  # a code's value is a node: every change is made by _changes
            self.nodes[key] = value
            self.adj.setdefault(key, {})

    def edges(self) -> Iterable[tuple[str, str, Edge]]:
        for first, neighbours in self.adj.items():
            for second, edge in neighbours.items():
                if first < second:
                    yield first, second, edge


def _named(state: _State, code: str, kind: str, names: ActorTable) -> list[tuple[Key, Value]]:
    node = state.nodes.get(code)
    if node is not None and (node.kind == kind or kind == "actor"):
        return []
    actor = names.get(code)
    return [(code, Node(kind, actor.name if actor is not None else code))]


def _stance(
    state: _State, event: Event, first: str, second: str, sign: int | None, *, derived: bool = False
) -> list[tuple[Key, Value]]:
    key = pair_of(first, second)
    current = state.adj.get(first, {}).get(second)
    if sign is None:
        return [] if current is None else [(key, None)]
    if current is not None and current.sign == sign:
        # A stated stance stays stated when a bilateral event confirms it; a derived one becomes stated.
        return [(key, Edge(sign, current.since, (*current.events, event.id), current.derived and derived))]
    return [(key, Edge(sign, event.date, (event.id,), derived))]


def _changes(state: _State, event: Event, names: ActorTable, implied: bool) -> list[tuple[Key, Value]]:
    """What one event changes in the graph: node additions first, then the edge (pure: reads `state` only)."""
    kind = type(event)
    if isinstance(event, AlignmentChanged):
        target = target_of(event)
        return [
            *_named(state, event.actor, "actor", names),
            *_named(state, target, "actor", names),
            *_stance(state, event, event.actor, target, SIGN_OF_STANCE[event.stance]),
        ]
    if isinstance(event, BlocJoined | BlocLeft):
        sign = ALIGNED if kind is BlocJoined else None
        return [
            *_named(state, event.actor, "actor", names),
            *_named(state, event.bloc, "bloc", names),
            *_stance(state, event, event.actor, event.bloc, sign),
        ]
    if kind is StateDissolved:
        if event.actor not in state.nodes:
            return []
        edges: list[tuple[Key, Value]] = [(pair_of(event.actor, other), None) for other in state.adj[event.actor]]
        return [*edges, (event.actor, None)]
    # An agency barred from one region only (USAID from the Chapare) is a restriction, not a break.
    if implied and kind in IMPLIED_HOSTILE and not (isinstance(event, AgencyExpelled) and event.region is not None):
        target = target_of(event)
        return [
            *_named(state, event.actor, "actor", names),
            *_named(state, target, "actor", names),
            *_stance(state, event, event.actor, target, HOSTILE, derived=True),
        ]
    if implied and kind in ENDS_DERIVED_HOSTILITY:
        if isinstance(event, EnvoyAccredited) and event.rank not in NORMALISING_RANKS:
            return []
        target = target_of(event)
        current = state.adj.get(event.actor, {}).get(target)
        if current is not None and current.sign < 0 and current.derived:
            return [(pair_of(event.actor, target), None)]
        return []
    if implied and kind in ENDS_HOSTILITY:
        target = target_of(event)
        current = state.adj.get(event.actor, {}).get(target)
        return [
            *_named(state, event.actor, "actor", names),
            *_named(state, target, "actor", names),
            *([(pair_of(event.actor, target), None)] if current is not None and current.sign < 0 else []),
        ]
    return []


def _apply(state: _State, event: Event, names: ActorTable, implied: bool) -> list[tuple[Key, Value, Value]]:
    done = []
    for key, new in _changes(state, event, names, implied):
        done.append((key, state.get(key), new))
        state.put(key, new)
    return done


def _to_graph(state: _State, day: datetime.date | None) -> nx.Graph[str]:
    graph: nx.Graph[str] = nx.Graph()
    if day is not None:
        graph.graph["at"] = day.isoformat()
    graph.add_nodes_from((code, {"kind": node.kind, "name": node.name}) for code, node in sorted(state.nodes.items()))
    graph.add_edges_from((first, second, edge.attributes.copy()) for first, second, edge in state.edges())
    return graph


def graph_from_scratch(
    events: Iterable[Event],
    actors: ActorTable | None = None,
    *,
    implied: bool = True,
    at: datetime.date | None = None,
) -> nx.Graph[str]:
    """Fold events, in the order given, from an empty graph: the reference `AlignmentIndex.graph_at` must equal.

    Args:
        events: the events, in history order (a `Log` or a prefix of one).
        actors: where node names come from; the built-in table when None.
        implied: whether bilateral events imply stances (see the module docstring).
        at: the day to record in the graph's `at` attribute, if any.
    """
    names = builtin_actors() if actors is None else actors
    state = _State()
    for event in events:
        for key, new in _changes(state, event, names, implied):
            state.put(key, new)
    return _to_graph(state, at)


# --- The index ------------------------------------------------------------------------------------


class AlignmentIndex:
    """A log's alignment graph, indexed for questions at any date.

    Building folds the log once, O(n). `graph_at` and every query move a cursor to the day asked:
    O(changes) between the last day asked and this one, or from the nearest snapshot.
    """

    def __init__(self, log: Log, *, implied: bool = True, snapshot_every: int | None = None) -> None:
        """Fold and index a log.

        Args:
            log: the history.
            implied: whether severances, expulsions and reestablishments imply stances (module docstring).
            snapshot_every: changes between snapshots; by default at least 256 and at least the size of
                the graph when the snapshot is taken.
        """
        self.log = log
        self.implied = implied
        state = _State()
        self._days: list[int] = []
        self._changes: list[tuple[Key, Value, Value, Event]] = []
        self._snapshots: list[tuple[int, _State]] = [(0, _State())]
        # Codes the log names as blocs: they may be asked about although the actor table lacks them.
        self.blocs_named = frozenset(e.bloc for e in log if isinstance(e, BlocJoined | BlocLeft))
        since_snapshot = 0
        for event in log:
            day = event.date.earliest.toordinal()
            for key, old, new in _apply(state, event, log.actors, implied):
                self._days.append(day)
                self._changes.append((key, old, new, event))
                since_snapshot += 1
            spacing = snapshot_every if snapshot_every is not None else max(256, state.size)
            if since_snapshot >= spacing:
                self._snapshots.append((len(self._changes), state.copy()))
                since_snapshot = 0
        self._snapshot_positions = [position for position, _ in self._snapshots]
        self._cursor = state
        self._position = len(self._changes)

    def __len__(self) -> int:
        """The number of changes the log makes to the graph."""
        return len(self._changes)

    # -- moving the cursor

    def _position_of(self, day: datetime.date) -> int:
        return bisect_right(self._days, day.toordinal())

    def _move(self, target: int) -> _State:
        """Bring the cursor to the state after `target` changes, by the fewest steps."""
        position, state = self._position, self._cursor
        index = bisect_right(self._snapshot_positions, target) - 1
        snapshot_position, snapshot = self._snapshots[index]
        from_snapshot = target - snapshot_position + snapshot.size
        if abs(target - position) > from_snapshot:
            state, position = snapshot.copy(), snapshot_position
        changes = self._changes
        while position < target:
            key, _, new, _ = changes[position]
            state.put(key, new)
            position += 1
        while position > target:
            position -= 1
            key, old, _, _ = changes[position]
            state.put(key, old)
        self._cursor, self._position = state, position
        return state

    def _state_at(self, when: Day) -> tuple[_State, datetime.date]:
        day, _ = as_day(when)
        return self._move(self._position_of(day)), day

    def _check_pair(self, first: str, second: str) -> None:
        self._check(first)
        self._check(second)
        if first == second:
            raise UnknownPairError(f"a pair needs two different actors, found {first!r} twice")

    def _check(self, code: str) -> str:
        if code not in self.log.actors and code not in self.blocs_named:
            raise UnknownPairError(
                f"unknown actor {code!r}: expected an actor code such as BOL, or a bloc the history names"
            )
        return code

    # -- the graph

    def graph_at(self, when: Day) -> nx.Graph[str]:
        """The alignment graph on a day, as a new networkx graph the caller may change.

        Nodes carry `kind` (actor or bloc) and `name`; edges carry `sign` (+1 or -1), `since` (EDTF
        date the sign began) and `events` (ids joined by spaces); the graph carries `at` (ISO day).

        Raises:
            DateFormatError: `when` is text that is not an EDTF date.
        """
        state, day = self._state_at(when)
        return _to_graph(state, day)

    def stances(self, actor: str, when: Day) -> dict[str, Edge]:
        """Every node `actor` has a stance with on a day, and the edge, by code.

        Raises:
            UnknownPairError: the actor is neither in the actor table nor a bloc of the log.
        """
        state, _ = self._state_at(when)
        return dict(sorted(state.adj.get(self._check(actor), {}).items()))

    def allies(self, actor: str, when: Day) -> tuple[str, ...]:
        """The nodes aligned with `actor` on a day (blocs it belongs to included), sorted."""
        return tuple(code for code, edge in self.stances(actor, when).items() if edge.sign > 0)

    def adversaries(self, actor: str, when: Day) -> tuple[str, ...]:
        """The nodes hostile to `actor` on a day, sorted."""
        return tuple(code for code, edge in self.stances(actor, when).items() if edge.sign < 0)

    def neighbourhood_change(self, actor: str, start: Day, end: Day) -> list[NeighbourChange]:
        """The neighbours whose sign with `actor` differs between two days, with the events between.

        A neighbour whose edge was broken and restored with the same sign between the days is not listed.
        """
        self._check(actor)
        first, _ = as_day(start)
        last, _ = as_day(end)
        if last < first:
            first, last = last, first
        low, high = self._position_of(first), self._position_of(last)
        before = dict(self._move(low).adj.get(actor, {}))
        after = self._move(high).adj.get(actor, {})
        touched: dict[str, list[str]] = {}
        for key, _, _, event in self._changes[low:high]:
            if type(key) is tuple and actor in key:
                other = key[1] if key[0] == actor else key[0]
                ids = touched.setdefault(other, [])
                if not ids or ids[-1] != event.id:
                    ids.append(event.id)
        found = []
        for other in sorted(touched):
            old, new = before.get(other), after.get(other)
            if (old.sign if old else 0) != (new.sign if new else 0):
                found.append(NeighbourChange(other, old, new, tuple(touched[other])))
        return found

    def blocs(self, when: Day, *, min_size: int = 2) -> list[tuple[str, ...]]:
        """Groups of nodes joined by aligned edges on a day: the connected components of the positive graph.

        Returns:
            Each group's codes sorted; largest groups first, then by first code. Groups smaller than
            `min_size` (by default, nodes with no ally) are left out.
        """
        state, _ = self._state_at(when)
        positive: nx.Graph[str] = nx.Graph()
        positive.add_nodes_from(state.nodes)
        positive.add_edges_from((first, second) for first, second, edge in state.edges() if edge.sign > 0)
        groups = [tuple(sorted(group)) for group in nx.connected_components(positive) if len(group) >= min_size]
        return sorted(groups, key=lambda group: (-len(group), group))

    def balance(self, when: Day) -> Balance:
        """The share of balanced triads (Heider) in the whole graph on a day."""
        state, day = self._state_at(when)
        adj = state.adj
        triads = balanced = 0
        for first, neighbours in adj.items():
            for second, edge in neighbours.items():
                if second <= first:
                    continue
                for third in neighbours.keys() & adj[second].keys():
                    if third > second:
                        triads += 1
                        if edge.sign * neighbours[third].sign * adj[second][third].sign > 0:
                            balanced += 1
        return Balance(day, triads, balanced)

    def triads(self, first: str, second: str, when: Day) -> list[Triad]:
        """The triads a pair makes with each third node, balanced or not; empty when the pair has no edge."""
        self._check_pair(first, second)
        state, _ = self._state_at(when)
        mine, theirs = state.adj.get(first, {}), state.adj.get(second, {})
        between = mine.get(second)
        if between is None:
            return []
        return [
            Triad((first, second, third), (between.sign, mine[third].sign, theirs[third].sign))
            for third in sorted(mine.keys() & theirs.keys())
        ]

    def unbalanced_triads(self, first: str, second: str, when: Day) -> list[Triad]:
        """The unbalanced triads a pair makes with third nodes on a day (see `triads`)."""
        return [triad for triad in self.triads(first, second, when) if not triad.balanced]

    def agreement(self, first: str, second: str, when: Day) -> Agreement:
        """How far two actors agree about the third parties both have a stance on, on a day."""
        self._check_pair(first, second)
        state, day = self._state_at(when)
        mine, theirs = state.adj.get(first, {}), state.adj.get(second, {})
        shared = sorted(mine.keys() & theirs.keys())
        agreeing = tuple(code for code in shared if mine[code].sign == theirs[code].sign)
        disagreeing = tuple(code for code in shared if mine[code].sign != theirs[code].sign)
        return Agreement((first, second), day, agreeing, disagreeing)

    def agreement_series(self, first: str, second: str, dates: Iterable[Day]) -> list[Agreement]:
        """`agreement` at each date, in the order given; dates in order cost O(changes between them)."""
        return [self.agreement(first, second, when) for when in dates]

    def change_days(self) -> list[datetime.date]:
        """Every day on which the graph changes, in order."""
        return [datetime.date.fromordinal(day) for day in sorted(set(self._days))]


# --- Export ----------------------------------------------------------------------------------------


def _canonical(graph: nx.Graph[str]) -> nx.Graph[str]:
    """The same graph with nodes and edges in sorted order, so that exports are byte-stable."""
    ordered: nx.Graph[str] = nx.Graph()
    ordered.graph.update(graph.graph)
    ordered.add_nodes_from(sorted(graph.nodes(data=True), key=lambda item: item[0]))
    ordered.add_edges_from(sorted((*pair_of(u, v), data) for u, v, data in graph.edges(data=True)))
    return ordered


def to_node_link_data(graph: nx.Graph[str]) -> dict[str, Any]:
    """The graph as networkx node-link data (`nodes`, `edges`), ready for `json.dumps`."""
    return nx.node_link_data(_canonical(graph), edges="edges")


def to_node_link_json(graph: nx.Graph[str]) -> str:
    """The graph as networkx node-link JSON; each edge has `source`, `target`, `sign`, `since`, `events`."""
    return json.dumps(to_node_link_data(graph), indent=2, ensure_ascii=False)


def write_graphml(graph: nx.Graph[str], destination: str | Path | IO[bytes]) -> None:
    """Write the graph as GraphML (typed attributes: `sign` int, the rest strings)."""
    nx.write_graphml(_canonical(graph), destination)


def write_gexf(graph: nx.Graph[str], destination: str | Path | IO[bytes]) -> None:
    """Write the graph as GEXF for Gephi; each node's label is its name."""
    labelled = _canonical(graph)
    for _, data in labelled.nodes(data=True):
        data["label"] = data.get("name", "")
    # GEXF has no graph attributes but a name: the day the graph is of goes there, and back in read_graph.
    at = labelled.graph.pop("at", None)
    if at is not None:
        labelled.graph["name"] = f"{_GEXF_NAME}{at}"
    nx.write_gexf(labelled, destination)


def export(graph: nx.Graph[str], format: str) -> str:
    """The graph as text in one of `FORMATS`.

    Raises:
        AlignmentQueryError: an unknown format.
    """
    if format == "json":
        return to_node_link_json(graph)
    writers = {"graphml": write_graphml, "gexf": write_gexf}
    if format not in writers:
        raise AlignmentQueryError(f"expected an export format among {', '.join(FORMATS)}, found {format!r}")
    buffer = io.BytesIO()
    writers[format](graph, buffer)
    return buffer.getvalue().decode("utf-8")


def read_graph(text: str, format: str) -> nx.Graph[str]:
    """Load an exported graph back (`export`'s inverse), with the attributes it was written with.

    Raises:
        AlignmentQueryError: an unknown format.
    """
    if format == "json":
        return nx.node_link_graph(json.loads(text), edges="edges")
    if format == "graphml":
        graph = nx.read_graphml(io.BytesIO(text.encode("utf-8")))
    elif format == "gexf":
        graph = nx.read_gexf(io.BytesIO(text.encode("utf-8")))
        # The label duplicates `name`, and edge ids are the writer's numbering: neither is ours.
        for _, data in graph.nodes(data=True):
            data.pop("label", None)
        for _, _, data in graph.edges(data=True):
            data.pop("id", None)
        name = graph.graph.get("name", "")
        if name.startswith(_GEXF_NAME):
            graph.graph["at"] = name.removeprefix(_GEXF_NAME)
    else:
        raise AlignmentQueryError(f"expected an export format among {', '.join(FORMATS)}, found {format!r}")
    # The readers add their own bookkeeping (defaults, mode, name) to the graph's attributes.
    at = graph.graph.get("at")
    graph.graph.clear()
    if at is not None:
        graph.graph["at"] = at
    return graph


def split_events(text: str) -> tuple[str, ...]:
    """The event ids of an exported edge's `events` attribute."""
    return tuple(text.split(EVENT_SEPARATOR)) if text else ()


__all__ = [
    "ALIGNED",
    "ENDS_HOSTILITY",
    "EVENT_SEPARATOR",
    "FORMATS",
    "HOSTILE",
    "IMPLIED_HOSTILE",
    "SIGN_OF_STANCE",
    "Agreement",
    "AlignmentIndex",
    "AlignmentQueryError",
    "Balance",
    "Edge",
    "NeighbourChange",
    "Node",
    "Triad",
    "export",
    "graph_from_scratch",
    "read_graph",
    "split_events",
    "to_node_link_data",
    "to_node_link_json",
    "write_gexf",
    "write_graphml",
]
