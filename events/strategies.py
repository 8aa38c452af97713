"""Hypothesis strategies for legation histories: actors, dates, events, valid and defective logs.

Install the test extra to use them (`pip install 'legation[test]'`); `import events` never needs it.

Every strategy shrinks toward the simplest value it can make: exact-day dates at the start of the
year range, the first actor given, the first event kind of `events.EVENT_KINDS` whose preconditions
hold, optional fields left empty, short texts, fewer events and no `caused_by` links.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs

from events import _fields as f
from events._actors import Actor, ActorTable, builtin_actors
from events._dates import ImpreciseDate, Precision
from events._errors import LegationError
from events._kinds import EVENT_KINDS, TARGET_NONE, TARGET_OPTIONAL, TARGET_REQUIRED, Event
from events._log import Log, pair_of


class MissingTestExtraError(LegationError, ImportError):
    """The strategies need Hypothesis, which only the `test` extra installs."""


try:
    from hypothesis import assume
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - exercised only without the extra
    message = "events.strategies needs Hypothesis: install legation[test] (pip install 'legation[test]')"
    raise MissingTestExtraError(message) from error

__all__ = [
    "DEFECTS",
    "DefectiveLog",
    "MissingTestExtraError",
    "actor_codes",
    "actors",
    "any_event",
    "counterfactual_edits",
    "defective_logs",
    "event_ids",
    "events_of",
    "imprecise_dates",
    "texts",
    "valid_logs",
]

DEFAULT_ACTORS = ("BOL", "USA", "PER")
"""The actors valid logs use unless told otherwise: enough for a pair and a third party."""
BLOCS = ("ALBA", "OAS", "UNASUR", "MERCOSUR")
"""Bloc codes drawn for bloc_joined / bloc_left (codes, not actors, so never an event's own actor)."""
DEFECTS = (
    "duplicate_id",
    "unknown_actor",
    "unknown_cause",
    "later_cause",
    "cause_cycle",
    "outside_existence",
    "impossible_transition",
)
"""The defects `defective_logs` can plant; all but the last are rejected by `Log.of`, the last by a strict fold."""

_AGENCIES = ("DEA", "USAID", "Peace Corps")
_REGIONS = ("Chapare", "Yungas")
_NAMES = ("Smith", "Goldberg", "Morales", "Philip S. Goldberg", "DEA", "La Paz", "Chapare")
_STAYING_POSTS = frozenset({"interests_section", "liaison_office"})
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
    if precision is not Precision.DAY:
        day = None
    if precision not in (Precision.DAY, Precision.MONTH):
        month = None
    wide = precision if precision in (Precision.DECADE, Precision.CENTURY) else None
    uncertain = draw(st.booleans()) if qualifiers else False
    approximate = draw(st.booleans()) if qualifiers else False
    return ImpreciseDate(year, month, day, precision=wide, uncertain=uncertain, approximate=approximate)


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


# --- One event of a kind -------------------------------------------------------------------


@functools.cache
def _field_strategy(cls: type[Event], name: str, codes: tuple[str, ...]) -> st.SearchStrategy[Any]:
    """A strategy for one kind-specific field, from its name or its validator (cached: building one is slow)."""
    field = attrs.fields_dict(cls)[name]
    optional = field.default is None
    validator = field.validator
    if field.name == "results":
        row = st.tuples(texts(pool=("yes", "no", "don't know")), st.floats(0, 100, allow_nan=False))
        chosen = st.lists(row, max_size=4, unique_by=lambda item: item[0]).map(tuple)
    elif field.name == "successors":
        chosen = st.lists(st.sampled_from(tuple(codes)), max_size=2, unique=True).map(tuple)
    elif field.name == "bloc":
        chosen = st.sampled_from(BLOCS)
    elif field.name == "participants":
        chosen = st.integers(0, 10**7)
    elif validator is f.optional_count:
        chosen = st.integers(0, 10**6)
    elif validator is f.optional_weight:
        chosen = st.floats(-10, 10, allow_nan=False).map(lambda weight: round(weight, 1))
    elif validator is f.event_code:
        chosen = st.sampled_from(("010", "043", "051", "1621", "163", "20"))
    elif hasattr(validator, "options"):
        chosen = st.sampled_from(tuple(validator.options))
    elif validator in (f.text, f.optional_text):
        chosen = texts()
    elif validator is f.flag:
        chosen = st.booleans()
    elif validator in (f.code, f.optional_code):
        chosen = st.sampled_from(tuple(codes))
    else:
        message = (
            f"events.strategies has no strategy for field {field.name!r} of {cls.KIND!r}; "
            "add one to _field_strategy when adding a kind"
        )
        raise LegationError(message)
    return st.one_of(st.none(), chosen) if optional else chosen


@functools.cache
def _sources() -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(texts(pool=("Wikipedia, Bolivia–United States relations",)), min_size=1, max_size=2).map(tuple)


@functools.cache
def _notes() -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), texts())


