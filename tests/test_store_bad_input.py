"""Bad input never costs a traceback or a stored record: one line naming what is wrong, exit 2, store unchanged."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

import scenarios
from engine.cli import main
from engine.store import EventStore, StoreError, StoreUnavailableError, dump_jsonl
from events import dump_scenario, scenario_of

from factories import make, opened_relations


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def assert_one_line(status: int, err: str, *words: str) -> None:
    assert status == 2, err
    assert err.count("\n") == 1 and err.startswith("legation: error: "), err
    assert "Traceback" not in err
    for word in words:
        assert word in err, (word, err)


@contextlib.contextmanager
def read_only(path: Path):
    """Make a file read-only for this process: its mode, or (as root, whom modes do not stop) immutable."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(0o644)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("running as root, and this file system cannot make a file immutable (chattr +i)")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def records_of(url: str) -> list:
    with EventStore.open(url) as store:
        return [record for name in store.streams() for record in store.records(name)]


@pytest.fixture
def filled(store_url):
    """A store holding the built-in history."""
    with EventStore.open(store_url, create=True) as store:
        store.import_scenario(scenarios.load("bolivia_usa"))
    return store_url


class TestFiles:
    @pytest.mark.parametrize(("where", "words"), [("header", "not an SQLite database"), ("middle", "damaged")])
    def test_a_corrupt_store_file_is_one_line_and_left_as_it_is(self, tmp_path, capsys, where, words):
        """Garbage over the file's header or its middle pages: each command says so in one line, changing nothing."""
        path = tmp_path / "history.db"
        with EventStore.open(str(path), create=True) as store:
            store.import_scenario(scenarios.load("bolivia_usa"))
        with open(path, "r+b") as handle:
            handle.seek(0 if where == "header" else path.stat().st_size // 2)
            handle.write(b"\xde\xad\xbe\xef" * 1024)
        before = path.read_bytes()
        record = ["record", "--store", str(path), "--kind", "visit", "--id", "v", "--date", "2020", "--actor", "BOL"]
        for argv in (
            ["verify", "--store", str(path)],
            ["at", "2008-10-01", "--store", str(path)],
            [*record, "--target", "USA", "--source", "s"],
        ):
            status, _, err = run(capsys, *argv)
            assert_one_line(status, err, str(path), words)
        assert path.read_bytes() == before

    def test_a_foreign_sqlite_database_is_refused_and_kept(self, tmp_path, capsys):
        """A database of some other program is named as not a store, and neither read nor changed."""
        path = tmp_path / "other.db"
        with sqlite3.connect(path) as connection:
            connection.execute("CREATE TABLE customers (name TEXT)")
            connection.execute("INSERT INTO customers VALUES ('Ada')")
        before = path.read_bytes()
        for argv in (["store", "init", str(path)], ["verify", "--store", str(path)]):
            status, _, err = run(capsys, *argv)
            assert_one_line(status, err, "not a legation store", "customers")
        assert path.read_bytes() == before

    def test_a_missing_store_file_is_not_created_by_reading(self, tmp_path, capsys):
        """Naming a store that does not exist says how to create one, and creates nothing."""
        path = tmp_path / "nowhere.db"
        status, _, err = run(capsys, "log", "--store", str(path))
        assert_one_line(status, err, "no store here", "legation store init")
        assert not path.exists()

    def test_a_read_only_store_refuses_a_write_in_one_line(self, tmp_path, capsys):
        """A store file that cannot be written: `record` fails in one line, exit 2, and the file is unchanged."""
        path = tmp_path / "history.db"
        with EventStore.open(str(path), create=True) as store:
            store.append(opened_relations("1900"))
        with read_only(path):
            before = path.read_bytes()
            argv = ["record", "--store", str(path), "--kind", "visit", "--id", "v1", "--date", "1950"]
            status, _, err = run(capsys, *argv, "--actor", "BOL", "--target", "USA", "--source", "test")
            assert_one_line(status, err, str(path), "read-only")
            assert path.read_bytes() == before
            with EventStore.open(str(path)) as store:
                assert store.head().position == 3

    def test_a_full_disk_writes_nothing(self, tmp_path):
        """When the database cannot grow (a size limit standing in for a full disk), the append fails whole."""
        path = tmp_path / "history.db"
        with EventStore.open(str(path), create=True) as store:
            store.append(opened_relations("1900"))
            pages = store.recorder.connection.execute("PRAGMA page_count").fetchone()[0]
            store.recorder.connection.execute(f"PRAGMA max_page_count = {pages + 1}")
            many = [make("statement", "1950", id=f"s{k}", note="x" * 500) for k in range(200)]
            with pytest.raises(StoreError) as caught:
                store.append(many)
            message = str(caught.value)
            assert "full" in message and "nothing was written" in message and "\n" not in message
        with EventStore.open(str(path)) as store:
            assert store.head().position == 3
            assert len(store.scenario().log) == 3


class TestUrls:
    @pytest.mark.parametrize(
        ("url", "words"),
        [
            ("mysql://localhost/history", ["unknown kind of store 'mysql'", "sqlite:///PATH"]),
            ("sqlite://", ["expected a file after sqlite://"]),
            ("postgresql://nobody@/history?host=/nonexistent&port=9", ["cannot connect to the server"]),
        ],
    )
    def test_a_wrong_url_is_one_line(self, capsys, url, words):
        """An unknown scheme, an empty path, a database nobody serves: one line each."""
        status, _, err = run(capsys, "log", "--store", url)
        assert_one_line(status, err, *words)

    def test_a_password_is_not_printed(self, capsys):
        """A URL's password never reaches the terminal."""
        status, _, err = run(capsys, "log", "--store", "postgresql://ann:secret@/db?host=/nonexistent&port=9")
        assert_one_line(status, err, "ann:***@")
        assert "secret" not in err

    def test_a_server_that_is_down(self, postgres_server, capsys):
        """A PostgreSQL URL where no server listens: one line naming it."""
        url = postgres_server.url().replace(f"port={postgres_server.port}", f"port={postgres_server.port + 1}")
        status, _, err = run(capsys, "verify", "--store", url)
        assert_one_line(status, err, "cannot connect to the server")

    def test_a_connection_lost_mid_session_writes_nothing(self, postgres_server):
        """If the server drops the connection before an append commits, the append fails whole."""
        import psycopg

        url = postgres_server.fresh_url()
        with EventStore.open(url, create=True) as store:
            store.append(opened_relations("1900"))
            pid = store.recorder.connection.info.backend_pid
            with psycopg.connect(postgres_server.url(), autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
            with pytest.raises(StoreUnavailableError, match="nothing was written"):
                store.append([make("statement", "1950", id="lost")])
        assert len(records_of(url)) == 3


class TestBatches:
    def test_an_impossible_event_in_the_middle_of_an_import_lands_nothing(self, filled, tmp_path, capsys):
        """A scenario file whose middle event the reducer refuses: one line naming it, and the store unchanged."""
        events = [
            *opened_relations("1900", "FRA", "BOL"),
            *(make("statement", "1950", "FRA", id=f"s{k}") for k in range(5)),
        ]
        events.insert(4, make("relations_established", "1920", "FRA", "BOL", id="twice"))
        path = tmp_path / "more.toml"
        path.write_text(dump_scenario(scenario_of(events, name="more")), encoding="utf-8")
        before = records_of(filled)
        status, _, err = run(capsys, "store", "import", str(path), "--store", filled)
        assert_one_line(status, err, "'twice'", "already established")
        assert records_of(filled) == before

    def test_a_bad_line_in_a_json_lines_import_names_its_line(self, filled, tmp_path, capsys):
        """A JSON Lines file with a broken event names the file, the line and the field; nothing is recorded."""
        good = dump_jsonl(scenario_of([make("statement", "1950", "FRA", id=f"j{k}") for k in range(4)])).splitlines()
        bad = json.loads(good[3])
        bad["date"] = "someday"
        good[3] = json.dumps(bad)
        path = tmp_path / "more.jsonl"
        path.write_text("\n".join(good) + "\n", encoding="utf-8")
        before = records_of(filled)
        status, _, err = run(capsys, "store", "import", str(path), "--store", filled)
        assert_one_line(status, err, f"{path}:4", "'j2'", "date")
        assert records_of(filled) == before

    def test_a_stale_expected_position_is_a_conflict_in_one_line(self, filled, capsys):
        """`record --expect` with an old position names both positions and writes nothing."""
        before = records_of(filled)
        argv = ["record", "--store", filled, "--expect", "7", "--kind", "visit", "--id", "v", "--date", "2020"]
        status, _, err = run(capsys, *argv, "--actor", "BOL", "--target", "USA", "--source", "s")
        assert_one_line(status, err, "position 7", f"position {len(before)}")
        assert records_of(filled) == before

    def test_an_unknown_kind_from_the_command_line(self, filled, capsys):
        """A `record` with a kind that does not exist is refused before the store is touched."""
        status, _, err = run(capsys, "record", "--store", filled, "--kind", "invasion", "--id", "x")
        assert_one_line(status, err, "unknown event kind 'invasion'")
