"""The event store's command and query sides: appends checked by the strict reducer, histories read back.

`EventStore` wraps a `Recorder` (which knows records and bytes) with the meaning of a history: every
append is folded onto the stream's current state first, and refused with the rule it breaks unless it is
recorded as an anomaly; a stream read back (as it stands, or as it stood at an earlier position or time of
recording) is the same `Scenario`, `Log` and `History` a scenario file gives.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, Iterable, Sequence

import attrs
import immutables

from engine.core._fast import fold_fast, paused_gc
from engine.core._history import History
from engine.core._state import EMPTY_WORLD, Anomaly, WorldState
from engine.store._errors import RecordRefusedError, StoreCorruptError
from engine.store._recorder import AppendResult, Head, Latest, Recorder, _keep
from engine.store._records import (
    Meta,
    NewRecord,
    Record,
    decode_event,
    decode_payload,
    event_record,
    parse_recorded,
    retraction_record,
)
from events import (
    Event,
    InvalidValueError,
    LegationError,
    Log,
    LogError,
    Scenario,
    builtin_actors,
    event_from_dict,
)
from events._log import _problems as _log_problems

_READ_BATCH = 50_000
"""Records decoded and folded into a view at a time while reading a stream."""
DEFAULT_STREAM = "main"
"""The stream commands use when none is named."""


class ImpossibleRecordError(RecordRefusedError):
    """An append the strict reducer refuses: an event that cannot happen in the state it meets.

    Attributes:
        event_id, date, rule: the event that breaks a rule, its date, and the rule.
    """

    def __init__(self, anomaly: Anomaly, cause: str | None = None) -> None:
        self.date = anomaly.date
        self.cause = cause
        rule = f"({anomaly.date}) {anomaly.rule}"
        if cause is not None:  # an existing later event that the new records would make impossible
            rule = f"the records about {cause} would make it impossible: {rule}"
        rule += " (to keep it as an anomaly, record it as one: --anomaly)"
        super().__init__(rule, anomaly.event_id)


@attrs.frozen
class Entry:
    """One event id as the record stands: its current event (None once retracted) and where it was recorded."""

    first_position: int
    """The record that first recorded it: its place among events of the same date."""
    position: int
    """The record that made it what it is (its recording, last correction or retraction)."""
    payload: str
    event: Event | None
    anomaly: bool

    def latest(self) -> Latest:
        return Latest(self.first_position, self.position, self.payload, self.event is None)


@attrs.frozen
class View:
    """A stream's history as the record stood at one position: its header, events, log and final state."""

    stream: str
    position: int
    """The last record it includes."""
    hash: str
    """That record's hash: cite it with the position, and `verify` proves the record unchanged since."""
    recorded_at: str
    meta: Meta
    meta_payload: str | None
    """The stored text of the last header record (None before the first)."""
    entries: immutables.Map
    """Event id -> `Entry`, every id ever recorded (retracted ones too)."""
    log: Log
    world: WorldState
    """The lenient fold of the log (its anomalies are those the record accepted)."""

    def scenario(self, source: str = "") -> Scenario:
        """The history as a `Scenario` (what reading a scenario file gives)."""
        meta = self.meta
        return Scenario(
            name=meta.name,
            log=self.log,
            pair=meta.pair,
            title=meta.title,
            description=meta.description,
            path=source or None,
            declared_actors=meta.actors,
        )


def _empty_view(stream: str) -> View:
    return View(stream, 0, Head().hash, "", Meta(), None, immutables.Map(), Log.of((), builtin_actors()), EMPTY_WORLD)


