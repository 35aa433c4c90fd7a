"""The scenario folder as it was before the store: ``NAME.yaml`` files and ``.history/NAME/STAMP-HEX.yaml``.

Read once, on the store's first open, so every old file (and each kept earlier version, oldest first) becomes a
versioned scenario that remembers its file stem; old ``user:<stem>`` links keep opening it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cjcore.scenario_io import ScenarioError, dump_scenario, load_scenario
from cjcore.schema import Scenario

log = logging.getLogger(__name__)

SUFFIX = ".yaml"
#: Sub-folder that kept earlier versions of overwritten files.
HISTORY_DIR = ".history"
_STAMP = "%Y%m%dT%H%M%S%fZ"


@dataclass(frozen=True)
class LegacyVersion:
    """One version of an old scenario file: when it was written and its scenario as canonical YAML."""

    saved_at: datetime
    title: str
    yaml: str


def _stamp(path: Path) -> datetime:
    """When a kept version was written: the time stamp in its name, else the file's modification time."""
    try:
        return datetime.strptime(path.stem.split("-", 1)[0], _STAMP).replace(tzinfo=UTC)
    except ValueError:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def _read(path: Path) -> Scenario | None:
    try:
        return load_scenario(path)
    except ScenarioError as exc:
        log.info("not imported (invalid scenario): %s", exc.problems[0])
        return None


def legacy_scenarios(folder: Path) -> dict[str, list[LegacyVersion]]:
    """Every old scenario file in a folder, by stem, with its versions oldest first (the current file last).

    Files that are not valid scenarios are left out (and logged); a stem with no valid version is left out.
    Missing or unreadable folders give nothing.
    """
    found: dict[str, list[LegacyVersion]] = {}
    try:
        files = sorted(p for p in folder.glob(f"*{SUFFIX}") if not p.name.startswith(".") and p.is_file())
    except OSError:
        return found
    for current in files:
        stem = current.stem
        kept_dir = folder / HISTORY_DIR / stem
        try:
            kept = sorted(kept_dir.glob(f"*{SUFFIX}")) if kept_dir.is_dir() else []
            dated = [(_stamp(p), p) for p in kept]
            dated.append((datetime.fromtimestamp(current.stat().st_mtime, UTC), current))
        except OSError:
            continue
        out: list[LegacyVersion] = []
        for when, path in dated:  # oldest first: the stamps sort in time order, the current file is newest
            scenario = _read(path)
            if scenario is not None:
                out.append(LegacyVersion(when, scenario.name, dump_scenario(scenario)))
        if out:
            found[stem] = out
    return found
