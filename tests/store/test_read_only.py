"""An unwritable place never stops the store from opening (issue 14 item 6): it opens read-only, says why in
words that never name the server's folders, and still shows what was saved.

File permissions do not bind root, so the store is opened in a forked child process that, when the tests run as
root, first becomes the unprivileged ``nobody`` user (otherwise it stays ourselves).
"""

from __future__ import annotations

import multiprocessing
import os
import pwd
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cjcore.scenario_io import dump_scenario, load_builtin
from cjcore.store import LOCAL, ReadOnly, open_store


def _probe(scenario_dir: str, out: Any) -> None:
    """In the child: become an unprivileged user if root, open the default store, report what it saw."""
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.setgroups([])
        os.setresgid(nobody.pw_gid, nobody.pw_gid, nobody.pw_gid)
        os.setresuid(nobody.pw_uid, nobody.pw_uid, nobody.pw_uid)
    os.environ["CJ_SCENARIO_DIR"] = scenario_dir
    os.environ.pop("CJ_DATABASE_URL", None)
    store = open_store()
    result: dict[str, object] = {"writable": store.writable, "reason": store.read_only_reason,
                                 "titles": [i.title for i in store.list(LOCAL)]}
    try:
        store.create(LOCAL, load_builtin("london"))
        result["saved"] = True
    except ReadOnly as exc:
        result["saved"] = False
        result["refusal"] = exc.reason
    out.put(result)


@pytest.fixture
def place() -> Iterator[Path]:
    """A folder outside pytest's private temporary folder, so an unprivileged user can reach it."""
    folder = Path(tempfile.mkdtemp(prefix="cj-ro-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)
    shutil.rmtree(folder, ignore_errors=True)


def open_unprivileged(scenario_dir: Path) -> dict[str, object]:
    """Open the default store in a forked child that file permissions apply to; what it saw."""
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    child = ctx.Process(target=_probe, args=(str(scenario_dir), out))
    child.start()
    result = out.get(timeout=120)
    child.join(30)
    assert child.exitcode == 0
    return result


def _assert_read_only_and_says_why(seen: dict[str, object], place: Path) -> None:
    assert seen["writable"] is False and seen["saved"] is False
    reason = str(seen["reason"])
    assert reason.startswith("Saving is off") and seen["refusal"] == reason
    assert str(place) not in reason and "/" not in reason and "cj-ro-" not in reason


def test_an_existing_database_in_a_read_only_folder_opens_read_only(place: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    folder = place / "scenarios"
    monkeypatch.setenv("CJ_SCENARIO_DIR", str(folder))
    monkeypatch.delenv("CJ_DATABASE_URL", raising=False)
    store = open_store()
    store.create(LOCAL, load_builtin("london").with_changes(name="Saved before"))
    store.close()
    (folder / "explorer.db").chmod(0o444)
    folder.chmod(0o555)
    seen = open_unprivileged(folder)
    _assert_read_only_and_says_why(seen, place)
    assert seen["titles"] == ["Saved before"]  # what was saved still opens


def test_a_folder_that_cannot_be_created_gives_an_empty_read_only_store(place: Path) -> None:
    place.chmod(0o555)
    seen = open_unprivileged(place / "new" / "scenarios")
    _assert_read_only_and_says_why(seen, place)
    assert seen["titles"] == []


def test_old_files_in_a_read_only_folder_are_still_listed(place: Path) -> None:
    folder = place / "scenarios"
    folder.mkdir()
    (folder / "team-plan.yaml").write_text(dump_scenario(load_builtin("london").with_changes(name="Team plan")))
    (folder / "team-plan.yaml").chmod(0o444)
    folder.chmod(0o555)
    seen = open_unprivileged(folder)
    _assert_read_only_and_says_why(seen, place)
    assert seen["titles"] == ["Team plan"]


def test_a_database_that_refuses_writes_opens_read_only(postgres: object, london_saved: str) -> None:
    """PostgreSQL: a role that may only read (e.g. a reporting replica's account)."""
    from tests.store.conftest import Postgres

    assert isinstance(postgres, Postgres)
    store = open_store(postgres.url(london_saved, user="reader"), legacy_dir=None)
    try:
        assert not store.writable
        assert store.read_only_reason and "127.0.0.1" not in store.read_only_reason
        assert [i.title for i in store.list(LOCAL)] == ["Saved before"]
        with pytest.raises(ReadOnly):
            store.create(LOCAL, load_builtin("london"))
    finally:
        store.close()


def test_an_unreachable_database_still_opens(scenario_home: Path) -> None:
    store = open_store("postgresql+psycopg://nobody@127.0.0.1:1/none", legacy_dir=None)
    assert not store.writable and store.read_only_reason and "127.0.0.1" not in store.read_only_reason
    assert store.list(LOCAL) == []


@pytest.fixture
def london_saved(postgres: object) -> str:
    from tests.store.conftest import Postgres

    assert isinstance(postgres, Postgres)
    name = postgres.database()
    store = open_store(postgres.url(name), legacy_dir=None)
    store.create(LOCAL, load_builtin("london").with_changes(name="Saved before"))
    store.close()
    with postgres.admin.connect() as conn:
        conn.exec_driver_sql("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'reader') "
                             "THEN CREATE ROLE reader LOGIN; END IF; END $$")
    import sqlalchemy as sa

    engine = sa.create_engine(postgres.url(name), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql("GRANT USAGE ON SCHEMA public TO reader")
        conn.exec_driver_sql("GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader")
    engine.dispose()
    return name


def test_a_write_refused_after_opening_says_so_and_loses_nothing(postgres: object) -> None:
    """A real refusal mid-session (privileges taken away after the store opened): ReadOnly, not a crash."""
    from tests.store.conftest import Postgres

    assert isinstance(postgres, Postgres)
    name = postgres.database()
    role = f"writer_{name[2:]}"
    with postgres.admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN")
    import sqlalchemy as sa

    db = sa.create_engine(postgres.url(name), isolation_level="AUTOCOMMIT")
    with db.connect() as conn:
        conn.exec_driver_sql(f"GRANT CREATE, USAGE ON SCHEMA public TO {role}")
    store = open_store(postgres.url(name, user=role), legacy_dir=None)
    try:
        assert store.writable
        sid = store.create(LOCAL, load_builtin("london")).scenario_id
        with db.connect() as conn:
            conn.exec_driver_sql(f"REVOKE INSERT, UPDATE ON ALL TABLES IN SCHEMA public FROM {role}")
        with pytest.raises(ReadOnly) as info:
            store.save(LOCAL, sid, load_builtin("national"), base=1)
        assert info.value.reason.startswith("Saving failed") and "127.0.0.1" not in info.value.reason
        assert [v.number for v in store.versions(LOCAL, sid)] == [1]  # still readable, nothing half-written
    finally:
        store.close()
        db.dispose()
