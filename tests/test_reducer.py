import pytest

from engine import EMPTY_WORLD, Agency, Post, TransitionError, apply, check_transitions, fold, fold_from

from factories import make, opened_relations


def pair(world, a="USA", b="BOL"):
    return world.pair(a, b)


def side(world, frm, to):
    return world.pair(frm, to).side(frm, to)


def after(*events):
    return fold(events)


BASE = opened_relations()


class TestRecognitionAndRelations:
    def test_recognition_is_directed(self):
        """Recognition by A says nothing of B's recognition of A."""
        world = after(make("recognition", actor="USA", target="BOL"))
        assert side(world, "USA", "BOL").recognizes and not side(world, "BOL", "USA").recognizes

    def test_recognition_twice_is_refused(self):
        """Recognising a state already recognised breaks a rule."""
        with pytest.raises(TransitionError, match="already recognises"):
            after(make("recognition"), make("recognition"))

    def test_withdrawal(self):
        """Withdrawing recognition needs recognition first."""
        assert not side(after(make("recognition"), make("recognition_withdrawn")), "USA", "BOL").recognizes
        with pytest.raises(TransitionError, match="does not recognise"):
            after(make("recognition_withdrawn"))

    def test_established_severed_reestablished(self):
        """Relations go none -> established -> severed -> established, each change dated."""
        world = after(*BASE, make("relations_severed", "1950"), make("relations_reestablished", "1960"))
        assert pair(world).relations == "established" and str(pair(world).relations_since) == "1960"
        assert pair(after(*BASE, make("relations_severed", "1950"))).relations == "severed"

    @pytest.mark.parametrize(
        ("events", "rule"),
        [
            ([make("relations_severed")], "no established relations"),
            ([make("relations_reestablished")], "never established"),
            ([*BASE, make("relations_reestablished", "1950")], "not severed"),
            ([*BASE, make("relations_established", "1950")], "already established"),
            (
                [*BASE, make("relations_severed", "1950"), make("relations_established", "1960")],
                "relations_reestablished",
            ),
        ],
    )
    def test_impossible_relation_changes(self, events, rule):
        """Each impossible change of relations is refused with its rule."""
        with pytest.raises(TransitionError, match=rule):
            after(*events)

    def test_severance_withdraws_missions(self):
        """A severance removes both heads of mission and closes posts other than interests sections."""
        world = after(
            *BASE,
            make("envoy_accredited", actor="USA", target="BOL", rank="ambassador", envoy="A"),
            make("envoy_accredited", actor="BOL", target="USA", rank="ambassador", envoy="B"),
            make("post_opened", actor="USA", target="BOL", post="embassy", city="La Paz"),
            make("post_opened", actor="USA", target="BOL", post="interests_section", city="La Paz"),
            make("relations_severed", "1950", actor="BOL", target="USA"),
        )
        assert side(world, "USA", "BOL").level == "none" and side(world, "BOL", "USA").level == "none"
        assert side(world, "USA", "BOL").envoy is None
        assert side(world, "USA", "BOL").posts == {Post("interests_section", "La Paz")}


