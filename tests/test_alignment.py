import datetime

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scenarios
from engine import UnknownPairError
from engine.analysis.alignment import (
    FORMATS,
    AlignmentIndex,
    AlignmentQueryError,
    Triad,
    export,
    graph_from_scratch,
    read_graph,
    split_events,
    to_node_link_data,
)
from events import DateFormatError, Log

from factories import log_of, make

D = datetime.date


def align(date, actor, target, stance="aligned", id=None):
    return make("alignment", date, actor, target, id=id, stance=stance)


def joined(date, actor, bloc, id=None):
    return make("bloc_joined", date, actor, None, id=id, bloc=bloc)


def left(date, actor, bloc, id=None):
    return make("bloc_left", date, actor, None, id=id, bloc=bloc)


def index(*events, **options):
    return AlignmentIndex(log_of(*events), **options)


def signs(graph):
    return {tuple(sorted((u, v))): data["sign"] for u, v, data in graph.edges(data=True)}


class TestFold:
    def test_alignment_sets_a_signed_edge_with_its_date_and_event(self):
        """An aligned stance makes a +1 edge that began on the event's date and names the event."""
        graph = index(align("2006-01-23", "BOL", "VEN", id="closer")).graph_at("2007")
        assert graph.edges["BOL", "VEN"] == {"sign": 1, "since": "2006-01-23", "events": "closer"}

    def test_confirmation_keeps_the_start_and_adds_the_event(self):
        """The other side taking the same stance keeps `since` and adds its id to the edge's events."""
        graph = index(align("2006", "BOL", "VEN", id="a"), align("2007-05", "VEN", "BOL", id="b")).graph_at("2008")
        assert graph.edges["BOL", "VEN"]["since"] == "2006"
        assert split_events(graph.edges["BOL", "VEN"]["events"]) == ("a", "b")

    def test_most_recent_stance_of_either_side_sets_the_edge(self):
        """C turning hostile toward A after A aligned with C makes the edge hostile from C's date."""
        graph = index(
            align("2006", "BOL", "VEN", id="a"), align("2009-03-01", "VEN", "BOL", "hostile", id="b")
        ).graph_at("2010")
        assert graph.edges["BOL", "VEN"] == {"sign": -1, "since": "2009-03-01", "events": "b"}

    def test_neutral_removes_the_edge_and_keeps_the_nodes(self):
        """A neutral stance removes the edge; both actors stay in the graph."""
        graph = index(align("2006", "BOL", "VEN"), align("2008", "VEN", "BOL", "neutral")).graph_at("2009")
        assert set(graph.nodes) == {"BOL", "VEN"}
        assert graph.number_of_edges() == 0

    def test_nodes_carry_kind_and_name(self):
        """Actors are named from the actor table; a bloc the table lacks is named by its code."""
        graph = index(joined("2006-04-29", "BOL", "ALBA")).graph_at("2007")
        assert graph.nodes["BOL"] == {"kind": "actor", "name": "Bolivia"}
        assert graph.nodes["ALBA"] == {"kind": "bloc", "name": "ALBA"}

    def test_joining_and_leaving_a_bloc(self):
        """Joining a bloc is an aligned edge to the bloc node; leaving removes it."""
        ix = index(joined("2009-06-24", "ECU", "ALBA"), left("2018-08-23", "ECU", "ALBA"))
        assert signs(ix.graph_at("2010")) == {("ALBA", "ECU"): 1}
        assert signs(ix.graph_at("2019")) == {}

    def test_events_count_from_their_first_possible_day(self):
        """An event dated to a month is in the graph from the first day of that month."""
        ix = index(align("2008-09", "BOL", "VEN"))
        assert ix.graph_at(D(2008, 8, 31)).number_of_edges() == 0
        assert ix.graph_at(D(2008, 9, 1)).number_of_edges() == 1

    def test_a_year_asked_is_answered_at_its_end(self):
        """Asking about `2010` answers for 2010-12-31 and says so in the graph's `at`."""
        ix = index(align("2010-12-31", "BOL", "VEN"))
        graph = ix.graph_at("2010")
        assert graph.graph["at"] == "2010-12-31"
        assert graph.number_of_edges() == 1

    def test_dissolution_removes_the_state_and_its_edges(self):
        """A state that dissolves leaves the graph with its edges; others stay."""
        ix = index(
            align("1836", "PER", "BOL"),
            align("1837", "CHL", "PER", "hostile"),
            make("state_dissolved", "1839", "PER", None),
        )
        graph = ix.graph_at("1840")
        assert set(graph.nodes) == {"BOL", "CHL"}
        assert graph.number_of_edges() == 0


