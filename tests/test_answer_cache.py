import contextlib
import io
import json
import os
import shutil
import stat
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

import scenarios
from engine.cli import _answer_cache, _launch

HISTORY = scenarios.history_path("bolivia_usa")  # one file, no includes


def run_program(argv, cache_dir):
    """`legation ARGV` in this process, through the launcher: (exit status, stdout, stderr)."""
    previous = os.environ.get("LEGATION_CACHE_DIR")
    os.environ["LEGATION_CACHE_DIR"] = str(cache_dir)
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = _launch.main(argv)
    finally:
        if previous is None:
            del os.environ["LEGATION_CACHE_DIR"]
        else:
            os.environ["LEGATION_CACHE_DIR"] = previous
    return status, out.getvalue(), err.getvalue()


def entries(folder):
    return sorted(folder.glob("answer-*.json"))


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("LEGATION_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture(scope="module")
def odd_scenarios(tmp_path_factory):
    """Scenario files under names the old cache ignored, and paths the full program refuses."""
    folder = tmp_path_factory.mktemp("odd")
    for name in ("copy.scenario", "COPY.TOML", "noextension"):
        shutil.copy(HISTORY, folder / name)
    (folder / "empty.scenario").write_text("")
    (folder / "broken.toml").write_text("schema_version = 1\n[scenario\n")
    (folder / "dir").mkdir()
    shutil.copy(HISTORY, folder / "dir" / scenarios.HISTORY_FILE)
    names = ["copy.scenario", "COPY.TOML", "noextension", "empty.scenario", "broken.toml", "dir", "missing.toml"]
    return [str(folder / name) for name in names]


# Dates of every precision, at the calendar's ends, and invalid ones (the full path alone decides).
DATES = st.one_of(
    st.dates().map(lambda day: day.isoformat()),
    st.dates().map(lambda day: day.isoformat()[:7]),
    st.dates().map(lambda day: day.isoformat()[:4]),
    st.sampled_from(
        [
            "0001",
            "0001-01-01",
            "0005-06-01",
            "0010-12-31",
            "9999",
            "9999-12-31",
            "9999-12",
            "00XX",
            "000X",
            "99XX",
            "19XX",
            "198X",
            "0000",
            "10000",
            "2008-02-30",
            "2008-13",
            "2008-10-01?",
            "2008~",
            "-1",
            "",
            "abc",
        ]
    ),
)
ACTORS = st.sampled_from(["USA", "BOL", "usa", "bol", "XPB", "PER", "ZZZ", ""])


@st.composite
def at_command_lines(draw, scenario_paths):
    """An `at` command line: valid and invalid dates and options, in any order, with = forms and abbreviations."""
    chunks = [[draw(DATES)]]
    if draw(st.booleans()):
        a, b = draw(ACTORS), draw(ACTORS)
        chunks.append(draw(st.sampled_from([["--pair", a, b], [f"--pair={a}", b], ["--pa", a, b], ["--pair", a]])))
    if draw(st.booleans()):
        form = draw(st.sampled_from(["text", "json", "xml", "JSON", ""]))
        chunks.append(draw(st.sampled_from([["--format", form], [f"--format={form}"], ["--fo", form]])))
    if draw(st.booleans()):
        path = draw(st.sampled_from([*scenario_paths, "bolivia_usa", "nosuch", ""]))
        chunks.append(draw(st.sampled_from([["--scenario", path], [f"--scenario={path}"], ["--sc", path]])))
    extras = [["--lenient"], ["--unknown"], ["extra"], ["--"], ["-h"], ["--pair"], ["--format"], ["-x", "1"]]
    chunks.extend(draw(st.lists(st.sampled_from(extras), max_size=2)))
    order = draw(st.permutations(range(len(chunks))))
    # The date stays first in most lines (the usual spelling); the permutation covers it after options.
    if draw(st.integers(0, 3)):
        order = [0, *(number for number in order if number != 0)]
    return ["at", *(token for number in order for token in chunks[number])]


class TestSameAnswerWithAndWithoutTheCache:
    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(data=st.data())
    @example(data=None)
    def test_generated_command_lines(self, tmp_path_factory, odd_scenarios, data):
        """Any `at` command line prints the same bytes and exits the same with the cache off, cold and warm."""
        argv_list = (
            [
                ["at", "0005-06-01"],
                ["at", "2008-10-01", "--pair=USA", "BOL"],
                ["at", "2008-10-01", "--pair", "usa", "bol", "--format=json"],
                ["at", "1840", "--pair", "USA", "XPB"],
                ["at", "2008-10-01", "--scenario", odd_scenarios[3]],
                ["at", "9999-12-31"],
                ["at", "0001-01-01"],
                ["at", "2008-10-01", "--he"],
            ]
            if data is None
            else [data.draw(at_command_lines(odd_scenarios), label="argv")]
        )
        for argv in argv_list:
            folder = tmp_path_factory.mktemp("cache")
            reference = run_program(argv, "")
            cold = run_program(argv, folder)
            warm = run_program(argv, folder)
            assert cold == reference, argv
            assert warm == reference, argv
            if reference[0] != 0:
                assert not entries(folder), argv  # only answers are kept
            elif entries(folder):
                os.environ["LEGATION_CACHE_DIR"] = str(folder)
                try:
                    assert _answer_cache.lookup(argv) == reference[1]  # the warm run was answered from the cache
                finally:
                    del os.environ["LEGATION_CACHE_DIR"]
            event(f"exit {reference[0]}, cached: {bool(entries(folder))}")

    def test_the_program_prints_the_same_bytes_cold_and_warm(self, cache):
        """The installed program (a real process): byte-identical stdout and stderr, same exit, cold and warm."""
        command = [sys.executable, "-m", "engine.cli._launch", "at", "1999-03-04", "--pair", "USA", "BOL"]
        env = dict(os.environ, LEGATION_CACHE_DIR=str(cache))
        runs = [subprocess.run(command, capture_output=True, check=False, env=env) for _ in range(2)]
        off = subprocess.run(command, capture_output=True, check=False, env=dict(env, LEGATION_CACHE_DIR=""))
        assert [(r.returncode, r.stdout, r.stderr) for r in runs] == [(off.returncode, off.stdout, off.stderr)] * 2
        assert off.returncode == 0 and b"Bolivia" in off.stdout
        assert len(entries(cache)) == 1

    def test_a_warm_answer_does_not_load_the_event_model(self, cache):
        """The point of the cache: a repeated question is answered importing neither events nor attrs."""
        argv = ["at", "2008-10-01", "--pair", "BOL", "USA"]
        run_program(argv, cache)
        code = (
            "import sys; from engine.cli import _launch; status = _launch.main(sys.argv[1:]); "
            "print(sorted(m for m in ('events', 'attrs', 'networkx', 'engine.core._reducer') if m in sys.modules), "
            "file=sys.stderr); sys.exit(status)"
        )
        env = dict(os.environ, LEGATION_CACHE_DIR=str(cache))
        done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, env=env, check=True)
        assert done.stderr.strip() == "[]"


