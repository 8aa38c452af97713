"""The built-in Venezuela–United States history: questions its sources settle, and the file's soundness."""

from __future__ import annotations

import pytest

import scenarios
from engine import History, Post
from engine.cli import main
from events import dump_scenario, parse_scenario

OOH_DATA = "Office of the Historian, U.S. Department of State, Principal Officers and Chiefs of Mission data"
OOH_GUIDE = "Office of the Historian, U.S. Department of State, 'A Guide to the United States' History of Recognition"


@pytest.fixture(scope="module")
def scenario():
    return scenarios.load("venezuela_usa")


@pytest.fixture(scope="module")
def history(scenario):
    return History(scenario.log, strict=True)


def own_events(scenario):
    """The events written in the Venezuela file (not those of the Bolivia history it includes)."""
    path = str(scenarios.history_path("venezuela_usa"))
    return [event for event in scenario.log if scenario.origin(event.id) == path]


def side(history, frm, to, when):
    return history.state_at(frm, to, when).state.side(frm, to)


def pair(history, when):
    return history.state_at("USA", "VEN", when).state


def head(history, frm, to, when):
    found = side(history, frm, to, when)
    return found.level, found.envoy


class TestFile:
    def test_is_about_venezuela_and_includes_bolivia(self, scenario):
        """The history's main pair is Venezuela–United States, and it includes the Bolivia history."""
        assert scenario.pair == ("VEN", "USA")
        assert scenarios.load("bolivia_usa").log.events[0] in scenario.log
        assert len(own_events(scenario)) >= 150

    @pytest.mark.parametrize("strict", [True, False])
    def test_folds_with_no_error_or_anomaly(self, scenario, strict):
        """The whole composed history folds strictly, and a lenient fold records no anomaly."""
        assert History(scenario.log, strict=strict).anomalies == ()

    def test_validates_from_the_command_line(self, capsys):
        """`legation validate venezuela_usa world` reports both files ok."""
        assert main(["validate", "venezuela_usa", "world"]) == 0
        assert [line.endswith(": ok") for line in capsys.readouterr().out.strip().splitlines()] == [True, True]

    def test_the_dump_reads_back_as_the_same_log(self, scenario):
        """Writing the composed history as one TOML file and reading it back gives the same log."""
        again = parse_scenario(dump_scenario(scenario), "flat.toml", name=scenario.name)
        assert again.log == scenario.log and again.pair == scenario.pair

    def test_every_event_cites_a_source(self, scenario):
        """Every event of the file cites at least one source, each a citation of some length."""
        for event in own_events(scenario):
            assert event.sources and all(len(source) > 20 for source in event.sources), event.id

    def test_ids_are_readable_kebab_case(self, scenario):
        """Event ids are lower-case words joined by hyphens, so counterfactual files can name them."""
        for event in own_events(scenario):
            assert event.id == event.id.lower() and " " not in event.id and "_" not in event.id, event.id

    def test_runs_from_1824_to_march_2026(self, scenario):
        """The file's first event is of 1824 and its last of 5 March 2026."""
        own = own_events(scenario)
        assert str(own[0].date) == "1824" and str(own[-1].date) == "2026-03-05"

    def test_the_notes_and_the_pending_table_exist(self):
        """NOTES.md answers the hard calls and PENDING.md lists what the model cannot express."""
        folder = scenarios.history_path("venezuela_usa").parent
        notes = (folder / "NOTES.md").read_text(encoding="utf-8")
        pending = (folder / "PENDING.md").read_text(encoding="utf-8")
        assert "agrément" in notes and "severed" in notes
        for kind in ("protecting_power", "envoy_attested", "persona_non_grata_lifted"):
            assert kind in pending

    def test_encoded_pending_facts_keep_their_ids(self, scenario):
        """The statements that stood in for PENDING.md's facts are now events of issue 19's kinds, ids kept."""
        kinds = {
            "palmer-nominated": "nomination",
            "chavez-rejects-palmer": "nomination_refused",
            "usa-recognizes-guaido": "government_recognized",
            "usa-ends-recognition-of-guaido": "government_recognition_withdrawn",
            "caracas-embassy-operations-suspended": "operations_suspended",
            "delmonaco-expelled": "staff_expelled",
            "mccusker-expelled": "staff_expelled",
        }
        assert {key: scenario.log.get(key).KIND for key in kinds} == kinds
        pending = (scenarios.history_path("venezuela_usa").parent / "PENDING.md").read_text(encoding="utf-8")
        # the suspended embassy is still named there: its resumption in 2026 is undated
        assert [key for key in kinds if f"`{key}`" in pending] == ["caracas-embassy-operations-suspended"]


