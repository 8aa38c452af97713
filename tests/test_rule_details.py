"""Details of the reducer and dates that mutation testing showed no other test pinned down."""

import attrs
import pytest

from engine import Agency, TransitionError, UnknownEventKindError, apply, fold, fold_from
from engine.core._reducer import _PAIR_HANDLERS, handles
from events import DateFormatError, Event, ImpreciseDate

from factories import make, opened_relations


@attrs.frozen(kw_only=True)
class Unregistered(Event):
    """An event class no handler knows (not registered with events.EVENT_KINDS either)."""

    KIND = "unregistered"


@attrs.frozen(kw_only=True)
class UnregisteredAlone(Event):
    """An unregistered event class without a target."""

    KIND = "unregistered_alone"
    TARGET = "none"


def _head(world):
    """The rank and name of the head of the US mission in Bolivia."""
    side = world.pair("USA", "BOL").side("USA", "BOL")
    return side.level, side.envoy


def _unregistered(cls, **fields):
    return cls(id="odd", date="2000", actor="USA", sources=("test",), **fields)


class TestUnknownKinds:
    @pytest.mark.parametrize(
        ("cls", "fields"), [(Unregistered, {"target": "BOL"}), (UnregisteredAlone, {})], ids=["pair", "alone"]
    )
    def test_an_unknown_kind_is_refused_by_name(self, cls, fields):
        """Folding an event of a class no handler knows fails with UnknownEventKindError naming the class and id."""
        with pytest.raises(UnknownEventKindError) as raised:
            apply(fold([]), _unregistered(cls, **fields))
        assert str(raised.value) == f"no reducer handler for event kind {cls.__name__} (event 'odd')"

    def test_handles_registers_a_handler(self):
        """A handler registered with handles() is the one apply uses for its kind."""
        seen = []

        def remember(state, event):
            seen.append(event.id)
            return state, []

        handles(Unregistered)(remember)
        try:
            apply(fold([]), _unregistered(Unregistered, target="BOL"))
        finally:
            del _PAIR_HANDLERS[Unregistered]
        assert seen == ["odd"]


class TestFoldDefaults:
    def test_fold_from_is_strict_unless_told(self):
        """Continuing a fold is strict by default, like fold: an impossible event raises."""
        with pytest.raises(TransitionError):
            fold_from(fold([]), [make("relations_severed")])
        assert fold_from(fold([]), [make("relations_severed")], strict=False).anomalies


class TestLenientDetails:
    def test_a_government_change_after_dissolution_keeps_the_dissolution(self):
        """Leniently, a change of government in a dissolved state records the leader and keeps the dissolution."""
        world = fold(
            [
                make("state_dissolved", "1990", actor="USA", target=None),
                make("government_changed", "1991", actor="USA", target=None, leader="Someone"),
            ],
            strict=False,
        )
        assert world.actor("USA").dissolved == ImpreciseDate(1990)
        assert world.actor("USA").leader == "Someone"

    def test_dissolution_keeps_the_last_leader(self):
        """A state that dissolves keeps the record of who led it last."""
        world = fold(
            [
                make("government_changed", "1989", actor="USA", target=None, leader="Someone"),
                make("state_dissolved", "1990", actor="USA", target=None),
            ]
        )
        assert (world.actor("USA").leader, world.actor("USA").dissolved) == ("Someone", ImpreciseDate(1990))

    def test_restarting_an_agency_lifts_its_regional_exclusions(self):
        """Leniently, an agency started again while it operates is one agency again, with no excluded regions."""
        world = fold(
            [
                make("agency_started", "2000", agency="DEA"),
                make("agency_expelled", "2001", actor="BOL", target="USA", agency="DEA", region="Chapare"),
                make("agency_started", "2002", agency="DEA"),
            ],
            strict=False,
        )
        assert world.pair("USA", "BOL").side("USA", "BOL").agencies == frozenset({Agency("DEA")})

    def test_expelling_an_absent_agency_leaves_the_agencies_alone(self):
        """Leniently, expelling an agency that does not operate changes no agency."""
        world = fold(
            [
                make("agency_started", "2000", agency="USAID"),
                make("agency_expelled", "2001", actor="BOL", target="USA", agency="DEA"),
            ],
            strict=False,
        )
        assert world.pair("USA", "BOL").side("USA", "BOL").agencies == frozenset({Agency("USAID")})

    def test_a_charge_recalled_leaves_no_envoy(self):
        """Recalling a chargé d'affaires leaves the mission without a head or a named envoy."""
        accredited = [make("relations_established", "1900"), make("envoy_accredited", "1901", rank="charge", envoy="A")]
        assert _head(fold(accredited)) == ("charge", "A")
        assert _head(fold([*accredited, make("envoy_recalled", "1902")])) == ("none", None)

    @pytest.mark.parametrize("rank", ["minister", "ambassador"])
    def test_a_minister_or_ambassador_recalled_leaves_a_charge(self, rank):
        """While relations stand, recalling a minister or an ambassador leaves a chargé d'affaires in charge."""
        world = fold(
            [
                make("relations_established", "1900"),
                make("envoy_accredited", "1901", rank=rank, envoy="Head"),
                make("envoy_recalled", "1902", successor="Deputy"),
            ]
        )
        assert _head(world) == ("charge", "Deputy")


