"""`legation import ... --store URL`: an import lands in a real store whole, or not at all (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.cli import main
from engine.store import EventStore
from events import read_scenario

CAMEO = Path(__file__).resolve().parent / "data" / "cameo"
COW = Path(__file__).resolve().parent.parent / "scenarios" / "data" / "cow_diplomatic_exchange_sample.csv"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def head(url: str, stream: str = "main"):
    with EventStore.open(url) as store:
        found = store.streams().get(stream)
        return None if found is None else (found.position, found.hash)


def stored_log(url: str, stream: str = "main"):
    with EventStore.open(url) as store:
        return store.view(stream).scenario().log


@pytest.fixture
def empty_store(store_url, capsys):
    assert run(capsys, "store", "init", store_url)[0] == 0
    return store_url


def test_an_import_lands_in_the_store_as_the_file_would_hold_it(empty_store, capsys, tmp_path):
    status, _, err = run(capsys, "import", "gdelt1", str(CAMEO / "events.gdelt1.tsv"), "--store", empty_store)
    assert status == 0, err
    assert "32 records" not in err and "33 records written" in err  # the header and 32 events
    out = tmp_path / "events.toml"
    assert run(capsys, "import", "gdelt1", str(CAMEO / "events.gdelt1.tsv"), "-o", str(out))[0] == 0
    assert stored_log(empty_store).events == read_scenario(out).log.events
    # The lenient import's anomalies are kept in the store as anomalies, as the report listed them.
    with EventStore.open(empty_store) as store:
        assert len(store.view("main").world.anomalies) == 3
    # Importing the same file again adds nothing: the events are recorded already.
    before = head(empty_store)
    status, _, err = run(capsys, "import", "gdelt1", str(CAMEO / "events.gdelt1.tsv"), "--store", empty_store)
    assert status == 0 and "0 records written" in err and head(empty_store) == before


def test_a_malformed_file_stores_nothing_and_names_its_line(empty_store, capsys, tmp_path):
    assert run(capsys, "import", "cow", str(COW), "--store", empty_store, "--stream", "cow")[0] == 0
    before = head(empty_store, "cow")
    lines = (CAMEO / "events.csv").read_text(encoding="utf-8").splitlines()
    lines[20] = "2010-02-30" + lines[20][len("2010-01-23") :]  # a bad date on line 21, after 19 good rows
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for stream in ("cow", "fresh"):
        status, _, err = run(capsys, "import", "csv", str(bad), "--store", empty_store, "--stream", stream)
        assert status == 2 and err.strip().count("\n") == 0
        assert "bad.csv:21" in err and "'date'" in err
    assert head(empty_store, "cow") == before and head(empty_store, "fresh") is None


def test_a_refused_import_leaves_the_stream_as_it_was(empty_store, capsys, tmp_path):
    assert run(capsys, "import", "cow", str(COW), "--store", empty_store)[0] == 0
    before, log = head(empty_store), stored_log(empty_store)
    # The same rows with one level changed: the same event ids with other fields, which a store never
    # overwrites. The refusal comes after the file was read whole, at the append: nothing is written.
    text = COW.read_text(encoding="utf-8").splitlines()
    changed = next(n for n, line in enumerate(text) if line.startswith("2,145,") and ",3,3,1," in line)
    text[changed] = text[changed].replace(",3,3,1,", ",2,3,1,")
    edited = tmp_path / "cow_edited.csv"
    edited.write_text("\n".join(text) + "\n", encoding="utf-8")
    status, _, err = run(capsys, "import", "cow", str(edited), "--store", empty_store)
    assert status == 2 and err.strip().count("\n") == 0, err
    assert head(empty_store) == before and stored_log(empty_store).events == log.events


def test_out_and_store_are_alternatives(capsys, tmp_path):
    status, _, err = run(
        capsys, "import", "csv", str(CAMEO / "events.csv"), "-o", str(tmp_path / "x.toml"), "--store", "x.db"
    )
    assert status == 2 and "not allowed with" in err and not (tmp_path / "x.toml").exists()
    status, _, err = run(capsys, "import", "csv", str(CAMEO / "events.csv"), "--store", str(tmp_path / "none.db"))
    assert status == 2 and "none.db" in err and not (tmp_path / "none.db").exists()


def test_event_data_is_imported_onto_the_streams_history(empty_store, capsys):
    assert run(capsys, "store", "import", "bolivia_usa", "--store", empty_store)[0] == 0
    held = len(stored_log(empty_store))
    status, _, err = run(capsys, "import", "csv", str(CAMEO / "events.csv"), "--store", empty_store)
    assert status == 0, err
    log = stored_log(empty_store)
    assert len(log) == held + 32
    status, _, err = run(
        capsys, "import", "csv", str(CAMEO / "events.csv"), "--store", empty_store, "--onto", "bolivia_usa"
    )
    assert status == 2 and "holds a history already" in err
