"""Hypothesis strategies for legation histories: actors, dates, events, valid and defective logs.

Install the test extra to use them (`pip install 'legation[test]'`); `import events` never needs it.

Every strategy shrinks toward the simplest value it can make: exact-day dates at the start of the
year range, the first actor given, the first event kind of `events.EVENT_KINDS` whose preconditions
hold, optional fields left empty, short texts, fewer events and no `caused_by` links.
"""

from __future__ import annotations

from events._errors import LegationError


class MissingTestExtraError(LegationError, ImportError):
    """The strategies need Hypothesis, which only the `test` extra installs."""


try:
    import hypothesis  # noqa: F401 - only to check that the test extra is installed
except ImportError as error:  # pragma: no cover - exercised only without the extra
    message = "events.strategies needs Hypothesis: install legation[test] (pip install 'legation[test]')"
    raise MissingTestExtraError(message) from error

# Imported after the check above, so that a missing Hypothesis gives MissingTestExtraError, not an ImportError.
from events.strategies._atoms import actor_codes, actors, event_ids, imprecise_dates, texts  # noqa: E402
from events.strategies._defective import DEFECTS, DefectiveLog, defective_logs  # noqa: E402
from events.strategies._edits import counterfactual_edits  # noqa: E402
from events.strategies._events import any_event, events_of  # noqa: E402
from events.strategies._valid import valid_logs  # noqa: E402

__all__ = [
    "DEFECTS",
    "DefectiveLog",
    "MissingTestExtraError",
    "actor_codes",
    "actors",
    "any_event",
    "counterfactual_edits",
    "defective_logs",
    "event_ids",
    "events_of",
    "imprecise_dates",
    "texts",
    "valid_logs",
]
