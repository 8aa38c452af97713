"""A durable, bitemporal, append-only, tamper-evident event store: SQLite embedded, PostgreSQL for teams.

Layers (imports go one way): `_records` (the stored record, its bytes and hash) <- `_recorder` (the
backend interface and the append rules: concurrency, idempotency, chaining) <- `_sqlite` / `_postgres`
(the two backends) <- `_application` (`EventStore`: appends checked by the reducer, histories read back).
A backend knows events and bytes, never the reducer. See docs/store.md.
"""

from __future__ import annotations

from engine.store._application import DEFAULT_STREAM, EventStore, ImpossibleRecordError, View, event_from_toml
from engine.store._errors import (
    ConflictError,
    RecordRefusedError,
    StoreCorruptError,
    StoreError,
    StoreUnavailableError,
)
from engine.store._files import dump_jsonl, read_history_file, read_jsonl, write_text_atomically
from engine.store._recorder import AppendResult, Head, Recorder
from engine.store._records import Meta, NewRecord, Record, event_record, parse_recorded, retraction_record
from engine.store._verify import Verdict, verify

_SCHEMES = "sqlite:///PATH, a file path, or postgresql://USER@HOST:PORT/DATABASE"


def open_recorder(url: str, *, create: bool = False) -> Recorder:
    """The recorder for a store URL: `sqlite:///path/to/file.db`, a bare file path, or `postgresql://...`.

    Raises:
        StoreUnavailableError: an unknown scheme, a missing store (unless `create`), a server that is down.
        StoreCorruptError: a file that is not a legation store.
    """
    text = str(url).strip()
    if text.startswith(("postgresql://", "postgres://")):
        from engine.store._postgres import PostgresRecorder

        return PostgresRecorder(text, create=create)
    if text.startswith("sqlite://"):
        # sqlite:///abs/path (and SQLAlchemy's sqlite:////abs/path) name /abs/path; a relative path is given bare.
        path = text[len("sqlite://") :]
        if path.startswith("//"):
            path = "/" + path.lstrip("/")
        if not path or path == "/":
            raise StoreUnavailableError(f"{text}: expected a file after sqlite:// (sqlite:///path/to/store.db)")
        from engine.store._sqlite import SQLiteRecorder

        return SQLiteRecorder(path, create=create)
    if "://" in text or not text:
        scheme = text.split("://", 1)[0] if text else ""
        raise StoreUnavailableError(f"store URL {text!r}: unknown kind of store {scheme!r}: expected {_SCHEMES}")
    from engine.store._sqlite import SQLiteRecorder

    return SQLiteRecorder(text, create=create)


__all__ = [
    "DEFAULT_STREAM",
    "AppendResult",
    "ConflictError",
    "EventStore",
    "Head",
    "ImpossibleRecordError",
    "Meta",
    "NewRecord",
    "Record",
    "RecordRefusedError",
    "Recorder",
    "StoreCorruptError",
    "StoreError",
    "StoreUnavailableError",
    "Verdict",
    "View",
    "dump_jsonl",
    "event_from_toml",
    "event_record",
    "open_recorder",
    "parse_recorded",
    "read_history_file",
    "read_jsonl",
    "retraction_record",
    "verify",
    "write_text_atomically",
]
