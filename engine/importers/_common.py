"""What every importer shares: its error, its report, bounded line reading, and writing a result whole or not at all."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs

from events import LegationError, write_file, write_file_with

DATA_DIR = Path(__file__).with_name("data")
"""The reference tables the importers ship (COW state system, CAMEO codebook, Goldstein weights, mapping)."""
MAX_LINE_CHARS = 1 << 20
"""The longest line an importer reads (1 MiB): a longer one is refused, never read whole into memory."""


class ImportFormatError(LegationError, ValueError):
    """An input file an importer cannot read: names the file, the line, the field, what was expected and found."""

    def __init__(self, path: str, line: int | None, field: str | None, expected: str, found: object) -> None:
        self.path = path
        self.line = line
        self.field = field
        self.expected = expected
        self.found = found
        where = path if line is None else f"{path}:{line}"
        column = f"field {field!r}: " if field else ""
        shown = found if isinstance(found, int) else _shorten(found)
        super().__init__(f"{where}: {column}expected {expected}, found {shown!r}")


def _shorten(found: object) -> object:
    if isinstance(found, str) and len(found) > 80:
        return found[:77] + "..."
    return found


@attrs.define
class ImportReport:
    """What an import read, made and set aside; every problem with its line."""

    source: str
    """The file (or `<string>`)."""
    rows: int = 0
    """Data rows read (header and blank lines not counted)."""
    events: int = 0
    """Events in the imported history."""
    problems: list[str] = attrs.field(factory=list)
    """Rows set aside or doubtful, one line each, naming the line: contradictions, duplicates, unknown codes."""
    anomalies: list[str] = attrs.field(factory=list)
    """Impossible transitions met folding the imported events leniently (event id, date, rule)."""
    counts: dict[str, int] = attrs.field(factory=dict)
    """Named tallies (rows per CAMEO code mapped, unmapped codes, merged duplicates, ...)."""

    def count(self, key: str, by: int = 1) -> None:
        """Add to a tally."""
        self.counts[key] = self.counts.get(key, 0) + by

    def lines(self) -> list[str]:
        """The report as lines of text, for the terminal."""
        out = [f"{self.source}: {self.rows} rows read, {self.events} events"]
        out.extend(f"  {key}: {value}" for key, value in sorted(self.counts.items()))
        out.extend(f"  problem: {problem}" for problem in self.problems)
        out.extend(f"  anomaly: {anomaly}" for anomaly in self.anomalies)
        return out


def bounded_lines(stream: io.BufferedIOBase, path: str, max_chars: int = MAX_LINE_CHARS) -> Iterator[tuple[int, str]]:
    """Each line of a binary stream, decoded as UTF-8, with its 1-based number and without its line ending.

    A line is read at most `max_chars` (+1) bytes at a time, so a file of one enormous line costs no more
    memory than the cap; each line is decoded alone, so a bad byte is reported on its own line. A UTF-8
    byte-order mark at the start is skipped.

    Raises:
        ImportFormatError: a line longer than `max_chars` bytes, or bytes that are not UTF-8.
    """
    number = 0
    while True:
        raw = stream.readline(max_chars + 1)
        if not raw:
            return
        number += 1
        if len(raw) > max_chars and not raw.endswith(b"\n"):
            raise ImportFormatError(path, number, None, f"a line of at most {max_chars} bytes", "a longer line")
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if number == 1 and raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            found = "UTF-16 text (its byte-order mark): save it as UTF-8"
            raise ImportFormatError(path, number, None, "UTF-8 text", found)
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            found = f"the bytes {raw[error.start : error.end]!r} at character {error.start + 1}"
            raise ImportFormatError(path, number, None, "UTF-8 text", found) from None
        yield number, line.rstrip("\r\n")


def open_text(path: str | Path) -> io.BufferedIOBase:
    """Open a data file for `bounded_lines` (binary: each line is decoded alone).

    Raises:
        ImportFormatError: no such file, a folder, or not readable.
    """
    shown = str(path)
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise ImportFormatError(shown, None, None, "an existing file", shown) from None
    except IsADirectoryError:
        raise ImportFormatError(shown, None, None, "a file", "a folder") from None
    except OSError as error:
        raise ImportFormatError(shown, None, None, "a readable file", error.strerror or str(error)) from None


def write_atomically(path: str | Path, text: str) -> None:
    """Write `text` to `path` whole or not at all, keeping what is there (see `events.write_file`)."""
    write_file(path, text.encode("utf-8"), label="-o")


def write_atomically_with(path: str | Path, write: Callable[[str], object]) -> None:
    """Call `write(temporary)` to fill a file, then put it at `path`: whole or not at all (`events.write_file_with`)."""
    write_file_with(path, write, label="-o")
