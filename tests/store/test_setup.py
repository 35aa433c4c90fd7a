"""Opening a store: migrations from an empty database, the one-time import of old YAML folders, where the
default SQLite file lives. Run on SQLite and PostgreSQL where the backend matters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from cjcore.scenario_io import dump_scenario, load_builtin
from cjcore.store import LOCAL, ScenarioStore, Viewer, open_store
from cjcore.store import _config as alembic_config
from cjcore.store.tables import metadata


def test_migrations_build_the_schema_from_an_empty_database(store_url: str,
                                                            make_store: Callable[..., ScenarioStore]) -> None:
    engine = sa.create_engine(store_url)
    with engine.connect() as conn:
        assert sa.inspect(conn).get_table_names() == []  # really empty
    make_store()
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with engine.connect() as conn:
        context = MigrationContext.configure(conn)
        assert context.get_current_revision() == head
        assert compare_metadata(context, metadata) == []  # the migrations make exactly the declared tables
    make_store()  # opening again (another replica, a restart) migrates nothing and fails nothing
    engine.dispose()


def _old_folder(folder: Path) -> dict[str, list[int]]:
    """An old scenario folder as the app used to write it: files plus time-stamped earlier versions."""
    london = load_builtin("london")
    history = folder / ".history" / "team-plan"
    history.mkdir(parents=True)
    for i, stamp in enumerate(("20250101T090000000000Z-aaaa1111", "20250102T090000000000Z-bbbb2222")):
        (history / f"{stamp}.yaml").write_text(dump_scenario(london.with_changes(horizon_years=2 + i,
                                                                                 name=f"Team plan v{i + 1}")))
    (folder / "team-plan.yaml").write_text(dump_scenario(london.with_changes(horizon_years=9, name="Team plan")))
    (folder / "solo.yaml").write_text(dump_scenario(load_builtin("national").with_changes(name="Solo")))
    (folder / "broken.yaml").write_text("schema: 1\nname: [unclosed\n")
    (folder / ".hidden.yaml").write_text(dump_scenario(london))
    return {"team-plan": [2, 3, 9], "solo": [load_builtin("national").horizon_years]}


def test_old_yaml_folders_are_imported_once_with_their_history(tmp_path: Path,
                                                               make_store: Callable[..., ScenarioStore]) -> None:
    folder = tmp_path / "old"
    expected = _old_folder(folder)
    store = make_store(legacy_dir=folder)
    infos = {i.legacy_stem: i for i in store.list(LOCAL)}
    assert set(infos) == set(expected)  # the broken and hidden files are left out
    for stem, horizons in expected.items():
        info = store.find_legacy(LOCAL, stem)
        assert info == infos[stem] and info.owner is None and info.latest == len(horizons)
        stored = store.versions(LOCAL, info.id)
        assert [v.scenario().horizon_years for v in reversed(stored)] == horizons  # oldest first
    team = store.versions(LOCAL, infos["team-plan"].id)
    assert [v.title for v in team] == ["Team plan", "Team plan v2", "Team plan v1"]
    assert team[-1].saved_at == datetime(2025, 1, 1, 9, tzinfo=UTC)
    assert infos["team-plan"].title == "Team plan"
    # opening again (a restart, a second replica) imports nothing twice, even after the files change
    (folder / "solo.yaml").write_text(dump_scenario(load_builtin("london").with_changes(name="Changed")))
    again = make_store(legacy_dir=folder)
    assert sorted(i.legacy_stem or "" for i in again.list(LOCAL)) == sorted(expected)
    assert again.latest(LOCAL, infos["solo"].id).title == "Solo"
    assert again.count_versions() == sum(len(h) for h in expected.values())
    # a file added later is imported on the next open
    (folder / "late.yaml").write_text(dump_scenario(load_builtin("london").with_changes(name="Late")))
    assert make_store(legacy_dir=folder).find_legacy(LOCAL, "late").title == "Late"
    with pytest.raises(KeyError):
        store.find_legacy(LOCAL, "broken")
    with pytest.raises(KeyError):
        store.find_legacy(Viewer("alice@example.org"), "solo")  # not visible to a signed-in person


def test_the_default_database_is_a_file_in_the_scenario_folder(scenario_home: Path) -> None:
    (scenario_home).mkdir()
    (scenario_home / "plan.yaml").write_text(dump_scenario(load_builtin("london").with_changes(name="Plan")))
    store = open_store()
    try:
        assert store.writable and store.backend == "sqlite"
        assert (scenario_home / "explorer.db").is_file()
        assert [i.title for i in store.list(LOCAL)] == ["Plan"]
        with sa.create_engine(f"sqlite:///{scenario_home / 'explorer.db'}").connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"  # replicas share the file
    finally:
        store.close()


def test_database_url_from_the_environment(scenario_home: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CJ_DATABASE_URL", f"sqlite:///{tmp_path / 'elsewhere.db'}")
    store = open_store()
    try:
        store.create(LOCAL, load_builtin("london"))
        assert (tmp_path / "elsewhere.db").is_file() and not (scenario_home / "explorer.db").exists()
    finally:
        store.close()

