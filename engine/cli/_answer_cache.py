"""A cache of `legation at` answers by day, so asking again about an unchanged history starts in milliseconds.

Why: on `legation at DATE`, building the event model's classes (attrs) and parsing the TOML history cost
several times the interpreter's own start-up, while the answer is a pure function of the files, the code
and the arguments. Between two consecutive "breakpoints" (the first and last possible day of an event
naming either actor), the answer for a day is the same but for the date it names.

How: after a full `at` answer, the CLI renders the answer once per interval with the real renderer and
stores the texts (JSON, in the user's cache folder) under a key made of the arguments and the size and
modification time of the scenario files and of every module of the code. A scenario that includes others
(events._compose) is read from more files than its own folder holds: the entry lists every file it was read
from with its size and modification time, and a lookup that finds any of them changed takes the full path.
A later `at` for an exact day
with the same key bisects the breakpoints and prints, importing only the standard library. Anything
else (a month or year asked, an option the cache does not know, a changed file, a missing or unreadable
cache) takes the full path, which stays the reference; `tests/test_answer_cache.py` checks both agree.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import sys
from bisect import bisect_right
from collections.abc import Callable, Sequence
from pathlib import Path

CACHE_VERSION = 2
MAX_INTERVALS = 4000
"""Histories whose pair has more breakpoints than this are not cached (rendering them all costs more)."""
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MARK = "\x00DAY\x00"
_CODE = Path(__file__).resolve().parents[2]
_PACKAGES = ("engine", "engine/cli", "events", "scenarios")


def cache_folder() -> Path | None:
    """Where answers are kept: $LEGATION_CACHE_DIR (empty: no cache), else $XDG_CACHE_HOME/legation."""
    chosen = os.environ.get("LEGATION_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "legation"


def at_request(argv: Sequence[str]) -> dict | None:
    """The options of an `at DAY ...` command line the cache can answer, or None for any other."""
    if len(argv) < 2 or argv[0] != "at" or not _DAY.fullmatch(argv[1]):
        return None
    try:
        day = datetime.date.fromisoformat(argv[1])
    except ValueError:
        return None
    request = {"day": day, "pair": None, "format": "text", "scenario": None, "lenient": False}
    rest = []
    for token in argv[2:]:
        rest.extend(token.split("=", 1) if token.startswith("--") and "=" in token else [token])
    position = 0
    while position < len(rest):
        option = rest[position]
        if option == "--lenient":
            request["lenient"] = True
            position += 1
        elif option in ("--format", "--scenario") and position + 1 < len(rest):
            request[option[2:]] = rest[position + 1]
            position += 2
        elif option == "--pair" and position + 2 < len(rest):
            request["pair"] = (rest[position + 1].upper(), rest[position + 2].upper())
            position += 3
        else:
            return None
    if request["format"] not in ("text", "json"):
        return None
    return request


def _fingerprint(request: dict, history_file: Path) -> str:
    """The cache key: the request and the size and mtime of the history's files and of the code."""
    parts = [str(CACHE_VERSION), sys.version, repr(sorted((k, str(v)) for k, v in request.items() if k != "day"))]
    folders = [_CODE / package for package in _PACKAGES] + [history_file.parent]
    for folder in folders:
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda item: item.name):
                if entry.is_file() and entry.name.endswith((".py", ".toml", ".csv")):
                    stat = entry.stat()
                    parts.append(f"{entry.path}:{stat.st_size}:{stat.st_mtime_ns}")
    parts.append(str(history_file.resolve()))
    import hashlib  # here, not at the top: with the cache turned off, `legation at` never loads OpenSSL (~4 ms)

    return hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


def _entry(request: dict, resolve: Callable[[str | None], Path]) -> Path | None:
    folder = cache_folder()
    if folder is None:
        return None
    return folder / f"at-{_fingerprint(request, resolve(request['scenario']))}.json"


