import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

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


def _has_revision(revision: str) -> bool:
    done = subprocess.run(
        ["git", "-C", str(ROOT), "cat-file", "-e", f"{revision}^{{commit}}"], capture_output=True, check=False
    )
    return done.returncode == 0


class TestFoldAgainstABaseline:
    @pytest.mark.skipif(not _has_revision("706c7be"), reason="needs a git clone holding revision 706c7be")
    def test_the_quick_comparison_folds_the_same_history_in_both_trees(self, tmp_path):
        """`bench_fold_baseline.py --quick` runs both revisions' folds on one history and reports their ratio."""
        out = tmp_path / "ratio.json"
        done = subprocess.run(
            [sys.executable, "benchmarks/bench_fold_baseline.py", "--quick", "--json", str(out)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        result = json.loads(out.read_text())
        assert result["baseline"] == "706c7be" and result["events"] == 5_000
        assert len(result["baseline_s"]) == len(result["current_s"]) == 2
        assert result["rate_ratio_current_to_baseline"] > 0
        assert "current rate / baseline rate" in done.stdout
