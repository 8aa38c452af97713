"""Dyad-year, dyad-month and dyad-day panels of a history's state fields, as pandas DataFrames for analysis."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from engine.analysis._tone import event_weight
from engine.core._history import History
from engine.core._state import COW_LEVEL, PairState, initial_pair
from events import ImpreciseDate, pair_of

if TYPE_CHECKING:  # only named in annotations: pandas (the data extra) is imported when a panel is built
    import pandas as pd

FREQUENCIES = ("year", "month", "day")
PANEL_DICTIONARY: dict[str, str] = {
    "a": "First actor of the pair (codes sorted): ISO 3166-1 alpha-3 or legation's X.. code.",
    "b": "Second actor of the pair.",
    "period": "The year (int), month (pandas Period, M) or day (datetime64) the row describes; "
    "state fields are as they stood on its last day.",
    "relations": "Diplomatic relations: none (never established), established or severed.",
    "agreed_level": "Rank the pair last agreed to exchange envoys at, or empty.",
    "level_ab": "Head of a's mission in b, COW code: 0 none, 1 chargé, 2 minister, 3 ambassador, 9 other.",
    "level_ba": "Head of b's mission in a, COW code as level_ab.",
    "recognizes_ab": "Whether a recognises b as a state.",
    "recognizes_ba": "Whether b recognises a as a state.",
    "posts_ab": "Number of a's open posts (embassy, consulates, ...) in b.",
    "posts_ba": "Number of b's open posts in a.",
    "agencies_ab": "Number of a's agencies operating in b.",
    "agencies_ba": "Number of b's agencies operating in a.",
    "aid_ab": "a's assistance to b: none, active, suspended, restricted or waived.",
    "aid_ba": "b's assistance to a.",
    "certification_ab": "a's counter-narcotics certification of b: none, certified, decertified, decertified_waived.",
    "certification_ba": "b's certification of a.",
    "visa_required_ab": "Whether a's nationals need a visa to enter b (missing when no policy is recorded).",
    "visa_required_ba": "Whether b's nationals need a visa to enter a.",
    "persona_non_grata_ab": "Number of a's people b has declared persona non grata.",
    "persona_non_grata_ba": "Number of b's people a has declared persona non grata.",
    "sanctions_ab": "Number of a's sanctions programmes in force on b (imported CAMEO 163 ones are named "
    "'CAMEO 163 sanctions').",
    "sanctions_ba": "Number of b's sanctions programmes in force on a.",
    "designations_ab": "Number of a's designations of b (or of entities of b) on its lists, in force.",
    "designations_ba": "Number of b's designations of a in force.",
    "events": "Events of the pair dated in the period (by their first possible day), record-only ones included.",
    "tone": "Sum of the Goldstein weights of those events (see engine.analysis._tone.event_weight); 0 when none.",
}
"""The panel's columns and what each holds: the data dictionary (printed in docs/data.md)."""


def _period_ends(freq: str, first: datetime.date, last: datetime.date) -> Iterator[tuple[object, datetime.date]]:
    """(label, last day) of every period from the one holding `first` to the one holding `last`."""
    if freq == "year":
        for year in range(first.year, last.year + 1):
            yield year, datetime.date(year, 12, 31)
    elif freq == "month":
        year, month = first.year, first.month
        while (year, month) <= (last.year, last.month):
            yield f"{year:04d}-{month:02d}", datetime.date(year, month, calendar.monthrange(year, month)[1])
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    else:
        day = first
        while day <= last:
            yield day, day
            day += datetime.timedelta(days=1)


_SIDE_FIELDS = (
    "level",
    "recognizes",
    "posts",
    "agencies",
    "aid",
    "certification",
    "visa_required",
    "pngs",
    "sanctions",
    "designations",
)
"""The side fields of a row, in `PANEL_DICTIONARY` order (each as _ab, then _ba)."""