class TestNineteenthCentury:
    def test_first_consulate_at_maracaibo(self, history):
        """In 1830 the United States had a consulate at Maracaibo."""
        # OoH guide: "The first U.S. consulate ... established in ... Maracaibo in 1824."
        assert Post("consulate", "Maracaibo") in side(history, "USA", "VEN", "1830-01-01").posts

    def test_no_recognition_before_1835(self, history):
        """At the end of 1834 the United States had not recognised Venezuela, and no relations existed."""
        assert not side(history, "USA", "VEN", "1834-12-31").recognizes
        assert pair(history, "1834-12-31").relations == "none"

    def test_recognised_by_exequatur_on_28_february_1835(self, history):
        """The United States recognised Venezuela on 28 February 1835 (an exequatur to its consul in New York)."""
        assert not side(history, "USA", "VEN", "1835-02-27").recognizes
        assert side(history, "USA", "VEN", "1835-02-28").recognizes
        assert Post("consulate", "New York") in side(history, "VEN", "USA", "1835-03-01").posts

    def test_relations_established_30_june_1835(self, history):
        """Diplomatic relations were established on 30 June 1835 with Williamson's credentials."""
        assert pair(history, "1835-06-29").relations == "none"
        assert pair(history, "1835-06-30").relations == "established"
        assert head(history, "USA", "VEN", "1835-07-01") == ("charge", "John Gustavus Adolphus Williamson")

    def test_venezuela_recognised_the_united_states_by_receiving_him(self, history):
        """Venezuela's recognition of the United States holds from the chargé's reception."""
        assert side(history, "VEN", "USA", "1835-06-30").recognizes

    def test_williamson_died_at_post_in_1840(self, history):
        """After Williamson's death (7 August 1840) no US chief of mission until Hall (1841)."""
        assert head(history, "USA", "VEN", "1840-08-06")[1] == "John Gustavus Adolphus Williamson"
        assert head(history, "USA", "VEN", "1841-01-01") == ("none", None)
        assert head(history, "USA", "VEN", "1841-10-01") == ("charge", "Allen A. Hall")

    def test_the_treaty_of_1836_is_on_the_record(self, scenario):
        """The 1836 treaty of peace, friendship, navigation and commerce is on the record."""
        treaty = scenario.log.get("treaty-of-1836")
        assert str(treaty.date) == "1836-01-20" and "Treaty of Peace" in treaty.outcome

    def test_eames_rose_from_charge_to_minister_in_1854(self, history):
        """Eames headed the mission as chargé in June 1854 and as minister resident from 2 September."""
        assert head(history, "USA", "VEN", "1854-06-01") == ("charge", "Charles Eames")
        assert head(history, "USA", "VEN", "1854-09-02") == ("minister", "Charles Eames")

    def test_culvers_disavowed_credentials(self, history):
        """Culver was minister in late 1862, without accredited status in 1863–64, and minister again in 1865."""
        assert head(history, "USA", "VEN", "1862-12-01") == ("minister", "Erastus Dean Culver")
        assert head(history, "USA", "VEN", "1863-06-01")[1] is None
        assert head(history, "USA", "VEN", "1865-01-01") == ("minister", "Erastus Dean Culver")

    def test_venezuela_refused_dealings_with_russell_in_1877(self, history):
        """After 29 January 1877 Thomas Russell no longer headed the mission."""
        assert head(history, "USA", "VEN", "1876-06-01")[1] == "Thomas Russell Jr."
        assert head(history, "USA", "VEN", "1877-06-01")[1] is None

    def test_baker_resumed_without_reaccreditation(self, history):
        """Baker headed the legation in 1880, not in early 1882, and again from 16 May 1882."""
        assert head(history, "USA", "VEN", "1880-01-01") == ("minister", "Jehu Baker")
        assert head(history, "USA", "VEN", "1882-01-01")[1] is None
        assert head(history, "USA", "VEN", "1883-01-01") == ("minister", "Jehu Baker")

    def test_loomis_recall_requested_in_1901(self, history):
        """Venezuela requested Loomis's recall in March 1901; Bowen headed the legation from August."""
        assert head(history, "USA", "VEN", "1901-03-24")[1] == "Francis Butler Loomis"
        assert head(history, "USA", "VEN", "1901-09-01") == ("minister", "Herbert Wolcott Bowen")


