"""Reading input files safely: special files, size, non-string actor names, and what a counterfactual's base may be."""

import os
import threading

import pytest

import scenarios
from events import (
    CounterfactualFileError,
    ScenarioFileError,
    _files,
    check_scenario,
    document_kind,
    read_counterfactual,
    read_scenario,
    read_text_file,
)

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs need a POSIX system")

COUNTERFACTUAL = """\
schema_version = 1
[counterfactual]
base = "{base}"
question = "What if?"
[[edits]]
op = "remove"
id = "goldberg-expelled"
rationale = "to see"
"""


def counterfactual(tmp_path, base):
    path = tmp_path / "cf.toml"
    path.write_text(COUNTERFACTUAL.format(base=base), encoding="utf-8")
    return path


class TestSpecialFiles:
    def test_fifo_is_refused_at_once(self, tmp_path):
        """A FIFO as a scenario or counterfactual is refused without waiting for a writer."""
        fifo = tmp_path / "pipe.toml"
        os.mkfifo(fifo)
        outcome = []
        reader = threading.Thread(target=lambda: outcome.append(check_scenario(fifo)), daemon=True)
        reader.start()
        reader.join(timeout=30)
        assert outcome, "reading a FIFO blocked"
        assert "FIFO" in outcome[0][0].detail
        with pytest.raises(CounterfactualFileError, match="FIFO"):
            read_counterfactual(fifo)

    def test_device_is_refused_without_reading(self):
        """/dev/zero is a device: refused, not read until memory runs out."""
        with pytest.raises(ScenarioFileError, match="found a device"):
            read_scenario("/dev/zero")

    def test_folder_and_missing_file(self, tmp_path):
        """A folder and a missing file are named as such."""
        with pytest.raises(ScenarioFileError, match="found a folder"):
            read_text_file(tmp_path)
        with pytest.raises(ScenarioFileError, match="no such file"):
            read_text_file(tmp_path / "absent.toml")

    def test_size_is_capped(self, tmp_path, monkeypatch):
        """A file larger than the cap is refused with the cap in the message, after reading no more than it."""
        monkeypatch.setattr(_files, "MAX_FILE_BYTES", 1024 * 1024)
        big = tmp_path / "big.toml"
        big.write_text("# " + "x" * (1024 * 1024) + "\n", encoding="utf-8")
        with pytest.raises(ScenarioFileError, match="at most 1 MB"):
            read_scenario(big)


class TestActors:
    @pytest.mark.parametrize("name", ["3", "true", "[1, 2]", "{ a = 1 }", '""'])
    def test_actor_name_that_is_not_a_string(self, tmp_path, name):
        """An [[actors]] name that is not a non-empty string is a clean error on its line, listed by validate."""
        path = tmp_path / "h.toml"
        path.write_text(f'schema_version = 1\n[[actors]]\ncode = "XAA"\nname = {name}\n', encoding="utf-8")
        (problem,) = check_scenario(path)
        assert problem.line == 4 and "'name'" in problem.detail

    def test_scenario_texts_that_are_not_strings(self, tmp_path):
        """A [scenario] name, title or description that is not a string is an error, not a str() of it."""
        path = tmp_path / "h.toml"
        path.write_text("[scenario]\ntitle = 5\n", encoding="utf-8")
        (problem,) = check_scenario(path)
        assert "'title': expected a string" in problem.detail


class TestBase:
    def test_builtin_and_relative_scenario_bases(self, tmp_path):
        """A built-in name and a scenario file beside the counterfactual are accepted."""
        _, base = scenarios.load_counterfactual(counterfactual(tmp_path, "bolivia_usa"))
        assert base.name == "bolivia_usa"
        copy = tmp_path / "mine.toml"
        copy.write_text(scenarios.history_path("bolivia_usa").read_text(encoding="utf-8"), encoding="utf-8")
        _, base = scenarios.load_counterfactual(counterfactual(tmp_path, "mine.toml"))
        assert base.path == str(copy) and len(base.log) > 100

    def test_a_file_that_is_not_a_scenario_is_not_echoed(self, tmp_path):
        """A base naming some other file is refused, and nothing of that file's content is shown."""
        secret = tmp_path / "secrets.toml"
        secret.write_text('password = "hunter2"\n[aws]\nkey = "AKIA-SECRET"\n', encoding="utf-8")
        for base in ("secrets.toml", str(secret)):
            with pytest.raises(CounterfactualFileError) as raised:
                scenarios.load_counterfactual(counterfactual(tmp_path, base))
            message = str(raised.value)
            assert "not a scenario file" in message and raised.value.line == 3
            assert "hunter2" not in message and "AKIA" not in message and "password" not in message

    def test_text_file_not_toml_is_not_echoed(self, tmp_path):
        """A base naming a text file that is not TOML is refused without showing its lines."""
        (tmp_path / "notes.txt").write_text("admin:x:0:0:secret-line\n", encoding="utf-8")
        with pytest.raises(CounterfactualFileError) as raised:
            scenarios.load_counterfactual(counterfactual(tmp_path, "notes.txt"))
        assert "secret-line" not in str(raised.value) and "admin" not in str(raised.value)

    def test_special_file_and_path_outside_as_base(self, tmp_path):
        """/dev/zero as a base is refused at once; a path that is not beside the file is not looked up elsewhere."""
        with pytest.raises(CounterfactualFileError, match="device"):
            scenarios.load_counterfactual(counterfactual(tmp_path, "/dev/zero"))
        with pytest.raises(CounterfactualFileError, match="expected a built-in scenario"):
            scenarios.load_counterfactual(counterfactual(tmp_path, "elsewhere/history.toml"))

    def test_broken_scenario_base_is_reported_in_detail(self, tmp_path):
        """A base that is a scenario file, but a broken one, has its own problem reported with its line."""
        (tmp_path / "broken.toml").write_text('[[events]]\nkind = "nonsense"\nid = "x"\n', encoding="utf-8")
        with pytest.raises(ScenarioFileError) as raised:
            scenarios.load_counterfactual(counterfactual(tmp_path, "broken.toml"))
        assert raised.value.path.endswith("broken.toml") and raised.value.line == 2


class TestKind:
    @pytest.mark.parametrize(
        ("text", "kind"),
        [
            (COUNTERFACTUAL.format(base="x"), "counterfactual"),
            ('[[events]]\nid = "a"\n', "scenario"),
            ('[[events]]\nnote = """\n[counterfactual]\n"""\n', "scenario"),
            ("[[edits]]\nop = 'remove'\n= broken", "counterfactual"),
            ("password = 'x'", None),
        ],
    )
    def test_document_kind(self, text, kind):
        """A file is told a counterfactual by its tables, never by a header inside a string."""
        assert document_kind(text) == kind
