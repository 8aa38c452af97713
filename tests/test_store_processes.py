"""The store under real processes: writers killed with SIGKILL mid-append, and four writers racing on one stream."""

from __future__ import annotations

import json
import os
import random
import signal
import time

import pytest

from engine.store import ConflictError, EventStore, verify
from events import Log

from factories import make

CRASH_TRIALS = 20
CRASH_BATCH = 50
WRITERS, ROUNDS, PER_APPEND = 4, 12, 2

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")


def planned_batch(number: int) -> list:
    """The events of a crash writer's batch `number` (the same in the writer and the check)."""
    note = "a long enough note to make each batch a few pages of writing " * 4
    return [make("statement", "2000-01-01", id=f"b{number}-{k}", note=note) for k in range(CRASH_BATCH)]


def _crash_writer(url: str, ready: int) -> None:
    """Append batch after batch, each expecting the end the last left, until killed."""
    with EventStore.open(url) as store:
        os.write(ready, b"1")
        for number in range(10_000):
            store.append(planned_batch(number), expected=number * CRASH_BATCH)


def _fork(target, *args) -> int:
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        status = 0
        try:
            target(*args)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    return pid


class TestCrashes:
    def test_a_writer_killed_mid_append_leaves_a_prefix_of_whole_batches(self, new_store_url, backend):
        """SIGKILL at random moments: the store opens, verifies, and holds exactly the first k batches."""
        chance = random.Random(20261130)
        committed = []
        for _ in range(CRASH_TRIALS):
            url = new_store_url()
            EventStore.open(url, create=True).close()
            ready_read, ready_write = os.pipe()
            pid = _fork(_crash_writer, url, ready_write)
            os.close(ready_write)
            assert os.read(ready_read, 1) == b"1"
            os.close(ready_read)
            time.sleep(chance.uniform(0.0, 0.08))
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            assert os.WIFSIGNALED(status), "the writer ended before it was killed"
            with EventStore.open(url) as store:
                (verdict,) = verify(store.recorder, "main") if store.streams() else (None,)
                assert verdict is None or verdict.ok, verdict
                ids = [record.event_id for record in store.records()]
                assert len(ids) % CRASH_BATCH == 0
                batches = len(ids) // CRASH_BATCH
                assert ids == [event.id for number in range(batches) for event in planned_batch(number)]
                assert len(store.scenario().log) == len(ids)
                committed.append(batches)
        print(f"batches committed before each kill ({backend}): {committed}")
        assert max(committed) > 0, f"no trial committed a batch before the kill ({backend})"


def _racer(url: str, writer: int, out: int) -> None:
    """Append ROUNDS small batches, each expecting the end it just read; report what happened, in JSON."""
    outcomes = []
    chance = random.Random(writer)
    with EventStore.open(url) as store:
        for round_ in range(ROUNDS):
            head = store.head().position
            time.sleep(chance.uniform(0, 0.003))  # let the others in between a read and its append
            events = [make("statement", "2000", id=f"w{writer}-r{round_}-{k}") for k in range(PER_APPEND)]
            try:
                result = store.append(events, expected=head)
                outcomes.append({"ids": [e.id for e in events], "start": result.start, "end": result.head.position})
            except ConflictError as conflict:
                outcomes.append(
                    {"ids": [e.id for e in events], "expected": conflict.expected, "actual": conflict.actual}
                )
    os.write(out, json.dumps(outcomes).encode() + b"\n")


class TestConcurrency:
    def test_four_writers_lose_nothing_and_duplicate_nothing(self, store_url):
        """Four processes append with expected positions: every append lands once or is reported as a conflict."""
        EventStore.open(store_url, create=True).close()
        pipes = [os.pipe() for _ in range(WRITERS)]
        pids = [_fork(_racer, store_url, writer, pipes[writer][1]) for writer in range(WRITERS)]
        outcomes = []
        for (read_end, write_end), pid in zip(pipes, pids, strict=True):
            os.close(write_end)
            with os.fdopen(read_end, "rb") as reader:
                outcomes.extend(json.loads(reader.read() or b"[]"))
            _, status = os.waitpid(pid, 0)
            assert os.WEXITSTATUS(status) == 0
        assert len(outcomes) == WRITERS * ROUNDS
        accepted = sorted((o for o in outcomes if "start" in o), key=lambda o: o["start"])
        conflicts = [o for o in outcomes if "actual" in o]
        assert len(accepted) + len(conflicts) == WRITERS * ROUNDS
        assert all(conflict["actual"] > conflict["expected"] for conflict in conflicts)
        with EventStore.open(store_url) as store:
            records = list(store.records())
            stored_ids = [record.event_id for record in records]
            assert len(stored_ids) == len(set(stored_ids))  # nothing duplicated
            # Each accepted append sits where the writer was told, and the accepted ones tile the stream.
            assert [o["start"] for o in accepted] == [k * PER_APPEND for k in range(len(accepted))]
            assert stored_ids == [event_id for o in accepted for event_id in o["ids"]]  # nothing lost
            rejected = {event_id for o in conflicts for event_id in o["ids"]}
            assert not rejected & set(stored_ids)
            serial = Log.of([make("statement", "2000", id=event_id) for o in accepted for event_id in o["ids"]])
            assert store.scenario().log == serial
            assert verify(store.recorder)[0].ok
        assert conflicts, "the writers never raced: the test proved nothing"