class TestImpliedStances:
    @pytest.mark.parametrize(
        "event",
        [
            make("relations_severed", "2008-09-11", "BOL", "USA"),
            make("envoy_expelled", "2008-09-11", "BOL", "USA"),
            make("agency_expelled", "2008-09-11", "BOL", "USA", agency="DEA"),
        ],
    )
    def test_severance_and_expulsions_make_the_pair_hostile(self, event):
        """A severance, an envoy's or an agency's expulsion makes the pair hostile from its date."""
        graph = index(event).graph_at("2009")
        assert graph.edges["BOL", "USA"] == {"sign": -1, "since": "2008-09-11", "events": event.id}

    def test_reestablishment_ends_hostility_without_making_allies(self):
        """A reestablishment removes a hostile edge: the pair is neutral, not aligned."""
        ix = index(
            make("envoy_expelled", "2008", "BOL", "USA"), make("relations_reestablished", "2025-11", "BOL", "USA")
        )
        assert signs(ix.graph_at("2024")) == {("BOL", "USA"): -1}
        assert signs(ix.graph_at("2026")) == {}

    @pytest.mark.parametrize(
        "normalising",
        [
            make("envoy_accredited", "2012", "USA", "ARG", rank="ambassador", envoy="A New Ambassador"),
            make("envoy_accredited", "2012", "ARG", "USA", rank="minister", envoy="A New Minister"),
            make("envoy_exchange_agreed", "2012", "ARG", "USA", rank="ambassador"),
            make("agency_started", "2012", "USA", "ARG", agency="DEA"),
        ],
    )
    def test_a_derived_hostility_ends_when_the_pair_is_normalised(self, normalising):
        """An expulsion's hostility ends with a new head of mission, an agreement to exchange envoys, or an agency
        admitted again: after an expulsion and a later ambassador the pair is not hostile for decades."""
        ix = index(make("envoy_expelled", "2010-03", "ARG", "USA"), normalising)
        assert signs(ix.graph_at("2011")) == {("ARG", "USA"): -1}
        assert signs(ix.graph_at("2013")) == {}
        assert signs(ix.graph_at("2040")) == {}

    def test_a_charge_d_affaires_does_not_end_a_derived_hostility(self):
        """A chargé d'affaires is what an expulsion leaves in place: accrediting one normalises nothing."""
        ix = index(
            make("envoy_expelled", "2010-03", "ARG", "USA"),
            make("envoy_accredited", "2010-06", "USA", "ARG", rank="charge"),
        )
        assert signs(ix.graph_at("2011")) == {("ARG", "USA"): -1}

    def test_a_stated_hostility_is_not_ended_by_an_ambassador(self):
        """A hostile stance an `alignment` event states lasts until an event states otherwise, even if an
        expulsion later confirms it and an ambassador follows."""
        ix = index(
            align("2009", "ARG", "USA", "hostile"),
            make("envoy_expelled", "2010-03", "ARG", "USA"),
            make("envoy_accredited", "2012", "USA", "ARG", rank="ambassador"),
        )
        assert signs(ix.graph_at("2013")) == {("ARG", "USA"): -1}
        assert ix.graph_at("2013").edges["ARG", "USA"]["since"] == "2009"

    def test_reestablishment_leaves_an_aligned_edge(self):
        """A reestablishment between aligned actors changes nothing."""
        ix = index(align("2000", "BOL", "USA"), make("relations_reestablished", "2001", "BOL", "USA"))
        assert signs(ix.graph_at("2002")) == {("BOL", "USA"): 1}

    @pytest.mark.parametrize(
        "event",
        [
            make("relations_established", "1848", "USA", "BOL"),
            make("envoy_recalled", "1848", "USA", "BOL"),
            make("aid_suspended", "1848", "USA", "BOL"),
            make("persona_non_grata", "1848", "USA", "BOL", person="an attaché"),
            make("agency_expelled", "1848", "BOL", "USA", agency="USAID", region="Chapare"),
        ],
    )
    def test_other_bilateral_events_imply_nothing(self, event):
        """Establishment, recall, aid, persona non grata and a regional agency ban add nothing to the graph."""
        assert index(event).graph_at("1900").number_of_nodes() == 0

    def test_implied_stances_can_be_turned_off(self):
        """With implied=False only alignment and bloc events shape the graph."""
        ix = index(make("envoy_expelled", "2008", "BOL", "USA"), implied=False)
        assert ix.graph_at("2009").number_of_nodes() == 0


