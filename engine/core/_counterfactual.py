"""Counterfactual histories: edit a log, replay it from the last checkpoint, and compare it with its base."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain
from typing import Any

import attrs

from engine.core._history import History, as_day
from engine.core._reducer import TransitionError
from engine.core._scoped import scoped_replay
from engine.core._state import Anomaly, WorldState
from events import (
    CounterfactualSpec,
    DateInterval,
    Edit,
    EditedLog,
    Event,
    EventDate,
    ImpreciseDate,
    InsertEvent,
    LegationError,
    Log,
    MoveEvent,
    RemoveEvent,
    ReplaceEvent,
    SetEventField,
    StateDissolved,
    edit_base,
    event_from_dict,
    naming,
    pair_of,
    unit_of,
    write_counterfactual,
)


class ReplayError(LegationError, ValueError):
    """A replay asked of a history it cannot resume from (another log, or a lenient base for a strict replay)."""


@attrs.frozen
class ChainLink:
    """One event in the chain that led an edit to make a later event impossible."""

    event_id: str
    """The event."""
    date: EventDate
    """Its date (in the base for a removed event, in the counterfactual otherwise)."""
    what: str
    """What the edits did to it, or the rule it broke."""

    def __str__(self) -> str:
        return f"{self.event_id} ({self.date}, {self.what})"


class ImpossibleEventError(TransitionError):
    """Strict replay: an edit made a later event impossible; `chain` lists the events involved, in order.

    Attributes (beyond `TransitionError`'s):
        chain: the edited events that changed what the failing event met, then the failing event.
    """

    def __init__(self, event_id: str, date: EventDate, rule: str, links: tuple[ChainLink, ...]) -> None:
        super().__init__(event_id, date, rule)
        self.chain = links
        shown = " -> ".join(str(link) for link in links)
        self.args = (f"the edits make event {event_id!r} ({date}) impossible: {rule}; chain: {shown}",)


@attrs.frozen(eq=False)
class Counterfactual:
    """A base log and the edits that make another history of it; immutable, each step returns a new value.

    Example:
        >>> what_if = Counterfactual(log).remove("goldberg-expelled", "no expulsion").move("x", "2010-01")
        >>> what_if.replay(history).final      # the world after the edited history, folded from a checkpoint
    """

    base: Log
    """The history edited."""
    cascade: str = "drop"
    """What removing or moving an event does to what it caused: drop, keep or ask."""
    question: str = ""
    """The question the counterfactual asks."""
    base_name: str | None = None
    """The base's built-in name or path, as a file would name it (needed to save)."""
    edited: EditedLog = attrs.field(default=None, kw_only=True, repr=False)
    """The edited log (built from `base` and the edits; each step adds one)."""

    def __attrs_post_init__(self) -> None:
        if self.edited is None:
            object.__setattr__(self, "edited", EditedLog.of(self.base, (), self.cascade))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Counterfactual):
            return NotImplemented
        mine = (self.base, self.cascade, self.question, self.base_name, self.edits)
        return mine == (other.base, other.cascade, other.question, other.base_name, other.edits)

    def __hash__(self) -> int:
        return hash((self.base, self.cascade, self.question, self.edits))

    @classmethod
    def from_spec(
        cls, spec: CounterfactualSpec, base: Log, *, cascade: str | None = None, base_name: str | None = None
    ) -> Counterfactual:
        """The counterfactual a file describes, over its base log (already resolved by the caller).

        Raises:
            CounterfactualFileError: an edit does not fit the base; names file, line, edit, event and field.
        """
        edited = edit_base(spec, base, cascade)
        return cls(base, edited.cascade, spec.question, base_name or spec.base, edited=edited)

    # --- the edits ---

    @property
    def edits(self) -> tuple[Edit, ...]:
        """The edits, in order."""
        return self.edited.edits

    @property
    def log(self) -> Log:
        """The edited history as a validated log (O(n), built when asked)."""
        return self.edited.log

    def then(self, edit: Edit) -> Counterfactual:
        """This counterfactual with one more edit.

        Raises:
            EditError: the edit does not fit the log as edited so far.
            CascadeError: policy ask, and the edit would act on events that the edited event caused.
        """
        return attrs.evolve(self, edited=self.edited.apply(edit))

    def remove(self, event_id: str, rationale: str = "") -> Counterfactual:
        """The event never happened; cascade acts on what it caused."""
        return self.then(RemoveEvent(event_id=event_id, rationale=rationale))

    def replace(self, event_id: str, event: Event | Mapping[str, Any], rationale: str = "") -> Counterfactual:
        """Another event happened instead (an Event, or a dict in the shape of a scenario `[[events]]` table)."""
        return self.then(ReplaceEvent(event_id=event_id, event=_as_event(event), rationale=rationale))

    def insert(self, event: Event | Mapping[str, Any], rationale: str = "") -> Counterfactual:
        """An event that did not happen, did."""
        return self.then(InsertEvent(event=_as_event(event), rationale=rationale))

    def move(self, event_id: str, date: str | EventDate, rationale: str = "") -> Counterfactual:
        """The event happened on another date; cascade acts on what it caused."""
        return self.then(MoveEvent(event_id=event_id, date=date, rationale=rationale))

    def set(self, event_id: str, field: str, value: Any, rationale: str = "") -> Counterfactual:
        """One field of the event had another value."""
        return self.then(SetEventField(event_id=event_id, field=field, value=value, rationale=rationale))

    def with_cascade(self, cascade: str) -> Counterfactual:
        """The same edits under another cascade policy (applied again from the base)."""
        return attrs.evolve(self, cascade=cascade, edited=EditedLog.of(self.base, self.edits, cascade))

    def with_question(self, question: str) -> Counterfactual:
        """The same counterfactual asking this question."""
        return attrs.evolve(self, question=question)

    def to_spec(self, base: str | None = None) -> CounterfactualSpec:
        """The file form: the base's name or path, the question, the policy and the edits."""
        named = base or self.base_name
        if not named:
            raise ReplayError("a base name or path to save a counterfactual (give base=...), found none")
        return CounterfactualSpec(base=named, question=self.question or "?", edits=self.edits, cascade=self.cascade)

    def save(self, path: str, base: str | None = None) -> None:
        """Write the counterfactual as a TOML file (every edit needs a rationale)."""
        write_counterfactual(self.to_spec(base), path)

    # --- replay and comparison ---

    def replay(self, history: History | None = None, *, strict: bool | None = None) -> Replay:
        """Fold the edited history from the base's last checkpoint before the first edit; see `replay`."""
        return replay(self, history, strict=strict)

    def compare(
        self,
        *,
        at: str | datetime.date | EventDate | None = None,
        strict: bool = True,
        history: History | None = None,
    ) -> Comparison:
        """Compare the edited history with its base; see `compare`."""
        return compare(self, at=at, strict=strict, history=history)