class TestTheBreakOf1908:
    def test_severed_by_the_united_states_on_20_june_1908(self, history):
        """Relations were severed from 20 June 1908 until 15 March 1909."""
        assert pair(history, "1908-06-19").relations == "established"
        assert pair(history, "1908-06-20").relations == "severed"
        assert pair(history, "1909-03-14").relations == "severed"
        assert pair(history, "1909-03-15").relations == "established"

    def test_no_mission_during_the_break(self, history):
        """During the break neither side had a head of mission."""
        assert head(history, "USA", "VEN", "1908-12-31") == ("none", None)
        assert head(history, "VEN", "USA", "1908-12-31") == ("none", None)

    def test_russell_returned_with_new_credentials(self, history):
        """W. W. Russell headed the legation again from 15 March 1909."""
        assert head(history, "USA", "VEN", "1909-06-01") == ("minister", "William Worthington Russell")

    def test_one_severed_period_before_2019(self, history):
        """Between 1835 and 2018 relations were severed once, in 1908–1909."""
        periods = [
            p for p in history.periods("USA", "VEN", lambda s: s.relations == "severed") if p.start.earliest.year < 2019
        ]
        assert [(p.start_event, p.end_event) for p in periods] == [
            ("usa-severs-relations-1908", "relations-reestablished-1909")
        ]


class TestTwentiethCentury:
    def test_ministers_until_1939(self, history):
        """In 1930 the United States had a minister in Caracas (Summerlin)."""
        assert head(history, "USA", "VEN", "1930-06-01") == ("minister", "George Thomas Summerlin")

    def test_the_legation_became_an_embassy_in_1939(self, history):
        """At the end of 1939 the US post in Caracas was an embassy, and no longer a legation."""
        posts = side(history, "USA", "VEN", "1939-12-31").posts
        assert Post("embassy", "Caracas") in posts and Post("legation", "Caracas") not in posts

    def test_corrigan_first_ambassador(self, history):
        """Frank P. Corrigan was the first US ambassador, from 14 August 1939."""
        assert head(history, "USA", "VEN", "1939-08-13")[0] == "charge"
        assert head(history, "USA", "VEN", "1939-08-14") == ("ambassador", "Francis Patrick Corrigan")

    def test_a_charge_between_ambassadors(self, history):
        """Between Sparks (left 15 April 1961) and Moscoso (23 May 1961) a chargé d'affaires headed the embassy."""
        assert head(history, "USA", "VEN", "1961-05-01") == ("charge", None)

    def test_skoug_charge_after_reich(self, history):
        """After Reich left (17 July 1989) Kenneth Skoug was chargé d'affaires ad interim."""
        assert head(history, "USA", "VEN", "1989-12-31") == ("charge", "Kenneth N. Skoug Jr.")
        assert head(history, "USA", "VEN", "1990-12-31") == ("ambassador", "Michael Martin Skol")

    def test_maracaibo_consulate_closed_in_1994(self, history):
        """The Maracaibo consulate closed in 1994, and stayed open through the 1908 break: a diplomatic severance
        leaves consular relations, and with them consular posts (VCCR Art. 2(3); issue 19's consular relations)."""
        assert Post("consulate", "Maracaibo") not in side(history, "USA", "VEN", "1994-12-31").posts
        periods = history.periods("USA", "VEN", lambda s: Post("consulate", "Maracaibo") in s.side("USA", "VEN").posts)
        assert [(p.start_event, p.end_event) for p in periods] == [
            ("maracaibo-consulate-opened", "maracaibo-consulate-closed"),
        ]

    def test_chavez_took_office_in_1999(self, history):
        """At the end of 1999 Hugo Chávez led Venezuela."""
        assert history.actor_at("VEN", "1999-12-31").leader == "Hugo Chávez"

    def test_ambassadors_both_ways_in_2007(self, history):
        """At the end of 2007 Duddy was US ambassador in Caracas and Álvarez Venezuela's in Washington."""
        assert head(history, "USA", "VEN", "2007-12-31") == ("ambassador", "Patrick D. Duddy")
        assert head(history, "VEN", "USA", "2007-12-31") == ("ambassador", "Bernardo Álvarez Herrera")


