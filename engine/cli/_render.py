"""Answers as JSON-ready dicts and as aligned text for people."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from engine.core._history import AsOf, FieldChange, History, Period, Possibility
from engine.core._state import COW_LEVEL, Side
from events import RANK_WORDS, EventDate, ImpreciseDate, Precision

if TYPE_CHECKING:  # only named in annotations: `legation at` does not load the timeline module
    from engine.analysis._timeline import TimelineEntry

LEVEL_WORDS = RANK_WORDS
"""Each level in words (one table with the event summaries' words, in `events`)."""
AT_KEYS = (
    "date",
    "asked",
    "pair",
    "relations",
    "relations_since",
    "agreed_level",
    "consular_relations",
    "consular_since",
    "recognition",
    "representation",
    "posts",
    "agencies",
    "aid",
    "certification",
    "visa_required",
    "persona_non_grata",
    "government",
    "sanctions",
    "designations",
    "protecting_power",
    "mission_status",
    "staff_cap",
    "nominee",
    "leaders",
    "dissolved",
    "uncertain",
    "basis",
    "possibly",
)
"""The keys of `legation at --format json`, in order (documented in docs/cli.md)."""
DIRECTED_KEYS = ("recognition", "representation", "posts", "agencies", "aid", "certification", "visa_required")
"""The keys of `legation at --format json` that map each direction "A->B" to A's value in/toward B."""
NEW_DIRECTED_KEYS = (
    "government",
    "sanctions",
    "designations",
    "protecting_power",
    "mission_status",
    "staff_cap",
    "nominee",
)
"""The per-direction keys issue 19 added (which government A recognises in B, A's sanctions and designations
of B, who protects A's interests in B, how A's mission in B works, B's cap on it, A's nominee for it)."""


def date_text(date: EventDate | None, missing: str = "") -> str:
    """A date for people: EDTF, with its precision spelled out unless it is an exact day."""
    if date is None:
        return missing
    notes = []
    if date.precision is not Precision.DAY:
        notes.append(date.precision.value)
    if date.uncertain:
        notes.append("uncertain")
    if date.approximate:
        notes.append("approximate")
    return f"{date} ({', '.join(notes)})" if notes else str(date)


def date_json(date: EventDate) -> dict[str, str]:
    """A date for scripts: EDTF text, precision, and the first and last day it may stand for."""
    return {
        "date": str(date),
        "precision": date.precision.value,
        "earliest": date.earliest.isoformat(),
        "latest": date.latest.isoformat(),
    }


def table(rows: Sequence[Sequence[str]], indent: str = "") -> list[str]:
    """Rows of cells as lines with aligned columns (the first row is the header)."""
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return [
        indent + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]


def field_name(key: str) -> str:
    """The field of a state key: `aid` of `aid USA->BOL`."""
    return key.split(" ", 1)[0]


def value_json(key: str, value: Any) -> Any:
    """A field's value (as in `PairState.field_values`) in the JSON shape of `legation at`."""
    name = field_name(key)
    if name == "representation":
        level, envoy = value
        return {"level": level, "envoy": envoy, "cow": COW_LEVEL[level]}
    if name == "posts":
        return [{"kind": p.kind, "city": p.city} for p in sorted(value, key=lambda p: (p.kind, p.city))]
    if name == "agencies":
        return [
            {"name": a.name, "excluded_regions": sorted(a.excluded_regions)}
            for a in sorted(value, key=lambda a: a.name)
        ]
    if name == "persona_non_grata":
        return sorted(value)
    if name == "government":
        status, government = value
        return {"status": status, "name": government}
    if name == "sanctions":
        return [
            {"programme": s.programme, "scope": sorted(s.scope), "basis": list(s.basis)}
            for s in sorted(value, key=lambda s: s.programme)
        ]
    if name == "designations":
        return [
            {"list": d.list_name, "entity": d.entity}
            for d in sorted(value, key=lambda d: (d.list_name, d.entity or ""))
        ]
    if name == "staff_cap":
        capped, cap = value
        return {"capped": capped, "cap": cap}
    if name == "nominee":
        status, nominee, rank = value
        return None if status is None else {"name": nominee, "rank": rank, "status": status}
    return value


def _side_json(side: Side) -> dict[str, Any]:
    return {
        "recognition": side.recognizes,
        "representation": value_json("representation", (side.level, side.envoy)),
        "posts": value_json("posts", side.posts),
        "agencies": value_json("agencies", side.agencies),
        "aid": side.aid,
        "certification": side.certification,
        "visa_required": side.visa_required,
        "persona_non_grata": value_json("persona_non_grata", side.persona_non_grata),
        "government": value_json("government", (side.government_status, side.government)),
        "sanctions": value_json("sanctions", side.sanctions),
        "designations": value_json("designations", side.designations),
        "protecting_power": side.protecting_power,
        "mission_status": side.mission_status,
        "staff_cap": value_json("staff_cap", (side.staff_capped, side.staff_cap)),
        "nominee": value_json("nominee", (side.nominee_status, side.nominee, side.nominee_rank)),
    }


def as_of_json(answer: AsOf, history: History | None = None) -> dict[str, Any]:
    """The JSON object of `legation at`: per-direction keys map "A->B" to A's value in/toward B."""
    first, second = answer.pair
    state = answer.state
    directions = ((first, second), (second, first))
    sides = {f"{frm}->{to}": _side_json(state.side(frm, to)) for frm, to in directions}
    result: dict[str, Any] = {
        "date": answer.day.isoformat(),
        "asked": str(answer.asked),
        "pair": [first, second],
        "relations": state.relations,
        "relations_since": str(state.relations_since) if state.relations_since else None,
        "agreed_level": state.agreed_level,
        "consular_relations": state.consular,
        "consular_since": str(state.consular_since) if state.consular_since else None,
    }
    for key in NEW_DIRECTED_KEYS:
        result[key] = {direction: values[key] for direction, values in sides.items()}
    for key in ("recognition", "representation", "posts", "agencies", "aid", "certification"):
        result[key] = {direction: values[key] for direction, values in sides.items()}
    result["visa_required"] = {direction: values["visa_required"] for direction, values in sides.items()}
    result["persona_non_grata"] = {direction: values["persona_non_grata"] for direction, values in sides.items()}
    if history is not None:
        result["leaders"] = {code: history.actor_at(code, answer.day).leader for code in answer.pair}
    else:
        result["leaders"] = {code: None for code in answer.pair}
    result["dissolved"] = {code: _dissolved_json(history, code, answer.day) for code in answer.pair}
    result["uncertain"] = {field: list(ids) for field, ids in sorted(answer.uncertain.items())}
    result["basis"] = dict(sorted(answer.basis.items()))
    result["possibly"] = possibly_json(answer.possibly, answer.pair)
    return {key: result[key] for key in AT_KEYS}


def possibility_json(possibility: Possibility) -> dict[str, Any]:
    """One possibly-held value, in the shape `legation at` gives the field's values, and the attesting event."""
    if field_name(possibility.field) == "posts":
        value = {"kind": possibility.value.kind, "city": possibility.value.city}
    else:
        value = value_json(possibility.field, possibility.value)
    return {**value, "event": possibility.event_id, "attested": str(possibility.attested)}


def possibly_json(possibly: Sequence[Possibility], pair: Sequence[str]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """The `possibly` object of `legation at`: per direction, posts and heads of mission attested only later.

    Each may already have been there (unknown, not none) and cites the attesting event.
    """
    first, second = pair
    result: dict[str, dict[str, list[dict[str, Any]]]] = {
        direction: {"posts": [], "representation": []} for direction in (f"{first}->{second}", f"{second}->{first}")
    }
    for possibility in possibly:
        name, _, direction = possibility.field.partition(" ")
        result[direction][name].append(possibility_json(possibility))
    return result


def possibility_words(possibility: Possibility) -> str:
    """`possibly consulate (Cochabamba) [attested 1964: cochabamba-attested]`, for people."""
    data = possibility_json(possibility)
    what = words("posts", [data]) if field_name(possibility.field) == "posts" else words("representation", data)
    return f"possibly {what} [attested {date_text(possibility.attested)}: {possibility.event_id}]"


def possibly_lines(possibly: Sequence[Possibility]) -> list[str]:
    """The text section listing what is unknown rather than none on a day (empty when nothing is)."""
    if not possibly:
        return []
    lines = ["", "Unknown, not none (a source attests it only later; it may already have been so):"]
    lines.extend(f"  {possibility.field}: {possibility_words(possibility)}" for possibility in possibly)
    return lines


def _dissolved_json(history: History | None, code: str, day) -> dict[str, Any] | None:
    """When an actor of the pair had ceased to exist by the day (its date and event), or None.

    `uncertain`: the day falls inside the date's span, so the actor may not have ceased yet.
    """
    found = history.dissolution(code, day) if history is not None else None
    if found is None:
        return None
    date, event_id = found
    return {"date": str(date), "event": event_id, "uncertain": day < date.latest}


def words(key: str, value: Any) -> str:
    """A field's JSON value (see `value_json`) in words: `ambassador: Philip S. Goldberg`, `no`, `none`."""
    name = field_name(key)
    if name == "recognition":
        return "yes" if value else "no"
    if name == "representation":
        level = LEVEL_WORDS[value["level"]]
        return f"{level}: {value['envoy']}" if value["envoy"] else level
    if name == "posts":
        return ", ".join(f"{p['kind'].replace('_', ' ')} ({p['city']})" for p in value) or "none"
    if name == "agencies":
        parts = []
        for agency in value:
            excluded = agency["excluded_regions"]
            parts.append(agency["name"] + (f" (not in {', '.join(excluded)})" if excluded else ""))
        return ", ".join(parts) or "none"
    if name == "visa_required":
        return "unknown" if value is None else ("yes" if value else "no")
    if name == "persona_non_grata":
        return ", ".join(value) or "none"
    if name == "agreed_level":
        return "none" if value is None else LEVEL_WORDS[value]
    if name == "government":
        if value["status"] == "rival":
            return f"{value['name']} (a rival claimant)"
        return value["name"] if value["status"] == "recognised" else value["status"]
    if name == "sanctions":
        parts = []
        for sanction in value:
            basis = f"; {'; '.join(sanction['basis'])}" if sanction["basis"] else ""
            parts.append(f"{sanction['programme']} ({', '.join(sanction['scope'])}{basis})")
        return ", ".join(parts) or "none"
    if name == "designations":
        return ", ".join(f"{d['list']}: {d['entity']}" if d["entity"] else d["list"] for d in value) or "none"
    if name == "staff_cap":
        if not value["capped"]:
            return "none"
        return f"capped at {value['cap']}" if value["cap"] is not None else "capped (no figure given)"
    if name == "nominee":
        if value is None:
            return "none"
        return f"{value['name']} as {LEVEL_WORDS.get(value['rank'] or 'none', 'unknown rank')} ({value['status']})"
    if value is None:
        return "none"
    return str(value).replace("_", " ")


ROW_LABELS = {
    "recognition": "recognises the other",
    "representation": "head of mission",
    "posts": "posts open",
    "agencies": "agencies operating",
    "aid": "assistance",
    "certification": "narcotics certification",
    "visa_required": "visa needed by its nationals",
    "persona_non_grata": "its people declared PNG",
    "government": "government it recognises",
    "sanctions": "sanctions it imposes",
    "designations": "its designations of the other",
    "protecting_power": "interests protected by (flag)",
    "mission_status": "its mission",
    "staff_cap": "staff cap on its mission",
    "nominee": "nominee not accredited",
}


def _title(names: dict[str, str], pair: Sequence[str]) -> str:
    return " and ".join(names.get(code, code) for code in pair)


def as_of_text(answer: AsOf, history: History, names: dict[str, str]) -> str:
    """The state of a pair on a day, in words, as an aligned table citing the events behind each value."""
    data = as_of_json(answer, history)
    first, second = answer.pair
    directions = (f"{first}->{second}", f"{second}->{first}")
    title = f"{_title(names, answer.pair)} on {data['date']}"
    if str(answer.asked) != data["date"]:
        title += f" (asked: {date_text(answer.asked)}, answered as of its last day)"
    lines = [title, ""]
    for code, gone in data["dissolved"].items():
        if gone is None:
            continue
        date, _ = history.dissolution(code, answer.day) or (None, None)
        verb, mark = ("may have ceased", " ?") if gone["uncertain"] else ("had ceased", "")
        lines.append(
            f"{names.get(code, code)} ({code}) {verb} to exist: dissolved {date_text(date)}{mark} [{gone['event']}]. "
            "The values below are the last recorded before; they lapsed with it (no event ended them)."
        )
    state = answer.state
    since = f" since {date_text(state.relations_since)}" if state.relations_since else ""
    mark = " ?" if "relations" in answer.uncertain else ""
    basis = answer.basis.get("relations")
    lines.append(f"Diplomatic relations: {data['relations']}{since}{mark}" + (f"  [{basis}]" if basis else ""))
    if state.consular != "none" or "consular_relations" in answer.basis:
        consular_since = f" since {date_text(state.consular_since)}" if state.consular_since else ""
        consular_mark = " ?" if "consular_relations" in answer.uncertain else ""
        consular_basis = answer.basis.get("consular_relations")
        lines.append(
            f"Consular relations: {state.consular}{consular_since}{consular_mark}"
            + (f"  [{consular_basis}]" if consular_basis else "")
        )
    if data["agreed_level"]:
        lines.append(f"Agreed to exchange envoys at: {LEVEL_WORDS[data['agreed_level']]}")
    leaders = [f"{code}: {leader}" for code, leader in data["leaders"].items() if leader]
    if leaders:
        lines.append("Leaders: " + "; ".join(leaders))
    lines.append("")
    rows: list[tuple[str, ...]] = [("", f"{first} in/toward {second}", f"{second} in/toward {first}")]
    for key, label in ROW_LABELS.items():
        if key in NEW_DIRECTED_KEYS and not any(f"{key} {direction}" in answer.basis for direction in directions):
            continue  # issue 19's rows appear once an event has set them, so older histories read as before
        cells = [label]
        for direction in directions:
            field = f"{key} {direction}"
            cell = words(key, data[key][direction])
            if field in answer.uncertain:
                cell += " ?"
            if field in answer.basis:
                cell += f" [{answer.basis[field]}]"
            if any(possibility.field == field for possibility in answer.possibly):
                cell += " (unknown: see below)"
            cells.append(cell)
        rows.append(tuple(cells))
    lines.extend(table(rows))
    if answer.uncertain:
        lines.append("")
        lines.append("? uncertain on this date (an imprecisely dated event may or may not have happened yet):")
        for field, ids in sorted(answer.uncertain.items()):
            lines.append(f"  {field}: {', '.join(ids)}")
    lines.extend(possibly_lines(answer.possibly))
    return "\n".join(lines)


# --- timeline ------------------------------------------------------------------------------


def change_json(change: FieldChange) -> dict[str, Any]:
    """One changed field for scripts: its key, field, direction, values before and after, and events."""
    name, _, direction = change.field.partition(" ")
    return {
        "key": change.field,
        "field": name,
        "direction": direction or None,
        "before": value_json(change.field, change.before),
        "after": value_json(change.field, change.after),
        "events": list(change.event_ids),
    }


def _change_words(change: FieldChange) -> str:
    data = change_json(change)
    return f"{change.field}: {words(change.field, data['before'])} → {words(change.field, data['after'])}"


def timeline_json(entries: Sequence[TimelineEntry], pair: Sequence[str]) -> dict[str, Any]:
    """The JSON object of `legation timeline`."""
    rows = []
    for entry in entries:
        event = entry.event
        rows.append(
            {
                "id": event.id,
                **date_json(event.date),
                "kind": event.KIND,
                "actor": event.actor,
                "target": event.target,
                "summary": event.summary(),
                "changes_state": entry.changes_state,
                "changes": [change_json(change) for change in entry.changes],
                "caused_by": list(event.caused_by),
                "sources": list(event.sources),
                "unknown_before": [possibility_json(item) for item in entry.unknown_before],
            }
        )
    return {"pair": list(pair), "count": len(rows), "events": rows}


def timeline_text(entries: Sequence[TimelineEntry], pair: Sequence[str], names: dict[str, str]) -> str:
    """A pair's timeline for people: one line per event, then what it changed and what caused it."""
    quiet = sum(1 for entry in entries if not entry.changes_state)
    title = f"{_title(names, pair)}: {len(entries)} events"
    if quiet:
        title += f" ({quiet} marked · change no state)"
    if not entries:
        return title + "\n\nNo events match."
    rows: list[tuple[str, ...]] = [("", "date", "kind", "event", "what happened")]
    details: list[list[str]] = [[]]
    for entry in entries:
        event = entry.event
        rows.append(("*" if entry.changes_state else "·", date_text(event.date), event.KIND, event.id, event.summary()))
        notes = [_change_words(change) for change in entry.changes]
        if event.caused_by:
            notes.append("caused by: " + ", ".join(event.caused_by))
        notes.extend(
            f"unknown before this date (not none): {item.field}: {possibility_words(item)}"
            for item in entry.unknown_before
        )
        details.append(notes)
    lines = table(rows)
    indent = " " * (len(lines[0]) - len("what happened"))
    output = [title, ""]
    for line, notes in zip(lines, details, strict=True):
        output.append(line)
        output.extend(f"{indent}  {note}" for note in notes)
    return "\n".join(output)


# --- diff ----------------------------------------------------------------------------------


def diff_json(
    changes: Sequence[FieldChange],
    pair: Sequence[str],
    first: ImpreciseDate,
    second: ImpreciseDate,
    possibly: tuple[Sequence[Possibility], Sequence[Possibility]] = ((), ()),
) -> dict[str, Any]:
    """The JSON object of `legation diff`; `possibly` gives what is unknown (not none) on each of the two days."""
    return {
        "pair": list(pair),
        "from": {**date_json(first), "day": first.latest.isoformat(), "possibly": possibly_json(possibly[0], pair)},
        "to": {**date_json(second), "day": second.latest.isoformat(), "possibly": possibly_json(possibly[1], pair)},
        "changes": [change_json(change) for change in changes],
    }


def diff_text(
    changes: Sequence[FieldChange],
    pair: Sequence[str],
    first: ImpreciseDate,
    second: ImpreciseDate,
    names: dict[str, str],
    possibly: tuple[Sequence[Possibility], Sequence[Possibility]] = ((), ()),
) -> str:
    """What changed between two days, field by field, citing the events that changed each."""
    title = f"{_title(names, pair)}: changes between {first.latest} and {second.latest}"
    unknown = []
    for day, items in zip((first.latest, second.latest), possibly, strict=True):
        if items:
            unknown.append(f"Unknown on {day}, not none (a source attests it only later):")
            unknown.extend(f"  {item.field}: {possibility_words(item)}" for item in items)
    notes = ["", *unknown] if unknown else []
    if not changes:
        return "\n".join([title + "\n\nNothing changed.", *notes])
    rows: list[tuple[str, ...]] = [("field", f"on {first.latest}", f"on {second.latest}", "events")]
    for change in changes:
        data = change_json(change)
        rows.append(
            (
                change.field,
                words(change.field, data["before"]),
                words(change.field, data["after"]),
                ", ".join(change.event_ids) or "-",
            )
        )
    return "\n".join([title, "", *table(rows), *notes])


# --- when ----------------------------------------------------------------------------------


def period_json(period: Period) -> dict[str, Any]:
    """A period for scripts; a null start means from the start of the history, a null end means still."""
    return {
        "start": str(period.start) if period.start else None,
        "start_event": period.start_event,
        "end": str(period.end) if period.end else None,
        "end_event": period.end_event,
    }


def periods_json(condition: str, pair: Sequence[str], periods: Sequence[Period]) -> dict[str, Any]:
    """The JSON object of `legation when`."""
    return {
        "condition": condition,
        "pair": list(pair),
        "first": period_json(periods[0]) if periods else None,
        "holds_at_end": bool(periods) and periods[-1].end is None,
        "periods": [period_json(period) for period in periods],
    }


def periods_text(condition: str, pair: Sequence[str], periods: Sequence[Period], names: dict[str, str]) -> str:
    """When a condition held, for people: the first date it held, then every period."""
    title = f"{condition!r} for {_title(names, pair)}"
    if not periods:
        return title + "\n\nNever held."
    first = periods[0]
    if first.start is None:
        opening = "Held from the start of the history"
    else:
        opening = f"First held from {date_text(first.start)} [{first.start_event}]"
    count = "1 period" if len(periods) == 1 else f"{len(periods)} periods"
    still = "; holds at the end of the history" if periods[-1].end is None else ""
    rows: list[tuple[str, ...]] = [("from", "until", "made true by", "made false by")]
    for period in periods:
        rows.append(
            (
                date_text(period.start, "start of history"),
                date_text(period.end, "still holds"),
                period.start_event or "-",
                period.end_event or "-",
            )
        )
    return "\n".join([title, "", f"{opening}; {count}{still}.", "", *table(rows)])
