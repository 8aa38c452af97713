"""Issue 19's concepts by example: sanctions, designations, governments, protecting powers, consular relations,
mission staff and nominees, through the rule book and through `legation at`, `diff`, `timeline` and the plot."""

import json

import pytest

from engine import TransitionError, check_transitions, fold
from engine.cli import main as legation
from events import scenario_of, write_scenario

from factories import log_of, make, opened_relations


def side(world, frm="USA", to="BOL"):
    return world.pair(frm, to).side(frm, to)


BASE = opened_relations()


class TestSanctions:
    def test_programmes_coexist_and_are_eased_and_lifted_separately(self):
        """Two programmes in force at once; easing one leaves the other; easing a whole scope ends it."""
        world = fold(
            [
                *BASE,
                make("sanction_imposed", "2001", programme="P1", scope=["targeted", "travel"], basis="E.O. 1"),
                make("sanction_imposed", "2002", programme="P2", scope=["arms"]),
                make("sanction_widened", "2003", programme="P1", scope=["financial"], basis="E.O. 2"),
                make("sanction_eased", "2004", programme="P1", scope=["travel"]),
                make("sanction_eased", "2005", programme="P2", scope=["arms"]),
            ]
        )
        (only,) = side(world).sanctions
        assert (only.programme, only.scope, only.basis) == ("P1", {"targeted", "financial"}, ("E.O. 1", "E.O. 2"))
        assert side(world, "BOL", "USA").sanctions == frozenset()

    def test_leniently_a_widening_of_what_is_not_in_force_imposes_what_it_names(self):
        """Lenient: widening a programme not in force is an anomaly, and the scope it names is then in force."""
        widened = make("sanction_widened", "2002", programme="P1", scope=["trade"], basis="E.O. 2")
        world = fold([*BASE, make("sanction_imposed", "2001", programme="P0", scope=["arms"]), widened], strict=False)
        assert [anomaly.event_id for anomaly in world.anomalies] == [widened.id]
        assert "has no P1 in force" in world.anomalies[0].rule
        found = {(sanction.programme, sanction.scope, sanction.basis) for sanction in side(world).sanctions}
        assert found == {("P0", frozenset({"arms"}), ()), ("P1", frozenset({"trade"}), ("E.O. 2",))}

    def test_a_widening_without_a_basis_keeps_the_bases_as_they_were(self):
        """Scope added with no legal basis given: the programme's bases are unchanged (no empty basis appended)."""
        world = fold(
            [
                *BASE,
                make("sanction_imposed", "2001", programme="P1", scope=["arms"], basis="E.O. 1"),
                make("sanction_widened", "2002", programme="P1", scope=["trade"]),
            ]
        )
        (only,) = side(world).sanctions
        assert (only.scope, only.basis) == ({"arms", "trade"}, ("E.O. 1",))

    @pytest.mark.parametrize(
        ("event", "message"),
        [
            (make("sanction_lifted", programme="P9"), "has no P9 in force"),
            (make("sanction_eased", programme="P9", scope=["trade"]), "has no P9 in force"),
            (make("sanction_eased", programme="P1", scope=["trade"]), "does not cover trade"),
            (make("sanction_eased", programme="P1", scope=["travel", "trade"]), "does not cover trade, travel$"),
            (make("sanction_imposed", programme="P1", scope=["trade"]), "already in force"),
        ],
    )
    def test_easing_or_lifting_what_is_not_in_force_is_impossible(self, event, message):
        """Impossible: lifting or easing a programme or scope not in force, imposing one twice."""
        imposed = make("sanction_imposed", "1999", programme="P1", scope=["arms"])
        with pytest.raises(TransitionError, match=message):
            fold([*BASE, imposed, event])


class TestDesignations:
    def test_designating_twice_and_removing_what_is_not_there_are_impossible(self):
        """A list holds the target once; an entity of the target is a separate designation."""
        on = make("designation_added", "2001", list_name="state sponsors of terrorism")
        entity = make("designation_added", "2001", list_name="state sponsors of terrorism", entity="Cartel")
        world = fold([*BASE, on, entity])
        assert {str(d) for d in side(world).designations} == {
            "state sponsors of terrorism",
            "state sponsors of terrorism: Cartel",
        }
        with pytest.raises(TransitionError, match="already on"):
            fold([*BASE, on, make("designation_added", "2002", list_name="state sponsors of terrorism")])
        with pytest.raises(TransitionError, match="is not on"):
            fold([*BASE, make("designation_removed", "2002", list_name="SDGT")])


