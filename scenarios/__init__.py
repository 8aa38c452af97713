"""The data: built-in histories and counterfactuals as files, found and loaded by name."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from events import CounterfactualSpec, Scenario

DEFAULT = "world"
"""The history the command uses when none is named: every built-in history in one log (`world/history.toml`
includes them), with Bolivia–United States as its main pair."""
HISTORY_FILE = "history.toml"
"""The file in a scenario folder that holds its history."""
WHATIF_FOLDER = "whatif"
"""The folder of a scenario that holds its worked counterfactuals (`whatif/*.toml`)."""


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
    found = load_or_problems(name_or_path, stop_at_first=True)
    if isinstance(found, list):
        raise found[0]
    return found


def load_or_problems(name_or_path: str | Path = DEFAULT, *, stop_at_first: bool = False):
    """Read a scenario once: the scenario if it is sound, else its problems (all, or only the first).

    Raises:
        ScenarioFileError: neither a built-in name nor an existing file or folder.
    """
    from events import scenario_problems

    path = history_path(name_or_path)
    name = path.parent.name if path.name == HISTORY_FILE else path.stem
    return scenario_problems(path, name=name, stop_at_first=stop_at_first, resolve_include=resolve_include)


def resolve_include(entry: str, folder: Path) -> Path:
    """Where a scenario file's `include` entry points (as a counterfactual's `base` does).

    A file or scenario folder relative to the including file's folder when one exists there, else a built-in
    scenario name.

    Raises:
        ScenarioFileError: neither exists.
    """
    relative = folder / entry
    if relative.is_dir() and (relative / HISTORY_FILE).is_file():
        return relative / HISTORY_FILE
    if relative.is_file():
        return relative
    builtin = _root() / entry / HISTORY_FILE
    if "/" not in entry and "\\" not in entry and builtin.is_file():
        return builtin
    from events import ScenarioFileError

    known = ", ".join(names())
    detail = f"expected a built-in scenario ({known}) or a path relative to the file; no such file"
    raise ScenarioFileError(entry, detail)


def files_of(name_or_path: str | Path = DEFAULT) -> tuple[str, ...]:
    """Every file a scenario is read from: its history file and those it includes (for caches to watch).

    Raises:
        ScenarioFileError: the scenario is missing or broken.
    """
    return load(name_or_path).files


def counterfactuals(name: str = DEFAULT) -> list[Path]:
    """The worked counterfactual files of a built-in scenario, sorted."""
    folder = _root() / name / WHATIF_FOLDER
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def counterfactual_path(name_or_path: str | Path) -> Path:
    """A counterfactual file by path, or by built-in name `SCENARIO/NAME` (e.g. `bolivia_usa/no_expulsion`).

    Raises:
        CounterfactualFileError: neither an existing file nor a built-in counterfactual.
    """
    from events import CounterfactualFileError  # loaded only when a counterfactual is asked for

    path = Path(name_or_path)
    if path.is_file():
        return path
    scenario, _, stem = str(name_or_path).partition("/")
    builtin = _root() / scenario / WHATIF_FOLDER / f"{stem.removesuffix('.toml')}.toml"
    if stem and builtin.is_file():
        return builtin
    known = ", ".join(f"{p.parent.parent.name}/{p.stem}" for name in names() for p in counterfactuals(name))
    raise CounterfactualFileError(
        str(name_or_path), f"expected a counterfactual file or built-in name ({known}); no such file"
    )


def load_counterfactual(name_or_path: str | Path) -> tuple[CounterfactualSpec, Scenario]:
    """Read a counterfactual file and the base history it names.

    The base is a scenario file or folder, by a path relative to the counterfactual file's folder, or a
    built-in scenario name. A base that names some other file (not TOML with `[[events]]` tables) is
    refused without a word of its content: a counterfactual file may come from anyone, and must not make
    legation print what is in, say, a key file.

    Raises:
        CounterfactualFileError: the file is missing or broken, or its base is not a scenario.
        ScenarioFileError: the base history is broken.
    """
    from events import CounterfactualFileError, ScenarioFileError, parse_scenario, read_counterfactual, read_text_file
    from events._scenario_file import is_scenario_text

    path = counterfactual_path(name_or_path)
    spec = read_counterfactual(path)

    def refuse(found: str) -> CounterfactualFileError:
        detail = f"[counterfactual] field 'base': expected a built-in scenario ({', '.join(names())}) or a "
        detail += f"scenario file or folder relative to the file, found {spec.base!r}{found}"
        return CounterfactualFileError(str(path), detail, spec.line_of(None, "base"), field="base")

    relative = path.parent / spec.base
    if not relative.exists():
        if "/" in spec.base or "\\" in spec.base or spec.base not in names():
            raise refuse("")
        return spec, load(spec.base)
    target = relative / HISTORY_FILE if relative.is_dir() else relative
    try:
        text = read_text_file(target, "a scenario file")
    except ScenarioFileError as error:
        raise refuse(f", which cannot be read ({error.detail})") from None
    if not is_scenario_text(text):
        raise refuse(", which is not a scenario file (TOML with [[events]] tables); its content is not shown")
    name = target.parent.name if target.name == HISTORY_FILE else target.stem
    found = parse_scenario(text, str(target), name=name, stop_at_first=True)
    if isinstance(found, list):
        raise found[0]
    return spec, found


__all__ = [
    "DEFAULT",
    "HISTORY_FILE",
    "WHATIF_FOLDER",
    "counterfactual_path",
    "counterfactuals",
    "data_path",
    "files_of",
    "history_path",
    "load",
    "load_or_problems",
    "load_counterfactual",
    "names",
    "resolve_include",
]
