"""Engine benchmarks: issue 3's timings and issue 16's cost of one change, as a table in bench/RESULTS.md.

    .venv/bin/python bench/engine.py                 # run, print, and update bench/RESULTS.md
    .venv/bin/python bench/engine.py --no-write      # run and print only
    .venv/bin/python bench/engine.py --profile       # also print a cProfile of the slowest benchmark

Each figure is the median wall time (time.perf_counter) over repeats, after one warm-up call that loads the
data files, so it measures the model, not the disk; the CPU time (time.process_time) is shown beside it, the
figure that carries over to a shared machine.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
import yaml  # noqa: E402

from bench.results import write_section  # noqa: E402
from cjcore.areas import AREA_KEYS  # noqa: E402
from cjcore.engine import project, sweep  # noqa: E402
from cjcore.report import stage_tradeoff  # noqa: E402
from cjcore.schema import Scenario  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
SCENARIO_FILE = ROOT / "scenarios" / "greater-manchester.yaml"
SWEEP_FUNCTION = "youth_justice"
SECTION_START, SECTION_END = "<!-- bench/engine.py: start -->", "<!-- bench/engine.py: end -->"

HEADER = """# Benchmark results

Each benchmark script writes its own section between its markers and keeps the rest of this file.

The engine section is written by `bench/engine.py` (run `.venv/bin/python bench/engine.py` again to
replace it). Each figure is the median wall time (`time.perf_counter`) over repeats after one warm-up call, on
the machine named, with the median CPU time (`time.process_time`) beside it. The first five targets are issue 3's,
for the 2-core CI machine; the last two are issue 16's model share of one placement change on the Spectrum view,
judged on the CPU time (marked "CPU") as the issue sets them, since on a shared machine the wall time lies.
As in a session, the parameters and the national baseline come from the engine's caches after the warm-up call.

- **central 10-year run** (target ≤ 5 ms): `project(scenario, draws=0)` for the built-in Greater Manchester
  scenario over 10 years, plus its `summary` (the headline figures the app shows).
- **1,000 draws, 5 years** (target ≤ 100 ms): `project(scenario, draws=1000, seed=1)` plus its `summary`
  (p10 / median / p90 bands).
- **every area × every stage** (target ≤ 2 s in total): `sweep(scenario, "youth_justice", draws=1000, seed=1)`
  for each of the 43 police force areas: 43 areas × 6 stages, each with 1,000 draws, all headline figures.
- *Informational* (no target): building the tidy `frame` of a central 10-year run and of a 1,000-draw run,
  which a projections page also pays for.
- **one change: projection** (target ≤ 20 ms): `project(scenario, draws=500, seed=1)` plus its `summary`, what the
  headline cards need after a stage is moved.
- **one change: trade-off** (target ≤ 35 ms): `stage_tradeoff(scenario, draws=50, seed=1)`, every function at
  every stage (46 variants) for the trade-off chart beside the controls.

