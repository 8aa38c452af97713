"""Relationship state: what each side of a pair has in and toward the other, and the pair's relations."""

from __future__ import annotations

from typing import Any

import attrs
import immutables

from events import EventDate

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
GOVERNMENT_STATUSES = ("unknown", "recognised", "rival", "none")
"""Which government A recognises in B: no event says (unknown), the one in power (recognised), a rival claimant
(rival), or none (recognition withdrawn and not given to another)."""
MISSION_STATUSES = ("operating", "ordered_departure", "suspended")
"""How A's mission in B works: normally (also when no event says otherwise), under an ordered departure of
staff, or with its operations suspended."""
NOMINEE_STATUSES = ("pending", "refused")
"""A nominee for head of mission not (yet) accredited: agrément asked, or refused (or withdrawn) by the host."""


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


@attrs.frozen(cache_hash=True)  # as for Post
class Sanction:
    """A sanctions programme of A on B in force: what it restricts and the legal bases it rests on."""

    programme: str
    """The programme's name, as the events that impose, widen, ease and lift it give it (the key)."""
    scope: frozenset[str]
    """What it restricts now (of `events.SANCTION_SCOPES`)."""
    basis: tuple[str, ...] = ()
    """Its legal bases, in the order they were given (imposition first, then each widening)."""

    def __str__(self) -> str:
        basis = f"; {'; '.join(self.basis)}" if self.basis else ""
        return f"{self.programme} ({', '.join(sorted(self.scope))}{basis})"


@attrs.frozen(cache_hash=True)  # as for Post
class Designation:
    """B (or an entity of or tied to B, `entity`) on one of A's lists with legal effect."""

    list_name: str
    """The list (e.g. "state sponsors of terrorism")."""
    entity: str | None = None
    """Who is on it, when not the state B itself."""

    def __str__(self) -> str:
        return f"{self.list_name}: {self.entity}" if self.entity else self.list_name


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
    government: str | None = None
    """The government of B that A recognises, by name (None unless `government_status` is recognised or rival)."""
    government_status: str = "unknown"
    """unknown (no event says), recognised, rival (a claimant against the government in power) or none."""
    sanctions: frozenset[Sanction] = frozenset()
    """A's sanctions programmes on B in force, one per programme name."""
    designations: frozenset[Designation] = frozenset()
    """A's designations of B (or of entities of B) in force."""
    protecting_power: str | None = None
    """The third state protecting A's interests in B (its actor code), if any."""
    mission_status: str = "operating"
    """How A's mission in B works: operating, ordered_departure or suspended."""
    staff_capped: bool = False
    """Has B capped the staff of A's mission in B?"""
    staff_cap: int | None = None
    """The cap, when a figure was given (None with `staff_capped` for a cap without a figure)."""
    nominee: str | None = None
    """A's nominee to head its mission in B who is not (yet) accredited, if any."""
    nominee_rank: str | None = None
    """The nominee's rank."""
    nominee_status: str | None = None
    """pending (agrément asked) or refused (refused or withdrawn by B); None without a nominee."""

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
    "government": ("government_status", "government"),
    "sanctions": ("sanctions",),
    "designations": ("designations",),
    "protecting_power": ("protecting_power",),
    "mission_status": ("mission_status",),
    "staff_cap": ("staff_capped", "staff_cap"),
    "nominee": ("nominee_status", "nominee", "nominee_rank"),
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
    consular: str = "none"
    """Consular relations (VCCR 1963), apart from diplomatic ones: none, established or severed. Establishing
    or restoring diplomatic relations establishes them too (Art. 2(2)); a diplomatic severance leaves them
    (Art. 2(3))."""
    consular_since: EventDate | None = None
    """The date of the event that set `consular`."""

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
        values["consular_relations"] = self.consular
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
    if before.consular != after.consular:
        changed.append("consular_relations")
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
    leader_since: EventDate | None = None
    """The date of that change of government."""
    dissolved: EventDate | None = None
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
