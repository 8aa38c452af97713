"""A cache of `legation at` answers, so asking the same question again of unchanged files starts in milliseconds.

Why: on `legation at DATE`, building the event model's classes (attrs) and parsing the TOML history cost
several times the interpreter's own start-up, while the answer is a pure function of the question, the
history file and the code.

What it keys on (see docs/cache.md): the question as `legation at`'s own parser reads it (built by
`engine.cli.build_parser` with `_options.ReadingParser`, which keeps the date as its text), and a fast hash
(BLAKE2b) of the *content* of everything the answer depends on: the history file (whatever its name) and
its resolved path, and every file it includes (kept in the entry as a tree and walked again on look-up with
`scenarios.resolve_include`, so that an include now leading elsewhere is a miss); every file of the
`engine`, `events` and `scenarios` packages (code and data); the versions of the libraries; and the Python
version. No size or modification time is trusted.

Why it cannot differ from the full path: an entry is written only after the full path has answered a
command line, and holds exactly the text it printed (exit 0, nothing on stderr); it is found again only by a
command line that the same parser reads as the same question, about files with the same content. Dates are
compared as text: what day a date stands for, or whether it is valid, is decided by the full path alone.
Anything else — a parse error, `--help`, a missing or unreadable file, an entry of the wrong shape, a cache
folder that is not private, output the terminal cannot encode — takes the full path.
`tests/test_answer_cache.py` checks byte-identical output and exit status with the cache on and off over
generated command lines.

Where: $LEGATION_CACHE_DIR (empty: no cache), else $XDG_CACHE_HOME/legation or ~/.cache/legation. The folder
is kept 0700 and each entry 0600; entries are written to an exclusive temporary file and renamed into place
(never through a link), and the oldest are removed beyond `MAX_ENTRIES` or `MAX_BYTES`.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path

CACHE_VERSION = 3
MAX_ENTRIES = 256
"""The most answers kept; beyond it the oldest (by modification time) are removed."""
MAX_BYTES = 16 * 1024 * 1024
"""The most bytes of answers kept."""
MAX_ENTRY_BYTES = 1024 * 1024
"""An entry larger than this is neither written nor read."""
MAX_INCLUDE_DEPTH = 32
"""A scenario whose includes nest deeper than this is not cached."""
MAX_HISTORY_BYTES = 64 * 1024 * 1024
"""A history file larger than this is not hashed (the full path answers, or refuses it)."""
_PREFIX, _SUFFIX = "answer-", ".json"
_PACKAGES = ("engine", "events", "scenarios")
_LIBRARIES = (
    ("attr", "attrs"),
    ("attrs", "attrs"),
    ("immutables", "immutables"),
    ("tomli", "tomli"),
    ("tomli_w", "tomli_w"),
    ("networkx", "networkx"),
    ("rich", "rich"),
)
"""The third-party modules of the core install (module, distribution): their versions are part of the key."""
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def cache_folder() -> Path | None:
    """Where answers are kept: $LEGATION_CACHE_DIR (empty: no cache), else $XDG_CACHE_HOME/legation."""
    chosen = os.environ.get("LEGATION_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "legation"


def read_question(argv: Sequence[str]) -> dict | None:
    """What an `at` command line asks, read by `legation at`'s own parser, or None if it is not a plain question.

    None for any other subcommand, a command line the parser refuses or would print help for, or stray
    arguments. The date stays text.
    """
    if not argv or argv[0] != "at":
        return None
    from engine.cli import build_parser
    from engine.cli._options import NotReadable, ReadingParser

    try:
        args, extra = build_parser(only="at", parser_class=ReadingParser).parse_known_args(list(argv))
    except NotReadable:
        return None
    if extra:
        return None
    if getattr(args, "store", None) is not None:
        return None  # a store's record is not a file this cache can hash: its answers are always computed
    return {key: value for key, value in sorted(vars(args).items()) if key != "handler"}


def _read_regular(path: str | os.PathLike, limit: int, *, follow: bool = True, private: bool = False) -> bytes | None:
    """The bytes of a regular file of at most `limit` bytes, or None (a FIFO or device is never read)."""
    flags = os.O_RDONLY | _NONBLOCK | (0 if follow else _NOFOLLOW)
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        if private and (info.st_uid != os.getuid() or info.st_mode & 0o077):
            return None
        chunks, size = [], 0
        while chunk := os.read(descriptor, 1 << 20):
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(descriptor)


def _package_folders() -> list[Path]:
    from importlib.util import find_spec

    folders: list[Path] = []
    for package in _PACKAGES:
        spec = find_spec(package)  # finds without importing (the event model stays unloaded)
        if spec is None or not spec.submodule_search_locations:
            raise LookupError(package)
        folders.extend(Path(location) for location in spec.submodule_search_locations)
    return folders


def _add_tree(digest, folder: Path) -> None:
    """Hash every file under a folder (names and contents), skipping bytecode caches."""
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if name != "__pycache__" and not name.startswith("."))
        for name in sorted(files):
            path = os.path.join(root, name)
            content = _read_regular(path, MAX_HISTORY_BYTES, follow=True)
            if content is None:
                raise LookupError(path)  # an unreadable code file: do not cache rather than guess
            digest.update(f"{os.path.relpath(path, folder)}\0{len(content)}\0".encode())
            digest.update(content)


def _distributions() -> list[str]:
    """Where each library the answer is computed with lives, and its metadata folders there (name and version).

    Found without importing them (`find_spec`), so a changed version or a library loaded from elsewhere
    changes the key.
    """
    from importlib.util import find_spec

    found = []
    listed: dict[str, list[str]] = {}
    for module, distribution in _LIBRARIES:
        spec = find_spec(module)
        locations = spec.submodule_search_locations if spec else None
        location = locations[0] if locations else None
        location = location or (spec.origin if spec else None)
        if location is None:
            found.append(f"{module}: absent")
            continue
        folder = os.path.dirname(os.path.abspath(location))
        if folder not in listed:
            try:
                listed[folder] = sorted(os.listdir(folder))
            except OSError:
                listed[folder] = []
        metadata = [name for name in listed[folder] if name.lower().startswith(f"{distribution}-")]
        found.append(f"{module}: {location} {metadata}")
    return found


def _history_file(question: dict) -> Path:
    import scenarios

    return Path(scenarios.history_path(question["scenario"]))


def _key(question: dict) -> str | None:
    """The entry name's hash for a question: the question and the content of everything its answer depends on."""
    try:
        history_file = _history_file(question)
    except Exception:  # no such file: the full path says so
        return None
    history = _read_regular(history_file, MAX_HISTORY_BYTES)
    if history is None:
        return None
    try:  # CPython's own BLAKE2 (hashlib would load OpenSSL first, ~4 ms of a cached answer's start-up)
        from _blake2 import blake2b
    except ImportError:
        from hashlib import blake2b

    digest = blake2b(digest_size=20)
    header = {
        "cache": CACHE_VERSION,
        "python": sys.version,
        "implementation": sys.implementation.cache_tag,
        "question": question,
        "history": os.path.realpath(history_file),
        "distributions": _distributions(),
    }
    digest.update(json.dumps(header, sort_keys=True, ensure_ascii=False).encode())
    digest.update(b"\0history\0")
    digest.update(history)
    for folder in _package_folders():
        digest.update(f"\0package\0{folder.name}\0".encode())
        _add_tree(digest, folder)
    return digest.hexdigest()


