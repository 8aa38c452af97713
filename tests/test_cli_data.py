"""The data commands: `legation import`, `export --panel`, `timeline --tone`, as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import os

import pandas as pd

from engine import cli
from scenarios import data_path

SAMPLE = data_path("cow_diplomatic_exchange_sample.csv")


def run(capsys, *argv):
    code = cli.main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_import_cow_then_export_panel_and_cow_rows(capsys, tmp_path):
    out = tmp_path / "cow.toml"
    code, _, err = run(capsys, "import", "cow", SAMPLE, "-o", out)
    assert code == 0 and "145 rows read" in err
    code, text, _ = run(capsys, "export", "--scenario", out, "--panel", "--format", "csv", "--pair", "USA", "BOL")
    assert code == 0
    rows = {int(row["period"]): row for row in csv.DictReader(io.StringIO(text))}
    assert (rows[1849]["level_ab"], rows[1849]["level_ba"]) == ("0", "1")  # the US chargé in Bolivia, 1849
    parquet = tmp_path / "panel.parquet"
    assert run(capsys, "export", "--scenario", out, "--panel", "--format", "parquet", "-o", parquet)[0] == 0
    assert len(pd.read_parquet(parquet)) > 0


def test_a_bad_import_is_one_line_exit_2_and_the_old_file_is_kept(capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text('"ccode1","ccode2","year","DR_at_1","DR_at_2","DE","version"\n2,145,1900,0,0\n', encoding="utf-8")
    out = tmp_path / "out.toml"
    out.write_text("kept", encoding="utf-8")
    code, _, err = run(capsys, "import", "cow", bad, "-o", out)
    assert code == 2 and f"{bad}:2: expected 7 fields, found 5" in err
    assert out.read_text(encoding="utf-8") == "kept" and sorted(os.listdir(tmp_path)) == ["bad.csv", "out.toml"]


def test_a_duplicate_row_fails_unless_lenient_sets_it_aside(capsys, tmp_path):
    text = '"ccode1","ccode2","year","DR_at_1","DR_at_2","DE","version"\n2,145,1900,0,0,0,v\n2,145,1900,0,0,0,v\n'
    source = tmp_path / "dup.csv"
    source.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "import", "cow", source, "-o", tmp_path / "o.toml")
    assert code == 2 and ":3: field 'year'" in err
    code, _, err = run(capsys, "import", "cow", source, "-o", tmp_path / "o.toml", "--lenient", "--format", "json")
    assert code == 0 and "line 3" in json.loads(err)["problems"][0]


def test_import_csv_events_onto_a_scenario_and_read_the_tone(capsys, tmp_path):
    source = tmp_path / "events.csv"
    source.write_text("date,actor,target,code\n2021-03-02,United States,Bolivia,111\n", encoding="utf-8")
    out = tmp_path / "merged.toml"
    code, _, _ = run(capsys, "import", "csv", source, "-o", out, "--onto", "bolivia_usa")
    assert code == 0
    tone = ["timeline", "--tone", "--from", "2021-03", "--to", "2021-03", "--format", "json"]
    (before,) = json.loads(run(capsys, *tone)[1])["months"]
    code, text, _ = run(capsys, *tone, "--scenario", out)
    (after,) = json.loads(text)["months"]
    # One more event that month, a criticism: CAMEO 111, Goldstein -2.0.
    assert code == 0 and after["events"] == before["events"] + 1 and after["weight"] == before["weight"] - 2.0


def test_an_imported_file_exports_back_row_for_row_and_every_pair_by_default(capsys, tmp_path):
    out = tmp_path / "cow.toml"
    assert run(capsys, "import", "cow", SAMPLE, "-o", out)[0] == 0
    code, text, _ = run(capsys, "export", "--scenario", out, "--format", "cow", "--like", SAMPLE)
    assert code == 0 and text == SAMPLE.read_text(encoding="utf-8")  # byte for byte, version column too
    # An import names no main pair: every pair of its COW states, in the data set's years within --from/--to.
    code, text, _ = run(capsys, "export", "--scenario", out, "--format", "cow", "--from", "1900", "--to", "1910")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert code == 0 and {row["year"] for row in rows} == {"1904", "1909"}  # COW observed 1904 and 1909
    usa_bol = [row for row in rows if (row["ccode1"], row["ccode2"]) == ("2", "145")]
    assert [(row["DR_at_1"], row["DR_at_2"], row["DE"]) for row in usa_bol] == [("2", "2", "1")] * 2
    code, _, err = run(capsys, "export", "--scenario", out, "--format", "cow", "--like", SAMPLE, "--pair", "USA", "BOL")
    assert code == 2 and "--pair" in err
