"""Issue 12 regressions: a dissolved actor said so, and each command-line crash now one clean line (exit 2)."""

import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from engine.cli import main

# Invented actors (no historical claims) whose events sit at the calendar's two ends.
ENDS = textwrap.dedent(
    """\
    schema_version = 1

    [scenario]
    name = "ends"
    title = "At the calendar's ends (invented)"
    pair = ["XAA", "XBB"]

    [[actors]]
    code = "XAA"
    name = "Avalon"
    cow = 901

    [[actors]]
    code = "XBB"
    name = "Brigadoon"
    cow = 902

    [[events]]
    kind = "relations_established"
    id = "first"
    date = "0001-01-01"
    actor = "XAA"
    target = "XBB"
    sources = ["invented"]

    [[events]]
    kind = "envoy_accredited"
    id = "envoy"
    date = "0001"
    actor = "XAA"
    target = "XBB"
    rank = "ambassador"
    envoy = "A. Envoy"
    sources = ["invented"]

    [[events]]
    kind = "relations_severed"
    id = "last"
    date = "99XX"
    actor = "XAA"
    target = "XBB"
    sources = ["invented"]
    """
)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def ends(tmp_path):
    path = tmp_path / "ends.toml"
    path.write_text(ENDS, encoding="utf-8")
    return str(path)


def usage_error(result, *words):
    code, _, err = result
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("legation: error: "), err
    for word in words:
        assert word in err


class TestDissolvedActor:
    def test_the_text_says_the_confederation_had_ceased_to_exist(self, capsys):
        """`at 1840 --pair USA XPB` says XPB was dissolved in 1839, citing the event, before the values."""
        code, out, _ = run(capsys, "at", "1840", "--pair", "USA", "XPB")
        assert code == 0
        lines = out.splitlines()
        line = next(number for number, text in enumerate(lines) if "ceased to exist" in text)
        assert "Peru–Bolivian Confederation (XPB) had ceased to exist: dissolved 1839 (year)" in lines[line]
        assert "[confederation-dissolved]" in lines[line]
        assert line < next(number for number, text in enumerate(lines) if text.startswith("Diplomatic relations"))

    def test_the_json_says_so_for_each_side(self, capsys):
        code, out, _ = run(capsys, "at", "1840", "--pair", "USA", "XPB", "--format", "json")
        data = json.loads(out)
        assert code == 0
        assert data["dissolved"] == {
            "USA": None,
            "XPB": {"date": "1839", "event": "confederation-dissolved", "uncertain": False},
        }

    def test_within_the_year_of_dissolution_it_is_uncertain(self, capsys):
        _, out, _ = run(capsys, "at", "1839-06", "--pair", "USA", "XPB", "--format", "json")
        assert json.loads(out)["dissolved"]["XPB"]["uncertain"] is True
        _, text, _ = run(capsys, "at", "1839-06", "--pair", "USA", "XPB")
        assert "may have ceased to exist: dissolved 1839 (year) ?" in text

    def test_before_it_nothing_is_said(self, capsys):
        _, out, _ = run(capsys, "at", "1838", "--pair", "USA", "XPB")
        assert "ceased" not in out
        _, data, _ = run(capsys, "at", "1838", "--pair", "USA", "XPB", "--format", "json")
        assert json.loads(data)["dissolved"] == {"USA": None, "XPB": None}


class TestCalendarEnds:
    def test_cow_export_past_year_9999(self, capsys):
        usage_error(run(capsys, "export", "--format", "cow", "--to", "99999"), "--to 99999", "1 to 9999")
        usage_error(run(capsys, "export", "--format", "cow", "--from", "0", "--to", "3"), "--from 0")

    def test_cow_export_with_an_event_in_year_1(self, capsys, ends):
        code, out, err = run(capsys, "export", "--format", "cow", "--scenario", ends, "--from", "1", "--to", "2")
        assert code == 0, err
        assert out.splitlines()[1:] == ["901,902,1,0,3,1,legation", "901,902,2,0,3,1,legation"]

    def test_at_in_the_first_years(self, capsys, ends):
        for date in ("0001", "0001-01-01", "0005-06-01", "0010-12-31"):
            code, out, err = run(capsys, "at", date, "--scenario", ends)
            assert code == 0 and "ambassador: A. Envoy" in out, (date, err)

    def test_a_timeline_picture_with_an_event_dated_99xx(self, capsys, ends, tmp_path):
        pytest.importorskip("matplotlib")
        code, _, err = run(capsys, "plot", "timeline", "--scenario", ends, "--out", str(tmp_path / "t.png"))
        assert code == 0, err

    def test_a_monthly_agreement_series_reaching_9999_12(self, capsys):
        argv = ["graph", "--at", "9999-12-31", "--agreement", "BOL", "USA", "--from", "9999-10", "--step", "month"]
        code, out, err = run(capsys, *argv, "--format", "json")
        assert code == 0, err
        assert [row["date"] for row in json.loads(out)] == ["9999-10-31", "9999-11-30", "9999-12-31"]