class TestSolidarityWithBolivia:
    def test_duddy_expelled_the_day_after_goldberg(self, scenario, history):
        """Venezuela expelled Duddy on 11 September 2008, caused by Bolivia's expulsion of Goldberg the day before."""
        expulsion = scenario.log.get("duddy-expelled")
        assert str(expulsion.date) == "2008-09-11" and expulsion.caused_by == ("goldberg-expelled",)
        assert str(scenario.log.get("goldberg-expelled").date) == "2008-09-10"
        assert head(history, "USA", "VEN", "2008-09-12") == ("charge", None)

    def test_a_downgrade_not_a_severance(self, history):
        """After the 2008 expulsions relations stood, with chargés d'affaires both ways."""
        state = pair(history, "2009-01-01")
        assert state.relations == "established"
        assert state.side("USA", "VEN").level == state.side("VEN", "USA").level == "charge"

    def test_duddy_and_alvarez_declared_persona_non_grata(self, history):
        """Duddy (by Venezuela) and Álvarez (by the United States) were persona non grata at the end of 2008."""
        assert "Patrick D. Duddy" in side(history, "USA", "VEN", "2008-12-31").persona_non_grata
        assert "Bernardo Álvarez Herrera" in side(history, "VEN", "USA", "2008-12-31").persona_non_grata

    def test_venezuela_hostile_after_the_expulsion(self, history):
        """In the alignment graph Venezuela turned hostile toward the United States on 11 September 2008."""
        from engine.analysis.alignment import AlignmentIndex

        index = AlignmentIndex(history.log)
        assert index.graph_at("2008-09-10").get_edge_data("USA", "VEN") is None
        assert index.graph_at("2008-09-11")["USA"]["VEN"]["sign"] == -1

    def test_ambassadors_back_in_2009(self, history):
        """Álvarez was back in Washington from 26 June 2009 and Duddy in Caracas from 1 July 2009."""
        assert head(history, "VEN", "USA", "2009-06-26") == ("ambassador", "Bernardo Álvarez Herrera")
        assert head(history, "USA", "VEN", "2009-06-30") == ("charge", None)
        assert head(history, "USA", "VEN", "2009-07-01") == ("ambassador", "Patrick D. Duddy")

    def test_venezuela_decertified_in_2008(self, history):
        """Venezuela had 'failed demonstrably' in its counter-narcotics obligations at the end of 2008."""
        assert side(history, "USA", "VEN", "2008-12-31").certification == "decertified"


class TestTheRefusedAmbassador:
    def test_caulfield_in_charge_while_palmer_was_refused(self, history):
        """While Venezuela refused Palmer's agrément (2010), a chargé, John Caulfield, headed the US embassy."""
        assert head(history, "USA", "VEN", "2010-12-20") == ("charge", "John Patrick Caulfield")

    def test_palmer_never_headed_the_mission(self, history):
        """Larry Palmer was nominated but never head of mission at any time."""
        periods = history.periods("USA", "VEN", lambda s: s.side("USA", "VEN").envoy == "Larry Leon Palmer")
        assert periods == []

    def test_alvarez_visa_revoked_on_29_december_2010(self, scenario, history):
        """The United States expelled Álvarez by revoking his visa, caused by the rejection of Palmer."""
        assert scenario.log.get("alvarez-visa-revoked").caused_by == ("chavez-rejects-palmer",)
        assert head(history, "VEN", "USA", "2010-12-28") == ("ambassador", "Bernardo Álvarez Herrera")
        assert head(history, "VEN", "USA", "2010-12-29") == ("charge", None)

    def test_no_ambassador_either_way_from_2011(self, history):
        """From 2011 to the end of the history neither side had an ambassador in the other's capital."""
        periods = history.periods(
            "USA", "VEN", lambda s: "ambassador" in (s.side("USA", "VEN").level, s.side("VEN", "USA").level)
        )
        assert periods[-1].end is not None and str(periods[-1].end) == "2010-12-29"


