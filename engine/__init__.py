"""The meaning of a history: relationship state, the pure reducer and as-of queries over a log."""

# Every name is imported on first use (PEP 562), so `import engine` and the `legation at` path stay cheap:
# a module that needs networkx, plotting or counterfactual files costs nothing until one of its names is used.
import importlib
from typing import TYPE_CHECKING

_EXPORTS: dict[str, tuple[str, ...]] = {
    "engine.core._columnar": ("ColumnarIndex",),
    "engine.core._counterfactual": (
        "AlignmentDifference",
        "ChainLink",
        "Comparison",
        "Counterfactual",
        "Difference",
        "FieldDifference",
        "ImpossibleEventError",
        "Replay",
        "ReplayError",
        "compare",
        "differences_at",
        "replay",
    ),
    "engine.analysis._cow": (
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
    "engine.core._fast": (
        "FastFolder",
        "fold_fast",
    ),
    "engine.core._history": (
        "CHECKPOINT_MAX_COUNT",
        "CHECKPOINT_MIN_INTERVAL",
        "AsOf",
        "FieldChange",
        "History",
        "Period",
        "Possibility",
        "SoundUntil",
        "Step",
        "UnknownPairError",
        "as_day",
    ),
    "engine.core._reducer": (
        "TransitionError",
        "UnknownEventKindError",
        "apply",
        "apply_to_pair",
        "check_transitions",
        "fold",
        "fold_from",
    ),
    "engine.core._state": (
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
    "engine.analysis._timeline": (
        "TimelineEntry",
        "timeline",
    ),
    "engine.analysis._when": (
        "CONDITION_GRAMMAR",
        "Condition",
        "ConditionError",
        "parse_condition",
    ),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}


if TYPE_CHECKING:  # what the lazy table gives, for type checkers (tests/test_architecture.py keeps the two equal)
    from engine.analysis._cow import (
        COW_CODES,
        COW_COLUMNS,
        CowDisagreement,
        CowFormatError,
        CowRow,
        compare_with_cow,
        cow_row_from_record,
        format_cow_csv,
        history_cow_rows,
        level_at_year_end,
        levels_during_year,
        parse_cow_csv,
        years_covered,
    )
    from engine.analysis._timeline import TimelineEntry, timeline
    from engine.analysis._when import CONDITION_GRAMMAR, Condition, ConditionError, parse_condition
    from engine.core._columnar import ColumnarIndex
    from engine.core._counterfactual import (
        AlignmentDifference,
        ChainLink,
        Comparison,
        Counterfactual,
        Difference,
        FieldDifference,
        ImpossibleEventError,
        Replay,
        ReplayError,
        compare,
        differences_at,
        replay,
    )
    from engine.core._fast import FastFolder, fold_fast
    from engine.core._history import (
        CHECKPOINT_MAX_COUNT,
        CHECKPOINT_MIN_INTERVAL,
        AsOf,
        FieldChange,
        History,
        Period,
        Possibility,
        SoundUntil,
        Step,
        UnknownPairError,
        as_day,
    )
    from engine.core._reducer import (
        TransitionError,
        UnknownEventKindError,
        apply,
        apply_to_pair,
        check_transitions,
        fold,
        fold_from,
    )
    from engine.core._state import (
        AID_STATUSES,
        CERTIFICATIONS,
        COW_LEVEL,
        EMPTY_WORLD,
        LEVEL_OF_COW,
        LEVELS,
        RELATIONS,
        SIDE_FIELDS,
        ActorState,
        Agency,
        Anomaly,
        PairState,
        Post,
        Side,
        WorldState,
        changed_fields,
        initial_pair,
    )


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
    "CHECKPOINT_MAX_COUNT",
    "CHECKPOINT_MIN_INTERVAL",
    "CONDITION_GRAMMAR",
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
    "AlignmentDifference",
    "Anomaly",
    "AsOf",
    "ChainLink",
    "ColumnarIndex",
    "Comparison",
    "Condition",
    "ConditionError",
    "Counterfactual",
    "CowDisagreement",
    "CowFormatError",
    "CowRow",
    "Difference",
    "FastFolder",
    "FieldChange",
    "FieldDifference",
    "History",
    "ImpossibleEventError",
    "PairState",
    "Period",
    "Possibility",
    "Post",
    "Replay",
    "ReplayError",
    "Side",
    "SoundUntil",
    "Step",
    "TimelineEntry",
    "TransitionError",
    "UnknownEventKindError",
    "UnknownPairError",
    "WorldState",
    "apply",
    "apply_to_pair",
    "as_day",
    "changed_fields",
    "check_transitions",
    "compare",
    "compare_with_cow",
    "cow_row_from_record",
    "differences_at",
    "fold",
    "fold_fast",
    "fold_from",
    "format_cow_csv",
    "history_cow_rows",
    "initial_pair",
    "level_at_year_end",
    "levels_during_year",
    "parse_condition",
    "parse_cow_csv",
    "replay",
    "timeline",
    "years_covered",
]
