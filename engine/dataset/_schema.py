"""The versioned Arrow schema of a history: events as typed columns, and back to events, losslessly.

One row an event. What every event has is a column of its own: `seq` (its position in history order),
`id`, `kind` and the actors (dictionary-encoded: a few hundred codes), the date as its first and last
possible day plus the EDTF qualifiers, `sources` (the citations), `note` and `caused_by`. The fields of
the kinds share a few typed columns, one per sort of value, so that 40 kinds do not make 25 mostly-null
columns: every kind has at most one field of each sort, and `FIELD_COLUMNS` says which column holds which
field (checked for every kind when this module loads).

A decade or century is told from a month or a year by its span alone (`_date_of`): the span names one
EDTF date, so no precision column is needed; reading checks that the span is one a date can have.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import attrs
import pyarrow as pa

from events import EVENT_KINDS, DateInterval, Event, ImpreciseDate, LegationError, Precision, parse_date

SCHEMA_VERSION = 2
"""The version of the columnar schema this code writes and reads (kept in each file's metadata)."""
VERSION_KEY = b"legation.columnar_schema_version"
"""The schema-metadata key of that version in every file."""
EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()
"""Arrow's date32 counts days from 1970-01-01; a proleptic ordinal is that count plus this."""

DICTIONARY = pa.dictionary(pa.int32(), pa.string())
ACTOR_DICTIONARY = pa.dictionary(pa.int16(), pa.string())
"""Actor codes: up to 32,768 actors in one table (GDELT's and ICEWS's actor codes number a few thousand)."""
SMALL_DICTIONARY = pa.dictionary(pa.int8(), pa.string())

FIELD_COLUMNS: dict[str, str] = {
    # one enumerated choice a kind has
    "rank": "choice",
    "post": "choice",
    "decision": "choice",
    "how": "choice",
    "stance": "choice",
    "statement": "choice",
    # its first text: a person, place, agency, law, bloc code or quote
    "envoy": "text",
    "person": "text",
    "city": "text",
    "agency": "text",
    "law": "text",
    "leader": "text",
    "bloc": "text",
    "quote": "text",
    "question": "text",
    "name": "text",
    "winner": "text",
    "outcome": "text",
    "visitor": "text",
    "programme": "text",
    "list_name": "text",
    "government": "text",
    "protector": "text",
    "nominee": "text",
    "staff": "text",
    # its second text
    "successor": "text2",
    "region": "text2",
    "entity": "text2",
    # its third text (a sanction's or designation's legal basis)
    "basis": "text3",
    # its yes/no
    "persona_non_grata": "flag",
    "required": "flag",
    "rival": "flag",
    # its number
    "participants": "number",
    "count": "number",
    "cap": "number",
    # its list of texts, and a second one
    "successors": "codes",
    "scope": "codes",
    "persons": "codes",
    "positions": "codes2",
    # the rest: one kind each
    "results": "results",
}
"""The column that holds each kind-specific field (a kind uses each column for at most one field)."""

SCHEMA = pa.schema(
    [
        pa.field("seq", pa.int64(), nullable=False),
        pa.field("id", pa.string(), nullable=False),
        pa.field("kind", SMALL_DICTIONARY, nullable=False),
        pa.field("actor", ACTOR_DICTIONARY, nullable=False),
        pa.field("target", ACTOR_DICTIONARY),
        pa.field("first_day", pa.date32(), nullable=False),
        pa.field("last_day", pa.date32(), nullable=False),
        pa.field("uncertain", pa.bool_(), nullable=False),
        pa.field("approximate", pa.bool_(), nullable=False),
        # An EDTF interval (`1990-02-15/1990-12-31`, `1990/..`) as written: its span alone does not say which
        # ends it has (open, unknown or dated), so it is kept as text; null for every other date.
        pa.field("interval", pa.string()),
        pa.field("sources", pa.list_(pa.string()), nullable=False),
        pa.field("note", pa.string(), nullable=False),
        pa.field("caused_by", pa.list_(pa.string()), nullable=False),
        pa.field("choice", SMALL_DICTIONARY),
        pa.field("text", DICTIONARY),
        pa.field("text2", DICTIONARY),
        pa.field("text3", DICTIONARY),
        pa.field("flag", pa.bool_()),
        pa.field("number", pa.int64()),
        pa.field("codes", pa.list_(pa.string())),
        pa.field("codes2", pa.list_(pa.string())),
        pa.field("results", pa.list_(pa.struct([("answer", pa.string()), ("share", pa.float64())]))),
        # Fields of a kind that no typed column above holds (a kind with many fields of one sort, such as a
        # coded event's counts): a JSON object of them, null for kinds that need none.
        pa.field("extra", pa.string()),
    ],
    metadata={VERSION_KEY: str(SCHEMA_VERSION).encode()},
)
"""Schema version 2 (version 1 had no `text3` and `codes2`, and kept the fields of the kinds added since in
`extra`). Events sort by `seq`; within a file rows are in history order."""

_BASE = ("id", "date", "actor", "target", "sources", "note", "caused_by")
_SLOT_COLUMNS = ("choice", "text", "text2", "text3", "flag", "number", "codes", "codes2", "results")
EXTRA = "extra"
"""The column of the fields no typed column holds, as one JSON object per row."""


class ColumnarFormatError(LegationError, ValueError):
    """Columns that are not a history this code can read (wrong schema version, impossible value).

    The message names the file (or table), the row's event id where known, the column, what was
    expected and what was found.
    """


_COLUMN_HOLDS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("choice", "text", "text2", "text3"), frozenset({"str", "str | None"})),
    "flag": frozenset({"bool"}),
    "number": frozenset({"int", "int | None"}),
    **dict.fromkeys(("codes", "codes2"), frozenset({"tuple[str, ...]"})),
    "results": frozenset({"tuple[tuple[str, float], ...]"}),
}
"""The field annotations each typed column can hold (as the kinds' modules write them)."""
_LISTS = frozenset({"codes", "codes2"})


