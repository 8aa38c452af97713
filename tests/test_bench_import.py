"""Tests that the import benchmark runs at a tiny size, and that its panel agrees with the merge_asof way."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_import.py"


def load_benchmark():
    spec = importlib.util.spec_from_file_location("bench_import", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_tiny_run_measures_every_reader_and_the_panel_agrees(tmp_path, capsys):
    out = tmp_path / "result.json"
    argv = ["--rows", "300", "--events", "300", "--cow-rows", "400", "--out", str(out)]
    assert load_benchmark().main(argv) == 0
    result = json.loads(out.read_text())
    assert result["readers"]["legation import"]["rows"] == 300
    assert result["readers"]["pandas read_csv"]["rows"] == 300  # polars is in the bench extra only
    assert result["cow"]["full"]["rows"] == 400 and result["cow"]["quarter"]["rows"] == 100
    assert result["panel"]["panel_equals_merge_asof"] is True


def test_the_generated_files_import_cleanly(tmp_path):
    bench = load_benchmark()
    from engine.importers.cameo import import_events
    from engine.importers.cow import import_cow

    bench.write_gdelt_file(tmp_path / "g.tsv", 200)
    assert import_events(tmp_path / "g.tsv", "gdelt1").report.rows == 200
    bench.write_cow_file(tmp_path / "c.csv", 500)
    assert import_cow(tmp_path / "c.csv").report.problems == []
