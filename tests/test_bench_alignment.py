import importlib.util
import json
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_alignment.py"


def load_benchmark():
    spec = importlib.util.spec_from_file_location("bench_alignment", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestQuickBenchmark:
    def test_quick_mode_runs_and_writes_its_result(self, tmp_path, capsys):
        """The quick benchmark compares both ways on every checked date and writes both figures and the ratio."""
        bench = load_benchmark()
        target = tmp_path / "result.json"
        assert bench.main(["--quick", "--json", str(target)]) == 0
        result = json.loads(target.read_text(encoding="utf-8"))
        assert result["mode"] == "quick"
        assert result["events"] == bench.QUICK["events"]
        assert result["checked_dates"] == bench.QUICK["dates"] // 10
        assert result["incremental_s"] > 0 and result["rebuild_s"] > 0
        # Times and ratio are each rounded, so they agree to rounding only.
        assert result["ratio_rebuild_to_incremental"] == pytest.approx(
            result["rebuild_s"] / result["incremental_s"], 0.02
        )
        assert "ratio rebuild / incremental" in capsys.readouterr().out

    def test_the_synthetic_log_is_seeded(self):
        """The same seed gives the same log; another seed another."""
        bench = load_benchmark()
        assert bench.synthetic_log(10, 200, seed=1) == bench.synthetic_log(10, 200, seed=1)
        assert bench.synthetic_log(10, 200, seed=1) != bench.synthetic_log(10, 200, seed=2)
