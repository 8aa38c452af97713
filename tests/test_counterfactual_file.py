"""Tests of events._counterfactual_file: reading, line-numbered errors, checks against the base, round trip."""

from __future__ import annotations

import textwrap

import pytest
from whatif_logs import envoy_log, make

import events as ev
from events import (
    CounterfactualFileError,
    CounterfactualSpec,
    InsertEvent,
    MoveEvent,
    RemoveEvent,
    ReplaceEvent,
    SetEventField,
    dump_counterfactual,
    edit_base,
    parse_counterfactual,
    read_counterfactual,
    write_counterfactual,
)

GOOD = textwrap.dedent(
    """\
    # What if the ambassador had not been expelled?
    schema_version = 1

    [counterfactual]
    base = "bolivia_usa"
    question = "What if the ambassador had not been expelled?"
    cascade = "keep"

    [[edits]]
    op = "remove"
    id = "ambassador-expelled"
    rationale = "No expulsion."

    [[edits]]
    op = "insert"
    rationale = "A visit instead."
    event = { kind = "visit", id = "visit", date = "2008-10", actor = "USA", target = "BOL", sources = ["x"] }

    [[edits]]
    op = "move"
    id = "aid"
    date = "2009-05"
    rationale = "Aid a year earlier."

    [[edits]]
    op = "set"
    id = "ambassador-accredited"
    field = "rank"
    value = "minister"
    rationale = "A minister, not an ambassador."

    [[edits]]
    op = "replace"
    id = "dea-regret"
    rationale = "A protest instead."

    [edits.event]
    kind = "protest"
    id = "dea-protest"
    date = "2009"
    actor = "BOL"
    sources = ["y"]
    """
)


def parse(text: str) -> CounterfactualSpec:
    return parse_counterfactual(text, "cf.toml", name="cf")


