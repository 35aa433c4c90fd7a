"""The store's contract, run on SQLite and on a real PostgreSQL server (``backend`` fixture).

Saves make versions and never lose one (many threads, several processes); restore is a save; stale saves are
refused; each viewer sees exactly what the visibility rules allow, and other people's ids look like ids that do
not exist.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable

import pytest

from cjcore.scenario_io import dump_scenario, load_builtin
from cjcore.schema import Scenario
from cjcore.store import (
    LOCAL,
    NotAllowed,
    NotFound,
    ReadOnly,
    ScenarioStore,
    StaleVersion,
    Viewer,
    open_store,
)

ALICE = Viewer("alice@example.org", "Alice")
BOB = Viewer("bob@example.org", "Bob")
CAROL = Viewer("carol@example.org")


@pytest.fixture
def london() -> Scenario:
    return load_builtin("london")


# ------------------------------------------------------------------------------------------ versions
def test_create_save_and_list_versions(store: ScenarioStore, london: Scenario) -> None:
    first = store.create(ALICE, london)
    assert first.number == 1 and first.restored_from is None
    assert first.title == london.name and first.saved_by == "Alice"
    assert first.scenario() == london and first.yaml == dump_scenario(london)
    edited = london.with_changes(horizon_years=7, name="Plan B")
    second = store.save(ALICE, first.scenario_id, edited, base=1)
    assert (second.scenario_id, second.number, second.title) == (first.scenario_id, 2, "Plan B")
    assert store.latest(ALICE, first.scenario_id).scenario() == edited
    assert store.get(ALICE, first.scenario_id, 1).scenario() == london
    assert [v.number for v in store.versions(ALICE, first.scenario_id)] == [2, 1]
    (info,) = store.list(ALICE)
    assert (info.id, info.title, info.latest, info.owner, info.updated_by) == (
        first.scenario_id, "Plan B", 2, ALICE.user, "Alice")
    assert info.updated_at == second.saved_at
    with pytest.raises(NotFound):
        store.get(ALICE, first.scenario_id, 3)


def test_ids_are_random_not_from_the_title(store: ScenarioStore, london: Scenario) -> None:
    ids = {store.create(LOCAL, london).scenario_id for _ in range(5)}
    assert len(ids) == 5
    assert all(len(i) >= 16 and "london" not in i.lower() and "@" not in i for i in ids)
    assert [i.title for i in store.list(LOCAL)] == [london.name] * 5  # same titles, five scenarios


def test_a_stale_save_is_refused_and_writes_nothing(store: ScenarioStore, london: Scenario) -> None:
    sid = store.create(ALICE, london).scenario_id
    theirs = store.save(ALICE, sid, london.with_changes(horizon_years=3), base=1)
    with pytest.raises(StaleVersion) as info:
        store.save(ALICE, sid, london.with_changes(horizon_years=9), base=1)
    assert info.value.latest == theirs
    assert [v.number for v in store.versions(ALICE, sid)] == [2, 1]
    with pytest.raises(StaleVersion):
        store.save(ALICE, sid, london, base=5)  # a base from the future is no better


def test_restore_is_a_new_version_and_keeps_the_history(store: ScenarioStore, london: Scenario) -> None:
    sid = store.create(LOCAL, london).scenario_id
    store.save(LOCAL, sid, london.with_changes(horizon_years=3, name="Three years"), base=1)
    restored = store.restore(LOCAL, sid, 1, base=2)
    assert (restored.number, restored.restored_from, restored.title) == (3, 1, london.name)
    assert restored.scenario() == london
    assert [(v.number, v.restored_from) for v in store.versions(LOCAL, sid)] == [(3, 1), (2, None), (1, None)]
    with pytest.raises(StaleVersion):
        store.restore(LOCAL, sid, 2, base=2)
    with pytest.raises(NotFound):
        store.restore(LOCAL, sid, 9, base=3)


def test_list_is_newest_first(store: ScenarioStore, london: Scenario) -> None:
    a = store.create(LOCAL, london.with_changes(name="A")).scenario_id
    b = store.create(LOCAL, london.with_changes(name="B")).scenario_id
    assert [i.id for i in store.list(LOCAL)] == [b, a]
    store.save(LOCAL, a, london.with_changes(name="A2"), base=1)
    assert [(i.id, i.title) for i in store.list(LOCAL)] == [(a, "A2"), (b, "B")]


# ---------------------------------------------------------------------------------------- visibility
def test_each_person_sees_only_their_own(store: ScenarioStore, london: Scenario) -> None:
    mine = store.create(ALICE, london).scenario_id
    theirs = store.create(BOB, london).scenario_id
    shared_space = store.create(LOCAL, london).scenario_id
    assert [i.id for i in store.list(ALICE)] == [mine]
    assert [i.id for i in store.list(BOB)] == [theirs]
    assert {i.id for i in store.list(LOCAL)} == {mine, theirs, shared_space}  # sign-in off: one space
    for viewer, hidden in ((ALICE, theirs), (BOB, mine), (ALICE, shared_space), (CAROL, mine)):
        calls: list[Callable[[], object]] = [
            lambda v=viewer, h=hidden: store.latest(v, h), lambda v=viewer, h=hidden: store.get(v, h, 1),
            lambda v=viewer, h=hidden: store.versions(v, h), lambda v=viewer, h=hidden: store.info(v, h),
            lambda v=viewer, h=hidden: store.save(v, h, london, base=1),
            lambda v=viewer, h=hidden: store.restore(v, h, 1, base=1),
            lambda v=viewer, h=hidden: store.move_to_room(v, h, None)]
        for call in calls:
            with pytest.raises(NotFound) as hidden_error:
                call()
            with pytest.raises(NotFound) as missing_error:
                store.latest(viewer, "no-such-id-at-all")  # noqa: B023 - called at once
            assert type(hidden_error.value) is type(missing_error.value)
    assert str(_not_found(lambda: store.latest(ALICE, theirs))).replace(theirs, "X") == str(
        _not_found(lambda: store.latest(ALICE, "X")))  # the same words: nothing tells the two apart
    assert [v.number for v in store.versions(BOB, theirs)] == [1]  # nothing was written by the attempts


def _not_found(call: Callable[[], object]) -> NotFound:
    with pytest.raises(NotFound) as info:
        call()
    return info.value


def test_rooms_share_on_purpose(store: ScenarioStore, london: Scenario) -> None:
    sid = store.create(ALICE, london).scenario_id
    room = store.create_room(ALICE, "  Manchester   workshop ")
    assert room.name == "Manchester workshop" and room.created_by == "Alice" and len(room.code) >= 8
    assert store.rooms(ALICE) == [room] and store.rooms(BOB) == []
    with pytest.raises(NotFound):
        store.join_room(BOB, "NOSUCHCODE")
    assert store.join_room(BOB, room.code.lower()) == room
    assert store.join_room(BOB, room.code) == room  # twice is harmless
    assert store.rooms(BOB) == [room]
    assert store.list(BOB) == []  # joining shows nothing until a scenario is put in the room
    store.move_to_room(ALICE, sid, room.code)
    assert [i.id for i in store.list(BOB)] == [sid] and store.list(BOB)[0].room == room.code
    by_bob = store.save(BOB, sid, london.with_changes(horizon_years=4), base=1)
    assert by_bob.saved_by == "Bob" and store.latest(ALICE, sid) == by_bob
    with pytest.raises(NotAllowed):
        store.move_to_room(BOB, sid, None)  # only the owner moves it
    with pytest.raises(NotFound):
        store.latest(CAROL, sid)
    in_room = store.create(BOB, london, room=room.code)
    assert {i.id for i in store.list(ALICE)} == {sid, in_room.scenario_id}
    with pytest.raises(NotFound):
        store.create(CAROL, london, room=room.code)  # not a member
    with pytest.raises(NotFound):
        store.move_to_room(ALICE, sid, "NOSUCHCODE")
    store.move_to_room(ALICE, sid, None)
    with pytest.raises(NotFound):
        store.latest(BOB, sid)
    assert [i.id for i in store.list(BOB)] == [in_room.scenario_id]


# ---------------------------------------------------------------------------------------- concurrency
def _save_until_stored(store: ScenarioStore, viewer: Viewer, sid: str, scenario: Scenario) -> int:
    """Save like a person who, told someone saved first, saves again on top: returns the version made."""
    base = store.latest(viewer, sid).number
    while True:
        try:
            return store.save(viewer, sid, scenario, base=base).number
        except StaleVersion as exc:
            base = exc.latest.number


def test_many_threads_saving_at_once_lose_nothing(store: ScenarioStore, london: Scenario) -> None:
    sid = store.create(LOCAL, london).scenario_id
    threads_n, each = 8, 5
    barrier = threading.Barrier(threads_n)
    made: list[int] = []
    stale_seen: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work(t: int) -> None:
        try:
            barrier.wait()
            for i in range(each):
                sc = london.with_changes(name=f"thread {t} save {i}")
                number = _save_until_stored(store, LOCAL, sid, sc)
                with lock:
                    made.append(number)
            # and every thread once more from the same stale base: exactly one may win each round
            try:
                store.save(LOCAL, sid, london.with_changes(name=f"thread {t} stale"), base=1)
            except StaleVersion:
                with lock:
                    stale_seen.append(t)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(stale_seen) == threads_n
    total = threads_n * each
    assert sorted(made) == list(range(2, total + 2))  # every save its own version, no gaps, no doubles
    stored = store.versions(LOCAL, sid)
    assert [v.number for v in stored] == list(range(total + 1, 0, -1))
    assert {v.title for v in stored[:-1]} == {f"thread {t} save {i}" for t in range(threads_n) for i in range(each)}


def _save_in_process(url: str, sid: str, proc: int, each: int, barrier: object, out: object) -> None:
    store = open_store(url, legacy_dir=None)
    london = load_builtin("london")
    barrier.wait()  # type: ignore[attr-defined]
    for i in range(each):
        out.put(_save_until_stored(store, LOCAL, sid, london.with_changes(name=f"process {proc} save {i}")))  # type: ignore[attr-defined]
    store.close()


def test_two_processes_saving_at_once_lose_nothing(store: ScenarioStore, store_url: str, london: Scenario) -> None:
    sid = store.create(LOCAL, london).scenario_id
    ctx = multiprocessing.get_context("fork")
    procs_n, each = 2, 15
    barrier, out = ctx.Barrier(procs_n), ctx.Queue()
    procs = [ctx.Process(target=_save_in_process, args=(store_url, sid, p, each, barrier, out))
             for p in range(procs_n)]
    for p in procs:
        p.start()
    made = [out.get(timeout=120) for _ in range(procs_n * each)]
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0] * procs_n
    total = procs_n * each
    assert sorted(made) == list(range(2, total + 2))
    stored = store.versions(LOCAL, sid)
    assert len(stored) == total + 1
    assert {v.title for v in stored[:-1]} == {f"process {p} save {i}" for p in range(procs_n) for i in range(each)}


def test_two_stores_on_one_database_see_each_others_saves(make_store: Callable[..., ScenarioStore],
                                                          london: Scenario) -> None:
    one, two = make_store(), make_store()  # like two replicas
    sid = one.create(LOCAL, london).scenario_id
    two.save(LOCAL, sid, london.with_changes(horizon_years=6), base=1)
    with pytest.raises(StaleVersion):
        one.save(LOCAL, sid, london.with_changes(horizon_years=8), base=1)
    assert one.latest(LOCAL, sid).scenario().horizon_years == 6


def test_a_read_only_store_refuses_every_write(store: ScenarioStore, london: Scenario) -> None:
    sid = store.create(LOCAL, london).scenario_id
    store.writable, store.read_only_reason = False, "Saving is off for this test."
    for call in (lambda: store.create(LOCAL, london), lambda: store.save(LOCAL, sid, london, base=1),
                 lambda: store.restore(LOCAL, sid, 1, base=1), lambda: store.create_room(ALICE, "r")):
        with pytest.raises(ReadOnly) as info:
            call()
        assert info.value.reason == "Saving is off for this test."
    assert store.latest(LOCAL, sid).number == 1
