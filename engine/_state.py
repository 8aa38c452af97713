"""Relationship state: what each side of a pair has in and toward the other, and the pair's relations."""

from __future__ import annotations

from typing import Any

import attrs
import immutables

from events import EventDate, ImpreciseDate

LEVELS = ("none", "charge", "minister", "ambassador", "other")
"""Head-of-mission levels, lowest first except `other` (an interests section and the like)."""
COW_LEVEL = {"none": 0, "charge": 1, "minister": 2, "ambassador": 3, "other": 9}
"""The Correlates of War Diplomatic Exchange code of each level."""
LEVEL_OF_COW = {code: level for level, code in COW_LEVEL.items()}
RELATIONS = ("none", "established", "severed")
"""Diplomatic relations of a pair: never established, established, or severed."""
AID_STATUSES = ("none", "active", "suspended", "restricted", "waived")
"""Assistance: none recorded, flowing, cut off, restricted by law, or flowing under a waiver of a restriction."""
CERTIFICATIONS = ("none", "certified", "decertified", "decertified_waived")
"""Counter-narcotics certification: no decision recorded, or the last decision."""


@attrs.frozen(cache_hash=True)  # hashed at every set operation on posts; computing it once keeps folds fast
class Post:
    """A diplomatic or consular post of one state in another."""

    kind: str
    """embassy, legation, consulate_general, consulate, consular_agency, interests_section, liaison_office."""
    city: str
    """Where it is."""

    def __str__(self) -> str:
        return f"{self.kind.replace('_', ' ')} in {self.city}"


@attrs.frozen(cache_hash=True)  # as for Post
class Agency:
    """An agency of one state operating in another, perhaps barred from some regions."""

    name: str
    """DEA, USAID, Peace Corps, ..."""
    excluded_regions: frozenset[str] = frozenset()
    """Regions it was expelled from while staying in the country."""

    def __str__(self) -> str:
        if not self.excluded_regions:
            return self.name
        return f"{self.name} (not in {', '.join(sorted(self.excluded_regions))})"


@attrs.frozen
class Side:
    """What actor A has in, or holds toward, actor B (one direction of a pair)."""

    recognizes: bool = False
    """Has A recognised B as a state?"""
    level: str = "none"
    """Rank of the head of A's mission in B: none, charge, minister, ambassador or other."""
    envoy: str | None = None
    """The name of that head of mission, when known; None whenever `level` is none."""
    posts: frozenset[Post] = frozenset()
    """A's open posts in B."""
    agencies: frozenset[Agency] = frozenset()
    """A's agencies operating in B."""
    aid: str = "none"
    """A's assistance to B."""
    certification: str = "none"
    """A's counter-narcotics certification of B."""
    visa_required: bool | None = None
    """Do A's nationals need a visa to enter B? None when no policy is recorded."""
    persona_non_grata: frozenset[str] = frozenset()
    """A's people that B has declared persona non grata."""

    def agency(self, name: str) -> Agency | None:
        """A's agency of this name in B, if it operates there."""
        for agency in self.agencies:
            if agency.name == name:
                return agency
        return None


SIDE_FIELDS = {
    "recognition": ("recognizes",),
    "representation": ("level", "envoy"),
    "posts": ("posts",),
    "agencies": ("agencies",),
    "aid": ("aid",),
    "certification": ("certification",),
    "visa_required": ("visa_required",),
    "persona_non_grata": ("persona_non_grata",),
}
"""The per-direction fields users see (the JSON keys), and the Side attributes behind each."""
EMPTY_SIDE = Side()


