"""The explorer page's data: the engine's answers for every date where a pair's state changes, its events and graph.

Everything a reader sees on the page is computed here by the engine, never by the page's JavaScript: the
state on each day is the JSON of `legation at --format json` (`engine.cli._render.as_of_json`), stored once for
every stretch of days over which it stays the same. The page only picks the stretch a chosen day falls in
(`answer_for` is that same choice in Python, and a property test holds it equal to asking the engine).

Answers are stored column by column to keep large pages small: each key's (or sub-key's) distinct values
once, and where in the run of stretches it changes (`AnswerTable`). Reassembling an answer is a look-up.
"""

from __future__ import annotations

import calendar
import datetime
import json
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import Any

from engine.analysis._timeline import TimelineEntry, timeline
from engine.cli._render import ROW_LABELS, as_of_json, change_json, date_json, words
from engine.core._history import History
from events import ImpreciseDate, StateDissolved

VARYING_KEYS = ("date", "asked")
"""Keys of an answer that name the day asked rather than the state: the page fills them from the date chosen."""
LINKS_KEY = "_links"
"""A row's extra column: the events behind values `basis` does not cover (leaders), keyed like basis."""
NOT_IN_TABLE = ("date", "asked", "pair", "uncertain", "basis", LINKS_KEY)
"""Answer keys the state table does not show as rows (the date is its heading; uncertain and basis mark and
link the cells)."""


class Column:
    """One column of an `AnswerTable`: a key's value (or one sub-key's), stored only where it changes.

    Attributes:
        key, sub: the answer key, and the sub-key of a split dict value (None when the value is whole).
        values: the distinct values, in order of first use.
        starts, picks: the value of row r is `values[picks[i]]` for the last i with `starts[i] <= r`; a pick
            of -1 means the sub-key is absent from that row's dict.
    """

    def __init__(self, key: str, sub: str | None) -> None:
        """An empty column."""
        self.key, self.sub = key, sub
        self.values: list[Any] = []
        self._index: dict[str, int] = {}
        self.starts: list[int] = []
        self.picks: list[int] = []

    def add(self, row: int, value: Any, present: bool = True) -> None:
        """Record the value of the next row."""
        if present:
            text = json.dumps(value, ensure_ascii=False)
            pick = self._index.get(text)
            if pick is None:
                pick = self._index[text] = len(self.values)
                self.values.append(value)
        else:
            pick = -1
        if not self.picks or self.picks[-1] != pick:
            self.starts.append(row)
            self.picks.append(pick)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Column:
        """A column as the page embeds it (`to_json`)."""
        column = cls(data["key"], data["sub"])
        column.values, column.starts, column.picks = list(data["values"]), list(data["starts"]), list(data["picks"])
        return column

    def pick_at(self, row: int) -> int:
        """The index of the value in force at a row (-1: absent)."""
        return self.picks[bisect_right(self.starts, row) - 1]

    def to_json(self) -> dict[str, Any]:
        """The column as the page embeds it."""
        return {"key": self.key, "sub": self.sub, "values": self.values, "starts": self.starts, "picks": self.picks}


def _sub_key_order(rows: Sequence[dict[str, Any]]) -> list[str] | None:
    """An order of every sub-key in which each row's dict keys appear in their own order, if there is one."""
    seen = list(dict.fromkeys(sub for row in rows for sub in row))
    for order in (sorted(seen), seen):
        place = {sub: position for position, sub in enumerate(order)}
        if all(list(row) == sorted(row, key=place.__getitem__) for row in rows):
            return order
    return None


