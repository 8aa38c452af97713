"""The `legation` command as a user runs it: every subcommand, both formats, every error path."""

import io
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from engine import cli
from engine.cli._render import AT_KEYS, DIRECTED_KEYS
from engine.core._state import AID_STATUSES, CERTIFICATIONS, LEVELS, RELATIONS

# An invented pair (no historical claims): Avalon (XAA) and Brigadoon (XBB).
SMALL = textwrap.dedent(
    """\
    schema_version = 1

    [scenario]
    name = "avalon"
    title = "Avalon and Brigadoon (invented)"
    pair = ["XAA", "XBB"]

    [[actors]]
    code = "XAA"
    name = "Avalon"

    [[actors]]
    code = "XBB"
    name = "Brigadoon"

    [[events]]
    kind = "recognition"
    id = "xaa-recognizes-xbb"
    date = "1900"
    actor = "XAA"
    target = "XBB"
    sources = ["invented"]

    [[events]]
    kind = "relations_established"
    id = "relations-1901"
    date = "1901-03-04"
    actor = "XAA"
    target = "XBB"
    sources = ["invented"]

    [[events]]
    kind = "envoy_accredited"
    id = "first-ambassador"
    date = "1901-06"
    actor = "XAA"
    target = "XBB"
    rank = "ambassador"
    envoy = "A. Envoy"
    sources = ["invented"]

    [[events]]
    kind = "agency_started"
    id = "aidco-starts"
    date = "1950"
    actor = "XAA"
    target = "XBB"
    agency = "AIDCO"
    sources = ["invented"]

    [[events]]
    kind = "aid_started"
    id = "aid-starts"
    date = "1950-02-01"
    actor = "XAA"
    target = "XBB"
    sources = ["invented"]

    [[events]]
    kind = "government_changed"
    id = "xbb-new-leader"
    date = "1960-01-01"
    actor = "XBB"
    leader = "B. Leader"
    how = "election"
    sources = ["invented"]

    [[events]]
    kind = "statement"
    id = "xbb-complains"
    date = "1960-05-01"
    actor = "XBB"
    target = "XAA"
    statement = "criticism"
    sources = ["invented"]

    [[events]]
    kind = "envoy_expelled"
    id = "ambassador-expelled"
    date = "1960-09"
    actor = "XBB"
    target = "XAA"
    envoy = "A. Envoy"
    caused_by = ["xbb-complains"]
    sources = ["invented"]

    [[events]]
    kind = "agency_expelled"
    id = "aidco-expelled"
    date = "1960-11-01"
    actor = "XBB"
    target = "XAA"
    agency = "AIDCO"
    caused_by = ["ambassador-expelled"]
    sources = ["invented"]

    [[events]]
    kind = "aid_suspended"
    id = "aid-suspended"
    date = "1960-11-15"
    actor = "XAA"
    target = "XBB"
    sources = ["invented"]

    [[events]]
    kind = "certification"
    id = "xbb-decertified"
    date = "1960-12-01"
    actor = "XAA"
    target = "XBB"
    decision = "decertified"
    sources = ["invented"]

    [[events]]
    kind = "visa_policy"
    id = "xbb-visas"
    date = "1961-01-01"
    actor = "XBB"
    target = "XAA"
    required = true
    sources = ["invented"]

    [[events]]
    kind = "relations_severed"
    id = "relations-severed"
    date = "1961-02-02"
    actor = "XAA"
    target = "XBB"
    sources = ["invented"]

    [[events]]
    kind = "relations_reestablished"
    id = "relations-restored"
    date = "1970-07-07"
    actor = "XAA"
    target = "XBB"
    sources = ["invented"]
    """
)
# Stances toward a third invented state, Camelot, for the alignment picture.
ALIGNMENTS = textwrap.dedent(
    """
    [[actors]]
    code = "XCC"
    name = "Camelot"

    [[events]]
    kind = "alignment"
    id = "xbb-aligns-with-xcc"
    date = "1962"
    actor = "XBB"
    target = "XCC"
    stance = "aligned"
    sources = ["invented"]

    [[events]]
    kind = "alignment"
    id = "xaa-hostile-to-xcc"
    date = "1963"
    actor = "XAA"
    target = "XCC"
    stance = "hostile"
    sources = ["invented"]
    """
)
# Line 2 (an unknown kind) and line 3 (a bad date) are both wrong, and so is an actor code.
BROKEN = textwrap.dedent(
    """\
    schema_version = 1

    [[events]]
    kind = "no_such_kind"
    id = "first"
    date = "1900"
    actor = "USA"
    target = "BOL"
    sources = ["x"]

    [[events]]
    kind = "recognition"
    id = "second"
    date = "1900-13"
    actor = "USA"
    target = "BOL"
    sources = ["x"]
    """
)
# Reads cleanly but expels an envoy who was never accredited: an impossible transition.
IMPOSSIBLE = textwrap.dedent(
    """\
    schema_version = 1

    [scenario]
    pair = ["BOL", "USA"]

    [[events]]
    kind = "envoy_expelled"
    id = "nobody-to-expel"
    date = "1900"
    actor = "BOL"
    target = "USA"
    sources = ["x"]
    """
)