class UntypedFieldError(TypeError):
    """A field of a state-changing kind that no typed column can hold (raised when this module loads)."""


def _annotation(field: attrs.Attribute) -> str:
    return field.type if isinstance(field.type, str) else getattr(field.type, "__name__", repr(field.type))


def _kind_slots() -> dict[str, tuple[tuple[str, str], ...]]:
    """For each kind tag, its (field, column) pairs, derived from `attrs.fields` of each kind.

    A field goes to the column `FIELD_COLUMNS` names when that column holds its type and the kind has not
    used it yet; otherwise to `extra` (JSON), but only for kinds that change no state: the fold reads every
    field of a state-changing kind from a typed column, so such a field without one fails here, at import,
    rather than being dropped or read slowly.
    """
    slots = {}
    for tag, cls in EVENT_KINDS.items():
        pairs: list[tuple[str, str]] = []
        for field in attrs.fields(cls):
            if field.name in _BASE:
                continue
            column = FIELD_COLUMNS.get(field.name)
            annotation = _annotation(field)
            if column is not None and annotation not in _COLUMN_HOLDS[column]:
                raise UntypedFieldError(
                    f"{tag}.{field.name}: column {column!r} holds {sorted(_COLUMN_HOLDS[column])}, "
                    f"the field is {annotation}"
                )
            if column is None or column in (used for _, used in pairs):
                if cls.CHANGES_STATE:
                    raise UntypedFieldError(
                        f"{tag}.{field.name} ({annotation}): a state-changing kind's field needs a typed column of "
                        "its own in engine.dataset._schema.FIELD_COLUMNS"
                    )
                column = EXTRA  # kept as JSON: lossless for the texts, numbers, flags and lists fields hold
            pairs.append((field.name, column))
        slots[tag] = tuple(pairs)
    return slots


KIND_SLOTS = _kind_slots()
"""(field, column) of each kind's own fields, by tag."""
KIND_TAGS: tuple[str, ...] = tuple(EVENT_KINDS)
"""Every kind tag; a table's `kind` dictionary may hold any subset, in any order."""


def to_ordinal(day: datetime.date) -> int:
    """The proleptic ordinal of a day (what `datetime.date.toordinal` gives)."""
    return day.toordinal()


