"""A seeded synthetic history of event-data size: 200 actors, ~20,000 pairs, valid events in log order.

For benchmarks and tests at scales no real history reaches (10^4 to 10^7 events). Nothing in it is a
historical fact: actors are `S000`..`S199` ("Synthetic state 0"...), people and cities are numbered.

The shape follows event data sets such as ICEWS, as far as this model can express it:
- activity is heavy-tailed over pairs (pair k of a seeded random order is drawn with weight
  1/(k+10)^0.9, so a few hundred pairs carry most events, as a few dyads dominate ICEWS);
- most events are verbal or record-only (statements, visits, negotiations: CAMEO 01-05 dominate event
  data sets), `MIX` gives the shares; the rest change relationship state, each chosen so that its
  preconditions hold in the state the pair is in (a strict fold never fails);
- dates are mostly exact days, some only a month or a year (`PRECISION`), spread evenly over 1946-2025
  and emitted in the log's own order (a month-dated event sorts at its month's first day, after that
  day's exact events), so `Log.of` keeps the generated order.
"""

from __future__ import annotations

import datetime
import random
from bisect import bisect_right
from collections.abc import Iterator
from itertools import accumulate
from typing import Any

import attrs

import events as ev
from engine.core._fast import FastFolder, PairAccumulator
from events import Actor, ActorTable, Event, ImpreciseDate, Log, Precision

ACTOR_COUNT = 200
"""Actors in the default synthetic world: 200 * 199 / 2 = 19,900 possible pairs."""
START, END = datetime.date(1946, 1, 1), datetime.date(2025, 12, 31)
"""The span the events are spread over."""
PRECISION = {"day": 0.88, "month": 0.09, "year": 0.03}
"""Shares of events dated to the day, to a month only, to a year only (a historian's log; ICEWS is all days)."""
QUALIFIED = 0.02
"""Share of dates marked uncertain (`?`) or approximate (`~`)."""
MIX = {
    # record-only: they change no pair state
    "statement": 0.215,
    "visit": 0.09,
    "negotiation": 0.09,
    "protest": 0.03,
    "operation": 0.015,
    "policy": 0.015,
    "extradition": 0.01,
    "election": 0.005,
    "alignment": 0.03,
    "bloc": 0.01,
    "government": 0.01,
    # state-changing (44%): a topic, then the event that fits the pair's state
    "envoys": 0.11,
    "posts": 0.07,
    "aid": 0.07,
    "agencies": 0.05,
    "certification": 0.035,
    "visa": 0.035,
    "relations": 0.03,
    "recognition": 0.02,
    "persona_non_grata": 0.01,
    "exchange": 0.01,
    # issue 19's concepts (4%, taken from statements): sanctions, designations, governments, protecting
    # powers, consular relations, mission staff and nominees
    "sanctions": 0.01,
    "designations": 0.005,
    "governments": 0.005,
    "protection": 0.005,
    "consular": 0.005,
    "staff": 0.01,
}
"""The share of each sort of event; those from `envoys` on change relationship state."""
_SOURCES = ("synthetic history (engine.synthetic)",)
_SCOPES = ("trade", "financial", "arms", "travel", "targeted", "comprehensive")
"""The scopes a synthetic programme draws from: the named ones (a synthetic source always says)."""
# Name pools, each string made once and shared, as a loader that interns strings would do.
_PEOPLE = tuple(f"Envoy {k}" for k in range(5000))
_LEADERS = tuple(f"Leader {k}" for k in range(10_000))
_PLANS = tuple(f"Plan {k}" for k in range(100))
_CITIES: dict[str, tuple[str, ...]] = {}
_RANK_WEIGHTS = (("ambassador", 0.6), ("charge", 0.3), ("minister", 0.1))
_AGENCIES = ("DEA", "USAID", "Peace Corps", "NAS", "MILGROUP")
_REGIONS = ("north", "south", "east", "west")
_POST_KINDS = ("embassy", "consulate_general", "consulate", "consular_agency", "liaison_office")
_PROGRAMMES = tuple(f"Programme {k}" for k in range(3))
_LISTS = ("state sponsors of terrorism", "SDGT", "FTO")
_GOVERNMENTS = tuple(f"Government {k}" for k in range(50))


