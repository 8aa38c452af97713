"""CAMEO-coded event data (GDELT 1.0 and 2.0, ICEWS, a CSV with named columns) into a history of typed events."""

from __future__ import annotations

import csv
import datetime
import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import tomli

from engine.core._reducer import apply_to_pair, fold
from engine.core._state import PairState, initial_pair
from engine.importers._common import DATA_DIR, ImportFormatError, ImportReport, bounded_lines, open_text
from engine.importers.actors import ActorResolver
from events import CodedEvent, Event, Log, Scenario, builtin_actors, kind_class, pair_of

FORMATS = ("gdelt1", "gdelt2", "icews", "csv")
DEDUP_MODES = ("none", "day", "month")
"""How many reports of one event become one: none (every row an event), day (one event per day, source,
target and code, counts summed) or month (the same per month, dated to the month)."""
IMPOSSIBLE_POLICIES = ("keep", "record", "error")
"""What a mapped event the state makes impossible becomes: kept (the lenient fold reports the anomaly),
recorded as a coded_event (and reported), or an error naming the line."""

GDELT1_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
    "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)  # fmt: skip
"""GDELT 1.0 event export columns (daily files from April 2013; the 1979-2013 back files lack SOURCEURL)."""
GDELT2_COLUMNS = tuple(
    column
    for name in GDELT1_COLUMNS
    for column in ((name, name.replace("ADM1Code", "ADM2Code")) if name.endswith("ADM1Code") else (name,))
)
"""GDELT 2.0 event export columns: 1.0's, with an ADM2Code after each ADM1Code (61 in all)."""
ICEWS_REQUIRED = ("Event Date", "Source Country", "Target Country", "CAMEO Code")
"""The ICEWS columns the importer needs (the header names them; the order may vary)."""
CSV_COLUMNS = {
    "date": "date",
    "actor": "actor",
    "target": "target",
    "code": "code",
    "goldstein": "goldstein",
    "url": "url",
    "mentions": "mentions",
    "sources": "sources",
    "articles": "articles",
    "id": "id",
}
"""The generic CSV's columns, by role: the first four are required, the rest optional. Rename with `columns`."""


@functools.cache
def codebook() -> dict[str, str]:
    """CAMEO event code -> description, from the shipped `CAMEO.eventcodes.txt`."""
    return dict(_tab_rows("CAMEO.eventcodes.txt"))


@functools.cache
def goldstein_weights() -> dict[str, float]:
    """CAMEO event code -> Goldstein weight, from the shipped `CAMEO.goldsteinscale.txt`."""
    return {code: float(weight) for code, weight in _tab_rows("CAMEO.goldsteinscale.txt")}


def _tab_rows(name: str) -> Iterator[tuple[str, str]]:
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        code, value = line.split("\t")
        yield code, value


@attrs.frozen
class Mapping_:
    """How one CAMEO code becomes an event (see `data/cameo_kinds.toml`)."""

    code: str
    kinds: tuple[str, ...]
    fields: Mapping[str, object] = attrs.field(factory=dict)
    swap: bool = False
    programme_in_force: bool = False
    """The event names the sanctions programme the actor has in force on the target (see `_programme_in_force`)."""
    why: str = ""


@functools.cache
def cameo_mapping() -> dict[str, Mapping_]:
    """The shipped mapping table, by code; every kind it names is checked to exist."""
    document = tomli.loads((DATA_DIR / "cameo_kinds.toml").read_text(encoding="utf-8"))
    table = {}
    for code, entry in document["codes"].items():
        mapped = Mapping_(
            code,
            tuple(entry.get("kinds", ())),
            dict(entry.get("fields", {})),
            bool(entry.get("swap", False)),
            bool(entry.get("programme_in_force", False)),
            entry.get("why", ""),
        )
        for tag in mapped.kinds:
            kind_class(tag)  # an unknown kind is a broken table: fail on load, not on a row
        table[code] = mapped
    return table


def mapping_for(code: str, table: Mapping[str, Mapping_] | None = None) -> Mapping_ | None:
    """The entry for a code: the code itself, else its first three digits, else its first two."""
    table = cameo_mapping() if table is None else table
    for length in (len(code), 3, 2):
        found = table.get(code[:length])
        if found is not None:
            return found
    return None


