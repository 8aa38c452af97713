"""One world log from several scenario files: `include`, ids unique across files, causes that cross them.

A scenario file may name other scenario files at its top (`include = ["bolivia_usa", "../x/history.toml"]`).
Each included file is read as a scenario of its own first (so it must be sound by itself, its own includes
with it); the including file then sees every included event and may name any of them in `caused_by`. The
log is the included events and the file's own, in history order; an event keeps the order its file gave it
among events on the same day, so what a history answers for its own pairs is the same alone or composed.

Rules, each refused with one line naming the file, line and event:
- an id used by events of two different files (a file reached twice, e.g. by two includes of one history, is
  the same file: its events are taken once);
- an actor two files declare differently;
- a file that includes itself, directly or through others (a cycle).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from events._errors import ScenarioFileError
from events._files import read_text_file
from events._toml_positions import TomlPositions, event_id_lines

if TYPE_CHECKING:
    from events._actors import Actor
    from events._kinds import Event
    from events._scenario_file import Scenario

INCLUDE_KEY = "include"
"""The top-level key naming the scenario files a file includes."""
IncludeResolver = Callable[[str, Path], Path]
"""Where an include entry points: the entry as written and the including file's folder -> a history file."""


def relative_include(entry: str, folder: Path) -> Path:
    """The default resolver: a path relative to the including file's folder.

    The path names a scenario file, or a folder holding `history.toml`.

    Raises:
        ScenarioFileError: no such file or folder.
    """
    path = folder / entry
    if path.is_dir() and (path / "history.toml").is_file():
        return path / "history.toml"
    if path.is_file():
        return path
    raise ScenarioFileError(entry, "expected a scenario file or folder relative to the including file; no such file")


def include_line(text: str) -> int | None:
    """The line of the `include` key in a file's text, for messages."""
    return TomlPositions(text).line(INCLUDE_KEY)


def id_line(path: str, event_id: str) -> int | None:
    """The line of an event's id in a file, for messages about an event of an included file."""
    try:
        return event_id_lines(read_text_file(path)).get(event_id)
    except ScenarioFileError:
        return None


class Composer:
    """Reads the files a scenario includes, once each, refusing cycles; shared by one top-level read."""

    def __init__(self, resolve: IncludeResolver | None = None) -> None:
        self.resolve = resolve or relative_include
        self._read: dict[str, Scenario | list[ScenarioFileError]] = {}
        self._chain: list[str] = []

    def enter(self, path: str) -> None:
        """Note that the file `path` is being read (its includes may not lead back to it)."""
        self._chain.append(_identity(path))

    def leave(self) -> None:
        """The file last entered has been read."""
        self._chain.pop()

    def included(
        self, raw: Any, path: str, text: str, *, stop_at_first: bool
    ) -> tuple[list[Scenario], list[ScenarioFileError]]:
        """The scenarios a file's `include` value names, read in order, and the problems found reading them."""
        from events._scenario_file import scenario_problems

        line = include_line(text)
        if not isinstance(raw, list) or not all(isinstance(entry, str) and entry for entry in raw):
            detail = f"field 'include': expected a list of scenario names or paths, found {raw!r}"
            return [], [ScenarioFileError(path, detail, line)]
        folder = Path(path).parent
        found: list[Scenario] = []
        problems: list[ScenarioFileError] = []
        for entry in raw:
            try:
                target = self.resolve(entry, folder)
            except ScenarioFileError as error:
                problems.append(ScenarioFileError(path, f"field 'include': {entry!r}: {error.detail}", line))
                continue
            identity = _identity(target)
            if identity in self._chain:
                start = self._chain.index(identity)
                cycle = " -> ".join([*self._chain[start:], identity])
                problems.append(ScenarioFileError(path, f"field 'include': {entry!r} makes a cycle: {cycle}", line))
                continue
            if identity not in self._read:
                self._read[identity] = scenario_problems(
                    target, stop_at_first=stop_at_first, resolve_include=self.resolve, _composer=self
                )
            result = self._read[identity]
            if isinstance(result, list):
                problems.extend(result)
            else:
                found.append(result)
            if problems and stop_at_first:
                break
        return found, problems


def _identity(path: str | Path) -> str:
    """One name per file however it was reached (the resolved absolute path)."""
    return str(Path(path).resolve())


def _same_file(path: str, known: dict[str, str]) -> str:
    found = known.get(path)
    if found is None:
        found = known[path] = _identity(path)
    return found


def merge(
    included: Sequence[Scenario], own_actors: Sequence[Actor], path: str
) -> tuple[list[Event], dict[str, str], list[Actor], list[ScenarioFileError]]:
    """The included scenarios' events (each once), which file each came from, the actors, and any clash.

    Returns:
        the events in the order met, the file of each event id, the declared actors (included first, then
        the file's own new ones), and the problems (ids or actors two files disagree on).
    """
    events: list[Event] = []
    origins: dict[str, str] = {}
    actors: dict[str, tuple[Actor, str]] = {}
    problems: list[ScenarioFileError] = []
    identities: dict[str, str] = {}  # resolving a path asks the file system: once per file, not per event
    for scenario in included:
        for event in scenario.log:
            source = scenario.origin(event.id)
            seen = origins.get(event.id)
            if seen is None:
                origins[event.id] = source
                events.append(event)
            elif seen != source and _same_file(seen, identities) != _same_file(source, identities):
                problems.append(id_clash(event.id, seen, source))
        for actor in scenario.declared_actors:
            problems.extend(_actor_clash(actors, actor, scenario.path or path))
    for actor in own_actors:
        problems.extend(_actor_clash(actors, actor, path))
    return events, origins, [actor for actor, _ in actors.values()], problems


def id_clash(event_id: str, first: str, second: str, second_line: int | None = None) -> ScenarioFileError:
    """The error for an id that events of two different files both use (reported where it is used second)."""
    first_line = id_line(first, event_id)
    second_line = second_line if second_line is not None else id_line(second, event_id)
    where = f"{first}:{first_line}" if first_line else first
    detail = f"field 'id': the id is used by an event of {where} too (ids must be unique across included files)"
    return ScenarioFileError(second, detail, second_line, event_id)


def _actor_clash(actors: dict[str, tuple[Actor, str]], actor: Actor, path: str) -> list[ScenarioFileError]:
    known = actors.get(actor.code)
    if known is None:
        actors[actor.code] = (actor, path)
        return []
    if known[0] == actor:
        return []
    detail = f"actor {actor.code}: declared differently in {known[1]} ({known[0]}); expected the same declaration"
    return [ScenarioFileError(path, detail)]