class TestRulesNamingWhatIsWrong:
    """Refusals that name the thing at fault, and successions that are not repeats (mutation survivors)."""

    def test_removing_a_designation_not_on_the_list_names_the_entity_or_else_the_target(self):
        with pytest.raises(TransitionError, match="BOL is not on USA's SDN"):
            fold([*BASE, make("designation_removed", "2002", list_name="SDN")])
        with pytest.raises(TransitionError, match="Cartel X is not on USA's SDN"):
            fold([*BASE, make("designation_removed", "2002", list_name="SDN", entity="Cartel X")])

    def test_another_government_or_the_same_one_as_rival_is_not_a_repeat(self):
        recognised = [*BASE, make("government_recognized", "2001", government="Government A")]
        for then in (
            make("government_recognized", "2002", government="Government B"),
            make("government_recognized", "2002", government="Government A", rival=True),
        ):
            assert not fold([*recognised, then], strict=False).anomalies, then

    def test_withdrawing_another_nominee_than_ones_own_is_impossible(self):
        events = [
            *BASE,
            make("nomination", "2010", nominee="Larry", rank="ambassador"),
            make("nomination_withdrawn", "2011", nominee="Peter"),
        ]
        with pytest.raises(TransitionError, match="USA's nominee for BOL is Larry, not Peter"):
            fold(events)
        assert side(fold(events, strict=False)).nominee is None


class TestGovernments:
    def test_a_new_or_rival_government_of_a_recognised_state_is_not_recognising_twice(self):
        """Recognising governments one after another (a rival claimant among them) breaks no rule, and the state
        stays recognised; withdrawing leaves none, which is not unknown."""
        events = [
            *BASE,
            make("government_recognized", "2001", government="Government A"),
            make("government_recognized", "2019", government="Claimant B", rival=True),
        ]
        world = fold(events)
        assert side(world).recognizes and (side(world).government, side(world).government_status) == (
            "Claimant B",
            "rival",
        )
        assert side(world, "BOL", "USA").government_status == "unknown"
        withdrawn = fold([*events, make("government_recognition_withdrawn", "2023", government="Claimant B")])
        assert (side(withdrawn).government, side(withdrawn).government_status) == (None, "none")
        with pytest.raises(TransitionError, match="already recognises Government A as the government"):
            fold([*events[:-1], make("government_recognized", "2002", government="Government A")])
        with pytest.raises(TransitionError, match="recognises no government"):
            fold([*BASE, make("government_recognition_withdrawn", "2002")])

    def test_withdrawing_recognition_from_a_government_not_recognised_is_impossible(self):
        """Naming another government than the one recognised breaks a rule saying both; leniently the withdrawal
        still leaves no government recognised."""
        events = [
            *BASE,
            make("government_recognized", "2001", government="Government A"),
            make("government_recognition_withdrawn", "2002", government="Claimant B"),
        ]
        with pytest.raises(
            TransitionError, match="USA recognises Government A as the government of BOL, not Claimant B"
        ):
            fold(events)
        lenient = fold(events, strict=False)
        assert (side(lenient).government, side(lenient).government_status) == (None, "none")
        assert [anomaly.event_id for anomaly in lenient.anomalies] == [events[-1].id]


class TestProtectingPowersAndConsularRelations:
    def test_severance_keeps_consular_relations_and_posts_and_restoration_ends_protection(self):
        """A diplomatic break keeps consular relations and consulates (VCCR Art. 2(3)); a protecting power needs
        the break; restoring relations ends it; an interests section stays throughout."""
        events = [
            *BASE,
            make("post_opened", "1950", post="embassy", city="La Paz"),
            make("post_opened", "1950", post="consulate", city="Cochabamba"),
            make("relations_severed", "1960"),
            make("protecting_power_started", "1960", protector="CHE"),
            make("post_opened", "1961", post="interests_section", city="La Paz"),
        ]
        world = fold(events)
        pair = world.pair("USA", "BOL")
        assert (pair.relations, pair.consular) == ("severed", "established")
        assert {(p.kind, p.city) for p in side(world).posts} == {
            ("consulate", "Cochabamba"),
            ("interests_section", "La Paz"),
        }
        assert side(world).protecting_power == "CHE"
        restored = fold([*events, make("relations_reestablished", "1970")])
        assert side(restored).protecting_power is None
        with pytest.raises(TransitionError, match="diplomatic relations are established"):
            fold([*BASE, make("protecting_power_started", "1960", protector="CHE")])

    def test_consular_relations_first_then_diplomatic_ones(self):
        """Consular relations restored first (a break by war), diplomatic ones after: both established."""
        events = [
            *BASE,
            make("consular_relations_severed", "1982"),
            make("relations_severed", "1982"),
            make("consular_relations_reestablished", "1989-10"),
            make("relations_reestablished", "1990-02-15"),
        ]
        pair = fold(events).pair("USA", "BOL")
        assert (pair.relations, pair.consular, str(pair.consular_since)) == ("established", "established", "1989-10")
        assert [a.rule for a in check_transitions([*BASE, make("consular_relations_established", "1901")])] == [
            "consular relations between BOL and USA are already established"
        ]


