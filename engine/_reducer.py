"""The pure reducer: `apply(state, event) -> state`, one handler per event kind, strict or lenient."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import reduce

import attrs

import events as ev
from engine._state import (
    EMPTY_WORLD,
    Agency,
    Anomaly,
    PairState,
    Post,
    Side,
    WorldState,
    initial_pair,
)
from events import Event, ImpreciseDate, LegationError

# Handlers take the pair's state and the event and return the new state and the rules it broke.
# They always return a state: in lenient mode the fold records the broken rules and goes on with it.
PairHandler = Callable[[PairState, Event], tuple[PairState, list[str]]]
_PAIR_HANDLERS: dict[type[Event], PairHandler] = {}
_STAYING_POSTS = frozenset({"interests_section", "liaison_office"})


class TransitionError(LegationError, ValueError):
    """An event that cannot happen in the state it meets (strict mode).

    Attributes:
        event_id: the event's id.
        date: the event's date.
        rule: the rule it broke.
    """

    def __init__(self, event_id: str, date: ImpreciseDate, rule: str) -> None:
        self.event_id = event_id
        self.date = date
        self.rule = rule
        super().__init__(f"event {event_id!r} ({date}): {rule}")


class UnknownEventKindError(LegationError, TypeError):
    """An event of a class no handler is registered for."""


def handles(*kinds: type[Event]) -> Callable[[PairHandler], PairHandler]:
    """Register a pair handler for event kinds."""

    def register(handler: PairHandler) -> PairHandler:
        for cls in kinds:
            _PAIR_HANDLERS[cls] = handler
        return handler

    return register


def _unchanged(state: PairState, event: Event) -> tuple[PairState, list[str]]:
    return state, []


for _cls in ev.EVENT_KINDS.values():
    if not _cls.CHANGES_STATE:
        _PAIR_HANDLERS[_cls] = _unchanged
# Alignments shape the alignment graph (engine.alignment), not the pair's relationship state.
for _cls in (ev.AlignmentChanged, ev.BlocJoined, ev.BlocLeft):
    _PAIR_HANDLERS[_cls] = _unchanged


# --- Recognition and relations -------------------------------------------------------------


def _recognised(state: PairState, event: Event) -> tuple[PairState, list[str]]:
    side = state.side(event.actor, event.target)
    broken = [f"{event.actor} already recognises {event.target}"] if side.recognizes else []
    return state.with_side(event.actor, event.target, attrs.evolve(side, recognizes=True)), broken


def _recognition_withdrawn(state: PairState, event: Event) -> tuple[PairState, list[str]]:
    side = state.side(event.actor, event.target)
    broken = [] if side.recognizes else [f"{event.actor} does not recognise {event.target}"]
    return state.with_side(event.actor, event.target, attrs.evolve(side, recognizes=False)), broken


# For each relations event: the rule it breaks after each value of `relations` it may not follow (with the
# pair's codes for {a} and {b}), and the value it leaves. Shared with the fast fold (engine._fast).
_RELATIONS_RULES: dict[type[Event], tuple[dict[str, str], str]] = {
    ev.RelationsEstablished: (
        {
            "established": "relations between {a} and {b} are already established",
            "severed": "relations between {a} and {b} were severed; restoring them is relations_reestablished",
        },
        "established",
    ),
    ev.RelationsSevered: (
        dict.fromkeys(("none", "severed"), "there are no established relations between {a} and {b} to sever"),
        "severed",
    ),
    ev.RelationsReestablished: (
        {
            "none": "relations between {a} and {b} were never established, so cannot be reestablished",
            "established": "relations between {a} and {b} are not severed",
        },
        "established",
    ),
}


def _without_mission(side: Side) -> Side:
    posts = frozenset(post for post in side.posts if post.kind in _STAYING_POSTS)
    return attrs.evolve(side, level="none", envoy=None, posts=posts)


def _relations(state: PairState, event: Event) -> tuple[PairState, list[str]]:
    refused, after = _RELATIONS_RULES[type(event)]
    rule = refused.get(state.relations)
    broken = [rule.format(a=state.a, b=state.b)] if rule else []
    changed = attrs.evolve(state, relations=after, relations_since=event.date)
    if after == "severed":
        # A break withdraws both missions; only interests sections and liaison offices stay.
        changed = attrs.evolve(changed, ab=_without_mission(state.ab), ba=_without_mission(state.ba))
    return changed, broken


# --- Envoys --------------------------------------------------------------------------------


def _accredited(state: PairState, event: ev.EnvoyAccredited) -> tuple[PairState, list[str]]:
    broken = []
    if state.relations != "established" and event.rank != "other":
        broken.append(
            f"{event.actor} cannot accredit a {event.rank} in {event.target}: relations are {state.relations}"
        )
    side = state.side(event.actor, event.target)
    return state.with_side(event.actor, event.target, attrs.evolve(side, level=event.rank, envoy=event.envoy)), broken


def _exchange_agreed(state: PairState, event: ev.EnvoyExchangeAgreed) -> tuple[PairState, list[str]]:
    return attrs.evolve(state, agreed_level=event.rank), []


def _head_leaves(
    state: PairState, sender: str, host: str, envoy: str | None, successor: str | None, verb: str
) -> tuple[PairState, Side, list[str]]:
    side = state.side(sender, host)
    broken = []
    if side.level == "none":
        broken.append(f"{sender} has no head of mission in {host} to {verb}")
    elif envoy is not None and side.envoy is not None and envoy != side.envoy:
        broken.append(f"the head of {sender}'s mission in {host} is {side.envoy}, not {envoy}")
    # While relations stand, a mission whose head ranked above chargé passes to a chargé d'affaires.
    if state.relations == "established" and side.level in ("minister", "ambassador"):
        after = attrs.evolve(side, level="charge", envoy=successor)
    else:
        after = attrs.evolve(side, level="none", envoy=None)
    return state, after, broken


def _recalled(state: PairState, event: ev.EnvoyRecalled) -> tuple[PairState, list[str]]:
    state, side, broken = _head_leaves(state, event.actor, event.target, event.envoy, event.successor, "recall")
    return state.with_side(event.actor, event.target, side), broken


def _expelled(state: PairState, event: ev.EnvoyExpelled) -> tuple[PairState, list[str]]:
    state, side, broken = _head_leaves(state, event.target, event.actor, event.envoy, event.successor, "expel")
    named = event.envoy or state.side(event.target, event.actor).envoy
    if event.persona_non_grata and named is not None:
        side = attrs.evolve(side, persona_non_grata=side.persona_non_grata | {named})
    return state.with_side(event.target, event.actor, side), broken


def _persona_non_grata(state: PairState, event: ev.PersonaNonGrataDeclared) -> tuple[PairState, list[str]]:
    side = state.side(event.target, event.actor)
    broken = []
    if event.person in side.persona_non_grata:
        broken.append(f"{event.person} is already persona non grata in {event.actor}")
    side = attrs.evolve(side, persona_non_grata=side.persona_non_grata | {event.person})
    return state.with_side(event.target, event.actor, side), broken


# --- Posts and agencies --------------------------------------------------------------------


def _post_opened(state: PairState, event: ev.PostOpened) -> tuple[PairState, list[str]]:
    side = state.side(event.actor, event.target)
    post = Post(event.post, event.city)
    broken = [f"{event.actor}'s {post} is already open"] if post in side.posts else []
    return state.with_side(event.actor, event.target, attrs.evolve(side, posts=side.posts | {post})), broken


def _post_attested(state: PairState, event: ev.PostAttested) -> tuple[PairState, list[str]]:
    # An attestation breaks no rule: it reports a post open, whether or not the log saw it open.
    side = state.side(event.actor, event.target)
    post = Post(event.post, event.city)
    return state.with_side(event.actor, event.target, attrs.evolve(side, posts=side.posts | {post})), []


def _post_closed(state: PairState, event: ev.PostClosed) -> tuple[PairState, list[str]]:
    side = state.side(event.actor, event.target)
    post = Post(event.post, event.city)
    broken = [] if post in side.posts else [f"{event.actor} has no open {post} to close"]
    return state.with_side(event.actor, event.target, attrs.evolve(side, posts=side.posts - {post})), broken


def _agency_started(state: PairState, event: ev.AgencyStarted) -> tuple[PairState, list[str]]:
    side = state.side(event.actor, event.target)
    present = side.agency(event.agency)
    broken = [f"{event.actor}'s {event.agency} already operates in {event.target}"] if present else []
    agencies = (side.agencies - {present} if present else side.agencies) | {Agency(event.agency)}
    return state.with_side(event.actor, event.target, attrs.evolve(side, agencies=agencies)), broken


def _agency_expelled(state: PairState, event: ev.AgencyExpelled) -> tuple[PairState, list[str]]:
    side = state.side(event.target, event.actor)
    present = side.agency(event.agency)
    broken = []
    if present is None:
        broken.append(f"{event.target}'s {event.agency} does not operate in {event.actor}")
        agencies = side.agencies
    elif event.region is None:
        agencies = side.agencies - {present}
    else:
        if event.region in present.excluded_regions:
            broken.append(f"{event.target}'s {event.agency} was already expelled from {event.region}")
        narrowed = Agency(present.name, present.excluded_regions | {event.region})
        agencies = (side.agencies - {present}) | {narrowed}
    return state.with_side(event.target, event.actor, attrs.evolve(side, agencies=agencies)), broken


def _agency_withdrawn(state: PairState, event: ev.AgencyWithdrawn) -> tuple[PairState, list[str]]:
    side = state.side(event.actor, event.target)
    present = side.agency(event.agency)
    broken = [] if present else [f"{event.actor}'s {event.agency} does not operate in {event.target}"]
    agencies = side.agencies - {present} if present else side.agencies
    return state.with_side(event.actor, event.target, attrs.evolve(side, agencies=agencies)), broken


# --- Assistance, certification, visas ------------------------------------------------------

# For each aid event: the statuses it may follow, and the status it leaves.
_AID_RULES: dict[type[Event], tuple[frozenset[str], str, str]] = {
    ev.AidStarted: (frozenset({"none", "suspended"}), "active", "assistance is already flowing"),
    ev.AidSuspended: (
        frozenset({"active", "restricted", "waived"}),
        "suspended",
        "there is no assistance to suspend",
    ),
    ev.AidResumed: (frozenset({"suspended"}), "active", "assistance is not suspended"),
    ev.AidRestricted: (
        frozenset({"none", "active", "suspended", "waived"}),
        "restricted",
        "assistance is already restricted",
    ),
    ev.AidRestrictionWaived: (frozenset({"restricted"}), "waived", "there is no restriction to waive"),
}


def _aid(state: PairState, event: Event) -> tuple[PairState, list[str]]:
    allowed, after, rule = _AID_RULES[type(event)]
    side = state.side(event.actor, event.target)
    broken = [] if side.aid in allowed else [f"{rule} ({event.actor} to {event.target} is {side.aid})"]
    return state.with_side(event.actor, event.target, attrs.evolve(side, aid=after)), broken


def _certification(state: PairState, event: ev.CertificationDecided) -> tuple[PairState, list[str]]:
    side = state.side(event.actor, event.target)
    return state.with_side(event.actor, event.target, attrs.evolve(side, certification=event.decision)), []


def _visa(state: PairState, event: ev.VisaPolicyChanged) -> tuple[PairState, list[str]]:
    # The actor sets the rule for the target's nationals: the target->actor direction.
    side = state.side(event.target, event.actor)
    return state.with_side(event.target, event.actor, attrs.evolve(side, visa_required=event.required)), []


# The handler of each state-changing kind, in one table. Registered here rather than with @handles
# because mutmut leaves decorated functions unmutated, and the mutation score (see the README) should
# cover every handler.
_PAIR_HANDLERS.update(
    {
        ev.StateRecognized: _recognised,
        ev.RecognitionWithdrawn: _recognition_withdrawn,
        **dict.fromkeys(_RELATIONS_RULES, _relations),
        ev.EnvoyAccredited: _accredited,
        ev.EnvoyExchangeAgreed: _exchange_agreed,
        ev.EnvoyRecalled: _recalled,
        ev.EnvoyExpelled: _expelled,
        ev.PersonaNonGrataDeclared: _persona_non_grata,
        ev.PostOpened: _post_opened,
        ev.PostAttested: _post_attested,
        ev.PostClosed: _post_closed,
        ev.AgencyStarted: _agency_started,
        ev.AgencyExpelled: _agency_expelled,
        ev.AgencyWithdrawn: _agency_withdrawn,
        **dict.fromkeys(_AID_RULES, _aid),
        ev.CertificationDecided: _certification,
        ev.VisaPolicyChanged: _visa,
    }
)


# --- The fold ------------------------------------------------------------------------------


def apply_to_pair(state: PairState, event: Event) -> tuple[PairState, list[str]]:
    """The new state of the event's pair and the rules the event broke (empty when it is possible).

    Raises:
        UnknownEventKindError: no handler is registered for the event's class.
    """
    handler = _PAIR_HANDLERS.get(type(event))
    if handler is None:
        message = f"no reducer handler for event kind {type(event).__name__} (event {event.id!r})"
        raise UnknownEventKindError(message)
    return handler(state, event)


def _actor_rules(world: WorldState, event: Event) -> list[str]:
    broken = []
    for code in (event.actor, event.target):
        if code is None:
            continue
        dissolved = world.actor(code).dissolved
        if dissolved is not None:
            broken.append(f"{code} was dissolved on {dissolved}")
    return broken


def apply(state: WorldState, event: Event, *, strict: bool = True) -> WorldState:
    """The world state after one event. Pure: `state` and `event` are not changed.

    Args:
        state: the state before the event.
        event: the event.
        strict: raise on an impossible transition; when False, record it in `anomalies` and go on.

    Raises:
        TransitionError: (strict) the event breaks a rule in this state; names event id, date, rule.
        UnknownEventKindError: no handler for the event's class.
    """
    broken = _actor_rules(state, event)
    pairs, actors = state.pairs, state.actors
    if isinstance(event, ev.GovernmentChanged):
        current = state.actor(event.actor)
        actors = actors.set(event.actor, attrs.evolve(current, leader=event.leader, leader_since=event.date))
    elif isinstance(event, ev.StateDissolved):
        actors = actors.set(event.actor, attrs.evolve(state.actor(event.actor), dissolved=event.date))
    elif event.target is not None:
        key = (event.actor, event.target) if event.actor <= event.target else (event.target, event.actor)
        before = pairs.get(key) or initial_pair(*key)
        after, pair_broken = apply_to_pair(before, event)
        broken.extend(pair_broken)
        if after is not before:
            pairs = pairs.set(key, after)
    elif type(event) not in _PAIR_HANDLERS:
        apply_to_pair(initial_pair(event.actor, event.actor), event)  # raises for unknown kinds
    anomalies = state.anomalies
    if broken:
        if strict:
            raise TransitionError(event.id, event.date, "; ".join(broken))
        anomalies = anomalies + tuple(Anomaly(event.id, event.date, rule) for rule in broken)
    if pairs is state.pairs and actors is state.actors and anomalies is state.anomalies:
        return state
    return WorldState(pairs, actors, anomalies)


def fold(events: Iterable[Event], *, strict: bool = True, initial: WorldState = EMPTY_WORLD) -> WorldState:
    """The world state after all the events, in the order given (a log's order for a `Log`)."""
    return reduce(lambda state, event: apply(state, event, strict=strict), events, initial)


def fold_from(state: WorldState, events: Iterable[Event], *, strict: bool = True) -> WorldState:
    """Continue a fold: `fold_from(fold(a), b) == fold(a + b)`."""
    return fold(events, strict=strict, initial=state)


def check_transitions(events: Iterable[Event]) -> list[Anomaly]:
    """Every impossible transition in a sequence of events (a lenient fold's anomalies)."""
    return list(fold(events, strict=False).anomalies)
