"""Cooperation–conflict tone of a pair: the Goldstein-weighted sum of its events per month, and a decaying index."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from engine.core._history import History
from events import Event

if TYPE_CHECKING:  # only named in annotations: pandas (the data extra) is imported when a frame is built
    import pandas as pd

DEFAULT_HALF_LIFE = 6.0
"""Months after which an event's weight in the index has halved."""


@attrs.frozen
class ToneMonth:
    """One month of a pair's tone."""

    month: str
    """The month, `YYYY-MM`."""
    events: int
    """Events of the pair dated in the month that carry a Goldstein weight."""
    weight: float
    """The sum of their Goldstein weights (-10 each at most conflictual, +10 most cooperative)."""
    index: float
    """The decaying index: last month's index times the decay, plus this month's sum."""


def event_weight(event: Event) -> float | None:
    """An event's Goldstein weight: its own, or its CAMEO code's (imported, or its kind's nearest); else None.

    A coded event carries its weight; an imported event names its code in its note; a hand-written event
    takes its kind's nearest CAMEO code (`Event.CAMEO`); kinds with no CAMEO code have no weight.
    """
    from engine.importers.cameo import goldstein_weights, imported_code

    own = getattr(event, "goldstein", None)
    if own is not None:
        return float(own)
    code = imported_code(event) or event.CAMEO
    if code is None:
        return None
    return goldstein_weights().get(code)


def _month_key(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def _month_text(key: int) -> str:
    return f"{key // 12:04d}-{key % 12 + 1:02d}"


def monthly_weights(events: Iterable[Event]) -> dict[int, tuple[int, float]]:
    """Month key (year * 12 + month - 1) -> (events, sum of weights), by each event's first possible day."""
    months: dict[int, tuple[int, float]] = {}
    for event in events:
        weight = event_weight(event)
        if weight is None:
            continue
        key = _month_key(event.date.earliest)
        count, total = months.get(key, (0, 0.0))
        months[key] = (count + 1, total + weight)
    return months


def tone(
    history: History,
    a: str,
    b: str,
    *,
    half_life: float = DEFAULT_HALF_LIFE,
    direction: str = "both",
    start: str | None = None,
    end: str | None = None,
) -> list[ToneMonth]:
    """The pair's tone, month by month from its first weighted event to its last (months without events: 0).

    Args:
        history: the folded history.
        a, b: the pair.
        half_life: months after which an event's weight in the index has halved.
        direction: `both`, or `a->b` for the events `a` did toward `b` only.
        start, end: `YYYY-MM` bounds to widen or cut the range.

    Raises:
        UnknownPairError: an actor the history does not know.
        ValueError: a direction other than both or a->b, or a half-life not above 0.
    """
    if direction not in ("both", "a->b"):
        raise ValueError(f"direction must be both or a->b, found {direction!r}")
    if not half_life > 0:
        raise ValueError(f"half_life must be above 0, found {half_life!r}")
    events = [step.event for step in history.steps(a, b)]
    # Record-only events are in the pair's steps too (they change nothing but are the pair's).
    if direction == "a->b":
        events = [event for event in events if event.actor == a]
    months = monthly_weights(events)
    keys = sorted(months)
    first = _parse_month(start) if start else (keys[0] if keys else None)
    last = _parse_month(end) if end else (keys[-1] if keys else None)
    if first is None or last is None:
        return []
    decay = 0.5 ** (1.0 / half_life)
    index = 0.0
    series = []
    for key in range(first, last + 1):
        count, total = months.get(key, (0, 0.0))
        index = index * decay + total
        series.append(ToneMonth(_month_text(key), count, round(total, 6), round(index, 6)))
    return series


def _parse_month(text: str) -> int:
    try:
        year, month = (int(part) for part in text.split("-"))
        if not 1 <= month <= 12:
            raise ValueError
    except ValueError:
        raise ValueError(f"a month is written YYYY-MM, found {text!r}") from None
    return year * 12 + month - 1


def tone_frame(
    history: History,
    a: str,
    b: str,
    *,
    half_life: float = DEFAULT_HALF_LIFE,
    direction: str = "both",
    start: str | None = None,
    end: str | None = None,
) -> pd.DataFrame:
    """`tone` as a pandas DataFrame (columns month, events, weight, index); needs the `data` extra."""
    import pandas as pd

    rows = tone(history, a, b, half_life=half_life, direction=direction, start=start, end=end)
    return pd.DataFrame(
        {
            "month": pd.PeriodIndex([row.month for row in rows], freq="M"),
            "events": [row.events for row in rows],
            "weight": [row.weight for row in rows],
            "index": [row.index for row in rows],
        }
    )
