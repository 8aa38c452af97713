"""The event store's conformance suite: every test runs against SQLite and a real PostgreSQL server."""

from __future__ import annotations

import itertools
import time

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import scenarios
from engine import History
from engine.store import (
    ConflictError,
    EventStore,
    ImpossibleRecordError,
    RecordRefusedError,
    dump_jsonl,
    read_jsonl,
    verify,
)
from engine.store._records import decode_event, event_record
from events import Log, LogError, dump_scenario, parse_scenario, read_scenario, scenario_of
from events.strategies import any_event, valid_logs

from factories import make, opened_relations


@pytest.fixture
def store(store_url):
    with EventStore.open(store_url, create=True) as opened:
        yield opened


def statements(count: int, start: int = 0, year: int = 2000) -> list:
    return [make("statement", f"{year}-01-{1 + k % 28:02d}", id=f"s{start + k}") for k in range(count)]


def snapshot(store: EventStore) -> list:
    """Every record of every stream, as stored."""
    return [record for name in store.streams() for record in store.records(name)]


class TestPayloads:
    @given(any_event())
    def test_an_event_read_back_from_its_record_is_equal(self, event):
        """The stored bytes of an event (its scenario-file dict as JSON) decode to an equal event."""
        record = event_record(event)
        from engine.store import Record

        stored = Record("s", 1, "event", event.id, "", False, record.payload, "", "")
        assert decode_event(stored) == event

    def test_json_lines_and_toml_hold_the_same_history(self, tmp_path):
        """A history written as JSON Lines reads back equal to the scenario file it came from."""
        scenario = scenarios.load("bolivia_usa")
        path = tmp_path / "history.jsonl"
        path.write_text(dump_jsonl(scenario), encoding="utf-8")
        again = read_jsonl(path)
        assert again.log == scenario.log
        assert (again.name, again.title, again.pair, again.description) == (
            scenario.name,
            scenario.title,
            scenario.pair,
            scenario.description,
        )
        assert again.declared_actors == scenario.declared_actors


class TestAppend:
    def test_appended_events_read_back_as_the_log_a_file_gives(self, store):
        """Importing the built-in history and reading it back gives the same log, header and answers."""
        scenario = scenarios.load("bolivia_usa")
        result = store.import_scenario(scenario)
        assert result.written == len(scenario.log) + 1
        back = store.scenario()
        assert back.log == scenario.log
        assert (back.name, back.pair, back.declared_actors) == (scenario.name, scenario.pair, scenario.declared_actors)
        from_file, from_store = History(scenario.log), store.history()
        assert from_store.state_at("BOL", "USA", "2009-01-01") == from_file.state_at("BOL", "USA", "2009-01-01")

    def test_a_reopened_store_holds_what_was_appended(self, store_url):
        """What one connection appended, another opened later reads."""
        with EventStore.open(store_url, create=True) as first:
            first.append(statements(5))
        with EventStore.open(store_url) as second:
            assert [event.id for event in second.scenario().log] == [f"s{k}" for k in range(5)]
            assert verify(second.recorder)[0].ok

    def test_a_retried_append_does_not_duplicate(self, store):
        """Appending the same events again (a retry) writes nothing and succeeds."""
        events = statements(3)
        first = store.append(events, expected=0)
        again = store.append(events, expected=0)
        assert (first.written, again.written, again.skipped) == (3, 0, 3)
        assert store.head().position == 3

    def test_a_stale_writer_gets_a_conflict_naming_both_positions(self, store):
        """An append that expects an older end is refused with both positions, and writes nothing."""
        store.append(statements(2), expected=0)
        before = snapshot(store)
        with pytest.raises(ConflictError) as caught:
            store.append(statements(1, start=10), expected=1)
        assert (caught.value.expected, caught.value.actual) == (1, 2)
        assert "position 1" in str(caught.value) and "position 2" in str(caught.value)
        assert snapshot(store) == before

    def test_a_second_store_object_sees_the_first_ones_appends(self, store_url):
        """Two writers on one stream: the second's stale expectation is a conflict, its fresh one works."""
        with EventStore.open(store_url, create=True) as a, EventStore.open(store_url) as b:
            a.append(statements(1), expected=0)
            b.append(statements(1, start=1), expected=1)
            with pytest.raises(ConflictError):
                a.append(statements(1, start=2), expected=1)
            a.append(statements(1, start=2))
            assert [event.id for event in b.scenario().log] == ["s0", "s1", "s2"]

    def test_an_id_used_again_with_other_fields_is_refused(self, store):
        """Recording another event under a recorded id is refused: a change is a correction."""
        store.append([make("statement", "2000", id="x")])
        with pytest.raises(RecordRefusedError, match="correction"):
            store.append([make("statement", "2001", id="x")])
        assert store.head().position == 1

    def test_an_impossible_event_is_refused_with_its_rule(self, store):
        """The strict reducer's refusal reaches the writer, and nothing is written."""
        store.append(opened_relations("1900"))
        with pytest.raises(ImpossibleRecordError, match="already established"):
            store.append([make("relations_established", "1950", "USA", "BOL", id="again")])
        assert store.head().position == 3

    def test_an_impossible_event_can_be_kept_as_an_anomaly(self, store):
        """Asked to, the store keeps an impossible event, flagged, and a lenient history shows the anomaly."""
        store.append(opened_relations("1900"))
        store.append([make("relations_established", "1950", "USA", "BOL", id="again")], anomaly=True)
        assert [record.anomaly for record in store.records()][-1]
        assert [found.event_id for found in store.history(strict=False).anomalies] == ["again"]
        store.append(statements(1, year=1960))  # later appends are checked against the accepted anomalies

    def test_an_invalid_event_in_the_middle_of_a_batch_writes_nothing(self, store):
        """A batch with one impossible event in the middle is refused whole."""
        store.append(opened_relations("1900"))
        batch = [*statements(3, year=1950), make("relations_severed", "1951", id="cut"), *statements(3, 10, 1952)]
        batch.insert(4, make("relations_established", "1951-06", id="impossible"))
        before = snapshot(store)
        with pytest.raises(ImpossibleRecordError, match="impossible"):
            store.append(batch)
        assert snapshot(store) == before

    def test_an_event_with_an_unknown_cause_is_refused(self, store):
        """The log's own rules (here: a cause must be recorded) are checked too."""
        with pytest.raises(RecordRefusedError, match="caused_by"):
            store.append([make("statement", "2000", id="a", caused_by=["nowhere"])])
        assert store.head().position == 0

    def test_a_backdated_event_is_placed_by_its_date(self, store):
        """An event recorded later but dated earlier sorts into history order, as in a file."""
        store.append(statements(3, year=2000))
        store.append([make("statement", "1999", id="early")])
        assert [event.id for event in store.scenario().log] == ["early", "s0", "s1", "s2"]

    def test_a_backdated_event_that_makes_a_later_one_impossible_is_refused(self, store):
        """Validation folds the whole history: a backdated event may not break what follows it."""
        store.append(opened_relations("1900"))
        store.append([make("relations_severed", "1950", id="cut")])
        with pytest.raises(ImpossibleRecordError):
            store.append([make("relations_severed", "1940", id="earlier-cut")])


