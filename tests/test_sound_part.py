"""A strict history with an impossible event still answers the days before it, exactly as a sound log would."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from engine import History, TransitionError
from engine.cli import main
from events import Log
from events.strategies import defective_logs, valid_logs

PAIRS = (("BOL", "USA"), ("BOL", "PER"), ("PER", "USA"))


@given(defective_logs(["impossible_transition"], max_size=12), st.integers(min_value=0, max_value=4000))
def test_days_before_the_first_impossible_event_are_answered_as_the_lenient_fold_answers_them(defective, offset):
    """Before its first unsound day, the sound part answers every pair as the lenient fold of the whole log."""
    log = Log.of(defective.events, defective.actors)
    history, sound_until = History.sound_part(log)
    lenient = History(log, strict=False)
    if sound_until is None:
        assert not lenient.anomalies
        return
    assert isinstance(sound_until.error, TransitionError)
    assert sound_until.error.event_id == lenient.anomalies[0].event_id
    day = sound_until.first_unsound_day - datetime.timedelta(days=1 + offset)
    if day.year < 1:
        return
    for a, b in PAIRS:
        assert history.state_at(a, b, day) == lenient.state_at(a, b, day)


@given(valid_logs(max_size=10))
def test_a_possible_log_is_sound_throughout(log):
    """A log with no impossible event is its own sound part."""
    history, sound_until = History.sound_part(log)
    assert sound_until is None
    assert history.final == History(log).final


BROKEN = """schema_version = 1
[scenario]
name = "broken"
pair = ["BOL", "USA"]

[[events]]
id = "relations"
kind = "relations_established"
date = "1900-01-01"
actor = "BOL"
target = "USA"
sources = ["an invented source"]

[[events]]
id = "relations-again"
kind = "relations_established"
date = "1950-01-01"
actor = "BOL"
target = "USA"
sources = ["an invented source"]
"""


class TestAtOnABrokenHistory:
    def test_a_day_before_the_impossible_event_is_answered(self, tmp_path, capsys):
        """`legation at` answers a day before the first impossible event, strict as ever."""
        path = tmp_path / "broken.toml"
        path.write_text(BROKEN, encoding="utf-8")
        assert main(["at", "1949-12-31", "--scenario", str(path)]) == 0
        assert "established since 1900-01-01" in capsys.readouterr().out

    def test_a_later_day_names_the_file_line_and_event_and_suggests_lenient(self, tmp_path, capsys):
        """From the impossible event's first possible day on: one line with file, line, event, rule, and --lenient."""
        path = tmp_path / "broken.toml"
        path.write_text(BROKEN, encoding="utf-8")
        assert main(["at", "1950-01-01", "--scenario", str(path)]) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1
        assert f"{path}:15:" in err
        assert "'relations-again'" in err and "already established" in err
        assert "--lenient" in err and "1950-01-01" in err

    def test_commands_over_the_whole_history_name_the_line_too(self, tmp_path, capsys):
        """`timeline` needs the whole history: it refuses with the same one line naming file and line."""
        path = tmp_path / "broken.toml"
        path.write_text(BROKEN, encoding="utf-8")
        assert main(["timeline", "--scenario", str(path)]) == 2
        assert f"{path}:15:" in capsys.readouterr().err
