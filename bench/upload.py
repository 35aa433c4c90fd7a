"""Upload costs: the server CPU one scenario file costs to check, for the hostile files of issue 14.

    .venv/bin/python bench/upload.py                   # run and print
    .venv/bin/python bench/upload.py --root ../other   # the same files against another checkout's cjcore

Each figure is the smallest CPU time (``time.process_time``, so other work on a shared machine does not count)
over three runs (``--runs``) of ``parse_scenario`` on a generated file: every run ends in the usual list of
problems. CPU time, not wall time, because the point is what one upload takes away from everyone else on the
server. The results are recorded by hand in bench/RESULTS.md (section "Upload costs"), before and after a change.
"""

from __future__ import annotations

import argparse
import random
import string
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE = (ROOT / "scenarios" / "greater-manchester.yaml").read_text(encoding="utf-8")
TARGET_BYTES = 240_000


def unknown_overrides() -> str:
    """A 240 KB file with thousands of unknown override keys (each asks for a 'did you mean' suggestion)."""
    rng = random.Random(1)
    lines = [BASE.replace("overrides: {}\n", ""), "overrides:"]
    size, i = len(lines[0]), 0
    while size < TARGET_BYTES:
        key = "reoffending_" + "".join(rng.choice(string.ascii_lowercase + "_") for _ in range(30)) + f"_{i}"
        lines.append(f"  {key}: 0.5")
        size += len(lines[-1]) + 1
        i += 1
    return "\n".join(lines) + "\n"


def unknown_fields() -> str:
    """A 240 KB file with thousands of unknown top-level fields."""
    rng = random.Random(2)
    lines = [BASE]
    size, i = len(BASE), 0
    while size < TARGET_BYTES:
        lines.append("".join(rng.choice(string.ascii_lowercase) for _ in range(45)) + f"_{i}: 1")
        size += len(lines[-1]) + 1
        i += 1
    return "\n".join(lines) + "\n"


def huge_numbers() -> str:
    """Whole numbers of 20,000–50,000 digits in hex, binary and sexagesimal (which YAML builds) in three fields."""
    return (BASE.replace("  pooled_budget_gbp_m: 12.0", "  pooled_budget_gbp_m: 0x" + "f" * 20_000)
            .replace("  settlement_years: 3", "  settlement_years: 0b" + "1" * 50_000)
            .replace("overrides: {}", "overrides:\n  reoffending_effect: " + ":".join(["59"] * 20_000)))


CASES: dict[str, Callable[[], str]] = {
    "240 KB, thousands of unknown override keys": unknown_overrides,
    "240 KB, thousands of unknown fields": unknown_fields,
    "numbers of 20,000–50,000 digits (hex, binary, sexagesimal) in three fields": huge_numbers,
}


def measure(text: str, runs: int = 3) -> tuple[float, str]:
    """The smallest CPU time of `runs` checks of the text, and the last line of what was reported."""
    from cjcore.scenario_io import ScenarioError, parse_scenario

    best, said = float("inf"), ""
    for _ in range(runs):
        start = time.process_time()
        try:
            parse_scenario(text, "upload.yaml")
            said = "accepted"
        except ScenarioError as exc:
            said = f"{len(exc.issues)} problem(s) listed; {exc.problems[-1][:70]}"
        except Exception as exc:  # what the issue found: the int-string limit escaping as a crash
            said = f"CRASH {type(exc).__name__}: {str(exc)[:60]}"
        best = min(best, time.process_time() - start)
    return best, said


def main() -> None:
    """Print the CPU time of each hostile file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout whose cjcore is measured")
    parser.add_argument("--runs", type=int, default=3, help="checks of each file (the smallest time is shown)")
    args = parser.parse_args()
    sys.path.insert(0, str(args.root.resolve()))
    print(f"cjcore from {args.root.resolve()}; {len(unknown_overrides()):,} bytes in the unknown-keys file")
    print("| file | CPU time | reported |\n| --- | ---: | --- |")
    for name, make in CASES.items():
        seconds, said = measure(make(), args.runs)
        print(f"| {name} | {seconds:.2f} s | {said} |")


if __name__ == "__main__":
    main()
