"""The PostgreSQL recorder (psycopg 3): a store several people or pipelines write to at once."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from engine.store._errors import StoreCorruptError, StoreError, StoreUnavailableError
from engine.store._recorder import Head, Latest, Transaction, fold_latest
from engine.store._records import GENESIS_HASH, SCHEMA_VERSION, Record
from engine.store._sql import COLUMNS, SQLRecorder, read_head, read_latest_meta

try:
    import psycopg
except ImportError:  # pragma: no cover - exercised by installs without the extra
    psycopg = None  # type: ignore[assignment]

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS legation_schema (version integer NOT NULL);
INSERT INTO legation_schema (version) SELECT {SCHEMA_VERSION} WHERE NOT EXISTS (SELECT 1 FROM legation_schema);
CREATE TABLE IF NOT EXISTS legation_streams (
    name text PRIMARY KEY,
    head_position bigint NOT NULL,
    head_hash text NOT NULL,
    head_recorded_at text NOT NULL
);
CREATE TABLE IF NOT EXISTS legation_records (
    stream text NOT NULL,
    position bigint NOT NULL,
    operation text NOT NULL,
    event_id text,
    recorded_at text NOT NULL,
    anomaly boolean NOT NULL,
    payload text NOT NULL,
    previous_hash text NOT NULL,
    hash text NOT NULL,
    PRIMARY KEY (stream, position)
);
CREATE INDEX IF NOT EXISTS legation_records_by_event ON legation_records (stream, event_id);
CREATE INDEX IF NOT EXISTS legation_records_meta ON legation_records (stream, position)
    WHERE operation = 'meta';
CREATE OR REPLACE FUNCTION legation_append_only() RETURNS trigger LANGUAGE plpgsql AS
    $$ BEGIN RAISE EXCEPTION 'legation_records is append-only'; END $$;
CREATE OR REPLACE TRIGGER legation_records_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON legation_records
    FOR EACH STATEMENT EXECUTE FUNCTION legation_append_only();
"""
_SCHEMA_LOCK = 0x6C656761  # an advisory lock key: two `store init` at once create the tables once


def shown_url(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[1]}"))


def _one(row: tuple[Any, ...] | None) -> Any:
    """The single value of a one-column row (None when there is no row)."""
    return None if row is None else row[0]


class PostgresRecorder(SQLRecorder):
    """A store in a PostgreSQL database; writers of one stream take turns on its row's lock."""

    PLACEHOLDER = "%s"
    _connection: psycopg.Connection[tuple[Any, ...]]

    def __init__(self, url: str, *, create: bool = False) -> None:
        """Connect to the database at `url` (with `create`, make the tables if they are not there).

        Raises:
            StoreUnavailableError: psycopg is not installed, or the server cannot be reached.
            StoreCorruptError: the database has no legation store (and not `create`).
        """
        self.url = shown_url(url)
        if psycopg is None:
            raise StoreUnavailableError(
                f"{self.url}: a PostgreSQL store needs psycopg: pip install 'legation[store-postgres]'"
            )
        try:
            self._connection = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as error:
            detail = " ".join(str(error).split())
            raise StoreUnavailableError(f"{self.url}: cannot connect to the server ({detail})") from None
        self._prepare(create)

    def _open(self, create: bool) -> None:
        connection = self._connection
        if create:
            with connection.transaction():
                connection.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                connection.execute(_SCHEMA)
        found = _one(connection.execute("SELECT to_regclass('legation_schema')").fetchone())
        if found is None:
            raise StoreUnavailableError(
                f"{self.url}: no store in this database (create one with: legation store init URL)"
            )
        version = _one(connection.execute("SELECT max(version) FROM legation_schema").fetchone())
        if version is None or version > SCHEMA_VERSION:
            raise StoreCorruptError(
                f"{self.url}: store tables of version {version}; this legation reads {SCHEMA_VERSION}"
            )

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except psycopg.Error as error:
            detail = " ".join(str(error).split())
            if isinstance(error, psycopg.OperationalError) or self._connection.broken:
                raise StoreUnavailableError(f"{self.url}: lost the server ({detail}); nothing was written") from None
            raise StoreError(f"{self.url}: {detail}; nothing was written") from None

    @property
    def connection(self) -> psycopg.Connection[tuple[Any, ...]]:
        """The open connection (for tests that tamper with the tables as an attacker would)."""
        return self._connection

    @contextmanager
    def _transaction(self) -> Iterator[Transaction]:
        with self._translated(), self._connection.transaction():
            yield _PostgresTransaction(self._connection)


class _PostgresTransaction(Transaction):
    def __init__(self, connection: psycopg.Connection[tuple[Any, ...]]) -> None:
        self._connection = connection

    def head(self, stream: str) -> Head:
        # The stream's row is its write lock: make it if it is new (a rollback takes it away again), then lock it.
        self._connection.execute(
            "INSERT INTO legation_streams (name, head_position, head_hash, head_recorded_at) VALUES (%s, 0, %s, '') "
            "ON CONFLICT (name) DO NOTHING",
            (stream, GENESIS_HASH),
        )
        return read_head(self._connection, "%s", stream, suffix=" FOR UPDATE")

    def latest(self, stream: str, event_ids: Sequence[str]) -> dict[str, Latest]:
        found: dict[str, Latest] = {}
        rows = self._connection.execute(
            "SELECT event_id, position, operation, payload FROM legation_records "
            "WHERE stream = %s AND event_id = ANY(%s)",
            (stream, list(event_ids)),
        ).fetchall()
        for event_id, position, operation, payload in sorted(rows, key=lambda row: row[1]):
            fold_latest(found, event_id, position, operation, payload)
        return found

    def latest_meta(self, stream: str) -> str | None:
        return read_latest_meta(self._connection, "%s", stream)

    def insert(self, records: Sequence[Record]) -> None:
        # COPY: one round trip for a batch, several times faster than row-by-row inserts.
        with self._connection.cursor() as cursor, cursor.copy(f"COPY legation_records ({COLUMNS}) FROM STDIN") as copy:
            for r in records:
                copy.write_row(
                    (
                        r.stream,
                        r.position,
                        r.operation,
                        r.event_id,
                        r.recorded_at,
                        r.anomaly,
                        r.payload,
                        r.previous_hash,
                        r.hash,
                    )
                )

    def set_head(self, stream: str, head: Head) -> None:
        self._connection.execute(
            "UPDATE legation_streams SET head_position = %s, head_hash = %s, head_recorded_at = %s WHERE name = %s",
            (head.position, head.hash, head.recorded_at, stream),
        )
