"""The typed diplomatic events: one immutable class per kind, each with a stable tag for files."""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import ClassVar, TypeVar

import attrs

from events import _fields as f
from events._dates import EventDate

RANKS = ("charge", "minister", "ambassador", "other")
"""Ranks of a head of mission, on the Correlates of War scale (1, 2, 3, 9); `other` is e.g. an interests section."""
RANK_WORDS = {
    "none": "none",
    "charge": "chargé d'affaires",
    "minister": "minister",
    "ambassador": "ambassador",
    "other": "other (e.g. interests section)",
}
"""Each rank (and `none`) in words, as every answer and summary writes it."""
POST_KINDS = (
    "embassy",
    "legation",
    "consulate_general",
    "consulate",
    "consular_agency",
    "interests_section",
    "liaison_office",
)
STAYING_POST_KINDS = frozenset({"interests_section", "liaison_office"})
"""Post kinds that stay open when relations are severed (the only ones a break does not close)."""
CERTIFICATION_DECISIONS = ("certified", "decertified", "decertified_waived")
"""US-style counter-narcotics decisions: certified; "failed demonstrably"; failed, with a national-interest waiver."""
GOVERNMENT_CHANGES = (
    "election",
    "inauguration",
    "coup",
    "revolution",
    "resignation",
    "succession",
    "interim",
    "other",
)
STANCES = ("aligned", "neutral", "hostile")
STATEMENT_TYPES = (
    "statement",
    "speech",
    "accusation",
    "criticism",
    "praise",
    "threat",
    "denial",
    "announcement",
    "protest_note",
)
"""Sorts of `statement`; `protest_note` is a diplomatic protest (a note of protest), not a demonstration (`protest`)."""
SANCTION_SCOPES = ("trade", "financial", "arms", "travel", "targeted", "comprehensive", "unspecified")
"""What a sanctions programme restricts: the categories of the Global Sanctions Data Base and TIES (`targeted`:
measures on named persons or entities, e.g. asset freezes; `comprehensive`: an embargo on all dealings), and
`unspecified` when the source does not say (CAMEO 163 "impose embargo, boycott, or sanctions" never does)."""
NOMINATION_REFUSALS = ("agrement_refused", "agrement_withdrawn")
"""How a host stops a nominee: agrément refused, or agrément granted and then withdrawn."""
TARGET_REQUIRED, TARGET_NONE, TARGET_OPTIONAL = "required", "none", "optional"


# The kinds share one __eq__, __hash__ and __repr__, written below to behave as attrs' own: attrs would
# write and compile the three anew for each of the ~40 classes, a third of the time `import events` takes
# (and so of `legation at`'s start-up). attrs still writes each kind's __init__ with its validators.
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Event:
    """What every event has. Subclasses are the kinds; `Event` itself is never in a log."""

    KIND: ClassVar[str] = ""
    """Stable tag written to files; never derived from the class name."""
    CAMEO: ClassVar[str | None] = None
    """Nearest CAMEO event code, for import and export; None where CAMEO has no fitting code."""
    CHANGES_STATE: ClassVar[bool] = True
    """False for events that belong to the record but change no relationship state."""
    TARGET: ClassVar[str] = TARGET_REQUIRED
    """Whether the kind takes a target actor: required, none or optional."""
    _NAMES: ClassVar[tuple[str, ...]]
    """The kind's fields, in attrs order (set by `_share_methods`)."""
    _VALUES: ClassVar[attrgetter[tuple[object, ...]]]
    """The tuple of an event's field values, in the same order (an attrgetter: called on the event, never bound)."""

    id: str = attrs.field(validator=f.text)
    """Unique in a log; other events name it in `caused_by`."""
    date: EventDate = attrs.field(converter=f.DATE)
    """When it happened, at the precision its source gives."""
    actor: str = attrs.field(validator=f.code)
    """Who acted (the subject of the sentence: the expelling state, the sending state, the donor)."""
    target: str | None = attrs.field(default=None, validator=f.optional_code)
    """Who it was done to or toward; None for kinds that concern one actor only."""
    sources: tuple[str, ...] = attrs.field(converter=f.TEXTS, validator=f.at_least_one)
    """Citations: at least one."""
    note: str = attrs.field(default="", validator=f.note_text)
    """Free text: context, modelling calls, interpretation."""
    caused_by: tuple[str, ...] = attrs.field(default=(), converter=f.TEXTS)
    """Ids of earlier events that caused this one."""

    def __attrs_post_init__(self) -> None:
        from events._errors import InvalidValueError

        if self.TARGET == TARGET_REQUIRED and self.target is None:
            raise InvalidValueError("target", f"an actor code (a {self.KIND} event has a target)", None)
        if self.TARGET == TARGET_NONE and self.target is not None:
            raise InvalidValueError("target", f"no target (a {self.KIND} event concerns one actor)", self.target)
        if self.target is not None and self.target == self.actor:
            raise InvalidValueError("target", "an actor other than the event's actor", self.target)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._VALUES(self) == self._VALUES(other)

    def __hash__(self) -> int:
        return hash((self.KIND, *self._VALUES(self)))

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={value!r}" for name, value in zip(self._NAMES, self._VALUES(self), strict=True))
        return f"{self.__class__.__qualname__}({values})"

    def summary(self) -> str:
        """One line saying what happened, for timelines."""
        return f"{self.actor} {self.KIND.replace('_', ' ')}" + (f" {self.target}" if self.target else "")