def _build(view: View, records: Sequence[Record], known: dict[int, Event] | None = None) -> View:
    """The view after some more records (of consecutive positions after `view.position`).

    Raises:
        InvalidValueError: a payload that is not a record of its kind.
        LogError: the events break a rule of a log (ids, actors, causes).
    """
    if not records:
        return view
    meta, meta_payload = view.meta, view.meta_payload
    appended: list[Event] = []
    rebuild = False
    with view.entries.mutate() as changing:
        for record in records:
            try:
                if record.operation == "meta":
                    meta, meta_payload = Meta.from_dict(decode_payload(record)), record.payload
                    rebuild = True
                elif _apply(changing, record, known.get(record.position) if known else None):
                    appended.append(changing[record.event_id].event)
                else:
                    rebuild = True
            except (InvalidValueError, KeyError) as error:
                raise _UnreadableRecord(record.position, error) from None
        entries: immutables.Map = changing.finish()
    last = records[-1]
    log, world = view.log, view.world
    table = builtin_actors().with_actors(meta.actors) if rebuild or meta is not view.meta else log.actors
    keys = [event.date.sort_key for event in appended]
    in_order = keys == sorted(keys) and (not log or not keys or keys[0] >= log[-1].date.sort_key)
    if rebuild or not in_order:
        # Events in the order they were first recorded: `Log.of` keeps that order among events of one date.
        current = sorted((entry for entry in entries.values() if entry.event is not None), key=_first_position)
        log = Log.of([entry.event for entry in current], table)
        world = fold_fast(log, strict=False)
    else:
        log = extended_log(log, tuple(appended))
        world = fold_fast(appended, strict=False, initial=world)
    return View(
        view.stream,
        position=last.position,
        hash=last.hash,
        recorded_at=last.recorded_at,
        meta=meta,
        meta_payload=meta_payload,
        entries=entries,
        log=log,
        world=world,
    )


def _apply(entries, record: Record, event: Event | None = None) -> bool:
    """Apply an event, correction or retraction record to the entries; True if it appended a new event."""
    event_id = record.event_id
    if record.operation == "retract":
        decode_payload(record)
        before = entries[event_id]
        entries[event_id] = attrs.evolve(before, position=record.position, payload=record.payload, event=None)
        return False
    if record.operation not in ("event", "correct"):
        raise InvalidValueError("operation", "one of meta, event, correct, retract", record.operation)
    if event is None:  # a record being planned comes with its event; a stored one is decoded
        event = decode_event(record)
    before = entries.get(event_id)
    first = before.first_position if before is not None else record.position
    entries[event_id] = Entry(first, record.position, record.payload, event, record.anomaly)
    return record.operation == "event" and before is None


class _UnreadableRecord(Exception):
    """A stored record `_build` cannot apply (its position and why), turned into a `StoreCorruptError`."""

    def __init__(self, position: int, error: Exception) -> None:
        self.position = position
        self.error = error
        super().__init__(str(error))


_FLATTEN_DEPTH = 16
"""How many appends' id maps an extended log chains before merging them into one dict (see `extended_log`)."""


def extended_log(log: Log, tail: tuple[Event, ...]) -> Log:
    """`log.with_suffix(len(log), tail)` for a tail already in history order after the log, in O(len(tail)).

    `Log.with_suffix` copies the log's id -> position map on every call (O(n)): a store appending batch
    after batch to a long history would pay O(n) per append. Here the new log's map is a `ChainMap` of a
    new dict (the tail's ids) over the maps of the log before, which are never changed again, merged into
    one dict every `_FLATTEN_DEPTH` appends (O(n / depth) an append). The rules checked, and the first
    problem raised, are `Log.of`'s (tests/test_store.py proves it equal to `Log.of` on the whole).

    Raises:
        LogError: as `Log.of(log + tail)` would.
    """
    if not tail:
        return log
    keys = [event.date.sort_key for event in tail]
    if keys != sorted(keys) or (log and keys[0] < log[-1].date.sort_key):
        return log.with_suffix(len(log), tail)  # not an append in history order: the long way
    base = log._positions
    maps = list(base.maps) if isinstance(base, ChainMap) else [base]
    if len(maps) >= _FLATTEN_DEPTH:
        maps = [dict(base)]
    positions = ChainMap({}, *maps)
    events = log.events + tail
    # A ChainMap serves every lookup `Log` makes of its id map (get, [], in, items in insertion order).
    for problem in _log_problems(events, log.actors, len(log), positions):  # type: ignore[arg-type]
        raise problem
    return Log(events, log.actors, positions)  # type: ignore[arg-type]


