"""`legation report`: the command writes a self-contained page, and bad input is one line with exit status 2."""

import json
import re
import sys

import pytest

pytest.importorskip("bokeh", reason="the explorer needs the report extra (jinja2, bokeh)")

from engine.cli import main
from engine.explorer._data import AnswerTable, answer_for


def run(capsys, *argv):
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_the_page_holds_everything_it_needs(capsys, tmp_path):
    out = tmp_path / "bolivia-usa.html"
    status, printed, _ = run(capsys, "report", "--pair", "USA", "BOL", "--out", str(out), "--format", "json")
    assert status == 0
    report = json.loads(printed)
    assert report["pair"] == ["USA", "BOL"] and report["bytes"] == out.stat().st_size
    html = out.read_text(encoding="utf-8")
    # No file or address outside the page: no src= or href= to anything but the page's own anchors.
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=""", html)
    data = json.loads(re.search(r'id="legation-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert data["pair"] == ["USA", "BOL"]
    assert "legation report --pair USA BOL" in html


def test_a_counterfactual_page_carries_the_comparison(capsys, tmp_path):
    out = tmp_path / "whatif.html"
    whatif = "bolivia_usa/no_goldberg_expulsion"
    status, printed, _ = run(capsys, "report", "--pair", "BOL", "USA", "--whatif", whatif, "--out", str(out))
    assert status == 0 and printed.startswith(f"wrote {out}")
    html = out.read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="legation-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    status, printed, _ = run(capsys, "whatif", whatif, "--pair", "BOL", "USA", "--format", "json")
    assert data["comparison"] == json.loads(printed)
    assert [history["id"] for history in data["histories"]] == ["base", "whatif"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--out", "page.txt"], "--out 'page.txt': expected a file name ending in .html"),
        (["--out", "/no/such/folder/page.html"], "--out '/no/such/folder/page.html': cannot write"),
        (["--pair", "BOL", "XXX", "--out", "page.html"], "unknown actor 'XXX'"),
        (["--whatif", "nothing.toml", "--out", "page.html"], "nothing.toml: expected a counterfactual file"),
        ([], "the following arguments are required: --out"),
    ],
)
def test_bad_input_is_one_line_and_exit_status_2(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    status, printed, error = run(capsys, "report", *argv)
    assert status == 2 and printed == ""
    assert len(error.strip().splitlines()) == 1 and message in error
    assert not (tmp_path / "page.html").exists()


def test_without_the_report_extra_the_command_says_what_to_install(capsys, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "jinja2", None)  # as if Jinja2 were not installed
    status, _, error = run(capsys, "report", "--out", str(tmp_path / "page.html"))
    assert status == 2
    assert "pip install 'legation[report]'" in error and len(error.strip().splitlines()) == 1
    assert not (tmp_path / "page.html").exists()


# Reads cleanly but expels an envoy who was never accredited: an impossible transition.
IMPOSSIBLE = """\
schema_version = 1

[scenario]
pair = ["BOL", "USA"]

[[events]]
kind = "envoy_expelled"
id = "nobody-to-expel"
date = "1900"
actor = "BOL"
target = "USA"
sources = ["x"]
"""


def test_a_lenient_page_lists_the_impossible_transitions_and_answers_as_legation_at_lenient(capsys, tmp_path):
    history = tmp_path / "impossible.toml"
    history.write_text(IMPOSSIBLE)
    page = tmp_path / "page.html"
    status, _, error = run(capsys, "report", "--scenario", str(history), "--out", str(page))
    assert status == 2 and "nobody-to-expel" in error and not page.exists()
    status, _, _ = run(capsys, "report", "--scenario", str(history), "--lenient", "--out", str(page))
    assert status == 0
    html = page.read_text(encoding="utf-8")
    assert "1 impossible transitions recorded (folded leniently)" in html
    data = json.loads(re.search(r'id="legation-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    table = data["histories"][0]["answers"]
    assert [a["event_id"] for a in data["histories"][0]["anomalies"]] == ["nobody-to-expel"]
    status, printed, _ = run(capsys, "at", "1901", "--scenario", str(history), "--lenient", "--format", "json")
    assert answer_for(AnswerTable.from_json(table), "1901") == json.loads(printed)


def test_a_page_from_a_store_shows_the_stored_history_not_the_default(capsys, tmp_path):
    """`report --store URL` builds the page from the store's record (an invented one-pair history), never from
    the default world it would otherwise read."""
    scenario = tmp_path / "small.toml"
    scenario.write_text(
        'schema_version = 1\n[scenario]\nname = "small"\npair = ["BOL", "USA"]\n\n'
        '[[events]]\nid = "only-relations"\nkind = "relations_established"\ndate = "1990-01-01"\n'
        'actor = "BOL"\ntarget = "USA"\nsources = ["an invented source"]\n',
        encoding="utf-8",
    )
    store = f"sqlite:///{tmp_path / 'history.db'}"
    assert run(capsys, "store", "init", str(tmp_path / "history.db"))[0] == 0
    assert run(capsys, "store", "import", str(scenario), "--store", store)[0] == 0
    out = tmp_path / "page.html"
    assert run(capsys, "report", "--store", store, "--pair", "BOL", "USA", "--out", str(out))[0] == 0
    html = out.read_text(encoding="utf-8")
    assert "only-relations" in html
    assert "goldberg-expelled" not in html