class TestDateErrors:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (
                "2008/09/10",
                "an EDTF date: YYYY-MM-DD, YYYY-MM, YYYY, 196X or 19XX, optionally ending in ? ~ or %, or an interval "
                "START/END of two such dates, either end open (..) or unknown (empty)",
            ),
            ("196X-05", "no month or day after unspecified year digits"),
            ("0000", "a year from 0001"),
            ("2008-13", "a month from 01 to 12"),
            ("2007-02-29", "a day that exists in 2007-02"),
        ],
    )
    def test_each_error_names_the_field_what_was_expected_and_the_text(self, text, expected):
        """Each refusal says field 'date', exactly what was expected, and the text as given."""
        with pytest.raises(DateFormatError) as raised:
            ImpreciseDate.parse(text)
        assert (raised.value.field, raised.value.expected, raised.value.found) == ("date", expected, text)

    def test_a_non_text_is_refused_with_what_was_found(self):
        """A value that is neither text nor a date is refused, naming the field and the value."""
        with pytest.raises(DateFormatError) as raised:
            ImpreciseDate.parse(2008)
        assert (raised.value.field, raised.value.found) == ("date", 2008)
        assert raised.value.expected.startswith("an EDTF date")


class TestSeveralRulesAtOnce:
    def test_an_event_breaking_two_rules_names_both(self):
        """An event breaking two rules at once fails naming both, joined by '; ', as lenient anomalies list them."""
        events = [
            make("state_dissolved", "1990", actor="BOL", target=None),
            make("relations_severed", "1991", actor="USA", target="BOL", id="both"),
        ]
        with pytest.raises(TransitionError) as raised:
            fold(events)
        rules = [anomaly.rule for anomaly in fold(events, strict=False).anomalies]
        assert rules == ["BOL was dissolved on 1990", "there are no established relations between BOL and USA to sever"]
        assert raised.value.rule == "; ".join(rules)


class TestDateSubclasses:
    def test_parse_on_a_subclass_builds_that_subclass(self):
        """Parsing through a subclass of ImpreciseDate gives an instance of that subclass, not a cached base date."""

        class LabelledDate(ImpreciseDate):
            pass

        date = LabelledDate.parse("2008-09")
        assert type(date) is LabelledDate
        assert date == LabelledDate(2008, 9)


class TestEnvoyAttested:
    """An attestation sets the head of mission as an accreditation would, keeping a known name it does not contradict.

    The strategies' model draws attestations without a name and only where relations allow them, so these
    examples pin down the name and the broken rule (mutation survivors).
    """

    BASE = (
        make("recognition", "1900", "USA", "BOL"),
        make("recognition", "1900", "BOL", "USA"),
        make("relations_established", "1900"),
        make("envoy_accredited", "1901", rank="minister", envoy="Ann"),
    )

    def test_a_named_envoy_is_the_head_of_mission_even_at_the_known_rank(self):
        assert _head(fold([*self.BASE, make("envoy_attested", "1902", rank="minister", envoy="Bob")])) == (
            "minister",
            "Bob",
        )
        assert _head(fold([*self.BASE, make("envoy_attested", "1902", rank="ambassador", envoy="Cy")])) == (
            "ambassador",
            "Cy",
        )

    def test_an_unnamed_envoy_keeps_the_name_known_at_the_same_rank_only(self):
        assert _head(fold([*self.BASE, make("envoy_attested", "1902", rank="minister")])) == ("minister", "Ann")
        assert _head(fold([*self.BASE, make("envoy_attested", "1902", rank="ambassador")])) == ("ambassador", None)

    def test_a_rank_above_other_without_established_relations_is_impossible(self):
        with pytest.raises(TransitionError, match="USA cannot have a minister in BOL: relations are none"):
            fold([make("envoy_attested", "1902", rank="minister", envoy="Ann")])
        lenient = fold([make("envoy_attested", "1902", rank="minister", envoy="Ann")], strict=False)
        assert _head(lenient) == ("minister", "Ann") and len(lenient.anomalies) == 1
        assert not fold([make("envoy_attested", "1902", rank="other")], strict=False).anomalies


