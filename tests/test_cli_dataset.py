"""`legation dataset write`, `legation at --all-pairs` and `legation export --panel` on a real LocalCluster."""

import socket
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

import scenarios
from engine import ColumnarIndex
from engine.cli import main
from engine.dataset._state_columns import states_of_table


def run(capsys, *argv):
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_write_then_every_pair_then_a_panel(tmp_path, capsys):
    status, out, _ = run(
        capsys, "dataset", "write", "--scenario", "bolivia_usa", "--buckets", "3", "-o", str(tmp_path / "ds")
    )
    assert status == 0 and "in 3 buckets" in out
    answer = tmp_path / "states.parquet"
    status, _, err = run(
        capsys, "at", "2008-10", "--all-pairs", "--dataset", str(tmp_path / "ds"), "--workers", "1", "-o", str(answer)
    )
    assert status == 0, err
    index = ColumnarIndex(scenarios.load("bolivia_usa").log)
    assert states_of_table(pq.read_table(answer)) == index.world_at("2008-10")
    panel = tmp_path / "panel.parquet"
    argv = ["export", "--panel", "--dataset", str(tmp_path / "ds"), "--dates", "1990", "2008-10", "--workers", "1"]
    status, _, err = run(capsys, *argv, "-o", str(panel))
    assert status == 0, err
    assert pq.read_table(panel).column("date").to_pylist().count("1990") == len(index.world_at("1990"))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["at", "2008", "--all-pairs", "--dataset", "{tmp}/none", "-o", "{tmp}/x.parquet"],
            "found no legation-dataset.json",
        ),
        (["dataset", "write", "--scenario", "bolivia_usa", "-o", "{tmp}"], "found one already there"),
        (
            ["dataset", "write", "--synthetic", "10", "--buckets", "0", "-o", "{tmp}/d"],
            "--buckets: expected at least 1",
        ),
        (["export", "--panel", "--dataset", "{tmp}"], "--panel needs --dates"),
    ],
)
def test_bad_input_is_one_line_and_status_2(tmp_path, capsys, argv, message):
    status, _, err = run(capsys, *(part.format(tmp=tmp_path) for part in argv))
    assert status == 2
    assert message in err and len(err.strip().splitlines()) == 1


def test_a_corrupt_bucket_on_the_cluster_is_one_line_and_status_2(tmp_path, capsys):
    """Seen from a real terminal: the workers' own logs of the failed task (their stderr, which capsys does
    not see) and Dask's warnings stay out of it; the one line names the file."""
    status, _, _ = run(
        capsys, "dataset", "write", "--scenario", "bolivia_usa", "--buckets", "2", "-o", str(tmp_path / "d")
    )
    assert status == 0
    bucket = tmp_path / "d" / "bucket=00000" / "part-0.parquet"
    bucket.write_bytes(b"not parquet")
    command = [
        sys.executable,
        "-m",
        "engine.cli._launch",
        "at",
        "2008",
        "--all-pairs",
        "--dataset",
        str(tmp_path / "d"),
    ]
    command += ["--workers", "1", "-o", str(tmp_path / "x.parquet")]
    with socket.socket() as dashboard_port:  # Dask's default dashboard port taken, as by another cluster running
        try:
            dashboard_port.bind(("127.0.0.1", 8787))
            dashboard_port.listen()
        except OSError:
            pass  # taken already
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]
    assert "bucket=00000/part-0.parquet: expected a readable Parquet file" in done.stderr
