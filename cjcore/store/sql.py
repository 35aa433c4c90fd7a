"""The scenario store on SQLAlchemy: one class for SQLite and PostgreSQL.

Every save is one write transaction that reads the scenario's ``latest`` (locked: ``BEGIN IMMEDIATE`` on SQLite,
``SELECT ... FOR UPDATE`` on PostgreSQL), refuses with ``StaleVersion`` unless it is the caller's ``base``, and
inserts version ``base + 1``; the primary key (scenario_id, number) is the backstop, so two saves can never both
become the same version and none is ever lost. Visibility is part of every query, never left to the UI.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, insert, or_, select, true, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.sql.elements import ColumnElement

from cjcore.scenario_io import dump_scenario
from cjcore.schema import Scenario
from cjcore.store.legacy import LegacyVersion
from cjcore.store.model import (
    NotAllowed,
    NotFound,
    ReadOnly,
    Room,
    ScenarioInfo,
    StaleVersion,
    Version,
    Viewer,
)
from cjcore.store.tables import room_members, rooms, scenarios, store_meta, versions

log = logging.getLogger(__name__)

#: Random bytes in a scenario id (``secrets.token_urlsafe``: 12 bytes -> 16 characters, unguessable).
ID_BYTES = 12
#: Room codes are read out in a workshop: no 0/O, 1/I/L.
ROOM_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ROOM_CODE_CHARS = 8
MAX_ROOM_NAME = 200
#: Saves that lose a race on the backstop constraint are retried this often before giving up as stale.
_RETRIES = 5
WRITE_FAILED = "Saving failed: the server could not write to its scenario store just now."


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(when: datetime) -> datetime:
    """SQLite hands back naive datetimes; every time the store stores is UTC."""
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _version(row: Any) -> Version:
    return Version(scenario_id=row.scenario_id, number=row.number, title=row.title, saved_at=_aware(row.saved_at),
                   saved_by=row.saved_by, yaml=row.yaml, restored_from=row.restored_from)


#: The columns a ScenarioInfo is built from, in its fields' order (positional: a library lists many rows).
_INFO = (scenarios.c.id, scenarios.c.title, scenarios.c.owner, scenarios.c.room, scenarios.c.latest,
         scenarios.c.updated_at, scenarios.c.updated_by, scenarios.c.legacy_stem)


def _info(row: Any) -> ScenarioInfo:
    sid, title, owner, room, latest, updated_at, updated_by, stem = row
    if updated_at.tzinfo is None:
        updated_at = updated_at.replace(tzinfo=UTC)
    return ScenarioInfo(sid, title, owner, room, latest, updated_at, updated_by, stem)


def _title(scenario: Scenario) -> str:
    return scenario.name.strip()[:200] or "Untitled scenario"


class ScenarioStore:
    """Saved scenarios with every version kept, for one database (see ``open_store``).

    Attributes:
        writable: Whether saving works here.
        read_only_reason: When not writable, why — user-facing text that never names the server's folders.
        backend: ``"sqlite"`` or ``"postgresql"``.
    """

    def __init__(self, engine: Engine, *, writable: bool = True, read_only_reason: str | None = None,
                 keep_alive: Connection | None = None) -> None:
        self._engine = engine
        self._keep_alive = keep_alive  # holds an in-memory database open
        self.writable = writable
        self.read_only_reason = None if writable else (read_only_reason or "Saving is off on this server.")
        self.backend = engine.dialect.name

    # ------------------------------------------------------------------------------------------ plumbing
    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction (``BEGIN IMMEDIATE`` on SQLite); a database that refuses writes -> ReadOnly."""
        if not self.writable:
            raise ReadOnly(self.read_only_reason or "Saving is off on this server.")
        try:
            with self._engine.connect() as conn:
                conn.execution_options(cj_write=True)
                with conn.begin():
                    yield conn
        except IntegrityError:
            raise
        except DBAPIError as exc:
            log.warning("scenario store write failed: %s", exc)
            raise ReadOnly(WRITE_FAILED) from None

    def close(self) -> None:
        """Release the database connections."""
        if self._keep_alive is not None:
            self._keep_alive.close()
        self._engine.dispose()

    @staticmethod
    def _visible(viewer: Viewer) -> ColumnElement[bool]:
        """Which scenarios a viewer sees: all without sign-in; else their own and their rooms'."""
        if viewer.user is None:
            return true()
        mine = select(room_members.c.room).where(room_members.c.user == viewer.user)
        return or_(scenarios.c.owner == viewer.user, scenarios.c.room.in_(mine))

    def _row(self, conn: Connection, viewer: Viewer, scenario_id: str, *, lock: bool = False) -> Any:
        query = select(scenarios).where(and_(scenarios.c.id == str(scenario_id), self._visible(viewer)))
        row = conn.execute(query.with_for_update() if lock else query).first()
        if row is None:
            raise NotFound(f"no saved scenario {str(scenario_id)[:40]!r}")
        return row

    @staticmethod
    def _get(conn: Connection, scenario_id: str, number: int) -> Version:
        row = conn.execute(select(versions).where(and_(versions.c.scenario_id == scenario_id,
                                                       versions.c.number == number))).first()
        if row is None:
            raise NotFound(f"no version {number} of that scenario")
        return _version(row)

    def _member(self, conn: Connection, viewer: Viewer, code: str) -> bool:
        if viewer.user is None:
            return conn.execute(select(rooms.c.code).where(rooms.c.code == code)).first() is not None
        return conn.execute(select(room_members.c.room).where(and_(room_members.c.room == code,
                                                                   room_members.c.user == viewer.user))
                            ).first() is not None

    # ---------------------------------------------------------------------------------------------- reads
    def list(self, viewer: Viewer) -> list[ScenarioInfo]:
        """The scenarios the viewer may see, most recently saved first."""
        with self._read() as conn:
            rows = conn.execute(select(*_INFO).where(self._visible(viewer))
                                .order_by(scenarios.c.updated_at.desc(), scenarios.c.id)).all()
            return [_info(r) for r in rows]

    def info(self, viewer: Viewer, scenario_id: str) -> ScenarioInfo:
        """One scenario's library entry (NotFound if the viewer may not see it)."""
        with self._read() as conn:
            row = self._row(conn, viewer, scenario_id)
            return _info(tuple(getattr(row, c.name) for c in _INFO))

    def latest(self, viewer: Viewer, scenario_id: str) -> Version:
        """The newest version of a scenario."""
        with self._read() as conn:
            row = self._row(conn, viewer, scenario_id)
            return self._get(conn, row.id, row.latest)

    def get(self, viewer: Viewer, scenario_id: str, number: int) -> Version:
        """One version of a scenario."""
        with self._read() as conn:
            row = self._row(conn, viewer, scenario_id)
            return self._get(conn, row.id, int(number))

    def versions(self, viewer: Viewer, scenario_id: str) -> list[Version]:
        """Every version of a scenario, newest first."""
        with self._read() as conn:
            row = self._row(conn, viewer, scenario_id)
            found = conn.execute(select(versions).where(versions.c.scenario_id == row.id)
                                 .order_by(versions.c.number.desc()))
            return [_version(r) for r in found]

    def find_legacy(self, viewer: Viewer, stem: str) -> ScenarioInfo:
        """The scenario imported from the old file ``<stem>.yaml`` (what an old ``user:<stem>`` link names)."""
        with self._read() as conn:
            row = conn.execute(select(*_INFO).where(and_(scenarios.c.legacy_stem == str(stem),
                                                         self._visible(viewer)))).first()
            if row is None:
                raise NotFound(f"no saved scenario {str(stem)[:40]!r}")
            return _info(row)

    def rooms(self, viewer: Viewer) -> list[Room]:
        """The rooms the viewer belongs to (every room without sign-in), by name."""
        query = select(rooms)
        if viewer.user is not None:
            query = query.where(rooms.c.code.in_(select(room_members.c.room)
                                                 .where(room_members.c.user == viewer.user)))
        with self._read() as conn:
            return [Room(r.code, r.name, r.created_by) for r in conn.execute(query.order_by(rooms.c.name))]

    # --------------------------------------------------------------------------------------------- writes
    def _insert_version(self, conn: Connection, viewer: Viewer, scenario_id: str, number: int, title: str,
                        text: str, when: datetime, restored_from: int | None = None) -> Version:
        conn.execute(insert(versions).values(scenario_id=scenario_id, number=number, title=title, saved_at=when,
                                             saved_by=viewer.label, saved_by_user=viewer.user, yaml=text,
                                             restored_from=restored_from))
        return Version(scenario_id, number, title, when, viewer.label, text, restored_from)

    def create(self, viewer: Viewer, scenario: Scenario, *, room: str | None = None) -> Version:
        """Save a scenario as a new one (a new random id, version 1), owned by the viewer."""
        text, title = dump_scenario(scenario), _title(scenario)
        for _ in range(_RETRIES):
            new_id = secrets.token_urlsafe(ID_BYTES)
            try:
                with self._write() as conn:
                    if room is not None and not self._member(conn, viewer, room):
                        raise NotFound("no such room")
                    when = _now()
                    conn.execute(insert(scenarios).values(id=new_id, owner=viewer.user, room=room, title=title,
                                                          latest=1, created_at=when, updated_at=when,
                                                          updated_by=viewer.label))
                    return self._insert_version(conn, viewer, new_id, 1, title, text, when)
            except IntegrityError:  # an id drawn twice: astronomically unlikely, but never overwrite
                continue
        raise RuntimeError("could not draw an unused scenario id")

    def _append(self, viewer: Viewer, scenario_id: str, text: str, title: str, base: int,
                restored_from: int | None) -> Version:
        for _ in range(_RETRIES):
            try:
                with self._write() as conn:
                    row = self._row(conn, viewer, scenario_id, lock=True)
                    if row.latest != base:
                        raise StaleVersion(self._get(conn, row.id, row.latest))
                    when = _now()
                    moved = conn.execute(update(scenarios)
                                         .where(and_(scenarios.c.id == row.id, scenarios.c.latest == base))
                                         .values(latest=base + 1, title=title, updated_at=when,
                                                 updated_by=viewer.label))
                    if moved.rowcount != 1:  # pragma: no cover - the lock makes this impossible; kept as a guard
                        raise IntegrityError("latest moved", None, Exception("latest moved"))
                    return self._insert_version(conn, viewer, row.id, base + 1, title, text, when, restored_from)
            except IntegrityError:  # another save became base+1 first: report it as stale
                continue
        raise StaleVersion(self.latest(viewer, scenario_id))

    def save(self, viewer: Viewer, scenario_id: str, scenario: Scenario, *, base: int) -> Version:
        """Save a new version (``base + 1``) of a scenario the viewer may see.

        Raises:
            StaleVersion: Someone saved after version ``base``; nothing was written.
            NotFound: No such scenario, or the viewer may not see it.
            ReadOnly: Saving is off here.
        """
        return self._append(viewer, scenario_id, dump_scenario(scenario), _title(scenario), int(base), None)

    def restore(self, viewer: Viewer, scenario_id: str, number: int, *, base: int) -> Version:
        """Save an earlier version again as the newest (nothing in between is lost: it stays in the history)."""
        old = self.get(viewer, scenario_id, number)
        return self._append(viewer, old.scenario_id, old.yaml, old.title, int(base), old.number)

    def create_room(self, viewer: Viewer, name: str) -> Room:
        """Open a workshop room with a short code to read out; its creator is its first member."""
        name = " ".join(str(name).split())[:MAX_ROOM_NAME] or "Workshop room"
        for _ in range(_RETRIES):
            code = "".join(secrets.choice(ROOM_ALPHABET) for _ in range(ROOM_CODE_CHARS))
            try:
                with self._write() as conn:
                    when = _now()
                    conn.execute(insert(rooms).values(code=code, name=name, created_by=viewer.label,
                                                      created_at=when))
                    if viewer.user is not None:
                        conn.execute(insert(room_members).values(room=code, user=viewer.user, joined_at=when))
                    return Room(code, name, viewer.label)
            except IntegrityError:
                continue
        raise RuntimeError("could not draw an unused room code")

    def join_room(self, viewer: Viewer, code: str) -> Room:
        """Join a room by its code (NotFound for an unknown code); joining twice is harmless."""
        code = str(code).strip().upper()
        with self._write() as conn:
            row = conn.execute(select(rooms).where(rooms.c.code == code)).first()
            if row is None:
                raise NotFound("no room with that code")
            if viewer.user is not None and not self._member(conn, viewer, code):
                conn.execute(insert(room_members).values(room=code, user=viewer.user, joined_at=_now()))
            return Room(row.code, row.name, row.created_by)

    def move_to_room(self, viewer: Viewer, scenario_id: str, room: str | None) -> None:
        """Share a scenario with a room the viewer belongs to, or make it private again (None); owner only."""
        with self._write() as conn:
            row = self._row(conn, viewer, scenario_id, lock=True)
            if row.owner != viewer.user:
                raise NotAllowed("only the scenario's owner may move it")
            if room is not None and not self._member(conn, viewer, room):
                raise NotFound("no such room")
            conn.execute(update(scenarios).where(scenarios.c.id == row.id).values(room=room))

    # --------------------------------------------------------------------------------------- maintenance
    def import_legacy(self, found: dict[str, list[LegacyVersion]]) -> list[str]:
        """Import old scenario files once each (by stem), owned by nobody; returns the stems imported now."""
        done: list[str] = []
        for stem, history in found.items():
            try:
                with self._write() as conn:
                    exists = conn.execute(select(scenarios.c.id).where(scenarios.c.legacy_stem == stem)).first()
                    if exists is not None:
                        continue
                    new_id = secrets.token_urlsafe(ID_BYTES)
                    last = history[-1]
                    conn.execute(insert(scenarios).values(
                        id=new_id, owner=None, room=None, title=last.title, latest=len(history),
                        created_at=history[0].saved_at, updated_at=last.saved_at, updated_by=None, legacy_stem=stem))
                    for number, item in enumerate(history, start=1):
                        conn.execute(insert(versions).values(scenario_id=new_id, number=number, title=item.title,
                                                             saved_at=item.saved_at, yaml=item.yaml))
                    done.append(stem)
            except IntegrityError:  # another process imported the same stem at the same moment
                continue
        return done

    def legacy_stems(self) -> frozenset[str]:
        """The stems of the old scenario files already imported."""
        with self._read() as conn:
            rows = conn.execute(select(scenarios.c.legacy_stem).where(scenarios.c.legacy_stem.is_not(None)))
            return frozenset(r[0] for r in rows)

    def probe_write(self) -> None:
        """Prove the database takes a write now (raises the driver's error if not)."""
        with self._engine.connect() as conn:
            conn.execution_options(cj_write=True)
            with conn.begin():
                when = _now().isoformat()
                moved = conn.execute(update(store_meta).where(store_meta.c.key == "last_opened").values(value=when))
                if moved.rowcount == 0:  # the row the first migration put there was removed by hand
                    conn.execute(insert(store_meta).values(key="last_opened", value=when))

    def count_versions(self) -> int:
        """How many versions are stored in all (for tests and benchmarks)."""
        with self._read() as conn:
            return int(conn.execute(select(func.count()).select_from(versions)).scalar_one())