COUNTERFACTUAL_HEADER = textwrap.dedent(
    """\
    schema_version = 1

    [counterfactual]
    base = "small.toml"
    question = "What if? (invented)"
    cascade = "drop"

    """
)
BAD_EDITS = textwrap.dedent(
    """\
    [[edits]]
    op = "remove"
    id = "no-such-event"
    rationale = "names nothing"

    [[edits]]
    op = "remove"
    id = "xbb-complains"
    rationale = "fits"

    [[edits]]
    op = "move"
    id = "never-happened"
    date = "1999"
    rationale = "names nothing either"
    """
)
REMOVE_RELATIONS = textwrap.dedent(
    """\
    [[edits]]
    op = "remove"
    id = "relations-1901"
    rationale = "relations never established"
    """
)


@pytest.fixture
def small(tmp_path):
    path = tmp_path / "small.toml"
    path.write_text(SMALL, encoding="utf-8")
    return str(path)


def run(capsys, *argv):
    """Run the command in-process; returns (exit status, stdout, stderr)."""
    code = cli.main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_json(capsys, *argv):
    code, out, err = run(capsys, *argv, "--format", "json")
    assert code == 0, err
    return json.loads(out)


class TestHelp:
    @pytest.mark.parametrize("command", [command.name for command in cli.COMMANDS])
    def test_every_subcommand_help_shows_an_example(self, capsys, command):
        """`legation NAME --help` exits 0 and shows a usage line and an example command."""
        code, out, _ = run(capsys, command, "--help")
        assert code == 0
        assert f"usage: legation {command}" in out
        assert re.search(rf"Examples?:\s+legation {command}", out)

    def test_every_subcommand_shares_the_common_options(self, capsys):
        """Every subcommand that reads a history takes --scenario (or --store), --pair, --format and --lenient;
        validate takes --format (the store's own commands, which act on a store, have options of their own)."""
        for command in cli.COMMANDS:
            # dataset writes a whole history as files; the store's own commands act on a store
            if command.name in ("dataset", "store", "record", "log", "verify"):
                continue
            _, out, _ = run(capsys, command.name, "--help")
            if command.name == "plot":
                _, out, _ = run(capsys, "plot", "timeline", "--help")
            wanted = ["--format", "--lenient"]
            if command.name not in ("validate", "import"):  # import reads a data file, not a scenario
                wanted += ["--scenario", "--store", "--as-recorded", "--pair"]
            for option in wanted:
                assert option in out, (command.name, option)

    def test_no_command_is_one_line_and_exit_2(self, capsys):
        """`legation` alone names the commands on one line of stderr and exits 2."""
        code, out, err = run(capsys)
        assert code == 2
        assert out == ""
        assert err.count("\n") == 1 and "expected a command: at, timeline" in err


class TestAt:
    def test_text_names_relations_envoys_and_cites_events(self, capsys, small):
        """The text answer says relations, each head of mission and cites the event behind each value."""
        code, out, _ = run(capsys, "at", "1955-06-01", "--scenario", small)
        assert code == 0
        assert "Avalon and Brigadoon on 1955-06-01" in out
        assert "Diplomatic relations: established since 1901-03-04  [relations-1901]" in out
        assert "ambassador: A. Envoy [first-ambassador]" in out
        assert "AIDCO [aidco-starts]" in out

    def test_text_marks_an_uncertain_field_and_the_precision_of_the_date_asked(self, capsys, small):
        """Asked about a month in which an event of month precision fell, the changed field is marked ?."""
        _, out, _ = run(capsys, "at", "1960-09", "--scenario", small)
        assert "asked: 1960-09 (month)" in out
        assert "chargé d'affaires ? [ambassador-expelled]" in out
        assert "representation XAA->XBB: ambassador-expelled" in out

    def test_json_has_the_documented_keys_and_value_sets(self, capsys, small):
        """The JSON of `at` has exactly the documented keys; per-direction keys map both "A->B" directions."""
        data = run_json(capsys, "at", "1960-12-31", "--scenario", small)
        assert tuple(data) == AT_KEYS
        required = {"date", "pair", "relations", "recognition", "representation", "posts", "agencies", "aid"}
        assert required | {"certification", "visa_required", "uncertain"} <= set(data)
        assert data["date"] == "1960-12-31"
        assert data["pair"] == ["XAA", "XBB"]
        assert data["relations"] in RELATIONS
        for key in DIRECTED_KEYS:
            assert set(data[key]) == {"XAA->XBB", "XBB->XAA"}, key
        for direction in ("XAA->XBB", "XBB->XAA"):
            representation = data["representation"][direction]
            assert representation["level"] in LEVELS
            assert representation["envoy"] is None or isinstance(representation["envoy"], str)
            assert data["aid"][direction] in AID_STATUSES
            assert data["certification"][direction] in CERTIFICATIONS
            assert data["visa_required"][direction] in (True, False, None)
            assert isinstance(data["recognition"][direction], bool)
        assert data["representation"]["XAA->XBB"] == {"level": "charge", "envoy": None, "cow": 1}
        assert data["aid"]["XAA->XBB"] == "suspended"
        assert data["certification"]["XAA->XBB"] == "decertified"
        assert data["agencies"]["XAA->XBB"] == []
        assert data["uncertain"] == {}

    def test_visa_direction_is_the_nationals_who_need_one(self, capsys, small):
        """After XBB requires visas of XAA's nationals, visa_required["XAA->XBB"] is true."""
        data = run_json(capsys, "at", "1961-06-01", "--scenario", small)
        assert data["visa_required"] == {"XAA->XBB": True, "XBB->XAA": None}

    def test_pair_given_in_either_order_answers_in_that_order(self, capsys, small):
        """`--pair XBB XAA` lists XBB first and keeps each direction's values."""
        data = run_json(capsys, "at", "1955", "--scenario", small, "--pair", "xbb", "xaa")
        assert data["pair"] == ["XBB", "XAA"]
        assert data["representation"]["XAA->XBB"]["level"] == "ambassador"

    def test_uncertain_lists_event_ids_in_json(self, capsys, small):
        """A field changed by an event whose month includes the day asked is listed with that event's id."""
        data = run_json(capsys, "at", "1960-09-10", "--scenario", small)
        assert data["uncertain"]["representation XAA->XBB"] == ["ambassador-expelled"]

    def test_lenient_answers_despite_an_impossible_transition(self, capsys, tmp_path):
        """With --lenient an impossible event is recorded and the answer is given, noting the anomaly."""
        path = tmp_path / "impossible.toml"
        path.write_text(IMPOSSIBLE)
        code, _, err = run(capsys, "at", "1901", "--scenario", path)
        assert code == 2 and "nobody-to-expel" in err
        code, out, _ = run(capsys, "at", "1901", "--scenario", path, "--lenient")
        assert code == 0
        assert "1 anomalies recorded (lenient mode)" in out


