from collections import Counter

import pytest

from engine import fold, fold_fast
from engine.synthetic import MIX, PRECISION, synthetic_actors, synthetic_events, synthetic_log
from events import Log, Precision


@pytest.fixture(scope="module")
def log():
    return synthetic_log(20_000, seed=7)


class TestSyntheticHistory:
    def test_it_is_a_valid_log_that_folds_strictly(self, log):
        """The generated events pass Log.of and fold in strict mode without an impossible transition."""
        assert len(log) == 20_000
        assert fold(log) == fold_fast(log)

    def test_generation_order_is_log_order(self, log):
        """Log.of keeps the order the generator emits (imprecise dates already sit where they sort)."""
        assert [event.id for event in log] == [f"e{number}" for number in range(len(log))]

    def test_same_seed_same_history(self):
        """Equal seeds give equal histories; another seed gives another."""
        first = list(synthetic_events(2_000, seed=3))
        assert first == list(synthetic_events(2_000, seed=3))
        assert first != list(synthetic_events(2_000, seed=4))

    def test_unvalidated_construction_builds_equal_events(self):
        """The fast path for 10^7 events (no validators run) gives exactly the validated events."""
        assert list(synthetic_events(5_000, seed=5, validate=False)) == list(synthetic_events(5_000, seed=5))

    def test_shape_follows_the_documented_mix(self, log):
        """About 44% of events change state, dates are mostly exact, and many pairs are touched."""
        record_only = sum(1 for event in log if not event.CHANGES_STATE) / len(log)
        assert 0.4 < record_only < 0.6
        precision = Counter(event.date.precision for event in log)
        assert precision[Precision.DAY] / len(log) == pytest.approx(PRECISION["day"], abs=0.02)
        assert precision[Precision.MONTH] and precision[Precision.YEAR]
        assert len(log.pairs()) > 5_000
        assert sum(MIX.values()) == pytest.approx(1.0)

    def test_actors_are_synthetic(self):
        """The table has 200 actors with codes no real state uses."""
        table = synthetic_actors()
        assert len(table) == 200
        assert all(code.startswith("S") and code[1:].isdigit() for code in table)

    def test_kinds_cover_most_of_the_vocabulary(self, log):
        """Every state-changing pair kind but dissolution and recognition withdrawal appears in 20,000 events."""
        seen = {event.KIND for event in log}
        assert {"envoy_expelled", "relations_severed", "aid_waiver", "agency_expelled", "persona_non_grata"} <= seen
        assert isinstance(log, Log)