def _as_event(event: Event | Mapping[str, Any]) -> Event:
    return event if isinstance(event, Event) else event_from_dict(dict(event))


# --- Replay --------------------------------------------------------------------------------


@attrs.frozen
class Replay:
    """The edited history folded from a checkpoint: its final world, and what the fold met."""

    start: int
    """The first base position the edits reach; events before it are the base's."""
    resumed_from: int
    """The checkpoint position the fold resumed from (at or before `start`)."""
    folded: int
    """How many events were folded: those of the changed pairs and actors (and every dissolution) from the
    checkpoint on."""
    final: WorldState
    """The world state after the whole edited history."""
    strict: bool
    """Whether impossible transitions failed the replay (else they are anomalies)."""
    anomalies: tuple[Anomaly, ...]
    """(lenient) Impossible transitions in the edited suffix that the base does not have."""
    refolded: frozenset[tuple[str, ...]] = frozenset()
    """The pairs (sorted) and actors (1-tuples) whose events the edits changed: the only ones folded again."""


def replay(counterfactual: Counterfactual, history: History | None = None, *, strict: bool | None = None) -> Replay:
    """Fold again only what the edits changed, from the last checkpoint of the base's history before them.

    Pairs (and actors) whose events the edits left alone end as in the base; only the changed ones are
    folded, from the checkpoint, and patched into the base's final world (see `engine.core._scoped`). The
    cost grows with the changed pairs' events plus one pass in C over the suffix, not with the whole
    log; the final state equals `fold(counterfactual.log)`.

    Args:
        counterfactual: the edits and their base.
        history: the base's `History` (its checkpoints and final state); folded here when None.
        strict: fail on an impossible transition (default: as the history was folded).

    Raises:
        ImpossibleEventError: (strict) an edit makes a later event impossible; names the chain of events.
        ReplayError: the history is of another log, or lenient while a strict replay is asked.
    """
    base, edited = counterfactual.base, counterfactual.edited
    if history is None:
        history = History(base, strict=True if strict is None else strict)
    elif history.log is not base and history.log != base:
        raise ReplayError("a History of the counterfactual's base log, found the history of another log")
    strict = history.strict if strict is None else strict
    if strict and not history.strict:
        raise ReplayError("a strictly folded base history for a strict replay, found a lenient one")
    position, world = history.checkpoint_before(edited.start)
    gap = base.events[position : edited.start]
    taken, put = edited.changed_events()
    try:
        scoped = scoped_replay(world, gap, edited.suffix, history.final, taken, put, strict=strict)
    except TransitionError as error:
        raise _impossible(counterfactual, error) from None
    known = {(a.event_id, a.rule) for a in history.anomalies}
    fresh = tuple(a for a in scoped.final.anomalies if (a.event_id, a.rule) not in known)
    return Replay(edited.start, position, scoped.folded, scoped.final, strict, fresh, scoped.units)