def replace_line(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


class TestRead:
    def test_reads_every_op(self):
        """A file with one edit of each op reads into those edits, in order."""
        spec = parse(GOOD)
        assert spec.base == "bolivia_usa" and spec.cascade == "keep" and spec.question.startswith("What if")
        assert [type(edit) for edit in spec.edits] == [RemoveEvent, InsertEvent, MoveEvent, SetEventField, ReplaceEvent]
        assert spec.edits[1].event.id == "visit" and str(spec.edits[2].date) == "2009-05"
        assert spec.edits[4].event.id == "dea-protest"

    def test_cascade_defaults_to_drop(self):
        """A file that names no policy drops effects."""
        assert parse(replace_line(GOOD, 'cascade = "keep"\n', "")).cascade == "drop"

    def test_applies_to_the_base(self):
        """The edits of a good file apply to the base log."""
        edited = edit_base(parse(GOOD), envoy_log())
        assert "visit" in edited and "ambassador-expelled" not in edited and "dea-protest" in edited

    def test_reads_a_file(self, tmp_path):
        """read_counterfactual reads a file and names the spec after it."""
        path = tmp_path / "no_expulsion.toml"
        path.write_text(GOOD, encoding="utf-8")
        spec = read_counterfactual(path)
        assert spec.name == "no_expulsion" and spec.path == str(path)


class TestFileErrors:
    @pytest.mark.parametrize(
        ("old", "new", "line", "words"),
        [
            ('op = "move"', 'op = "shift"', 20, "expected one of remove, replace, insert, move, set, found 'shift'"),
            ('date = "2009-05"', 'date = "2009-13"', 22, "a month from 01 to 12"),
            ('rationale = "No expulsion."', 'rationale = ""', 12, "field 'rationale'"),
            ('field = "rank"', 'field = "rank"\nspeed = 3', 29, "field 'speed'"),
            ('actor = "USA", target', 'actor = "USA", colour = "red", target', 17, "field 'colour'"),
            ('kind = "protest"', 'kind = "riot"', 38, "found 'riot'"),
        ],
    )
    def test_bad_edit_names_line_edit_and_field(self, old, new, line, words):
        """A bad key or value in an edit is reported with the file, its line, the edit number and the field."""
        with pytest.raises(CounterfactualFileError) as caught:
            parse(replace_line(GOOD, old, new))
        message = str(caught.value)
        assert message.startswith(f"cf.toml:{line}: edit #")
        assert words in message

    def test_missing_key_of_an_op(self):
        """A move without a date is refused, naming the missing key."""
        with pytest.raises(CounterfactualFileError, match=r"edit #3 \(move\), field 'date': expected a value"):
            parse(replace_line(GOOD, 'date = "2009-05"\n', ""))

    def test_bad_toml_names_the_line(self):
        """Text that is not TOML is refused with its line."""
        with pytest.raises(CounterfactualFileError, match=r"cf.toml:11: not valid TOML"):
            parse(replace_line(GOOD, 'id = "ambassador-expelled"', "id = ambassador-expelled"))

    def test_missing_question(self):
        """A file without a question is refused: every counterfactual asks one."""
        with pytest.raises(CounterfactualFileError, match=r"\[counterfactual\] field 'question'"):
            parse(replace_line(GOOD, 'question = "What if the ambassador had not been expelled?"\n', ""))

    def test_bad_policy_names_its_line(self):
        """An unknown cascade policy is refused on its line."""
        with pytest.raises(CounterfactualFileError, match=r"^cf.toml:7: .*cascade.*found 'sometimes'"):
            parse(replace_line(GOOD, 'cascade = "keep"', 'cascade = "sometimes"'))

    def test_unknown_top_level_key(self):
        """A key outside schema_version, [counterfactual] and [[edits]] is refused."""
        with pytest.raises(CounterfactualFileError, match="unknown top-level key 'events'"):
            parse(GOOD + "\n[[events]]\nid = 'x'\n")

    def test_newer_schema(self):
        """A file from a newer schema version is refused."""
        with pytest.raises(CounterfactualFileError, match="schema_version"):
            parse(replace_line(GOOD, "schema_version = 1", "schema_version = 99"))

    def test_missing_file(self, tmp_path):
        """A missing file is one clear error."""
        with pytest.raises(CounterfactualFileError, match="no such file"):
            read_counterfactual(tmp_path / "nothing.toml")


class TestErrorsAgainstTheBase:
    def check(self, text: str) -> CounterfactualFileError:
        with pytest.raises(CounterfactualFileError) as caught:
            edit_base(parse(text), envoy_log())
        return caught.value

    def test_unknown_id_names_line_edit_and_id(self):
        """An id the base lacks is reported on the line of the edit's id."""
        error = self.check(replace_line(GOOD, 'id = "aid"', 'id = "aide"'))
        assert str(error).startswith("cf.toml:21: edit #3 (move), event 'aide', field 'id'")
        assert (error.line, error.edit, error.event_id, error.field, error.found) == (21, 3, "aide", "id", "aide")

    def test_insert_collision_names_the_event_line(self):
        """An insertion whose id is in use is reported on the line of the inserted event."""
        error = self.check(replace_line(GOOD, 'id = "visit"', 'id = "aid"'))
        assert error.line == 17 and error.edit == 2 and error.expected == "an id no event of the log uses"

    def test_move_breaking_causes(self):
        """A move that puts a cause after its effect names the effect, the caused_by field and the date's line."""
        text = replace_line(GOOD, 'id = "aid"\ndate = "2009-05"', 'id = "dea-expelled"\ndate = "2010"')
        error = self.check(text)
        assert error.edit == 3 and error.event_id == "dea-regret" and error.field == "caused_by"
        assert error.line == 22

    def test_bad_set_value_names_the_value_line(self):
        """A value the field refuses is reported on the line of `value`."""
        error = self.check(replace_line(GOOD, 'value = "minister"', 'value = "consul"'))
        assert error.line == 29 and error.field == "rank" and error.found == "consul"

    def test_ask_lists_the_effects(self):
        """Policy ask fails on the edit that has effects and lists them."""
        error = self.check(replace_line(GOOD, 'cascade = "keep"', 'cascade = "ask"'))
        assert error.edit == 1 and error.line == 11
        assert {effect.event_id for effect in error.effects} == {"bolivian-expelled", "dea-expelled", "dea-regret"}

    def test_policy_given_by_the_caller_wins(self):
        """edit_base's cascade overrides the file's: under drop, edit #5 names an event edit #1 dropped."""
        with pytest.raises(CounterfactualFileError, match=r"^cf.toml:34: edit #5 .*dropped by edit #1"):
            edit_base(parse(GOOD), envoy_log(), cascade="drop")


class TestRoundTrip:
    def test_dump_then_parse_gives_the_same_spec(self, tmp_path):
        """Writing a spec and reading it back gives an equal spec, with the question as the first line."""
        spec = parse(GOOD)
        path = tmp_path / "again.toml"
        write_counterfactual(spec, path)
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# What if the ambassador had not been expelled?\n")
        again = read_counterfactual(path)
        assert again.edits == spec.edits and again.question == spec.question and again.cascade == spec.cascade

    def test_dump_refuses_an_edit_without_rationale(self):
        """Every saved edit carries its rationale."""
        spec = CounterfactualSpec(base="x", question="q?", edits=(RemoveEvent(event_id="aid"),))
        with pytest.raises(ev.EditError, match="rationale"):
            dump_counterfactual(spec)

    def test_dump_refuses_a_null_value(self):
        """TOML has no null: setting a field to None cannot be saved."""
        spec = CounterfactualSpec(
            base="x", question="q?", edits=(SetEventField(event_id="a", field="envoy", value=None, rationale="r"),)
        )
        with pytest.raises(ev.EditError, match="TOML has no null"):
            dump_counterfactual(spec)

    def test_edit_dict_round_trip(self):
        """edit_from_dict(edit_to_dict(edit)) gives the edit back."""
        edit = ReplaceEvent(event_id="aid", event=make(ev.AidSuspended, "cut", "2011", "USA", "BOL"), rationale="r")
        assert ev.edit_from_dict(ev.edit_to_dict(edit)) == edit