@attrs.frozen
class CameoRecord:
    """One row of event data, read and checked: who did what to whom, when, and how widely it was reported."""

    line: int
    row_id: str
    day: datetime.date
    actor: str
    target: str
    code: str
    goldstein: float | None
    url: str | None
    mentions: int | None
    source_count: int | None
    articles: int | None
    reports: int = 1


@attrs.frozen
class CameoOptions:
    """How an event-data file is read and turned into events."""

    dedup: str = attrs.field(default="day", validator=attrs.validators.in_(DEDUP_MODES))
    impossible: str = attrs.field(default="keep", validator=attrs.validators.in_(IMPOSSIBLE_POLICIES))
    prefer_break: bool = False
    """For 161 (reduce or break relations): prefer the break over the recall."""
    unknown_actors: str = attrs.field(default="error", validator=attrs.validators.in_(("error", "skip")))
    """A country that resolves to no actor: an error naming the line, or the row skipped and counted."""
    overrides: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    """Code -> kinds, replacing the table's kinds for that code (empty: record only)."""
    columns: Mapping[str, str] = attrs.field(factory=dict)
    """For the generic CSV: role -> column name, overriding `CSV_COLUMNS`."""
    delimiter: str = ","


@attrs.frozen
class CameoImport:
    """The imported history and its report."""

    scenario: Scenario
    report: ImportReport


# --- Reading rows ----------------------------------------------------------------------------


def _number(text: str, kind: type, path: str, line: int, field: str) -> float | int | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = kind(text)
    except ValueError:
        expected = "a whole number" if kind is int else "a number"
        raise ImportFormatError(path, line, field, expected, text) from None
    if kind is int and value < 0:
        raise ImportFormatError(path, line, field, "a whole number from 0", text)
    return value


def _count(text: str, path: str, line: int, field: str) -> int | None:
    value = _number(text, int, path, line, field)
    return None if value is None else int(value)


def _day(text: str, path: str, line: int, field: str, compact: bool) -> datetime.date:
    text = text.strip()
    try:
        if compact:
            if len(text) != 8 or not text.isdigit():
                raise ValueError
            return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        return datetime.date.fromisoformat(text)
    except ValueError:
        expected = "a date YYYYMMDD" if compact else "a date YYYY-MM-DD"
        raise ImportFormatError(path, line, field, expected, text) from None


def _code(text: str, path: str, line: int, field: str) -> str:
    code = text.strip()
    if code.isdigit() and len(code) == 2 and code not in codebook() and "0" + code in codebook():
        code = "0" + code  # some exports drop the leading zero of 0xx codes (43 for 043)
    if code not in codebook():
        raise ImportFormatError(path, line, field, "a CAMEO event code of the codebook (such as 043 or 161)", text)
    return code


class _RowReader:
    """Turns a data row's fields into a `CameoRecord`, resolving actors (None for rows that name no two states)."""

    def __init__(self, path: str, resolver: ActorResolver, options: CameoOptions, report: ImportReport) -> None:
        self.path, self.resolver, self.options, self.report = path, resolver, options, report

    def record(
        self,
        line: int,
        row_id: str,
        day: datetime.date,
        actor_text: str,
        target_text: str,
        code: str,
        goldstein: float | None,
        url: str | None,
        counts: tuple[int | None, int | None, int | None],
        fields: tuple[str, str],
    ) -> CameoRecord | None:
        if not actor_text.strip() or not target_text.strip():
            self.report.count("rows without two countries")
            return None
        sides = []
        for text, field in zip((actor_text, target_text), fields, strict=True):
            actor = self.resolver.resolve(text)
            if actor is None:
                if self.options.unknown_actors == "error":
                    raise ImportFormatError(
                        self.path, line, field, "a state: a CAMEO, ISO or COW code or a country name", text
                    )
                self.report.count("rows with an unknown country")
                return None
            sides.append(actor.code)
        if sides[0] == sides[1]:
            self.report.count("rows within one country")
            return None
        if goldstein is not None and not -10 <= goldstein <= 10:
            raise ImportFormatError(self.path, line, "goldstein", "a Goldstein weight from -10 to 10", goldstein)
        return CameoRecord(line, row_id, day, sides[0], sides[1], code, goldstein, url or None, *counts)


