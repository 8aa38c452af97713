"""Histories beyond one process: Arrow columns, Parquet datasets, the fold from columns, and Dask (the `dask` extra)."""

from engine.dataset._files import DEFAULT_BUCKETS, MANIFEST, Dataset, Dissolution, bucket_of, write_dataset
from engine.dataset._fold import FOLD_COLUMNS, ColumnFold, PairIndex, fold_table
from engine.dataset._resident import compacted, expanded
from engine.dataset._schema import (
    FIELD_COLUMNS,
    SCHEMA,
    SCHEMA_VERSION,
    ColumnarFormatError,
    events_to_table,
    table_to_events,
)

__all__ = [
    "DEFAULT_BUCKETS",
    "FIELD_COLUMNS",
    "FOLD_COLUMNS",
    "ColumnFold",
    "PairIndex",
    "compacted",
    "expanded",
    "fold_table",
    "MANIFEST",
    "SCHEMA",
    "SCHEMA_VERSION",
    "ColumnarFormatError",
    "Dataset",
    "Dissolution",
    "bucket_of",
    "events_to_table",
    "table_to_events",
    "write_dataset",
]
