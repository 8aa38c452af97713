"""What the SQLite and PostgreSQL recorders share: reading heads and records with SQL, whatever the driver."""

from __future__ import annotations

import abc
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any

from engine.store._recorder import BATCH, Head, Recorder
from engine.store._records import Record

COLUMNS = "stream, position, operation, event_id, recorded_at, anomaly, payload, previous_hash, hash"
"""The columns of `legation_records`, in the order of `Record`'s fields."""


def record_of(row: tuple[Any, ...]) -> Record:
    """The `Record` of a row of `COLUMNS` (SQLite keeps `anomaly` as 0 or 1)."""
    stream, position, operation, event_id, recorded_at, anomaly, payload, previous_hash, digest = row
    return Record(stream, position, operation, event_id, recorded_at, bool(anomaly), payload, previous_hash, digest)


def read_head(connection: Any, placeholder: str, stream: str, *, suffix: str = "") -> Head:
    """Where a stream ends, read on a DB-API connection whose parameters are written `placeholder`."""
    row = connection.execute(
        f"SELECT head_position, head_hash, head_recorded_at FROM legation_streams WHERE name = {placeholder}{suffix}",
        (stream,),
    ).fetchone()
    return Head() if row is None else Head(*row)


def read_latest_meta(connection: Any, placeholder: str, stream: str) -> str | None:
    """The payload of a stream's latest `meta` record (its title and pair), or None if it has none."""
    row = connection.execute(
        "SELECT payload FROM legation_records WHERE stream = "
        f"{placeholder} AND operation = 'meta' ORDER BY position DESC LIMIT 1",
        (stream,),
    ).fetchone()
    return None if row is None else row[0]


class SQLRecorder(Recorder):
    """A recorder over one DB-API connection (`connection.execute(sql, params)`), the reading half written once.

    A backend sets `PLACEHOLDER` (its driver's parameter mark), opens `_connection`, and gives `_translated()`,
    which turns its driver's errors into the store's; the writing half (`_transaction`) is its own.
    """

    PLACEHOLDER: str
    """How the driver writes a query parameter: `?` (sqlite3) or `%s` (psycopg)."""
    _connection: Any

    def _prepare(self, create: bool) -> None:
        """Check (or with `create`, make) the schema on the connection just opened, closing it if that fails."""
        try:
            with self._translated():
                self._open(create)
        except BaseException:
            self._connection.close()
            raise

    @abc.abstractmethod
    def _open(self, create: bool) -> None:
        """Check the schema of the store behind `_connection`, or make it when `create` is true."""

    @abc.abstractmethod
    def _translated(self) -> AbstractContextManager[None]:
        """A block in which the driver's errors become the store's (one line naming the store)."""

    def head(self, stream: str) -> Head:
        with self._translated():
            return read_head(self._connection, self.PLACEHOLDER, stream)

    def streams(self) -> dict[str, Head]:
        with self._translated():
            rows = self._connection.execute(
                "SELECT name, head_position, head_hash, head_recorded_at FROM legation_streams "
                "WHERE head_position > 0 ORDER BY name"
            ).fetchall()
        return {name: Head(position, digest, time) for name, position, digest, time in rows}

    def stream_names(self) -> list[str]:
        with self._translated():
            rows = self._connection.execute("SELECT DISTINCT stream FROM legation_records").fetchall()
        return sorted(row[0] for row in rows)

    def read(self, stream: str, after: int = 0, upto: int | None = None) -> Iterator[Record]:
        mark = self.PLACEHOLDER
        last = after
        limit = upto if upto is not None else 2**62
        while True:
            with self._translated():
                rows = self._connection.execute(
                    f"SELECT {COLUMNS} FROM legation_records WHERE stream = {mark} AND position > {mark} "
                    f"AND position <= {mark} ORDER BY position LIMIT {mark}",
                    (stream, last, limit, BATCH * 5),
                ).fetchall()
            if not rows:
                return
            for row in rows:
                yield record_of(row)
            last = rows[-1][1]

    def position_at(self, stream: str, recorded_at: str) -> int:
        mark = self.PLACEHOLDER
        with self._translated():
            row = self._connection.execute(
                f"SELECT max(position) FROM legation_records WHERE stream = {mark} AND recorded_at <= {mark}",
                (stream, recorded_at),
            ).fetchone()
        return (row[0] if row is not None else None) or 0

    def close(self) -> None:
        self._connection.close()
