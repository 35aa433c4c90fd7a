"""Server-side rerun cost of the views, measured with Streamlit's AppTest (issue 5: ≤ 250 ms median; issue 16).

Changes are made with a scenario the cache has not seen, so the engine runs every time: a stage moved on the
Spectrum view (then the Projections view showing that change), a slider moved on Funding & governance. Reruns with
nothing changed (what every other click in a workshop costs: a note, a toggle, a page shown again) are measured on
both views. Each rerun's CPU is read two ways: the script thread's own CPU (what one session's click costs the
server's one Python process, the figure behind bench/ws_load.py's load) and the whole process's. Writes its section of
bench/RESULTS.md.

AppTest compiles every script afresh on every run (it makes a new `ScriptCache` per run), while the server compiles
each script once per process (`Runtime` keeps one `ScriptCache` for every session; with `fileWatcherType = "none"`
nothing clears it). The bench shares one cache across runs, as the server does, so the figures leave out that
AppTest-only cost (about 10 ms a rerun here).
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
from streamlit.runtime.scriptrunner import script_cache, script_runner  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from bench.results import write_section  # noqa: E402
from tests.app.conftest import run_main_script_like_the_server  # noqa: E402

START, END = "<!-- bench/ui.py: start -->", "<!-- bench/ui.py: end -->"
TARGET_MS = 250.0  # projections rerun after one change, wall time, median (issue 5)
NO_CHANGE_TARGET_MS = 35.0  # Spectrum rerun with nothing changed, script-thread CPU, median (issue 16)
STAGES = ("national", "co_design", "co_investment", "co_commissioning", "devolved_budget", "full_transfer")
FUNCTIONS = ("Substance misuse", "Domestic abuse perpetrators", "Serious violence", "Custody budget")
SHARE_SLIDERS = ("National share of the pooled budget", "Share of retained savings reinvested")

SPECTRUM_NO_CHANGE = "spectrum: no change"
FUNDING_NO_CHANGE = "funding & governance: no change"
SPECTRUM_MOVED = "spectrum: stage moved"
PROJECTIONS = "projections: after the change"
FUNDING_MOVED = "funding & governance: slider moved"
ROWS = (SPECTRUM_NO_CHANGE, FUNDING_NO_CHANGE, SPECTRUM_MOVED, PROJECTIONS, FUNDING_MOVED)


def _share_compiled_scripts() -> None:
    """One compiled-script cache for every AppTest run, as the server's `Runtime` keeps one for every session."""
    shared: dict = {}
    upstream = script_cache.ScriptCache.__init__

    def init(self: script_cache.ScriptCache) -> None:
        upstream(self)
        self._cache = shared

    script_cache.ScriptCache.__init__ = init  # type: ignore[method-assign]


def _count_script_thread() -> list[float]:
    """Seconds of CPU the script thread spends in each script run, appended as runs finish."""
    spent: list[float] = []
    upstream = script_runner.ScriptRunner._run_script

    def run(self, *args, **kwargs):
        start = time.thread_time()
        try:
            return upstream(self, *args, **kwargs)
        finally:
            spent.append(time.thread_time() - start)

    script_runner.ScriptRunner._run_script = run  # type: ignore[method-assign]
    return spent


class Samples:
    """Wall, script-thread CPU and process CPU (ms) of each measured rerun, by row."""

    def __init__(self, thread: list[float]) -> None:
        self.thread = thread
        self.wall: dict[str, list[float]] = {name: [] for name in ROWS}
        self.script: dict[str, list[float]] = {name: [] for name in ROWS}
        self.process: dict[str, list[float]] = {name: [] for name in ROWS}

    def run(self, name: str, at: AppTest) -> None:
        """Run the app once and keep its costs under `name`."""
        before = len(self.thread)
        t0, c0 = time.perf_counter(), time.process_time()
        at.run()
        self.wall[name].append(1000 * (time.perf_counter() - t0))
        self.process[name].append(1000 * (time.process_time() - c0))
        self.script[name].append(1000 * sum(self.thread[before:]))
        assert not at.exception, [e.value for e in at.exception]


def _new_values(start: float) -> list[float]:
    """Slider positions (step 0.05) other than the one the scenario starts at: each gives a scenario not yet run."""
    return [v for v in (round(0.05 * k, 2) for k in range(21)) if abs(v - start) > 1e-9]


