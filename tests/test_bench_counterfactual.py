"""Tests that the counterfactual benchmark runs (in --quick mode) and checks its replay against a full refold."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_counterfactual.py"


def load_benchmark():
    spec = importlib.util.spec_from_file_location("bench_counterfactual", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestBenchCounterfactual:
    def test_quick_run_writes_a_result_whose_replay_equals_the_refold(self, tmp_path, capsys):
        """--quick runs in seconds, writes its JSON, and the replay it times gives the refold's world."""
        out = tmp_path / "result.json"
        assert load_benchmark().main(["--quick", "--repeats", "1", "--out", str(out)]) == 0
        result = json.loads(out.read_text())
        assert result["replay_equals_refold"] is True
        assert result["events"] == 20_000 and result["ratio_full_over_replay"] > 0
        assert result["resumed_from"] <= 18_000 < result["resumed_from"] + result["checkpoint_every"]
        assert result["events_folded_by_replay"] < result["events"] // 5

    def test_synthetic_log_is_strictly_possible_and_seeded(self):
        """The generator's log folds strictly, and the same seed gives the same log."""
        bench = load_benchmark()
        from engine import fold

        log = bench.synthetic_log(3_000, seed=7)
        fold(log)  # strict: raises if any event were impossible
        assert log == bench.synthetic_log(3_000, seed=7)
        assert log != bench.synthetic_log(3_000, seed=8)