def _share_methods(cls: type[Event]) -> None:
    """Give an attrs event class what the shared __eq__, __hash__ and __repr__ read: its fields, in order."""
    cls._NAMES = tuple(field.name for field in attrs.fields(cls))
    cls._VALUES = attrgetter(*cls._NAMES)


_share_methods(Event)

EVENT_KINDS: dict[str, type[Event]] = {}
"""Event classes by their file tag."""
KIND_ALIASES: dict[str, str] = {}
"""Old tags still accepted when reading files, mapped to today's tag."""

E = TypeVar("E", bound=type[Event])


def kind(
    tag: str, *, cameo: str | None = None, changes_state: bool = True, target: str = TARGET_REQUIRED
) -> Callable[[E], E]:
    """Register an event class under its file tag and make it a frozen attrs class."""

    def register(cls: E) -> E:
        cls.KIND = tag
        cls.CAMEO = cameo
        cls.CHANGES_STATE = changes_state
        cls.TARGET = target
        frozen = attrs.frozen(kw_only=True, eq=False, repr=False)(cls)
        _share_methods(frozen)
        EVENT_KINDS[tag] = frozen
        return frozen

    return register


# --- Recognition and relations -------------------------------------------------------------


@kind("recognition", cameo="054")
class StateRecognized(Event):
    """`actor` recognises `target` as a sovereign state."""

    def summary(self) -> str:
        return f"{self.actor} recognised {self.target}"


@kind("recognition_withdrawn")
class RecognitionWithdrawn(Event):
    """`actor` withdraws its recognition of `target`."""

    def summary(self) -> str:
        return f"{self.actor} withdrew recognition of {self.target}"


@kind("relations_established", cameo="050")
class RelationsEstablished(Event):
    """Diplomatic relations between `actor` and `target` begin for the first time."""

    def summary(self) -> str:
        return f"{self.actor} and {self.target} established diplomatic relations"


@kind("relations_severed", cameo="161")
class RelationsSevered(Event):
    """`actor` breaks diplomatic relations with `target`: both missions lose their heads and close."""

    def summary(self) -> str:
        return f"{self.actor} severed diplomatic relations with {self.target}"


@kind("relations_reestablished", cameo="050")
class RelationsReestablished(Event):
    """Relations that were severed are restored."""

    def summary(self) -> str:
        return f"{self.actor} and {self.target} reestablished diplomatic relations"


# --- Envoys and people ---------------------------------------------------------------------


@kind("envoy_exchange_agreed", cameo="057")
class EnvoyExchangeAgreed(Event):
    """`actor` and `target` agree to exchange heads of mission at `rank` (accreditation comes later)."""

    rank: str = attrs.field(validator=f.one_of(RANKS))
    """The rank agreed on."""

    def summary(self) -> str:
        return f"{self.actor} and {self.target} agreed to exchange envoys at {RANK_WORDS[self.rank]} level"


@kind("envoy_accredited")
class EnvoyAccredited(Event):
    """`actor`'s envoy of rank `rank` heads its mission in `target` from this date."""

    rank: str = attrs.field(validator=f.one_of(RANKS))
    """charge, minister, ambassador or other (COW 1, 2, 3, 9)."""
    envoy: str | None = attrs.field(default=None, validator=f.optional_text)
    """The envoy's name, if the source gives it."""

    def summary(self) -> str:
        who = f" {self.envoy}" if self.envoy else ""
        return f"{self.actor} accredited{who} as {RANK_WORDS[self.rank]} in {self.target}"