class TestTimeline:
    def test_lists_pair_and_own_events_marking_those_that_change_nothing(self, capsys, small):
        """The timeline has every pair event and each actor's own events; a statement is marked ·."""
        code, out, _ = run(capsys, "timeline", "--scenario", small)
        assert code == 0
        assert "Avalon and Brigadoon: 14 events (1 marked · change no state)" in out
        assert "leader XBB: none → B. Leader" in out
        statement = next(line for line in out.splitlines() if "xbb-complains" in line)
        assert statement.startswith("·")
        assert "1901-06 (month)" in out
        assert "caused by: xbb-complains" in out
        assert "representation XAA->XBB: ambassador: A. Envoy → chargé d'affaires" in out

    def test_filters_by_dates_kinds_and_changes(self, capsys, small):
        """--from, --to, --kind (repeatable) and --changes-only each narrow the events listed."""
        data = run_json(capsys, "timeline", "--scenario", small, "--from", "1960", "--to", "1960-10")
        assert [event["id"] for event in data["events"]] == ["xbb-new-leader", "xbb-complains", "ambassador-expelled"]
        data = run_json(
            capsys, "timeline", "--scenario", small, "--kind", "envoy_expelled", "--kind", "agency_expelled"
        )
        assert [event["id"] for event in data["events"]] == ["ambassador-expelled", "aidco-expelled"]
        data = run_json(capsys, "timeline", "--scenario", small, "--changes-only")
        assert "xbb-complains" not in [event["id"] for event in data["events"]]
        assert data["count"] == 13

    def test_json_shape(self, capsys, small):
        """Each timeline event carries its date and precision, kind, changes with before/after, and causes."""
        data = run_json(capsys, "timeline", "--scenario", small, "--kind", "envoy_expelled")
        assert data["pair"] == ["XAA", "XBB"]
        (event,) = data["events"]
        assert event["date"] == "1960-09" and event["precision"] == "month"
        assert event["earliest"] == "1960-09-01" and event["latest"] == "1960-09-30"
        assert event["kind"] == "envoy_expelled" and event["changes_state"] is True
        assert event["caused_by"] == ["xbb-complains"]
        change = event["changes"][0]
        assert change["field"] == "representation" and change["direction"] == "XAA->XBB"
        assert change["before"] == {"level": "ambassador", "envoy": "A. Envoy", "cow": 3}
        assert change["after"]["level"] == "charge"

    def test_no_match_says_so(self, capsys, small):
        """A range with no events says no events match."""
        code, out, _ = run(capsys, "timeline", "--scenario", small, "--from", "1980")
        assert code == 0 and "No events match." in out


class TestDiff:
    def test_text_lists_each_changed_field_with_its_events(self, capsys, small):
        """Between two dates each changed field shows its value on each date and the events between."""
        code, out, _ = run(capsys, "diff", "1955", "1962", "--scenario", small)
        assert code == 0
        assert "changes between 1955-12-31 and 1962-12-31" in out
        line = next(line for line in out.splitlines() if line.startswith("representation XAA->XBB"))
        assert "ambassador: A. Envoy" in line and "ambassador-expelled, relations-severed" in line

    def test_json_and_dates_in_either_order(self, capsys, small):
        """The JSON lists changes with before and after; giving the later date first gives the same answer."""
        forward = run_json(capsys, "diff", "1955", "1962", "--scenario", small)
        backward = run_json(capsys, "diff", "1962", "1955", "--scenario", small)
        assert forward == backward
        relations = next(change for change in forward["changes"] if change["key"] == "relations")
        assert (relations["before"], relations["after"]) == ("established", "severed")
        assert forward["from"]["day"] == "1955-12-31" and forward["to"]["day"] == "1962-12-31"

    def test_nothing_changed(self, capsys, small):
        """Two dates with no event between them say nothing changed."""
        _, out, _ = run(capsys, "diff", "1930", "1940", "--scenario", small)
        assert "Nothing changed." in out