class TestGraphAt:
    def test_the_graph_is_the_callers_to_change(self):
        """Changing a returned graph changes neither the index nor the next answer."""
        ix = index(align("2006", "BOL", "VEN"))
        first = ix.graph_at("2007")
        first.remove_node("BOL")
        first.add_edge("CUB", "VEN", sign=1)
        assert signs(ix.graph_at("2007")) == {("BOL", "VEN"): 1}

    def test_before_the_first_event_the_graph_is_empty(self):
        """A date before every event gives an empty graph."""
        assert index(align("2006", "BOL", "VEN")).graph_at("1999").number_of_nodes() == 0

    def test_dates_out_of_order_give_the_same_graphs(self):
        """Asking dates backward, forward and at random gives the graph each date has."""
        events = [
            align(f"{2000 + i}", "BOL", code, "aligned" if i % 2 else "hostile")
            for i, code in enumerate(["ARG", "BRA", "CHL", "PER", "VEN", "CUB"])
        ]
        ix = index(*events, snapshot_every=2)
        expected = {
            year: signs(graph_from_scratch(e for e in events if int(str(e.date)) <= year)) for year in range(1999, 2007)
        }
        for year in [2006, 2001, 2003, 1999, 2005, 2005, 2002, 2004, 2000]:
            assert signs(ix.graph_at(str(year))) == expected[year]

    def test_a_bad_date_is_an_error(self):
        """Text that is not an EDTF date raises DateFormatError."""
        with pytest.raises(DateFormatError):
            index(align("2006", "BOL", "VEN")).graph_at("June 2006")


class TestNeighbours:
    LOG = (
        align("2006-01", "BOL", "VEN", id="ven"),
        align("2006-05", "BOL", "CUB", id="cub"),
        make("envoy_expelled", "2008-09-10", "BOL", "USA", id="goldberg"),
        align("2009", "BOL", "IRN", id="irn"),
        align("2020-01", "BOL", "VEN", "hostile", id="ven-breaks"),
        align("2020-02", "BOL", "CUB", "neutral", id="cub-cools"),
    )

    def test_allies_and_adversaries(self):
        """Allies are the +1 neighbours and adversaries the -1 neighbours, sorted."""
        ix = index(*self.LOG)
        assert ix.allies("BOL", "2010") == ("CUB", "IRN", "VEN")
        assert ix.adversaries("BOL", "2010") == ("USA",)
        assert ix.adversaries("BOL", "2021") == ("USA", "VEN")

    def test_neighbourhood_change_lists_differing_signs_with_their_events(self):
        """Between two dates, each neighbour whose sign differs is listed with the events that changed it."""
        changes = index(*self.LOG).neighbourhood_change("BOL", "2007", "2021")
        assert [(c.other, c.sign_before, c.sign_after, c.event_ids) for c in changes] == [
            ("CUB", 1, 0, ("cub-cools",)),
            ("IRN", 0, 1, ("irn",)),
            ("USA", 0, -1, ("goldberg",)),
            ("VEN", 1, -1, ("ven-breaks",)),
        ]

    def test_neighbourhood_change_ignores_a_restored_sign(self):
        """An edge broken and restored with the same sign between the dates is not a change."""
        ix = index(align("2000", "BOL", "VEN"), align("2001", "BOL", "VEN", "neutral"), align("2002", "VEN", "BOL"))
        assert ix.neighbourhood_change("BOL", "2000", "2003") == []

    def test_an_unknown_actor_is_an_error(self):
        """An actor code that is neither in the actor table nor a bloc of the log is refused."""
        with pytest.raises(UnknownPairError, match="XYZ"):
            index(*self.LOG).allies("XYZ", "2010")


