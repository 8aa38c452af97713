"""Files in and out, safely: inputs are regular, size-capped and never block; outputs never lose what is there."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

from events._errors import LegationError, ScenarioFileError

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


# --- writing -------------------------------------------------------------------------------------------

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class OutputFileError(LegationError, OSError):
    """An output file that cannot be written: one line naming the option (or "file"), the name and why."""


def write_file(name: str | os.PathLike[str], data: bytes, *, label: str = "file") -> str:
    """Write `data` to the file `name` without losing what is there; returns the path written (a link's target).

    The one writer of every output (scenario and counterfactual files, exports, pictures, pages, imports, store
    exports; docs/output-files.md):

    - an empty name is refused (it would otherwise name the current folder's parent's entry);
    - a symbolic link is followed on purpose: the file it points to is written, and the link stays a link;
    - a FIFO or a character device (`/dev/stdout`, a terminal, a pipe from `>(...)`) is written through, as the
      shell's `>` would; a directory, socket or block device is refused;
    - a regular file (or a new one) is replaced whole: the data goes to a temporary file created with O_EXCL
      beside the target, which takes the target's permission bits (and owner, where allowed), is synced, and
      is renamed over it, so that a failure leaves the old file as it was and no temporary file behind.

    Raises:
        OutputFileError: `{label} {name!r}: {reason}`, for any of the above or an operating-system error.
    """

    def fill(temporary: str) -> None:
        with open(temporary, "wb") as handle:
            handle.write(data)

    return write_file_with(name, fill, label=label)


def write_file_with(name: str | os.PathLike[str], fill: Callable[[str], object], *, label: str = "file") -> str:
    """Like `write_file`, for a writer that fills a path itself (`fill(temporary)`, e.g. a Parquet writer).

    An `OSError` raised by `fill` becomes an `OutputFileError` naming it; anything else it raises is let through,
    after the temporary file is removed.
    """
    shown = os.fspath(name)
    if not shown:
        raise OutputFileError(f"{label} {shown!r}: expected a file name, found an empty one")
    target = os.path.realpath(shown) if os.path.islink(shown) else shown
    try:
        found: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        found = None
    except OSError as error:
        raise OutputFileError(f"{label} {shown!r}: cannot write ({error.strerror or error})") from None
    if found is not None and not stat.S_ISREG(found.st_mode):
        if not (stat.S_ISFIFO(found.st_mode) or stat.S_ISCHR(found.st_mode)):
            kind = "a directory" if stat.S_ISDIR(found.st_mode) else "a socket or block device"
            raise OutputFileError(f"{label} {shown!r}: expected a file to write, found {kind}")
    elif shown.endswith(os.sep) or (os.altsep and shown.endswith(os.altsep)):
        raise OutputFileError(f"{label} {shown!r}: expected a file name, found a folder's")
    try:
        _replace(target, fill, found)
    except OSError as error:
        raise OutputFileError(f"{label} {shown!r}: cannot write ({error.strerror or error})") from None
    return target


def _replace(target: str, fill: Callable[[str], object], found: os.stat_result | None) -> None:
    """Fill a new file beside `target` and rename it over it (or copy it through a FIFO or device)."""
    folder, base = os.path.split(os.path.abspath(target))
    while True:
        temporary = os.path.join(folder, f".{base}.{secrets.token_hex(6)}.tmp")
        try:
            # 0o666 less the umask for a new file, as any program creates one; an existing file's mode below.
            os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o666))
            break
        except FileExistsError:
            continue
    try:
        fill(temporary)
        if found is not None and not stat.S_ISREG(found.st_mode):
            with open(temporary, "rb") as source, open(target, "wb") as through:  # like the shell's `>`
                through.write(source.read())
            return
        descriptor = os.open(temporary, os.O_RDONLY | _NOFOLLOW)
        try:
            if found is not None:
                os.fchmod(descriptor, stat.S_IMODE(found.st_mode))
                with contextlib.suppress(OSError):  # only root may give a file away; the mode is what matters
                    os.fchown(descriptor, found.st_uid, found.st_gid)
            os.fsync(descriptor)  # the new content is on disk before it takes the old one's name
        finally:
            os.close(descriptor)
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