def _private_folder(folder: Path, *, create: bool) -> bool:
    """True if the folder is a directory of this user's that nobody else can read or write (made so if ours)."""
    try:
        if create:
            os.makedirs(folder, mode=0o700, exist_ok=True)
        info = os.stat(folder)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            return False
        if info.st_mode & 0o077:
            if not create:
                return False
            os.chmod(folder, 0o700)  # our own cache folder, made by an older version or a loose umask
        return True
    except OSError:
        return False


def _entry_text(raw: bytes, key: str, history_file: Path) -> str | None:
    """The answer kept in an entry, or None if it is not an entry of this shape for this key."""
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(document, dict) or set(document) != {"version", "key", "stdout", "files"}:
        return None
    if document["version"] != CACHE_VERSION or document["key"] != key:
        return None
    stdout = document["stdout"]
    if not isinstance(stdout, str) or not stdout.endswith("\n"):
        return None
    return stdout if _still_reads(history_file, document["files"]) else None


_NODE_KEYS = {"identity", "hash", "includes"}


def _tree(path: Path, chain: tuple[str, ...] = ()) -> dict | None:
    """The files a scenario is read from, as the reader reaches them, or None if any is unreadable.

    For the file at `path`: its identity (resolved path), a hash of its content, and for each entry of its
    `include` list, that entry and the same for the file `scenarios.resolve_include` finds for it.
    """
    content = _read_regular(path, MAX_HISTORY_BYTES)
    identity = str(Path(path).resolve())
    if content is None or identity in chain or len(chain) > MAX_INCLUDE_DEPTH:
        return None
    node: dict = {"identity": identity, "hash": _hash(content), "includes": []}
    if b"include" not in content:  # no `include` key can be there: nothing to parse
        return node
    import tomli

    import scenarios

    entries = tomli.loads(content.decode("utf-8")).get("include", [])
    if not isinstance(entries, list):
        return None
    for entry in entries:
        if not isinstance(entry, str):
            return None
        child = _tree(scenarios.resolve_include(entry, Path(path).parent), (*chain, identity))
        if child is None:
            return None
        node["includes"].append({"entry": entry, "tree": child})
    return node


