"""The recorder: what every backend offers (streams of records, appended atomically), and the append rules.

A recorder knows records, event ids and bytes, never the reducer: checking that an event can happen is the
application's work (`engine.store.EventStore`). What it enforces itself, inside the write transaction:
- optimistic concurrency: an append names the position it expects the stream to end at, and a stale one
  is refused with both positions (`ConflictError`), writing nothing;
- idempotency: a record that would change nothing (an event already recorded with the same bytes, a
  correction to what the event already is, a second retraction) is skipped, so a retried append does not
  duplicate; an event id used again with other fields, a correction or retraction of an unknown or
  retracted event are refused (`RecordRefusedError`);
- the hash chain: each record's hash covers the previous one's and every field of its own;
- times of recording that never go backwards within a stream.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from itertools import islice

import attrs

from engine.store._errors import ConflictError, RecordRefusedError
from engine.store._records import GENESIS_HASH, NewRecord, Record, now_text, record_hash

BATCH = 2000
"""Records written (and read) per round trip to the database."""


@attrs.frozen
class Head:
    """Where a stream ends: its last position (0 when empty), that record's hash and time of recording."""

    position: int = 0
    hash: str = GENESIS_HASH
    recorded_at: str = ""


@attrs.frozen
class AppendResult:
    """What an append did."""

    stream: str
    start: int
    """The position the stream ended at before."""
    head: Head
    """Where it ends now."""
    written: int
    """Records written (the positions `start + 1` to `head.position`)."""
    skipped: int
    """Records skipped because they were recorded already (a retried append)."""


@attrs.frozen
class Latest:
    """What the store holds for one event id: its current bytes, or its retraction."""

    first_position: int
    position: int
    """The position of the record that made it what it is (its recording, last correction or retraction)."""
    payload: str
    retracted: bool


def fold_latest(found: dict[str, Latest], event_id: str, position: int, operation: str, payload: str) -> None:
    """Fold one more record of an event id (read in position order) into what the store holds for it."""
    before = found.get(event_id)
    first = before.first_position if before is not None else position
    found[event_id] = Latest(first, position, payload, operation == "retract")


class Transaction(abc.ABC):
    """One write transaction of a backend, holding the stream's write lock while it lasts."""

    @abc.abstractmethod
    def head(self, stream: str) -> Head:
        """Where the stream ends (an empty `Head` for a new stream), locked against other writers."""

    @abc.abstractmethod
    def latest(self, stream: str, event_ids: Sequence[str]) -> dict[str, Latest]:
        """What the stream holds for each of these ids (absent ids are left out)."""

    @abc.abstractmethod
    def latest_meta(self, stream: str) -> str | None:
        """The payload of the stream's last `meta` record, if any."""

    @abc.abstractmethod
    def insert(self, records: Sequence[Record]) -> None:
        """Add these records (consecutive positions of one stream)."""

    @abc.abstractmethod
    def set_head(self, stream: str, head: Head) -> None:
        """Record where the stream now ends."""


