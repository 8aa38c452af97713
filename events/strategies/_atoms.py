"""Atoms of a history: texts, ids, EDTF dates, actor codes and new actors."""

from __future__ import annotations

import calendar
import functools
from collections.abc import Iterable

from hypothesis import strategies as st

from events._actors import Actor, ActorTable, builtin_actors
from events._dates import ImpreciseDate, Precision

DEFAULT_ACTORS = ("BOL", "USA", "PER")
"""The actors valid logs use unless told otherwise: enough for a pair and a third party."""
BLOCS = ("ALBA", "OAS", "UNASUR", "MERCOSUR")
"""Bloc codes drawn for bloc_joined / bloc_left (codes, not actors, so never an event's own actor)."""
_AGENCIES = ("DEA", "USAID", "Peace Corps")
_REGIONS = ("Chapare", "Yungas")
_NAMES = ("Smith", "Goldberg", "Morales", "Philip S. Goldberg", "DEA", "La Paz", "Chapare")
_BASE_FIELDS = frozenset({"id", "date", "actor", "target", "sources", "note", "caused_by"})


# --- Atoms ---------------------------------------------------------------------------------


@functools.cache
def texts(*, pool: tuple[str, ...] = _NAMES) -> st.SearchStrategy[str]:
    """Non-blank strings: a name from `pool` (shrinks to its first) or any text that is not blank.

    The arbitrary texts come from every Unicode character that UTF-8 can encode (no surrogates), so
    file round trips meet accents, control characters and line breaks; they shrink to `"0"`.
    """
    anything = st.text(st.characters(codec="utf-8"), min_size=1).filter(lambda text: bool(text.strip()))
    return st.one_of(st.sampled_from(pool), anything) if pool else anything


def event_ids() -> st.SearchStrategy[str]:
    """Event ids: non-blank texts, shrinking to `"0"`."""
    return texts(pool=("e1", "e2"))


@st.composite
def imprecise_dates(
    draw: st.DrawFn,
    *,
    min_year: int = 1,
    max_year: int = 9999,
    precisions: Iterable[Precision] = tuple(Precision),
    qualifiers: bool = True,
) -> ImpreciseDate:
    """EDTF dates of any precision between `min_year` and `max_year` (both 1..9999).

    Shrinks toward an exact day (the first precision given), 1 January of `min_year`, no `?` or `~`.
    Decade and century dates are given by their first year, as `ImpreciseDate` spells them.
    """
    precision = draw(st.sampled_from(tuple(precisions)))
    year = draw(st.integers(min_year, max_year))
    # Month and day are always drawn, so that every precision costs the same number of choices and
    # the shrinker prefers the first precision given rather than the one with fewest draws.
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, calendar.monthrange(year, month)[1]))
    uncertain = draw(st.booleans()) if qualifiers else False
    approximate = draw(st.booleans()) if qualifiers else False
    if precision is Precision.DECADE or precision is Precision.CENTURY:
        return ImpreciseDate(year, precision=precision, uncertain=uncertain, approximate=approximate)
    given_month = month if precision is Precision.DAY or precision is Precision.MONTH else None
    given_day = day if precision is Precision.DAY else None
    return ImpreciseDate(year, given_month, given_day, uncertain=uncertain, approximate=approximate)


def actor_codes(table: ActorTable | Iterable[str] | None = None) -> st.SearchStrategy[str]:
    """Codes of actors in `table` (the built-in table when None), shrinking to the first in sorted order."""
    codes = sorted(builtin_actors() if table is None else table)
    return st.sampled_from(codes)


def _unused(name: str, taken: Iterable[str]) -> str:
    """`name`, or `name` with a number appended that makes it differ from every name in `taken`."""
    taken = set(taken)
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{name} ({number})"
    return candidate


@st.composite
def actors(draw: st.DrawFn, *, min_year: int = 1000, max_year: int = 2100) -> Actor:
    """New actors for a scenario to declare: user-assigned codes (XAA-XZZ), a name, maybe a COW code and a period.

    The period, when there is one, starts no later than it ends. Shrinks to `XAA`, no COW code, no period.
    """
    code = "X" + draw(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2))
    name = draw(texts(pool=("Peru–Bolivian Confederation", "Gran Colombia")))
    cow = draw(st.none() | st.integers(1, 999))
    start = draw(st.none() | imprecise_dates(min_year=min_year, max_year=max_year, qualifiers=False))
    end = draw(st.none() | imprecise_dates(min_year=min_year, max_year=max_year, qualifiers=False))
    if start is not None and end is not None and end.latest < start.earliest:
        start, end = end, start
    return Actor(code=code, name=name, cow=cow, start=start, end=end)