class AnswerTable:
    """The answers of one history for one pair: one row per stretch of days over which the answer is the same.

    Stored column by column, each column only where its value changes, so that a long history costs about
    as much as its changes. Reassembling a row's answer (`answer`) is a look-up in each column.

    Attributes:
        keys: the answer's keys in `as_of_json` order (`date` and `asked` included, filled in by the page).
        days: the first day of each stretch after the first, in order (ISO text); row 0 holds before
            `days[0]`, row i from `days[i - 1]` up to the day before `days[i]`.
        spans: month and year texts (`2008-09`, `2008`) whose answer, asked as that month or year, differs
            from the answer for its last day by more than `asked`: the row of that answer (after the stretches).
        split: keys whose dict values are stored one column per sub-key, with the sub-keys in answer order.
        columns: every column, in `keys` order (then `_links`).
    """

    def __init__(
        self,
        keys: Sequence[str],
        rows: Sequence[dict[str, Any]],
        days: Sequence[str],
        spans: dict[str, int],
        pair: Sequence[str],
    ) -> None:
        """Encode answers (without `date` and `asked`; with `_links`), one per row."""
        self.keys = list(keys)
        self.days = list(days)
        self.spans = dict(spans)
        self.rows = len(rows)
        stored = [key for key in self.keys if key not in VARYING_KEYS] + [LINKS_KEY]
        self.split: dict[str, list[str]] = {}
        for key in stored:
            values = [row[key] for row in rows]
            if not all(isinstance(value, dict) for value in values):
                continue
            if key in NOT_IN_TABLE:
                order = _sub_key_order(values)
            else:  # a per-side field: every row has the same two sides, first actor's first
                sides = {tuple(sides_of(key, value, pair) or ()) for value in values}
                order = list(sides.pop()) if len(sides) == 1 and () not in sides else None
            if order is not None:
                self.split[key] = order
        self.columns: list[Column] = []
        for key in stored:
            for sub in self.split.get(key, [None]):
                column = Column(key, sub)
                for number, row in enumerate(rows):
                    if sub is None:
                        column.add(number, row[key])
                    else:
                        column.add(number, row[key].get(sub), sub in row[key])
                self.columns.append(column)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AnswerTable:
        """A table as the page embeds it (`to_json`): what a test reads back out of a written page."""
        table = cls.__new__(cls)
        table.keys, table.days, table.spans = list(data["keys"]), list(data["days"]), dict(data["spans"])
        table.split = {key: list(subs) for key, subs in data["split"].items()}
        table.columns = [Column.from_json(column) for column in data["columns"]]
        table.rows = 1 + len(table.days) + len(table.spans)
        return table

    def column(self, key: str, sub: str | None = None) -> Column:
        """The column of a key (and sub-key)."""
        for column in self.columns:
            if column.key == key and column.sub == sub:
                return column
        raise KeyError((key, sub))

    def _value(self, key: str, row: int) -> Any:
        if key not in self.split:
            column = self.column(key)
            return column.values[column.pick_at(row)]
        found = {}
        for sub in self.split[key]:
            column = self.column(key, sub)
            pick = column.pick_at(row)
            if pick >= 0:
                found[sub] = column.values[pick]
        return found

    def answer(self, row: int, day: datetime.date, asked: str) -> dict[str, Any]:
        """The answer a row stands for on a day asked as `asked`: a look-up in each column."""
        found = {}
        for key in self.keys:
            if key == "date":
                found[key] = day.isoformat()
            elif key == "asked":
                found[key] = asked
            else:
                found[key] = self._value(key, row)
        return found

    def links(self, row: int) -> dict[str, str]:
        """The extra links of a row (events behind values `basis` does not cover)."""
        links: dict[str, str] = self._value(LINKS_KEY, row)  # a row of the links column is a dict of texts
        return links

    def to_json(self) -> dict[str, Any]:
        """The table as the page embeds it."""
        return {
            "keys": self.keys,
            "days": self.days,
            "spans": self.spans,
            "split": self.split,
            "columns": [column.to_json() for column in self.columns],
        }


class _LeaderLinks:
    """The event behind each actor's leader on a day: the last change of government at or before it."""

    def __init__(self, entries: Iterable[TimelineEntry], codes: Sequence[str]) -> None:
        self._days: dict[str, list[int]] = {code: [] for code in codes}
        self._ids: dict[str, list[str]] = {code: [] for code in codes}
        for entry in entries:
            for change in entry.changes:
                name, _, code = change.field.partition(" ")
                if name == "leader" and code in self._days:
                    self._days[code].append(entry.event.date.earliest.toordinal())
                    self._ids[code].append(entry.event.id)

    def days(self) -> Iterable[datetime.date]:
        for days in self._days.values():
            yield from (datetime.date.fromordinal(day) for day in days)

    def at(self, day: datetime.date) -> dict[str, str]:
        found = {}
        for code, days in self._days.items():
            index = bisect_right(days, day.toordinal())
            if index:
                found[f"leaders {code}"] = self._ids[code][index - 1]
        return found


