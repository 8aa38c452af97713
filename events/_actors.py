"""Actors (states and historical entities), their periods of existence and Correlates of War codes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import tomli

from events._dates import EventDate
from events._errors import InvalidValueError

# ISO 3166-1 alpha-3 codes, user-assigned X.. codes for historical entities, and longer
# upper-case names for blocs (ALBA) that ISO has no code for.
CODE_PATTERN = re.compile(r"[A-Z][A-Z0-9_]{1,31}")


def _check_code(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or CODE_PATTERN.fullmatch(value) is None:
        raise InvalidValueError(attribute.name, "an actor code such as BOL (upper-case letters)", value)


def _check_name(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(attribute.name, "the actor's name, as a non-empty string", value)


def _check_cow(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise InvalidValueError(attribute.name, "a Correlates of War code (a whole number)", value)


@attrs.frozen
class Actor:
    """A state or other entity that can act in a history."""

    code: str = attrs.field(validator=_check_code)
    """ISO 3166-1 alpha-3 code, or a user-assigned code (XPB) for an entity ISO lacks."""
    name: str = attrs.field(validator=_check_name)
    """English short name."""
    cow: int | None = attrs.field(default=None, validator=_check_cow)
    """Correlates of War state code, when COW has one."""
    start: EventDate | None = None
    """When the entity came into being, if inside the histories it appears in."""
    end: EventDate | None = None
    """When it ceased to exist, if it did."""

    def to_dict(self) -> dict[str, Any]:
        """The actor as a file's `[[actors]]` table holds it (fields left out when unknown)."""
        row: dict[str, Any] = {"code": self.code, "name": self.name}
        if self.cow is not None:
            row["cow"] = self.cow
        if self.start is not None:
            row["start"] = str(self.start)
        if self.end is not None:
            row["end"] = str(self.end)
        return row

    def existed_possibly_on(self, when: EventDate) -> bool:
        """False only when `when` lies certainly before the start or after the end."""
        if self.start is not None and when.latest < self.start.earliest:
            return False
        return not (self.end is not None and when.earliest > self.end.latest)


def _own_copy(by_code: Mapping[str, Actor]) -> dict[str, Actor]:
    """A table's own copy of the actors it is given, so that changing the caller's dict cannot change it."""
    return dict(by_code)


@attrs.frozen
class ActorTable(Mapping[str, Actor]):
    """Actors by code; immutable. `with_actors` returns a table with more (or overriding) actors."""

    by_code: Mapping[str, Actor] = attrs.field(converter=_own_copy)

    def __getitem__(self, code: str) -> Actor:
        return self.by_code[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self.by_code)

    def __len__(self) -> int:
        return len(self.by_code)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.by_code.items(), key=lambda item: item[0])))

    def with_actors(self, actors: Iterable[Actor]) -> ActorTable:
        """A new table with these actors added, replacing any with the same code."""
        merged = dict(self.by_code)
        merged.update((actor.code, actor) for actor in actors)
        return ActorTable(merged)

    def by_cow(self, cow: int) -> Actor:
        """The actor with this Correlates of War code.

        Raises:
            KeyError: no actor in the table has it.
        """
        for actor in self.by_code.values():
            if actor.cow == cow:
                return actor
        raise KeyError(cow)


_BUILTIN: ActorTable | None = None


def builtin_actors() -> ActorTable:
    """The actors legation knows without a scenario declaring them (see events/actors.toml)."""
    global _BUILTIN
    if _BUILTIN is None:
        # Beside this module; importlib.resources would import zipfile and more to find it.
        text = Path(__file__).with_name("actors.toml").read_text(encoding="utf-8")
        rows = tomli.loads(text)["actors"]
        _BUILTIN = ActorTable({row["code"]: Actor(**row) for row in rows})
    return _BUILTIN