def _still_reads(path: Path, node: object, chain: tuple[str, ...] = ()) -> bool:
    """Whether the reader would now reach the same files with the same content as the kept tree says.

    The include entries are the kept ones (the including file's content is the same, so are its entries);
    where each leads is found again with `scenarios.resolve_include`, as the reader does.
    """
    if not isinstance(node, dict) or set(node) != _NODE_KEYS or not isinstance(node["includes"], list):
        return False
    content = _read_regular(path, MAX_HISTORY_BYTES)
    identity = str(Path(path).resolve())
    if content is None or identity != node["identity"] or _hash(content) != node["hash"]:
        return False
    if identity in chain or len(chain) > MAX_INCLUDE_DEPTH:
        return False
    import scenarios

    for child in node["includes"]:
        if not isinstance(child, dict) or set(child) != {"entry", "tree"} or not isinstance(child["entry"], str):
            return False
        target = scenarios.resolve_include(child["entry"], Path(path).parent)
        if not _still_reads(target, child["tree"], (*chain, identity)):
            return False
    return True


def _hash(content: bytes) -> str:
    try:  # CPython's own BLAKE2 (hashlib would load OpenSSL first, ~4 ms of a cached answer's start-up)
        from _blake2 import blake2b
    except ImportError:
        from hashlib import blake2b
    return blake2b(content, digest_size=20).hexdigest()


def lookup(argv: Sequence[str]) -> str | None:
    """The exact standard output of this command line kept from an earlier full answer, or None.

    Args:
        argv: the command line after the program name.
    """
    try:
        folder = cache_folder()
        if folder is None:
            return None
        question = read_question(argv)
        if question is None or not _private_folder(folder, create=False):
            return None
        key = _key(question)
        if key is None:
            return None
        raw = _read_regular(folder / f"{_PREFIX}{key}{_SUFFIX}", MAX_ENTRY_BYTES, follow=False, private=True)
        text = None if raw is None else _entry_text(raw, key, _history_file(question))
        if text is None:
            return None
        # The full path would fail to print what this terminal cannot encode: let it, rather than differ.
        encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
        text.encode(encoding, getattr(sys.stdout, "errors", None) or "strict")
        return text
    except Exception:  # a cache never answers when in doubt: the full path is the reference
        return None


def key_of(argv: Sequence[str]) -> str | None:
    """The key of this command line's answer as the files are now, or None if it is not cached."""
    try:
        if cache_folder() is None:
            return None
        question = read_question(argv)
        return None if question is None else _key(question)
    except Exception:
        return None


def snapshot(argv: Sequence[str]) -> tuple[str, dict] | None:
    """The key and the tree of files (see `_tree`) of this command line's answer as the files are now."""
    try:
        if cache_folder() is None:
            return None
        question = read_question(argv)
        key = None if question is None else _key(question)
        if question is None or key is None:
            return None
        tree = _tree(_history_file(question))
        return None if tree is None else (key, tree)
    except Exception:
        return None


def store(argv: Sequence[str], stdout: str, before: tuple[str, dict] | None) -> bool:
    """Keep what the full path printed for this command line (after it answered with exit 0); True if kept.

    Args:
        argv: the command line.
        stdout: everything it printed.
        before: `snapshot(argv)` taken before the full path read the files: if a file changed while it
            ran, the snapshot differs now and nothing is kept (the answer may be of either version).
    """
    try:
        folder = cache_folder()
        now = snapshot(argv)
        if folder is None or now is None or now != before:
            return False
        key, files = now
        entry = {"version": CACHE_VERSION, "key": key, "stdout": stdout, "files": files}
        document = json.dumps(entry, ensure_ascii=False).encode()
        if len(document) > MAX_ENTRY_BYTES or not _private_folder(folder, create=True):
            return False
        _write_entry(folder, f"{_PREFIX}{key}{_SUFFIX}", document)
        _evict(folder)
        return True
    except Exception:  # a cache must never break the command it follows
        return False


def _write_entry(folder: Path, name: str, document: bytes) -> None:
    """Write an entry whole to a new private file of its own, then rename it over the entry's name."""
    import secrets

    temporary = folder / f".{name}.{secrets.token_hex(8)}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(document)
        os.replace(temporary, folder / name)  # a rename: a link at the entry's name is replaced, not followed
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _evict(folder: Path) -> None:
    """Remove the oldest entries until at most `MAX_ENTRIES` and `MAX_BYTES` remain."""
    entries = []
    with os.scandir(folder) as found:
        for entry in found:
            if entry.name.startswith(_PREFIX) and entry.name.endswith(_SUFFIX) and entry.is_file(follow_symlinks=False):
                info = entry.stat(follow_symlinks=False)
                entries.append((info.st_mtime_ns, entry.name, info.st_size))
    entries.sort()
    total = sum(size for _, _, size in entries)
    while entries and (len(entries) > MAX_ENTRIES or total > MAX_BYTES):
        _, name, size = entries.pop(0)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(folder / name)
        total -= size
