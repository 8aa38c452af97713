"""The errors a store raises: each a `LegationError`, so the command line reports it as one line."""

from __future__ import annotations

from events import LegationError


class StoreError(LegationError, RuntimeError):
    """A store that cannot be opened, read or written (names the store and what went wrong)."""


class StoreUnavailableError(StoreError, ConnectionError):
    """The store's database cannot be reached: a wrong URL, a server that is down, a missing file."""


class StoreCorruptError(StoreError):
    """A stored record that cannot be read back (bad bytes, a broken chain, a foreign database).

    Attributes:
        stream: the stream at fault, or None.
        position: the first bad record position, or None.
    """

    def __init__(self, message: str, stream: str | None = None, position: int | None = None) -> None:
        self.stream = stream
        self.position = position
        super().__init__(message)


class ConflictError(StoreError):
    """An append that expected the stream to end at one position while it ends at another; nothing was written.

    Attributes:
        stream: the stream.
        expected: the position the writer expected the stream to end at.
        actual: the position it ends at.
    """

    def __init__(self, stream: str, expected: int, actual: int) -> None:
        self.stream = stream
        self.expected = expected
        self.actual = actual
        message = (
            f"stream {stream!r}: expected it to end at position {expected}, but it ends at position {actual} "
            "(another writer appended first); nothing was written: read it again and retry"
        )
        super().__init__(message)


class RecordRefusedError(StoreError, ValueError):
    """A record that breaks a rule of the store (an id used twice, a correction of an unknown event, ...).

    Attributes:
        event_id: the event the record is about, or None.
        rule: the rule it breaks.
    """

    def __init__(self, rule: str, event_id: str | None = None) -> None:
        self.event_id = event_id
        self.rule = rule
        where = f"event {event_id!r}: " if event_id is not None else ""
        super().__init__(f"{where}{rule}; nothing was written")
