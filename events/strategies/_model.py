"""The strategies' own model of the reducer's preconditions, written apart from the rule book (engine.core._rules)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import attrs
from hypothesis import strategies as st

from events._errors import LegationError
from events._kinds import (
    EVENT_KINDS,
    STAYING_POST_KINDS,
    AgencyExpelled,
    AgencyStarted,
    AgencyWithdrawn,
    DesignationAdded,
    DesignationRemoved,
    EnvoyAccredited,
    EnvoyAttested,
    EnvoyExpelled,
    EnvoyNominated,
    EnvoyRecalled,
    Event,
    GovernmentRecognized,
    PersonaNonGrataDeclared,
    PostAttested,
    PostClosed,
    PostOpened,
    ProtectingPowerStarted,
    SanctionEased,
    SanctionImposed,
    SanctionLifted,
    SanctionWidened,
    StaffCapped,
    StaffExpelled,
)
from events._log import pair_of, target_of
from events.strategies._atoms import (
    _AGENCIES,
    _REGIONS,
    _unused,
    texts,
)
from events.strategies._events import _field_strategy

# --- Valid logs: a model of the preconditions, simulated while drawing -----------------------


@attrs.define
class _Direction:
    """What the reducer's rules need to know of one direction (A in / toward B)."""

    recognizes: bool = False
    level: str = "none"
    envoy: str | None = None
    posts: set[tuple[str, str]] = attrs.Factory(set)
    agencies: dict[str, set[str]] = attrs.Factory(dict)
    aid: str = "none"
    persona_non_grata: set[str] = attrs.Factory(set)
    government: str | None = None
    government_status: str = "unknown"
    sanctions: dict[str, tuple[set[str], list[str]]] = attrs.Factory(dict)
    designations: set[tuple[str, str | None]] = attrs.Factory(set)
    protecting_power: str | None = None
    mission_status: str = "operating"
    staff_cap: tuple[bool, int | None] = (False, None)
    nominee: tuple[str, str, str] | None = None
    """(name, rank, pending or refused)."""


@attrs.define
class _Model:
    """The preconditions' view of a world state, kept while a log is drawn (written apart from the rule book)."""

    relations: dict[tuple[str, str], str] = attrs.Factory(dict)
    consular: dict[tuple[str, str], str] = attrs.Factory(dict)
    directions: dict[tuple[str, str], _Direction] = attrs.Factory(dict)
    dissolved: set[str] = attrs.Factory(set)

    def side(self, frm: str, to: str) -> _Direction:
        return self.directions.setdefault((frm, to), _Direction())

    def relation(self, a: str, b: str) -> str:
        return self.relations.get(pair_of(a, b), "none")

    def consular_relation(self, a: str, b: str) -> str:
        return self.consular.get(pair_of(a, b), "none")


# The aid rules of engine/core/_reducer.py: the statuses each aid event may follow, and the one it leaves.
_AID = {
    "aid_started": ({"none", "suspended"}, "active"),
    "aid_suspended": ({"active", "restricted", "waived"}, "suspended"),
    "aid_resumed": ({"suspended"}, "active"),
    "aid_restricted": ({"none", "active", "suspended", "waived"}, "restricted"),
    "aid_waiver": ({"restricted"}, "waived"),
}
# A kind's event between an actor and a target: whether it is possible now (given the number of actors alive),
# and the fields its rule constrains. Kinds without a target are judged by `_Rule.alone` instead.
_Enabled = Callable[[_Model, str, str, int], bool]
_EnabledAlone = Callable[[_Model, str, int], bool]
_Fields = Callable[[st.DrawFn, _Model, str, str], dict[str, Any]]
_Update = Callable[[_Model, Event], None]
_E = TypeVar("_E", bound=Event)


def _always(model: _Model, actor: str, target: str, alive: int) -> bool:
    return True


def _always_alone(model: _Model, actor: str, alive: int) -> bool:
    return True


def _no_fields(draw: st.DrawFn, model: _Model, actor: str, target: str) -> dict[str, Any]:
    return {}


def _no_update(model: _Model, event: Event) -> None:
    return None


def _on(kind: type[_E], update: Callable[[_Model, _E], None]) -> _Update:
    """A kind's update, which reads that kind's own fields: a rule is only ever given events of its kind."""

    def checked(model: _Model, event: Event) -> None:
        if not isinstance(event, kind):
            raise LegationError(f"events.strategies: the {kind.KIND} rule was given a {event.KIND} event {event.id!r}")
        update(model, event)

    return checked


