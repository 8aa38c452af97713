"""The data: built-in histories and counterfactuals as files, found and loaded by name."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from events import Scenario

DEFAULT = "bolivia_usa"
"""The history the command uses when none is named."""
HISTORY_FILE = "history.toml"
"""The file in a scenario folder that holds its history."""


def _root() -> Path:
    # The package's own folder: importlib.resources would import zipfile and more (~30 ms of start-up)
    # to serve files that always sit beside this module.
    return Path(__file__).parent


def names() -> list[str]:
    """The names of the built-in scenarios."""
    return sorted(entry.name for entry in _root().iterdir() if (entry / HISTORY_FILE).is_file())


def history_path(name_or_path: str | Path) -> Path:
    """The history file of a built-in scenario name, or the path given (a file or a scenario folder).

    Raises:
        ScenarioFileError: neither a built-in name nor an existing file or folder.
    """
    text = str(name_or_path)
    builtin = _root() / text / HISTORY_FILE
    if "/" not in text and "\\" not in text and builtin.is_file():
        return builtin
    path = Path(text)
    if path.is_dir() and (path / HISTORY_FILE).is_file():
        return path / HISTORY_FILE
    if path.exists():
        return path
    from events import ScenarioFileError  # the event model is imported only when a file is read

    known = ", ".join(names())
    raise ScenarioFileError(text, f"expected a scenario file, folder or built-in name ({known}); no such file")


def data_path(name: str) -> Path:
    """A data file shipped with the scenarios (in `scenarios/data/`), e.g. the COW sample.

    Raises:
        ScenarioFileError: no such data file.
    """
    path = _root() / "data" / name
    if not path.is_file():
        from events import ScenarioFileError

        raise ScenarioFileError(str(path), "expected a data file shipped in scenarios/data/; no such file")
    return path


def load(name_or_path: str | Path = DEFAULT) -> Scenario:
    """Read a built-in scenario by name, or a scenario file or folder by path.

    Raises:
        ScenarioFileError: missing or broken file (the message names file, line, event and field).
    """
    from events import read_scenario

    path = history_path(name_or_path)
    name = path.parent.name if path.name == HISTORY_FILE else path.stem
    return read_scenario(path, name=name)


__all__ = ["DEFAULT", "HISTORY_FILE", "data_path", "history_path", "load", "names"]
