import textwrap

import pytest

import scenarios
from events import (
    UPCASTERS,
    ScenarioFileError,
    check_scenario,
    dump_scenario,
    parse_scenario,
    read_scenario,
    write_scenario,
)

GOOD = textwrap.dedent(
    """\
    schema_version = 1

    [scenario]
    name = "tiny"
    title = "A tiny history"
    pair = ["BOL", "USA"]

    [[actors]]
    code = "XPB"
    name = "Peru–Bolivian Confederation"
    start = "1836"
    end = "1839"

    [[events]]
    kind = "relations_established"
    id = "est"
    date = "1837"
    actor = "USA"
    target = "XPB"
    sources = ["article: lead"]

    [[events]]
    kind = "envoy_accredited"
    id = "envoy"
    date = "1848"
    actor = "USA"
    target = "BOL"
    rank = "charge"
    envoy = "John Appleton"
    sources = ["article: lead"]
    note = \"\"\"A note
    on two lines.\"\"\"
    """
)


def write(tmp_path, text, name="history.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def first_error(tmp_path, text):
    with pytest.raises(ScenarioFileError) as raised:
        read_scenario(write(tmp_path, text))
    return raised.value


class TestRead:
    def test_good_file(self, tmp_path):
        """A sound file gives its scenario, with declared actors and the main pair."""
        scenario = read_scenario(write(tmp_path, GOOD))
        assert scenario.name == "tiny" and scenario.pair == ("BOL", "USA")
        assert [e.id for e in scenario.log] == ["est", "envoy"]
        assert scenario.log.actors["XPB"].end is not None

    def test_round_trip(self, tmp_path):
        """Writing a scenario and reading it back gives an equal scenario."""
        scenario = read_scenario(write(tmp_path, GOOD))
        again = parse_scenario(dump_scenario(scenario), path=scenario.path)
        assert again.log == scenario.log and again.pair == scenario.pair
        assert again.declared_actors == scenario.declared_actors
        out = tmp_path / "copy.toml"
        write_scenario(scenario, out)
        assert read_scenario(out).log == scenario.log

    def test_builtin_scenarios_load_and_round_trip(self):
        """Every built-in scenario loads, round-trips through the writer and lists its name."""
        for name in scenarios.names():
            scenario = scenarios.load(name)
            assert parse_scenario(dump_scenario(scenario)).log == scenario.log


class TestErrors:
    def test_missing_file(self, tmp_path):
        """A missing file is named, with no traceback-worthy exception."""
        with pytest.raises(ScenarioFileError, match="no such file"):
            read_scenario(tmp_path / "nope.toml")

    def test_folder(self, tmp_path):
        """A folder is not a scenario file."""
        with pytest.raises(ScenarioFileError, match="found a folder"):
            read_scenario(tmp_path)

    def test_not_toml(self, tmp_path):
        """A TOML syntax error names the file and the line."""
        error = first_error(tmp_path, GOOD.replace('rank = "charge"', 'rank = "charge'))
        assert error.line == 28 and "not valid TOML" in str(error)

    def test_toml_1_1_syntax_is_refused(self, tmp_path):
        """Files are read as TOML 1.0, as by tomllib: a trailing comma in an inline table (TOML 1.1) is refused."""
        text = GOOD.replace('rank = "charge"', 'rank = "charge"\nextra = { a = 1, }')
        error = first_error(tmp_path, text)
        assert error.line == 29 and "not valid TOML" in str(error)

    def test_not_utf8(self, tmp_path):
        """Bytes that are not UTF-8 are reported, not raised as a decode traceback."""
        path = tmp_path / "latin.toml"
        path.write_bytes(b"title = '\xe9'\n")
        with pytest.raises(ScenarioFileError, match="cannot read"):
            read_scenario(path)

    def test_bad_field_names_line_event_and_field(self, tmp_path):
        """A bad value is reported at the line of its field, with event id, expected and found."""
        error = first_error(tmp_path, GOOD.replace('rank = "charge"', 'rank = "consul"'))
        assert error.line == 28 and error.event_id == "envoy"
        assert "field 'rank': expected one of ambassador, charge, minister, other, found 'consul'" in str(error)
        assert str(error).startswith(f"{error.path}:28: event 'envoy': ")

    def test_bad_date(self, tmp_path):
        """A bad date names its line and what dates look like."""
        error = first_error(tmp_path, GOOD.replace('date = "1848"', 'date = "1848-02-30"'))
        assert error.line == 25 and "a day that exists in 1848-02" in str(error)

    def test_unknown_kind(self, tmp_path):
        """An unknown kind lists the kinds there are."""
        error = first_error(tmp_path, GOOD.replace('"envoy_accredited"', '"envoy_sent"'))
        assert error.line == 23 and "expected one of" in str(error) and "envoy_sent" in str(error)

    def test_missing_id(self, tmp_path):
        """An event without an id is named by its position."""
        error = first_error(tmp_path, GOOD.replace('id = "envoy"\n', ""))
        assert "event #2" in str(error) and "field 'id'" in str(error)

    def test_log_rule(self, tmp_path):
        """A broken log rule names the event's line."""
        error = first_error(tmp_path, GOOD.replace('id = "envoy"', 'id = "est"'))
        assert error.line == 24 and error.event_id == "est" and "unique" in str(error)

    def test_existence(self, tmp_path):
        """An event dated after an actor's end is refused."""
        error = first_error(tmp_path, GOOD.replace('date = "1837"', 'date = "1845"'))
        assert "XPB existed 1836/1839" in str(error) and error.line == 19

    def test_bad_actor(self, tmp_path):
        """A bad actor declaration names its line and field."""
        error = first_error(tmp_path, GOOD.replace('end = "1839"', 'end = "soon"'))
        assert error.line == 12 and "actor XPB" in str(error) and "field 'end'" in str(error)

    def test_bad_pair(self, tmp_path):
        """The main pair must be two known actors."""
        error = first_error(tmp_path, GOOD.replace('pair = ["BOL", "USA"]', 'pair = ["BOL"]'))
        assert "field 'pair'" in str(error)
        error = first_error(tmp_path, GOOD.replace('pair = ["BOL", "USA"]', 'pair = ["BOL", "QQQ"]'))
        assert "'QQQ'" in str(error)

    def test_unknown_top_level_key(self, tmp_path):
        """A misspelt top-level table is reported."""
        error = first_error(tmp_path, GOOD.replace("[[events]]", "[[event]]", 1))
        assert "unknown top-level key 'event'" in str(error)

    def test_newer_schema(self, tmp_path):
        """A file from a newer schema is refused with the version found."""
        error = first_error(tmp_path, GOOD.replace("schema_version = 1", "schema_version = 99"))
        assert "schema_version" in str(error) and "99" in str(error)

    def test_check_lists_every_problem(self, tmp_path):
        """check_scenario reports every bad event at once, each with its line."""
        text = GOOD.replace('rank = "charge"', 'rank = "consul"').replace('date = "1837"', 'date = "1837-00"')
        problems = check_scenario(write(tmp_path, text))
        assert [p.line for p in problems] == [17, 28]
        assert check_scenario(write(tmp_path, GOOD)) == []


class TestUpcast:
    def test_old_versions_are_upcast(self, tmp_path, monkeypatch):
        """A file of an older schema version loads through the registered upcasters."""

        def rename_source(document):
            for event in document.get("events", []):
                event["sources"] = [event.pop("source")]
            return document

        monkeypatch.setattr("events._codec.SCHEMA_VERSION", 2)
        monkeypatch.setitem(UPCASTERS, 1, rename_source)
        old = GOOD.replace('sources = ["article: lead"]', 'source = "article: lead"')
        scenario = read_scenario(write(tmp_path, old))
        assert scenario.log.get("envoy").sources == ("article: lead",)