@attrs.frozen
class _Rule:
    """How to draw a kind's event so that it can happen: when it is enabled, its constrained fields, its effect."""

    enabled: _Enabled = _always
    """Whether the kind is possible between the actor and a target (kinds that take or may take one)."""
    fields: _Fields = _no_fields
    update: _Update = _no_update
    alone: _EnabledAlone = _always_alone
    """Whether the kind is possible for the actor alone (kinds without a target, and optional ones left out)."""

    def allows(self, model: _Model, actor: str, target: str | None, alive: int) -> bool:
        """Whether the kind is possible now, with this target or (None) without one."""
        return self.alone(model, actor, alive) if target is None else self.enabled(model, actor, target, alive)


def _set_recognition(value: bool) -> _Update:
    def update(model: _Model, event: Event) -> None:
        model.side(event.actor, target_of(event)).recognizes = value

    return update


def _set_relations(value: str) -> _Update:
    def update(model: _Model, event: Event) -> None:
        target = target_of(event)
        key = pair_of(event.actor, target)
        model.relations[key] = value
        directions = ((event.actor, target), (target, event.actor))
        if value == "severed":
            # Consular relations outlive a diplomatic break (VCCR Art. 2(3)), and with them the consular posts.
            staying = STAYING_POST_KINDS
            if model.consular.get(key) == "established":
                staying = staying | {"consulate_general", "consulate", "consular_agency"}
            for frm, to in directions:
                side = model.side(frm, to)
                side.level, side.envoy = "none", None
                side.posts = {post for post in side.posts if post[0] in staying}
        else:
            # Diplomatic relations bring consular ones (Art. 2(2)); protecting powers are no longer needed.
            model.consular[key] = "established"
            for frm, to in directions:
                model.side(frm, to).protecting_power = None

    return update


def _relations_are(value: str) -> _Enabled:
    return lambda model, actor, target, alive: model.relation(actor, target) == value


def _accredit_fields(draw: st.DrawFn, model: _Model, actor: str, target: str) -> dict[str, Any]:
    ranks: tuple[str, ...] = ("charge", "minister", "ambassador", "other")
    if model.relation(actor, target) != "established":
        ranks = ("other",)
    return {"rank": draw(st.sampled_from(ranks))}


def _accredit(model: _Model, event: EnvoyAccredited) -> None:
    side = model.side(event.actor, target_of(event))
    side.level, side.envoy = event.rank, event.envoy
    if side.nominee is not None and side.nominee[2] == "pending":
        name, rank, _ = side.nominee
        if event.envoy == name or (event.envoy is None and event.rank == rank):
            side.nominee = None


def _attest_envoy(model: _Model, event: EnvoyAttested) -> None:
    # An attestation without a name does not contradict the name known at the same rank.
    side = model.side(event.actor, target_of(event))
    kept = side.envoy if event.envoy is None and side.level == event.rank else event.envoy
    side.level, side.envoy = event.rank, kept


def _head_leaves(model: _Model, sender: str, host: str, successor: str | None) -> None:
    side = model.side(sender, host)
    established = model.relation(sender, host) == "established"
    if established and side.level in ("minister", "ambassador"):
        side.level, side.envoy = "charge", successor
    elif successor is not None and side.level in (("charge", "other") if established else ("other",)):
        side.envoy = successor  # the named successor acts at the same rank
    else:
        side.level, side.envoy = "none", None


def _envoy_field(side: _Direction) -> st.SearchStrategy[str | None]:
    # The reducer checks a named envoy against the one in post only when both are named.
    return st.one_of(st.none(), st.just(side.envoy) if side.envoy is not None else texts())


def _recall_fields(draw: st.DrawFn, model: _Model, actor: str, target: str) -> dict[str, Any]:
    return {"envoy": draw(_envoy_field(model.side(actor, target)))}


def _expel_fields(draw: st.DrawFn, model: _Model, actor: str, target: str) -> dict[str, Any]:
    return {"envoy": draw(_envoy_field(model.side(target, actor)))}


def _recall(model: _Model, event: EnvoyRecalled) -> None:
    _head_leaves(model, event.actor, target_of(event), event.successor)


def _expel(model: _Model, event: EnvoyExpelled) -> None:
    target = target_of(event)
    named = event.envoy or model.side(target, event.actor).envoy
    _head_leaves(model, target, event.actor, event.successor)
    if event.persona_non_grata and named is not None:
        model.side(target, event.actor).persona_non_grata.add(named)


