"""Logs with one known defect, and what the error about it must name."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs
from hypothesis import assume
from hypothesis import strategies as st

from events._actors import Actor, ActorTable
from events._dates import ImpreciseDate
from events._kinds import EVENT_KINDS, Event
from events.strategies._atoms import (
    DEFAULT_ACTORS,
    imprecise_dates,
)
from events.strategies._model import (
    _Model,
)
from events.strategies._valid import _alive, _draw_valid

DEFECTS = (
    "duplicate_id",
    "unknown_actor",
    "unknown_cause",
    "later_cause",
    "cause_cycle",
    "outside_existence",
    "impossible_transition",
)
"""The defects `defective_logs` can plant; all but the last are rejected by `Log.of`, the last by a strict fold."""


# --- Logs with a known defect --------------------------------------------------------------


@attrs.frozen
class DefectiveLog:
    """Events with one planted defect, and what the error about it must name.

    `Log.of(events, actors)` raises `LogError` for every defect but `impossible_transition`, whose log
    is sound but whose strict fold raises `engine.TransitionError` (a lenient fold records one anomaly).
    """

    defect: str
    """One of `DEFECTS`."""
    events: tuple[Event, ...]
    """The events, in history order."""
    actors: ActorTable
    """The actor table to validate against."""
    event_id: str
    """The id of the event the error names."""
    field: str | None
    """The field the `LogError` names (None for `impossible_transition`)."""


def _ancestors(events: Sequence[Event], event: Event) -> set[str]:
    by_id = {item.id: item for item in events}
    seen: set[str] = set()
    stack = list(event.caused_by)
    while stack:
        current = stack.pop()
        if current not in seen and current in by_id:
            seen.add(current)
            stack.extend(by_id[current].caused_by)
    return seen


def _impossible(model: _Model, actor: str, target: str) -> list[tuple[str, dict[str, Any]]]:
    relation = model.relation(actor, target)
    wrong = {"none": "relations_reestablished", "established": "relations_established", "severed": "relations_severed"}
    found: list[tuple[str, dict[str, Any]]] = [(wrong[relation], {})]
    if not model.side(actor, target).recognizes:
        found.append(("recognition_withdrawn", {}))
    if model.side(actor, target).level == "none":
        found.append(("envoy_recalled", {}))
    if model.side(actor, target).aid != "suspended":
        found.append(("aid_resumed", {}))
    if not model.side(actor, target).agencies:
        found.append(("agency_withdrawn", {"agency": "DEA"}))
    found.extend(_impossible_of_issue_19(model, actor, target))
    return found


def _impossible_of_issue_19(model: _Model, actor: str, target: str) -> list[tuple[str, dict[str, Any]]]:
    """Events the model forbids among the kinds of issue 19 (sanctions, designations, governments, ...)."""
    consular = model.consular_relation(actor, target)
    wrong = {
        "none": "consular_relations_reestablished",
        "established": "consular_relations_established",
        "severed": "consular_relations_severed",
    }
    found: list[tuple[str, dict[str, Any]]] = [(wrong[consular], {})]
    side, hosted = model.side(actor, target), model.side(target, actor)
    if "No such programme" not in side.sanctions:
        found.append(("sanction_lifted", {"programme": "No such programme"}))
        found.append(("sanction_widened", {"programme": "No such programme"}))
    if ("No such list", None) not in side.designations:
        found.append(("designation_removed", {"list_name": "No such list"}))
    if side.government is None:
        found.append(("government_recognition_withdrawn", {}))
    if side.protecting_power is None:
        found.append(("protecting_power_ended", {}))
    if model.relation(actor, target) == "established":
        protector = next(code for code in ("CHE", "SWE", "CZE") if code not in (actor, target))
        found.append(("protecting_power_started", {"protector": protector}))
    if not hosted.staff_cap[0]:
        found.append(("staff_cap_lifted", {}))
    if side.mission_status == "operating":
        found.append(("operations_resumed", {}))
    if side.mission_status == "suspended":
        found.append(("operations_suspended", {}))
    if hosted.nominee is None or hosted.nominee[2] != "pending":
        found.append(("nomination_refused", {}))
    if side.nominee is None:
        found.append(("nomination_withdrawn", {}))
    return found


@st.composite
def defective_logs(
    draw: st.DrawFn,
    defects: Iterable[str] = DEFECTS,
    *,
    max_size: int = 8,
    codes: Sequence[str] = DEFAULT_ACTORS,
) -> DefectiveLog:
    """A valid log (see `valid_logs`) with one defect planted, and the event and field its error names.

    Defects: `duplicate_id` (an event takes an earlier event's id), `unknown_actor` (an actor code no
    table holds), `unknown_cause` (`caused_by` names no event), `later_cause` (an event names a later
    one as its cause), `cause_cycle` (two events cause each other), `outside_existence` (an actor named
    on a date when it certainly did not exist), `impossible_transition` (an event appended that the
    final state forbids, e.g. reestablishing relations that were never severed).

    Shrinks toward the first defect of `defects`, the shortest base log and the earliest event.
    """
    defect = draw(st.sampled_from(tuple(defects)))
    least = {"duplicate_id": 2, "later_cause": 2, "cause_cycle": 2}.get(defect, 1)
    if defect == "impossible_transition":
        least = 0
    base = _draw_valid(
        draw,
        min_size=least,
        max_size=max(least, max_size),
        codes=codes,
        table=None,
        kinds=None,
        dates=None,
        max_causes=2,
    )
    events, table = list(base.events), base.table
    if defect == "impossible_transition":
        when = events[-1].date if events else draw(imprecise_dates(min_year=1800, max_year=2100))
        alive = _alive(base.model, table, base.codes, when)
        actor = draw(st.sampled_from(alive))
        target = draw(st.sampled_from([code for code in alive if code != actor]))
        kind, values = draw(st.sampled_from(_impossible(base.model, actor, target)))
        bad = EVENT_KINDS[kind](id="bad", date=when, actor=actor, target=target, sources=("test",), **values)
        return DefectiveLog(defect, (*events, bad), table, "bad", None)
    if defect == "duplicate_id":
        renamed = draw(st.integers(1, len(events) - 1))
        earlier = draw(st.integers(0, renamed - 1))
        # Causes naming the renamed event now name the earlier one, so only the id is wrong.
        copied = attrs.evolve(events[renamed], id=events[earlier].id)
        events[renamed] = copied
        events = [
            attrs.evolve(e, caused_by=tuple(c for c in e.caused_by if c != base.events[renamed].id))
            if index > renamed
            else e
            for index, e in enumerate(events)
        ]
        return DefectiveLog(defect, tuple(events), table, copied.id, "id")
    index = draw(st.integers(0, len(events) - 1))
    chosen = events[index]
    if defect in ("unknown_actor", "outside_existence"):
        field = draw(st.sampled_from(("actor", "target"))) if chosen.target is not None else "actor"
        code = next(code for code in ("XQQ", "XQR", "XQS") if code not in table)
        if defect == "outside_existence":
            if chosen.date.latest.year < 9999:
                start = ImpreciseDate(chosen.date.latest.year + 1)
                gone = Actor(code=code, name="Not yet founded", start=start)
            else:
                gone = Actor(code=code, name="Long gone", end=ImpreciseDate(chosen.date.earliest.year - 1))
            table = table.with_actors([gone])
        events[index] = attrs.evolve(chosen, **{field: code})
        return DefectiveLog(defect, tuple(events), table, chosen.id, field)
    if defect == "unknown_cause":
        events[index] = attrs.evolve(chosen, caused_by=(*chosen.caused_by, "no-such-event"))
        return DefectiveLog(defect, tuple(events), table, chosen.id, "caused_by")
    later = events[max(index, 1)]
    if defect == "later_cause":
        # An earlier event that does not already lead to the later one, so that naming it is no cycle.
        ancestors = _ancestors(events, later)
        unrelated = [event for event in events[: events.index(later)] if event.id not in ancestors]
        assume(unrelated)
        chosen = draw(st.sampled_from(unrelated))
    else:
        chosen = events[draw(st.integers(0, events.index(later) - 1))]
    index = events.index(chosen)
    if (
        defect == "cause_cycle" and chosen.id not in later.caused_by
    ):  # cause_cycle: the later event is caused by the chosen one, and ...
        events[events.index(later)] = later = attrs.evolve(later, caused_by=(*later.caused_by, chosen.id))
    # ... (for both defects) the chosen event names the later one as its cause.
    events[index] = attrs.evolve(chosen, caused_by=(*chosen.caused_by, later.id))
    return DefectiveLog(defect, tuple(events), table, chosen.id, "caused_by")
