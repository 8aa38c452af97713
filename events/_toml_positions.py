"""Where each table, key and array item of a TOML document starts: the line every file reader reports.

tomli gives values, not positions. This scanner reads the same text token by token — strings of all four
kinds (so a multi-line string holding `[[events]]` is text, not a header), arrays over several lines, inline
tables and comments — and records the line of each path, e.g. `("events", 3, "date")` for the `date` key of
the fourth `[[events]]` table, `("edits", 0, "event")` for `[edits.event]` under the first `[[edits]]`.

It also bounds nesting: tomli parses nested arrays and inline tables by recursion, so a document nested a
few hundred levels deep ends in RecursionError; `nesting_problem` finds such a document, and its line,
before tomli is asked to read it.
"""

from __future__ import annotations

import contextlib
import re
from bisect import bisect_right
from collections.abc import Mapping
from typing import Any

import tomli

MAX_NESTING = 64
"""Deepest nesting of arrays and inline tables a file may have (histories use two or three levels)."""

Path = tuple[str | int, ...]
"""A place in a document: table and key names, and 0-based indexes into arrays and arrays of tables."""

_SPACE = re.compile(r"[ \t]*")
_SPACE_AND_COMMENTS = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_BASIC = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_LITERAL = re.compile(r"'[^'\n]*'")
# Multi-line strings end at the first unescaped triple quote, which may be followed by one or two more
# quotes that belong to the content.
_MULTI_BASIC = re.compile(r'"""(?:\\.|[^\\])*?"""(?:""?(?!"))?', re.S)
_MULTI_LITERAL = re.compile(r"'''.*?'''(?:''?(?!'))?", re.S)
# A date-time may hold one space ("1979-05-27 07:32:00"); anything else ends at a space or a delimiter.
_SCALAR = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d[^\s,\]\}#]*|[^\s,\]\}#\[\{=]+")


class _Stop(Exception):
    """The text stops being TOML this scanner understands; what was found so far stands."""


