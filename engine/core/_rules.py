"""The rule book: for each state-changing event kind, the rules it can break and the change it makes, once.

Both folds read this module and nothing else for what a kind does:

- the pure reducer (`engine.core._reducer`) hands each rule a draft of the frozen `PairState` and `Side`,
  collects what the rule wrote, and builds the new state with `attrs.evolve`;
- the fast fold (`engine.core._fast`) hands each rule its mutable per-pair accumulators, whose slots carry the
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

A rule that looks its kind up reads `event.__class__` (not `type(event)`): the fold from Arrow columns
hands the rules a row view per kind that answers its kind's class there (`engine.dataset._fold`).

Tables of messages are read inside the rules on each call (not baked into closures at import), so that
mutation testing, which switches mutants per call, reaches them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import events as ev
from engine.core._state import ActorState, Agency, Designation, Post, Sanction
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
    refused, after = RELATIONS_RULES[event.__class__]
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
    """envoy_accredited: the actor's head of mission in the target; above `other` it needs relations.

    A pending nominee so accredited is a nominee no more.
    """
    broken = None
    if pair.relations != "established" and event.rank != "other":
        broken = [f"{event.actor} cannot accredit a {event.rank} in {event.target}: relations are {pair.relations}"]
    side.level = event.rank
    side.envoy = event.envoy
    if side.nominee_status == "pending" and (
        event.envoy == side.nominee or (event.envoy is None and event.rank == side.nominee_rank)
    ):
        # The pending nominee so accredited (same name, or unnamed at the nominee's rank) is a nominee no more.
        side.nominee = side.nominee_rank = side.nominee_status = None
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
    allowed, after, rule = AID_RULES[event.__class__]
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


# --- Issue 19's concepts -------------------------------------------------------------------
# These rules are additions: the older rules above are untouched, and where an older kind gains an effect
# (diplomatic relations and consular relations, protecting powers; an accreditation and a nominee), its
# `RULES` entry points at a rule below that runs the older rule first and then adds the effect.

CONSULAR_POST_KINDS: Final = frozenset({"consulate_general", "consulate", "consular_agency"})
"""Post kinds that a diplomatic severance leaves open while consular relations stand (VCCR Art. 2(3))."""

# For each consular relations event: as RELATIONS_RULES, for the pair's `consular` field.
CONSULAR_RULES: dict[type[Event], tuple[dict[str, str], str]] = {
    ev.ConsularRelationsEstablished: (
        {
            "established": "consular relations between {a} and {b} are already established",
            "severed": "consular relations between {a} and {b} were severed; restoring them is "
            "consular_relations_reestablished",
        },
        "established",
    ),
    ev.ConsularRelationsSevered: (
        dict.fromkeys(("none", "severed"), "there are no established consular relations between {a} and {b} to sever"),
        "severed",
    ),
    ev.ConsularRelationsReestablished: (
        {
            "none": "consular relations between {a} and {b} were never established, so cannot be reestablished",
            "established": "consular relations between {a} and {b} are not severed",
        },
        "established",
    ),
}


def consular(pair: Any, side: None, event: Event) -> list[str] | None:
    """consular_relations_established, _severed, _reestablished: the transitions of `CONSULAR_RULES`."""
    refused, after = CONSULAR_RULES[event.__class__]
    rule = refused.get(pair.consular)
    if pair.consular != after:
        pair.consular = after
        pair.consular_since = event.date
    return [rule.format(a=pair.a, b=pair.b)] if rule else None


def _consular_posts(side: Any) -> frozenset[Post]:
    return frozenset(post for post in side.posts if post.kind in CONSULAR_POST_KINDS)


def relations_and_consular(pair: Any, side: None, event: Event) -> list[str] | None:
    """relations_established, _severed, _reestablished: `relations`, then their effect on consular relations.

    They also end protecting powers.
    Establishing or restoring diplomatic relations establishes consular relations (VCCR Art. 2(2): consent to
    the one implies consent to the other) and ends any protecting power (each state speaks for itself again).
    A severance leaves consular relations as they were (Art. 2(3)) and, while they stand, the consular posts.
    """
    severing = event.__class__ is ev.RelationsSevered
    if severing and pair.consular == "established":
        kept_ab, kept_ba = _consular_posts(pair.ab), _consular_posts(pair.ba)
        broken = relations(pair, None, event)
        if kept_ab:
            pair.ab.posts = pair.ab.posts | kept_ab
        if kept_ba:
            pair.ba.posts = pair.ba.posts | kept_ba
        return broken
    broken = relations(pair, None, event)
    if not severing:
        if pair.consular != "established":
            pair.consular = "established"
            pair.consular_since = event.date
        for direction in (pair.ab, pair.ba):
            if direction.protecting_power is not None:
                direction.protecting_power = None
    return broken


def protecting_power_started(pair: Any, side: Any, event: ev.ProtectingPowerStarted) -> list[str] | None:
    """protecting_power_started: a third state protects the actor's interests; needs no diplomatic relations."""
    broken = []
    if pair.relations == "established":
        broken.append(
            f"{event.protector} cannot protect {event.actor}'s interests in {event.target}: "
            "diplomatic relations are established"
        )
    if side.protecting_power == event.protector:
        broken.append(f"{event.protector} already protects {event.actor}'s interests in {event.target}")
    side.protecting_power = event.protector
    return broken or None


