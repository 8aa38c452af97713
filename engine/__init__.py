"""The meaning of a history: relationship state, the pure reducer and as-of queries over a log."""

import importlib

from engine._cow import (
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
from engine._history import (
    CHECKPOINT_MAX_COUNT,
    CHECKPOINT_MIN_INTERVAL,
    AsOf,
    FieldChange,
    History,
    Period,
    Step,
    UnknownPairError,
    as_day,
)
from engine._reducer import (
    TransitionError,
    UnknownEventKindError,
    apply,
    apply_to_pair,
    check_transitions,
    fold,
    fold_from,
)
from engine._state import (
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
from engine._timeline import TimelineEntry, timeline
from engine._when import CONDITION_GRAMMAR, Condition, ConditionError, parse_condition

# Counterfactual edits, files and replay are loaded on first use: `import engine` stays fast for `legation at`.
_LAZY = {
    "AlignmentDifference": "engine._counterfactual",
    "ChainLink": "engine._counterfactual",
    "Comparison": "engine._counterfactual",
    "Counterfactual": "engine._counterfactual",
    "Difference": "engine._counterfactual",
    "FieldDifference": "engine._counterfactual",
    "ImpossibleEventError": "engine._counterfactual",
    "Replay": "engine._counterfactual",
    "ReplayError": "engine._counterfactual",
    "compare": "engine._counterfactual",
    "differences_at": "engine._counterfactual",
    "replay": "engine._counterfactual",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'engine' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


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
    "Comparison",
    "Condition",
    "ConditionError",
    "Counterfactual",
    "CowDisagreement",
    "CowFormatError",
    "CowRow",
    "Difference",
    "FieldChange",
    "FieldDifference",
    "History",
    "ImpossibleEventError",
    "PairState",
    "Period",
    "Post",
    "Replay",
    "ReplayError",
    "Side",
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
