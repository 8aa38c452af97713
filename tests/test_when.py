"""The condition language of `legation when`: what each phrase means, how they combine, and its errors."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import AID_STATUSES, CERTIFICATIONS, LEVELS, RELATIONS, Agency, ConditionError, PairState, Post, Side
from engine import parse_condition as parse

sides = st.builds(
    Side,
    recognizes=st.booleans(),
    level=st.sampled_from(LEVELS),
    posts=st.frozensets(st.builds(Post, st.sampled_from(["embassy", "consulate"]), st.sampled_from(["X", "Y"]))),
    agencies=st.frozensets(st.builds(Agency, st.sampled_from(["DEA", "USAID", "Peace Corps"]))),
    aid=st.sampled_from(AID_STATUSES),
    certification=st.sampled_from(CERTIFICATIONS),
    visa_required=st.sampled_from([True, False, None]),
)
states = st.builds(
    PairState, a=st.just("BOL"), b=st.just("USA"), relations=st.sampled_from(RELATIONS), ab=sides, ba=sides
)
PHRASES = [
    "relations established",
    "relations severed",
    "ambassador of USA in BOL",
    "envoy of BOL in USA",
    "embassy of USA in BOL",
    "DEA of USA in BOL",
    "Peace Corps of USA in BOL",
    "aid USA->BOL suspended",
    "aid USA -> BOL flowing",
    "visa required for USA in BOL",
    "visa not required for BOL in USA",
    "BOL decertified by USA",
    "BOL certified by USA",
    "USA recognizes BOL",
]


class TestMeaning:
    @given(states)
    def test_each_phrase_reads_the_field_it_names(self, state):
        """Each kind of phrase tests exactly the field and direction it names."""
        usa_in_bol, bol_in_usa = state.side("USA", "BOL"), state.side("BOL", "USA")
        assert parse("relations severed")(state) == (state.relations == "severed")
        assert parse("ambassador of USA in BOL")(state) == (usa_in_bol.level == "ambassador")
        assert parse("no ambassador of USA in BOL")(state) == (usa_in_bol.level != "ambassador")
        assert parse("envoy of BOL in USA")(state) == (bol_in_usa.level != "none")
        assert parse("no envoy of BOL in USA")(state) == (bol_in_usa.level == "none")
        assert parse("chargé of USA in BOL")(state) == (usa_in_bol.level == "charge")
        assert parse("embassy of USA in BOL")(state) == any(p.kind == "embassy" for p in usa_in_bol.posts)
        assert parse("usaid of usa in bol")(state) == (usa_in_bol.agency("USAID") is not None)
        assert parse("Peace Corps of USA in BOL")(state) == (usa_in_bol.agency("Peace Corps") is not None)
        assert parse("aid USA->BOL suspended")(state) == (usa_in_bol.aid == "suspended")
        assert parse("aid USA->BOL flowing")(state) == (usa_in_bol.aid in ("active", "waived"))
        assert parse("visa required for USA in BOL")(state) == (usa_in_bol.visa_required is True)
        assert parse("no visa required for USA in BOL")(state) == (usa_in_bol.visa_required is False)
        decertified = usa_in_bol.certification in ("decertified", "decertified_waived")
        assert parse("BOL decertified by USA")(state) == decertified
        assert parse("BOL not decertified by USA")(state) == (not decertified)
        assert parse("USA recognises BOL")(state) == usa_in_bol.recognizes

    @given(states, st.sampled_from(PHRASES), st.sampled_from(PHRASES))
    def test_and_or_not_combine_as_logic(self, state, first, second):
        """`and`, `or`, `not` and parentheses mean conjunction, disjunction, negation and grouping."""
        x, y = parse(first)(state), parse(second)(state)
        assert parse(f"{first} and {second}")(state) == (x and y)
        assert parse(f"{first} or {second}")(state) == (x or y)
        assert parse(f"not {first}")(state) == (not x)
        assert parse(f"not ({first} or {second})")(state) == (not (x or y))

    def test_and_binds_tighter_than_or(self):
        """`a or b and c` reads as `a or (b and c)`."""
        state = PairState("BOL", "USA", relations="severed")
        assert parse("relations severed or relations established and relations none")(state)
        assert not parse("(relations severed or relations established) and relations none")(state)

    def test_actors_are_named_in_order_and_upper_cased(self):
        """The parsed condition lists the actor codes it names, upper-cased, in order of mention."""
        assert parse("no ambassador of usa in bol").actors == ("USA", "BOL")
        assert parse("relations severed").actors == ()


class TestErrors:
    @pytest.mark.parametrize(
        ("text", "found", "expected"),
        [
            ("", "end of condition", "a condition"),
            ("relations", "end of condition", "'established' or 'severed' or 'none'"),
            ("relations broken", "broken", "'established'"),
            ("ambassador of USA", "end of condition", "'in'"),
            ("ambassador of USA in BOL extra", "extra", "'and', 'or' or the end"),
            ("aid USA BOL suspended", "BOL", "'->'"),
            ("aid USA->BOL gone", "gone", "'active'"),
            ("visa required USA in BOL", "USA", "'for'"),
            ("(relations severed", "end of condition", "')'"),
            ("ambassador of 42 in BOL", "42", "an actor code"),
            ("whatever", "whatever", "a condition"),
        ],
    )
    def test_error_names_the_word_and_what_was_expected(self, text, found, expected):
        """A condition that does not parse names the word at fault and what would have been understood."""
        with pytest.raises(ConditionError) as caught:
            parse(text)
        assert caught.value.found == found
        assert expected in caught.value.expected
        assert "\n" not in str(caught.value)

    def test_unknown_actor_and_agency_when_told_what_exists(self):
        """Given the history's actors and agencies, an unknown code or agency name is an error listing them."""
        with pytest.raises(ConditionError, match="actor code this history knows"):
            parse("ambassador of XYZ in BOL", actors={"BOL", "USA"})
        with pytest.raises(ConditionError, match=r"agency of this history \(DEA, USAID\)"):
            parse("ambasador of USA in BOL", agencies={"DEA", "USAID"})
        assert parse("dea of USA in BOL", agencies={"DEA"})(PairState("BOL", "USA")) is False
