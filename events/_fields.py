"""Converters and validators for event fields, each failing with the field name, what was expected and found."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

import attrs

from events._actors import CODE_PATTERN
from events._dates import SUPPORTED_FORMS, DateInterval, EventDate, ImpreciseDate
from events._errors import DateFormatError, InvalidValueError


def _to_date(value: Any, field: attrs.Attribute) -> EventDate:
    if isinstance(value, ImpreciseDate | DateInterval):
        return value
    if not isinstance(value, str):
        raise InvalidValueError(field.name, SUPPORTED_FORMS + " (as a quoted string)", value)
    try:
        return ImpreciseDate.parse(value)
    except DateFormatError as error:
        raise InvalidValueError(field.name, error.expected, value) from None


def _to_optional_date(value: Any, field: attrs.Attribute) -> EventDate | None:
    return None if value is None else _to_date(value, field)


def _to_texts(value: Any, field: attrs.Attribute) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise InvalidValueError(field.name, "a list of strings", value)
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise InvalidValueError(field.name, "a list of non-empty strings", value)
    return tuple(value)


def _to_results(value: Any, field: attrs.Attribute) -> tuple[tuple[str, float], ...]:
    items = value.items() if isinstance(value, dict) else value
    try:
        pairs = tuple((str(label), float(share)) for label, share in items)
    except (TypeError, ValueError):
        raise InvalidValueError(field.name, "a table of answer = percentage", value) from None
    labels = [label for label, _ in pairs]
    if len(set(labels)) != len(labels):
        # Files hold the results as a table, which cannot repeat a key: refuse what could not be written.
        raise InvalidValueError(field.name, "each answer once", labels)
    for label, share in pairs:
        if not 0 <= share <= 100:
            raise InvalidValueError(field.name, f"a percentage from 0 to 100 for {label!r}", share)
    return pairs


DATE = attrs.Converter(_to_date, takes_field=True)
OPTIONAL_DATE = attrs.Converter(_to_optional_date, takes_field=True)
TEXTS = attrs.Converter(_to_texts, takes_field=True)
RESULTS = attrs.Converter(_to_results, takes_field=True)


def text(instance: object, field: attrs.Attribute, value: object) -> None:
    """Validate a non-empty string."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(field.name, "a non-empty string", value)


def optional_text(instance: object, field: attrs.Attribute, value: object) -> None:
    """Validate a non-empty string or None."""
    if value is not None:
        text(instance, field, value)


def note_text(instance: object, field: attrs.Attribute, value: object) -> None:
    """Validate a string that may be empty."""
    if not isinstance(value, str):
        raise InvalidValueError(field.name, "a string", value)


def code(instance: object, field: attrs.Attribute, value: object) -> None:
    """Validate an actor code."""
    if not isinstance(value, str) or CODE_PATTERN.fullmatch(value) is None:
        raise InvalidValueError(field.name, "an actor code such as BOL (upper-case letters)", value)


def optional_code(instance: object, field: attrs.Attribute, value: object) -> None:
    """Validate an actor code or None."""
    if value is not None:
        code(instance, field, value)


def flag(instance: object, field: attrs.Attribute, value: object) -> None:
    """Validate a boolean (true or false, not 1 or "yes")."""
    if not isinstance(value, bool):
        raise InvalidValueError(field.name, "true or false", value)


def one_of(options: Collection[str]) -> Callable[[object, attrs.Attribute, object], None]:
    """Validate a string that is one of `options`."""
    listed = ", ".join(sorted(options))

    def check(instance: object, field: attrs.Attribute, value: object) -> None:
        if value not in options:
            raise InvalidValueError(field.name, f"one of {listed}", value)

    check.options = tuple(options)  # read by the Hypothesis strategies
    return check


def optional_one_of(options: Collection[str]) -> Callable[[object, attrs.Attribute, object], None]:
    """Validate None or a string that is one of `options`."""
    inner = one_of(options)

    def check(instance: object, field: attrs.Attribute, value: object) -> None:
        if value is not None:
            inner(instance, field, value)

    check.options = inner.options
    return check


def optional_count(instance: object, field: attrs.Attribute, value: object) -> None:
    """Validate a whole number from 0, or None."""
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise InvalidValueError(field.name, "a whole number from 0", value)


def optional_weight(instance: object, field: attrs.Attribute, value: object) -> None:
    """Validate a number from -10 to 10 (the Goldstein scale), or None."""
    if value is None:
        return
    if not isinstance(value, int | float) or isinstance(value, bool) or not -10 <= value <= 10:
        raise InvalidValueError(field.name, "a number from -10 to 10", value)


def event_code(instance: object, field: attrs.Attribute, value: object) -> None:
    """Validate a CAMEO event code: two to four digits, as the codebook writes it (`01`, `161`, `1621`)."""
    if not isinstance(value, str) or not value.isdigit() or not 2 <= len(value) <= 4 or not value.isascii():
        raise InvalidValueError(field.name, "a CAMEO event code of 2 to 4 digits, such as 161", value)


def at_least_one(instance: object, field: attrs.Attribute, value: tuple) -> None:
    """Validate a non-empty tuple."""
    if not value:
        raise InvalidValueError(field.name, "at least one entry", list(value))


def some_of(options: Collection[str]) -> Callable[[object, attrs.Attribute, object], None]:
    """Validate a tuple of distinct strings, each one of `options` (after the `TEXTS` converter)."""
    listed = ", ".join(sorted(options))

    def check(instance: object, field: attrs.Attribute, value: object) -> None:
        if not isinstance(value, tuple) or any(item not in options for item in value) or len(set(value)) != len(value):
            raise InvalidValueError(field.name, f"a list of distinct values among {listed}", list(value))

    check.members = tuple(options)  # read by the Hypothesis strategies (a list of them, not one)
    return check