class TestOtherCrashes:
    def test_plot_out_with_only_an_extension(self, capsys, tmp_path, monkeypatch):
        pytest.importorskip("matplotlib")
        monkeypatch.chdir(tmp_path)
        usage_error(run(capsys, "plot", "timeline", "--out", ".png"), "'.png'", "a name before")
        usage_error(run(capsys, "plot", "graph", "--at", "2000", "--out", "sub/.SVG"), "a name before")
        assert list(tmp_path.iterdir()) == []

    @pytest.mark.parametrize("command", [["timeline"], ["plot", "timeline"]])
    def test_from_after_to_is_an_error(self, capsys, command):
        """Not silently no events."""
        usage_error(run(capsys, *command, "--from", "2009", "--to", "2008-06"), "--from 2009 comes after --to 2008-06")

    def test_a_from_inside_to_is_not(self, capsys):
        code, _, _ = run(capsys, "timeline", "--from", "2008", "--to", "2008-06")
        assert code == 0


INTERRUPT_DURING_IMPORT = """
import os, signal, sys

# Python's own Ctrl-C handler, whatever this process inherited: a job started in the background of a
# shell (`... &`, as a CI runner may start the tests) inherits SIGINT ignored, and Ctrl-C would do nothing.
signal.signal(signal.SIGINT, signal.default_int_handler)

class Interrupt:
    # Sends the process a real SIGINT as the event model starts loading (the slow part of start-up).
    def find_spec(self, name, path=None, target=None):
        if name == "events":
            sys.meta_path.remove(self)
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, Interrupt())
from engine.cli import _launch
sys.exit(_launch.main(sys.argv[1:]))
"""


class TestInterrupt:
    @pytest.mark.parametrize("cache", ["", "cache"])
    def test_ctrl_c_during_start_up_is_one_line_and_exit_130(self, tmp_path, cache):
        """SIGINT while `legation at` is loading: no KeyboardInterrupt traceback, one line, exit 130."""
        env = dict(os.environ, LEGATION_CACHE_DIR=str(tmp_path / cache) if cache else "")
        done = subprocess.run(
            [sys.executable, "-c", INTERRUPT_DURING_IMPORT, "at", "2008-10-01"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert done.returncode == 130, done.stderr
        assert done.stderr == "legation: interrupted\n"
        assert done.stdout == ""
        assert signal.SIGINT == 2  # 130 = 128 + SIGINT


DRAW_BOTH = """
import sys
from engine.cli import main
for path in sys.argv[1:]:
    assert main(["plot", "graph", "--at", "2009", "--out", path]) == 0
"""


class TestReproduciblePictures:
    def test_two_runs_draw_the_same_bytes(self, tmp_path):
        """Two separate processes draw byte-identical SVG and PNG files (no timestamp, no random SVG ids)."""
        pytest.importorskip("matplotlib")
        runs = []
        for number in range(2):
            paths = [tmp_path / f"picture{number}.svg", tmp_path / f"picture{number}.png"]
            env = dict(os.environ, PYTHONHASHSEED=str(number))
            subprocess.run([sys.executable, "-c", DRAW_BOTH, *map(str, paths)], check=True, env=env)
            runs.append([path.read_bytes() for path in paths])
        assert runs[0] == runs[1]
        assert b"<svg" in runs[0][0] and runs[0][1].startswith(b"\x89PNG")
