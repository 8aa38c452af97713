"""Real databases for the store tests: a PostgreSQL server started for the session, and new store URLs."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.store._local_server import TemporaryPostgres, postgres_bin


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[TemporaryPostgres]:
    """A PostgreSQL server for the whole test session (skips where no PostgreSQL binary is installed)."""
    folder = postgres_bin()
    if folder is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) on this machine: apt-get install postgresql")
    pytest.importorskip("psycopg", reason="psycopg is not installed: pip install 'legation[store-postgres]'")
    with TemporaryPostgres(folder) as server:
        yield server


BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each backend in turn: the conformance tests run once per backend."""
    return request.param


@pytest.fixture
def new_store_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path):
    """Make URLs of new, empty stores of the backend under test (each call a new one)."""
    if backend == "postgresql":
        server = request.getfixturevalue("postgres_server")
        return server.fresh_url
    counter = itertools.count()
    return lambda: f"sqlite://{tmp_path / f'store-{next(counter)}.db'}"


@pytest.fixture
def store_url(new_store_url) -> str:
    """The URL of a new, empty store of the backend under test (not yet initialised)."""
    return new_store_url()