class TestAccreditingANominee:
    """Only the pending nominee's accreditation (by name, or unnamed at the nominee's rank) ends the nomination."""

    BASE = (
        make("recognition", "1900", "USA", "BOL"),
        make("recognition", "1900", "BOL", "USA"),
        make("relations_established", "1900"),
        make("nomination", "2010", nominee="Larry", rank="ambassador"),
    )

    @staticmethod
    def _nominee(events):
        side = fold(events).pair("USA", "BOL").side("USA", "BOL")
        return side.nominee, side.nominee_rank, side.nominee_status

    def test_the_nominee_accredited_by_name_or_unnamed_at_the_nominees_rank_is_a_nominee_no_more(self):
        for accredited in (
            make("envoy_accredited", "2011", rank="ambassador", envoy="Larry"),
            make("envoy_accredited", "2011", rank="ambassador"),
        ):
            assert self._nominee([*self.BASE, accredited]) == (None, None, None)

    def test_someone_else_or_another_rank_leaves_the_nomination_pending(self):
        for accredited in (
            make("envoy_accredited", "2011", rank="ambassador", envoy="Bob"),
            make("envoy_accredited", "2011", rank="charge"),
        ):
            assert self._nominee([*self.BASE, accredited]) == ("Larry", "ambassador", "pending")

    def test_a_refused_nominee_stays_refused_whoever_is_accredited(self):
        refused = make("nomination_refused", "2010-12", actor="BOL", target="USA", nominee="Larry")
        accredited = make("envoy_accredited", "2011", rank="ambassador")
        assert self._nominee([*self.BASE, refused, accredited]) == ("Larry", "ambassador", "refused")


def test_agencies_without_regions_are_one_object_per_name():
    """Equal plain agencies are shared (as posts are): two pairs starting one new agency hold the same object."""
    name = "Agency named only here"
    world = fold(
        [
            make("agency_started", "2001", "USA", "BOL", agency=name),
            make("agency_started", "2001", "USA", "PER", agency=name),
        ]
    )
    (in_bolivia,) = world.pair("USA", "BOL").side("USA", "BOL").agencies
    (in_peru,) = world.pair("USA", "PER").side("USA", "PER").agencies
    assert in_bolivia is in_peru
    assert (in_bolivia.name, in_bolivia.excluded_regions) == (name, frozenset())


def test_a_protecting_power_while_relations_stand_is_refused_saying_so():
    events = [
        make("recognition", "1900", "USA", "BOL"),
        make("recognition", "1900", "BOL", "USA"),
        make("relations_established", "1900"),
        make("protecting_power_started", "1960", protector="CHE"),
    ]
    with pytest.raises(TransitionError) as refused:
        fold(events)
    assert refused.value.rule == "CHE cannot protect USA's interests in BOL: diplomatic relations are established"


def test_posts_are_one_object_per_kind_and_city():
    """Equal posts are shared: two pairs with a consulate in one new city hold the same `Post`, of that kind."""
    city = "City named only here"
    world = fold(
        [
            make("post_opened", "2001", "USA", "BOL", post="consulate", city=city),
            make("post_opened", "2001", "USA", "PER", post="consulate", city=city),
        ]
    )
    (in_bolivia,) = world.pair("USA", "BOL").side("USA", "BOL").posts
    (in_peru,) = world.pair("USA", "PER").side("USA", "PER").posts
    assert in_bolivia is in_peru
    assert (in_bolivia.kind, in_bolivia.city) == ("consulate", city)


