"""Counterfactual edits of a log (remove, replace, insert, move, set a field) and their cascade over `caused_by`."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar, Self

import attrs

from events import _fields as f
from events._dates import EventDate
from events._errors import InvalidValueError, LegationError
from events._kinds import Event
from events._log import Log, _actor_problems

CASCADE_POLICIES = ("drop", "keep", "ask")
"""What removing or moving an event does to the events it caused, transitively: remove them, keep them
(reported as orphaned), or refuse and list them."""
EDIT_OPS = ("remove", "replace", "insert", "move", "set")
"""The `op` of each edit, as written in counterfactual files."""
_UNSETTABLE = {"id": "use op = replace to give an event a new id", "date": "use op = move to change a date"}


class EditError(LegationError, ValueError):
    """An edit that cannot be applied to the log it is given.

    Attributes:
        edit: 1-based number of the edit in its counterfactual, or None.
        op: the edit's op (remove, replace, ...).
        event_id: the event the problem concerns, or None.
        field: the field at fault, or None.
        expected: what would have been accepted, in words.
        found: what was given or met.
    """

    def __init__(
        self,
        expected: str,
        found: object,
        *,
        edit: int | None = None,
        op: str | None = None,
        event_id: str | None = None,
        field: str | None = None,
    ) -> None:
        self.edit = edit
        self.op = op
        self.event_id = event_id
        self.field = field
        self.expected = expected
        self.found = found
        super().__init__(self._message())

    def _message(self) -> str:
        parts = []
        if self.edit is not None:
            parts.append(f"edit #{self.edit}" + (f" ({self.op})" if self.op else ""))
        if self.event_id is not None:
            parts.append(f"event {self.event_id!r}")
        if self.field is not None:
            parts.append(f"field {self.field!r}")
        where = ", ".join(parts)
        detail = f"expected {self.expected}, found {self.found!r}"
        return f"{where}: {detail}" if where else detail

    def numbered(self, edit: int, op: str) -> Self:
        """The same error, naming the edit it came from."""
        return type(self)(self.expected, self.found, edit=edit, op=op, event_id=self.event_id, field=self.field)


class _Said(str):
    """Text shown as it is in an error message (not quoted, as `repr` would)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


class CascadeError(EditError):
    """Policy `ask`: removing or moving an event would act on events it caused; they are listed.

    Attributes:
        effects: the events the edit would act on, with the chain of causes that links them.
    """

    effects: tuple[CascadeEffect, ...] = ()

    def numbered(self, edit: int, op: str) -> Self:
        error = super().numbered(edit, op)
        error.effects = self.effects
        return error


# --- The edits -----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Edit:
    """What every edit has. Subclasses are the ops."""

    OP: ClassVar[str] = ""
    """The op as written in files."""

    rationale: str = attrs.field(default="", validator=f.note_text)
    """Why this edit: the counterfactual reasoning, in a sentence."""

    def describe(self) -> str:
        """One line saying what the edit does."""
        raise NotImplementedError


@attrs.frozen(kw_only=True)
class RemoveEvent(Edit):
    """The event never happened (nor, under cascade `drop`, what it caused)."""

    OP: ClassVar[str] = "remove"
    event_id: str = attrs.field(validator=f.text)
    """The event removed."""

    def describe(self) -> str:
        return f"remove {self.event_id}"


@attrs.frozen(kw_only=True)
class ReplaceEvent(Edit):
    """Something else happened instead; the events it caused now follow from the replacement."""

    OP: ClassVar[str] = "replace"
    event_id: str = attrs.field(validator=f.text)
    """The event replaced."""
    event: Event = attrs.field(validator=attrs.validators.instance_of(Event))
    """What happened instead (it may keep the id or take a new one)."""

    def describe(self) -> str:
        return f"replace {self.event_id} with {self.event.id} ({self.event.date}: {self.event.summary()})"


@attrs.frozen(kw_only=True)
class InsertEvent(Edit):
    """An event that did not happen, did."""

    OP: ClassVar[str] = "insert"
    event: Event = attrs.field(validator=attrs.validators.instance_of(Event))
    """The new event; its id must be unused."""

    def describe(self) -> str:
        return f"insert {self.event.id} ({self.event.date}: {self.event.summary()})"