def protecting_power_ended(pair: Any, side: Any, event: ev.ProtectingPowerEnded) -> list[str] | None:
    """protecting_power_ended: the protection of the actor's interests ends; there must be one (the one named)."""
    broken = None
    if side.protecting_power is None:
        broken = [f"no protecting power protects {event.actor}'s interests in {event.target}"]
    elif event.protector is not None and event.protector != side.protecting_power:
        protector = side.protecting_power
        broken = [f"{event.actor}'s interests in {event.target} are protected by {protector}, not {event.protector}"]
    side.protecting_power = None
    return broken


def _sanction_named(side: Any, programme: str) -> Sanction | None:
    sanctions: frozenset[Sanction] = side.sanctions
    for sanction in sanctions:
        if sanction.programme == programme:
            return sanction
    return None


def sanction_imposed(pair: Any, side: Any, event: ev.SanctionImposed) -> list[str] | None:
    """sanction_imposed: a new programme in force; imposing a programme already in force is a broken rule."""
    present = _sanction_named(side, event.programme)
    sanctions = side.sanctions
    broken = None
    if present is not None:
        broken = [f"{event.actor}'s {event.programme} on {event.target} is already in force; widen it instead"]
        sanctions = sanctions - {present}
    basis = (event.basis,) if event.basis else ()
    side.sanctions = sanctions | {Sanction(event.programme, frozenset(event.scope), basis)}
    return broken


def sanction_widened(pair: Any, side: Any, event: ev.SanctionWidened) -> list[str] | None:
    """sanction_widened: scope and a legal basis added to a programme in force."""
    present = _sanction_named(side, event.programme)
    basis = (event.basis,) if event.basis else ()
    if present is None:
        broken = [f"{event.actor} has no {event.programme} in force on {event.target} to widen"]
        if event.scope:  # leniently, a widening of what is not in force imposes what it names (if anything)
            side.sanctions = side.sanctions | {Sanction(event.programme, frozenset(event.scope), basis)}
        return broken
    widened = Sanction(present.programme, present.scope | frozenset(event.scope), present.basis + basis)
    side.sanctions = (side.sanctions - {present}) | {widened}
    return None


def sanction_eased(pair: Any, side: Any, event: ev.SanctionEased) -> list[str] | None:
    """sanction_eased: scope removed from a programme in force (all of it: the programme ends)."""
    present = _sanction_named(side, event.programme)
    if present is None:
        return [f"{event.actor} has no {event.programme} in force on {event.target} to ease"]
    broken = None
    missing = sorted(set(event.scope) - present.scope)
    if missing:
        broken = [f"{event.actor}'s {event.programme} on {event.target} does not cover {', '.join(missing)}"]
    left = present.scope - frozenset(event.scope)
    sanctions = side.sanctions - {present}
    side.sanctions = sanctions | {Sanction(present.programme, left, present.basis)} if left else sanctions
    return broken


