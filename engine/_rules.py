"""The rule book: for each state-changing event kind, the rules it can break and the change it makes, once.

Both folds read this module and nothing else for what a kind does:

- the pure reducer (`engine._reducer`) hands each rule a draft of the frozen `PairState` and `Side`,
  collects what the rule wrote, and builds the new state with `attrs.evolve`;
- the fast fold (`engine._fast`) hands each rule its mutable per-pair accumulators, whose slots carry the
  same attribute names, so a rule's writes land in place.

A rule is a function `rule(pair, side, event) -> broken`: it reads the pair (`a`, `b`, `relations`,
`relations_since`, `agreed_level`, `ab`, `ba`) and the side its kind acts on (the attributes of
`engine.Side`), returns the rules the event breaks in that state (None when it breaks none), and writes
its effect by assigning those attributes. It reads everything it needs before it writes, since what it
reports is the state the event met. In lenient mode the effect applies whether or not rules were broken.

Which side a rule is given is part of its entry in `RULES`: the actor's side (actor -> target), the
target's (target -> actor), or none: `PAIR` (the rule writes pair fields only) or `BOTH` (it may also
write `pair.ab` and `pair.ba`). The fast fold re-freezes only what the entry says a rule may change.
Adding a state-changing kind means one rule here and one entry in `RULES`
(see docs/adding-a-kind.md).

Tables of messages are read inside the rules on each call (not baked into closures at import), so that
mutation testing, which switches mutants per call, reaches them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import events as ev
from engine._state import ActorState, Agency, Post
from events import Event, EventDate

ACTOR: Final = "actor"
"""The rule acts on the side from the event's actor to its target."""
TARGET: Final = "target"
"""The rule acts on the side from the event's target to its actor."""
PAIR: Final = "pair"
"""The rule acts on the pair's own fields only; it is given no side."""
BOTH: Final = "both"
"""The rule acts on the pair's own fields and may change both sides (`pair.ab`, `pair.ba`); it is given no side."""

# The views are duck-typed on purpose: a frozen-state draft in the pure fold, an accumulator in the fast
# one; both expose the attribute names of engine.PairState and engine.Side.
Rule = Callable[[Any, Any, Any], "list[str] | None"]
"""rule(pair, side, event) -> the rules broken, or None; writes its effect on the views."""


# --- Shared values -------------------------------------------------------------------------

_POSTS: dict[tuple[str, str], Post] = {}
_PLAIN_AGENCIES: dict[str, Agency] = {}


def post_of(kind: str, city: str) -> Post:
    """The `Post` of a kind in a city, interned: equal posts are one object, so building one costs a look-up."""
    post = _POSTS.get((kind, city))
    if post is None:
        post = _POSTS[(kind, city)] = Post(kind, city)
    return post


def plain_agency(name: str) -> Agency:
    """The `Agency` of a name barred from no region, interned as `post_of` is."""
    agency = _PLAIN_AGENCIES.get(name)
    if agency is None:
        agency = _PLAIN_AGENCIES[name] = Agency(name)
    return agency


def agency_named(side: Any, name: str) -> Agency | None:
    """The side's agency of this name, if it operates there."""
    agencies: frozenset[Agency] = side.agencies
    for agency in agencies:
        if agency.name == name:
            return agency
    return None


# --- Recognition ---------------------------------------------------------------------------


def recognised(pair: Any, side: Any, event: Event) -> list[str] | None:
    """state_recognized: the actor recognises the target; recognising twice is a broken rule."""
    broken = [f"{event.actor} already recognises {event.target}"] if side.recognizes else None
    side.recognizes = True
    return broken


def recognition_withdrawn(pair: Any, side: Any, event: Event) -> list[str] | None:
    """recognition_withdrawn: the actor stops recognising the target, which it must have recognised."""
    broken = None if side.recognizes else [f"{event.actor} does not recognise {event.target}"]
    side.recognizes = False
    return broken


# --- Relations -----------------------------------------------------------------------------

