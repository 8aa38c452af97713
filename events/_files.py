"""Reading an input file safely: regular files only, size-capped, never blocking on a FIFO or device."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from events._errors import ScenarioFileError

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest scenario or counterfactual file read (the built-in history is about 150 KB)."""


def read_text_file(
    path: str | Path, what: str = "a scenario file", error: type[ScenarioFileError] = ScenarioFileError
) -> str:
    """The UTF-8 text of a regular file of at most `MAX_FILE_BYTES`.

    A FIFO, device or socket is refused without being read (reading `/dev/zero` would never end, and opening
    a FIFO would wait for a writer): the file is opened non-blocking and checked by its descriptor, so a
    file swapped for a FIFO after a look at its name is refused too.

    Args:
        path: the file.
        what: what the file should be, in words, for the messages ("a counterfactual file").
        error: the error class to raise (`ScenarioFileError` or a subclass).

    Raises:
        ScenarioFileError: (or `error`) missing, a folder, not a regular file, too large, unreadable, or not UTF-8.
    """
    shown = str(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise error(shown, "no such file") from None
    except IsADirectoryError:
        raise error(shown, f"expected {what}, found a folder") from None
    except (OSError, ValueError) as problem:
        raise error(shown, f"cannot read the file ({type(problem).__name__}: {problem})") from None
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise error(shown, f"expected {what}, found a folder")
        if not stat.S_ISREG(mode):
            raise error(shown, f"expected {what}, found {_kind_of(mode)}, which is not read")
        with os.fdopen(descriptor, "rb", closefd=False) as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as problem:
        raise error(shown, f"cannot read the file ({type(problem).__name__}: {problem})") from None
    finally:
        os.close(descriptor)
    if len(data) > MAX_FILE_BYTES:
        raise error(shown, f"expected {what} of at most {MAX_FILE_BYTES // (1024 * 1024)} MB, found a larger file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as problem:
        line = data.count(b"\n", 0, problem.start) + 1
        detail = f"cannot read the file: expected UTF-8 text, found a byte that is not ({problem.reason})"
        raise error(shown, detail, line) from None


def _kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"