@st.composite
def events_of(
    draw: st.DrawFn,
    kind: str | type[Event],
    *,
    codes: Sequence[str] = DEFAULT_ACTORS,
    dates: st.SearchStrategy[ImpreciseDate] | None = None,
    ids: st.SearchStrategy[str] | None = None,
) -> Event:
    """One event of `kind` (a tag such as `"relations_severed"` or its class) with every field valid.

    No precondition is simulated: the event may be impossible in a given state (use `valid_logs` for
    histories that fold). `caused_by` is empty. Actor and target come from `codes` (at least two).
    Shrinks toward the first code as actor, the next as target, an empty note and empty optional fields.
    """
    cls = EVENT_KINDS[kind] if isinstance(kind, str) else kind
    codes = tuple(codes)
    actor = draw(st.sampled_from(codes))
    others = tuple(code for code in codes if code != actor)
    target = None
    if cls.TARGET == TARGET_REQUIRED or (cls.TARGET == TARGET_OPTIONAL and others and draw(st.booleans())):
        target = draw(st.sampled_from(others))
    values = _base_values(draw, cls, dates, ids)
    values.update(actor=actor, target=target)
    for field in attrs.fields(cls):
        if field.init and field.name not in _BASE_FIELDS:
            values[field.name] = draw(_field_strategy(cls, field.name, codes))
    if cls.KIND in ("bloc_joined", "bloc_left"):
        assume(values["bloc"] != actor)
    return cls(**values)


def _base_values(
    draw: st.DrawFn,
    cls: type[Event],
    dates: st.SearchStrategy[ImpreciseDate] | None,
    ids: st.SearchStrategy[str] | None,
) -> dict[str, Any]:
    return {
        "id": draw(event_ids() if ids is None else ids),
        "date": draw(imprecise_dates() if dates is None else dates),
        "sources": draw(_sources()),
        "note": draw(_notes()),
    }


def any_event(
    *, codes: Sequence[str] = DEFAULT_ACTORS, dates: st.SearchStrategy[ImpreciseDate] | None = None
) -> st.SearchStrategy[Event]:
    """One event of any kind (see `events_of`); shrinks toward the first kind of `EVENT_KINDS`."""
    return st.sampled_from(tuple(EVENT_KINDS)).flatmap(lambda kind: events_of(kind, codes=codes, dates=dates))


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


@attrs.define
class _Model:
    """The preconditions' view of a world state, kept while a log is drawn (mirrors engine/_reducer.py)."""

    relations: dict[tuple[str, str], str] = attrs.Factory(dict)
    directions: dict[tuple[str, str], _Direction] = attrs.Factory(dict)
    dissolved: set[str] = attrs.Factory(set)

    def side(self, frm: str, to: str) -> _Direction:
        return self.directions.setdefault((frm, to), _Direction())

    def relation(self, a: str, b: str) -> str:
        return self.relations.get(pair_of(a, b), "none")