def _dissolutions(history: History, pair: tuple[str, str]) -> list[StateDissolved]:
    """The dissolutions of either actor of the pair (they change the answer's `dissolved` key)."""
    return [event for event in history.log if isinstance(event, StateDissolved) and event.actor in pair]


def _candidate_days(history: History, pair: tuple[str, str], leaders: _LeaderLinks) -> list[datetime.date]:
    """Every day on which the pair's answer may differ from the day before's.

    A pair step counts from its first possible day; a field it changed is uncertain until its last day
    (`ImpreciseDate.undecided_at`), so the day after the span is a candidate too; a change of government
    of either actor changes `leaders`.
    """
    days: set[datetime.date] = set(leaders.days())
    for date in [step.event.date for step in history.steps(*pair)] + [
        event.date for event in _dissolutions(history, pair)
    ]:
        days.add(date.earliest)
        if date.latest != date.earliest:
            days.add(date.latest)
            if date.latest < datetime.date.max:
                days.add(date.latest + datetime.timedelta(days=1))
    return sorted(days)


def answer_table(history: History, pair: tuple[str, str], entries: Sequence[TimelineEntry]) -> AnswerTable:
    """The answers of `legation at` for a pair on every day, one row per stretch of days they stay equal.

    Args:
        history: the folded history.
        pair: the pair as asked (its first actor's side comes first in the answers).
        entries: the pair's timeline (for the events behind leaders).
    """
    a, b = pair
    leaders = _LeaderLinks(entries, pair)
    candidates = _candidate_days(history, pair, leaders)
    if candidates:
        probe = candidates[0] - datetime.timedelta(days=1)
    else:  # the pair never changes: any day answers; one inside the history keeps the look-back in range
        probe = history.log.events[0].date.earliest if len(history.log) else datetime.date(2000, 1, 1)

    def bare_at(day: datetime.date, asked: str | None = None) -> dict[str, Any]:
        answer = as_of_json(history.state_at(a, b, asked or day), history)
        bare = {key: value for key, value in answer.items() if key not in VARYING_KEYS}
        bare[LINKS_KEY] = leaders.at(day)
        return bare

    keys = list(as_of_json(history.state_at(a, b, probe), history))
    rows = [bare_at(probe)]
    texts = [json.dumps(rows[0], ensure_ascii=False)]
    days: list[str] = []
    for day in candidates:
        row = bare_at(day)
        text = json.dumps(row, ensure_ascii=False)
        if text != texts[-1]:
            days.append(day.isoformat())
            rows.append(row)
            texts.append(text)
    # A month or year asked adds as uncertain the fields changed inside it: store those that differ.
    wanted = set()
    changing = [step.event.date for step in history.steps(a, b) if step.changed]
    # A dissolution inside the month or year asked is reported uncertain too (the answer's `dissolved` key).
    for date in changing + [event.date for event in _dissolutions(history, pair)]:
        earliest = date.earliest
        wanted.add(f"{earliest.year:04d}-{earliest.month:02d}")
        wanted.add(f"{earliest.year:04d}")
    spans = {}
    for text in sorted(wanted):
        last = ImpreciseDate.parse(text).latest
        row = bare_at(last, text)
        if json.dumps(row, ensure_ascii=False) != texts[bisect_right(days, last.isoformat())]:
            spans[text] = len(rows)
            rows.append(row)
    return AnswerTable(keys, rows, days, spans, pair)


def answer_for(table: AnswerTable, text: str) -> dict[str, Any]:
    """The answer the page shows for a date typed as `text` (YYYY, YYYY-MM or YYYY-MM-DD).

    The same choice the page's script makes: the stretch holding the day (a month or year: its last day),
    or the stored answer for a month or year asked. Equal to `legation at TEXT --format json` (tested).
    """
    parts = [int(part) for part in text.split("-")]
    if len(parts) == 3:
        day = datetime.date(*parts)
    elif len(parts) == 2:
        day = datetime.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    else:
        day = datetime.date(parts[0], 12, 31)
    row = table.spans.get(text)
    if row is None:
        row = bisect_right(table.days, day.isoformat())
    return table.answer(row, day, text)