class TestKeyedOnContent:
    def copy(self, tmp_path, name):
        path = tmp_path / name
        shutil.copy(HISTORY, path)
        return path

    @pytest.mark.parametrize("name", ["history.toml", "x.scenario", "X.TOML", "noextension"])
    def test_an_edit_of_the_same_size_with_the_old_mtime_is_seen(self, cache, tmp_path, name):
        """Same length, modification time restored (as `touch -r`, `cp -p` do): the new content is answered."""
        path = self.copy(tmp_path, name)
        argv = ["at", "2008-06-01", "--pair", "BOL", "USA", "--scenario", str(path)]
        first = run_program(argv, cache)
        assert "Goldberg" in first[1]
        before = path.stat()
        path.write_text(path.read_text(encoding="utf-8").replace("Goldberg", "Goldbarg"), encoding="utf-8")
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert path.stat().st_size == before.st_size
        again = run_program(argv, cache)
        assert again == run_program(argv, "")
        assert "Goldbarg" in again[1] and "Goldberg" not in again[1]

    def test_an_emptied_file_is_refused_as_the_full_path_refuses_it(self, cache, tmp_path):
        """An emptied `.scenario` file exits 2 with the cache on, as without it."""
        path = self.copy(tmp_path, "x.scenario")
        argv = ["at", "2008-06-01", "--scenario", str(path)]
        assert run_program(argv, cache)[0] == 0
        stat_before = path.stat()
        path.write_text("")
        os.utime(path, ns=(stat_before.st_atime_ns, stat_before.st_mtime_ns))
        emptied = run_program(argv, cache)
        assert emptied == run_program(argv, "") and emptied[0] == 2

    def test_a_changed_code_file_changes_the_key(self, cache, tmp_path, monkeypatch):
        """The key covers the code: a different package folder (as after an edit of the code) is a miss."""
        argv = ["at", "2008-10-01"]
        run_program(argv, cache)
        question = _answer_cache.read_question(argv)
        key = _answer_cache._key(question)
        copied = tmp_path / "engine"
        shutil.copytree(_answer_cache._package_folders()[0], copied)
        real = _answer_cache._package_folders

        def edited():
            state = copied / "core" / "_state.py"  # a module in a sub-package: the key walks the whole tree
            state.write_text(state.read_text() + "\n# edited\n")
            return [copied, *real()[1:]]

        monkeypatch.setattr(_answer_cache, "_package_folders", edited)
        assert _answer_cache._key(question) != key
        assert _answer_cache.lookup(argv) is None

    def test_a_fifo_as_the_scenario_is_not_read_by_the_cache(self, cache, tmp_path):
        """The cache never blocks on a FIFO (it opens without waiting and reads only regular files)."""
        fifo = tmp_path / "pipe.toml"
        os.mkfifo(fifo)
        assert _answer_cache.key_of(["at", "2008", "--scenario", str(fifo)]) is None