# The aid rules of engine/_reducer.py: the statuses each aid event may follow, and the one it leaves.
_AID = {
    "aid_started": ({"none", "suspended"}, "active"),
    "aid_suspended": ({"active", "restricted", "waived"}, "suspended"),
    "aid_resumed": ({"suspended"}, "active"),
    "aid_restricted": ({"none", "active", "suspended", "waived"}, "restricted"),
    "aid_waiver": ({"restricted"}, "waived"),
}
_Enabled = Callable[[_Model, str, str | None, int], bool]
_Fields = Callable[[st.DrawFn, _Model, str, str | None], dict[str, Any]]
_Update = Callable[[_Model, Event], None]


def _always(model: _Model, actor: str, target: str | None, alive: int) -> bool:
    return True


def _no_fields(draw: st.DrawFn, model: _Model, actor: str, target: str | None) -> dict[str, Any]:
    return {}


def _no_update(model: _Model, event: Event) -> None:
    return None


@attrs.frozen
class _Rule:
    """How to draw a kind's event so that it can happen: when it is enabled, its constrained fields, its effect."""

    enabled: _Enabled = _always
    fields: _Fields = _no_fields
    update: _Update = _no_update


def _set_recognition(value: bool) -> _Update:
    def update(model: _Model, event: Event) -> None:
        model.side(event.actor, event.target).recognizes = value

    return update


def _set_relations(value: str) -> _Update:
    def update(model: _Model, event: Event) -> None:
        model.relations[pair_of(event.actor, event.target)] = value
        if value == "severed":
            for frm, to in ((event.actor, event.target), (event.target, event.actor)):
                side = model.side(frm, to)
                side.level, side.envoy = "none", None
                side.posts = {post for post in side.posts if post[0] in _STAYING_POSTS}

    return update


def _relations_are(value: str) -> _Enabled:
    return lambda model, actor, target, alive: model.relation(actor, target) == value


def _accredit_fields(draw: st.DrawFn, model: _Model, actor: str, target: str | None) -> dict[str, Any]:
    ranks = ("charge", "minister", "ambassador", "other")
    if model.relation(actor, target) != "established":
        ranks = ("other",)
    return {"rank": draw(st.sampled_from(ranks))}


def _accredit(model: _Model, event: Event) -> None:
    side = model.side(event.actor, event.target)
    side.level, side.envoy = event.rank, event.envoy


def _head_leaves(model: _Model, sender: str, host: str, successor: str | None) -> None:
    side = model.side(sender, host)
    if model.relation(sender, host) == "established" and side.level in ("minister", "ambassador"):
        side.level, side.envoy = "charge", successor
    else:
        side.level, side.envoy = "none", None


def _envoy_field(side: _Direction) -> st.SearchStrategy[str | None]:
    # The reducer checks a named envoy against the one in post only when both are named.
    return st.one_of(st.none(), st.just(side.envoy) if side.envoy is not None else texts())


def _recall_fields(draw: st.DrawFn, model: _Model, actor: str, target: str | None) -> dict[str, Any]:
    return {"envoy": draw(_envoy_field(model.side(actor, target)))}


def _expel_fields(draw: st.DrawFn, model: _Model, actor: str, target: str | None) -> dict[str, Any]:
    return {"envoy": draw(_envoy_field(model.side(target, actor)))}


def _recall(model: _Model, event: Event) -> None:
    _head_leaves(model, event.actor, event.target, event.successor)


def _expel(model: _Model, event: Event) -> None:
    named = event.envoy or model.side(event.target, event.actor).envoy
    _head_leaves(model, event.target, event.actor, event.successor)
    if event.persona_non_grata and named is not None:
        model.side(event.target, event.actor).persona_non_grata.add(named)


def _png_fields(draw: st.DrawFn, model: _Model, actor: str, target: str | None) -> dict[str, Any]:
    declared = model.side(target, actor).persona_non_grata
    return {"person": _unused(draw(texts()), declared)}


