import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class TestQuickBenchmarks:
    def test_quick_run_reports_every_target_side_by_side(self, tmp_path):
        """`benchmarks/run.py --quick` measures every target at a small size and writes ours, peer and ratio."""
        out = tmp_path / "results.json"
        command = [sys.executable, "benchmarks/run.py", "--quick", "--sizes", "3000", "--peer-events", "300"]
        env = {**os.environ, "LEGATION_CACHE_DIR": str(tmp_path / "cache")}
        done = subprocess.run(
            [*command, "--out", str(out)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
        )
        assert done.returncode == 0, done.stderr
        document = json.loads(out.read_text())
        names = [row["target"] for row in document["targets"]]
        expected = ["fold", "fold vs the issue's", "one as-of", "counterfactual", "memory: history streamed"]
        expected += ["memory: events list", "start-up (warm)", "start-up (cold)"]
        # The peers come with the `bench` extra; without it the runner still measures our side.
        if importlib.util.find_spec("pandas") and importlib.util.find_spec("numpy"):
            expected.append("all ")
        if importlib.util.find_spec("eventsourcing"):
            expected.append("fold vs eventsourcing")
        for prefix in expected:
            assert any(name.startswith(prefix) for name in names), prefix
        assert all(row["ours"] > 0 for row in document["targets"])
        figures = document["sizes"]["3000"]
        assert figures["counterfactual_equal"] is True
        assert figures["counterfactual_refolded_events"] < 3000 // 10  # only the edited pair's events
        assert set(figures["reference_rates"]) >= {"bare_loop", "frozen_attrs_constructor", "attrs_evolve"}
        assert document["streamed"]["events"] == 3000 and document["streamed"]["rows"] > 0
        assert "ours" in done.stdout and "ratio" in done.stdout
