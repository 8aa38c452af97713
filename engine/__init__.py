"""The meaning of a history: relationship state, the pure reducer and as-of queries over a log."""

# Names are imported on first use (PEP 562), so `import engine` and the `legation at` path stay cheap:
# a module that needs networkx or plotting costs nothing until one of its names is used.
import importlib

_EXPORTS: dict[str, tuple[str, ...]] = {
    "engine._columnar": ("ColumnarIndex",),
    "engine._cow": (
        "COW_CODES",
        "COW_COLUMNS",
        "CowDisagreement",
        "CowFormatError",
        "CowRow",
        "compare_with_cow",
        "cow_row_from_record",
        "format_cow_csv",
        "history_cow_rows",
        "level_at_year_end",
        "levels_during_year",
        "parse_cow_csv",
        "years_covered",
    ),
    "engine._fast": (
        "FastFolder",
        "fold_fast",
    ),
    "engine._history": (
        "AsOf",
        "FieldChange",
        "History",
        "Period",
        "Step",
        "UnknownPairError",
        "as_day",
    ),
    "engine._reducer": (
        "TransitionError",
        "UnknownEventKindError",
        "apply",
        "apply_to_pair",
        "check_transitions",
        "fold",
        "fold_from",
    ),
    "engine._state": (
        "AID_STATUSES",
        "CERTIFICATIONS",
        "COW_LEVEL",
        "EMPTY_WORLD",
        "LEVEL_OF_COW",
        "LEVELS",
        "RELATIONS",
        "SIDE_FIELDS",
        "ActorState",
        "Agency",
        "Anomaly",
        "PairState",
        "Post",
        "Side",
        "WorldState",
        "changed_fields",
        "initial_pair",
    ),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}


def __getattr__(name: str) -> object:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'engine' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_MODULE_OF))


__all__ = [
    "AID_STATUSES",
    "CERTIFICATIONS",
    "COW_CODES",
    "COW_COLUMNS",
    "COW_LEVEL",
    "EMPTY_WORLD",
    "LEVELS",
    "LEVEL_OF_COW",
    "RELATIONS",
    "SIDE_FIELDS",
    "ActorState",
    "Agency",
    "Anomaly",
    "AsOf",
    "ColumnarIndex",
    "CowDisagreement",
    "CowFormatError",
    "CowRow",
    "FastFolder",
    "FieldChange",
    "History",
    "PairState",
    "Period",
    "Post",
    "Side",
    "Step",
    "TransitionError",
    "UnknownEventKindError",
    "UnknownPairError",
    "WorldState",
    "apply",
    "apply_to_pair",
    "as_day",
    "changed_fields",
    "check_transitions",
    "compare_with_cow",
    "cow_row_from_record",
    "fold",
    "fold_fast",
    "fold_from",
    "format_cow_csv",
    "history_cow_rows",
    "initial_pair",
    "level_at_year_end",
    "levels_during_year",
    "parse_cow_csv",
    "years_covered",
]