def _gdelt_records(
    lines: Iterable[tuple[int, str]], path: str, reader: _RowReader, version: int
) -> Iterator[CameoRecord]:
    columns = GDELT1_COLUMNS if version == 1 else GDELT2_COLUMNS
    index = {name: position for position, name in enumerate(columns)}
    allowed = {len(columns)} if version == 2 else {len(columns), len(columns) - 1}
    expected_count = " or ".join(str(count) for count in sorted(allowed))
    for line, text in lines:
        if not text.strip():
            continue
        fields = text.split("\t")
        if len(fields) not in allowed:
            what = f"{expected_count} tab-separated fields (GDELT {version}.0 event export)"
            raise ImportFormatError(path, line, None, what, len(fields))
        reader.report.rows += 1

        def get(name: str, fields: list[str] = fields) -> str:
            position = index[name]
            return fields[position] if position < len(fields) else ""

        day = _day(get("SQLDATE"), path, line, "SQLDATE", compact=True)
        code = _code(get("EventCode"), path, line, "EventCode")
        goldstein = _number(get("GoldsteinScale"), float, path, line, "GoldsteinScale")
        counts = (
            _count(get("NumMentions"), path, line, "NumMentions"),
            _count(get("NumSources"), path, line, "NumSources"),
            _count(get("NumArticles"), path, line, "NumArticles"),
        )
        record = reader.record(
            line,
            f"GDELT {version}.0 event {get('GLOBALEVENTID').strip()}",
            day,
            get("Actor1CountryCode"),
            get("Actor2CountryCode"),
            code,
            goldstein,
            get("SOURCEURL").strip(),
            counts,
            ("Actor1CountryCode", "Actor2CountryCode"),
        )
        if record is not None:
            yield record


def _header_records(
    lines: Iterable[tuple[int, str]],
    path: str,
    reader: _RowReader,
    split,
    required: dict[str, str],
    optional: dict[str, str],
    compact_dates: bool,
    label: str,
) -> Iterator[CameoRecord]:
    index: dict[str, int] | None = None
    width = 0
    for line, text in lines:
        if not text.strip():
            continue
        fields = split(text, path, line)
        if index is None:
            names = [name.strip() for name in fields]
            missing = [column for column in required.values() if column not in names]
            if missing:
                raise ImportFormatError(
                    path, line, missing[0], f"a header naming the columns {', '.join(required.values())}", text
                )
            index, width = {name: position for position, name in enumerate(names)}, len(names)
            continue
        if len(fields) != width:
            raise ImportFormatError(path, line, None, f"{width} fields, as in the header", len(fields))
        reader.report.rows += 1

        def get(role: str, fields: list[str] = fields, index: dict[str, int] = index) -> str:
            column = required.get(role) or optional.get(role)
            position = index.get(column) if column else None
            return fields[position] if position is not None else ""

        day = _day(get("date"), path, line, required["date"], compact=compact_dates)
        code = _code(get("code"), path, line, required["code"])
        goldstein = _number(get("goldstein"), float, path, line, optional.get("goldstein", "goldstein"))
        counts = (
            _count(get("mentions"), path, line, optional.get("mentions", "mentions")),
            _count(get("sources"), path, line, optional.get("sources", "sources")),
            _count(get("articles"), path, line, optional.get("articles", "articles")),
        )
        row_id = get("id").strip() or f"line {line}"
        record = reader.record(
            line,
            f"{label} {row_id}",
            day,
            get("actor"),
            get("target"),
            code,
            goldstein,
            get("url").strip(),
            counts,
            (required["actor"], required["target"]),
        )
        if record is not None:
            yield record
    if index is None:
        raise ImportFormatError(path, 1, None, "a header line", "an empty file")  # an editor shows line 1


def _tabs(text: str, path: str, line: int) -> list[str]:
    return text.split("\t")


def _csv_splitter(delimiter: str):
    def split(text: str, path: str, line: int) -> list[str]:
        try:
            return next(csv.reader([text], delimiter=delimiter, strict=True))
        except csv.Error as error:
            raise ImportFormatError(path, line, None, "a CSV line", str(error)) from None
        except StopIteration:
            return []

    return split