def events_to_table(events: Iterable[Event], *, start: int = 0) -> pa.Table:
    """The events as a table of `SCHEMA`, `seq` numbering them from `start` in the order given."""
    columns: dict[str, list[Any]] = {field.name: [] for field in SCHEMA}
    for seq, event in enumerate(events, start):
        date = event.date
        columns["seq"].append(seq)
        columns["id"].append(event.id)
        columns["kind"].append(event.KIND)
        columns["actor"].append(event.actor)
        columns["target"].append(event.target)
        columns["first_day"].append(date.earliest)
        columns["last_day"].append(date.latest)
        columns["uncertain"].append(date.uncertain)
        columns["approximate"].append(date.approximate)
        columns["interval"].append(str(date) if isinstance(date, DateInterval) else None)
        columns["sources"].append(list(event.sources))
        columns["note"].append(event.note)
        columns["caused_by"].append(list(event.caused_by))
        values = dict.fromkeys(_SLOT_COLUMNS)
        extra: dict[str, Any] = {}
        for field, column in KIND_SLOTS[event.KIND]:
            value = getattr(event, field)
            if column == EXTRA:
                extra[field] = list(value) if isinstance(value, tuple | frozenset) else value
                continue
            if column == "results":
                value = [{"answer": answer, "share": share} for answer, share in value]
            elif column in _LISTS:
                value = list(value)
            elif column == "number" and value is not None and not -(2**63) <= value < 2**63:
                detail = f"event {event.id!r}, field {field!r}: expected a 64-bit number, found {value}"
                raise ColumnarFormatError(detail)
            values[column] = value
        for column, value in values.items():
            columns[column].append(value)
        columns[EXTRA].append(json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else None)
    arrays = []
    for field in SCHEMA:
        listed = columns[field.name]
        if pa.types.is_dictionary(field.type):
            encoded = pa.array(listed, pa.string()).dictionary_encode()
            try:
                array = encoded.cast(field.type)
            except pa.ArrowInvalid:
                raise ColumnarFormatError(
                    f"column {field.name!r}: expected at most {2 ** (field.type.index_type.bit_width - 1)} "
                    f"distinct values in one table, found {len(encoded.dictionary)}"
                ) from None
        else:
            array = pa.array(listed, field.type)
        arrays.append(array)
    return pa.Table.from_arrays(arrays, schema=SCHEMA)


def check_version(schema: pa.Schema, where: str) -> None:
    """Refuse a table or file written by another schema version (or by something else).

    Raises:
        ColumnarFormatError: names `where`, the version expected and the one found.
    """
    found = (schema.metadata or {}).get(VERSION_KEY)
    if found is None:
        raise ColumnarFormatError(
            f"{where}: expected a legation history (columnar schema version {SCHEMA_VERSION}), "
            "found no legation schema version in its metadata"
        )
    if found != str(SCHEMA_VERSION).encode():
        shown = found.decode(errors="replace")
        raise ColumnarFormatError(f"{where}: expected columnar schema version {SCHEMA_VERSION}, found version {shown}")
    missing = [name for name in SCHEMA.names if name not in schema.names]
    if missing:
        detail = f"{where}: expected the columns of schema version {SCHEMA_VERSION}, missing {missing}"
        raise ColumnarFormatError(detail)


def conformed(table: pa.Table, where: str) -> pa.Table:
    """The table with exactly `SCHEMA`'s columns and types (Parquet may return other index widths).

    Raises:
        ColumnarFormatError: a column's type cannot be read as the schema's.
    """
    check_version(table.schema, where)
    arrays = []
    for field in SCHEMA:
        column = table.column(field.name)
        if column.type != field.type:
            try:
                column = column.cast(field.type)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
                raise ColumnarFormatError(
                    f"{where}: column {field.name!r}: expected {field.type}, found {column.type} ({error})"
                ) from None
        arrays.append(column)
    return pa.Table.from_arrays(arrays, schema=SCHEMA)


_DATES: dict[tuple[int, int, bool, bool], ImpreciseDate] = {}


def date_of(first: int, last: int, uncertain: bool, approximate: bool) -> ImpreciseDate:
    """The EDTF date whose span is first..last (ordinals), with its qualifiers (interned).

    Raises:
        ValueError: no date has that span.
    """
    key = (first, last, uncertain, approximate)
    found = _DATES.get(key)
    if found is None:
        found = _DATES[key] = _date_of(*key)
    return found