class TestEnvoys:
    def test_accreditation_needs_relations(self):
        """An envoy cannot be accredited before relations are established."""
        with pytest.raises(TransitionError, match="relations are none"):
            after(make("envoy_accredited", rank="charge"))

    def test_interests_section_needs_no_relations(self):
        """An `other` head (interests section) can serve without relations."""
        assert side(after(make("envoy_accredited", rank="other")), "USA", "BOL").level == "other"

    def test_accreditation_sets_rank_and_name(self):
        """An accreditation sets the rank and names the envoy."""
        world = after(*BASE, make("envoy_accredited", rank="minister", envoy="John Appleton"))
        assert (side(world, "USA", "BOL").level, side(world, "USA", "BOL").envoy) == ("minister", "John Appleton")

    def test_expulsion_of_ambassador_leaves_charge(self):
        """Expelling an ambassador while relations stand leaves a chargé: a downgrade, not a severance."""
        world = after(
            *BASE,
            make("envoy_accredited", actor="USA", target="BOL", rank="ambassador", envoy="Philip S. Goldberg"),
            make("envoy_expelled", "1950", actor="BOL", target="USA", envoy="Philip S. Goldberg", successor="C"),
        )
        usa = side(world, "USA", "BOL")
        assert (usa.level, usa.envoy) == ("charge", "C")
        assert usa.persona_non_grata == {"Philip S. Goldberg"}
        assert pair(world).relations == "established"

    def test_expelling_a_charge_leaves_nobody(self):
        """Expelling a chargé leaves no head of mission."""
        world = after(
            *BASE, make("envoy_accredited", rank="charge", envoy="X"), make("envoy_expelled", actor="BOL", target="USA")
        )
        assert side(world, "USA", "BOL").level == "none"
        assert side(world, "USA", "BOL").persona_non_grata == {"X"}

    def test_expulsion_without_png(self):
        """An expulsion can leave the envoy off the persona non grata list."""
        world = after(
            *BASE,
            make("envoy_accredited", rank="ambassador", envoy="X"),
            make("envoy_expelled", actor="BOL", target="USA", persona_non_grata=False),
        )
        assert side(world, "USA", "BOL").persona_non_grata == frozenset()

    @pytest.mark.parametrize(
        ("last", "rule"),
        [
            (make("envoy_expelled", actor="BOL", target="USA", envoy="Nobody"), "is X, not Nobody"),
            (make("envoy_recalled", actor="USA", target="BOL", envoy="Nobody"), "is X, not Nobody"),
            (make("envoy_expelled", actor="USA", target="BOL"), "BOL has no head of mission in USA to expel"),
            (make("envoy_recalled", actor="BOL", target="USA"), "BOL has no head of mission in USA to recall"),
        ],
    )
    def test_impossible_envoy_changes(self, last, rule):
        """Removing an envoy who is not there is refused, naming who is."""
        with pytest.raises(TransitionError, match=rule):
            after(*BASE, make("envoy_accredited", rank="ambassador", envoy="X"), last)

    def test_recall(self):
        """Recalling an ambassador leaves a chargé; recalling after a severance leaves nobody."""
        accredited = make("envoy_accredited", rank="ambassador", envoy="X")
        world = after(*BASE, accredited, make("envoy_recalled", successor="Y"))
        assert (side(world, "USA", "BOL").level, side(world, "USA", "BOL").envoy) == ("charge", "Y")

    def test_persona_non_grata(self):
        """A person declared persona non grata is listed once."""
        world = after(make("persona_non_grata", actor="BOL", target="USA", person="Z"))
        assert side(world, "USA", "BOL").persona_non_grata == {"Z"}
        with pytest.raises(TransitionError, match="already persona non grata"):
            after(
                make("persona_non_grata", actor="BOL", target="USA", person="Z"),
                make("persona_non_grata", actor="BOL", target="USA", person="Z"),
            )

    def test_exchange_agreed(self):
        """An agreement to exchange ambassadors is recorded apart from who is accredited."""
        world = after(*BASE, make("envoy_exchange_agreed", rank="ambassador"))
        assert pair(world).agreed_level == "ambassador" and side(world, "USA", "BOL").level == "none"


class TestPostsAndAgencies:
    def test_posts(self):
        """Posts open and close by kind and city; closing one not open is refused."""
        opened = make("post_opened", post="consulate", city="Cochabamba")
        assert side(after(opened), "USA", "BOL").posts == {Post("consulate", "Cochabamba")}
        closed = make("post_closed", post="consulate", city="Cochabamba")
        assert side(after(opened, closed), "USA", "BOL").posts == frozenset()
        with pytest.raises(TransitionError, match="no open consulate in Cochabamba"):
            after(closed)
        with pytest.raises(TransitionError, match="already open"):
            after(opened, make("post_opened", post="consulate", city="Cochabamba"))

    def test_agency_regional_then_full_expulsion(self):
        """An agency expelled from a region stays elsewhere; expelled from the country, it is gone."""
        started = make("agency_started", agency="USAID")
        regional = make("agency_expelled", actor="BOL", target="USA", agency="USAID", region="Chapare")
        world = after(started, regional)
        assert side(world, "USA", "BOL").agencies == {Agency("USAID", frozenset({"Chapare"}))}
        world = after(started, regional, make("agency_expelled", actor="BOL", target="USA", agency="USAID"))
        assert side(world, "USA", "BOL").agencies == frozenset()

    @pytest.mark.parametrize(
        ("events", "rule"),
        [
            ([make("agency_expelled", actor="BOL", target="USA", agency="DEA")], "DEA does not operate in BOL"),
            ([make("agency_withdrawn", agency="DEA")], "DEA does not operate in BOL"),
            ([make("agency_started", agency="DEA"), make("agency_started", agency="DEA")], "already operates"),
            (
                [
                    make("agency_started", agency="DEA"),
                    make("agency_expelled", actor="BOL", target="USA", agency="DEA", region="Chapare"),
                    make("agency_expelled", actor="BOL", target="USA", agency="DEA", region="Chapare"),
                ],
                "already expelled from Chapare",
            ),
        ],
    )
    def test_impossible_agency_changes(self, events, rule):
        """Agency events that cannot happen are refused with their rule."""
        with pytest.raises(TransitionError, match=rule):
            after(*events)

    def test_withdrawal(self):
        """An owner can withdraw its own agency."""
        world = after(make("agency_started", agency="Peace Corps"), make("agency_withdrawn", agency="Peace Corps"))
        assert side(world, "USA", "BOL").agencies == frozenset()