class TestBlocs:
    def test_blocs_merge_and_split(self):
        """Two groups merge when an aligned edge joins them and split when it goes."""
        ix = index(
            align("2000", "BOL", "VEN"),
            align("2000", "ARG", "BRA"),
            align("2001", "VEN", "BRA"),
            align("2002", "BRA", "VEN", "hostile"),
        )
        assert ix.blocs("2000") == [("ARG", "BRA"), ("BOL", "VEN")]
        assert ix.blocs("2001") == [("ARG", "BOL", "BRA", "VEN")]
        assert ix.blocs("2002") == [("ARG", "BRA"), ("BOL", "VEN")]

    def test_a_bloc_node_joins_its_members(self):
        """Members of a bloc are one group through the bloc node, until they leave."""
        ix = index(
            joined("2004-12-14", "VEN", "ALBA"), joined("2006-04-29", "BOL", "ALBA"), left("2019-11-15", "BOL", "ALBA")
        )
        assert ix.blocs("2007") == [("ALBA", "BOL", "VEN")]
        assert ix.blocs("2020") == [("ALBA", "VEN")]

    def test_hostile_edges_do_not_join(self):
        """Hostile neighbours are in no common group; actors without allies are left out."""
        assert index(align("2000", "BOL", "USA", "hostile")).blocs("2001") == []
        assert index(align("2000", "BOL", "USA", "hostile")).blocs("2001", min_size=1) == [("BOL",), ("USA",)]


class TestBalance:
    def test_balanced_and_unbalanced_triads(self):
        """+++ and +-- triads are balanced; ++- and --- are not."""
        ix = index(
            # +-- : friend of BOL and enemy of USA, balanced with BOL hostile to USA.
            make("envoy_expelled", "2008", "BOL", "USA"),
            align("2006", "BOL", "VEN"),
            align("2006", "VEN", "USA", "hostile"),
            # ++- : CUB aligned with both BOL and USA while they are hostile: unbalanced.
            align("2007", "CUB", "BOL"),
            align("2007", "CUB", "USA"),
        )
        balance = ix.balance("2009")
        assert (balance.triads, balance.balanced, balance.unbalanced, balance.share) == (2, 1, 1, 0.5)
        assert ix.unbalanced_triads("BOL", "USA", "2009") == [Triad(("BOL", "USA", "CUB"), (-1, 1, 1))]
        assert [t.nodes[2] for t in ix.triads("BOL", "USA", "2009")] == ["CUB", "VEN"]

    def test_three_enemies_are_unbalanced(self):
        """A --- triad is unbalanced."""
        ix = index(
            align("2000", "ARG", "BRA", "hostile"),
            align("2000", "BRA", "CHL", "hostile"),
            align("2000", "ARG", "CHL", "hostile"),
        )
        assert ix.balance("2001").share == 0.0

    def test_no_triads_no_share(self):
        """Without triads the share is None, and a pair without an edge has no triads."""
        ix = index(align("2000", "BOL", "VEN"), align("2000", "BOL", "CUB"))
        assert ix.balance("2001").share is None
        assert ix.triads("VEN", "CUB", "2001") == []