def lookup(argv: Sequence[str], resolve: Callable[[str | None], Path]) -> str | None:
    """The cached output of this command line, or None when the full path must answer.

    Args:
        argv: the command line after the program name.
        resolve: the history file of a `--scenario` value (None: the default scenario).
    """
    request = at_request(argv)
    if request is None:
        return None
    try:
        entry = _entry(request, resolve)
        if entry is None:
            return None
        stored = json.loads(entry.read_text(encoding="utf-8"))
    except Exception:  # no cache, an unreadable one, or a scenario that does not resolve: the full path says
        return None
    files = stored.get("files")
    if stored.get("version") != CACHE_VERSION or files is None or files != _stamps(files):
        return None  # another version, or a file the scenario reads (an included one) has changed
    template = stored["templates"][bisect_right(stored["breaks"], request["day"].toordinal())]
    return template.replace(_MARK, request["day"].isoformat())


def _stamps(files: object) -> list[list] | None:
    """The size and modification time now of each file of a stored list (`[[path, size, mtime_ns], ...]`)."""
    if not isinstance(files, list):
        return None
    stamps = []
    for entry in files:
        try:
            stat = os.stat(entry[0])
        except (OSError, TypeError, IndexError):
            return None
        stamps.append([entry[0], stat.st_size, stat.st_mtime_ns])
    return stamps


def _dependencies(history_file: Path) -> list[list] | None:
    """Every file the scenario is read from, with its size and modification time (None if it does not read)."""
    import scenarios

    try:
        files = scenarios.files_of(history_file)
    except Exception:  # a scenario that does not read is answered, and cached, by nobody
        return None
    return _stamps([[file] for file in files])


def _template(output: str, day: datetime.date, form: str) -> str | None:
    """The output with the day it names replaced by a mark, or None if it is not where it is expected."""
    text = day.isoformat()
    lines = output.split("\n")
    if _MARK in output:
        return None
    if form == "text":
        if not lines[0].endswith(f" on {text}"):
            return None
        lines[0] = lines[0][: -len(text)] + _MARK
    else:
        for number, key in ((1, "date"), (2, "asked")):
            if len(lines) <= number or lines[number] != f'  "{key}": "{text}",':
                return None
            lines[number] = f'  "{key}": "{_MARK}",'
    return "\n".join(lines)


def store(argv: Sequence[str], resolve: Callable[[str | None], Path], breaks: list[int], render) -> bool:
    """Render and keep the answer of every interval between breakpoints; True if the cache was written.

    Args:
        argv: the command line just answered in full.
        resolve: as for `lookup`.
        breaks: ordinals of the days on which the answer may change (any order, repeats allowed).
        render: the full path's output for a day (`datetime.date`), as printed.
    """
    request = at_request(argv)
    if request is None:
        return False
    try:
        entry = _entry(request, resolve)
    except Exception:  # a cache must never break the command
        return False
    if entry is None:
        return False
    files = _dependencies(resolve(request["scenario"]))
    if files is None:
        return False
    breaks = sorted({ordinal for ordinal in breaks if 1 < ordinal <= datetime.date.max.toordinal()})
    if len(breaks) > MAX_INTERVALS:
        return False
    starts = [1, *breaks]
    ends = [*breaks, datetime.date.max.toordinal() + 1]  # exclusive
    templates = []
    for number, (start, end) in enumerate(zip(starts, ends, strict=True)):
        # Rendered on two days of the interval (the first and last, at most ten years apart, away from
        # the ends of the calendar): both must give the same template, or nothing is cached.
        first, last = start, end - 1
        if number == 0:
            first = max(first, last - 3650)
        if number == len(starts) - 1:
            last = min(last, first + 3650)
        days = {datetime.date.fromordinal(first), datetime.date.fromordinal(last)}
        made = {_template(render(day), day, request["format"]) for day in days}
        if len(made) != 1 or None in made:
            return False
        templates.append(made.pop())
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        partial = entry.with_suffix(f".{os.getpid()}.tmp")
        document = {"version": CACHE_VERSION, "files": files, "breaks": breaks, "templates": templates}
        partial.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, entry)
    except OSError:
        return False
    return True
