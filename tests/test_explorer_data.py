"""The explorer page's data: the answer it picks for any date is exactly the engine's (`legation at --format json`)."""

import datetime
import io
import json
from contextlib import redirect_stdout

from hypothesis import given
from hypothesis import strategies as st

import scenarios
from engine import History, timeline
from engine.analysis.alignment import AlignmentIndex
from engine.cli import main
from engine.cli._render import as_of_json
from engine.explorer._data import AnswerTable, answer_for, answer_table, table_layout
from engine.explorer._graph import graph_data, snapshot_at
from events.strategies import valid_logs

CODES = ("BOL", "USA", "PER")
"""The actors of the generated histories: a pair and a third party."""


def _asked_texts(log) -> st.SearchStrategy[str]:
    """Dates as a reader types them: days, months and years around and inside the history."""
    first = min(event.date.earliest for event in log) - datetime.timedelta(days=400)
    last = max(event.date.latest for event in log) + datetime.timedelta(days=400)
    days = st.dates(min_value=first, max_value=last)
    # Days the history's events start and end on (and the next), where answers change.
    edges = st.sampled_from(
        [
            day
            for event in log
            for day in (event.date.earliest, event.date.latest, event.date.latest + datetime.timedelta(days=1))
        ]
    )
    day = st.one_of(days, edges)
    return st.one_of(
        day.map(datetime.date.isoformat),
        day.map(lambda d: f"{d.year:04d}-{d.month:02d}"),
        day.map(lambda d: f"{d.year:04d}"),
    )


@given(st.data())
def test_the_page_picks_the_engines_answer_for_any_date(data):
    log = data.draw(valid_logs(min_size=1, max_size=25, codes=CODES))
    history = History(log)
    a, b = data.draw(st.permutations(CODES))[:2]
    built = answer_table(history, (a, b), timeline(history, a, b))
    # Read back from the JSON the page embeds, as the page's script reads it.
    table = AnswerTable.from_json(json.loads(json.dumps(built.to_json())))
    for _ in range(6):
        text = data.draw(_asked_texts(log))
        expected = as_of_json(history.state_at(a, b, text), history)
        found = answer_for(table, text)
        # Same keys in the same order, same values: the JSON text is the same.
        assert json.dumps(found, ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)


@given(st.data())
def test_the_pages_alignment_neighbourhood_is_the_engines_on_any_day(data):
    log = data.draw(valid_logs(min_size=1, max_size=25, codes=CODES))
    a, b = data.draw(st.permutations(CODES))[:2]
    graph = graph_data(log, (a, b))
    index = AlignmentIndex(log)
    days = [event.date.earliest for event in log] + [event.date.earliest - datetime.timedelta(days=1) for event in log]
    for day in data.draw(st.lists(st.sampled_from(days), min_size=1, max_size=6)):
        near = {a, b} | set(index.stances(a, day)) | set(index.stances(b, day))
        expected = sorted(
            (first, second, edge["sign"], edge["since"], edge["events"].split())
            for first, second, edge in index.graph_at(day).edges(data=True)
            if first in near and second in near
            for first, second in [sorted((first, second))]
        )
        assert sorted(tuple(edge) for edge in snapshot_at(graph, day)) == [tuple(edge) for edge in expected]


def _cli_at(text: str, *pair: str) -> dict:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["at", text, "--pair", *pair, "--format", "json"]) == 0
    return json.loads(out.getvalue())


def test_bolivia_answers_are_those_of_legation_at_on_change_days_months_and_years():
    scenario = scenarios.load("bolivia_usa")
    history = History(scenario.log)
    table = answer_table(history, ("USA", "BOL"), timeline(history, "USA", "BOL"))
    # Every 8th change day and stored month or year (each CLI call reads the history again), and some others.
    asked = [*table.days[::8], *list(table.spans)[::8], "1800", "2025-12-31", "2008-09", "2008", "2008-09-10"]
    for text in asked:
        assert answer_for(table, text) == _cli_at(text, "USA", "BOL"), text


def test_the_state_table_has_a_row_for_every_answer_field_and_new_fields_need_no_template():
    scenario = scenarios.load("bolivia_usa")
    history = History(scenario.log)
    table = answer_table(history, ("BOL", "USA"), timeline(history, "BOL", "USA"))
    rows, texts = table_layout(table)
    shown = {row["key"] for row in rows}
    answer = answer_for(table, "2010-06-01")
    assert shown == set(answer) - {"date", "asked", "pair", "uncertain", "basis"}
    by_key = {row["key"]: row for row in rows}
    assert by_key["representation"]["sides"] == ["BOL->USA", "USA->BOL"]
    assert by_key["leaders"]["sides"] == ["BOL", "USA"]
    assert by_key["relations"]["sides"] is None
    assert "ambassador: Philip S. Goldberg" in texts["representation USA->BOL"]


def test_a_field_the_model_adds_gets_its_row_lane_and_words_without_changes_here():
    # An answer with two fields today's model lacks (synthetic values): one per side, one for the pair.
    from engine.explorer._charts import lanes

    keys = ["date", "asked", "pair", "relations", "sanctions", "designations", "uncertain", "basis", "_links"]
    rows = [
        {
            "pair": ["S000", "S001"],
            "relations": relations,
            "sanctions": {"S000->S001": sanctions, "S001->S000": []},
            "designations": designations,
            "uncertain": {},
            "basis": basis,
            "_links": {},
        }
        for relations, sanctions, designations, basis in [
            ("established", [], None, {}),
            ("severed", [{"scope": "trade", "law": "law_1"}], None, {"sanctions S000->S001": "e2"}),
            (
                "severed",
                [{"scope": "trade", "law": "law_1"}],
                "list_1",
                {"sanctions S000->S001": "e2"},
            ),
        ]
    ]
    table = AnswerTable(keys, rows, ["2001-01-01", "2002-01-01"], {}, ("S000", "S001"))
    layout, texts = table_layout(table)
    by_key = {row["key"]: row for row in layout}
    assert by_key["sanctions"]["sides"] == ["S000->S001", "S001->S000"]
    assert by_key["designations"]["sides"] is None
    assert "scope: trade; law: law 1" in texts["sanctions S000->S001"]
    assert texts["designations"] == ["none", "list 1"]
    assert answer_for(table, "2003")["sanctions"] == rows[2]["sanctions"]
    assert answer_for(table, "2000-12-31")["basis"] == {}
    assert set(lanes(table)) == {"relations", "sanctions S000->S001", "designations"}


def test_a_dissolution_inside_a_month_asked_is_uncertain_on_the_page_as_in_at():
    """Found by the property in CI: a state dissolved in a month asked reads "may have ceased" in `at`; the page
    stores that month's answer too, and the days around the dissolution's span."""
    from events import Log

    from factories import make

    log = Log.of([make("recognition", "1799", "USA", "BOL", id="e2"), make("state_dissolved", "1800-01", "BOL", None)])
    history = History(log, strict=False)
    for a, b in (("BOL", "USA"), ("USA", "BOL")):
        table = AnswerTable.from_json(
            json.loads(json.dumps(answer_table(history, (a, b), timeline(history, a, b)).to_json()))
        )
        for text in ("1800-01", "1800", "1800-01-15", "1800-01-31", "1800-02-01", "1799-12"):
            expected = as_of_json(history.state_at(a, b, text), history)
            assert json.dumps(answer_for(table, text), ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)
