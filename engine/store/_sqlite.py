"""The SQLite recorder: the embedded default, one file in WAL mode, the standard `sqlite3` module."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from engine.store._errors import StoreCorruptError, StoreError, StoreUnavailableError
from engine.store._recorder import Head, Latest, Transaction, fold_latest
from engine.store._records import SCHEMA_VERSION, Record
from engine.store._sql import COLUMNS, SQLRecorder, read_head, read_latest_meta

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS legation_schema (version INTEGER NOT NULL);
INSERT INTO legation_schema (version) SELECT {SCHEMA_VERSION} WHERE NOT EXISTS (SELECT 1 FROM legation_schema);
CREATE TABLE IF NOT EXISTS legation_streams (
    name TEXT PRIMARY KEY,
    head_position INTEGER NOT NULL,
    head_hash TEXT NOT NULL,
    head_recorded_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS legation_records (
    stream TEXT NOT NULL,
    position INTEGER NOT NULL,
    operation TEXT NOT NULL,
    event_id TEXT,
    recorded_at TEXT NOT NULL,
    anomaly INTEGER NOT NULL,
    payload TEXT NOT NULL,
    previous_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (stream, position)
);
CREATE INDEX IF NOT EXISTS legation_records_by_event ON legation_records (stream, event_id);
CREATE INDEX IF NOT EXISTS legation_records_meta ON legation_records (stream, position)
    WHERE operation = 'meta';
CREATE TRIGGER IF NOT EXISTS legation_records_no_update BEFORE UPDATE ON legation_records
    BEGIN SELECT RAISE(ABORT, 'legation_records is append-only'); END;
CREATE TRIGGER IF NOT EXISTS legation_records_no_delete BEFORE DELETE ON legation_records
    BEGIN SELECT RAISE(ABORT, 'legation_records is append-only'); END;
"""
_IDS_PER_QUERY = 500


class SQLiteRecorder(SQLRecorder):
    """A store in one SQLite file (WAL mode, synchronous=FULL: a committed append survives a crash)."""

    PLACEHOLDER = "?"
    _connection: sqlite3.Connection

    def __init__(self, path: str | Path, *, create: bool = False) -> None:
        """Open the store at `path` (with `create`, make the file and its tables if they are not there).

        Raises:
            StoreUnavailableError: no file (and not `create`), or it cannot be opened.
            StoreCorruptError: the file is not an SQLite database, or not a legation store.
        """
        self.path = Path(path)
        self.url = f"sqlite://{self.path}" if self.path.is_absolute() else str(self.path)
        if not create and not self.path.is_file():
            if self.path.is_dir():
                raise StoreUnavailableError(f"{self.url}: expected a store file, found a folder")
            raise StoreUnavailableError(f"{self.url}: no store here (create one with: legation store init {self.path})")
        try:
            self._connection = sqlite3.connect(self.path, isolation_level=None, timeout=60, check_same_thread=False)
        except sqlite3.Error as error:
            raise StoreUnavailableError(f"{self.url}: cannot open ({error})") from None
        self._prepare(create)

    def _open(self, create: bool) -> None:
        connection = self._connection
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "legation_schema" not in tables:
            if tables:
                found = ", ".join(sorted(tables)[:5])
                raise StoreCorruptError(
                    f"{self.url}: an SQLite database, but not a legation store (its tables: {found})"
                )
            if not create:
                raise StoreUnavailableError(
                    f"{self.url}: no store here (create one with: legation store init {self.path})"
                )
        if create:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.executescript(f"BEGIN IMMEDIATE; {_SCHEMA} COMMIT;")
        version = connection.execute("SELECT max(version) FROM legation_schema").fetchone()[0]
        if version is None or version > SCHEMA_VERSION:
            raise StoreCorruptError(
                f"{self.url}: store tables of version {version}; this legation reads {SCHEMA_VERSION}"
            )
        # WAL: readers never block the writer; FULL: each commit is synced, so a crash keeps every committed append.
        connection.execute("PRAGMA synchronous = FULL")

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """Turn the database's errors into one-line store errors naming the file."""
        try:
            yield
        except sqlite3.Error as error:
            raise _store_error(self.url, error) from None

    @property
    def connection(self) -> sqlite3.Connection:
        """The open connection (for tests that tamper with the file as an attacker would)."""
        return self._connection

    @contextmanager
    def _transaction(self) -> Iterator[Transaction]:
        with self._translated():
            # IMMEDIATE takes the write lock at once: the head read below cannot go stale before the commit.
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield _SQLiteTransaction(self._connection)
                self._connection.execute("COMMIT")
            except BaseException:
                if self._connection.in_transaction:
                    self._connection.execute("ROLLBACK")
                raise


class _SQLiteTransaction(Transaction):
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def head(self, stream: str) -> Head:
        return read_head(self._connection, "?", stream)

    def latest(self, stream: str, event_ids: Sequence[str]) -> dict[str, Latest]:
        found: dict[str, Latest] = {}
        for start in range(0, len(event_ids), _IDS_PER_QUERY):
            chunk = event_ids[start : start + _IDS_PER_QUERY]
            rows = self._connection.execute(
                "SELECT event_id, position, operation, payload FROM legation_records "
                f"WHERE stream = ? AND event_id IN ({','.join('?' * len(chunk))})",
                (stream, *chunk),
            ).fetchall()
            # Sorted here, not by the query: ORDER BY position would lead SQLite to walk the stream's
            # primary key (every record of it) instead of looking the ids up in their index.
            for event_id, position, operation, payload in sorted(rows, key=_position):
                fold_latest(found, event_id, position, operation, payload)
        return found

    def latest_meta(self, stream: str) -> str | None:
        return read_latest_meta(self._connection, "?", stream)

    def insert(self, records: Sequence[Record]) -> None:
        self._connection.executemany(
            f"INSERT INTO legation_records ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    r.stream,
                    r.position,
                    r.operation,
                    r.event_id,
                    r.recorded_at,
                    int(r.anomaly),
                    r.payload,
                    r.previous_hash,
                    r.hash,
                )
                for r in records
            ],
        )

    def set_head(self, stream: str, head: Head) -> None:
        self._connection.execute(
            "INSERT INTO legation_streams (name, head_position, head_hash, head_recorded_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET head_position = excluded.head_position, head_hash = excluded.head_hash, "
            "head_recorded_at = excluded.head_recorded_at",
            (stream, head.position, head.hash, head.recorded_at),
        )


def _position(row: tuple[str, int, str, str]) -> int:
    return row[1]


def _store_error(url: str, error: sqlite3.Error) -> StoreError:
    text = str(error)
    if "malformed" in text:
        return StoreCorruptError(f"{url}: the store file is damaged ({text}); restore it from a copy")
    if "file is not a database" in text:
        return StoreCorruptError(
            f"{url}: not a legation store: the file is not an SQLite database, or is damaged ({text})"
        )
    if "readonly" in text or "read-only" in text:
        return StoreError(f"{url}: cannot write: the store is read-only ({text}); nothing was written")
    if "full" in text:
        return StoreError(
            f"{url}: cannot write: the disk or the database's size limit is full ({text}); nothing was written"
        )
    if "locked" in text or "busy" in text:
        return StoreError(f"{url}: the store stayed locked by another writer ({text}); nothing was written")
    if "unable to open" in text:
        return StoreUnavailableError(f"{url}: cannot open the file ({text})")
    return StoreError(f"{url}: {text}")