@attrs.frozen
class PairState:
    """The state of the relationship of an unordered pair (`a` < `b`) at some point of a history."""

    a: str
    """The first actor code, in sorted order."""
    b: str
    """The second actor code."""
    relations: str = "none"
    """none (never established), established or severed."""
    relations_since: EventDate | None = None
    """The date of the event that set `relations`."""
    agreed_level: str | None = None
    """The rank at which the two last agreed to exchange heads of mission, if they did (not yet an accreditation)."""
    ab: Side = EMPTY_SIDE
    """What `a` has in / toward `b`."""
    ba: Side = EMPTY_SIDE
    """What `b` has in / toward `a`."""

    def side(self, frm: str, to: str) -> Side:
        """What `frm` has in / toward `to`.

        Raises:
            KeyError: the two codes are not this pair.
        """
        if (frm, to) == (self.a, self.b):
            return self.ab
        if (frm, to) == (self.b, self.a):
            return self.ba
        raise KeyError(f"{frm}->{to} is not a direction of the pair {self.a}-{self.b}")

    def with_side(self, frm: str, to: str, side: Side) -> PairState:
        """This state with the `frm`->`to` direction replaced."""
        if (frm, to) == (self.a, self.b):
            return attrs.evolve(self, ab=side)
        if (frm, to) == (self.b, self.a):
            return attrs.evolve(self, ba=side)
        raise KeyError(f"{frm}->{to} is not a direction of the pair {self.a}-{self.b}")

    def directions(self) -> tuple[tuple[str, str, Side], tuple[str, str, Side]]:
        """Both directions as (from, to, side)."""
        return ((self.a, self.b, self.ab), (self.b, self.a, self.ba))

    def field_values(self) -> dict[str, Any]:
        """Every user-visible field, keyed as in the JSON output (`relations`, `aid A->B`, ...)."""
        values: dict[str, Any] = {"relations": self.relations, "agreed_level": self.agreed_level}
        for frm, to, side in self.directions():
            for name, attributes in SIDE_FIELDS.items():
                if len(attributes) == 1:
                    values[f"{name} {frm}->{to}"] = getattr(side, attributes[0])
                else:
                    values[f"{name} {frm}->{to}"] = tuple(getattr(side, a) for a in attributes)
        return values


def changed_fields(before: PairState, after: PairState) -> tuple[str, ...]:
    """The user-visible fields whose value differs between two states of the same pair."""
    if before == after:
        return ()
    changed = []
    if before.relations != after.relations:
        changed.append("relations")
    if before.agreed_level != after.agreed_level:
        changed.append("agreed_level")
    for (frm, to, old), (_, _, new) in zip(before.directions(), after.directions(), strict=True):
        if old == new:
            continue
        for name, attributes in SIDE_FIELDS.items():
            if any(getattr(old, a) != getattr(new, a) for a in attributes):
                changed.append(f"{name} {frm}->{to}")
    return tuple(changed)


def initial_pair(a: str, b: str) -> PairState:
    """The state of a pair before any event: nothing recognised, no relations, nothing open."""
    first, second = (a, b) if a <= b else (b, a)
    return PairState(first, second)


@attrs.frozen
class ActorState:
    """What the history says of one actor on its own: who leads it, and whether it still exists."""

    leader: str | None = None
    """Who heads the state or government, when an event says."""
    leader_since: ImpreciseDate | None = None
    """The date of that change of government."""
    dissolved: ImpreciseDate | None = None
    """When the actor ceased to exist, if it did."""


@attrs.frozen
class Anomaly:
    """An impossible transition met in lenient mode: recorded, then applied as far as it can be."""

    event_id: str
    """The event that broke a rule."""
    date: EventDate
    """Its date."""
    rule: str
    """The rule it broke, in words."""

    def __str__(self) -> str:
        return f"event {self.event_id!r} ({self.date}): {self.rule}"


@attrs.frozen
class WorldState:
    """The state of every pair and actor a history has touched so far (immutable; shares structure)."""

    pairs: immutables.Map[tuple[str, str], PairState] = attrs.field(factory=immutables.Map)
    """PairState by sorted pair tuple; a pair no event touched is in its initial state."""
    actors: immutables.Map[str, ActorState] = attrs.field(factory=immutables.Map)
    """ActorState by actor code."""
    anomalies: tuple[Anomaly, ...] = ()
    """Rules broken so far (lenient mode only; strict mode raises instead)."""

    def pair(self, a: str, b: str) -> PairState:
        """The state of the pair of `a` and `b`, whichever order they are given in."""
        key = (a, b) if a <= b else (b, a)
        found = self.pairs.get(key)
        return found if found is not None else initial_pair(a, b)

    def actor(self, code: str) -> ActorState:
        """The state of one actor."""
        return self.actors.get(code, EMPTY_ACTOR)


EMPTY_ACTOR = ActorState()
EMPTY_WORLD = WorldState()