def _first_position(entry: Entry) -> int:
    return entry.first_position


class EventStore:
    """A store of histories: appends validated by the reducer, reads as `Scenario` / `History`."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder
        self._views: dict[str, View] = {}

    @classmethod
    def open(cls, url: str, *, create: bool = False) -> EventStore:
        """Open the store at a URL (`sqlite:///path`, a bare path, or `postgresql://...`)."""
        from engine.store import open_recorder

        return cls(open_recorder(url, create=create))

    @property
    def url(self) -> str:
        return self.recorder.url

    def close(self) -> None:
        self.recorder.close()

    def __enter__(self) -> EventStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the query side ----------------------------------------------------------------------

    def head(self, stream: str = DEFAULT_STREAM) -> Head:
        """Where a stream ends now."""
        return self.recorder.head(stream)

    def streams(self) -> dict[str, Head]:
        """Every stream with a record, and where it ends."""
        return self.recorder.streams()

    def position_of(self, stream: str, as_recorded: int | str | None) -> int:
        """The record position an as-recorded point names: a position, a time of recording, or None (now).

        Raises:
            InvalidValueError: not a position of the stream, or not a time.
        """
        head = self.recorder.head(stream)
        if as_recorded is None:
            return head.position
        if isinstance(as_recorded, int):
            if not 0 <= as_recorded <= head.position:
                raise InvalidValueError("as-recorded", f"a record position from 0 to {head.position}", as_recorded)
            return as_recorded
        return self.recorder.position_at(stream, parse_recorded(as_recorded))

    def view(
        self,
        stream: str = DEFAULT_STREAM,
        as_recorded: int | str | None = None,
        *,
        progress: Callable[[int], None] | None = None,
    ) -> View:
        """The stream's history as the record stands (or stood at a position or time of recording).

        Raises:
            StoreCorruptError: a stored record cannot be read back (run `legation verify`).
        """
        position = self.position_of(stream, as_recorded)
        cached = self._views.get(stream)
        head = self.recorder.head(stream)
        if cached is not None and position >= cached.position and _still(cached, self.recorder, stream):
            if position == cached.position:
                return cached
            base = cached
        else:
            base = _empty_view(stream)
        view = self._load(stream, base, position, progress)
        if position == head.position:
            self._views[stream] = view
        return view

    def _load(self, stream: str, base: View, position: int, progress: Callable[[int], None] | None) -> View:
        with paused_gc():
            return self._read_into(stream, base, position, progress)

    def _read_into(self, stream: str, base: View, position: int, progress: Callable[[int], None] | None) -> View:
        view = base
        batch: list[Record] = []
        for record in self.recorder.read(stream, after=base.position, upto=position):
            batch.append(record)
            if len(batch) >= _READ_BATCH:
                view = self._built(view, batch)
                if progress is not None:
                    progress(len(batch))
                batch = []
        view = self._built(view, batch)
        if progress is not None and batch:
            progress(len(batch))
        return view

    def _built(self, view: View, batch: list[Record]) -> View:
        where: int | None
        error: Exception
        try:
            return _build(view, batch)
        except _UnreadableRecord as unreadable:
            where, error = unreadable.position, unreadable.error
        except LogError as refused:
            found = view.entries.get(refused.event_id) if refused.event_id else None
            where, error = (found.first_position if found is not None else _culprit(batch, refused)), refused
        message = (
            f"{self.url}: stream {view.stream!r}: stored record {where} cannot be read back ({error}); "
            "run legation verify"
        )
        raise StoreCorruptError(message, view.stream, where)

    def scenario(self, stream: str = DEFAULT_STREAM, as_recorded: int | str | None = None) -> Scenario:
        """The stream's history as a `Scenario`, as a scenario file would give it."""
        return self.view(stream, as_recorded).scenario(f"{self.url}#{stream}")

    def history(
        self, stream: str = DEFAULT_STREAM, as_recorded: int | str | None = None, *, strict: bool = True
    ) -> History:
        """The stream's history folded and indexed for as-of queries (as `History(scenario.log)`)."""
        return History(self.view(stream, as_recorded).log, strict=strict)

    def records(self, stream: str = DEFAULT_STREAM, after: int = 0, upto: int | None = None):
        """The stream's records in position order (both times: when recorded, and the event's own date)."""
        return self.recorder.read(stream, after=after, upto=upto)

    # --- the command side --------------------------------------------------------------------

    def append(
        self,
        events: Iterable[Event],
        stream: str = DEFAULT_STREAM,
        *,
        expected: int | None = None,
        anomaly: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> AppendResult:
        """Record new events (see `record`)."""
        return self.record(
            [event_record(event, anomaly=anomaly) for event in events],
            stream,
            expected=expected,
            anomaly=anomaly,
            progress=progress,
        )

    def correct(
        self,
        events: Iterable[Event],
        stream: str = DEFAULT_STREAM,
        *,
        expected: int | None = None,
        anomaly: bool = False,
    ) -> AppendResult:
        """Record corrected versions of recorded events (same ids); the earlier records stay as they were."""
        records = [event_record(event, "correct", anomaly=anomaly) for event in events]
        return self.record(records, stream, expected=expected, anomaly=anomaly)

    def retract(
        self, event_ids: Iterable[str], stream: str = DEFAULT_STREAM, *, reason: str = "", expected: int | None = None
    ) -> AppendResult:
        """Record that events are withdrawn from the history; the earlier records stay as they were."""
        return self.record([retraction_record(event_id, reason) for event_id in event_ids], stream, expected=expected)

    def import_scenario(
        self,
        scenario: Scenario,
        stream: str = DEFAULT_STREAM,
        *,
        expected: int | None = None,
        anomaly: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> AppendResult:
        """Record a whole history (its header and actors, then its events in history order), all or nothing.

        Events recorded already with the same fields are skipped, so importing a file again adds only what is new.
        """
        meta = Meta(scenario.name, scenario.title, scenario.pair, scenario.description, scenario.declared_actors)
        current = self.view(stream)
        if current.meta_payload is not None:
            # The stream is a history already: it keeps its name, title and pair, and gains the file's actors.
            actors = {actor.code: actor for actor in current.meta.actors}
            actors.update((actor.code, actor) for actor in scenario.declared_actors)
            meta = attrs.evolve(current.meta, actors=tuple(actors.values()))
        records = [meta.record(), *(event_record(event, anomaly=anomaly) for event in scenario.log)]
        return self.record(records, stream, expected=expected, anomaly=anomaly, progress=progress)

    def record(
        self,
        records: Sequence[NewRecord],
        stream: str = DEFAULT_STREAM,
        *,
        expected: int | None = None,
        anomaly: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> AppendResult:
        """Append records after checking them against the stream's current history.

        The events the records leave must form a valid log, and fold (strictly) without a new impossible
        transition, unless `anomaly`, which keeps such transitions as anomalies of the history.

        Args:
            records: what to append, in order.
            stream: the stream.
            expected: the position the writer read the stream at; None means the position it is checked
                against here (so a concurrent writer in between still gets a conflict).
            anomaly: keep events the reducer finds impossible, as anomalies.
            progress: called with how many records were written after each batch.

        Raises:
            ImpossibleRecordError: an event the reducer refuses (and not `anomaly`); nothing is written.
            RecordRefusedError: a record breaks an id rule, or the events a log rule; nothing is written.
            ConflictError: the stream moved on from `expected`; nothing is written.
        """
        # No cycles are made here, and a collection would walk the whole held history: pause it (as the fold does).
        with paused_gc():
            return self._record(records, stream, expected, anomaly, progress)

    def _record(
        self,
        records: Sequence[NewRecord],
        stream: str,
        expected: int | None,
        anomaly: bool,
        progress: Callable[[int], None] | None,
    ) -> AppendResult:
        view = self.view(stream)
        kept = _kept(view, records)
        if kept:
            positions = range(view.position + 1, view.position + len(kept) + 1)
            planned = [
                Record(stream, at, r.operation, r.event_id, view.recorded_at, r.anomaly, r.payload, "", "")
                for at, r in zip(positions, kept, strict=True)
            ]
            try:
                events = {at: r.event for at, r in zip(positions, kept, strict=True) if r.event is not None}
                after = _build(view, planned, events)
            except LogError as error:
                raise RecordRefusedError(_log_rule(error), error.event_id) from None
            except InvalidValueError as error:
                raise RecordRefusedError(str(error)) from None
            known = set(view.world.anomalies)
            new = [found for found in after.world.anomalies if found not in known]
            if new and not anomaly:
                ids = list(dict.fromkeys(r.event_id for r in kept if r.event_id is not None))
                cause = None if new[0].event_id in ids else ", ".join(repr(event_id) for event_id in ids[:3])
                raise ImpossibleRecordError(new[0], cause)
        result = self.recorder.append(
            stream, records, view.position if expected is None else expected, progress=progress
        )
        if kept and result.start == view.position and result.head.position == after.position:
            self._views[stream] = attrs.evolve(after, hash=result.head.hash, recorded_at=result.head.recorded_at)
        else:
            self._views.pop(stream, None)
        return result


def _kept(view: View, records: Sequence[NewRecord]) -> list[NewRecord]:
    """The records that would change the stream (the recorder's own rules, applied to the view)."""
    latest: dict[str, Latest] = {}
    meta = None
    kept = []
    position = view.position
    for new in records:
        if new.operation == "meta":
            current = meta if meta is not None else view.meta_payload
            if new.payload != current:
                kept.append(new)
                meta = new.payload
            continue
        event_id = new.event_id or ""  # every record but a header names its event
        found = latest.get(event_id)
        if found is None and event_id in view.entries:
            found = view.entries[event_id].latest()
        if _keep(new, found, position + 1):
            position += 1
            kept.append(new)
            first = found.first_position if found is not None else position
            latest[event_id] = Latest(first, position, new.payload, new.operation == "retract")
    return kept


def _still(view: View, recorder: Recorder, stream: str) -> bool:
    """Whether the stream still has the record a cached view ends with (it is append-only: then it is a prefix)."""
    if view.position == 0:
        return True
    for record in recorder.read(stream, after=view.position - 1, upto=view.position):
        return record.hash == view.hash
    return False


def _log_rule(error: LogError) -> str:
    return error.rule if error.field is None else f"field {error.field!r}: {error.rule}"


def _culprit(batch: Sequence[Record], error: Exception) -> int | None:
    event_id = getattr(error, "event_id", None)
    for record in batch:
        if event_id is not None and record.event_id == event_id:
            return record.position
    return batch[0].position if batch else None


def event_from_toml(text: str) -> Event:
    """One event from a TOML snippet (the fields of an `[[events]]` table, `kind` among them)."""
    import tomli

    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        raise InvalidValueError("event", "a TOML table of fields", f"{text[:40]!r} ({error})") from None
    if isinstance(data.get("events"), list) and len(data) == 1 and len(data["events"]) == 1:
        data = data["events"][0]
    return event_from_dict(data)


__all__ = ["DEFAULT_STREAM", "EventStore", "ImpossibleRecordError", "LegationError", "View", "event_from_toml"]
