"""The explorer page's data: the engine's answers for every date where a pair's state changes, its events and graph.

Everything a reader sees on the page is computed here by the engine, never by the page's JavaScript: the
state on each day is the JSON of `legation at --format json` (`engine._render.as_of_json`), stored once for
every stretch of days over which it stays the same. The page only picks the stretch a chosen day falls in
(`answer_for` is that same choice in Python, and a property test holds it equal to asking the engine).

Answers are stored column-wise to keep large pages small: each key's distinct values once, and each
stretch as one index per key (`AnswerTable`). Reassembling an answer is a look-up, not a computation.
"""

from __future__ import annotations

import calendar
import datetime
import json
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import Any

from engine._history import History
from engine._render import as_of_json, change_json, date_json, words
from engine._timeline import TimelineEntry, timeline
from events import ImpreciseDate

VARYING_KEYS = ("date", "asked")
"""Keys of an answer that name the day asked rather than the state: the page fills them from the date chosen."""
LINKS_KEY = "_links"
"""A row's extra column: the events behind values `basis` does not cover (leaders), keyed like basis."""


class AnswerTable:
    """The answers of one history for one pair, one row per stretch of days with the same answer.

    Attributes:
        keys: the answer's keys in `as_of_json` order (`date` and `asked` included, filled in by the page).
        values: for each stored key, its distinct values in order of first use.
        days: the first day of each stretch after the first, in order (ISO text); `rows[0]` holds before
            `days[0]`, `rows[i]` from `days[i - 1]` up to the day before `days[i]`.
        rows: one list per stretch: for each stored key (in `stored_keys` order) the index of its value.
        spans: month and year texts (`2008-09`, `2008`) whose answer, asked as that month or year, differs
            from the answer for its last day by more than `asked`: the row index of that answer.
    """

    def __init__(self, keys: Sequence[str]) -> None:
        """An empty table for answers with these keys."""
        self.keys = list(keys)
        self.stored_keys = [key for key in self.keys if key not in VARYING_KEYS] + [LINKS_KEY]
        self.values: dict[str, list[Any]] = {key: [] for key in self.stored_keys}
        self._index: dict[str, dict[str, int]] = {key: {} for key in self.stored_keys}
        self.days: list[str] = []
        self.rows: list[list[int]] = []
        self.spans: dict[str, int] = {}

    def row_of(self, answer: dict[str, Any], links: dict[str, str]) -> list[int]:
        """The row of an answer (its `date` and `asked` left out), adding values not yet stored."""
        row = []
        for key in self.stored_keys:
            value = links if key == LINKS_KEY else answer[key]
            text = json.dumps(value, ensure_ascii=False)
            index = self._index[key].get(text)
            if index is None:
                index = self._index[key][text] = len(self.values[key])
                self.values[key].append(value)
            row.append(index)
        return row

    def answer(self, row: Sequence[int], day: datetime.date, asked: str) -> dict[str, Any]:
        """The answer a row stands for on a day asked as `asked`: a look-up of each key's value."""
        stored = dict(zip(self.stored_keys, row, strict=True))
        found = {}
        for key in self.keys:
            if key == "date":
                found[key] = day.isoformat()
            elif key == "asked":
                found[key] = asked
            else:
                found[key] = self.values[key][stored[key]]
        return found

    def links(self, row: Sequence[int]) -> dict[str, str]:
        """The extra links of a row (events behind values `basis` does not cover)."""
        return self.values[LINKS_KEY][row[self.stored_keys.index(LINKS_KEY)]]

    def to_json(self) -> dict[str, Any]:
        """The table as the page embeds it."""
        return {
            "keys": self.keys,
            "stored_keys": self.stored_keys,
            "values": self.values,
            "days": self.days,
            "rows": self.rows,
            "spans": self.spans,
        }


def _bare(answer: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in answer.items() if key not in VARYING_KEYS}


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


def _candidate_days(history: History, pair: tuple[str, str], leaders: _LeaderLinks) -> list[datetime.date]:
    """Every day on which the pair's answer may differ from the day before's.

    A pair step counts from its first possible day; a field it changed is uncertain until its last day
    (`ImpreciseDate.undecided_at`), so the day after the span is a candidate too; a change of government
    of either actor changes `leaders`.
    """
    days: set[datetime.date] = set(leaders.days())
    for step in history.steps(*pair):
        date = step.event.date
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
    # Before the first candidate nothing has happened to the pair or its leaders: any earlier day answers.
    if candidates:
        probe = candidates[0] - datetime.timedelta(days=1)
    else:  # the pair never changes: any day answers; one inside the history keeps the look-back in range
        probe = history.log.events[0].date.earliest if len(history.log) else datetime.date(2000, 1, 1)
    table = AnswerTable(list(as_of_json(history.state_at(a, b, probe), history)))

    def row_at(day: datetime.date, asked: str | None = None) -> list[int]:
        answer = as_of_json(history.state_at(a, b, asked or day), history)
        return table.row_of(_bare(answer), leaders.at(day))

    table.rows.append(row_at(probe))
    for day in candidates:
        row = row_at(day)
        if row != table.rows[-1]:
            table.days.append(day.isoformat())
            table.rows.append(row)
    # A month or year asked adds as uncertain the fields changed inside it: store those that differ.
    spans = set()
    for step in history.steps(a, b):
        if step.changed:
            earliest = step.event.date.earliest
            spans.add(f"{earliest.year:04d}-{earliest.month:02d}")
            spans.add(f"{earliest.year:04d}")
    for text in sorted(spans):
        last = ImpreciseDate.parse(text).latest
        row = row_at(last, text)
        if row != table.rows[_stretch(table, last)]:
            table.spans[text] = len(table.rows)
            table.rows.append(row)
    return table


def _stretch(table: AnswerTable, day: datetime.date) -> int:
    return bisect_right(table.days, day.isoformat())


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
    chosen = table.rows[row] if row is not None else table.rows[_stretch(table, day)]
    return table.answer(chosen, day, text)


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

NOT_IN_TABLE = ("date", "asked", "pair", "uncertain", "basis", LINKS_KEY)
"""Answer keys the state table does not show as rows (the date is its heading; uncertain and basis mark and
link the cells)."""
_WORDED = frozenset(
    {"recognition", "representation", "posts", "agencies", "visa_required", "persona_non_grata", "agreed_level"}
)
"""Fields `engine._render.words` knows how to say; others are said by `plain_text`."""
LABELS = {
    "relations": "diplomatic relations",
    "relations_since": "relations since",
    "agreed_level": "agreed to exchange envoys at",
    "leaders": "leader",
    "recognition": "recognises the other",
    "representation": "head of mission",
    "posts": "posts open",
    "agencies": "agencies operating",
    "aid": "assistance",
    "certification": "narcotics certification",
    "visa_required": "visa needed by its nationals",
    "persona_non_grata": "its people declared persona non grata",
}
"""Row labels of the fields known today; a field added later is labelled by its key."""


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


def table_layout(table: AnswerTable, pair: Sequence[str]) -> tuple[list[dict[str, Any]], dict[str, list[Any]]]:
    """The state table's rows (key, label, sides) and each stored value in words (per side where it has sides)."""
    rows, texts = [], {}
    for key in table.stored_keys:
        if key in NOT_IN_TABLE:
            continue
        first = table.values[key][0]
        sides = sides_of(key, first, pair)
        rows.append({"key": key, "label": label(key), "sides": sides})
        if sides is None:
            texts[key] = [value_text(key, value) for value in table.values[key]]
        else:
            texts[key] = [{side: value_text(key, value[side]) for side in sides} for value in table.values[key]]
    return rows, texts
