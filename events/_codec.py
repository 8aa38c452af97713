"""Events to and from plain dicts (the shape of TOML tables and JSON objects), with schema versions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from events._dates import DateInterval, ImpreciseDate
from events._errors import InvalidValueError
from events._kinds import EVENT_KINDS, KIND_ALIASES, Event

SCHEMA_VERSION = 1
"""The version of the file schema this code writes."""

UPCASTERS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}
"""`UPCASTERS[v]` turns a whole document of schema version v into version v + 1 (none yet: v1 is the first)."""

_BASE_ORDER = ("kind", "id", "date", "actor", "target")


def upcast(document: dict[str, Any]) -> dict[str, Any]:
    """Bring a document written by any earlier schema version up to `SCHEMA_VERSION`.

    Raises:
        InvalidValueError: the version is missing from the chain, newer than this code, or not a number.
    """
    version = document.get("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidValueError("schema_version", f"a whole number from 1 to {SCHEMA_VERSION}", version)
    if version > SCHEMA_VERSION:
        raise InvalidValueError("schema_version", f"at most {SCHEMA_VERSION} (written by a newer legation?)", version)
    while version < SCHEMA_VERSION:
        step = UPCASTERS.get(version)
        if step is None:
            raise InvalidValueError("schema_version", "a version this legation can upcast", version)
        document = step(dict(document))
        version += 1
        document["schema_version"] = version
    return document


def kind_class(tag: object) -> type[Event]:
    """The event class for a file tag (or an old alias of one).

    Raises:
        InvalidValueError: no kind has this tag.
    """
    if not isinstance(tag, str):
        raise InvalidValueError("kind", "an event kind such as relations_severed", tag)
    cls = EVENT_KINDS.get(KIND_ALIASES.get(tag, tag))
    if cls is None:
        raise InvalidValueError("kind", f"one of {', '.join(sorted(EVENT_KINDS))}", tag)
    return cls


def event_from_dict(data: dict[str, Any]) -> Event:
    """Build an event from a TOML table or JSON object with a `kind` key.

    Raises:
        InvalidValueError: unknown kind, unknown or missing field, or a value the field refuses;
            the error names the field, what was expected and what was found.
    """
    if not isinstance(data, dict):
        raise InvalidValueError("event", "a table of fields", data)
    cls = kind_class(data.get("kind"))
    fields = {a.alias: a for a in attrs.fields(cls) if a.init}
    for key in data:
        if key != "kind" and key not in fields:
            raise InvalidValueError(key, f"one of the fields of {cls.KIND}: {', '.join(fields)}", key)
    for name, attribute in fields.items():
        if attribute.default is attrs.NOTHING and name not in data:
            raise InvalidValueError(name, f"a value (a {cls.KIND} event requires it)", None)
    values = {key: value for key, value in data.items() if key != "kind"}
    try:
        return cls(**values)
    except InvalidValueError:
        raise
    except (TypeError, ValueError) as error:
        raise InvalidValueError("event", f"valid {cls.KIND} fields ({error})", data.get("id")) from None


def event_to_dict(event: Event) -> dict[str, Any]:
    """The plain-dict form of an event: kind first, default values left out, dates in EDTF."""
    data: dict[str, Any] = {"kind": event.KIND}
    for attribute in attrs.fields(type(event)):
        value = getattr(event, attribute.name)
        if attribute.default is not attrs.NOTHING and value == attribute.default:
            continue
        data[attribute.name] = _plain(value, attribute.name)
    ordered = {key: data[key] for key in _BASE_ORDER if key in data}
    ordered.update((key, value) for key, value in data.items() if key not in ordered)
    return ordered


def _plain(value: Any, name: str) -> Any:
    if isinstance(value, ImpreciseDate | DateInterval):
        return str(value)
    if name == "results":
        return {label: share for label, share in value}
    if isinstance(value, tuple):
        return list(value)
    return value