class Recorder(abc.ABC):
    """A store's database: named streams of records, appended atomically and read in position order."""

    url: str
    """Where the store is (with any password left out), for messages."""

    @abc.abstractmethod
    def _transaction(self) -> AbstractContextManager[Transaction]:
        """A write transaction: committed when the block ends, rolled back (nothing written) if it raises."""

    @abc.abstractmethod
    def head(self, stream: str) -> Head:
        """Where a stream ends (an empty `Head` when it has no record)."""

    @abc.abstractmethod
    def streams(self) -> dict[str, Head]:
        """Every stream and where it ends."""

    @abc.abstractmethod
    def stream_names(self) -> list[str]:
        """Every stream some record names (as stored, whatever the streams' table says)."""

    @abc.abstractmethod
    def read(self, stream: str, after: int = 0, upto: int | None = None) -> Iterator[Record]:
        """The stream's records with positions after `after` (and up to `upto`), in position order."""

    @abc.abstractmethod
    def position_at(self, stream: str, recorded_at: str) -> int:
        """The last position recorded at or before a time (stored form); 0 if none was."""

    @abc.abstractmethod
    def close(self) -> None:
        """Let go of the database."""

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def append(
        self,
        stream: str,
        records: Iterable[NewRecord],
        expected: int | None = None,
        *,
        progress: Callable[[int], None] | None = None,
    ) -> AppendResult:
        """Append records to a stream, all or none, in one transaction (written `BATCH` at a time).

        Args:
            stream: the stream's name (created by its first append).
            records: what to append, in order.
            expected: the position the writer expects the stream to end at; None appends wherever it ends.
            progress: called with the count of records handled after each batch (for a progress bar).

        Raises:
            ConflictError: the stream ends elsewhere than `expected` (and something would be written).
            RecordRefusedError: a record breaks an id rule; nothing is written.
            StoreError: the database refused the write (full, read-only, gone); nothing is written.
        """
        if not stream:
            raise RecordRefusedError("a stream needs a name")
        iterator = iter(records)
        with self._transaction() as transaction:
            head = start_head = transaction.head(stream)
            time = max(now_text(), head.recorded_at)
            known: dict[str, Latest] = {}
            meta = transaction.latest_meta(stream)
            written = skipped = 0
            while chunk := list(islice(iterator, BATCH)):
                missing = [r.event_id for r in chunk if r.event_id is not None and r.event_id not in known]
                if missing:
                    known.update(transaction.latest(stream, list(dict.fromkeys(missing))))
                rows: list[Record] = []
                for new in chunk:
                    if new.operation == "meta":
                        keep = new.payload != meta
                        meta = new.payload if keep else meta
                    else:
                        latest = known.get(new.event_id) if new.event_id is not None else None
                        keep = _keep(new, latest, head.position + len(rows) + 1)
                    if not keep:
                        skipped += 1
                        continue
                    if expected is not None and expected != start_head.position:
                        raise ConflictError(stream, expected, start_head.position)
                    previous = rows[-1].hash if rows else head.hash
                    position = head.position + len(rows) + 1
                    digest = record_hash(
                        previous, stream, position, new.operation, new.event_id, time, new.anomaly, new.payload
                    )
                    rows.append(
                        Record(
                            stream,
                            position,
                            new.operation,
                            new.event_id,
                            time,
                            new.anomaly,
                            new.payload,
                            previous,
                            digest,
                        )
                    )
                    if new.event_id is not None:
                        first = known[new.event_id].first_position if new.event_id in known else position
                        known[new.event_id] = Latest(first, position, new.payload, new.operation == "retract")
                if rows:
                    transaction.insert(rows)
                    written += len(rows)
                    head = Head(rows[-1].position, rows[-1].hash, time)
                if progress is not None:
                    progress(len(chunk))
            if written:
                transaction.set_head(stream, head)
        return AppendResult(stream, start_head.position, head, written, skipped)


def _keep(new: NewRecord, latest: Latest | None, position: int) -> bool:
    """Whether a record changes the stream (True) or was recorded already (False); raises if it breaks a rule."""
    event_id = new.event_id
    if new.operation == "event":
        if latest is None:
            return True
        if latest.retracted:
            rule = f"was retracted at position {latest.position}; a retracted id is not used again"
            raise RecordRefusedError(rule, event_id)
        if latest.payload == new.payload:
            return False
        rule = (
            f"is recorded already (position {latest.first_position}) with other fields: "
            "to change it, record a correction"
        )
        raise RecordRefusedError(rule, event_id)
    if latest is None:
        raise RecordRefusedError(f"no event with this id is recorded, so it cannot be {_DONE[new.operation]}", event_id)
    if new.operation == "retract":
        return not latest.retracted
    if latest.retracted:
        raise RecordRefusedError(f"was retracted at position {latest.position}, so it cannot be corrected", event_id)
    return latest.payload != new.payload


_DONE = {"correct": "corrected", "retract": "retracted"}
