"""Counterfactual files: a base history and a list of edits as TOML, read with line-numbered errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import tomli_w

from events._codec import SCHEMA_VERSION, event_from_dict, event_to_dict, upcast
from events._edits import (
    CASCADE_POLICIES,
    EDIT_OPS,
    CascadeEffect,
    Edit,
    EditedLog,
    EditError,
    InsertEvent,
    MoveEvent,
    RemoveEvent,
    ReplaceEvent,
    SetEventField,
)
from events._errors import InvalidValueError, ScenarioFileError
from events._files import read_text_file, write_file
from events._log import Log
from events._scenario_file import load_toml
from events._toml_positions import TomlPositions

_META_KEYS = ("base", "question", "cascade", "name", "description")
_EDIT_KEYS = {
    "remove": ("id",),
    "replace": ("id", "event"),
    "insert": ("event",),
    "move": ("id", "date"),
    "set": ("id", "field", "value"),
}
"""The keys each op requires besides `op` and `rationale`."""


class CounterfactualFileError(ScenarioFileError):
    """A counterfactual file that cannot be read or whose edits do not fit its base.

    Attributes (beyond `ScenarioFileError`'s):
        edit: 1-based number of the edit at fault, or None.
        field: the field at fault, or None.
        expected: what would have been accepted, or None.
        found: what was found, or None.
        effects: (cascade ask) the events the edit would have acted on.
    """

    def __init__(
        self,
        path: str,
        detail: str,
        line: int | None = None,
        *,
        edit: int | None = None,
        event_id: str | None = None,
        field: str | None = None,
        expected: str | None = None,
        found: object = None,
    ) -> None:
        # The detail already names the edit and event; ScenarioFileError would name the event twice.
        super().__init__(path, detail, line)
        self.event_id = event_id
        self.edit = edit
        self.field = field
        self.expected = expected
        self.found = found
        self.effects: tuple[CascadeEffect, ...] = ()


@attrs.frozen
class CounterfactualSpec:
    """A counterfactual as a file states it: the base it edits (by name or path), the question, the edits."""

    base: str
    """A built-in scenario name, or a path relative to the file's folder (resolved by `scenarios`)."""
    question: str
    """The question the counterfactual asks, in words."""
    edits: tuple[Edit, ...] = ()
    """The edits, applied in order."""
    cascade: str = attrs.field(default="drop")
    """What removing or moving an event does to what it caused: drop, keep or ask."""
    name: str = ""
    """Short name (the file's stem unless the file says otherwise)."""
    description: str = ""
    """Longer explanation, sources of the reasoning."""
    path: str | None = attrs.field(default=None, eq=False)
    """The file it was read from, if any."""
    _lines: _Lines | None = attrs.field(default=None, eq=False, repr=False, alias="lines")

    @cascade.validator
    def _check_cascade(self, attribute: attrs.Attribute[str], value: object) -> None:
        if value not in CASCADE_POLICIES:
            raise InvalidValueError("cascade", f"one of {', '.join(CASCADE_POLICIES)}", value)

    def line_of(self, edit: int | None, key: str | None = None) -> int | None:
        """The line of an edit (1-based number), or of one of its keys; None when not read from text."""
        if self._lines is None:
            return None
        return self._lines.of(edit, key)


class _Lines:
    """Where `[counterfactual]`, each `[[edits]]` table and each key of them is written in the text."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._positions: TomlPositions | None = None

    def of(self, edit: int | None, key: str | None = None) -> int | None:
        if self._positions is None:
            self._positions = TomlPositions(self._text)
        positions = self._positions
        if edit is None:
            named = positions.line("counterfactual", key) if key is not None else None
            return named or positions.line("counterfactual")
        table = ("edits", edit - 1)
        if key is not None:
            # A key of the edit itself, else of the event it inserts or puts in place.
            for path in ((*table, key), (*table, "event", key), (*table, "event")):
                found = positions.line(*path)
                if found is not None:
                    return found
        return positions.line(*table)


def read_counterfactual(path: str | Path) -> CounterfactualSpec:
    """Read a counterfactual file (its syntax and values; `edit_base` checks the edits against the base).

    Raises:
        CounterfactualFileError: missing, unreadable, not TOML, or a bad key or value; names file and line.
    """
    shown = str(path)
    text = read_text_file(path, "a counterfactual file", CounterfactualFileError)
    return parse_counterfactual(text, shown, name=Path(path).stem)


def parse_counterfactual(text: str, path: str = "<string>", name: str = "counterfactual") -> CounterfactualSpec:
    """Parse counterfactual TOML text.

    Raises:
        CounterfactualFileError: not TOML, or a bad key or value; names the line, edit and field.
    """
    document = load_toml(text, path, CounterfactualFileError)
    if isinstance(document, ScenarioFileError):  # of the class asked for: a CounterfactualFileError
        raise document
    lines = _Lines(text)
    try:
        document = upcast(document)
    except InvalidValueError as error:
        raise CounterfactualFileError(path, str(error), 1, field=error.field) from None
    for key in document:
        if key not in ("schema_version", "counterfactual", "edits"):
            expected = "schema_version, [counterfactual] or [[edits]]"
            raise CounterfactualFileError(
                path, f"unknown top-level key {key!r}: expected {expected}", expected=expected, found=key
            )
    meta = document.get("counterfactual")
    if not isinstance(meta, dict):
        raise _meta_error(path, lines, None, "a [counterfactual] table with base and question", meta)
    for key in meta:
        if key not in _META_KEYS:
            raise _meta_error(path, lines, key, f"one of the keys {', '.join(_META_KEYS)}", key)
    for key in ("base", "question"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise _meta_error(path, lines, key, "a non-empty string", meta.get(key))
    cascade = meta.get("cascade", "drop")
    if cascade not in CASCADE_POLICIES:
        raise _meta_error(path, lines, "cascade", f"one of {', '.join(CASCADE_POLICIES)}", cascade)
    for key in ("name", "description"):
        if key in meta and not isinstance(meta[key], str):
            raise _meta_error(path, lines, key, "a string", meta[key])
    raw_edits = document.get("edits", [])
    if not isinstance(raw_edits, list):
        raise CounterfactualFileError(path, f"field 'edits': expected [[edits]] tables, found {raw_edits!r}")
    edits = tuple(_read_edit(raw, number, path, lines) for number, raw in enumerate(raw_edits, start=1))
    return CounterfactualSpec(
        base=meta["base"],
        question=meta["question"].strip(),
        edits=edits,
        cascade=cascade,
        name=meta.get("name", name),
        description=meta.get("description", ""),
        path=path,
        lines=lines,
    )


def _meta_error(path: str, lines: _Lines, key: str | None, expected: str, found: object) -> CounterfactualFileError:
    where = "[counterfactual]" if key is None else f"[counterfactual] field {key!r}"
    return CounterfactualFileError(
        path,
        f"{where}: expected {expected}, found {found!r}",
        lines.of(None, key),
        field=key,
        expected=expected,
        found=found,
    )


def _read_edit(raw: Any, number: int, path: str, lines: _Lines) -> Edit:
    def fail(key: str | None, expected: str, found: object, event_id: str | None = None) -> CounterfactualFileError:
        op = raw.get("op") if isinstance(raw, dict) and raw.get("op") in EDIT_OPS else None
        where = f"edit #{number}" + (f" ({op})" if op else "")
        if event_id is not None:
            where += f", event {event_id!r}"
        if key is not None:
            where += f", field {key!r}"
        return CounterfactualFileError(
            path,
            f"{where}: expected {expected}, found {found!r}",
            lines.of(number, key),
            edit=number,
            event_id=event_id,
            field=key,
            expected=expected,
            found=found,
        )

    if not isinstance(raw, dict):
        raise fail(None, "a table with op and rationale", raw)
    op = raw.get("op")
    if op not in EDIT_OPS:
        raise fail("op", f"one of {', '.join(EDIT_OPS)}", op)
    required = _EDIT_KEYS[op]
    for key in raw:
        if key not in ("op", "rationale", *required):
            raise fail(key, f"one of the keys of a {op} edit: op, rationale, {', '.join(required)}", key)
    rationale = raw.get("rationale")
    if not isinstance(rationale, str) or not rationale.strip():
        raise fail("rationale", "a non-empty string saying why", rationale)
    for key in required:
        if key not in raw:
            raise fail(key, f"a value (a {op} edit requires {', '.join(required)})", None)
    event_id = raw.get("id")
    if "id" in raw and (not isinstance(event_id, str) or not event_id.strip()):
        raise fail("id", "the id of an event, as a string", event_id)
    new_event = None
    if "event" in raw:
        body = raw["event"]
        shown_id = body.get("id") if isinstance(body, dict) and isinstance(body.get("id"), str) else None
        try:
            new_event = event_from_dict(body)
        except InvalidValueError as error:
            raise fail(error.field, error.expected, error.found, shown_id) from None
    try:
        if op == "insert":
            assert new_event is not None  # `event` is required, so parsed above
            return InsertEvent(event=new_event, rationale=rationale)
        assert isinstance(event_id, str)  # every other op requires `id`, checked above to be a string
        if op == "remove":
            return RemoveEvent(event_id=event_id, rationale=rationale)
        if op == "replace":
            assert new_event is not None  # `event` is required, so parsed above
            return ReplaceEvent(event_id=event_id, event=new_event, rationale=rationale)
        if op == "move":
            return MoveEvent(event_id=event_id, date=raw["date"], rationale=rationale)
        if not isinstance(raw["field"], str):
            raise InvalidValueError("field", "the name of a field, as a string", raw["field"])
        return SetEventField(event_id=event_id, field=raw["field"], value=raw["value"], rationale=rationale)
    except InvalidValueError as error:
        raise fail(error.field, error.expected, error.found, event_id) from None


def edit_base(spec: CounterfactualSpec, base: Log, cascade: str | None = None) -> EditedLog:
    """Apply a file's edits to its base log, checking each against the log as edited so far.

    Args:
        spec: the counterfactual, as read.
        base: the base history's log (resolving `spec.base` to it is the caller's job).
        cascade: overrides the file's policy when given.

    Raises:
        CounterfactualFileError: an edit names an unknown id, inserts an id in use, breaks the order of
            `caused_by`, sets a bad field or value, or (policy ask) would act on events it caused; the
            message names the file, line, edit number, event id, field, what was expected and found.
    """
    policy = spec.cascade if cascade is None else cascade
    edited = EditedLog.of(base, (), policy)
    for edit in spec.edits:
        try:
            edited = edited.apply(edit)
        except EditError as error:
            line = spec.line_of(error.edit, _key_of(edit, error))
            file_error = CounterfactualFileError(
                spec.path or "<counterfactual>",
                str(error),
                line,
                edit=error.edit,
                event_id=error.event_id,
                field=error.field,
                expected=error.expected,
                found=error.found,
            )
            file_error.effects = getattr(error, "effects", ())
            raise file_error from None
    return edited


def _key_of(edit: Edit, error: EditError) -> str | None:
    """The key of the edit's table that an error is best shown on."""
    if error.field is None:
        return "id"
    if isinstance(edit, SetEventField) and error.field not in ("id", "field"):
        return "value"
    if isinstance(edit, MoveEvent) and error.field == "caused_by":
        return "date"
    return error.field