# For each relations event: the rule it breaks after each value of `relations` it may not follow (with the
# pair's codes for {a} and {b}), and the value it leaves.
RELATIONS_RULES: dict[type[Event], tuple[dict[str, str], str]] = {
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


def _withdraw_mission(side: Any) -> None:
    # A break withdraws the mission; only interests sections and liaison offices stay.
    side.posts = frozenset(post for post in side.posts if post.kind in ev.STAYING_POST_KINDS)
    side.level = "none"
    side.envoy = None


def relations(pair: Any, side: None, event: Event) -> list[str] | None:
    """relations_established, _severed, _reestablished: the transitions of `RELATIONS_RULES`."""
    refused, after = RELATIONS_RULES[type(event)]
    rule = refused.get(pair.relations)
    if pair.relations != after:
        # `relations_since` is the date of the event `relations` was last set by: an impossible repeat
        # (lenient mode) that leaves the value as it was does not move it, so an answer's date and its
        # cited basis stay one event.
        pair.relations_since = event.date
    pair.relations = after
    if after == "severed":
        _withdraw_mission(pair.ab)
        _withdraw_mission(pair.ba)
        # An agreement to exchange envoys is made between governments in relations and is carried out by
        # accrediting them; a break voids it (restored relations need a new agreement, or new envoys).
        pair.agreed_level = None
    return [rule.format(a=pair.a, b=pair.b)] if rule else None


# --- Envoys --------------------------------------------------------------------------------


def exchange_agreed(pair: Any, side: None, event: ev.EnvoyExchangeAgreed) -> list[str] | None:
    """envoy_exchange_agreed: the pair agrees a rank for its heads of mission (no accreditation yet)."""
    pair.agreed_level = event.rank
    return None


def accredited(pair: Any, side: Any, event: ev.EnvoyAccredited) -> list[str] | None:
    """envoy_accredited: the actor's head of mission in the target; above `other` it needs relations."""
    broken = None
    if pair.relations != "established" and event.rank != "other":
        broken = [f"{event.actor} cannot accredit a {event.rank} in {event.target}: relations are {pair.relations}"]
    side.level = event.rank
    side.envoy = event.envoy
    return broken


def envoy_attested(pair: Any, side: Any, event: ev.EnvoyAttested) -> list[str] | None:
    """envoy_attested: a source shows the actor's head of mission in the target at a rank on this date.

    It sets the representation as an accreditation would (the source is the best knowledge of that day);
    an unnamed envoy keeps the name already known at the same rank (the source does not contradict it).
    A rank above `other` without established relations breaks the rule an accreditation would.
    """
    broken = None
    if pair.relations != "established" and event.rank != "other":
        broken = [f"{event.actor} cannot have a {event.rank} in {event.target}: relations are {pair.relations}"]
    envoy = event.envoy
    if envoy is None and side.level == event.rank:
        envoy = side.envoy
    side.level = event.rank
    side.envoy = envoy
    return broken


def _head_leaves(
    pair: Any, side: Any, sender: str | None, host: str | None, envoy: str | None, successor: str | None, verb: str
) -> list[str] | None:
    broken = None
    if side.level == "none":
        broken = [f"{sender} has no head of mission in {host} to {verb}"]
    elif envoy is not None and side.envoy is not None and envoy != side.envoy:
        broken = [f"the head of {sender}'s mission in {host} is {side.envoy}, not {envoy}"]
    leaving = side.level
    if pair.relations == "established" and leaving in ("minister", "ambassador"):
        # While relations stand, a mission whose head ranked above chargé passes to a chargé d'affaires.
        side.level = "charge"
        side.envoy = successor
    elif successor is not None and (leaving == "other" or (leaving == "charge" and pair.relations == "established")):
        # A chargé (or the head of an interests section) handing over to a named successor: an acting head
        # of the same rank takes charge, so the mission is not left without a head.
        side.envoy = successor
    else:
        side.level = "none"
        side.envoy = None
    return broken


def recalled(pair: Any, side: Any, event: ev.EnvoyRecalled) -> list[str] | None:
    """envoy_recalled: the actor's head of mission in the target leaves."""
    return _head_leaves(pair, side, event.actor, event.target, event.envoy, event.successor, "recall")


def expelled(pair: Any, side: Any, event: ev.EnvoyExpelled) -> list[str] | None:
    """envoy_expelled (target's side): the actor sends out the target's head of mission, maybe persona non grata."""
    named = event.envoy or side.envoy
    broken = _head_leaves(pair, side, event.target, event.actor, event.envoy, event.successor, "expel")
    if event.persona_non_grata and named is not None:
        side.persona_non_grata = side.persona_non_grata | {named}
    return broken


def persona_non_grata(pair: Any, side: Any, event: ev.PersonaNonGrataDeclared) -> list[str] | None:
    """persona_non_grata_declared (target's side): the actor declares one of the target's people unwelcome."""
    broken = None
    if event.person in side.persona_non_grata:
        broken = [f"{event.person} is already persona non grata in {event.actor}"]
    side.persona_non_grata = side.persona_non_grata | {event.person}
    return broken


# --- Posts and agencies --------------------------------------------------------------------


def post_opened(pair: Any, side: Any, event: ev.PostOpened) -> list[str] | None:
    """post_opened: the actor opens a post in the target; it must not be open already."""
    post = post_of(event.post, event.city)
    broken = [f"{event.actor}'s {post} is already open"] if post in side.posts else None
    side.posts = side.posts | {post}
    return broken


def post_attested(pair: Any, side: Any, event: ev.PostAttested) -> list[str] | None:
    """post_attested: a source reports a post open, whether or not the log saw it open (so no rule)."""
    side.posts = side.posts | {post_of(event.post, event.city)}
    return None


def post_closed(pair: Any, side: Any, event: ev.PostClosed) -> list[str] | None:
    """post_closed: the actor closes a post it has open."""
    post = post_of(event.post, event.city)
    broken = None if post in side.posts else [f"{event.actor} has no open {post} to close"]
    side.posts = side.posts - {post}
    return broken


def agency_started(pair: Any, side: Any, event: ev.AgencyStarted) -> list[str] | None:
    """agency_started: the actor's agency begins to operate in the target, everywhere."""
    present = agency_named(side, event.agency)
    broken = None
    agencies = side.agencies
    if present is not None:
        broken = [f"{event.actor}'s {event.agency} already operates in {event.target}"]
        agencies = agencies - {present}
    side.agencies = agencies | {plain_agency(event.agency)}
    return broken


def agency_expelled(pair: Any, side: Any, event: ev.AgencyExpelled) -> list[str] | None:
    """agency_expelled (target's side): the actor expels the target's agency, or bars it from one region."""
    present = agency_named(side, event.agency)
    broken = None
    if present is None:
        broken = [f"{event.target}'s {event.agency} does not operate in {event.actor}"]
    elif event.region is None:
        side.agencies = side.agencies - {present}
    else:
        if event.region in present.excluded_regions:
            broken = [f"{event.target}'s {event.agency} was already expelled from {event.region}"]
        narrowed = Agency(present.name, present.excluded_regions | {event.region})
        side.agencies = (side.agencies - {present}) | {narrowed}
    return broken


def agency_withdrawn(pair: Any, side: Any, event: ev.AgencyWithdrawn) -> list[str] | None:
    """agency_withdrawn: the actor withdraws an agency it runs in the target."""
    present = agency_named(side, event.agency)
    if present is None:
        return [f"{event.actor}'s {event.agency} does not operate in {event.target}"]
    side.agencies = side.agencies - {present}
    return None


# --- Assistance, certification, visas ------------------------------------------------------

# For each aid event: the statuses it may follow, the status it leaves, and the rule it breaks otherwise.
AID_RULES: dict[type[Event], tuple[frozenset[str], str, str]] = {
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


def aid(pair: Any, side: Any, event: Event) -> list[str] | None:
    """aid_started, _suspended, _resumed, _restricted, aid_restriction_waived: the transitions of `AID_RULES`."""
    allowed, after, rule = AID_RULES[type(event)]
    broken = None if side.aid in allowed else [f"{rule} ({event.actor} to {event.target} is {side.aid})"]
    side.aid = after
    return broken


def certification(pair: Any, side: Any, event: ev.CertificationDecided) -> list[str] | None:
    """certification_decided: the actor's latest counter-narcotics decision on the target."""
    side.certification = event.decision
    return None


def visa(pair: Any, side: Any, event: ev.VisaPolicyChanged) -> list[str] | None:
    """visa_policy_changed (target's side): the actor sets the rule for the target's nationals."""
    side.visa_required = event.required
    return None


# --- The book ------------------------------------------------------------------------------

RULES: dict[type[Event], tuple[Rule, str]] = {
    ev.StateRecognized: (recognised, ACTOR),
    ev.RecognitionWithdrawn: (recognition_withdrawn, ACTOR),
    ev.RelationsEstablished: (relations, PAIR),
    ev.RelationsSevered: (relations, BOTH),
    ev.RelationsReestablished: (relations, PAIR),
    ev.EnvoyExchangeAgreed: (exchange_agreed, PAIR),
    ev.EnvoyAccredited: (accredited, ACTOR),
    ev.EnvoyAttested: (envoy_attested, ACTOR),
    ev.EnvoyRecalled: (recalled, ACTOR),
    ev.EnvoyExpelled: (expelled, TARGET),
    ev.PersonaNonGrataDeclared: (persona_non_grata, TARGET),
    ev.PostOpened: (post_opened, ACTOR),
    ev.PostAttested: (post_attested, ACTOR),
    ev.PostClosed: (post_closed, ACTOR),
    ev.AgencyStarted: (agency_started, ACTOR),
    ev.AgencyExpelled: (agency_expelled, TARGET),
    ev.AgencyWithdrawn: (agency_withdrawn, ACTOR),
    **dict.fromkeys(AID_RULES, (aid, ACTOR)),
    ev.CertificationDecided: (certification, ACTOR),
    ev.VisaPolicyChanged: (visa, TARGET),
}
"""The rule of each kind that changes a pair's state, and what it acts on (ACTOR, TARGET, PAIR or BOTH).

Kinds absent here change no pair state: those with `CHANGES_STATE` False, the alignments (which shape the
alignment graph, `engine.alignment`), and the actor-level kinds (government_changed, state_dissolved),
which both folds apply to the actor's own state.
"""


# --- Actors --------------------------------------------------------------------------------

ACTOR_KINDS: Final = (ev.GovernmentChanged, ev.StateDissolved)
"""Kinds that change an actor's own state (`engine.ActorState`) rather than a pair's."""


def dissolved_rule(code: str, dissolved: EventDate) -> str:
    """The rule broken by any event naming an actor after its dissolution (checked before the kind's own rules)."""
    return f"{code} was dissolved on {dissolved}"


def actor_after(current: ActorState, event: Event) -> ActorState:
    """An actor's state after one of `ACTOR_KINDS` (these break no rule of their own)."""
    if isinstance(event, ev.GovernmentChanged):
        return ActorState(event.leader, event.date, current.dissolved)
    return ActorState(current.leader, current.leader_since, event.date)
