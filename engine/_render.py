"""Answers as JSON-ready dicts and as aligned text for people."""

from __future__ import annotations

from typing import Any

from engine._history import AsOf, History
from engine._state import COW_LEVEL, Side

LEVEL_WORDS = {
    "none": "none",
    "charge": "chargé d'affaires",
    "minister": "minister",
    "ambassador": "ambassador",
    "other": "other (e.g. interests section)",
}
AT_KEYS = (
    "date",
    "asked",
    "pair",
    "relations",
    "relations_since",
    "agreed_level",
    "recognition",
    "representation",
    "posts",
    "agencies",
    "aid",
    "certification",
    "visa_required",
    "persona_non_grata",
    "leaders",
    "uncertain",
    "basis",
)
"""The keys of `legation at --format json`, in order (documented in the README)."""


def _side_json(side: Side) -> dict[str, Any]:
    return {
        "recognition": side.recognizes,
        "representation": {"level": side.level, "envoy": side.envoy, "cow": COW_LEVEL[side.level]},
        "posts": [{"kind": p.kind, "city": p.city} for p in sorted(side.posts, key=lambda p: (p.kind, p.city))],
        "agencies": [
            {"name": a.name, "excluded_regions": sorted(a.excluded_regions)}
            for a in sorted(side.agencies, key=lambda a: a.name)
        ],
        "aid": side.aid,
        "certification": side.certification,
        "visa_required": side.visa_required,
        "persona_non_grata": sorted(side.persona_non_grata),
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
    }
    for key in ("recognition", "representation", "posts", "agencies", "aid", "certification"):
        result[key] = {direction: values[key] for direction, values in sides.items()}
    result["visa_required"] = {direction: values["visa_required"] for direction, values in sides.items()}
    result["persona_non_grata"] = {direction: values["persona_non_grata"] for direction, values in sides.items()}
    if history is not None:
        result["leaders"] = {code: history.actor_at(code, answer.day).leader for code in answer.pair}
    else:
        result["leaders"] = {code: None for code in answer.pair}
    result["uncertain"] = {field: list(ids) for field, ids in sorted(answer.uncertain.items())}
    result["basis"] = dict(sorted(answer.basis.items()))
    return {key: result[key] for key in AT_KEYS}


def _words(key: str, value: Any) -> str:
    if key == "recognition":
        return "yes" if value else "no"
    if key == "representation":
        level = LEVEL_WORDS[value["level"]]
        return f"{level}: {value['envoy']}" if value["envoy"] else level
    if key == "posts":
        return ", ".join(f"{p['kind'].replace('_', ' ')} ({p['city']})" for p in value) or "none"
    if key == "agencies":
        parts = []
        for agency in value:
            excluded = agency["excluded_regions"]
            parts.append(agency["name"] + (f" (not in {', '.join(excluded)})" if excluded else ""))
        return ", ".join(parts) or "none"
    if key == "visa_required":
        return "unknown" if value is None else ("yes" if value else "no")
    if key == "persona_non_grata":
        return ", ".join(value) or "none"
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
}


def as_of_text(answer: AsOf, history: History, names: dict[str, str]) -> str:
    """The state of a pair on a day, in words, as an aligned table citing the events behind each value."""
    data = as_of_json(answer, history)
    first, second = answer.pair
    directions = (f"{first}->{second}", f"{second}->{first}")
    title = f"{names.get(first, first)} and {names.get(second, second)} on {data['date']}"
    if str(answer.asked) != data["date"]:
        title += f" (asked: {answer.asked}, answered as of its last day)"
    lines = [title, ""]
    since = f" since {data['relations_since']}" if data["relations_since"] else ""
    mark = " ?" if "relations" in answer.uncertain else ""
    basis = answer.basis.get("relations")
    lines.append(f"Diplomatic relations: {data['relations']}{since}{mark}" + (f"  [{basis}]" if basis else ""))
    if data["agreed_level"]:
        lines.append(f"Agreed to exchange envoys at: {LEVEL_WORDS[data['agreed_level']]}")
    leaders = [f"{code}: {leader}" for code, leader in data["leaders"].items() if leader]
    if leaders:
        lines.append("Leaders: " + "; ".join(leaders))
    lines.append("")
    headers = ("", f"{first} in/toward {second}", f"{second} in/toward {first}")
    rows = [headers]
    for key, label in ROW_LABELS.items():
        cells = [label]
        for direction in directions:
            field = f"{key} {direction}"
            cell = _words(key, data[key][direction])
            if field in answer.uncertain:
                cell += " ?"
            if field in answer.basis:
                cell += f" [{answer.basis[field]}]"
            cells.append(cell)
        rows.append(tuple(cells))
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    for row in rows:
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    if answer.uncertain:
        lines.append("")
        lines.append("? uncertain on this date (an imprecisely dated event may or may not have happened yet):")
        for field, ids in sorted(answer.uncertain.items()):
            lines.append(f"  {field}: {', '.join(ids)}")
    return "\n".join(lines)
