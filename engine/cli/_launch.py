"""The `legation` program: answers a repeated `at` question from the answer cache, else runs the full CLI.

Kept apart from the subcommands (the package's `__init__` imports only the standard library until `main`
runs) so that a cached answer imports only the standard library; see `engine.cli._answer_cache`.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run `legation` with the process's arguments (or `argv`); returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        from engine.cli import _answer_cache, _quiet_broken_pipe

        output = _answer_cache.lookup(argv)
        if output is not None:
            try:
                sys.stdout.write(output)
                sys.stdout.flush()
            except BrokenPipeError:
                return _quiet_broken_pipe(0)
            return 0
        from engine.cli import main as full

        return full(argv, remember=True)
    except KeyboardInterrupt:
        # Ctrl-C before the full path's own handler was reached (while loading): one line, no traceback.
        print("legation: interrupted", file=sys.stderr)
        return 130  # 128 + SIGINT (engine.cli.EXIT_INTERRUPTED; not imported, as the import may be what was cut)


if __name__ == "__main__":
    sys.exit(main())
