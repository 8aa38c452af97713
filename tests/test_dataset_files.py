"""Histories as Arrow columns and Parquet datasets: lossless both ways, and bad files refused in one line."""

import json

import attrs
import pytest

pa = pytest.importorskip("pyarrow", reason="the columnar history needs the dask extra (pyarrow)")
import pyarrow.parquet as pq  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import events as ev  # noqa: E402
from engine.dataset import (  # noqa: E402
    MANIFEST,
    SCHEMA,
    SCHEMA_VERSION,
    ColumnarFormatError,
    Dataset,
    _schema,
    events_to_table,
    table_to_events,
    write_dataset,
)
from engine.dataset._resident import compacted, expanded  # noqa: E402
from engine.dataset._schema import (  # noqa: E402
    _BASE,
    _COLUMN_HOLDS,
    EXTRA,
    KIND_SLOTS,
    UntypedFieldError,
    date_of,
)
from events.strategies import any_event, imprecise_dates, valid_logs  # noqa: E402


@given(st.lists(any_event(), max_size=12))
def test_any_events_survive_the_table(events):
    """Every kind, every field value Hypothesis finds (any text, any date), comes back equal."""
    assert list(table_to_events(events_to_table(events))) == events


@given(st.lists(any_event(), max_size=12), st.integers(0, 2**33), st.data())
def test_a_compacted_table_expands_to_the_same_columns(events, start, data):
    """Any rows of any kinds (a whole history, or a bucket's rows with gaps in `seq`): nothing is lost."""
    table = events_to_table(events, start=start)
    rows = data.draw(st.lists(st.sampled_from(range(len(events))), unique=True).map(sorted)) if events else []
    for part, kept_events in ((table, events), (table.take(pa.array(rows, pa.int64())), [events[r] for r in rows])):
        kept = compacted(part)
        assert kept.nbytes <= part.nbytes
        back = expanded(kept, SCHEMA.names)
        assert back.to_pylist() == part.to_pylist()
        assert list(table_to_events(back.replace_schema_metadata(part.schema.metadata))) == kept_events


@given(imprecise_dates())
def test_a_date_is_its_span_and_qualifiers(date):
    """First and last possible day name one EDTF date: no precision column is needed."""
    back = date_of(date.earliest.toordinal(), date.latest.toordinal(), date.uncertain, date.approximate)
    assert back == date
    assert str(back) == str(date)


@settings(max_examples=15)
@given(valid_logs(max_size=15), st.integers(1, 5))
def test_a_log_written_and_read_back_is_the_same_log(tmp_path_factory, log, buckets):
    directory = tmp_path_factory.mktemp("dataset") / "history"
    dataset = write_dataset(log, directory, buckets=buckets)
    assert dataset.log() == log
    assert Dataset.open(directory).events == len(log)


def test_every_field_of_every_kind_has_a_column_of_its_type():
    """Walks every kind's fields (from attrs): each is in a column, and a state-changing kind's fields each in
    a typed column that holds its type (the fold reads rows without building events); only record-only
    kinds may keep fields in the JSON `extra` column."""
    for tag, cls in ev.EVENT_KINDS.items():
        own = [field for field in attrs.fields(cls) if field.name not in _BASE]
        slots = dict(KIND_SLOTS[tag])
        assert [field.name for field in own] == list(slots), tag
        for field in own:
            column = slots[field.name]
            if cls.CHANGES_STATE:
                assert column != EXTRA, (tag, field.name)
            if column != EXTRA:
                assert field.type in _COLUMN_HOLDS[column], (tag, field.name, field.type, column)


def test_a_state_changing_field_without_a_typed_column_fails_at_import(monkeypatch):
    """A kind the model gains with a field of a new type cannot be silently dropped or kept as JSON."""

    @attrs.frozen
    class Measured(ev.Event):
        KIND = "measured_for_test"
        CHANGES_STATE = True
        weight: float = 0.0

    monkeypatch.setitem(_schema.EVENT_KINDS, Measured.KIND, Measured)
    with pytest.raises(UntypedFieldError, match=r"measured_for_test\.weight \(float\)"):
        _schema._kind_slots()


@pytest.fixture
def small_dataset(tmp_path):
    from engine.synthetic import synthetic_log

    return write_dataset(synthetic_log(300), tmp_path / "history", buckets=3)


class TestBadInput:
    def test_a_corrupt_file_is_named(self, small_dataset):
        path = small_dataset.bucket_path(1)
        path.write_bytes(path.read_bytes()[:40] + b"garbage" * 10)
        with pytest.raises(ColumnarFormatError, match=r"bucket=00001.*expected a readable Parquet file"):
            small_dataset.read_table()

    def test_a_foreign_schema_version_is_refused(self, small_dataset):
        path = small_dataset.bucket_path(2)
        table = pq.read_table(path)
        # Version 1 (before the kinds of the model issue had typed columns) is foreign too.
        foreign = table.replace_schema_metadata({b"legation.columnar_schema_version": b"1"})
        pq.write_table(foreign, path)
        with pytest.raises(
            ColumnarFormatError, match=rf"expected columnar schema version {SCHEMA_VERSION}, found version 1"
        ):
            small_dataset.read_bucket(2)

    def test_a_file_of_something_else_is_refused(self, small_dataset):
        pq.write_table(pa.table({"x": [1, 2]}), small_dataset.bucket_path(0))
        with pytest.raises(ColumnarFormatError, match="found no legation schema version"):
            small_dataset.read_bucket(0)

    def test_a_manifest_of_another_version_is_refused(self, small_dataset):
        path = small_dataset.directory / MANIFEST
        manifest = json.loads(path.read_text())
        manifest["columnar_schema_version"] = SCHEMA_VERSION + 1
        path.write_text(json.dumps(manifest))
        with pytest.raises(
            ColumnarFormatError,
            match=f"'columnar_schema_version': expected {SCHEMA_VERSION}, found {SCHEMA_VERSION + 1}",
        ):
            Dataset.open(small_dataset.directory)

    def test_not_a_dataset(self, tmp_path):
        with pytest.raises(ColumnarFormatError, match=f"found no {MANIFEST}"):
            Dataset.open(tmp_path)

    def test_an_existing_directory_is_not_overwritten(self, small_dataset):
        before = sorted(p.name for p in small_dataset.directory.iterdir())
        with pytest.raises(ColumnarFormatError, match="found one already there"):
            write_dataset(small_dataset.log(), small_dataset.directory)
        assert sorted(p.name for p in small_dataset.directory.iterdir()) == before

    def test_an_impossible_span_names_the_event(self):
        table = events_to_table([ev.StatementMade(id="s1", date="2000-01-01", actor="BOL", sources=("x",))])
        changed = table.set_column(
            SCHEMA.get_field_index("last_day"), "last_day", pa.array([pa.scalar(10960 + 40, pa.date32())])
        )
        with pytest.raises(ColumnarFormatError, match=r"event 's1', columns 'first_day'/'last_day'"):
            list(table_to_events(changed))


def test_more_actors_than_the_actor_column_holds_is_one_clear_error():
    """Actor codes are int16-indexed (2 bytes a row): a table of 32,769 distinct actors is refused, not wrapped."""
    from tests.factories import make

    one = make("recognition", "2000", "A0", "B0")
    events = [attrs.evolve(one, id=f"e{n}", actor=f"A{n}") for n in range(2**15 + 1)]
    with pytest.raises(ColumnarFormatError, match=r"column 'actor': expected at most 32768 distinct values"):
        events_to_table(events)
