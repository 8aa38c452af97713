"""Panels: each row is the state `state_at` gives on the period's last day, with the period's events and tone."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings

from engine import History
from engine.analysis._panel import PANEL_DICTIONARY, panel
from engine.core._state import COW_LEVEL
from events.strategies import valid_logs


@settings(max_examples=25, deadline=None)
@given(valid_logs(max_size=12))
def test_every_panel_row_is_the_state_on_the_last_day_of_its_year(log):
    history = History(log)
    frame = panel(history, freq="year")
    assert list(frame.columns) == list(PANEL_DICTIONARY)
    for row in frame.itertuples(index=False):
        state = history.state_at(row.a, row.b, f"{row.period:04d}-12-31").state
        assert row.relations == state.relations
        assert (row.level_ab, row.level_ba) == (COW_LEVEL[state.ab.level], COW_LEVEL[state.ba.level])
        assert row.posts_ab == len(state.ab.posts) and row.aid_ba == state.ba.aid
        assert (row.sanctions_ab, row.sanctions_ba) == (len(state.ab.sanctions), len(state.ba.sanctions))
        assert row.designations_ba == len(state.ba.designations)
    pairs = history.pairs()
    assert len(frame) == len(pairs) * (frame["period"].nunique() if pairs else 0)
    touched = sum(len(history.steps(*pair)) for pair in pairs)
    assert frame["events"].sum() == touched


def test_month_and_day_panels_and_chosen_pairs():
    import scenarios

    history = History(scenarios.load(scenarios.DEFAULT).log, strict=False)
    months = history.panel([("USA", "BOL")], freq="month", start="2008-01", end="2008-12")
    assert isinstance(months, pd.DataFrame) and len(months) == 12
    september = months[months["period"] == pd.Period("2008-09", freq="M")].iloc[0]
    assert september["level_ba"] < 3 and september["events"] > 0 and september["tone"] < 0
    days = history.panel([("BOL", "USA")], freq="day", start="2008-09-09", end="2008-09-12")
    assert list(days["period"].dt.day) == [9, 10, 11, 12]
