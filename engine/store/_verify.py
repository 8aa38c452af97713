"""Checking a stream's hash chain: every record where it should be, unchanged, and readable."""

from __future__ import annotations

import attrs

from engine.store._recorder import Recorder
from engine.store._records import GENESIS_HASH, OPERATIONS, Meta, Record, decode_event, decode_payload
from events import InvalidValueError


@attrs.frozen
class Verdict:
    """What `verify` found in one stream."""

    stream: str
    records: int
    """How many records it read."""
    head_position: int
    head_hash: str
    """The last good record's position and hash (what a published answer cites)."""
    bad_position: int | None = None
    """The first position at which the record is not what the chain says (None: the stream is sound)."""
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.bad_position is None

    def __str__(self) -> str:
        if self.ok:
            head = f"head {self.head_position} {self.head_hash}"
            return f"stream {self.stream!r}: {self.records} records, chain intact; {head}"
        return f"stream {self.stream!r}: record {self.bad_position}: {self.problem}"


def verify_stream(recorder: Recorder, stream: str) -> Verdict:
    """Walk a stream's records in position order, recomputing the chain; stop at the first bad position."""
    expected_position, previous, last_time = 1, GENESIS_HASH, ""
    count = 0

    def bad(position: int, problem: str) -> Verdict:
        return Verdict(stream, count, expected_position - 1, previous, position, problem)

    for record in recorder.read(stream):
        if record.position != expected_position:
            return bad(
                expected_position, f"missing (the next record found is {record.position}): removed or renumbered"
            )
        if record.previous_hash != previous:
            return bad(
                record.position,
                "does not follow the record before it (its previous hash differs): a record was removed, inserted or "
                "reordered here",
            )
        if record.chained_hash() != record.hash:
            return bad(record.position, "its contents do not match its hash: altered after it was recorded")
        if record.recorded_at < last_time:
            return bad(record.position, f"recorded at {record.recorded_at}, before the record before it ({last_time})")
        problem = _unreadable(record)
        if problem:
            return bad(record.position, problem)
        count += 1
        expected_position, previous, last_time = record.position + 1, record.hash, record.recorded_at
    head = recorder.head(stream)
    if head.position > count:
        return bad(count + 1, f"missing: the stream's head says {head.position} records, found {count} (removed)")
    if head.position < count or (count and head.hash != previous):
        position = min(head.position + 1, count)
        return bad(
            position, f"not in the stream's head (which says {head.position} records ending in {head.hash[:12]}…)"
        )
    return Verdict(stream, count, count, previous)


def _unreadable(record: Record) -> str:
    """What keeps a (hash-sound) record from being read back, or "" (a record written by a bug or forged)."""
    if record.operation not in OPERATIONS:
        return f"unknown operation {record.operation!r}"
    try:
        if record.operation in ("event", "correct"):
            decode_event(record)
        elif record.operation == "meta":
            Meta.from_dict(decode_payload(record))
        else:
            decode_payload(record)
    except InvalidValueError as error:
        return f"its payload cannot be read back ({error})"
    return ""


def verify(recorder: Recorder, stream: str | None = None) -> list[Verdict]:
    """Check one stream, or every stream the store holds (records of a stream it does not list included)."""
    names = [stream] if stream is not None else sorted(set(recorder.streams()) | set(recorder.stream_names()))
    return [verify_stream(recorder, name) for name in names]