class TestWhen:
    def test_first_date_and_periods(self, capsys, small):
        """`when` gives the first period a condition held and every period, citing the events."""
        code, out, _ = run(capsys, "when", "no ambassador of XAA in XBB", "--scenario", small)
        assert code == 0
        assert "Held from the start of the history; 2 periods; holds at the end of the history." in out
        assert "1960-09 (month)" in out and "ambassador-expelled" in out

    def test_json(self, capsys, small):
        """The JSON gives the first period, every period and whether it holds at the end."""
        data = run_json(capsys, "when", "relations severed or AIDCO of XAA in XBB", "--scenario", small)
        assert data["first"] == {
            "start": "1950",
            "start_event": "aidco-starts",
            "end": "1960-11-01",
            "end_event": "aidco-expelled",
        }
        assert [period["start_event"] for period in data["periods"]] == ["aidco-starts", "relations-severed"]
        assert data["holds_at_end"] is False

    def test_conditions_of_each_kind(self, capsys, small):
        """Aid, visa, certification and recognition conditions each find their period."""
        cases = {
            "aid XAA->XBB suspended": "aid-suspended",
            "visa required for XAA in XBB": "xbb-visas",
            "XBB decertified by XAA": "xbb-decertified",
            "XAA recognizes XBB": "xaa-recognizes-xbb",
            "relations established and not envoy of XAA in XBB": "relations-1901",
        }
        for condition, first_event in cases.items():
            data = run_json(capsys, "when", condition, "--scenario", small)
            assert data["first"]["start_event"] == first_event, condition

    def test_never(self, capsys, small):
        """A condition that never held says so."""
        _, out, _ = run(capsys, "when", "minister of XBB in XAA", "--scenario", small)
        assert "Never held." in out

    def test_condition_naming_another_pair_is_an_error(self, capsys, small):
        """A condition naming an actor outside --pair is one line and exit 2."""
        code, _, err = run(capsys, "when", "ambassador of USA in BOL", "--scenario", small, "--pair", "XAA", "XBB")
        assert code == 2
        assert "names USA, BOL, but the pair is XAA-XBB" in err