@attrs.frozen(kw_only=True)
class MoveEvent(Edit):
    """The event happened on another date (what it caused is cascaded as for a removal)."""

    OP: ClassVar[str] = "move"
    event_id: str = attrs.field(validator=f.text)
    """The event moved."""
    date: EventDate = attrs.field(converter=f.DATE)
    """Its new date."""

    def describe(self) -> str:
        return f"move {self.event_id} to {self.date}"


@attrs.frozen(kw_only=True)
class SetEventField(Edit):
    """One field of the event had another value (a different envoy, a lower rank, ...)."""

    OP: ClassVar[str] = "set"
    event_id: str = attrs.field(validator=f.text)
    """The event changed."""
    field: str = attrs.field(validator=f.text)
    """The field's name, as in scenario files."""
    value: Any = None
    """The new value, as it would be written in a scenario file."""

    def describe(self) -> str:
        return f"set {self.event_id}.{self.field} = {self.value!r}"


EDIT_KINDS: dict[str, type[Edit]] = {
    cls.OP: cls for cls in (RemoveEvent, ReplaceEvent, InsertEvent, MoveEvent, SetEventField)
}
"""Edit classes by op."""


@attrs.frozen
class CascadeEffect:
    """An event that a removed or moved event caused, directly or through others, and what became of it."""

    event_id: str
    """The event acted on."""
    date: EventDate
    """Its date."""
    chain: tuple[str, ...]
    """Ids from the edited event to this one, each caused by the one before."""
    edit: int
    """The 1-based number of the edit that started the cascade."""
    op: str
    """That edit's op (remove or move)."""
    action: str
    """dropped (policy drop) or kept (policy keep: reported as orphaned)."""

    @property
    def why(self) -> str:
        """In words: which edit, and through which causes."""
        verb = "removed" if self.op == "remove" else "moved"
        return f"{self.chain[0]} was {verb} by edit #{self.edit}; caused by it via {' -> '.join(self.chain)}"


# --- The edited log ------------------------------------------------------------------------


def _key(event: Event) -> tuple[int, int]:
    return event.date.sort_key