class TestBitemporal:
    def test_a_correction_supersedes_and_the_old_record_stays(self, store):
        """After a correction the history shows the new fields; the record still holds the old ones."""
        store.append([make("statement", "2000", id="x", note="first")])
        store.correct([make("statement", "2000-05", id="x", note="corrected")])
        assert store.scenario().log.get("x").note == "corrected"
        assert store.scenario(as_recorded=1).log.get("x").note == "first"
        assert [record.operation for record in store.records()] == ["event", "correct"]

    def test_a_retraction_removes_the_event_from_later_views_only(self, store):
        """A retracted event is gone from the history from its retraction on."""
        store.append(statements(2))
        store.retract(["s0"], reason="misread source")
        assert [event.id for event in store.scenario().log] == ["s1"]
        assert [event.id for event in store.scenario(as_recorded=2).log] == ["s0", "s1"]

    def test_corrections_and_retractions_are_idempotent(self, store):
        """Correcting to what an event already is, or retracting twice, writes nothing."""
        store.append(statements(2))
        store.correct([make("statement", "2000-01-01", id="s0")])
        store.retract(["s1"])
        assert store.retract(["s1"]).written == 0
        assert [record.operation for record in store.records()] == ["event", "event", "retract"]

    def test_a_correction_keeps_the_event_in_its_place_among_its_date(self, store):
        """A corrected event keeps its recording order among events of the same date."""
        store.append([make("statement", "2000", id=name) for name in ("a", "b", "c")])
        store.correct([make("statement", "2000", id="a", note="fixed")])
        assert [event.id for event in store.scenario().log] == ["a", "b", "c"]

    def test_unknown_or_retracted_events_cannot_be_corrected(self, store):
        """A correction or retraction needs a recorded event; a retracted id is not reused."""
        store.append(statements(1))
        with pytest.raises(RecordRefusedError, match="no event"):
            store.correct([make("statement", "2000", id="nobody")])
        store.retract(["s0"])
        with pytest.raises(RecordRefusedError, match="retracted"):
            store.correct([make("statement", "2000", id="s0")])
        with pytest.raises(RecordRefusedError, match="retracted"):
            store.append([make("statement", "2000", id="s0")])

    def test_a_retraction_that_would_make_later_events_impossible_is_refused(self, store):
        """Retracting the establishment of relations that a later severance needs is refused."""
        store.append([*opened_relations("1900"), make("relations_severed", "1950", id="cut")])
        with pytest.raises(ImpossibleRecordError, match="cut"):
            store.retract(["USA-BOL-relations"])

    def test_as_recorded_at_a_time(self, store):
        """`as_recorded` by time of recording picks the records made by then; a day means its end."""
        store.append(statements(1))
        records = list(store.records())
        time.sleep(0.002)
        store.append(statements(1, start=1))
        stamp = records[0].recorded_at
        assert [event.id for event in store.scenario(as_recorded=stamp).log] == ["s0"]
        assert len(store.scenario(as_recorded=stamp[:10]).log) == 2
        assert len(store.scenario(as_recorded="2000-01-01").log) == 0

    def test_records_carry_both_times(self, store):
        """Each record says when it was recorded; its event says when it happened."""
        store.append(statements(1))
        (record,) = store.records()
        assert record.recorded_at.endswith("Z") and decode_event(record).date.year == 2000


