"""The typed diplomatic events: one immutable class per kind, each with a stable tag for files."""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import ClassVar, TypeVar

import attrs

from events import _fields as f
from events._dates import ImpreciseDate

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
STATEMENT_TYPES = ("statement", "speech", "accusation", "criticism", "praise", "threat", "denial", "announcement")
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
    _VALUES: ClassVar[Callable[[Event], tuple]]
    """The tuple of an event's field values, in the same order."""

    id: str = attrs.field(validator=f.text)
    """Unique in a log; other events name it in `caused_by`."""
    date: ImpreciseDate = attrs.field(converter=f.DATE)
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