def _edited_ids(counterfactual: Counterfactual) -> dict[str, tuple[EventDate, str]]:
    """Every event an edit touched, with its date and what was done to it, in words."""
    edited, base = counterfactual.edited, counterfactual.base
    touched: dict[str, tuple[EventDate, str]] = {}
    for number, edit in enumerate(edited.edits, start=1):
        if isinstance(edit, InsertEvent):
            touched[edit.event.id] = (edit.event.date, f"inserted by edit #{number}")
        elif isinstance(edit, MoveEvent):
            touched[edit.event_id] = (edit.date, f"moved to {edit.date} by edit #{number}")
        elif isinstance(edit, ReplaceEvent):
            old = base.get(edit.event_id).date if edit.event_id in base else edit.event.date
            touched[edit.event_id] = (old, f"replaced by {edit.event.id!r} (edit #{number})")
            if edit.event.id != edit.event_id:
                touched[edit.event.id] = (edit.event.date, f"put in by edit #{number}")
        elif isinstance(edit, SetEventField):
            when = edited.get(edit.event_id).date if edit.event_id in edited else base.get(edit.event_id).date
            touched.setdefault(edit.event_id, (when, f"{edit.field} set to {edit.value!r} by edit #{number}"))
    for event_id, why in edited.removed_ids().items():
        if event_id in base and event_id not in touched:
            touched[event_id] = (base.get(event_id).date, why)
    return touched


def _impossible(counterfactual: Counterfactual, error: TransitionError) -> ImpossibleEventError:
    """The chain behind an impossible event: edited events of the same pair or actor up to it, then it."""
    edited = counterfactual.edited
    failing = edited.get(error.event_id)
    subjects = {failing.actor} if failing.target is None else {pair_of(failing.actor, failing.target)}
    touched = _edited_ids(counterfactual)
    links = []
    for event_id, (date, what) in touched.items():
        event = edited.get(event_id) if event_id in edited else counterfactual.base.get(event_id)
        subject = event.actor if event.target is None else pair_of(event.actor, event.target)
        base_date = counterfactual.base.get(event_id).date if event_id in counterfactual.base else date
        if subject in subjects and min(date, base_date) <= failing.date and event_id != failing.id:
            links.append(ChainLink(event_id, date, what))
    if not links:
        # No edit touched the same pair: the link is through an actor (a dissolution, say); name every edit.
        links = [ChainLink(event_id, date, what) for event_id, (date, what) in touched.items()]
    links.sort(key=lambda link: link.date.sort_key)
    links.append(ChainLink(failing.id, failing.date, "impossible"))
    return ImpossibleEventError(failing.id, failing.date, error.rule, tuple(links))