class TestAidCertificationVisas:
    @pytest.mark.parametrize(
        ("kinds", "status"),
        [
            (["aid_started"], "active"),
            (["aid_started", "aid_suspended"], "suspended"),
            (["aid_started", "aid_suspended", "aid_resumed"], "active"),
            (["aid_started", "aid_restricted"], "restricted"),
            (["aid_started", "aid_restricted", "aid_waiver"], "waived"),
            (["aid_started", "aid_restricted", "aid_waiver", "aid_suspended"], "suspended"),
        ],
    )
    def test_aid_statuses(self, kinds, status):
        """Aid moves through its statuses as the events say."""
        assert side(after(*(make(k) for k in kinds)), "USA", "BOL").aid == status

    @pytest.mark.parametrize(
        ("kinds", "rule"),
        [
            (["aid_suspended"], "no assistance to suspend"),
            (["aid_resumed"], "not suspended"),
            (["aid_waiver"], "no restriction to waive"),
            (["aid_started", "aid_started"], "already flowing"),
            (["aid_restricted", "aid_restricted"], "already restricted"),
        ],
    )
    def test_impossible_aid_changes(self, kinds, rule):
        """Aid events that cannot happen are refused with their rule."""
        with pytest.raises(TransitionError, match=rule):
            after(*(make(k) for k in kinds))

    def test_certification(self):
        """The last certification decision holds."""
        world = after(
            make("certification", decision="certified"), make("certification", "2001", decision="decertified")
        )
        assert side(world, "USA", "BOL").certification == "decertified"

    def test_visa_policy_is_for_the_targets_nationals(self):
        """Bolivia dropping visas for Americans changes USA->BOL (Americans entering Bolivia)."""
        world = after(make("visa_policy", actor="BOL", target="USA", required=False))
        assert side(world, "USA", "BOL").visa_required is False
        assert side(world, "BOL", "USA").visa_required is None


class TestActorsAndRecord:
    def test_government_change(self):
        """A change of government sets the actor's leader and leaves every pair alone."""
        world = after(
            make("government_changed", "2006-01-22", actor="BOL", target=None, leader="Evo Morales", how="inauguration")
        )
        assert world.actor("BOL").leader == "Evo Morales" and len(world.pairs) == 0

    def test_dissolved_actor_cannot_act(self):
        """After a dissolution, events naming the actor are impossible."""
        gone = make("state_dissolved", "1839", actor="PER", target=None)
        with pytest.raises(TransitionError, match="PER was dissolved on 1839"):
            after(gone, make("recognition", "1840", actor="USA", target="PER"))
        with pytest.raises(TransitionError, match="dissolved"):
            after(gone, make("state_dissolved", "1840", actor="PER", target=None))

    @pytest.mark.parametrize(
        ("kind", "fields"),
        [
            ("statement", {"statement": "accusation"}),
            ("protest", {"participants": 20000}),
            ("poll", {"question": "q", "results": {"yes": 55}}),
            ("operation", {"name": "Operation Blast Furnace"}),
            ("policy", {"name": "Law 1008"}),
            ("extradition", {"person": "P"}),
            ("visit", {}),
            ("negotiation", {}),
            ("alignment", {"stance": "hostile"}),
        ],
    )
    def test_record_events_change_no_pair(self, kind, fields):
        """Events of the record (and alignments, which the graph folds) leave the world state as it was."""
        world = after(*BASE)
        assert apply(world, make(kind, "1950", **fields)) is world


