"""JSON Lines histories (one JSON object a line, in the dict form scenario files use) and atomic writes."""

from __future__ import annotations

import json
from pathlib import Path

from engine.store._records import Meta, encode
from events import (
    SCHEMA_VERSION,
    Event,
    InvalidValueError,
    Log,
    LogError,
    Scenario,
    ScenarioFileError,
    builtin_actors,
    event_from_dict,
    event_to_dict,
    read_scenario,
    upcast,
    write_file,
)

JSONL_SUFFIXES = (".jsonl", ".ndjson")


def dump_jsonl(scenario: Scenario) -> str:
    """A history as JSON Lines: a header line (schema version, scenario, actors), then one event a line.

    `read_jsonl` of it gives an equal scenario; each event line is `event_to_dict(event)`, the table a
    scenario file holds for it.
    """
    meta = Meta(scenario.name, scenario.title, scenario.pair, scenario.description, scenario.declared_actors)
    lines = [encode({"schema_version": SCHEMA_VERSION, **meta.to_dict()})]
    lines.extend(encode(event_to_dict(event)) for event in scenario.log)
    return "\n".join(lines) + "\n"


def read_jsonl(path: str | Path) -> Scenario:
    """Read a JSON Lines history (see `dump_jsonl`; the header line is optional).

    Raises:
        ScenarioFileError: unreadable file, a line that is not a JSON object or not an event, or a log rule
            broken; names the file, the line and the event id.
    """
    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioFileError(shown, "no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioFileError(shown, f"cannot read the file ({error.__class__.__name__}: {error})") from None
    meta = Meta(name=Path(path).stem)
    events: list[Event] = []
    line_of: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise ScenarioFileError(shown, f"not a JSON object: {error.msg}", number) from None
        event_id = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None
        try:
            if isinstance(data, dict) and "kind" not in data and not events and number == _first_line(text):
                meta = Meta.from_dict(upcast(data))
                continue
            event = event_from_dict(data)
        except InvalidValueError as error:
            raise ScenarioFileError(shown, str(error), number, event_id) from None
        events.append(event)
        line_of.setdefault(event.id, number)
    try:
        log = Log.of(events, builtin_actors().with_actors(meta.actors))
    except LogError as error:
        detail = error.rule if error.field is None else f"field {error.field!r}: {error.rule}"
        raise ScenarioFileError(shown, detail, line_of.get(error.event_id or ""), error.event_id) from None
    return Scenario(
        name=meta.name,
        log=log,
        pair=meta.pair,
        title=meta.title,
        description=meta.description,
        path=shown,
        declared_actors=meta.actors,
    )


def _first_line(text: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            return number
    return 0


def read_history_file(path: str | Path) -> Scenario:
    """A scenario file (TOML) or, by its suffix, a JSON Lines history."""
    if str(path).endswith(JSONL_SUFFIXES):
        return read_jsonl(path)
    return read_scenario(path)


def write_text_atomically(path: str | Path, text: str) -> None:
    """Write a file whole, keeping what is there until it is written (see `events.write_file`)."""
    write_file(path, text.encode("utf-8"), label="-o")