class TestHeadOfMissionLeaving:
    def test_a_recall_with_no_head_in_post_leaves_none_even_naming_a_successor(self):
        """Lenient: recalling a head who is not there is an anomaly, and the named successor does not appear."""
        world = fold(
            [*opened_relations(), make("envoy_recalled", "1950", successor="Bob")],
            strict=False,
        )
        assert _head(world) == ("none", None)
        assert [anomaly.rule for anomaly in world.anomalies] == ["USA has no head of mission in BOL to recall"]

    def test_a_charge_without_relations_recalled_leaves_no_head_even_naming_a_successor(self):
        """Only while relations stand does a chargé hand over to a named successor."""
        world = fold(
            [
                make("envoy_accredited", "1950", rank="charge", envoy="Ann"),
                make("envoy_recalled", "1951", successor="Bob"),
            ],
            strict=False,
        )
        assert _head(world) == ("none", None)


class TestRelationsAndConsularRelations:
    def test_establishing_relations_establishes_consular_relations_from_that_day(self):
        pair = fold(opened_relations("1903-11-13")).pair("USA", "BOL")
        assert (pair.consular, str(pair.consular_since)) == ("established", "1903-11-13")

    def test_a_severance_keeps_both_sides_consular_posts_and_closes_the_rest(self):
        """VCCR Art. 2(3): consular relations, and with them the consular posts, outlive a break."""
        world = fold(
            [
                *opened_relations(),
                make("post_opened", "1901", "USA", "BOL", post="embassy", city="La Paz"),
                make("post_opened", "1901", "USA", "BOL", post="consulate", city="Santa Cruz"),
                make("post_opened", "1901", "BOL", "USA", post="consulate_general", city="Miami"),
                make("relations_severed", "2008"),
            ]
        )
        pair = world.pair("USA", "BOL")
        assert {(post.kind, post.city) for post in pair.side("USA", "BOL").posts} == {("consulate", "Santa Cruz")}
        assert {(post.kind, post.city) for post in pair.side("BOL", "USA").posts} == {("consulate_general", "Miami")}
        assert pair.consular == "established"


class TestBrokenRulesNameWhatIsThere:
    """The words of a broken rule name the state that breaks it, as the user will read them in a lenient fold."""

    @staticmethod
    def _rules(events):
        return [anomaly.rule for anomaly in fold(events, strict=False).anomalies]

    def test_ending_protection_by_another_protector_names_the_protector(self):
        events = [
            make("protecting_power_started", "1960", protector="CHE"),
            make("protecting_power_ended", "1970", protector="SWE"),
        ]
        assert self._rules(events) == ["USA's interests in BOL are protected by CHE, not SWE"]

    def test_designating_the_target_twice_names_the_target(self):
        designated = make("designation_added", "2008", list_name="drug majors")
        assert self._rules([designated, make("designation_added", "2009", list_name="drug majors")]) == [
            "BOL is already on USA's drug majors"
        ]

    def test_a_mission_status_is_named_in_words(self):
        ordered = make("ordered_departure", "2008")
        assert self._rules([*opened_relations(), ordered, make("ordered_departure", "2008-10")]) == [
            "staff can be ordered out only of an operating mission (USA's mission in BOL is ordered departure)"
        ]

    def test_a_second_nominee_while_one_is_pending_names_the_first(self):
        events = [
            *opened_relations(),
            make("nomination", "2010", nominee="Larry", rank="ambassador"),
            make("nomination", "2011", nominee="Moe", rank="ambassador"),
        ]
        assert self._rules(events) == ["USA's nominee Larry for BOL is still pending"]
        side = fold(events, strict=False).pair("USA", "BOL").side("USA", "BOL")
        assert (side.nominee, side.nominee_status) == ("Moe", "pending")


def test_dissolution_keeps_when_the_last_leader_took_office():
    world = fold(
        [
            make("government_changed", "1990-03", actor="BOL", target=None, leader="Paz"),
            make("state_dissolved", "1995", actor="BOL", target=None),
        ]
    )
    actor = world.actor("BOL")
    assert (actor.leader, str(actor.leader_since), str(actor.dissolved)) == ("Paz", "1990-03", "1995")
