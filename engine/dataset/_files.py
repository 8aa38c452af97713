"""Parquet datasets of a history: one directory, one file per bucket of pairs, and a manifest.

Layout of a dataset directory:

    legation-dataset.json          the manifest: schema version, bucket count, event count, the actor
                                   table, and every dissolution (which every bucket's fold needs)
    bucket=00000/part-0.parquet    the events whose unit (pair, or actor alone) hashes to bucket 0,
    bucket=00001/part-0.parquet    in history order, with their `seq` in the whole history
    ...

An event goes to bucket `crc32(unit) % buckets`, its unit being its sorted pair or its actor alone
(`events.unit_of`): the fold is pair-local, so each bucket folds on its own. The directory is written
beside its final place and moved there whole, so a failed write leaves nothing half-written, and an
existing dataset is never overwritten.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from engine.dataset._schema import (
    SCHEMA,
    SCHEMA_VERSION,
    ColumnarFormatError,
    check_version,
    conformed,
    events_to_table,
    table_to_events,
)
from events import Actor, ActorTable, Event, EventDate, ImpreciseDate, Log, StateDissolved, parse_date, unit_of

MANIFEST = "legation-dataset.json"
"""The manifest's file name inside a dataset directory."""
DEFAULT_BUCKETS = 32
"""Buckets a dataset is written in unless told otherwise: tasks for a few dozen workers' threads."""
CHUNK_EVENTS = 262_144
"""Events encoded at a time while streaming a history into its files (bounds the writer's memory)."""


def bucket_of(unit: tuple[str, ...], buckets: int) -> int:
    """The bucket of a pair or actor: crc32 of its codes joined by a space, modulo the bucket count."""
    return zlib.crc32(" ".join(unit).encode()) % buckets


def _bucket_path(directory: Path, bucket: int) -> Path:
    return directory / f"bucket={bucket:05d}" / "part-0.parquet"


def _actor_json(actor: Actor) -> dict:
    return {
        "code": actor.code,
        "name": actor.name,
        "cow": actor.cow,
        "start": None if actor.start is None else str(actor.start),
        "end": None if actor.end is None else str(actor.end),
    }


def _actor_of(data: dict) -> Actor:
    return Actor(data["code"], data["name"], data["cow"], _actor_date(data, "start"), _actor_date(data, "end"))


def _actor_date(data: dict, end: str) -> ImpreciseDate | None:
    """An actor's start or end as the manifest wrote it: a single EDTF date (actors have no intervals)."""
    if data[end] is None:
        return None
    date = parse_date(data[end])
    if not isinstance(date, ImpreciseDate):
        raise ColumnarFormatError(f"actor {data['code']!r}, field {end!r}: expected an EDTF date, found {date}")
    return date


@attrs.frozen
class Dissolution:
    """A `state_dissolved` event as every bucket's fold needs it: where it stands, whom, when."""

    seq: int
    actor: str
    date: EventDate