class TestMaduro:
    def test_maduro_acting_president_then_elected(self, history):
        """Maduro was acting president in March 2013 and president after the April election."""
        assert history.actor_at("VEN", "2013-03-07").leader == "Hugo Chávez"
        assert history.actor_at("VEN", "2013-03-08").leader == "Nicolás Maduro"
        assert str(history.actor_at("VEN", "2013-04-19").leader_since) == "2013-04-19"

    def test_air_attaches_declared_persona_non_grata(self, history):
        """The two US air attachés were persona non grata from 5 March 2013."""
        png = side(history, "USA", "VEN", "2013-03-05").persona_non_grata
        assert {"David Delmonaco", "Devlin Kostal"} <= png

    def test_keiderling_expelled_as_charge(self, history):
        """Chargé Kelly Keiderling, attested on the day of her expulsion (30 September 2013), is possibly head before.

        Derham's tenure ends in April 2013; from then the head is unknown (possibly Keiderling, citing the
        attestation), never an inferred accreditation.
        """
        assert head(history, "USA", "VEN", "2013-03-31") == ("charge", "James Michael Derham")
        before = history.state_at("USA", "VEN", "2013-09-29")
        assert head(history, "USA", "VEN", "2013-09-29") == ("none", None)
        assert [(p.value, p.event_id) for p in before.possibly if p.field == "representation USA->VEN"] == [
            (("charge", "Kelly Keiderling"), "keiderling-in-charge")
        ]
        assert head(history, "USA", "VEN", "2013-09-30") == ("none", None)
        after = history.state_at("USA", "VEN", "2013-10-01").possibly
        assert all(p.field != "representation USA->VEN" for p in after)

    def test_reciprocal_expulsion_of_calixto_ortega(self, scenario, history):
        """The United States expelled Venezuela's chargé Calixto Ortega the next day, in reprisal."""
        assert scenario.log.get("calixto-ortega-expelled").caused_by == ("keiderling-expelled",)
        assert head(history, "VEN", "USA", "2013-10-02") == ("none", None)

    def test_visas_for_us_nationals_from_2015(self, history):
        """US nationals needed a visa to enter Venezuela from 28 February 2015; before that it is unknown."""
        assert side(history, "USA", "VEN", "2015-02-27").visa_required is None
        assert side(history, "USA", "VEN", "2015-02-28").visa_required is True

    def test_three_vice_consuls_ordered_out_in_2014(self, history):
        """Three US vice consuls were ordered out on 17 February 2014; the chargé (McClenny came later) was not."""
        png = side(history, "USA", "VEN", "2014-02-17").persona_non_grata
        assert {"Breeann Marie McCusker", "Jeffrey Gordon Elsen", "Kristofer Lee Clark"} <= png
        assert "Breeann Marie McCusker" not in side(history, "USA", "VEN", "2014-02-16").persona_non_grata

    def test_carlos_ron_declared_persona_non_grata_in_reprisal(self, scenario, history):
        """The day after Robinson's expulsion the United States declared Venezuela's chargé, Carlos Ron, PNG."""
        assert scenario.log.get("carlos-ron-expelled").caused_by == ("robinson-expelled",)
        assert "Carlos Ron Ramírez" in side(history, "VEN", "USA", "2018-05-23").persona_non_grata

    def test_robinson_expelled_in_may_2018(self, history):
        """Chargé Todd Robinson headed the embassy in early 2018 and was expelled on 22 May 2018."""
        assert head(history, "USA", "VEN", "2018-03-01") == ("charge", "Todd D. Robinson")
        assert head(history, "USA", "VEN", "2018-05-22") == ("none", None)
        assert "Brian Naranjo" in side(history, "USA", "VEN", "2018-05-22").persona_non_grata

    def test_decertified_with_waiver_in_2018(self, history):
        """In September 2018 Venezuela was decertified with a national-interest waiver."""
        assert side(history, "USA", "VEN", "2018-12-31").certification == "decertified_waived"