def edit_to_dict(edit: Edit) -> dict[str, Any]:
    """The plain-dict form of an edit, as a `[[edits]]` table.

    Raises:
        EditError: a `set` to None, which TOML cannot write.
    """
    data: dict[str, Any] = {"op": edit.OP}
    if isinstance(edit, RemoveEvent | ReplaceEvent | MoveEvent | SetEventField):
        data["id"] = edit.event_id
    if isinstance(edit, MoveEvent):
        data["date"] = str(edit.date)
    if isinstance(edit, SetEventField):
        if edit.value is None:
            raise EditError("a value TOML can write (TOML has no null)", None, event_id=edit.event_id, field="value")
        data["field"] = edit.field
        data["value"] = list(edit.value) if isinstance(edit.value, tuple) else edit.value
    data["rationale"] = edit.rationale
    if isinstance(edit, ReplaceEvent | InsertEvent):
        data["event"] = event_to_dict(edit.event)
    return data


def edit_from_dict(data: dict[str, Any]) -> Edit:
    """An edit from its plain-dict form (see `edit_to_dict`).

    Raises:
        CounterfactualFileError: a bad op, key or value.
    """
    return _read_edit(data, 1, "<edit>", _Lines(""))


def dump_counterfactual(spec: CounterfactualSpec) -> str:
    """The TOML text of a counterfactual, its question as the first line; parsing it gives an equal spec.

    Raises:
        EditError: an edit has no rationale, or sets a value TOML cannot write.
    """
    for number, edit in enumerate(spec.edits, start=1):
        if not edit.rationale.strip():
            raise EditError("a rationale for every edit of a saved counterfactual", "", edit=number, op=edit.OP)
    meta: dict[str, Any] = {"base": spec.base, "question": spec.question, "cascade": spec.cascade}
    if spec.name:
        meta["name"] = spec.name
    if spec.description:
        meta["description"] = spec.description
    document = {
        "schema_version": SCHEMA_VERSION,
        "counterfactual": meta,
        "edits": [edit_to_dict(edit) for edit in spec.edits],
    }
    question = " ".join(spec.question.split())
    return f"# {question}\n" + tomli_w.dumps(document, multiline_strings=True)


def write_counterfactual(spec: CounterfactualSpec, path: str | Path) -> None:
    """Write a counterfactual file whole, keeping what is there until it is written (see `events.write_file`)."""
    write_file(path, dump_counterfactual(spec).encode("utf-8"))