def write_dataset(
    events: Iterable[Event],
    directory: str | os.PathLike,
    *,
    actors: ActorTable | None = None,
    buckets: int = DEFAULT_BUCKETS,
) -> Dataset:
    """Write events, given in history order (a `Log`, or a stream), as a Parquet dataset.

    Streams: encodes `CHUNK_EVENTS` events at a time and appends each chunk's rows to their buckets' files.

    Args:
        events: the history, in order (a `Log`'s order; a stream such as `engine.synthetic`'s).
        directory: where the dataset goes; must not exist yet.
        actors: the actor table (a `Log`'s by default).
        buckets: how many files the pairs are spread over.

    Raises:
        ColumnarFormatError: the directory exists, or `actors` is missing for a stream.
    """
    target = Path(directory)
    if buckets < 1:
        raise ColumnarFormatError(f"{target}: expected at least one bucket, found {buckets}")
    if target.exists():
        raise ColumnarFormatError(f"{target}: expected a new directory for the dataset, found one already there")
    table = actors if actors is not None else getattr(events, "actors", None)
    if table is None:
        raise ColumnarFormatError(f"{target}: a stream of events needs its actor table (actors=...)")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        count, dissolutions = _write_buckets(events, staging, buckets)
        manifest = {
            "columnar_schema_version": SCHEMA_VERSION,
            "buckets": buckets,
            "events": count,
            "partitioning": "crc32 of the unit's codes joined by a space, modulo buckets",
            "actors": [_actor_json(actor) for actor in table.values()],
            "dissolutions": [[d.seq, d.actor, str(d.date)] for d in dissolutions],
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Dataset.open(target)


def _chunks(events: Iterable[Event]) -> Iterator[list[Event]]:
    chunk: list[Event] = []
    for event in events:
        chunk.append(event)
        if len(chunk) == CHUNK_EVENTS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _write_buckets(events: Iterable[Event], directory: Path, buckets: int) -> tuple[int, list[Dissolution]]:
    writers: dict[int, pq.ParquetWriter] = {}
    bucket_cache: dict[tuple[str, ...], int] = {}
    dissolutions: list[Dissolution] = []
    count = 0
    try:
        for chunk in _chunks(events):
            table = events_to_table(chunk, start=count)
            of_row = np.empty(len(chunk), dtype=np.int32)
            for row, event in enumerate(chunk):
                unit = unit_of(event)
                bucket = bucket_cache.get(unit)
                if bucket is None:
                    bucket = bucket_cache[unit] = bucket_of(unit, buckets)
                of_row[row] = bucket
                if type(event) is StateDissolved:
                    dissolutions.append(Dissolution(count + row, event.actor, event.date))
            count += len(chunk)
            for bucket in np.unique(of_row).tolist():
                rows = table.filter(pa.array(of_row == bucket))
                writer = writers.get(bucket)
                if writer is None:
                    path = _bucket_path(directory, bucket)
                    path.parent.mkdir(parents=True)
                    writer = writers[bucket] = pq.ParquetWriter(path, SCHEMA, compression="zstd")
                writer.write_table(rows)
        for bucket in range(buckets):
            if bucket not in writers:  # every bucket has its file, so a missing one is noticed on reading
                path = _bucket_path(directory, bucket)
                path.parent.mkdir(parents=True)
                pq.write_table(SCHEMA.empty_table(), path, compression="zstd")
    finally:
        for writer in writers.values():
            writer.close()
    return count, dissolutions


@attrs.frozen
class Dataset:
    """A Parquet dataset of a history (see the module docstring), opened: its manifest read and checked."""

    directory: Path
    buckets: int
    events: int
    actors: ActorTable
    dissolutions: tuple[Dissolution, ...]

    @classmethod
    def open(cls, directory: str | os.PathLike) -> Dataset:
        """Read a dataset's manifest.

        Raises:
            ColumnarFormatError: no manifest, an unreadable one, or another schema version.
        """
        path = Path(directory)
        manifest_path = path / MANIFEST
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ColumnarFormatError(f"{path}: expected a legation dataset, found no {MANIFEST}") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            detail = f"{manifest_path}: expected a JSON manifest, found unreadable text ({error})"
            raise ColumnarFormatError(detail) from None
        version = manifest.get("columnar_schema_version") if isinstance(manifest, dict) else None
        if version != SCHEMA_VERSION:
            raise ColumnarFormatError(
                f"{manifest_path}: field 'columnar_schema_version': expected {SCHEMA_VERSION}, found {version!r}"
            )
        try:
            actors = ActorTable({row["code"]: _actor_of(row) for row in manifest["actors"]})
            dissolutions = tuple(
                Dissolution(int(seq), actor, parse_date(date)) for seq, actor, date in manifest["dissolutions"]
            )
            return cls(path, int(manifest["buckets"]), int(manifest["events"]), actors, dissolutions)
        except (KeyError, TypeError, ValueError) as error:
            raise ColumnarFormatError(f"{manifest_path}: expected a legation dataset manifest ({error})") from None

    def bucket_path(self, bucket: int) -> Path:
        """The Parquet file of one bucket."""
        return _bucket_path(self.directory, bucket)

    def read_bucket(self, bucket: int, columns: list[str] | None = None) -> pa.Table:
        """One bucket's events as a `SCHEMA` table (or those columns of it), in history order.

        Raises:
            ColumnarFormatError: the file is missing, not Parquet, corrupt, or of another schema version.
        """
        return read_events_file(self.bucket_path(bucket), columns)

    def read_table(self, columns: list[str] | None = None) -> pa.Table:
        """Every event as one table in history order (sorted by `seq`)."""
        parts = [self.read_bucket(bucket, columns) for bucket in range(self.buckets)]
        table = pa.concat_tables(parts).combine_chunks() if parts else SCHEMA.empty_table()
        if table.num_rows != self.events:
            raise ColumnarFormatError(
                f"{self.directory}: the manifest counts {self.events} events, the files hold {table.num_rows}"
            )
        return table.take(pc.sort_indices(table.column("seq")))

    def log(self) -> Log:
        """The history as a validated `Log` (every event built as an object: for tests and small histories)."""
        return Log.of(table_to_events(self.read_table(), str(self.directory)), self.actors)


def read_events_file(path: Path, columns: list[str] | None = None) -> pa.Table:
    """One Parquet file of events, its schema version checked, conformed to `SCHEMA` (or those columns).

    Raises:
        ColumnarFormatError: the file is missing, not Parquet, corrupt, or of another schema version.
    """
    try:
        handle = pq.ParquetFile(path)
        check_version(handle.schema_arrow, str(path))
        table = handle.read(columns=columns)
    except FileNotFoundError:
        raise ColumnarFormatError(f"{path}: expected a Parquet file of events, found no such file") from None
    except (pa.ArrowException, OSError) as error:
        raise ColumnarFormatError(f"{path}: expected a readable Parquet file, found a damaged one ({error})") from None
    if columns is not None:
        wanted = pa.schema([SCHEMA.field(name) for name in columns])
        try:
            return table.cast(wanted)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
            detail = f"{path}: columns {columns}: expected {wanted}, found {table.schema} ({error})"
            raise ColumnarFormatError(detail) from None
    return conformed(table, str(path))