"""


@dataclass(frozen=True)
class Bench:
    key: str
    label: str
    target_s: float | None
    repeats: int
    fn: Callable[[], object]
    on_cpu: bool = False  # judged on the CPU time (issue 16's targets, set on a shared machine) not the wall time


def _load(path: Path) -> Scenario:
    try:
        from cjcore.scenario_io import load_scenario
    except ImportError:
        return Scenario.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    return load_scenario(path)


def benches() -> list[Bench]:
    gm = _load(SCENARIO_FILE)
    gm10 = gm.with_changes(horizon_years=10)
    by_area = [gm.with_changes(area=a) for a in AREA_KEYS]
    assert len(by_area) == 43

    def all_areas() -> None:
        for scenario in by_area:
            sweep(scenario, SWEEP_FUNCTION, draws=1000, seed=1)

    return [
        Bench("central", "central 10-year run", 0.005, 200, lambda: project(gm10, draws=0).summary),
        Bench("draws", "1,000 draws, 5 years", 0.100, 30, lambda: project(gm, draws=1000, seed=1).summary),
        Bench("areas", "every area × every stage (43 × 6, 1,000 draws)", 2.0, 5, all_areas),
        Bench("frame0", "frame of a central 10-year run (info)", None, 50, lambda: project(gm10, draws=0).frame),
        Bench("frame1000", "frame of a 1,000-draw run (info)", None, 10,
              lambda: project(gm, draws=1000, seed=1).frame),
        Bench("change_project", "one change: projection (500 draws) + summary", 0.020, 30,
              lambda: project(gm, draws=500, seed=1).summary, on_cpu=True),
        Bench("change_tradeoff", "one change: stage trade-off (46 variants, 50 draws)", 0.035, 30,
              lambda: stage_tradeoff(gm, draws=50, seed=1), on_cpu=True),
    ]


def time_median(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median wall time and median CPU time of one call, in seconds."""
    fn()  # warm-up: data files, imports
    times, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(times), statistics.median(cpu)


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def machine() -> dict[str, str]:
    def run(*cmd: str) -> str:
        try:
            return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return "unknown"

    dirty = run("git", "status", "--porcelain", "--", "cjcore")
    return {
        "date": run("date", "-u", "+%Y-%m-%d %H:%M UTC"),
        "commit": run("git", "rev-parse", "--short", "HEAD") + (" (+ uncommitted cjcore changes)" if dirty else ""),
        "cpus": str(os.cpu_count()) + " (nproc " + run("nproc") + ")",
        "python": platform.python_version(),
        "numpy": __import__("numpy").__version__,
        "pandas": __import__("pandas").__version__,
        "platform": platform.platform(),
        "load average (1 min) after the run": f"{os.getloadavg()[0]:.2f}",
    }


def _judged(bench: Bench, seconds: float, cpu: float) -> float:
    return cpu if bench.on_cpu else seconds


def table(results: list[tuple[Bench, float, float]]) -> str:
    lines = ["| benchmark | median | CPU median | target | result |", "| --- | ---: | ---: | ---: | --- |"]
    for bench, seconds, cpu in results:
        if bench.target_s is None:
            verdict = "info"
        else:
            verdict = "met" if _judged(bench, seconds, cpu) <= bench.target_s else "**missed**"
        target = fmt(bench.target_s) + (" CPU" if bench.on_cpu else "")
        lines.append(f"| {bench.label} | {fmt(seconds)} | {fmt(cpu)} | {target} | {verdict} |")
    return "\n".join(lines)


def section(results: list[tuple[Bench, float, float]], info: dict[str, str]) -> str:
    details = ", ".join(f"{k} {v}" for k, v in info.items() if k not in ("date", "commit"))
    return (f"{SECTION_START}\n## Engine (bench/engine.py)\n\n{info['date']} · commit {info['commit']}\n\n"
            f"Machine: {details}\n\n{table(results)}\n{SECTION_END}\n")


def write_results(text: str) -> None:
    write_section(text, SECTION_START, SECTION_END, HEADER)


def profile(bench: Bench) -> str:
    bench.fn()
    prof = cProfile.Profile()
    prof.enable()
    bench.fn()
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(25)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="do not update bench/RESULTS.md")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the every-area benchmark")
    parser.add_argument("--only", help="run only the benchmark with this key (central, draws, areas, ...)")
    args = parser.parse_args(argv)

    selected = [b for b in benches() if args.only in (None, b.key)]
    results = []
    for bench in selected:
        seconds, cpu = time_median(bench.fn, bench.repeats)
        results.append((bench, seconds, cpu))
        print(f"{bench.label:<55} {fmt(seconds):>10}   CPU {fmt(cpu):>10}   target {fmt(bench.target_s)}",
              flush=True)
    info = machine()
    print()
    print(table(results))
    if args.profile:
        print(profile(next(b for b in selected if b.key in ("areas", args.only))))
    if not args.no_write and args.only is None:
        write_results(section(results, info))
        print(f"\nupdated {RESULTS.relative_to(ROOT)}")
    missed = [b.key for b, s, c in results if b.target_s is not None and _judged(b, s, c) > b.target_s]
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
