"""Server CPU of the slow moments of issue 15, under AppTest: the script thread's CPU time, without a browser.

    .venv/bin/python bench/views_cpu.py               # 4 runs, median CPU per moment
    .venv/bin/python bench/views_cpu.py --runs 3 --profile add   # and a cProfile of one moment (runs after the first)

The five moments of `bench/browser.py --only views` (open Projections, open Compare, add a scenario there, open the
spectrum sweep, sweep another function), each run from another built-in scenario with one placement moved first,
so nothing is cached. CPU time (`time.thread_time` of the script thread) hardly moves with other work on the
machine, so before/after pairs compare on a shared machine. AppTest compiles the scripts again on every run (a real
server keeps their bytecode) and reruns the whole script where a server reruns only a fragment, so the figures are
a little above a server's. The first run also pays imports and the first chart of each shape.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("CJ_SCENARIO_DIR", tempfile.mkdtemp(prefix="cj-bench-"))

import pytest  # noqa: E402
from streamlit.runtime.scriptrunner import script_runner  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from cjcore.scenario_io import builtin_scenarios  # noqa: E402
from cjcore.vocab import FUNCTION, FUNCTION_KEYS, STAGE_KEYS  # noqa: E402
from tests.app.conftest import open_compare_tab, run_main_script_like_the_server  # noqa: E402

MOMENTS = ("projections", "compare", "add", "sweep", "sweep_function")


class ScriptClock:
    """CPU time of the script runs made while a moment is timed, optionally profiled."""

    def __init__(self, profile: str | None) -> None:
        self.profile, self.profiler = profile, cProfile.Profile()
        self.moment: str | None = None
        self.seconds = 0.0
        self.profiling = False
        original = script_runner.ScriptRunner._run_script

        def timed(runner, *args, **kwargs):
            started = time.thread_time()
            if self.profiling and self.moment == self.profile:
                self.profiler.enable()
            try:
                return original(runner, *args, **kwargs)
            finally:
                if self.profiling and self.moment == self.profile:
                    self.profiler.disable()
                self.seconds += time.thread_time() - started

        script_runner.ScriptRunner._run_script = timed

    def time(self, moment: str, step) -> float:
        self.moment, self.seconds = moment, 0.0
        at = step()
        self.moment = None
        if at.exception:
            raise RuntimeError(f"{moment}: {[e.value for e in at.exception]}")
        return self.seconds


def moment_steps(at: AppTest, other: str, turn: int) -> dict:
    """Each moment as a call that makes it and returns the app: the pages opened, an option added, the sweep."""

    def sweep_another() -> AppTest:
        box = at.selectbox(key="cmp_sweep_function")
        others = [f for f in FUNCTION_KEYS if f != box.value]
        return box.set_value(others[(turn + 2) % len(others)]).run()

    return {"projections": lambda: at.switch_page("pages/projections.py").run(),
            "compare": lambda: at.switch_page("pages/compare.py").run(),
            "add": lambda: at.multiselect(key="cmp_scenarios").select(other).run(),
            "sweep": lambda: open_compare_tab(at, "sweep"),
            "sweep_function": sweep_another}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--profile", choices=MOMENTS, help="cProfile this moment (every run after the first)")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key for --profile")
    args = parser.parse_args(argv)
    run_main_script_like_the_server(pytest.MonkeyPatch())
    clock = ScriptClock(args.profile)
    keys = list(builtin_scenarios())
    cpu: dict[str, list[float]] = {m: [] for m in MOMENTS}
    for i in range(args.runs):
        clock.profiling = i > 0
        origin, other = keys[i % len(keys)], keys[(i + 3) % len(keys)]
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params["s"] = origin
        at.run()
        slider = next(s for s in at.select_slider if s.label == FUNCTION[FUNCTION_KEYS[i % len(FUNCTION_KEYS)]].label)
        stage = STAGE_KEYS.index(slider.value)
        slider.set_value(STAGE_KEYS[stage + 1] if stage + 1 < len(STAGE_KEYS) else STAGE_KEYS[stage - 1])
        at.run()

        steps = moment_steps(at, other, i)
        for moment in MOMENTS:
            cpu[moment].append(clock.time(moment, steps[moment]))
        print(f"run {i + 1}: " + ", ".join(f"{m} {v[-1] * 1000:.0f} ms" for m, v in cpu.items()), flush=True)
    for moment, values in cpu.items():
        print(f"{moment:15s} median {statistics.median(values) * 1000:5.0f} ms CPU  "
              f"({', '.join(f'{v * 1000:.0f}' for v in values)})")
    if args.profile:
        pstats.Stats(clock.profiler).sort_stats(args.sort).print_stats(60)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
