"""Writing an output file without losing what is there: the one writer of `export -o`, `graph -o` and `plot --out`.

What it does with what is already at the name (see docs/output-files.md):

- an empty name is refused (it would otherwise name the current folder's parent's entry);
- a symbolic link is followed on purpose: the file it points to is written, and the link stays a link;
- a FIFO or a character device (`/dev/stdout`, `/dev/null`, a terminal, a pipe from `>(...)`) is written
  through, as the shell's `>` would; a directory, socket or block device is refused;
- a regular file (or a new one) is replaced whole: the text goes to a temporary file created with O_EXCL
  beside the target, which then takes the target's permission bits (and owner, where allowed) and is renamed
  over it, so that a failure leaves the old file as it was and no temporary file behind. (A rename gives the
  target a new inode: other hard links to it keep the old content.)

Every failure is a `UsageError` naming the option, the file and the reason, in one line.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _refuse(option: str, name: str, reason: str) -> Exception:
    from engine.cli._common import UsageError

    return UsageError(f"{option} {name!r}: {reason}")


def write_bytes(name: str, data: bytes, *, option: str = "--out") -> str:
    """Write `data` to the file `name` (see the module's rules); returns the path written (a link's target).

    Raises:
        UsageError: an empty name, a directory or other unwritable kind of file, or an operating-system error.
    """
    if not name:
        raise _refuse(option, name, "expected a file name, found an empty one")
    target = os.path.realpath(name) if os.path.islink(name) else name
    try:
        found = os.stat(target)
    except FileNotFoundError:
        found = None
    except OSError as error:
        raise _refuse(option, name, f"cannot write ({error.strerror})") from None
    try:
        if found is not None and not stat.S_ISREG(found.st_mode):
            if stat.S_ISFIFO(found.st_mode) or stat.S_ISCHR(found.st_mode):
                with open(target, "wb") as handle:  # through, like the shell's `>`: nothing to replace
                    handle.write(data)
                return target
            kind = "a directory" if stat.S_ISDIR(found.st_mode) else "a socket or block device"
            raise _refuse(option, name, f"expected a file to write, found {kind}")
        if name.endswith(os.sep) or (os.altsep and name.endswith(os.altsep)):
            raise _refuse(option, name, "expected a file name, found a folder's")
        _replace(target, data, found)
    except OSError as error:
        raise _refuse(option, name, f"cannot write ({error.strerror})") from None
    return target


def write_text(name: str, text: str, *, option: str = "--out") -> str:
    """Write `text` as UTF-8 to the file `name`, as `write_bytes` does."""
    return write_bytes(name, text.encode("utf-8"), option=option)


def _replace(target: str, data: bytes, found: os.stat_result | None) -> None:
    """Write a new file beside `target` and rename it over it, keeping the old one's permission bits."""
    folder, base = os.path.split(os.path.abspath(target))
    while True:
        temporary = os.path.join(folder, f".{base}.{secrets.token_hex(6)}.tmp")
        try:
            # 0o666 less the umask for a new file, as any program creates one; an existing file's mode below.
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if found is not None:
                os.fchmod(handle.fileno(), stat.S_IMODE(found.st_mode))
                with contextlib.suppress(OSError):  # only root may give a file away; the mode is what matters
                    os.fchown(handle.fileno(), found.st_uid, found.st_gid)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())  # the new content is on disk before it takes the old one's name
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