@attrs.frozen(eq=False)
class EditedLog:
    """A base log with edits applied; immutable, each `apply` gives a new value.

    The edited events are the base's, with removed ones left out, changed ones changed in place and
    inserted ones appended, put in history order by the same stable sort as `Log.of`. Only the suffix
    from `start` (the first base position an edit can reach) is ever materialised, so applying an edit
    costs O(length of the changed suffix), not O(length of the log).
    """

    base: Log
    """The history the edits apply to."""
    cascade: str = attrs.field(default="drop", validator=f.one_of(CASCADE_POLICIES))
    """drop, keep or ask (see `CASCADE_POLICIES`)."""
    edits: tuple[Edit, ...] = ()
    """The edits applied so far, in order."""
    start: int = attrs.field(default=None)
    """Base positions before this are unchanged: the edited log is `base[:start] + suffix`."""
    suffix: tuple[Event, ...] = ()
    """The edited events from `start` on, in history order."""
    dropped: tuple[CascadeEffect, ...] = ()
    """Events removed by cascade, with why."""
    orphaned: tuple[CascadeEffect, ...] = ()
    """Events kept although an event they followed from was removed or moved (policy keep)."""
    _changed: dict[int, Event | None] = attrs.field(factory=dict, repr=False)
    """Base position -> the event now there, or None when it is gone."""
    _inserted: tuple[Event | None, ...] = attrs.field(default=(), repr=False)
    """Inserted events, in insertion order (None once removed again)."""
    _located: dict[str, tuple[str, int]] = attrs.field(factory=dict, repr=False)
    """Ids whose place differs from the base's: ("base", position) after a rename, ("inserted", index)."""
    _gone: dict[str, str] = attrs.field(factory=dict, repr=False)
    """Ids no longer in the log, and why, in words."""

    def __attrs_post_init__(self) -> None:
        if self.start is None:
            object.__setattr__(self, "start", len(self.base))

    @classmethod
    def of(cls, base: Log, edits: Iterable[Edit] = (), cascade: str = "drop") -> EditedLog:
        """The base log with these edits applied in order.

        Raises:
            EditError: an edit does not fit the log as edited so far (the message names the edit number).
            CascadeError: policy `ask`, and an edit would act on events caused by the one it edits.
            InvalidValueError: `cascade` is not a policy.
        """
        edited = cls(base, cascade)
        for edit in edits:
            edited = edited.apply(edit)
        return edited

    # --- reading ---

    @property
    def events(self) -> tuple[Event, ...]:
        """Every edited event, in history order."""
        return self.base.events[: self.start] + self.suffix

    @property
    def log(self) -> Log:
        """The edited events as a validated `Log` (built when asked; only the suffix is checked again)."""
        return self.base.with_suffix(self.start, self.suffix)

    def __len__(self) -> int:
        return self.start + len(self.suffix)

    def __contains__(self, event_id: object) -> bool:
        if not isinstance(event_id, str):
            return False
        if event_id in self._located:
            return True
        return event_id not in self._gone and event_id in self.base

    def get(self, event_id: str) -> Event:
        """The event with this id, as edited.

        Raises:
            EditError: no such event (never was, or removed; the message says which).
        """
        return self._event_at(self._locate(event_id))

    def changed_events(self) -> tuple[tuple[Event, ...], tuple[Event, ...]]:
        """What the edits took out and what they put in.

        (base events removed or changed, their new versions and the inserted events). Every other event
        of the suffix is the base's own object, in the base's order.
        """
        base = self.base.events
        taken = tuple(base[position] for position in sorted(self._changed))
        put = [event for _, event in sorted(self._changed.items()) if event is not None]
        put.extend(event for event in self._inserted if event is not None)
        return taken, tuple(put)

    def removed_ids(self) -> dict[str, str]:
        """Ids of base or inserted events no longer in the log, and why."""
        return dict(self._gone)

    # --- editing ---

    def apply(self, edit: Edit) -> EditedLog:
        """This log with one more edit.

        Raises:
            EditError: the edit names an unknown id, inserts an id already in use, breaks the order of
                `caused_by`, sets a field the event lacks or a value it refuses, or names an unknown actor.
            CascadeError: policy `ask`, and the edit would act on events the edited event caused.
        """
        number = len(self.edits) + 1
        try:
            return self._apply(edit, number)
        except EditError as error:
            raise error.numbered(number, edit.OP) from None

    def _apply(self, edit: Edit, number: int) -> EditedLog:
        draft = _Draft(self)
        if isinstance(edit, InsertEvent):
            draft.insert(edit.event)
        elif isinstance(edit, RemoveEvent):
            where = self._locate(edit.event_id)
            draft.cascade(edit.event_id, where, number, "remove")
            draft.put(where, None, f"removed by edit #{number}")
        elif isinstance(edit, MoveEvent):
            where = self._locate(edit.event_id)
            event = self._event_at(where)
            draft.cascade(edit.event_id, where, number, "move")
            draft.put(where, _evolve(event, "date", str(edit.date)))
        elif isinstance(edit, ReplaceEvent):
            where = self._locate(edit.event_id)
            new = edit.event
            if new.id != edit.event_id:
                if new.id in self:
                    raise EditError("an id no event of the log uses", new.id, event_id=new.id, field="id")
                draft.rename_causes(edit.event_id, new.id, where)
            draft.put(where, new, f"replaced by {new.id!r} (edit #{number})")
        elif isinstance(edit, SetEventField):
            where = self._locate(edit.event_id)
            if edit.field in _UNSETTABLE:
                raise EditError(_UNSETTABLE[edit.field], edit.field, event_id=edit.event_id, field="field")
            draft.put(where, _evolve(self._event_at(where), edit.field, edit.value))
        else:
            raise EditError(f"an edit of one of the ops {', '.join(EDIT_OPS)}", type(edit).__name__)
        return draft.finish(edit)

    # --- internals ---

    def _locate(self, event_id: str) -> tuple[str, int]:
        where = self._located.get(event_id)
        if where is not None:
            return where
        why = self._gone.get(event_id)
        if why is not None:
            found = _Said(f"{event_id!r}, which was {why}")
            raise EditError("the id of an event still in the log", found, event_id=event_id, field="id")
        if event_id not in self.base:
            raise EditError("the id of an event in the base log", event_id, event_id=event_id, field="id")
        return ("base", self.base.position(event_id))

    def _event_at(self, where: tuple[str, int]) -> Event:
        place, index = where
        if place == "inserted":
            return self._inserted[index]  # type: ignore[return-value]
        return self._changed[index] if index in self._changed else self.base.events[index]  # type: ignore[return-value]

    def _materialise(
        self, changed: dict[int, Event | None], inserted: Iterable[Event | None], start: int
    ) -> list[Event]:
        base = self.base.events
        kept = [changed[i] if i in changed else base[i] for i in range(start, len(base))]
        kept.extend(inserted)
        events = [event for event in kept if event is not None]
        events.sort(key=_key)  # stable, as Log.of: same-date events keep their list order
        return events


