"""The error hierarchy every layer of legation raises from."""

from __future__ import annotations


class LegationError(Exception):
    """Root of every error legation raises on purpose; the CLI turns these into one line and exit 2."""


class InvalidValueError(LegationError, ValueError):
    """A value given for a field is not one the field accepts.

    Attributes:
        field: the name of the field.
        expected: what the field accepts, in words.
        found: what was given, as the user wrote it.
    """

    def __init__(self, field: str, expected: str, found: object) -> None:
        self.field = field
        self.expected = expected
        self.found = found
        message = f"field {field!r}: expected {expected}, found {found!r}"
        super().__init__(message)


class DateFormatError(InvalidValueError):
    """Text that is not a supported EDTF date."""


class LogError(LegationError, ValueError):
    """An ordered log that breaks one of its rules (duplicate id, unknown actor, bad cause, ...).

    Attributes:
        event_id: the id of the offending event, or None for log-wide problems.
        field: the field at fault, or None.
        rule: the rule that was broken, in words.
        expected: what the field would have needed, in words, when the rule is about one value; else None.
        found: the value at fault, when `expected` is given.
    """

    def __init__(
        self,
        rule: str,
        event_id: str | None = None,
        field: str | None = None,
        *,
        expected: str | None = None,
        found: object = None,
    ) -> None:
        self.rule = rule
        self.event_id = event_id
        self.field = field
        self.expected = expected
        self.found = found
        where = f"event {event_id!r}" if event_id is not None else "log"
        if field is not None:
            where += f", field {field!r}"
        super().__init__(f"{where}: {rule}")


class ScenarioFileError(LegationError, ValueError):
    """A scenario or counterfactual file that cannot be read, named by file and line where known.

    Attributes:
        path: the file.
        line: 1-based line number, or None when it cannot be told.
        event_id: the event at fault, or None.
        detail: what is wrong, in words.
    """

    def __init__(self, path: str, detail: str, line: int | None = None, event_id: str | None = None) -> None:
        self.path = path
        self.line = line
        self.event_id = event_id
        self.detail = detail
        where = path if line is None else f"{path}:{line}"
        if event_id is not None:
            where += f": event {event_id!r}"
        super().__init__(f"{where}: {detail}")