class TestThe2019Break:
    def test_severed_on_the_day_guaido_was_recognised(self, scenario, history):
        """Relations were severed on 23 January 2019, caused by the US recognition of Guaidó that day."""
        assert pair(history, "2019-01-22").relations == "established"
        assert pair(history, "2019-01-23").relations == "severed"
        assert scenario.log.get("maduro-breaks-relations").caused_by == ("usa-recognizes-guaido",)

    def test_the_state_stays_recognised(self, history):
        """Recognising a rival government is not withdrawing recognition of the state."""
        assert side(history, "USA", "VEN", "2020-01-01").recognizes

    def test_the_embassy_worked_until_14_march_2019(self, history):
        """The US embassy in Caracas worked under an ordered departure until its operations were suspended."""
        assert Post("embassy", "Caracas") in side(history, "USA", "VEN", "2019-03-13").posts
        assert side(history, "USA", "VEN", "2019-01-23").mission_status == "operating"
        assert side(history, "USA", "VEN", "2019-01-24").mission_status == "ordered_departure"
        assert side(history, "USA", "VEN", "2019-03-13").mission_status == "ordered_departure"
        suspended = side(history, "USA", "VEN", "2019-03-14")
        assert suspended.mission_status == "suspended"
        assert Post("embassy", "Caracas") in suspended.posts, "suspended, not closed: the post stays on the record"

    def test_severed_until_march_2026(self, history):
        """Relations stayed severed from January 2019 until 5 March 2026."""
        periods = history.periods("USA", "VEN", lambda s: s.relations == "severed")
        last = periods[-1]
        assert (str(last.start), str(last.end)) == ("2019-01-23", "2026-03-05")