def _evolve(event: Event, field: str, value: Any) -> Event:
    names = {a.name for a in attrs.fields(type(event)) if a.init}
    if field not in names:
        fields = ", ".join(sorted(names - set(_UNSETTABLE)))
        raise EditError(f"a field of {event.KIND} events ({fields})", field, event_id=event.id, field="field")
    if field == "date" and not isinstance(value, str):
        value = str(value)
    try:
        return attrs.evolve(event, **{field: value})
    except InvalidValueError as error:
        raise EditError(error.expected, error.found, event_id=event.id, field=error.field) from None
    except (TypeError, ValueError) as error:
        raise EditError(f"a valid value ({error})", value, event_id=event.id, field=field) from None


class _Draft:
    """The mutable working copy of one `apply` (never escapes it)."""

    def __init__(self, edited: EditedLog) -> None:
        self.edited = edited
        self.changed = dict(edited._changed)
        self.inserted = list(edited._inserted)
        self.located = dict(edited._located)
        self.gone = dict(edited._gone)
        self.dropped = list(edited.dropped)
        self.orphaned = list(edited.orphaned)
        self.start = edited.start

    def _reach(self, where: tuple[str, int], event: Event | None) -> None:
        """Move `start` back far enough that the edit at `where` (and the event now there) is in the suffix."""
        place, index = where
        if place == "base":
            self.start = min(self.start, index)
        if event is not None:
            # An event whose key is k sorts after every base event of key <= k, and may sort before later ones.
            self.start = min(self.start, bisect_right(self.edited.base.events, event.date.sort_key, key=_key))

    def event_at(self, where: tuple[str, int]) -> Event | None:
        place, index = where
        if place == "inserted":
            return self.inserted[index]
        return self.changed[index] if index in self.changed else self.edited.base.events[index]

    def where_of(self, event_id: str) -> tuple[str, int]:
        return self.located.get(event_id) or ("base", self.edited.base.position(event_id))

    def put(self, where: tuple[str, int], event: Event | None, why: str = "") -> None:
        old = self.event_at(where)
        place, index = where
        if place == "inserted":
            self.inserted[index] = event
        else:
            self.changed[index] = event
        self._reach(where, event)
        if old is not None and (event is None or event.id != old.id):
            self.located.pop(old.id, None)
            self.gone[old.id] = why
        if event is not None:
            self.gone.pop(event.id, None)
            if place == "inserted" or event.id != self.edited.base.events[index].id:
                self.located[event.id] = where

    def insert(self, event: Event) -> None:
        if event.id in self.edited:
            raise EditError("an id no event of the log uses", event.id, event_id=event.id, field="id")
        self.inserted.append(None)
        self.put(("inserted", len(self.inserted) - 1), event)

    def current_from(self, start: int) -> list[Event]:
        return self.edited._materialise(self.changed, self.inserted, start)

    def effects(self, event_id: str, where: tuple[str, int]) -> Iterator[tuple[Event, tuple[str, ...]]]:
        """Every event that `event_id` caused, transitively, with the chain of causes, in history order."""
        self._reach(where, None)
        chains: dict[str, tuple[str, ...]] = {event_id: (event_id,)}
        for event in self.current_from(self.start):
            for cause in event.caused_by:
                if cause in chains and event.id not in chains:
                    chains[event.id] = (*chains[cause], event.id)
                    yield event, chains[event.id]

    def cascade(self, event_id: str, where: tuple[str, int], number: int, op: str) -> None:
        found = list(self.effects(event_id, where))
        if not found:
            return
        policy = self.edited.cascade
        action = "dropped" if policy == "drop" else "kept"
        effects = tuple(CascadeEffect(e.id, e.date, chain, number, op, action) for e, chain in found)
        if policy == "ask":
            listed = "; ".join(f"{effect.event_id} (via {' -> '.join(effect.chain)})" for effect in effects)
            error = CascadeError(
                "no events caused by it (cascade ask: choose drop or keep)",
                _Said(f"{len(effects)}: {listed}"),
                event_id=event_id,
            )
            error.effects = effects
            raise error
        if policy == "drop":
            for event, _ in found:
                self.put(self.where_of(event.id), None, f"dropped by edit #{number} (caused by {event_id!r})")
            self.dropped.extend(effects)
            return
        self.orphaned.extend(effects)
        if op == "remove":
            # The removed cause is no longer in the log: its direct effects stop naming it.
            # (An event may name it directly and also follow from it through another effect.)
            for event, _ in found:
                if event_id in event.caused_by:
                    causes = tuple(cause for cause in event.caused_by if cause != event_id)
                    self.put(self.where_of(event.id), attrs.evolve(event, caused_by=causes))

    def rename_causes(self, old_id: str, new_id: str, where: tuple[str, int]) -> None:
        self._reach(where, None)
        for event in self.current_from(self.start):
            if old_id in event.caused_by:
                causes = tuple(new_id if cause == old_id else cause for cause in event.caused_by)
                self.put(self.where_of(event.id), attrs.evolve(event, caused_by=causes))

    def finish(self, edit: Edit) -> EditedLog:
        edited = self.edited
        suffix = tuple(self.current_from(self.start))
        _check_suffix(edited.base, self.start, suffix, self.gone, self.changed, self.inserted)
        return EditedLog(
            edited.base,
            edited.cascade,
            (*edited.edits, edit),
            self.start,
            suffix,
            tuple(self.dropped),
            tuple(self.orphaned),
            self.changed,
            tuple(self.inserted),
            self.located,
            self.gone,
        )