def _png(model: _Model, event: Event) -> None:
    model.side(event.target, event.actor).persona_non_grata.add(event.person)


def _open_fields(draw: st.DrawFn, model: _Model, actor: str, target: str | None) -> dict[str, Any]:
    post = draw(_field_strategy(EVENT_KINDS["post_opened"], "post", ()))
    taken = {city for kind, city in model.side(actor, target).posts if kind == post}
    return {"post": post, "city": _unused(draw(texts()), taken)}


def _close_fields(draw: st.DrawFn, model: _Model, actor: str, target: str | None) -> dict[str, Any]:
    post, city = draw(st.sampled_from(sorted(model.side(actor, target).posts)))
    return {"post": post, "city": city}


def _has_posts(model: _Model, actor: str, target: str | None, alive: int) -> bool:
    return bool(model.side(actor, target).posts)


def _posts_change(opened: bool) -> _Update:
    def update(model: _Model, event: Event) -> None:
        posts = model.side(event.actor, event.target).posts
        (posts.add if opened else posts.discard)((event.post, event.city))

    return update


def _agency_start_fields(draw: st.DrawFn, model: _Model, actor: str, target: str | None) -> dict[str, Any]:
    present = model.side(actor, target).agencies
    return {"agency": _unused(draw(texts(pool=_AGENCIES)), present)}


def _agency_start(model: _Model, event: Event) -> None:
    model.side(event.actor, event.target).agencies[event.agency] = set()


def _hosts_agency(model: _Model, actor: str, target: str | None, alive: int) -> bool:
    return bool(model.side(target, actor).agencies)


def _runs_agency(model: _Model, actor: str, target: str | None, alive: int) -> bool:
    return bool(model.side(actor, target).agencies)


@functools.cache
def _optional_regions() -> st.SearchStrategy[str | None]:
    return st.one_of(st.none(), texts(pool=_REGIONS))


def _agency_expel_fields(draw: st.DrawFn, model: _Model, actor: str, target: str | None) -> dict[str, Any]:
    agencies = model.side(target, actor).agencies
    agency = draw(st.sampled_from(sorted(agencies)))
    excluded = agencies[agency]
    region = draw(_optional_regions())
    region = None if region is None else _unused(region, excluded)
    return {"agency": agency, "region": region}


def _agency_expel(model: _Model, event: Event) -> None:
    agencies = model.side(event.target, event.actor).agencies
    if event.region is None:
        del agencies[event.agency]
    else:
        agencies[event.agency].add(event.region)


def _agency_withdraw_fields(draw: st.DrawFn, model: _Model, actor: str, target: str | None) -> dict[str, Any]:
    return {"agency": draw(st.sampled_from(sorted(model.side(actor, target).agencies)))}


def _agency_withdraw(model: _Model, event: Event) -> None:
    del model.side(event.actor, event.target).agencies[event.agency]


def _aid_rule(kind: str) -> _Rule:
    allowed, after = _AID[kind]

    def enabled(model: _Model, actor: str, target: str | None, alive: int) -> bool:
        return model.side(actor, target).aid in allowed

    def update(model: _Model, event: Event) -> None:
        model.side(event.actor, event.target).aid = after

    return _Rule(enabled, _no_fields, update)


