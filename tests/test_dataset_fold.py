"""The fold from columns gives the pure reducer's states, anomalies and errors, and an equal as-of index."""

import attrs
import pytest

pa = pytest.importorskip("pyarrow", reason="the fold from columns needs the dask extra (pyarrow)")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from test_fast import DATES, event_lists, outcome, strict_lists  # noqa: E402

from engine import (  # noqa: E402
    Agency,
    ColumnarIndex,
    History,
    PairState,
    Post,
    Side,
    TransitionError,
    fold,
    initial_pair,
)
from engine.core._state import Designation, Sanction  # noqa: E402
from engine.dataset import events_to_table  # noqa: E402
from engine.dataset._fold import fold_table  # noqa: E402
from engine.dataset._resident import compacted  # noqa: E402
from engine.dataset._state_columns import (  # noqa: E402
    STATE_FIELDS,
    UntypedStateFieldError,
    codec_of,
    state_of,
    state_schema,
    states_of_table,
)
from events import parse_date  # noqa: E402
from events.strategies import valid_logs  # noqa: E402


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


@settings(max_examples=40)
@given(event_lists, st.sampled_from(DATES))
def test_the_index_of_any_events_answers_what_the_columnar_index_answers(events, date):
    """Lenient folds of events of every kind, most breaking rules: the same states of every pair on the day.

    (Both indexes answer by first possible day, so the events come in that order, as in a log.)
    """
    events = sorted(events, key=lambda event: event.date.earliest)
    result = fold_table(events_to_table(events), strict=False)
    answer = result.index.world_at(date)
    assert answer == ColumnarIndex(events, strict=False).world_at(date)
    assert states_of_table(result.index.table_at(date)) == answer


def _strict_world(table):
    return fold_table(table).world


@settings(max_examples=40)
@given(st.one_of(strict_lists, event_lists), st.sampled_from(DATES), st.data())
def test_the_fold_of_a_compacted_table_is_the_same_fold(events, date, data):
    """The resident columns (`compacted`: narrow types, null and implied columns left out) fold the same.

    The whole table and a subsequence of its rows (as a bucket's, `seq` with gaps): the same states,
    anomalies in order, first `TransitionError`, and the same answers of the index on the day.
    """
    events = sorted(events, key=lambda event: event.date.earliest)
    table = events_to_table(events)
    rows = data.draw(st.lists(st.sampled_from(range(len(events))), unique=True).map(sorted)) if events else []
    for part in (table, table.take(pa.array(rows, pa.int64()))):
        kept = compacted(part)
        assert outcome(_strict_world, kept) == outcome(_strict_world, part)
        whole, resident = fold_table(part, strict=False), fold_table(kept, strict=False)
        assert resident.world == whole.world
        assert resident.positioned_anomalies == whole.positioned_anomalies
        assert resident.index.world_at(date) == whole.index.world_at(date)
        assert resident.index.table_at(date).equals(whole.index.table_at(date))


def test_every_state_field_is_a_column():
    """Walks attrs.fields of PairState and Side: each field is a column of the answer, none dropped."""
    columns = [field.column for field in STATE_FIELDS]
    own = [field.name for field in attrs.fields(PairState) if field.name not in ("a", "b", "ab", "ba")]
    sides = [f"{side}_{field.name}" for side in ("ab", "ba") for field in attrs.fields(Side)]
    assert columns == own + sides


_SET_ITEMS = {
    "posts": Post("embassy", "La Paz"),
    "agencies": Agency("DEA", frozenset({"Chapare"})),
    "persona_non_grata": "Goldberg",
    "sanctions": Sanction("narcotics", frozenset({"aid", "trade"}), ("law 1", "law 2")),
    "designations": Designation("drug majors", "a bank"),
}


def _other_than_default(field):
    default = field.default
    if isinstance(default, frozenset):
        return frozenset({_SET_ITEMS[field.name]})
    if field.name.endswith("_since"):
        return parse_date("1990-05")
    if field.codec.type == pa.bool_():
        return not default
    return 7 if field.codec.type == pa.int64() else "x"


def test_every_state_field_round_trips_a_value_of_its_own():
    """A value other than its default in every field survives the Arrow column and comes back equal."""
    values = {field.column: _other_than_default(field) for field in STATE_FIELDS}
    state = state_of("BOL", "USA", values)
    for field in STATE_FIELDS:  # each value is one the state holds (none ignored as a default)
        assert state_of("BOL", "USA", {**values, field.column: field.default}) != state, field.column
    row = {
        "a": "BOL",
        "b": "USA",
        **{field.column: field.codec.to_arrow(values[field.column]) for field in STATE_FIELDS},
    }
    table = pa.Table.from_pylist([row], schema=state_schema())
    assert states_of_table(table) == {("BOL", "USA"): state}


def test_a_state_field_of_a_type_with_no_column_fails_loudly():
    with pytest.raises(UntypedStateFieldError, match=r"Side\.weights: the dataset has no column type for"):
        codec_of(dict[str, float], "Side.weights")


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