# --- Comparison ----------------------------------------------------------------------------

Subject = tuple[str, str] | str
"""A pair (sorted tuple of two codes) or one actor (its code)."""


@attrs.frozen
class FieldDifference:
    """One field whose value differs between the base and the counterfactual on a day."""

    subject: str
    """The pair (`BOL-USA`) or actor (`BOL`)."""
    field: str
    """The field, keyed as in `PairState.field_values` (`representation USA->BOL`), or leader / dissolved."""
    base: Any
    """Its value in the base history (hashable: sets as sorted tuples; `cli._render.value_json` shapes it)."""
    counterfactual: Any
    """Its value in the counterfactual."""


@attrs.frozen
class Difference:
    """A stretch of days during which one field differed, with the events that opened and closed it."""

    subject: str
    """The pair (`BOL-USA`) or actor (`BOL`)."""
    field: str
    """The field."""
    base: Any
    """Its value in the base history meanwhile."""
    counterfactual: Any
    """Its value in the counterfactual meanwhile."""
    appears: datetime.date
    """First day of the difference."""
    appears_with: tuple[str, ...]
    """The events (of either history) that changed the field that day."""
    disappears: datetime.date | None
    """First day the values agree again (or differ otherwise); None when the difference lasts to the end."""
    disappears_with: tuple[str, ...]
    """The events that ended it."""


@attrs.frozen
class AlignmentDifference:
    """How the alignment graphs of the two histories differ on a day: edges only one has, or signed otherwise."""

    day: datetime.date
    only_base: tuple[tuple[str, str, int], ...]
    """Edges (a, b, sign) only the base graph has."""
    only_counterfactual: tuple[tuple[str, str, int], ...]
    """Edges only the counterfactual graph has."""
    sign_changed: tuple[tuple[str, str, int, int], ...]
    """Edges in both, signed differently: (a, b, base sign, counterfactual sign)."""


@attrs.frozen
class Comparison:
    """A counterfactual set against its base: where they part, how, and for how long."""

    question: str
    """The counterfactual's question."""
    base_name: str | None
    """The base's name or path."""
    cascade: str
    """The cascade policy applied."""
    edits: tuple[Edit, ...]
    """The edits."""
    base_events: int
    """Length of the base log."""
    counterfactual_events: int
    """Length of the edited log."""
    dropped: tuple[Any, ...]
    """Events dropped by cascade, with why (`events.CascadeEffect`)."""
    orphaned: tuple[Any, ...]
    """Events kept although what caused them was removed or moved (policy keep)."""
    diverges: datetime.date | None
    """The first day on which the two histories' states differ; None if they never do."""
    diverges_with: tuple[str, ...]
    """The events that made them differ that day."""
    diverges_as: EventDate | None
    """The date of the first of those events, at its source's precision (`2008-09` is from 2008-09-01)."""
    timeline: tuple[Difference, ...]
    """Every difference, by the day it appears."""
    at: datetime.date
    """The day `state` compares (the asked date, or the last day either history reaches)."""
    at_end: bool
    """True when no date was asked and `at` is the end of the histories."""
    state: tuple[FieldDifference, ...]
    """The fields that differ on `at`, pair by pair."""
    anomalies: tuple[Anomaly, ...]
    """(lenient) Impossible transitions the edits brought about."""
    strict: bool
    """Whether the replay was strict."""
    alignment: AlignmentDifference | None
    """The alignment graphs' difference on `at`; None when `engine.analysis.alignment` is not available."""


def _subject_name(subject: Subject) -> str:
    return subject if isinstance(subject, str) else f"{subject[0]}-{subject[1]}"


def _plain(value: Any) -> Any:
    """A hashable form of a state value: sets as tuples sorted by their text, dates as text.

    Posts and agencies stay themselves (not text) so that a renderer can give them the shape `legation at`
    gives them.
    """
    if isinstance(value, frozenset | set):
        return tuple(sorted(value, key=str))
    if isinstance(value, tuple):
        return tuple(_plain(item) for item in value)
    if isinstance(value, ImpreciseDate | DateInterval):
        return str(value)
    return value