def synthetic_actors(count: int = ACTOR_COUNT) -> ActorTable:
    """The actor table of a synthetic world: `S000`, `S001`, ... (codes no real state uses)."""
    return ActorTable({f"S{k:03d}": Actor(f"S{k:03d}", f"Synthetic state {k}") for k in range(count)})


def _day_counts(total: int, slots: int) -> list[int]:
    # Even spread: slot i gets floor((i+1)T/S) - floor(iT/S), which sums to exactly T.
    return [(i + 1) * total // slots - i * total // slots for i in range(slots)]


def _dates(count: int, rng: random.Random) -> Iterator[ImpreciseDate]:
    """`count` dates in log order (first day, then last day), spread over START..END."""
    years = list(range(START.year, END.year + 1))
    months = [(year, month) for year in years for month in range(1, 13)]
    days = (END - START).days + 1
    in_years = round(count * PRECISION["year"])
    in_months = round(count * PRECISION["month"])
    per_day = _day_counts(count - in_years - in_months, days)
    per_month = dict(zip(months, _day_counts(in_months, len(months)), strict=True))
    per_year = dict(zip(years, _day_counts(in_years, len(years)), strict=True))

    def qualified(date: ImpreciseDate) -> ImpreciseDate:
        if rng.random() >= QUALIFIED:
            return date
        mark = rng.random() < 0.5
        return ImpreciseDate(date.year, date.month, date.day, uncertain=mark, approximate=not mark)

    for offset, exact_count in enumerate(per_day):
        day = START + datetime.timedelta(days=offset)
        # One object per day, shared by that day's events (as a loader that interns dates would do).
        exact = ImpreciseDate(day.year, day.month, day.day)
        for _ in range(exact_count):
            yield qualified(exact)
        if day.day == 1:
            month = ImpreciseDate(day.year, day.month)
            for _ in range(per_month[(day.year, day.month)]):
                yield qualified(month)
            if day.month == 1:
                year = ImpreciseDate(day.year, precision=Precision.YEAR)
                for _ in range(per_year[day.year]):
                    yield qualified(year)


class _Chooser:
    """Picks, for a pair in its current state, an event of a topic whose preconditions hold."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.ranks = tuple(rank for rank, _ in _RANK_WEIGHTS)
        self.rank_cumulative = list(accumulate(weight for _, weight in _RANK_WEIGHTS))

    def rank(self) -> str:
        return self.ranks[bisect_right(self.rank_cumulative, self.rng.random() * self.rank_cumulative[-1])]

    def person(self) -> str:
        return _PEOPLE[self.rng.randrange(len(_PEOPLE))]

    def pick(
        self, topic: str, pair: PairAccumulator, actor: str, target: str
    ) -> tuple[type[Event], str, str, dict[str, Any]]:
        """The event class, its actor and target, and its own fields."""
        rng = self.rng
        side = pair.side(actor)
        if pair.relations != "established" and topic in ("envoys", "exchange", "persona_non_grata"):
            topic = "relations"
        if topic == "recognition":
            if not side.recognizes:
                return ev.StateRecognized, actor, target, {}
            if rng.random() < 0.05:
                return ev.RecognitionWithdrawn, actor, target, {}
            topic = "certification"
        if topic == "relations":
            if pair.relations == "none":
                return ev.RelationsEstablished, actor, target, {}
            if pair.relations == "severed":
                return ev.RelationsReestablished, actor, target, {}
            if rng.random() < 0.15:
                return ev.RelationsSevered, actor, target, {}
            topic = "exchange"
        if topic == "exchange":
            return ev.EnvoyExchangeAgreed, actor, target, {"rank": self.rank()}
        if topic == "envoys":
            if side.level == "none":
                return ev.EnvoyAccredited, actor, target, {"rank": self.rank(), "envoy": self.person()}
            draw = rng.random()
            if draw < 0.45:
                named = side.envoy if rng.random() < 0.7 else None
                successor = self.person() if rng.random() < 0.3 else None
                return ev.EnvoyRecalled, actor, target, {"envoy": named, "successor": successor}
            if draw < 0.6:
                return ev.EnvoyExpelled, target, actor, {"envoy": side.envoy, "persona_non_grata": rng.random() < 0.8}
            return ev.EnvoyAccredited, actor, target, {"rank": self.rank(), "envoy": self.person()}
        if topic == "persona_non_grata":
            person = self.person()
            if person not in side.persona_non_grata:
                return ev.PersonaNonGrataDeclared, target, actor, {"person": person}
            topic = "visa"
        if topic == "posts":
            kind = _POST_KINDS[min(int(rng.expovariate(1.2)), len(_POST_KINDS) - 1)]
            city = _CITIES[target][rng.randrange(4)]
            is_open = any(post.kind == kind and post.city == city for post in side.posts)
            if side.posts and (is_open or rng.random() < 0.25):
                post = rng.choice(sorted(side.posts, key=lambda p: (p.kind, p.city)))
                return ev.PostClosed, actor, target, {"post": post.kind, "city": post.city}
            if not is_open:
                return ev.PostOpened, actor, target, {"post": kind, "city": city}
            topic = "aid"
        if topic == "agencies":
            name = rng.choice(_AGENCIES)
            present = side.agency(name)
            if present is None:
                return ev.AgencyStarted, actor, target, {"agency": name}
            draw = rng.random()
            if draw < 0.3:
                return ev.AgencyWithdrawn, actor, target, {"agency": name}
            region = rng.choice(_REGIONS)
            if draw < 0.5 or region in present.excluded_regions:
                return ev.AgencyExpelled, target, actor, {"agency": name}
            return ev.AgencyExpelled, target, actor, {"agency": name, "region": region}
        if topic in _NEW_TOPICS:
            picked = self.pick_issue_19(topic, pair, actor, target)
            if picked is not None:
                return picked
            topic = "aid"
        if topic == "aid":
            return _AID_NEXT[side.aid][rng.randrange(len(_AID_NEXT[side.aid]))], actor, target, {}
        if topic == "certification":
            return ev.CertificationDecided, actor, target, {"decision": rng.choice(ev.CERTIFICATION_DECISIONS)}
        return ev.VisaPolicyChanged, target, actor, {"required": rng.random() < 0.5}

    def pick_issue_19(
        self, topic: str, pair: PairAccumulator, actor: str, target: str
    ) -> tuple[type[Event], str, str, dict[str, Any]] | None:
        """An event of issue 19's concepts that fits the pair's state, or None to fall back on aid."""
        rng = self.rng
        side = pair.side(actor)
        if topic == "sanctions":
            programme = _PROGRAMMES[rng.randrange(len(_PROGRAMMES))]
            present = next((s for s in side.sanctions if s.programme == programme), None)
            scope = (_SCOPES[rng.randrange(len(_SCOPES))],)
            if present is None:
                return ev.SanctionImposed, actor, target, {"programme": programme, "scope": scope, "basis": programme}
            draw = rng.random()
            if draw < 0.4:
                return ev.SanctionWidened, actor, target, {"programme": programme, "scope": scope}
            if draw < 0.7:
                return ev.SanctionEased, actor, target, {"programme": programme, "scope": (min(present.scope),)}
            return ev.SanctionLifted, actor, target, {"programme": programme}
        if topic == "designations":
            listed = _LISTS[rng.randrange(len(_LISTS))]
            on_it = any(d.list_name == listed and d.entity is None for d in side.designations)
            return (ev.DesignationRemoved if on_it else ev.DesignationAdded), actor, target, {"list_name": listed}
        if topic == "governments":
            if side.government is not None and rng.random() < 0.2:
                return ev.GovernmentRecognitionWithdrawn, actor, target, {}
            government = _GOVERNMENTS[rng.randrange(len(_GOVERNMENTS))]
            if government == side.government:
                return None
            return ev.GovernmentRecognized, actor, target, {"government": government, "rival": rng.random() < 0.1}
        if topic == "protection":
            if side.protecting_power is not None:
                return ev.ProtectingPowerEnded, actor, target, {"protector": side.protecting_power}
            if pair.relations == "established":
                return None
            protector = next(code for code in ("S000", "S001", "S002") if code not in (actor, target))
            return ev.ProtectingPowerStarted, actor, target, {"protector": protector}
        if topic == "consular":
            if pair.consular == "none":
                return ev.ConsularRelationsEstablished, actor, target, {}
            if pair.consular == "severed":
                return ev.ConsularRelationsReestablished, actor, target, {}
            return (ev.ConsularRelationsSevered, actor, target, {}) if rng.random() < 0.3 else None
        # staff: expulsions, a mission's status, caps and nominations
        draw = rng.random()
        if draw < 0.3:
            persons = (self.person(),) if rng.random() < 0.5 else ()
            return ev.StaffExpelled, target, actor, {"count": rng.randrange(1, 10), "persons": persons}
        if draw < 0.55:
            status = side.mission_status
            if status == "operating":
                cls = ev.OrderedDeparture if rng.random() < 0.6 else ev.OperationsSuspended
                return cls, actor, target, {}
            if status == "ordered_departure" and rng.random() < 0.3:
                return ev.OperationsSuspended, actor, target, {}
            return ev.OperationsResumed, actor, target, {}
        if draw < 0.7:
            hosted = pair.side(target)
            if hosted.staff_capped:
                return ev.StaffCapLifted, actor, target, {}
            return ev.StaffCapped, actor, target, {"cap": rng.randrange(5, 100)}
        if side.nominee_status == "pending":
            if rng.random() < 0.5:
                return ev.NominationRefused, target, actor, {"nominee": side.nominee}
            return ev.NominationWithdrawn, actor, target, {"nominee": side.nominee}
        if side.nominee_status == "refused":
            return ev.NominationWithdrawn, actor, target, {"nominee": side.nominee}
        return ev.EnvoyNominated, actor, target, {"nominee": self.person(), "rank": self.rank()}


_NEW_TOPICS = frozenset({"sanctions", "designations", "governments", "protection", "consular", "staff"})
_AID_NEXT: dict[str, tuple[type[Event], ...]] = {
    "none": (ev.AidStarted, ev.AidStarted, ev.AidRestricted),
    "active": (ev.AidSuspended, ev.AidRestricted),
    "suspended": (ev.AidResumed, ev.AidResumed, ev.AidRestricted),
    "restricted": (ev.AidRestrictionWaived, ev.AidRestrictionWaived, ev.AidSuspended),
    "waived": (ev.AidSuspended, ev.AidRestricted),
}
_RECORD_ONLY = {
    "statement": (ev.StatementMade, {"statement": "statement"}),
    "visit": (ev.VisitMade, {}),
    "negotiation": (ev.NegotiationsHeld, {}),
    "protest": (ev.ProtestHeld, {}),
    "extradition": (ev.ExtraditionCarried, {"person": "Extradited person"}),
}


def _validated(cls: type[Event], **given: Any) -> Event:
    # Any: each kind takes its own fields, which `type[Event]` cannot name.
    return cls(**given)


_FIELD_DEFAULTS: dict[type[Event], tuple[tuple[str, object], ...]] = {}


def _unchecked(cls: type[Event], **given: Any) -> Event:
    """The event `cls(**given)` would build, without running its converters and validators.

    For values already of the right types and valid (as the generator's are): the validated
    constructor costs ~20 us an event, a third of the whole generator; `tests/test_synthetic.py`
    checks that both ways give equal events.
    """
    defaults = _FIELD_DEFAULTS.get(cls)
    if defaults is None:
        defaults = _FIELD_DEFAULTS[cls] = tuple((field.name, field.default) for field in attrs.fields(cls))
    event = object.__new__(cls)
    for name, default in defaults:
        object.__setattr__(event, name, given.get(name, default))
    return event


def synthetic_events(count: int, *, seed: int = 0, actors: int = ACTOR_COUNT, validate: bool = True) -> Iterator[Event]:
    """`count` valid events in log order, the same for the same seed (streams: holds no event itself).

    Args:
        count: how many events.
        seed: the random seed; equal seeds give equal histories.
        actors: how many actors (`synthetic_actors(actors)` is the table to check them against).
        validate: build each event through its validating constructor; False builds the equal event
            directly, several times faster (for 10^7-event benchmarks).
    """
    rng = random.Random(seed)
    codes = list(synthetic_actors(actors))
    pairs = [(a, b) for i, a in enumerate(codes) for b in codes[i + 1 :]]
    rng.shuffle(pairs)
    cumulative = list(accumulate(1.0 / (k + 10) ** 0.9 for k in range(len(pairs))))
    topics = list(MIX)
    topic_cumulative = list(accumulate(MIX.values()))
    chooser = _Chooser(rng)
    _CITIES.update((code, tuple(f"{code} city {k}" for k in range(4))) for code in codes if code not in _CITIES)
    make = _validated if validate else _unchecked
    folder = FastFolder()
    blocs: dict[str, set[str]] = {}
    batch: list[tuple[str, str]] = []
    for number, date in enumerate(_dates(count, rng)):
        if not batch:
            batch = rng.choices(pairs, cum_weights=cumulative, k=4096)
        a, b = batch.pop()
        actor, target = (a, b) if rng.random() < 0.5 else (b, a)
        topic = topics[bisect_right(topic_cumulative, rng.random() * topic_cumulative[-1])]
        common = {"id": f"e{number}", "date": date, "sources": _SOURCES}
        if topic in _RECORD_ONLY:
            cls, fields = _RECORD_ONLY[topic]
            event = make(cls, actor=actor, target=target, **common, **fields)
        elif topic in ("operation", "policy"):
            cls = ev.OperationConducted if topic == "operation" else ev.PolicyAdopted
            event = make(cls, actor=actor, target=target, name=_PLANS[rng.randrange(100)], **common)
        elif topic == "election":
            event = make(ev.ElectionHeld, actor=actor, **common)
        elif topic == "government":
            event = make(ev.GovernmentChanged, actor=actor, leader=_LEADERS[rng.randrange(len(_LEADERS))], **common)
        elif topic == "alignment":
            event = make(ev.AlignmentChanged, actor=actor, target=target, stance=rng.choice(ev.STANCES), **common)
        elif topic == "bloc":
            joined = blocs.setdefault(actor, set())
            bloc = f"BLOC{rng.randrange(8)}"
            cls = ev.BlocLeft if bloc in joined else ev.BlocJoined
            joined.symmetric_difference_update({bloc})
            event = make(cls, actor=actor, bloc=bloc, **common)
        else:
            pair = folder.pair((a, b))
            cls, actor, target, fields = chooser.pick(topic, pair, actor, target)
            event = make(cls, actor=actor, target=target, **common, **fields)
            folder.step(event)
        yield event


def synthetic_log(count: int, *, seed: int = 0, actors: int = ACTOR_COUNT) -> Log:
    """A validated `Log` of `synthetic_events(count, seed=seed, actors=actors)` over `synthetic_actors`."""
    return Log.of(synthetic_events(count, seed=seed, actors=actors), synthetic_actors(actors))
