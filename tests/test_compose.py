"""One world log from several scenario files: includes, ids across files, cycles, causes that cross histories."""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings

import scenarios
from engine import History
from engine.cli import _answer_cache as answer_cache
from engine.cli import main
from engine.cli._render import as_of_json
from events import ScenarioFileError, dump_scenario, read_scenario, scenario_of
from events.strategies import valid_logs

HEAD = 'schema_version = 1\n{include}\n[scenario]\nname = "{name}"\npair = {pair}\n'
RECOGNITION = """
[[events]]
kind = "recognition"
id = "{id}"
date = "{date}"
actor = "{actor}"
target = "{target}"
sources = ["a test"]
{extra}"""


def write(folder: Path, name: str, events: str = "", include: list[str] | None = None, pair=("USA", "BOL")) -> Path:
    """A scenario file `name.toml` in `folder` with the given events and `include` list."""
    line = "" if include is None else f"include = {json.dumps(include)}\n"
    path = folder / f"{name}.toml"
    path.write_text(HEAD.format(include=line, name=name, pair=json.dumps(list(pair))) + events, encoding="utf-8")
    return path


def recognition(event_id: str, date: str, actor: str, target: str, caused_by: list[str] | None = None) -> str:
    extra = f"caused_by = {json.dumps(caused_by)}\n" if caused_by else ""
    return RECOGNITION.format(id=event_id, date=date, actor=actor, target=target, extra=extra)


def problems_of(path: Path) -> list[ScenarioFileError]:
    found = scenarios.load_or_problems(path)
    return found if isinstance(found, list) else []