def event_rows(entries: Sequence[TimelineEntry], sources: dict[str, int]) -> list[list[Any]]:
    """The pair's events as the page lists them (columns in `EVENT_COLUMNS` order); fills the sources table."""
    rows = []
    for entry in entries:
        event = entry.event
        cited = []
        for source in event.sources:
            cited.append(sources.setdefault(source, len(sources)))
        changes = []
        for change in entry.changes:
            data = change_json(change)
            changes.append(
                f"{change.field}: {words(change.field, data['before'])} → {words(change.field, data['after'])}"
            )
        dates = date_json(event.date)
        rows.append(
            [
                event.id,
                dates["date"],
                dates["earliest"],
                dates["latest"],
                event.KIND,
                event.actor,
                event.target,
                event.summary(),
                event.note,
                cited,
                list(event.caused_by),
                changes,
            ]
        )
    return rows


EVENT_COLUMNS = (
    "id",
    "date",
    "earliest",
    "latest",
    "kind",
    "actor",
    "target",
    "summary",
    "note",
    "sources",
    "caused_by",
    "changes",
)
"""The columns of each embedded event row."""


def history_data(history: History, pair: tuple[str, str], sources: dict[str, int]) -> dict[str, Any]:
    """What the page needs of one history: its answers for the pair, and the pair's events."""
    entries = timeline(history, *pair)
    return {
        "answers": answer_table(history, pair, entries).to_json(),
        "events": event_rows(entries, sources),
        "anomalies": [
            {"event_id": anomaly.event_id, "date": str(anomaly.date), "rule": anomaly.rule}
            for anomaly in history.anomalies
        ],
    }


# --- how values read on the page -----------------------------------------------------------------------

_WORDED = frozenset(
    {"recognition", "representation", "posts", "agencies", "visa_required", "persona_non_grata", "agreed_level"}
)
"""Fields `engine.cli._render.words` knows how to say; others are said by `plain_text`."""
LABELS = {
    "relations": "diplomatic relations",
    "relations_since": "relations since",
    "agreed_level": "agreed to exchange envoys at",
    "leaders": "leader",
    **ROW_LABELS,
}
"""Row labels: the pair-wide fields', then the per-direction ones of `legation at`; others are labelled by key."""


def label(key: str) -> str:
    """The row label of an answer key."""
    return LABELS.get(key, key.replace("_", " "))


def plain_text(value: Any) -> str:
    """Any JSON value in words: none, yes/no, lists joined, objects as `key: value`."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value.replace("_", " ")
    if isinstance(value, list):
        return ", ".join(plain_text(item) for item in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{name.replace('_', ' ')}: {plain_text(item)}" for name, item in value.items()) or "none"
    return str(value)


def value_text(key: str, value: Any) -> str:
    """One field's value (one side's, for a per-side field) in words."""
    return words(key, value) if key in _WORDED else plain_text(value)


def sides_of(key: str, value: Any, pair: Sequence[str]) -> list[str] | None:
    """The sub-keys of a per-side field, first actor's first (`A->B`, `B->A`, or `A`, `B`); None for a pair field."""
    a, b = pair
    if isinstance(value, dict):
        if set(value) == {f"{a}->{b}", f"{b}->{a}"}:
            return [f"{a}->{b}", f"{b}->{a}"]
        if set(value) == {a, b}:
            return [a, b]
    return None


def table_layout(table: AnswerTable) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """The state table's rows (key, label, sides or None) and each column's values in words.

    `texts` maps `key` (a whole value) or `key side` (one side of a per-side field) to the words of each of
    that column's values, in the column's order.
    """
    rows, texts = [], {}
    for key in table.keys:
        if key in NOT_IN_TABLE:
            continue
        sides = table.split.get(key)
        rows.append({"key": key, "label": label(key), "sides": sides})
        for column in table.columns:
            if column.key == key:
                name = key if column.sub is None else f"{key} {column.sub}"
                texts[name] = [value_text(key, value) for value in column.values]
    return rows, texts