def _png_fields(draw: st.DrawFn, model: _Model, actor: str, target: str) -> dict[str, Any]:
    declared = model.side(target, actor).persona_non_grata
    return {"person": _unused(draw(texts()), declared)}


def _png(model: _Model, event: PersonaNonGrataDeclared) -> None:
    model.side(target_of(event), event.actor).persona_non_grata.add(event.person)


def _open_fields(draw: st.DrawFn, model: _Model, actor: str, target: str) -> dict[str, Any]:
    post = draw(_field_strategy("post_opened", "post", ()))
    taken = {city for kind, city in model.side(actor, target).posts if kind == post}
    return {"post": post, "city": _unused(draw(texts()), taken)}


def _close_fields(draw: st.DrawFn, model: _Model, actor: str, target: str) -> dict[str, Any]:
    post, city = draw(st.sampled_from(sorted(model.side(actor, target).posts)))
    return {"post": post, "city": city}


def _has_posts(model: _Model, actor: str, target: str, alive: int) -> bool:
    return bool(model.side(actor, target).posts)


def _posts_change(opened: bool) -> Callable[[_Model, PostOpened | PostAttested | PostClosed], None]:
    def update(model: _Model, event: PostOpened | PostAttested | PostClosed) -> None:
        posts = model.side(event.actor, target_of(event)).posts
        (posts.add if opened else posts.discard)((event.post, event.city))

    return update


def _agency_start_fields(draw: st.DrawFn, model: _Model, actor: str, target: str) -> dict[str, Any]:
    present = model.side(actor, target).agencies
    return {"agency": _unused(draw(texts(pool=_AGENCIES)), present)}


def _agency_start(model: _Model, event: AgencyStarted) -> None:
    model.side(event.actor, target_of(event)).agencies[event.agency] = set()


def _hosts_agency(model: _Model, actor: str, target: str, alive: int) -> bool:
    return bool(model.side(target, actor).agencies)


def _runs_agency(model: _Model, actor: str, target: str, alive: int) -> bool:
    return bool(model.side(actor, target).agencies)


@functools.cache
def _optional_regions() -> st.SearchStrategy[str | None]:
    return st.one_of(st.none(), texts(pool=_REGIONS))


def _agency_expel_fields(draw: st.DrawFn, model: _Model, actor: str, target: str) -> dict[str, Any]:
    agencies = model.side(target, actor).agencies
    agency = draw(st.sampled_from(sorted(agencies)))
    excluded = agencies[agency]
    region = draw(_optional_regions())
    region = None if region is None else _unused(region, excluded)
    return {"agency": agency, "region": region}


def _agency_expel(model: _Model, event: AgencyExpelled) -> None:
    agencies = model.side(target_of(event), event.actor).agencies
    if event.region is None:
        del agencies[event.agency]
    else:
        agencies[event.agency].add(event.region)


def _agency_withdraw_fields(draw: st.DrawFn, model: _Model, actor: str, target: str) -> dict[str, Any]:
    return {"agency": draw(st.sampled_from(sorted(model.side(actor, target).agencies)))}


def _agency_withdraw(model: _Model, event: AgencyWithdrawn) -> None:
    del model.side(event.actor, target_of(event)).agencies[event.agency]


def _aid_rule(kind: str) -> _Rule:
    allowed, after = _AID[kind]

    def enabled(model: _Model, actor: str, target: str, alive: int) -> bool:
        return model.side(actor, target).aid in allowed

    def update(model: _Model, event: Event) -> None:
        model.side(event.actor, target_of(event)).aid = after

    return _Rule(enabled, _no_fields, update)


def _dissolvable(model: _Model, actor: str, alive: int) -> bool:
    # Keep two actors alive so that a pair can always act after a dissolution.
    return alive >= 3


def _dissolve(model: _Model, event: Event) -> None:
    model.dissolved.add(event.actor)