def sanction_lifted(pair: Any, side: Any, event: ev.SanctionLifted) -> list[str] | None:
    """sanction_lifted: a programme in force ends."""
    present = _sanction_named(side, event.programme)
    if present is None:
        return [f"{event.actor} has no {event.programme} in force on {event.target} to lift"]
    side.sanctions = side.sanctions - {present}
    return None


def designation_added(pair: Any, side: Any, event: ev.DesignationAdded) -> list[str] | None:
    """designation_added: the target (or an entity of it) on a list; designating twice is a broken rule."""
    designation = Designation(event.list_name, event.entity)
    broken = None
    if designation in side.designations:
        broken = [f"{designation.entity or event.target} is already on {event.actor}'s {event.list_name}"]
    side.designations = side.designations | {designation}
    return broken


def designation_removed(pair: Any, side: Any, event: ev.DesignationRemoved) -> list[str] | None:
    """designation_removed: the target (or entity) taken off a list it is on."""
    designation = Designation(event.list_name, event.entity)
    if designation not in side.designations:
        return [f"{designation.entity or event.target} is not on {event.actor}'s {event.list_name}"]
    side.designations = side.designations - {designation}
    return None


def government_recognized(pair: Any, side: Any, event: ev.GovernmentRecognized) -> list[str] | None:
    """government_recognized: the actor recognises a (new or rival) government of the target; not the same twice."""
    status = "rival" if event.rival else "recognised"
    broken = None
    if side.government == event.government and side.government_status == status:
        broken = [f"{event.actor} already recognises {event.government} as the government of {event.target}"]
    side.government = event.government
    side.government_status = status
    return broken


def government_recognition_withdrawn(
    pair: Any, side: Any, event: ev.GovernmentRecognitionWithdrawn
) -> list[str] | None:
    """government_recognition_withdrawn: the actor recognises no government of the target any more."""
    broken = None
    if side.government is None:
        broken = [f"{event.actor} recognises no government of {event.target} to withdraw recognition from"]
    elif event.government is not None and event.government != side.government:
        broken = [
            f"{event.actor} recognises {side.government} as the government of {event.target}, not {event.government}"
        ]
    side.government = None
    side.government_status = "none"
    return broken


def staff_expelled(pair: Any, side: Any, event: ev.StaffExpelled) -> list[str] | None:
    """staff_expelled (target's side): diplomats who are not the head leave; named ones declared PNG are listed."""
    if event.persona_non_grata and event.persons:
        side.persona_non_grata = side.persona_non_grata | frozenset(event.persons)
    return None


def staff_capped(pair: Any, side: Any, event: ev.StaffCapped) -> list[str] | None:
    """staff_capped (target's side): the actor caps the target's mission (a new cap replaces the old)."""
    side.staff_capped = True
    side.staff_cap = event.cap
    return None


def staff_cap_lifted(pair: Any, side: Any, event: ev.StaffCapLifted) -> list[str] | None:
    """staff_cap_lifted (target's side): the cap ends; there must be one."""
    broken = None if side.staff_capped else [f"{event.target}'s mission in {event.actor} has no staff cap to lift"]
    side.staff_capped = False
    side.staff_cap = None
    return broken


# For each mission status event: the statuses it may follow, the status it leaves, and the rule it breaks otherwise.
MISSION_RULES: dict[type[Event], tuple[frozenset[str], str, str]] = {
    ev.OrderedDeparture: (
        frozenset({"operating"}),
        "ordered_departure",
        "staff can be ordered out only of an operating mission",
    ),
    ev.OperationsSuspended: (
        frozenset({"operating", "ordered_departure"}),
        "suspended",
        "the mission's operations are already suspended",
    ),
    ev.OperationsResumed: (
        frozenset({"ordered_departure", "suspended"}),
        "operating",
        "the mission is already operating normally",
    ),
}