def _row_values(state: PairState) -> list[object]:
    values: list[object] = [state.relations, state.agreed_level or ""]
    for field in _SIDE_FIELDS:
        for side in (state.ab, state.ba):
            if field == "level":
                values.append(COW_LEVEL[side.level])
            elif field in ("posts", "agencies", "sanctions", "designations"):
                values.append(len(getattr(side, field)))
            elif field == "pngs":
                values.append(len(side.persona_non_grata))
            else:
                values.append(getattr(side, field))
    return values


STATE_COLUMNS = [name for name in PANEL_DICTIONARY if name not in ("a", "b", "period", "events", "tone")]


def panel_rows(
    history: History,
    pairs: Iterable[tuple[str, str]] | None = None,
    *,
    freq: str = "year",
    start: str | None = None,
    end: str | None = None,
) -> Iterator[list[object]]:
    """The panel's rows as lists in `PANEL_DICTIONARY` order (see `panel`), pair by pair, period by period.

    Each pair's events are walked once beside the periods: O(periods + events) per pair.
    """
    if freq not in FREQUENCIES:
        raise ValueError(f"freq must be one of {', '.join(FREQUENCIES)}, found {freq!r}")
    chosen = history.pairs() if pairs is None else [pair_of(*history._check_actors(a, b)) for a, b in pairs]
    logged = history.log.events
    if not logged and (start is None or end is None):
        return
    # The log is sorted by first possible day: its first and last events bound the history.
    first = ImpreciseDate.parse(start).earliest if start is not None else logged[0].date.earliest
    last = ImpreciseDate.parse(end).latest if end is not None else logged[-1].date.earliest
    periods = list(_period_ends(freq, first, last))
    for key in chosen:
        steps = history._steps.get(key, [])
        position, count = 0, len(steps)
        state = initial_pair(*key)
        # Events before the first period set the state but are not counted in any period's tone.
        while position < count and steps[position].event.date.earliest < first:
            state = steps[position].state
            position += 1
        values = _row_values(state)  # recomputed only when an event changes the state
        for label, period_end in periods:
            events, weight = 0, 0.0
            while position < count and steps[position].event.date.earliest <= period_end:
                step = steps[position]
                if step.state is not state:
                    state = step.state
                    values = _row_values(state)
                events += 1
                found = event_weight(step.event)
                if found is not None:
                    weight += found
                position += 1
            yield [key[0], key[1], label, *values, events, round(weight, 6) if events else 0.0]


def panel(
    history: History,
    pairs: Iterable[tuple[str, str]] | None = None,
    *,
    freq: str = "year",
    start: str | None = None,
    end: str | None = None,
) -> pd.DataFrame:
    """A dyad-period panel of the history's state fields, as a pandas DataFrame (needs the `data` extra).

    Args:
        history: any folded history (a scenario, a store, an import).
        pairs: the pairs to include (either order); by default every pair some event touched.
        freq: `year`, `month` or `day`.
        start, end: EDTF dates bounding the periods; by default the history's first and last events.

    Returns:
        One row per pair and period, columns as in `PANEL_DICTIONARY`; the state is as of each period's
        last day, the event count and tone are of the events dated in the period.

    Raises:
        UnknownPairError: a pair naming an actor the history does not know.
        ValueError: an unknown frequency.
    """
    import pandas as pd

    columns = list(PANEL_DICTIONARY)
    rows = list(panel_rows(history, pairs, freq=freq, start=start, end=end))
    # Column by column: pandas builds a frame from lists per column far faster than from row lists.
    values = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    frame = pd.DataFrame({name: list(column) for name, column in zip(columns, values, strict=True)}, columns=columns)
    if freq == "month":
        frame["period"] = pd.PeriodIndex(frame["period"], freq="M")
    elif freq == "day":
        frame["period"] = pd.to_datetime(frame["period"])
    for column in ("a", "b", "relations", "agreed_level", "aid_ab", "aid_ba", "certification_ab", "certification_ba"):
        frame[column] = frame[column].astype("category")
    for column in ("visa_required_ab", "visa_required_ba"):
        frame[column] = frame[column].astype("boolean")
    return frame