_RULES: dict[str, _Rule] = {
    "recognition": _Rule(
        lambda model, actor, target, alive: not model.side(actor, target).recognizes,
        update=_set_recognition(True),
    ),
    "recognition_withdrawn": _Rule(
        lambda model, actor, target, alive: model.side(actor, target).recognizes,
        update=_set_recognition(False),
    ),
    "relations_established": _Rule(_relations_are("none"), update=_set_relations("established")),
    "relations_severed": _Rule(_relations_are("established"), update=_set_relations("severed")),
    "relations_reestablished": _Rule(_relations_are("severed"), update=_set_relations("established")),
    "envoy_exchange_agreed": _Rule(),
    "envoy_accredited": _Rule(fields=_accredit_fields, update=_on(EnvoyAccredited, _accredit)),
    "envoy_attested": _Rule(fields=_accredit_fields, update=_on(EnvoyAttested, _attest_envoy)),
    "envoy_recalled": _Rule(
        lambda model, actor, target, alive: model.side(actor, target).level != "none",
        _recall_fields,
        _on(EnvoyRecalled, _recall),
    ),
    "envoy_expelled": _Rule(
        lambda model, actor, target, alive: model.side(target, actor).level != "none",
        _expel_fields,
        _on(EnvoyExpelled, _expel),
    ),
    "persona_non_grata": _Rule(fields=_png_fields, update=_on(PersonaNonGrataDeclared, _png)),
    "post_opened": _Rule(fields=_open_fields, update=_on(PostOpened, _posts_change(True))),
    # An attestation reports a post open whether or not the log saw it open: always possible.
    "post_attested": _Rule(update=_on(PostAttested, _posts_change(True))),
    "post_closed": _Rule(_has_posts, _close_fields, _on(PostClosed, _posts_change(False))),
    "agency_started": _Rule(fields=_agency_start_fields, update=_on(AgencyStarted, _agency_start)),
    "agency_expelled": _Rule(_hosts_agency, _agency_expel_fields, _on(AgencyExpelled, _agency_expel)),
    "agency_withdrawn": _Rule(_runs_agency, _agency_withdraw_fields, _on(AgencyWithdrawn, _agency_withdraw)),
    **{kind: _aid_rule(kind) for kind in _AID},
    "certification": _Rule(),
    "visa_policy": _Rule(),
    "government_changed": _Rule(),
    "state_dissolved": _Rule(update=_dissolve, alone=_dissolvable),
    "alignment": _Rule(),
    "bloc_joined": _Rule(),
    "bloc_left": _Rule(),
}
"""The rules valid logs obey, by kind; kinds that change no state are always possible."""


# --- Issue 19's kinds ----------------------------------------------------------------------

_PROTECTORS = ("CHE", "SWE", "CZE")
_SCOPES = ("trade", "financial", "arms", "travel", "targeted", "comprehensive")


def _consular_is(value: str) -> _Enabled:
    return lambda model, actor, target, alive: model.consular_relation(actor, target) == value


def _set_consular(value: str) -> _Update:
    def update(model: _Model, event: Event) -> None:
        model.consular[pair_of(event.actor, target_of(event))] = value

    return update


def _protector_fields(draw: st.DrawFn, model: _Model, actor: str, target: str) -> dict[str, Any]:
    current = model.side(actor, target).protecting_power
    return {"protector": draw(st.sampled_from([c for c in _PROTECTORS if c not in (actor, target, current)]))}


def _protection_starts(model: _Model, event: ProtectingPowerStarted) -> None:
    model.side(event.actor, target_of(event)).protecting_power = event.protector


def _protection_end_fields(draw: st.DrawFn, model: _Model, actor: str, target: str) -> dict[str, Any]:
    return {"protector": draw(st.one_of(st.none(), st.just(model.side(actor, target).protecting_power)))}


def _protection_ends(model: _Model, event: Event) -> None:
    model.side(event.actor, target_of(event)).protecting_power = None


def _has_sanctions(model: _Model, actor: str, target: str, alive: int) -> bool:
    return bool(model.side(actor, target).sanctions)


def _scope(least: int) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(_SCOPES), min_size=least, max_size=3, unique=True).map(tuple)


def _impose_fields(draw: st.DrawFn, model: _Model, actor: str, target: str) -> dict[str, Any]:
    programme = _unused(draw(texts(pool=("Programme A", "Programme B"))), model.side(actor, target).sanctions)
    return {"programme": programme, "scope": draw(_scope(1))}


def _impose(model: _Model, event: SanctionImposed) -> None:
    model.side(event.actor, target_of(event)).sanctions[event.programme] = (
        set(event.scope),
        [event.basis] if event.basis else [],
    )


def _programme_fields(draw: st.DrawFn, model: _Model, actor: str, target: str) -> dict[str, Any]:
    return {"programme": draw(st.sampled_from(sorted(model.side(actor, target).sanctions)))}