class TestIncludes:
    def test_a_cause_may_name_an_event_of_an_included_file(self, tmp_path):
        """An event's caused_by names an event of the file it includes; the log holds both, and each knows its file."""
        base = write(tmp_path, "base", recognition("usa-recognises-bolivia", "1848-05-30", "USA", "BOL"))
        later = recognition("bolivia-recognises-usa", "1849-01-03", "BOL", "USA", ["usa-recognises-bolivia"])
        top = write(tmp_path, "top", later, include=["base.toml"])
        world = scenarios.load(top)
        assert [event.id for event in world.log] == ["usa-recognises-bolivia", "bolivia-recognises-usa"]
        assert world.log.effects_of("usa-recognises-bolivia") == ["bolivia-recognises-usa"]
        assert world.origin("usa-recognises-bolivia") == str(base)
        assert world.origin("bolivia-recognises-usa") == str(top)
        assert world.files == (str(top), str(base))
        for strict in (True, False):
            assert History(world.log, strict=strict).state_at("BOL", "USA", "1850").state.ab.recognizes

    def test_a_cause_in_a_file_not_included_is_an_unknown_cause(self, tmp_path):
        """Without the include, the same cause is reported at its line as an unknown id."""
        later = recognition("bolivia-recognises-usa", "1849-01-03", "BOL", "USA", ["usa-recognises-bolivia"])
        top = write(tmp_path, "top", later)
        [problem] = problems_of(top)
        assert problem.path == str(top) and problem.event_id == "bolivia-recognises-usa"
        assert "caused_by" in str(problem) and "'usa-recognises-bolivia'" in str(problem)
        assert problem.line == top.read_text().splitlines().index('caused_by = ["usa-recognises-bolivia"]') + 1

    def test_an_id_used_in_two_files_is_refused_naming_both(self, tmp_path):
        """An own event reusing an included file's id is refused at its own line, naming the other file and line."""
        base = write(tmp_path, "base", recognition("recognised", "1848-05-30", "USA", "BOL"))
        top = write(tmp_path, "top", recognition("recognised", "1849-01-03", "BOL", "USA"), include=["base.toml"])
        [problem] = problems_of(top)
        own_line = top.read_text().splitlines().index('id = "recognised"') + 1
        base_line = base.read_text().splitlines().index('id = "recognised"') + 1
        assert (problem.path, problem.line, problem.event_id) == (str(top), own_line, "recognised")
        assert f"{base}:{base_line}" in problem.detail and "unique across included files" in problem.detail

    def test_two_included_files_sharing_an_id_are_refused(self, tmp_path):
        """Two different included files with the same id: refused where the second uses it."""
        write(tmp_path, "a", recognition("recognised", "1848-05-30", "USA", "BOL"))
        second = write(tmp_path, "b", recognition("recognised", "1849-01-03", "BOL", "USA"))
        top = write(tmp_path, "top", include=["a.toml", "b.toml"])
        [problem] = problems_of(top)
        assert problem.path == str(second) and problem.event_id == "recognised"
        assert str(tmp_path / "a.toml") in problem.detail

    def test_a_file_reached_twice_is_read_once(self, tmp_path):
        """A diamond (top includes a and b, b includes a): a's events are in the log once, no clash."""
        write(tmp_path, "a", recognition("usa-recognises-bolivia", "1848-05-30", "USA", "BOL"))
        write(tmp_path, "b", recognition("bolivia-recognises-usa", "1849", "BOL", "USA"), include=["a.toml"])
        top = write(tmp_path, "top", include=["a.toml", "b.toml"])
        world = scenarios.load(top)
        assert sorted(event.id for event in world.log) == ["bolivia-recognises-usa", "usa-recognises-bolivia"]
        assert len(world.files) == 3

    @pytest.mark.parametrize("strict", [True, False])
    def test_cycles_are_refused(self, tmp_path, strict):
        """A file that includes itself, directly or through another, is refused with the cycle spelled out."""
        first = write(tmp_path, "first", include=["second.toml"])
        write(tmp_path, "second", include=["first.toml"])
        problems = problems_of(first)
        assert problems and all("makes a cycle" in problem.detail for problem in problems)
        assert "first.toml -> " in problems[0].detail and problems[0].line == 2
        alone = write(tmp_path, "alone", include=["alone.toml"])
        assert "makes a cycle" in problems_of(alone)[0].detail
        assert main(["at", "1900-01-01", "--scenario", str(first)] + ([] if strict else ["--lenient"])) == 2

    def test_a_missing_include_names_the_entry_and_line(self, tmp_path):
        """An include that names nothing: one line naming the file, the include line and the entry."""
        top = write(tmp_path, "top", include=["nowhere"])
        [problem] = problems_of(top)
        assert (problem.path, problem.line) == (str(top), 2)
        assert "'nowhere'" in problem.detail and "no such file" in problem.detail

    def test_include_must_be_a_list_of_names(self, tmp_path):
        """`include = "x"` is refused as not a list."""
        top = tmp_path / "top.toml"
        top.write_text('schema_version = 1\ninclude = "bolivia_usa"\n', encoding="utf-8")
        [problem] = problems_of(top)
        assert "field 'include': expected a list" in problem.detail and problem.line == 2

    def test_a_problem_inside_an_included_file_names_that_file(self, tmp_path):
        """A broken event in an included file is reported against that file and line."""
        broken = write(tmp_path, "broken", recognition("x", "not a date", "USA", "BOL"))
        top = write(tmp_path, "top", include=["broken.toml"])
        [problem] = problems_of(top)
        assert problem.path == str(broken) and problem.event_id == "x" and "date" in problem.detail

    def test_validate_names_the_included_file_of_an_impossible_transition(self, tmp_path, capsys):
        """An impossible transition in an included file is reported by `validate` at that file's line."""
        severance = RECOGNITION.replace('kind = "recognition"', 'kind = "relations_severed"')
        base = write(
            tmp_path, "base", severance.format(id="early-break", date="1900", actor="USA", target="BOL", extra="")
        )
        top = write(tmp_path, "top", include=["base.toml"])
        assert main(["validate", str(top), "--format", "json"]) == 1
        result = json.loads(capsys.readouterr().out)
        [anomaly] = result["anomalies"]
        line = base.read_text().splitlines().index('id = "early-break"') + 1
        assert (anomaly["file"], anomaly["line"], anomaly["event_id"]) == (str(base), line, "early-break")

    def test_actors_declared_differently_are_refused(self, tmp_path):
        """Two files that declare one actor code with different periods cannot be composed."""
        actor = '\n[[actors]]\ncode = "XPB"\nname = "Confederation"\nstart = "{start}"\n'
        (tmp_path / "a.toml").write_text(
            HEAD.format(include="", name="a", pair='["USA", "BOL"]') + actor.format(start="1836")
        )
        top = tmp_path / "top.toml"
        top.write_text(
            HEAD.format(include='include = ["a.toml"]', name="top", pair='["USA", "BOL"]') + actor.format(start="1837")
        )
        [problem] = problems_of(top)
        assert "actor XPB: declared differently" in problem.detail
        (tmp_path / "a.toml").write_text(
            HEAD.format(include="", name="a", pair='["USA", "BOL"]') + actor.format(start="1837")
        )
        assert [actor.code for actor in scenarios.load(top).declared_actors] == ["XPB"]

    def test_a_built_in_name_resolves_and_the_dump_is_self_contained(self, tmp_path):
        """`include = ["bolivia_usa"]` from anywhere reads the built-in history; its dump reads back alone."""
        top = write(tmp_path, "top", include=["bolivia_usa"], pair=("BOL", "USA"))
        world = scenarios.load(top)
        alone = scenarios.load("bolivia_usa")
        assert world.log == alone.log
        flat = tmp_path / "flat.toml"
        flat.write_text(dump_scenario(world), encoding="utf-8")
        assert read_scenario(flat).log == world.log


