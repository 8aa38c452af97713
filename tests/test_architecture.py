"""The import rule of the house, read from the source: what may import what, and the lazy export tables."""

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The rooms of `engine`, inner to outer. The core (state, the rule book, both folds, history, the columnar
# index and replay) imports nothing of ours but `events` and itself; the analyses build on the core; the
# terminal layer (the command line with its renderers, plots, launch and answer cache, and the explorer's
# page) is reached by neither.
CORE = "engine.core"
ANALYSIS = "engine.analysis"
TERMINAL = ("engine.cli", "engine.explorer")

# The only places the core reaches past itself, each inside a function so that the core imports without
# them: the convenience entry points a user expects on the core's own objects.
CORE_BRIDGES = {
    ("engine.core._history", "engine.analysis._panel"): "History.panel(...), the panel a regression is fed",
    ("engine.core._counterfactual", "engine.analysis.alignment"): "compare() shows how the alignment graphs differ",
}


def in_package(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def is_terminal(module: str) -> bool:
    """Whether a module belongs to the terminal layer."""
    return any(in_package(module, package) for package in TERMINAL)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules_of(package: str) -> dict[str, Path]:
    """Every module of a first-party package, by dotted name."""
    return {module_name(path): path for path in sorted((ROOT / package).rglob("*.py"))}


def imported(path: Path) -> set[str]:
    """The modules a file imports anywhere in it (functions included), absolute names; `from a import b`
    counts `a` and, when `a.b` is a module of ours, `a.b` as well."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            found.add(source)
            found.update(f"{source}.{alias.name}" for alias in node.names)
    return found


ENGINE = modules_of("engine")
EVENTS = modules_of("events")
OURS = {**ENGINE, **EVENTS}
IMPORTS = {name: {other for other in imported(path) if other in OURS} for name, path in OURS.items()}


def reachable(start: str) -> dict[str, str]:
    """Every module of ours `start` imports, directly or through others, with the module that imports it."""
    via: dict[str, str] = {}
    stack = [start]
    while stack:
        current = stack.pop()
        for other in IMPORTS[current]:
            if other not in via and other != start:
                via[other] = current
                stack.append(other)
    return via


class TestImportDirection:
    def test_the_parser_reads_a_relative_and_a_lazy_import(self, tmp_path, monkeypatch):
        """The reader sees imports inside functions and resolves relative ones (else the rules below prove little)."""
        monkeypatch.setitem(globals(), "ROOT", tmp_path)
        module = tmp_path / "engine" / "_x.py"
        module.parent.mkdir()
        module.write_text("def f():\n    from . import _render\n    import engine.cli.graph\n", encoding="utf-8")
        assert {"engine", "engine._render", "engine.cli.graph"} <= imported(module)

    @pytest.mark.parametrize("name", sorted(EVENTS))
    def test_events_never_imports_engine(self, name):
        """The vocabulary stands alone: no module of `events` imports `engine`, even inside a function."""
        assert not {other for other in imported(EVENTS[name]) if other == "engine" or other.startswith("engine.")}

    @pytest.mark.parametrize("name", sorted(name for name in ENGINE if in_package(name, CORE)))
    def test_the_core_imports_only_itself_and_events(self, name):
        """A core module imports `events`, the core and nothing else of ours, but for the declared bridges."""
        outside = {
            other
            for other in IMPORTS[name]
            if not in_package(other, CORE) and not in_package(other, "events") and other != "engine"
        }
        assert outside <= {bridged for (source, bridged) in CORE_BRIDGES if source == name}

    @pytest.mark.parametrize(("source", "bridged"), sorted(CORE_BRIDGES))
    def test_each_bridge_out_of_the_core_is_imported_only_when_used(self, source, bridged):
        """A bridge is imported inside a function: importing the core never imports the analyses."""
        tree = ast.parse(ENGINE[source].read_text(encoding="utf-8"))
        at_top = {node.module for node in tree.body if isinstance(node, ast.ImportFrom)}
        at_top |= {alias.name for node in tree.body if isinstance(node, ast.Import) for alias in node.names}
        assert bridged in IMPORTS[source], f"{source} no longer imports {bridged}: drop the bridge"
        assert bridged not in at_top

    @pytest.mark.parametrize(
        "name", sorted(name for name in ENGINE if in_package(name, CORE) or in_package(name, ANALYSIS))
    )
    def test_the_core_and_the_analyses_never_reach_the_terminal_layer(self, name):
        """No core or analysis module reaches the CLI, its renderers, or the explorer, even through others."""
        via = reachable(name)
        chains = []
        for other in sorted(other for other in via if is_terminal(other)):
            chain = [other]
            while chain[-1] in via:
                chain.append(via[chain[-1]])
            chains.append(" <- ".join(chain))
        assert not chains, "\n".join(chains)

    def test_the_rooms_exist(self):
        """The rule above is about real packages (a rename would otherwise make it vacuous)."""
        assert {CORE, ANALYSIS, *TERMINAL} <= set(ENGINE)
        assert {"engine.core._rules", "engine.core._reducer", "engine.core._fast"} <= set(ENGINE)


def exported_names(package: str) -> tuple[set[str], set[str], list[str]]:
    """What a package's __init__ imports at once, what its lazy table names, and its `__all__` (read by ast)."""
    tree = ast.parse((ROOT / package / "__init__.py").read_text(encoding="utf-8"))
    eager, lazy, listed = set(), set(), []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(package):
            eager.update(alias.asname or alias.name for alias in node.names)
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        value = getattr(node, "value", None)
        if not isinstance(target, ast.Name) or value is None:
            continue
        if target.id == "__all__":
            listed = [element.value for element in value.elts]
        elif target.id in ("_LAZY", "_EXPORTS") and isinstance(value, ast.Dict):
            for key, item in zip(value.keys, value.values, strict=True):
                if target.id == "_LAZY":
                    lazy.add(key.value)
                else:
                    lazy.update(element.value for element in item.elts)
    return eager, lazy, listed


class TestExportTables:
    @pytest.mark.parametrize("package", ["engine", "events"])
    def test_all_lists_exactly_what_is_exported(self, package):
        """`__all__` names each exported name once, and exactly those the imports and the lazy table give."""
        eager, lazy, listed = exported_names(package)
        assert len(listed) == len(set(listed)), "a name is listed twice in __all__"
        assert not eager & lazy, f"exported both at once and lazily: {sorted(eager & lazy)}"
        assert set(listed) == eager | lazy, (
            f"in __all__ only: {sorted(set(listed) - eager - lazy)}; exported but not in __all__: "
            f"{sorted((eager | lazy) - set(listed))}"
        )

    @pytest.mark.parametrize("package", ["engine", "events"])
    def test_every_exported_name_resolves(self, package):
        """Each name of `__all__` can be got from the package, from the module its table names."""
        module = importlib.import_module(package)
        missing = [name for name in module.__all__ if not hasattr(module, name)]
        assert missing == []

    def test_each_lazy_name_comes_from_the_module_its_table_names(self):
        """The lazy tables name modules that define the name (not merely re-export something else)."""
        import engine
        import events

        tables = [(module, name) for name, module in events._LAZY.items()]
        tables += [(module, name) for module, names in engine._EXPORTS.items() for name in names]
        for module, name in tables:
            assert hasattr(importlib.import_module(module), name), f"{module} has no {name}"

    @pytest.mark.parametrize("package", ["engine", "events"])
    def test_the_type_checking_imports_are_the_lazy_table(self, package):
        """What type checkers are shown (`if TYPE_CHECKING:` imports) is exactly the lazy table, name by module."""
        tree = ast.parse((ROOT / package / "__init__.py").read_text(encoding="utf-8"))
        module = importlib.import_module(package)
        if package == "engine":
            table = {(source, name) for source, names in module._EXPORTS.items() for name in names}
        else:
            table = {(source, name) for name, source in module._LAZY.items()}
        shown = {
            (node.module, alias.name)
            for block in tree.body
            if isinstance(block, ast.If) and getattr(block.test, "id", None) == "TYPE_CHECKING"
            for node in block.body
            if isinstance(node, ast.ImportFrom)
            for alias in node.names
        }
        assert shown == table


def _declared_for_the_checker(path: Path) -> dict[str, ast.FunctionDef]:
    """The functions a module declares only for the type checker (`if TYPE_CHECKING:`), by name."""
    declared = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            declared |= {stub.name: stub for stub in node.body if isinstance(stub, ast.FunctionDef)}
    return declared


def test_the_converters_declared_for_the_type_checker_are_the_ones_that_run():
    """mypy reads stand-ins for the `attrs.Converter`s (python/mypy#15736): each must be what runs, typed alike.

    A converter changed at run time but not in its stand-in would let mypy check every event class against a
    type its fields no longer hold.
    """
    fields = importlib.import_module("events._fields")
    declared = _declared_for_the_checker(ROOT / "events" / "_fields.py")
    assert declared, "events/_fields.py no longer declares its converters for the type checker"
    for name, stub in declared.items():
        converter = getattr(fields, name)
        function = converter.converter  # the attrs.Converter's own function
        assert ast.unparse(stub.returns) == function.__annotations__["return"], name
        first = stub.args.posonlyargs[0]
        assert ast.unparse(first.annotation) in {"object", "Any"}, name
        assert function.__annotations__[next(iter(function.__annotations__))] in {"object", "Any"}, name


def test_every_test_file_mutation_testing_runs_exists():
    """mutmut's selection names test files by path: a file renamed or removed would silently drop out of it."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]
    missing = [path for path in config["pytest_add_cli_args_test_selection"] if not (ROOT / path).is_file()]
    assert not missing
    assert all((ROOT / path).exists() for path in config["only_mutate"])
