"""A history's columns as a process keeps them resident: the same rows in the narrowest lossless Arrow types.

`SCHEMA` is the form on disk and between processes: every column present, the widths fixed so that any
file reads with any other. A table kept in memory beside its index (what the fold reads and what answers
the log's questions) need not pay for that. `compacted` keeps every value and drops only what the rows
imply or never use:

- `seq` when it numbers the rows in order from some start (a whole history: the start is kept in the
  schema's metadata), else as `uint32` when it fits (a bucket's positions in a history of < 2^32 events);
- a nullable column that is null in every row (most kind-field columns of a bucket without those kinds);
- `first_day` as `uint16` days after the table's first (when its days span at most 65,535: 179 years),
  and `last_day` as its span after `first_day` in days (`uint16`: a century spans at most 36,525);
- dictionary columns with the narrowest index type that holds their dictionary, and `interval` (an EDTF
  interval's text, rare) and the list columns (a few kinds' codes: null in most rows, each list paying
  a 4-byte offset) dictionary-encoded when that is smaller;
- `number` as the narrowest integer type its values fit.

`expanded` gives `SCHEMA`'s columns back, equal to the table compacted (a Hypothesis property in
`tests/test_dataset_files.py`), so the log stays recoverable from the resident columns and the rest of
the dataset's file (citations, notes, the record-only kinds' fields). `fold_table` folds a compacted
table by expanding the fold's columns first (one pass in C, under 1% of the fold), with the same result.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from engine.dataset._schema import SCHEMA

SEQ_START_KEY = b"legation.resident_seq_start"
"""Metadata key of the first `seq` of a compacted table whose `seq` column is implied by its row order."""
FIRST_DAY_BASE_KEY = b"legation.resident_first_day_base"
"""Metadata key of the day (date32's count) a compacted `first_day` of `uint16` counts from."""
RESIDENT_KEY = b"legation.resident"
"""Metadata key every compacted table carries, so that a reader knows to expand it (`expanded`)."""
SPAN = "span"
"""The compacted column that replaces `last_day`: days from `first_day` to the last possible day."""
_INDEX_TYPES = (pa.int8(), pa.int16(), pa.int32())
_INTEGER_TYPES = (pa.int8(), pa.int16(), pa.int32(), pa.int64())


def compacted(table: pa.Table) -> pa.Table:
    """The table (`SCHEMA`'s types, any subset of its columns) in the narrowest types that keep every value."""
    table = table.combine_chunks()
    names, arrays = [], []
    metadata = {RESIDENT_KEY: b"1"}
    for name in table.column_names:
        column = table.column(name)
        nullable = SCHEMA.field(name).nullable
        if name == "seq":
            seq = column.to_numpy()
            if len(seq) and np.array_equal(seq, np.arange(seq[0], seq[0] + len(seq))):
                metadata[SEQ_START_KEY] = str(int(seq[0])).encode()
                continue
            if len(seq) and seq.min() >= 0 and seq.max() < 2**32:
                column = column.cast(pa.uint32())
        elif nullable and column.null_count == len(column):
            continue
        elif name == "first_day" and len(column):
            low, high = pc.min(column).cast(pa.int32()).as_py(), pc.max(column).cast(pa.int32()).as_py()
            if high - low <= np.iinfo(np.uint16).max:
                metadata[FIRST_DAY_BASE_KEY] = str(low).encode()
                column = pc.subtract(column.cast(pa.int32()), low).cast(pa.uint16())
        elif name == "last_day" and "first_day" in table.column_names:
            span = pc.subtract(column.cast(pa.int32()), table.column("first_day").cast(pa.int32()))
            if len(span) and pc.min(span).as_py() >= 0 and pc.max(span).as_py() <= np.iinfo(np.uint16).max:
                names.append(SPAN)
                arrays.append(span.cast(pa.uint16()))
                continue
        elif name == "interval":
            encoded = _narrow_dictionary(column.dictionary_encode())
            column = encoded if encoded.nbytes < column.nbytes else column
        elif pa.types.is_list(column.type) and not pa.types.is_nested(column.type.value_type):
            encoded = _dictionary_of_lists(column)
            if encoded.nbytes < column.nbytes:
                names.append(name)
                arrays.append(encoded)
                continue
        elif name == "number" and column.null_count < len(column):
            low, high = pc.min(column).as_py(), pc.max(column).as_py()
            column = column.cast(_narrowest(_INTEGER_TYPES, low, high))
        if pa.types.is_dictionary(column.type):
            column = _narrow_dictionary(column)
        names.append(name)
        arrays.append(column)
    return pa.Table.from_arrays(arrays, names=names, metadata=metadata)


def is_compacted(table: pa.Table) -> bool:
    """Whether the table is in the resident form `compacted` gives (not `SCHEMA`'s types)."""
    return RESIDENT_KEY in (table.schema.metadata or {})


def expanded(table: pa.Table, columns: Sequence[str]) -> pa.Table:
    """The columns named (of `SCHEMA`, in that order) of a compacted table, in `SCHEMA`'s types."""
    arrays = []
    for name in columns:
        field = SCHEMA.field(name)
        if name == "first_day":
            arrays.append(first_days(table).cast(field.type))
        elif name == "last_day" and SPAN in table.column_names:
            arrays.append(pc.add(first_days(table), table.column(SPAN).cast(pa.int32())).cast(field.type))
        elif name in table.column_names:
            column = table.column(name).combine_chunks()
            if pa.types.is_dictionary(column.type) and pa.types.is_list(column.type.value_type):
                column = column.dictionary.take(column.indices)  # Arrow casts no dictionary of lists
            arrays.append(column.cast(field.type))
        elif name == "seq":
            start = int((table.schema.metadata or {}).get(SEQ_START_KEY, b"0"))
            arrays.append(pa.array(np.arange(start, start + table.num_rows, dtype=np.int64)))
        else:
            arrays.append(pa.nulls(table.num_rows, field.type))
    return pa.Table.from_arrays(arrays, schema=pa.schema([SCHEMA.field(name) for name in columns]))


def first_days(table: pa.Table) -> pa.ChunkedArray:
    """A table's `first_day` as int32 days since 1970 (date32's count), compacted or not."""
    days = table.column("first_day")
    if pa.types.is_date32(days.type):
        return days.cast(pa.int32())
    base = int((table.schema.metadata or {})[FIRST_DAY_BASE_KEY])
    return pc.add(days.cast(pa.int32()), pa.scalar(base, pa.int32()))


def _narrowest(types: Sequence[pa.DataType], low: int, high: int) -> pa.DataType:
    for candidate in types:
        bits = candidate.bit_width - 1
        if -(2**bits) <= low and high < 2**bits:
            return candidate
    return types[-1]


def _dictionary_of_lists(column: pa.Array) -> pa.DictionaryArray:
    """A list column as a dictionary of its distinct lists (a kind's codes: few, and null in most rows)."""
    numbering: dict[tuple, int] = {}
    indices = [
        None if value is None else numbering.setdefault(tuple(value), len(numbering)) for value in column.to_pylist()
    ]
    index = _narrowest(_INDEX_TYPES, 0, len(numbering))
    dictionary = pa.array([list(value) for value in numbering], column.type)
    return pa.DictionaryArray.from_arrays(pa.array(indices, index), dictionary)


def _narrow_dictionary(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    size = len(array.dictionary)
    index = _narrowest(_INDEX_TYPES, 0, size)
    return array.cast(pa.dictionary(index, array.type.value_type))
