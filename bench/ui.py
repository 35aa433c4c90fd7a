"""Server-side rerun time of the views, measured with Streamlit's AppTest (issue 5: ≤ 250 ms median).

One change is made (a stage moved on the spectrum view, then the projections view rerun), each with a scenario the
cache has not seen, so the engine runs every time. Writes its section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from tests.app.conftest import run_main_script_like_the_server  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- bench/ui.py: start -->", "<!-- bench/ui.py: end -->"
TARGET_MS = 250.0
STAGES = ("national", "co_design", "co_investment", "co_commissioning", "devolved_budget", "full_transfer")
FUNCTIONS = ("Substance misuse", "Domestic abuse perpetrators", "Serious violence", "Custody budget")


def measure(repeats: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Milliseconds per rerun, wall and CPU (the process's, which runs the script's thread): spectrum view after
    moving a stage, projections view showing that change."""
    os.environ.setdefault("CJ_SCENARIO_DIR", tempfile.mkdtemp(prefix="cj-bench-"))
    run_main_script_like_the_server(pytest.MonkeyPatch())  # as in the AppTest suite: app.py reruns every time
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    times: dict[str, list[float]] = {"spectrum: stage moved": [], "projections: after the change": []}
    cpu: dict[str, list[float]] = {name: [] for name in times}
    combos = [(f, s) for f in FUNCTIONS for s in STAGES[1:]]
    for i in range(repeats):
        function, stage = combos[i % len(combos)]
        at.switch_page("pages/spectrum.py").run()
        slider = next(s for s in at.select_slider if s.label == function)
        if slider.value == stage:
            stage = "national"
        slider.set_value(stage)
        for name in times:
            if name.startswith("projections"):
                at.switch_page("pages/projections.py")
            t0, c0 = time.perf_counter(), time.process_time()
            at.run()
            times[name].append(1000 * (time.perf_counter() - t0))
            cpu[name].append(1000 * (time.process_time() - c0))
        assert not at.exception, [e.value for e in at.exception]
    return times, cpu


def write(rows: list[tuple[str, float, float, float]]) -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines = [START, "## Views, server side (bench/ui.py)", "",
             f"{stamp} · commit {commit.strip()} · {os.cpu_count()} CPUs · Python {platform.python_version()}", "",
             "AppTest reruns with a scenario the cache has not seen (the engine runs with 500 uncertainty draws). "
             f"Target: projections rerun after one change ≤ {TARGET_MS:.0f} ms median. CPU is the process's CPU time "
             "over the rerun (AppTest's own work included), the figure that carries over to a shared machine; "
             f"load average (1 min) after the run {os.getloadavg()[0]:.2f}.", "",
             "| rerun | median | p95 | CPU median | target |", "| --- | ---: | ---: | ---: | --- |"]
    for name, median, p95, cpu in rows:
        verdict = ("met" if median <= TARGET_MS else "**missed**") if name.startswith("projections") else "info"
        lines.append(f"| {name} | {median:.0f} ms | {p95:.0f} ms | {cpu:.0f} ms | {verdict} |")
    lines.append(END)
    section = "\n".join(lines)
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if START in text:
        text = text[:text.index(START)] + section + text[text.index(END) + len(END):]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    RESULTS.write_text(text, encoding="utf-8")
    return section


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    times, cpu = measure(args.repeats)
    rows = []
    for name, values in times.items():
        ordered = sorted(values)
        rows.append((name, statistics.median(values), ordered[max(0, int(round(0.95 * len(ordered))) - 1)],
                     statistics.median(cpu[name])))
        print(f"{name}: median {rows[-1][1]:.0f} ms, p95 {rows[-1][2]:.0f} ms, CPU median {rows[-1][3]:.0f} ms")
    if not args.no_write:
        print(write(rows))


if __name__ == "__main__":
    main()