def _check_suffix(
    base: Log,
    start: int,
    suffix: tuple[Event, ...],
    gone: dict[str, str],
    changed: dict[int, Event | None],
    inserted: list[Event | None],
) -> None:
    """The rules of `Log.of`, checked on the changed suffix only (the prefix is the base's, already valid)."""
    new = {id(event) for event in changed.values() if event is not None}
    new.update(id(event) for event in inserted if event is not None)
    seen: dict[str, int] = {}
    for position, event in enumerate(suffix):
        if event.id in seen or (event.id in base and base.position(event.id) < start):
            raise EditError("an id no other event of the log uses", event.id, event_id=event.id, field="id")
        seen[event.id] = position
        if id(event) in new:
            for problem in _actor_problems(event, base.actors):
                # An actor problem always says what it expected; its rule is the words for it otherwise.
                expected = problem.expected if problem.expected is not None else problem.rule
                raise EditError(expected, problem.found, event_id=event.id, field=problem.field)
        for cause in event.caused_by:
            if cause in seen:
                if cause == event.id:
                    raise EditError("an event that does not cause itself", cause, event_id=event.id, field="caused_by")
                continue
            if cause in base and base.position(cause) < start:
                continue
            later = next((other for other in suffix[position + 1 :] if other.id == cause), None)
            if later is not None:
                expected = f"its cause {cause!r} ({later.date}) to come first in history order"
                found = _Said(f"{event.id!r} dated {event.date}, before it")
                raise EditError(expected, found, event_id=event.id, field="caused_by")
            why = gone.get(cause, "never in the log")
            raise EditError(
                "causes that are in the edited log", _Said(f"{cause!r} ({why})"), event_id=event.id, field="caused_by"
            )
