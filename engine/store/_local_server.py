"""A throwaway PostgreSQL server in a temporary folder (Unix socket only), for the store's tests and benchmark."""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

SERVER_USERS = ("postgres", "legation-pg")
"""Who runs the server when we are root (PostgreSQL refuses root): the first that exists, else the last, made."""
_schemas = itertools.count()


def postgres_bin() -> Path | None:
    """The folder of PostgreSQL's server programs (initdb, pg_ctl), the newest installed; None if there is none.

    `LEGATION_PG_BIN` names one explicitly.
    """
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


def server_user() -> str | None:
    """The user to run the server as: None when we are not root; else an unprivileged user (made if need be)."""
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


class TemporaryPostgres:
    """A PostgreSQL server of our own: data folder and Unix socket in a temporary folder, no TCP; `stop` removes it.

    Args:
        bin_folder: where initdb and pg_ctl are (see `postgres_bin`).
        durable: keep fsync on (a benchmark's figures then include what a real server pays to sync).
    """

    def __init__(self, bin_folder: Path, *, durable: bool = False) -> None:
        self.bin = bin_folder
        self.user = server_user()
        self.folder = Path(tempfile.mkdtemp(prefix="legation-pg-"))
        self.port = 54321 + os.getpid() % 1000  # only names the socket file: there is no TCP listener
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self.folder.chmod(0o755)  # we (perhaps root) and the server (its user) both reach the socket
        self._run("initdb", "-D", str(self.data), "-U", "legation", "--auth=trust", "-E", "UTF8", "--no-sync")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses='' -c max_connections=50"
        if not durable:
            options += " -c fsync=off"
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
        """The URL of a new, empty schema: a store of its own."""
        import psycopg

        schema = f"store_{os.getpid()}_{next(_schemas)}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f"CREATE SCHEMA {schema}")
        return self.url(schema)

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> TemporaryPostgres:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