def read_records(lines: Iterable[tuple[int, str]], fmt: str, path: str, reader: _RowReader) -> Iterator[CameoRecord]:
    """The records of an event-data file of format `fmt` (one of `FORMATS`), one at a time."""
    if fmt in ("gdelt1", "gdelt2"):
        yield from _gdelt_records(_noting_start(lines, path), path, reader, 1 if fmt == "gdelt1" else 2)
        return
    if fmt == "icews":
        required = {
            "date": "Event Date",
            "actor": "Source Country",
            "target": "Target Country",
            "code": "CAMEO Code",
        }
        optional = {"goldstein": "Intensity", "id": "Event ID", "url": "Publisher"}
        yield from _header_records(lines, path, reader, _tabs, required, optional, False, "ICEWS event")
        return
    if fmt == "csv":
        names = {**CSV_COLUMNS, **reader.options.columns}
        required = {role: names[role] for role in ("date", "actor", "target", "code")}
        optional = {role: names[role] for role in names if role not in required}
        yield from _header_records(
            lines, path, reader, _csv_splitter(reader.options.delimiter), required, optional, False, "row"
        )
        return
    raise ImportFormatError(path, None, None, f"a format among {', '.join(FORMATS)}", fmt)


def _noting_start(lines: Iterable[tuple[int, str]], path: str) -> Iterator[tuple[int, str]]:
    seen = False
    for item in lines:
        seen = True
        yield item
    if not seen:
        raise ImportFormatError(path, 1, None, "event rows", "an empty file")  # an editor shows line 1


# --- Deduplication and events -------------------------------------------------------------------


def deduplicate(records: Iterable[CameoRecord], mode: str, report: ImportReport) -> list[CameoRecord]:
    """One record per event: with `day` or `month`, the reports of one (period, source, target, code) merged.

    The merged record keeps the first report's line, id and address, the mean Goldstein weight of the
    reports (they share a code, so usually one value) and the sums of their counts. Held in memory: one
    entry per distinct event, not per row.
    """
    if mode == "none":
        return list(records)
    merged: dict[tuple, CameoRecord] = {}
    for record in records:
        period = record.day if mode == "day" else (record.day.year, record.day.month)
        key = (period, record.actor, record.target, record.code)
        found = merged.get(key)
        if found is None:
            merged[key] = record
            continue
        report.count("reports merged into an earlier one")
        reports = found.reports + record.reports
        goldstein = found.goldstein
        if found.goldstein is not None and record.goldstein is not None:
            goldstein = round((found.goldstein * found.reports + record.goldstein * record.reports) / reports, 3)
        merged[key] = attrs.evolve(
            found,
            goldstein=goldstein if goldstein is not None else record.goldstein,
            mentions=_add(found.mentions, record.mentions),
            source_count=_add(found.source_count, record.source_count),
            articles=_add(found.articles, record.articles),
            url=found.url or record.url,
            reports=reports,
        )
    return list(merged.values())


