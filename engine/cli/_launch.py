"""The `legation` program: answers a repeated `at` question from the answer cache, else runs the full CLI.

Kept apart from the subcommands (the package's `__init__` imports only the standard library until `main`
runs) so that a cached answer imports only the standard library; see `engine.cli._answer_cache`.
"""

from __future__ import annotations

import contextlib
import sys


def _history_file(name: str | None):
    import scenarios  # light: it imports the event model only to read a file

    return scenarios.history_path(name or scenarios.DEFAULT)


def main() -> int:
    """Run `legation` with the process's arguments; returns the exit status."""
    from engine.cli import _answer_cache

    argv = sys.argv[1:]
    output = _answer_cache.lookup(argv, _history_file)
    if output is not None:
        with contextlib.suppress(BrokenPipeError):
            print(output)
        return 0
    from engine.cli import main as full

    return full(argv, remember=True)


if __name__ == "__main__":
    sys.exit(main())
