"""The fold from columns gives the pure reducer's states, anomalies and errors, and an equal as-of index."""

import pytest

pytest.importorskip("pyarrow", reason="the fold from columns needs the dask extra (pyarrow)")
from hypothesis import given, settings
from hypothesis import strategies as st
from test_fast import DATES, event_lists, outcome, strict_lists

from engine import ColumnarIndex, History, TransitionError, fold, initial_pair
from engine.dataset import events_to_table
from engine.dataset._fold import fold_table, states_of_table
from events.strategies import valid_logs


def fold_of_columns(events, *, strict=True):
    return fold_table(events_to_table(events), strict=strict).world


@given(event_lists)
def test_lenient_fold_from_columns_equals_the_pure_reducer(events):
    """Any events of any kinds, most of them breaking rules: the same states and anomalies, in order."""
    assert fold_of_columns(events, strict=False) == fold(events, strict=False)


@given(st.one_of(strict_lists, event_lists))
def test_strict_fold_from_columns_raises_what_the_pure_reducer_raises(events):
    assert outcome(fold_of_columns, events) == outcome(fold, events)


@settings(max_examples=25)
@given(valid_logs(max_size=25), st.sampled_from(DATES))
def test_the_index_answers_what_the_history_answers(log, date):
    """Every pair some event had changed by the day, as `ColumnarIndex` (and so `History`) answers."""
    result = fold_table(events_to_table(log))
    history = History(log)
    assert result.world == history.final
    answer = result.index.world_at(date)
    assert answer == ColumnarIndex(log).world_at(date)
    assert states_of_table(result.index.table_at(date)) == answer
    for pair in history.pairs():
        assert answer.get(pair, initial_pair(*pair)) == history.state_at(*pair, date).state


def test_rows_out_of_history_order_are_refused():
    from tests.factories import make

    table = events_to_table([make("recognition", "2000"), make("recognition", "2001", "BOL", "USA")])
    with pytest.raises(ValueError, match="history order"):
        fold_table(table.take([1, 0]))


def test_a_strict_error_names_the_first_event_in_history_order():
    from tests.factories import make

    events = [
        make("relations_severed", "2000", "USA", "PER", id="late-pair-first-row"),
        make("relations_severed", "1999", "BOL", "CHL", id="earlier"),
    ]
    events.sort(key=lambda event: event.date)
    with pytest.raises(TransitionError) as raised:
        fold_table(events_to_table(events))
    assert raised.value.event_id == "earlier"
