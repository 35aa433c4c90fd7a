"""Failover: kill one of two replicas in the middle of a workshop; every view comes back, nothing saved is lost.

    .venv/bin/python bench/failover.py                       # 30 sessions, 60 s, the kill at 25 s
    .venv/bin/python bench/failover.py --write               # and record the result in bench/RESULTS.md

What it does, through nginx in front of two fresh replicas (deploy/serve.py, the set `make serve` runs) with a
scenario store of their own:
1. Before the workshop, `--savers` people each save a scenario under a unique title on the Scenarios view
   (Streamlit's websocket protocol, as the browser speaks it: type the title, press the save button) and see the
   app confirm it.
2. `--sessions` participants (bench/ws_load.py: a share link each, a stage signature no one else uses, then a
   change every 2–4 s), each with its own sticky-session cookie, so about half live on each replica.
3. At `--kill-at` seconds the replica holding the most connections is killed with SIGKILL (a crash, not a
   shutdown). A participant whose websocket drops does what the Streamlit frontend does: opens a new one with the
   cookie (nginx skips the dead replica and re-points the cookie to the one that answered) and asks for its page
   with the URL it shows, no widget values. The
   view must come back from the URL alone: the same stage controls, the same share link, and the Reoffences
   figure every other session shows for that scenario. Recovery time is counted from the kill.
4. After the workshop a new visitor opens the Scenarios view (on the survivor) and every title saved in step 1
   must be in the library.

Targets (issue 16): every disconnected participant's view back within 10 s, no errors, no cross-session leaks,
nothing saved lost. A real browser does the same in tests/e2e/test_replicas.py.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.results import write_section  # noqa: E402
from bench.ws_load import (  # noqa: E402
    ForwardMsg,
    Session,
    WorkshopReport,
    established,
    machine_line,
    percentile,
    store_env,
    summary_lines,
    warm_up,
    workshop,
)
from cjcore.scenario_io import builtin_scenarios  # noqa: E402
from deploy.serve import ReplicaSet, free_port  # noqa: E402

RECOVERY_TARGET_S = 10.0
SCENARIOS_PAGE = "scenarios"
SAVE_TITLE_LABEL = "Save as"  # the Scenarios view's title box and button (pages/scenarios.py)
SAVE_BUTTON_LABEL = "Save as new scenario"


async def save_scenario(url: str, origin: str, title: str) -> str | None:
    """Save the scenario `origin` under `title` through the app; return a problem, or None when the app confirmed."""
    session = Session(url, f"s={origin}", page_name=SCENARIOS_PAGE)
    await session.open()
    try:
        page = await session.rerun()
        if SAVE_TITLE_LABEL not in page.inputs or SAVE_BUTTON_LABEL not in page.buttons:
            return f"no {SAVE_TITLE_LABEL!r} box or {SAVE_BUTTON_LABEL!r} button on the Scenarios view " \
                   f"(inputs {sorted(page.inputs)}, buttons {sorted(page.buttons)})"
        session.set_text(page.inputs[SAVE_TITLE_LABEL], title)
        session.click(page.buttons[SAVE_BUTTON_LABEL])
        saved = await session.rerun()
        if saved.status != ForwardMsg.FINISHED_SUCCESSFULLY or saved.exceptions or saved.errors:
            return f"saving {title!r}: status {saved.status}, {saved.exceptions + saved.errors}"
        if not any(s.startswith("Saved") for s in saved.successes):
            return f"saving {title!r}: the app did not confirm ({saved.successes})"
        return None
    finally:
        await session.close()


async def library(url: str) -> str:
    """Everything the Scenarios view's library shows to a new visitor."""
    session = Session(url, "", page_name=SCENARIOS_PAGE)
    await session.open()
    try:
        page = await session.rerun()
        return "\n".join(page.markdown)
    finally:
        await session.close()


def run(sessions: int, duration_s: float, kill_at_s: float, savers: int, think: tuple[float, float] = (2.0, 4.0),
        seed: int = 1) -> dict:
    """One failover run; returns what it measured."""
    origins = sorted(builtin_scenarios())
    token = secrets.token_hex(3)
    titles = [f"Failover check {i + 1} {token}" for i in range(savers)]
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="cj-bench-failover-") as tmp, \
            ReplicaSet(2, port=free_port(), run_dir=Path(tmp) / "run", env=store_env(Path(tmp))) as rs:
        asyncio.run(warm_up([r.url for r in rs.members]))
        save_problems = [p for t in titles
                         if (p := asyncio.run(save_scenario(rs.url, random.Random(t).choice(origins), t)))]
        killed: dict = {}
        started = time.perf_counter()

        def on_tick(report: WorkshopReport) -> None:
            if killed or time.perf_counter() - started < kill_at_s:
                return
            connections = [established(r.port) for r in rs.members]
            victim = max(range(len(rs.members)), key=lambda i: connections[i])
            rs.kill(victim)
            report.killed_at = time.perf_counter()
            killed.update(victim=victim, connections=connections, at=report.killed_at - started)

        report = asyncio.run(workshop(rs.url, sessions, duration_s, think, seed=seed, on_tick=on_tick,
                                      reconnect=True))
        shown = asyncio.run(library(rs.url))
        survivor = rs.members[1 - killed["victim"]]
        shown_by_survivor = asyncio.run(library(survivor.url))  # directly, bypassing nginx
        replica_alive = [r.alive for r in rs.members]
    missing = [t for t in titles if f"**{t}**" not in shown or f"**{t}**" not in shown_by_survivor]
    return {
        "report": report, "titles": titles, "save_problems": save_problems, "missing": missing,
        "killed": killed, "alive_after": replica_alive, "think": think,
        "load_before": load_before, "load_after": os.getloadavg()[0],
    }