def _dissolvable(model: _Model, actor: str, target: str | None, alive: int) -> bool:
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
    "envoy_accredited": _Rule(fields=_accredit_fields, update=_accredit),
    "envoy_recalled": _Rule(
        lambda model, actor, target, alive: model.side(actor, target).level != "none", _recall_fields, _recall
    ),
    "envoy_expelled": _Rule(
        lambda model, actor, target, alive: model.side(target, actor).level != "none", _expel_fields, _expel
    ),
    "persona_non_grata": _Rule(fields=_png_fields, update=_png),
    "post_opened": _Rule(fields=_open_fields, update=_posts_change(True)),
    # An attestation reports a post open whether or not the log saw it open: always possible.
    "post_attested": _Rule(update=_posts_change(True)),
    "post_closed": _Rule(_has_posts, _close_fields, _posts_change(False)),
    "agency_started": _Rule(fields=_agency_start_fields, update=_agency_start),
    "agency_expelled": _Rule(_hosts_agency, _agency_expel_fields, _agency_expel),
    "agency_withdrawn": _Rule(_runs_agency, _agency_withdraw_fields, _agency_withdraw),
    **{kind: _aid_rule(kind) for kind in _AID},
    "certification": _Rule(),
    "visa_policy": _Rule(),
    "government_changed": _Rule(),
    "state_dissolved": _Rule(_dissolvable, update=_dissolve),
    "alignment": _Rule(),
    "bloc_joined": _Rule(),
    "bloc_left": _Rule(),
}
"""The rules valid logs obey, by kind; kinds that change no state are always possible."""


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


@attrs.frozen
class _Drawn:
    events: tuple[Event, ...]
    table: ActorTable
    model: _Model
    codes: tuple[str, ...]


def _alive(model: _Model, table: ActorTable, codes: Sequence[str], when: ImpreciseDate) -> list[str]:
    return [code for code in codes if code not in model.dissolved and table[code].existed_possibly_on(when)]


def _deep_choices(model: _Model, alive: Sequence[str], allowed: Sequence[str]) -> list[tuple[str, str, str]]:
    """Every (actor, target, kind) possible now that was not possible in the empty state."""
    empty, found = _Model(), []
    for kind in allowed:
        if EVENT_KINDS[kind].TARGET != TARGET_REQUIRED:
            continue
        rule = rule_for(kind)
        for actor in alive:
            for target in alive:
                now = actor != target and rule.enabled(model, actor, target, len(alive))
                if now and not rule.enabled(empty, actor, target, len(alive)):
                    found.append((actor, target, kind))
    return found