def _values(history: History, subject: Subject, day: datetime.date) -> dict[str, Any]:
    if isinstance(subject, str):
        actor = history.actor_at(subject, day)
        return {"leader": actor.leader, "dissolved": None if actor.dissolved is None else str(actor.dissolved)}
    values = history.state_at(subject[0], subject[1], day).state.field_values()
    return {field: _plain(value) for field, value in values.items()}


def _subject_of(event: Event) -> Subject | None:
    if event.target is not None:
        return pair_of(event.actor, event.target)
    return event.actor if event.CHANGES_STATE else None


def _changed_by(
    history: History, log_suffix: Iterable[Event], subject: Subject, day: datetime.date, field: str
) -> list[str]:
    """Ids of the events of one history that changed a field of a subject on a day."""
    if isinstance(subject, str):
        return [e.id for e in log_suffix if e.target is None and e.actor == subject and e.date.earliest == day]
    changes = history.changes_on(subject[0], subject[1], day)
    return [event_id for change in changes if change.field == field for event_id in change.event_ids]


def _timeline(
    base_history: History, cf_history: History, base_suffix: tuple[Event, ...], cf_suffix: tuple[Event, ...]
) -> list[Difference]:
    """Differences from the days on which either history's changed suffix acts (the prefix is shared)."""
    touched: dict[datetime.date, set[Subject]] = {}
    for event in chain(base_suffix, cf_suffix):
        subject = _subject_of(event)
        if subject is not None:
            touched.setdefault(event.date.earliest, set()).add(subject)
    opened: dict[tuple[Subject, str], dict[str, Any]] = {}
    closed: list[Difference] = []

    def responsible(subject: Subject, day: datetime.date, field: str) -> tuple[str, ...]:
        ids = _changed_by(base_history, base_suffix, subject, day, field)
        ids += _changed_by(cf_history, cf_suffix, subject, day, field)
        return tuple(dict.fromkeys(ids))

    for day in sorted(touched):
        for subject in sorted(touched[day], key=_subject_name):
            before, after = _values(base_history, subject, day), _values(cf_history, subject, day)
            for field in before:
                pair_now = (before[field], after[field])
                current = opened.get((subject, field))
                if current is not None and pair_now != (current["base"], current["counterfactual"]):
                    closed.append(
                        Difference(**current, disappears=day, disappears_with=responsible(subject, day, field))
                    )
                    del opened[(subject, field)]
                    current = None
                if current is None and pair_now[0] != pair_now[1]:
                    opened[(subject, field)] = {
                        "subject": _subject_name(subject),
                        "field": field,
                        "base": pair_now[0],
                        "counterfactual": pair_now[1],
                        "appears": day,
                        "appears_with": responsible(subject, day, field),
                    }
    closed.extend(Difference(**still, disappears=None, disappears_with=()) for still in opened.values())
    closed.sort(key=lambda d: (d.appears, d.subject, d.field))
    return closed


def _state_difference(
    base_history: History, cf_history: History, subjects: Iterable[Subject], day: datetime.date
) -> list[FieldDifference]:
    found = []
    for subject in sorted(set(subjects), key=_subject_name):
        before, after = _values(base_history, subject, day), _values(cf_history, subject, day)
        for field, value in before.items():
            if value != after[field]:
                found.append(FieldDifference(_subject_name(subject), field, value, after[field]))
    return found


