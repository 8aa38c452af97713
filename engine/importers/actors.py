"""Who an event-data row names: CAMEO country codes, ISO codes, COW codes or country names, resolved to actors."""

from __future__ import annotations

import functools

from engine.importers.cow import cow_actors
from events import Actor, builtin_actors


class ActorResolver:
    """Turns the country a data set names into an actor, remembering every actor it handed out.

    Tried in order: an actor code legation knows (built-in, or a COW state's code from `cow_actors`); a COW
    state number (`2`, `145`); an ISO 3166-1 alpha-3, alpha-2 or numeric code, or an English country name,
    through pycountry (exact, case-blind look-up: `Bolivia`, `Bolivia, Plurinational State of`, `BO`). CAMEO's
    country codes are ISO alpha-3 for states, so they resolve the first way or the ISO way. Regional and
    group codes (`AFR`, `EUR`) resolve to nothing.
    """

    def __init__(self, extra: tuple[Actor, ...] = ()) -> None:
        self._by_code: dict[str, Actor] = {actor.code: actor for actor in cow_actors().values()}
        self._by_code.update(builtin_actors())
        self._by_code.update((actor.code, actor) for actor in extra)
        self._by_cow = {actor.cow: actor for actor in self._by_code.values() if actor.cow is not None}
        self._cache: dict[str, Actor | None] = {}
        self.used: dict[str, Actor] = {}
        """Every actor resolved so far, by code."""

    def resolve(self, text: str) -> Actor | None:
        """The actor a country field names, or None when nothing matches (the caller reports the line)."""
        key = text.strip()
        if key not in self._cache:
            self._cache[key] = self._look_up(key)
        found = self._cache[key]
        if found is not None:
            self.used.setdefault(found.code, found)
        return found

    def _look_up(self, key: str) -> Actor | None:
        if not key:
            return None
        known = self._by_code.get(key.upper())
        if known is not None:
            return known
        if key.isdigit() and int(key) in self._by_cow:
            return self._by_cow[int(key)]
        iso = _pycountry_alpha3(key)
        if iso is None:
            return None
        known = self._by_code.get(iso)
        return known if known is not None else Actor(code=iso, name=_pycountry_name(iso))


@functools.cache
def _pycountry_alpha3(text: str) -> str | None:
    import pycountry

    try:
        return pycountry.countries.lookup(text).alpha_3
    except LookupError:
        return None


def _pycountry_name(alpha3: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_3=alpha3)
    if country is None:
        return alpha3
    return str(getattr(country, "common_name", None) or country.name)