class TestPlot:
    def test_timeline_png_size_and_content(self, capsys, small, tmp_path):
        """The timeline PNG is 1600 px wide, shows the relation bands and the step lines in their colours."""
        import matplotlib.image

        out = tmp_path / "t.png"
        data = run_json(capsys, "plot", "timeline", "--scenario", small, "--out", out)
        assert data["file"] == str(out) and data["format"] == "png"
        pixels = matplotlib.image.imread(out)
        assert pixels.shape[:2] == (data["height_px"], data["width_px"])
        assert data["width_px"] == 1600 and 450 < data["height_px"] < 1400
        assert out.stat().st_size > 30_000

        def share(hex_colour):
            rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
            close = (abs(pixels[:, :, :3] - rgb) < 0.02).all(axis=2)
            return close.mean()

        assert share("#d9f0d3") > 0.05  # relations established
        assert share("#f4c7c3") > 0.005  # relations severed
        assert share("#1f77b4") > 0.001  # the first actor's head of mission

    def test_timeline_svg_keeps_title_and_labels_as_text(self, capsys, small, tmp_path):
        """The SVG timeline holds the title, the legend and every state-changing event's id as text."""
        out = tmp_path / "t.svg"
        code, stdout, _ = run(capsys, "plot", "timeline", "--scenario", small, "--out", out)
        assert code == 0 and stdout.strip() == f"wrote {out}"
        svg = out.read_text()
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg
        assert "Avalon and Brigadoon: diplomatic representation and relations, 1900" in svg
        assert "relations severed" in svg
        for event_id in ("first-ambassador", "ambassador-expelled", "relations-restored"):
            assert event_id in svg
        assert "xbb-complains" not in svg  # a statement changes no state: no marker
        run(capsys, "plot", "timeline", "--scenario", small, "--out", out, "--kind", "envoy_expelled", "--from", "1950")
        svg = out.read_text()
        assert "ambassador-expelled" in svg and "first-ambassador" not in svg and "relations-restored" not in svg
        assert "1 of 9 state-changing events (kinds: envoy_expelled), labelled" in svg

    def test_labels_never_overlap_on_a_crowded_history(self, tmp_path):
        """On a history with fifty events crowded into a few years, no two event labels overlap."""
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        from engine import History
        from engine.cli import _pictures as plot
        from events import Actor, scenario_of
        from tests.factories import make

        actors = [Actor("XAA", "Avalon"), Actor("XBB", "Brigadoon")]
        events = [make("relations_established", "1850", "XAA", "XBB", id="relations")]
        dates = [f"{1860 + 9 * n}" for n in range(12)] + [f"200{n % 9}-{1 + n % 12:02d}" for n in range(40)]
        for number, date in enumerate(dates):
            rank = ("ambassador", "charge", "minister")[(number // 2) % 3]
            frm, to = ("XAA", "XBB") if number % 2 else ("XBB", "XAA")
            events.append(
                make(
                    "envoy_accredited",
                    date,
                    frm,
                    to,
                    id=f"envoy-number-{number}-of-{frm}",
                    rank=rank,
                    envoy=f"Envoy {number}",
                )
            )
        history = History(scenario_of(events, actors=actors).log)
        figure = plot.timeline_figure(history, "XAA", "XBB", {"XAA": "Avalon", "XBB": "Brigadoon"})
        FigureCanvasAgg(figure)
        figure.draw_without_rendering()
        renderer = figure.canvas.get_renderer()
        boxes = [
            text.get_window_extent(renderer) for text in figure.findobj(match=lambda o: o.get_gid() == "event-label")
        ]
        assert len(boxes) == 53
        assert_apart(boxes, figure.bbox.width)

    def test_graph_picture_colours_signed_edges(self, tmp_path):
        """The alignment picture draws aligned edges green and hostile ones red, with names and counts."""
        import matplotlib
        import matplotlib.image
        import networkx as nx

        matplotlib.use("Agg")
        from engine.cli import _pictures as plot

        graph = nx.Graph()
        graph.add_node("XAA", kind="actor", name="Avalon")
        graph.add_node("XBB", kind="actor", name="Brigadoon")
        graph.add_node("XCC", kind="actor", name="Camelot")
        graph.add_node("LEAGUE", kind="bloc", name="LEAGUE")
        graph.add_edge("XAA", "XBB", sign=1)
        graph.add_edge("XAA", "LEAGUE", sign=1)
        graph.add_edge("XBB", "XCC", sign=-1)
        figure = plot.graph_figure(graph, "Invented: alignments on 1960-12-31")
        info = plot.save(figure, tmp_path / "g.png")
        assert (info["width_px"], info["height_px"]) == (1000, 800)
        pixels = matplotlib.image.imread(tmp_path / "g.png")
        assert pixels.shape[:2] == (800, 1000)
        green = (abs(pixels[:, :, :3] - [0x2C / 255, 0xA0 / 255, 0x2C / 255]) < 0.03).all(axis=2).mean()
        red = (abs(pixels[:, :, :3] - [0xD6 / 255, 0x27 / 255, 0x28 / 255]) < 0.03).all(axis=2).mean()
        assert green > 0.001 and red > 0.0005
        plot.save(plot.graph_figure(graph, "Invented: alignments on 1960-12-31"), tmp_path / "g.svg")
        svg = (tmp_path / "g.svg").read_text()
        for text in (
            "Invented: alignments on 1960-12-31",
            "Avalon",
            "Camelot",
            "aligned (+1): 2",
            "hostile (-1): 1",
            "bloc",
        ):
            assert text in svg

    def test_graph_picture_of_an_empty_graph_says_so(self, tmp_path):
        """A date with no alignments still gives a picture, saying there are none."""
        import matplotlib
        import networkx as nx

        matplotlib.use("Agg")
        from engine.cli import _pictures as plot

        plot.save(plot.graph_figure(nx.Graph(), "Nothing yet"), tmp_path / "g.svg")
        assert "no alignments recorded on this date" in (tmp_path / "g.svg").read_text()

    def test_plot_graph_command(self, capsys, tmp_path):
        """`legation plot graph --at DATE` writes the alignment graph of that date and reports its edges."""
        path = tmp_path / "aligned.toml"
        path.write_text(SMALL + ALIGNMENTS)
        out = tmp_path / "g.png"
        data = run_json(capsys, "plot", "graph", "--at", "1965", "--scenario", path, "--out", out, "--no-implied")
        assert data["at"] == "1965-12-31" and data["nodes"] == 3
        assert (data["aligned"], data["hostile"]) == (1, 1)
        assert out.stat().st_size == data["bytes"] > 10_000

    def test_without_matplotlib_names_the_extra(self, capsys, small, monkeypatch, tmp_path):
        """Without matplotlib, `plot` says in one line which extra to install, and exits 2."""
        monkeypatch.setitem(sys.modules, "matplotlib", None)
        code, _, err = run(capsys, "plot", "timeline", "--scenario", small, "--out", tmp_path / "t.png")
        assert code == 2
        assert err.count("\n") == 1 and "pip install 'legation[plot]'" in err

    def test_plot_without_a_picture_is_a_usage_error(self, capsys):
        """`legation plot` alone says which pictures there are."""
        code, _, err = run(capsys, "plot")
        assert code == 2 and "expected a picture: timeline or graph" in err


THIRD_PAIR = textwrap.dedent(
    """
    [[actors]]
    code = "XCC"
    name = "Camelot"

    [[events]]
    kind = "recognition"
    id = "xaa-recognizes-xcc"
    date = "1905"
    actor = "XAA"
    target = "XCC"
    sources = ["invented"]
    """
)
REMOVE_RECOGNITIONS = textwrap.dedent(
    """\
    [[edits]]
    op = "remove"
    id = "xaa-recognizes-xbb"
    rationale = "invented"

    [[edits]]
    op = "remove"
    id = "xaa-recognizes-xcc"
    rationale = "invented"
    """
)


class TestWhatif:
    def test_pair_keeps_only_that_pairs_differences(self, capsys, tmp_path):
        """`whatif --pair A B` shows only the differences of that pair; without it, every pair's."""
        (tmp_path / "small.toml").write_text(SMALL + THIRD_PAIR)
        path = tmp_path / "what_if.toml"
        path.write_text(COUNTERFACTUAL_HEADER + REMOVE_RECOGNITIONS)
        everything = run_json(capsys, "whatif", path)
        assert {d["subject"] for d in everything["timeline"]} == {"XAA-XBB", "XAA-XCC"}
        only = run_json(capsys, "whatif", path, "--pair", "XCC", "XAA")
        assert {d["subject"] for d in only["timeline"]} == {"XAA-XCC"}
        code, out, _ = run(capsys, "whatif", path, "--pair", "XAA", "XBB")
        assert code == 0 and "XAA-XCC" not in out and "XAA-XBB" in out

    def test_scenario_replaces_the_files_base(self, capsys, small, tmp_path):
        """`whatif --scenario` applies the edits to another base than the one the file names."""
        other = tmp_path / "other.toml"
        other.write_text(SMALL + THIRD_PAIR)
        path = tmp_path / "what_if.toml"
        path.write_text(COUNTERFACTUAL_HEADER + REMOVE_RECOGNITIONS)
        code, _, err = run(capsys, "whatif", path, "--pair", "XAA", "XCC")
        assert code == 2 and "edit #2 (remove), event 'xaa-recognizes-xcc'" in err  # small.toml lacks it
        data = run_json(capsys, "whatif", path, "--scenario", other, "--pair", "XAA", "XCC")
        assert data["events"]["base"] == SMALL.count("[[events]]") + 1


class TestValidate:
    def test_a_sound_file_is_ok(self, capsys, small):
        """A sound file prints ok and exits 0."""
        code, out, _ = run(capsys, "validate", small)
        assert code == 0 and out.strip() == f"{small}: ok"

    def test_every_problem_at_once_with_file_line_and_event(self, capsys, tmp_path):
        """A broken file lists every problem, each with file, line and event id, and exits 1."""
        path = tmp_path / "broken.toml"
        path.write_text(BROKEN)
        code, out, err = run(capsys, "validate", path)
        assert code == 1 and err == ""
        lines = out.splitlines()
        assert len(lines) == 2
        assert lines[0].startswith(f"{path}:4: event 'first'") and "no_such_kind" in lines[0]
        assert lines[1].startswith(f"{path}:14: event 'second'") and "1900-13" in lines[1]

    def test_impossible_transitions_are_named_with_their_line(self, capsys, tmp_path):
        """A file that reads but breaks a transition rule fails, naming the event's line and the rule."""
        path = tmp_path / "impossible.toml"
        path.write_text(IMPOSSIBLE)
        code, out, _ = run(capsys, "validate", path)
        assert code == 1
        assert out.startswith(f"{path}:8: event 'nobody-to-expel' (1900): USA has no head of mission in BOL")

    def test_json(self, capsys, tmp_path, small):
        """The JSON of one file has ok, errors and anomalies; several files are listed under files."""
        path = tmp_path / "broken.toml"
        path.write_text(BROKEN)
        code, out, _ = run(capsys, "validate", path, "--format", "json")
        data = json.loads(out)
        assert code == 1 and data["ok"] is False
        assert [(error["line"], error["event_id"]) for error in data["errors"]] == [(4, "first"), (14, "second")]
        code, out, _ = run(capsys, "validate", small, path, "--format", "json")
        data = json.loads(out)
        assert data["ok"] is False and [item["ok"] for item in data["files"]] == [True, False]

    def test_built_in_counterfactuals_are_ok(self, capsys):
        """The shipped counterfactuals validate against their base, by path or by built-in name."""
        code, out, _ = run(capsys, "validate", "bolivia_usa/no_goldberg_expulsion", "--format", "json")
        data = json.loads(out)
        assert code == 0 and data["ok"] is True and data["kind"] == "counterfactual"

    def test_every_edit_that_does_not_fit_is_named_with_its_line(self, capsys, small, tmp_path):
        """A counterfactual with two bad edits lists both, each with file, line and edit number, and exits 1."""
        path = tmp_path / "what_if.toml"
        path.write_text(COUNTERFACTUAL_HEADER + BAD_EDITS)
        code, out, _ = run(capsys, "validate", path)
        assert code == 1
        lines = out.splitlines()
        assert len(lines) == 2
        assert lines[0].startswith(f"{path}:10: edit #1 (remove)") and "no-such-event" in lines[0]
        assert lines[1].startswith(f"{path}:20: edit #3 (move)") and "never-happened" in lines[1]

    def test_an_edit_that_makes_a_later_event_impossible(self, capsys, small, tmp_path):
        """Removing the establishment of relations (keeping what it caused) makes the later severance impossible."""
        path = tmp_path / "what_if.toml"
        path.write_text(COUNTERFACTUAL_HEADER.replace('"drop"', '"keep"') + REMOVE_RELATIONS)
        code, out, _ = run(capsys, "validate", path, "--format", "json")
        data = json.loads(out)
        assert code == 1 and data["errors"] == []
        severed = next(a for a in data["anomalies"] if a["event_id"] == "relations-severed")
        assert severed["file"] == small and severed["line"] == SMALL.splitlines().index('id = "relations-severed"') + 1

    def test_a_broken_counterfactual_names_its_line(self, capsys, small, tmp_path):
        """A counterfactual that is not valid TOML is a failed check naming the line."""
        path = tmp_path / "what_if.toml"
        path.write_text(COUNTERFACTUAL_HEADER + "[[edits]]\nop = \n")
        code, out, _ = run(capsys, "validate", path)
        assert code == 1 and out.startswith(f"{path}:9: not valid TOML")

    def test_a_missing_file_is_bad_input_not_a_failed_check(self, capsys, tmp_path):
        """A file that does not exist exits 2 with one line, not 1."""
        code, _, err = run(capsys, "validate", tmp_path / "nothing.toml")
        assert code == 2 and err.count("\n") == 1


class TestErrors:
    @pytest.mark.parametrize(
        ("argv", "says"),
        [
            (["at", "2008-13-01"], "bad date '2008-13-01': expected a month from 01 to 12"),
            (["at", "yesterday"], "bad date 'yesterday'"),
            (["at", "1950", "--pair", "XAA", "ZZZ"], "unknown actor 'ZZZ'"),
            (["at", "1950", "--pair", "XAA", "XAA"], "two different actors"),
            (["at", "1950", "--scenario", "no_such_scenario"], "expected a scenario file, folder or built-in name"),
            (["at", "1950", "--format", "yaml"], "invalid choice: 'yaml'"),
            (["at", "1950", "--colour"], "unrecognized arguments: --colour"),
            (["at"], "the following arguments are required: date"),
            (["diff", "1950"], "the following arguments are required: DATE2"),
            (["frobnicate"], "invalid choice: 'frobnicate'"),
            (["timeline", "--kind", "coup"], "unknown event kind 'coup'"),
            (["when", "ambasador of XAA in XBB"], "at 'ambasador', expected a rank"),
            (["when", "aid XAA XBB suspended"], "at 'XBB', expected '->'"),
            (["when", ""], "expected a condition"),
            (["plot", "timeline", "--out", "picture.jpg"], "expected a file name ending in .png or .svg"),
            (["plot", "timeline", "--out", "/no/such/folder/t.png"], "No such file or directory"),
            (["plot", "graph"], "the following arguments are required: --at"),
            (["graph", "--at", "2010", "--actor", "ZZZ"], "unknown actor 'ZZZ'"),
            (["graph", "--at", "2010", "--format", "yaml"], "invalid choice: 'yaml'"),
            (["whatif", "nothing/here"], "expected a counterfactual file or built-in name"),
            (["whatif"], "the following arguments are required: file"),
            (["validate", "nothing/here"], "expected a scenario file or folder"),
        ],
    )
    def test_bad_input_is_one_line_and_exit_2(self, capsys, small, argv, says):
        """Each kind of bad input gives one line on stderr naming the problem, and exit status 2."""
        if "--scenario" not in argv and argv[0] not in ("frobnicate", "validate"):
            argv = [*argv, "--scenario", small]
        code, out, err = run(capsys, *argv)
        assert code == 2
        assert out == ""
        assert err.count("\n") == 1 and err.startswith("legation: error: ")
        assert says in err

    def test_a_stray_argument_names_its_subcommand(self, capsys):
        """`legation timeline 2000` (timeline takes no date) points to `legation timeline --help`."""
        code, _, err = run(capsys, "timeline", "2000")
        assert code == 2 and err == "legation: error: legation timeline: unrecognized arguments: 2000 " + (
            "(see legation timeline --help)\n"
        )

    def test_the_program_is_named_once(self, capsys):
        """A bad command or none says "legation: error:" once, not "legation: error: legation: ..."."""
        for argv in (["frobnicate"], []):
            code, _, err = run(capsys, *argv)
            assert code == 2 and err.count("legation:") == 1, err

    def test_broken_scenario_file_names_file_and_line(self, capsys, tmp_path):
        """Asking a broken scenario names the file, the line and the event, exit 2."""
        path = tmp_path / "broken.toml"
        path.write_text(BROKEN)
        code, _, err = run(capsys, "at", "1950", "--scenario", path)
        assert code == 2 and f"{path}:4: event 'first'" in err and err.count("\n") == 1

    def test_an_internal_error_is_one_line_too(self, capsys, small, monkeypatch):
        """A bug inside a subcommand is reported in one line with exit 70, not a traceback."""

        def broken(*args, **kwargs):
            raise RuntimeError("boom")

        from engine.cli import _render

        monkeypatch.setattr(_render, "as_of_text", broken)
        code, _, err = run(capsys, "at", "1950", "--scenario", small)
        assert code == 70 and err.count("\n") == 1 and "internal error: RuntimeError: boom" in err


class TestTrack:
    def test_piped_output_shows_no_bar(self):
        """When the stream is not a terminal the items pass through and nothing is written."""
        stream = io.StringIO()
        assert list(cli.track(range(5), "working", total=5, stream=stream)) == [0, 1, 2, 3, 4]
        assert stream.getvalue() == ""

    def test_terminal_shows_a_bar(self):
        """On a terminal the items pass through and a progress bar is drawn."""

        class Terminal(io.StringIO):
            def isatty(self):
                return True

        stream = Terminal()
        assert list(cli.track(range(5), "working", total=5, stream=stream)) == [0, 1, 2, 3, 4]
        assert "working" in stream.getvalue()


class TestBuiltInHistory:
    """A few answers from the Bolivia–United States history, as its events record them."""

    def test_at_after_the_2008_expulsions(self, capsys):
        """On 2008-10-01 each side's mission is headed by a chargé, and the expelled ambassadors are cited."""
        data = run_json(capsys, "at", "2008-10-01")
        assert data["pair"] == ["BOL", "USA"] and data["relations"] == "established"
        assert data["representation"]["USA->BOL"]["level"] == "charge"
        assert data["representation"]["BOL->USA"]["level"] == "charge"
        assert data["basis"]["representation USA->BOL"] == "goldberg-expelled"
        assert data["persona_non_grata"]["USA->BOL"] == ["Philip S. Goldberg"]

    def test_when_no_us_ambassador(self, capsys):
        """There has been no US ambassador in Bolivia since Goldberg's expulsion."""
        data = run_json(capsys, "when", "no ambassador of USA in BOL")
        assert data["pair"] == ["BOL", "USA"]
        assert data["holds_at_end"] is True
        assert data["periods"][-1]["start_event"] == "goldberg-expelled"

    def test_timeline_and_diff_of_2008(self, capsys):
        """The 2008 expulsions appear in the timeline and in the diff across them."""
        data = run_json(capsys, "timeline", "--from", "2008", "--to", "2008", "--kind", "envoy_expelled")
        assert [event["id"] for event in data["events"]] == ["goldberg-expelled", "guzman-expelled"]
        data = run_json(capsys, "diff", "2008-01-01", "2009-12-31")
        certification = next(c for c in data["changes"] if c["key"] == "certification USA->BOL")
        assert (certification["before"], certification["after"]) == ("certified", "decertified")

    def test_validate_built_in(self, capsys):
        """The built-in history validates cleanly."""
        code, out, _ = run(capsys, "validate", "bolivia_usa")
        assert code == 0 and out.strip().endswith(": ok")

    def test_timeline_picture_is_readable(self, capsys, tmp_path):
        """The history's timeline PNG has every state-changing event labelled, and no two labels overlap."""
        import matplotlib
        import matplotlib.image

        matplotlib.use("Agg")
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        import scenarios
        from engine import History
        from engine.cli import _pictures as plot

        out = tmp_path / "bol-usa.png"
        data = run_json(capsys, "plot", "timeline", "--out", out)
        assert data["width_px"] == 1600 and 600 < data["height_px"] < 1600
        assert matplotlib.image.imread(out).shape[:2] == (data["height_px"], data["width_px"])
        history = History(scenarios.load().log)
        figure = plot.timeline_figure(history, "BOL", "USA", {"BOL": "Bolivia", "USA": "United States"})
        FigureCanvasAgg(figure)
        figure.draw_without_rendering()
        labels = figure.findobj(match=lambda o: o.get_gid() == "event-label")
        changing = [step.event.id for step in history.steps("BOL", "USA") if step.changed]
        assert sorted(label.get_text() for label in labels) == sorted(changing)
        assert_apart([label.get_window_extent() for label in labels], figure.bbox.width)


def assert_apart(boxes, width):
    """No two boxes overlap and all lie within the figure's width."""
    for index, box in enumerate(boxes):
        assert 0 <= box.x0 and box.x1 <= width
        for other in boxes[index + 1 :]:
            assert not box.overlaps(other)


LEGATION = Path(sys.executable).with_name("legation")


@pytest.mark.skipif(not LEGATION.exists(), reason="the legation script is not installed")
class TestInstalledScript:
    def test_at_json_and_exit_status(self, small):
        """The installed script answers `at` in JSON with exit status 0."""
        done = subprocess.run(
            [LEGATION, "at", "1955", "--scenario", small, "--format", "json"], capture_output=True, text=True
        )
        assert done.returncode == 0 and done.stderr == ""
        assert json.loads(done.stdout)["representation"]["XAA->XBB"]["envoy"] == "A. Envoy"

    @pytest.mark.parametrize(
        ("argv", "status"),
        [
            (["at", "2008-02-30"], 2),
            (["at", "1950", "--pair", "XAA", "QQQ"], 2),
            (["when", "frobnicated of XAA"], 2),
            (["bogus"], 2),
        ],
    )
    def test_errors_are_one_line_without_traceback(self, small, argv, status):
        """Bad input through the real script: one line on stderr, no traceback, exit 2."""
        done = subprocess.run([LEGATION, *argv, "--scenario", small], capture_output=True, text=True)
        assert done.returncode == status
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr

    def test_failed_validation_exits_1(self, tmp_path):
        """validate exits 1 when the file has problems."""
        path = tmp_path / "broken.toml"
        path.write_text(BROKEN)
        done = subprocess.run([LEGATION, "validate", path], capture_output=True, text=True)
        assert done.returncode == 1 and "Traceback" not in done.stderr

    def test_a_closed_pipe_is_quiet(self, small):
        """Piping a long answer into a reader that stops early gives no error output."""
        done = subprocess.run(
            f"'{LEGATION}' timeline --scenario '{small}' | head -n 1", shell=True, capture_output=True, text=True
        )
        assert done.stdout.count("\n") == 1 and done.stderr == ""

    def test_at_imports_no_heavy_library(self, small):
        """Answering `at` does not import matplotlib, networkx or rich (start-up time is a target)."""
        code = (
            "import sys, engine.cli as c; c.main(['at', '1955', '--scenario', sys.argv[1]]);"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'networkx', 'rich'}))"
        )
        done = subprocess.run([sys.executable, "-c", code, small], capture_output=True, text=True)
        assert done.stdout.strip().splitlines()[-1] == "[]"

    def test_at_loads_only_what_it_uses(self, small):
        """Answering `at` loads neither the condition parser, the timeline nor the counterfactual modules (start-up)."""
        unused = (
            "engine.analysis._when",
            "engine.analysis._timeline",
            "engine.core._counterfactual",
            "events._edits",
            "engine.analysis.alignment",
        )
        code = (
            "import sys, engine.cli as c; c.main(['at', '1955', '--scenario', sys.argv[1]]);"
            f"print(sorted(set({unused!r}) & set(sys.modules)))"
        )
        done = subprocess.run([sys.executable, "-c", code, small], capture_output=True, text=True)
        assert done.stdout.strip().splitlines()[-1] == "[]"
