"""Hand-made logs and Hypothesis strategies shared by the counterfactual tests."""

from __future__ import annotations

import attrs
import hypothesis.strategies as st

import events as ev
from events import Log

SOURCE = ["hand-made test log"]


def make(cls: type[ev.Event], event_id: str, date: str, actor: str = "BOL", target: str | None = "USA", **fields):
    """An event of a test log (BOL acting on USA unless told)."""
    if cls.TARGET == "none":
        return cls(id=event_id, date=date, actor=actor, sources=SOURCE, **fields)
    return cls(id=event_id, date=date, actor=actor, target=target, sources=SOURCE, **fields)


def envoy_log() -> Log:
    """A small Bolivia–United States-like log: an ambassador accredited, then expelled, and what followed."""
    return Log.of(
        [
            make(ev.RelationsEstablished, "established", "1848", "USA", "BOL"),
            make(ev.AgencyStarted, "dea-arrives", "1980", "USA", "BOL", agency="DEA"),
            make(ev.GovernmentChanged, "morales-inaugurated", "2006-01-22", "BOL", leader="Evo Morales"),
            make(ev.EnvoyAccredited, "ambassador-accredited", "2006-10", "USA", "BOL", rank="ambassador", envoy="PG"),
            make(ev.EnvoyAccredited, "bolivian-accredited", "2007", "BOL", "USA", rank="ambassador", envoy="GG"),
            make(ev.EnvoyExpelled, "ambassador-expelled", "2008-09-10", envoy="PG"),
            make(
                ev.EnvoyExpelled,
                "bolivian-expelled",
                "2008-09-11",
                "USA",
                "BOL",
                caused_by=["ambassador-expelled"],
            ),
            make(ev.AgencyExpelled, "dea-expelled", "2008-11", agency="DEA", caused_by=["ambassador-expelled"]),
            make(ev.StatementMade, "dea-regret", "2009", "USA", "BOL", caused_by=["dea-expelled"]),
            make(ev.AidStarted, "aid", "2010", "USA", "BOL"),
        ]
    )


# --- Hypothesis: random logs (not always possible: folded leniently) and random edits ----------

ACTORS = ("BOL", "USA", "PER", "CHL")
YEARS = range(1990, 1996)


@st.composite
def dates(draw) -> str:
    """An EDTF date at day, month or year precision, over a few years so that dates collide often."""
    year = draw(st.sampled_from(YEARS))
    precision = draw(st.sampled_from(("year", "month", "day")))
    if precision == "year":
        return f"{year}"
    month = draw(st.integers(1, 12))
    if precision == "month":
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{draw(st.integers(1, 28)):02d}"


@st.composite
def events(draw, event_id: str) -> ev.Event:
    """One event of a kind that changes state (or not), between two of a few actors."""
    actor, target = draw(st.lists(st.sampled_from(ACTORS), min_size=2, max_size=2, unique=True))
    date = draw(dates())
    kind = draw(st.integers(0, 10))
    if kind == 0:
        return make(ev.RelationsEstablished, event_id, date, actor, target)
    if kind == 1:
        return make(ev.RelationsSevered, event_id, date, actor, target)
    if kind == 2:
        return make(ev.RelationsReestablished, event_id, date, actor, target)
    if kind == 3:
        rank = draw(st.sampled_from(ev.RANKS))
        return make(ev.EnvoyAccredited, event_id, date, actor, target, rank=rank, envoy=draw(st.sampled_from("ABC")))
    if kind == 4:
        return make(ev.EnvoyRecalled, event_id, date, actor, target)
    if kind == 5:
        return make(ev.EnvoyExpelled, event_id, date, actor, target)
    if kind == 6:
        return make(
            draw(st.sampled_from((ev.AidStarted, ev.AidSuspended, ev.AidResumed))), event_id, date, actor, target
        )
    if kind == 7:
        decision = draw(st.sampled_from(ev.CERTIFICATION_DECISIONS))
        return make(ev.CertificationDecided, event_id, date, actor, target, decision=decision)
    if kind == 8:
        return make(ev.GovernmentChanged, event_id, date, actor, leader=draw(st.sampled_from(("X", "Y"))))
    if kind == 9:
        return make(ev.AgencyStarted, event_id, date, actor, target, agency="DEA")
    return make(ev.StatementMade, event_id, date, actor, target)


@st.composite
def logs(draw, min_size: int = 0, max_size: int = 25) -> Log:
    """A valid log (ids unique, causes earlier) whose transitions may be impossible (fold it leniently)."""
    count = draw(st.integers(min_size, max_size))
    drawn = [draw(events(f"e{index}")) for index in range(count)]
    ordered = Log.of(drawn).events
    with_causes = []
    for position, event in enumerate(ordered):
        causes: list[str] = []
        if position and draw(st.booleans()):
            earlier = draw(st.lists(st.integers(0, position - 1), max_size=2, unique=True))
            causes = [ordered[index].id for index in earlier]
        with_causes.append(attrs.evolve(event, caused_by=causes))
    return Log.of(with_causes)


@st.composite
def edit_for(draw, edited: ev.EditedLog, fresh: str) -> ev.Edit:
    """One edit that names events of the log as edited so far (it may still be refused: move order)."""
    present = [event.id for event in edited.events]
    op = draw(st.sampled_from(ev.EDIT_OPS if present else ("insert",)))
    if op == "insert":
        return ev.InsertEvent(event=draw(events(fresh)), rationale="test")
    target = draw(st.sampled_from(present))
    if op == "remove":
        return ev.RemoveEvent(event_id=target, rationale="test")
    if op == "move":
        return ev.MoveEvent(event_id=target, date=draw(dates()), rationale="test")
    if op == "replace":
        new_id = draw(st.sampled_from((target, fresh)))
        return ev.ReplaceEvent(event_id=target, event=draw(events(new_id)), rationale="test")
    return ev.SetEventField(event_id=target, field="note", value=draw(st.sampled_from(("", "changed"))), rationale="t")


@st.composite
def edited_logs(draw, base: Log, max_edits: int = 4) -> ev.EditedLog:
    """The base with up to `max_edits` random edits that fit it, under a random cascade policy (drop or keep)."""
    edited = ev.EditedLog.of(base, (), draw(st.sampled_from(("drop", "keep"))))
    for number in range(draw(st.integers(0, max_edits))):
        edit = draw(edit_for(edited, f"new{number}"))
        try:
            edited = edited.apply(edit)
        except ev.EditError:
            continue  # a move or replace that would break the order of caused_by: refused, as it must be
    return edited
