"""Counterfactual edits that fit a log."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from events._dates import ImpreciseDate
from events._errors import LegationError
from events._kinds import EVENT_KINDS
from events._log import Log
from events.strategies._atoms import (
    DEFAULT_ACTORS,
    imprecise_dates,
)
from events.strategies._events import _notes, events_of

# --- Counterfactual edits ------------------------------------------------------------------


@st.composite
def counterfactual_edits(
    draw: st.DrawFn,
    log: Log,
    *,
    max_edits: int = 3,
    cascade: str = "drop",
    dates: st.SearchStrategy[ImpreciseDate] | None = None,
) -> tuple[Any, ...]:
    """Edits (remove, move, replace, insert, set) that fit `log`, applied in order under `cascade`.

    Each edit is drawn against the log as edited so far (`events.EditedLog`), so every id it names is
    still there and no edit is refused; an edit the log refuses (a move before the event's cause, say)
    is dropped rather than returned. The edited history may still be impossible for a strict fold
    (removing a recognition leaves its withdrawal hanging): replay it leniently, or expect
    `engine.ImpossibleEventError`. Inserted and replacing events name the log's actors and get fresh
    ids (`cf1`, `cf2`, ...); set edits change an event's note.

    Shrinks toward fewer edits and, for each, `remove` of the earliest event.
    """
    from events._edits import (
        Edit,
        EditedLog,
        EditError,
        InsertEvent,
        MoveEvent,
        RemoveEvent,
        ReplaceEvent,
        SetEventField,
    )

    codes = tuple(sorted({code for event in log for code in (event.actor, event.target) if code is not None}))
    codes = codes if len(codes) >= 2 else DEFAULT_ACTORS
    when = imprecise_dates(min_year=1800, max_year=2100) if dates is None else dates
    edited = EditedLog.of(log, (), cascade)
    edits: list[Any] = []
    for number in range(draw(st.integers(0, max_edits))):
        present = [event.id for event in edited.events]
        op = draw(st.sampled_from(("remove", "move", "replace", "insert", "set")))
        fresh = f"cf{number + 1}"
        edit: Edit
        if op == "insert" or not present:
            kind = draw(st.sampled_from(tuple(EVENT_KINDS)))
            edit = InsertEvent(event=draw(events_of(kind, codes=codes, dates=when, ids=st.just(fresh))))
        else:
            event_id = draw(st.sampled_from(present))
            if op == "remove":
                edit = RemoveEvent(event_id=event_id)
            elif op == "move":
                edit = MoveEvent(event_id=event_id, date=draw(when))
            elif op == "replace":
                kind = draw(st.sampled_from(tuple(EVENT_KINDS)))
                new_id = draw(st.sampled_from((event_id, fresh)))
                edit = ReplaceEvent(
                    event_id=event_id, event=draw(events_of(kind, codes=codes, dates=when, ids=st.just(new_id)))
                )
            else:
                edit = SetEventField(event_id=event_id, field="note", value=draw(_notes()))
        try:
            edited = edited.apply(edit)
        except (EditError, LegationError):
            continue
        edits.append(edit)
    return tuple(edits)