def _answers(log, pairs, days) -> list:
    history = History(log)
    return [as_of_json(history.state_at(a, b, day), history) for a, b in pairs for day in days]


def _renamed(log, prefix: str):
    return [
        attrs.evolve(event, id=prefix + event.id, caused_by=tuple(prefix + cause for cause in event.caused_by))
        for event in log
    ]


class TestComposedAnswersStay:
    @settings(max_examples=15, deadline=None)
    @given(
        own=valid_logs(max_size=10, codes=("BOL", "USA", "PER")),
        other=valid_logs(max_size=10, codes=("VEN", "CUB", "COL")),
    )
    def test_including_a_history_of_other_pairs_changes_no_answer(self, tmp_path_factory, own, other):
        """Composing a history with one about other actors leaves every answer about its own pairs unchanged."""
        folder = tmp_path_factory.mktemp("compose")
        (folder / "own.toml").write_text(dump_scenario(scenario_of(own, name="own")), encoding="utf-8")
        other_text = dump_scenario(scenario_of(_renamed(other, "other-"), name="other"))
        (folder / "other.toml").write_text(
            other_text.replace("schema_version = 1\n", 'schema_version = 1\ninclude = ["own.toml"]\n', 1)
        )
        world = scenarios.load(folder / "other.toml")
        pairs = [("BOL", "USA"), ("BOL", "PER"), ("PER", "USA")]
        days = sorted({event.date.latest for event in own} | {datetime.date(2100, 12, 31)})
        assert _answers(world.log, pairs, days) == _answers(own, pairs, days)


@pytest.fixture(scope="module")
def world():
    return scenarios.load()