def verdict(result: dict) -> bool:
    """True when every target is met."""
    report: WorkshopReport = result["report"]
    return (not report.errors and not report.leaks and not report.inconsistent() and not result["missing"]
            and not result["save_problems"] and report.disconnects > 0
            and len(report.recoveries) == report.disconnects
            and max(report.recoveries, default=0.0) <= RECOVERY_TARGET_S)


def markers(think: tuple[float, float]) -> tuple[str, str]:
    """Section markers in bench/RESULTS.md, one section per pace."""
    tag = f"bench/failover.py, think {think[0]:g}-{think[1]:g} s"
    return f"<!-- {tag}: start -->", f"<!-- {tag}: end -->"


def section(result: dict, sessions: int, duration_s: float) -> str:
    """The RESULTS.md section."""
    report: WorkshopReport = result["report"]
    killed = result["killed"]
    rec = report.recoveries
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    met = verdict(result)
    start, end = markers(result["think"])
    lines = [
        start,
        f"## Failover: one of two replicas killed mid-workshop, a change every {result['think'][0]:g}–"
        f"{result['think'][1]:g} s (bench/failover.py)",
        "",
        f"{now} · commit {commit} · {machine_line()} · load average (1 min) {result['load_before']:.2f} before, "
        f"{result['load_after']:.2f} after",
        "",
        f"{sessions} websocket sessions through nginx for {duration_s:.0f} s, a change every "
        f"{result['think'][0]:g}–{result['think'][1]:g} s each; {len(result['titles'])} scenarios "
        f"saved through the app first; at {killed.get('at', float('nan')):.1f} s replica {killed.get('victim')} "
        f"(nginx connections per replica then: {' / '.join(map(str, killed.get('connections', [])))}) killed with "
        "SIGKILL and not restarted.",
        "",
        "| measure | result | target | verdict |",
        "| --- | --- | --- | --- |",
        f"| participants whose websocket dropped | {report.disconnects} | > 0 (the kill hit people) | "
        f"{'met' if report.disconnects else '**missed**'} |",
        f"| views back from their URL on the other replica | {len(rec)} of {report.disconnects} | all | "
        f"{'met' if len(rec) == report.disconnects else '**missed**'} |",
        f"| kill → view back (stage controls, share link, Reoffences), median / slowest | "
        f"{percentile(rec, 50):.2f} s / {max(rec, default=float('nan')):.2f} s | ≤ {RECOVERY_TARGET_S:.0f} s | "
        f"{'met' if rec and max(rec) <= RECOVERY_TARGET_S else '**missed**'} |",
        f"| errors (other than the dropped websockets) | {len(report.errors)} | 0 | "
        f"{'met' if not report.errors else '**missed**'} |",
        f"| runs that showed another session's scenario | {len(report.leaks) + len(report.inconsistent())} | 0 | "
        f"{'met' if not report.leaks and not report.inconsistent() else '**missed**'} |",
        f"| saved scenarios listed afterwards (through nginx and on the survivor directly) | "
        f"{len(result['titles']) - len(result['missing'])} of {len(result['titles'])} | all | "
        f"{'met' if not result['missing'] and not result['save_problems'] else '**missed**'} |",
        "",
        f"Overall: **{'met' if met else 'missed'}**. Latency over the whole run (both replicas, then the survivor "
        f"alone with everyone): change → run finished median {percentile(report.finished_s, 50) * 1000:.0f} ms, "
        f"p95 {percentile(report.finished_s, 95) * 1000:.0f} ms, {report.interactions} changes.",
    ]
    details = summary_lines(report)[5:]
    lines += [f"- {line.strip()}" for line in details[:5]]
    lines += [f"- … {len(details) - 5} more lines like these"] if len(details) > 5 else []
    lines += [f"- save problem: {p}" for p in result["save_problems"]]
    lines += [f"- missing after the kill: {t}" for t in result["missing"]]
    lines.append(end)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of workshop")
    parser.add_argument("--kill-at", type=float, default=25.0, help="seconds into the workshop")
    parser.add_argument("--think", type=float, nargs=2, default=(2.0, 4.0), metavar=("MIN", "MAX"),
                        help="seconds each participant waits between changes (default: the workshop pace)")
    parser.add_argument("--savers", type=int, default=6, help="scenarios saved through the app before the workshop")
    parser.add_argument("--write", action="store_true", help="record the result in bench/RESULTS.md")
    args = parser.parse_args(argv)
    result = run(args.sessions, args.duration, args.kill_at, args.savers, tuple(args.think))
    text = section(result, args.sessions, args.duration)
    print(text)
    if args.write:
        write_section(text + "\n", *markers(tuple(args.think)))
    return 0 if verdict(result) else 1


if __name__ == "__main__":
    raise SystemExit(main())