class TomlPositions:
    """The line of every table, key and array item of a TOML text (1-based), by its path.

    Built for any text: on text that is not TOML the scan stops where it stops understanding, and the
    positions found before that point stand.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
        self.lines: dict[Path, int] = {}
        """The line where each path is written (its header, its key, or its first character in an array)."""
        self.too_deep: int | None = None
        """The line where nesting first goes deeper than `MAX_NESTING`, or None."""
        self._array_tables: dict[Path, int] = {}
        with contextlib.suppress(_Stop):
            self._document()

    # --- answers

    def line(self, *path: str | int) -> int | None:
        """The line of a path, or None when the text does not write it."""
        return self.lines.get(path)

    def nearest(self, *path: str | int) -> int | None:
        """The line of a path, else of the closest enclosing path the text writes (None if none)."""
        for end in range(len(path), 0, -1):
            found = self.lines.get(path[:end])
            if found is not None:
                return found
        return None

    # --- scanning

    def _line_of(self, offset: int) -> int:
        return bisect_right(self._line_starts, offset)

    def _skip(self, position: int, pattern: re.Pattern[str] = _SPACE_AND_COMMENTS) -> int:
        match = pattern.match(self._text, position)  # the patterns match the empty string, so always
        return match.end() if match else position

    def _document(self) -> None:
        text, position = self._text, 0
        table: Path = ()
        while True:
            position = self._skip(position)
            if position >= len(text):
                return
            start = position
            if text.startswith("[[", position):
                parts, position = self._key(position + 2)
                position = self._expect(position, "]]")
                table = self._resolve(parts[:-1])
                path = (*table, parts[-1])
                index = self._array_tables.get(path, 0)
                self._array_tables[path] = index + 1
                table = (*path, index)
                self.lines[path] = self.lines.get(path, self._line_of(start))
            elif text[position] == "[":
                parts, position = self._key(position + 1)
                position = self._expect(position, "]")
                table = self._resolve(parts)
            else:
                parts, position = self._key(position)
                position = self._expect(position, "=")
                table_of_key = (*table, *parts)
                self.lines.setdefault(table_of_key, self._line_of(start))
                position = self._value(position, table_of_key, 0)
                self.lines.setdefault(table_of_key, self._line_of(start))
                position = self._end_of_line(position)
                continue
            self.lines.setdefault(table, self._line_of(start))
            position = self._end_of_line(position)

    def _resolve(self, parts: list[str]) -> Path:
        """The path of a header's dotted key: a name that is an array of tables means its last table."""
        path: Path = ()
        for part in parts:
            path = (*path, part)
            count = self._array_tables.get(path)
            if count:
                path = (*path, count - 1)
        return path

    def _expect(self, position: int, token: str) -> int:
        position = self._skip(position, _SPACE)
        if not self._text.startswith(token, position):
            raise _Stop
        return position + len(token)

    def _end_of_line(self, position: int) -> int:
        position = self._skip(position, _SPACE)
        if position < len(self._text) and self._text[position] == "#":
            position = self._text.find("\n", position)
            position = len(self._text) if position < 0 else position
        if position < len(self._text) and self._text[position] not in "\r\n":
            raise _Stop
        return position

    def _key(self, position: int) -> tuple[list[str], int]:
        parts = []
        while True:
            position = self._skip(position, _SPACE)
            for pattern in (_BARE_KEY, _BASIC, _LITERAL):
                match = pattern.match(self._text, position)
                if match:
                    break
            else:
                raise _Stop
            raw = match.group()
            parts.append(_string_value(raw) if raw[0] in "\"'" else raw)
            position = self._skip(match.end(), _SPACE)
            if not self._text.startswith(".", position):
                return parts, position
            position += 1

    def _value(self, position: int, path: Path, depth: int) -> int:
        position = self._skip(position, _SPACE)
        text = self._text
        if position >= len(text):
            raise _Stop
        opening = text[position]
        if opening in "[{":
            if depth >= MAX_NESTING:
                self.too_deep = self._line_of(position)
                raise _Stop
            if opening == "[":
                return self._array(position + 1, path, depth + 1)
            return self._inline_table(position + 1, path, depth + 1)
        for pattern in (_MULTI_BASIC, _MULTI_LITERAL, _BASIC, _LITERAL, _SCALAR):
            match = pattern.match(text, position)
            if match:
                return match.end()
        raise _Stop

    def _array(self, position: int, path: Path, depth: int) -> int:
        index = 0
        while True:
            position = self._skip(position)
            if self._text.startswith("]", position):
                return position + 1
            self.lines.setdefault((*path, index), self._line_of(position))
            position = self._skip(self._value(position, (*path, index), depth))
            index += 1
            if self._text.startswith(",", position):
                position += 1
            elif not self._text.startswith("]", position):
                raise _Stop

    def _inline_table(self, position: int, path: Path, depth: int) -> int:
        while True:
            position = self._skip(position)
            if self._text.startswith("}", position):
                return position + 1
            start = position
            parts, position = self._key(position)
            position = self._expect(position, "=")
            key_path = (*path, *parts)
            self.lines.setdefault(key_path, self._line_of(start))
            position = self._skip(self._value(position, key_path, depth))
            if self._text.startswith(",", position):
                position += 1
            elif not self._text.startswith("}", position):
                raise _Stop


def _string_value(raw: str) -> str:
    if raw[0] == "'":
        return raw[1:-1]
    try:
        value: str = tomli.loads(f"v = {raw}")["v"]  # a basic string: the token is a quoted TOML string
        return value
    except tomli.TOMLDecodeError:
        raise _Stop from None


def nesting_problem(text: str) -> int | None:
    """The line where the text nests arrays or inline tables deeper than `MAX_NESTING`, or None.

    Cheap for ordinary files: only a text with more than `MAX_NESTING` opening brackets is scanned.
    """
    if text.count("[") + text.count("{") <= MAX_NESTING:
        return None
    return TomlPositions(text).too_deep


def event_id_lines(text: str) -> dict[str, int]:
    """The line of each event's `id` in a scenario or counterfactual text (the first, for an id written twice).

    Events are the `[[events]]` tables, the events an `[[edits]]` table acts on (its `id`) and the events it
    inserts or puts in place (its `event.id`). For
    `validate`, which finds problems after the file was read and must name their lines. Text that is
    not TOML gives what can be told (nothing when tomli refuses it).
    """
    if nesting_problem(text) is not None:
        return {}
    try:
        document = tomli.loads(text)
    except (tomli.TOMLDecodeError, RecursionError):
        return {}
    positions = TomlPositions(text)
    found: dict[str, int] = {}

    def note(event: Any, *path: str | int) -> None:
        if isinstance(event, Mapping) and isinstance(event.get("id"), str):
            line = positions.line(*path, "id")
            if line is not None:
                found.setdefault(event["id"], line)

    events = document.get("events")
    for index, event in enumerate(events if isinstance(events, list) else ()):
        note(event, "events", index)
    edits = document.get("edits")
    for index, edit in enumerate(edits if isinstance(edits, list) else ()):
        if isinstance(edit, Mapping):
            note(edit, "edits", index)
            note(edit.get("event"), "edits", index, "event")
    return found
