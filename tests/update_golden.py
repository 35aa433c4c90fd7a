"""Regenerate the golden summary deliberately, and show what changed.

    .venv/bin/python tests/update_golden.py          # write tests/golden/greater-manchester.csv, print the diff
    .venv/bin/python tests/update_golden.py --check  # only print the diff; exit 1 if it differs

The golden file is the headline summary of the built-in Greater Manchester scenario with 200 uncertainty draws
and seed 1. tests/core/test_engine.py::test_golden_summary compares the engine's output with it (relative
tolerance 1e-9), so any change to the model's numbers is seen and must be accepted on purpose by running this
script and committing the new file with the change that caused it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from cjcore.engine import project  # noqa: E402
from cjcore.schema import Scenario  # noqa: E402

SCENARIO_FILE = ROOT / "scenarios" / "greater-manchester.yaml"
GOLDEN_FILE = ROOT / "tests" / "golden" / "greater-manchester.csv"
ACTUAL_FILE = GOLDEN_FILE.with_suffix(".actual.csv")
DRAWS, SEED = 200, 1
COLUMNS = ["value", "p10", "median", "p90"]
RTOL, ATOL = 1e-9, 1e-12


def _load(path: Path) -> Scenario:
    try:
        from cjcore.scenario_io import load_scenario
    except ImportError:  # the loader is not written yet
        return Scenario.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    return load_scenario(path)


def golden_summary() -> pd.DataFrame:
    """The summary the golden file records: key, value, p10, median, p90."""
    summary = project(_load(SCENARIO_FILE), draws=DRAWS, seed=SEED).summary
    return summary[COLUMNS].rename_axis("key")


def write(summary: pd.DataFrame, path: Path) -> None:
    """Write a summary with every float at full precision (17 significant digits)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    summary.to_csv(path, float_format="%.17g", lineterminator="\n")


def read(path: Path) -> pd.DataFrame:
    """Read a summary written by `write`."""
    return pd.read_csv(path, index_col="key")[COLUMNS]


def diff(expected: pd.DataFrame, actual: pd.DataFrame) -> pd.DataFrame:
    """The cells that differ beyond the tolerance, one row each (key, column, expected, actual, relative change)."""
    rows = []
    for key in expected.index.union(actual.index, sort=False):
        for column in COLUMNS:
            old = expected.at[key, column] if key in expected.index else np.nan
            new = actual.at[key, column] if key in actual.index else np.nan
            missing = (key not in expected.index) or (key not in actual.index)
            if missing or not np.isclose(new, old, rtol=RTOL, atol=ATOL, equal_nan=True):
                rel = (new - old) / abs(old) if np.isfinite(old) and old != 0 else np.nan
                rows.append((key, column, old, new, rel))
    return pd.DataFrame(rows, columns=["key", "column", "expected", "actual", "relative_change"])


def compare_golden(actual: pd.DataFrame) -> str:
    """'' when `actual` matches the golden file; else a readable diff (and the output saved as *.actual.csv)."""
    if not GOLDEN_FILE.exists():
        write(actual, ACTUAL_FILE)
        return f"no golden file {GOLDEN_FILE}"
    changes = diff(read(GOLDEN_FILE), actual)
    if changes.empty:
        ACTUAL_FILE.unlink(missing_ok=True)
        return ""
    write(actual, ACTUAL_FILE)
    with pd.option_context("display.width", 200, "display.max_columns", 10, "display.float_format", "{:.10g}".format):
        return changes.to_string(index=False)


def main(argv: list[str]) -> int:
    """Print the difference from the golden file; write the new one unless --check."""
    actual = golden_summary()
    if GOLDEN_FILE.exists():
        changes = compare_golden(actual)
        print(changes or "golden summary unchanged")
    else:
        changes = "new"
        print(f"no golden file yet; creating {GOLDEN_FILE.relative_to(ROOT)}")
    if "--check" in argv:
        return 1 if changes else 0
    write(actual, GOLDEN_FILE)
    ACTUAL_FILE.unlink(missing_ok=True)
    with pd.option_context("display.width", 200, "display.float_format", "{:.6g}".format):
        print(actual)
    print(f"wrote {GOLDEN_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