@kind("envoy_attested")
class EnvoyAttested(Event):
    """A source shows `actor`'s head of mission in `target`, of rank `rank`, in post on this date.

    When the envoy was accredited (and who it was, if `envoy` is missing) is not known.

    A Correlates of War row or a diplomatic list records a level on a date without dating credentials.
    Recording that as `envoy_accredited` would invent an accreditation date; this kind records what the
    source shows. It sets the representation from its date on, as an accreditation would (a later
    accreditation, recall, expulsion or severance changes it as usual); before its date the answers say the
    head of mission was possibly this rank (unknown), not none (see docs/model.md).
    """

    rank: str = attrs.field(validator=f.one_of(RANKS))
    """charge, minister, ambassador or other (COW 1, 2, 3, 9)."""
    envoy: str | None = attrs.field(default=None, validator=f.optional_text)
    """The envoy's name, if the source gives it."""

    def summary(self) -> str:
        who = f" {self.envoy}" if self.envoy else ""
        return f"{self.actor}'s head of mission{who} in {self.target} is attested as {RANK_WORDS[self.rank]}"


@kind("envoy_recalled", cameo="161")
class EnvoyRecalled(Event):
    """`actor` withdraws the head of its mission in `target`.

    While relations are established, a mission whose head ranked above chargé d'affaires passes to a
    chargé d'affaires (`successor`, if named): a downgrade, not a severance.
    """

    envoy: str | None = attrs.field(default=None, validator=f.optional_text)
    """The envoy recalled, if named; must match the envoy in post."""
    successor: str | None = attrs.field(default=None, validator=f.optional_text)
    """The chargé d'affaires left in charge, if named."""

    def summary(self) -> str:
        who = f" {self.envoy}" if self.envoy else " its envoy"
        return f"{self.actor} recalled{who} from {self.target}"


@kind("envoy_expelled", cameo="174")
class EnvoyExpelled(Event):
    """`actor` expels the head of `target`'s mission in `actor` (and declares the envoy persona non grata)."""

    envoy: str | None = attrs.field(default=None, validator=f.optional_text)
    """The envoy expelled, if named; must match the envoy in post."""
    successor: str | None = attrs.field(default=None, validator=f.optional_text)
    """The chargé d'affaires left in charge of `target`'s mission, if named."""
    persona_non_grata: bool = attrs.field(default=True, validator=f.flag)
    """Whether the envoy was declared persona non grata."""

    def summary(self) -> str:
        who = f" {self.envoy}," if self.envoy else ""
        return f"{self.actor} expelled{who} {self.target}'s envoy"


@kind("persona_non_grata", cameo="174")
class PersonaNonGrataDeclared(Event):
    """`actor` declares `person`, of `target`'s mission, persona non grata."""

    person: str = attrs.field(validator=f.text)
    """Who was declared."""

    def summary(self) -> str:
        return f"{self.actor} declared {self.person} ({self.target}) persona non grata"


# --- Posts and agencies --------------------------------------------------------------------


@kind("post_opened")
class PostOpened(Event):
    """`actor` opens a post (embassy, consulate, ...) in `city`, in `target`."""

    post: str = attrs.field(validator=f.one_of(POST_KINDS))
    """What kind of post."""
    city: str = attrs.field(validator=f.text)
    """Where."""

    def summary(self) -> str:
        return f"{self.actor} opened its {self.post.replace('_', ' ')} in {self.city} ({self.target})"


@kind("post_closed")
class PostClosed(Event):
    """`actor` closes its post in `city`, in `target`."""

    post: str = attrs.field(validator=f.one_of(POST_KINDS))
    """What kind of post."""
    city: str = attrs.field(validator=f.text)
    """Where."""

    def summary(self) -> str:
        return f"{self.actor} closed its {self.post.replace('_', ' ')} in {self.city} ({self.target})"


@kind("post_attested")
class PostAttested(Event):
    """A source shows `actor`'s post in `city`, in `target`, open on this date; when it opened is not known.

    Sources often describe a post as it stands (a consulate that later closes) without dating its
    opening. Recording that as `post_opened` would invent an opening date; this kind records only
    what the source shows, so a later `post_closed` has a post to close.
    """

    post: str = attrs.field(validator=f.one_of(POST_KINDS))
    """What kind of post."""
    city: str = attrs.field(validator=f.text)
    """Where."""

    def summary(self) -> str:
        return f"{self.actor}'s {self.post.replace('_', ' ')} in {self.city} ({self.target}) is attested open"


@kind("agency_started", cameo="070")
class AgencyStarted(Event):
    """`actor`'s agency (DEA, USAID, Peace Corps, ...) begins operating in `target`."""

    agency: str = attrs.field(validator=f.text)
    """The agency's usual name."""

    def summary(self) -> str:
        return f"{self.actor}'s {self.agency} began operating in {self.target}"


