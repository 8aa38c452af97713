"""Stored records: what a store keeps for each change to a history, its bytes, and the hash chaining them."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

import attrs

from events import Actor, Event, ImpreciseDate, InvalidValueError, event_from_dict, event_to_dict

OPERATIONS = ("meta", "event", "correct", "retract")
"""What a record does: set the history's header and actors; record an event; replace an event's fields
(same id); retract an event. Records are only ever added: a correction or retraction supersedes."""
GENESIS_HASH = "0" * 64
"""The previous hash of a stream's first record."""
SCHEMA_VERSION = 1
"""The version of the store's tables (kept in the store; a newer one is refused)."""


@attrs.frozen
class NewRecord:
    """A record to append: its operation, the event id it is about, its payload (JSON text), and the anomaly flag."""

    operation: str = attrs.field(validator=attrs.validators.in_(OPERATIONS))
    event_id: str | None
    payload: str
    anomaly: bool = False
    event: Event | None = attrs.field(default=None, eq=False, repr=False)
    """The event the payload encodes, when the record was made from one (not stored: spares decoding it again)."""


@attrs.frozen
class Record:
    """A stored record: a `NewRecord` with its stream, position, time of recording and hashes."""

    stream: str
    position: int
    """1 for a stream's first record, then one more for each record; never reused."""
    operation: str
    event_id: str | None
    recorded_at: str
    """When the store recorded it (UTC, `2026-11-30T15:54:01.123456Z`); never earlier than the record before."""
    anomaly: bool
    """The writer asked to keep an event the reducer finds impossible, as an anomaly."""
    payload: str
    previous_hash: str
    hash: str

    def chained_hash(self) -> str:
        """The hash this record should carry, given its previous hash (see `record_hash`)."""
        return record_hash(
            self.previous_hash,
            self.stream,
            self.position,
            self.operation,
            self.event_id,
            self.recorded_at,
            self.anomaly,
            self.payload,
        )


def record_hash(
    previous_hash: str,
    stream: str,
    position: int,
    operation: str,
    event_id: str | None,
    recorded_at: str,
    anomaly: bool,
    payload: str,
) -> str:
    """SHA-256 (hex) of the previous record's hash and every field of this one, each prefixed by its length.

    The hashed text is `previous_hash` then, for each of stream, position, operation, event id ("" for
    none), time of recording, anomaly ("1" or "0") and payload, its length in characters, ":", and the
    field itself: no field can run into the next. The position and stream are inside, so a record moved,
    swapped or copied to another place no longer matches.
    """
    fields = (stream, str(position), operation, event_id or "", recorded_at, "1" if anomaly else "0", payload)
    body = "".join(f"{len(field)}:{field}" for field in fields)
    return hashlib.sha256(f"{previous_hash}{body}".encode()).hexdigest()


def now_text() -> str:
    """The current UTC time in the stored form."""
    return time_text(datetime.datetime.now(datetime.UTC))


def time_text(moment: datetime.datetime) -> str:
    """A time in the stored form (UTC, microseconds, `Z`); sorting the texts sorts the times."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_recorded(text: str) -> str:
    """A time of recording as the user writes it (a date, or an ISO 8601 time; UTC unless it says), stored form.

    A bare date means the end of that day: "as the record stood on 2026-11-30" includes that day's records.

    Raises:
        InvalidValueError: not a date or time.
    """
    try:
        if len(text) == 10:
            day = datetime.date.fromisoformat(text)
            return time_text(datetime.datetime.combine(day, datetime.time.max, tzinfo=datetime.UTC))
        return time_text(datetime.datetime.fromisoformat(text))
    except ValueError:
        expected = "a date or time of recording such as 2026-11-30 or 2026-11-30T15:54:01Z (UTC unless it says)"
        raise InvalidValueError("as-recorded", expected, text) from None


# --- payloads: the one JSON encoding of events that the files' dict form gives ---------------------------


def encode(data: dict[str, Any]) -> str:
    """The stored text of a payload: compact JSON, keys in the order given, non-ASCII kept."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def event_payload(event: Event) -> str:
    """An event's stored text: `event_to_dict` (the same dict the TOML and JSON Lines files hold) as JSON."""
    return encode(event_to_dict(event))


