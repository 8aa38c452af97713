"""A field's `since` date is the date of the event its basis cites, whatever the events (lenient folds)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from engine import History
from events import Log, RelationsEstablished
from events.strategies import any_event

CODES = ("BOL", "USA", "PER")


def established(event_id: str, date: str) -> RelationsEstablished:
    return RelationsEstablished(id=event_id, date=date, actor="BOL", target="USA", sources=["s"])


class TestRelationsSinceFollowsItsBasis:
    def test_an_impossible_second_establishment_moves_neither_date_nor_basis(self):
        """Lenient: a second relations_established (an anomaly) leaves relations established since the first
        one's date, citing the first one, rather than citing one event and showing another's date."""
        history = History(Log.of([established("first", "1849"), established("again", "1900")]), strict=False)
        answer = history.state_at("BOL", "USA", "1950-01-01")
        assert [anomaly.event_id for anomaly in history.anomalies] == ["again"]
        assert answer.state.relations == "established"
        assert str(answer.state.relations_since) == "1849"
        assert answer.basis["relations"] == "first"

    @given(st.lists(any_event(codes=CODES), max_size=15, unique_by=lambda event: event.id))
    def test_relations_since_is_the_date_of_the_cited_event_after_any_events(self, events):
        """Every state a lenient fold reaches: `relations_since`, when set, is the date of the event that the
        basis of `relations` names."""
        log = Log.of(events)
        history = History(log, strict=False)
        for a, b in history.pairs():
            for step in history.steps(a, b):
                since = step.state.relations_since
                if since is not None:
                    cited = log.events[log.position(step.basis["relations"])]
                    assert cited.date == since, (step.event.id, step.basis["relations"])