def _alignment_difference(
    base: Log, counterfactual: Log, day: datetime.date, refolded: frozenset[tuple[str, ...]]
) -> AlignmentDifference | None:
    """The alignment graphs' difference on a day, or None while `engine.analysis.alignment` is not available.

    Only edges the edits can reach are rebuilt: those of the refolded pairs, and every edge of a refolded
    actor (its bloc memberships, and all its edges when its dissolution changed). An edge depends on its
    own pair's events and on its two actors' dissolutions alone, so the others are the same in both graphs.
    """
    try:
        from engine.analysis.alignment import graph_from_scratch  # networkx: imported only when asked
    except ImportError:
        return None
    pairs = {unit for unit in refolded if len(unit) == 2}
    whole = {unit[0] for unit in refolded if len(unit) == 1}
    named = whole | {code for pair in pairs for code in pair}  # an event the edits reach names one of these

    def edges(log: Log) -> dict[tuple[str, str], int]:
        reached = [
            event
            for event in naming(log.events, named, dissolutions=True)
            if event.date.earliest <= day
            and (
                event.actor in whole
                or event.target in whole
                or type(event) is StateDissolved
                or (event.target is not None and unit_of(event) in pairs)
            )
        ]
        graph = graph_from_scratch(reached, log.actors, at=day)
        return {pair_of(a, b): int(data.get("sign", 0)) for a, b, data in graph.edges(data=True)}

    before, after = edges(base), edges(counterfactual)
    return AlignmentDifference(
        day,
        tuple((a, b, sign) for (a, b), sign in sorted(before.items()) if (a, b) not in after),
        tuple((a, b, sign) for (a, b), sign in sorted(after.items()) if (a, b) not in before),
        tuple(
            (a, b, sign, after[(a, b)]) for (a, b), sign in sorted(before.items()) if after.get((a, b), sign) != sign
        ),
    )


def _date_of(event_id: str, edited: EditedLog, base: Log) -> EventDate:
    return (edited.get(event_id) if event_id in edited else base.get(event_id)).date


def compare(
    counterfactual: Counterfactual,
    *,
    at: str | datetime.date | EventDate | None = None,
    strict: bool = True,
    history: History | None = None,
) -> Comparison:
    """Set a counterfactual against its base history.

    Args:
        counterfactual: the edits and their base.
        at: the day whose states are compared field by field (a month or year: its last day); the end of
            the histories when None.
        strict: fail when an edit makes a later event impossible; when False, report it as an anomaly.
        history: the base's `History`, if already folded (it must be folded with the same strictness).

    Raises:
        ImpossibleEventError: (strict) an edit makes a later event impossible; names the chain.
    """
    base, edited = counterfactual.base, counterfactual.edited
    base_history = history if history is not None else History(base, strict=strict)
    replayed = replay(counterfactual, base_history, strict=strict)
    cf_log = counterfactual.log
    # The edited log shares the base's first `start` events: index only what follows them.
    cf_history = History.resumed(base_history, cf_log, edited.start, refolded=replayed.refolded, final=replayed.final)
    # Only the pairs and actors whose events the edits changed can differ (see engine.core._scoped).
    base_suffix = tuple(e for e in base.events[edited.start :] if unit_of(e) in replayed.refolded)
    cf_suffix = tuple(e for e in edited.suffix if unit_of(e) in replayed.refolded)
    timeline = _timeline(base_history, cf_history, base_suffix, cf_suffix)
    diverges = timeline[0].appears if timeline else None
    diverges_with = tuple(dict.fromkeys(i for d in timeline if d.appears == diverges for i in d.appears_with))
    if at is None:
        ends = [log.events[-1].date.latest for log in (base, cf_log) if len(log)]
        day = max(ends) if ends else datetime.date.min
    else:
        day, _ = as_day(at)
    subjects = {s for e in chain(base_suffix, cf_suffix) if (s := _subject_of(e)) is not None}
    return Comparison(
        question=counterfactual.question,
        base_name=counterfactual.base_name,
        cascade=edited.cascade,
        edits=edited.edits,
        base_events=len(base),
        counterfactual_events=len(cf_log),
        dropped=edited.dropped,
        orphaned=edited.orphaned,
        diverges=diverges,
        diverges_with=diverges_with,
        diverges_as=_date_of(diverges_with[0], edited, base) if diverges_with else None,
        timeline=tuple(timeline),
        at=day,
        at_end=at is None,
        state=tuple(_state_difference(base_history, cf_history, subjects, day)),
        anomalies=replayed.anomalies,
        strict=strict,
        alignment=_alignment_difference(base, cf_log, day, replayed.refolded),
    )


def differences_at(comparison: Comparison, day: datetime.date) -> Iterator[Difference]:
    """The timeline's differences in force on a day."""
    for difference in comparison.timeline:
        if difference.appears <= day and (difference.disappears is None or day < difference.disappears):
            yield difference
