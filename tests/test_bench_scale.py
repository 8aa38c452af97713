"""The scale benchmark runs in its quick mode, and every answer it times is checked equal before it is timed."""

import importlib.util
import json
from pathlib import Path

import pytest

pytest.importorskip("pandas", reason="the as-of peers need pandas (dask[dataframe] or the bench extra)")
BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_scale.py"


def test_quick_run_writes_its_ratios(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("bench_scale", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "scale.json"
    assert (
        module.main(["--events", "3000", "--repeats", "1", "--asof-sizes", "3000", "--no-dask", "--out", str(out)]) == 0
    )
    result = json.loads(out.read_text())
    assert result["events"] == 3000
    assert result["ratio_fold_objects_over_columns"] > 0 and result["asof_3000_ratio_merge_asof_over_columns"] > 0
    assert 0 < result["bytes_per_event_columns_with_index"] < result["bytes_per_event_objects_with_index"]
