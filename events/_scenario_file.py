"""Scenario files: a history as human-editable TOML, read with line-numbered errors and written back."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs
import tomli
import tomli_w

from events._actors import Actor, ActorTable, builtin_actors
from events._codec import SCHEMA_VERSION, event_from_dict, event_to_dict, upcast
from events._compose import INCLUDE_KEY, Composer, IncludeResolver, id_clash, merge
from events._dates import ImpreciseDate
from events._errors import InvalidValueError, LogError, ScenarioFileError
from events._files import read_text_file, write_file
from events._kinds import Event
from events._log import Log, check_events
from events._toml_positions import MAX_NESTING, TomlPositions, nesting_problem

_ACTOR_FIELDS = ("code", "name", "cow", "start", "end")


@attrs.frozen
class Scenario:
    """A named history: its log, the pair it is mainly about, and where it came from."""

    name: str
    """Short name (the file's stem or folder name unless the file says otherwise)."""
    log: Log
    """The events."""
    pair: tuple[str, str] | None = None
    """The pair the history is about, as written (first actor first); the CLI's default `--pair`."""
    title: str = ""
    """A title for people."""
    description: str = ""
    """What the history covers and where it comes from."""
    path: str | None = None
    """The file it was read from, if any."""
    declared_actors: tuple[Actor, ...] = ()
    """Actors the file declares beyond (or instead of) the built-in table (with those of the files it includes)."""
    origins: dict[str, str] = attrs.field(factory=dict, eq=False, repr=False)
    """The file each event came from, by id, when the file includes others (else every event is `path`'s)."""
    files: tuple[str, ...] = attrs.field(default=(), eq=False)
    """Every file read to make the scenario: its own, then those it includes (empty when built in Python)."""

    def origin(self, event_id: str) -> str:
        """The file an event of this scenario was read from."""
        return self.origins.get(event_id) or self.path or self.name


class _Lines:
    """Where each `[[events]]` / `[[actors]]` table and each key of it is written in the text.

    The text is scanned on the first question only: a sound file never asks, and the scan would add to the
    time of reading the built-in history (on every `legation at`).
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._positions: TomlPositions | None = None

    def of(self, table: str, index: int, key: str | None = None) -> int | None:
        if self._positions is None:
            self._positions = TomlPositions(self._text)
        if key is not None:
            found = self._positions.line(table, index, key)
            if found is not None:
                return found
        return self._positions.line(table, index)


def read_scenario(path: str | Path, name: str | None = None) -> Scenario:
    """Read and validate a scenario file.

    Raises:
        ScenarioFileError: the file is missing, unreadable, not TOML, or holds a bad actor, event or
            log; the message names the file, the line and event id where known, the field, what was
            expected and what was found.
    """
    problems = scenario_problems(path, name=name, stop_at_first=True)
    if isinstance(problems, Scenario):
        return problems
    raise problems[0]


def check_scenario(path: str | Path) -> list[ScenarioFileError]:
    """Every problem of a scenario file at once (empty when it reads cleanly)."""
    problems = scenario_problems(path, stop_at_first=False)
    return [] if isinstance(problems, Scenario) else problems


def scenario_problems(
    path: str | Path,
    name: str | None = None,
    stop_at_first: bool = False,
    *,
    resolve_include: IncludeResolver | None = None,
    _composer: Composer | None = None,
) -> Scenario | list[ScenarioFileError]:
    """Read a scenario file; the scenario if it is sound, else its problems (the first, or all).

    `resolve_include` says where an `include` entry points (default: a path relative to the file).
    """
    shown = str(path)
    try:
        text = read_text_file(path, "a scenario file")
    except ScenarioFileError as error:
        return [error]
    return parse_scenario(
        text,
        shown,
        name=name or Path(path).stem,
        stop_at_first=stop_at_first,
        resolve_include=resolve_include,
        _composer=_composer,
    )


def parse_scenario(
    text: str,
    path: str = "<string>",
    name: str = "scenario",
    stop_at_first: bool = True,
    *,
    resolve_include: IncludeResolver | None = None,
    _composer: Composer | None = None,
) -> Scenario | list[ScenarioFileError]:
    """Parse scenario TOML text; the scenario if it is sound, else its problems.

    A file with a top-level `include` list is composed with the files it names (see events._compose).
    """
    document = load_toml(text, path)
    if isinstance(document, ScenarioFileError):
        return [document]
    lines = _Lines(text)
    problems: list[ScenarioFileError] = []
    try:
        document = upcast(document)
    except InvalidValueError as error:
        return [ScenarioFileError(path, str(error), 1)]
    for key in document:
        if key not in ("schema_version", INCLUDE_KEY, "scenario", "actors", "events"):
            problems.append(
                ScenarioFileError(
                    path, f"unknown top-level key {key!r}: expected schema_version, include, scenario, actors, events"
                )
            )
    meta = document.get("scenario", {})
    pair: tuple[str, str] | None = None
    if not isinstance(meta, dict):
        problems.append(ScenarioFileError(path, f"field 'scenario': expected a table, found {meta!r}"))
        meta = {}
    for key in ("name", "title", "description"):
        if key in meta and not isinstance(meta[key], str):
            detail = f"[scenario] field {key!r}: expected a string, found {meta[key]!r}"
            problems.append(ScenarioFileError(path, detail))
            meta = {k: v for k, v in meta.items() if k != key}
    raw_pair = meta.get("pair")
    if raw_pair is not None:
        if (
            isinstance(raw_pair, list)
            and len(raw_pair) == 2
            and all(isinstance(code, str) for code in raw_pair)
            and raw_pair[0] != raw_pair[1]
        ):
            pair = (raw_pair[0], raw_pair[1])
        else:
            problems.append(
                ScenarioFileError(path, f"field 'pair': expected two different actor codes, found {raw_pair!r}")
            )
    actors, actor_problems = _read_actors(document.get("actors", []), lines, path)
    problems.extend(actor_problems)
    included = _Included()
    if INCLUDE_KEY in document:
        included = _read_included(document[INCLUDE_KEY], text, path, actors, resolve_include, _composer, stop_at_first)
        actors = included.actors
        problems.extend(included.problems)
    table = builtin_actors().with_actors(actors)
    if pair is not None:
        for code in pair:
            if code not in table:
                problems.append(ScenarioFileError(path, f"field 'pair': expected known actor codes, found {code!r}"))
    raw_events = document.get("events", [])
    if not isinstance(raw_events, list):
        problems.append(ScenarioFileError(path, f"field 'events': expected [[events]] tables, found {raw_events!r}"))
        raw_events = []
    events: list[Event] = []
    indexes_by_id: dict[str, list[int]] = {}
    for index, raw in enumerate(raw_events):
        event_id = raw.get("id") if isinstance(raw, dict) else None
        event_id = event_id if isinstance(event_id, str) else None
        try:
            event = event_from_dict(raw)
        except InvalidValueError as error:
            line = lines.of("events", index, error.field)
            label = f"event #{index + 1}" if event_id is None else None
            detail = str(error) if label is None else f"{label}: {error}"
            problems.append(ScenarioFileError(path, detail, line, event_id))
            if stop_at_first:
                return problems
            continue
        events.append(event)
        indexes_by_id.setdefault(event.id, []).append(index)
    problems.extend(_own_id_clashes(included.origins, events, indexes_by_id, lines, path))
    if problems:
        return problems[:1] if stop_at_first else problems
    events[:0] = included.events  # the included histories first; Log.of orders all of them by date
    try:
        log = Log.of(events, table)
    except LogError as refused:
        # Checked again, only now, for every problem (or the first) with its line: a sound log is checked once.
        for broken in check_events(events, table) or [refused]:
            found = indexes_by_id.get(broken.event_id or "", [])
            # A duplicate id is reported where it is used the second time; other rules at the event.
            at = found[1] if broken.field == "id" and len(found) > 1 else found[0] if found else None
            broken_line = None if at is None else lines.of("events", at, "id")
            if broken.field is not None and broken.field != "id" and broken.event_id:
                broken_line = _field_line(lines, raw_events, broken.event_id, broken.field) or broken_line
            problems.append(_from_log_error(path, broken, broken_line))
            if stop_at_first:
                break
        return problems
    return Scenario(
        name=str(meta.get("name", name)),
        log=log,
        pair=pair,
        title=str(meta.get("title", "")),
        description=str(meta.get("description", "")),
        path=path,
        declared_actors=tuple(actors),
        origins={**included.origins, **dict.fromkeys(indexes_by_id, path)} if included.files else {},
        files=(path, *included.files),
    )


def load_toml(
    text: str, path: str, error: type[ScenarioFileError] = ScenarioFileError
) -> dict[str, Any] | ScenarioFileError:
    """The TOML document of a text, or the error (of class `error`) naming the line where it stops being TOML.

    Nesting deeper than `MAX_NESTING` is refused before tomli reads it (tomli would recurse until Python's
    limit and raise RecursionError).
    """
    too_deep = nesting_problem(text)
    if too_deep is not None:
        detail = f"expected arrays and inline tables nested at most {MAX_NESTING} deep, found deeper nesting"
        return error(path, detail, too_deep)
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as problem:
        return error(path, f"not valid TOML: {problem.msg}", problem.lineno)
    except RecursionError:
        return error(path, f"expected tables nested at most {MAX_NESTING} deep, found deeper nesting")


_SCENARIO_KEYS = ("schema_version", INCLUDE_KEY, "scenario", "actors", "events")


def is_scenario_text(text: str) -> bool:
    """Whether a text is shaped as a scenario file: TOML with `[[events]]` tables and only scenario keys.

    Sound or not, such a file may be reported on in detail; a file that fails this test (a configuration
    file, a key store) is someone else's, and its content is not to be shown (see `scenarios.load_counterfactual`).
    """
    document = load_toml(text, "<text>")
    if isinstance(document, ScenarioFileError):
        return False
    return (
        isinstance(document.get("events"), list)
        and all(isinstance(row, dict) for row in document["events"])
        and all(key in _SCENARIO_KEYS for key in document)
    )


def document_kind(text: str) -> str | None:
    """What a text is written as: "counterfactual", "scenario", or None when it is TOML shaped as neither.

    A counterfactual has a `[counterfactual]` table or `[[edits]]`; anything else that may be a scenario is
    one (so that its problems are reported as a scenario's). Decided from the document when the text is
    TOML, else from the tables the position finder sees before the text stops being TOML (so a header inside
    a string never counts, as it would for a regex over lines).
    """
    document = load_toml(text, "<text>")
    if isinstance(document, dict):
        if "counterfactual" in document or "edits" in document:
            return "counterfactual"
        return "scenario" if all(key in _SCENARIO_KEYS for key in document) else None
    positions = TomlPositions(text)
    if positions.line("counterfactual") is not None or positions.line("edits") is not None:
        return "counterfactual"
    return "scenario"


@attrs.frozen
class _Included:
    """What a file's includes bring: their events (each once), the file of each, the actors, the files read."""

    events: list[Event] = attrs.field(factory=list)
    origins: dict[str, str] = attrs.field(factory=dict)
    actors: list[Actor] = attrs.field(factory=list)
    files: tuple[str, ...] = ()
    problems: list[ScenarioFileError] = attrs.field(factory=list)


def _read_included(
    raw: Any,
    text: str,
    path: str,
    own_actors: list[Actor],
    resolve: IncludeResolver | None,
    composer: Composer | None,
    stop_at_first: bool,
) -> _Included:
    composer = composer or Composer(resolve)
    composer.enter(path)
    try:
        scenarios, problems = composer.included(raw, path, text, stop_at_first=stop_at_first)
    finally:
        composer.leave()
    events, origins, actors, clashes = merge(scenarios, own_actors, path)
    files = tuple(dict.fromkeys(file for scenario in scenarios for file in scenario.files))
    return _Included(events, origins, actors, files, [*problems, *clashes])


def _own_id_clashes(
    origins: dict[str, str], events: list[Event], indexes_by_id: dict[str, list[int]], lines: _Lines, path: str
) -> list[ScenarioFileError]:
    """An own event whose id an included file's event uses already."""
    return [
        id_clash(event.id, origins[event.id], path, lines.of("events", indexes_by_id[event.id][0], "id"))
        for event in events
        if event.id in origins
    ]


def _field_line(lines: _Lines, raw_events: list[Any], event_id: str, field: str) -> int | None:
    for index, raw in enumerate(raw_events):
        if isinstance(raw, dict) and raw.get("id") == event_id:
            return lines.of("events", index, field)
    return None


def _from_log_error(path: str, error: LogError, line: int | None) -> ScenarioFileError:
    detail = error.rule if error.field is None else f"field {error.field!r}: {error.rule}"
    return ScenarioFileError(path, detail, line, error.event_id)


def _read_actors(raw: Any, lines: _Lines, path: str) -> tuple[list[Actor], list[ScenarioFileError]]:
    if not isinstance(raw, list):
        return [], [ScenarioFileError(path, f"field 'actors': expected [[actors]] tables, found {raw!r}")]
    actors, problems = [], []
    for index, row in enumerate(raw):
        try:
            if not isinstance(row, dict):
                raise InvalidValueError("actors", "a table with code and name", row)
            for key in row:
                if key not in _ACTOR_FIELDS:
                    raise InvalidValueError(key, f"one of the actor fields {', '.join(_ACTOR_FIELDS)}", key)
            for key in ("code", "name"):
                if key not in row:
                    raise InvalidValueError(key, "a value (every actor has a code and a name)", None)
            dates = {}
            for key in ("start", "end"):
                if key in row:
                    if not isinstance(row[key], str):
                        raise InvalidValueError(key, "an EDTF date as a quoted string", row[key])
                    try:
                        dates[key] = ImpreciseDate.parse(row[key])
                    except InvalidValueError as error:
                        raise InvalidValueError(key, error.expected, row[key]) from None
            cow = row.get("cow")
            if cow is not None and (not isinstance(cow, int) or isinstance(cow, bool)):
                raise InvalidValueError("cow", "a Correlates of War code (a whole number)", cow)
            actors.append(Actor(code=row["code"], name=row["name"], cow=cow, **dates))
        except InvalidValueError as error:
            code = row.get("code") if isinstance(row, dict) else None
            line = lines.of("actors", index, error.field)
            problems.append(ScenarioFileError(path, f"actor {code or '#' + str(index + 1)}: {error}", line))
    return actors, problems


def dump_scenario(scenario: Scenario) -> str:
    """The TOML text of a scenario; `parse_scenario` of it gives an equal scenario."""
    document: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    meta: dict[str, Any] = {"name": scenario.name}
    if scenario.title:
        meta["title"] = scenario.title
    if scenario.pair is not None:
        meta["pair"] = list(scenario.pair)
    if scenario.description:
        meta["description"] = scenario.description
    document["scenario"] = meta
    if scenario.declared_actors:
        document["actors"] = [actor.to_dict() for actor in scenario.declared_actors]
    document["events"] = [event_to_dict(event) for event in scenario.log]
    # tomli_w writes "\r\n" inside a multi-line string as "\n"; keep such texts exact, on one line each.
    return tomli_w.dumps(document, multiline_strings=not _has_crlf(document))


def _has_crlf(value: Any) -> bool:
    if isinstance(value, str):
        return "\r\n" in value
    if isinstance(value, dict):
        return any(_has_crlf(item) for item in value.values()) or any(_has_crlf(key) for key in value)
    if isinstance(value, list):
        return any(_has_crlf(item) for item in value)
    return False


def write_scenario(scenario: Scenario, path: str | Path) -> None:
    """Write a scenario file whole, keeping what is there until it is written (see `events.write_file`)."""
    write_file(path, dump_scenario(scenario).encode("utf-8"))


def scenario_of(
    events: Iterable[Event],
    name: str = "scenario",
    actors: Iterable[Actor] = (),
    pair: tuple[str, str] | None = None,
    title: str = "",
) -> Scenario:
    """A scenario built in Python from events and any extra actors."""
    declared = tuple(actors)
    table: ActorTable = builtin_actors().with_actors(declared)
    return Scenario(name=name, log=Log.of(events, table), pair=pair, title=title, declared_actors=declared)