class TestMissionStaff:
    def test_staff_expulsions_status_caps_and_refused_nominees_leave_the_head_of_mission(self):
        """Expelled staff join the persona non grata list; an ordered departure and a suspension change the
        mission's status; a refused nominee never heads the mission; accrediting the nominee clears it."""
        events = [
            *BASE,
            make("envoy_accredited", "1950", rank="ambassador", envoy="Old Hand"),
            make("staff_expelled", "2013", actor="BOL", target="USA", count=2, persons=["Ann", "Bob"]),
            make("ordered_departure", "2019-01-24", staff="non-emergency staff"),
            make("operations_suspended", "2019-03-14", post="embassy", city="La Paz"),
            make("staff_capped", "2015", actor="BOL", target="USA", cap=17),
            make("nomination", "2010-06-24", nominee="Larry", rank="ambassador"),
            make(
                "nomination_refused", "2010-12-20", actor="BOL", target="USA", nominee="Larry", how="agrement_withdrawn"
            ),
        ]
        world = fold(events)
        usa = side(world)
        assert (usa.level, usa.envoy) == ("ambassador", "Old Hand")
        assert usa.persona_non_grata == {"Ann", "Bob"}
        assert (usa.mission_status, usa.staff_capped, usa.staff_cap) == ("suspended", True, 17)
        assert (usa.nominee, usa.nominee_rank, usa.nominee_status) == ("Larry", "ambassador", "refused")
        withdrawn = side(fold([*events, make("nomination_withdrawn", "2010-12-22", nominee="Larry")]))
        assert withdrawn.nominee is None
        accepted = side(
            fold(
                [
                    *BASE,
                    make("nomination", "2010", nominee="Larry", rank="ambassador"),
                    make("envoy_accredited", "2011", rank="ambassador", envoy="Larry"),
                ]
            )
        )
        assert (accepted.envoy, accepted.nominee) == ("Larry", None)
        with pytest.raises(TransitionError, match="no nominee pending"):
            fold([*BASE, make("nomination_refused", "2010", actor="BOL", target="USA")])
        with pytest.raises(TransitionError, match="already suspended"):
            fold([*BASE, make("operations_suspended", "2019"), make("operations_suspended", "2020")])

    def test_refusing_another_nominee_than_the_pending_one_is_impossible(self):
        """The refusal must name the pending nominee; leniently the pending one is the one refused."""
        events = [
            *BASE,
            make("nomination", "2010", nominee="Larry", rank="ambassador"),
            make("nomination_refused", "2011", actor="BOL", target="USA", nominee="Peter"),
        ]
        with pytest.raises(TransitionError, match="USA's nominee in BOL is Larry, not Peter"):
            fold(events)
        refused = side(fold(events, strict=False))
        assert (refused.nominee, refused.nominee_rank, refused.nominee_status) == ("Larry", "ambassador", "refused")

    def test_a_refusal_with_no_nominee_pending_records_only_the_nominee_it_names(self):
        """Leniently, a refusal no nomination preceded records the nominee it names as refused; one naming nobody
        leaves the side without a nominee (there is no one to call refused)."""
        named = fold(
            [*BASE, make("nomination_refused", "2010", actor="BOL", target="USA", nominee="Peter")], strict=False
        )
        assert (side(named).nominee, side(named).nominee_status) == ("Peter", "refused")
        assert len(named.anomalies) == 1
        unnamed = side(fold([*BASE, make("nomination_refused", "2010", actor="BOL", target="USA")], strict=False))
        assert (unnamed.nominee, unnamed.nominee_rank, unnamed.nominee_status) == (None, None, None)