class TestAgreement:
    LOG = (
        align("2000", "BOL", "VEN"),
        align("2000", "USA", "VEN", "hostile"),
        align("2001", "BOL", "CUB"),
        align("2001", "USA", "CUB"),
        align("2002", "USA", "VEN"),
        align("2003", "BOL", "CUB", "hostile"),
        align("2003", "BOL", "VEN", "neutral"),
    )

    def test_agreement_rises_and_falls(self):
        """The agreeing share follows the stances both actors take on shared third parties."""
        series = index(*self.LOG).agreement_series("BOL", "USA", ["1999", "2000", "2001", "2002", "2003"])
        assert [a.share for a in series] == [None, 0.0, 0.5, 1.0, 0.0]
        assert series[3].agreeing == ("CUB", "VEN")
        assert series[4].disagreeing == ("CUB",)
        assert series[4].third_parties == ("CUB",)

    def test_a_pair_needs_two_actors(self):
        """Asking how far an actor agrees with itself is refused."""
        with pytest.raises(UnknownPairError, match="two different actors"):
            index(align("2000", "BOL", "USA")).agreement("BOL", "BOL", "2001")

    def test_the_pair_itself_is_no_third_party(self):
        """A's stance on B and B's on A are not counted as agreement about a third."""
        assert index(align("2000", "BOL", "USA")).agreement("BOL", "USA", "2001").third_parties == ()


class TestExport:
    def test_node_link_edges_carry_the_sign(self):
        """Node-link data lists each edge with its sign, since and events."""
        data = to_node_link_data(index(align("2006", "BOL", "VEN", id="a")).graph_at("2007"))
        assert data["edges"] == [{"source": "BOL", "target": "VEN", "sign": 1, "since": "2006", "events": "a"}]

    def test_exports_are_stable(self):
        """The same graph reached by different paths exports to the same text."""
        events = [align("2000", "BOL", "VEN"), align("2001", "ARG", "BRA"), align("2002", "BOL", "ARG", "hostile")]
        ix = index(*events, snapshot_every=1)
        ix.graph_at("1999")
        forward = export(ix.graph_at("2003"), "graphml")
        assert forward == export(graph_from_scratch(events, at=D(2003, 12, 31)), "graphml")

    def test_an_unknown_format_is_an_error(self):
        """An unknown format name raises AlignmentQueryError naming the formats."""
        with pytest.raises(AlignmentQueryError, match="graphml"):
            export(nx.Graph(), "dot")


# --- Properties ---------------------------------------------------------------------------------

ACTORS = ["BOL", "USA", "VEN", "CUB", "RUS", "CHN"]
BLOCS = ["ALBA", "XBL"]


@st.composite
def dates(draw):
    year = draw(st.integers(2000, 2002))
    month = draw(st.integers(1, 12))
    form = draw(st.sampled_from(["day", "day", "day", "month", "year"]))
    if form == "year":
        return str(year)
    if form == "month":
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{draw(st.integers(1, 28)):02d}"


@st.composite
def graph_events(draw):
    kind = draw(
        st.sampled_from(
            ["alignment"] * 6
            + ["bloc_joined", "bloc_left", "relations_severed", "envoy_expelled", "agency_expelled"]
            + ["relations_reestablished", "state_dissolved", "statement"]
        )
    )
    actor, target = draw(st.lists(st.sampled_from(ACTORS), min_size=2, max_size=2, unique=True))
    date = draw(dates())
    if kind == "alignment":
        return ("alignment", date, actor, target, {"stance": draw(st.sampled_from(["aligned", "neutral", "hostile"]))})
    if kind in ("bloc_joined", "bloc_left"):
        return (kind, date, actor, None, {"bloc": draw(st.sampled_from(BLOCS))})
    if kind == "state_dissolved":
        return (kind, date, actor, None, {})
    if kind == "agency_expelled":
        return (kind, date, actor, target, {"agency": "DEA"})
    return (kind, date, actor, target, {})


@st.composite
def logs(draw, max_size=30):
    specs = draw(st.lists(graph_events(), max_size=max_size))
    return Log.of(
        make(kind, date, actor, target, id=f"e{i}", **fields)
        for i, (kind, date, actor, target, fields) in enumerate(specs)
    )


def same_graph(left, right):
    return nx.utils.graphs_equal(left, right)