def mission_status(pair: Any, side: Any, event: Event) -> list[str] | None:
    """ordered_departure, operations_suspended, operations_resumed: the transitions of `MISSION_RULES`."""
    allowed, after, rule = MISSION_RULES[event.__class__]
    broken = None
    if side.mission_status not in allowed:
        broken = [f"{rule} ({event.actor}'s mission in {event.target} is {side.mission_status.replace('_', ' ')})"]
    side.mission_status = after
    return broken


def nominated(pair: Any, side: Any, event: ev.EnvoyNominated) -> list[str] | None:
    """nomination: the actor's nominee is pending; a second nominee while one is pending is a broken rule."""
    broken = None
    if side.nominee_status == "pending":
        broken = [f"{event.actor}'s nominee {side.nominee} for {event.target} is still pending"]
    side.nominee, side.nominee_rank, side.nominee_status = event.nominee, event.rank, "pending"
    return broken


def nomination_refused(pair: Any, side: Any, event: ev.NominationRefused) -> list[str] | None:
    """nomination_refused (target's side): the host refuses the pending nominee, who never heads the mission."""
    broken = None
    if side.nominee_status != "pending":
        broken = [f"{event.target} has no nominee pending in {event.actor} to refuse"]
    elif event.nominee is not None and event.nominee != side.nominee:
        broken = [f"{event.target}'s nominee in {event.actor} is {side.nominee}, not {event.nominee}"]
    if side.nominee is not None or event.nominee is not None:
        side.nominee = event.nominee if side.nominee is None else side.nominee
        side.nominee_status = "refused"
    return broken


def nomination_withdrawn(pair: Any, side: Any, event: ev.NominationWithdrawn) -> list[str] | None:
    """nomination_withdrawn: the actor withdraws its nominee (pending or refused); there must be one."""
    broken = None
    if side.nominee is None:
        broken = [f"{event.actor} has no nominee for {event.target} to withdraw"]
    elif event.nominee is not None and event.nominee != side.nominee:
        broken = [f"{event.actor}'s nominee for {event.target} is {side.nominee}, not {event.nominee}"]
    side.nominee = side.nominee_rank = side.nominee_status = None
    return broken


# --- The book ------------------------------------------------------------------------------

RULES: dict[type[Event], tuple[Rule, str]] = {
    ev.StateRecognized: (recognised, ACTOR),
    ev.RecognitionWithdrawn: (recognition_withdrawn, ACTOR),
    ev.RelationsEstablished: (relations_and_consular, BOTH),
    ev.RelationsSevered: (relations_and_consular, BOTH),
    ev.RelationsReestablished: (relations_and_consular, BOTH),
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
    **dict.fromkeys(CONSULAR_RULES, (consular, PAIR)),
    ev.ProtectingPowerStarted: (protecting_power_started, ACTOR),
    ev.ProtectingPowerEnded: (protecting_power_ended, ACTOR),
    ev.SanctionImposed: (sanction_imposed, ACTOR),
    ev.SanctionWidened: (sanction_widened, ACTOR),
    ev.SanctionEased: (sanction_eased, ACTOR),
    ev.SanctionLifted: (sanction_lifted, ACTOR),
    ev.DesignationAdded: (designation_added, ACTOR),
    ev.DesignationRemoved: (designation_removed, ACTOR),
    ev.GovernmentRecognized: (government_recognized, ACTOR),
    ev.GovernmentRecognitionWithdrawn: (government_recognition_withdrawn, ACTOR),
    ev.StaffExpelled: (staff_expelled, TARGET),
    ev.StaffCapped: (staff_capped, TARGET),
    ev.StaffCapLifted: (staff_cap_lifted, TARGET),
    **dict.fromkeys(MISSION_RULES, (mission_status, ACTOR)),
    ev.EnvoyNominated: (nominated, ACTOR),
    ev.NominationRefused: (nomination_refused, TARGET),
    ev.NominationWithdrawn: (nomination_withdrawn, ACTOR),
}
"""The rule of each kind that changes a pair's state, and what it acts on (ACTOR, TARGET, PAIR or BOTH).

Kinds absent here change no pair state: those with `CHANGES_STATE` False, the alignments (which shape the
alignment graph, `engine.analysis.alignment`), and the actor-level kinds (government_changed, state_dissolved),
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
