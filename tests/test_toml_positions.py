"""The TOML position finder: the line it gives each table and key is the line the text writes it on."""

import textwrap

import pytest
import tomli
from hypothesis import example, given
from hypothesis import strategies as st

from events import (
    MAX_NESTING,
    CounterfactualFileError,
    ScenarioFileError,
    TomlPositions,
    event_id_lines,
    parse_counterfactual,
    parse_scenario,
)

# Lines that a naive line scanner mistakes for structure when they sit inside a string.
TRICKY_LINES = [
    "[[events]]",
    'id = "fake"',
    "[scenario]",
    "# not a comment",
    "a = [",
    "}",
    "''",
    '\\"""',
    "[[edits]]",
    "[edits.event]",
    "",
]
IDS = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)


@st.composite
def string_value(draw):
    """A TOML string of one of the four kinds, as text; multi-line ones hold lines that look like TOML."""
    kind = draw(st.sampled_from(["basic", "literal", "multi-basic", "multi-literal"]))
    if kind == "basic":
        return '"' + draw(st.sampled_from(["x", "[[events]]", 'say \\"hi\\"', "a # b"])) + '"'
    if kind == "literal":
        return "'" + draw(st.sampled_from(["x", "[[events]]", 'C:\\path "q"'])) + "'"
    lines = draw(st.lists(st.sampled_from(TRICKY_LINES), max_size=4))
    if kind == "multi-literal":
        lines = [line for line in lines if "'''" not in line]
        return "'''\n" + "\n".join(lines) + "'''"
    return '"""\n' + "\n".join(lines) + '"""'


@st.composite
def value_lines(draw):
    """The lines of a value: a string, a number, or an array over several lines with comments and inline tables."""
    shape = draw(st.sampled_from(["string", "number", "array"]))
    if shape == "string":
        return draw(string_value()).split("\n")
    if shape == "number":
        return [draw(st.sampled_from(["1", "-2.5", "true", "1979-05-27 07:32:00Z", "1979-05-27"]))]
    lines = ["["]
    for _ in range(draw(st.integers(0, 3))):
        item = draw(st.sampled_from(["inline", "string", "comment", "nested"]))
        if item == "inline":
            lines.append('  { k = "v", n = [1, 2], s = ' + draw(string_value()).replace("\n", "\\n") + " },")
        elif item == "string":
            lines.extend(("  " + draw(string_value()) + ",").split("\n"))
        elif item == "nested":
            lines.extend(["  [", "    1, # one", "    [2],", "  ],"])
        else:
            lines.append("  # [[events]] in a comment")
    lines.append("]")
    return lines


@st.composite
def scenario_documents(draw):
    """A TOML text of [[events]] tables, and the true line of each table and of each one's id."""
    lines = ["# a history", "schema_version = 1", "", "[scenario]"]
    lines.extend(("description = " + draw(string_value())).split("\n"))
    tables, ids = [], []
    for index in range(draw(st.integers(1, 5))):
        lines.append("")
        lines.append(draw(st.sampled_from(["[[events]]", "[[ events ]]", "  [[events]]  # the next one"])))
        tables.append(len(lines))
        keys = draw(st.permutations(["id", "note", "sources"]))
        for key in keys:
            if draw(st.booleans()):
                lines.append("# a comment before the key")
            if key == "id":
                quote = draw(st.sampled_from(['"', "'"]))
                spelled = draw(st.sampled_from(["id", '"id"', "'id'"]))
                lines.append(f"{spelled} = {quote}{draw(IDS)}-{index}{quote}")
                ids.append(len(lines))
            else:
                value = draw(value_lines())
                lines.append(f"{key} = {value[0]}")
                lines.extend(value[1:])
    return "\n".join(lines) + "\n", tables, ids


class TestLines:
    @given(scenario_documents())
    def test_each_event_table_and_id_is_found_on_its_line(self, generated):
        """For generated documents (strings holding [[events]], arrays over lines, comments, inline tables), the
        finder's line for each [[events]] table and its id is the line the text writes it on."""
        text, tables, ids = generated
        document = tomli.loads(text)  # the generator writes valid TOML
        positions = TomlPositions(text)
        assert [positions.line("events", index) for index in range(len(tables))] == tables
        assert [positions.line("events", index, "id") for index in range(len(ids))] == ids
        assert event_id_lines(text) == {event["id"]: line for event, line in zip(document["events"], ids, strict=True)}

    def test_multi_line_string_holding_events_does_not_shift_the_error(self):
        """An error in the second event is reported on its own line, though a note above holds [[events]]."""
        text = textwrap.dedent(
            '''\
            schema_version = 1
            [[events]]
            kind = "statement"
            id = "first"
            date = "2008"
            actor = "USA"
            sources = ["s"]
            note = """
            [[events]]
            id = "ghost"
            date = "1900"
            """
            [[events]]
            kind = "statement"
            id = "second"
            date = "2008-02-30"
            actor = "USA"
            sources = ["s"]
            '''
        )
        (problem,) = parse_scenario(text, "h.toml")
        assert problem.line == 16 and problem.event_id == "second"

    def test_counterfactual_lines_in_tables_and_subtables(self):
        """An edit's key, and a key of the event it inserts, are found on their lines."""
        text = textwrap.dedent(
            '''\
            [counterfactual]
            base = "bolivia_usa"
            question = """What if?
            [[edits]]
            op = "remove"
            """
            [[edits]]
            op = "remove"
            id = "a"
            rationale = "r"
            [[edits]]
            op = "insert"
            rationale = "r"
            [edits.event]
            kind = "statement"
            id = "b"
            date = "2008-13"
            actor = "USA"
            sources = ["s"]
            '''
        )
        with pytest.raises(CounterfactualFileError) as raised:
            parse_counterfactual(text, "cf.toml")
        assert raised.value.line == 17 and raised.value.edit == 2

    def test_any_text_gives_positions_without_raising(self):
        """Text that is not TOML stops the scan; what was found before stands."""
        positions = TomlPositions('[[events]]\nid = "a"\n= broken\n[[events]]\nid = "b"\n')
        assert positions.line("events", 0, "id") == 2 and positions.line("events", 1) is None


class TestNesting:
    @pytest.mark.parametrize("opening", ["[", "{ a = "])
    @pytest.mark.parametrize("depth", [MAX_NESTING + 1, 500, 5000])
    def test_deep_nesting_is_a_clean_error_in_both_readers(self, opening, depth):
        """Arrays or inline tables nested hundreds deep are refused with the line, not a RecursionError."""
        closing = "]" if opening == "[" else " }"
        text = "schema_version = 1\n\nx = " + opening * depth + "1" + closing * depth + "\n"
        (problem,) = parse_scenario(text, "deep.toml")
        assert isinstance(problem, ScenarioFileError) and problem.line == 3 and "nested" in problem.detail
        with pytest.raises(CounterfactualFileError, match="nested at most"):
            parse_counterfactual(text, "deep.toml")

    def test_ordinary_nesting_reads(self):
        """Nesting up to the limit is TOML like any other."""
        text = "x = " + "[" * MAX_NESTING + "1" + "]" * MAX_NESTING + "\n"
        assert TomlPositions(text).too_deep is None
        assert "nested" not in str(parse_scenario(text, "ok.toml"))

    @given(st.text(alphabet="[]{}=\"'#\n ab1,.", max_size=300))
    @example("a = [[[[" * 30)
    @example("a = '''\n[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n'''\n")
    def test_finder_never_raises(self, text):
        """The finder answers for any text."""
        TomlPositions(text)
        event_id_lines(text)