@kind("agency_expelled", cameo="1663")
class AgencyExpelled(Event):
    """`actor` expels `target`'s agency from `region` of `actor`, or from the whole country."""

    agency: str = attrs.field(validator=f.text)
    """The agency expelled."""
    region: str | None = attrs.field(default=None, validator=f.optional_text)
    """The region it must leave; None for the whole country."""

    def summary(self) -> str:
        where = f" from {self.region}" if self.region else ""
        return f"{self.actor} expelled {self.target}'s {self.agency}{where}"


@kind("agency_withdrawn")
class AgencyWithdrawn(Event):
    """`actor` withdraws its agency from `target`."""

    agency: str = attrs.field(validator=f.text)
    """The agency withdrawn."""

    def summary(self) -> str:
        return f"{self.actor} withdrew its {self.agency} from {self.target}"


# --- Assistance, certification, visas ------------------------------------------------------


@kind("aid_started", cameo="070")
class AidStarted(Event):
    """`actor` begins assistance to `target`."""

    def summary(self) -> str:
        return f"{self.actor} began assistance to {self.target}"


@kind("aid_suspended", cameo="162")
class AidSuspended(Event):
    """`actor` cuts off its assistance to `target`."""

    def summary(self) -> str:
        return f"{self.actor} suspended assistance to {self.target}"


@kind("aid_resumed", cameo="070")
class AidResumed(Event):
    """`actor` restores assistance to `target` that it had suspended."""

    def summary(self) -> str:
        return f"{self.actor} resumed assistance to {self.target}"


@kind("aid_restricted", cameo="162")
class AidRestricted(Event):
    """A legal restriction on `actor`'s assistance to `target` takes effect."""

    law: str | None = attrs.field(default=None, validator=f.optional_text)
    """The law or decision imposing it, if known."""

    def summary(self) -> str:
        return f"{self.actor} restricted assistance to {self.target}" + (f" ({self.law})" if self.law else "")


@kind("aid_waiver", cameo="085")
class AidRestrictionWaived(Event):
    """`actor` waives a restriction on its assistance to `target`; aid may flow."""

    def summary(self) -> str:
        return f"{self.actor} waived a restriction on assistance to {self.target}"


@kind("certification")
class CertificationDecided(Event):
    """`actor` (e.g. the US President) decides `target`'s counter-narcotics certification."""

    decision: str = attrs.field(validator=f.one_of(CERTIFICATION_DECISIONS))
    """certified, decertified ("failed demonstrably") or decertified_waived."""

    def summary(self) -> str:
        return f"{self.actor} {self.decision.replace('_', ' with waiver: ')} {self.target}"


@kind("visa_policy")
class VisaPolicyChanged(Event):
    """`actor` sets whether `target`'s nationals need a visa to enter `actor`."""

    required: bool = attrs.field(validator=f.flag)
    """True when a visa is required from this date."""

    def summary(self) -> str:
        need = "need" if self.required else "no longer need"
        return f"{self.actor}: {self.target} nationals {need} a visa to enter"


# --- Governments, states, alignments -------------------------------------------------------


@kind("government_changed", target=TARGET_NONE)
class GovernmentChanged(Event):
    """A new head of state or government takes power in `actor`."""

    leader: str = attrs.field(validator=f.text)
    """Who now leads."""
    how: str = attrs.field(default="other", validator=f.one_of(GOVERNMENT_CHANGES))
    """How power changed hands."""

    def summary(self) -> str:
        return f"{self.actor}: {self.leader} took power ({self.how})"


@kind("state_dissolved", target=TARGET_NONE)
class StateDissolved(Event):
    """`actor` ceases to exist; `successors` take its place."""

    successors: tuple[str, ...] = attrs.field(default=(), converter=f.TEXTS)
    """Codes of the successor states."""

    def summary(self) -> str:
        after = f" (succeeded by {', '.join(self.successors)})" if self.successors else ""
        return f"{self.actor} dissolved{after}"


@kind("alignment")
class AlignmentChanged(Event):
    """`actor` takes a stance toward `target`: aligned (+1), neutral (no edge) or hostile (-1)."""

    stance: str = attrs.field(validator=f.one_of(STANCES))
    """aligned, neutral or hostile."""

    def summary(self) -> str:
        return f"{self.actor} became {self.stance} toward {self.target}"


@kind("bloc_joined", target=TARGET_NONE)
class BlocJoined(Event):
    """`actor` joins `bloc` (an alliance or grouping such as ALBA)."""

    bloc: str = attrs.field(validator=f.code)
    """The bloc's code."""

    def summary(self) -> str:
        return f"{self.actor} joined {self.bloc}"