def _widen_fields(draw: st.DrawFn, model: _Model, actor: str, target: str) -> dict[str, Any]:
    return {**_programme_fields(draw, model, actor, target), "scope": draw(_scope(0))}


def _widen(model: _Model, event: SanctionWidened) -> None:
    scope, basis = model.side(event.actor, target_of(event)).sanctions[event.programme]
    scope.update(event.scope)
    if event.basis:
        basis.append(event.basis)


def _ease_fields(draw: st.DrawFn, model: _Model, actor: str, target: str) -> dict[str, Any]:
    chosen = _programme_fields(draw, model, actor, target)
    scope = sorted(model.side(actor, target).sanctions[chosen["programme"]][0])
    removed = draw(st.lists(st.sampled_from(scope), min_size=1, max_size=len(scope), unique=True))
    return {**chosen, "scope": tuple(removed)}


def _ease(model: _Model, event: SanctionEased) -> None:
    sanctions = model.side(event.actor, target_of(event)).sanctions
    sanctions[event.programme][0].difference_update(event.scope)
    if not sanctions[event.programme][0]:
        del sanctions[event.programme]


def _lift(model: _Model, event: SanctionLifted) -> None:
    del model.side(event.actor, target_of(event)).sanctions[event.programme]


def _designate_fields(draw: st.DrawFn, model: _Model, actor: str, target: str) -> dict[str, Any]:
    entity = draw(st.one_of(st.none(), texts(pool=("Cartel de los Soles",))))
    taken = [name for name, who in model.side(actor, target).designations if who == entity]
    return {"list_name": _unused(draw(texts(pool=("SST", "SDGT"))), taken), "entity": entity}


def _has_designations(model: _Model, actor: str, target: str, alive: int) -> bool:
    return bool(model.side(actor, target).designations)


def _undesignate_fields(draw: st.DrawFn, model: _Model, actor: str, target: str) -> dict[str, Any]:
    name, entity = draw(st.sampled_from(sorted(model.side(actor, target).designations, key=str)))
    return {"list_name": name, "entity": entity}


def _designations_change(added: bool) -> Callable[[_Model, DesignationAdded | DesignationRemoved], None]:
    def update(model: _Model, event: DesignationAdded | DesignationRemoved) -> None:
        designations = model.side(event.actor, target_of(event)).designations
        (designations.add if added else designations.discard)((event.list_name, event.entity))

    return update


def _government_fields(draw: st.DrawFn, model: _Model, actor: str, target: str) -> dict[str, Any]:
    side = model.side(actor, target)
    government = draw(texts(pool=("Government A", "Government B")))
    rival = draw(st.booleans())
    if government == side.government and side.government_status == ("rival" if rival else "recognised"):
        government = _unused(government, {government})
    return {"government": government, "rival": rival}


def _recognise_government(model: _Model, event: GovernmentRecognized) -> None:
    side = model.side(event.actor, target_of(event))
    side.government, side.government_status = event.government, "rival" if event.rival else "recognised"


def _withdraw_government_fields(draw: st.DrawFn, model: _Model, actor: str, target: str) -> dict[str, Any]:
    return {"government": draw(st.one_of(st.none(), st.just(model.side(actor, target).government)))}


def _withdraw_government(model: _Model, event: Event) -> None:
    side = model.side(event.actor, target_of(event))
    side.government, side.government_status = None, "none"


def _staff_expelled(model: _Model, event: StaffExpelled) -> None:
    if event.persona_non_grata:
        model.side(target_of(event), event.actor).persona_non_grata.update(event.persons)


def _cap(model: _Model, event: StaffCapped) -> None:
    model.side(target_of(event), event.actor).staff_cap = (True, event.cap)


def _uncap(model: _Model, event: Event) -> None:
    model.side(target_of(event), event.actor).staff_cap = (False, None)


def _mission_rule(allowed: set[str], after: str) -> _Rule:
    def enabled(model: _Model, actor: str, target: str, alive: int) -> bool:
        return model.side(actor, target).mission_status in allowed

    def update(model: _Model, event: Event) -> None:
        model.side(event.actor, target_of(event)).mission_status = after

    return _Rule(enabled, _no_fields, update)


def _nominate(model: _Model, event: EnvoyNominated) -> None:
    model.side(event.actor, target_of(event)).nominee = (event.nominee, event.rank, "pending")


def _host_has_pending(model: _Model, actor: str, target: str, alive: int) -> bool:
    nominee = model.side(target, actor).nominee
    return nominee is not None and nominee[2] == "pending"