def measure(repeats: int) -> Samples:
    """Every row `repeats` times (no-change reruns three times as often: they are short)."""
    os.environ.setdefault("CJ_SCENARIO_DIR", tempfile.mkdtemp(prefix="cj-bench-"))
    run_main_script_like_the_server(pytest.MonkeyPatch())  # as in the AppTest suite: app.py reruns every time
    _share_compiled_scripts()
    samples = Samples(_count_script_thread())
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()

    def no_change(page: str, name: str) -> None:
        at.switch_page(page).run()
        at.run()  # settled: the page's caches are warm
        for _ in range(3 * repeats):
            samples.run(name, at)

    no_change("pages/spectrum.py", SPECTRUM_NO_CHANGE)
    no_change("pages/funding_governance.py", FUNDING_NO_CHANGE)

    combos = [(f, s) for f in FUNCTIONS for s in STAGES[1:]]
    for i in range(repeats):
        function, stage = combos[i % len(combos)]
        at.switch_page("pages/spectrum.py").run()
        slider = next(s for s in at.select_slider if s.label == function)
        if slider.value == stage:
            stage = "national"
        slider.set_value(stage)
        samples.run(SPECTRUM_MOVED, at)
        at.switch_page("pages/projections.py")
        samples.run(PROJECTIONS, at)

    at.switch_page("pages/funding_governance.py").run()
    values: dict[str, list[float]] = {}
    for i in range(repeats):
        label = SHARE_SLIDERS[i % 2]
        slider = next(s for s in at.slider if s.label == label)
        queue = values.setdefault(label, _new_values(float(slider.value)))
        slider.set_value(queue.pop(0))
        samples.run(FUNDING_MOVED, at)
    return samples


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def _verdict(name: str, wall: float, script: float) -> str:
    if name == PROJECTIONS:
        return "met" if wall <= TARGET_MS else "**missed**"
    if name == SPECTRUM_NO_CHANGE:
        return "met" if script <= NO_CHANGE_TARGET_MS else "**missed**"
    return "info"


def write(samples: Samples) -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines = [START, "## Views, server side (bench/ui.py)", "",
             f"{stamp} · commit {commit.strip()} · {os.cpu_count()} CPUs · Python {platform.python_version()} · "
             f"load average (1 min) after the run {os.getloadavg()[0]:.2f}", "",
             "AppTest reruns. A change is made with a scenario the cache has not seen (the engine runs with 500 "
             "uncertainty draws, the trade-off with 50); a rerun with no change is what every other click costs. "
             "*Script CPU* is the script thread's own CPU over the rerun: what one session's click costs the server's "
             "Python process, the figure that sets how many changes a replica can take (bench/ws_load.py). *Process "
             "CPU* adds AppTest's own work on other threads. Scripts are compiled once, as on the server (AppTest "
             "alone would compile them on every run, about 10 ms more). Targets: projections rerun after one change "
             f"≤ {TARGET_MS:.0f} ms wall, median (issue 5); Spectrum rerun with no change ≤ "
             f"{NO_CHANGE_TARGET_MS:.0f} ms script CPU, median (issue 16).", "",
             "| rerun | wall median | wall p95 | script CPU median | process CPU median | target |",
             "| --- | ---: | ---: | ---: | ---: | --- |"]
    for name in ROWS:
        wall, script = statistics.median(samples.wall[name]), statistics.median(samples.script[name])
        lines.append(f"| {name} | {wall:.0f} ms | {_p95(samples.wall[name]):.0f} ms | {script:.1f} ms | "
                     f"{statistics.median(samples.process[name]):.0f} ms | {_verdict(name, wall, script)} |")
    lines.append(END)
    section = "\n".join(lines) + "\n"
    write_section(section, START, END)
    return section


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    samples = measure(args.repeats)
    for name in ROWS:
        print(f"{name}: wall median {statistics.median(samples.wall[name]):.0f} ms, p95 {_p95(samples.wall[name]):.0f} "
              f"ms, script CPU median {statistics.median(samples.script[name]):.1f} ms, process CPU median "
              f"{statistics.median(samples.process[name]):.0f} ms")
    if not args.no_write:
        print(write(samples))


if __name__ == "__main__":
    main()
