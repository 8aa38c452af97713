"""The worked example of the property-testing guide (docs/testing.md), run as a test (the page quotes it verbatim)."""

from pathlib import Path

# --- example: start ---
from hypothesis import given
from hypothesis import strategies as st

import scenarios
from engine import History
from events import Log
from events.strategies import events_of, imprecise_dates, valid_logs

MY_HISTORY = scenarios.load("bolivia_usa").log  # or read_scenario("my_history.toml").log
DAYS = ["1900-01-01", "1958-01-01", "2008-10-01", "2020-01-01"]


@given(
    events_of(
        "statement",
        codes=("BOL", "USA"),
        dates=imprecise_dates(min_year=1850, max_year=2020),
        ids=st.just("my-statement"),
    )
)
def test_a_statement_changes_no_answer_about_my_history(statement):
    """Adding any statement, on any date, to my history changes no state it answers with."""
    before = History(MY_HISTORY)
    after = History(Log.of([*MY_HISTORY, statement], MY_HISTORY.actors))
    for day in DAYS:
        assert after.state_at("BOL", "USA", day).state == before.state_at("BOL", "USA", day).state


@given(valid_logs(codes=("BOL", "USA"), max_size=15))
def test_no_ambassador_while_relations_are_severed(log):
    """In any history that can happen, no side keeps an ambassador while relations are severed."""
    for step in History(log).steps("BOL", "USA"):
        if step.state.relations == "severed":
            assert "ambassador" not in (step.state.ab.level, step.state.ba.level)


# --- example: end ---


class TestReadme:
    def test_readme_quotes_the_example_verbatim(self):
        """The testing page's guide shows exactly the example this file runs."""
        source = Path(__file__).read_text(encoding="utf-8")
        start, end = "# --- example: start ---\n", "# --- example: end ---\n"
        example = source[source.index(start) + len(start) : source.index(end)].strip()
        readme = (Path(__file__).parent.parent / "docs" / "testing.md").read_text(encoding="utf-8")
        assert example in readme