@kind("bloc_left", target=TARGET_NONE)
class BlocLeft(Event):
    """`actor` leaves `bloc`."""

    bloc: str = attrs.field(validator=f.code)
    """The bloc's code."""

    def summary(self) -> str:
        return f"{self.actor} left {self.bloc}"


# --- The record: events that change no state -----------------------------------------------


@kind("statement", cameo="010", changes_state=False, target=TARGET_OPTIONAL)
class StatementMade(Event):
    """`actor` says something on the record (a speech, an accusation, a denial, ...)."""

    statement: str = attrs.field(default="statement", validator=f.one_of(STATEMENT_TYPES))
    """What sort of statement."""
    quote: str | None = attrs.field(default=None, validator=f.optional_text)
    """The words, if the source quotes them."""

    def summary(self) -> str:
        toward = f" about {self.target}" if self.target else ""
        return f"{self.actor}: {self.statement}{toward}"


@kind("protest", cameo="141", changes_state=False, target=TARGET_OPTIONAL)
class ProtestHeld(Event):
    """People of `actor` demonstrate (against `target`, if given)."""

    participants: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(int))
    )
    """How many took part, if reported."""

    def summary(self) -> str:
        against = f" against {self.target}" if self.target else ""
        return f"protest in {self.actor}{against}"


@kind("poll", changes_state=False, target=TARGET_OPTIONAL)
class OpinionPolled(Event):
    """An opinion poll of `actor`'s people (about `target`); a data point, no state change."""

    question: str = attrs.field(validator=f.text)
    """What was asked."""
    results: tuple[tuple[str, float], ...] = attrs.field(converter=f.RESULTS)
    """Answer and percentage, in the order the source gives them."""

    def summary(self) -> str:
        shares = ", ".join(f"{label} {share:g}%" for label, share in self.results)
        return f"poll in {self.actor}: {shares}"


@kind("operation", changes_state=False, target=TARGET_OPTIONAL)
class OperationConducted(Event):
    """`actor` carries out an operation (in `target`), e.g. a counter-narcotics operation."""

    name: str = attrs.field(validator=f.text)
    """The operation's name."""

    def summary(self) -> str:
        where = f" in {self.target}" if self.target else ""
        return f"{self.actor} conducted {self.name}{where}"


@kind("policy", changes_state=False, target=TARGET_OPTIONAL)
class PolicyAdopted(Event):
    """`actor` adopts a law, plan or decree."""

    name: str = attrs.field(validator=f.text)
    """The law's or plan's name."""

    def summary(self) -> str:
        return f"{self.actor} adopted {self.name}"


@kind("election", changes_state=False, target=TARGET_NONE)
class ElectionHeld(Event):
    """An election in `actor`; the change of government, if any, is its own event."""

    winner: str | None = attrs.field(default=None, validator=f.optional_text)
    """Who won, if the source says."""

    def summary(self) -> str:
        return f"election in {self.actor}" + (f": {self.winner} won" if self.winner else "")


@kind("extradition", changes_state=False)
class ExtraditionCarried(Event):
    """`actor` extradites `person` to `target`."""

    person: str = attrs.field(validator=f.text)
    """Who was extradited."""

    def summary(self) -> str:
        return f"{self.actor} extradited {self.person} to {self.target}"


@kind("visit", cameo="042", changes_state=False)
class VisitMade(Event):
    """An official of `actor` visits `target`, or attends an event there."""

    visitor: str | None = attrs.field(default=None, validator=f.optional_text)
    """Who visited."""

    def summary(self) -> str:
        who = f" {self.visitor}" if self.visitor else ""
        return f"{self.actor}{who} visited {self.target}"


@kind("negotiation", cameo="046", changes_state=False)
class NegotiationsHeld(Event):
    """`actor` and `target` negotiate; the outcome, if any, is its own event."""

    outcome: str | None = attrs.field(default=None, validator=f.optional_text)
    """What came of it, in words."""

    def summary(self) -> str:
        return f"{self.actor} and {self.target} negotiated" + (f": {self.outcome}" if self.outcome else "")


# --- Issue 19's concepts: sanctions, designations, governments, protecting powers, consular relations, staff --


def _scope_words(scope: tuple[str, ...]) -> str:
    return ", ".join(scope)