def _draw_valid(
    draw: st.DrawFn,
    *,
    min_size: int,
    max_size: int,
    codes: Sequence[str],
    table: ActorTable | None,
    kinds: Iterable[str] | None,
    dates: st.SearchStrategy[ImpreciseDate] | None,
    max_causes: int,
) -> _Drawn:
    table = builtin_actors() if table is None else table
    codes = tuple(codes)
    for code in codes:
        if code not in table:
            raise LegationError(f"valid_logs: actor {code!r} is not in the actor table")
    allowed = tuple(EVENT_KINDS) if kinds is None else tuple(kind for kind in EVENT_KINDS if kind in set(kinds))
    for kind in allowed:
        rule_for(kind)
    size = draw(st.integers(min_size, max_size))
    # A few distinct dates, shared by several events, so that same-day events are common.
    pool = draw(st.lists(dates or imprecise_dates(min_year=1800, max_year=2100), min_size=1, max_size=size // 2 + 1))
    when_all = sorted((draw(st.sampled_from(pool)) for _ in range(size)), key=lambda date: date.sort_key)
    model, drawn = _Model(), []
    for number, when in enumerate(when_all):
        alive = _alive(model, table, codes, when)
        assume(alive)
        # Kinds that only earlier events enable (an envoy to expel, aid to resume) are rare when actor,
        # target and kind are drawn one after the other; three times in four, draw among them directly,
        # over every direction. Shrinks to the plain draw.
        deep = _deep_choices(model, alive, allowed)
        if deep and draw(st.integers(0, 3)):
            actor, target, kind = draw(st.sampled_from(deep))
        else:
            actor = draw(st.sampled_from(alive))
            others = [code for code in alive if code != actor]
            target = draw(st.sampled_from(others)) if others else None
            possible = []
            for kind in allowed:
                cls = EVENT_KINDS[kind]
                if cls.TARGET == TARGET_REQUIRED and target is None:
                    continue
                if rule_for(kind).enabled(model, actor, None if cls.TARGET == TARGET_NONE else target, len(alive)):
                    possible.append(kind)
            assume(possible)
            kind = draw(st.sampled_from(possible))
        cls = EVENT_KINDS[kind]
        event_target = target
        if cls.TARGET == TARGET_NONE:
            event_target = None
        elif cls.TARGET == TARGET_OPTIONAL and target is not None:
            event_target = draw(st.one_of(st.none(), st.just(target)))
        rule = rule_for(kind)
        values = rule.fields(draw, model, actor, event_target) if event_target is not None else {}
        for field in attrs.fields(cls):
            if field.init and field.name not in _BASE_FIELDS and field.name not in values:
                values[field.name] = draw(_field_strategy(cls, field.name, codes))
        if kind in ("bloc_joined", "bloc_left") and values["bloc"] == actor:
            values["bloc"] = next(bloc for bloc in BLOCS if bloc != actor)
        earlier = [event.id for event in drawn]
        causes = draw(st.lists(st.sampled_from(earlier), max_size=max_causes, unique=True)) if earlier else []
        event = cls(
            id=f"e{number + 1}",
            date=when,
            actor=actor,
            target=event_target,
            sources=draw(_sources()),
            note=draw(_notes()),
            caused_by=tuple(causes),
            **values,
        )
        rule.update(model, event)
        drawn.append(event)
    return _Drawn(tuple(drawn), table, model, codes)


@st.composite
def valid_logs(
    draw: st.DrawFn,
    *,
    min_size: int = 0,
    max_size: int = 12,
    codes: Sequence[str] = DEFAULT_ACTORS,
    table: ActorTable | None = None,
    kinds: Iterable[str] | None = None,
    dates: st.SearchStrategy[ImpreciseDate] | None = None,
    max_causes: int = 2,
) -> Log:
    """Logs of `min_size` to `max_size` events among `codes` whose strict fold never raises.

    Each event is drawn in history order against a model of the state, so its preconditions hold: an
    envoy is expelled only while one is in post, relations are reestablished only once severed, aid
    resumes only after a suspension, a dissolved actor never acts again, and so on. Dates come from a
    small pool (so same-day events are common) and every actor existed on each date it is named.
    Events are numbered `e1`, `e2`, ... in history order; each may name up to `max_causes` earlier
    events in `caused_by`.

    Args:
        min_size, max_size: how many events.
        codes: the actors events may name (at least one; two for events with a target).
        table: the actor table the log validates against (the built-in one when None); it must hold `codes`.
        kinds: the event kinds to draw from (all of `EVENT_KINDS` when None).
        dates: the strategy each date of the pool comes from (years 1800-2100, any precision, when None).
        max_causes: the most `caused_by` links an event gets.

    Shrinks toward fewer events, one date, the first actor acting on the second, the first possible
    kind in `EVENT_KINDS` order, empty optional fields and no causes.
    """
    found = _draw_valid(
        draw,
        min_size=min_size,
        max_size=max_size,
        codes=codes,
        table=table,
        kinds=kinds,
        dates=dates,
        max_causes=max_causes,
    )
    return Log.of(found.events, found.table)


# --- Logs with a known defect --------------------------------------------------------------


@attrs.frozen
class DefectiveLog:
    """Events with one planted defect, and what the error about it must name.

    `Log.of(events, actors)` raises `LogError` for every defect but `impossible_transition`, whose log
    is sound but whose strict fold raises `engine.TransitionError` (a lenient fold records one anomaly).
    """

    defect: str
    """One of `DEFECTS`."""
    events: tuple[Event, ...]
    """The events, in history order."""
    actors: ActorTable
    """The actor table to validate against."""
    event_id: str
    """The id of the event the error names."""
    field: str | None
    """The field the `LogError` names (None for `impossible_transition`)."""


def _ancestors(events: Sequence[Event], event: Event) -> set[str]:
    by_id = {item.id: item for item in events}
    seen: set[str] = set()
    stack = list(event.caused_by)
    while stack:
        current = stack.pop()
        if current not in seen and current in by_id:
            seen.add(current)
            stack.extend(by_id[current].caused_by)
    return seen


def _impossible(model: _Model, actor: str, target: str) -> list[tuple[str, dict[str, Any]]]:
    relation = model.relation(actor, target)
    wrong = {"none": "relations_reestablished", "established": "relations_established", "severed": "relations_severed"}
    found = [(wrong[relation], {})]
    if not model.side(actor, target).recognizes:
        found.append(("recognition_withdrawn", {}))
    if model.side(actor, target).level == "none":
        found.append(("envoy_recalled", {}))
    if model.side(actor, target).aid != "suspended":
        found.append(("aid_resumed", {}))
    if not model.side(actor, target).agencies:
        found.append(("agency_withdrawn", {"agency": "DEA"}))
    return found


@st.composite
def defective_logs(
    draw: st.DrawFn,
    defects: Iterable[str] = DEFECTS,
    *,
    max_size: int = 8,
    codes: Sequence[str] = DEFAULT_ACTORS,
) -> DefectiveLog:
    """A valid log (see `valid_logs`) with one defect planted, and the event and field its error names.

    Defects: `duplicate_id` (an event takes an earlier event's id), `unknown_actor` (an actor code no
    table holds), `unknown_cause` (`caused_by` names no event), `later_cause` (an event names a later
    one as its cause), `cause_cycle` (two events cause each other), `outside_existence` (an actor named
    on a date when it certainly did not exist), `impossible_transition` (an event appended that the
    final state forbids, e.g. reestablishing relations that were never severed).

    Shrinks toward the first defect of `defects`, the shortest base log and the earliest event.
    """
    defect = draw(st.sampled_from(tuple(defects)))
    least = {"duplicate_id": 2, "later_cause": 2, "cause_cycle": 2}.get(defect, 1)
    if defect == "impossible_transition":
        least = 0
    base = _draw_valid(
        draw,
        min_size=least,
        max_size=max(least, max_size),
        codes=codes,
        table=None,
        kinds=None,
        dates=None,
        max_causes=2,
    )
    events, table = list(base.events), base.table
    if defect == "impossible_transition":
        when = events[-1].date if events else draw(imprecise_dates(min_year=1800, max_year=2100))
        alive = _alive(base.model, table, base.codes, when)
        actor = draw(st.sampled_from(alive))
        target = draw(st.sampled_from([code for code in alive if code != actor]))
        kind, values = draw(st.sampled_from(_impossible(base.model, actor, target)))
        bad = EVENT_KINDS[kind](id="bad", date=when, actor=actor, target=target, sources=("test",), **values)
        return DefectiveLog(defect, (*events, bad), table, "bad", None)
    if defect == "duplicate_id":
        later = draw(st.integers(1, len(events) - 1))
        earlier = draw(st.integers(0, later - 1))
        # Causes naming the renamed event now name the earlier one, so only the id is wrong.
        copied = attrs.evolve(events[later], id=events[earlier].id)
        events[later] = copied
        events = [
            attrs.evolve(e, caused_by=tuple(c for c in e.caused_by if c != base.events[later].id))
            if index > later
            else e
            for index, e in enumerate(events)
        ]
        return DefectiveLog(defect, tuple(events), table, copied.id, "id")
    index = draw(st.integers(0, len(events) - 1))
    chosen = events[index]
    if defect in ("unknown_actor", "outside_existence"):
        field = draw(st.sampled_from(("actor", "target"))) if chosen.target is not None else "actor"
        code = next(code for code in ("XQQ", "XQR", "XQS") if code not in table)
        if defect == "outside_existence":
            if chosen.date.latest.year < 9999:
                start = ImpreciseDate(chosen.date.latest.year + 1)
                gone = Actor(code=code, name="Not yet founded", start=start)
            else:
                gone = Actor(code=code, name="Long gone", end=ImpreciseDate(chosen.date.earliest.year - 1))
            table = table.with_actors([gone])
        events[index] = attrs.evolve(chosen, **{field: code})
        return DefectiveLog(defect, tuple(events), table, chosen.id, field)
    if defect == "unknown_cause":
        events[index] = attrs.evolve(chosen, caused_by=(*chosen.caused_by, "no-such-event"))
        return DefectiveLog(defect, tuple(events), table, chosen.id, "caused_by")
    later = events[max(index, 1)]
    if defect == "later_cause":
        # An earlier event that does not already lead to the later one, so that naming it is no cycle.
        ancestors = _ancestors(events, later)
        unrelated = [event for event in events[: events.index(later)] if event.id not in ancestors]
        assume(unrelated)
        chosen = draw(st.sampled_from(unrelated))
    else:
        chosen = events[draw(st.integers(0, events.index(later) - 1))]
    index = events.index(chosen)
    if (
        defect == "cause_cycle" and chosen.id not in later.caused_by
    ):  # cause_cycle: the later event is caused by the chosen one, and ...
        events[events.index(later)] = later = attrs.evolve(later, caused_by=(*later.caused_by, chosen.id))
    # ... (for both defects) the chosen event names the later one as its cause.
    events[index] = attrs.evolve(chosen, caused_by=(*chosen.caused_by, later.id))
    return DefectiveLog(defect, tuple(events), table, chosen.id, "caused_by")


# --- Counterfactual edits ------------------------------------------------------------------


@st.composite
def counterfactual_edits(
    draw: st.DrawFn,
    log: Log,
    *,
    max_edits: int = 3,
    cascade: str = "drop",
    dates: st.SearchStrategy[ImpreciseDate] | None = None,
) -> tuple[Any, ...]:
    """Edits (remove, move, replace, insert, set) that fit `log`, applied in order under `cascade`.

    Each edit is drawn against the log as edited so far (`events.EditedLog`), so every id it names is
    still there and no edit is refused; an edit the log refuses (a move before the event's cause, say)
    is dropped rather than returned. The edited history may still be impossible for a strict fold
    (removing a recognition leaves its withdrawal hanging): replay it leniently, or expect
    `engine.ImpossibleEventError`. Inserted and replacing events name the log's actors and get fresh
    ids (`cf1`, `cf2`, ...); set edits change an event's note.

    Shrinks toward fewer edits and, for each, `remove` of the earliest event.
    """
    from events._edits import EditedLog, EditError, InsertEvent, MoveEvent, RemoveEvent, ReplaceEvent, SetEventField

    codes = tuple(sorted({code for event in log for code in (event.actor, event.target) if code is not None}))
    codes = codes if len(codes) >= 2 else DEFAULT_ACTORS
    when = dates or imprecise_dates(min_year=1800, max_year=2100)
    edited = EditedLog.of(log, (), cascade)
    edits: list[Any] = []
    for number in range(draw(st.integers(0, max_edits))):
        present = [event.id for event in edited.events]
        op = draw(st.sampled_from(("remove", "move", "replace", "insert", "set")))
        fresh = f"cf{number + 1}"
        if op == "insert" or not present:
            kind = draw(st.sampled_from(tuple(EVENT_KINDS)))
            edit = InsertEvent(event=draw(events_of(kind, codes=codes, dates=when, ids=st.just(fresh))))
        else:
            event_id = draw(st.sampled_from(present))
            if op == "remove":
                edit = RemoveEvent(event_id=event_id)
            elif op == "move":
                edit = MoveEvent(event_id=event_id, date=draw(when))
            elif op == "replace":
                kind = draw(st.sampled_from(tuple(EVENT_KINDS)))
                new_id = draw(st.sampled_from((event_id, fresh)))
                edit = ReplaceEvent(
                    event_id=event_id, event=draw(events_of(kind, codes=codes, dates=when, ids=st.just(new_id)))
                )
            else:
                edit = SetEventField(event_id=event_id, field="note", value=draw(_notes()))
        try:
            edited = edited.apply(edit)
        except (EditError, LegationError):
            continue
        edits.append(edit)
    return tuple(edits)