@pytest.fixture
def scenario(tmp_path):
    events = [
        *BASE,
        make("consular_relations_severed", "1950", id="consular-break"),
        make(
            "sanction_imposed",
            "2015-03-08",
            id="eo-13692",
            programme="EO 13692",
            scope=["targeted", "travel"],
            basis="E.O. 13692",
        ),
        make("designation_added", "2016", id="sst", list_name="state sponsors of terrorism"),
        make("government_recognized", "2019-01-23", id="rival", government="Interim government", rival=True),
        make("relations_severed", "2019-01-23", id="break", actor="BOL", target="USA"),
        make("protecting_power_started", "2019-04", id="swiss", protector="CHE"),
        make("ordered_departure", "2019-01-24", id="departure"),
        make("staff_capped", "2015-02-28", id="cap", actor="BOL", target="USA"),
        make("nomination", "2010-06-24", id="palmer", nominee="Larry Palmer", rank="ambassador"),
        make("statement", "2010-12-20", id="note", actor="BOL", target="USA", statement="protest_note"),
    ]
    path = tmp_path / "issue19.toml"
    write_scenario(scenario_of(log_of(*events), name="issue19"), path)
    return path


def run(capsys, *argv):
    code = legation([str(arg) for arg in argv])
    out = capsys.readouterr().out
    assert code == 0
    return out


class TestCommandLine:
    def test_at_says_each_new_fact_in_text_and_json(self, capsys, scenario):
        """`legation at` shows consular relations, sanctions, designations, the government recognised, the
        protecting power, the mission's status, the staff cap and the nominee, in words and in JSON."""
        text = run(capsys, "at", "2020-01-01", "--scenario", scenario, "--pair", "USA", "BOL")
        for words in (
            "Consular relations: severed since 1950 (year)  [consular-break]",
            "EO 13692 (targeted, travel; E.O. 13692)",
            "state sponsors of terrorism",
            "Interim government (a rival claimant)",
            "interests protected by (flag)",
            "CHE",
            "ordered departure",
            "capped (no figure given)",
            "Larry Palmer as ambassador (pending)",
        ):
            assert words in text
        data = json.loads(
            run(capsys, "at", "2020-01-01", "--scenario", scenario, "--pair", "USA", "BOL", "--format", "json")
        )
        assert data["consular_relations"] == "severed" and data["consular_since"] == "1950"
        assert data["sanctions"]["USA->BOL"] == [
            {"programme": "EO 13692", "scope": ["targeted", "travel"], "basis": ["E.O. 13692"]}
        ]
        assert data["designations"]["USA->BOL"] == [{"list": "state sponsors of terrorism", "entity": None}]
        assert data["government"] == {
            "USA->BOL": {"status": "rival", "name": "Interim government"},
            "BOL->USA": {"status": "unknown", "name": None},
        }
        assert data["protecting_power"]["USA->BOL"] == "CHE"
        assert data["mission_status"]["USA->BOL"] == "ordered_departure"
        assert data["staff_cap"]["USA->BOL"] == {"capped": True, "cap": None}
        assert data["nominee"]["USA->BOL"] == {"name": "Larry Palmer", "rank": "ambassador", "status": "pending"}
        assert data["basis"]["sanctions USA->BOL"] == "eo-13692"

    def test_diff_and_timeline_name_the_new_fields(self, capsys, scenario):
        """`legation diff` lists each new field that changed; `timeline` summarises each new event and its changes."""
        data = json.loads(
            run(capsys, "diff", "1940", "2020", "--scenario", scenario, "--pair", "USA", "BOL", "--format", "json")
        )
        fields = {change["key"] for change in data["changes"]}
        assert {
            "consular_relations",
            "sanctions USA->BOL",
            "designations USA->BOL",
            "government USA->BOL",
            "protecting_power USA->BOL",
            "mission_status USA->BOL",
            "staff_cap USA->BOL",
            "nominee USA->BOL",
        } <= fields
        text = run(capsys, "diff", "2000", "2020", "--scenario", scenario, "--pair", "USA", "BOL")
        assert "protecting_power USA->BOL" in text and "CHE" in text
        timeline = run(capsys, "timeline", "--scenario", scenario, "--pair", "USA", "BOL")
        assert "CHE began protecting USA's interests in BOL" in timeline
        assert "government USA->BOL: unknown → Interim government (a rival claimant)" in timeline
        assert "BOL: protest_note about USA" in timeline

    def test_the_plot_has_a_colour_for_each_new_family(self, capsys, scenario, tmp_path):
        """The timeline plot draws the new events and names their families in its legend."""
        from engine.cli._pictures import FAMILY_COLOURS
        from engine.core._state import SIDE_FIELDS

        assert set(SIDE_FIELDS) | {"relations", "agreed_level", "consular_relations"} <= set(FAMILY_COLOURS)
        out = tmp_path / "t.png"
        data = json.loads(
            run(
                capsys,
                "plot",
                "timeline",
                "--scenario",
                scenario,
                "--pair",
                "USA",
                "BOL",
                "--out",
                out,
                "--format",
                "json",
            )
        )
        assert data["file"] == str(out) and out.stat().st_size > 10_000
