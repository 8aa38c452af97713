"""Histories as Arrow columns and Parquet datasets: lossless both ways, and bad files refused in one line."""

import json

import pytest

pa = pytest.importorskip("pyarrow", reason="the columnar history needs the dask extra (pyarrow)")
import pyarrow.parquet as pq  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import events as ev  # noqa: E402
from engine.dataset import (  # noqa: E402
    MANIFEST,
    SCHEMA,
    ColumnarFormatError,
    Dataset,
    events_to_table,
    table_to_events,
    write_dataset,
)
from engine.dataset._schema import (  # noqa: E402
    EXTRA,
    KIND_SLOTS,
    date_of,
)
from events.strategies import any_event, imprecise_dates, valid_logs  # noqa: E402


@given(st.lists(any_event(), max_size=12))
def test_any_events_survive_the_table(events):
    """Every kind, every field value Hypothesis finds (any text, any date), comes back equal."""
    assert list(table_to_events(events_to_table(events))) == events


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


def test_every_field_the_fold_reads_has_a_typed_column():
    """A state-changing kind's fields each have a typed column of their own (the fold reads rows without
    building events); only record-only kinds may keep fields in the JSON `extra` column."""
    for tag, slots in KIND_SLOTS.items():
        if ev.EVENT_KINDS[tag].CHANGES_STATE:
            assert all(column != EXTRA for _, column in slots), (tag, slots)


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
        foreign = table.replace_schema_metadata({b"legation.columnar_schema_version": b"99"})
        pq.write_table(foreign, path)
        with pytest.raises(ColumnarFormatError, match=r"expected columnar schema version 1, found version 99"):
            small_dataset.read_bucket(2)

    def test_a_file_of_something_else_is_refused(self, small_dataset):
        pq.write_table(pa.table({"x": [1, 2]}), small_dataset.bucket_path(0))
        with pytest.raises(ColumnarFormatError, match="found no legation schema version"):
            small_dataset.read_bucket(0)

    def test_a_manifest_of_another_version_is_refused(self, small_dataset):
        path = small_dataset.directory / MANIFEST
        manifest = json.loads(path.read_text())
        manifest["columnar_schema_version"] = 2
        path.write_text(json.dumps(manifest))
        with pytest.raises(ColumnarFormatError, match="'columnar_schema_version': expected 1, found 2"):
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