class TestImportExport:
    def test_export_then_import_round_trips_losslessly(self, store, new_store_url, tmp_path):
        """A store's history exported as TOML and as JSON Lines imports into a new store as the same history."""
        scenario = scenarios.load("bolivia_usa")
        store.import_scenario(scenario)
        exported = store.scenario()
        toml_text = dump_scenario(exported)
        assert parse_scenario(toml_text).log == scenario.log
        jsonl = tmp_path / "out.jsonl"
        jsonl.write_text(dump_jsonl(exported), encoding="utf-8")
        with EventStore.open(new_store_url(), create=True) as other:
            other.import_scenario(read_jsonl(jsonl))
            assert other.scenario().log == scenario.log
            assert dump_scenario(other.scenario()) == toml_text

    def test_importing_the_same_file_twice_adds_nothing(self, store):
        """A second import of one file is a retried append: nothing is duplicated."""
        scenario = scenarios.load("bolivia_usa")
        store.import_scenario(scenario)
        head = store.head()
        assert store.import_scenario(scenario).written == 0
        assert store.head() == head

    def test_an_import_with_an_impossible_event_lands_not_at_all(self, store, tmp_path):
        """An import is all or nothing."""
        events = [*opened_relations("1900"), make("relations_established", "1950", id="twice"), *statements(5)]
        store.append(statements(1, start=100))
        before = snapshot(store)
        with pytest.raises(ImpossibleRecordError):
            store.import_scenario(scenario_of(events))
        assert snapshot(store) == before

    def test_imports_report_progress_in_batches(self, store):
        """The progress callback adds up to every record handled."""
        seen = []
        scenario = read_scenario(scenarios.history_path("bolivia_usa"))
        store.import_scenario(scenario, progress=seen.append)
        assert sum(seen) == len(scenario.log) + 1


class TestStreams:
    def test_streams_are_separate_histories(self, store):
        """Two streams in one store keep their own positions and chains."""
        store.append(statements(2), "a")
        store.append(statements(3), "b")
        assert {name: head.position for name, head in store.streams().items()} == {"a": 2, "b": 3}
        assert all(verdict.ok for verdict in verify(store.recorder))

    @given(st.integers(min_value=0, max_value=3))
    def test_as_recorded_positions_are_prefixes(self, count):
        """Asking for position k gives the history of the first k records (checked on a small SQLite store)."""
        import tempfile

        with tempfile.TemporaryDirectory() as folder, EventStore.open(f"{folder}/s.db", create=True) as store:
            for k in range(3):
                store.append(statements(1, start=k))
            assert [event.id for event in store.scenario(as_recorded=count).log] == [f"s{k}" for k in range(count)]


class TestExtendedLog:
    """The store's append path extends its log without copying its id map: equal to `Log.of` on the whole."""

    @given(valid_logs(max_size=20), st.lists(st.integers(min_value=0, max_value=20), max_size=25))
    def test_extending_in_pieces_equals_building_whole(self, log, cuts):
        """Extending a log piece by piece (past the flattening depth) gives `Log.of`'s log and positions."""
        from engine.store._application import extended_log

        events = log.events
        points = sorted({0, len(events), *(cut for cut in cuts if cut <= len(events))})
        built = Log.of(events[: points[0]], log.actors)
        for start, stop in itertools.pairwise(points):
            built = extended_log(built, events[start:stop])
        assert built == log
        assert [built.position(event.id) for event in events] == list(range(len(events)))
        assert all(event.id in built for event in events) and "nobody" not in built
        assert built.with_suffix(len(built), ()) == log  # the chained map serves with_suffix too

    @given(valid_logs(min_size=2, max_size=10), st.data())
    def test_a_bad_suffix_is_refused_as_log_of_refuses_it(self, log, data):
        """A repeated id or an unknown cause in the tail raises the error `Log.of` raises."""
        from engine.store._application import extended_log

        split = data.draw(st.integers(min_value=1, max_value=len(log) - 1))
        last = log.events[-1]
        bad = data.draw(
            st.sampled_from(
                [
                    attrs.evolve(last, id=log.events[0].id),
                    attrs.evolve(last, id="fresh", caused_by=("nowhere",)),
                ]
            )
        )
        tail = (*log.events[split:], bad)
        with pytest.raises(LogError) as whole:
            Log.of((*log.events, bad), log.actors)
        with pytest.raises(LogError) as extended:
            extended_log(Log.of(log.events[:split], log.actors), tail)
        assert str(extended.value) == str(whole.value)