def event_record(event: Event, operation: str = "event", anomaly: bool = False) -> NewRecord:
    """A record of an event (or, with operation "correct", of an event's corrected fields)."""
    return NewRecord(operation, event.id, event_payload(event), anomaly, event)


def retraction_record(event_id: str, reason: str = "") -> NewRecord:
    """A record retracting an event (the reason, if given, is kept with it)."""
    return NewRecord("retract", event_id, encode({"reason": reason} if reason else {}))


@attrs.frozen
class Meta:
    """A history's header: what a scenario file's `[scenario]` table and `[[actors]]` hold."""

    name: str = "history"
    title: str = ""
    pair: tuple[str, str] | None = None
    description: str = ""
    actors: tuple[Actor, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The header as a plain dict (the shape of a scenario file's top level, without events)."""
        scenario: dict[str, Any] = {"name": self.name}
        if self.title:
            scenario["title"] = self.title
        if self.pair is not None:
            scenario["pair"] = list(self.pair)
        if self.description:
            scenario["description"] = self.description
        document: dict[str, Any] = {"scenario": scenario}
        if self.actors:
            document["actors"] = [actor.to_dict() for actor in self.actors]
        return document

    @classmethod
    def from_dict(cls, document: dict[str, Any]) -> Meta:
        """The header from its plain-dict form.

        Raises:
            InvalidValueError: a field the header does not have, or a value it refuses.
        """
        if not isinstance(document, dict):
            raise InvalidValueError("meta", "a table with scenario and actors", document)
        for key in document:
            if key not in ("scenario", "actors", "schema_version"):
                raise InvalidValueError(key, "one of scenario, actors", key)
        scenario = document.get("scenario", {})
        if not isinstance(scenario, dict):
            raise InvalidValueError("scenario", "a table", scenario)
        pair = scenario.get("pair")
        if pair is not None:
            if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(code, str) for code in pair)):
                raise InvalidValueError("pair", "two actor codes", pair)
            pair = (pair[0], pair[1])
        actors = document.get("actors", [])
        if not isinstance(actors, list):
            raise InvalidValueError("actors", "a list of actors", actors)
        return cls(
            name=str(scenario.get("name", "history")),
            title=str(scenario.get("title", "")),
            pair=pair,
            description=str(scenario.get("description", "")),
            actors=tuple(_actor_from_dict(row) for row in actors),
        )

    def record(self) -> NewRecord:
        """The record that sets this header."""
        return NewRecord("meta", None, encode(self.to_dict()))


def _actor_from_dict(row: object) -> Actor:
    if (
        not isinstance(row, dict)
        or not {"code", "name"} <= set(row)
        or not set(row)
        <= {
            "code",
            "name",
            "cow",
            "start",
            "end",
        }
    ):
        raise InvalidValueError("actors", "a table with code, name and optionally cow, start, end", row)
    dates: dict[str, ImpreciseDate] = {}
    for key in ("start", "end"):
        if key in row:
            date = ImpreciseDate.parse(row[key])
            if not isinstance(date, ImpreciseDate):  # an interval: an actor's existence is bounded by dates
                raise InvalidValueError(f"actors.{key}", "an EDTF date (not an interval)", row[key])
            dates[key] = date
    return Actor(code=row["code"], name=row["name"], cow=row.get("cow"), **dates)


def decode_payload(record: Record) -> dict[str, Any]:
    """A record's payload as a dict.

    Raises:
        InvalidValueError: the payload is not a JSON object.
    """
    try:
        data = json.loads(record.payload)
    except (json.JSONDecodeError, TypeError) as error:
        raise InvalidValueError("payload", "a JSON object", f"{record.payload[:40]!r}... ({error})") from None
    if not isinstance(data, dict):
        raise InvalidValueError("payload", "a JSON object", data)
    return data


def decode_event(record: Record) -> Event:
    """The event an `event` or `correct` record holds.

    Raises:
        InvalidValueError: the payload is not an event, or its id is not the record's.
    """
    event = event_from_dict(decode_payload(record))
    if event.id != record.event_id:
        raise InvalidValueError("id", f"the record's event id {record.event_id!r}", event.id)
    return event