class TestEntries:
    ARGV = ("at", "2008-10-01", "--pair", "BOL", "USA")

    def entry_path(self, cache):
        return cache / f"answer-{_answer_cache.key_of(self.ARGV)}.json"

    @pytest.mark.parametrize(
        "content",
        [
            b"[]",
            b"{}",
            b'{"version": 2}',
            b'{"version": 2, "key": "KEY", "stdout": 5}',
            b'{"version": 2, "key": "KEY", "stdout": ["x"]}',
            b'{"version": 2, "key": "other", "stdout": "forged\\n"}',
            b'{"version": 1, "key": "KEY", "stdout": "forged\\n"}',
            b'{"version": 2, "key": "KEY", "stdout": "forged\\n", "more": 1}',
            b'{"version": 1, "breaks": [], "templates": ["forged"]}',
            b"not json",
            b"\xff\xfe\x00",
            b"[" * 100_000,
        ],
    )
    def test_an_entry_of_the_wrong_shape_is_ignored(self, cache, content):
        """A damaged or crafted entry is never printed and never a traceback: the full path answers."""
        reference = run_program(self.ARGV, "")
        run_program(self.ARGV, cache)
        entry = self.entry_path(cache)
        key = _answer_cache.key_of(self.ARGV)
        entry.write_bytes(content.replace(b"KEY", key.encode()))
        os.chmod(entry, 0o600)
        assert _answer_cache.lookup(self.ARGV) is None
        assert run_program(self.ARGV, cache) == reference

    def test_an_entry_others_could_have_written_is_ignored(self, cache):
        """An entry readable or writable by others, or in a folder others can write, is not trusted."""
        reference = run_program(self.ARGV, "")
        run_program(self.ARGV, cache)
        entry = self.entry_path(cache)
        document = json.loads(entry.read_text())
        entry.write_text(json.dumps({**document, "stdout": "forged\n"}))
        os.chmod(entry, 0o600)
        assert _answer_cache.lookup(self.ARGV) == "forged\n"  # the user's own private folder is trusted
        os.chmod(entry, 0o644)
        assert _answer_cache.lookup(self.ARGV) is None
        os.chmod(entry, 0o600)
        os.chmod(cache, 0o777)
        assert _answer_cache.lookup(self.ARGV) is None
        os.chmod(cache, 0o700)
        entry.unlink()
        assert run_program(self.ARGV, cache) == reference

    def test_a_link_or_fifo_at_the_entry_is_not_followed(self, cache, tmp_path):
        """A symlink at an entry's name is not read through, and is replaced (its target untouched) on writing."""
        reference = run_program(self.ARGV, "")
        cache.mkdir(mode=0o700)
        victim = tmp_path / "victim"
        victim.write_text("keep me\n")
        entry = self.entry_path(cache)
        entry.symlink_to(victim)
        assert run_program(self.ARGV, cache) == reference
        assert victim.read_text() == "keep me\n"
        assert not entry.is_symlink() and stat.S_IMODE(entry.stat().st_mode) == 0o600
        entry.unlink()
        os.mkfifo(entry, 0o600)
        assert _answer_cache.lookup(self.ARGV) is None  # returns at once: a FIFO is never opened to wait

    def test_the_cache_is_private(self, cache):
        """The folder is 0700 and each entry 0600, whatever the umask."""
        old = os.umask(0)
        try:
            run_program(self.ARGV, cache)
        finally:
            os.umask(old)
        assert stat.S_IMODE(cache.stat().st_mode) == 0o700
        assert [stat.S_IMODE(path.stat().st_mode) for path in entries(cache)] == [0o600]
        assert not [path for path in cache.iterdir() if path.name.endswith(".tmp")]

    def test_the_cache_is_bounded_and_keeps_the_newest(self, cache, monkeypatch):
        """Beyond MAX_ENTRIES, the oldest entries are removed."""
        monkeypatch.setattr(_answer_cache, "MAX_ENTRIES", 3)
        days = [f"2008-10-0{day}" for day in range(1, 7)]
        for number, day in enumerate(days):
            run_program(["at", day], cache)
            # Date each entry by the order it was written (a coarse clock could give several the same time).
            written = cache / f"answer-{_answer_cache.key_of(['at', day])}.json"
            os.utime(written, ns=(number, number))
        kept = entries(cache)
        assert len(kept) == 3
        newest = {_answer_cache.key_of(["at", day]) for day in days[-3:]}
        assert {path.name[len("answer-") : -len(".json")] for path in kept} == newest

    def test_no_cache_folder_means_no_cache(self, tmp_path, monkeypatch):
        """With LEGATION_CACHE_DIR empty nothing is written or read."""
        monkeypatch.chdir(tmp_path)
        assert run_program(self.ARGV, "")[0] == 0
        monkeypatch.setenv("LEGATION_CACHE_DIR", "")
        assert _answer_cache.lookup(self.ARGV) is None
        assert list(tmp_path.iterdir()) == []