class TestIssue19Concepts:
    """Facts that waited in PENDING.md for sanctions, governments, consular relations and mission staff."""

    PROGRAMME = "Venezuela (E.O. 13692)"

    def sanctions(self, history, when):
        return {sanction.programme: sanction for sanction in side(history, "USA", "VEN", when).sanctions}

    def test_no_sanctions_before_executive_order_13692(self, history):
        """Before 8 March 2015 the United States imposed no sanctions programme on Venezuela."""
        assert self.sanctions(history, "2015-03-07") == {}

    def test_targeted_programme_of_2015(self, history):
        """E.O. 13692 (8 March 2015): targeted sanctions with suspended entry, on seven officials."""
        programme = self.sanctions(history, "2015-03-08")[self.PROGRAMME]
        assert programme.scope == {"targeted", "travel"}
        assert programme.basis[0].endswith("Executive Order 13692")

    def test_financial_from_executive_order_13835(self, history):
        """E.O. 13835 (21 May 2018) widened the programme to financial measures; not before."""
        assert "financial" not in self.sanctions(history, "2018-05-20")[self.PROGRAMME].scope
        assert "financial" in self.sanctions(history, "2018-05-21")[self.PROGRAMME].scope

    def test_every_order_is_a_basis_of_the_one_programme(self, history):
        """By September 2019 the programme's bases are E.O. 13692 and the six orders taken under its emergency."""
        programme = self.sanctions(history, "2019-09-01")[self.PROGRAMME]
        orders = [basis.rsplit(" ", 1)[-1] for basis in programme.basis]
        assert orders == ["13692", "13808", "13827", "13835", "13850", "13857", "13884"]
        assert "comprehensive" not in programme.scope and "trade" not in programme.scope

    def test_venezuela_imposes_no_sanctions(self, history):
        """Nothing in the record is a Venezuelan sanction on the United States."""
        assert side(history, "VEN", "USA", "2026-03-31").sanctions == frozenset()

    def test_decertification_stays_aid_law(self, history):
        """The narcotics decertification is certification (aid law), not a sanctions programme."""
        assert side(history, "USA", "VEN", "2014-12-31").certification != "none"
        assert side(history, "USA", "VEN", "2014-12-31").sanctions == frozenset()

    def test_guaido_recognised_as_a_rival_government(self, history):
        """From 23 January 2019 the United States recognised Guaidó as interim president, a rival claimant."""
        assert side(history, "USA", "VEN", "2019-01-22").government_status == "unknown"
        after = side(history, "USA", "VEN", "2019-01-23")
        assert (after.government_status, after.government) == (
            "rival",
            "Juan Guaidó (interim president, National Assembly)",
        )
        assert side(history, "VEN", "USA", "2019-06-01").government_status == "unknown"

    def test_recognition_of_guaido_ended_in_2023(self, history):
        """In 2023 the United States stopped recognising Guaidó's interim government."""
        assert side(history, "USA", "VEN", "2022-12-31").government_status == "rival"
        assert side(history, "USA", "VEN", "2024-01-01").government_status == "none"

    def test_consular_relations_broken_the_day_after_the_severance(self, history):
        """The 2019 severance left consular relations; Maduro's closing of every consulate next day broke them."""
        assert pair(history, "2019-01-23").consular == "established"
        assert pair(history, "2019-01-24").consular == "severed"
        assert side(history, "VEN", "USA", "2019-01-23").posts == {
            Post("consulate", "Houston"),
            Post("consulate", "New York"),
        }
        assert side(history, "VEN", "USA", "2019-01-24").posts == frozenset()

    def test_consular_relations_restored_in_2026(self, history):
        """The agreement of 5 March 2026 restored consular relations with diplomatic ones."""
        assert pair(history, "2026-03-04").consular == "severed"
        assert pair(history, "2026-03-05").consular == "established"

    def test_palmer_refused_never_head_of_mission(self, history):
        """Palmer, nominated in June 2010, was refused in December and never headed the mission."""
        assert side(history, "USA", "VEN", "2010-06-23").nominee is None
        pending = side(history, "USA", "VEN", "2010-06-24")
        assert (pending.nominee, pending.nominee_status) == ("Larry Leon Palmer", "pending")
        assert side(history, "USA", "VEN", "2010-12-20").nominee_status == "refused"
        assert side(history, "USA", "VEN", "2010-12-22").nominee is None
        assert all(head(history, "USA", "VEN", day)[1] != "Larry Leon Palmer" for day in ("2010-07-01", "2010-12-21"))

    def test_staff_expulsions_leave_the_head(self, history):
        """Two air attachés expelled in March 2013 join the persona non grata list; the head of mission stays."""
        before = side(history, "USA", "VEN", "2013-03-04")
        after = side(history, "USA", "VEN", "2013-03-05")
        assert {"David Delmonaco", "Devlin Kostal"} <= after.persona_non_grata
        assert not {"David Delmonaco", "Devlin Kostal"} & before.persona_non_grata
        assert (after.level, after.envoy) == (before.level, before.envoy)

    def test_staff_expelled_without_names_change_no_list(self, history):
        """The unnamed colleagues expelled with the chargés in 2013 leave the persona non grata lists as they were."""
        assert (
            side(history, "VEN", "USA", "2013-10-01").persona_non_grata
            == side(history, "VEN", "USA", "2013-09-30").persona_non_grata
        )

    def test_staff_cap_from_february_2015(self, history):
        """Maduro capped the US embassy's staff on 28 February 2015; no figure is an order's."""
        assert not side(history, "USA", "VEN", "2015-02-27").staff_capped
        capped = side(history, "USA", "VEN", "2015-02-28")
        assert capped.staff_capped and capped.staff_cap is None

    def test_cartel_de_los_soles_designated(self, history):
        """The Cartel de los Soles is an FTO from 24 November 2025; Venezuela itself is on no list."""
        assert side(history, "USA", "VEN", "2025-11-23").designations == frozenset()
        (designation,) = side(history, "USA", "VEN", "2025-11-24").designations
        assert designation.entity == "Cartel de los Soles" and "FTO" in designation.list_name

    def test_at_2019_06_01_shows_the_new_concepts(self, capsys):
        """`legation at 2019-06-01 --pair USA VEN` shows the sanctions, the governments, the suspended mission."""
        assert main(["at", "2019-06-01", "--pair", "USA", "VEN"]) == 0
        out = capsys.readouterr().out
        assert "Juan Guaidó (interim president, National Assembly) (a rival claimant)" in out
        assert "Venezuela (E.O. 13692)" in out and "Executive Order 13857" in out
        assert "suspended [caracas-embassy-operations-suspended]" in out
        assert "Consular relations: severed since 2019-01-24" in out

    def test_at_2014_has_none_of_the_2019_facts(self, capsys):
        """An answer for 2014 shows no sanctions, no recognised rival and an operating mission."""
        assert main(["at", "2014-06-01", "--pair", "USA", "VEN", "--format", "json"]) == 0
        import json

        answer = json.dumps(json.loads(capsys.readouterr().out))
        assert "E.O. 13692" not in answer and "Guaid" not in answer and "suspended" not in answer


