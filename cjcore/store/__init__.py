"""Saved scenarios with every version kept: SQLite by default, PostgreSQL when ``$CJ_DATABASE_URL`` names one.

The contract: ``open_store()`` gives a ``ScenarioStore``; every method takes
the ``Viewer`` asking, and a viewer only ever sees (or learns of) the scenarios visible to them. Every save makes a
new version in one transaction; ``save(..., base=n)`` refuses with ``StaleVersion`` when someone saved after
version n. ``open_store`` never raises for an unwritable place: the store then says ``writable=False`` with a
``read_only_reason`` a participant may read (it never names the server's folders), and reading still works.

No Streamlit here: the app wraps the store in ``explorer/storage.py``.
"""

from __future__ import annotations

import logging
import sqlite3
import uuid
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, make_url, text

from cjcore.store.legacy import legacy_scenarios
from cjcore.store.location import (
    DATABASE_URL_ENV,
    DB_FILE,
    SCENARIO_DIR_ENV,
    configured_url,
    inside_builtins,
    scenario_dir,
)
from cjcore.store.model import (
    LOCAL,
    NotAllowed,
    NotFound,
    ReadOnly,
    Room,
    ScenarioInfo,
    StaleVersion,
    Version,
    Viewer,
)
from cjcore.store.sql import ScenarioStore

__all__ = [
    "LOCAL", "DATABASE_URL_ENV", "SCENARIO_DIR_ENV", "NotAllowed", "NotFound", "ReadOnly", "Room", "ScenarioInfo",
    "ScenarioStore", "StaleVersion", "Version", "Viewer", "default_url", "migrate", "open_store", "scenario_dir",
]

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: How long a SQLite writer waits for another process's write to finish before giving up.
BUSY_SECONDS = 30
#: Any fixed number: PostgreSQL's advisory lock that makes concurrent first opens migrate one at a time.
_MIGRATION_LOCK = 716_203_114

REASON_FOLDER = "Saving is off: this server cannot write to its scenario folder (it may be read-only or full)."
REASON_DATABASE = "Saving is off: this server's scenario database does not accept changes (it may be read-only)."
REASON_UNREACHABLE = "Saving is off: this server cannot reach its scenario database."
REASON_BUILTIN = "Saving is off: the server's scenario folder is set to the built-in scenarios, which are read-only."


class _Default:
    """Marker: the legacy folder is the configured scenario folder."""


_DEFAULT: Final = _Default()


def default_url(folder: Path | None = None) -> str:
    """The default database: ``explorer.db`` in the scenario folder."""
    return f"sqlite:///{(folder or scenario_dir()) / DB_FILE}"


def _sqlite_setup(engine: Engine, *, wal: bool = True) -> Engine:
    """Transactions we begin ourselves (``BEGIN IMMEDIATE`` for writes), a busy timeout, WAL, foreign keys."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # pysqlite's own implicit BEGIN would defeat BEGIN IMMEDIATE
        dbapi_conn.execute(f"PRAGMA busy_timeout = {BUSY_SECONDS * 1000}")
        dbapi_conn.execute("PRAGMA foreign_keys = ON")
        if wal:
            dbapi_conn.execute("PRAGMA journal_mode = WAL")  # readers never block the writer, across processes

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("cj_write") else "BEGIN")

    return engine


def _engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True)
    if parsed.database in (None, "", ":memory:"):
        name = f"file:cj-memory-{uuid.uuid4().hex}?mode=memory&cache=shared"
        engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(name, uri=True, check_same_thread=False))
        return _sqlite_setup(engine, wal=False)
    return _sqlite_setup(create_engine(parsed, connect_args={"timeout": BUSY_SECONDS, "check_same_thread": False}))


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the database's tables up to the newest migration (``alembic upgrade head``), one process at a time."""
    cfg = _config()
    with engine.connect() as conn:
        conn.execution_options(cj_write=True)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")


def _at_head(engine: Engine) -> bool:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() == head


def _memory_store(folder: Path | None, reason: str) -> ScenarioStore:
    """A read-only store in memory holding the old scenario files (if readable), when nothing else can open."""
    engine = _engine("sqlite://")
    keep = engine.connect()  # a shared in-memory database lives while a connection is open
    migrate(engine)
    store = ScenarioStore(engine, keep_alive=keep)
    if folder is not None:
        store.import_legacy(legacy_scenarios(folder))
    store.writable, store.read_only_reason = False, reason
    return store


def _read_only_sqlite(path: Path, folder: Path | None, reason: str) -> ScenarioStore:
    """The SQLite file opened for reading only; in memory if even that fails."""
    if path.is_file():
        for flags in ("mode=ro", "mode=ro&immutable=1"):  # immutable: WAL without a writable folder for -shm
            uri = f"file:{quote(str(path))}?{flags}"
            engine = _sqlite_setup(create_engine(
                "sqlite://", creator=lambda uri=uri: sqlite3.connect(uri, uri=True, check_same_thread=False,
                                                                     timeout=BUSY_SECONDS)), wal=False)
            try:
                if _at_head(engine):
                    store = ScenarioStore(engine, writable=False, read_only_reason=reason)
                    store.list(LOCAL)
                    return store
            except Exception as exc:  # noqa: BLE001 - any failure: try the next way
                log.warning("scenario database not readable with %s: %s", flags, exc)
            engine.dispose()
    return _memory_store(folder, reason)


def _read_only(url: str, folder: Path | None, reason: str) -> ScenarioStore:
    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - a malformed setting
        return _memory_store(folder, REASON_UNREACHABLE)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return _read_only_sqlite(Path(parsed.database), folder, reason)
    try:
        engine = _engine(url)
        if _at_head(engine):
            return ScenarioStore(engine, writable=False, read_only_reason=reason)
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - cannot even read: keep the app working from memory
        log.warning("scenario database not readable: %s", exc)
        reason = REASON_UNREACHABLE
    return _memory_store(folder, reason)


def open_store(url: str | None = None, *, legacy_dir: Path | None | _Default = _DEFAULT) -> ScenarioStore:
    """Open (and create or migrate) the scenario store; never raises for a place that cannot be written.

    Args:
        url: A SQLAlchemy URL; ``$CJ_DATABASE_URL`` when None; else ``explorer.db`` in the scenario folder.
        legacy_dir: Folder of old ``*.yaml`` scenario files to import once each; the scenario folder by
            default, None for none.

    Returns:
        The store; ``writable`` is False (with ``read_only_reason``) when saving cannot work here.
    """
    url = url or configured_url()
    folder = scenario_dir() if isinstance(legacy_dir, _Default) else legacy_dir
    if url is None:
        home = scenario_dir()
        if inside_builtins(home):
            return _memory_store(None, REASON_BUILTIN)
        try:
            home.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            log.warning("scenario folder cannot be created: %s", exc)
            return _read_only(default_url(home), folder, REASON_FOLDER)
        url = default_url(home)
        reason = REASON_FOLDER
    else:
        reason = REASON_DATABASE
    engine: Engine | None = None
    try:
        engine = _engine(url)
        migrate(engine)
        store = ScenarioStore(engine)
        store.probe_write()
    except Exception as exc:  # noqa: BLE001 - whatever stops writing, the app must still open read-only
        log.warning("scenario store opened read-only: %s", exc)
        if engine is not None:
            engine.dispose()
        return _read_only(url, folder, reason)
    if folder is not None:
        try:
            store.import_legacy(legacy_scenarios(folder, skip=store.legacy_stems()))
        except Exception as exc:  # noqa: BLE001 - old files must never stop the app from opening
            log.warning("old scenario files not imported: %s", exc)
    return store
