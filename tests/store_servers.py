"""Real databases for the store tests: a PostgreSQL server started in a temporary folder, and store URLs."""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# The server refuses to run as root: as root, it runs as this user (made if missing; `postgres` if there).
SERVER_USERS = ("postgres", "legation-pg")
_schemas = itertools.count()


def postgres_bin() -> Path | None:
    """The folder of PostgreSQL's server programs (initdb, pg_ctl), the newest one installed; None if none is."""
    given = os.environ.get("LEGATION_PG_BIN")
    candidates = [given] if given else sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True)
    found = shutil.which("initdb")
    if found:
        candidates.append(str(Path(found).parent))
    for folder in candidates:
        if folder and (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    return None


def _version(folder: str) -> int:
    name = Path(folder).parent.name
    return int(name) if name.isdigit() else 0


def _server_user() -> str | None:
    """The user to run the server as: None when not root; else an existing or newly made unprivileged user."""
    if os.geteuid() != 0:
        return None
    for name in SERVER_USERS:
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    name = SERVER_USERS[-1]
    subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True)
    return name


class PostgresServer:
    """A PostgreSQL server of our own: a data folder and a Unix socket in a temporary folder, no TCP."""

    def __init__(self, bin_folder: Path) -> None:
        self.bin = bin_folder
        self.user = _server_user()
        self.folder = Path(tempfile.mkdtemp(prefix="legation-pg-"))
        self.port = 54321 + os.getpid() % 1000
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self.folder.chmod(0o755)  # the tests (root) and the server (its user) both reach the socket
        self._run("initdb", "-D", str(self.data), "-U", "legation", "--auth=trust", "-E", "UTF8", "--no-sync")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses='' -c fsync=off -c max_connections=50"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-w", "-t", "60", "-l", str(self.log), "start")

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    def _run(self, program: str, *args: str) -> None:
        result = subprocess.run(
            [str(self.bin / program), *args], user=self.user, capture_output=True, text=True, cwd=self.folder
        )
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            raise RuntimeError(f"{program} failed ({result.returncode}): {' / '.join(detail)}")

    def url(self, schema: str | None = None) -> str:
        """A URL of the server's `postgres` database; with `schema`, one whose tables live in that schema."""
        url = f"postgresql://legation@/postgres?host={self.folder}&port={self.port}"
        return url if schema is None else f"{url}&options=-csearch_path%3D{schema}"

    def fresh_url(self) -> str:
        """The URL of a new, empty schema: a store of its own for one test."""
        import psycopg

        schema = f"store_{os.getpid()}_{next(_schemas)}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f"CREATE SCHEMA {schema}")
        return self.url(schema)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the whole test session (skips where no PostgreSQL binary is installed)."""
    folder = postgres_bin()
    if folder is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) on this machine: apt-get install postgresql")
    pytest.importorskip("psycopg", reason="psycopg is not installed: pip install 'legation[store-postgres]'")
    server = PostgresServer(folder)
    try:
        yield server
    finally:
        server.stop()


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