@kind("sanction_imposed", cameo="163")
class SanctionImposed(Event):
    """`actor` imposes a sanctions programme on `target` (an embargo is a `trade` or `comprehensive` one)."""

    programme: str = attrs.field(validator=f.text)
    """The programme's name, the key later events use to widen, ease or lift it (e.g. "Venezuela (E.O. 13692)")."""
    scope: tuple[str, ...] = attrs.field(converter=f.OPTIONAL_TEXTS, validator=f.some_of(SANCTION_SCOPES))
    """What it restricts, one or more of trade, financial, arms, travel, targeted, comprehensive."""
    basis: str | None = attrs.field(default=None, validator=f.optional_text)
    """Its legal basis in words (e.g. "Executive Order 13692"), if the source gives it."""
    count: int | None = attrs.field(default=None, validator=f.optional_count)
    """How many persons or entities it names, for targeted measures, if the source says."""

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if not self.scope:
            from events._errors import InvalidValueError

            raise InvalidValueError("scope", f"at least one of {', '.join(SANCTION_SCOPES)}", [])

    def summary(self) -> str:
        return f"{self.actor} imposed sanctions on {self.target}: {self.programme} ({_scope_words(self.scope)})"


@kind("sanction_widened", cameo="163")
class SanctionWidened(Event):
    """`actor` widens a sanctions programme in force on `target`: scope added and/or a further legal basis."""

    programme: str = attrs.field(validator=f.text)
    """The programme widened (as named when imposed)."""
    scope: tuple[str, ...] = attrs.field(default=(), converter=f.OPTIONAL_TEXTS, validator=f.some_of(SANCTION_SCOPES))
    """Scope added (may be empty when the source gives only a new legal basis)."""
    basis: str | None = attrs.field(default=None, validator=f.optional_text)
    """The further legal basis (e.g. "E.O. 13808"), if any."""
    count: int | None = attrs.field(default=None, validator=f.optional_count)
    """How many more persons or entities it names, if the source says."""

    def summary(self) -> str:
        added = f" to {_scope_words(self.scope)}" if self.scope else ""
        basis = f" ({self.basis})" if self.basis else ""
        return f"{self.actor} widened {self.programme} on {self.target}{added}{basis}"


@kind("sanction_eased", cameo="085")
class SanctionEased(Event):
    """`actor` eases a sanctions programme on `target`: the scope given is removed; the rest stays in force."""

    programme: str = attrs.field(validator=f.text)
    """The programme eased."""
    scope: tuple[str, ...] = attrs.field(converter=f.OPTIONAL_TEXTS, validator=f.some_of(SANCTION_SCOPES))
    """Scope removed (each must be in force); removing the whole scope lifts the programme."""
    basis: str | None = attrs.field(default=None, validator=f.optional_text)
    """The decision easing it (e.g. a general licence), if the source gives it; recorded, not kept in state."""

    def summary(self) -> str:
        return f"{self.actor} eased {self.programme} on {self.target}: {_scope_words(self.scope)} removed"


@kind("sanction_lifted", cameo="085")
class SanctionLifted(Event):
    """`actor` lifts a sanctions programme on `target` entirely."""

    programme: str = attrs.field(validator=f.text)
    """The programme lifted."""
    basis: str | None = attrs.field(default=None, validator=f.optional_text)
    """The decision lifting it, if the source gives it; recorded, not kept in state."""

    def summary(self) -> str:
        return f"{self.actor} lifted {self.programme} on {self.target}"


@kind("designation_added", cameo="172")
class DesignationAdded(Event):
    """`actor` puts `target` (or `entity`, an organisation of or tied to `target`) on a list with legal effect."""

    list_name: str = attrs.field(validator=f.text)
    """The list (e.g. "state sponsors of terrorism", "SDGT", "FTO (INA section 219)")."""
    entity: str | None = attrs.field(default=None, validator=f.optional_text)
    """Who is designated when it is not the state `target` itself (e.g. "Cartel de los Soles")."""
    basis: str | None = attrs.field(default=None, validator=f.optional_text)
    """The legal basis, if the source gives it; recorded, not kept in state."""

    def summary(self) -> str:
        who = f"{self.entity} ({self.target})" if self.entity else str(self.target)
        return f"{self.actor} designated {who}: {self.list_name}"


@kind("designation_removed", cameo="085")
class DesignationRemoved(Event):
    """`actor` takes `target` (or `entity`) off a list it had put it on."""

    list_name: str = attrs.field(validator=f.text)
    """The list."""
    entity: str | None = attrs.field(default=None, validator=f.optional_text)
    """As when designated: None for the state `target` itself."""
    basis: str | None = attrs.field(default=None, validator=f.optional_text)
    """The legal basis of the removal, if given; recorded, not kept in state."""

    def summary(self) -> str:
        who = f"{self.entity} ({self.target})" if self.entity else str(self.target)
        return f"{self.actor} removed {who} from {self.list_name}"