class TestModes:
    def test_lenient_records_and_goes_on(self):
        """Lenient mode records each broken rule with event id and date, and still applies the event."""
        bad = make("relations_severed", "1950", id="bad-severance")
        world = fold([bad, make("aid_started", "1951")], strict=False)
        assert [(a.event_id, str(a.date)) for a in world.anomalies] == [("bad-severance", "1950")]
        assert pair(world).relations == "severed"
        assert side(world, "USA", "BOL").aid == "active"
        assert check_transitions([bad]) == list(world.anomalies)

    def test_strict_error_names_event_date_rule(self):
        """A strict failure names the event id, its date and the rule."""
        with pytest.raises(TransitionError) as raised:
            fold([make("aid_resumed", "1960-05", id="resume")])
        assert (raised.value.event_id, str(raised.value.date)) == ("resume", "1960-05")
        assert str(raised.value).startswith("event 'resume' (1960-05): assistance is not suspended")

    def test_purity_and_homomorphism(self):
        """Folding does not change its inputs, and fold(a + b) == fold_from(fold(a), b)."""
        events = [*BASE, make("aid_started", "1950"), make("aid_suspended", "1960")]
        first = fold(events[:2])
        again = fold(events[:2])
        assert fold_from(first, events[2:]) == fold(events)
        assert first == again
        assert apply(EMPTY_WORLD, events[0]) is not EMPTY_WORLD and len(EMPTY_WORLD.pairs) == 0


class TestSuccessors:
    """A named successor takes charge whatever the rank of the head who leaves (issue: a chargé succeeding a
    chargé left the mission headless)."""

    def test_a_charge_succeeding_a_charge(self):
        world = after(
            *opened_relations(),
            make("envoy_accredited", "2001", "USA", "BOL", rank="charge", envoy="First Chargé"),
            make("envoy_recalled", "2002", "USA", "BOL", envoy="First Chargé", successor="Second Chargé"),
        )
        assert (side(world, "USA", "BOL").level, side(world, "USA", "BOL").envoy) == ("charge", "Second Chargé")

    def test_an_expelled_charge_with_a_named_successor(self):
        world = after(
            *opened_relations(),
            make("envoy_accredited", "2001", "USA", "BOL", rank="charge", envoy="First Chargé"),
            make("envoy_expelled", "2002", "BOL", "USA", envoy="First Chargé", successor="Acting Head"),
        )
        assert (side(world, "USA", "BOL").level, side(world, "USA", "BOL").envoy) == ("charge", "Acting Head")
        assert "First Chargé" in side(world, "USA", "BOL").persona_non_grata

    def test_the_head_of_an_interests_section_handing_over_during_a_severance(self):
        world = after(
            *opened_relations(),
            make("relations_severed", "2001", "USA", "BOL"),
            make("envoy_accredited", "2002", "USA", "BOL", rank="other", envoy="Section Head"),
            make("envoy_recalled", "2003", "USA", "BOL", envoy="Section Head", successor="Next Section Head"),
        )
        assert (side(world, "USA", "BOL").level, side(world, "USA", "BOL").envoy) == ("other", "Next Section Head")

    def test_a_charge_leaving_with_no_successor_leaves_no_head(self):
        world = after(
            *opened_relations(),
            make("envoy_accredited", "2001", "USA", "BOL", rank="charge", envoy="First Chargé"),
            make("envoy_recalled", "2002", "USA", "BOL"),
        )
        assert (side(world, "USA", "BOL").level, side(world, "USA", "BOL").envoy) == ("none", None)

    def test_an_ambassador_still_leaves_a_charge(self):
        world = after(
            *opened_relations(),
            make("envoy_accredited", "2001", "USA", "BOL", rank="ambassador", envoy="Ambassador"),
            make("envoy_recalled", "2002", "USA", "BOL", successor="Chargé"),
        )
        assert (side(world, "USA", "BOL").level, side(world, "USA", "BOL").envoy) == ("charge", "Chargé")


class TestAgreementsAndSeverance:
    def test_a_severance_voids_an_agreement_to_exchange_envoys(self):
        """An agreed level does not survive a break: it reads null through the years of severed relations."""
        world = after(
            *opened_relations(),
            make("envoy_exchange_agreed", "1950", "USA", "BOL", rank="ambassador"),
            make("relations_severed", "1960", "BOL", "USA"),
        )
        assert pair(world).agreed_level is None

    def test_restored_relations_need_a_new_agreement(self):
        world = after(
            *opened_relations(),
            make("envoy_exchange_agreed", "1950", "USA", "BOL", rank="ambassador"),
            make("relations_severed", "1960", "BOL", "USA"),
            make("relations_reestablished", "1970", "BOL", "USA"),
        )
        assert pair(world).agreed_level is None
        world = fold_from(world, [make("envoy_exchange_agreed", "1971", "USA", "BOL", rank="minister")])
        assert pair(world).agreed_level == "minister"