_MONTH_ENDS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _month_end(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _MONTH_ENDS[month - 1]


def _date_of(first: int, last: int, uncertain: bool, approximate: bool) -> ImpreciseDate:
    # Built without the validating constructor (a few microseconds instead of ~60; histories hold tens of
    # thousands of distinct dates), from a span checked here to be one an EDTF date has; the property
    # test `test_a_date_is_its_span_and_qualifiers` proves it equal to the constructor's date.
    start, end = datetime.date.fromordinal(first), datetime.date.fromordinal(last)
    year = start.year
    month = day = None
    if first == last:
        precision, month, day = Precision.DAY, start.month, start.day
    elif start.year == end.year and start.month == end.month:
        precision, month = Precision.MONTH, start.month
        sound = start.day == 1 and end.day == _month_end(end.year, end.month)
    elif start.year == end.year:
        precision = Precision.YEAR
        sound = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
    else:
        width = 10 if end.year - start.year < 10 else 100
        precision = Precision.DECADE if width == 10 else Precision.CENTURY
        year = end.year + 1 - width
        sound = (
            end.year % width == width - 1
            and start.year == max(year, 1)
            and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
        )
    if first != last and not sound:
        raise ValueError(f"{start}..{end} is not the span of a day, month, year, decade or century")
    date = object.__new__(ImpreciseDate)
    for name, value in (
        ("year", year),
        ("month", month),
        ("day", day),
        ("precision", precision),
        ("uncertain", uncertain),
        ("approximate", approximate),
        ("earliest", start),
        ("latest", end),
    ):
        object.__setattr__(date, name, value)
    return date


def _python_columns(table: pa.Table, names: Sequence[str]) -> list[list[Any]]:
    return [table.column(name).to_pylist() for name in names]


def table_to_events(table: pa.Table, where: str = "table") -> Iterator[Event]:
    """The events of a `SCHEMA` table, in its row order, each built (and validated) by its kind's class.

    Raises:
        ColumnarFormatError: an unknown kind, an impossible date span or a value the kind refuses;
            names `where`, the event id and the column.
    """
    table = conformed(table, where)
    names = [name for name in SCHEMA.names if name != "seq"]
    for row in zip(*_python_columns(table, names), strict=True):
        values = dict(zip(names, row, strict=True))
        event_id = values["id"]
        cls = EVENT_KINDS.get(values["kind"])
        if cls is None:
            raise ColumnarFormatError(
                f"{where}: event {event_id!r}, column 'kind': expected one of {', '.join(sorted(EVENT_KINDS))}, "
                f"found {values['kind']!r}"
            )
        first, last = values["first_day"], values["last_day"]
        try:
            if values["interval"] is not None:
                date = parse_date(values["interval"])
            else:
                date = date_of(first.toordinal(), last.toordinal(), values["uncertain"], values["approximate"])
        except ValueError as error:
            raise ColumnarFormatError(f"{where}: event {event_id!r}, columns 'first_day'/'last_day': {error}") from None
        fields: dict[str, Any] = {
            "id": event_id,
            "date": date,
            "actor": values["actor"],
            "target": values["target"],
            "sources": tuple(values["sources"]),
            "note": values["note"],
            "caused_by": tuple(values["caused_by"]),
        }
        extra = _extra_fields(values[EXTRA], where, event_id)
        for field, column in KIND_SLOTS[cls.KIND]:
            if column == EXTRA:
                if field in extra:
                    fields[field] = extra[field]
                continue
            value = values[column]
            if column == "results":
                value = tuple((item["answer"], item["share"]) for item in value or ())
            elif column in _LISTS:
                value = tuple(value or ())
            if value is None and column in ("flag",):
                raise ColumnarFormatError(
                    f"{where}: event {event_id!r}, column {column!r}: expected true or false, found null"
                )
            fields[field] = value
        try:
            yield cls(**fields)
        except LegationError as error:
            raise ColumnarFormatError(f"{where}: event {event_id!r}: {error}") from None
        except (TypeError, ValueError) as error:
            raise ColumnarFormatError(f"{where}: event {event_id!r}: {cls.KIND} fields refused ({error})") from None


def _extra_fields(text: str | None, where: str, event_id: str) -> dict[str, Any]:
    """The fields of the `extra` column (a JSON object, or null for none)."""
    if text is None:
        return {}
    try:
        found = json.loads(text)
    except ValueError:
        found = None
    if not isinstance(found, dict):
        raise ColumnarFormatError(
            f"{where}: event {event_id!r}, column 'extra': expected a JSON object, found {text!r}"
        )
    return {name: tuple(value) if isinstance(value, list) else value for name, value in found.items()}