@kind("government_recognized", cameo="054")
class GovernmentRecognized(Event):
    """`actor` recognises `government` as the government of `target` (a state whose statehood is not in question).

    Separate from `recognition` (of the state): a state recognised once may see its governments recognised,
    withdrawn and replaced many times. `rival` marks a claimant not in effective control (e.g. an interim
    president recognised against the government in power).
    """

    government: str = attrs.field(validator=f.text)
    """The government recognised, named as the source names it (e.g. "Juan Guaidó (interim president)")."""
    rival: bool = attrs.field(default=False, validator=f.flag)
    """True for a rival claimant recognised against the government in effective control."""

    def summary(self) -> str:
        rival = " (a rival claimant)" if self.rival else ""
        return f"{self.actor} recognised {self.government} as the government of {self.target}{rival}"


@kind("government_recognition_withdrawn")
class GovernmentRecognitionWithdrawn(Event):
    """`actor` withdraws its recognition of the government it recognised in `target`; it then recognises none."""

    government: str | None = attrs.field(default=None, validator=f.optional_text)
    """The government, if named; must be the one recognised."""

    def summary(self) -> str:
        which = self.government or "the government"
        return f"{self.actor} withdrew recognition of {which} of {self.target}"


@kind("protecting_power_started")
class ProtectingPowerStarted(Event):
    """`protector`, a third state, protects `actor`'s interests in `target` (after a break in relations).

    The event stays with the pair (`actor`, `target`); the protecting power is a field, so the fold stays
    local to the pair. An interests section of `actor` in `target` operates under the protector's flag.
    """

    protector: str = attrs.field(validator=f.code)
    """The protecting power's actor code (e.g. CHE for Switzerland)."""

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.protector in (self.actor, self.target):
            from events._errors import InvalidValueError

            raise InvalidValueError("protector", "a third state, neither the actor nor the target", self.protector)

    def summary(self) -> str:
        return f"{self.protector} began protecting {self.actor}'s interests in {self.target}"


@kind("protecting_power_ended")
class ProtectingPowerEnded(Event):
    """The protection of `actor`'s interests in `target` by a third state ends."""

    protector: str | None = attrs.field(default=None, validator=f.optional_code)
    """The protecting power, if named; must be the one protecting."""

    def summary(self) -> str:
        who = self.protector or "the protecting power"
        return f"{who} stopped protecting {self.actor}'s interests in {self.target}"


@kind("consular_relations_established", cameo="050")
class ConsularRelationsEstablished(Event):
    """Consular relations between `actor` and `target` begin (VCCR 1963, Art. 2), apart from diplomatic ones."""

    def summary(self) -> str:
        return f"{self.actor} and {self.target} established consular relations"


@kind("consular_relations_severed", cameo="161")
class ConsularRelationsSevered(Event):
    """`actor` breaks consular relations with `target`; diplomatic relations are a separate fact."""

    def summary(self) -> str:
        return f"{self.actor} severed consular relations with {self.target}"


@kind("consular_relations_reestablished", cameo="050")
class ConsularRelationsReestablished(Event):
    """Consular relations that were severed are restored."""

    def summary(self) -> str:
        return f"{self.actor} and {self.target} reestablished consular relations"


@kind("staff_expelled", cameo="174")
class StaffExpelled(Event):
    """`actor` expels diplomats of `target`'s mission who are not its head (for the head: `envoy_expelled`)."""

    count: int | None = attrs.field(default=None, validator=f.optional_count)
    """How many, if the source says."""
    persona_non_grata: bool = attrs.field(default=True, validator=f.flag)
    """Whether they were declared persona non grata."""
    persons: tuple[str, ...] = attrs.field(default=(), converter=f.TEXTS)
    """The names the source gives (declared persona non grata, they join the side's list)."""
    positions: tuple[str, ...] = attrs.field(default=(), converter=f.TEXTS)
    """Their posts or functions, if given (e.g. "air attaché", "vice consul")."""

    def summary(self) -> str:
        many = self.count if self.count is not None else (len(self.persons) or "some")
        png = ", persona non grata" if self.persona_non_grata else ""
        names = f" ({', '.join(self.persons)})" if self.persons else ""
        return f"{self.actor} expelled {many} of {self.target}'s diplomats{names}{png}"


@kind("staff_capped")
class StaffCapped(Event):
    """`actor` caps the staff of `target`'s mission in `actor` (at `cap` people, when the source gives a figure)."""

    cap: int | None = attrs.field(default=None, validator=f.optional_count)
    """The most staff allowed, if a figure is given."""

    def summary(self) -> str:
        at = f" at {self.cap}" if self.cap is not None else ""
        return f"{self.actor} capped the staff of {self.target}'s mission{at}"


@kind("staff_cap_lifted")
class StaffCapLifted(Event):
    """`actor` lifts the cap on the staff of `target`'s mission in `actor`."""

    def summary(self) -> str:
        return f"{self.actor} lifted the cap on the staff of {self.target}'s mission"


