import argparse
import datetime
import os
import random
import shutil
import subprocess
import sys

import pytest

import scenarios
from engine import History
from engine.cli import _answer_cache, main
from engine.cli.at import at_output


def resolve(name):
    return scenarios.history_path(name or scenarios.DEFAULT)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("LEGATION_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture(scope="module")
def loaded():
    scenario = scenarios.load(scenarios.DEFAULT)
    return scenario, History(scenario.log)


def days_to_check(scenario, pair):
    """Every breakpoint, the days either side of it, and random days across the calendar."""
    rng = random.Random(0)
    days = set()
    for event in scenario.log:
        if event.actor in pair or event.target in pair:
            for day in (event.date.earliest, event.date.latest):
                days.update({day, day - datetime.timedelta(days=1), day + datetime.timedelta(days=1)})
    days.update(datetime.date.fromordinal(rng.randint(600_000, 740_000)) for _ in range(200))
    return sorted(days)


class TestAnswerCache:
    @pytest.mark.parametrize("form", ["text", "json"])
    def test_cached_answers_equal_full_answers_on_every_day(self, cache, loaded, capsys, form):
        """After one full answer, the cache gives, for every day, exactly what the full path prints."""
        scenario, history = loaded
        argv = ["at", "2008-10-01", "--format", form]
        assert main(argv, remember=True) == 0
        capsys.readouterr()
        args = argparse.Namespace(format=form)
        for day in days_to_check(scenario, scenario.pair):
            asked = ["at", day.isoformat(), "--format", form]
            expected = at_output(args, scenario, history, scenario.pair, day)
            assert _answer_cache.lookup(asked, resolve) == expected, day

    def test_other_questions_take_the_full_path(self, cache, capsys):
        """A month, an unknown option or a bad day is never answered from the cache."""
        main(["at", "2008-10-01"], remember=True)
        capsys.readouterr()
        assert _answer_cache.lookup(["at", "2008-10-01"], resolve) is not None
        for argv in (["at", "2008-10"], ["at", "2008-10-01", "--verbose"], ["at", "2008-02-30"], ["validate", "x"]):
            assert _answer_cache.lookup(argv, resolve) is None

    def test_a_changed_history_file_is_not_answered_from_the_cache(self, cache, tmp_path, capsys):
        """Touching the scenario file changes the key, so the stale answers are not used."""
        folder = tmp_path / "copy"
        shutil.copytree(resolve(None).parent, folder)
        argv = ["at", "2008-10-01", "--scenario", str(folder)]
        main(argv, remember=True)
        capsys.readouterr()
        assert _answer_cache.lookup(argv, resolve) is not None
        history_file = folder / scenarios.HISTORY_FILE
        stat = history_file.stat()
        os.utime(history_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        assert _answer_cache.lookup(argv, resolve) is None

    def test_no_cache_folder_means_no_cache(self, monkeypatch, capsys):
        """With LEGATION_CACHE_DIR empty nothing is written or read."""
        monkeypatch.setenv("LEGATION_CACHE_DIR", "")
        main(["at", "2008-10-01"], remember=True)
        capsys.readouterr()
        assert _answer_cache.lookup(["at", "2008-10-01"], resolve) is None

    def test_the_program_prints_the_same_answer_cold_and_warm(self, cache):
        """`legation at DAY` run twice (the second from the cache) prints the same bytes and exits 0."""
        command = [sys.executable, "-c", "import sys; from engine.cli._launch import main; sys.exit(main())"]
        runs = [
            subprocess.run([*command, "at", "1999-03-04", "--pair", "USA", "BOL"], capture_output=True, check=False)
            for _ in range(2)
        ]
        assert runs[0].returncode == runs[1].returncode == 0
        assert runs[0].stdout == runs[1].stdout
        assert b"Bolivia" in runs[0].stdout
        assert list(cache.glob("at-*.json"))

    def test_importing_the_launcher_does_not_import_the_event_model(self):
        """The cached path's modules import neither events, attrs, networkx nor the reducer."""
        code = (
            "import sys, engine, engine.cli._launch, engine.cli._answer_cache, scenarios; "
            "print(sorted(m for m in ('events', 'attrs', 'networkx', 'engine._reducer') if m in sys.modules))"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert done.stdout.strip() == "[]"