class TestProperties:
    @settings(deadline=None)
    @given(logs(), st.booleans())
    def test_every_prefix_equals_the_graph_built_from_scratch(self, log, implied):
        """graph_at after any prefix of the log equals the graph folded from scratch from that prefix."""
        for cut in range(len(log) + 1):
            prefix = log.events[:cut]
            day = prefix[-1].date.latest if prefix else D(1999, 1, 1)
            # Later events of the full log that start by `day` would count too: compare with the prefix's log.
            got = AlignmentIndex(Log.of(prefix), implied=implied).graph_at(day)
            assert same_graph(got, graph_from_scratch(prefix, implied=implied, at=day))

    @settings(deadline=None)
    @given(logs(), st.lists(dates(), min_size=1, max_size=12), st.integers(1, 5))
    def test_any_order_of_dates_matches_from_scratch(self, log, asked, spacing):
        """Dates asked in any order, through cursor moves and snapshots, give the graph folded up to each day."""
        ix = AlignmentIndex(log, snapshot_every=spacing)
        for text in asked:
            day, got = D.fromisoformat(ix.graph_at(text).graph["at"]), ix.graph_at(text)
            prefix = [event for event in log if event.date.earliest <= day]
            assert same_graph(got, graph_from_scratch(prefix, at=day))

    @settings(deadline=None, max_examples=50)
    @given(logs(), dates(), st.sampled_from(FORMATS))
    def test_exports_load_back_into_an_equal_graph(self, log, day, format):
        """An exported graph, read back with networkx, has the same nodes, edges and attributes."""
        graph = AlignmentIndex(log).graph_at(day)
        assert same_graph(read_graph(export(graph, format), format), graph)

    @settings(deadline=None)
    @given(logs(), dates(), dates())
    def test_agreement_is_symmetric_in_its_share(self, log, first, second):
        """Agreement of A with B has the same third parties and share as B with A."""
        ix = AlignmentIndex(log)
        for day in (first, second):
            ab, ba = ix.agreement("BOL", "USA", day), ix.agreement("USA", "BOL", day)
            assert (ab.third_parties, ab.share) == (ba.third_parties, ba.share)

    @settings(deadline=None)
    @given(logs(), dates())
    def test_balance_counts_match_networkx_triangles(self, log, day):
        """The number of triads is the number of triangles networkx counts."""
        ix = AlignmentIndex(log)
        graph = ix.graph_at(day)
        assert ix.balance(day).triads == sum(nx.triangles(graph).values()) // 3


@pytest.fixture(scope="module")
def bolivia_usa():
    return AlignmentIndex(scenarios.load("bolivia_usa").log)


class TestBoliviaUnitedStatesHistory:
    """The built-in history's third countries, with the dates its events give (each cited to the article)."""

    def test_third_countries_appear_with_their_dates(self, bolivia_usa):
        """Bolivia's stances in 2014: closer to Venezuela, Cuba, Russia, China (2006), the November 2010
        accusations (Ecuador, Iran; against Honduras), and the four airspace closures of July 2013."""
        found = {code: (edge.sign, str(edge.since)) for code, edge in bolivia_usa.stances("BOL", "2014").items()}
        assert found == {
            "VEN": (1, "2006~"),
            "CUB": (1, "2006~"),
            "RUS": (1, "2006~"),
            "CHN": (1, "2006~"),
            "ECU": (1, "2010-11"),
            "IRN": (1, "2010-11"),
            "HND": (-1, "2010-11"),
            "FRA": (-1, "2013-07"),
            "ESP": (-1, "2013-07"),
            "PRT": (-1, "2013-07"),
            "ITA": (-1, "2013-07"),
            "USA": (-1, "2008-09-10"),
        }

    def test_no_third_country_before_morales(self, bolivia_usa):
        """Before 2006 Bolivia's only stance in the history is toward the United States."""
        assert set(bolivia_usa.stances("BOL", "2005")) == {"USA"}

    def test_the_pairs_triad_with_venezuela_turns(self, bolivia_usa):
        """With Bolivia and the US aligned after November 2019 and the US hostile to Venezuela (2019), the
        triad with Venezuela is unbalanced; after the March 2021 low it is balanced again."""
        assert bolivia_usa.unbalanced_triads("BOL", "USA", "2020") == [Triad(("BOL", "USA", "VEN"), (1, 1, -1))]
        assert bolivia_usa.unbalanced_triads("BOL", "USA", "2022") == []
        assert [a.disagreeing for a in bolivia_usa.agreement_series("BOL", "USA", ["2018", "2020"])] == [(), ("VEN",)]