@kind("ordered_departure")
class OrderedDeparture(Event):
    """`actor` orders staff of its mission in `target` to leave (non-emergency staff, families); it stays open."""

    staff: str | None = attrs.field(default=None, validator=f.optional_text)
    """Who must leave, in the source's words (e.g. "non-emergency staff")."""

    def summary(self) -> str:
        who = f" ({self.staff})" if self.staff else ""
        return f"{self.actor} ordered the departure of staff from its mission in {self.target}{who}"


@kind("operations_suspended")
class OperationsSuspended(Event):
    """`actor` suspends the operations of its mission in `target` (the post is not closed, nobody works there)."""

    post: str | None = attrs.field(default=None, validator=f.optional_one_of(POST_KINDS))
    """The post whose operations stop, if named (recorded; the state holds the mission's status)."""
    city: str | None = attrs.field(default=None, validator=f.optional_text)
    """Where."""

    def summary(self) -> str:
        where = f" ({self.post.replace('_', ' ')} in {self.city})" if self.post and self.city else ""
        return f"{self.actor} suspended the operations of its mission in {self.target}{where}"


@kind("operations_resumed")
class OperationsResumed(Event):
    """`actor`'s mission in `target` operates normally again (after an ordered departure or a suspension)."""

    def summary(self) -> str:
        return f"{self.actor}'s mission in {self.target} resumed normal operations"


@kind("nomination")
class EnvoyNominated(Event):
    """`actor` nominates `nominee` to head its mission in `target` (agrément asked); not yet head of mission."""

    nominee: str = attrs.field(validator=f.text)
    """Who was nominated."""
    rank: str = attrs.field(validator=f.one_of(RANKS))
    """At what rank."""

    def summary(self) -> str:
        return f"{self.actor} nominated {self.nominee} as {RANK_WORDS[self.rank]} in {self.target}"


@kind("nomination_refused", cameo="125")
class NominationRefused(Event):
    """`actor` (the host) refuses, or withdraws, agrément for `target`'s nominee, who never heads the mission."""

    nominee: str | None = attrs.field(default=None, validator=f.optional_text)
    """The nominee, if named; must be the one pending."""
    how: str = attrs.field(default="agrement_refused", validator=f.one_of(NOMINATION_REFUSALS))
    """agrement_refused, or agrement_withdrawn (granted, then withdrawn)."""

    def summary(self) -> str:
        who = self.nominee or f"{self.target}'s nominee"
        verb = "withdrew agrément for" if self.how == "agrement_withdrawn" else "refused agrément for"
        return f"{self.actor} {verb} {who}"


@kind("nomination_withdrawn")
class NominationWithdrawn(Event):
    """`actor` withdraws its nominee for `target` (pending or refused)."""

    nominee: str | None = attrs.field(default=None, validator=f.optional_text)
    """The nominee, if named; must be the one nominated."""

    def summary(self) -> str:
        who = f" {self.nominee}" if self.nominee else ""
        return f"{self.actor} withdrew its nominee{who} for {self.target}"


@kind("coded_event", changes_state=False, target=TARGET_OPTIONAL)
class CodedEvent(Event):
    """An event from a CAMEO-coded data set (GDELT, ICEWS, ...) kept on the record as coded.

    What an importer keeps when a code has no effect on the modelled state (or no kind yet): the code,
    its Goldstein weight and how widely it was reported. `sources` holds the data set's row and the
    article's address.
    """

    code: str = attrs.field(validator=f.event_code)
    """The CAMEO event code, as the codebook writes it (`043`, `1621`)."""
    goldstein: float | None = attrs.field(default=None, validator=f.optional_weight)
    """The event's Goldstein weight, -10 (most conflictual) to 10 (most cooperative), if known."""
    source_url: str | None = attrs.field(default=None, validator=f.optional_text)
    """The address of the article the event was coded from, if the data set gives it."""
    mentions: int | None = attrs.field(default=None, validator=f.optional_count)
    """How many mentions the data set counts (summed over merged reports)."""
    source_count: int | None = attrs.field(default=None, validator=f.optional_count)
    """How many sources reported it (summed over merged reports)."""
    articles: int | None = attrs.field(default=None, validator=f.optional_count)
    """How many articles reported it (summed over merged reports)."""
    reports: int = attrs.field(default=1, validator=f.optional_count)
    """How many rows of the data set this event stands for (more than 1 after deduplication)."""

    def summary(self) -> str:
        toward = f" toward {self.target}" if self.target else ""
        return f"{self.actor}: CAMEO {self.code}{toward}"
