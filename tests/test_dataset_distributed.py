"""Dask answers equal the single-process engine's, field for field, and survive a killed worker."""

import os
import signal
import time

import pytest

pytest.importorskip("distributed", reason="the distributed fold needs the dask extra")
import networkx as nx
from distributed import Client, LocalCluster
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_fast import DATES, TABLE, event_lists, outcome

from engine import ColumnarIndex, TransitionError, fold
from engine.analysis.alignment import AlignmentIndex
from engine.dataset import ColumnarFormatError, write_dataset
from engine.dataset._distributed import ClusterError, DistributedHistory, connect
from engine.dataset._state_columns import states_of_table
from engine.synthetic import synthetic_log
from events import Log, LogError, StatementMade
from events.strategies import valid_logs

ONE_CLUSTER = settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def client():
    """One small in-process cluster for the module: two workers, threads (no processes to start)."""
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None)
    with Client(cluster) as connected:
        yield connected
    cluster.close()


def dataset_of(tmp_path_factory, events, *, buckets, actors=None):
    return write_dataset(events, tmp_path_factory.mktemp("dataset") / "history", buckets=buckets, actors=actors)


@ONE_CLUSTER
@given(valid_logs(max_size=20), st.sampled_from(DATES), st.integers(1, 4))
def test_distributed_answers_equal_the_single_process_engine(tmp_path_factory, client, log, date, buckets):
    history = DistributedHistory(dataset_of(tmp_path_factory, log, buckets=buckets), client)
    index = ColumnarIndex(log)
    assert states_of_table(history.states_at(date)) == index.world_at(date)
    assert history.world() == fold(log)
    panel = history.panel([date, "2100"])
    for asked in (date, "2100"):
        rows = panel.filter(panel.column("date").to_numpy(zero_copy_only=False) == str(asked)).drop_columns(["date"])
        assert states_of_table(rows) == index.world_at(asked)
    assert nx.utils.graphs_equal(history.alignment_graph(date), AlignmentIndex(log).graph_at(date))


@ONE_CLUSTER
@given(event_lists, st.integers(1, 3))
def test_anomalies_and_errors_are_the_fold_in_order(tmp_path_factory, client, events, buckets):
    """Events breaking rules across buckets: lenient anomalies in history order; strict, the first error."""
    events = sorted(events, key=lambda event: event.date.sort_key)
    dataset = dataset_of(tmp_path_factory, events, buckets=buckets, actors=TABLE)
    assert DistributedHistory(dataset, client, strict=False).world() == fold(events, strict=False)
    assert outcome(lambda evs: DistributedHistory(dataset, client).world(), events) == outcome(fold, events)


@ONE_CLUSTER
@given(valid_logs(min_size=3, max_size=20), st.data())
def test_a_counterfactual_refolds_only_the_buckets_its_edits_touch(tmp_path_factory, client, log, data):
    removed = data.draw(st.lists(st.sampled_from([event.id for event in log]), max_size=2, unique=True))
    when = data.draw(st.sampled_from([event.date for event in log]))
    added = [StatementMade(id="added-1", date=when, actor=log[0].actor, target=None, sources=("test",))]
    try:  # edits that leave a sound log (no cause taken away)
        expected = Log.of([event for event in log if event.id not in removed] + added, log.actors)
    except LogError:
        assume(False)
    base = DistributedHistory(dataset_of(tmp_path_factory, log, buckets=4), client, strict=False)
    edited = base.with_edits(removed, added)
    assert edited.world() == fold(expected, strict=False)
    if not any(event.KIND == "state_dissolved" for event in log if event.id in removed):
        assert len(edited.touched) <= len(removed) + 1


def test_an_unknown_id_to_remove_is_named(tmp_path_factory, client):
    history = DistributedHistory(dataset_of(tmp_path_factory, synthetic_log(200), buckets=2), client)
    with pytest.raises(ColumnarFormatError, match="no event has the id 'nope'"):
        history.with_edits(["nope"])


def test_a_corrupt_bucket_is_named_when_answering(tmp_path_factory, client):
    dataset = dataset_of(tmp_path_factory, synthetic_log(300), buckets=2)
    dataset.bucket_path(1).write_bytes(b"PAR1 not really")
    with pytest.raises(ColumnarFormatError, match=r"bucket=00001.*expected a readable Parquet file"):
        DistributedHistory(dataset, client).states_at("2000")


def test_a_missing_scheduler_is_one_clear_error():
    with pytest.raises(ClusterError, match=r"scheduler tcp://127.0.0.1:9: expected a Dask scheduler there"):
        connect(scheduler="tcp://127.0.0.1:9", timeout="1s")


def test_a_worker_killed_mid_fold_is_survived(tmp_path):
    """A worker process killed while it folds: Dask runs its tasks again elsewhere, and the answers are the same.

    If the folds all finish before the kill (a very fast machine), the killed worker held their results
    instead, which Dask must recompute just the same.
    """
    log = synthetic_log(20_000)
    dataset = write_dataset(log, tmp_path / "history", buckets=8)
    expected = ColumnarIndex(log).world_at("2000")
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with cluster, Client(cluster) as client:
        pids = client.run(os.getpid)
        history = DistributedHistory(dataset, client)
        deadline = time.monotonic() + 30
        while not any(client.processing().values()) and time.monotonic() < deadline:
            time.sleep(0.005)
        busy = [address for address, tasks in client.processing().items() if tasks] or list(pids)
        os.kill(pids[busy[0]], signal.SIGKILL)
        assert states_of_table(history.states_at("2000")) == expected
        assert pids[busy[0]] not in client.run(os.getpid).values()


def test_strict_error_is_a_transition_error(tmp_path_factory, client):
    from tests.factories import make

    events = [make("relations_severed", "1999", "BOL", "CHL", id="never-established")]
    history = DistributedHistory(dataset_of(tmp_path_factory, Log.of(events), buckets=2), client)
    with pytest.raises(TransitionError, match="never-established"):
        history.states_at("2000")
