"""Tampering: an altered byte, a removed, inserted or swapped record is caught by `verify`, at its position."""

from __future__ import annotations

import pytest

from engine.cli import main
from engine.store import EventStore, StoreError, verify
from engine.store._records import record_hash

from factories import make


@pytest.fixture
def store(store_url):
    """A store with ten statements recorded in three appends (positions 1 to 10)."""
    with EventStore.open(store_url, create=True) as opened:
        events = [make("statement", f"2000-01-{k + 1:02d}", id=f"s{k}") for k in range(10)]
        opened.append(events[:3])
        opened.append(events[3:7])
        opened.append(events[7:])
        yield opened


def sql(store: EventStore, statement: str, *params) -> list:
    """Run SQL as an attacker with write access would: past the append-only triggers."""
    recorder = store.recorder
    connection = recorder.connection
    if type(recorder).__name__ == "PostgresRecorder":
        connection.execute("ALTER TABLE legation_records DISABLE TRIGGER legation_records_append_only")
        cursor = connection.execute(statement.replace("?", "%s"), params)
        rows = cursor.fetchall() if cursor.description else []
        connection.execute("ALTER TABLE legation_records ENABLE TRIGGER legation_records_append_only")
        return rows
    connection.execute("DROP TRIGGER IF EXISTS legation_records_no_update")
    connection.execute("DROP TRIGGER IF EXISTS legation_records_no_delete")
    return connection.execute(statement, params).fetchall()


def bad_position(store: EventStore) -> int | None:
    (verdict,) = verify(store.recorder)
    return verdict.bad_position


COLUMNS = "stream, position, operation, event_id, recorded_at, anomaly, payload, previous_hash, hash"


class TestTampering:
    def test_an_untouched_store_verifies(self, store):
        """The chain of an honest store is intact, and the head is its last record."""
        (verdict,) = verify(store.recorder)
        assert verdict.ok and verdict.head_position == 10 and verdict.head_hash == store.head().hash

    def test_the_database_itself_refuses_updates_and_deletes(self, store):
        """The tables are append-only: an ordinary UPDATE or DELETE fails."""
        with pytest.raises(Exception, match="append-only"):
            store.recorder.connection.execute("DELETE FROM legation_records WHERE position = 3")

    @pytest.mark.parametrize("position", [1, 5, 10])
    def test_an_altered_byte_is_caught_at_its_record(self, store, position):
        """Changing one character of a stored event names that record."""
        sql(
            store,
            "UPDATE legation_records SET payload = substr(payload, 1, 20) || 'X' || substr(payload, 22) "
            "WHERE position = ?",
            position,
        )
        assert bad_position(store) == position

    def test_an_altered_time_of_recording_is_caught(self, store):
        """Backdating a record's time of recording is caught (the time is inside the hash)."""
        sql(store, "UPDATE legation_records SET recorded_at = '2000-01-01T00:00:00.000000Z' WHERE position = 6")
        assert bad_position(store) == 6

    @pytest.mark.parametrize("position", [1, 4, 10])
    def test_a_removed_record_is_caught_at_its_position(self, store, position):
        """Deleting a row (the first, one in the middle, or the last) names the missing position."""
        sql(store, "DELETE FROM legation_records WHERE position = ?", position)
        assert bad_position(store) == position

    def test_an_inserted_record_is_caught(self, store):
        """Renumbering to make room and inserting a forged record is caught at the forgery."""
        rows = sql(store, f"SELECT {COLUMNS} FROM legation_records WHERE position = 4")
        sql(store, "UPDATE legation_records SET position = position + 1000 WHERE position >= 5")
        sql(store, "UPDATE legation_records SET position = position - 999 WHERE position >= 1000")
        forged = list(rows[0])
        forged[1] = 5
        forged[3] = "forged"
        forged[6] = forged[6].replace('"s3"', '"forged"')
        sql(store, f"INSERT INTO legation_records ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", *forged)
        assert bad_position(store) == 5

    def test_a_forgery_that_recomputes_its_own_hash_is_caught_at_the_next_record(self, store):
        """A forger who chains the inserted record correctly still breaks the link to the record after it."""
        (row,) = sql(store, f"SELECT {COLUMNS} FROM legation_records WHERE position = 4")
        sql(store, "UPDATE legation_records SET position = position + 1000 WHERE position >= 5")
        sql(store, "UPDATE legation_records SET position = position - 999 WHERE position >= 1000")
        stream, _, operation, _, recorded_at, anomaly, payload, _, previous = row
        payload = payload.replace('"s3"', '"forged"')
        digest = record_hash(previous, stream, 5, operation, "forged", recorded_at, bool(anomaly), payload)
        forged = (stream, 5, operation, "forged", recorded_at, anomaly, payload, previous, digest)
        sql(store, f"INSERT INTO legation_records ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", *forged)
        assert bad_position(store) == 6

    def test_a_record_added_after_the_head_is_caught(self, store):
        """A record appended behind the store's back (the head not moved) is named."""
        (row,) = sql(store, f"SELECT {COLUMNS} FROM legation_records WHERE position = 10")
        stream, _, operation, _, recorded_at, anomaly, payload, _, _ = row
        payload = payload.replace('"s9"', '"extra"')
        digest = record_hash(row[8], stream, 11, operation, "extra", recorded_at, bool(anomaly), payload)
        extra = (stream, 11, operation, "extra", recorded_at, anomaly, payload, row[8], digest)
        sql(store, f"INSERT INTO legation_records ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", *extra)
        assert bad_position(store) == 11

    @pytest.mark.parametrize(("first", "second"), [(3, 7), (1, 2), (9, 10)])
    def test_swapped_records_are_caught_at_the_first(self, store, first, second):
        """Swapping two rows' positions (reordering the record) names the earlier position."""
        sql(store, "UPDATE legation_records SET position = -1 WHERE position = ?", first)
        sql(store, "UPDATE legation_records SET position = ? WHERE position = ?", first, second)
        sql(store, "UPDATE legation_records SET position = ? WHERE position = -1", second)
        assert bad_position(store) == first

    def test_swapped_contents_are_caught_at_the_first(self, store):
        """Swapping two records' events (keeping positions and hashes) names the earlier one."""
        (a,) = sql(store, "SELECT payload, event_id FROM legation_records WHERE position = 2")
        (b,) = sql(store, "SELECT payload, event_id FROM legation_records WHERE position = 8")
        sql(store, "UPDATE legation_records SET payload = ?, event_id = ? WHERE position = 2", *b)
        sql(store, "UPDATE legation_records SET payload = ?, event_id = ? WHERE position = 8", *a)
        assert bad_position(store) == 2

    def test_the_command_names_the_position_and_exits_1(self, store, capsys):
        """`legation verify` prints the first bad position and fails."""
        sql(store, "DELETE FROM legation_records WHERE position = 7")
        status = main(["verify", "--store", store.recorder.url if "postgresql" in store.url else _url(store)])
        out = capsys.readouterr().out
        assert status == 1
        assert "record 7: missing" in out


def _url(store: EventStore) -> str:
    return f"sqlite://{store.recorder.path}"


def test_a_tampered_payload_that_no_longer_reads_is_refused_when_loading(store_url):
    """Loading a stream whose stored bytes are no longer an event is one clear error, naming the record."""
    with EventStore.open(store_url, create=True) as store:
        store.append([make("statement", "2000", id="a"), make("statement", "2001", id="b")])
        sql(store, 'UPDATE legation_records SET payload = \'{"kind": "nonsense"}\' WHERE position = 2')
    with EventStore.open(store_url) as store, pytest.raises(StoreError, match="record 2"):
        store.scenario()
