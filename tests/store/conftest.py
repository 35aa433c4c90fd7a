"""Fixtures for the store's contract suite: the same tests on SQLite and on a real PostgreSQL server.

PostgreSQL is Debian's (``/usr/lib/postgresql/15/bin``), started once per test session on a free port with its
socket in a temporary folder, and stopped at the end. PostgreSQL refuses to run as root, so when the tests run
as root (CI) ``initdb`` and the server run as the ``postgres`` system user.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from cjcore.store import ScenarioStore, open_store

PG_BIN = Path("/usr/lib/postgresql/15/bin")
BACKENDS = ("sqlite", "postgresql")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class Postgres:
    """A throwaway PostgreSQL server; ``database()`` makes a fresh empty database and returns its URL."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="cj-pg-"))
        self.data, self.sock, self.log = self.root / "data", self.root / "sock", self.root / "server.log"
        self.sock.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
            shutil.chown(self.sock, "postgres", "postgres")
        self.port = _free_port()
        subprocess.run(_as_server_user([str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                                        "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"]),
                       check=True, capture_output=True)
        options = (f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        subprocess.run(_as_server_user([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                                        "-o", options, "-w", "-t", "60", "start"]), check=True, capture_output=True)
        self.admin = sa.create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")

    def url(self, database: str, user: str = "postgres") -> str:
        return f"postgresql+psycopg://{user}@127.0.0.1:{self.port}/{database}"

    def database(self) -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        return name

    def stop(self) -> None:
        self.admin.dispose()
        subprocess.run(_as_server_user([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w",
                                        "stop"]), capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    server = Postgres()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def scenario_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty scenario folder of the test's own (so the default SQLite file lands there)."""
    folder = tmp_path / "scenarios"
    monkeypatch.setenv("CJ_SCENARIO_DIR", str(folder))
    monkeypatch.delenv("CJ_DATABASE_URL", raising=False)
    return folder


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def store_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database of the backend under test."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    server: Postgres = request.getfixturevalue("postgres")
    return server.url(server.database())


@pytest.fixture
def make_store(store_url: str) -> Iterator[Callable[..., ScenarioStore]]:
    """Open stores on the test's database (several may be open at once, like replicas)."""
    opened: list[ScenarioStore] = []

    def make(**kwargs: object) -> ScenarioStore:
        kwargs.setdefault("legacy_dir", None)
        store = open_store(store_url, **kwargs)  # type: ignore[arg-type]
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def store(make_store: Callable[..., ScenarioStore]) -> ScenarioStore:
    made = make_store()
    assert made.writable, made.read_only_reason
    return made
