"""Converters and validators for event fields, each failing with the field name, what was expected and found."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

import attrs

from events._actors import CODE_PATTERN
from events._dates import SUPPORTED_FORMS, DateInterval, EventDate, ImpreciseDate
from events._errors import DateFormatError, InvalidValueError


def _to_date(value: object, field: attrs.Attribute[Any]) -> EventDate:
    if isinstance(value, ImpreciseDate | DateInterval):
        return value
    if not isinstance(value, str):
        raise InvalidValueError(field.name, SUPPORTED_FORMS + " (as a quoted string)", value)
    try:
        return ImpreciseDate.parse(value)
    except DateFormatError as error:
        raise InvalidValueError(field.name, error.expected, value) from None


def _to_optional_date(value: object, field: attrs.Attribute[Any]) -> EventDate | None:
    return None if value is None else _to_date(value, field)


def _to_texts(value: object, field: attrs.Attribute[Any]) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise InvalidValueError(field.name, "a list of strings", value)
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise InvalidValueError(field.name, "a list of non-empty strings", value)
    return tuple(value)


def _to_results(value: Any, field: attrs.Attribute[Any]) -> tuple[tuple[str, float], ...]:
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


def _to_texts_or_none(value: object, field: attrs.Attribute[Any]) -> tuple[str, ...]:
    return () if value is None else _to_texts(value, field)


if TYPE_CHECKING:
    # mypy's attrs plugin follows a converter only when it is a named function, not an `attrs.Converter`
    # (python/mypy#15736): to it, each converter is declared as what the generated __init__ keeps. They take
    # anything (a file hands them whatever it holds) and refuse what they cannot convert with the project's error.
    def DATE(value: object, /) -> EventDate: ...
    def OPTIONAL_DATE(value: object, /) -> EventDate | None: ...
    def TEXTS(value: object, /) -> tuple[str, ...]: ...
    def OPTIONAL_TEXTS(value: object, /) -> tuple[str, ...]: ...
    def RESULTS(value: object, /) -> tuple[tuple[str, float], ...]: ...

else:
    # The field's name goes into the error, so each converter takes the field too.
    DATE = attrs.Converter(_to_date, takes_field=True)
    OPTIONAL_DATE = attrs.Converter(_to_optional_date, takes_field=True)
    TEXTS = attrs.Converter(_to_texts, takes_field=True)
    OPTIONAL_TEXTS = attrs.Converter(_to_texts_or_none, takes_field=True)
    """A list of texts, or None for none."""
    RESULTS = attrs.Converter(_to_results, takes_field=True)


def text(instance: object, field: attrs.Attribute[Any], value: object) -> None:
    """Validate a non-empty string."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(field.name, "a non-empty string", value)


def optional_text(instance: object, field: attrs.Attribute[Any], value: object) -> None:
    """Validate a non-empty string or None."""
    if value is not None:
        text(instance, field, value)


def note_text(instance: object, field: attrs.Attribute[Any], value: object) -> None:
    """Validate a string that may be empty."""
    if not isinstance(value, str):
        raise InvalidValueError(field.name, "a string", value)


def code(instance: object, field: attrs.Attribute[Any], value: object) -> None:
    """Validate an actor code."""
    if not isinstance(value, str) or CODE_PATTERN.fullmatch(value) is None:
        raise InvalidValueError(field.name, "an actor code such as BOL (upper-case letters)", value)


def optional_code(instance: object, field: attrs.Attribute[Any], value: object) -> None:
    """Validate an actor code or None."""
    if value is not None:
        code(instance, field, value)


def flag(instance: object, field: attrs.Attribute[Any], value: object) -> None:
    """Validate a boolean (true or false, not 1 or "yes")."""
    if not isinstance(value, bool):
        raise InvalidValueError(field.name, "true or false", value)


class OneOf:
    """Validate a string that is one of `options` (a class, so that the strategies can read `options`)."""

    __slots__ = ("_allowed", "_expected", "options")

    def __init__(self, options: Collection[str]) -> None:
        self._allowed = options
        self._expected = "one of " + ", ".join(sorted(options))
        self.options = tuple(options)  # read by the Hypothesis strategies

    def __call__(self, instance: object, field: attrs.Attribute[Any], value: object) -> None:
        if value not in self._allowed:
            raise InvalidValueError(field.name, self._expected, value)


class OptionalOneOf(OneOf):
    """Validate None or a string that is one of `options`."""

    __slots__ = ()

    def __call__(self, instance: object, field: attrs.Attribute[Any], value: object) -> None:
        if value is not None and value not in self._allowed:
            raise InvalidValueError(field.name, self._expected, value)


def one_of(options: Collection[str]) -> OneOf:
    """Validate a string that is one of `options`."""
    return OneOf(options)


def optional_one_of(options: Collection[str]) -> OptionalOneOf:
    """Validate None or a string that is one of `options`."""
    return OptionalOneOf(options)


def optional_count(instance: object, field: attrs.Attribute[Any], value: object) -> None:
    """Validate a whole number from 0, or None."""
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise InvalidValueError(field.name, "a whole number from 0", value)


def optional_weight(instance: object, field: attrs.Attribute[Any], value: object) -> None:
    """Validate a number from -10 to 10 (the Goldstein scale), or None."""
    if value is None:
        return
    if not isinstance(value, int | float) or isinstance(value, bool) or not -10 <= value <= 10:
        raise InvalidValueError(field.name, "a number from -10 to 10", value)


def event_code(instance: object, field: attrs.Attribute[Any], value: object) -> None:
    """Validate a CAMEO event code: two to four digits, as the codebook writes it (`01`, `161`, `1621`)."""
    if not isinstance(value, str) or not value.isdigit() or not 2 <= len(value) <= 4 or not value.isascii():
        raise InvalidValueError(field.name, "a CAMEO event code of 2 to 4 digits, such as 161", value)


def at_least_one(instance: object, field: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    """Validate a non-empty tuple."""
    if not value:
        raise InvalidValueError(field.name, "at least one entry", list(value))


class SomeOf:
    """Validate a tuple of distinct strings, each one of `options` (after the `TEXTS` converter)."""

    __slots__ = ("_allowed", "_expected", "members")

    def __init__(self, options: Collection[str]) -> None:
        self._allowed = options
        self._expected = "a list of distinct values among " + ", ".join(sorted(options))
        self.members = tuple(options)  # read by the Hypothesis strategies (a list of them, not one)

    def __call__(self, instance: object, field: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple):
            raise InvalidValueError(field.name, self._expected, value)
        if any(item not in self._allowed for item in value) or len(set(value)) != len(value):
            raise InvalidValueError(field.name, self._expected, list(value))


def some_of(options: Collection[str]) -> SomeOf:
    """Validate a tuple of distinct strings, each one of `options` (after the `TEXTS` converter)."""
    return SomeOf(options)
