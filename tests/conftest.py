"""Hypothesis settings profiles for the property tests, chosen by the HYPOTHESIS_PROFILE variable."""

import os

from hypothesis import HealthCheck, settings

# ci: the same examples on every run (derandomised), bounded so that the whole suite stays fast.
settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=40,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
# dev: random examples, remembered in .hypothesis/ so that a failure comes back first next time.
settings.register_profile("dev", max_examples=60, deadline=None)
# deep: thousands of examples a test, for a long run before a release (see docs/testing.md).
settings.register_profile(
    "deep",
    max_examples=3000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# mutation: the ci profile for mutmut, which runs each test many times in one process (from new class
# instances, which this health check would otherwise flag).
settings.register_profile(
    "mutation",
    parent=settings.get_profile("ci"),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

if settings.get_current_profile_name() == "mutation":
    import pytest

    @pytest.fixture(autouse=True)
    def _forget_parsed_dates():
        """Mutation runs fork each mutant from a process whose date cache holds the original code's answers;
        clear it, so that a mutant of the date parser is run rather than skipped by a cache hit."""
        from events import _dates

        cache = getattr(_dates, "_parse_cached", None)
        if cache is not None:
            cache.cache_clear()
        yield


# The store tests' databases (a real PostgreSQL server per session; see tests/store_servers.py).
from store_servers import backend, new_store_url, postgres_server, store_url  # noqa: E402, F401
