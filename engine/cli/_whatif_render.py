"""A counterfactual comparison as a JSON-ready dict and as text for people."""

from __future__ import annotations

from typing import Any

from engine.cli._render import value_json
from engine.core._counterfactual import Comparison
from events import CascadeEffect, Edit

WHATIF_KEYS = (
    "question",
    "base",
    "cascade",
    "strict",
    "events",
    "edits",
    "dropped",
    "orphaned",
    "diverges",
    "timeline",
    "at",
    "anomalies",
    "alignment",
)
"""The keys of `legation whatif --format json`, in order (documented in docs/counterfactuals.md)."""


def _json_value(subject: str, field: str, value: Any) -> Any:
    """A difference's value in the shape `legation at --format json` gives the same field."""
    if field in ("leader", "dissolved"):  # an actor's own fields are plain already
        return value
    return value_json(field, value)


def _edit_json(number: int, edit: Edit) -> dict[str, Any]:
    data: dict[str, Any] = {"number": number, "op": edit.OP}
    event_id = getattr(edit, "event_id", None)
    event = getattr(edit, "event", None)
    # Every edit names an event by id (remove, move, replace, set) or carries one (insert).
    data["id"] = event_id if event_id is not None or event is None else event.id
    data["description"] = edit.describe()
    data["rationale"] = edit.rationale
    return data


def _effect_json(effect: CascadeEffect) -> dict[str, Any]:
    return {
        "id": effect.event_id,
        "date": str(effect.date),
        "edit": effect.edit,
        "chain": list(effect.chain),
        "why": effect.why,
    }


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    """The JSON object of `legation whatif --format json` (keys in `WHATIF_KEYS` order)."""
    alignment = comparison.alignment
    return {
        "question": comparison.question,
        "base": comparison.base_name,
        "cascade": comparison.cascade,
        "strict": comparison.strict,
        "events": {"base": comparison.base_events, "counterfactual": comparison.counterfactual_events},
        "edits": [_edit_json(number, edit) for number, edit in enumerate(comparison.edits, start=1)],
        "dropped": [_effect_json(effect) for effect in comparison.dropped],
        "orphaned": [_effect_json(effect) for effect in comparison.orphaned],
        "diverges": None
        if comparison.diverges is None
        else {
            "date": comparison.diverges.isoformat(),
            "as_dated": None if comparison.diverges_as is None else str(comparison.diverges_as),
            "events": list(comparison.diverges_with),
        },
        "timeline": [
            {
                "subject": d.subject,
                "field": d.field,
                "base": _json_value(d.subject, d.field, d.base),
                "counterfactual": _json_value(d.subject, d.field, d.counterfactual),
                "appears": d.appears.isoformat(),
                "appears_with": list(d.appears_with),
                "disappears": None if d.disappears is None else d.disappears.isoformat(),
                "disappears_with": list(d.disappears_with),
            }
            for d in comparison.timeline
        ],
        "at": {
            "date": comparison.at.isoformat(),
            "end_of_histories": comparison.at_end,
            "differences": [
                {
                    "subject": d.subject,
                    "field": d.field,
                    "base": _json_value(d.subject, d.field, d.base),
                    "counterfactual": _json_value(d.subject, d.field, d.counterfactual),
                }
                for d in comparison.state
            ],
        },
        "anomalies": [{"event_id": a.event_id, "date": str(a.date), "rule": a.rule} for a in comparison.anomalies],
        "alignment": None
        if alignment is None
        else {
            "date": alignment.day.isoformat(),
            "only_base": [list(edge) for edge in alignment.only_base],
            "only_counterfactual": [list(edge) for edge in alignment.only_counterfactual],
            "sign_changed": [list(edge) for edge in alignment.sign_changed],
        },
    }


def _words(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        if len(value) == 2 and value[0] in ("none", "charge", "minister", "ambassador", "other"):
            level = "chargé d'affaires" if value[0] == "charge" else value[0]
            return f"{level} ({value[1]})" if value[1] else level
        return ", ".join(_words(item) for item in value) or "none"
    return str(value).replace("_", " ")


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    if not rows:
        return []
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return [
        "  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]


def comparison_text(comparison: Comparison) -> str:
    """The comparison in words: edits, cascade, first divergence, timeline, and the state difference on a day."""
    lines = [f"Question: {comparison.question}" if comparison.question else "Question: (none given)"]
    mode = "strict" if comparison.strict else "lenient"
    lines.append(
        f"Base: {comparison.base_name or '(unnamed)'} ({comparison.base_events} events); counterfactual: "
        f"{comparison.counterfactual_events} events; cascade {comparison.cascade}; {mode}"
    )
    lines += ["", "Edits:"]
    for number, edit in enumerate(comparison.edits, start=1):
        lines.append(f"  #{number} {edit.describe()}" + (f" — {edit.rationale}" if edit.rationale else ""))
    if not comparison.edits:
        lines.append("  (none: the counterfactual is its base)")
    for title, effects in (("Dropped by cascade", comparison.dropped), ("Kept, orphaned", comparison.orphaned)):
        if effects:
            lines += ["", f"{title}:"]
            lines += [f"  {effect.event_id} ({effect.date}): {effect.why}" for effect in effects]
    lines.append("")
    if comparison.diverges is None:
        lines.append("The two histories never differ in state.")
    else:
        shown = str(comparison.diverges_as or comparison.diverges)
        if shown != comparison.diverges.isoformat():
            shown += f" (counted from {comparison.diverges})"
        lines.append(f"First divergence: {shown}: {', '.join(comparison.diverges_with) or 'the edits'}")
    if comparison.timeline:
        lines += ["", "Timeline of differences (base -> counterfactual):"]
        rows: list[tuple[str, ...]] = [("from", "until", "subject", "field", "base -> counterfactual", "events")]
        for d in comparison.timeline:
            until = d.disappears.isoformat() if d.disappears else "end"
            events = ", ".join(d.appears_with)
            if d.disappears_with:
                events += f"; ended by {', '.join(d.disappears_with)}"
            change = f"{_words(d.base)} -> {_words(d.counterfactual)}"
            rows.append((d.appears.isoformat(), until, d.subject, d.field, change, events))
        lines += _table(rows)
    when = f"at the end of the histories ({comparison.at})" if comparison.at_end else f"on {comparison.at}"
    lines += ["", f"State difference {when}:"]
    if comparison.state:
        rows = [("subject", "field", "base", "counterfactual")]
        rows += [(d.subject, d.field, _words(d.base), _words(d.counterfactual)) for d in comparison.state]
        lines += _table(rows)
    else:
        lines.append("  none")
    if comparison.anomalies:
        lines += ["", "Anomalies the edits bring about (lenient mode):"]
        lines += [f"  {anomaly}" for anomaly in comparison.anomalies]
    alignment = comparison.alignment
    if alignment is not None:
        lines += ["", f"Alignment graph on {alignment.day}:"]
        changes = [f"  only in base: {a}-{b} ({sign:+d})" for a, b, sign in alignment.only_base]
        changes += [f"  only in counterfactual: {a}-{b} ({sign:+d})" for a, b, sign in alignment.only_counterfactual]
        changes += [f"  {a}-{b}: {old:+d} -> {new:+d}" for a, b, old, new in alignment.sign_changed]
        lines += changes or ["  same"]
    return "\n".join(lines)