def _add(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else a + b


_CAMEO_NOTE = re.compile(r"\bCAMEO (\d{2,4})\b")
"""How an imported event's note names its code (read back by `engine.analysis._tone`)."""


def _note(record: CameoRecord, extra: str = "") -> str:
    weight = record.goldstein if record.goldstein is not None else goldstein_weights().get(record.code)
    counted = [
        f"{value} {label}"
        for value, label in (
            (record.reports, "reports"),
            (record.mentions, "mentions"),
            (record.source_count, "sources"),
            (record.articles, "articles"),
        )
        if value is not None
    ]
    text = f"CAMEO {record.code} {codebook()[record.code]} (Goldstein {weight}); {', '.join(counted)}"
    return text + (f"; {extra}" if extra else "")


def _coded(record: CameoRecord, event_id: str, date: str, sources: tuple[str, ...], note: str) -> CodedEvent:
    coded: Any = CodedEvent  # registered through events._kinds.kind, whose fields mypy's attrs plugin cannot see
    return coded(
        id=event_id,
        date=date,
        actor=record.actor,
        target=record.target,
        sources=sources,
        note=note,
        code=record.code,
        goldstein=record.goldstein if record.goldstein is not None else goldstein_weights().get(record.code),
        source_url=record.url,
        mentions=record.mentions,
        source_count=record.source_count,
        articles=record.articles,
        reports=record.reports,
    )


def _override_entries(overrides: Mapping[str, tuple[str, ...]], table: Mapping[str, Mapping_]) -> dict[str, Mapping_]:
    """Table entries for `--map CODE=KIND` overrides (the entry's fields and roles kept where it had one)."""
    entries = {}
    for code, kinds in overrides.items():
        for tag in kinds:
            kind_class(tag)
        base = table.get(code)
        entries[code] = attrs.evolve(base, kinds=tuple(kinds)) if base else Mapping_(code, tuple(kinds))
    return entries


def events_from_records(
    records: list[CameoRecord],
    options: CameoOptions,
    report: ImportReport,
    path: str,
    dataset: str,
    base: Sequence[Event] = (),
) -> list[Event]:
    """Typed events from records, in date order, each mapped kind chosen by the state it meets.

    The pairs' states are folded as the events are made (the pure reducer's pair rules), so that a code
    with several possible kinds (161: recall or severance) becomes the first the state allows. With `base`
    (the events of a history the data is imported onto, in log order), the base's events are folded in
    date order beside the records: a recall needs an envoy, and CAMEO codes accredit none.
    """
    table = cameo_mapping()
    merged = {**table, **_override_entries(options.overrides, table)}  # once, not once per row
    states: dict[tuple[str, str], PairState] = {}
    made: list[Event] = []
    used_ids: set[str] = {event.id for event in base}
    records = sorted(records, key=lambda record: (record.day, record.line))
    file_name = Path(path).name
    position = 0
    # A row imported before onto this base (a stream re-imported, a file imported twice) is there already:
    # its event has the id and first source this row would get.
    already = {(event.id, event.sources[0]) for event in base if event.sources}
    for record in records:
        row_source = _row_source(record, file_name)
        if already and (f"{dataset}-{record.line}", row_source) in already:
            report.count("rows in the history already (same file, line and id)")
            continue
        while position < len(base) and base[position].date.earliest <= record.day:
            event = base[position]
            if event.target is not None:
                key = pair_of(event.actor, event.target)
                states[key] = apply_to_pair(states.get(key) or initial_pair(*key), event)[0]
            position += 1
        date = record.day.isoformat() if options.dedup != "month" else f"{record.day.year:04d}-{record.day.month:02d}"
        base_id = f"{dataset}-{record.line}"
        event_id = base_id
        suffix = 1
        while event_id in used_ids:
            suffix += 1
            event_id = f"{base_id}-{suffix}"
        used_ids.add(event_id)
        sources = (row_source,) + ((record.url,) if record.url else ())
        entry = mapping_for(record.code, merged)
        kinds = entry.kinds if entry is not None else ()
        if entry is not None and entry.code.startswith("161") and options.prefer_break:
            kinds = tuple(sorted(kinds, key=lambda tag: tag != "relations_severed"))
        if not kinds:
            if entry is None:
                report.count(f"unmapped CAMEO {record.code}")
            else:
                report.count(f"CAMEO {record.code} kept as a coded_event (the table maps it to no kind)")
            made.append(_coded(record, event_id, date, sources, _note(record)))
            continue
        assert entry is not None  # kinds come from an entry
        actor, target = (record.target, record.actor) if entry.swap else (record.actor, record.target)
        key = pair_of(actor, target)
        state = states.get(key) or initial_pair(*key)
        fields = dict(entry.fields)
        if entry.programme_in_force:
            programme, in_force = _programme_in_force(state.side(actor, target), fields.get("programme"))
            if programme is None:
                problem = (
                    f"line {record.line}: CAMEO {record.code} eases sanctions of {actor} on {target}, which has "
                    f"{len(in_force)} programmes in force ({', '.join(in_force)}) and CAMEO does not say which"
                )
                if options.impossible == "error":
                    raise ImportFormatError(
                        path, record.line, "code", "an ease of the one sanctions programme in force", record.code
                    )
                report.problems.append(problem + "; kept as a coded_event")
                made.append(_coded(record, event_id, date, sources, _note(record, "programme eased not known")))
                continue
            fields["programme"] = programme
        note = _note(record)
        candidates = []
        for tag in kinds:
            cls = kind_class(tag)
            own = _field_names(tag)  # a --map override may name a kind without some of the entry's fields
            event = cls(
                id=event_id,
                date=date,
                actor=actor,
                target=target,
                sources=sources,
                note=note,
                **{name: value for name, value in fields.items() if name in own},
            )
            after, broken = apply_to_pair(state, event)
            candidates.append((event, after, broken))
            if not broken:
                break
        event, after, broken = next((c for c in candidates if not c[2]), candidates[0])
        if broken:
            problem = f"line {record.line}: CAMEO {record.code} as {event.KIND} is impossible: {'; '.join(broken)}"
            if options.impossible == "error":
                raise ImportFormatError(
                    path, record.line, "code", f"an event the state allows ({event.KIND})", record.code
                )
            if options.impossible == "record":
                report.problems.append(problem + "; kept as a coded_event")
                made.append(_coded(record, event_id, date, sources, _note(record, f"impossible as {event.KIND}")))
                continue
        report.count(f"CAMEO {record.code} as {event.KIND}")
        states[key] = after
        made.append(event)
    return made


@functools.cache
def _field_names(tag: str) -> frozenset[str]:
    """The fields of an event kind, by name (asked once per kind, not once per row)."""
    return frozenset(attrs.fields_dict(kind_class(tag)))


def _row_source(record: CameoRecord, file_name: str) -> str:
    """An imported event's first source: the row's id, file and line."""
    return f"{record.row_id} ({file_name} line {record.line})"


def _programme_in_force(side: Any, default: object) -> tuple[str | None, list[str]]:
    """Which sanctions programme of a side an ease of sanctions (CAMEO 085, which names none) is about.

    The table's own programme (the one imported 163s impose) when it is in force; else the only programme
    in force; else, when none is, the table's programme (the fold then reports that nothing is in force to
    ease). None when several are in force and none is the table's: CAMEO does not say which (the names are
    returned, sorted, for the report).
    """
    in_force = sorted(sanction.programme for sanction in side.sanctions)
    if default in in_force or not in_force:
        return str(default), in_force
    if len(in_force) == 1:
        return in_force[0], in_force
    return None, in_force


def import_event_lines(
    lines: Iterable[tuple[int, str]],
    fmt: str,
    path: str = "<string>",
    options: CameoOptions | None = None,
    onto: Scenario | None = None,
) -> CameoImport:
    """Import CAMEO-coded event data of format `fmt` (see `FORMATS`) as a history.

    Rows stream through the reader; what is held is one record per distinct event after deduplication
    (`CameoOptions.dedup`), then the events. Rows naming no two different states (an empty country, a
    domestic event) are counted and left out. The history is folded leniently and every anomaly reported.
    With `onto`, the events are added to that scenario's (see `events_from_records`).

    Raises:
        ImportFormatError: a malformed file (names the line and the field).
    """
    options = options or CameoOptions()
    report = ImportReport(path)
    resolver = ActorResolver()
    reader = _RowReader(path, resolver, options, report)
    records = deduplicate(read_records(lines, fmt, path, reader), options.dedup, report)
    base = onto.log.events if onto is not None else ()
    made = events_from_records(records, options, report, path, fmt, base)
    known = onto.log.actors if onto is not None else builtin_actors()
    declared = tuple(actor for code, actor in sorted(resolver.used.items()) if code not in known)
    log = Log.of((*base, *made), known.with_actors(declared))
    if onto is not None:
        declared = (*onto.declared_actors, *declared)
    report.events = len(log)
    report.anomalies = [str(anomaly) for anomaly in fold(log, strict=False).anomalies]
    name = Path(path).stem if path != "<string>" else fmt
    scenario = Scenario(
        name=onto.name if onto is not None else name,
        log=log,
        pair=onto.pair if onto is not None else None,
        title=onto.title if onto is not None else f"{fmt} events",
        description=(onto.description + "\n\n" if onto is not None and onto.description else "")
        + f"Imported from {Path(path).name} ({fmt}); CAMEO codes mapped by the table in docs/data.md",
        declared_actors=declared,
    )
    return CameoImport(scenario, report)


def import_events(
    path: str | Path, fmt: str, options: CameoOptions | None = None, onto: Scenario | None = None
) -> CameoImport:
    """Import an event-data file (see `import_event_lines`), reading it line by line."""
    with open_text(path) as stream:
        return import_event_lines(bounded_lines(stream, str(path)), fmt, str(path), options, onto)


def imported_code(event: Event) -> str | None:
    """The CAMEO code an event was imported from: a coded_event's own, or the one its note names."""
    if isinstance(event, CodedEvent):
        return event.code
    found = _CAMEO_NOTE.search(event.note)
    return found.group(1) if found else None
