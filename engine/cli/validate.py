"""`legation validate`: check scenario and counterfactual files, listing every problem with its line."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import scenarios
from engine import History
from engine.cli._common import EXIT_CHECK_FAILED, EXIT_OK, UsageError, add_common_options, print_json, track
from events import ScenarioFileError, document_kind, event_id_lines, read_text_file

DESCRIPTION = (
    "Check scenario and counterfactual files: every error at once, each with file, line and event id (for a "
    "counterfactual, every edit that does not fit its base), then every impossible transition of the "
    "(edited) history. Exit status 1 if any file has a problem."
)
EXAMPLE = "legation validate scenarios/bolivia_usa/history.toml"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="scenario file, folder or built-in name; or counterfactual file or built-in SCENARIO/NAME",
    )
    add_common_options(
        parser, scenario=False, pair=False, lenient_help="accepted for symmetry: validate always reports all"
    )


def _validate_one(name: str) -> dict[str, Any]:
    try:
        path = scenarios.history_path(name)
    except ScenarioFileError:
        try:
            path = scenarios.counterfactual_path(name)
        except ScenarioFileError:
            known = ", ".join(scenarios.names())
            raise UsageError(
                f"{name}: expected a scenario file or folder, a built-in scenario ({known}), or a counterfactual "
                "file or built-in SCENARIO/NAME; no such file"
            ) from None
    counterfactual = _is_counterfactual(path)
    if counterfactual:
        problems, log, base_files = _counterfactual_problems(path)
    else:
        # Read and parse the file once: the scenario when it is sound, else every problem in it.
        found = scenarios.load_or_problems(path)
        problems = found if isinstance(found, list) else []
        log = None if problems else found.log
        base_files = () if problems else found.files[1:]  # the files it includes, if any
    transitions = list(History(log, strict=False).anomalies) if log is not None else []
    # An event of the edited history is found in the counterfactual file (inserted) or in its base's files; an
    # event of a scenario that includes others, in the included file it came from (ids are unique across them).
    lines: dict[str, tuple[str | Path, int]] = {
        event_id: (file, line) for file in base_files for event_id, line in _id_lines(file).items()
    }
    lines.update({event_id: (path, line) for event_id, line in _id_lines(path).items()})
    return {
        "file": str(path),
        "kind": "counterfactual" if counterfactual else "scenario",
        "ok": not problems and not transitions,
        "errors": [
            {"line": problem.line, "event_id": problem.event_id, "message": str(problem)} for problem in problems
        ],
        "anomalies": [
            {
                "file": str(lines.get(anomaly.event_id, (path, None))[0]),
                "line": lines.get(anomaly.event_id, (path, None))[1],
                "event_id": anomaly.event_id,
                "date": str(anomaly.date),
                "rule": anomaly.rule,
                "message": "{}:{}: {}".format(*lines[anomaly.event_id], anomaly)
                if anomaly.event_id in lines
                else f"{path}: {anomaly}",
            }
            for anomaly in transitions
        ],
    }


def _is_counterfactual(path: str | Path) -> bool:
    """Whether the file is written as a counterfactual (its tables say so; a string mentioning one does not)."""
    try:
        return document_kind(read_text_file(path)) == "counterfactual"
    except ScenarioFileError:
        return False  # read as a scenario, whose reader reports why the file cannot be read


def _counterfactual_problems(path: str | Path) -> tuple[list[ScenarioFileError], Any, tuple[str, ...]]:
    """Every edit of a counterfactual file that does not fit its base (the edited log, if all fit; the base's files).

    The file's syntax and its base are checked first (the first problem there stops the check, since the
    edits cannot be read without them); then each edit is tried in turn, an edit that does not fit is
    reported and skipped, so that all of them are reported at once.
    """
    from events import EditedLog, EditError

    try:
        spec, base = scenarios.load_counterfactual(path)
    except ScenarioFileError as error:
        return [error], None, ()
    edited = EditedLog.of(base.log, (), spec.cascade)
    problems: list[ScenarioFileError] = []
    for number, edit in enumerate(spec.edits, start=1):
        try:
            edited = edited.apply(edit)
        except EditError as error:
            error = error.numbered(number, edit.OP)
            problems.append(ScenarioFileError(str(path), str(error), spec.line_of(number, error.field), None))
    return problems, (edited.log if not problems else None), base.files or ((base.path,) if base.path else ())


def _id_lines(path: str | Path) -> dict[str, int]:
    """The line of each event's id in a file, so that problems found after reading can name a line."""
    try:
        return event_id_lines(read_text_file(path))
    except ScenarioFileError:
        return {}


def run(args: argparse.Namespace) -> int:
    files = args.files
    results = [_validate_one(name) for name in track(files, "validating", total=len(files))]
    ok = all(result["ok"] for result in results)
    if args.format == "json":
        print_json(results[0] if len(results) == 1 else {"ok": ok, "files": results})
    else:
        for result in results:
            for problem in result["errors"] + result["anomalies"]:
                print(problem["message"])
            if result["ok"]:
                print(f"{result['file']}: ok")
    return EXIT_OK if ok else EXIT_CHECK_FAILED