class Test2026:
    def test_maduro_captured_and_rodriguez_interim(self, history):
        """After the capture of Maduro (3 January 2026) Delcy Rodríguez was sworn in on 5 January."""
        assert history.actor_at("VEN", "2026-01-04").leader == "Nicolás Maduro"
        leader = history.actor_at("VEN", "2026-01-05")
        assert leader.leader == "Delcy Rodríguez"

    def test_dogu_heads_the_us_presence_before_relations(self, history):
        """In February 2026, with relations still severed, Laura Dogu headed the US presence (rank other)."""
        state = pair(history, "2026-02-15")
        assert state.relations == "severed"
        assert (state.side("USA", "VEN").level, state.side("USA", "VEN").envoy) == ("other", "Laura F. Dogu")

    def test_relations_restored_with_a_charge(self, history):
        """From 5 March 2026 relations stood again, with Dogu as chargé d'affaires."""
        state = pair(history, "2026-03-05")
        assert state.relations == "established"
        assert (state.side("USA", "VEN").level, state.side("USA", "VEN").envoy) == ("charge", "Laura F. Dogu")

    def test_plasencia_named_but_not_shown_accredited(self, history):
        """Venezuela named Plasencia its representative in February 2026; no accreditation is recorded."""
        assert head(history, "VEN", "USA", "2026-03-31") == ("none", None)


class TestTheRecord:
    def test_record_events_are_kept_and_change_nothing(self, history):
        """Statements, the treaty, elections, the 2025 visit and the 2026 operation are in the timeline, no change."""
        record = [step for step in history.steps("USA", "VEN") if not step.event.CHANGES_STATE]
        assert {"statement", "negotiation", "visit", "operation"} <= {step.event.KIND for step in record}
        assert all(step.changed == () for step in record)

    def test_the_2024_election_has_no_recorded_winner(self, scenario):
        """The disputed election of 28 July 2024 names no winner; the US called González president-elect."""
        election = scenario.log.get("election-2024")
        assert election.winner is None
        assert scenario.log.effects_of("election-2024") == ["blinken-gonzalez-president-elect"]

    def test_grenell_visit_did_not_restore_relations(self, history):
        """After the special envoy's visit of 31 January 2025 relations were still severed."""
        assert pair(history, "2025-02-01").relations == "severed"


class TestCommand:
    def test_at_for_the_pair_by_default(self, capsys):
        """`legation at 2009-01-01 --scenario venezuela_usa` answers about VEN–USA, its main pair."""
        assert main(["at", "2009-01-01", "--scenario", "venezuela_usa"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("Venezuela and United States on 2009-01-01") and "duddy-expelled" in out

    def test_timeline_of_2008_crosses_to_bolivia(self, capsys):
        """The VEN–USA timeline of September 2008 shows the expulsion and what caused it."""
        argv = ["timeline", "--pair", "USA", "VEN", "--from", "2008-09", "--to", "2008-09", "--format", "json"]
        assert main(argv) == 0
        import json

        entries = json.loads(capsys.readouterr().out)
        expelled = next(entry for entry in entries["events"] if entry["id"] == "duddy-expelled")
        assert expelled["caused_by"] == ["goldberg-expelled"]