class TestTheDefaultWorld:
    def test_holds_both_histories_with_bolivia_as_main_pair(self, world):
        """The default scenario includes both built-in histories; its main pair stays BOL–USA."""
        assert scenarios.DEFAULT == "world" and world.pair == ("BOL", "USA")
        bolivia, venezuela = scenarios.load("bolivia_usa"), scenarios.load("venezuela_usa")
        assert set(world.log.events) == set(bolivia.log.events) | set(venezuela.log.events)
        assert len(world.log) == len(venezuela.log) > len(bolivia.log)

    def test_venezuela_answers_without_naming_a_file(self, capsys):
        """`legation at 2012-06-01 --pair USA VEN` answers from the default world."""
        assert main(["at", "2012-06-01", "--pair", "USA", "VEN"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("United States and Venezuela on 2012-06-01")
        assert "chargé d'affaires: James Michael Derham" in out

    def test_the_venezuelan_expulsion_is_caused_by_the_bolivian(self, world):
        """The 2008 cause crosses the histories: Bolivia's expulsion of Goldberg caused Venezuela's of Duddy."""
        assert world.origin("goldberg-expelled").endswith("bolivia_usa/history.toml")
        assert world.origin("duddy-expelled").endswith("venezuela_usa/history.toml")
        assert "duddy-expelled" in world.log.effects_of("goldberg-expelled")

    def test_bolivia_answers_are_unchanged(self, world):
        """On every day a BOL–USA event names, and on the day after, the world answers as the Bolivia file alone."""
        bolivia = scenarios.load("bolivia_usa")
        days = sorted({day for event in bolivia.log for day in (event.date.earliest, event.date.latest)})
        days += [day + datetime.timedelta(days=1) for day in days]
        pairs = [("BOL", "USA"), ("BOL", "PER"), ("USA", "XPB")]
        assert _answers(world.log, pairs, days) == _answers(bolivia.log, pairs, days)

    @pytest.mark.parametrize(
        "argv",
        [
            ["at", "2008-10-01"],
            ["timeline", "--from", "2006", "--to", "2009"],
            ["diff", "2008-01-01", "2009-12-31"],
            ["when", "no ambassador of USA in BOL and relations established"],
            ["export", "--format", "cow"],
        ],
    )
    def test_bolivia_commands_print_what_they_printed(self, argv, capsys):
        """The README's kind of Bolivia questions print the same with the default world as with the file alone."""
        assert main(argv) == 0
        default = capsys.readouterr().out
        assert main([*argv, "--scenario", "bolivia_usa"]) == 0
        assert default == capsys.readouterr().out

    def test_cow_export_covers_the_new_pair(self, capsys):
        """COW export works for the Venezuela pair from the default world (COW 2 and 101)."""
        assert main(["export", "--format", "cow", "--pair", "USA", "VEN", "--from", "2007", "--to", "2010"]) == 0
        rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
        assert [row["year"] for row in rows] == ["2007", "2008", "2009", "2010"]
        assert all((row["ccode1"], row["ccode2"]) == ("2", "101") for row in rows)
        # 31 December of each year: US chargé in Caracas after the 2008 expulsion, ambassadors again in 2009.
        assert [row["DR_at_2"] for row in rows] == ["3", "1", "3", "1"]

    def test_the_graph_shows_both_histories_alignments(self, capsys):
        """One alignment graph: Bolivia's alignments and Venezuela's hostility toward the US, on one day."""
        assert main(["graph", "--at", "2008-12-31", "--format", "json"]) == 0
        graph = json.loads(capsys.readouterr().out)
        edges = {tuple(sorted((edge["source"], edge["target"]))): edge for edge in graph["edges"]}
        assert ("BOL", "VEN") in edges and ("USA", "VEN") in edges and ("BOL", "USA") in edges


class TestTheAnswerCacheWatchesIncludedFiles:
    def test_a_changed_included_file_is_not_answered_from_the_cache(self, tmp_path, monkeypatch):
        """After an included file changes, the cached answer is refused and the full path answers."""
        monkeypatch.setenv("LEGATION_CACHE_DIR", str(tmp_path / "cache"))
        base = write(tmp_path, "base", recognition("usa-recognises-bolivia", "1848-05-30", "USA", "BOL"))
        top = write(tmp_path, "top", include=["base.toml"])
        argv = ["at", "1900-01-01", "--scenario", str(top)]
        assert main(argv, remember=True) == 0
        cached = answer_cache.lookup(argv)
        assert cached is not None and cached.startswith("United States and Bolivia on 1900-01-01")
        stat = base.stat()
        text = base.read_text().replace("1848-05-30", "1948-05-30")  # the same length
        base.write_text(text, encoding="utf-8")
        os.utime(base, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same modification time
        assert answer_cache.lookup(argv) is None

    def test_a_new_file_that_an_include_now_finds_is_not_answered_from_the_cache(self, tmp_path, monkeypatch):
        """An include of a built-in name is found beside the file once such a folder appears there: no file
        the answer was read from changed, but the reader would now read another, so the cache does not answer."""
        monkeypatch.setenv("LEGATION_CACHE_DIR", str(tmp_path / "cache"))
        top = write(tmp_path, "top", include=["bolivia_usa"])
        argv = ["at", "1900-01-01", "--scenario", str(top)]
        assert main(argv, remember=True) == 0
        assert answer_cache.lookup(argv) is not None
        (tmp_path / "bolivia_usa").mkdir()
        write(tmp_path / "bolivia_usa", "history", recognition("usa-recognises-bolivia", "1948-05-30", "USA", "BOL"))
        assert answer_cache.lookup(argv) is None