def _nominee(side: _Direction) -> tuple[str, str, str]:
    """The side's nominee, for the rules that are enabled only when there is one."""
    if side.nominee is None:
        raise LegationError("events.strategies: a nomination rule was applied where no envoy is nominated")
    return side.nominee


def _refuse_fields(draw: st.DrawFn, model: _Model, actor: str, target: str) -> dict[str, Any]:
    return {"nominee": draw(st.one_of(st.none(), st.just(_nominee(model.side(target, actor))[0])))}


def _refuse(model: _Model, event: Event) -> None:
    side = model.side(target_of(event), event.actor)
    name, rank, _ = _nominee(side)
    side.nominee = (name, rank, "refused")


def _withdraw_nominee_fields(draw: st.DrawFn, model: _Model, actor: str, target: str) -> dict[str, Any]:
    return {"nominee": draw(st.one_of(st.none(), st.just(_nominee(model.side(actor, target))[0])))}


def _withdraw_nominee(model: _Model, event: Event) -> None:
    model.side(event.actor, target_of(event)).nominee = None


_RULES_OF_ISSUE_19: dict[str, _Rule] = {
    "consular_relations_established": _Rule(_consular_is("none"), update=_set_consular("established")),
    "consular_relations_severed": _Rule(_consular_is("established"), update=_set_consular("severed")),
    "consular_relations_reestablished": _Rule(_consular_is("severed"), update=_set_consular("established")),
    "protecting_power_started": _Rule(
        lambda model, actor, target, alive: model.relation(actor, target) != "established",
        _protector_fields,
        _on(ProtectingPowerStarted, _protection_starts),
    ),
    "protecting_power_ended": _Rule(
        lambda model, actor, target, alive: model.side(actor, target).protecting_power is not None,
        _protection_end_fields,
        _protection_ends,
    ),
    "sanction_imposed": _Rule(fields=_impose_fields, update=_on(SanctionImposed, _impose)),
    "sanction_widened": _Rule(_has_sanctions, _widen_fields, _on(SanctionWidened, _widen)),
    "sanction_eased": _Rule(_has_sanctions, _ease_fields, _on(SanctionEased, _ease)),
    "sanction_lifted": _Rule(_has_sanctions, _programme_fields, _on(SanctionLifted, _lift)),
    "designation_added": _Rule(fields=_designate_fields, update=_on(DesignationAdded, _designations_change(True))),
    "designation_removed": _Rule(
        _has_designations, _undesignate_fields, _on(DesignationRemoved, _designations_change(False))
    ),
    "government_recognized": _Rule(fields=_government_fields, update=_on(GovernmentRecognized, _recognise_government)),
    "government_recognition_withdrawn": _Rule(
        lambda model, actor, target, alive: model.side(actor, target).government is not None,
        _withdraw_government_fields,
        _withdraw_government,
    ),
    "staff_expelled": _Rule(update=_on(StaffExpelled, _staff_expelled)),
    "staff_capped": _Rule(update=_on(StaffCapped, _cap)),
    "staff_cap_lifted": _Rule(
        lambda model, actor, target, alive: model.side(target, actor).staff_cap[0], update=_uncap
    ),
    "ordered_departure": _mission_rule({"operating"}, "ordered_departure"),
    "operations_suspended": _mission_rule({"operating", "ordered_departure"}, "suspended"),
    "operations_resumed": _mission_rule({"ordered_departure", "suspended"}, "operating"),
    "nomination": _Rule(
        lambda model, actor, target, alive: (model.side(actor, target).nominee or ("", "", ""))[2] != "pending",
        update=_on(EnvoyNominated, _nominate),
    ),
    "nomination_refused": _Rule(_host_has_pending, _refuse_fields, _refuse),
    "nomination_withdrawn": _Rule(
        lambda model, actor, target, alive: model.side(actor, target).nominee is not None,
        _withdraw_nominee_fields,
        _withdraw_nominee,
    ),
}
_RULES.update(_RULES_OF_ISSUE_19)


def rule_for(kind: str) -> _Rule:
    """The precondition rule of a kind (no-effect kinds are always possible).

    Raises:
        LegationError: a state-changing kind without a rule (a new kind needs one here).
    """
    rule = _RULES.get(kind)
    if rule is None:
        if not EVENT_KINDS[kind].CHANGES_STATE:
            return _Rule()
        message = f"events.strategies has no precondition rule for kind {kind!r}; add one to _RULES"
        raise LegationError(message)
    return rule
